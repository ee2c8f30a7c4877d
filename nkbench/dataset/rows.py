"""Documents -> rows of each config, and ``documents`` rows -> Documents (the inverse).

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
from ..core.model import Argument, Claim, Cue, Document, Event, Mention, NumericValue


def _span(x) -> dict:
    return {"id": x.id, "start": x.start, "end": x.end, "text": x.text}


def _value(v: NumericValue | None) -> dict | None:
    if v is None:
        return None
    return {"low": None if v.low is None else float(v.low), "high": None if v.high is None else float(v.high),
            "hedge": v.hedge, "counted": v.counted}


def layer_rows(doc: Document) -> dict[str, list[dict]]:
    """The four layers of ``doc`` as lists of plain dicts (the ``documents``/``passes`` columns)."""
    return {
        "mentions": [{**_span(m), "label": m.label, "entity_id": m.entity_id, "nominal": m.nominal}
                     for m in doc.mentions],
        "events": [{**_span(e), "label": e.label,
                    "arguments": [{"role": a.role, "mention": a.mention} for a in e.arguments],
                    "polarity": e.polarity, "realis": e.realis} for e in doc.events],
        "cues": [_span(c) for c in doc.cues],
        "claims": [{**_span(c), "stance": c.stance, "source": c.source, "cue": c.cue, "parent": c.parent,
                    "value": _value(c.value), "link": c.link} for c in doc.claims],
    }


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


def document_from_row(row: Mapping) -> Document:
    """The inverse of ``document_row``/``pass_row`` (rows with label names, see ``decode``)."""
    def value(v):
        return None if v is None else NumericValue(_number(v["low"]), _number(v["high"]), v["hedge"], v["counted"])

    return Document(
        row["id"], row["language"], row["text"],
        tuple(Mention(m["id"], m["start"], m["end"], m["text"], m["label"], m["entity_id"], m["nominal"])
              for m in row["mentions"]),
        tuple(Event(e["id"], e["start"], e["end"], e["text"], e["label"],
                    tuple(Argument(a["role"], a["mention"]) for a in e["arguments"]), e["polarity"], e["realis"])
              for e in row["events"]),
        tuple(Cue(c["id"], c["start"], c["end"], c["text"]) for c in row["cues"]),
        tuple(Claim(c["id"], c["start"], c["end"], c["text"], c["stance"], c["source"], c["cue"], c["parent"],
                    value(c["value"]), c["link"]) for c in row["claims"]),
    )


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
    rows = []
    for c in doc.claims:
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
            "stance": c.stance, "parent": c.parent, "value": _value(c.value), "link": c.link,
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

