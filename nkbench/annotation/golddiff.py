"""What changed in the gold between two versions, per layer: items added, removed, changed.

Items are matched by what they annotate, not by id (ids are renumbered between versions): a mention,
an event, a cue or a claim is the same item in both versions when it has the same document and the
same span (``start``, ``end``; the n-th item of a layer on one span matches the n-th on the other).
A matched item is *changed* when any of its other attributes differ; references (an argument's
mention, a claim's source, cue and parent) are compared by the span they point to, so a renumbered
id is no change.

``diff`` is pure (documents in, ``GoldDiff`` out); ``nkbench annotate diff OLD NEW`` prints it and
the datasheet's ``gold-diff`` block (``markdown_block``) shows it for the project's previous
published gold (``annotation/versions/gold-<version>.jsonl``) against the current gold.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.model import LAYERS, Document, layer_specs, own_specs, specs

#: Where earlier published golds are kept, as JSON Lines of documents: ``gold-<version>.jsonl``.
VERSIONS_DIR = "versions"
_VERSION_FILE = re.compile(r"^gold-(\d+)\.(\d+)\.(\d+)\.jsonl$")


@dataclass(frozen=True, slots=True)
class Item:
    """One annotation as compared: document, layer, span, its shown text and its attributes."""

    doc: str
    layer: str
    start: int
    end: int
    text: str
    attrs: tuple[tuple[str, object], ...]

    def show(self) -> str:
        attrs = " ".join(f"{k}={v}" for k, v in self.attrs if v not in (None, (), False))
        return f"{self.doc} {self.layer[:-1]} [{self.start}:{self.end}] {self.text!r}" + (f" {attrs}" if attrs else "")


@dataclass(frozen=True, slots=True)
class LayerDiff:
    old: int
    new: int
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    changed: list[tuple[Item, Item]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class GoldDiff:
    layers: dict[str, LayerDiff]
    documents_added: list[str]
    documents_removed: list[str]


def _attrs(x, spans: dict[str, tuple[int, int]]) -> tuple:
    """(name, value) of every declared field of ``x`` but its span fields (``nkbench.core.model``): scalars
    and structs (as tuples) in declaration order, then the lists (an event's arguments: sorted); a
    reference is the span it points to (its id when it points nowhere)."""
    def value(s, v):
        if s.ref:
            return None if v is None else spans.get(v, v)
        if s.struct:
            return None if v is None else tuple(value(f, getattr(v, f.name)) for f in specs(s.kind))
        return v

    own = own_specs(type(x))
    return (*((s.name, value(s, getattr(x, s.name))) for s in own if not s.many),
            *((s.name, tuple(sorted(tuple(value(f, getattr(e, f.name)) for f in specs(type(e)))
                                    for e in getattr(x, s.name)))) for s in own if s.many))


def items(doc: Document) -> dict[str, list[Item]]:
    """The document's items per layer, references replaced by the spans they point to."""
    layers = [s.name for s in layer_specs(type(doc))]
    spans = {x.id: (x.start, x.end) for layer in layers for x in getattr(doc, layer)}
    return {layer: [Item(doc.id, layer, x.start, x.end, x.text, _attrs(x, spans)) for x in getattr(doc, layer)]
            for layer in layers}


def _keyed(xs: list[Item]) -> dict[tuple, Item]:
    seen: Counter = Counter()
    out = {}
    for x in sorted(xs, key=lambda x: (x.start, x.end, x.attrs.__repr__())):
        key = (x.doc, x.start, x.end, seen[(x.doc, x.start, x.end)])
        seen[(x.doc, x.start, x.end)] += 1
        out[key] = x
    return out


def diff(old: Sequence[Document], new: Sequence[Document]) -> GoldDiff:
    """Per layer, what ``new`` adds to, removes from and changes in ``old`` (documents by id)."""
    old_by, new_by = {d.id: d for d in old}, {d.id: d for d in new}
    per: dict[str, tuple[list[Item], list[Item]]] = {layer: ([], []) for layer in LAYERS}
    for docs, side in ((old_by, 0), (new_by, 1)):
        for d in docs.values():
            for layer, xs in items(d).items():
                per[layer][side].extend(xs)
    layers = {}
    for layer, (a, b) in per.items():
        ka, kb = _keyed(a), _keyed(b)
        layers[layer] = LayerDiff(
            len(a), len(b),
            added=[kb[k] for k in sorted(kb.keys() - ka.keys())],
            removed=[ka[k] for k in sorted(ka.keys() - kb.keys())],
            changed=[(ka[k], kb[k]) for k in sorted(ka.keys() & kb.keys()) if ka[k].attrs != kb[k].attrs])
    return GoldDiff(layers, sorted(new_by.keys() - old_by.keys()), sorted(old_by.keys() - new_by.keys()))


def _changes(a: Item, b: Item) -> str:
    old, new = dict(a.attrs), dict(b.attrs)
    parts = []
    for k in old:
        if old[k] != new[k]:
            if isinstance(old[k], tuple) and k == "arguments":
                gone = sorted(set(old[k]) - set(new[k]))
                came = sorted(set(new[k]) - set(old[k]))
                parts.append(f"arguments -{list(gone)} +{list(came)}")
            else:
                parts.append(f"{k} {old[k]} -> {new[k]}")
    return "; ".join(parts)


def render(d: GoldDiff, details: bool = False) -> str:
    """The table (and with ``details`` every item), as ``nkbench annotate diff`` prints it."""
    rows = [("layer", "old", "new", "added", "removed", "changed")]
    rows += [(layer, str(x.old), str(x.new), str(len(x.added)), str(len(x.removed)), str(len(x.changed)))
             for layer, x in d.layers.items()]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [" ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
             for r in rows]
    if d.documents_added or d.documents_removed:
        lines.append(f"documents added: {', '.join(d.documents_added) or 'none'}; "
                     f"removed: {', '.join(d.documents_removed) or 'none'}")
    if details:
        for layer, x in d.layers.items():
            lines += [f"+ {i.show()}" for i in x.added]
            lines += [f"- {i.show()}" for i in x.removed]
            lines += [f"~ {b.show()}: {_changes(a, b)}" for a, b in x.changed]
    return "\n".join(lines) + "\n"


# -- the project's versions ------------------------------------------------------------------------


def dataset_version(project) -> str | None:
    """The dataset version declared in nkbench.toml (``dataset_version`` in ``[project]``), or None."""
    v = project.settings.get("dataset_version")
    return v if isinstance(v, str) and v else None


def previous_versions(project) -> list[tuple[str, Path]]:
    """(version, path) of the earlier golds kept in ``annotation/versions/``, oldest first."""
    folder = project.annotation_dir / VERSIONS_DIR
    found = []
    if folder.is_dir():
        for p in folder.iterdir():
            if m := _VERSION_FILE.match(p.name):
                found.append((tuple(int(g) for g in m.groups()), p))
    return [(".".join(map(str, v)), p) for v, p in sorted(found)]


def changes_markdown(project, current: Sequence[Document] | None = None, current_name: str | None = None) -> str:
    """'Version' and 'Changes between versions' (Markdown), for the card and the datasheet: the
    newest earlier gold against ``current`` (default: the project's gold export)."""
    from .gold import read_gold

    version = dataset_version(project)
    if version is None:
        return ""
    lines = [f"**Version {version}** (declared once, as `dataset_version` in `nkbench.toml`; the "
             "Hub card carries it as `version` of every config, which `datasets` reads into `info.version`)."]
    prev = previous_versions(project)
    if prev:
        old_version, old_path = prev[-1]
        rel = project.relative(old_path)
        if current is None:
            current, current_name = read_gold(None, project).documents, project.relative(project.gold_export)
        d = diff(read_gold(old_path, project).documents, current)
        lines += ["", f"Changes between versions {old_version} and {version} in the gold, per layer (items matched by "
                  "document and span; *changed*: same span, other label, attributes, arguments, source, cue, "
                  "parent, value or link), made by "
                  f"`nkbench annotate diff {rel} {current_name or 'GOLD'}`:",
                  "", "```text", render(d).rstrip("\n"), "```"]
    from .seeds import load_seeds

    dev = sum(s.split == "dev" for s in load_seeds(project.seeds_dir).values())
    if dev:
        lines += ["", f"The comparison is of the test articles' gold. The {dev} synthetic development articles "
                  "(seed split `dev`) are not in it: they are the dataset's `dev` configuration, not test gold."]
    return "\n".join(lines) + "\n"


def markdown_block(project) -> str:
    """The datasheet's ``gold-diff`` block."""
    return changes_markdown(project) or "No dataset version is declared (`dataset_version` in nkbench.toml).\n"
