"""Where the gold comes from: a project's Label Studio export, the single source of truth.

``annotation/gold_export.json`` (``Project.gold_export``) is a full JSON export of Label Studio 1.23
(see annotation/README.md for how it is produced); each task holds every annotation pass and the
adjudicated gold, marked ``ground_truth``. Everything downstream (``data/``, ``nkbench score``, the
agreement table) reads the gold through these functions. A ``.jsonl`` path is read as gold
documents in the model's JSON form.

A seed of the project that has no task in the export is *not annotated yet*: ``not_annotated``
names those, and the dataset and the benchmark leave them out with a count (never an error).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .errors import NkbenchError
from .model import Document

NO_EXPORT_HINT = ("make it with scripts/gold-export or `nkbench annotate pull --out`, "
                  "or name another file (a .json export or a .jsonl of documents)")


def load_tasks(path: str | Path, seeds: Mapping):
    """The export's tasks as ``TaskDocuments`` (gold + passes per task), validated against ``seeds``."""
    from .labelstudio.validate import load_export

    path = Path(path)
    if not path.exists():
        raise NkbenchError("no gold export", where=str(path), hint=NO_EXPORT_HINT)
    return load_export(path, seeds)


def split_tasks(tasks, seeds: Mapping) -> tuple[list[Document], dict[str, list[Document]]]:
    """The gold documents and each annotator's documents (the gold's own annotation excluded, by
    annotator), both in seed order."""
    order = {s: i for i, s in enumerate(seeds)}
    tasks = sorted(tasks, key=lambda t: order.get(t.doc_id, len(order)))
    passes: dict[str, list[Document]] = {}
    for t in tasks:
        for who, doc in t.passes.items():
            if who != t.gold_annotator:
                passes.setdefault(who, []).append(doc)
    return [t.gold for t in tasks], dict(sorted(passes.items()))


def load_gold(path: str | Path, seeds: Mapping) -> list[Document]:
    """Gold documents, in seed order: from an export (``.json``) or a ``.jsonl`` file."""
    if Path(path).suffix == ".jsonl":
        from .io import read_documents

        return read_documents(path)
    return split_tasks(load_tasks(path, seeds), seeds)[0]


def load_passes(path: str | Path, seeds: Mapping) -> dict[str, list[Document]]:
    """Each annotator's documents (the adjudicated gold's own annotation excluded), by annotator."""
    return split_tasks(load_tasks(path, seeds), seeds)[1]


def not_annotated(seeds: Mapping, gold: list[Document]) -> list[str]:
    """Ids of the seeds that have no gold document yet, in manifest order."""
    have = {d.id for d in gold}
    return [s for s in seeds if s not in have]
