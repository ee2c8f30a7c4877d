"""Reading and writing documents as JSON Lines (one ``document_to_dict`` object per line)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ..errors import NkbenchError, NkbenchErrors
from ..io import atomic_write_text, iter_jsonl
from ..model import Document, document_from_dict, document_to_dict


def read_documents(path: str | Path, *, require_text: bool = True) -> list[Document]:
    """Every document of a JSONL file; all parse problems of all lines are raised together."""
    docs, problems = [], []
    for lineno, obj in iter_jsonl(path):
        try:
            docs.append(document_from_dict(obj, where=f"{path}:{lineno}", require_text=require_text))
        except NkbenchErrors as err:
            problems += err.problems
        except NkbenchError as err:
            problems.append(err)
    if problems:
        raise NkbenchErrors(problems, what=str(path))
    return docs


def write_documents(path: str | Path, docs: Iterable[Document]) -> int:
    """Write documents atomically as JSONL; returns how many."""
    lines = [json.dumps(document_to_dict(d), ensure_ascii=False) for d in docs]
    atomic_write_text(path, "".join(line + "\n" for line in lines))
    return len(lines)
