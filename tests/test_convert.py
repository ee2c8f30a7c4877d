"""``nkbench convert`` (issue 13, item 3): a CoNLL file and a spaCy DocBin converted and scored,
with the projection counts; the dataset's own ``ner`` and ``documents`` rows round-trip to the
gold; tag decoding agrees with the strict decoder on well-formed input (property test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from nkbench.core import bio, schema
from nkbench.cli import main

from .project import PROJECT, gold

HERE = Path(__file__).parent / "golden"
GOLD = HERE / "predictions" / "gold.jsonl"
CONLL = HERE / "convert" / "predictions.conll"


def invoke(*args, input=None):
    r = CliRunner().invoke(main, [str(a) for a in args], input=input)
    assert "Traceback" not in r.output
    return r


def score_json(pred: Path, gold_path: Path = GOLD) -> dict:
    r = invoke("score", pred, "--gold", gold_path, "--layer", "entities", "--resamples", "0", "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.output)["layers"]["entities"]


def test_conll_converted_and_scored(tmp_path):
    out = tmp_path / "p.jsonl"
    r = invoke("convert", CONLL, "--from", "conll", "--gold", GOLD, "--out", out)
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8") == (HERE / "convert" / "conll.expected.jsonl").read_text(encoding="utf-8")
    assert r.output.splitlines() == [
        f"conll: 2 documents, 3 sentences, 18 tokens -> {out}",
        "  mentions 6 (GPE 5, QUANTITY 1)",
        "  documents whose tokens stop before the end of the gold text: 0",
        "  gold mentions not on the input's token boundaries (no tagging of these tokens gives them): 1",
        "  inside tag without a begin tag (started a chunk, as conlleval): 1",
        "  mentions whose label maps to nothing (--labels/--label-map), left out: 0",
    ]
    s = score_json(out)
    strict = s["strict"]["micro"]
    # Stepanakert. [74:86) against the gold Stepanakert [74:85): incorrect in strict, partial in partial
    assert (strict["correct"], strict["incorrect"], strict["missed"], strict["spurious"]) == (5, 1, 0, 0)
    assert s["partial"]["micro"]["partial"] == 1


def test_conll_from_stdin_and_iobes(tmp_path):
    text = CONLL.read_text(encoding="utf-8")
    r = invoke("convert", "-", "--from", "conll", "--gold", GOLD, "--out", tmp_path / "a.jsonl", input=text)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "a.jsonl").read_text(encoding="utf-8") == (HERE / "convert" / "conll.expected.jsonl").read_text(encoding="utf-8")
    iobes = "# document = d2\nBakú\tS-GPE\nlo\tO\ncelebró\tO\n.\tO\n\n# document = d1\nAzerbaijan\tB-GPE\nsaid\tE-GPE\n"
    r = invoke("convert", "-", "--from", "conll", "--scheme", "IOBES", "--gold", GOLD, "--out", tmp_path / "b.jsonl", input=iobes)
    assert r.exit_code == 0, r.output
    docs = [json.loads(x) for x in (tmp_path / "b.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [[(m["start"], m["end"], m["label"]) for m in d["mentions"]] for d in docs] == [[(0, 4, "GPE")], [(0, 15, "GPE")]]
    assert "documents whose tokens stop before the end of the gold text: 1" in r.output  # d1 stops after "said"


def docbin_bytes(spec, lang="en", **kwargs) -> bytes:
    """Bytes of a DocBin from ``(text, [(token_start, token_end, label)])`` pairs, built with spaCy
    (``kwargs`` to ``DocBin``, e.g. ``attrs``)."""
    import spacy
    from spacy.tokens import DocBin, Span

    nlp = spacy.blank(lang)
    docs = []
    for text, ents in spec:
        doc = nlp(text)
        doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
        docs.append(doc)
    return DocBin(docs=docs, **kwargs).to_bytes()


def docbin(tmp_path: Path, spec, lang="en") -> Path:
    """A DocBin file from ``(text, [(token_start, token_end, label)])`` pairs (``docbin_bytes``)."""
    path = tmp_path / "p.spacy"
    path.write_bytes(docbin_bytes(spec, lang))
    return path


def test_docbin_converted_and_scored(tmp_path):
    d1 = "Azerbaijan said 200 soldiers died in Shusha. Armenia denied the attack on Stepanakert."
    # spaCy's tokens: Azerbaijan said 200 soldiers died in Shusha . Armenia denied the attack on Stepanakert .
    path = docbin(tmp_path, [(d1, [(0, 1, "GPE"), (2, 3, "CARDINAL"), (6, 7, "GPE"), (8, 9, "NORP"), (13, 14, "GPE")]),
                             ("Bakú lo celebró", [(0, 1, "GPE"), (1, 2, "ORDINAL")])])
    out = tmp_path / "p.jsonl"
    r = invoke("convert", path, "--from", "docbin", "--labels", "ontonotes", "--gold", GOLD, "--out", out)
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        f"docbin: 2 documents, 2 sentences, 18 tokens -> {out}",
        "  mentions 6 (GPE 4, NORP 1, QUANTITY 1)",
        "  Docs that are a part of a gold document: 1",
        "  documents whose tokens stop before the end of the gold text: 1",
        "  gold mentions not on the input's token boundaries (no tagging of these tokens gives them): 0",
        "  mentions whose label maps to nothing (--labels/--label-map), left out: 1",
    ]
    docs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [[(m["start"], m["end"], m["label"], m["text"]) for m in d["mentions"]] for d in docs] == [
        [(0, 10, "GPE", "Azerbaijan"), (16, 19, "QUANTITY", "200"), (37, 43, "GPE", "Shusha"), (45, 52, "NORP", "Armenia"),
         (74, 85, "GPE", "Stepanakert")],
        [(0, 4, "GPE", "Bakú")]]
    strict = score_json(out)["strict"]["micro"]
    assert (strict["correct"], strict["incorrect"], strict["missed"], strict["spurious"]) == (5, 1, 0, 0)  # Armenia: NORP


def test_the_datasets_ner_rows_convert_to_the_gold_mentions(tmp_path):
    out = tmp_path / "ner.jsonl"
    r = invoke("--project", PROJECT.root, "convert", PROJECT.data_dir / "ner" / "test.parquet", "--from", "ner", "--out", out)
    assert r.exit_code == 0, r.output
    assert "gold mentions not on the input's token boundaries (no tagging of these tokens gives them): 0" in r.output
    got = {json.loads(x)["id"]: json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()}
    for g in gold():
        assert sorted((m["start"], m["end"], m["label"]) for m in got[g.id]["mentions"]) == \
            sorted((m.start, m.end, m.label) for m in g.mentions if not m.nominal)


def test_the_datasets_documents_rows_convert_to_the_gold(tmp_path):
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import datasets

    ds = datasets.load_dataset(str(PROJECT.data_dir), "documents", split="test", cache_dir=str(tmp_path / "cache"))
    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ds), encoding="utf-8")
    out = tmp_path / "p.jsonl"
    r = invoke("--project", PROJECT.root, "convert", rows, "--from", "rows", "--out", out)
    assert r.exit_code == 0, r.output
    n = sum(len(d.mentions) + len(d.events) * 3 + sum(len(e.arguments) for e in d.events) + len(d.claims)
            + sum(c.value is not None for c in d.claims) * 2 for d in gold())
    assert f"ClassLabel ids decoded to names: {n}" in r.output
    assert "text" not in out.read_text(encoding="utf-8").split('"mentions"')[0]


# -- the decoder: conlleval on anything, the strict decoder on well-formed sequences ---------------

TYPES = st.sampled_from(("PER", "GPE"))


@st.composite
def well_formed(draw, scheme):
    tags = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.booleans()):
            tags.append("O")
            continue
        t, n = draw(TYPES), draw(st.integers(1, 3))
        if scheme == "IOBES":
            tags += [f"S-{t}"] if n == 1 else [f"B-{t}", *[f"I-{t}"] * (n - 2), f"E-{t}"]
        else:
            tags += [f"B-{t}", *[f"I-{t}"] * (n - 1)]
    return tags


@pytest.mark.parametrize("scheme", ["IOB2", "IOBES"])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_decode_tags_is_the_strict_decoder_on_well_formed_tags(scheme, data):
    tags = data.draw(well_formed(scheme))
    tokens = [(2 * i, 2 * i + 1) for i in range(len(tags))]
    spans, counts = bio.decode_tags(tokens, tags, scheme)
    assert spans == bio.tags_to_spans(tokens, tags, scheme)
    assert not any(counts.values())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["O", "B-PER", "I-PER", "B-GPE", "I-GPE"]), max_size=12))
def test_decode_tags_keeps_every_tagged_token_and_counts_every_repair(tags):
    """conlleval reading: every non-O token is in exactly one chunk; repairs = I- tags that start one."""
    tokens = [(2 * i, 2 * i + 1) for i in range(len(tags))]
    spans, counts = bio.decode_tags(tokens, tags)
    covered = sorted(i for s, e, _ in spans for i in range(len(tags)) if s <= tokens[i][0] < e)
    assert covered == [i for i, t in enumerate(tags) if t != "O"]
    starts = {s for s, _, _ in spans}
    assert counts["inside tag without a begin tag (started a chunk, as conlleval)"] == sum(
        1 for i, t in enumerate(tags) if t.startswith("I-") and tokens[i][0] in starts)


def test_align_tokens_and_off_boundary():
    text = "Azerbaijan said  200."
    toks = bio.align_tokens(text, ["Azerbaijan", "said", "200."])
    assert toks == [(0, 10), (11, 15), (17, 21)]
    assert bio.off_boundary(toks, [(0, 10), (17, 20)]) == 1
    with pytest.raises(bio.TokenMismatch) as err:
        bio.align_tokens(text, ["Azerbaijan", "says"])
    assert err.value.index == 1 and "offset 11" in str(err.value)
    assert set(schema.ENTITY_TYPES) >= {"PER", "GPE"}


def test_the_datasets_documents_parquet_converts_to_the_gold(tmp_path):
    out = tmp_path / "p.jsonl"
    r = invoke("--project", PROJECT.root, "convert", PROJECT.data_dir / "documents" / "test.parquet", "--from", "rows", "--out", out)
    assert r.exit_code == 0, r.output
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [d["id"] for d in got] == [g.id for g in gold()]
    report = json.loads(invoke("--project", PROJECT.root, "score", out, "--resamples", "0", "--format", "json").output)
    for layer, metric in (("entities", "strict"), ("events", "argument_cls+"), ("claims", "links")):
        assert report["layers"][layer][metric]["micro"]["f1"] == 1.0
    assert report["layers"]["claims"]["value_exact"]["micro"]["accuracy"] == 1.0
