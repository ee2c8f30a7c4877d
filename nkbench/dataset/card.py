"""``data/README.md``: the dataset card. Its YAML comes from the declared Features, its figures
from ``stats.compute``, its examples from the rows, its field descriptions from the field
declarations of ``nkbench.core.model`` (``FIELD_DOCS``); the prose is ``card_template.md`` (package
data, and ``card_dev_template.md``; ``string.Template`` placeholders ``${...}``).

Every field of every config must have a description in ``FIELD_DOCS`` (a test checks it).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from string import Template

from ..core import schema
from ..core.model import DOCUMENT_FIELDS, SPAN_FIELDS, SPAN_NOUN, Document, layer_specs, specs
from . import features as feats
from .features import flat_claim_specs
from .stats import markdown

PRETTY_NAME = feats.PRETTY_NAME
STATS_BEGIN, STATS_END = "<!-- stats:begin -->", "<!-- stats:end -->"


@dataclass(frozen=True, slots=True)
class ConfigInfo:
    """What the card needs to know about one built config."""

    name: str
    features: object
    num_examples: int
    num_bytes: int
    download_size: int
    rows: list


def field_docs(fields, prefix: str = "", *, flat: bool = False, noun: str = "") -> dict[str, str]:
    """The card's description of declared fields (``Spec``s of ``nkbench.core.model``) and of the fields
    nested in them (``a.b``, ``a[].b``); ``flat``: as in the flat ``claims`` config; ``noun``
    replaces "span" in the span fields' descriptions ("entity mention id, unique within ...")."""
    out = {}
    for s in fields:
        path = f"{prefix}{s.name}"
        doc = s.flat_doc if flat else s.doc
        out[path] = doc.replace(SPAN_NOUN, noun) if noun and s.name in SPAN_FIELDS else doc
        if s.struct:
            out.update(field_docs(specs(s.kind), f"{path}[]." if s.many else f"{path}.", flat=flat))
    return out


def _layer_docs(model: type) -> dict[str, str]:
    out = {}
    for layer in layer_specs(model):
        out[layer.name] = layer.doc
        out.update(field_docs(specs(layer.kind), f"{layer.name}[].", noun=layer.noun))
    return out


def config_field_docs(model: type = Document) -> dict[str, dict[str, str]]:
    """Config -> field path -> its description in the card (``FIELD_DOCS`` is this for ``Document``)."""
    docs = {
        "documents": {
            **{s.name: s.doc for s in specs(model) if s.name in DOCUMENT_FIELDS},
            "metadata": "the seed manifest record",
            "metadata.date": "the date the article reports on (ISO 8601)",
            "metadata.date_basis": "`stated` in the text or `inferred` from the events it reports",
            "metadata.date_note": "how the date was established",
            "metadata.outlet": "the publisher: null, because the seed files do not name it",
            "metadata.sha256": "SHA-256 of the seed file's bytes",
            "metadata.length": "length of `text` in code points",
            **_layer_docs(model),
        },
        "ner": {
            "id": "`<document_id>-<sentence_index>`",
            "document_id": "the document the sentence comes from",
            "language": "`es` or `en`",
            "sentence_index": "0-based position of the sentence in its document",
            "sentence_start": "start offset of the sentence in the document text",
            "sentence_end": "end offset (exclusive) of the sentence in the document text",
            "tokens": "the tokens, each equal to `text[token_starts[i]:token_ends[i]]` of the document",
            "ner_tags": "IOB2 tags over the non-nominal entity mentions",
            "token_starts": "start offset of each token in the document text",
            "token_ends": "end offset (exclusive) of each token in the document text",
        },
        "claims": {
            "id": "`<document_id>/<claim_id>`",
            "document_id": "the document",
            "claim_id": "the claim's id in the `documents` config",
            "language": "`es` or `en`",
            "text": "the claim content",
            "start": "start offset of the content in the document text",
            "end": "end offset (exclusive) of the content in the document text",
            "context": "the sentence(s) holding the claim: from the start of the sentence where it starts to the end of the one where it ends",
            "context_start": "start offset of `context` in the document text",
            "context_end": "end offset (exclusive) of `context` in the document text",
            "source_id": "id of the source mention (null: the article's own voice)",
            "source_text": "the source mention's text",
            "source_label": "the source mention's entity type",
            "source_entity_id": "the source's canonical entity id",
            "source_nominal": "whether the source mention is a description rather than a name",
            "cue_id": "id of the reporting cue",
            "cue_text": "the reporting cue's text (\"dijo\", \"rechazó\", \"reported\")",
            **field_docs(flat_claim_specs(model), flat=True),
        },
        "passes": {
            "annotator": "the annotator's pseudonym",
            "id": "document id",
            "language": "`es` or `en`",
            "text": "the verbatim article text",
            **_layer_docs(model),
        },
        "entities": {
            "id": "canonical entity id (the `entity_id` of mentions)",
            "type": "entity type",
            "name": "canonical name",
            "aliases": "other names and spellings seen or known",
            "documents": "documents with a gold mention of the entity",
            "mention_count": "number of gold mentions of the entity",
        },
        "links": {
            "id": "cross-document link id (the `link` of claims)",
            "description": "what the linked claims are about",
            "counted": "what the linked figures count",
            "documents": "documents the link inventory lists for it",
            "claims": "the gold claims carrying the link",
            "claims[].document_id": "document of the claim",
            "claims[].claim_id": "id of the claim in that document",
        },
    }
    docs[feats.DEV_CONFIG] = docs["documents"]  # the same declared features
    return docs


FIELD_DOCS: dict[str, dict[str, str]] = config_field_docs()


CONFIG_DOCS = {
    "documents": "one row per article: text, metadata and every annotation layer (the default config)",
    "ner": "one row per sentence: tokens, IOB2 `ner_tags` and token offsets (token classification, seqeval)",
    "claims": "one row per attributed claim with its context sentence, source, cue, stance, value and link",
    "passes": "one row per (annotator, document): the individual annotation passes behind the gold",
    "entities": "one row per canonical entity: type, name, aliases and where it is mentioned",
    "links": "one row per cross-document link of numeric claims",
    feats.DEV_CONFIG: "split `validation`: the **synthetic development articles** in the `documents` form (see below); never part of the test set",
}


def type_name(feature) -> str:
    """A short human name of a feature type."""
    from datasets import ClassLabel, List, Sequence, Value

    if isinstance(feature, Value):
        return feature.dtype
    if isinstance(feature, ClassLabel):
        return f"ClassLabel ({feature.num_classes})"
    if isinstance(feature, (List, Sequence)):
        inner = feature.feature
        return "list of structs" if isinstance(inner, dict) else f"list of {type_name(inner)}"
    if isinstance(feature, dict):
        return "struct (nullable)"
    return type(feature).__name__


def field_paths(features, prefix: str = "") -> list[tuple[str, object]]:
    """(path, feature) for every field, nested ones as ``a.b`` and ``list[].b``."""
    from datasets import List, Sequence

    out = []
    for name, f in features.items():
        path = f"{prefix}{name}"
        out.append((path, f))
        if isinstance(f, (List, Sequence)) and isinstance(f.feature, dict):
            out += field_paths(f.feature, f"{path}[].")
        elif isinstance(f, dict):
            out += field_paths(f, f"{path}.")
    return out


def yaml_features(features) -> list[dict]:
    """The ``features`` of a config in the card's YAML (``dataset_info``), as the Hub reads it: a list
    of ``{name, dtype}``, a struct as ``struct: [...]``, a list as ``list: ...`` and a ClassLabel as
    ``dtype: {class_label: {names: {'0': ...}}}`` (the form ``datasets`` writes in its own cards)."""
    return [{"name": name, **_yaml_type(f)} for name, f in features.items()]


def _yaml_type(feature) -> dict:
    from datasets import ClassLabel, List, Sequence, Value

    if isinstance(feature, Value):
        return {"dtype": feature.dtype}
    if isinstance(feature, ClassLabel):
        return {"dtype": {"class_label": {"names": {str(i): n for i, n in enumerate(feature.names)}}}}
    if isinstance(feature, dict):
        return {"struct": yaml_features(feature)}
    if isinstance(feature, (List, Sequence)):
        inner = _yaml_type(feature.feature)
        return {"list": inner["dtype"] if "dtype" in inner else inner["struct"]}
    raise TypeError(f"no card form for the feature {feature!r}")


def _yaml(infos: dict[str, ConfigInfo], version: str | None = None) -> str:
    import yaml

    header = {
        "pretty_name": PRETTY_NAME,
        "license": "cc-by-4.0",
        "language": ["es", "en"],
        "multilinguality": "multilingual",
        "size_categories": ["n<1K"],
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition", "multi-class-classification"],
        "annotations_creators": ["machine-generated"],  # AI annotation agents, see the Annotation section
        "language_creators": ["found"],
        "source_datasets": ["original"],
        "tags": ["nagorno-karabakh", "news", "event-extraction", "claim-attribution", "entity-linking", "numeric-claims"],
        "configs": [
            {"config_name": c, **({"version": version} if version else {}), "data_files": [{"split": feats.split_of(c), "path": f"{c}/{feats.split_of(c)}.parquet"}],
             **({"default": True} if c == feats.DEFAULT_CONFIG else {})}
            for c in infos
        ],
        "dataset_info": [
            {"config_name": c, "features": yaml_features(i.features),
             "splits": [{"name": feats.split_of(c), "num_bytes": i.num_bytes, "num_examples": i.num_examples}],
             "download_size": i.download_size, "dataset_size": i.num_bytes}
            for c, i in infos.items()
        ],
    }
    return yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=100)


def _compact(row: dict) -> str:
    return "{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in row.items()) + "\n}"


def _examples(infos: dict[str, ConfigInfo]) -> str:
    doc = infos["documents"].rows[0]
    abridged = {k: (v[:160] + " …" if k == "text" else v[:2] if isinstance(v, list) else v) for k, v in doc.items()}
    ner = next((r for r in infos["ner"].rows if 2 <= sum(t != "O" for t in r["ner_tags"]) and len(r["tokens"]) <= 30),
               infos["ner"].rows[0])
    claims = infos["claims"].rows
    claim = next((r for r in claims if r["source_id"] and r["value"] and r["link"]), claims[0] if claims else None)
    parts = ["`documents` (abridged here: the text cut at 160 characters, two items per layer):",
             f"```json\n{_compact(abridged)}\n```",
             "`ner` (label names shown; the Parquet holds their `ClassLabel` integers):",
             f"```json\n{_compact(ner)}\n```"]
    if claim:
        parts += ["`claims`:", f"```json\n{_compact(claim)}\n```"]
    return "\n\n".join(parts)


def _fields(infos: dict[str, ConfigInfo]) -> str:
    out = []
    for c, info in infos.items():
        if c == feats.DEV_CONFIG:
            out.append(f"**`{c}`**: the fields of `documents` (the same declared features).")
            continue
        lines = [f"**`{c}`**", "", "| field | type | description |", "|---|---|---|"]
        for path, f in field_paths(info.features):
            lines.append(f"| `{path}` | {type_name(f)} | {FIELD_DOCS[c][path]} |")
        out.append("\n".join(lines))
    return "\n\n".join(out)


def _labels() -> str:
    roles = "\n".join(f"| `{t}` | {', '.join(roles)} | {ace or '–'} | {acled or '–'} |"
                      for t, (roles, ace, acled) in schema.EVENT_TYPES.items())
    return f"""`ClassLabel` names, in index order (the integers in the Parquet files are positions in these lists):

- entity types (`mentions[].label`, `source_label`, `entities.type`): {', '.join(f'`{x}`' for x in schema.ENTITY_TYPES)}
- `ner_tags`: {', '.join(f'`{x}`' for x in feats.NER_TAGS)}
- event types: {', '.join(f'`{x}`' for x in schema.EVENT_TYPES)}
- argument roles: {', '.join(f'`{x}`' for x in schema.EVENT_ROLES)}
- polarity: {', '.join(f'`{x}`' for x in schema.POLARITY)}; realis: {', '.join(f'`{x}`' for x in schema.REALIS)}
- stance: {', '.join(f'`{x}`' for x in schema.STANCES)}
- hedge: {', '.join(f'`{x}`' for x in schema.HEDGES)}
- counted: {', '.join(f'`{x}`' for x in schema.COUNTED)}

Roles allowed per event type, with the nearest ACE 2005 subtype and ACLED event type:

| event type | roles | ACE 2005 | ACLED |
|---|---|---|---|
{roles}"""


def _version(version: str | None, changes: str) -> str:
    if not version:
        return ""
    if not changes:
        return f"## Version\n\n{version}\n\n"
    return (f"## Version and changes\n\n{changes.strip()}\n\nWhy each item changed (the guideline rule behind it) is "
            "in the repository's `DATASHEET.md` and `annotation/adjudication.json`; `--details` lists the items.\n\n")


def _dev(infos: dict[str, ConfigInfo]) -> str:
    """The section on the development articles (empty when there are none)."""
    info = infos.get(feats.DEV_CONFIG)
    if info is None:
        return ""
    langs = Counter(r["language"] for r in info.rows)
    counts = ", ".join(f"{sum(len(r[layer]) for r in info.rows)} {layer}" for layer in ("mentions", "events", "cues", "claims"))
    return _template("card_dev_template.md").substitute(n=info.num_examples, es=langs["es"], en=langs["en"],
                                                        counts=counts)


def render(infos: dict[str, ConfigInfo], stats: dict, version: str | None = None, changes: str = "") -> str:
    """The whole card (``version``: the dataset version, in the YAML of every config and in the
    'Version' section with ``changes``)."""
    configs = "\n".join(f"| `{c}` | {i.num_examples} | {CONFIG_DOCS[c]} |" for c, i in infos.items())
    n_docs = stats["documents"]
    langs = ", ".join(f"{n} in {'Spanish' if l == 'es' else 'English'}" for l, n in stats["languages"].items())
    split = ("Everything is one `test` split." if feats.DEV_CONFIG not in infos
             else "The news articles are one `test` split.")
    return _template().substitute(
        yaml=_yaml(infos, version), pretty_name=PRETTY_NAME, n_docs=n_docs, langs=langs,
        version=_version(version, changes), configs=configs, split=split, dev=_dev(infos), examples=_examples(infos),
        fields=_fields(infos), labels=_labels(), stats_begin=STATS_BEGIN, stats=markdown(stats), stats_end=STATS_END)


def _template(name: str = "card_template.md") -> Template:
    """The card's prose (package data: ``card_template.md``, and ``card_dev_template.md`` for the
    development articles' section), with ``${...}`` placeholders."""
    return Template((resources.files(__package__) / name).read_text(encoding="utf-8"))
