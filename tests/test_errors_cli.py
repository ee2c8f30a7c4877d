"""``nkbench errors``: the --help example runs as written, the files agree with each other and with
``nkbench score``, outputs follow the project's rules, and the HTML is self-contained and escaped."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from nkbench.cli import main
from nkbench.benchmark.errors_report import TSV_COLUMNS, tsv_escape, tsv_unescape

from .project import PROJECT

GOLDEN = Path(__file__).parent / "golden" / "predictions"


def help_examples(command: list[str]) -> list[tuple[str, list[str]]]:
    """The ``$ nkbench ...`` lines of a command's --help and the output lines under each (up to a
    blank line)."""
    text = CliRunner().invoke(main, [*command, "--help"], terminal_width=200).output
    lines = text.splitlines()
    out = []
    for k, line in enumerate(lines):
        if line.strip().startswith("$ nkbench "):
            indent = len(line) - len(line.lstrip())
            expected = []
            for follow in lines[k + 1:]:
                if not follow.strip():
                    break
                expected.append(follow[indent:].rstrip())
            out.append((line.strip()[2:], expected))
    return out


def matches(expected: list[str], got: list[str]) -> bool:
    """``expected`` lines equal ``got``; a line ``...`` matches any number of lines."""
    if not expected:
        return not got
    if expected[0] == "...":
        return any(matches(expected[1:], got[k:]) for k in range(len(got) + 1))
    return bool(got) and expected[0] == got[0] and matches(expected[1:], got[1:])


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NKBENCH_PROJECT": str(PROJECT.root)}
    return subprocess.run([sys.executable, "-m", "nkbench", *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)


def test_the_help_example_runs_as_written_and_shows_its_real_output(tmp_path):
    examples = help_examples(["errors"])
    assert [cmd.split()[1] for cmd, _ in examples] == ["run", "errors"]
    for cmd, expected in examples:
        result = run_cli(shlex.split(cmd)[1:], tmp_path)
        assert result.returncode == 0, result.stdout
        got = [x.rstrip() for x in result.stdout.splitlines()]
        assert matches(expected, got), f"{cmd}\nexpected:\n" + "\n".join(expected) + "\ngot:\n" + "\n".join(got)
    assert sorted(os.listdir(tmp_path / "rules-errors")) == ["errors.html", "errors.json", "errors.tsv"]


def test_matches_wildcards():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"]) and matches(["a", "..."], ["a"])
    assert not matches(["a", "d"], ["a", "b", "d"]) and not matches(["a"], [])


def read_tsv(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and lines[0].split("\t") == list(TSV_COLUMNS)
    rows = []
    for line in lines[1:-1]:
        cells = line.split("\t")
        assert len(cells) == len(TSV_COLUMNS), line
        rows.append({k: tsv_unescape(v) for k, v in zip(TSV_COLUMNS, cells)})
    return rows


@pytest.fixture(scope="module")
def golden_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("golden") / "report"
    result = CliRunner().invoke(main, ["errors", str(GOLDEN / "predictions.jsonl"), "--gold", str(GOLDEN / "gold.jsonl"),
                                       "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_tsv_json_and_summary_agree_with_each_other_and_with_score(golden_report):
    from nkbench.annotation.gold import load_gold
    from nkbench.benchmark.scoring.harness import score
    from nkbench.benchmark.scoring.predictions import load_predictions

    out, printed = golden_report
    tsv = read_tsv(out / "errors.tsv")
    js = json.loads((out / "errors.json").read_text(encoding="utf-8"))
    assert len(tsv) == len(js["rows"]) > 0
    for t, j in zip(tsv, js["rows"]):
        assert (t["document"], t["layer"], t["outcome"], t["notes"]) == (j["document"], j["layer"], j["outcome"], "; ".join(j["notes"]))
        for side in ("gold", "pred"):
            s = j[side]
            want = ["", "", "", ""] if s is None else [str(s["start"]), str(s["end"]), s["type"], s["text"]]
            assert [t[f"{side}_{k}"] for k in ("start", "end", "type", "text")] == want
    gold = load_gold(GOLDEN / "gold.jsonl")
    pred, _ = load_predictions(GOLDEN / "predictions.jsonl", gold)
    rep = score(gold, pred, resamples=0)["layers"]
    for layer, v in js["counts"].items():
        m = rep[layer][v["metric"]]["micro"]
        assert (v["precision"], v["recall"], v["f1"]) == (m["precision"], m["recall"], m["f1"]), layer
        assert sum(1 for t in tsv if t["layer"] == layer and t["outcome"] == "correct") == m["correct"]
        assert f"{m['f1']:.3f}" in next(line for line in printed.splitlines() if line.startswith(layer))
    texts = {d.id: d.text for d in gold}
    for t in tsv:
        for side in ("gold", "pred"):
            if t[f"{side}_start"]:
                assert texts[t["document"]][int(t[f"{side}_start"]):int(t[f"{side}_end"])] == t[f"{side}_text"]


def test_rerun_into_its_own_folder_gives_the_same_bytes(golden_report, tmp_path):
    out, _ = golden_report
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = CliRunner().invoke(main, ["errors", str(GOLDEN / "predictions.jsonl"), "--gold", str(GOLDEN / "gold.jsonl"),
                                       "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_single_outputs_and_layer(tmp_path):
    result = CliRunner().invoke(main, ["errors", str(GOLDEN / "predictions.jsonl"), "--gold", str(GOLDEN / "gold.jsonl"),
                                       "--layer", "events", "--tsv", str(tmp_path / "e.tsv")])
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(tmp_path)) == ["e.tsv"]
    rows = read_tsv(tmp_path / "e.tsv")
    assert rows and {r["layer"] for r in rows} == {"events"}
    assert [line.split()[0] for line in result.output.splitlines()[:2]] == ["layer", "events"]


@settings(deadline=None, max_examples=300, derandomize=True)
@given(st.text(alphabet=st.sampled_from("ab\\\t\n\rtnr😀 ")))
def test_tsv_escaping_round_trips(text):
    cell = tsv_escape(text)
    assert "\t" not in cell and "\n" not in cell and "\r" not in cell
    assert tsv_unescape(cell) == text


HOSTILE = '</script><script>alert(1)</script> <b>bold</b> & "q" 😀 Ana'


def hostile_files(tmp_path: Path) -> tuple[Path, Path]:
    start = HOSTILE.index("Ana")
    gold = {"id": "x<script>", "language": "en", "text": HOSTILE,
            "mentions": [{"id": "m1", "start": 0, "end": 9, "text": HOSTILE[0:9], "label": "ORG"},
                         {"id": "m2", "start": start, "end": start + 3, "text": "Ana", "label": "PER"}], "events": [], "cues": [], "claims": []}
    pred = {"id": "x<script>", "language": "en",
            "mentions": [{"id": "p1", "start": 2, "end": 9, "text": HOSTILE[2:9], "label": "ORG"}]}
    g, p = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    g.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    p.write_text(json.dumps(pred) + "\n", encoding="utf-8")
    return g, p


def test_html_is_self_contained_and_escapes_text(tmp_path):
    g, p = hostile_files(tmp_path)
    result = CliRunner().invoke(main, ["errors", str(p), "--gold", str(g), "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count("<script") == 2  # the colours (JSON) and the page's own script, nothing from the data
    import html

    shown = re.search(r'<div class="text">(.*?)</div>', page, re.S).group(1)
    assert html.unescape(re.sub(r"<[^>]*>", "", shown)) == HOSTILE  # only our own tags in the text
    assert set(re.findall(r"<(\w+)", shown)) == {"span"}
    assert "<b>bold" not in page and "alert(1)</script>" not in page
    assert not re.search(r"(?i)(https?:|//[a-z]|\bsrc=|\bhref=|@import|url\()", page)
    assert "default-src 'none'" in page


def test_a_document_missing_from_the_predictions_is_all_missed_and_said(tmp_path):
    from .test_bad_input import GOLD, PRED, jsonl

    assert len(GOLD) > 1 and PRED["id"] == GOLD[0]["id"]
    (tmp_path / "p.jsonl").write_text(jsonl(PRED), encoding="utf-8")
    result = CliRunner().invoke(main, ["errors", str(tmp_path / "p.jsonl"), "--gold", str(GOLDEN / "gold.jsonl"),
                                       "--tsv", str(tmp_path / "e.tsv")])
    assert result.exit_code == 0, result.output
    missing = [g["id"] for g in GOLD[1:]]
    assert f"note: {len(missing)} gold document(s) not in" in result.output and missing[0] in result.output
    rows = [r for r in read_tsv(tmp_path / "e.tsv") if r["document"] in missing]
    assert rows and {r["outcome"] for r in rows} == {"missed"}
