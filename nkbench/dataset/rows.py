"""Documents -> rows of each config, and ``documents`` rows -> Documents (the inverse).

The layers' columns are derived from the field declarations of ``nkbench.core.model`` (``item_row``,
``item_from_row``); the flat ``claims`` config adds its own columns by hand (context, the source
mention's and the cue's fields) before the claim's declared fields.

Rows hold label *names* (strings); ``datasets`` encodes them to ``ClassLabel`` integers when the
Parquet files are written, and ``decode`` turns integers read back from Parquet into names again.

Sentences and tokens (``ner`` and the claims' context sentences) come from ``nkbench.core.bio``:
``sentences(text, protect=mention spans)`` and ``tokenize(text, start, end, protect=mention
spans)``, so that no sentence cuts a gold mention and every gold mention covers whole tokens.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping

from ..core import bio
from ..core.model import Document, layer_specs, specs
from .features import flat_claim_specs


def item_row(x) -> dict:
    """One item of a layer (or a nested struct) as a plain dict: its JSON form, with every float field
    a float (Parquet's ``float64``; ``item_from_row`` gives back the int a whole number was)."""
    out = {}
    for s in specs(type(x)):
        v = getattr(x, s.name)
        if s.many:
            v = [item_row(i) if s.struct else i for i in v]
        elif s.struct:
            v = None if v is None else item_row(v)
        elif s.kind is float and v is not None:
            v = float(v)
        out[s.name] = v
    return out


def item_from_row(cls: type, row: Mapping):
    """The inverse of ``item_row``."""
    values = {}
    for s in specs(cls):
        v = row[s.name]
        if s.many:
            v = tuple(item_from_row(s.kind, i) if s.struct else i for i in v)
        elif s.struct:
            v = None if v is None else item_from_row(s.kind, v)
        elif s.kind is float:
            v = _number(v)
        values[s.name] = v
    return cls(**values)


def layer_rows(doc: Document) -> dict[str, list[dict]]:
    """The layers of ``doc`` as lists of plain dicts (the ``documents``/``passes`` columns)."""
    return {s.name: [item_row(x) for x in getattr(doc, s.name)] for s in layer_specs(type(doc))}


def document_row(doc: Document, seed) -> dict:
    """One ``documents`` row: the article, its manifest metadata and every layer."""
    metadata = {"date": seed.date, "date_basis": seed.date_basis, "date_note": seed.date_note,
                "outlet": seed.outlet, "sha256": seed.sha256, "length": seed.length}
    return {"id": doc.id, "language": doc.language, "text": doc.text, "metadata": metadata, **layer_rows(doc)}


def pass_row(annotator: str, doc: Document) -> dict:
    """One ``passes`` row: one annotator's annotation of one document."""
    return {"annotator": annotator, "id": doc.id, "language": doc.language, "text": doc.text, **layer_rows(doc)}


def _number(x: float | None) -> int | float | None:
    return int(x) if x is not None and float(x).is_integer() else x


def document_from_row(row: Mapping, model: type = Document) -> Document:
    """The inverse of ``document_row``/``pass_row`` (rows with label names, see ``decode``)."""
    return model(row["id"], row["language"], row["text"],
                 **{s.name: tuple(item_from_row(s.kind, x) for x in row[s.name]) for s in layer_specs(model)})


def decode(value, feature):
    """Turn ClassLabel integers (as read from Parquet) back into names, recursively."""
    from datasets import ClassLabel, List, Sequence

    if value is None:
        return None
    if isinstance(feature, ClassLabel):
        return feature.int2str(value)
    if isinstance(feature, (List, Sequence)):
        return [decode(v, feature.feature) for v in value]
    if isinstance(feature, dict):
        return {k: decode(value.get(k), f) for k, f in feature.items()}
    return value


# ---------------------------------------------------------------------------------------------
# Sentences, tokens and BIO tags


def mention_offsets(doc: Document) -> list[tuple[int, int]]:
    """Every gold mention span (nominal ones included): the protected spans of the split."""
    return sorted({(m.start, m.end) for m in doc.mentions})


def doc_sentences(doc: Document) -> list[tuple[int, int]]:
    """The sentence offsets used by ``ner`` and by the claims' context sentences."""
    return bio.sentences(doc.text, protect=mention_offsets(doc))


def ner_rows(doc: Document) -> list[dict]:
    """One row per sentence: tokens with offsets and IOB2 tags over the non-nominal mentions."""
    protect = mention_offsets(doc)
    named = sorted((m.start, m.end, m.label) for m in doc.mentions if not m.nominal)
    rows = []
    for index, (s, e) in enumerate(doc_sentences(doc)):
        tokens = bio.tokenize(doc.text, s, e, protect=protect)
        spans = [x for x in named if s <= x[0] and x[1] <= e]
        where = f"document {doc.id!r}, sentence {index} [{s}:{e}]"
        tags = bio.spans_to_tags(tokens, spans, "IOB2", where=where)
        rows.append({
            "id": f"{doc.id}-{index:03d}", "document_id": doc.id, "language": doc.language,
            "sentence_index": index, "sentence_start": s, "sentence_end": e,
            "tokens": [doc.text[a:b] for a, b in tokens], "ner_tags": tags,
            "token_starts": [a for a, _ in tokens], "token_ends": [b for _, b in tokens],
        })
    return rows


def context_of(sents: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """From the start of the sentence holding ``start`` to the end of the one holding ``end - 1``."""
    ends = [e for _, e in sents]
    first = min(bisect_right(ends, start), len(sents) - 1)
    starts = [s for s, _ in sents]
    last = max(bisect_right(starts, end - 1) - 1, first)
    return min(sents[first][0], start), max(sents[last][1], end)


def claim_rows(doc: Document) -> list[dict]:
    """One row per claim, with its context sentence(s), source, cue, stance, value and link."""
    mentions = {m.id: m for m in doc.mentions}
    cues = {c.id: c for c in doc.cues}
    sents = doc_sentences(doc)
    flat = flat_claim_specs(type(doc))  # stance, parent, value, link: as in the documents config
    rows = []
    for c in doc.claims:
        row = item_row(c)
        cs, ce = context_of(sents, c.start, c.end)
        src = mentions.get(c.source) if c.source else None
        cue = cues.get(c.cue) if c.cue else None
        rows.append({
            "id": f"{doc.id}/{c.id}", "document_id": doc.id, "claim_id": c.id, "language": doc.language,
            "text": c.text, "start": c.start, "end": c.end,
            "context": doc.text[cs:ce], "context_start": cs, "context_end": ce,
            "source_id": c.source, "source_text": src.text if src else None,
            "source_label": src.label if src else None, "source_entity_id": src.entity_id if src else None,
            "source_nominal": src.nominal if src else None,
            "cue_id": c.cue, "cue_text": cue.text if cue else None,
            **{s.name: row[s.name] for s in flat},
        })
    return rows


# ---------------------------------------------------------------------------------------------
# Cross-document inventories


def entity_rows(entities: Mapping[str, Mapping], docs: Iterable[Document]) -> list[dict]:
    """One row per canonical entity of ``annotation/entities.json`` mentioned in ``docs``, with
    where it is mentioned (an entity only the development articles mention is not in the test
    articles' config)."""
    docs = list(docs)
    rows = []
    for eid in sorted(entities):
        rec = entities[eid]
        mentions = [(d.id, m) for d in docs for m in d.mentions if m.entity_id == eid]
        if not mentions:
            continue
        rows.append({"id": eid, "type": rec["type"], "name": rec["name"], "aliases": list(rec.get("aliases") or []),
                     "documents": sorted({d for d, _ in mentions}), "mention_count": len(mentions)})
    return rows


def link_rows(links: Mapping[str, Mapping], docs: Iterable[Document]) -> list[dict]:
    """One row per cross-document link of ``annotation/links.json`` that links claims of ``docs``,
    with those claims and, of its documents, those in ``docs`` (the test articles' config never
    names a development article, and a link only the development articles use is not in it)."""
    docs = list(docs)
    ids = {d.id for d in docs}
    rows = []
    for lid in sorted(links):
        rec = links[lid]
        documents = [x for x in rec.get("documents") or [] if x in ids]
        if rec.get("documents") and not documents:
            continue
        claims = [{"document_id": d.id, "claim_id": c.id} for d in docs for c in d.claims if c.link == lid]
        rows.append({"id": lid, "description": rec.get("description"), "counted": rec.get("counted"),
                     "documents": documents, "claims": claims})
    return rows

