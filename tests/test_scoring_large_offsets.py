"""Offsets past 2**31 (int32 columns fall back to int64) score exactly like small ones."""

from hypothesis import given, settings, strategies as st

from nkbench.core.model import Document, Mention
from nkbench.benchmark.scoring.counts import summarise
from nkbench.benchmark.scoring.entities import entity_outcomes

SHIFT = 3 * 2**31

spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 5), st.sampled_from(["PER", "GPE", "ORG"])), max_size=12)


def _docs(per_doc, shift):
    return [Document(f"d{i}", "es", None, tuple(Mention(f"m{j}", s + shift, s + n + shift, "", lab)
                                                 for j, (s, n, lab) in enumerate(sp)))
            for i, sp in enumerate(per_doc)]


@settings(max_examples=60, derandomize=True)
@given(st.lists(spans, min_size=1, max_size=3), st.lists(spans, min_size=1, max_size=3))
def test_large_offsets_score_like_small_ones(gold, pred):
    n = min(len(gold), len(pred))
    gold, pred = gold[:n], pred[:n]
    ids, langs = [f"d{i}" for i in range(n)], ["es"] * n

    def figures(shift):
        outs = entity_outcomes(_docs(gold, shift), _docs(pred, shift))
        return {k: summarise(o, ids, langs, by_document=False)["micro"] for k, o in outs.items()}

    assert figures(SHIFT) == figures(0)
