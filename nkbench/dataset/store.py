"""Read the built ``data/`` back into Documents (for ``nkbench data stats`` and the tests)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..core.errors import Errors, NkbenchError
from ..core.model import Document
from . import features as feats
from .rows import decode, document_from_row


def read_rows(data_dir: Path, config: str) -> list[dict] | None:
    """The rows of ``config`` with label names, or None when the config was not built."""
    import pyarrow.parquet as pq

    path = Path(data_dir) / config / f"{feats.split_of(config)}.parquet"
    if not path.exists():
        return None
    try:
        table = pq.read_table(path)
    except Exception as err:
        raise NkbenchError(f"not readable as Parquet ({type(err).__name__}: {err})", where=str(path),
                           hint="rebuild with `nkbench data build`", code=Errors.E439) from None
    features = feats.features(config)
    if table.column_names != list(features):
        raise NkbenchError(f"columns {table.column_names} are not the declared ones {list(features)}", where=str(path),
                           hint="rebuild with `nkbench data build`", code=Errors.E440)
    return [decode(row, features) for row in table.to_pylist()]


def read_documents_config(data_dir: Path) -> tuple[list[Document], dict[str, list[Document]]]:
    """(gold documents, per-annotator pass documents) from ``data_dir``."""
    rows = read_rows(data_dir, "documents")
    if rows is None:
        raise NkbenchError("no documents config", where=str(Path(data_dir) / "documents"),
                           hint="run `nkbench data build` first", code=Errors.E441)
    passes: dict[str, list[Document]] = defaultdict(list)
    for row in read_rows(data_dir, "passes") or []:
        passes[row["annotator"]].append(document_from_row(row))
    return [document_from_row(r) for r in rows], dict(passes)
