"""``nkbench data stats``: counts per layer, type, language and document.

``compute`` is a pure function over Documents (the gold, plus the per-annotator passes); the
card's tables are ``markdown(compute(...))`` verbatim, and ``nkbench data stats`` prints the same
text from the Parquet files in ``data/``, so a test can check that the card is current.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from ..core import schema
from ..core.model import LANGUAGES, Document
from .rows import doc_sentences, ner_rows

#: Layer name -> count for one document (the rows of the per-layer table, in this order).
LAYER_COUNTS = {
    "documents": lambda d: 1,
    "characters": lambda d: len(d.text),
    "sentences": lambda d: len(doc_sentences(d)),
    "tokens": lambda d: sum(len(r["tokens"]) for r in ner_rows(d)),
    "mentions": lambda d: len(d.mentions),
    "named mentions (ner)": lambda d: sum(not m.nominal for m in d.mentions),
    "nominal mentions": lambda d: sum(m.nominal for m in d.mentions),
    "mentions with entity id": lambda d: sum(m.entity_id is not None for m in d.mentions),
    "entities (distinct ids)": lambda d: len({m.entity_id for m in d.mentions if m.entity_id}),
    "events": lambda d: len(d.events),
    "event arguments": lambda d: sum(len(e.arguments) for e in d.events),
    "cues": lambda d: len(d.cues),
    "claims": lambda d: len(d.claims),
    "claims with source": lambda d: sum(c.source is not None for c in d.claims),
    "nested claims (with parent)": lambda d: sum(c.parent is not None for c in d.claims),
    "numeric claims (with value)": lambda d: sum(c.value is not None for c in d.claims),
    "linked claims": lambda d: sum(c.link is not None for c in d.claims),
}

#: Type inventory -> (names from the scheme, the labels it counts in one document).
TYPE_COUNTS = {
    "entity types": (schema.ENTITY_TYPES, lambda d: [m.label for m in d.mentions]),
    "event types": (tuple(schema.EVENT_TYPES), lambda d: [e.label for e in d.events]),
    "argument roles": (schema.EVENT_ROLES, lambda d: [a.role for e in d.events for a in e.arguments]),
    "event polarity": (schema.POLARITY, lambda d: [e.polarity for e in d.events]),
    "event realis": (schema.REALIS, lambda d: [e.realis for e in d.events]),
    "claim stance": (schema.STANCES, lambda d: [c.stance for c in d.claims]),
    "value hedge": (schema.HEDGES, lambda d: [c.value.hedge for c in d.claims if c.value]),
    "value counted": (schema.COUNTED, lambda d: [c.value.counted for c in d.claims if c.value]),
}

PER_DOCUMENT = ("characters", "sentences", "tokens", "mentions", "events", "cues", "claims")
PASS_LAYERS = ("mentions", "events", "cues", "claims")


def compute(docs: Iterable[Document], passes: Mapping[str, Iterable[Document]] | None = None) -> dict:
    """Every count, as plain JSON-able data (the ``--json`` output)."""
    docs = list(docs)
    languages = [lang for lang in LANGUAGES if any(d.language == lang for d in docs)]
    per_doc = {d.id: {name: fn(d) for name, fn in LAYER_COUNTS.items()} for d in docs}

    def by_language(name: str) -> dict:
        out = {"total": sum(per_doc[d.id][name] for d in docs)}
        out.update({lang: sum(per_doc[d.id][name] for d in docs if d.language == lang) for lang in languages})
        return out

    layers = {name: by_language(name) for name in LAYER_COUNTS}
    # distinct ids across documents (and languages) are not a sum of per-document counts
    ids = lambda ds: len({m.entity_id for d in ds for m in d.mentions if m.entity_id})
    layers["entities (distinct ids)"] = {"total": ids(docs), **{lang: ids([d for d in docs if d.language == lang])
                                                                for lang in languages}}
    links = lambda ds: len({c.link for d in ds for c in d.claims if c.link})
    layers["links (distinct ids)"] = {"total": links(docs), **{lang: links([d for d in docs if d.language == lang])
                                                               for lang in languages}}
    types = {}
    for name, (names, labels) in TYPE_COUNTS.items():
        counts = {lang: Counter(x for d in docs if d.language == lang for x in labels(d)) for lang in languages}
        types[name] = {label: {"total": sum(c[label] for c in counts.values()),
                               **{lang: counts[lang][label] for lang in languages}} for label in names}
    out = {
        "documents": len(docs),
        "languages": {lang: sum(d.language == lang for d in docs) for lang in languages},
        "layers": layers,
        "types": types,
        "per_document": {d.id: {"language": d.language, **{k: per_doc[d.id][k] for k in PER_DOCUMENT}} for d in docs},
    }
    if passes:
        out["passes"] = {a: {"documents": len(list(ds)), **{k: sum(len(getattr(d, k)) for d in ds) for k in PASS_LAYERS}}
                         for a, ds in sorted((a, list(ds)) for a, ds in passes.items())}
    return out


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(x) for x in r) + " |" for r in rows]
    return "\n".join(lines)


def markdown(stats: dict) -> str:
    """The stats as Markdown tables (printed by ``nkbench data stats`` and embedded in the card)."""
    langs = list(stats["languages"])
    head = ["total", *langs]
    parts = [f"**{stats['documents']} documents** ("
             + ", ".join(f"{n} {lang}" for lang, n in stats["languages"].items()) + ").",
             "### Per layer", _table(["layer", *head], [[k, *(v[h] for h in head)] for k, v in stats["layers"].items()])]
    for name, counts in stats["types"].items():
        parts += [f"### {name[0].upper()}{name[1:]}",
                  _table(["label", *head], [[f"`{k}`", *(v[h] for h in head)] for k, v in counts.items()])]
    parts += ["### Per document",
              _table(["document", "language", *PER_DOCUMENT],
                     [[f"`{d}`", v["language"], *(v[k] for k in PER_DOCUMENT)] for d, v in stats["per_document"].items()])]
    if "passes" in stats:
        parts += ["### Per-annotator passes",
                  _table(["annotator", "documents", *PASS_LAYERS],
                         [[f"`{a}`", v["documents"], *(v[k] for k in PASS_LAYERS)] for a, v in stats["passes"].items()])]
    return "\n\n".join(parts) + "\n"


def _built(data_dir) -> dict:
    from .store import read_documents_config

    gold, passes = read_documents_config(data_dir)
    return compute(gold, passes)


def markdown_block(project) -> str:
    """DATASHEET.md's counts: exactly what `nkbench data stats` prints for the project's data/."""
    return markdown(_built(project.data_dir))


def summary_block(project) -> str:
    """README.md's counts: the per-layer table of `nkbench data stats`."""
    text = markdown(_built(project.data_dir))
    return text.split("\n### ")[0] + "\n" + "### " + text.split("\n### ")[1].rstrip("\n") + "\n"
