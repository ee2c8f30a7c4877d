"""Claims: span detection, attribution, cue, stance, numeric values and cross-document links.

- ``claim_strict``: set algebra over ``(doc, start, end)``.
- ``claim_overlap``: one-to-one matching (``matching.assign``) in which a gold and a predicted
  claim may pair when their CHARACTER Jaccard (shared characters / characters covered by either)
  is >= ``OVERLAP_THRESHOLD`` = 0.5; the matching maximises the number of pairs, then the total
  Jaccard. Every figure below is computed on these matched pairs.
- ``source`` / ``cue``: accuracy on matched pairs where the gold or the predicted claim names a
  source (cue): correct when both name one and the two mentions (cues) have the same offsets.
  Pairs where neither side names one are not counted.
- ``stance``: accuracy on matched pairs, and a scikit-learn ``classification_report`` (per
  stance precision/recall/F1/support) over the same pairs.
- ``parent`` (nested attribution): accuracy on ALL matched pairs: correct when neither claim has
  a parent, or both have one and the predicted parent is the claim matched to the gold parent.
- ``value_exact`` / ``value_overlap`` / ``value_tolerance`` / ``counted``: accuracy on matched pairs
  where the gold or the predicted claim has a numeric value (a value on one side only is wrong):
  exact = same hedge, low and high; overlap = the hedge-aware intervals (``value_interval``)
  intersect (an unknown hedge, kept with ``--unknown-labels spurious``, is wrong); tolerance = every gold bound is given and within ``VALUE_TOLERANCE`` = 10 % (relative
  to the gold bound; exact when the gold bound is 0) and a missing gold bound is missing (the hedge
  is not compared: exact and overlap do that); counted = the same ``counted``.
  Numbers are compared exactly (``exact_number``: ``fractions.Fraction`` of the number as written),
  so 0.55 is within 10 % of 0.5 and 2.2 of 2.
- ``links``: pairwise precision/recall over claim pairs (any two claims of the whole collection,
  same or different documents) that share a link id. A predicted claim stands for the gold claim
  it is matched to; an unmatched predicted claim stands for itself, so its pairs are spurious.
  A pair is counted under the document/unit of its first claim (in document order).
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations

import numpy as np

from ...core import schema
from ...core.errors import Errors, NkbenchError, did_you_mean
from ...core.model import Document, NumericValue
from .counts import CORRECT, MISSED, SPURIOUS, Outcomes, accuracy_outcomes, outcomes_from_rows, set_outcomes
from .matching import assign, clusters, jaccard

OVERLAP_THRESHOLD = 0.5
VALUE_TOLERANCE = Fraction(1, 10)
APPROX_BAND = Fraction(1, 10)
METRICS = ("claim_strict", "claim_overlap", "source", "cue", "parent", "stance", "value_exact", "value_overlap",
           "value_tolerance", "counted", "links")

def match_claims(gold: list[Document], pred: list[Document]) -> list[tuple[int, int, int]]:
    """Overlap matching of claims: ``(doc, gold claim index, pred claim index)`` triples."""
    def table(docs):
        rows = [(i, c.start, c.end, k) for i, d in enumerate(docs) for k, c in enumerate(d.claims)]
        return np.array(rows, np.int64).reshape(-1, 4)

    g, p = table(gold), table(pred)
    zero = np.zeros(len(g), np.int64), np.zeros(len(p), np.int64)
    cl = clusters(g[:, 0], g[:, 1], g[:, 2], zero[0], p[:, 0], p[:, 1], p[:, 2], zero[1])

    def score(gi, pi):
        j = jaccard(g[gi, 1], g[gi, 2], p[pi, 1], p[pi, 2])
        return np.zeros(len(gi)), np.where(j >= OVERLAP_THRESHOLD, j, 0.0)

    pg, pp = assign(cl, score)
    return sorted((int(g[a, 0]), int(g[a, 3]), int(p[b, 3])) for a, b in zip(pg, pp))

def exact_number(x: int | float) -> Fraction:
    """A JSON number as an exact rational: an int as it is; a float as the shortest decimal that
    reads back as the same float (``repr``), i.e. the number as written in the JSON whenever it was
    written with at most 15 significant digits ("0.55" -> 11/20, not 0.55000000000000004...).

    A non-finite number (``NaN``, ``Infinity``: Python's JSON reader accepts them) is an error."""
    if isinstance(x, float):
        if not math.isfinite(x):
            raise NkbenchError(f"numeric value bound {x!r} is not a finite number",
                               hint="give a number, or null for an unbounded side", code=Errors.E527)
        return Fraction(repr(x))
    return Fraction(x)


#: A bound of an interval: (value, open). ``value`` is a Fraction, or -inf/+inf (floats, which
#: compare exactly with Fractions) for a missing bound; infinite bounds are open.
Bound = tuple[Fraction | float, bool]


def value_interval(v: NumericValue) -> tuple[Bound, Bound]:
    """The set of numbers a hedged value allows, as ``(lower bound, upper bound)``.

    The hedge qualifies the bound(s) the guidelines give it (GUIDELINES.md §5.6); a missing bound
    is unbounded (open), except the lower bound of ``almost``:

    ============  =====================  ===========================================
    hedge         guidelines' bounds      interval
    ============  =====================  ===========================================
    exact, range  v/v, X/Y                [low, high]
    approx        v/v                     [low - 10 % |low|, high + 10 % |high|]
    at_least      v/null                  [low, +inf)
    more_than     v/null                  (low, +inf)
    at_most       null/v                  (-inf, high]
    less_than     null/v                  (-inf, high)
    almost        null/v                  [high - 10 % |high|, high)
    ============  =====================  ===========================================

    The 10 % band is ``APPROX_BAND``: "about 200" = [180, 220], "almost 100" = [90, 100). So gold
    "more than 200" (200, +inf) and a prediction "less than 200" (-inf, 200) do not overlap, nor
    do "more than 200" and exactly 200; "at least 200" and "at most 200" share 200.
    A bound given where the guidelines give none (a predicted ``at_least`` with a high) is closed.
    An interval the hedge would leave empty ("almost 0" = [0, 0); ``more_than`` with low = high)
    is taken closed ([0, 0]), so that every value overlaps itself.
    """
    if v.hedge not in schema.HEDGES:
        raise NkbenchError(f"unknown hedge {v.hedge!r}: its interval is undefined", hint=did_you_mean(v.hedge, schema.HEDGES), code=Errors.E528)
    low = None if v.low is None else exact_number(v.low)
    high = None if v.high is None else exact_number(v.high)
    low_open = v.hedge == "more_than"
    high_open = v.hedge in ("less_than", "almost")
    if v.hedge == "approx":
        low = None if low is None else low - APPROX_BAND * abs(low)
        high = None if high is None else high + APPROX_BAND * abs(high)
    if v.hedge == "almost" and low is None and high is not None:
        low = high - APPROX_BAND * abs(high)
    if low is not None and high is not None and low == high:
        low_open = high_open = False
    return ((-math.inf, True) if low is None else (low, low_open),
            (math.inf, True) if high is None else (high, high_open))


def intervals_overlap(a: tuple[Bound, Bound], b: tuple[Bound, Bound]) -> bool:
    """True when two intervals share a number (open and closed ends respected)."""
    # the tighter lower bound: the larger value, open on a tie; the tighter upper: the smaller, open on a tie
    (lo, lo_open) = max(a[0], b[0], key=lambda x: (x[0], x[1]))
    (hi, hi_open) = min(a[1], b[1], key=lambda x: (x[0], not x[1]))
    return lo < hi or (lo == hi and not lo_open and not hi_open)


def _close(g: int | float | None, p: int | float | None) -> bool:
    if g is None or p is None:
        return g is None and p is None
    g, p = exact_number(g), exact_number(p)
    return p == g if g == 0 else abs(p - g) <= VALUE_TOLERANCE * abs(g)


def _same(g: int | float | None, p: int | float | None) -> bool:
    return g is None and p is None or (g is not None and p is not None and exact_number(g) == exact_number(p))


VALUE_TESTS = {
    "value_exact": lambda g, p: g.hedge == p.hedge and _same(g.low, p.low) and _same(g.high, p.high),
    # an unknown hedge (kept by ``--unknown-labels spurious``) has no interval: the pair is wrong
    "value_overlap": lambda g, p: (g.hedge in schema.HEDGES and p.hedge in schema.HEDGES
                                   and intervals_overlap(value_interval(g), value_interval(p))),
    "value_tolerance": lambda g, p: _close(g.low, p.low) and _close(g.high, p.high),
}


def _span(doc: Document, layer: str, ident: str | None) -> tuple[int, int] | None:
    if ident is None:
        return None
    for x in getattr(doc, layer):
        if x.id == ident:
            return (x.start, x.end)
    return None

def _check_numbers(docs: list[Document], side: str) -> None:
    """Every numeric bound is a finite number (``exact_number``), or an error naming the claim."""
    for d in docs:
        for c in d.claims:
            if c.value is None:
                continue
            for name in ("low", "high"):
                x = getattr(c.value, name)
                if isinstance(x, float) and not math.isfinite(x):
                    raise NkbenchError(f"value.{name} is {x!r}, not a finite number",
                                       where=f"{side} document {d.id!r}, claim {c.id!r} [{c.start}:{c.end}]",
                                       hint="give a number, or null for an unbounded side", code=Errors.E529)


def claim_outcomes(gold: list[Document], pred: list[Document], unit_of=None) -> tuple[dict[str, Outcomes], dict]:
    """Outcomes of every claim metric, and the stance classification report (a dict)."""
    unit_of = unit_of or (lambda doc, offset: doc)
    gc = lambda i, k: gold[i].claims[k]  # noqa: E731
    pc = lambda i, k: pred[i].claims[k]  # noqa: E731
    key = lambda c: c.stance  # per-label breakdown of claims: by gold (or predicted) stance  # noqa: E731
    g_set = {(i, c.start, c.end): (i, unit_of(i, c.start), key(c)) for i, d in enumerate(gold) for c in d.claims}
    p_set = {(i, c.start, c.end): (i, unit_of(i, c.start), key(c)) for i, d in enumerate(pred) for c in d.claims}
    labels = tuple(sorted({v[2] for v in (*g_set.values(), *p_set.values())}))
    out: dict[str, Outcomes] = {"claim_strict": set_outcomes(g_set, p_set, labels)}

    _check_numbers(gold, "gold")
    _check_numbers(pred, "predicted")
    pairs = match_claims(gold, pred)
    matched_g = {(i, a) for i, a, _ in pairs}
    matched_p = {(i, b) for i, _, b in pairs}
    rows = [(CORRECT, i, unit_of(i, gc(i, a).start), key(gc(i, a))) for i, a, _ in pairs]
    rows += [(MISSED, i, unit_of(i, c.start), key(c)) for i, d in enumerate(gold) for a, c in enumerate(d.claims) if (i, a) not in matched_g]
    rows += [(SPURIOUS, i, unit_of(i, c.start), key(c)) for i, d in enumerate(pred) for b, c in enumerate(d.claims) if (i, b) not in matched_p]
    out["claim_overlap"] = outcomes_from_rows(rows, labels)

    acc: dict[str, list] = {m: [] for m in ("source", "cue", "parent", "stance", *VALUE_TESTS, "counted")}
    y_true, y_pred = [], []
    pair_set = set(pairs)
    g_index = [{c.id: k for k, c in enumerate(d.claims)} for d in gold]
    p_index = [{c.id: k for k, c in enumerate(d.claims)} for d in pred]
    for i, a, b in pairs:
        g, p = gc(i, a), pc(i, b)
        where = (i, unit_of(i, g.start), key(g))
        for field, layer in (("source", "mentions"), ("cue", "cues")):
            gs, ps = _span(gold[i], layer, getattr(g, field)), _span(pred[i], layer, getattr(p, field))
            if gs is not None or ps is not None:
                acc[field].append((gs == ps, *where))
        if g.parent is None or p.parent is None:
            acc["parent"].append((g.parent is None and p.parent is None, *where))
        else:  # the predicted parent must be the claim matched to the gold parent
            acc["parent"].append(((i, g_index[i].get(g.parent), p_index[i].get(p.parent)) in pair_set, *where))
        acc["stance"].append((g.stance == p.stance, *where))
        y_true.append(g.stance)
        y_pred.append(p.stance)
        if g.value is not None or p.value is not None:
            both = g.value is not None and p.value is not None
            for name, test in VALUE_TESTS.items():
                acc[name].append((both and bool(test(g.value, p.value)), *where))
            acc["counted"].append((both and g.value.counted == p.value.counted, *where))
    for name, rows_ in acc.items():
        out[name] = accuracy_outcomes(rows_, labels)
    out["links"] = _link_outcomes(gold, pred, pairs, unit_of)
    return out, stance_report(y_true, y_pred)

def _pairs_by_link(items: list[tuple[str, tuple, tuple[int, int]]]) -> dict[frozenset, tuple[int, int]]:
    """Pairs of identities sharing a link id -> (doc, start) of the first claim of the pair."""
    by_link: dict[str, list] = {}
    for link, ident, where in items:
        by_link.setdefault(link, []).append((where, ident))
    out = {}
    for members in by_link.values():
        for (w1, a), (w2, b) in combinations(sorted(members), 2):
            if a != b:
                out.setdefault(frozenset((a, b)), min(w1, w2))
    return out

def _link_outcomes(gold, pred, pairs, unit_of) -> Outcomes:
    to_gold = {(i, b): ("g", i, a) for i, a, b in pairs}
    g_items = [(c.link, ("g", i, a), (i, c.start)) for i, d in enumerate(gold) for a, c in enumerate(d.claims) if c.link]
    p_items = [(c.link, to_gold.get((i, b), ("p", i, b)), (i, c.start)) for i, d in enumerate(pred) for b, c in enumerate(d.claims) if c.link]
    g_pairs, p_pairs = _pairs_by_link(g_items), _pairs_by_link(p_items)
    mk = lambda where: (where[0], unit_of(where[0], where[1]), "pair")  # noqa: E731
    return set_outcomes({k: mk(w) for k, w in g_pairs.items()}, {k: mk(w) for k, w in p_pairs.items()}, ("pair",))

def stance_report(y_true: list[str], y_pred: list[str]) -> dict | None:
    """scikit-learn's classification report (as a dict) on the matched claims; None if none."""
    if not y_true:
        return None
    from sklearn.metrics import classification_report

    from ...core import schema

    labels = sorted(set(schema.STANCES) | set(y_true) | set(y_pred))
    report = classification_report(y_true, y_pred, labels=labels, output_dict=True, zero_division=np.nan)
    # undefined ratios (nothing predicted / nothing in the gold for a stance) are None, not NaN
    clean = lambda x: None if isinstance(x, float) and np.isnan(x) else x  # noqa: E731
    return {k: ({kk: clean(vv) for kk, vv in v.items()} if isinstance(v, dict) else clean(v)) for k, v in report.items()}
