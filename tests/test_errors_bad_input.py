"""Bad input for ``nkbench errors`` (the suite's harness, tests/test_bad_input.py): exit code,
message, no traceback, nothing changed outside the case's expected output."""

from __future__ import annotations

import os

import pytest

from .test_bad_input import EXPORT, GOLD, GOLD_FILE, PRED, check_case, crash_dir, jsonl, pred, write  # noqa: F401 (fixture)


def errors_with(content, *extra, gold_content=None):
    def setup(tmp):
        p = write(tmp / "p.jsonl", content)
        g = write(tmp / "g.jsonl", gold_content) if gold_content is not None else GOLD_FILE
        return ["errors", p, "--gold", g, *extra]
    return setup


def with_out(*extra, prepare=lambda t: None, changes=()):
    """The golden predictions, with outputs ``extra(tmp)``; ``prepare(tmp)`` makes the scene."""
    def setup(tmp):
        p = write(tmp / "p.jsonl", jsonl(PRED))
        prepare(tmp)
        args = ["errors", p, "--gold", GOLD_FILE, *(x(tmp) if callable(x) else x for x in extra)]
        return args, changes
    return setup


def foreign_folder(t):
    write(t / "out" / "notes.txt", "mine")


def predictions_inside(t):
    (t / "out").mkdir()
    write(t / "out" / "p.jsonl", jsonl(PRED))


CASES = [
    ("missing predictions", lambda t: ["errors", t / "nope.jsonl", "--gold", GOLD_FILE], 1, "nope.jsonl: no such file"),
    ("predictions is a folder", lambda t: ["errors", t, "--gold", GOLD_FILE], 2, "is a directory"),
    ("missing gold", lambda t: ["errors", write(t / "p.jsonl", jsonl(PRED)), "--gold", t / "g.jsonl"], 1, "g.jsonl: no such file"),
    ("empty predictions", errors_with(""), 1, "empty file"),
    ("malformed JSON", errors_with('{"id": "d1",\n'), 1, ["p.jsonl:1", "malformed JSON"]),
    ("a Label Studio export as predictions", errors_with(EXPORT), 1, ["p.jsonl:1", "expected a JSON object"]),
    ("not UTF-8", errors_with(b'{"id": "d1", "mentions": [{"start": 0, "end": 3, "label": "PER", "text": "\xe9"}]}\n'), 1, "not UTF-8"),
    ("unknown document", errors_with(jsonl(pred(id="d9"))), 1, ["p.jsonl:1", "'d9'", "unknown document id", "did you mean"]),
    ("unknown entity type", errors_with(jsonl(pred(mentions__0__label="GEP"))), 1, ["p.jsonl:1", "GEP", "did you mean 'GPE'"]),
    ("offsets out of range", errors_with(jsonl(pred(mentions__0__end=10_000))), 1, ["p.jsonl:1", "10000"]),
    ("span text differs from the gold", errors_with(jsonl(pred(mentions__0__text="Armenia"))), 1, ["p.jsonl:1", "text"]),
    ("gold without text", errors_with(jsonl(PRED), gold_content=jsonl({k: v for k, v in GOLD[0].items() if k != "text"}, *GOLD[1:])),
     1, ["g.jsonl:1", "text"]),
    ("unknown layer", errors_with(jsonl(PRED), "--layer", "entity"), 1, ["--layer", "unknown layer 'entity'", "did you mean 'entities'"]),
    ("unknown layer, nothing close", errors_with(jsonl(PRED), "--layer", "xyz"), 1, ["unknown layer 'xyz'", "known: claims, entities, events"]),
    ("--tsv is the predictions", with_out("--tsv", lambda t: t / "p.jsonl"), 1, ["--tsv", "is the input", "overwritten"]),
    ("--html is the gold", lambda t: ["errors", write(t / "p.jsonl", jsonl(PRED)), "--gold", write(t / "g.jsonl", jsonl(*GOLD)),
                                      "--html", t / "g.jsonl"], 1, ["--html", "is the input"]),
    ("--json via a symlink to the predictions", with_out("--json", lambda t: t / "link.json",
                                                         prepare=lambda t: os.symlink(t / "p.jsonl", t / "link.json")),
     1, "is the input"),
    ("--out-dir is the predictions", with_out("--out-dir", lambda t: t / "p.jsonl"), 1, ["--out-dir", "is the input"]),
    ("--out-dir holds the predictions", lambda t: (predictions_inside(t), ["errors", t / "out" / "p.jsonl", "--gold", GOLD_FILE,
                                                                           "--out-dir", t / "out"])[-1],
     1, ["holds the input"]),
    ("--out-dir holds a file not ours", with_out("--out-dir", lambda t: t / "out", prepare=foreign_folder), 1,
     ["out", "'notes.txt'", "did not write", "nothing is replaced"]),
    ("--out-dir holds a folder named errors.html", with_out("--out-dir", lambda t: t / "out",
                                                            prepare=lambda t: (t / "out" / "errors.html").mkdir(parents=True)),
     1, ["errors.html", "is a folder"]),
    ("--out-dir is a file", with_out("--out-dir", lambda t: t / "x.txt", prepare=lambda t: write(t / "x.txt", "x")), 1,
     ["x.txt", "is not a folder"]),
    ("--out-dir is a dangling symlink", with_out("--out-dir", lambda t: t / "link", prepare=lambda t: os.symlink(t / "nowhere", t / "link")),
     1, ["link", "dangling symlink"]),
    ("--out-dir and --tsv", with_out("--out-dir", lambda t: t / "out", "--tsv", lambda t: t / "e.tsv"), 1, "not both"),
    ("--tsv and --html the same file", with_out("--tsv", lambda t: t / "e.txt", "--html", lambda t: t / "e.txt"), 1,
     ["--html and --tsv are the same file"]),
    ("--html is a folder", with_out("--html", lambda t: t / "dir", prepare=lambda t: (t / "dir").mkdir()), 2, "is a directory"),
    ("--html is a FIFO", with_out("--html", lambda t: t / "fifo", prepare=lambda t: os.mkfifo(t / "fifo")), 1, "is a FIFO"),
    ("--json under a file", with_out("--json", lambda t: t / "x.txt" / "e.json", prepare=lambda t: write(t / "x.txt", "x")), 1,
     ["e.json", "cannot inspect the output (Not a directory)"]),
    ("unknown option", errors_with(jsonl(PRED), "--out", "x.html"), 2, "No such option '--out'"),
]


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_errors_bad_input(tmp_path, setup, code, message):
    check_case(tmp_path, setup, code, message)


def test_nothing_is_written_when_one_output_fails(tmp_path):
    """--tsv fine, --json unwritable (a folder where no file can be made, even by root): neither is
    written (outputs are all or none)."""
    setup = with_out("--tsv", lambda t: t / "e.tsv", "--json", "/proc/nkbench-errors.json")
    check_case(tmp_path, setup, 1, ["/proc/nkbench-errors.json", "cannot write", "none of the 2 output file(s) was written"])
    assert not (tmp_path / "e.tsv").exists()


def test_its_own_folder_is_updated(tmp_path):
    """A folder holding only what `nkbench errors` writes is ours: the files are replaced."""
    (tmp_path / "out").mkdir()
    write(tmp_path / "out" / "errors.tsv", "old")
    setup = with_out("--out-dir", lambda t: t / "out", changes=("out/errors.tsv", "out/errors.json", "out/errors.html"))
    result = check_case(tmp_path, setup, 0, "wrote")
    assert (tmp_path / "out" / "errors.tsv").read_text(encoding="utf-8").startswith("document\tlayer\toutcome")
    assert "entities" in result.output


def test_no_gold_outside_a_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NKBENCH_PROJECT", raising=False)
    check_case(tmp_path, lambda t: ["errors", write(t / "p.jsonl", jsonl(PRED))], 1,
               ["no gold given", "not inside an nkbench project", "--gold"])
