import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from nkbench.core import schema
from nkbench.cli import main
from nkbench.annotation.labelstudio.convert import document_to_results, results_to_document
from nkbench.core.io import read_documents
from nkbench.annotation.labelstudio.tasks import gold_tasks, seed_tasks
from nkbench.annotation.labelstudio.validate import load_export, read_export
from nkbench.core.model import (Argument, Claim, Cue, Document, Event, Mention, NumericValue, check_document,
                           document_to_dict)
from nkbench.annotation.seeds import Seed, load_seeds
from nkbench.core.validity import structural_problems
from tests.project import PROJECT

GOLDEN = Path(__file__).parent / "golden" / "labelstudio"
# accents, guillemets, curly quotes, NBSP, newlines, astral-plane characters (emoji, flags, math letters)
ALPHABET = list("abcXYZ áéíóúñüÁÉ«»“”‘’\u00a0\n\t.,;-0123") + ["😀", "🇦", "🇲", "𝔸", "🕊"]
IDS = st.text(alphabet=list("abcxyzAZ09_-é"), min_size=1, max_size=6)
NUMBER = st.one_of(st.integers(0, 10**7), st.floats(0, 1e7, allow_nan=False, allow_infinity=False))


@st.composite
def documents(draw):
    text = draw(st.text(alphabet=ALPHABET, min_size=1, max_size=60))
    n = len(text)

    def span():
        start = draw(st.integers(0, n - 1))
        return start, draw(st.integers(start + 1, n))

    def ident(prefix, i):  # unique by index, otherwise arbitrary (Label Studio ids are opaque)
        return f"{prefix}{i}{draw(IDS)}"

    mentions = []
    for i in range(draw(st.integers(0, 4))):
        s, e = span()
        mentions.append(Mention(ident("m", i), s, e, text[s:e], draw(st.sampled_from(schema.ENTITY_TYPES)),
                                draw(st.none() | IDS), draw(st.booleans())))
    events = []
    for i in range(draw(st.integers(0, 3))):
        s, e = span()
        label = draw(st.sampled_from(list(schema.EVENT_TYPES)))
        args = ()
        if mentions:
            args = tuple(dict.fromkeys(  # an argument is given once (a duplicate is an error)
                Argument(draw(st.sampled_from(schema.EVENT_TYPES[label][0])), draw(st.sampled_from(mentions)).id)
                for _ in range(draw(st.integers(0, 3)))))
        events.append(Event(ident("e", i), s, e, text[s:e], label, args,
                            draw(st.sampled_from(schema.POLARITY)), draw(st.sampled_from(schema.REALIS))))
    cues = []
    for i in range(draw(st.integers(0, 2))):
        s, e = span()
        cues.append(Cue(ident("c", i), s, e, text[s:e]))
    claims = []
    for i in range(draw(st.integers(0, 3))):
        s, e = span()
        value = None
        if draw(st.booleans()):
            low, high = draw(st.none() | NUMBER), draw(st.none() | NUMBER)
            if low is None and high is None:
                low = draw(NUMBER)
            if low is not None and high is not None and low > high:
                low, high = high, low
            value = NumericValue(low, high, draw(st.sampled_from(schema.HEDGES)), draw(st.sampled_from(schema.COUNTED)))
        claims.append(Claim(ident("k", i), s, e, text[s:e], draw(st.sampled_from(schema.STANCES)),
                            draw(st.none() | st.sampled_from([m.id for m in mentions] or [None])),
                            draw(st.none() | st.sampled_from([c.id for c in cues] or [None])),
                            draw(st.none() | st.sampled_from([c.id for c in claims] or [None])),  # earlier claims: no loop
                            value, draw(st.none() | IDS)))
    doc = Document("d1", draw(st.sampled_from(["es", "en"])), text, tuple(mentions), tuple(events), tuple(cues), tuple(claims))
    assert check_document(doc) == []
    assume(structural_problems(doc) == [])  # no span twice in a layer: the converter rejects that too
    return doc


def _seed_for(doc: Document) -> dict:
    return {doc.id: Seed(doc.id, doc.language, "0" * 64, len(doc.text), None, "inferred", "", None, doc.text)}


@settings(derandomize=True, max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), documents())
def test_gold_to_label_studio_and_back_is_the_identity(doc, other):
    # one annotation, through JSON
    results = json.loads(json.dumps(document_to_results(doc), ensure_ascii=False))
    again, problems = results_to_document(results, doc_id=doc.id, language=doc.language, text=doc.text)
    assert problems == [] and again == doc
    assert document_to_dict(again) == document_to_dict(doc)
    # whole tasks with a second annotator's pass on the same text, through the export reader
    seeds = _seed_for(doc)
    other = Document(doc.id, doc.language, doc.text, *(getattr(other, k) for k in ("mentions", "events", "cues", "claims")))
    if structural_problems(other):  # the other draw's spans may not fit this text
        other = Document(doc.id, doc.language, doc.text)
    tasks = json.loads(json.dumps(gold_tasks([doc], seeds, {"ana": [other]})))
    [task] = read_export(tasks, seeds)
    assert task.gold == doc and task.gold_annotator == "adjudicator"
    assert dict(task.passes) == {"ana": other, "adjudicator": doc}


def test_golden_export_converts_to_golden_gold(tmp_path):
    out, passes = tmp_path / "gold.jsonl", tmp_path / "passes"
    r = CliRunner().invoke(main, ["annotate", "convert", str(GOLDEN / "export.json"), "--out", str(out),
                                  "--passes-out", str(passes)])
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8") == (GOLDEN / "gold.jsonl").read_text(encoding="utf-8")
    assert (passes / "2.jsonl").read_text(encoding="utf-8") == (GOLDEN / "pass_2.jsonl").read_text(encoding="utf-8")
    assert "task 7 (001_72a5ace2c57cf10c): gold by 1; passes: 2" in r.output


def test_golden_export_library_view_has_gold_and_every_pass():
    tasks = load_export(GOLDEN / "export.json", load_seeds(PROJECT.seeds_dir))
    assert [(t.task_id, t.doc_id, t.gold_annotator, sorted(t.passes)) for t in tasks] == [
        (7, "001_72a5ace2c57cf10c", "1", ["1", "2"]), (8, "002_2476f1cd8ed7decf", "1", ["1"])]
    nested = {c.id: c for c in tasks[0].gold.claims}["1nn3r_cl4m"]
    # the cue relation was drawn right-to-left in the UI (direction "left"): read the right way round
    assert (nested.parent, nested.source, nested.cue) == ("0ut3r_cl4m", "P3sk0v_per", "d1j0_3_cue")


def test_gold_export_command_round_trips_with_passes(tmp_path):
    tasks_file, back = tmp_path / "tasks.json", tmp_path / "back.jsonl"
    r = CliRunner().invoke(main, ["annotate", "export", str(GOLDEN / "gold.jsonl"), "--pass",
                                  f"ben={GOLDEN / 'pass_2.jsonl'}", "--out", str(tasks_file)])
    assert r.exit_code == 0, r.output
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    assert [[(a["completed_by"], a["ground_truth"]) for a in t["annotations"]] for t in tasks] == [
        [("ben", False), ("adjudicator", True)], [("adjudicator", True)]]
    r = CliRunner().invoke(main, ["annotate", "convert", str(tasks_file), "--out", str(back)])
    assert r.exit_code == 0, r.output
    assert back.read_text(encoding="utf-8") == (GOLDEN / "gold.jsonl").read_text(encoding="utf-8")
    assert load_export(tasks_file, load_seeds(PROJECT.seeds_dir))[0].passes["ben"] == read_documents(GOLDEN / "pass_2.jsonl")[0]


def test_seed_tasks_with_and_without_predictions(tmp_path):
    seeds = load_seeds(PROJECT.seeds_dir)
    plain = seed_tasks(seeds)
    assert [t["data"]["doc_id"] for t in plain] == list(seeds)
    assert all(t["data"]["text"] == seeds[t["data"]["doc_id"]].text and "predictions" not in t for t in plain)
    # a predictions file in the model's JSON form without text or ids
    text = seeds["002_2476f1cd8ed7decf"].text
    s = text.index("Azerbaijan")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": "002_2476f1cd8ed7decf", "mentions": [{"start": s, "end": s + 10, "label": "GPE"}]}) + "\n")
    out = tmp_path / "tasks.json"
    r = CliRunner().invoke(main, ["annotate", "tasks", "--predictions", str(pred), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert f"wrote {len(load_seeds(PROJECT.seeds_dir))} tasks (1 with predictions)" in r.output
    [task] = [t for t in json.loads(out.read_text(encoding="utf-8")) if "predictions" in t]
    assert task["predictions"][0]["model_version"] == "pred"
    assert task["predictions"][0]["result"][0]["value"] == {"start": s, "end": s + 10, "text": "Azerbaijan", "labels": ["GPE"]}
    # a prediction off the seed text is an error, not a silent pre-annotation
    pred.write_text(json.dumps({"id": "002_2476f1cd8ed7decf", "mentions": [{"start": s, "end": 99999, "label": "GPE"}]}) + "\n")
    r = CliRunner().invoke(main, ["annotate", "tasks", "--predictions", str(pred)])
    assert r.exit_code != 0 and "out of range" in r.output and "Traceback" not in r.output
