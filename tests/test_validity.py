"""One rule for a valid document: ``nkbench annotate check`` and ``nkbench score`` cannot disagree
about structure (nkbench.core.validity), and a claim with several sources is rejected by both."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from nkbench.core.errors import NkbenchErrors
from nkbench.core.io import write_documents
from nkbench.annotation.guidelines import check_gold, guideline_problems
from nkbench.core.model import Argument, Claim, Cue, Document, Event, Mention
from nkbench.benchmark.scoring.predictions import check_predictions
from nkbench.core.validity import structural_problems

from tests.project import PROJECT, copy_project, gold

NK = Path(sys.executable).parent / "nkbench"
TEXT = "Baku said Armenia shelled Tartar on Monday, and Yerevan denied it."
GOLD = Document("d", "en", TEXT)

# spans on word boundaries (so most random documents are clean) and a few bad ones
SPANS = [(0, 4), (5, 9), (10, 17), (18, 25), (26, 32), (36, 42), (48, 55), (56, 62), (0, 17), (10, 32),
         (3, 3), (60, 90), (7, 5)]
IDS = ["a1", "a2", "a3", "a4", "a5", "zz"]


@st.composite
def documents(draw):
    def span():
        s, e = draw(st.sampled_from(SPANS))
        return s, e, TEXT[s:e] if 0 <= s <= e <= len(TEXT) else draw(st.sampled_from(["", "Baku"]))

    ids = iter(draw(st.permutations(IDS)) + draw(st.lists(st.sampled_from(IDS), min_size=30, max_size=30)))
    mentions = []
    for _ in range(draw(st.integers(0, 4))):
        s, e, t = span()
        mentions.append(Mention(next(ids), s, e, t, draw(st.sampled_from(["GPE", "PER", "DATE", "CITY"])),
                                None, draw(st.booleans())))
    refs = [m.id for m in mentions] + ["nope"]
    events = []
    for _ in range(draw(st.integers(0, 2))):
        s, e, t = span()
        args = tuple(Argument(draw(st.sampled_from(["Attacker", "Target", "Time", "Weapon"])), draw(st.sampled_from(refs)))
                     for _ in range(draw(st.integers(0, 3))))
        events.append(Event(next(ids), s, e, t, draw(st.sampled_from(["ATTACK", "BOMB"])), args))
    cues = []
    for _ in range(draw(st.integers(0, 2))):
        s, e, t = span()
        cues.append(Cue(next(ids), s, e, t))
    claims = []
    for _ in range(draw(st.integers(0, 3))):
        s, e, t = span()
        claims.append(Claim(next(ids), s, e, t, draw(st.sampled_from(["asserts", "denies", "claims"])),
                            draw(st.sampled_from([None, *refs])), draw(st.sampled_from([None, "nope", *[c.id for c in cues]]))))
    return Document("d", "en", TEXT, tuple(mentions), tuple(events), tuple(cues), tuple(claims))


def scorer_reasons(doc: Document) -> list[str]:
    try:
        check_predictions([(1, doc)], [GOLD], "p.jsonl")
    except NkbenchErrors as err:
        return sorted(p.reason for p in err.problems)
    return []


@settings(max_examples=300, deadline=None)
@given(documents())
def test_checker_and_scorer_give_the_same_structural_verdict(doc):
    """For any document: the scorer's problems are exactly the checker's minus the guideline-only
    ones; in particular, one accepts it (structurally) if and only if the other does."""
    checker = [p.reason for p in check_gold(doc, entities=None, links=None)]
    guideline = [p.reason for p in guideline_problems(doc, entities=None, links=None)]
    structural = list(checker)
    for r in guideline:
        structural.remove(r)
    assert scorer_reasons(doc) == sorted(structural)
    assert (not scorer_reasons(doc)) == (not structural_problems(doc))


def test_the_generator_makes_both_verdicts():
    """The property above is not vacuous: the strategy makes valid and invalid documents."""
    seen = set()

    @settings(max_examples=200, deadline=None, database=None)
    @given(documents())
    def collect(doc):
        seen.add(bool(structural_problems(doc)))
        seen.update(p.reason.split(":")[0] for p in structural_problems(doc) if p.reason.startswith("duplicate span"))
    collect()
    assert {True, False, "duplicate span"} <= seen


def multi_source() -> list[Document]:
    """The project's gold with one claim given twice, once per source (what GUIDELINES v3 §5.3 forbids)."""
    docs = gold()
    for i, d in enumerate(docs):
        claim = next((c for c in d.claims if c.source is not None), None)
        other = next((m for m in d.mentions if claim and m.id != claim.source and m.label in ("PER", "ORG", "GPE")), None)
        if claim and other:
            twin = replace(claim, id=claim.id + "b", source=other.id)
            docs[i] = replace(d, claims=d.claims + (twin,))
            return docs
    pytest.fail("no claim with a source in the gold")


def test_multi_source_claims_are_rejected_by_both_paths_pointing_at_the_guidelines():
    docs = multi_source()
    bad = next(d for d in docs if any(c.id.endswith("b") for c in d.claims))
    for problems in (check_gold(bad, entities=None, links=None), structural_problems(bad)):
        dup = [p for p in problems if p.reason.startswith("duplicate span: claim")]
        assert len(dup) == 1 and "GUIDELINES.md v3 §5.3" in dup[0].hint and "several sources" in dup[0].hint
    with pytest.raises(NkbenchErrors) as err:
        check_predictions([(1, bad)], gold(), "p.jsonl")
    assert any("GUIDELINES.md v3 §5.3" in p.hint for p in err.value.problems)


def test_multi_source_claims_through_the_commands(tmp_path):
    root = copy_project(tmp_path / "p")
    write_documents(root / "multi.jsonl", multi_source())
    for args in (["annotate", "check", "multi.jsonl"], ["score", "multi.jsonl", "--resamples", "10"]):
        r = subprocess.run([str(NK), *args], capture_output=True, text=True, cwd=root)
        assert r.returncode != 0 and "Traceback" not in r.stderr, (args, r.stderr)
        assert "duplicate span: claim [" in r.stderr and "GUIDELINES.md v3 §5.3" in r.stderr, (args, r.stderr)
    # the gold itself passes both
    write_documents(root / "gold.jsonl", gold())
    for args in (["annotate", "check", "gold.jsonl"], ["score", "gold.jsonl", "--resamples", "10"]):
        r = subprocess.run([str(NK), *args], capture_output=True, text=True, cwd=root)
        assert r.returncode == 0, (args, r.stderr)


def test_every_structural_reason_of_the_shared_rule_is_a_known_kind():
    """Guards the split: guideline_problems never reports what the structural rule reports."""
    doc = Document("d", "en", TEXT, (Mention("m1", 0, 4, "Baku", "GPE"), Mention("m2", 0, 4, "Baku", "GPE")))
    assert [p.reason for p in structural_problems(doc)] == ["duplicate span: mention [0:4] GPE given 2 times"]
    assert all(not p.reason.startswith("duplicate") for p in guideline_problems(doc, entities=None, links=None))


# -- one seed check, one "first difference", one offset check -------------------------------------

SEEDS = {"d": Document("d", "en", TEXT)}


@pytest.mark.parametrize("doc_id, text, language, expected", [
    ("d", TEXT, "en", None),
    ("e", TEXT, "en", "unknown doc_id 'e'; known: d"),
    (None, TEXT, "en", "unknown doc_id None"),
    ("d", TEXT[:-1], "en", "text differs from its seed: first difference at offset 65: task '' vs seed '.' "
                           "(lengths 65 and 66)"),
    ("d", TEXT.replace("Tartar", "Tertar"), "en", "first difference at offset 27: task 'ertar on Mon' vs seed 'artar on Mon'"),
    ("d", None, "en", "text differs from its seed (got NoneType)"),
    ("d", TEXT, "es", "language 'es' differs from the seed's 'en'"),
    ("d", TEXT, None, "language None differs from the seed's 'en'"),
])
def test_one_seed_check(doc_id, text, language, expected):
    from nkbench.core.validity import seed_problems

    problems = seed_problems(doc_id, text, language, SEEDS, "here", what="task")
    assert (problems == []) if expected is None else (len(problems) == 1 and expected in str(problems[0]))
    assert all(str(p).startswith("here: ") for p in problems)


def test_the_seed_check_lets_predictions_leave_the_language_out():
    from nkbench.core.validity import seed_problems

    assert seed_problems("d", TEXT, "", SEEDS, "p", language_optional=True) == []
    assert "differs from the seed's" in str(seed_problems("d", TEXT, "es", SEEDS, "p", language_optional=True)[0])


@given(st.text(max_size=30), st.text(max_size=30))
def test_first_difference_names_the_first_offset_where_two_texts_part(a, b):
    from nkbench.core.validity import first_difference

    said = first_difference(a, b)
    i = int(said.split("offset ")[1].split(":")[0])
    assert a[:i] == b[:i] and (i == min(len(a), len(b)) or a[i] != b[i])
    assert said.endswith(f"(lengths {len(a)} and {len(b)})")


@pytest.mark.parametrize("start, end, length, reason", [
    (0, 4, 10, None), (0, 10, 10, None), (3, 3, 10, "empty span at 3"),
    (5, 2, 10, "offsets reversed or negative: start=5 end=2"), (-1, 2, 10, "offsets reversed or negative"),
    (0, 11, 10, "offsets out of range: end=11 but the text has 10 characters"), (0, 11, None, None),
    (0.0, 2, 10, "offsets must be integers, got start=0.0 end=2"), (True, 2, 10, "offsets must be integers"),
])
def test_one_offset_check(start, end, length, reason):
    """``model.span_problem``: the one offset rule of check_document and the Label Studio converter."""
    from nkbench.core.model import span_problem

    got = span_problem(start, end, length)
    assert got is None if reason is None else got.startswith(reason)


def test_the_converter_and_check_document_share_the_offset_reason():
    from nkbench.annotation.labelstudio.convert import results_to_document
    from nkbench.core.model import check_document

    region = {"id": "r1", "from_name": "entity", "to_name": "text", "type": "labels",
              "value": {"start": 60, "end": 90, "text": "x", "labels": ["GPE"]}}
    _, problems = results_to_document([region], doc_id="d", language="en", text=TEXT)
    doc = Document("d", "en", TEXT, (Mention("m", 60, 90, "x", "GPE"),))
    (reason,) = [p.reason for p in check_document(doc)]
    assert reason == "offsets out of range: end=90 but the text has 66 characters"
    assert any("offsets out of range: end=90 but the task text has 66 characters" in str(p) for p in problems)


def test_one_jsonl_reader_and_writer(tmp_path):
    """``io.documents_jsonl`` writes what ``io.read_documents`` and the scorer's reader read back,
    and both readers say the same of a document given twice."""
    from nkbench.core.io import document_line, documents_jsonl, read_documents
    from nkbench.benchmark.scoring.predictions import load_jsonl_documents

    docs = gold()
    path = tmp_path / "g.jsonl"
    path.write_bytes(documents_jsonl(docs))
    assert read_documents(path) == docs == [d for _, d in load_jsonl_documents(path, gold=True)]
    assert b"".join(document_line(d) for d in docs) == path.read_bytes()
    bare = documents_jsonl(docs, with_text=False)
    import json

    assert [{**json.loads(line), "text": d.text} for line, d in zip(bare.splitlines(), docs)] == \
        [json.loads(document_line(d)) for d in docs]
    path.write_bytes(documents_jsonl([docs[0], docs[0]]))
    for read in (read_documents, lambda p: load_jsonl_documents(p, gold=True)):
        with pytest.raises(NkbenchErrors) as err:
            read(path)
        assert f"{path}:2: document {docs[0].id!r} given twice (first on line 1)" in str(err.value)
