"""Bad input through the command line: a clear message naming file:line/document/span, a
non-zero exit, never a traceback."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkbench.cli import main
from tests.project import gold as PROJECT_GOLD

HERE = Path(__file__).parent / "golden" / "predictions"
GOLD = str(HERE / "gold.jsonl")
PRED = json.loads((HERE / "predictions.jsonl").read_text())


def run(tmp_path, content, *extra, name="p.jsonl"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return CliRunner().invoke(main, ["score", str(path), "--gold", GOLD, "--resamples", "20", *extra])


def line(obj):
    return json.dumps(obj, ensure_ascii=False) + "\n"


def mutate(**changes):
    obj = json.loads(json.dumps(PRED))
    for path, value in changes.items():
        layer, index, field = path.split("__")
        obj[layer][int(index)][field] = value
    return obj


CASES = [
    ("malformed JSON", line(PRED) + '{"id": "d2", \n', ["p.jsonl:2", "malformed JSON"]),
    ("wrong field type", line(mutate(mentions__0__start="0")), ["p.jsonl:1", "mentions[0].start", "expected int, got str"]),
    ("out of range", line(mutate(mentions__0__end=999)), ["p.jsonl:1", "mention 'p1'", "out of range"]),
    ("reversed", line(mutate(mentions__0__start=9, mentions__0__end=2)), ["p.jsonl:1", "reversed"]),
    ("unknown document", line({**PRED, "id": "d3"}), ["p.jsonl:1", "unknown document id", "did you mean 'd"]),
    ("duplicate span", line({**PRED, "mentions": PRED["mentions"] + [{**PRED["mentions"][0], "id": "again"}]}),
     ["p.jsonl:1", "duplicate span", "mention [0:10] GPE given 2 times"]),
    ("unknown label", line(mutate(mentions__0__label="GEP")), ["p.jsonl:1", "unknown entity type 'GEP'", "did you mean 'GPE'"]),
    ("empty file", "", ["empty file"]),
    ("blank lines only", "\n\n", ["empty file"]),
    ("not UTF-8", b'{"id": "d1", "mentions": [{"start": 0, "end": 3, "label": "PER", "text": "\xe9"}]}\n', ["not UTF-8", "p.jsonl:1"]),
    ("not an object", "[1, 2]\n", ["p.jsonl:1", "expected a JSON object"]),
    ("document twice", line(PRED) + line(PRED), ["p.jsonl:2", "given twice"]),
    ("span text mismatch", line(mutate(mentions__0__text="Azerbaiján")), ["does not match"]),
    ("dangling argument", line({**PRED, "events": [{**PRED["events"][0], "arguments": [{"role": "Place", "mention": "nope"}]}]}),
     ["missing entity mention"]),
    ("wrong language", line({**PRED, "language": "es"}), ["language 'es' but the gold document is 'en'"]),
]


@pytest.mark.parametrize("content, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_a_clear_message(tmp_path, content, expected):
    r = run(tmp_path, content)
    assert r.exit_code != 0
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output
    for text in expected:
        assert text in r.output, (text, r.output)


def test_unknown_labels_can_be_counted_as_spurious_never_dropped(tmp_path):
    bad = mutate(mentions__0__label="GEP")
    r = run(tmp_path, line(bad), "--unknown-labels", "spurious", "--format", "json", "--layer", "entities")
    assert r.exit_code == 0, r.output
    strict = json.loads(r.output)["layers"]["entities"]["strict"]
    # Azerbaijan was correct; with an unknown label it is spurious and the gold Azerbaijan is missed
    assert strict["micro"]["spurious"] == 2 and strict["micro"]["missed"] == 3 and strict["micro"]["actual"] == 5
    assert strict["per_label"]["GEP"]["spurious"] == 1
    exact = json.loads(r.output)["layers"]["entities"]["exact"]
    assert exact["micro"]["correct"] == 2  # spurious in every scheme, even where boundaries match


def test_missing_documents_are_scored_as_empty_and_reported(tmp_path):
    r = run(tmp_path, line(PRED), "--format", "json", "--layer", "entities")
    data = json.loads(r.output)
    assert data["documents"]["missing"] == ["d2"]
    assert data["layers"]["entities"]["strict"]["per_document"]["d2"]["missed"] == 1
    table = run(tmp_path, line(PRED), "--layer", "entities")
    assert "1 gold document(s) missing from the predictions, scored as empty: d2" in table.output


def test_default_gold_is_the_committed_export(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(line({"id": "003_80680643ca28e344", "mentions": []}))
    r = CliRunner().invoke(main, ["score", str(path), "--layer", "entities", "--resamples", "10", "--format", "json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    n_gold = len(PROJECT_GOLD())
    assert report["documents"]["gold"] == n_gold and len(report["documents"]["missing"]) == n_gold - 1
    assert report["layers"]["entities"]["strict"]["micro"]["precision"] is None  # nothing predicted: undefined


def test_missing_file_and_bad_gold(tmp_path):
    r = CliRunner().invoke(main, ["score", str(tmp_path / "nope.jsonl"), "--gold", GOLD])
    assert r.exit_code != 0 and "no such file" in r.output
    gold = tmp_path / "g.jsonl"
    gold.write_text(line({"id": "d1", "language": "en", "mentions": []}))
    r = CliRunner().invoke(main, ["score", str(HERE / "predictions.jsonl"), "--gold", str(gold)])
    assert r.exit_code != 0 and "g.jsonl:1" in r.output and "text: missing field" in r.output
