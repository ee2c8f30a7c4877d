"""The JSON Schema of the prediction format, derived from the field declarations of
``nkbench.core.model`` (types, defaults, label inventories, descriptions) so the two never drift;
``benchmark/prediction.schema.json`` is its output and a test checks the committed file is current.
``nkbench regen`` rewrites it (``regenerate``) and ``nkbench regen --check`` checks it."""

from __future__ import annotations

import json

from ...core.model import LANGUAGES, Document, Spec, layer_specs, specs

_TYPES = {str: "string", int: "integer", bool: "boolean", float: "number"}


def _property(s: Spec) -> dict:
    """The schema of one declared field."""
    if s.many:
        return {"type": "array", "items": _struct(s.kind)}
    if s.struct:
        return _struct(s.kind, nullable=s.nullable)
    if s.inventory is not None:
        out: dict = {"enum": [*s.inventory, None] if s.nullable else list(s.inventory)}
    else:
        out = {"type": [_TYPES[s.kind], "null"] if s.nullable else _TYPES[s.kind]}
        if s.minimum is not None:
            out["minimum"] = s.minimum
    if s.schema_doc:
        out["description"] = s.schema_doc
    return out


def _struct(cls: type, nullable: bool = False) -> dict:
    """A nested object (an argument, a value): every field of it required unless it has a default."""
    return {"type": ["object", "null"] if nullable else "object", "additionalProperties": False,
            "required": [s.name for s in specs(cls) if s.required],
            "properties": {s.name: _property(s) for s in specs(cls)}}


def _span(cls: type) -> dict:
    """An item of a layer. Its id and text are optional in predictions (``gold_only``)."""
    return {"type": "object", "properties": {s.name: _property(s) for s in specs(cls)},
            "required": [s.name for s in specs(cls) if s.required and not s.gold_only], "additionalProperties": False}


def prediction_schema(model: type = Document) -> dict:
    """One line of a predictions file (a gold document validates too: ``text`` is allowed)."""
    doc = {s.name: s for s in specs(model)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://nkbench/benchmark/prediction.schema.json",
        "title": "nkbench prediction: one document per JSON Lines line",
        "description": "The gold document form without the text (see benchmark/PREDICTIONS.md). Offsets are Python "
                       "code-point offsets into the gold text, end-exclusive.",
        "type": "object",
        "required": ["id"],
        "additionalProperties": False,
        "properties": {
            # the document-level fields differ from the gold form (language and text optional): by hand
            "id": {"type": "string", "description": doc["id"].schema_doc},
            "language": {"enum": list(LANGUAGES), "description": doc["language"].schema_doc},
            "text": {"type": ["string", "null"], "description": doc["text"].schema_doc},
            **{s.name: {"type": "array", "items": _span(s.kind)} for s in layer_specs(model)},
        },
    }


def schema_text() -> str:
    """The bytes of ``benchmark/prediction.schema.json``."""
    return json.dumps(prediction_schema(), ensure_ascii=False, indent=2) + "\n"


def regenerate(project, *, check: bool = False) -> bool:
    """Rewrite the project's ``benchmark/prediction.schema.json`` unless ``check`` or current;
    returns whether it was current."""
    path = project.prediction_schema
    text = schema_text()
    current = path.exists() and path.read_text(encoding="utf-8") == text
    if not check and not current:
        from ...core.io import atomic_write_text

        atomic_write_text(path, text)
    return current
