"""Confidence intervals and significance, over resampling units (see ``units.py``).

Every headline figure is a ratio of sums of per-unit counts (F1 = 2 credit / (actual +
possible); accuracy = correct / (correct + incorrect)), so resampling reweights the units'
count rows.

- ``bootstrap_ci``: percentile bootstrap, ``resamples`` draws of the units with replacement
  (numpy ``default_rng(seed)``, multinomial weights); resamples where the figure is undefined
  are left out, and the interval is None when the figure is undefined on every resample.
- ``randomisation_test``: paired approximate randomisation (Noreen 1989) between two systems
  judged on the same gold units: each unit's count rows are swapped between A and B with
  probability 1/2; p = (1 + #{|delta*| >= |delta|}) / (1 + resamples), two-sided.
"""

from __future__ import annotations

import numpy as np

from .counts import credit_actual_possible

BATCH = 100


def figure_of(totals: np.ndarray, partial_credit: bool, kind: str) -> np.ndarray:
    """The headline figure of ``(..., 5)`` count totals (NaN where undefined)."""
    credit, actual, possible = credit_actual_possible(totals, partial_credit)
    if kind == "accuracy":
        num, den = totals[..., 0].astype(float), (totals[..., 0] + totals[..., 1]).astype(float)
    else:
        num, den = 2 * credit, (actual + possible).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def bootstrap_ci(unit_counts: np.ndarray, partial_credit: bool = False, kind: str = "prf", *,
                 resamples: int = 1000, seed: int = 0, confidence: float = 0.95) -> list[float] | None:
    """Percentile bootstrap interval ``[low, high]`` of the headline figure, or None."""
    n = len(unit_counts)
    if n == 0 or resamples <= 0:
        return None
    rng = np.random.default_rng(seed)
    values = []
    for start in range(0, resamples, BATCH):
        k = min(BATCH, resamples - start)
        weights = rng.multinomial(n, np.full(n, 1.0 / n), size=k)
        values.append(figure_of(weights @ unit_counts, partial_credit, kind))
    values = np.concatenate(values)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return None
    alpha = (1 - confidence) / 2
    return [float(np.quantile(values, alpha)), float(np.quantile(values, 1 - alpha))]


def bootstrap_cis(metrics: list[tuple[np.ndarray, bool, str]], *, resamples: int = 1000, seed: int = 0,
                  confidence: float = 0.95) -> list[list[float] | None]:
    """``bootstrap_ci`` of several metrics over the same units (each ``(unit_counts, partial_credit,
    kind)``, the same number of rows): the same intervals, to the bit, from one set of draws. Each
    ``bootstrap_ci`` call draws the same weights (``default_rng(seed)``, the same ``n`` and batches),
    so they are drawn once here and applied to all the metrics' count columns at once (integer sums:
    exact)."""
    if not metrics:
        return []
    n = len(metrics[0][0])
    if n == 0 or resamples <= 0:
        return [None] * len(metrics)
    stacked = np.concatenate([np.asarray(c, np.int64).reshape(n, 5) for c, _, _ in metrics], axis=1)
    rng = np.random.default_rng(seed)
    values: list[list[np.ndarray]] = [[] for _ in metrics]
    for start in range(0, resamples, BATCH):
        k = min(BATCH, resamples - start)
        weights = rng.multinomial(n, np.full(n, 1.0 / n), size=k)
        totals = (weights @ stacked).reshape(k, len(metrics), 5)
        for m, (_, partial_credit, kind) in enumerate(metrics):
            values[m].append(figure_of(totals[:, m, :], partial_credit, kind))
    alpha = (1 - confidence) / 2
    out: list[list[float] | None] = []
    for parts in values:
        v = np.concatenate(parts)
        v = v[~np.isnan(v)]
        out.append([float(np.quantile(v, alpha)), float(np.quantile(v, 1 - alpha))] if len(v) else None)
    return out


def randomisation_test(a_units: np.ndarray, b_units: np.ndarray, partial_credit: bool = False, kind: str = "prf", *,
                       resamples: int = 10000, seed: int = 0) -> dict:
    """Paired approximate randomisation: figures of A and B, delta = B - A, two-sided p-value."""
    a_tot, b_tot = a_units.sum(axis=0), b_units.sum(axis=0)
    fa, fb = figure_of(a_tot, partial_credit, kind), figure_of(b_tot, partial_credit, kind)
    out = {"a": None if np.isnan(fa) else float(fa), "b": None if np.isnan(fb) else float(fb),
           "delta": None, "p_value": None, "resamples": resamples}
    if np.isnan(fa) or np.isnan(fb) or len(a_units) == 0:
        return out
    delta = fb - fa
    diff = b_units - a_units
    rng = np.random.default_rng(seed)
    hits = 0
    for start in range(0, resamples, BATCH):
        k = min(BATCH, resamples - start)
        swap = rng.integers(0, 2, size=(k, len(diff)))
        moved = swap @ diff
        d = figure_of(b_tot - moved, partial_credit, kind) - figure_of(a_tot + moved, partial_credit, kind)
        hits += int(np.sum(np.abs(np.nan_to_num(d, nan=0.0)) >= abs(delta) - 1e-12))
    out.update(delta=float(delta), p_value=(1 + hits) / (1 + resamples))
    return out
