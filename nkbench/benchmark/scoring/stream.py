"""Scoring a predictions FILE in bounded memory, on every core: ``score_file``.

The file is read line by line (``io.iter_jsonl_raw``) in chunks of about ``CHUNK_BYTES``; each
chunk goes to a worker process (forked: the gold is shared, not copied or sent), which parses each
line (``io.parse_jsonl_line``, ``model.document_from_dict``), checks each document against its
gold document (``predictions.check_predictions``) and scores the chunk (``harness._Batches``),
and sends back only counts (``harness.Tally``) and the claims (their links pair claims of any
two documents, so they are scored at the end). At most ``2 * workers`` chunks are in flight, so
memory grows with the chunk (or the largest document), the gold and the number of resampling
units, never with the file. The report, and every error, is the one-process path's
(``harness.score_stream`` over a ``predictions.PredictionStream``), to the byte:

- a document given twice, and ids seen, are decided here, in line order ("first on line N");
- the problems of reading (lines that are not documents, ids given twice) are raised if any,
  else those of checking against the gold, all together, in line order;
- an unreadable line (not UTF-8, malformed JSON, too long) stops the run at that line.
"""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path

import numpy as np

from ...core.errors import Errors, NkbenchError, NkbenchErrors
from ...core.io import BLANK, STDIN, display_name, empty_error, given_twice, iter_jsonl_raw, parse_jsonl_line
from ...core.model import Document
from . import harness
from .harness import LAYERS

#: Bytes of predictions (whole lines) one worker parses, checks and scores at a time.
CHUNK_BYTES = 8 * 2 ** 20
#: Below this size a file is scored in this process (starting workers costs more than it saves).
PARALLEL_MIN_BYTES = 16 * 2 ** 20

_STATE: dict = {}  # set before the workers are forked; they inherit it


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _chunk(lines: list[tuple[int, int, bytes]]) -> dict:
    """In a worker: parse, check and score consecutive lines (see the module doc)."""
    from .predictions import check_predictions, iter_jsonl_documents

    st = _STATE
    path, by_id = st["path"], st["by_id"]
    out = {"docs": [], "read": [], "check": [], "fatal": None, "any": False, "batches": None}
    current = [0]

    def parsed():
        for lineno, offset, raw in lines:
            obj = parse_jsonl_line(path, lineno, offset, raw)  # an error here stops the run (as iter_jsonl)
            if obj is BLANK:
                continue
            out["any"] = True
            current[0] = lineno
            yield lineno, obj

    read: list[NkbenchError] = []
    batch: list[tuple[int, Document]] = []
    try:
        for lineno, doc in iter_jsonl_documents(path, gold=False, problems=read, lines=_tagged(parsed(), read, out["read"], current)):
            out["docs"].append((lineno, doc.id))
            g = by_id.get(doc.id)
            if g is None:
                from ...core.errors import did_you_mean

                out["check"].append((lineno, [NkbenchError("unknown document id (not in the gold)",
                                                           where=f"{display_name(path)}:{lineno}: document {doc.id!r}",
                                                           hint=did_you_mean(doc.id, by_id), code=Errors.E549)]))
                continue
            try:
                (doc,) = check_predictions([(lineno, doc)], [g], path, st["unknown_labels"])
            except NkbenchErrors as err:
                out["check"].append((lineno, err.problems))
                continue
            if doc.id in st["index"]:  # else: checked, not scored (another language than --language's)
                batch.append((st["index"][doc.id], doc))
        _flush(read, out["read"], current)
    except NkbenchError as err:
        _flush(read, out["read"], current)
        out["fatal"] = err
    if not (out["read"] or out["check"] or out["fatal"]):
        batches = harness._Batches(st["gold"], st["layers"], st["units"])
        for part in _split(batch, st["batch_items"], st["gold"]):
            batches.score(part)
        out["batches"] = batches
    return out


def _flush(read: list, tagged: list, current: list) -> None:
    """Problems appended since the last call belong to the line read last."""
    while read:
        tagged.append((current[0], read.pop(0)))


def _tagged(lines, read: list, tagged: list, current: list):
    it = iter(lines)
    while True:
        _flush(read, tagged, current)  # before the next line is read: the previous line's problems
        try:
            item = next(it)
        except StopIteration:
            return
        yield item


def _split(batch, batch_items: int, gold):
    part, size = [], 0
    for i, d in batch:
        part.append((i, d))
        size += harness._size(d) + harness._size(gold[i])
        if size >= batch_items:
            yield part
            part, size = [], 0
    if part:
        yield part


def _chunks(path, chunk_bytes: int):
    chunk, size = [], 0
    for item in iter_jsonl_raw(path):
        chunk.append(item)
        size += len(item[2])
        if size >= chunk_bytes:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _parallel(path: str | Path, workers: int | None, chunk_bytes: int) -> int:
    """Worker processes for ``path``: 0 (score in this process) for standard input (``-``, read as
    it comes), one core, a small file, or a platform without ``fork`` (the workers must inherit the gold)."""
    import multiprocessing

    if str(path) == STDIN:
        return 0
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    workers = default_workers() if workers is None else workers
    try:
        small = Path(path).stat().st_size < PARALLEL_MIN_BYTES
    except OSError:
        small = True  # let the reader name the problem
    return 0 if workers <= 1 or (small and chunk_bytes == CHUNK_BYTES) else workers


class _Alongside:
    """``fn()`` in a thread of this process (started after the workers are forked: they never
    inherit it); ``join`` waits for it and raises what it raised."""

    def __init__(self, fn) -> None:
        import threading

        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(fn,), daemon=True)
        self.thread.start()

    def _run(self, fn) -> None:
        try:
            fn()
        except BaseException as err:  # noqa: BLE001 - raised again by join, in the caller's thread
            self.error = err

    def join(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


def tally_file(gold: list[Document], path: str | Path, layers, units, *, unknown_labels: str = "error",
               workers: int | None = None, chunk_bytes: int = CHUNK_BYTES, batch_items: int = harness.BATCH_ITEMS,
               all_gold: list[Document] | None = None, alongside=None):
    """Check and count the predictions file ``path``: ``(harness._Batches, seen)`` (see the module doc).
    ``all_gold``: the gold the predictions are checked against (default ``gold``); the documents
    of ``all_gold`` not in ``gold`` (``--language``) are checked, not scored. ``alongside``: a
    function of no arguments (e.g. hashing the gold) called in a thread while the worker processes
    score, or, without workers, after this process has scored; what it raises is raised
    (after the problems of the predictions, if any)."""
    from .predictions import UNKNOWN_LABEL_POLICIES, PredictionStream

    all_gold = gold if all_gold is None else all_gold
    workers = _parallel(path, workers, chunk_bytes)
    if not workers:
        stream = PredictionStream(path, all_gold, unknown_labels)
        if all_gold is not gold:
            keep = {g.id for g in gold}
            stream = (d for d in stream if d.id in keep)
        tallied = harness.tally_stream(gold, stream, layers, units, batch_items)
        if alongside is not None:
            alongside()
        return tallied
    if unknown_labels not in UNKNOWN_LABEL_POLICIES:
        raise NkbenchError(f"unknown policy {unknown_labels!r}", hint=f"one of {', '.join(UNKNOWN_LABEL_POLICIES)}", code=Errors.E550)
    import multiprocessing

    _STATE.clear()
    _STATE.update(path=path, gold=gold, by_id={d.id: d for d in all_gold}, index={d.id: i for i, d in enumerate(gold)},
                  layers=layers, units=units, unknown_labels=unknown_labels, batch_items=batch_items)
    batches = harness._Batches(gold, layers, units)
    seen = np.zeros(len(gold), bool)
    first_line: dict[str, int] = {}
    read: list[tuple[int, NkbenchError]] = []
    check: list[NkbenchError] = []
    state = {"any": False}
    index = _STATE["index"]

    def take(out: dict) -> None:
        if out["fatal"] is not None:
            raise out["fatal"]
        state["any"] = state["any"] or out["any"]
        dup_lines = set()
        for lineno, ident in out["docs"]:
            if ident in first_line:
                read.append((lineno, given_twice(ident, first_line[ident], f"{display_name(path)}:{lineno}")))
                dup_lines.add(lineno)
            else:
                first_line[ident] = lineno
                if ident in index:
                    seen[index[ident]] = True
        read.extend(out["read"])
        for lineno, problems in out["check"]:
            if lineno not in dup_lines:
                check.extend(problems)
        if out["batches"] is not None and not (read or check):
            batches.merge(out["batches"])

    background = None
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            if alongside is not None:
                background = _Alongside(alongside)
            pending: deque = deque()
            try:
                for chunk in _chunks(path, chunk_bytes):
                    pending.append(pool.apply_async(_chunk, (chunk,)))
                    if len(pending) >= 2 * workers:
                        take(pending.popleft().get())
            except NkbenchError:  # an unreadable line: what came before it first
                while pending:
                    take(pending.popleft().get())
                raise
            while pending:
                take(pending.popleft().get())
    except BaseException:
        if background is not None:
            background.thread.join()  # its own error, if any, is not the one to report
        raise
    finally:
        _STATE.clear()
    if background is not None:
        background.thread.join()
    if not state["any"]:
        raise empty_error(path)
    if read:
        raise NkbenchErrors([p for _, p in sorted(read, key=lambda lp: lp[0])], what=display_name(path))
    if check:
        raise NkbenchErrors(check, what=display_name(path))
    if background is not None:
        background.join()  # raises what it raised
    return batches, seen


def score_file(gold: list[Document], path: str | Path, layers=LAYERS, *, unknown_labels: str = "error",
               unit: str = "sentence", resamples: int = 1000, seed: int = 0, by_document: bool = True,
               workers: int | None = None, chunk_bytes: int = CHUNK_BYTES,
               batch_items: int = harness.BATCH_ITEMS, all_gold: list[Document] | None = None,
               alongside=None) -> dict:
    """Check and score the predictions file ``path`` (``-``: standard input) against ``gold`` (see
    the module doc): ``harness.score`` of ``predictions.load_predictions``, in bounded memory.
    ``workers``: worker processes (default: one per core; 1, a file under ``PARALLEL_MIN_BYTES`` or
    standard input: this process). ``all_gold`` (``--language``): the predictions are checked against
    it and only those of ``gold``'s documents scored, as ``score(gold, [d for d in
    load_predictions(path, all_gold) if d.id in gold ids])``. ``alongside``: as in ``tally_file``."""
    layers, units = harness._prepare(gold, layers, unit)
    batches, seen = tally_file(gold, path, layers, units, unknown_labels=unknown_labels, workers=workers,
                               chunk_bytes=chunk_bytes, batch_items=batch_items, all_gold=all_gold,
                               alongside=alongside)
    return harness._finish(gold, batches, seen, batch_items=batch_items, unit=unit, resamples=resamples, seed=seed,
                           by_document=by_document)


def compare_files(gold: list[Document], path_a: str | Path, path_b: str | Path, layers=LAYERS, *,
                  unknown_labels: str = "error", unit: str = "sentence", resamples: int = 10000, seed: int = 0,
                  workers: int | None = None, chunk_bytes: int = CHUNK_BYTES, batch_items: int = harness.BATCH_ITEMS,
                  all_gold: list[Document] | None = None) -> dict:
    """``harness.compare`` of two predictions files (A checked first, then B; one may be ``-``), in
    bounded memory; ``all_gold`` as in ``score_file``."""
    layers, units = harness._prepare(gold, layers, unit)
    kw = dict(unknown_labels=unknown_labels, workers=workers, chunk_bytes=chunk_bytes, batch_items=batch_items,
              all_gold=all_gold)
    a = tally_file(gold, path_a, layers, units, **kw)
    b = tally_file(gold, path_b, layers, units, **kw)
    return harness._compare_finish(gold, a, b, batch_items=batch_items, unit=unit, resamples=resamples, seed=seed)
