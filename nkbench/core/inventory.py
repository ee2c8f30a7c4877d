"""The one reader of the id inventories, ``annotation/entities.json`` and ``annotation/links.json``.

Shape (the only one accepted): a JSON object keyed by id, each value an object (the record:
``{"type", "name", "aliases", ...}`` for an entity, ``{"description", "counted", ...}`` for a
link). Any other shape (a list of ``{"id": ...}``, ids wrapped under an ``"entities"`` key, a
record that is not an object) is an error naming the file and what was found. The guideline
check (``annotate check``), the Label Studio config and ``data build`` all read them here.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import Errors, NkbenchError
from .io import read_json

SHAPE_HINT = 'an inventory is a JSON object keyed by id: {"ilham_aliyev": {"type": "PER", "name": ...}, ...}'


def read_inventory(path: str | os.PathLike) -> dict[str, dict] | None:
    """The records of an inventory file by id, in the file's order; None when the file does not
    exist. A file of another shape raises NkbenchError (file, what was found, the expected shape)."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        return None
    obj = read_json(path)
    if not isinstance(obj, dict):
        raise NkbenchError(f"expected a JSON object keyed by id, got {_kind(obj)}", where=str(path), hint=SHAPE_HINT, code=Errors.E035)
    for key, record in obj.items():
        if not isinstance(record, dict):
            raise NkbenchError(f"the record of {key!r} is {_kind(record)}, not an object", where=str(path), hint=SHAPE_HINT, code=Errors.E036)
    return obj


def _kind(value) -> str:
    return {list: "a list", str: "a string", type(None): "null", bool: "a boolean", int: "a number", float: "a number"}.get(type(value), type(value).__name__)
