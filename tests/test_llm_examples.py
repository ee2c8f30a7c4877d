"""The llm prompt's few-shot examples (nkbench/benchmark/systems/llm_examples.py): generated from the
development set's gold, verbatim excerpts of development seeds, the gold restricted to the excerpt,
never stale; and the generator's refusals (a test article, an excerpt that cuts an annotation)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nkbench.benchmark.systems import llm_examples as gen
from nkbench.benchmark.systems.llm import DEFAULT_PROMPT, load_prompt, parse_answer
from nkbench.core.bio import sentences
from nkbench.core.errors import NkbenchError
from nkbench.core.model import Document
from tests.project import PROJECT, gold, seeds

PROMPTS = PROJECT.llm_prompts_dir
GENERATED = sorted(p for p in PROMPTS.iterdir() if (p / gen.SPEC_FILE).is_file())
SEEDS = seeds()
SPLITS = {k: s.split for k, s in SEEDS.items()}
DEV = [s for s in SEEDS.values() if s.split == "dev"]
GOLD_DIR = PROJECT.passes_dir / (PROJECT.gold_annotator or "adjudicator")


def dev_gold() -> dict[str, Document]:
    """The development seeds' gold in this project (annotation/passes/<gold annotator>/<id>.json)."""
    docs, _ = gen.dev_gold(PROJECT)
    return {d.id: d for d in docs}


def need_dev_gold(doc_ids) -> dict[str, Document]:
    missing = [i for i in doc_ids if not (GOLD_DIR / f"{i}.json").is_file()]
    assert not missing, f"no development gold for {missing} in {GOLD_DIR} (the examples are generated from it)"
    return dev_gold()


def canonical(doc: Document) -> dict:
    """``doc`` without ids (every reference by the referent's span and labels) and without ``link``."""
    mentions = {m.id: (m.start, m.end, m.label, m.nominal, m.entity_id) for m in doc.mentions}
    cues = {q.id: (q.start, q.end) for q in doc.cues}
    claims = {c.id: (c.start, c.end) for c in doc.claims}
    return {
        "text": doc.text,
        "mentions": sorted(mentions.values(), key=repr),
        "events": sorted(((e.start, e.end, e.label, e.polarity, e.realis,
                           tuple(sorted((a.role, mentions[a.mention]) for a in e.arguments)))
                          for e in doc.events), key=repr),
        "cues": sorted(cues.values()),
        "claims": sorted(((c.start, c.end, c.stance, mentions.get(c.source), cues.get(c.cue), claims.get(c.parent),
                           None if c.value is None else (c.value.low, c.value.high, c.value.hedge, c.value.counted))
                          for c in doc.claims), key=repr),
    }


def inside(doc: Document, start: int, end: int) -> Document:
    """The gold items wholly inside [start, end), shifted (the test's own restriction)."""
    from dataclasses import replace

    def keep(items):
        return tuple(replace(x, start=x.start - start, end=x.end - start) for x in items
                     if start <= x.start and x.end <= end)

    return Document(doc.id, doc.language, (doc.text or "")[start:end], keep(doc.mentions), keep(doc.events),
                    keep(doc.cues), keep(doc.claims))


def test_the_default_prompt_is_generated_and_the_manifest_has_dev_seeds():
    assert PROMPTS / DEFAULT_PROMPT in GENERATED and DEV


def examples_of(version: Path) -> list[dict]:
    return json.loads((version / "examples.json").read_text(encoding="utf-8"))["examples"]


EXAMPLES = [(v, i) for v in GENERATED for i in range(len(examples_of(v)))]


@pytest.mark.parametrize(("version", "index"), EXAMPLES, ids=lambda x: x.name if isinstance(x, Path) else str(x))
def test_every_example_is_a_verbatim_excerpt_of_a_development_seed(version, index):
    ex = examples_of(version)[index]
    src = ex["source"]
    seed = SEEDS[src["document"]]
    assert seed.split == "dev", (ex["id"], seed.split)
    assert ex["language"] == seed.language
    spans = sentences(seed.text)
    numbers = src["sentences"]
    assert (src["start"], src["end"]) == (spans[numbers[0] - 1][0], spans[numbers[-1] - 1][1])
    assert seed.text[src["start"]:src["end"]] == ex["text"]
    assert len(numbers) <= 2  # a sentence or two


@pytest.mark.parametrize(("version", "index"), EXAMPLES, ids=lambda x: x.name if isinstance(x, Path) else str(x))
def test_every_example_answer_is_the_dev_gold_in_its_excerpt(version, index):
    """The answer, read back by the runner's own parser, is exactly the development gold inside the
    excerpt (offsets shifted; ``link`` is not in the answer format), and has not a single problem."""
    ex = examples_of(version)[index]
    src = ex["source"]
    doc = need_dev_gold([src["document"]])[src["document"]]
    parsed = parse_answer(Document(ex["id"], ex["language"], ex["text"]), json.dumps(ex["answer"], ensure_ascii=False))
    assert not parsed.problems and not parsed.notes, parsed.details
    expected = canonical(inside(doc, src["start"], src["end"]))
    assert canonical(parsed.document) == expected
    assert expected["mentions"]  # an example with something to show


@pytest.mark.parametrize("version", GENERATED, ids=lambda p: p.name)
def test_examples_json_is_not_stale(version):
    """examples.json is what examples.spec.json and the current development gold give (regenerate:
    nkbench regen)."""
    spec = gen.read_spec(version / gen.SPEC_FILE)
    gold_docs = need_dev_gold(sorted({e["document"] for e in spec}))
    assert gen.regenerate(version, list(gold_docs.values()), SPLITS, check=True), \
        f"{version.name}/examples.json is stale: run `nkbench regen`"


def test_the_default_examples_cover_every_kind_of_item():
    prompt = load_prompt(PROMPTS / DEFAULT_PROMPT)
    answers = [ex["answer"] for ex in prompt.examples]
    mentions = [m for a in answers for m in a["mentions"]]
    events = [e for a in answers for e in a["events"]]
    claims = [c for a in answers for c in a["claims"]]
    assert {ex["language"] for ex in prompt.examples} == {"es", "en"}
    assert any(m["nominal"] for m in mentions) and any(m["entity_id"] for m in mentions)
    assert any(e["arguments"] for e in events) and any(e["polarity"] == "negative" for e in events)
    assert any(e["realis"] != "actual" for e in events)
    assert any(c["cue"] for c in claims) and any(c["parent"] for c in claims)
    assert any(c["stance"] == "denies" for c in claims) and any(c["stance"] == "demands" for c in claims)
    assert any(c["value"] and c["value"]["hedge"] != "exact" for c in claims)


# -- the generator --------------------------------------------------------------------------------


@pytest.mark.parametrize("doc", gold(), ids=lambda d: d.id)
def test_answer_of_reads_back_as_the_document(doc):
    """The answer format written for a whole gold document (the test articles' gold here: nothing of
    it goes into a prompt) reads back through the runner's parser as the same annotation, every
    repeated quote disambiguated by a context: only the cues no claim uses and ``link`` are lost."""
    from dataclasses import replace

    parsed = parse_answer(doc, json.dumps(gen.answer_of(doc), ensure_ascii=False))
    assert not parsed.problems, parsed.details[:3]
    used = {c.cue for c in doc.claims}
    expected = replace(doc, cues=tuple(q for q in doc.cues if q.id in used))
    assert canonical(parsed.document) == canonical(expected)


def test_anchor_adds_a_context_only_when_the_quote_repeats():
    text = "Baku said Baku would talk; Yerevan said no."
    assert gen.anchor(text, 27, 34) == {"quote": "Yerevan"}
    a = gen.anchor(text, 10, 14)
    assert a["quote"] == "Baku" and text.count(a["context"]) == 1 and a["context"].count("Baku") == 1


def test_an_excerpt_that_cuts_an_annotation_or_refers_outside_is_refused():
    from nkbench.core.model import Argument, Claim, Cue, Event, Mention

    text = "Baku said the army shelled Tartar. It denied losses."
    doc = Document("d", "en", text,
                   (Mention("m1", 0, 4, "Baku", "GPE", "baku"), Mention("m2", 27, 33, "Tartar", "GPE", "tartar")),
                   (Event("e1", 19, 26, "shelled", "ATTACK", (Argument("Target", "m2"),)),),
                   (Cue("q1", 5, 9, "said"), Cue("q2", 38, 44, "denied")),
                   (Claim("k1", 10, 33, "the army shelled Tartar", "asserts", "m1", "q1"),
                    Claim("k2", 45, 51, "losses", "denies", "m1", "q2")))
    assert gen.restrict(doc, 0, 34, "x").claims[0].text == "the army shelled Tartar"
    with pytest.raises(NkbenchError, match=r"claim k2 'losses': its source m1 is outside the excerpt"):
        gen.restrict(doc, 35, len(text), "x")
    with pytest.raises(NkbenchError, match=r"mention m2 'Tartar' \(27-33\) crosses the excerpt"):
        gen.restrict(doc, 0, 30, "x")
    with pytest.raises(NkbenchError, match=r"not consecutive"):
        gen.excerpt_bounds(text, [1, 3], "x")
    with pytest.raises(NkbenchError, match=r"out of range \(the document has 2\)"):
        gen.excerpt_bounds(text, [2, 3], "x")


@pytest.mark.parametrize("seed", [s for s in SEEDS.values() if s.split == "test"], ids=lambda s: s.id)
def test_a_test_article_is_refused_as_an_example(seed):
    test_gold = {d.id: d for d in gold()}
    spec = [{"document": seed.id, "sentences": [1]}]
    with pytest.raises(NkbenchError, match=rf"{seed.id}.*is not a development seed \(split 'test'\)"):
        gen.build_examples([test_gold[seed.id]], spec, SPLITS)


BAD_SPECS = [
    ("[]", 'expected an object {"examples"'),
    ('{"examples": [{"document": "x", "sentences": [1], "extra": 1}]}', 'expected {"document": <seed id>'),
    ('{"examples": [{"document": "nope", "sentences": [1]}]}', "'nope' is not a development seed (split None)"),
    ("{", "examples.spec.json"),
]


@pytest.mark.parametrize(("spec", "message"), BAD_SPECS)
def test_regen_names_a_bad_spec_and_writes_nothing(tmp_path, spec, message):
    from click.testing import CliRunner

    from nkbench.cli import main
    from tests.project import copy_project, tree_digest

    root = copy_project(tmp_path / "p")
    (root / "benchmark/llm/prompts" / DEFAULT_PROMPT / gen.SPEC_FILE).write_text(spec, encoding="utf-8")
    before = tree_digest(root)
    for args in (["regen"], ["regen", "--check"]):
        r = CliRunner().invoke(main, ["--project", str(root), *args])
        assert r.exit_code == 1 and message in r.output and "Traceback" not in r.output, r.output
        assert tree_digest(root) == before


def test_regen_writes_then_checks_the_examples(tmp_path):
    """Regenerating a copy whose examples.json was removed writes it back; --check then passes,
    and fails (exit 1, the file named stale) after one character of it changed."""
    from click.testing import CliRunner

    from nkbench.cli import main
    from tests.project import copy_project

    spec = gen.read_spec(PROMPTS / DEFAULT_PROMPT / gen.SPEC_FILE)
    need_dev_gold(sorted({e["document"] for e in spec}))
    root = copy_project(tmp_path / "p")
    target = root / "benchmark/llm/prompts" / DEFAULT_PROMPT / "examples.json"
    original = target.read_text(encoding="utf-8")
    target.unlink()
    run = lambda *a: CliRunner().invoke(main, ["--project", str(root), *a])  # noqa: E731
    r = run("regen")
    assert r.exit_code == 0 and f"prompts/{DEFAULT_PROMPT}/examples.json: written" in r.output, r.output
    assert target.read_text(encoding="utf-8") == original
    assert run("regen", "--check").exit_code == 0
    target.write_text(original.replace("said", "Said", 1), encoding="utf-8")
    r = run("regen", "--check")
    assert r.exit_code == 1 and f"prompts/{DEFAULT_PROMPT}/examples.json: stale" in r.output, r.output
