"""File I/O at the edges: atomic writes and line-numbered JSON Lines reading."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import NkbenchError


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a written file gets the usual mode
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Atomic write of UTF-8 text (no newline translation)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def dumps(obj) -> str:
    """Canonical JSON used for every file the project writes (stable key order, real UTF-8)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=False, indent=2) + "\n"


def read_text(path: str | os.PathLike) -> str:
    """Read a UTF-8 file, with a clear error for a missing or non-UTF-8 file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NkbenchError("no such file", where=str(path)) from None
    except IsADirectoryError:
        raise NkbenchError("is a directory, expected a file", where=str(path)) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise NkbenchError(
            f"not UTF-8 (byte 0x{raw[err.start]:02x} at byte offset {err.start})",
            where=f"{path}:{line}",
            hint="save the file as UTF-8",
        ) from None


def read_json(path: str | os.PathLike):
    """Parse a JSON file, naming line and column on a syntax error."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise NkbenchError(f"malformed JSON: {err.msg} (column {err.colno})", where=f"{path}:{err.lineno}") from None


def iter_jsonl(path: str | os.PathLike) -> Iterator[tuple[int, object]]:
    """Yield ``(line_number, parsed_object)`` for each non-blank line of a JSON Lines file,
    streaming (one line in memory at a time); errors name the file and line."""
    path = Path(path)
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        raise NkbenchError("no such file", where=str(path)) from None
    except IsADirectoryError:
        raise NkbenchError("is a directory, expected a file", where=str(path)) from None
    seen = False
    with fh:
        offset = 0
        for lineno, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise NkbenchError(f"not UTF-8 (byte 0x{raw[err.start]:02x} at byte offset {offset + err.start})",
                                   where=f"{path}:{lineno}", hint="save the file as UTF-8") from None
            offset += len(raw)
            if not line.strip():
                continue
            seen = True
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                raise NkbenchError(f"malformed JSON: {err.msg} (column {err.colno})", where=f"{path}:{lineno}") from None
            yield lineno, obj
    if not seen:
        raise NkbenchError("empty file, expected one JSON object per line", where=str(path))


def read_documents(path: str | os.PathLike, *, require_text: bool = True) -> list:
    """Every document of a JSON Lines file in the model's JSON form (gold: ``require_text``;
    predictions: not); all parse problems of all lines are raised together, each naming its line."""
    from .errors import NkbenchErrors
    from .model import document_from_dict

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


def write_documents(path: str | os.PathLike, docs) -> int:
    """Write documents atomically as JSON Lines (one ``document_to_dict`` object per line); returns how many."""
    from .model import document_to_dict

    lines = [json.dumps(document_to_dict(d), ensure_ascii=False) for d in docs]
    atomic_write_text(path, "".join(line + "\n" for line in lines))
    return len(lines)
