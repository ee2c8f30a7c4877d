"""Per-span outcomes (nkbench/benchmark/scoring/outcomes.py) add up to the scorer's strict figures, on the
project's gold with every baseline, on hypothesis-made documents, and on hand-made cases; the
leaderboard's error kinds are built on them."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from nkbench.benchmark.leaderboard import BASELINES, error_kinds
from nkbench.core.model import Claim, Document, Event, Mention
from nkbench.benchmark.scoring.harness import score
from nkbench.benchmark.scoring.outcomes import LAYERS, PAIR_ERRORS, STRICT_METRIC, Span, span_outcomes, counts, strict_counts

from .project import gold as project_gold

FAST = settings(derandomize=True, deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])


def scorer_counts(gold, pred):
    rep = score(gold, pred, resamples=0, by_document=False)["layers"]
    return {layer: rep[layer][STRICT_METRIC[layer]]["micro"] for layer in LAYERS}, rep


def assert_adds_up(gold, pred):
    rows = span_outcomes(gold, pred)
    ref, rep = scorer_counts(gold, pred)
    got = counts(rows)
    for layer in LAYERS:
        c = got.get(layer, dict.fromkeys(("correct", "type", "boundary", "boundary+type", "missed", "spurious", "duplicate"), 0))
        s = strict_counts(c)
        m = ref[layer]
        assert s["correct"] == m["correct"], layer
        # entities: the scorer's incorrect pairs are ours type/boundary/boundary+type
        assert s["missed"] == m["missed"] + m["incorrect"], layer
        assert s["spurious"] == m["spurious"] + m["incorrect"], layer
        if layer == "entities":
            assert sum(c[k] for k in PAIR_ERRORS) == m["incorrect"]
    notes = Counter(n.split(" (vs")[0].split(" ")[1] for r in rows for n in r.notes)
    for metric, word in (("source", "source"), ("cue", "cue"), ("stance", "stance"), ("value_exact", "value")):
        assert notes[word] == rep["claims"][metric]["micro"]["incorrect"], metric
    return rows


def sides(rows, layer, side):
    return Counter((r.document, getattr(r, side).start, getattr(r, side).end, getattr(r, side).label)
                   for r in rows if r.layer == layer and getattr(r, side) is not None)


def items(docs, layer):
    out = Counter()
    for d in docs:
        if layer == "entities":
            out.update((d.id, m.start, m.end, m.label) for m in d.mentions if not m.nominal)
        elif layer == "events":
            out.update((d.id, e.start, e.end, e.label) for e in d.events)
        else:
            out.update((d.id, c.start, c.end, "CLAIM") for c in d.claims)
    return out


def assert_every_span_once(gold, pred, rows):
    for layer in LAYERS:
        assert sides(rows, layer, "gold") == items(gold, layer), layer
        assert sides(rows, layer, "pred") == items(pred, layer), layer


def check_row(r):
    g, p = r.gold, r.pred
    if r.outcome == "missed" or r.outcome == "duplicate":
        assert g is not None and p is None
    elif r.outcome == "spurious":
        assert g is None and p is not None
    else:
        assert g is not None and p is not None and g.start < p.end and p.start < g.end
        same_bounds, same_type = (g.start, g.end) == (p.start, p.end), g.label == p.label
        if same_bounds and same_type and r.outcome == "type":  # a type that is not one of the layer's
            assert g.label not in {"entities": ENT, "events": EVT[:2], "claims": ("CLAIM",)}[r.layer]
            return
        assert r.outcome == {(True, True): "correct", (True, False): "type", (False, True): "boundary",
                             (False, False): "boundary+type"}[(same_bounds, same_type)]


# -- the project's gold, every baseline ---------------------------------------------------------


@pytest.fixture(scope="module")
def gold():
    return project_gold()


@pytest.mark.parametrize("system", BASELINES)
def test_outcomes_add_up_to_the_scorer_on_every_baseline(gold, system):
    from nkbench.benchmark.systems import run_system

    pred, _ = run_system(system, [Document(d.id, d.language, d.text) for d in gold])
    rows = assert_adds_up(gold, pred)
    assert_every_span_once(gold, pred, rows)
    for r in rows:
        check_row(r)
        for s in (r.gold, r.pred):
            if s is not None:  # the text is the gold text's code points [start, end)
                assert s.text == next(d for d in gold if d.id == r.document).text[s.start:s.end]
    kinds = error_kinds(gold, pred)
    c = counts(rows)
    for layer in LAYERS:  # every error row is one kind (claims: plus one per wrong attribute)
        errs = sum(v for k, v in c[layer].items() if k != "correct")
        attrs = sum(len(r.notes) for r in rows if r.layer == layer)
        assert sum(kinds[layer].values()) == errs + attrs, layer


def test_gold_against_itself_is_all_correct(gold):
    rows = assert_adds_up(gold, gold)
    assert {r.outcome for r in rows} == {"correct"}
    assert not any(r.notes for r in rows)


# -- hypothesis ----------------------------------------------------------------------------------

ENT = ("PER", "ORG", "GPE")
EVT = ("ATTACK", "DIE", "NOT_A_TYPE")
TEXT = "abcdefghij klmnopqrst uvwxyz0123 456789ABCD"


def spans(labels, max_size=6):
    span = st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 8), st.sampled_from(labels)).map(
        lambda t: (t[0], min(t[0] + t[1], len(TEXT)), t[2]))
    return st.lists(span, max_size=max_size, unique_by=lambda s: s)


def make_doc(i, ents, evts, claims):
    return Document(f"d{i}", "en", TEXT,
                    tuple(Mention(f"m{k}", s, e, TEXT[s:e], lab) for k, (s, e, lab) in enumerate(ents)),
                    tuple(Event(f"e{k}", s, e, TEXT[s:e], lab) for k, (s, e, lab) in enumerate(evts)),
                    (), tuple(Claim(f"c{k}", s, e, TEXT[s:e]) for k, (s, e, _) in enumerate(claims)))


DOC = st.tuples(spans(ENT), spans(EVT), st.lists(st.tuples(st.integers(0, 30), st.integers(1, 12)).map(
    lambda t: (t[0], t[0] + t[1], "CLAIM")), max_size=4, unique=True))


@FAST
@given(st.lists(st.tuples(DOC, DOC), min_size=1, max_size=3), st.randoms(use_true_random=False))
def test_outcomes_add_up_and_ignore_order(docs, rnd):
    gold = [make_doc(i, *g) for i, (g, _) in enumerate(docs)]
    pred = [make_doc(i, *p) for i, (_, p) in enumerate(docs)]
    rows = assert_adds_up(gold, pred)
    assert_every_span_once(gold, pred, rows)
    for r in rows:
        check_row(r)
    shuffled = [make_doc(i, *(rnd.sample(x, len(x)) for x in p)) for i, (_, p) in enumerate(docs)]
    again = span_outcomes(gold, list(reversed(shuffled)))
    assert Counter(r.outcome for r in again) == Counter(r.outcome for r in rows)


# -- hand-made cases -----------------------------------------------------------------------------


def doc(ents=(), evts=(), claims=(), text=TEXT, nominal=()):
    return Document("d", "en", text,
                    tuple(Mention(f"m{k}", s, e, text[s:e], lab, nominal=(s, e) in nominal) for k, (s, e, lab) in enumerate(ents)),
                    tuple(Event(f"e{k}", s, e, text[s:e], lab) for k, (s, e, lab) in enumerate(evts)),
                    (), tuple(Claim(f"c{k}", s, e, text[s:e]) for k, (s, e) in enumerate(claims)))


def table(rows):
    return [(r.layer, r.outcome, r.gold and (r.gold.start, r.gold.end, r.gold.label),
             r.pred and (r.pred.start, r.pred.end, r.pred.label)) for r in rows]


def test_each_outcome_of_entities():
    g = doc([(0, 5, "PER"), (6, 10, "ORG"), (11, 15, "GPE"), (16, 20, "PER"), (30, 35, "PER")])
    p = doc([(0, 5, "PER"), (6, 10, "GPE"), (12, 15, "GPE"), (17, 21, "ORG"), (40, 42, "ORG")])
    assert table(span_outcomes([g], [p], ("entities",))) == [
        ("entities", "correct", (0, 5, "PER"), (0, 5, "PER")),
        ("entities", "type", (6, 10, "ORG"), (6, 10, "GPE")),
        ("entities", "boundary", (11, 15, "GPE"), (12, 15, "GPE")),
        ("entities", "boundary+type", (16, 20, "PER"), (17, 21, "ORG")),
        ("entities", "missed", (30, 35, "PER"), None),
        ("entities", "spurious", None, (40, 42, "ORG")),
    ]


def test_the_strict_matching_prefers_the_correct_pair():
    # gold [0:6) PER and [4:10) PER; predicted [4:10) PER and [0:3) ORG: the correct pair wins
    g = doc([(0, 6, "PER"), (4, 10, "PER")])
    p = doc([(4, 10, "PER"), (0, 3, "ORG")])
    assert table(span_outcomes([g], [p], ("entities",))) == [
        ("entities", "boundary+type", (0, 6, "PER"), (0, 3, "ORG")),
        ("entities", "correct", (4, 10, "PER"), (4, 10, "PER")),
    ]


def test_nominal_mentions_are_not_entities():
    g = doc([(0, 5, "PER"), (6, 10, "PER")], nominal={(6, 10)})
    assert table(span_outcomes([g], [doc()], ("entities",))) == [("entities", "missed", (0, 5, "PER"), None)]


def test_events_same_span_other_type_is_a_type_error_and_counts_twice():
    g = doc(evts=[(0, 5, "ATTACK"), (10, 15, "DIE")])
    p = doc(evts=[(0, 5, "DIE"), (11, 15, "DIE")])
    rows = span_outcomes([g], [p], ("events",))
    assert table(rows) == [("events", "type", (0, 5, "ATTACK"), (0, 5, "DIE")),
                           ("events", "boundary", (10, 15, "DIE"), (11, 15, "DIE"))]
    assert strict_counts(counts(rows)["events"]) == {"correct": 0, "missed": 2, "spurious": 2}


def test_claims_boundary_and_gold_duplicate_key():
    g = Document("d", "en", TEXT, claims=(Claim("c1", 0, 10, TEXT[0:10]), Claim("c2", 0, 10, TEXT[0:10]),
                                          Claim("c3", 20, 30, TEXT[20:30])))
    p = doc(claims=[(0, 10), (22, 33)])
    rows = span_outcomes([g], [p], ("claims",))
    assert table(rows) == [("claims", "correct", (0, 10, "CLAIM"), (0, 10, "CLAIM")),
                           ("claims", "duplicate", (0, 10, "CLAIM"), None),
                           ("claims", "boundary", (20, 30, "CLAIM"), (22, 33, "CLAIM"))]
    m = scorer_counts([g], [p])[0]["claims"]
    assert strict_counts(counts(rows)["claims"]) == {k: m[k] for k in ("correct", "missed", "spurious")}


def test_code_point_offsets_with_astral_characters():
    text = "😀 Ana <b>y</b> 😀Bakú"
    g = doc([(2, 5, "PER"), (16, 20, "GPE")], text=text)
    p = doc([(2, 5, "PER"), (15, 20, "GPE")], text=text)
    rows = span_outcomes([g], [p], ("entities",))
    assert [(r.gold.text, r.pred.text) for r in rows] == [("Ana", "Ana"), ("Bakú", "😀Bakú")]
    assert rows[1].gold == Span(16, 20, "GPE", "Bakú") and len(text) == 20


def test_unknown_layer_is_refused_with_a_hint():
    from nkbench.core.errors import NkbenchError

    with pytest.raises(NkbenchError, match="did you mean 'entities'"):
        span_outcomes([doc()], [doc()], ("entity",))


def test_unknown_predicted_types_are_spurious_as_in_the_scorer():
    g = doc([(0, 5, "PER")], evts=[(6, 10, "ATTACK")])
    p = doc([(0, 5, "NOT_A_TYPE")], evts=[(6, 10, "NOT_A_TYPE")])
    rows = assert_adds_up([g], [p])
    assert table(rows) == [("entities", "missed", (0, 5, "PER"), None), ("entities", "spurious", None, (0, 5, "NOT_A_TYPE")),
                           ("events", "type", (6, 10, "ATTACK"), (6, 10, "NOT_A_TYPE"))]


# -- the leaderboard's error kinds add up to the score beside them ----------------------------------

PAIR_KINDS = tuple(f"{k} " for k in PAIR_ERRORS) + PAIR_ERRORS


def kind_sums(kinds):
    """(false negatives, false positives, attribute errors) that a layer's error kinds stand for."""
    fn = fp = attrs = 0
    for kind, n in kinds.items():
        if kind.startswith("wrong "):
            attrs += n
        elif kind.startswith(PAIR_KINDS):
            fn, fp = fn + n, fp + n
        elif kind.startswith("missed"):
            fn += n
        elif kind.startswith("spurious"):
            fp += n
        else:
            raise AssertionError(f"unknown error kind {kind!r}")
    return fn, fp, attrs


def assert_kinds_add_up(gold, pred):
    kinds = error_kinds(gold, pred)
    ref, rep = scorer_counts(gold, pred)
    for layer in LAYERS:
        m = ref[layer]
        fn, fp, attrs = kind_sums(kinds[layer])
        assert fn == m["missed"] + m["incorrect"], (layer, kinds[layer], m)
        assert fp == m["spurious"] + m["incorrect"], (layer, kinds[layer], m)
        wrong = sum(rep["claims"][k]["micro"]["incorrect"] for k in ("source", "cue", "stance", "value_exact"))
        assert attrs == (wrong if layer == "claims" else 0), layer
    return kinds


@FAST
@given(st.lists(st.tuples(DOC, DOC), min_size=1, max_size=3))
def test_error_kinds_add_up_to_the_strict_score_on_random_documents(docs):
    """The counts printed beside a score (``leaderboard.error_kinds``, from the scorer's one-to-one
    matching) are exactly its false negatives and false positives, on any documents."""
    gold = [make_doc(i, *g) for i, (g, _) in enumerate(docs)]
    pred = [make_doc(i, *p) for i, (_, p) in enumerate(docs)]
    assert_kinds_add_up(gold, pred)


def test_error_kinds_count_each_span_once_where_any_overlap_would_count_it_twice():
    # one gold PER overlapped by two predictions: the one-to-one matching pairs one (boundary)
    # and the other is spurious; classifying by any overlap would call both boundary errors
    g = doc([(0, 10, "PER")])
    p = doc([(0, 4, "PER"), (6, 10, "PER")])
    kinds = assert_kinds_add_up([g], [p])
    assert kinds["entities"] == Counter({"boundary PER": 1, "spurious PER": 1})


def test_error_kinds_add_up_on_every_baseline(gold):
    from nkbench.benchmark.systems import run_system

    for system in BASELINES:
        pred, _ = run_system(system, [Document(d.id, d.language, d.text) for d in gold])
        assert_kinds_add_up(gold, pred)
