"""The JSON Schema of the prediction format, generated from ``nkbench.core.schema`` (the label
inventories) so the two never drift; ``benchmark/prediction.schema.json`` is its output and a
test checks the committed file is current. ``nkbench regen`` rewrites it (``regenerate``) and
``nkbench regen --check`` checks it."""

from __future__ import annotations

import json

from ...core import schema
from ...core.model import LANGUAGES


def prediction_schema() -> dict:
    """One line of a predictions file (a gold document validates too: ``text`` is allowed)."""
    string_or_null = {"type": ["string", "null"]}
    offset = {"type": "integer", "minimum": 0}

    def span(extra: dict, required=()) -> dict:
        props = {"id": {"type": "string", "description": "optional in predictions; needed only to be referenced"},
                 "start": {**offset, "description": "code-point offset into the gold text, inclusive"},
                 "end": {**offset, "description": "code-point offset, EXCLUSIVE (text[start:end])"},
                 "text": {"type": "string", "description": "optional; when given it must equal text[start:end]"},
                 **extra}
        return {"type": "object", "properties": props, "required": ["start", "end", *required], "additionalProperties": False}

    value = {"type": ["object", "null"], "additionalProperties": False, "required": ["low", "high", "hedge", "counted"],
             "properties": {"low": {"type": ["number", "null"]}, "high": {"type": ["number", "null"]},
                            "hedge": {"enum": list(schema.HEDGES)}, "counted": {"enum": list(schema.COUNTED)}}}
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
            "id": {"type": "string", "description": "the gold document id"},
            "language": {"enum": list(LANGUAGES), "description": "optional; must equal the gold document's"},
            "text": {"type": ["string", "null"], "description": "allowed (gold documents validate), not needed"},
            "mentions": {"type": "array", "items": span({
                "label": {"enum": list(schema.ENTITY_TYPES)},
                "entity_id": {**string_or_null, "description": "canonical entity id (linking); null if none"},
                "nominal": {"type": "boolean", "description": "true: not part of the NER layer (an argument/source filler)"},
            }, ["label"])},
            "events": {"type": "array", "items": span({
                "label": {"enum": list(schema.EVENT_TYPES)},
                "arguments": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False, "required": ["role", "mention"],
                    "properties": {"role": {"enum": list(schema.EVENT_ROLES)},
                                   "mention": {"type": "string", "description": "id of a mention of this document"}}}},
                "polarity": {"enum": list(schema.POLARITY)},
                "realis": {"enum": list(schema.REALIS)},
            }, ["label"])},
            "cues": {"type": "array", "items": span({})},
            "claims": {"type": "array", "items": span({
                "stance": {"enum": list(schema.STANCES)},
                "source": {**string_or_null, "description": "id of the source mention"},
                "cue": {**string_or_null, "description": "id of the cue"},
                "parent": {**string_or_null, "description": "id of the claim this one is nested in"},
                "value": value,
                "link": {**string_or_null, "description": "cross-document link id: claims sharing it are linked"},
            })},
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
