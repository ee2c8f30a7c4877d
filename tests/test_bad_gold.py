"""The bad-input suite for ``--gold`` (a sibling of tests/test_bad_input.py, with its harness): every
kind of source ``gold.read_gold`` recognises, fed wrong. Each case asserts the exit code, the
one-line message, no traceback and no internal error, and that no file changed (the temporary
folder and the project's folders are hashed before and after)."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from .test_bad_input import EXPORT, GOLD_FILE, PRED, ROOT, check_case, crash_dir, jsonl, write  # noqa: F401

DATA = ROOT / "data"
GOLD_EXPORT = ROOT / "annotation" / "gold_export.json"


def score(gold_of):
    """``score`` of a sound predictions file against the gold ``gold_of(tmp)`` makes."""
    def setup(t):
        return ["score", write(t / "p.jsonl", jsonl(PRED)), "--gold", gold_of(t), "--resamples", "0"]
    return setup


def dataset(t, edit_card=None, drop=()):
    """A copy of the project's data/ under ``t``, its card edited, some files left out."""
    dest = t / "ds"
    shutil.copytree(DATA, dest)
    for rel in drop:
        target = dest / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    if edit_card:
        card = dest / "README.md"
        card.write_text(edit_card(card.read_text(encoding="utf-8")), encoding="utf-8")
    return dest


def once(old, new):
    def edit(text):
        assert old in text, old
        return text.replace(old, new, 1)
    return edit


def without_documents_config(text):
    start = text.index("- config_name: documents")
    end = text.index("- config_name: ner")
    return text[:start] + text[end:]


def empty_dir(t):
    (t / "empty").mkdir()
    return t / "empty"


def fifo(t):
    os.mkfifo(t / "gold.fifo")
    return t / "gold.fifo"


def export_with_other_text(t):
    tasks = json.loads(GOLD_EXPORT.read_text(encoding="utf-8"))
    tasks[0]["data"]["text"] = tasks[0]["data"]["text"].replace("a", "á", 1)
    return write(t / "export.json", json.dumps(tasks))


def outside(t):
    (t / "away").mkdir()
    return ["score", write(t / "p.jsonl", jsonl(PRED))]


GOLD_CASES = [
    ("an empty folder", score(empty_dir), 1, "an empty folder, not a Hugging Face dataset"),
    ("a folder without a card", score(lambda t: (write(t / "f" / "notes.txt", "x"), t / "f")[1]), 1,
     "no dataset card (README.md)"),
    ("one config's folder (data/documents)", score(lambda t: dataset(t) / "documents"), 1,
     "it holds a Parquet file: is it one config of a dataset?"),
    ("a dataset folder without the documents config", score(lambda t: dataset(t, without_documents_config)), 1,
     "the dataset has no 'documents' config (configs: ner, claims, passes, entities, links, dev)"),
    ("ClassLabel names in another order", score(lambda t: dataset(t, once("'0': PER\n            '1': ORG",
                                                                           "'0': ORG\n            '1': PER"))), 1,
     "field 'mentions.label': ClassLabel id 0 is 'ORG', nkbench's is 'PER' (ids would decode to the wrong names)"),
    ("a card whose YAML does not parse", score(lambda t: dataset(t, once("configs:", "configs: [\n"))), 1,
     "its YAML header does not parse"),
    ("the documents Parquet file missing", score(lambda t: dataset(t, drop=["documents"])), 1,
     "datasets.load_dataset cannot load its 'documents' config"),
    ("a corrupt Parquet file", score(lambda t: (write(dataset(t) / "documents" / "test.parquet", "PAR1 not parquet"),
                                                t / "ds")[1]), 1,
     "datasets.load_dataset cannot load its 'documents' config"),
    ("a Parquet file given alone", score(lambda t: DATA / "documents" / "test.parquet"), 1,
     "a Parquet file, not a gold source on its own; give the dataset folder that holds it"),
    ("a Hub id, offline", score(lambda t: "no-such-org/no-such-dataset"), 1,
     "the Hugging Face Hub dataset 'no-such-org/no-such-dataset' could not be loaded"),
    ("a missing .jsonl", score(lambda t: t / "gold.jsonl"), 1, "no such file or folder, and not a Hub dataset id"),
    ("an empty file", score(lambda t: write(t / "gold.json", "")), 1, "empty file; --gold takes a Hugging Face dataset folder"),
    ("blank lines only", score(lambda t: write(t / "gold.jsonl", "\n  \n")), 1, "empty file"),
    ("a pretty-printed JSON object", score(lambda t: write(t / "gold.json", json.dumps({"tasks": EXPORT}, indent=2))), 1,
     "one JSON object over several lines: neither a Label Studio export (a list of tasks) nor JSON Lines"),
    ("a JSON list of documents", score(lambda t: write(t / "gold.json", json.dumps([json.loads(x) for x in
                                                                                    GOLD_FILE.read_text().splitlines()]))),
     1, "a JSON list whose items are not Label Studio tasks (no 'data')"),
    ("an empty JSON list", score(lambda t: write(t / "gold.json", "[]")), 1, "an empty JSON list: neither a Label Studio export"),
    ("a truncated export", score(lambda t: write(t / "gold.json", GOLD_EXPORT.read_text(encoding="utf-8")[:5000])), 1,
     "malformed JSON"),
    ("a CSV file", score(lambda t: write(t / "gold.csv", "id,text\n1,hello\n")), 1,
     "neither JSON nor JSON Lines (starts with 'id,text"),
    ("not UTF-8", score(lambda t: write(t / "gold.jsonl", b'{"id": "\xff"}\n')), 1, "not UTF-8 (byte 0xff"),
    ("a FIFO", score(fifo), 1, "not a regular file or folder"),
    ("an export whose text differs from the seed", score(export_with_other_text), 1,
     ["1 problem(s) in", "task 1 (doc '000_112b86200dab1a20'): text differs from its seed: first difference at offset 4"]),
    ("JSON Lines of documents without text", score(lambda t: write(t / "gold.jsonl", jsonl(PRED))), 1,
     ["19 problem(s) in", "gold.jsonl:1 (document 'd1'): text: missing field"]),
    ("no gold and no project", outside, 1, "--gold takes a Hugging Face dataset folder (e.g. data/), a Hub dataset id"),
    ("compare: a folder without a card", lambda t: ["compare", write(t / "a.jsonl", jsonl(PRED)),
                                                    write(t / "b.jsonl", jsonl(PRED)), "--gold", empty_dir(t)], 1,
     "an empty folder, not a Hugging Face dataset"),
    ("benchmark: ClassLabel mismatch", lambda t: ["benchmark", "--system", "capitalised", "--out-dir", t / "r", "--gold",
                                                  dataset(t, once("'0': PER\n            '1': ORG",
                                                                  "'0': ORG\n            '1': PER"))], 1,
     "ClassLabel id 0 is 'ORG', nkbench's is 'PER'"),
    ("benchmark: a Hub id, offline", lambda t: ["benchmark", "--system", "capitalised", "--out-dir", t / "r",
                                                "--gold", "org/name"], 1, "could not be loaded"),
]


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in GOLD_CASES], ids=[c[0] for c in GOLD_CASES])
def test_bad_gold(tmp_path, monkeypatch, setup, code, message):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("NKBENCH_PROJECT", raising=False)
    if setup is outside:
        monkeypatch.chdir(tmp_path)  # no nkbench.toml here or above
    result = check_case(tmp_path, setup, code, message)
    if isinstance(message, str):  # a single problem: one line
        assert len(result.output.strip().splitlines()) == 1, result.output
