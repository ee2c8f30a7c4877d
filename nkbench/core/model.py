"""The one data model: documents, entity mentions, events, cues and claims.

Offsets are Python code-point offsets into the verbatim text, end-exclusive, everywhere.
The converter (Label Studio), the dataset builder, the scorer and the baselines all use these
classes; each external format converts to and from them in one place.

**Every field is declared once, here** (``spec(...)``: its type from the annotation, its default,
its label inventory from ``nkbench.core.schema``, its documentation and its Label Studio control).
Every other form is derived from these declarations (``specs(cls)``): the JSON form and its parser
(below), the JSON Schema of predictions (``benchmark/scoring/jsonschema.py``), the dataset's
Features, rows and card documentation (``dataset/features.py``, ``rows.py``, ``card.py``), the
Label Studio attributes and conversion (``annotation/labelstudio/config.py``, ``convert.py``), the
adjudication record and the gold diff (``annotation/adjudication.py``, ``golddiff.py``) and the
baselines' builder (``benchmark/systems/base.py``). ``tests/test_fields.py`` adds a field to a copy
of these declarations and checks that every derived form carries it.

To add a field (a claim attribute, say): its label inventory, if it has one, in ``core/schema.py``;
its declaration here; for a Label Studio choice, its hotkeys in ``annotation/labelstudio/config.py``
(``HOTKEYS``) and ``annotation/README.md`` (the hotkey table); its rule in ``annotation/GUIDELINES.md``.
Then regenerate every generated file with ``nkbench regen`` (the config, the prediction schema, the
adjudication record, data/, the results, the figures) and the Label Studio golden files (``nkbench
annotate convert tests/golden/labelstudio/export.json --out tests/golden/labelstudio/gold.jsonl
--passes-out DIR``; ``DIR/2.jsonl`` is ``pass_2.jsonl``).

``document_from_dict`` is the only parser of the JSON form (gold and predictions alike) and
``check_document`` the only structural validator; both report every problem with its location.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import types
import typing
from dataclasses import MISSING, dataclass, field
from functools import cache
from typing import Any

from . import schema
from .errors import Errors, NkbenchError, NkbenchErrors, did_you_mean

# ---------------------------------------------------------------------------------------------
# The declaration of a field


@dataclass(frozen=True, slots=True)
class Control:
    """How Label Studio edits a field: a per-region control (``tag``: Choices, TextArea or Number)
    with its header ``hint``; ``choice`` is the one choice standing for True (a bool field);
    ``propose`` (an id chosen from an inventory file) adds a text area ``<name>_new`` with that hint
    to propose a new id; ``relation`` instead makes the field a relation with that label (drawn
    from the region to the region the field refers to)."""

    tag: str = "Choices"
    hint: str = ""
    choice: str = ""
    propose: str = ""
    relation: str = ""


@dataclass(frozen=True, slots=True)
class Spec:
    """One declared field, as the derived forms see it (``specs(cls)``)."""

    name: str
    kind: type  #: str, int, float, bool or a model class (a nested struct)
    nullable: bool  #: None is a value (JSON null)
    many: bool  #: a tuple of ``kind`` (a JSON list)
    default: Any  #: MISSING: required (the JSON form must give it)
    doc: str  #: the dataset card's description
    flat_doc: str  #: the description in the flat ``claims`` config (default: ``doc``)
    schema_doc: str  #: the JSON Schema's description ("" = none)
    inventory: tuple[str, ...] | None  #: the closed label set (``nkbench.core.schema``), or None
    ref: str  #: the layer whose span ids the field holds ("" = none)
    control: Control | None  #: the Label Studio control (None: the field has another LS form)
    gold_only: bool  #: required in gold only (a prediction may leave it out)
    shared: bool  #: ``sys.intern`` the parsed strings (they repeat across a file)
    minimum: int | None  #: the JSON Schema's minimum of an integer
    noun: str  #: a layer field: what one item is ("entity mention")

    struct: bool  #: ``kind`` is a model class (a nested struct, or the items of a list)

    @property
    def required(self) -> bool:
        return self.default is MISSING


def spec(default: Any = MISSING, *, doc: str, flat_doc: str = "", schema_doc: str = "", inventory=None,
         ref: str = "", control: Control | None = None, gold_only: bool = False, shared: bool = False,
         minimum: int | None = None, noun: str = "") -> Any:
    """Declare a field of a model class (a ``dataclasses.field`` carrying its ``Spec`` data)."""
    meta = {"doc": doc, "flat_doc": flat_doc or doc, "schema_doc": schema_doc,
            "inventory": None if inventory is None else tuple(inventory), "ref": ref, "control": control,
            "gold_only": gold_only, "shared": shared, "minimum": minimum, "noun": noun}
    return field(default=default, metadata={"nkbench": meta})


@cache
def specs(cls: type) -> tuple[Spec, ...]:
    """The declared fields of a model class, in declaration order, with their types resolved."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        if "nkbench" not in f.metadata:
            raise TypeError(f"{cls.__name__}.{f.name} is not declared with model.spec(...)")
        tp, nullable, many = hints[f.name], False, False
        if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            nullable, tp = len(args) < len(typing.get_args(tp)), args[0]
        if typing.get_origin(tp) is tuple:
            many, tp = True, typing.get_args(tp)[0]
        out.append(Spec(f.name, tp, nullable, many, f.default if f.default_factory is MISSING else MISSING,
                        **f.metadata["nkbench"], struct=dataclasses.is_dataclass(tp)))
    return tuple(out)


#: The fields every span of every layer has (``Span``): handled once by each form.
SPAN_FIELDS = ("id", "start", "end", "text")


# ---------------------------------------------------------------------------------------------
# The model


LANGUAGES = ("es", "en")

SPAN_NOUN = "span"  #: the word each layer's span-field docs replace with its own noun ("entity mention")


@dataclass(frozen=True, slots=True)
class Span:
    """What every annotation of every layer has: an id and a span of the text."""

    id: str = spec(doc="span id, unique within the document (`m…` mentions, `e…` events, `c…` cues, `k…` claims)",
                   schema_doc="optional in predictions; needed only to be referenced", gold_only=True, shared=True)
    start: int = spec(doc="start offset: Python code point into `text`, inclusive",
                      schema_doc="code-point offset into the gold text, inclusive", minimum=0)
    end: int = spec(doc="end offset: Python code point into `text`, **exclusive** (`text[start:end]` is the span)",
                    schema_doc="code-point offset, EXCLUSIVE (text[start:end])", minimum=0)
    text: str = spec(doc="the span's characters, equal to `text[start:end]`",
                     schema_doc="optional; when given it must equal text[start:end]", gold_only=True)


@dataclass(frozen=True, slots=True)
class Mention(Span):
    """An entity mention. ``nominal`` mentions ("the Kremlin spokesman") are annotated only where
    they fill an event argument or a claim source; the NER layer is the non-nominal mentions."""

    label: str = spec(doc="entity type", inventory=schema.ENTITY_TYPES, shared=True)
    entity_id: str | None = spec(
        None, shared=True,
        doc="canonical entity id, shared across documents and languages (null for DATE, TIME, QUANTITY and "
            "unresolved descriptions)",
        schema_doc="canonical entity id (linking); null if none",
        control=Control("Choices", "Canonical entity id: choose from annotation/entities.json",
                        propose="...or propose a new id (type it, press Enter; the adjudicator adds it to entities.json)"))
    nominal: bool = spec(
        False,
        doc="true for a description (\"el portavoz del Kremlin\") annotated because it fills an argument or claim "
            "source; the `ner` config leaves these out",
        schema_doc="true: not part of the NER layer (an argument/source filler)",
        control=Control("Choices", "Nominal mention", choice="nominal"))


@dataclass(frozen=True, slots=True)
class Argument:
    """An event argument: a role filled by an entity mention (by id)."""

    role: str = spec(doc="argument role (allowed roles depend on the event type; see below)",
                     inventory=schema.EVENT_ROLES)
    mention: str = spec(doc="id of the entity mention filling the role", schema_doc="id of a mention of this document",
                        ref="mentions")


@dataclass(frozen=True, slots=True)
class Event(Span):
    """An event: its trigger span, type (``label``), arguments and ACE-style attributes."""

    label: str = spec(doc="event type", inventory=schema.EVENT_TYPES, shared=True)
    # In Label Studio the arguments are relations labelled with the role (annotation/labelstudio/convert.py).
    arguments: tuple[Argument, ...] = spec((), doc="the event's arguments")
    polarity: str = spec("positive", doc="`negative` when the event is said not to have happened",
                         inventory=schema.POLARITY, control=Control("Choices", "Polarity"))
    realis: str = spec("actual", doc="`actual`, `generic` or `other` (future, hypothetical, demanded, denied)",
                       inventory=schema.REALIS, control=Control("Choices", "Realis"))


@dataclass(frozen=True, slots=True)
class Cue(Span):
    """The reporting expression of a claim ("dijo", "rechazó", "said")."""


@dataclass(frozen=True, slots=True)
class NumericValue:
    """A normalised figure: the stated bound(s), the hedge and what is counted.

    ``low``/``high`` are the numbers as stated (None = unbounded on that side); ``hedge`` says
    whether a bound is open or approximate (see ``schema.HEDGES`` and GUIDELINES.md).
    """

    low: float | None = spec(doc="lower bound as stated (null: unbounded below)",
                             control=Control("Number", "Value: low bound as stated (empty = unbounded)"))
    high: float | None = spec(doc="upper bound as stated (null: unbounded above)",
                              control=Control("Number", "Value: high bound as stated (empty = unbounded)"))
    hedge: str = spec(doc="how the bound is hedged (exact, approx, at_least, more_than, …)",
                      flat_doc="how the bound is hedged", inventory=schema.HEDGES, control=Control("Choices", "Hedge"))
    counted: str = spec(doc="what is counted (killed, injured, evacuated, …)", flat_doc="what is counted",
                        inventory=schema.COUNTED, control=Control("Choices", "Counted"))


@dataclass(frozen=True, slots=True)
class Claim(Span):
    """An attributed statement: its content span, source mention, cue, stance, the outer claim
    it is nested in (``parent``), its numeric value and its cross-document link id."""

    stance: str = spec("asserts", doc="what the source does with the content", inventory=schema.STANCES,
                       control=Control("Choices", "Stance"))
    source: str | None = spec(None, ref="mentions", control=Control(relation=schema.CLAIMANT),
                              doc="id of the mention of who makes the claim (null: the article's own voice)",
                              schema_doc="id of the source mention")
    cue: str | None = spec(None, ref="cues", control=Control(relation=schema.CUE),
                           doc="id of the reporting cue (null when there is none)", schema_doc="id of the cue")
    parent: str | None = spec(None, ref="claims", control=Control(relation=schema.PARENT),
                              doc="id of the outer claim this one is nested in (\"X said that Y said …\"), or null",
                              flat_doc="claim id of the outer claim (nested attribution), or null",
                              schema_doc="id of the claim this one is nested in")
    value: NumericValue | None = spec(None, doc="the normalised figure the claim states, or null")
    link: str | None = spec(
        None, doc="cross-document link id: claims about the same figure in different documents share it",
        flat_doc="cross-document link id, or null", schema_doc="cross-document link id: claims sharing it are linked",
        control=Control("Choices", "Cross-document link id: choose from annotation/links.json",
                        propose="...or propose a new link id (type it, press Enter; the adjudicator adds it to links.json)"))


@dataclass(frozen=True, slots=True)
class Document:
    """One article with every annotation layer. ``text`` is None in a predictions file.

    The document-level fields (id, language, text) have a different form in each format (the
    dataset adds metadata, a prediction may omit the text): each form writes them by hand; the
    layers are derived from their declarations."""

    id: str = spec(doc="document id (the seed file's stem)", schema_doc="the gold document id")
    language: str = spec(doc="`es` or `en`", schema_doc="optional; must equal the gold document's")
    text: str | None = spec(doc="the verbatim article text; every offset points into it",
                            schema_doc="allowed (gold documents validate), not needed")
    mentions: tuple[Mention, ...] = spec((), doc="list of entity mentions", noun="entity mention")
    events: tuple[Event, ...] = spec((), doc="list of event triggers", noun="event trigger")
    cues: tuple[Cue, ...] = spec((), doc="list of reporting cues", noun="reporting cue")
    claims: tuple[Claim, ...] = spec((), doc="list of claim contents", noun="claim content")

    def span_ids(self) -> set[str]:
        """Every id in the document, all layers."""
        return {x.id for layer in (self.mentions, self.events, self.cues, self.claims) for x in layer}


#: The document-level fields every format writes by hand (see ``Document``).
DOCUMENT_FIELDS = ("id", "language", "text")


@cache
def layer_specs(model: type = Document) -> tuple[Spec, ...]:
    """The annotation layers of a document class (its tuple fields), in order."""
    return tuple(s for s in specs(model) if s.many)


@cache
def own_specs(cls: type) -> tuple[Spec, ...]:
    """The fields of a layer's item class beyond the span fields every layer has."""
    return tuple(s for s in specs(cls) if not (issubclass(cls, Span) and s.name in SPAN_FIELDS))


LAYERS = tuple(s.name for s in layer_specs())

# ---------------------------------------------------------------------------------------------
# JSON form (derived from the declarations)


def item_to_dict(x) -> dict[str, Any]:
    """The JSON form of one item (a span of a layer, an argument, a value): every declared field."""
    return _writer(type(x))(x)


@cache
def _writer(cls: type):
    """``item_to_dict`` for ``cls``: a dict display of its fields, made once from its declarations
    (as ``dataclasses`` makes ``__init__``), as fast as one written by hand."""
    parts, env = [], {}
    for s in specs(cls):
        v = f"x.{s.name}"
        if s.struct:
            env[f"write_{s.name}"] = _writer(s.kind)
        if s.many:
            v = f"[write_{s.name}(i) for i in {v}]" if s.struct else f"list({v})"
        elif s.struct:
            v = f"(None if {v} is None else write_{s.name}({v}))"
        parts.append(f"{s.name!r}: {v}")
    return eval(f"lambda x: {{{', '.join(parts)}}}", env)  # noqa: S307 (made of declared field names only)


def document_to_dict(doc: Document) -> dict[str, Any]:
    """The JSON form of a document (the gold JSONL and the prediction format)."""
    out: dict[str, Any] = {"id": doc.id, "language": doc.language}
    if doc.text is not None:
        out["text"] = doc.text
    for s in layer_specs(type(doc)):
        write = _writer(s.kind)
        out[s.name] = [write(x) for x in getattr(doc, s.name)]
    return out


class _Reader:
    """Collects typed fields from a JSON object, recording every problem with its path."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[NkbenchError] = []

    def fail(self, path: str, reason: str, hint: str = "") -> None:
        self.problems.append(NkbenchError(reason, where=f"{self.where}: {path}" if path else self.where, hint=hint, code=Errors.E027))

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

    def objects(self, obj: dict, key: str, path: str, required: bool) -> list[tuple[str, dict]]:
        items = self.get(obj, key, path, (list,), required=required, default=[])
        out = []
        here = f"{path}.{key}" if path else key
        for i, item in enumerate(items or []):
            if isinstance(item, dict):
                out.append((f"{here}[{i}]", item))
            else:
                self.fail(f"{here}[{i}]", f"expected an object, got {type(item).__name__}")
        return out


def _shared(value):
    """Labels, languages, entity ids and span ids repeat across a file: one string object each (``sys.intern``),
    not one per occurrence (less memory, and faster dictionary look-ups when scoring)."""
    return sys.intern(value) if type(value) is str else value


#: What the parser accepts for each declared scalar type (a float field takes an int too) and what it
#: puts in place of a missing or wrong required value (the document is refused anyway).
_KINDS = {str: (str,), int: (int,), bool: (bool,), float: (int, float)}
_FALLBACK = {str: "", int: -1, bool: False, float: None}


@cache
def _reader(cls: type):
    """The parser of one item of ``cls``, made once from its declarations (as ``dataclasses`` makes
    ``__init__``: straight-line code, as fast as the parser written by hand it replaces). It reads
    a span's offsets and text first, then the nested fields (structs and lists), then the span id,
    then the scalar fields, each in declaration order (so problems are listed in that order). A
    float field takes an int too; a required field that is absent gets a placeholder (the document
    is refused anyway); an optional one its declared default."""
    env: dict[str, Any] = {"_shared": _shared, "cls": cls}
    code = ["def read(r, o, path, text, require_text, ident, layer, i):"]
    if issubclass(cls, Span):
        code += ['    f_start = r.get(o, "start", path, (int,), default=-1)',
                 '    f_end = r.get(o, "end", path, (int,), default=-1)',
                 '    f_text = r.get(o, "text", path, (str,), required=require_text, default=None)',
                 '    if f_text is None:',
                 '        f_text = text[f_start:f_end] if text is not None and 0 <= f_start <= f_end <= len(text) else ""']
    own = own_specs(cls)
    for s in own:
        if not (s.many or s.struct):
            continue
        env[f"read_{s.name}"] = _reader(s.kind)
        if s.many:
            code.append(f"    f_{s.name} = tuple(read_{s.name}(r, x, p, text, require_text, ident, '', 0) "
                        f"for p, x in r.objects(o, {s.name!r}, path, {s.required}))")
        else:
            env[f"kinds_{s.name}"] = (dict, type(None)) if s.nullable else (dict,)
            code += [f"    v = r.get(o, {s.name!r}, path, kinds_{s.name}, required={s.required})",
                     f"    f_{s.name} = None if v is None else read_{s.name}(r, v, path + {'.' + s.name!r}, text, "
                     "require_text, ident, '', 0)"]
    if issubclass(cls, Span):
        code.append("    f_id = ident(o, path, layer, i)")
    for s in own:
        if s.many or s.struct:
            continue
        env[f"kinds_{s.name}"] = _KINDS[s.kind] + ((type(None),) if s.nullable else ())
        env[f"default_{s.name}"] = _FALLBACK[s.kind] if s.required else s.default
        get = f"r.get(o, {s.name!r}, path, kinds_{s.name}, required={s.required}, default=default_{s.name})"
        code.append(f"    f_{s.name} = {'_shared(' + get + ')' if s.shared else get}")
    code.append(f"    return cls({', '.join('f_' + s.name for s in specs(cls))})")
    exec("\n".join(code), env)  # noqa: S102 (the code is made of declared field names only)
    return env["read"]


def document_from_dict(obj: Any, where: str = "document", *, require_text: bool = True,
                       model: type = Document) -> Document:
    """Parse and type-check the JSON form. Raises NkbenchErrors listing every problem.

    With ``require_text=False`` (predictions) the text and span ids may be absent; missing ids
    are assigned as ``<layer>-<index>`` and never collide with given ids. ``model`` is the
    document class whose declarations are read (``Document``).
    """
    r = _Reader(where)
    if not isinstance(obj, dict):
        raise NkbenchError(f"expected a JSON object, got {type(obj).__name__}", where=where, code=Errors.E028)
    doc_id = r.get(obj, "id", "", (str,), default="")
    if doc_id:
        r.where = f"{where} (document {doc_id!r})"
    language = _shared(r.get(obj, "language", "", (str,), required=require_text, default=""))
    # gold needs its text (offsets are checked against it); predictions may omit it or give null
    text = r.get(obj, "text", "", (str,) if require_text else (str, type(None)), required=require_text)
    layers = layer_specs(model)
    given_ids = {x.get("id") for s in layers if isinstance(obj.get(s.name), list)
                 for x in obj[s.name] if isinstance(x, dict)}

    def ident(o: dict, path: str, layer: str, i: int) -> str:
        if "id" in o or require_text:
            return _shared(r.get(o, "id", path, (str,), default=f"{layer}-{i}"))  # "m1", "e1"... repeat across documents
        auto, n = f"{layer}-{i}", 0
        while auto in given_ids:
            n += 1
            auto = f"{layer}-{i}-{n}"
        return auto

    parsed = {s.name: tuple(_reader(s.kind)(r, o, p, text, require_text, ident, s.name, i)
                            for i, (p, o) in enumerate(r.objects(obj, s.name, "", require_text)))
              for s in layers}
    names = [s.name for s in layers]
    unknown = set(obj) - {*DOCUMENT_FIELDS, *names}
    for key in sorted(unknown):
        r.fail(key, "unknown field", hint=f"the document fields are id, language, text, {', '.join(names)}")
    if r.problems:
        raise NkbenchErrors(r.problems, what=r.where)
    return model(doc_id, language, text, **parsed)


# ---------------------------------------------------------------------------------------------
# Structural validation (the guideline-level checks build on this in annotation/check code)


def _is_offset(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def span_problem(start, end, length: int | None, *, text: str = "text") -> str | None:
    """The one offset check: why ``[start:end]`` is not a span of a text of ``length`` code points
    (None: it is; ``length`` None: the range is not checked). Integers, ``0 <= start < end <= length``
    (end-exclusive). ``text`` names the text in the message ("the task text")."""
    if not (_is_offset(start) and _is_offset(end)):
        return f"offsets must be integers, got start={start!r} end={end!r}"
    if start < 0 or end < start:
        return f"offsets reversed or negative: start={start} end={end} (end is exclusive and must be >= start)"
    if start == end:
        return f"empty span at {start}"
    if length is not None and end > length:
        return f"offsets out of range: end={end} but the {text} has {length} characters"
    return None


def check_document(doc: Document, *, text: str | None = None) -> list[NkbenchError]:
    """Every structural problem of a document: offsets, span texts, labels, references.

    ``text`` is the verbatim text to check offsets against (defaults to ``doc.text``).
    Returns a list (empty when the document is sound); never raises for bad content.
    """
    text = doc.text if text is None else text
    where = f"document {doc.id!r}"
    problems: list[NkbenchError] = []

    def fail(what: str, reason: str, hint: str = "", code=Errors.E029) -> None:
        problems.append(NkbenchError(reason, where=f"{where}: {what}", hint=hint, code=code))

    def unknown(what: str, reason: str, hint: str = "") -> None:  # a label, not structure (Errors.E090)
        fail(what, reason, hint, Errors.E090)

    if doc.language not in LANGUAGES:
        fail("language", f"unknown language {doc.language!r}", did_you_mean(doc.language, LANGUAGES))
    seen: dict[str, str] = {}
    for layer in (s.name for s in layer_specs(type(doc))):
        for x in getattr(doc, layer):
            label = f"{layer[:-1]} {x.id!r} [{x.start}:{x.end}]"
            if x.id in seen:
                fail(label, f"duplicate id (also used by a {seen[x.id]})")
            seen[x.id] = layer[:-1]
            if reason := span_problem(x.start, x.end, None if text is None else len(text)):
                fail(label, reason)
            elif text is not None and x.text and text[x.start:x.end] != x.text:
                fail(label, f"span text {x.text!r} does not match the text at its offsets {text[x.start:x.end]!r}")
    mentions = {m.id: m for m in doc.mentions}

    def labels(x, what: str) -> None:  # every declared closed label set of an item, in declaration order
        for s in own_specs(type(x)):
            v = getattr(x, s.name)
            if (s.inventory is not None and not s.many and not (v is None and s.nullable)
                    and v not in s.inventory):
                name = s.doc if s.name == "label" else s.name  # "unknown entity type", "unknown stance"
                unknown(what, f"unknown {name} {v!r}", did_you_mean(v, s.inventory))

    # The scalar fields' labels are checked generically; references and the event roles (which depend on
    # the event type) by the rules below.
    for m in doc.mentions:
        labels(m, f"mention {m.id!r}")
    for e in doc.events:
        what = f"event {e.id!r}"
        labels(e, what)
        roles: tuple[str, ...] = schema.EVENT_TYPES[e.label][0] if e.label in schema.EVENT_TYPES else schema.EVENT_ROLES
        for a in sorted({a for a in e.arguments if e.arguments.count(a) > 1}):
            fail(f"{what} argument {a.role}->{a.mention!r}", f"argument given {e.arguments.count(a)} times",
                 "give each (role, mention) of an event once")
        for a in e.arguments:
            if a.role not in roles:
                unknown(f"{what} argument {a.role}->{a.mention!r}", f"role {a.role!r} is not a role of {e.label}",
                     did_you_mean(a.role, roles))
            if a.mention not in mentions:
                fail(f"{what} argument {a.role}->{a.mention!r}", "points to a missing entity mention")
    cues = {c.id for c in doc.cues}
    claims = {c.id: c for c in doc.claims}
    for c in doc.claims:
        what = f"claim {c.id!r}"
        labels(c, what)
        if c.source is not None and c.source not in mentions:
            fail(what, f"source {c.source!r} is not an entity mention of this document")
        if c.cue is not None and c.cue not in cues:
            fail(what, f"cue {c.cue!r} is not a cue of this document")
        if c.parent is not None and (c.parent not in claims or c.parent == c.id):
            fail(what, f"parent {c.parent!r} is not another claim of this document")
        if c.value is not None:
            v = c.value
            labels(v, what)
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
