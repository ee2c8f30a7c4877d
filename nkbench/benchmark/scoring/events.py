"""Events: the TextEE end-to-end metrics, by strict set algebra over tuples, and attributes.

Keys (``doc`` = document index; offsets end-exclusive; an argument's span is the span of the
entity mention that fills it, nominal or not):

==================  ====================================================  ===============
metric              key                                                   per-label key
==================  ====================================================  ===============
trigger_id          (doc, trigger start, trigger end)                     event type
trigger_cls         (doc, trigger start, trigger end, type)               event type
argument_id         (doc, type, argument start, argument end)             event type
argument_cls        (doc, type, argument start, argument end, role)       role
argument_id+        (doc, trigger start, end, type, argument start, end)  event type
argument_cls+       (doc, trigger start, end, type, arg start, end, role) role
==================  ====================================================  ===============

The ``+`` ("attached") variants require the argument to hang off a trigger with the same span
and type, i.e. a trigger that is correct under ``trigger_cls``. Keys are sets, as in TextEE:
a repeated key counts once. ``polarity`` and ``realis`` are accuracies over the ``trigger_cls``
matches (the first event with a given key on each side is compared).

A predicted event whose type is not an event type (only with ``unknown_labels="spurious"``) gets
a key that matches nothing: it and its arguments are spurious in every metric; likewise an
argument whose role is not a role of its event type.
"""

from __future__ import annotations

from ...core import schema
from ...core.model import Document
from .counts import Outcomes, accuracy_outcomes, set_outcomes

METRICS = ("trigger_id", "trigger_cls", "argument_id", "argument_cls", "argument_id+", "argument_cls+")
ATTRIBUTES = ("polarity", "realis")


def _keys(docs: list[Document], unit_of, side: str) -> tuple[dict[str, dict], dict]:
    """Per metric: key -> (doc, unit, label); and trigger_cls key -> event (first one)."""
    out: dict[str, dict] = {m: {} for m in METRICS}
    events: dict = {}
    for i, d in enumerate(docs):
        spans = {m.id: (m.start, m.end) for m in d.mentions}
        for n, e in enumerate(d.events):
            known = e.label in schema.EVENT_TYPES
            junk = (side, i, n)  # a key that can never match the other side
            u = unit_of(i, e.start)
            tri = (i, e.start, e.end)
            out["trigger_id"].setdefault(tri if known else junk, (i, u, e.label))
            cls = (i, e.start, e.end, e.label)
            out["trigger_cls"].setdefault(cls if known else junk, (i, u, e.label))
            if known:
                events.setdefault(cls, e)
            roles = schema.EVENT_TYPES[e.label][0] if known else ()
            for k, a in enumerate(e.arguments):
                s, t = spans.get(a.mention, (-1, -1))
                ua = unit_of(i, s)
                ok = known and a.role in roles
                ajunk = (side, i, n, k)
                out["argument_id"].setdefault((i, e.label, s, t) if ok else ajunk, (i, ua, e.label))
                out["argument_cls"].setdefault((i, e.label, s, t, a.role) if ok else ajunk, (i, ua, a.role))
                out["argument_id+"].setdefault((i, e.start, e.end, e.label, s, t) if ok else ajunk, (i, ua, e.label))
                out["argument_cls+"].setdefault((i, e.start, e.end, e.label, s, t, a.role) if ok else ajunk, (i, ua, a.role))
    return out, events


def event_outcomes(gold: list[Document], pred: list[Document], unit_of=None) -> dict[str, Outcomes]:
    """Outcomes of every event metric and attribute for aligned gold/pred document lists.

    ``unit_of(doc_index, offset) -> int`` gives the resampling unit (default: the document).
    """
    unit_of = unit_of or (lambda doc, offset: doc)
    g, g_events = _keys(gold, unit_of, "gold")
    p, p_events = _keys(pred, unit_of, "pred")
    type_labels = tuple(sorted({v[2] for m in METRICS for side in (g, p) for v in side[m].values()}))
    out = {m: set_outcomes(g[m], p[m], type_labels) for m in METRICS}
    for attr in ATTRIBUTES:
        rows = [(getattr(e, attr) == getattr(p_events[k], attr), k[0], g["trigger_cls"][k][1], e.label)
                for k, e in g_events.items() if k in p_events]
        out[attr] = accuracy_outcomes(rows, type_labels)
    return out
