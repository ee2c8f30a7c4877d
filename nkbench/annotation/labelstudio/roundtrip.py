"""Does an export hold exactly the given gold and passes? (The check after a trip through Label Studio.)

Compared as converted Documents (``validate.load_export``), not as raw Label Studio results:
region ids and server fields may change, the annotation may not. ``nkbench annotate roundtrip
EXPORT GOLD.jsonl [--pass NAME=PASS.jsonl ...]`` exits 1 naming every difference when there are
any (used by ``scripts/gold-export``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ...core.model import Document, document_to_dict


def _layers(a: Document, b: Document) -> str:
    """Which parts of two documents of the same id differ, e.g. 'mentions (12 vs 13), claims'."""
    da, db = document_to_dict(a), document_to_dict(b)
    parts = []
    for key in sorted(set(da) | set(db)):
        if da.get(key) != db.get(key):
            x, y = da.get(key), db.get(key)
            parts.append(f"{key} ({len(x)} vs {len(y)})" if isinstance(x, list) and isinstance(y, list) else key)
    return ", ".join(parts) or "object equality"


def differences(tasks, gold: Sequence[Document], passes: Mapping[str, Sequence[Document]] | None = None,
                *, gold_annotator: str | None = None) -> list[str]:
    """Every way ``tasks`` (``validate.TaskDocuments`` from an export) differ from ``gold`` and
    ``passes`` (annotator -> documents); ``[]`` when the export holds exactly them. ``gold_annotator``,
    when given, must be the annotator of every gold annotation."""
    out: list[str] = []
    by_doc = {t.doc_id: t for t in tasks}
    want = {d.id: d for d in gold}
    out += [f"document {i}: in the gold file, not in the export" for i in sorted(set(want) - set(by_doc))]
    out += [f"document {i}: in the export, not in the gold file" for i in sorted(set(by_doc) - set(want))]
    expected_passes: dict[str, dict[str, Document]] = {}
    for name, docs in (passes or {}).items():
        for d in docs:
            expected_passes.setdefault(d.id, {})[name] = d
    for doc_id in sorted(set(want) & set(by_doc)):
        t = by_doc[doc_id]
        if t.gold != want[doc_id]:
            out.append(f"document {doc_id}: gold differs ({_layers(want[doc_id], t.gold)})")
        if gold_annotator is not None and t.gold_annotator != gold_annotator:
            out.append(f"document {doc_id}: gold is by {t.gold_annotator!r}, expected {gold_annotator!r}")
        got = {k: v for k, v in t.passes.items() if k != t.gold_annotator}
        exp = expected_passes.get(doc_id, {})
        for name in sorted(set(exp) | set(got)):
            if name not in got:
                out.append(f"document {doc_id}: no annotation by {name!r} in the export")
            elif name not in exp:
                out.append(f"document {doc_id}: unexpected annotation by {name!r} in the export")
            elif got[name] != exp[name]:
                out.append(f"document {doc_id}: pass {name!r} differs ({_layers(exp[name], got[name])})")
    return out


def check_export(export: Path, gold: Path, passes: Mapping[str, Path], seeds_dir: Path) -> tuple[list[str], int, int]:
    """``differences`` between the export at ``export`` and the documents of the ``gold`` and
    ``passes`` (annotator -> JSON Lines file) files: (differences, gold documents in the export,
    pass annotations in the export)."""
    from ...core.io import read_documents
    from ..seeds import load_seeds
    from .validate import load_export

    tasks = load_export(Path(export), load_seeds(seeds_dir))
    docs = {name: read_documents(path) for name, path in passes.items()}
    diffs = differences(tasks, read_documents(gold), docs)
    return diffs, len(tasks), sum(len(t.passes) - 1 for t in tasks)
