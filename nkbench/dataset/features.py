"""The declared ``datasets.Features`` of every config, built from the scheme tables.

Every span is ``start``/``end`` (int32, Python code-point offsets into the document text,
end-exclusive: ``text[start:end]``) plus its ``text``. Every closed label set is a ``ClassLabel``
whose names come from ``nkbench.core.schema``; references between spans are the spans' string ids.
Lists of structs use ``List({...})`` (a list of dicts per row), never ``Sequence({...})``.
"""

from __future__ import annotations

from ..core import schema

CONFIGS: tuple[str, ...] = ("documents", "ner", "claims", "passes", "entities", "links", "dev")
DEFAULT_CONFIG = "documents"
SPLIT = "test"
#: The development articles (seeds whose split is "dev": written by the team, never scored as
#: test) are one config of their own, in the ``documents`` form, as the ``validation`` split.
DEV_CONFIG = "dev"
DEV_SPLIT = "validation"


def split_of(config: str) -> str:
    """The one split (and data file ``<config>/<split>.parquet``) a config holds."""
    return DEV_SPLIT if config == DEV_CONFIG else SPLIT
#: The card's ``pretty_name``: it also marks a folder as a dataset nkbench built (``folder.py``).
PRETTY_NAME = "nkbench: entities, events and attributed claims in Nagorno-Karabakh conflict news (es/en)"

#: BIO (IOB2) tag names of the ``ner`` config: "O", then B-/I- for every entity type.
NER_TAGS: tuple[str, ...] = ("O", *(f"{p}-{t}" for t in schema.ENTITY_TYPES for p in ("B", "I")))


def _span(**extra):
    from datasets import Value

    return {"id": Value("string"), "start": Value("int32"), "end": Value("int32"), "text": Value("string"), **extra}


def _labels(names) -> "object":
    from datasets import ClassLabel

    return ClassLabel(names=list(names))


def value_struct() -> dict:
    """The normalised numeric value of a claim (null when the claim states no figure)."""
    from datasets import Value

    return {"low": Value("float64"), "high": Value("float64"), "hedge": _labels(schema.HEDGES),
            "counted": _labels(schema.COUNTED)}


def layers() -> dict:
    """The four annotation layers of a document, as lists of structs."""
    from datasets import List, Value

    return {
        "mentions": List(_span(label=_labels(schema.ENTITY_TYPES), entity_id=Value("string"), nominal=Value("bool"))),
        "events": List(_span(
            label=_labels(schema.EVENT_TYPES),
            arguments=List({"role": _labels(schema.EVENT_ROLES), "mention": Value("string")}),
            polarity=_labels(schema.POLARITY), realis=_labels(schema.REALIS))),
        "cues": List(_span()),
        "claims": List(_span(stance=_labels(schema.STANCES), source=Value("string"), cue=Value("string"),
                             parent=Value("string"), value=value_struct(), link=Value("string"))),
    }


def metadata_struct() -> dict:
    from datasets import Value

    return {"date": Value("string"), "date_basis": Value("string"), "date_note": Value("string"),
            "outlet": Value("string"), "sha256": Value("string"), "length": Value("int32")}


def documents():
    from datasets import Features, Value

    return Features({"id": Value("string"), "language": Value("string"), "text": Value("string"),
                     "metadata": metadata_struct(), **layers()})


def ner():
    from datasets import Features, List, Value

    return Features({
        "id": Value("string"), "document_id": Value("string"), "language": Value("string"),
        "sentence_index": Value("int32"), "sentence_start": Value("int32"), "sentence_end": Value("int32"),
        "tokens": List(Value("string")), "ner_tags": List(_labels(NER_TAGS)),
        "token_starts": List(Value("int32")), "token_ends": List(Value("int32")),
    })


def claims():
    from datasets import Features, Value

    s, i = Value("string"), Value("int32")
    return Features({
        "id": s, "document_id": s, "claim_id": s, "language": s,
        "text": s, "start": i, "end": i,
        "context": s, "context_start": i, "context_end": i,
        "source_id": s, "source_text": s, "source_label": _labels(schema.ENTITY_TYPES), "source_entity_id": s,
        "source_nominal": Value("bool"),
        "cue_id": s, "cue_text": s,
        "stance": _labels(schema.STANCES), "parent": s, "value": value_struct(), "link": s,
    })


def passes():
    from datasets import Features, Value

    return Features({"annotator": Value("string"), "id": Value("string"), "language": Value("string"),
                     "text": Value("string"), **layers()})


def entities():
    from datasets import Features, List, Value

    return Features({"id": Value("string"), "type": _labels(schema.ENTITY_TYPES), "name": Value("string"),
                     "aliases": List(Value("string")), "documents": List(Value("string")),
                     "mention_count": Value("int32")})


def links():
    from datasets import Features, List, Value

    return Features({"id": Value("string"), "description": Value("string"), "counted": _labels(schema.COUNTED),
                     "documents": List(Value("string")),
                     "claims": List({"document_id": Value("string"), "claim_id": Value("string")})})


FEATURES = {"documents": documents, "ner": ner, "claims": claims, "passes": passes, "entities": entities,
            "links": links, DEV_CONFIG: documents}


def features(config: str):
    """The declared Features of ``config``."""
    return FEATURES[config]()
