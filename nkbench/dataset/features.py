"""The declared ``datasets.Features`` of every config, built from the scheme tables and (for the
annotation layers and the claims' attributes) from the field declarations of ``nkbench.core.model``.

Every span is ``start``/``end`` (int32, Python code-point offsets into the document text,
end-exclusive: ``text[start:end]``) plus its ``text``. Every closed label set is a ``ClassLabel``
whose names come from ``nkbench.core.schema``; references between spans are the spans' string ids.
Lists of structs use ``List({...})`` (a list of dicts per row), never ``Sequence({...})``.
"""

from __future__ import annotations

from ..core import schema
from ..core.model import Document, Spec, layer_specs, own_specs, specs

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


def _labels(names) -> "object":
    from datasets import ClassLabel

    return ClassLabel(names=list(names))


def feature(s: Spec):
    """The ``datasets`` feature of one declared field (``nkbench.core.model``): a closed label set is a
    ClassLabel, a struct a dict, a tuple a ``List``; None is any feature's null."""
    from datasets import List, Value

    if s.many:
        return List(struct(s.kind))
    if s.struct:
        return struct(s.kind)
    if s.inventory is not None:
        return _labels(s.inventory)
    return Value(_DTYPES[s.kind])


_DTYPES = {str: "string", int: "int32", bool: "bool", float: "float64"}


def struct(cls: type, fields=None) -> dict:
    """The struct of a model class (or of ``fields``, some of its ``Spec``s), field by field."""
    return {s.name: feature(s) for s in (specs(cls) if fields is None else fields)}


def layers(model: type = Document) -> dict:
    """The annotation layers of a document, as lists of structs."""
    return {s.name: feature(s) for s in layer_specs(model)}


def claim_class(model: type = Document) -> type:
    """The item class of the ``claims`` layer."""
    return next(s.kind for s in layer_specs(model) if s.name == "claims")


def flat_claim_specs(model: type = Document) -> tuple[Spec, ...]:
    """The claim fields the ``claims`` config carries as they are, after its own columns: all but the
    span fields and the references to other layers (``source``, ``cue``), which it expands into
    ``source_*``/``cue_*`` columns by hand (``claims``, ``rows.claim_rows``)."""
    return tuple(s for s in own_specs(claim_class(model)) if not (s.ref and s.ref != "claims"))


def metadata_struct() -> dict:
    from datasets import Value

    return {"date": Value("string"), "date_basis": Value("string"), "date_note": Value("string"),
            "outlet": Value("string"), "sha256": Value("string"), "length": Value("int32")}


def documents(model: type = Document):
    from datasets import Features, Value

    return Features({"id": Value("string"), "language": Value("string"), "text": Value("string"),
                     "metadata": metadata_struct(), **layers(model)})


def ner():
    from datasets import Features, List, Value

    return Features({
        "id": Value("string"), "document_id": Value("string"), "language": Value("string"),
        "sentence_index": Value("int32"), "sentence_start": Value("int32"), "sentence_end": Value("int32"),
        "tokens": List(Value("string")), "ner_tags": List(_labels(NER_TAGS)),
        "token_starts": List(Value("int32")), "token_ends": List(Value("int32")),
    })


def claims(model: type = Document):
    from datasets import Features, Value

    s, i = Value("string"), Value("int32")
    return Features({
        "id": s, "document_id": s, "claim_id": s, "language": s,
        "text": s, "start": i, "end": i,
        "context": s, "context_start": i, "context_end": i,
        "source_id": s, "source_text": s, "source_label": _labels(schema.ENTITY_TYPES), "source_entity_id": s,
        "source_nominal": Value("bool"),
        "cue_id": s, "cue_text": s,
        **struct(claim_class(model), flat_claim_specs(model)),
    })


def passes(model: type = Document):
    from datasets import Features, Value

    return Features({"annotator": Value("string"), "id": Value("string"), "language": Value("string"),
                     "text": Value("string"), **layers(model)})


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


def features(config: str, model: type = Document):
    """The declared Features of ``config`` (``model``: the document class whose layers it holds)."""
    return FEATURES[config](model) if config in ("documents", "claims", "passes", DEV_CONFIG) else FEATURES[config]()
