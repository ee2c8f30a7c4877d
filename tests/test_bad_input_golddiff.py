"""Bad input to ``nkbench annotate diff OLD NEW`` (the bad-input suite's harness: exit code, message,
no traceback, nothing changed on disk)."""

from __future__ import annotations

import pytest

from .test_bad_input import GOLD, GOLD_FILE, check_case, jsonl, write

V2 = "annotation/versions/gold-2.0.0.jsonl"


def diff(old, new="data"):
    def setup(tmp):
        a = old(tmp) if callable(old) else old
        b = new(tmp) if callable(new) else new
        return ["annotate", "diff", a, b]
    return setup


DUP = {**GOLD[0], "mentions": GOLD[0]["mentions"] + [{**GOLD[0]["mentions"][0], "id": "again"}]}

CASES = [
    ("OLD missing", diff(lambda t: t / "none.jsonl"), 1, "no such file"),
    ("NEW missing", diff(V2, lambda t: t / "none.json"), 1, "no such file"),
    ("not gold (Markdown)", diff(lambda t: write(t / "x.md", "# hello\n")), 1, "neither JSON nor JSON Lines"),
    ("empty file", diff(lambda t: write(t / "e.jsonl", "")), 1, "empty"),
    ("folder that is not a dataset", diff(lambda t: (t / "d").mkdir() or t / "d"), 1, "Error:"),
    ("gold with a duplicate span", diff(lambda t: write(t / "dup.jsonl", jsonl(DUP)), str(GOLD_FILE)), 1,
     ["duplicate span: mention", "given 2 times"]),
    ("document without text", diff(lambda t: write(t / "nt.jsonl", jsonl({k: v for k, v in GOLD[0].items() if k != "text"}))),
     1, "text"),
    ("no arguments", lambda t: ["annotate", "diff"], 2, "Missing argument"),
]


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_annotate_diff_bad_input(tmp_path, setup, code, message, monkeypatch):
    from .project import PROJECT

    monkeypatch.chdir(PROJECT.root)
    check_case(tmp_path, setup, code, message)
