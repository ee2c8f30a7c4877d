"""Per-span outcomes: every gold and predicted span of a layer, judged by the scorer's own matching.

A pure function over Documents (``span_outcomes``); the error report (``nkbench errors``) and the
leaderboard's error kinds are both built on it, so the error counts shown beside a score always
add up to that score. The score is each layer's STRICT headline metric:

========  ===============  ==================================================================
layer     metric           how gold and predicted spans are paired
========  ===============  ==================================================================
entities  ``strict``       the scorer's strict-scheme matching (``entities.scheme_pairs``: most
                           correct pairs, then most pairs, then most characters of overlap);
                           a pair that is not correct is ``incorrect``
events    ``trigger_cls``  set algebra on (document, start, end, type): a gold trigger is correct
                           when the same key is predicted; the rest are missed and spurious
claims    ``claim_strict`` set algebra on (document, start, end)
========  ===============  ==================================================================

Outcomes (one row per gold span, predicted span, or pair of them):

- ``correct``: same offsets (and, entities and events, same type);
- ``type``: same offsets, other type; ``boundary``: overlapping, other offsets, same type;
  ``boundary+type``: overlapping, other offsets, other type;
- ``missed``: a gold span paired with nothing; ``spurious``: a predicted span paired with nothing;
- ``duplicate``: a gold span whose key (events, claims) another gold span of the document
  already has: the set-algebra metrics count a key once, so it is not counted at all.

Entities: the pairs are the strict matching's pairs (its ``incorrect`` ones split into ``type``,
``boundary``, ``boundary+type``). Events and claims: the strict metric has no pairs besides the
correct ones; its missed and spurious spans that overlap are shown as one ``type``/``boundary``
error, paired one-to-one by ``matching.assign`` (most same-offset pairs, then most pairs, then
most characters of overlap). Every pair is one missed plus one spurious item of the strict
metric, so for every layer::

    correct = the metric's correct
    missed   (metric) = type + boundary + boundary+type + missed
    spurious (metric) = type + boundary + boundary+type + spurious   (entities: incorrect + spurious)

Claims also get notes on the pairs of the scorer's claim matching (``claims.match_claims``):
``wrong source``, ``wrong cue``, ``wrong stance G->P``, ``wrong value``, each exactly an item the
scorer's ``source``, ``cue``, ``stance`` and ``value_exact`` accuracies count as incorrect.

Predicted labels that are not types of the layer (kept by ``--unknown-labels spurious``) never
match, as in the scorer. Offsets: Python code points, end-exclusive; span texts are cut from the
gold text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core import schema
from ...core.model import Document

LAYERS = ("entities", "events", "claims")
OUTCOMES = ("correct", "type", "boundary", "boundary+type", "missed", "spurious", "duplicate")
#: the outcomes that are errors of a pair (one missed plus one spurious item of the strict metric)
PAIR_ERRORS = ("type", "boundary", "boundary+type")
#: layer -> the strict metric whose counts the outcomes add up to
STRICT_METRIC = {"entities": "strict", "events": "trigger_cls", "claims": "claim_strict"}
CLAIM_LABEL = "CLAIM"


@dataclass(frozen=True, slots=True)
class Span:
    """One side of a row: offsets (code points, end-exclusive), type and the text they cover."""

    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class SpanOutcome:
    """One judged row: a gold span, a predicted span, or a pair of them."""

    document: str
    layer: str
    outcome: str
    gold: Span | None
    pred: Span | None
    notes: tuple[str, ...] = ()

    @property
    def start(self) -> int:
        return min(s.start for s in (self.gold, self.pred) if s is not None)


def _pair_outcome(g: tuple[int, int, str], p: tuple[int, int, str], can_be_correct: bool = True) -> str:
    """A pair's outcome; ``can_be_correct`` False: the metric did not count it correct (e.g. the
    same type on both sides, but not a type of the layer), so same offsets make a ``type`` error."""
    same_bounds, same_type = g[:2] == p[:2], g[2] == p[2]
    if same_bounds:
        return "correct" if same_type and can_be_correct else "type"
    return "boundary" if same_type else "boundary+type"


def _entity_pairs(gold: list[Document], pred: list[Document]):
    """The strict scheme's pairs (gold index, pred index, correct) over the non-nominal mentions, in
    ``entities.mention_table`` order, exactly as ``entities.entity_outcomes`` computes them."""
    from .counts import CORRECT
    from .entities import mention_table, scheme_pairs

    label_index = {lab: i for i, lab in enumerate(schema.ENTITY_TYPES)}
    entity_index: dict[str | None, int] = {None: 0}
    g = mention_table(gold, label_index, entity_index)
    p = mention_table(pred, label_index, entity_index)
    known = p["label"] < len(schema.ENTITY_TYPES)
    known_idx = np.flatnonzero(known)
    p_known = {k: v[known] for k, v in p.items()}
    ((_, (pg, pp, cat)),) = tuple(scheme_pairs(g, p_known, ("strict",)))
    return pg.tolist(), known_idx[pp].tolist(), (cat == CORRECT).tolist()


def _residual_pairs(g_items: list[tuple[int, int, int, str]], p_items: list[tuple[int, int, int, str]]):
    """One-to-one pairs of overlapping items (doc, start, end, label) by ``matching.assign``:
    most same-offset pairs, then most pairs, then most characters of overlap."""
    from .matching import assign, clusters, overlap

    if not g_items or not p_items:
        return [], []
    g = np.array([x[:3] for x in g_items], np.int64).reshape(-1, 3)
    p = np.array([x[:3] for x in p_items], np.int64).reshape(-1, 3)
    zg, zp = np.zeros(len(g), np.int64), np.zeros(len(p), np.int64)
    cl = clusters(g[:, 0], g[:, 1], g[:, 2], zg, p[:, 0], p[:, 1], p[:, 2], zp)

    def score(gi, pi):
        same = (g[gi, 1] == p[pi, 1]) & (g[gi, 2] == p[pi, 2])
        return same.astype(np.int8), overlap(g[gi, 1], g[gi, 2], p[pi, 1], p[pi, 2])

    pg, pp = assign(cl, score)
    return pg.tolist(), pp.tolist()


def _set_layer(gold, pred, items, key, rows: list) -> None:
    """Events and claims: set algebra on ``key(doc, item, known)``, then the residual pairing."""
    def table(docs, side):
        out = []
        for i, d in enumerate(docs):
            for item, label, known in items(d):
                out.append((i, item, label, key(i, item) if known else (side, i, id(item))))
        return out

    g, p = table(gold, "gold"), table(pred, "pred")
    g_first: dict = {}
    dup = set()
    for k, (_, _, _, kk) in enumerate(g):
        if kk in g_first:
            dup.add(k)
        else:
            g_first[kk] = k
    p_first: dict = {}
    for k, (_, _, _, kk) in enumerate(p):
        p_first.setdefault(kk, k)
    matched_g, matched_p = set(), set()
    for kk, a in g_first.items():
        b = p_first.get(kk)
        if b is not None:
            matched_g.add(a)
            matched_p.add(b)
            rows.append((g[a][0], "correct", g[a][1:3], p[b][1:3]))
    # a predicted key given twice cannot happen (prediction check); if it does, it is spurious
    rest_g = [k for k in range(len(g)) if k not in matched_g and k not in dup]
    rest_p = [k for k in range(len(p)) if k not in matched_p]
    for k in sorted(dup):
        rows.append((g[k][0], "duplicate", g[k][1:3], None))
    ga = [(g[k][0], g[k][1].start, g[k][1].end, g[k][2]) for k in rest_g]
    pa = [(p[k][0], p[k][1].start, p[k][1].end, p[k][2]) for k in rest_p]
    pg, pp = _residual_pairs(ga, pa)
    for a, b in zip(pg, pp):
        rows.append((ga[a][0], _pair_outcome(ga[a][1:], pa[b][1:], False), g[rest_g[a]][1:3], p[rest_p[b]][1:3]))
    for a in sorted(set(range(len(ga))) - set(pg)):
        rows.append((ga[a][0], "missed", g[rest_g[a]][1:3], None))
    for b in sorted(set(range(len(pa))) - set(pp)):
        rows.append((pa[b][0], "spurious", None, p[rest_p[b]][1:3]))


def claim_notes(gold: list[Document], pred: list[Document]) -> dict[tuple[int, int], tuple[tuple[str, ...], int]]:
    """(doc, gold claim index) -> (wrong attributes, predicted claim index), over the scorer's
    claim matching; each note is an item the scorer's source/cue/stance/value_exact accuracy
    counts as incorrect."""
    from .claims import VALUE_TESTS, _span, match_claims

    out = {}
    for i, a, b in match_claims(gold, pred):
        g, p = gold[i].claims[a], pred[i].claims[b]
        notes = []
        for field, layer in (("source", "mentions"), ("cue", "cues")):
            gs, ps = _span(gold[i], layer, getattr(g, field)), _span(pred[i], layer, getattr(p, field))
            if (gs is not None or ps is not None) and gs != ps:
                notes.append(f"wrong {field}")
        if g.stance != p.stance:
            notes.append(f"wrong stance {g.stance}->{p.stance}")
        if g.value is not None or p.value is not None:
            if not (g.value is not None and p.value is not None and VALUE_TESTS["value_exact"](g.value, p.value)):
                notes.append("wrong value")
        if notes:
            out[(i, a)] = (tuple(notes), b)
    return out


def span_outcomes(gold: list[Document], pred: list[Document], layers=LAYERS) -> list[SpanOutcome]:
    """Every gold and predicted span of ``layers``, judged (see the module doc). ``pred`` is
    aligned to ``gold`` by id (``harness.align``: a missing document is empty, an unknown id an
    error). Rows are in gold document order, then layer order, then by start offset."""
    from ...core.errors import Errors, NkbenchError, did_you_mean
    from .harness import align

    for layer in layers:
        if layer not in LAYERS:
            raise NkbenchError(f"unknown layer {layer!r}", hint=did_you_mean(layer, LAYERS), code=Errors.E537)
    pred, _missing = align(gold, pred)
    out: list[SpanOutcome] = []

    def span(doc: int, x, label: str) -> Span:
        return Span(x.start, x.end, label, gold[doc].text[x.start:x.end] if gold[doc].text is not None else x.text)

    for layer in LAYERS:
        if layer not in layers:
            continue
        rows: list = []  # (doc, outcome, (item, label) | None, (item, label) | None)
        if layer == "entities":
            g_items = [(i, m) for i, d in enumerate(gold) for m in d.mentions if not m.nominal]
            p_items = [(i, m) for i, d in enumerate(pred) for m in d.mentions if not m.nominal]
            pg, pp, ok = _entity_pairs(gold, pred)
            for a, b, correct in zip(pg, pp, ok):
                (i, gm), (_, pm) = g_items[a], p_items[b]
                rows.append((i, _pair_outcome((gm.start, gm.end, gm.label), (pm.start, pm.end, pm.label), correct),
                             (gm, gm.label), (pm, pm.label)))
            for a in sorted(set(range(len(g_items))) - set(pg)):
                rows.append((g_items[a][0], "missed", (g_items[a][1], g_items[a][1].label), None))
            for b in sorted(set(range(len(p_items))) - set(pp)):
                rows.append((p_items[b][0], "spurious", None, (p_items[b][1], p_items[b][1].label)))
        elif layer == "events":
            _set_layer(gold, pred, lambda d: [(e, e.label, e.label in schema.EVENT_TYPES) for e in d.events],
                       lambda i, e: (i, e.start, e.end, e.label), rows)
        else:
            _set_layer(gold, pred, lambda d: [(c, CLAIM_LABEL, True) for c in d.claims],
                       lambda i, c: (i, c.start, c.end), rows)
        notes = claim_notes(gold, pred) if layer == "claims" else {}
        g_pos = {(i, id(c)): a for i, d in enumerate(gold) for a, c in enumerate(d.claims)} if notes else {}
        p_pos = {(i, id(c)): b for i, d in enumerate(pred) for b, c in enumerate(d.claims)} if notes else {}
        built = []
        for i, outcome, g, p in rows:
            extra: tuple[str, ...] = ()
            if notes and g is not None:
                found = notes.get((i, g_pos[(i, id(g[0]))]))
                if found is not None:
                    extra, b = found
                    if p is None or p_pos[(i, id(p[0]))] != b:
                        pc = pred[i].claims[b]
                        extra = tuple(f"{n} (vs predicted claim [{pc.start}:{pc.end}))" for n in extra)
            built.append(SpanOutcome(gold[i].id, layer, outcome, None if g is None else span(i, *g),
                                     None if p is None else span(i, *p), extra))
        out += built
    order = {d.id: i for i, d in enumerate(gold)}
    out.sort(key=lambda r: (order[r.document], LAYERS.index(r.layer), r.start, (r.gold or r.pred).end, r.gold is None,
                            OUTCOMES.index(r.outcome), (r.gold.label if r.gold else ""), (r.pred.start if r.pred else -1),
                            (r.pred.end if r.pred else -1), (r.pred.label if r.pred else "")))
    return out


def counts(rows: list[SpanOutcome]) -> dict[str, dict[str, int]]:
    """layer -> outcome -> number of rows (every outcome listed, zeros included)."""
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        out.setdefault(r.layer, dict.fromkeys(OUTCOMES, 0))[r.outcome] += 1
    return {layer: out[layer] for layer in LAYERS if layer in out}


def strict_counts(c: dict[str, int]) -> dict[str, int]:
    """An outcome count row as the strict metric's (correct, missed, spurious) totals: every pair
    error is one missed and one spurious item (entities' ``incorrect`` counts in both)."""
    pairs = sum(c[k] for k in PAIR_ERRORS)
    return {"correct": c["correct"], "missed": pairs + c["missed"], "spurious": pairs + c["spurious"]}
