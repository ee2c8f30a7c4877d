"""Reports people read (issue 13, item 5): --by sections (per type, per language with CIs, per
document) in the table and Markdown reports, --language, file names in compare, '-' for stdin,
and the JSON report's provenance (nkbench version, gold hash)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from nkbench import __version__
from nkbench.cli import main
from nkbench.annotation.gold import load_gold
from nkbench.core.io import documents_jsonl
from nkbench.benchmark.scoring.harness import score
from nkbench.benchmark.scoring.predictions import load_predictions
from nkbench.benchmark.scoring.stats import bootstrap_ci

HERE = Path(__file__).parent / "golden" / "predictions"
GOLD, PRED = HERE / "gold.jsonl", HERE / "predictions.jsonl"


def run(*args, input=None):
    r = CliRunner().invoke(main, [str(a) for a in args], input=input)
    assert r.exit_code == 0 and "Traceback" not in r.output, r.output
    return r.output


def test_by_sections_hold_the_json_figures():
    report = json.loads(run("score", PRED, "--gold", GOLD, "--resamples", "50", "--format", "json"))
    out = run("score", PRED, "--gold", GOLD, "--resamples", "50", "--by", "type,language,document")
    for title in ("By type:", "By language:", "By document:"):
        assert title in out
    lines = out.splitlines()
    for layer, section in report["layers"].items():
        for metric, s in section.items():
            if not isinstance(s, dict) or s.get("kind") != "prf":
                continue
            for key, groups in (("per_label", s["per_label"]), ("per_language", s["per_language"]),
                                ("per_document", s["per_document"])):
                for group, fig in groups.items():
                    cells = [layer, metric, group, str(fig["correct"]), str(fig["incorrect"]), str(fig["partial"]),
                             str(fig["missed"]), str(fig["spurious"])]
                    assert any(line.split()[:8] == cells for line in lines), (key, cells)
            for lang, fig in s["per_language"].items():
                ci = fig["ci"]
                shown = "n/a" if not ci else f"[{ci[0]:.3f}, {ci[1]:.3f}]"
                assert any(line.split()[:3] == [layer, metric, lang] and line.endswith(shown) for line in lines), (metric, lang)
    md = run("score", PRED, "--gold", GOLD, "--resamples", "50", "--by", "language", "--format", "markdown")
    assert "### By language" in md and "| layer | metric | language |" in md and "By type" not in md


def test_per_language_ci_resamples_only_that_languages_units():
    """The interval of a language is the bootstrap of its own units: same as scoring that language alone."""
    gold = load_gold(GOLD)
    pred, _ = load_predictions(PRED, gold)
    both = score(gold, pred, ["entities"], resamples=200, seed=3)
    for lang in ("en", "es"):
        g = [d for d in gold if d.language == lang]
        alone = score(g, [p for p in pred if p.language == lang], ["entities"], resamples=200, seed=3)
        for metric in ("strict", "partial"):
            assert both["layers"]["entities"][metric]["per_language"][lang]["ci"] == alone["layers"]["entities"][metric]["micro"]["ci"]
    assert bootstrap_ci(np.zeros((0, 5), np.int64)) is None


def test_language_option_scores_one_language():
    es = json.loads(run("score", PRED, "--gold", GOLD, "--resamples", "0", "--format", "json", "--language", "es"))
    assert es["language"] == "es" and es["documents"]["gold"] == 1
    assert list(es["layers"]["entities"]["strict"]["per_language"]) == ["es"]
    full = json.loads(run("score", PRED, "--gold", GOLD, "--resamples", "0", "--format", "json"))
    assert {k: v for k, v in es["layers"]["entities"]["strict"]["micro"].items() if k != "ci"} == \
        {k: v for k, v in full["layers"]["entities"]["strict"]["per_language"]["es"].items() if k != "ci"}
    assert "language: es only (1 gold documents)" in run("score", PRED, "--gold", GOLD, "--resamples", "0", "--language", "es")


def test_json_report_records_version_and_gold_hash():
    report = json.loads(run("score", PRED, "--gold", GOLD, "--resamples", "0", "--format", "json"))
    assert report["nkbench_version"] == __version__
    assert report["gold"]["sha256"] == hashlib.sha256(documents_jsonl(load_gold(GOLD))).hexdigest()
    assert report["gold"]["source"] == str(GOLD) and report["gold"]["documents"] == 2
    other = json.loads(run("compare", PRED, PRED, "--gold", GOLD, "--resamples", "5", "--format", "json"))
    assert other["gold"]["sha256"] == report["gold"]["sha256"] and other["nkbench_version"] == __version__


def test_compare_names_the_files_and_reads_stdin():
    out = run("compare", PRED, "-", "--gold", GOLD, "--resamples", "5", "--layer", "entities", input=PRED.read_bytes())
    head = out.splitlines()[0].split()
    assert head[:4] == ["layer", "metric", str(PRED), "<stdin>"]
    assert f"B - A: <stdin> minus {PRED}" in out
    assert "missing from <stdin>" in out and "missing from A" not in out


def test_not_predicted_layers_are_noted(tmp_path):
    only = tmp_path / "p.jsonl"
    line = json.loads(PRED.read_text(encoding="utf-8").splitlines()[0])
    only.write_text(json.dumps({"id": line["id"], "mentions": line["mentions"]}) + "\n", encoding="utf-8")
    report = json.loads(run("score", only, "--gold", GOLD, "--resamples", "0", "--format", "json"))
    assert report["not_predicted"] == ["events", "claims"]
    assert "events: not predicted (the predictions have no events)" in run("score", only, "--gold", GOLD, "--resamples", "0")
