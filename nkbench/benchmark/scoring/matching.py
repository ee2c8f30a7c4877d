"""One-to-one, order-independent matching of gold and predicted spans.

Algorithm (the same for every overlap-based metric; the caller supplies the pair score):

1. Canonical order: all spans (gold and predicted) sorted by (document, start, end, side, key),
   where ``key`` is an integer the caller derives from the span's content (e.g. its label).
   Input order never matters after this step.
2. Clusters by a sort-based sweep: a span opens a new cluster when it starts at or after the
   running maximum end of its document's previous spans (ends are exclusive: touching spans do
   not overlap). Every pair that can match lies inside one cluster.
3. Per cluster, a pair (g, p) is eligible when its ``strength`` > 0 (e.g. characters of
   overlap, or a Jaccard above a threshold); the matching maximises, lexicographically,
   (total credit, number of pairs, total strength):
   - clusters of one gold and one predicted span (almost all of them) are a pair in every
     scheme, found once; clusters with one span on one side are solved vectorised: the single
     best eligible pair, ties broken by canonical position;
   - the rest, when small (at most MAX_PERMUTATIONS maximal matchings, e.g. up to 5 x 5),
     by exhaustive search vectorised over all clusters of the same shape, and otherwise by an
     optimal assignment (``scipy.optimize.linear_sum_assignment``); both maximise the weight ``credit * K1 + K2 + strength`` with K2 > total strength and
     K1 > K2 * (pairs + 1), ineligible pairs weighted 0 and dropped afterwards.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: score(gold_indices, pred_indices) -> (credit, strength), both arrays; strength <= 0: no pair.
PairScore = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True, slots=True)
class Clusters:
    """The canonical order of gold+pred spans and their overlap clusters (see module doc)."""

    n_gold: int
    order: np.ndarray  # canonical position -> index into concat(gold, pred)
    rank: np.ndarray  # index into concat(gold, pred) -> canonical position
    cluster: np.ndarray  # index into concat(gold, pred) -> cluster id
    bounds: np.ndarray  # cluster c spans canonical positions bounds[c]:bounds[c+1]
    n_gold_in: np.ndarray  # per cluster
    n_pred_in: np.ndarray  # per cluster
    simple_gold: np.ndarray  # the pairs of clusters of exactly one gold and one predicted span:
    simple_pred: np.ndarray  # matched in every scheme (they overlap), computed once


def clusters(g_doc, g_start, g_end, g_key, p_doc, p_start, p_end, p_key) -> Clusters:
    """Canonical order and overlap clusters of two span tables (parallel integer arrays).

    Memory: one int64 sort key and int32 index columns (int64 beyond 2**31 spans); the
    temporaries are built in place and freed as soon as they are used.
    """
    n_g = len(g_doc)
    n = n_g + len(p_doc)
    if n == 0:
        z = np.zeros(0, np.int64)
        return Clusters(0, z, z, z, np.zeros(1, np.int64), z, z, z, z)
    idx = np.int32 if n < 2 ** 31 else np.int64
    cat = lambda a, b: np.concatenate([np.asarray(a), np.asarray(b)])  # noqa: E731
    doc, start, end = cat(g_doc, p_doc), cat(g_start, p_start), cat(g_end, p_end)
    width = int(end.max()) + 1
    n_keys = int(max(np.max(g_key, initial=0), np.max(p_key, initial=0))) + 1
    if int(doc.max()) + 1 < (2 ** 62) // (width * width * 2 * n_keys):  # one int64 key: one argsort
        k = doc.astype(np.int64)
        for col, factor in ((start, width), (end, width)):
            k *= factor
            k += col
        k *= 2
        k[n_g:] += 1
        k *= n_keys
        k[:n_g] += g_key
        k[n_g:] += p_key
        order = np.argsort(k, kind="stable")
        del k
    else:
        order = np.lexsort((cat(g_key, p_key), np.repeat(np.arange(2), [n_g, n - n_g]), end, start, doc))
    ks = doc[order].astype(np.int64)
    ks *= width
    running = ks + end[order]  # running max of ends, document-major
    np.maximum.accumulate(running, out=running)
    ks += start[order]
    del doc, start, end
    new = np.empty(n, bool)
    new[0] = True
    np.greater_equal(ks[1:], running[:-1], out=new[1:])
    del ks, running
    cluster_sorted = np.cumsum(new, dtype=idx)
    cluster_sorted -= 1
    order = order.astype(idx)
    cluster = np.empty(n, idx)
    cluster[order] = cluster_sorted
    rank = np.empty(n, idx)
    rank[order] = np.arange(n, dtype=idx)
    n_cl = int(cluster_sorted[-1]) + 1
    del cluster_sorted
    bounds = np.append(np.flatnonzero(new), n).astype(idx)
    del new
    ng = np.bincount(cluster[:n_g], minlength=n_cl).astype(idx)
    np_ = np.bincount(cluster[n_g:], minlength=n_cl).astype(idx)
    simple = (ng == 1) & (np_ == 1)
    g_in = np.flatnonzero(simple[cluster[:n_g]])
    p_in = np.flatnonzero(simple[cluster[n_g:]])
    g_in = g_in[np.argsort(cluster[g_in], kind="stable")].astype(idx)
    p_in = p_in[np.argsort(cluster[n_g + p_in], kind="stable")].astype(idx)
    return Clusters(n_g, order, rank, cluster, bounds, ng, np_, g_in, p_in)


def assign(c: Clusters, score: PairScore, simple_keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The one-to-one matching: arrays ``(gold_index, pred_index)`` of matched pairs.

    ``simple_keep``: ``score(c.simple_gold, c.simple_pred)[1] > 0`` when the caller already knows
    it (it is the same for every scheme whose strength is the same, e.g. the overlap)."""
    n_g = c.n_gold
    if len(c.cluster) == 0:
        z = np.zeros(0, np.int64)
        return z, z
    ng, np_ = c.n_gold_in, c.n_pred_in
    # --- one-sided clusters, vectorised --------------------------------------------------
    one_gold = (ng == 1) & (np_ >= 2)
    one_pred = (np_ == 1) & (ng >= 2)
    gold_of = np.full(len(ng), -1, c.cluster.dtype)
    pred_of = np.full(len(ng), -1, c.cluster.dtype)
    g_cl, p_cl = c.cluster[:n_g], c.cluster[n_g:]
    gold_of[g_cl[one_gold[g_cl]]] = np.flatnonzero(one_gold[g_cl])
    pred_of[p_cl[one_pred[p_cl]]] = np.flatnonzero(one_pred[p_cl])
    p_many = np.flatnonzero(one_gold[p_cl])  # preds in clusters with one gold
    g_many = np.flatnonzero(one_pred[g_cl])  # golds in clusters with one pred
    cand_g = np.concatenate([gold_of[p_cl[p_many]], g_many])
    cand_p = np.concatenate([p_many, pred_of[g_cl[g_many]]])
    cand_cl = np.concatenate([p_cl[p_many], g_cl[g_many]])
    tie = np.concatenate([c.rank[n_g + p_many], c.rank[g_many]])
    keep = score(c.simple_gold, c.simple_pred)[1] > 0 if simple_keep is None else simple_keep  # overlap, but e.g. a Jaccard may be too low
    pairs_g, pairs_p = [c.simple_gold[keep]], [c.simple_pred[keep]]
    if len(cand_g):
        credit, strength = score(cand_g, cand_p)
        ok = strength > 0
        cand_g, cand_p, cand_cl, tie, credit, strength = (a[ok] for a in (cand_g, cand_p, cand_cl, tie, credit, strength))
        pick = np.lexsort((tie, -strength, -credit, cand_cl))
        first = np.ones(len(pick), bool)
        first[1:] = cand_cl[pick][1:] != cand_cl[pick][:-1]
        pairs_g.append(cand_g[pick[first]])
        pairs_p.append(cand_p[pick[first]])
    # --- the rest: exhaustive search for small shapes (vectorised per shape), else per cluster
    # an optimal assignment. Both maximise the same weights; exhaustive search takes the first
    # best permutation in lexicographic order, so the result is deterministic either way.
    hard = np.flatnonzero((ng >= 2) & (np_ >= 2))
    if len(hard):
        shapes = ng[hard].astype(np.int64) * 1_000_000 + np_[hard]
        for shape in np.unique(shapes).tolist():
            ids = hard[shapes == shape]
            a, b = divmod(shape, 1_000_000)
            if math.perm(max(a, b), min(a, b)) <= MAX_PERMUTATIONS:
                hg, hp = _exhaustive(c, ids, a, b, score)
            else:
                hg, hp = _optimal(c, ids, score)
            pairs_g.append(hg)
            pairs_p.append(hp)
    if not pairs_g:
        z = np.zeros(0, np.int64)
        return z, z
    return np.concatenate(pairs_g).astype(np.int64, copy=False), np.concatenate(pairs_p).astype(np.int64, copy=False)


MAX_PERMUTATIONS = 120


def _weights(c: Clusters, gold: np.ndarray, pred: np.ndarray, score: PairScore) -> np.ndarray:
    """(k, a, b) pair weights ``credit * K1 + K2 + strength`` (0: ineligible), per cluster."""
    k, a = gold.shape
    b = pred.shape[1]
    G = np.repeat(gold, b, axis=1).ravel()
    P = np.tile(pred, (1, a)).ravel()
    credit, strength = score(G, P)
    credit = np.asarray(credit, float).reshape(k, a, b)
    strength = np.asarray(strength, float).reshape(k, a, b)
    k2 = np.maximum(strength, 0).sum(axis=(1, 2), keepdims=True) + 1.0
    k1 = k2 * (min(a, b) + 1)
    return np.where(strength > 0, credit * k1 + k2 + strength, 0.0)


def _members(c: Clusters, ids: np.ndarray, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
    """Gold (k, a) and predicted (k, b) member indices of clusters ``ids``, in canonical order."""
    m = c.order[c.bounds[ids][:, None] + np.arange(a + b)]
    by_side = np.argsort(m >= c.n_gold, axis=1, kind="stable")
    m = np.take_along_axis(m, by_side, axis=1)
    return m[:, :a], m[:, a:] - c.n_gold


def _exhaustive(c: Clusters, ids: np.ndarray, a: int, b: int, score: PairScore) -> tuple[np.ndarray, np.ndarray]:
    """Best matching of every (a x b) cluster in ``ids`` by enumerating the maximal ones."""
    gold, pred = _members(c, ids, a, b)
    w = _weights(c, gold, pred, score)
    if a <= b:
        perms = np.array(list(itertools.permutations(range(b), a)))  # gold i -> pred perms[:, i]
        rows = np.broadcast_to(np.arange(a), perms.shape)
        cols = perms
    else:
        perms = np.array(list(itertools.permutations(range(a), b)))  # pred j -> gold perms[:, j]
        rows = perms
        cols = np.broadcast_to(np.arange(b), perms.shape)
    value = w[:, rows, cols].sum(axis=2)  # (k, n_perms)
    best = np.argmax(value, axis=1)
    r, q = rows[best], cols[best]  # (k, min(a, b))
    kk = np.arange(len(ids))[:, None]
    keep = w[kk, r, q] > 0
    return gold[kk, r][keep], pred[kk, q][keep]


def _optimal(c: Clusters, ids: np.ndarray, score: PairScore) -> tuple[np.ndarray, np.ndarray]:
    """Per cluster ``scipy.optimize.linear_sum_assignment`` on the same weights."""
    from scipy.optimize import linear_sum_assignment

    hg, hp = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for cl in ids.tolist():
        a, b = int(c.n_gold_in[cl]), int(c.n_pred_in[cl])
        gold, pred = _members(c, np.array([cl]), a, b)
        w = _weights(c, gold, pred, score)[0]
        rows, cols = linear_sum_assignment(w, maximize=True)
        keep = w[rows, cols] > 0
        hg.append(gold[0, rows[keep]])
        hp.append(pred[0, cols[keep]])
    return np.concatenate(hg), np.concatenate(hp)


def overlap(g_start, g_end, p_start, p_end) -> np.ndarray:
    """Characters shared by two spans (0 when disjoint); end-exclusive offsets."""
    return np.maximum(np.minimum(g_end, p_end) - np.maximum(g_start, p_start), 0)


def jaccard(g_start, g_end, p_start, p_end) -> np.ndarray:
    """Character Jaccard: shared characters / characters covered by either span."""
    inter = overlap(g_start, g_end, p_start, p_end)
    union = (g_end - g_start) + (p_end - p_start) - inter
    return np.where(union > 0, inter / np.maximum(union, 1), 0.0)
