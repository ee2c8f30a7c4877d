"""Numeric claim values: hedge-aware intervals and exact tolerance (``nkbench.benchmark.scoring.claims``).

Every expected verdict below is worked out by hand from the table in ``value_interval``'s
docstring (10 % band for ``approx`` and ``almost``; ``more_than``/``less_than``/``almost`` open).
"""

import json
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from nkbench.core.errors import NkbenchError
from nkbench.core.model import NumericValue
from nkbench.benchmark.scoring.claims import VALUE_TESTS, exact_number, intervals_overlap, value_interval

HERE = Path(__file__).parent / "golden" / "predictions"
INF = math.inf
F = Fraction


def v(low, high, hedge="exact", counted="killed"):
    return NumericValue(low, high, hedge, counted)


@pytest.mark.parametrize("value, interval", [
    (v(200, 200), ((200, False), (200, False))),
    (v(10, 20, "range"), ((10, False), (20, False))),
    (v(200, 200, "approx"), ((180, False), (220, False))),
    (v(0.5, 0.5, "approx"), ((F(45, 100), False), (F(55, 100), False))),
    (v(6500, None, "at_least"), ((6500, False), (INF, True))),
    (v(200, None, "more_than"), ((200, True), (INF, True))),
    (v(None, 10, "at_most"), ((-INF, True), (10, False))),
    (v(None, 24, "less_than"), ((-INF, True), (24, True))),
    (v(None, 100, "almost"), ((90, False), (100, True))),
    (v(80, 100, "almost"), ((80, False), (100, True))),  # a given low is kept, closed
    (v(200, 300, "at_least"), ((200, False), (300, False))),  # a bound the guidelines do not give: closed
    (v(0, 0, "approx"), ((0, False), (0, False))),
    (v(None, 0, "almost"), ((0, False), (0, False))),  # empty [0, 0) taken closed
    (v(7, 7, "more_than"), ((7, False), (7, False))),  # empty (7, 7] taken closed
])
def test_value_interval_table(value, interval):
    assert value_interval(value) == interval


OVERLAP = [  # (gold, prediction, overlap?) -- hand-checked
    (v(200, None, "more_than"), v(None, 200, "less_than"), False),  # (200, inf) vs (-inf, 200)
    (v(200, None, "at_least"), v(None, 200, "at_most"), True),  # share 200
    (v(200, None, "more_than"), v(None, 200, "at_most"), False),  # (200, inf) vs (-inf, 200]
    (v(200, None, "more_than"), v(200, 200), False),  # 200 is not more than 200
    (v(200, None, "more_than"), v(201, 201), True),
    (v(200, 200, "approx"), v(220, 220), True),  # band [180, 220] is closed
    (v(200, 200, "approx"), v(221, 221), False),
    (v(200, 200, "approx"), v(None, 180, "less_than"), False),  # [180, 220] vs (-inf, 180)
    (v(200, 200, "approx"), v(None, 180, "at_most"), True),
    (v(190, 190, "approx"), v(200, 200), True),  # [171, 209]: the first golden case
    (v(None, 100, "almost"), v(95, 95), True),  # [90, 100)
    (v(None, 100, "almost"), v(100, 100), False),
    (v(None, 100, "almost"), v(89, 89), False),
    (v(None, 100, "almost"), v(100, None, "at_least"), False),
    (v(None, 100, "almost"), v(50, 50, "approx"), False),  # [90, 100) vs [45, 55]
    (v(10, 20, "range"), v(None, 10, "less_than"), False),
    (v(10, 20, "range"), v(None, 10, "at_most"), True),
    (v(10, 20, "range"), v(20, None, "more_than"), False),
    (v(0.5, 0.5), v(0.55, 0.55), False),
    (v(0.5, 0.5, "approx"), v(0.55, 0.55), True),  # [0.45, 0.55] exactly, no float artefact
    (v(200, 200, "more_than"), v(0, 1000, "range"), True),  # (200, 200] would be empty: taken as [200, 200]
    (v(200, 200, "more_than"), v(201, 1000, "range"), False),
    (v(None, 0, "almost"), v(0, 0), True),  # [0, 0) would be empty: taken as [0, 0]
]


@pytest.mark.parametrize("gold, pred, expected", OVERLAP)
def test_value_overlap_by_hand(gold, pred, expected):
    assert VALUE_TESTS["value_overlap"](gold, pred) is expected
    assert VALUE_TESTS["value_overlap"](pred, gold) is expected  # symmetric


TOLERANCE = [  # (gold, prediction, within 10 %?)
    (v(0.5, 0.5), v(0.55, 0.55), True),  # |0.05| <= 0.05: with floats 0.05000000000000004 > 0.05
    (v(0.5, 0.5), v(0.45, 0.45), True),
    (v(0.3, 0.3), v(0.33, 0.33), True),  # floats: 0.030000000000000027 > 0.03
    (v(2, 2), v(2.2, 2.2), True),  # floats: 0.20000000000000018 > 0.2
    (v(0.5, 0.5), v(0.5500001, 0.5500001), False),
    (v(200, 200), v(190, 190, "approx"), True),  # the hedge is not compared here
    (v(200, None, "at_least"), v(210, None, "more_than"), True),
    (v(200, None, "at_least"), v(210, 300, "range"), False),  # a missing gold bound must be missing
    (v(200, None, "at_least"), v(None, 200, "at_most"), False),
    (v(0, 0), v(0, 0), True),
    (v(0, 0), v(0.0001, 0.0001), False),  # exact when the gold bound is 0
    (v(-10, -10), v(-11, -11), True),
    (v(10 ** 30, 10 ** 30), v(1.1e30, 1.1e30), True),
]


@pytest.mark.parametrize("gold, pred, expected", TOLERANCE)
def test_value_tolerance_by_hand(gold, pred, expected):
    assert VALUE_TESTS["value_tolerance"](gold, pred) is expected


def test_an_unknown_hedge_has_no_interval_and_its_overlap_is_wrong():
    with pytest.raises(NkbenchError, match="unknown hedge 'aprox'.*did you mean 'approx'"):
        value_interval(v(200, 200, "aprox"))
    assert not VALUE_TESTS["value_overlap"](v(200, 200), v(200, 200, "aprox"))
    assert VALUE_TESTS["value_tolerance"](v(200, 200), v(200, 200, "aprox"))  # bounds only


def test_an_unknown_hedge_kept_as_wrong_through_the_command(tmp_path):
    from nkbench.cli import main

    line = json.loads((HERE / "predictions.jsonl").read_text().splitlines()[0])
    line["claims"][0]["value"]["hedge"] = "aprox"  # approx 190: its band holds the gold 200
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(line) + "\n")
    args = ["score", str(path), "--gold", str(HERE / "gold.jsonl"), "--resamples", "10", "--layer", "claims", "--format", "json"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 1 and "unknown hedge 'aprox'" in r.output
    r = CliRunner().invoke(main, [*args, "--unknown-labels", "spurious"])
    assert r.exit_code == 0, r.output
    micro = {k: m["micro"] for k, m in json.loads(r.output)["layers"]["claims"].items() if k != "stance_report"}
    assert (micro["value_overlap"]["correct"], micro["value_overlap"]["incorrect"]) == (0, 1)
    assert (micro["value_exact"]["correct"], micro["value_tolerance"]["correct"], micro["counted"]["correct"]) == (0, 1, 1)


def test_value_exact_compares_numbers_not_their_types():
    assert VALUE_TESTS["value_exact"](v(None, 100, "almost"), v(None, 100.0, "almost"))
    assert not VALUE_TESTS["value_exact"](v(None, 100, "almost"), v(None, 100, "less_than"))
    assert not VALUE_TESTS["value_exact"](v(0.1, 0.1), v(0.1000001, 0.1000001))


def test_exact_number_reads_the_number_as_written():
    assert exact_number(0.55) == F(11, 20) and exact_number(0.1) == F(1, 10)
    assert exact_number(10 ** 30) == 10 ** 30 and exact_number(7) == 7
    assert exact_number(1e-7) == F(1, 10 ** 7)
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(NkbenchError, match="not a finite number"):
            exact_number(bad)


decimals = st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=3, allow_nan=False, allow_infinity=False)


@settings(derandomize=True, deadline=None, max_examples=2000)
@given(decimals, decimals)
def test_tolerance_equals_decimal_arithmetic_on_the_written_numbers(g, p):
    """Written decimals (as a JSON reader gives them: floats) judged as the decimals themselves."""
    gf, pf = float(g), float(p)
    expected = p == g if g == 0 else abs(p - g) <= Decimal("0.1") * abs(g)
    assert VALUE_TESTS["value_tolerance"](v(gf, gf), v(pf, pf)) is expected


hedged = st.builds(
    lambda lo, width, hedge: {"exact": v(lo, lo), "approx": v(lo, lo, "approx"), "range": v(lo, lo + width, "range"),
                              "at_least": v(lo, None, "at_least"), "more_than": v(lo, None, "more_than"),
                              "at_most": v(None, lo, "at_most"), "less_than": v(None, lo, "less_than"),
                              "almost": v(None, lo, "almost")}[hedge],
    st.integers(-50, 50), st.integers(0, 20),
    st.sampled_from(["exact", "approx", "range", "at_least", "more_than", "at_most", "less_than", "almost"]))


@settings(derandomize=True, deadline=None, max_examples=2000)
@given(hedged, hedged, st.integers(-200, 200))
def test_overlap_is_symmetric_and_means_a_shared_number(a, b, probe):
    """Overlap is symmetric, reflexive on these (non-empty) intervals, and whenever a number lies in
    both intervals they overlap (checked on integer and half-integer probes)."""
    ov = VALUE_TESTS["value_overlap"]
    assert ov(a, b) == ov(b, a)
    assert ov(a, a)

    def inside(x, value):
        (lo, lo_open), (hi, hi_open) = value_interval(value)
        return (lo < x or (lo == x and not lo_open)) and (x < hi or (x == hi and not hi_open))

    for x in (F(probe), F(probe, 2), F(probe, 10)):
        if inside(x, a) and inside(x, b):
            assert ov(a, b)
    assert intervals_overlap(value_interval(a), value_interval(b)) == ov(a, b)


def test_a_non_finite_predicted_bound_is_an_error_naming_the_claim(tmp_path):
    from nkbench.cli import main

    line = json.loads((HERE / "predictions.jsonl").read_text().splitlines()[0])
    line["claims"][0]["value"]["low"] = float("nan")
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(line) + "\n")  # json writes NaN, and Python's reader accepts it
    r = CliRunner().invoke(main, ["score", str(path), "--gold", str(HERE / "gold.jsonl"), "--resamples", "10"])
    assert r.exit_code == 1, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output
    # the loader refuses it first, naming file, line, document and field
    assert "p.jsonl:1 (document 'd1'): claims[0].value.low: nan is not a finite number" in r.output


# --- claim metrics on random documents: order independence, perfection against itself -------------

HEDGE_BOUNDS = {"exact": "vv", "approx": "vv", "range": "vw", "at_least": "v-", "more_than": "v-",
                "at_most": "-v", "less_than": "-v", "almost": "-v"}


@st.composite
def claim_docs(draw, width=60):
    """Claims with unique spans, parents pointing to earlier claims (no loops) and random values."""
    from nkbench.core.model import Claim

    spans = draw(st.lists(st.tuples(st.integers(0, width - 2), st.integers(1, 20)), max_size=7,
                          unique_by=lambda t: (t[0], min(t[0] + t[1], width))))
    claims = []
    for k, (s, n) in enumerate(spans):
        e = min(s + n, width)
        parent = draw(st.one_of(st.none(), st.sampled_from([f"c{j}" for j in range(k)]))) if k else None
        value = None
        if draw(st.booleans()):
            hedge = draw(st.sampled_from(sorted(HEDGE_BOUNDS)))
            x = draw(st.sampled_from([0, 0.5, 0.55, 2, 2.2, 100, 200]))
            lo, hi = HEDGE_BOUNDS[hedge]
            value = v(None if lo == "-" else x, None if hi == "-" else (x + 10 if hi == "w" else x), hedge,
                      draw(st.sampled_from(["killed", "injured"])))
        claims.append(Claim(f"c{k}", s, e, "", draw(st.sampled_from(["asserts", "denies"])), parent=parent, value=value))
    return claims


def claim_counts(gold_claims, pred_claims):
    from nkbench.core.model import Document
    from nkbench.benchmark.scoring.claims import claim_outcomes

    out, _ = claim_outcomes([Document("d", "en", None, claims=tuple(gold_claims))],
                            [Document("d", "en", None, claims=tuple(pred_claims))])
    return {k: sorted(o.category.tolist()) for k, o in out.items()}


@settings(derandomize=True, deadline=None, max_examples=300)
@given(claim_docs(), claim_docs(), st.randoms(use_true_random=False))
def test_claim_metrics_ignore_input_order_and_gold_is_perfect_against_itself(gold, pred, rnd):
    base = claim_counts(gold, pred)
    assert claim_counts(rnd.sample(gold, len(gold)), rnd.sample(pred, len(pred))) == base
    perfect = claim_counts(gold, gold)
    for name in ("parent", "value_exact", "value_overlap", "value_tolerance", "counted"):
        assert set(perfect[name]) <= {0}, name  # CORRECT only
    assert len(perfect["parent"]) == len(gold)
    assert len(perfect["counted"]) == sum(c.value is not None for c in gold)
