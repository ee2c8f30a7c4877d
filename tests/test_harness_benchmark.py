"""Your own system on the leaderboard (issue 13, item 4): external predictions are scored beside
the baselines with the same metrics and error kinds; a layer a system does not predict is "not
predicted", never a row of zeros."""

from __future__ import annotations

import json

from click.testing import CliRunner

from nkbench.benchmark import leaderboard as lb
from nkbench.cli import main
from nkbench.benchmark.systems import run_system
from nkbench.core.io import documents_jsonl
from nkbench.core.model import Document

from .project import copy_project, gold


def test_external_predictions_score_exactly_like_the_baseline_that_made_them():
    g = gold()
    preds, _ = run_system("rules", [Document(d.id, d.language, d.text) for d in g])
    results = lb.run_benchmark(g, ("rules",), resamples=30, external={"mine": (preds, {})})
    assert list(results) == ["rules", "mine"]
    assert results["mine"]["report"] == results["rules"]["report"]
    assert results["mine"]["errors"] == results["rules"]["errors"]
    md = lb.markdown(results)
    rules_rows = [line.replace("| rules |", "|", 1) for line in md.splitlines() if line.startswith("| rules |")]
    mine_rows = [line.replace("| mine |", "|", 1) for line in md.splitlines() if line.startswith("| mine |")]
    assert rules_rows == mine_rows and len(rules_rows) == 3


def test_layers_not_predicted_are_named_not_zero():
    g = gold()
    only_entities = [Document(d.id, d.language, None, tuple(m for m in d.mentions if not m.nominal)) for d in g]
    results = lb.run_benchmark(g, (), resamples=10, external={"ner-only": (only_entities, {})})
    r = results["ner-only"]
    assert r["report"]["not_predicted"] == ["events", "claims"]
    assert set(r["errors"]) == {"entities"} and r["errors"]["entities"] == []
    md = lb.markdown(results)
    assert "| ner-only | events | not predicted | not predicted |" in md
    assert "| ner-only | entities | 1.000 [1.00, 1.00] |" in md
    assert "0.000 [0.00, 0.00]" not in md
    assert "events: not predicted; claims: not predicted" in md


def test_benchmark_predictions_cli(tmp_path):
    """The real command in a copy of the project: the file is checked, scored, written, shown."""
    root = copy_project(tmp_path / "p")
    g = gold()
    mine = root / "mine.jsonl"
    mine.write_bytes(documents_jsonl([Document(d.id, d.language, None, d.mentions) for d in g[1:]], with_text=False))
    r = CliRunner().invoke(main, ["--project", str(root), "benchmark", "--system", "capitalised", "--predictions",
                                  f"gold-mentions={mine}", "--resamples", "10"])
    assert r.exit_code == 0, r.output
    result = json.loads((root / "benchmark" / "results" / "gold-mentions.json").read_text(encoding="utf-8"))
    assert result["notes"] == {"gold documents missing from the predictions (scored as empty)": 1}
    assert result["report"]["documents"]["missing"] == [g[0].id]
    strict = result["report"]["layers"]["entities"]["strict"]["micro"]
    assert strict["spurious"] == 0 and strict["incorrect"] == 0 and strict["missed"] == sum(not m.nominal for m in g[0].mentions)
    assert "| gold-mentions | events | not predicted | not predicted |" in r.output
