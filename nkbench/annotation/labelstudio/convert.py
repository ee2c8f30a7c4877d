"""Documents <-> Label Studio results, both ways, in one place.

Forward (``document_to_results``): every span is a ``labels`` region whose Label Studio id is the
span id; every field is a per-region result reusing that id; every reference is a relation.
Backward (``results_to_document``): the strict inverse, which reports every problem (with the
result index, region id and reason) instead of dropping or reshaping anything. The round trip
``results_to_document(document_to_results(d)) == d`` holds for every sound document.

Both directions are derived from the field declarations of ``nkbench.core.model`` (``config.attributes``
and ``config.claim_relations``); only the event arguments (relations labelled with their role) are
written by hand, their shape being Label Studio's own.

Defaults: a missing ``polarity``/``realis``/``stance`` choice is the field's declared default (the
first value of its inventory); a missing ``nominal`` choice means a named mention; a missing
``entity_id``/``link``/``low``/``high`` is None. The forward direction writes every field that is
not None or false, so polarity, realis and stance always.
"""

from __future__ import annotations

import math
import re
from dataclasses import MISSING, dataclass, field, replace

from ...core import schema
from ...core.errors import Errors, NkbenchError, did_you_mean
from ...core.model import Argument, Document, layer_specs, own_specs, span_problem, specs
from ...core.validity import structural_problems
from .config import (ATTRIBUTES, CONTROL_BY_LAYER, CONTROL_BY_NAME, LEGACY_TAGS, PROPOSE, PROPOSED, RELATIONS, TEXT,
                     Attribute, attributes, claim_relations)

# ---------------------------------------------------------------------------------------------
# Forward: Document -> Label Studio results


def _region(x, control: str, label: str) -> dict:
    return {"id": x.id, "from_name": control, "to_name": TEXT, "type": "labels", "origin": "manual",
            "value": {"start": x.start, "end": x.end, "text": x.text, "labels": [label]}}


def _attribute(x, a: Attribute, value) -> dict:
    """The per-region result of attribute ``a`` with the model value ``value``."""
    if a.tag == "Number":
        payload = {"number": value}
    elif a.tag == "TextArea":
        payload = {"text": [value]}
    else:  # Choices: a bool field is its one choice (given only when true)
        payload = {"choices": [a.values[0] if value is True else value]}
    return {"id": x.id, "from_name": a.name, "to_name": TEXT, "type": a.tag.lower(), "origin": "manual",
            "value": {"start": x.start, "end": x.end, "text": x.text, **payload}}


def _relation(from_id: str, to_id: str, label: str) -> dict:
    return {"from_id": from_id, "to_id": to_id, "type": "relation", "direction": "right", "labels": [label]}


def _path(x, path: tuple[str, ...]):
    for name in path:
        x = None if x is None else getattr(x, name)
    return x


def document_to_results(doc: Document) -> list[dict]:
    """The Label Studio ``result`` list of one annotation holding every layer of ``doc``: per item its
    region, then its attributes (``config.attributes``: every declared field that is not None or
    false), its relations after all regions."""
    model = type(doc)
    attrs, relations = attributes(model), claim_relations(model)
    out: list[dict] = []
    rels: list[dict] = []
    for layer in layer_specs(model):
        control = CONTROL_BY_LAYER[layer.name]
        mine = [a for a in attrs if a.layer == layer.name and not a.proposes]
        has_label = any(s.name == "label" for s in specs(layer.kind))
        single = [(label, f) for label, (from_layer, _, f) in relations.items() if from_layer == layer.name]
        for x in getattr(doc, layer.name):
            out.append(_region(x, control.name, x.label if has_label else control.labels[0]))
            for a in mine:
                v = _path(x, a.path)
                if v is not None and v is not False:
                    out.append(_attribute(x, a, v))
            if layer.name == "events":  # an argument is a relation labelled with its role
                rels += [_relation(x.id, arg.mention, arg.role) for arg in x.arguments]
            rels += [_relation(x.id, getattr(x, f), label) for label, f in single if getattr(x, f) is not None]
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


_SPACE_RUN = re.compile(r"\s+")


def collapse_whitespace(text: str) -> str:
    """``text`` with every run of whitespace made one space: what a browser shows, and what Label
    Studio stores in value.text when the <Text> object collapses whitespace (a config without
    nkbench's <Style>, or an older project)."""
    return _SPACE_RUN.sub(" ", text)


def _layer_name(layer: str) -> str:
    return f"{CONTROL_BY_LAYER[layer].name} region"


def _a(layer: str) -> str:
    name = _layer_name(layer)
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


class _Parser:
    def __init__(self, text: str, where: str, model: type = Document) -> None:
        self.text = text
        self.where = where
        self.model = model
        self.attributes = {a.name: a for a in attributes(model)}
        #: relation label -> the field it gives (source, cue, parent); the roles give the arguments
        self.single = {label: f for label, (_, _, f) in claim_relations(model).items()}
        self.relations = {**RELATIONS, **{label: (a, b) for label, (a, b, _) in claim_relations(model).items()}}
        self.problems: list[NkbenchError] = []
        self.collapsed: list[str] = []  # regions whose value.text has whitespace runs collapsed

    def fail(self, what: str, reason: str, hint: str = "") -> None:
        self.problems.append(NkbenchError(reason, where=f"{self.where}: {what}", hint=hint, code=Errors.E299))

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
        if reason := span_problem(start, end, len(self.text), text="task text"):
            self.fail(what, reason)
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
        attr = self.attributes[r["from_name"]]
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
                      f"choose one of: {', '.join(self.relations)}")
            return
        label = labels[0]
        if label not in self.relations:
            self.fail(what, f"unknown relation label {label!r}", did_you_mean(label, self.relations))
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
        want_from, want_to = self.relations[label]
        if a.layer != want_from or b.layer != want_to:
            self.fail(what, f"{label!r} goes from {_a(want_from)} to {_a(want_to)}, "
                            f"not from {_a(a.layer)} ({a.label or '?'}) to {_a(b.layer)} ({b.label or '?'})")
            return
        if a.layer == "events" and a.label in schema.EVENT_TYPES:
            roles = schema.EVENT_TYPES[a.label][0]
            if label not in roles:
                self.fail(what, f"role {label!r} is not a role of {a.label}", did_you_mean(label, roles))
                return
        if label in self.single:
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
        names = [*CONTROL_BY_NAME, *self.attributes]
        for i, r in enumerate(results):
            if not isinstance(r, dict):
                self.fail(f"result[{i}]", f"expected an object, got {type(r).__name__}")
            elif r.get("type") == "relation":
                rels.append((i, r))
            elif r.get("from_name") in CONTROL_BY_NAME:
                self.region(i, r, regions)
            elif r.get("from_name") in self.attributes:
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
        layers = {s.name: s.kind for s in layer_specs(self.model)}
        built: dict[str, list] = {name: [] for name in layers}
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
            built[reg.layer].append(self.item(reg, refs, layers[reg.layer]))
        doc = self.model(doc_id, language, self.text, **{k: tuple(v) for k, v in built.items()})
        for p in structural_problems(doc):
            self.fail("document", str(p))
        return None if self.problems else doc

    def item(self, reg: _Region, refs: dict, cls: type):
        """The model item of one region, every declared field from its Label Studio form: the label of
        the region, a relation, an attribute (``config.attributes``), or a struct of attributes. A
        missing choice is the field's declared default; a missing bool choice is false."""
        values = {"id": reg.id, "start": reg.start, "end": reg.end, "text": reg.text}
        relations = {f: label for label, f in self.single.items()}
        for s in own_specs(cls):
            if s.name == "label":
                v = reg.label
            elif s.many:  # the event arguments: relations labelled with the role
                v = tuple(refs.get((reg.id, s.name), ()))
            elif s.name in relations:
                v = refs.get((reg.id, relations[s.name]), (None, None))[1]
            elif s.struct:
                v = self.struct(reg, s.kind)
            elif s.kind is bool:
                v = reg.attrs.get(s.name, (None, None))[0] == s.control.choice
            else:
                v = reg.attrs.get(s.name, (s.default, None))[0]
                if v is MISSING:
                    self.fail(f"{_layer_name(reg.layer)} {reg.id!r}", f"no {s.name}", f"set {s.name} on the region")
            values[s.name] = v
        return cls(**values)

    def struct(self, reg: _Region, cls: type):
        """A struct of attributes (the claim's numeric value): None when none of its attributes is
        given; its fields that cannot be null are then required, and one of those that can."""
        fields = specs(cls)
        parts = {s.name: reg.attrs[s.name][0] for s in fields if s.name in reg.attrs}
        if not parts:
            return None
        for s in fields:
            if not s.nullable and s.name not in parts:
                self.fail(f"claim {reg.id!r}", f"numeric value ({', '.join(sorted(parts))}) without {s.name}",
                          f"set {s.name} on the claim region, or remove its value fields")
        nullable = [s.name for s in fields if s.nullable]
        if nullable and not any(name in parts for name in nullable):
            self.fail(f"claim {reg.id!r}", f"numeric value has neither {' nor '.join(nullable)}")
        return cls(**{s.name: parts.get(s.name, None if s.nullable else "") for s in fields})


_BAD = object()


def results_to_document(results, *, doc_id: str, language: str, text: str, where: str = "annotation",
                        collapsed: list[str] | None = None,
                        model: type = Document) -> tuple[Document | None, list[NkbenchError]]:
    """Parse one annotation's ``result`` list into a Document, strictly.

    Returns ``(document, [])`` or ``(None, problems)``: every problem, each naming the result
    index, region id and reason; nothing is dropped or repaired. A region whose value.text is
    the task's ``text[start:end]`` with runs of whitespace collapsed (what Label Studio stores
    when the page collapses whitespace) is accepted: its offsets are the truth and its text is
    taken from ``text``; each such region is appended to ``collapsed`` (where, offsets, both texts).
    """
    p = _Parser(text, where, model)
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
