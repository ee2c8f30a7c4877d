"""Loading predictions (and gold) files and checking predictions against the gold.

A predictions file is JSON Lines, one document per line, in the model's JSON form without the
text (``benchmark/PREDICTIONS.md``; schema ``benchmark/prediction.schema.json``). Everything
wrong is reported with ``file:line``, document and span, all problems at once:

- malformed JSON, wrong field types (``document_from_dict``);
- unknown fields at every depth (a document, a mention, an event, an argument, a cue, a claim, a
  value), each with its path and a did-you-mean, as ``prediction.schema.json`` says
  (``additionalProperties: false`` everywhere; ``strict_fields``);
- rows of the dataset: a ``documents`` row is read as is (its ``metadata`` is not a prediction and
  is skipped; ``ClassLabel`` ids are decoded to names with the dataset's label order, an id out of
  range is an error: ``decode_class_labels``); a row of another config (``ner``, ``claims``) is an
  error that names the config and the converter (``nkbench convert``);
- an empty file, a file that is not UTF-8 (``nkbench.core.io``);
- a document id given twice, a document id not in the gold (with a did-you-mean);
- offsets out of range of the gold text or reversed, a span text that does not match the gold
  text, references to missing mentions/cues/claims, duplicate spans (``validity.structural_problems``
  against the gold text: the rule ``nkbench annotate check`` applies too);
- a language that differs from the gold document's;
- duplicate spans (same offsets and label twice in a layer; same role and filler twice in an event);
- unknown labels (entity/event types, roles, stances, attributes): an error with a did-you-mean,
  or, with ``unknown_labels="spurious"``, kept and counted as spurious (types, roles) or as
  wrong (stances, polarity, realis, hedges) by the scorer, never dropped.

Gold documents missing from the predictions are scored as empty documents and listed in the
report (``missing_documents``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from ...core.errors import Errors, NkbenchError, NkbenchErrors, did_you_mean, problems_of
from ...core.io import display_name, iter_documents
from ...core.model import Document, document_from_dict, layer_specs, own_specs
from ...core.validity import duplicates, seed_problems, structural_problems

UNKNOWN_LABEL_POLICIES = ("error", "spurious")


def _class_labels(model: type = Document) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Every field with a closed label set (a ClassLabel in the dataset), by path, from the model's
    declarations: the dataset's ``ClassLabel(names=...)`` are these tuples (``dataset/features.py``)."""
    out = {}

    def walk(cls: type, path: tuple[str, ...]) -> None:
        for s in own_specs(cls):
            if s.struct:
                walk(s.kind, (*path, s.name))
            elif s.inventory is not None:
                out[(*path, s.name)] = s.inventory

    for layer in layer_specs(model):
        walk(layer.kind, (layer.name,))
    return out


#: ClassLabel fields of the dataset's ``documents`` config -> the label names in id order.
CLASS_LABELS: dict[tuple[str, ...], tuple[str, ...]] = _class_labels()
#: Top-level fields of a dataset ``documents`` row that are not part of a prediction (skipped).
ROW_ONLY_FIELDS = ("metadata",)
#: A field only a row of another dataset config has -> (config, how to convert it).
OTHER_CONFIGS = {
    "ner_tags": ("ner", "nkbench convert ROWS.jsonl --from ner --gold GOLD --out predictions.jsonl"),
    "tokens": ("ner", "nkbench convert ROWS.jsonl --from ner --gold GOLD --out predictions.jsonl"),
    "document_id": ("ner/claims", "score the `documents` config, or convert `ner` rows with "
                                  "nkbench convert ROWS.jsonl --from ner --gold GOLD --out predictions.jsonl"),
}

_SCHEMA: dict | None = None


def _prediction_schema() -> dict:
    global _SCHEMA
    if _SCHEMA is None:
        from .jsonschema import prediction_schema

        _SCHEMA = prediction_schema()
    return _SCHEMA


def _fields(node: dict) -> dict | None:
    """The properties of an object node of the schema (None: not an object node)."""
    return node.get("properties") if "object" in (node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]) else None


def strict_fields(obj: dict, where: str) -> list[NkbenchError]:
    """Every field the prediction schema does not know, at every depth, as an error naming its
    path (``claims[2].value.hedgee``) with a did-you-mean among the fields allowed there.
    ``metadata`` at the top (a dataset row's) is allowed and skipped."""
    problems: list[NkbenchError] = []

    def walk(value, node: dict, path: str) -> None:
        if isinstance(value, dict):
            props = _fields(node)
            if props is None:
                return
            for key in value:
                if key in props:
                    walk(value[key], props[key], f"{path}.{key}" if path else key)
                elif not path and key in ROW_ONLY_FIELDS:
                    continue
                else:
                    known = ", ".join(props)
                    hint = did_you_mean(str(key), props)
                    if hint.startswith("known:"):
                        hint = f"the fields here are {known}"
                    problems.append(NkbenchError(f"unknown field {key!r}", where=f"{where}: {path + '.' if path else ''}{key}",
                                                 hint=hint, code=Errors.E538))
        elif isinstance(value, list) and isinstance(node.get("items"), dict):
            for i, item in enumerate(value):
                walk(item, node["items"], f"{path}[{i}]")

    walk(obj, _prediction_schema(), "")
    return problems


def decode_class_labels(obj: dict, where: str) -> tuple[dict, list[NkbenchError]]:
    """``obj`` with ClassLabel ids (integers where a dataset ``documents`` row has a label) turned
    into names, and the problems (an id out of range). Copies only what it changes."""
    problems: list[NkbenchError] = []

    def fix(value, path: tuple[str, ...], shown: str):
        if isinstance(value, dict):
            out = None
            for key, v in value.items():
                here = f"{shown}.{key}" if shown else str(key)
                names = CLASS_LABELS.get((*path, key))
                if names is not None and isinstance(v, int) and not isinstance(v, bool):
                    if 0 <= v < len(names):
                        new = names[v]
                    else:
                        problems.append(NkbenchError(
                            f"ClassLabel id {v} out of range: {key} ids are 0..{len(names) - 1} ({', '.join(names)})",
                            where=f"{where}: {here}", hint="decode the row with the dataset's features, "
                            "or give the label name", code=Errors.E539))
                        new = f"<ClassLabel id {v}>"  # reported above; not reported again as a type error
                else:
                    new = fix(v, (*path, key), here) if isinstance(v, (dict, list)) else v
                if new is not v:
                    out = dict(value) if out is None else out
                    out[key] = new
            return value if out is None else out
        if isinstance(value, list):
            new = [fix(v, path, f"{shown}[{i}]") for i, v in enumerate(value)]
            return value if all(a is b for a, b in zip(new, value)) else new
        return value

    return fix(obj, (), ""), problems


_FAST: tuple | None = None


def _fast_tables() -> tuple:
    """Allowed keys and ClassLabel fields per place, from the schema and the declarations (computed
    once): the top-level keys, then per layer (allowed keys, ClassLabel fields, nested fields as
    ``(name, is a list, allowed keys, ClassLabel fields)``: an event's arguments, a claim's value)."""
    global _FAST
    if _FAST is None:
        sch = _prediction_schema()["properties"]
        layers = {}
        for spec in layer_specs():
            props = sch[spec.name]["items"]["properties"]
            nested = []
            for s in own_specs(spec.kind):
                if s.struct:
                    node = props[s.name]["items"] if s.many else props[s.name]
                    nested.append((s.name, s.many, frozenset(node["properties"]),
                                   tuple(k[2] for k in CLASS_LABELS if k[:2] == (spec.name, s.name))))
            layers[spec.name] = (frozenset(props), tuple(k[1] for k in CLASS_LABELS if len(k) == 2 and k[0] == spec.name),
                                 tuple(nested))
        _FAST = (frozenset(sch) | frozenset(ROW_ONLY_FIELDS), layers)
    return _FAST


def _clean(obj: dict) -> bool:
    """True when no field is unknown and no ClassLabel id needs decoding, at any depth (the common
    case, checked without copying; otherwise ``strict_fields``/``decode_class_labels`` say what)."""
    top, layers = _fast_tables()
    if not obj.keys() <= top:
        return False
    for layer, (allowed, fields, nested) in layers.items():
        items = obj.get(layer)
        if type(items) is not list:
            continue  # not a list: the parser reports it
        for x in items:
            if type(x) is not dict:
                continue
            if not x.keys() <= allowed:
                return False
            for f in fields:
                if type(x.get(f)) is int:
                    return False
            for name, many, keys, ints in nested:
                v = x.get(name)
                for a in (v if many and type(v) is list else (v,) if not many and type(v) is dict else ()):
                    if type(a) is dict and (not a.keys() <= keys or any(type(a.get(f)) is int for f in ints)):
                        return False
    return True


class NotADocument(NkbenchError):
    """The line is a row of another dataset config: the whole file is, so one message is enough."""

    code = Errors.E590


def parse_document(obj, where: str, *, gold: bool) -> Document:
    """One line of a predictions (or gold) file -> a Document: dataset rows recognised, ClassLabel
    ids decoded, every unknown field and every type error reported together (NkbenchErrors)."""
    if not isinstance(obj, dict):
        return document_from_dict(obj, where=where, require_text=gold)
    doc_id = obj.get("id")
    shown = f"{where} (document {doc_id!r})" if isinstance(doc_id, str) and doc_id else where
    for key, (config, how) in OTHER_CONFIGS.items():
        if key in obj and "mentions" not in obj:
            raise NotADocument(f"this is a row of the dataset's {config!r} config (it has {key!r}), not a document",
                               where=shown, hint=f"convert it: {how}")
    if _clean(obj):
        if any(k in obj for k in ROW_ONLY_FIELDS):
            obj = {k: v for k, v in obj.items() if k not in ROW_ONLY_FIELDS}
        return document_from_dict(obj, where=where, require_text=gold)
    obj, problems = decode_class_labels(obj, shown)
    problems += strict_fields(obj, shown)
    if problems:  # parse what is left too, so that every problem is named at once
        obj = {k: v for k, v in obj.items() if k not in ROW_ONLY_FIELDS}
        try:
            document_from_dict(_known_only(obj), where=where, require_text=gold)
        except NkbenchError as err:
            problems += problems_of(err)
        raise NkbenchErrors(problems, what=shown)
    if any(k in obj for k in ROW_ONLY_FIELDS):
        obj = {k: v for k, v in obj.items() if k not in ROW_ONLY_FIELDS}
    return document_from_dict(obj, where=where, require_text=gold)


def _known_only(obj):
    """``obj`` without its unknown fields (already reported), so the parser reports the rest."""
    def walk(value, node):
        if isinstance(value, dict):
            props = _fields(node)
            if props is None:
                return value
            return {k: walk(v, props[k]) for k, v in value.items() if k in props}
        if isinstance(value, list) and isinstance(node.get("items"), dict):
            return [walk(v, node["items"]) for v in value]
        return value
    return walk(obj, _prediction_schema())


def iter_jsonl_documents(path: str | Path, *, gold: bool, problems: list[NkbenchError],
                         lines: Iterable[tuple[int, object]] | None = None, seeds=None) -> Iterator[tuple[int, Document]]:
    """``(line, Document)`` for every line of ``path`` (or of ``lines``, ``(line, object)`` pairs
    such as ``iter_jsonl`` yields), one at a time, by the one reader ``io.iter_documents``: a line is read only when the next document is
    asked for. Problems (a line that is not a document, a document without an id or given twice,
    a gold document failing ``validity.seed_problems`` against ``seeds`` when given, or
    ``validity.structural_problems``) are appended to ``problems`` and the line skipped;
    the caller raises them. Memory: one line, and the ids seen."""
    for lineno, doc in iter_documents(path, problems, parse=lambda obj, where: parse_document(obj, where, gold=gold),
                                      lines=lines, fatal=(NotADocument,)):
        if gold:
            where = f"{display_name(path)}:{lineno}"
            bad = seed_problems(doc.id, doc.text, doc.language, seeds, f"{where}: document {doc.id!r}") if seeds else []
            problems.extend(bad or (NkbenchError(p.reason, where=f"{where}: {p.where}", hint=p.hint, code=p.code)
                                    for p in structural_problems(doc)))
        yield lineno, doc


def load_jsonl_documents(path: str | Path, *, gold: bool, seeds=None) -> list[tuple[int, Document]]:
    """``(line, Document)`` for every line; gold documents must have their text (with ``seeds``:
    their seed's, ``validity.seed_problems``) and pass ``validity.structural_problems``. Raises
    NkbenchErrors naming every problem."""
    problems: list[NkbenchError] = []
    docs = list(iter_jsonl_documents(path, gold=gold, problems=problems, seeds=seeds))
    if problems:
        raise NkbenchErrors(problems, what=display_name(path))
    return docs


def _duplicates(doc: Document) -> list[str]:
    """The duplicate spans of ``doc`` (the shared rule: ``nkbench.core.validity.duplicates``)."""
    return [what for what, _ in duplicates(doc)]


def check_predictions(pred: list[tuple[int, Document]], gold: list[Document], path: str | Path,
                      unknown_labels: str = "error") -> list[Document]:
    """Check predictions against the gold; return them (language filled in from the gold).
    ``harness.score`` aligns them to the gold and reports the missing ones. Raises NkbenchErrors
    naming every problem."""
    if unknown_labels not in UNKNOWN_LABEL_POLICIES:
        raise NkbenchError(f"unknown policy {unknown_labels!r}", hint=f"one of {', '.join(UNKNOWN_LABEL_POLICIES)}", code=Errors.E540)
    by_id = {d.id: d for d in gold}
    problems: list[NkbenchError] = []
    aligned: dict[str, Document] = {}
    for lineno, doc in pred:
        where = f"{display_name(path)}:{lineno}: document {doc.id!r}"
        g = by_id.get(doc.id)
        if g is None:
            problems.append(NkbenchError("unknown document id (not in the gold)", where=where, hint=did_you_mean(doc.id, by_id), code=Errors.E541))
            continue
        if doc.language and doc.language != g.language:
            problems.append(NkbenchError(f"language {doc.language!r} but the gold document is {g.language!r}", where=where, code=Errors.E542))
        doc = replace(doc, language=g.language)
        for p in structural_problems(doc, text=g.text):  # the rule `nkbench annotate check` applies too
            if unknown_labels == "spurious" and p.code == Errors.E090:  # an unknown label, by its code
                continue
            problems.append(NkbenchError(p.reason, where=f"{display_name(path)}:{lineno}: {p.where}", hint=p.hint, code=p.code))
        aligned[doc.id] = doc
    if problems:
        raise NkbenchErrors(problems, what=display_name(path))
    return list(aligned.values())


def load_predictions(path: str | Path, gold: list[Document], unknown_labels: str = "error") -> tuple[list[Document], list[str]]:
    """The checked predictions and the ids of gold documents they do not contain."""
    pred = load_jsonl_documents(path, gold=False)
    given = {d.id for _, d in pred}
    return check_predictions(pred, gold, path, unknown_labels), [g.id for g in gold if g.id not in given]


class PredictionStream:
    """The checked predictions of a file, one document at a time (``iter``), for ``harness.score_stream``.

    The same checks as ``load_predictions``, line by line: each document is parsed
    (``parse_document``: strict fields, dataset rows decoded) and checked against its gold document (``check_predictions``) as it
    is read, and yielded aligned (language filled in from the gold); nothing of the file is kept
    but the ids seen (for documents given twice and for ``missing``). Every problem of the whole
    file is raised together (NkbenchErrors) when the iteration ends, as ``load_predictions`` does:
    the problems of reading (malformed lines, ids given twice) if any, else those of checking
    against the gold. After the first problem, documents are still read and checked but no longer
    yielded. ``missing``: after the iteration, the gold ids the file did not give, in gold order.
    """

    def __init__(self, path: str | Path, gold: list[Document], unknown_labels: str = "error", *,
                 lines: Iterable[tuple[int, object]] | None = None) -> None:
        if unknown_labels not in UNKNOWN_LABEL_POLICIES:
            raise NkbenchError(f"unknown policy {unknown_labels!r}", hint=f"one of {', '.join(UNKNOWN_LABEL_POLICIES)}", code=Errors.E543)
        self.path, self.gold, self.unknown_labels, self.lines = path, gold, unknown_labels, lines
        self.given: set[str] = set()
        self.missing: list[str] | None = None

    def __iter__(self) -> Iterator[Document]:
        path, by_id = self.path, {d.id: d for d in self.gold}
        read_problems: list[NkbenchError] = []
        problems: list[NkbenchError] = []
        for lineno, doc in iter_jsonl_documents(path, gold=False, problems=read_problems, lines=self.lines):
            self.given.add(doc.id)
            g = by_id.get(doc.id)
            if g is None:
                problems.append(NkbenchError("unknown document id (not in the gold)",
                                             where=f"{display_name(path)}:{lineno}: document {doc.id!r}",
                                             hint=did_you_mean(doc.id, by_id), code=Errors.E544))
                continue
            try:
                (doc,) = check_predictions([(lineno, doc)], [g], path, self.unknown_labels)
            except NkbenchErrors as err:
                problems.extend(err.problems)
                continue
            if not (read_problems or problems):
                yield doc
        if read_problems or problems:
            raise NkbenchErrors(read_problems or problems, what=display_name(path))
        self.missing = [g.id for g in self.gold if g.id not in self.given]
