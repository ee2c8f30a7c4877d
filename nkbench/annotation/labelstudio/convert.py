"""Documents <-> Label Studio results, both ways, in one place.

Forward (``document_to_results``): every span is a ``labels`` region whose Label Studio id is the
span id; every field is a per-region result reusing that id; every reference is a relation.
Backward (``results_to_document``): the strict inverse, which reports every problem (with the
result index, region id and reason) instead of dropping or reshaping anything. The round trip
``results_to_document(document_to_results(d)) == d`` holds for every sound document.

Defaults: a missing ``polarity``/``realis``/``stance`` choice is the schema default (the first
value, what the model uses too); a missing ``nominal`` choice means a named mention; a missing
``entity_id``/``link``/``low``/``high`` is None. The forward direction always writes polarity,
realis and stance explicitly.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from ...core import schema
from ...core.errors import NkbenchError, did_you_mean
from ...core.model import Argument, Claim, Cue, Document, Event, Mention, NumericValue, check_document
from .config import (ATTRIBUTE_BY_NAME, ATTRIBUTES, CLAIM_LABEL, CONTROL_BY_LAYER, CONTROL_BY_NAME, CUE_LABEL,
                     LEGACY_TAGS, NOMINAL, PROPOSE, PROPOSED, RELATIONS, TEXT)

# ---------------------------------------------------------------------------------------------
# Forward: Document -> Label Studio results


def _region(x, control: str, label: str) -> dict:
    return {"id": x.id, "from_name": control, "to_name": TEXT, "type": "labels", "origin": "manual",
            "value": {"start": x.start, "end": x.end, "text": x.text, "labels": [label]}}


def _attribute(x, name: str, payload: dict) -> dict:
    tag = ATTRIBUTE_BY_NAME[name].tag.lower()
    return {"id": x.id, "from_name": name, "to_name": TEXT, "type": tag, "origin": "manual",
            "value": {"start": x.start, "end": x.end, "text": x.text, **payload}}


def _relation(from_id: str, to_id: str, label: str) -> dict:
    return {"from_id": from_id, "to_id": to_id, "type": "relation", "direction": "right", "labels": [label]}


def document_to_results(doc: Document) -> list[dict]:
    """The Label Studio ``result`` list of one annotation holding every layer of ``doc``."""
    out: list[dict] = []
    rels: list[dict] = []
    for m in doc.mentions:
        out.append(_region(m, CONTROL_BY_LAYER["mentions"].name, m.label))
        if m.entity_id is not None:
            out.append(_attribute(m, "entity_id", {"choices": [m.entity_id]}))
        if m.nominal:
            out.append(_attribute(m, "nominal", {"choices": [NOMINAL]}))
    for e in doc.events:
        out.append(_region(e, CONTROL_BY_LAYER["events"].name, e.label))
        out.append(_attribute(e, "polarity", {"choices": [e.polarity]}))
        out.append(_attribute(e, "realis", {"choices": [e.realis]}))
        rels += [_relation(e.id, a.mention, a.role) for a in e.arguments]
    for c in doc.cues:
        out.append(_region(c, CONTROL_BY_LAYER["cues"].name, CUE_LABEL))
    for c in doc.claims:
        out.append(_region(c, CONTROL_BY_LAYER["claims"].name, CLAIM_LABEL))
        out.append(_attribute(c, "stance", {"choices": [c.stance]}))
        if c.value is not None:
            for name in ("low", "high"):
                if getattr(c.value, name) is not None:
                    out.append(_attribute(c, name, {"number": getattr(c.value, name)}))
            out.append(_attribute(c, "hedge", {"choices": [c.value.hedge]}))
            out.append(_attribute(c, "counted", {"choices": [c.value.counted]}))
        if c.link is not None:
            out.append(_attribute(c, "link", {"choices": [c.link]}))
        for label, target in ((schema.CLAIMANT, c.source), (schema.CUE, c.cue), (schema.PARENT, c.parent)):
            if target is not None:
                rels.append(_relation(c.id, target, label))
    return out + rels


# ---------------------------------------------------------------------------------------------
# Backward: Label Studio results -> Document (strict)


@dataclass(slots=True)
class _Region:
    id: str
    layer: str
    label: str
    start: int
    end: int
    text: str
    index: int
    attrs: dict = field(default_factory=dict)


_SINGLE = {schema.CLAIMANT: "source", schema.CUE: "cue", schema.PARENT: "parent"}
_SPACE_RUN = re.compile(r"\s+")


def collapse_whitespace(text: str) -> str:
    """``text`` with every run of whitespace made one space: what a browser shows, and what Label
    Studio stores in value.text when the <Text> object collapses whitespace (a config without
    nkbench's <Style>, or an older project)."""
    return _SPACE_RUN.sub(" ", text)


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _layer_name(layer: str) -> str:
    return f"{CONTROL_BY_LAYER[layer].name} region"


def _a(layer: str) -> str:
    name = _layer_name(layer)
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


class _Parser:
    def __init__(self, text: str, where: str) -> None:
        self.text = text
        self.where = where
        self.problems: list[NkbenchError] = []
        self.collapsed: list[str] = []  # regions whose value.text has whitespace runs collapsed

    def fail(self, what: str, reason: str, hint: str = "") -> None:
        self.problems.append(NkbenchError(reason, where=f"{self.where}: {what}", hint=hint))

    # -- regions ------------------------------------------------------------------------------
    def region(self, i: int, r: dict, regions: dict[str, _Region]) -> None:
        control = CONTROL_BY_NAME[r["from_name"]]
        rid = r.get("id")
        what = f"result[{i}] region {rid!r}"
        ok = self.common(i, r, what, "labels")
        value = r.get("value")
        if not isinstance(value, dict):
            self.fail(what, "value is not an object")
            return
        labels = value.get("labels")
        if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
            self.fail(what, f"value.labels must be a list with one label, got {labels!r:.60}")
            return
        if len(labels) > 1:
            self.fail(what, f"region has several labels {labels}", "a span has exactly one label; split or relabel it")
            ok = False
        label = labels[0]
        if label not in control.labels:
            self.fail(what, f"unknown label {label!r} for control {control.name!r}", did_you_mean(label, control.labels))
            ok = False
        span = self.span(what, value)
        if not isinstance(rid, str) or not rid:
            return  # reported by common()
        if rid in regions:
            other = regions[rid]
            self.fail(what, f"region has several labels: {other.label or '?'} ({_layer_name(other.layer)}, result[{other.index}]) "
                            f"and {label} ({control.name})", "a span belongs to one layer with one label")
            return
        if span is None:
            ok = False
        start, end = span if span else (-1, -1)
        regions[rid] = _Region(rid, control.layer, label, start, end, self.text[start:end] if span else "", i)
        if not ok:
            regions[rid].label = ""  # keep the region (relations to it are not 'missing') but build nothing

    def common(self, i: int, r: dict, what: str, type_: str) -> bool:
        ok = True
        rid = r.get("id")
        if not isinstance(rid, str) or not rid:
            self.fail(f"result[{i}]", f"missing or non-string region id {rid!r}")
            ok = False
        if r.get("to_name") != TEXT:
            self.fail(what, f"to_name {r.get('to_name')!r} is not the text object {TEXT!r}")
            ok = False
        if r.get("type") not in (type_, LEGACY_TAGS.get(r["from_name"], type_)):
            self.fail(what, f"type {r.get('type')!r} does not match control {r['from_name']!r} (expected {type_!r})")
            ok = False
        return ok

    def span(self, what: str, value: dict) -> tuple[int, int] | None:
        start, end, stext = value.get("start"), value.get("end"), value.get("text")
        if not (_is_int(start) and _is_int(end)):
            self.fail(what, f"offsets must be integers, got start={start!r} end={end!r}")
            return None
        n = len(self.text)
        if start < 0 or end < start:
            self.fail(what, f"offsets reversed or negative: start={start} end={end}")
            return None
        if start == end:
            self.fail(what, f"empty span at {start}")
            return None
        if end > n:
            self.fail(what, f"offsets out of range: end={end} but the task text has {n} characters")
            return None
        if stext != self.text[start:end]:
            if isinstance(stext, str) and collapse_whitespace(stext) == collapse_whitespace(self.text[start:end]):
                # the offsets are the truth: the text is taken from the task, never an offset moved
                self.collapsed.append(f"{what} [{start}:{end}]: value.text {stext!r}, task text {self.text[start:end]!r}")
                return start, end
            self.fail(what, f"value.text {stext!r} does not match the task text at [{start}:{end}] "
                            f"{self.text[start:end]!r}", "offsets are Python code points, end-exclusive "
                            "(value.text may differ from the task text in runs of whitespace only)")
            return None
        return start, end

    # -- per-region attributes -----------------------------------------------------------------
    def attribute(self, i: int, r: dict, regions: dict[str, _Region]) -> None:
        attr = ATTRIBUTE_BY_NAME[r["from_name"]]
        rid = r.get("id")
        what = f"result[{i}] {attr.name} of region {rid!r}"
        if not self.common(i, r, what, attr.tag.lower()):
            return
        reg = regions.get(rid)
        if reg is None:
            self.fail(what, f"per-region attribute {attr.name!r} without its region (no labelled region has id {rid!r})")
            return
        if reg.layer != attr.layer:
            self.fail(what, f"attribute {attr.name!r} belongs to {_layer_name(attr.layer)}s, not to {_a(reg.layer)}")
            return
        if attr.name in reg.attrs:
            self.fail(what, f"attribute {attr.name!r} given twice for region {rid!r} (also result[{reg.attrs[attr.name][1]}])")
            return
        value = r.get("value")
        if not isinstance(value, dict):
            self.fail(what, "value is not an object")
            return
        if (value.get("start"), value.get("end")) != (reg.start, reg.end) and reg.label:
            self.fail(what, f"offsets [{value.get('start')}:{value.get('end')}] differ from its region's [{reg.start}:{reg.end}]")
            return
        if (r.get("type") != "textarea" and "text" in value and reg.label
                and not (isinstance(value["text"], str) and collapse_whitespace(value["text"]) == collapse_whitespace(reg.text))):
            self.fail(what, f"value.text {value['text']!r} differs from its region's text {reg.text!r}")
            return
        got = self.attribute_value(what, attr, value, r.get("type"))
        if got is not _BAD:
            reg.attrs[attr.name] = (got, i)

    def attribute_value(self, what: str, attr, value: dict, type_: str):
        if attr.tag == "Choices" and attr.name in PROPOSE and type_ == "choices":  # an id chosen from an inventory
            choices = value.get("choices")
            if not isinstance(choices, list) or len(choices) != 1 or not isinstance(choices[0], str):
                self.fail(what, f"expected exactly one choice, got {choices!r}")
                return _BAD
            return self.identifier(what, attr.name, choices[0])
        if attr.tag == "Choices" and type_ == "choices":
            choices = value.get("choices")
            if not isinstance(choices, list) or len(choices) != 1 or not isinstance(choices[0], str):
                self.fail(what, f"expected exactly one choice, got {choices!r}")
                return _BAD
            if choices[0] not in attr.values:
                self.fail(what, f"unknown {attr.name} {choices[0]!r}", did_you_mean(choices[0], attr.values))
                return _BAD
            return choices[0]
        if type_ == "textarea":
            texts = value.get("text")
            if not isinstance(texts, list) or len(texts) != 1 or not isinstance(texts[0], str):
                self.fail(what, f"expected exactly one text entry, got {texts!r}")
                return _BAD
            return self.identifier(what, attr.name, texts[0])
        number = value.get("number")
        if not isinstance(number, (int, float)) or isinstance(number, bool) or not math.isfinite(number):
            self.fail(what, f"expected a finite number, got {number!r}")
            return _BAD
        return number

    def identifier(self, what: str, name: str, t: str):
        if not t or t != t.strip() or any(ch.isspace() for ch in t):
            self.fail(what, f"{name} {t!r} is empty or contains whitespace", "ids are single tokens such as 'ilham_aliyev'")
            return _BAD
        return t

    # -- relations ------------------------------------------------------------------------------
    def relation(self, i: int, r: dict, regions: dict[str, _Region], refs: dict[str, list]) -> None:
        src, dst = r.get("from_id"), r.get("to_id")
        what = f"result[{i}] relation {src!r}->{dst!r}"
        labels = r.get("labels")
        if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
            self.fail(what, f"a relation needs exactly one label, got {labels!r}",
                      f"choose one of: {', '.join(RELATIONS)}")
            return
        label = labels[0]
        if label not in RELATIONS:
            self.fail(what, f"unknown relation label {label!r}", did_you_mean(label, RELATIONS))
            return
        direction = r.get("direction", "right")
        if direction == "left":
            src, dst = dst, src
        elif direction != "right":
            self.fail(what, f"relation direction {direction!r} has no meaning here", "draw it from the trigger/claim (direction 'right')")
            return
        missing = [x for x in (src, dst) if x not in regions]
        if missing:
            self.fail(what, f"{label} relation to a missing region {missing[0]!r}")
            return
        a, b = regions[src], regions[dst]
        want_from, want_to = RELATIONS[label]
        if a.layer != want_from or b.layer != want_to:
            self.fail(what, f"{label!r} goes from {_a(want_from)} to {_a(want_to)}, "
                            f"not from {_a(a.layer)} ({a.label or '?'}) to {_a(b.layer)} ({b.label or '?'})")
            return
        if a.layer == "events" and a.label in schema.EVENT_TYPES:
            roles = schema.EVENT_TYPES[a.label][0]
            if label not in roles:
                self.fail(what, f"role {label!r} is not a role of {a.label}", did_you_mean(label, roles))
                return
        if label in _SINGLE:
            key = (src, label)
            if key in refs:
                self.fail(what, f"claim {src!r} has several {label} relations (also result[{refs[key][0]}])")
                return
            refs[key] = [i, dst]
        else:
            args = refs.setdefault((src, "arguments"), [])
            if Argument(label, dst) in args:
                self.fail(what, f"event {src!r} has the {label} argument {dst!r} twice (the relation is drawn twice)",
                          "delete one of the two relations in Label Studio")
                return
            args.append(Argument(label, dst))

    # -- all together ---------------------------------------------------------------------------
    def parse(self, results, doc_id: str, language: str) -> Document | None:
        if not isinstance(results, list):
            self.fail("result", f"expected a list, got {type(results).__name__}")
            return None
        regions: dict[str, _Region] = {}
        attrs, rels = [], []
        names = [*CONTROL_BY_NAME, *ATTRIBUTE_BY_NAME]
        for i, r in enumerate(results):
            if not isinstance(r, dict):
                self.fail(f"result[{i}]", f"expected an object, got {type(r).__name__}")
            elif r.get("type") == "relation":
                rels.append((i, r))
            elif r.get("from_name") in CONTROL_BY_NAME:
                self.region(i, r, regions)
            elif r.get("from_name") in ATTRIBUTE_BY_NAME:
                attrs.append((i, r))
            else:
                name = r.get("from_name")
                self.fail(f"result[{i}] region {r.get('id')!r}", f"unknown control name {name!r}",
                          did_you_mean(str(name), names) + " (is the export from the nkbench labeling config?)")
        for i, r in attrs:
            self.attribute(i, r, regions)
        refs: dict = {}
        for i, r in rels:
            self.relation(i, r, regions, refs)
        if self.problems:
            return None
        return self.build(regions, refs, doc_id, language)

    def build(self, regions: dict[str, _Region], refs: dict, doc_id: str, language: str) -> Document | None:
        layers: dict[str, list] = {"mentions": [], "events": [], "cues": [], "claims": []}
        for reg in sorted(regions.values(), key=lambda x: x.index):
            for new, field_name in PROPOSED.items():  # an id proposed in the text area beside the list
                if new in reg.attrs:
                    proposed, i = reg.attrs.pop(new)
                    chosen = reg.attrs.get(field_name, (None, None))[0]
                    if chosen is not None and chosen != proposed:
                        self.fail(f"result[{i}] {new} of region {reg.id!r}",
                                  f"{field_name} {chosen!r} chosen from the list and {proposed!r} proposed: which one?",
                                  f"keep one: clear the choice or the text box of {field_name}")
                    reg.attrs[field_name] = (proposed, i)
            get = lambda name, default=None: reg.attrs.get(name, (default, None))[0]  # noqa: E731
            if reg.layer == "mentions":
                x = Mention(reg.id, reg.start, reg.end, reg.text, reg.label, get("entity_id"), get("nominal") == NOMINAL)
            elif reg.layer == "events":
                x = Event(reg.id, reg.start, reg.end, reg.text, reg.label, tuple(refs.get((reg.id, "arguments"), ())),
                          get("polarity", schema.POLARITY[0]), get("realis", schema.REALIS[0]))
            elif reg.layer == "cues":
                x = Cue(reg.id, reg.start, reg.end, reg.text)
            else:
                x = Claim(reg.id, reg.start, reg.end, reg.text, get("stance", schema.STANCES[0]),
                          *(refs.get((reg.id, label), (None, None))[1] for label in _SINGLE),
                          self.value(reg), get("link"))
            layers[reg.layer].append(x)
        doc = Document(doc_id, language, self.text, **{k: tuple(v) for k, v in layers.items()})
        for p in check_document(doc):
            self.fail("document", str(p))
        return None if self.problems else doc

    def value(self, reg: _Region) -> NumericValue | None:
        parts = {k: reg.attrs[k][0] for k in ("low", "high", "hedge", "counted") if k in reg.attrs}
        if not parts:
            return None
        for k in ("hedge", "counted"):
            if k not in parts:
                self.fail(f"claim {reg.id!r}", f"numeric value ({', '.join(sorted(parts))}) without {k}",
                          f"set {k} on the claim region, or remove its value fields")
        if "low" not in parts and "high" not in parts:
            self.fail(f"claim {reg.id!r}", "numeric value has neither low nor high")
        return NumericValue(parts.get("low"), parts.get("high"), parts.get("hedge", ""), parts.get("counted", ""))


_BAD = object()


def results_to_document(results, *, doc_id: str, language: str, text: str, where: str = "annotation",
                        collapsed: list[str] | None = None) -> tuple[Document | None, list[NkbenchError]]:
    """Parse one annotation's ``result`` list into a Document, strictly.

    Returns ``(document, [])`` or ``(None, problems)``: every problem, each naming the result
    index, region id and reason; nothing is dropped or repaired. A region whose value.text is
    the task's ``text[start:end]`` with runs of whitespace collapsed (what Label Studio stores
    when the page collapses whitespace) is accepted: its offsets are the truth and its text is
    taken from ``text``; each such region is appended to ``collapsed`` (where, offsets, both texts).
    """
    p = _Parser(text, where)
    doc = p.parse(results, doc_id, language)
    if collapsed is not None:
        collapsed += [f"{where}: {c}" for c in p.collapsed]
    return doc, p.problems


# ---------------------------------------------------------------------------------------------
# Predictions without text get their span texts from the verbatim text


def attach_text(doc: Document, text: str) -> Document:
    """``doc`` with ``text`` set and every missing span text filled from ``text`` (never changed
    where given: a mismatch is then reported by ``check_document``)."""
    def fill(x):
        if not x.text and 0 <= x.start < x.end <= len(text):
            return replace(x, text=text[x.start:x.end])
        return x
    return replace(doc, text=text, mentions=tuple(map(fill, doc.mentions)), events=tuple(map(fill, doc.events)),
                   cues=tuple(map(fill, doc.cues)), claims=tuple(map(fill, doc.claims)))


__all__ = ["ATTRIBUTES", "attach_text", "collapse_whitespace", "document_to_results", "results_to_document"]
