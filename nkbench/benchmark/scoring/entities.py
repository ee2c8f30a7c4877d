"""Entity mentions: the SemEval-2013 task 9.1 schemes and entity-linking accuracy.

The NER layer is the NON-NOMINAL mentions (nominal mentions such as "the Kremlin spokesman" are
annotated only where they fill an event argument or a claim source, and are scored there, by
span, in ``events.py`` and ``claims.py``).

Each scheme matches gold and predicted mentions one-to-one (``matching.assign``: overlap
clusters, then the matching that maximises the number of CORRECT pairs, then the number of pairs,
then the characters of overlap) and classifies every item:

=========  =======================================  ===============================
scheme     a matched (overlapping) pair is correct   otherwise the pair is
=========  =======================================  ===============================
strict     same boundaries and same type             incorrect
exact      same boundaries                           incorrect
partial    same boundaries                           partial (credit 0.5)
type       same type                                 incorrect
=========  =======================================  ===============================

Unmatched gold mentions are ``missed``, unmatched predicted ones ``spurious``. Partial credit
(0.5 per partial) applies to the partial and type schemes (type never has partials).

Partial scheme: an exact-boundary pair is always preferred (SemEval-2013 takes exact matches
first), so its matching is the exact scheme's: gold [0:6) and [4:10), predicted [0:6) and [0:2)
score C1 M1 S1 (credit 1), not C0 P2 (credit 0.5 + 0.5; nervaluate 1.2.1 gives either, depending
on the order of the predictions). This never lowers the credit (credit = (correct + pairs) / 2, and
forcing an exact pair into a matching costs at most one other pair), so it is a tie-break among
the maximum-credit matchings.

Linking: on the pairs that are correct under ``strict``, whose gold mention has an entity id,
the accuracy of the predicted ``entity_id`` (a missing predicted id is wrong).
"""

from __future__ import annotations

from itertools import chain
from operator import attrgetter

import numpy as np

from ...core import schema
from ...core.model import Document
from .counts import CORRECT, INCORRECT, MISSED, PARTIAL, SPURIOUS, Outcomes
from .matching import assign, clusters, overlap

#: scheme -> (boundaries must be equal, types must be equal, category of a pair that is not correct)
SCHEMES = {
    "strict": (True, True, INCORRECT),
    "exact": (True, False, INCORRECT),
    "partial": (True, False, PARTIAL),
    "type": (False, True, INCORRECT),
}
PARTIAL_CREDIT = {"strict": False, "exact": False, "partial": True, "type": True}


class _Codes(dict):
    """A code for every value, new values numbered on first sight (written back to ``index``)."""

    def __init__(self, index: dict) -> None:
        super().__init__(index)
        self.index = index

    def __missing__(self, key):
        self[key] = self.index[key] = len(self.index)
        return self[key]


def small_ints(values, n: int) -> np.ndarray:
    """The ``n`` Python ints of ``values()`` (a fresh iterator per call) as an int32 array, or
    int64 when one is out of int32 range (e.g. an offset into a document longer than 2**31
    characters): half the memory in every realistic case."""
    try:
        return np.fromiter(values(), np.int32, n)
    except OverflowError:
        return np.fromiter(values(), np.int64, n)


def narrow(a: np.ndarray) -> np.ndarray:
    """An integer array as int32 when its values fit, else unchanged."""
    if a.dtype == np.int64 and len(a) and -(2 ** 31) <= int(a.min()) and int(a.max()) < 2 ** 31:
        return a.astype(np.int32)
    return a


def code_array(codes: list[int]) -> np.ndarray:
    """Non-negative codes in the smallest signed integer type that holds them."""
    top = max(codes, default=0)
    return np.array(codes, np.int8 if top < 2 ** 7 else np.int16 if top < 2 ** 15 else np.int32 if top < 2 ** 31 else np.int64)


def mention_table(docs: list[Document], label_index: dict[str, int], entity_index: dict[str | None, int]) -> dict[str, np.ndarray]:
    """The non-nominal mentions of ``docs`` as parallel arrays (doc, start, end, label, entity).

    Unseen labels and entity ids are added to the index dicts (so both sides share codes), in
    order of first sight. Column-wise extraction (no per-mention rows): this is the hot path of
    large inputs. Three passes over the mentions: start, end, and one over the (label, entity
    id, nominal) combinations, whose codes are then decoded by table look-ups. Offsets are int32
    unless a document is longer than 2**31 characters.
    """
    per_doc = list(map(attrgetter("mentions"), docs))
    lens = np.fromiter(map(len, per_doc), np.int64, len(docs))
    ms = list(chain.from_iterable(per_doc))
    del per_doc
    n = len(ms)
    combos: dict = {}
    combo = np.fromiter(map(_Codes(combos).__getitem__, map(attrgetter("label", "entity_id", "nominal"), ms)), np.int32, n)
    labels, entities = _Codes(label_index), _Codes(entity_index)
    kinds = list(combos)  # in order of first sight
    label_of = code_array([labels[k[0]] for k in kinds])
    entity_of = np.array([entities[k[1]] for k in kinds], np.int32)
    nominal_of = np.array([k[2] for k in kinds], bool)
    doc_dtype = np.int32 if len(docs) < 2 ** 31 else np.int64
    table = {"doc": np.repeat(np.arange(len(docs), dtype=doc_dtype), lens),
             "start": small_ints(lambda: map(attrgetter("start"), ms), n), "end": small_ints(lambda: map(attrgetter("end"), ms), n),
             "label": label_of[combo], "entity": entity_of[combo]}
    del ms
    return _take(table, ~nominal_of[combo]) if nominal_of.any() else table


def _take(t: dict[str, np.ndarray], mask: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[mask] for k, v in t.items()}


def scheme_pairs(g: dict[str, np.ndarray], p: dict[str, np.ndarray], schemes=tuple(SCHEMES)):
    """Per scheme, one at a time: ``(name, (pair_gold, pair_pred, pair_category))`` over two
    mention tables (yielded lazily, so only one scheme's pairs are alive at once)."""
    cl = clusters(g["doc"], g["start"], g["end"], g["label"], p["doc"], p["start"], p["end"], p["label"])
    # the strength of every scheme is the overlap: the simple pairs' eligibility is computed once
    simple_keep = overlap(g["start"][cl.simple_gold], g["end"][cl.simple_gold],
                          p["start"][cl.simple_pred], p["end"][cl.simple_pred]) > 0
    for name in schemes:
        need_bounds, need_label, otherwise = SCHEMES[name]

        def judge(gi, pi, need_bounds=need_bounds, need_label=need_label):
            """(pair is correct, overlap), from one gather of each column."""
            gs, ge, ps, pe = g["start"][gi], g["end"][gi], p["start"][pi], p["end"][pi]
            ok = np.ones(len(gi), bool)
            if need_bounds:
                ok &= (gs == ps) & (ge == pe)
            if need_label:
                ok &= g["label"][gi] == p["label"][pi]
            return ok, overlap(gs, ge, ps, pe)

        def score(gi, pi, judge=judge):
            ok, strength = judge(gi, pi)
            # credit for the matching: the number of correct pairs (in the partial scheme, of
            # exact-boundary pairs; partial pairs come second, as pairs: see the module doc)
            return ok.astype(np.int8), strength

        pg, pp = assign(cl, score, simple_keep)
        yield name, (pg, pp, np.where(judge(pg, pp)[0], CORRECT, otherwise).astype(np.int8))


def outcomes_from_pairs(n_gold: int, n_pred: int, pg, pp, cat, g_group: dict, p_group: dict) -> dict[str, np.ndarray]:
    """Outcome columns (category + each group column) for pairs, misses and spurious items."""
    missed = np.ones(n_gold, bool)
    missed[pg] = False
    spurious = np.ones(n_pred, bool)
    spurious[pp] = False
    cols = {"category": np.concatenate([cat, np.full(int(missed.sum()), MISSED, cat.dtype),
                                        np.full(int(spurious.sum()), SPURIOUS, cat.dtype)])}
    done: dict[tuple[int, int], np.ndarray] = {}  # group columns that are the same arrays are built once
    for k in g_group:
        key = (id(g_group[k]), id(p_group[k]))
        if key not in done:
            done[key] = np.concatenate([g_group[k][pg], g_group[k][missed], p_group[k][spurious]])
        cols[k] = done[key]
    return cols


def entity_outcomes(gold: list[Document], pred: list[Document], unit_of=None, *,
                    schemes=tuple(SCHEMES), linking: bool = True) -> dict[str, Outcomes]:
    """Outcomes of every entity scheme (and ``linking``) for aligned gold/pred document lists.

    ``unit_of(doc, offset)`` gives resampling units (default: the document). Predicted mentions
    whose label is not an entity type never match: they are counted as spurious.
    """
    label_index = {lab: i for i, lab in enumerate(schema.ENTITY_TYPES)}
    entity_index: dict[str | None, int] = {None: 0}
    g = mention_table(gold, label_index, entity_index)
    p = mention_table(pred, label_index, entity_index)
    labels = tuple(label_index)
    known = p["label"] < len(schema.ENTITY_TYPES)
    all_known = bool(known.all())
    p_known = p if all_known else _take(p, known)
    known_idx = None if all_known else np.flatnonzero(known)
    unit = unit_of or (lambda doc, offset: doc)
    g_group = {"doc": g["doc"], "unit": narrow(np.asarray(unit(g["doc"], g["start"]))), "label": g["label"]}
    p_group = {"doc": p["doc"], "unit": narrow(np.asarray(unit(p["doc"], p["start"]))), "label": p["label"]}
    out = {}
    for name, (pg, pp, cat) in scheme_pairs(g, p_known, schemes):
        if known_idx is not None:
            pp = known_idx[pp]  # back to indices into p
        cols = outcomes_from_pairs(len(g["doc"]), len(p["doc"]), pg, pp, cat, g_group, p_group)
        out[name] = Outcomes(cols["category"], cols["doc"], cols["unit"], cols["label"], labels, PARTIAL_CREDIT[name])
        if name == "strict" and linking:
            ok = (cat == CORRECT) & (g["entity"][pg] != 0)
            lg, lp = pg[ok], pp[ok]
            lcat = np.where(g["entity"][lg] == p["entity"][lp], CORRECT, INCORRECT).astype(np.int8)
            out["linking"] = Outcomes(lcat, g["doc"][lg], g_group["unit"][lg], g["label"][lg], labels, False, "accuracy")
        del pg, pp, cat, cols
    if "linking" in out:
        out["linking"] = out.pop("linking")  # listed after the schemes
    return out
