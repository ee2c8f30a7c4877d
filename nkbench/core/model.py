"""The one data model: documents, entity mentions, events, cues and claims.

Offsets are Python code-point offsets into the verbatim text, end-exclusive, everywhere.
The converter (Label Studio), the dataset builder, the scorer and the baselines all use these
classes; each external format converts to and from them in one place.

``document_from_dict`` is the only parser of the JSON form (gold and predictions alike) and
``check_document`` the only structural validator; both report every problem with its location.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from typing import Any

from . import schema
from .errors import NkbenchError, NkbenchErrors, did_you_mean


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention. ``nominal`` mentions ("the Kremlin spokesman") are annotated only where
    they fill an event argument or a claim source; the NER layer is the non-nominal mentions."""

    id: str
    start: int
    end: int
    text: str
    label: str
    entity_id: str | None = None
    nominal: bool = False


@dataclass(frozen=True, slots=True)
class Argument:
    """An event argument: a role filled by an entity mention (by id)."""

    role: str
    mention: str


@dataclass(frozen=True, slots=True)
class Event:
    """An event: its trigger span, type (``label``), arguments and ACE-style attributes."""

    id: str
    start: int
    end: int
    text: str
    label: str
    arguments: tuple[Argument, ...] = ()
    polarity: str = "positive"
    realis: str = "actual"


@dataclass(frozen=True, slots=True)
class Cue:
    """The reporting expression of a claim ("dijo", "rechazó", "said")."""

    id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class NumericValue:
    """A normalised figure: the stated bound(s), the hedge and what is counted.

    ``low``/``high`` are the numbers as stated (None = unbounded on that side); ``hedge`` says
    whether a bound is open or approximate (see ``schema.HEDGES`` and GUIDELINES.md).
    """

    low: float | None
    high: float | None
    hedge: str
    counted: str


@dataclass(frozen=True, slots=True)
class Claim:
    """An attributed statement: its content span, source mention, cue, stance, the outer claim
    it is nested in (``parent``), its numeric value and its cross-document link id."""

    id: str
    start: int
    end: int
    text: str
    stance: str = "asserts"
    source: str | None = None
    cue: str | None = None
    parent: str | None = None
    value: NumericValue | None = None
    link: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One article with every annotation layer. ``text`` is None in a predictions file."""

    id: str
    language: str
    text: str | None
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    cues: tuple[Cue, ...] = ()
    claims: tuple[Claim, ...] = ()

    def span_ids(self) -> set[str]:
        """Every id in the document, all layers."""
        return {x.id for layer in (self.mentions, self.events, self.cues, self.claims) for x in layer}


LAYERS = ("mentions", "events", "cues", "claims")
LANGUAGES = ("es", "en")

# ---------------------------------------------------------------------------------------------
# JSON form


def _value_to_dict(v: NumericValue | None) -> dict | None:
    if v is None:
        return None
    return {"low": v.low, "high": v.high, "hedge": v.hedge, "counted": v.counted}


def document_to_dict(doc: Document) -> dict[str, Any]:
    """The JSON form of a document (the gold JSONL and the prediction format)."""
    out: dict[str, Any] = {"id": doc.id, "language": doc.language}
    if doc.text is not None:
        out["text"] = doc.text
    out["mentions"] = [
        {"id": m.id, "start": m.start, "end": m.end, "text": m.text, "label": m.label,
         "entity_id": m.entity_id, "nominal": m.nominal}
        for m in doc.mentions
    ]
    out["events"] = [
        {"id": e.id, "start": e.start, "end": e.end, "text": e.text, "label": e.label,
         "arguments": [{"role": a.role, "mention": a.mention} for a in e.arguments],
         "polarity": e.polarity, "realis": e.realis}
        for e in doc.events
    ]
    out["cues"] = [{"id": c.id, "start": c.start, "end": c.end, "text": c.text} for c in doc.cues]
    out["claims"] = [
        {"id": c.id, "start": c.start, "end": c.end, "text": c.text, "stance": c.stance,
         "source": c.source, "cue": c.cue, "parent": c.parent, "value": _value_to_dict(c.value),
         "link": c.link}
        for c in doc.claims
    ]
    return out


class _Reader:
    """Collects typed fields from a JSON object, recording every problem with its path."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[NkbenchError] = []

    def fail(self, path: str, reason: str, hint: str = "") -> None:
        self.problems.append(NkbenchError(reason, where=f"{self.where}: {path}" if path else self.where, hint=hint))

    def get(self, obj: dict, key: str, path: str, kinds, *, required: bool = True, default=None):
        if key not in obj:
            if required:
                self.fail(f"{path}.{key}" if path else key, "missing field")
            return default
        value = obj[key]
        if value is None and type(None) in kinds:
            return None
        if isinstance(value, float) and not math.isfinite(value):  # NaN, Infinity: JSON extensions Python reads
            self.fail(f"{path}.{key}" if path else key, f"{value!r} is not a finite number",
                      hint="write a number, or null where the field allows it")
            return default
        # bool is an int in Python: never accept it where a number is meant, and vice versa.
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if not ok:
            names = "/".join("null" if k is type(None) else k.__name__ for k in kinds)
            self.fail(f"{path}.{key}" if path else key, f"expected {names}, got {type(value).__name__} {value!r:.40}")
            return default
        return value

    def objects(self, obj: dict, key: str, required: bool) -> list[tuple[str, dict]]:
        items = self.get(obj, key, "", (list,), required=required, default=[])
        out = []
        for i, item in enumerate(items or []):
            if isinstance(item, dict):
                out.append((f"{key}[{i}]", item))
            else:
                self.fail(f"{key}[{i}]", f"expected an object, got {type(item).__name__}")
        return out


_NUM = (int, float, type(None))


def _shared(value):
    """Labels, languages, entity ids and span ids repeat across a file: one string object each (``sys.intern``),
    not one per occurrence (less memory, and faster dictionary look-ups when scoring)."""
    return sys.intern(value) if type(value) is str else value


def document_from_dict(obj: Any, where: str = "document", *, require_text: bool = True) -> Document:
    """Parse and type-check the JSON form. Raises NkbenchErrors listing every problem.

    With ``require_text=False`` (predictions) the text and span ids may be absent; missing ids
    are assigned as ``<layer>-<index>`` and never collide with given ids.
    """
    r = _Reader(where)
    if not isinstance(obj, dict):
        raise NkbenchError(f"expected a JSON object, got {type(obj).__name__}", where=where)
    doc_id = r.get(obj, "id", "", (str,), default="")
    if doc_id:
        r.where = f"{where} (document {doc_id!r})"
    language = _shared(r.get(obj, "language", "", (str,), required=require_text, default=""))
    # gold needs its text (offsets are checked against it); predictions may omit it or give null
    text = r.get(obj, "text", "", (str,) if require_text else (str, type(None)), required=require_text)
    given_ids = {x.get("id") for k in LAYERS if isinstance(obj.get(k), list) for x in obj[k] if isinstance(x, dict)}

    def ident(o: dict, path: str, layer: str, i: int) -> str:
        if "id" in o or require_text:
            return _shared(r.get(o, "id", path, (str,), default=f"{layer}-{i}"))  # "m1", "e1"... repeat across documents
        auto, n = f"{layer}-{i}", 0
        while auto in given_ids:
            n += 1
            auto = f"{layer}-{i}-{n}"
        return auto

    def span(o: dict, path: str) -> tuple[int, int, str]:
        start = r.get(o, "start", path, (int,), default=-1)
        end = r.get(o, "end", path, (int,), default=-1)
        stext = r.get(o, "text", path, (str,), required=require_text, default=None)
        if stext is None and text is not None and 0 <= start <= end <= len(text):
            stext = text[start:end]
        return start, end, stext if stext is not None else ""

    mentions = []
    for i, (p, o) in enumerate(r.objects(obj, "mentions", require_text)):
        s, e, t = span(o, p)
        mentions.append(Mention(ident(o, p, "mentions", i), s, e, t, _shared(r.get(o, "label", p, (str,), default="")),
                                _shared(r.get(o, "entity_id", p, (str, type(None)), required=False)),
                                r.get(o, "nominal", p, (bool,), required=False, default=False)))
    events = []
    for i, (p, o) in enumerate(r.objects(obj, "events", require_text)):
        s, e, t = span(o, p)
        args = []
        for j, a in enumerate(r.get(o, "arguments", p, (list,), required=False, default=[]) or []):
            ap = f"{p}.arguments[{j}]"
            if not isinstance(a, dict):
                r.fail(ap, f"expected an object, got {type(a).__name__}")
                continue
            args.append(Argument(r.get(a, "role", ap, (str,), default=""), r.get(a, "mention", ap, (str,), default="")))
        events.append(Event(ident(o, p, "events", i), s, e, t, _shared(r.get(o, "label", p, (str,), default="")), tuple(args),
                            r.get(o, "polarity", p, (str,), required=False, default="positive"),
                            r.get(o, "realis", p, (str,), required=False, default="actual")))
    cues = []
    for i, (p, o) in enumerate(r.objects(obj, "cues", require_text)):
        s, e, t = span(o, p)
        cues.append(Cue(ident(o, p, "cues", i), s, e, t))
    claims = []
    for i, (p, o) in enumerate(r.objects(obj, "claims", require_text)):
        s, e, t = span(o, p)
        value = None
        v = r.get(o, "value", p, (dict, type(None)), required=False)
        if v is not None:
            vp = f"{p}.value"
            value = NumericValue(r.get(v, "low", vp, _NUM), r.get(v, "high", vp, _NUM),
                                 r.get(v, "hedge", vp, (str,), default=""), r.get(v, "counted", vp, (str,), default=""))
        claims.append(Claim(ident(o, p, "claims", i), s, e, t,
                            r.get(o, "stance", p, (str,), required=False, default="asserts"),
                            r.get(o, "source", p, (str, type(None)), required=False),
                            r.get(o, "cue", p, (str, type(None)), required=False),
                            r.get(o, "parent", p, (str, type(None)), required=False),
                            value,
                            r.get(o, "link", p, (str, type(None)), required=False)))
    unknown = set(obj) - {"id", "language", "text", *LAYERS}
    for key in sorted(unknown):
        r.fail(key, "unknown field", hint=f"the document fields are id, language, text, {', '.join(LAYERS)}")
    if r.problems:
        raise NkbenchErrors(r.problems, what=r.where)
    return Document(doc_id, language, text, tuple(mentions), tuple(events), tuple(cues), tuple(claims))


# ---------------------------------------------------------------------------------------------
# Structural validation (the guideline-level checks build on this in annotation/check code)


def check_document(doc: Document, *, text: str | None = None) -> list[NkbenchError]:
    """Every structural problem of a document: offsets, span texts, labels, references.

    ``text`` is the verbatim text to check offsets against (defaults to ``doc.text``).
    Returns a list (empty when the document is sound); never raises for bad content.
    """
    text = doc.text if text is None else text
    where = f"document {doc.id!r}"
    problems: list[NkbenchError] = []

    def fail(what: str, reason: str, hint: str = "") -> None:
        problems.append(NkbenchError(reason, where=f"{where}: {what}", hint=hint))

    if doc.language not in LANGUAGES:
        fail("language", f"unknown language {doc.language!r}", did_you_mean(doc.language, LANGUAGES))
    seen: dict[str, str] = {}
    for layer in LAYERS:
        for x in getattr(doc, layer):
            label = f"{layer[:-1]} {x.id!r} [{x.start}:{x.end}]"
            if x.id in seen:
                fail(label, f"duplicate id (also used by a {seen[x.id]})")
            seen[x.id] = layer[:-1]
            if not (isinstance(x.start, int) and isinstance(x.end, int)) or x.start < 0 or x.end < x.start:
                fail(label, "offsets reversed or negative (end is exclusive and must be >= start)")
            elif x.start == x.end:
                fail(label, "empty span")
            elif text is not None and x.end > len(text):
                fail(label, f"offsets out of range (text has {len(text)} characters)")
            elif text is not None and x.text and text[x.start:x.end] != x.text:
                fail(label, f"span text {x.text!r} does not match the text at its offsets {text[x.start:x.end]!r}")
    mentions = {m.id: m for m in doc.mentions}
    for m in doc.mentions:
        if m.label not in schema.ENTITY_TYPES:
            fail(f"mention {m.id!r}", f"unknown entity type {m.label!r}", did_you_mean(m.label, schema.ENTITY_TYPES))
    for e in doc.events:
        what = f"event {e.id!r}"
        if e.label not in schema.EVENT_TYPES:
            fail(what, f"unknown event type {e.label!r}", did_you_mean(e.label, schema.EVENT_TYPES))
            roles: tuple[str, ...] = schema.EVENT_ROLES
        else:
            roles = schema.EVENT_TYPES[e.label][0]
        if e.polarity not in schema.POLARITY:
            fail(what, f"unknown polarity {e.polarity!r}", did_you_mean(e.polarity, schema.POLARITY))
        if e.realis not in schema.REALIS:
            fail(what, f"unknown realis {e.realis!r}", did_you_mean(e.realis, schema.REALIS))
        for a in sorted({a for a in e.arguments if e.arguments.count(a) > 1}):
            fail(f"{what} argument {a.role}->{a.mention!r}", f"argument given {e.arguments.count(a)} times",
                 "give each (role, mention) of an event once")
        for a in e.arguments:
            if a.role not in roles:
                fail(f"{what} argument {a.role}->{a.mention!r}", f"role {a.role!r} is not a role of {e.label}",
                     did_you_mean(a.role, roles))
            if a.mention not in mentions:
                fail(f"{what} argument {a.role}->{a.mention!r}", "points to a missing entity mention")
    cues = {c.id for c in doc.cues}
    claims = {c.id: c for c in doc.claims}
    for c in doc.claims:
        what = f"claim {c.id!r}"
        if c.stance not in schema.STANCES:
            fail(what, f"unknown stance {c.stance!r}", did_you_mean(c.stance, schema.STANCES))
        if c.source is not None and c.source not in mentions:
            fail(what, f"source {c.source!r} is not an entity mention of this document")
        if c.cue is not None and c.cue not in cues:
            fail(what, f"cue {c.cue!r} is not a cue of this document")
        if c.parent is not None and (c.parent not in claims or c.parent == c.id):
            fail(what, f"parent {c.parent!r} is not another claim of this document")
        if c.value is not None:
            v = c.value
            if v.hedge not in schema.HEDGES:
                fail(what, f"unknown hedge {v.hedge!r}", did_you_mean(v.hedge, schema.HEDGES))
            if v.counted not in schema.COUNTED:
                fail(what, f"unknown counted {v.counted!r}", did_you_mean(v.counted, schema.COUNTED))
            if v.low is None and v.high is None:
                fail(what, "numeric value has neither low nor high")
            elif v.low is not None and v.high is not None and v.low > v.high:
                fail(what, f"numeric value low {v.low} > high {v.high}")
    # nested attribution must not loop
    for c in doc.claims:
        hops, p = 0, c.parent
        while p is not None and p in claims and hops <= len(claims):
            p, hops = claims[p].parent, hops + 1
        if hops > len(claims):
            fail(f"claim {c.id!r}", "parent chain loops")
    return problems


def validate_document(doc: Document, *, text: str | None = None) -> Document:
    """``check_document`` that raises NkbenchErrors when anything is wrong."""
    problems = check_document(doc, text=text)
    if problems:
        raise NkbenchErrors(problems, what=f"document {doc.id!r}")
    return doc
