"""The adjudication record: which pass each gold item came from.

The two annotation passes and the adjudicated gold of every task of the gold export (in the
committed project: ``annotator-a``, ``annotator-b`` and ``adjudicator``) are compared item by item. An item is identified by
(document, layer, start, end); its *version* in a pass is the set of everything annotated on that
span in that layer, with ids replaced by the spans they point to (argument fillers, claim source,
cue and parent), so two passes with different ids but the same annotation compare equal.

For every span where the passes differ, ``kept`` says which version the gold has: ``"a"``, ``"b"``
or ``"both-changed"``. Where the passes agree but the gold does not, ``kept`` is ``"added"``,
``"removed"`` or ``"both-changed"``. Hand-written reasons (``annotation/adjudication_reasons.json``,
keyed like the items: ``"<doc>|<layer>|<start>:<end>"``) are merged in.

``nkbench annotate adjudicate`` regenerates ``annotation/adjudication.json``.
"""

from __future__ import annotations

from collections import Counter

from ..core.errors import Errors, NkbenchError
from ..core.io import atomic_write_text, dumps, read_json
from ..core.model import LAYERS, Document, layer_specs, own_specs, specs

CHANGED = ("both-changed", "added", "removed")

Span = tuple[int, int]


def _span(x) -> list[int] | None:
    return None if x is None else [x.start, x.end]


def versions(doc: Document) -> dict[str, dict[Span, list[dict]]]:
    """Layer -> span -> sorted list of the items on that span, ids replaced by spans.

    An item's version is every declared field of it (``nkbench.core.model``) but its span fields, so a
    field added to the model is compared without a word here: scalars and structs in declaration
    order, then the lists (an event's arguments, each ``[role, start, end]``: sorted). A reference
    becomes the span it points to (null when it points nowhere; an argument keeps the id then)."""
    index = {layer.name: {x.id: x for x in getattr(doc, layer.name)} for layer in layer_specs(type(doc))}
    out: dict[str, dict[Span, list[dict]]] = {layer: {} for layer in index}

    def scalar(s, v):
        if s.ref:
            return _span(index[s.ref].get(v))
        if s.struct:
            return None if v is None else {f.name: scalar(f, getattr(v, f.name)) for f in specs(s.kind)}
        return v

    def element(x) -> list:  # one item of a list field: its fields in order, a reference as its span
        row = []
        for f in specs(type(x)):
            v = getattr(x, f.name)
            target = index[f.ref].get(v) if f.ref else None
            row += _span(target) if target is not None else [v]
        return row

    for layer in layer_specs(type(doc)):
        own = own_specs(layer.kind)
        for x in getattr(doc, layer.name):
            item = {s.name: scalar(s, getattr(x, s.name)) for s in own if not s.many}
            item.update({s.name: sorted(element(e) for e in getattr(x, s.name)) for s in own if s.many})
            out[layer.name].setdefault((x.start, x.end), []).append(item)
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


def adjudicate(a: list[Document], b: list[Document], gold: list[Document], reasons: dict[str, dict], *,
               names: tuple[str, str, str] = ("annotator-a", "annotator-b", "adjudicator"),
               reasons_where: str = "reasons") -> dict:
    """The adjudication record of three lists of documents (same document ids) plus reasons;
    ``names`` are the annotators of ``a``, ``b`` and ``gold``."""
    ids = [{d.id for d in docs} for docs in (a, b, gold)]
    if not ids[0] == ids[1] == ids[2]:
        missing = sorted((ids[2] - ids[0]) | (ids[2] - ids[1]))
        raise NkbenchError(f"the passes and the gold cover different documents (gold without two passes: "
                           f"{', '.join(missing) or 'none'})",
                           hint="every adjudicated document needs both annotators' annotations", code=Errors.E269)
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
        raise NkbenchError(f"reasons for items that are not in the record: {stale}", where=reasons_where,
                           hint="remove them or fix their keys (<doc>|<layer>|<start>:<end>)", code=Errors.E270)
    return {"annotators": dict(zip(("a", "b", "gold"), names)),
            "summary": summary, "items": items}


def unexplained(record: dict) -> list[str]:
    """Keys of changed/added/removed items that have no reason."""
    return [i["key"] for i in record["items"] if i["kept"] in CHANGED and not (i.get("reason") or "").strip()]


def build(project) -> dict:
    """The record from the project's gold export (its two passes and gold per task) and its
    reasons file (I/O edge)."""
    from .agreement import two_passes
    from .gold import load_tasks, split_tasks
    from .seeds import load_seeds

    seeds = load_seeds(project.seeds_dir)
    tasks = load_tasks(project.gold_export, seeds)
    gold, passes = split_tasks(tasks, seeds)
    (na, nb), a, b = two_passes(passes)
    gold_names = sorted({t.gold_annotator for t in tasks})
    reasons_path = project.adjudication_reasons
    reasons = read_json(reasons_path) if reasons_path.exists() else {}

    def part(split: str) -> dict:  # the test and the development articles are recorded apart
        keep = lambda docs: [d for d in docs if d.id in seeds and seeds[d.id].split == split]  # noqa: E731
        own = {k: v for k, v in reasons.items() if seeds.get(k.split("|")[0]) is None
               or seeds[k.split("|")[0]].split == split}
        return adjudicate(keep(a), keep(b), keep(gold), own, names=(na, nb, " / ".join(gold_names)),
                          reasons_where=project.relative(reasons_path))

    record = part("test")
    if any(seeds[d.id].split == "dev" for d in gold if d.id in seeds):
        dev = part("dev")
        record["dev"] = {"summary": dev["summary"], "items": dev["items"]}
    return record


def markdown_block(project, split: str = "test") -> str:
    """DATASHEET.md's adjudication table (the test articles, or ``split="dev"`` the development
    ones), from the project's annotation/adjudication.json."""
    record = read_json(project.adjudication)
    a, b = record["annotators"]["a"], record["annotators"]["b"]
    if split == "dev":
        if "dev" not in record:
            return "No development article is adjudicated yet.\n"
        record = record["dev"]
    lines = [f"| layer | disagreements | kept from {a} | kept from {b} | changed / added / removed |", "|---|---:|---:|---:|---:|"]
    for layer, s in record["summary"].items():
        other = s["both-changed"] + s["added"] + s["removed"]
        lines.append(f"| {layer} | {s['disagreements']} | {s['won_by_a']} | {s['won_by_b']} | {other} |")
    return "\n".join(lines) + "\n"


def regenerate(project, *, check: bool = False) -> tuple[dict, bool]:
    """Rebuild the record; write it unless ``check``. Returns (record, whether the file was current)."""
    record = build(project)
    text = dumps(record)
    path = project.adjudication
    current = path.exists() and path.read_text(encoding="utf-8") == text
    if not check and not current:
        atomic_write_text(path, text)
    return record, current


def markdown_block_dev(project) -> str:
    """DATASHEET.md's adjudication table of the development articles."""
    return markdown_block(project, "dev")


def summary_line(record: dict) -> str:
    """One line: how many disagreements each pass won, what the adjudicator changed (the test
    articles; then the development articles, when there are)."""
    missing = unexplained(record)
    total = record["summary"]["total"]
    line = (f"{total['disagreements']} disagreements ({total['won_by_a']} a, {total['won_by_b']} b, "
            f"{total['changed']} changed), {total['added']} added, {total['removed']} removed, "
            f"{total['both-changed']} agreed items changed" + (f"; NO REASON for {missing}" if missing else ""))
    if "dev" in record:
        line += "; dev: " + summary_line(record["dev"])
    return line
