"""The adjudication record: which pass each gold item came from.

Two annotation passes (``annotation/passes/annotator-a``, ``annotator-b``) and the adjudicated gold
(``annotation/passes/adjudicator``) are compared item by item. An item is identified by
(document, layer, start, end); its *version* in a pass is the set of everything annotated on that
span in that layer, with ids replaced by the spans they point to (argument fillers, claim source,
cue and parent), so two passes with different ids but the same annotation compare equal.

For every span where the passes differ, ``kept`` says which version the gold has: ``"a"``, ``"b"``
or ``"both-changed"``. Where the passes agree but the gold does not, ``kept`` is ``"added"``,
``"removed"`` or ``"both-changed"``. Hand-written reasons (``annotation/adjudication_reasons.json``,
keyed like the items: ``"<doc>|<layer>|<start>:<end>"``) are merged in.

``python -m nkbench.adjudication`` regenerates ``annotation/adjudication.json``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .errors import NkbenchError
from .io import atomic_write_text, dumps, read_json
from .model import LAYERS, Document

ROOT = Path(__file__).resolve().parent.parent
PASSES = ROOT / "annotation" / "passes"
OUT = ROOT / "annotation" / "adjudication.json"
REASONS = ROOT / "annotation" / "adjudication_reasons.json"
CHANGED = ("both-changed", "added", "removed")

Span = tuple[int, int]


def _span(x) -> list[int] | None:
    return None if x is None else [x.start, x.end]


def versions(doc: Document) -> dict[str, dict[Span, list[dict]]]:
    """Layer -> span -> sorted list of the items on that span, ids replaced by spans."""
    mentions = {m.id: m for m in doc.mentions}
    cues = {c.id: c for c in doc.cues}
    claims = {c.id: c for c in doc.claims}
    out: dict[str, dict[Span, list[dict]]] = {layer: {} for layer in LAYERS}

    def put(layer: str, x, item: dict) -> None:
        out[layer].setdefault((x.start, x.end), []).append(item)

    for m in doc.mentions:
        put("mentions", m, {"label": m.label, "entity_id": m.entity_id, "nominal": m.nominal})
    for e in doc.events:
        args = sorted([a.role, *_span(mentions.get(a.mention))] if a.mention in mentions else [a.role, a.mention]
                      for a in e.arguments)
        put("events", e, {"label": e.label, "polarity": e.polarity, "realis": e.realis, "arguments": args})
    for c in doc.cues:
        put("cues", c, {})
    for c in doc.claims:
        v = c.value
        put("claims", c, {"stance": c.stance, "source": _span(mentions.get(c.source)), "cue": _span(cues.get(c.cue)),
                          "parent": _span(claims.get(c.parent)),
                          "value": None if v is None else {"low": v.low, "high": v.high, "hedge": v.hedge, "counted": v.counted},
                          "link": c.link})
    for layer in out:
        for span in out[layer]:
            out[layer][span].sort(key=dumps)
    return out


def verdict(a: list[dict], b: list[dict], gold: list[dict]) -> str | None:
    """Which version the gold kept on one span; None when the passes and the gold all agree."""
    if a != b:
        return "a" if gold == a else "b" if gold == b else "both-changed"
    if gold == a:
        return None
    return "added" if not a else "removed" if not gold else "both-changed"


def item_key(doc_id: str, layer: str, span: Span) -> str:
    """The key of an item in the record and in the reasons file."""
    return f"{doc_id}|{layer}|{span[0]}:{span[1]}"


def adjudicate(a: list[Document], b: list[Document], gold: list[Document], reasons: dict[str, dict]) -> dict:
    """The adjudication record of three lists of documents (same document ids) plus reasons."""
    ids = [{d.id for d in docs} for docs in (a, b, gold)]
    if not ids[0] == ids[1] == ids[2]:
        raise NkbenchError(f"the passes and the gold cover different documents: {[sorted(i) for i in ids]}",
                           hint="every folder needs one <doc_id>.json per seed")
    by = [{d.id: d for d in docs} for docs in (a, b, gold)]
    items, counts = [], {layer: Counter() for layer in LAYERS}
    for doc_id in sorted(ids[0]):
        va, vb, vg = (versions(x[doc_id]) for x in by)
        text = by[2][doc_id].text
        for layer in LAYERS:
            for span in sorted(set(va[layer]) | set(vb[layer]) | set(vg[layer])):
                ga, gb, gg = (v[layer].get(span, []) for v in (va, vb, vg))
                kept = verdict(ga, gb, gg)
                if kept is None:
                    continue
                key = item_key(doc_id, layer, span)
                item = {"key": key, "document": doc_id, "layer": layer, "start": span[0], "end": span[1],
                        "text": text[span[0]:span[1]] if text else None, "kept": kept, "a": ga, "b": gb, "gold": gg}
                item.update(reasons.get(key, {}))
                items.append(item)
                c = counts[layer]
                if ga != gb:
                    c["disagreements"] += 1
                    c[{"a": "won_by_a", "b": "won_by_b"}.get(kept, "changed")] += 1
                else:
                    c[kept] += 1
    fields = ("disagreements", "won_by_a", "won_by_b", "changed", "added", "removed", "both-changed")
    summary = {layer: {f: counts[layer][f] for f in fields} for layer in LAYERS}
    summary["total"] = {f: sum(summary[layer][f] for layer in LAYERS) for f in fields}
    stale = sorted(set(reasons) - {i["key"] for i in items})
    if stale:
        raise NkbenchError(f"reasons for items that are not in the record: {stale}", where=str(REASONS),
                           hint="remove them or fix their keys (<doc>|<layer>|<start>:<end>)")
    return {"annotators": {"a": "annotator-a", "b": "annotator-b", "gold": "adjudicator"},
            "summary": summary, "items": items}


def unexplained(record: dict) -> list[str]:
    """Keys of changed/added/removed items that have no reason."""
    return [i["key"] for i in record["items"] if i["kept"] in CHANGED and not (i.get("reason") or "").strip()]


def build(passes: Path = PASSES, reasons_path: Path = REASONS) -> dict:
    """The record from the three pass folders (I/O edge)."""
    from .passes import load_pass_dir
    from .seeds import load_seeds

    seeds = load_seeds()
    docs = [load_pass_dir(passes / name, seeds)[1] for name in ("annotator-a", "annotator-b", "adjudicator")]
    reasons = read_json(reasons_path) if reasons_path.exists() else {}
    return adjudicate(*docs, reasons)


def markdown_block() -> str:
    """DATASHEET.md's adjudication table, from the committed annotation/adjudication.json."""
    from .io import read_json

    record = read_json(OUT)
    a, b = record["annotators"]["a"], record["annotators"]["b"]
    lines = [f"| layer | disagreements | kept from {a} | kept from {b} | changed / added / removed |", "|---|---:|---:|---:|---:|"]
    for layer, s in record["summary"].items():
        other = s["both-changed"] + s["added"] + s["removed"]
        lines.append(f"| {layer} | {s['disagreements']} | {s['won_by_a']} | {s['won_by_b']} | {other} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Regenerate annotation/adjudication.json."""
    record = build()
    atomic_write_text(OUT, dumps(record))
    missing = unexplained(record)
    total = record["summary"]["total"]
    print(f"{OUT.relative_to(ROOT)}: {total['disagreements']} disagreements ({total['won_by_a']} a, {total['won_by_b']} b, "
          f"{total['changed']} changed), {total['added']} added, {total['removed']} removed, "
          f"{total['both-changed']} agreed items changed" + (f"; NO REASON for {missing}" if missing else ""))


if __name__ == "__main__":
    main()
