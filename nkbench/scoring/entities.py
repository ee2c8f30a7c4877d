"""Entity mentions: the SemEval-2013 task 9.1 schemes and entity-linking accuracy.

The NER layer is the NON-NOMINAL mentions (nominal mentions such as "the Kremlin spokesman" are
annotated only where they fill an event argument or a claim source, and are scored there, by
span, in ``events.py`` and ``claims.py``).

Each scheme matches gold and predicted mentions one-to-one (``matching.assign``: overlap
clusters, then the matching that maximises the scheme's credit, then the number of pairs, then
the characters of overlap) and classifies every item:

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

Linking: on the pairs that are correct under ``strict``, whose gold mention has an entity id,
the accuracy of the predicted ``entity_id`` (a missing predicted id is wrong).
"""

from __future__ import annotations

from itertools import chain
from operator import attrgetter

import numpy as np

from .. import schema
from ..model import Document
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


def mention_table(docs: list[Document], label_index: dict[str, int], entity_index: dict[str | None, int]) -> dict[str, np.ndarray]:
    """The non-nominal mentions of ``docs`` as parallel arrays (doc, start, end, label, entity).

    Unseen labels and entity ids are added to the index dicts (so both sides share codes).
    Column-wise extraction (no per-mention tuples): this is the hot path of large inputs.
    """
    lens = np.fromiter(map(len, (d.mentions for d in docs)), np.int64, len(docs))
    ms = list(chain.from_iterable(d.mentions for d in docs))
    n = len(ms)
    col = lambda name, dtype=np.int64: np.fromiter(map(attrgetter(name), ms), dtype, n)  # noqa: E731
    code = lambda name, index: np.fromiter(map(_Codes(index).__getitem__, map(attrgetter(name), ms)), np.int64, n)  # noqa: E731
    table = {"doc": np.repeat(np.arange(len(docs), dtype=np.int64), lens), "start": col("start"), "end": col("end"),
             "label": code("label", label_index), "entity": code("entity_id", entity_index)}
    nominal = col("nominal", bool)
    return _take(table, ~nominal) if nominal.any() else table


def _take(t: dict[str, np.ndarray], mask: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[mask] for k, v in t.items()}


def score_tables(g: dict[str, np.ndarray], p: dict[str, np.ndarray], schemes=tuple(SCHEMES)) -> dict[str, tuple]:
    """Per scheme: ``(pair_gold, pair_pred, pair_category)`` over two mention tables."""
    cl = clusters(g["doc"], g["start"], g["end"], g["label"], p["doc"], p["start"], p["end"], p["label"])
    out = {}
    for name in schemes:
        need_bounds, need_label, otherwise = SCHEMES[name]

        def judge(gi, pi, need_bounds=need_bounds, need_label=need_label):
            ok = np.ones(len(gi), bool)
            if need_bounds:
                ok &= (g["start"][gi] == p["start"][pi]) & (g["end"][gi] == p["end"][pi])
            if need_label:
                ok &= g["label"][gi] == p["label"][pi]
            return ok

        def score(gi, pi, judge=judge, otherwise=otherwise):
            ok = judge(gi, pi)
            credit = np.where(ok, 2, 1 if otherwise == PARTIAL else 0)
            return credit, overlap(g["start"][gi], g["end"][gi], p["start"][pi], p["end"][pi])

        pg, pp = assign(cl, score)
        out[name] = (pg, pp, np.where(judge(pg, pp), CORRECT, otherwise))
    if "linking" in out:
        out["linking"] = out.pop("linking")  # listed after the schemes
    return out


def outcomes_from_pairs(n_gold: int, n_pred: int, pg, pp, cat, g_group: dict, p_group: dict) -> dict[str, np.ndarray]:
    """Outcome columns (category + each group column) for pairs, misses and spurious items."""
    missed = np.ones(n_gold, bool)
    missed[pg] = False
    spurious = np.ones(n_pred, bool)
    spurious[pp] = False
    cols = {"category": np.concatenate([cat, np.full(int(missed.sum()), MISSED), np.full(int(spurious.sum()), SPURIOUS)])}
    for k in g_group:
        cols[k] = np.concatenate([g_group[k][pg], g_group[k][missed], p_group[k][spurious]])
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
    p_known = _take(p, known)
    unit = unit_of or (lambda doc, offset: np.asarray(doc, np.int64))
    g_group = {"doc": g["doc"], "unit": unit(g["doc"], g["start"]), "label": g["label"]}
    p_group = {"doc": p["doc"], "unit": unit(p["doc"], p["start"]), "label": p["label"]}
    known_idx = np.flatnonzero(known)
    out = {}
    for name, (pg, pp, cat) in score_tables(g, p_known, schemes).items():
        pp = known_idx[pp]  # back to indices into p
        cols = outcomes_from_pairs(len(g["doc"]), len(p["doc"]), pg, pp, cat, g_group, p_group)
        out[name] = Outcomes(cols["category"], cols["doc"], cols["unit"], cols["label"], labels, PARTIAL_CREDIT[name])
        if name == "strict" and linking:
            ok = (cat == CORRECT) & (g["entity"][pg] != 0)
            lg, lp = pg[ok], pp[ok]
            lcat = np.where(g["entity"][lg] == p["entity"][lp], CORRECT, INCORRECT)
            out["linking"] = Outcomes(lcat, g["doc"][lg], g_group["unit"][lg], g["label"][lg], labels, False, "accuracy")
    if "linking" in out:
        out["linking"] = out.pop("linking")  # listed after the schemes
    return out
