"""``nkbench.benchmark.scoring.seqbio`` against seqeval 1.2.2 on ARBITRARY tag strings, in both modes.

Derandomised hypothesis runs (thousands of cases each): any text (unicode, no '-', several '-',
unknown prefixes, '.', lower case), and a small alphabet that makes long well- and ill-formed runs
likely. Where seqeval raises, we raise NkbenchError; otherwise the chunks and F1 are seqeval's
(except F1 with no chunk on either side: seqeval 0.0 with a warning, ours None = n/a).
"""

import warnings

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from nkbench.core.errors import NkbenchError
from nkbench.benchmark.scoring.seqbio import chunk_counts, chunk_f1, chunks

MANY = settings(derandomize=True, deadline=None, max_examples=3000, suppress_health_check=[HealthCheck.too_slow])

#: any string, and strings over the characters that matter to the decoders (runs are likelier)
ANY_TAG = st.one_of(st.text(max_size=6), st.text(alphabet=st.sampled_from(list("BIESOUL.-XY_b")), min_size=1, max_size=5))
IOB_ISH = st.text(alphabet=st.sampled_from(list("BIO-XY")), min_size=1, max_size=4)


def sentences(tag):
    return st.lists(st.lists(tag, max_size=7), min_size=1, max_size=3)


def paired(tag):
    """(gold, predicted) sentences of the same lengths."""
    return sentences(tag).flatmap(lambda gold: st.tuples(
        st.just(gold), st.tuples(*[st.lists(tag, min_size=len(s), max_size=len(s)) for s in gold]).map(list)))


def seqeval(fn, *args, **kwargs):
    """seqeval's result, or the name of the exception it raises."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(*args, **kwargs)
        except (IndexError, KeyError, ValueError) as e:
            return type(e).__name__


def ours(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except NkbenchError:
        return "error"


def same_f1(ref, mine):
    if isinstance(ref, str):  # seqeval raised
        assert mine == "error", (ref, mine)
    elif mine is None:  # no chunk on either side
        assert ref == 0.0
    else:
        assert mine == pytest.approx(ref, abs=1e-12)


@MANY
@given(sentences(ANY_TAG))
def test_lenient_chunks_are_seqevals_get_entities_on_any_strings(seqs):
    from seqeval.metrics.sequence_labeling import get_entities

    ref = seqeval(get_entities, seqs)
    mine = ours(chunks, seqs)
    if isinstance(ref, str):
        assert mine == "error" and any(t == "" for s in seqs for t in s), (seqs, ref)
    else:
        assert sorted(mine) == sorted(ref), seqs


@MANY
@given(paired(ANY_TAG))
def test_lenient_f1_is_seqevals_on_any_strings(pair):
    from seqeval.metrics import f1_score

    same_f1(seqeval(f1_score, *pair), ours(chunk_f1, *pair))


@MANY
@given(paired(IOB_ISH))
def test_lenient_f1_is_seqevals_on_likely_runs(pair):
    from seqeval.metrics import f1_score

    same_f1(seqeval(f1_score, *pair), ours(chunk_f1, *pair))


@MANY
@given(paired(ANY_TAG))
def test_strict_iob2_is_seqevals_on_any_strings(pair):
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    same_f1(seqeval(f1_score, *pair, mode="strict", scheme=IOB2), ours(chunk_f1, *pair, mode="strict"))


@MANY
@given(paired(IOB_ISH))
def test_strict_iob2_is_seqevals_on_likely_runs(pair):
    from seqeval.metrics import f1_score
    from seqeval.metrics.v1 import precision_recall_fscore_support
    from seqeval.scheme import IOB2

    ref = seqeval(f1_score, *pair, mode="strict", scheme=IOB2)
    same_f1(ref, ours(chunk_f1, *pair, mode="strict"))
    if isinstance(ref, str):
        return
    # the counts too, not only their ratio
    p, r, _, support = seqeval(precision_recall_fscore_support, *pair, average="micro", mode="strict", scheme=IOB2)
    tp, n_pred, n_gold = chunk_counts(*pair, mode="strict")
    assert support == n_gold
    assert (tp / n_pred if n_pred else 0.0) == pytest.approx(p) and (tp / n_gold if n_gold else 0.0) == pytest.approx(r)


def test_quirks_seen_by_hand():
    """Cases worked out from seqeval's source (get_entities, end_of_chunk, start_of_chunk)."""
    from seqeval.metrics.sequence_labeling import get_entities

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # 'P' (prefix P, type '_') starts nothing after 'O' (same type '_'), so the chunk that the
        # type change before 'BB' ends begins at the last start, 0, and takes the type of 'P'
        seq = [["BB"], ["P", "BB"]]
        assert chunks(seq) == get_entities(seq) == [("B", 0, 0), ("_", 0, 2), ("B", 3, 3)]
        # a '.' token does not end a run of its own type; the chunk is named by its last token
        seq = [["B-A", ".-B", "I-B"]]
        assert chunks(seq) == get_entities(seq) == [("A", 0, 0), ("B", 0, 2)]
        # no '-': the type is everything after the first character
        seq = [["PER", "PER", "O"]]
        assert chunks(seq) == get_entities(seq) == [("ER", 0, 1)]
    with pytest.raises(NkbenchError, match="empty tag"):
        chunks([["B-X", ""]])
    with pytest.raises(NkbenchError, match="not IOB2"):
        chunk_f1([["E-X"]], [["O"]], "strict")
    with pytest.raises(NkbenchError, match="not IOB2"):
        chunk_f1([["O"]], [["X-LOC"]], "strict")
