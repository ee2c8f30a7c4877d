"""Property tests of the scorer against nervaluate 1.2.1 and seqeval 1.2.2, and its invariants."""

import random
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from nkbench.core.bio import spans_to_tags
from nkbench.core.model import Document, Mention
from nkbench.benchmark.scoring.counts import figures, tally
from nkbench.benchmark.scoring.entities import SCHEMES, entity_outcomes
from nkbench.benchmark.scoring.seqbio import chunk_f1, chunks

LABELS = ("PER", "ORG", "GPE")
NERVALUATE_NAME = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
FAST = settings(derandomize=True, deadline=None, max_examples=400, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def span_lists(max_spans=5, width=30):
    span = st.tuples(st.integers(0, width - 1), st.integers(1, 6), st.sampled_from(LABELS)).map(
        lambda t: (t[0], min(t[0] + t[1], width), t[2]))
    return st.lists(span, max_size=max_spans, unique_by=lambda s: (s[0], s[1]))


def docs_of(span_docs):
    return [Document(f"d{i}", "en", None, tuple(Mention(f"m{j}", s, e, "", lab) for j, (s, e, lab) in enumerate(spans)))
            for i, spans in enumerate(span_docs)]


def our_counts(gold_docs, pred_docs):
    out = entity_outcomes(docs_of(gold_docs), docs_of(pred_docs), linking=False)
    return {name: tally(o.category, np.zeros_like(o.category), 1)[0] for name, o in out.items()}


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def one_to_one(gold, pred):
    """Each gold overlaps at most one prediction and vice versa (nervaluate's matching depends on
    prediction order otherwise)."""
    return (all(sum(overlaps(g, p) for p in pred) <= 1 for g in gold)
            and all(sum(overlaps(g, p) for g in gold) <= 1 for p in pred))


@settings(FAST, max_examples=1000)
@given(st.lists(st.tuples(span_lists(), span_lists()), min_size=1, max_size=3))
def test_counts_equal_nervaluate_on_one_to_one_inputs(docs):
    from nervaluate import Evaluator

    docs = [(g, p) for g, p in docs if one_to_one(g, p)]
    if not docs:
        return
    gold, pred = [g for g, _ in docs], [p for _, p in docs]
    # our end-exclusive offsets -> nervaluate's inclusive ends, here and only here
    conv = lambda spans: [{"label": lab, "start": s, "end": e - 1} for s, e, lab in spans]  # noqa: E731
    ref = Evaluator([conv(g) for g in gold], [conv(p) for p in pred], tags=list(LABELS), loader="dict").evaluate()
    ours = our_counts(gold, pred)
    for name in SCHEMES:
        r = ref["overall"][NERVALUATE_NAME[name]]
        assert list(ours[name]) == [r.correct, r.incorrect, r.partial, r.missed, r.spurious], name
        f = figures(ours[name], partial_credit=name in ("partial", "type"))
        if f["precision"] is not None:
            assert f["precision"] == pytest.approx(r.precision)
        if f["recall"] is not None:
            assert f["recall"] == pytest.approx(r.recall)


@FAST
@given(st.lists(st.tuples(span_lists(8, 40), span_lists(8, 40)), min_size=1, max_size=3), st.randoms(use_true_random=False))
def test_invariants_shuffle_range_perfect(docs, rnd):
    gold, pred = [g for g, _ in docs], [p for _, p in docs]
    base = our_counts(gold, pred)
    shuffled = [rnd.sample(p, len(p)) for p in pred]
    gold_shuffled = [rnd.sample(g, len(g)) for g in gold]
    again = our_counts(gold_shuffled, shuffled)
    for name in SCHEMES:
        assert list(base[name]) == list(again[name]), name
        f = figures(base[name], partial_credit=name in ("partial", "type"))
        for k in ("precision", "recall", "f1"):
            assert f[k] is None or 0.0 <= f[k] <= 1.0
        # possible is the number of gold mentions, actual the number of predictions, in every scheme
        assert f["possible"] == sum(map(len, gold)) and f["actual"] == sum(map(len, pred))
    perfect = our_counts(gold, gold)
    for name in SCHEMES:
        f = figures(perfect[name], partial_credit=name in ("partial", "type"))
        assert f["f1"] == (1.0 if any(gold) else None)


@FAST
@given(st.lists(st.tuples(span_lists(8, 30), span_lists(8, 30)), min_size=1, max_size=3))
def test_partial_scheme_takes_every_exact_boundary_match_and_pairs_like_exact(docs):
    """SemEval-2013: an exact-boundary match is always correct in the partial scheme (never traded
    for partial pairs), so the partial scheme's matching is the exact scheme's."""
    gold, pred = [g for g, _ in docs], [p for _, p in docs]
    counts = our_counts(gold, pred)
    exact_pairs = sum(len({(s, e) for s, e, _ in g} & {(s, e) for s, e, _ in p}) for g, p in docs)
    correct, incorrect, partial, missed, spurious = counts["partial"]
    assert correct == exact_pairs and incorrect == 0
    assert list(counts["exact"]) == [correct, partial, 0, missed, spurious]
    # and taking the exact matches first never costs credit: the credit is the maximum over all
    # one-to-one matchings (scipy's assignment with weight 2 per exact pair, 1 per partial pair)
    from scipy.optimize import linear_sum_assignment

    best = 0
    for g, p in docs:
        if g and p:
            w = np.array([[0 if not overlaps(a, b) else 2 if a[:2] == b[:2] else 1 for b in p] for a in g])
            rows, cols = linear_sum_assignment(w, maximize=True)
            best += int(w[rows, cols].sum())
    assert 2 * correct + partial == best


def token_spans(n_tokens):
    """Non-overlapping token-aligned spans over n single-character tokens at offsets 2*i."""
    @st.composite
    def build(draw):
        spans, i = [], 0
        while i < n_tokens:
            if draw(st.booleans()):
                length = draw(st.integers(1, 3))
                j = min(i + length, n_tokens)
                spans.append((2 * i, 2 * (j - 1) + 1, draw(st.sampled_from(LABELS))))
                i = j + draw(st.integers(0, 1))
            else:
                i += 1
        return spans
    return build()


@FAST
@given(st.data())
def test_span_f1_equals_seqeval_on_the_same_spans_as_tags(data):
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    n_docs = data.draw(st.integers(1, 3))
    sizes = [data.draw(st.integers(0, 12)) for _ in range(n_docs)]
    gold = [data.draw(token_spans(n)) for n in sizes]
    pred = [data.draw(token_spans(n)) for n in sizes]
    tokens = [[(2 * i, 2 * i + 1) for i in range(n)] for n in sizes]
    y_true = [spans_to_tags(t, g) for t, g in zip(tokens, gold)]
    y_pred = [spans_to_tags(t, p) for t, p in zip(tokens, pred)]
    ours = figures(our_counts(gold, pred)["strict"])["f1"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lenient = f1_score(y_true, y_pred)
        strict = f1_score(y_true, y_pred, mode="strict", scheme=IOB2)
    if ours is None:  # nothing on either side: seqeval says 0.0 (with a warning), we say undefined
        assert not any(gold) and not any(pred) and lenient == strict == 0.0
        return
    assert ours == pytest.approx(lenient) and ours == pytest.approx(strict)
    assert chunk_f1(y_true, y_pred) == pytest.approx(lenient)
    assert chunk_f1(y_true, y_pred, "strict") == pytest.approx(strict)


TAGS = ["O", "B-PER", "I-PER", "E-PER", "S-PER", "B-LOC", "I-LOC", "E-LOC", "S-LOC", "B", "I", "O-PER", ".", "X-LOC", "B-PER-X"]
IOB2_TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B", "I"]


def tag_sequences(tags):
    return st.lists(st.lists(st.sampled_from(tags), max_size=8), min_size=1, max_size=3).flatmap(
        lambda gold: st.tuples(st.just(gold), st.tuples(*[st.lists(st.sampled_from(tags), min_size=len(s), max_size=len(s)) for s in gold]).map(list)))


@settings(FAST, max_examples=1000)
@given(tag_sequences(TAGS))
def test_lenient_decoder_equals_seqeval_on_ill_formed_tags(pair):
    from seqeval.metrics import f1_score
    from seqeval.metrics.sequence_labeling import get_entities

    y_true, y_pred = pair
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = f1_score(y_true, y_pred)
    ours = chunk_f1(y_true, y_pred)
    assert (ours if ours is not None else 0.0) == pytest.approx(ref)


@FAST
@given(tag_sequences(IOB2_TAGS))
def test_strict_decoder_equals_seqeval_strict_iob2(pair):
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    y_true, y_pred = pair
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = f1_score(y_true, y_pred, mode="strict", scheme=IOB2)
    ours = chunk_f1(y_true, y_pred, "strict")
    assert (ours if ours is not None else 0.0) == pytest.approx(ref)


def test_the_decoders_see_what_seqeval_sees_on_a_classic_case():
    from seqeval.metrics.sequence_labeling import get_entities

    seq = [["I-PER", "I-PER", "O", "B-LOC", "I-PER", "E-LOC"]]
    # seqeval's lenient decoder makes chunks of the orphan I-PER run and of the mixed run
    assert get_entities(seq) == [("PER", 0, 1), ("LOC", 3, 3), ("PER", 4, 4), ("LOC", 5, 5)]
    assert chunk_f1(seq, seq) == 1.0
    assert chunk_f1(seq, [["O"] * 6]) == 0.0
    assert chunk_f1([["O"]], [["O"]]) is None
