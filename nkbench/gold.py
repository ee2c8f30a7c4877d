"""Where the gold comes from: the committed Label Studio export, the single source of truth.

``annotation/gold_export.json`` is a full JSON export of Label Studio 1.23 (see annotation/README.md
for how it is produced); each task holds every annotation pass and the adjudicated gold, marked
``ground_truth``. Everything downstream (``data/``, ``nkbench score``, the agreement table) reads the
gold through these functions. A ``.jsonl`` path is read as gold documents in the model's JSON form.
"""

from __future__ import annotations

from pathlib import Path

from .errors import NkbenchError
from .model import Document

ROOT = Path(__file__).resolve().parent.parent
GOLD_EXPORT = ROOT / "annotation" / "gold_export.json"


def load_tasks(path: str | Path | None = None):
    """The export's tasks as ``TaskDocuments`` (gold + passes per task), validated against the seeds."""
    from .labelstudio.validate import load_export

    path = Path(path) if path is not None else GOLD_EXPORT
    if not path.exists():
        raise NkbenchError("no gold export", where=str(path),
                           hint="make it with scripts/gold-export or `nkbench annotate pull --out`, or name another file (a .json export or a .jsonl of documents)")
    return load_export(path)


def load_gold(path: str | Path | None = None) -> list[Document]:
    """Gold documents, in seed order: from an export (``.json``, default) or a ``.jsonl`` file."""
    if path is not None and Path(path).suffix == ".jsonl":
        from .io import read_documents

        return read_documents(path)
    return [t.gold for t in load_tasks(path)]


def load_passes(path: str | Path | None = None) -> dict[str, list[Document]]:
    """Each annotator's documents (the adjudicated gold's own annotation excluded), by annotator."""
    passes: dict[str, list[Document]] = {}
    for t in load_tasks(path):
        for who, doc in t.passes.items():
            if who != t.gold_annotator:
                passes.setdefault(who, []).append(doc)
    return dict(sorted(passes.items()))
