"""The hand-computed golden case (tests/golden/predictions/README.md explains every number)."""

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from nkbench.cli import main
from nkbench.model import document_to_dict
from nkbench.scoring.harness import score
from nkbench.scoring.jsonschema import prediction_schema
from nkbench.scoring.predictions import load_gold, load_predictions

HERE = Path(__file__).parent / "golden" / "predictions"
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def report():
    gold = load_gold(HERE / "gold.jsonl")
    pred, missing = load_predictions(HERE / "predictions.jsonl", gold)
    assert missing == ["d2"]
    return score(gold, pred, resamples=200)


def _check(actual: dict, expected: dict, where: str):
    for key, value in expected.items():
        if isinstance(value, float):
            assert actual[key] == pytest.approx(value), f"{where}.{key}"
        else:
            assert actual[key] == value, f"{where}.{key}"


def test_every_metric_matches_the_hand_computation(report):
    expected = json.loads((HERE / "expected.json").read_text())
    assert report["documents"] == expected["documents"]
    assert report["resampling"]["units"] == expected["units"]
    for layer, metrics in expected["micro"].items():
        assert set(report["layers"][layer]) - {"stance_report"} == set(metrics), layer
        for name, figures in metrics.items():
            _check(report["layers"][layer][name]["micro"], figures, f"{layer}.{name}")
    strict = report["layers"]["entities"]["strict"]
    _check(strict["macro"], expected["entities_strict_macro"], "macro")
    _check(strict["per_language"]["es"], expected["entities_strict_per_language"]["es"], "per_language.es")
    for label, figures in expected["entities_strict_per_label"].items():
        _check(strict["per_label"][label], figures, f"per_label.{label}")
    for stance, figures in expected["stance_report"].items():
        _check(report["layers"]["claims"]["stance_report"][stance], figures, f"stance_report.{stance}")


def test_per_type_and_per_document_counts_add_up_to_the_overall(report):
    for layer in report["layers"].values():
        for name, m in layer.items():
            if name == "stance_report" or m["kind"] != "prf":
                continue
            for part in ("per_label", "per_document", "per_language"):
                for k in ("correct", "incorrect", "partial", "missed", "spurious"):
                    assert sum(f[k] for f in m[part].values()) == m["micro"][k], (name, part, k)


def test_intervals_contain_the_figure_where_defined(report):
    for layer in report["layers"].values():
        for name, m in layer.items():
            if name == "stance_report":
                continue
            figure = m["micro"].get("f1", m["micro"].get("accuracy"))
            if figure is not None:
                lo, hi = m["micro"]["ci"]
                assert 0.0 <= lo <= hi <= 1.0


def test_gold_scored_against_itself_is_perfect_wherever_defined():
    gold = load_gold(HERE / "gold.jsonl")
    r = score(gold, gold, resamples=50)
    for layer in r["layers"].values():
        for name, m in layer.items():
            if name == "stance_report":
                continue
            figure = m["micro"].get("f1", m["micro"].get("accuracy"))
            assert figure in (1.0, None), name
    assert r["layers"]["claims"]["links"]["micro"]["f1"] == 1.0


def test_gold_documents_validate_as_predictions_and_the_schema_file_is_current():
    schema = prediction_schema()
    committed = json.loads((ROOT / "benchmark" / "prediction.schema.json").read_text())
    assert committed == schema, "regenerate: python -m nkbench.scoring.jsonschema > benchmark/prediction.schema.json"
    validator = jsonschema.Draft202012Validator(schema)
    for g in load_gold(HERE / "gold.jsonl"):
        validator.validate(document_to_dict(g))
    for line in (HERE / "predictions.jsonl").read_text().splitlines():
        validator.validate(json.loads(line))
    bad = json.loads((HERE / "predictions.jsonl").read_text())
    bad["mentions"][0]["label"] = "PERSON"
    assert not validator.is_valid(bad)


def test_the_command_prints_every_format(tmp_path):
    args = ["score", str(HERE / "predictions.jsonl"), "--gold", str(HERE / "gold.jsonl"), "--resamples", "50"]
    table = CliRunner().invoke(main, args)
    assert table.exit_code == 0, table.output
    assert "strict" in table.output and "missing from the predictions" in table.output and "d2" in table.output
    md = CliRunner().invoke(main, [*args, "--format", "markdown", "--layer", "claims"])
    assert md.exit_code == 0 and md.output.startswith("| layer |") and "entities" not in md.output
    out = tmp_path / "r.json"
    js = CliRunner().invoke(main, [*args, "--format", "json", "--out", str(out)])
    assert js.exit_code == 0
    data = json.loads(out.read_text())
    assert data["layers"]["entities"]["strict"]["micro"]["f1"] == pytest.approx(4 / 11)


def test_compare_reports_a_p_value():
    args = ["compare", str(HERE / "predictions.jsonl"), str(HERE / "predictions.jsonl"), "--gold", str(HERE / "gold.jsonl"),
            "--resamples", "200", "--format", "json"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    strict = data["layers"]["entities"]["strict"]
    assert strict["delta"] == 0.0 and strict["p_value"] == 1.0  # identical systems: no difference


def test_the_worked_example_in_predictions_md_is_valid(tmp_path):
    text = (ROOT / "benchmark" / "PREDICTIONS.md").read_text()
    block = text.split("```json\n", 1)[1].split("```", 1)[0]
    obj = json.loads(block)
    jsonschema.Draft202012Validator(prediction_schema()).validate(obj)
    path = tmp_path / "example.jsonl"
    path.write_text(json.dumps(obj) + "\n")
    gold = load_gold(HERE / "gold.jsonl")
    pred, missing = load_predictions(path, gold)  # offsets agree with the gold text, references resolve
    r = score(gold, pred, resamples=0)
    assert r["layers"]["claims"]["claim_strict"]["micro"]["correct"] == 1
    assert r["layers"]["events"]["trigger_cls"]["micro"]["correct"] == 1
