"""``data/README.md``: the dataset card. Its YAML comes from the declared Features, its figures
from ``stats.compute``, its examples from the rows; the prose is written here once.

Every field of every config must have a description in ``FIELD_DOCS`` (a test checks it).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from ..core import schema
from . import features as feats
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


_SPAN = {
    "id": "span id, unique within the document (`m…` mentions, `e…` events, `c…` cues, `k…` claims)",
    "start": "start offset: Python code point into `text`, inclusive",
    "end": "end offset: Python code point into `text`, **exclusive** (`text[start:end]` is the span)",
    "text": "the span's characters, equal to `text[start:end]`",
}


def _layer_docs(prefix: str = "") -> dict[str, str]:
    out = {}
    for layer, what in (("mentions", "entity mention"), ("events", "event trigger"), ("cues", "reporting cue"),
                        ("claims", "claim content")):
        out[f"{prefix}{layer}"] = f"list of {what}s"
        out.update({f"{prefix}{layer}[].{k}": v.replace("span", what) for k, v in _SPAN.items()})
    p = prefix
    out.update({
        f"{p}mentions[].label": "entity type",
        f"{p}mentions[].entity_id": "canonical entity id, shared across documents and languages (null for DATE, TIME, QUANTITY and unresolved descriptions)",
        f"{p}mentions[].nominal": "true for a description (\"el portavoz del Kremlin\") annotated because it fills an argument or claim source; the `ner` config leaves these out",
        f"{p}events[].label": "event type",
        f"{p}events[].arguments": "the event's arguments",
        f"{p}events[].arguments[].role": "argument role (allowed roles depend on the event type; see below)",
        f"{p}events[].arguments[].mention": "id of the entity mention filling the role",
        f"{p}events[].polarity": "`negative` when the event is said not to have happened",
        f"{p}events[].realis": "`actual`, `generic` or `other` (future, hypothetical, demanded, denied)",
        f"{p}claims[].stance": "what the source does with the content",
        f"{p}claims[].source": "id of the mention of who makes the claim (null: the article's own voice)",
        f"{p}claims[].cue": "id of the reporting cue (null when there is none)",
        f"{p}claims[].parent": "id of the outer claim this one is nested in (\"X said that Y said …\"), or null",
        f"{p}claims[].value": "the normalised figure the claim states, or null",
        f"{p}claims[].value.low": "lower bound as stated (null: unbounded below)",
        f"{p}claims[].value.high": "upper bound as stated (null: unbounded above)",
        f"{p}claims[].value.hedge": "how the bound is hedged (exact, approx, at_least, more_than, …)",
        f"{p}claims[].value.counted": "what is counted (killed, injured, evacuated, …)",
        f"{p}claims[].link": "cross-document link id: claims about the same figure in different documents share it",
    })
    return out


_VALUE = {
    "value": "the normalised figure the claim states, or null",
    "value.low": "lower bound as stated (null: unbounded below)",
    "value.high": "upper bound as stated (null: unbounded above)",
    "value.hedge": "how the bound is hedged",
    "value.counted": "what is counted",
}

FIELD_DOCS: dict[str, dict[str, str]] = {
    "documents": {
        "id": "document id (the seed file's stem)",
        "language": "`es` or `en`",
        "text": "the verbatim article text; every offset points into it",
        "metadata": "the seed manifest record",
        "metadata.date": "the date the article reports on (ISO 8601)",
        "metadata.date_basis": "`stated` in the text or `inferred` from the events it reports",
        "metadata.date_note": "how the date was established",
        "metadata.outlet": "the publisher: null, because the seed files do not name it",
        "metadata.sha256": "SHA-256 of the seed file's bytes",
        "metadata.length": "length of `text` in code points",
        **_layer_docs(),
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
        "stance": "what the source does with the content",
        "parent": "claim id of the outer claim (nested attribution), or null",
        **_VALUE,
        "link": "cross-document link id, or null",
    },
    "passes": {
        "annotator": "the annotator's pseudonym",
        "id": "document id",
        "language": "`es` or `en`",
        "text": "the verbatim article text",
        **_layer_docs(),
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

FIELD_DOCS[feats.DEV_CONFIG] = FIELD_DOCS["documents"]  # the same declared features

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
            {"config_name": c, "features": i.features._to_yaml_list(),
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
    return f"""## Development articles (config `dev`, split `validation`): synthetic

The `dev` config holds **{info.num_examples} development articles** ({langs['es']} in Spanish, {langs['en']} in
English; {counts}). **They are synthetic: not news reports.** The nkbench team wrote them from
general knowledge of the 2020-2023 conflict and of news style, for this purpose; no outlet published
them, no sentence is copied or paraphrased from the test articles or any other source, and no
quotation in them is a real person's words. Their figures and attributions follow public general
knowledge, worded vaguely where unsure: do not cite them as facts. They were annotated with the
same guidelines through the same route as the test articles (two independent passes, adjudicated),
and exist to tune systems, rules and prompts (few-shot examples) without touching the test set.
They are never mixed with the test articles: no other config and no count of this card includes
them. Score on them only to develop a system; report results on `test`.

```python
dev = load_dataset("ORG/NAME", "dev", split="validation")
```

"""


def render(infos: dict[str, ConfigInfo], stats: dict, version: str | None = None, changes: str = "") -> str:
    """The whole card (``version``: the dataset version, in the YAML of every config and in the
    'Version' section with ``changes``)."""
    configs = "\n".join(f"| `{c}` | {i.num_examples} | {CONFIG_DOCS[c]} |" for c, i in infos.items())
    n_docs = stats["documents"]
    langs = ", ".join(f"{n} in {'Spanish' if l == 'es' else 'English'}" for l, n in stats["languages"].items())
    return f"""---
{_yaml(infos, version)}---

# {PRETTY_NAME}

<!-- Generated by `nkbench data build` from the seeds and the gold annotation: do not edit by hand.
     `nkbench data build --check` fails when this folder is not what the inputs make. -->

## Summary

News reporting on the Nagorno-Karabakh conflict (2020-2023), annotated with **entities**
(typed mentions with canonical ids shared across documents and languages), **events** (trigger,
type, arguments, polarity and realis), **attributed claims** (content span, source mention,
reporting cue, stance and nested attribution) and the **numeric claims** (a normalised figure with
its hedge and what it counts) whose figures conflict across sources, linked across documents.
It is a small, carefully checked evaluation set: {n_docs} articles ({langs}).

{_version(version, changes)}## Languages

Spanish (`es`) and English (`en`), as published (the texts are verbatim, never normalised).
Every row carries its `language`; entity ids are shared across the two languages.

## Configs and splits

| config | rows | content |
|---|---:|---|
{configs}

```python
from datasets import load_dataset

docs = load_dataset("ORG/NAME", split="test")              # default config: documents
ner = load_dataset("ORG/NAME", "ner", split="test")
claims = load_dataset("ORG/NAME", "claims", split="test")
```

(Or `load_dataset("path/to/data", ...)` on a local copy of this folder.)

**{"Everything is one `test` split." if feats.DEV_CONFIG not in infos else "The news articles are one `test` split."}** With {n_docs} articles there is nothing to spare for training
or validation: any held-out article would make the test set smaller still, and a split by sentence
would leak entities, events and claims between the parts. The dataset is meant for evaluating
systems trained elsewhere (or used zero- and few-shot). To train or tune on it anyway, use
**leave-one-document-out** cross-validation and report the mean over the folds:

```python
for held_out in docs["id"]:
    train = ner.filter(lambda r: r["document_id"] != held_out)
    test = ner.filter(lambda r: r["document_id"] == held_out)
    ...  # fit on train, score on test; average the {n_docs} scores
```

{_dev(infos)}## Offsets, sentences and tokens

Every offset is a **Python code-point offset into the document's `text`, end-exclusive**:
`text[start:end]` is the span, in every config (`token_starts`/`token_ends`, `sentence_start`/
`sentence_end`, `context_start`/`context_end` too). The texts are verbatim and keep their double
spaces, non-breaking spaces and curly quotes; do not normalise them before using offsets.

The `ner` config and the claims' `context` use the same sentence split and tokenisation
(`nkbench.core.bio`): a sentence ends after `.`, `!` or `?` (with any closing quotes or brackets) when
white space and then an upper-case letter, an opening quote or a digit follow, and at every line
break; it is trimmed of white space, and a split that would cut a gold mention is not made. Tokens
match `\\d+(?:[.,:]\\d+)*|\\w+(?:-\\w+)*|[^\\w\\s]` (numbers keep their separators: `10.000`,
`120,000`, `1:00`; hyphenated words stay whole: `Nagorno-Karabaj`; any other symbol is a token),
and are additionally split at every gold mention boundary, so every mention covers whole tokens.
`ner_tags` are IOB2 (`B-X` starts every entity, `I-X` continues it) over the **non-nominal**
mentions; the nominal ones (descriptions such as "el portavoz del Kremlin") are in `documents`.

## Example instances

{_examples(infos)}

## Fields

{_fields(infos)}

## Label inventories

{_labels()}

## Counts

Generated by `nkbench data stats` (the same tables, from the Parquet files in this folder).

{STATS_BEGIN}
{markdown(stats)}{STATS_END}

## Scoring with nkbench

Predictions are JSON Lines, one document per line, in the same form as the gold (`id`, `language`,
and any of `mentions`, `events`, `cues`, `claims`, with code-point end-exclusive offsets and label
names; `text` may be left out). Score them against this dataset with the `nkbench` command line
(the package of the project repository, installed with `pip install` from a checkout or its wheel;
the scorer needs neither spaCy nor Label Studio):

```bash
nkbench score PREDICTIONS.jsonl --gold path/to/data   # a local copy of this folder
nkbench score PREDICTIONS.jsonl --gold ORG/NAME       # or this dataset on the Hub
```

`--gold` loads the `documents` config with `datasets.load_dataset`, checks that its features are
the ones nkbench declares and turns the `ClassLabel` ids back into names; it also takes the Label
Studio export or JSON Lines of gold documents. Metrics with nothing to count are reported as n/a,
never as 0 or 1.

## Annotation

Annotated following the project's guidelines (`annotation/GUIDELINES.md` in the repository) by
**AI annotation agents**: two independent passes, each a separate session of a large language model
that saw only the guidelines and the texts (no pre-annotation), adjudicated into the gold by a third
session; the three annotations were loaded into Label Studio 1.23 and exported, and that export is
what this dataset is built from. The individual passes behind the gold are in the `passes` config;
the agreement between them (an upper bound of what independent human annotators would reach: the
passes share one model) is in the repository's `DATASHEET.md`. Entity ids are canonical across documents and
languages; claims about the same figure in different articles share a `link` id.

## Source data and licensing

- **Annotations** (every span, label, id, link and value, and this card): Creative Commons
  Attribution 4.0 International (CC BY 4.0). The `license: cc-by-4.0` in the header refers to them.
- **Article texts** (the `text`, `tokens`, `context` and span `text` fields): the copyright of the
  articles belongs to their publishers. **The seed files do not name their publishers**
  (`metadata.outlet` is null), so this card cannot name the rights holders or their terms, and the
  CC BY 4.0 licence does **not** extend to the texts. They are included verbatim only because the
  annotations are offsets into them. Anyone redistributing this dataset (including pushing it to a
  public Hub repository) redistributes the texts too and must rely on a permission or copyright
  exception that applies to them (for example research or text-and-data-mining exceptions); when
  in doubt, keep the repository private or gated, or publish the annotations with the texts removed
  and let users rebuild them from their own copies (the `sha256` in `metadata` identifies each text).

## Uploading

```bash
nkbench data build --check                         # data/ is current
nkbench data push --repo-id ORG/NAME --dry-run /tmp/upload   # writes exactly the files it would upload
HF_TOKEN=hf_... nkbench data push --repo-id ORG/NAME --private
```

`push` creates the dataset repository if needed and uploads this folder (card and Parquet files)
in one commit through `huggingface_hub`; the token comes from `HF_TOKEN` or `hf auth login`.

## Citation

```bibtex
@misc{{nkbench2026,
  title        = {{nkbench: Entities, Events and Attributed Claims in Nagorno-Karabakh Conflict News (Spanish and English)}},
  author       = {{{{nkbench contributors}}}},
  year         = {{2026}},
  howpublished = {{Hugging Face dataset and benchmark repository}},
  note         = {{Annotations CC BY 4.0; article texts remain the copyright of their publishers}}
}}
```
"""
