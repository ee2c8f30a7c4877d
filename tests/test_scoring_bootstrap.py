"""``stats.bootstrap_cis`` (several metrics, one set of draws) is ``bootstrap_ci`` of each, to the bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nkbench.benchmark.scoring.stats import bootstrap_ci, bootstrap_cis


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 40), metrics=st.integers(1, 5), resamples=st.integers(0, 250), seed=st.integers(0, 2**32 - 1),
       data_seed=st.integers(0, 10**6), sparse=st.booleans())
def test_shared_draws_give_each_metrics_own_interval(n, metrics, resamples, seed, data_seed, sparse):
    rng = np.random.default_rng(data_seed)
    kinds = [("prf", False), ("prf", True), ("accuracy", False)]
    entries = []
    for m in range(metrics):
        counts = rng.integers(0, 4, size=(n, 5))
        if sparse:  # figures undefined on many resamples (or all): None, never 0
            counts[rng.random(n) < 0.9] = 0
        kind, partial = kinds[m % len(kinds)]
        entries.append((counts, partial, kind))
    expected = [bootstrap_ci(c, p, k, resamples=resamples, seed=seed) for c, p, k in entries]
    assert bootstrap_cis(entries, resamples=resamples, seed=seed) == expected


def test_no_metric_no_interval():
    assert bootstrap_cis([], resamples=10) == []
    assert bootstrap_cis([(np.zeros((0, 5), np.int64), False, "prf")] * 2) == [None, None]
