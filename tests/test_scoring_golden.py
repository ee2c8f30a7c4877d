"""The hand-computed golden case (tests/golden/predictions/README.md explains every number)."""

import json
from dataclasses import replace
from pathlib import Path

import numpy as np

import jsonschema
import pytest
from click.testing import CliRunner

from nkbench.cli import main
from nkbench.annotation.gold import load_gold
from nkbench.core.model import document_to_dict
from nkbench.benchmark.scoring.harness import score
from nkbench.benchmark.scoring.jsonschema import prediction_schema
from nkbench.benchmark.scoring.predictions import load_predictions

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


def _check_micro(report, expected):
    """The documents, units and every layer's micro figures of ``report`` are ``expected``'s."""
    assert report["documents"] == expected["documents"]
    assert report["resampling"]["units"] == expected["units"]
    for layer, metrics in expected["micro"].items():
        assert set(report["layers"][layer]) - {"stance_report"} == set(metrics), layer
        for name, figures in metrics.items():
            _check(report["layers"][layer][name]["micro"], figures, f"{layer}.{name}")


def test_every_metric_matches_the_hand_computation(report):
    expected = json.loads((HERE / "expected.json").read_text())
    _check_micro(report, expected)
    strict = report["layers"]["entities"]["strict"]
    _check(strict["macro"], expected["entities_strict_macro"], "macro")
    _check(strict["per_language"]["es"], expected["entities_strict_per_language"]["es"], "per_language.es")
    for label, figures in expected["entities_strict_per_label"].items():
        _check(strict["per_label"][label], figures, f"per_label.{label}")
    for stance, figures in expected["stance_report"].items():
        _check(report["layers"]["claims"]["stance_report"][stance], figures, f"stance_report.{stance}")


NESTED = HERE / "nesting_and_values"


@pytest.fixture(scope="module")
def nested():
    gold = load_gold(NESTED / "gold.jsonl")
    pred, missing = load_predictions(NESTED / "predictions.jsonl", gold)
    assert missing == []
    return gold, pred


def test_nesting_and_values_case_matches_the_hand_computation(nested):
    gold, pred = nested
    report = score(gold, pred, layers=("entities", "claims"), resamples=200)
    expected = json.loads((NESTED / "expected.json").read_text())
    _check_micro(report, expected)


def test_nesting_and_values_case_claim_by_claim(nested):
    """The README's per-claim verdicts: value tests pair by pair, and every claim metric's
    correct/incorrect counts per sentence (each verdict lands in its gold claim's sentence)."""
    from nkbench.benchmark.scoring.claims import VALUE_TESTS, claim_outcomes, match_claims
    from nkbench.benchmark.scoring.units import build_units

    gold, pred = nested
    expected = json.loads((NESTED / "expected.json").read_text())["per_claim"]
    pairs = {gold[i].claims[a].id: (i, gold[i].claims[a], pred[i].claims[b]) for i, a, b in match_claims(gold, pred)}
    assert sorted(pairs) == ["k1", "k2", "k3", "k4", "k5", "k6", "k8"]  # k7 missed
    assert {k: p.id for k, (_, _, p) in pairs.items()} == {"k1": "p1", "k2": "p2", "k3": "p3", "k4": "p4", "k5": "p5",
                                                           "k6": "p6", "k8": "p8"}
    for name, test in VALUE_TESTS.items():
        for k, verdict in expected[name].items():
            _, g, p = pairs[k]
            assert (g.value is not None and p.value is not None and test(g.value, p.value)) == verdict, (name, k)
    units = build_units(gold)
    out, _ = claim_outcomes(gold, pred, lambda doc, offset: int(units.of([doc], [offset])[0]))
    for name, verdicts in expected.items():
        want: dict[tuple[int, bool], int] = {}
        for k, ok in verdicts.items():
            i, g, _ = pairs[k]
            u = int(units.of([i], [g.start])[0])
            want[(u, ok)] = want.get((u, ok), 0) + 1
        o = out[name]
        got: dict[tuple[int, bool], int] = {}
        for cat, u in zip(o.category.tolist(), o.unit.tolist()):
            got[(u, cat == 0)] = got.get((u, cat == 0), 0) + 1
        assert got == want, name


def test_partial_scheme_prefers_the_exact_match_and_ignores_order(nested):
    """d4: gold [4:29) and [12:29) (nested), predicted [4:29) and [4:11): C1 M1 S1, not C0 P2."""
    from nkbench.benchmark.scoring.entities import entity_outcomes

    gold, pred = nested
    g4, p4 = [d for d in gold if d.id == "d4"], [d for d in pred if d.id == "d4"]
    for p in (p4, [replace(p4[0], mentions=p4[0].mentions[::-1])]):
        for g in (g4, [replace(g4[0], mentions=g4[0].mentions[::-1])]):
            out = entity_outcomes(g, p, linking=False)
            counts = {k: np.bincount(o.category, minlength=5).tolist() for k, o in out.items()}
            assert counts["partial"] == [1, 0, 0, 1, 1]  # correct, incorrect, partial, missed, spurious
            assert counts["exact"] == counts["strict"] == [1, 0, 0, 1, 1]
            assert counts["type"] == [2, 0, 0, 0, 0]


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


@pytest.mark.parametrize("case", [HERE, HERE / "nesting_and_values"], ids=["first", "nesting_and_values"])
def test_gold_scored_against_itself_is_perfect_wherever_defined(case):
    gold = load_gold(case / "gold.jsonl")
    r = score(gold, gold, resamples=50)
    for layer in r["layers"].values():
        for name, m in layer.items():
            if name == "stance_report":
                continue
            figure = m["micro"].get("f1", m["micro"].get("accuracy"))
            assert figure in (1.0, None), name
    claims = r["layers"]["claims"]
    if case == HERE:
        assert claims["links"]["micro"]["f1"] == 1.0
    else:  # every nesting and every hedge of this case against itself
        assert claims["parent"]["micro"]["correct"] == 8 and claims["value_overlap"]["micro"]["correct"] == 5


def test_gold_documents_validate_as_predictions_and_the_schema_file_is_current():
    schema = prediction_schema()
    committed = json.loads((ROOT / "benchmark" / "prediction.schema.json").read_text())
    assert committed == schema, "regenerate: nkbench regen"
    validator = jsonschema.Draft202012Validator(schema)
    for g in load_gold(HERE / "gold.jsonl"):
        validator.validate(document_to_dict(g))
    for g in load_gold(NESTED / "gold.jsonl"):
        validator.validate(document_to_dict(g))
    for path in (HERE / "predictions.jsonl", NESTED / "predictions.jsonl"):
        for line in path.read_text().splitlines():
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
