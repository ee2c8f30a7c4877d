"""File I/O at the edges: atomic writes and line-numbered JSON Lines reading."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import Errors, NkbenchError, problems_of


#: The rule for an output path, the same for every command that writes a file:
#: - an existing regular file is replaced atomically (readers see the old or the new file);
#: - a symlink is written through: its final target is replaced atomically and the link kept
#:   (a dangling link is refused: where it points was not made by us);
#: - a folder, FIFO, socket or device is refused (nothing is opened, nothing is replaced);
#: - a new file gets the usual mode (0666 minus the umask); a replaced file keeps its mode.
OUTPUT_RULE = "an --out is a regular file or a new path; a symlink is written through to its target"


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _makedirs(folder: Path) -> list[Path]:
    """``mkdir -p``; the folders it created, outermost first (to remove them again on failure)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for f in reversed(missing):
        f.mkdir(exist_ok=True)
    return list(reversed(missing))


def _remove_dirs(created: list[Path]) -> None:
    for folder in reversed(created):
        try:
            folder.rmdir()  # only if still empty
        except OSError:
            pass


def output_target(path: str | os.PathLike) -> Path:
    """The file a write to ``path`` replaces (``OUTPUT_RULE``), or an NkbenchError saying why not."""
    import stat

    path = Path(path)
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if not target.exists():
            raise NkbenchError(f"is a symlink to {target}, which does not exist", where=str(path),
                               hint="give a regular file or a new path as output", code=Errors.E001)
        path = target
    try:
        st = path.stat()
    except FileNotFoundError:
        return path
    except OSError as err:
        raise NkbenchError(f"cannot inspect the output ({err.strerror or err})", where=str(path), code=Errors.E002) from None
    if stat.S_ISDIR(st.st_mode):
        raise NkbenchError("is a folder, expected a file to write", where=str(path),
                           hint="give a file name as output (e.g. PATH/report.json)", code=Errors.E003)
    if not stat.S_ISREG(st.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(st.st_mode) else "not a regular file"
        raise NkbenchError(f"is {kind}; outputs are written only to regular files", where=str(path),
                           hint="give a regular file or a new path as output (use the command's stdout for pipes)", code=Errors.E004)
    return path


def refuse_same(out: str | os.PathLike | None, *inputs: str | os.PathLike | None, what: str = "--out") -> None:
    """An NkbenchError when ``out`` is (or would replace, or lies in) one of ``inputs``."""
    if out is None:
        return
    target = Path(os.path.realpath(out))
    for inp in inputs:
        if inp is None or str(inp) == "-":
            continue
        real = Path(os.path.realpath(inp))
        same = target == real
        if not same and target.exists() and real.exists():
            try:
                same = os.path.samefile(target, real)
            except OSError:
                pass
        if same:
            raise NkbenchError(f"{what} {out} is the input {inp}; it would be overwritten", where=str(out),
                               hint=f"give another path for {what}", code=Errors.E005)
        if real in target.parents:
            raise NkbenchError(f"{what} {out} is inside the input folder {inp}; it would change that input", where=str(out),
                               hint=f"give a path outside {inp} for {what}", code=Errors.E006)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half
    (see ``OUTPUT_RULE``); a failure (full or read-only disk) is an NkbenchError naming the path,
    and leaves nothing behind."""
    shown = Path(path)
    path = output_target(path)
    tmp, created = None, []
    try:
        created = _makedirs(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()  # mkstemp makes 0600; a written file gets the usual mode
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as err:
        reason = err.strerror or str(err)
        raise NkbenchError(f"cannot write ({reason}); nothing was written", where=str(shown),
                           hint="check the folder exists, is writable and the disk has room", code=Errors.E007) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            _remove_dirs(created)


def _unlink_temps(temps: list[str]) -> None:
    """Remove the temporary files of ``atomic_write_many`` and their ``.old`` links, where still there."""
    for tmp in temps:
        for leftover in (tmp, f"{tmp}.old"):
            try:
                os.unlink(leftover)
            except OSError:
                pass


def atomic_write_many(files) -> None:
    """Write several files as one: every target is checked (``OUTPUT_RULE``) and every new file
    written beside its target before the first is replaced; if a replacement fails, the ones
    already made are undone (old files restored, new ones removed). ``files``: path -> bytes."""
    items = [(Path(p), output_target(p), data) for p, data in dict(files).items()]
    temps: list[str] = []
    created: list[Path] = []
    done: list[tuple[Path, str | None]] = []  # (target, hard link to its old file, or None)
    shown = None
    umask = _umask()
    try:
        for shown, target, data in items:
            created += _makedirs(target.parent)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            temps.append(tmp)
            try:
                mode = target.stat().st_mode & 0o7777
            except FileNotFoundError:
                mode = 0o666 & ~umask
            os.chmod(tmp, mode)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for (shown, target, _), tmp in zip(items, temps):
            backup = None
            if target.exists():
                backup = f"{tmp}.old"
                os.link(target, backup)
            try:
                os.replace(tmp, target)
            except OSError:
                if backup:
                    os.unlink(backup)
                raise
            done.append((target, backup))
    except OSError as err:
        for target, backup in reversed(done):
            try:
                if backup:
                    os.replace(backup, target)
                else:
                    os.unlink(target)
            except OSError:
                pass
        _unlink_temps(temps)  # before the folders they are in
        _remove_dirs(created)
        reason = err.strerror or str(err)
        raise NkbenchError(f"cannot write ({reason}); none of the {len(items)} output file(s) was written",
                           where=str(shown), hint="check the folder exists, is writable and the disk has room", code=Errors.E008) from None
    finally:
        _unlink_temps(temps)
    for _, backup in done:
        if backup:
            try:
                os.unlink(backup)
            except OSError:
                pass


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Atomic write of UTF-8 text (no newline translation)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def dumps(obj) -> str:
    """Canonical JSON used for every file the project writes (stable key order, real UTF-8)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=False, indent=2) + "\n"


#: The largest JSON Lines line read (one document); a longer line is an error, not a MemoryError.
MAX_LINE_BYTES = 64 * 1024 * 1024
#: The largest whole JSON/text file read at once (an export, an inventory, a config).
MAX_FILE_BYTES = 256 * 1024 * 1024


def _open_error(err: OSError, path: Path) -> NkbenchError:
    if isinstance(err, FileNotFoundError):
        return NkbenchError("no such file", where=str(path), code=Errors.E009)
    if isinstance(err, IsADirectoryError):
        return NkbenchError("is a directory, expected a file", where=str(path), code=Errors.E010)
    return NkbenchError(f"cannot read ({err.strerror or err})", where=str(path), code=Errors.E011)


def read_bytes(path: str | os.PathLike) -> bytes:
    """A whole file (``-``: standard input), at most ``MAX_FILE_BYTES``, with a clear error for a
    missing, unreadable or too large file, or an empty standard input."""
    if str(path) == STDIN:
        import sys

        raw = getattr(sys.stdin, "buffer", sys.stdin).read(MAX_FILE_BYTES + 1)
        if not raw:
            raise NkbenchError("standard input is empty", where=display_name(path), hint="pipe a file in, or give its path", code=Errors.E012)
    else:
        try:
            with Path(path).open("rb") as fh:
                raw = fh.read(MAX_FILE_BYTES + 1)
        except OSError as err:
            raise _open_error(err, Path(path)) from None
    if len(raw) > MAX_FILE_BYTES:
        raise NkbenchError(f"larger than {MAX_FILE_BYTES // 2**20} MiB, the most read at once", where=display_name(path), code=Errors.E013)
    return raw


def read_text(path: str | os.PathLike) -> str:
    """Read a UTF-8 file, with a clear error for a missing, unreadable, too large or non-UTF-8 file."""
    raw = read_bytes(path)
    path = display_name(path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise NkbenchError(
            f"not UTF-8 (byte 0x{raw[err.start]:02x} at byte offset {err.start})",
            where=f"{path}:{line}",
            hint="save the file as UTF-8",
         code=Errors.E014) from None


def read_json(path: str | os.PathLike):
    """Parse a JSON file, naming line and column on a syntax error."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise NkbenchError(f"malformed JSON: {err.msg} (column {err.colno})", where=f"{path}:{err.lineno}", code=Errors.E015) from None
    except RecursionError:
        raise NkbenchError("JSON nested too deeply to read", where=str(path), code=Errors.E016) from None
    except ValueError as err:
        raise NkbenchError(f"unreadable JSON value ({err})", where=str(path), code=Errors.E017) from None


#: The path that means standard input (``nkbench score -``); messages call it ``<stdin>``.
STDIN = "-"


def display_name(path: str | os.PathLike) -> str:
    """How messages name ``path``: ``<stdin>`` for ``-``, else the path as given."""
    return "<stdin>" if str(path) == STDIN else str(path)


def iter_jsonl_raw(path: str | os.PathLike) -> Iterator[tuple[int, int, bytes]]:
    """``(line_number, byte_offset, raw_line)`` for each line of a file (``-``: standard input), one
    at a time (at most ``MAX_LINE_BYTES`` each: a longer line is an error naming it);
    ``parse_jsonl_line`` parses one. The caller says "empty" (``empty_error``) when no line had a value."""
    if str(path) == STDIN:
        import contextlib
        import sys

        fh = getattr(sys.stdin, "buffer", sys.stdin)
        closing = contextlib.nullcontext()  # standard input is not ours to close
        path = display_name(path)
    else:
        path = Path(path)
        try:
            fh = path.open("rb")
        except OSError as err:
            raise _open_error(err, path) from None
        closing = fh
    with closing:
        offset, lineno = 0, 0
        while True:
            try:
                raw = fh.readline(MAX_LINE_BYTES + 1)
            except OSError as err:
                raise _open_error(err, path) from None
            if not raw:
                break
            lineno += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                raise NkbenchError(f"line longer than {MAX_LINE_BYTES // 2**20} MiB (the most one document may take)",
                                   where=f"{path}:{lineno}", hint="one JSON object per line; is this a JSON Lines file?", code=Errors.E018)
            yield lineno, offset, raw
            offset += len(raw)


#: The reason given for a file without a single non-blank line.
EMPTY = "empty file, expected one JSON object per line"


def empty_error(path: str | os.PathLike) -> NkbenchError:
    """The error for a file (or standard input) without a single non-blank line."""
    if str(path) in (STDIN, display_name(STDIN)):
        return NkbenchError("standard input is empty, expected one JSON object per line", where=display_name(STDIN),
                            hint="pipe a predictions file in (`... | nkbench score -`), or give its path", code=Errors.E019)
    return NkbenchError(EMPTY, where=str(path), code=Errors.E020)


#: What ``parse_jsonl_line`` returns for a blank line (JSON null is ``None``).
BLANK = object()


def parse_jsonl_line(path: str | os.PathLike, lineno: int, offset: int, raw: bytes):
    """The JSON value of one raw line of ``path`` (``iter_jsonl_raw``), or ``BLANK`` for a blank
    line; errors name the file (``<stdin>`` for ``-``) and line."""
    path = display_name(path)
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise NkbenchError(f"not UTF-8 (byte 0x{raw[err.start]:02x} at byte offset {offset + err.start})",
                           where=f"{path}:{lineno}", hint="save the file as UTF-8", code=Errors.E021) from None
    if not line.strip():
        return BLANK
    try:
        return json.loads(line)
    except json.JSONDecodeError as err:
        raise NkbenchError(f"malformed JSON: {err.msg} (column {err.colno})", where=f"{path}:{lineno}", code=Errors.E022) from None
    except RecursionError:
        raise NkbenchError("JSON nested too deeply to read", where=f"{path}:{lineno}", code=Errors.E023) from None
    except ValueError as err:
        raise NkbenchError(f"unreadable JSON value ({err})", where=f"{path}:{lineno}", code=Errors.E024) from None


def iter_jsonl(path: str | os.PathLike) -> Iterator[tuple[int, object]]:
    """Yield ``(line_number, parsed_object)`` for each non-blank line of a JSON Lines file,
    streaming (one line in memory at a time, at most ``MAX_LINE_BYTES``); errors name the file and line.
    ``-`` is standard input (named ``<stdin>`` in messages)."""
    seen = False
    for lineno, offset, raw in iter_jsonl_raw(path):
        obj = parse_jsonl_line(path, lineno, offset, raw)
        if obj is not BLANK:
            seen = True
            yield lineno, obj
    if not seen:
        raise empty_error(path)


def given_twice(doc_id: str, first_line: int, where: str) -> NkbenchError:
    """A document id on a second line of a JSON Lines file (``where``: ``file:line``)."""
    return NkbenchError(f"document {doc_id!r} given twice (first on line {first_line})", where=where,
                        hint="keep one line per document", code=Errors.E025)


def iter_documents(path: str | os.PathLike, problems: list, *, parse=None, lines=None, fatal: tuple = ()):
    """The one reader of documents in JSON Lines: ``(line, Document)`` for every line of ``path``
    (or of ``lines``, ``(line, object)`` pairs as ``iter_jsonl`` yields), one at a time.

    ``parse(obj, where)`` makes the Document (default: ``model.document_from_dict`` with its text);
    a line it rejects, a document without an id or one given twice is appended to ``problems``
    (each naming ``file:line``) and skipped; the caller raises them. Exceptions of the types in
    ``fatal`` stop the reading. Memory: one line, and the ids seen."""

    if parse is None:
        from .model import document_from_dict

        def parse(obj, where):
            return document_from_dict(obj, where=where)
    seen: dict[str, int] = {}
    for lineno, obj in (iter_jsonl(path) if lines is None else lines):
        where = f"{display_name(path)}:{lineno}"
        try:
            doc = parse(obj, where)
        except fatal:
            raise
        except NkbenchError as err:
            problems.extend(problems_of(err))
            continue
        if not doc.id:
            problems.append(NkbenchError("document without an id", where=where, code=Errors.E026))
            continue
        if doc.id in seen:
            problems.append(given_twice(doc.id, seen[doc.id], where))
            continue
        seen[doc.id] = lineno
        yield lineno, doc


def read_documents(path: str | os.PathLike, *, require_text: bool = True) -> list:
    """Every document of a JSON Lines file in the model's JSON form (gold: ``require_text``;
    predictions: not): ``iter_documents``, all problems of all lines raised together."""
    from .errors import NkbenchErrors
    from .model import document_from_dict

    problems: list = []
    docs = [d for _, d in iter_documents(path, problems, parse=lambda obj, where: document_from_dict(
        obj, where=where, require_text=require_text))]
    if problems:
        raise NkbenchErrors(problems, what=display_name(path))
    return docs


def document_line(doc, *, with_text: bool = True) -> bytes:
    """One document as a JSON Lines line (``model.document_to_dict``, real UTF-8, ``\\n``-terminated;
    without the text unless ``with_text``: predictions). The one writer ``documents_jsonl`` joins."""
    from .model import document_to_dict

    out = document_to_dict(doc)
    if not with_text:
        out.pop("text", None)
    return (json.dumps(out, ensure_ascii=False) + "\n").encode("utf-8")


def documents_jsonl(docs, *, with_text: bool = True) -> bytes:
    """The one writer of documents as JSON Lines: ``document_line`` of each, in order."""
    return b"".join(document_line(d, with_text=with_text) for d in docs)


def write_documents(path: str | os.PathLike, docs, *, with_text: bool = True) -> int:
    """Write documents atomically as JSON Lines (``documents_jsonl``); returns how many."""
    docs = list(docs)
    atomic_write_bytes(path, documents_jsonl(docs, with_text=with_text))
    return len(docs)
