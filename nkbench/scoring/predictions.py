"""Loading predictions (and gold) files and checking predictions against the gold.

A predictions file is JSON Lines, one document per line, in the model's JSON form without the
text (``benchmark/PREDICTIONS.md``; schema ``benchmark/prediction.schema.json``). Everything
wrong is reported with ``file:line``, document and span, all problems at once:

- malformed JSON, wrong field types, unknown fields (``document_from_dict``);
- an empty file, a file that is not UTF-8 (``nkbench.io``);
- a document id given twice, a document id not in the gold (with a did-you-mean);
- offsets out of range of the gold text or reversed, a span text that does not match the gold
  text, references to missing mentions/cues/claims (``check_document`` against the gold text);
- a language that differs from the gold document's;
- duplicate spans (same offsets and label twice in a layer; same role and filler twice in an event);
- unknown labels (entity/event types, roles, stances, attributes): an error with a did-you-mean,
  or, with ``unknown_labels="spurious"``, kept and counted as spurious (types, roles) or as
  wrong (stances, polarity, realis, hedges) by the scorer, never dropped.

Gold documents missing from the predictions are scored as empty documents and listed in the
report (``missing_documents``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from ..errors import NkbenchError, NkbenchErrors, did_you_mean
from ..io import iter_jsonl
from ..model import Document, check_document, document_from_dict

UNKNOWN_LABEL_POLICIES = ("error", "spurious")
#: check_document reasons that are about a label (not about structure)
_LABEL_REASONS = ("unknown entity type", "unknown event type", "unknown stance", "unknown polarity",
                  "unknown realis", "unknown hedge", "unknown counted", "role ")


def iter_jsonl_documents(path: str | Path, *, gold: bool, problems: list[NkbenchError],
                         lines: Iterable[tuple[int, object]] | None = None) -> Iterator[tuple[int, Document]]:
    """``(line, Document)`` for every line of ``path`` (or of ``lines``, ``(line, object)`` pairs
    such as ``iter_jsonl`` yields), one at a time: a line is read only when the next document is
    asked for. Problems (a line that is not a document, a document without an id or given twice,
    a gold document failing ``check_document``) are appended to ``problems`` and the line skipped;
    the caller raises them. Memory: one line, and the ids seen."""
    seen: dict[str, int] = {}
    for lineno, obj in (iter_jsonl(path) if lines is None else lines):
        where = f"{path}:{lineno}"
        try:
            doc = document_from_dict(obj, where=where, require_text=gold)
        except NkbenchErrors as err:
            problems.extend(err.problems)
            continue
        except NkbenchError as err:
            problems.append(err)
            continue
        if not doc.id:
            problems.append(NkbenchError("document without an id", where=where))
            continue
        if doc.id in seen:
            problems.append(NkbenchError(f"document {doc.id!r} given twice (first on line {seen[doc.id]})", where=where))
            continue
        seen[doc.id] = lineno
        if gold:
            problems.extend(NkbenchError(p.reason, where=f"{where}: {p.where}", hint=p.hint) for p in check_document(doc))
        yield lineno, doc


def load_jsonl_documents(path: str | Path, *, gold: bool) -> list[tuple[int, Document]]:
    """``(line, Document)`` for every line; gold documents must have their text and pass
    ``check_document``. Raises NkbenchErrors naming every problem."""
    problems: list[NkbenchError] = []
    docs = list(iter_jsonl_documents(path, gold=gold, problems=problems))
    if problems:
        raise NkbenchErrors(problems, what=str(path))
    return docs


def _duplicates(doc: Document) -> list[str]:
    found = []
    layers = {
        "mention": [(m.start, m.end, m.label, m.nominal) for m in doc.mentions],
        "event": [(e.start, e.end, e.label) for e in doc.events],
        "cue": [(c.start, c.end) for c in doc.cues],
        "claim": [(c.start, c.end) for c in doc.claims],
    }
    for layer, keys in layers.items():
        for key, n in Counter(keys).items():
            if n > 1:
                found.append(f"{layer} [{key[0]}:{key[1]}]{' ' + str(key[2]) if len(key) > 2 else ''} given {n} times")
    spans = {m.id: (m.start, m.end) for m in doc.mentions}
    for e in doc.events:
        for (role, span), n in Counter((a.role, spans.get(a.mention, a.mention)) for a in e.arguments).items():
            if n > 1:
                found.append(f"event {e.id!r} argument {role} {span} given {n} times")
    return found


def check_predictions(pred: list[tuple[int, Document]], gold: list[Document], path: str | Path,
                      unknown_labels: str = "error") -> list[Document]:
    """Check predictions against the gold; return them (language filled in from the gold).
    ``harness.score`` aligns them to the gold and reports the missing ones. Raises NkbenchErrors
    naming every problem."""
    if unknown_labels not in UNKNOWN_LABEL_POLICIES:
        raise NkbenchError(f"unknown policy {unknown_labels!r}", hint=f"one of {', '.join(UNKNOWN_LABEL_POLICIES)}")
    by_id = {d.id: d for d in gold}
    problems: list[NkbenchError] = []
    aligned: dict[str, Document] = {}
    for lineno, doc in pred:
        where = f"{path}:{lineno}: document {doc.id!r}"
        g = by_id.get(doc.id)
        if g is None:
            problems.append(NkbenchError("unknown document id (not in the gold)", where=where, hint=did_you_mean(doc.id, by_id)))
            continue
        if doc.language and doc.language != g.language:
            problems.append(NkbenchError(f"language {doc.language!r} but the gold document is {g.language!r}", where=where))
        doc = replace(doc, language=g.language)
        for p in check_document(doc, text=g.text):
            if unknown_labels == "spurious" and p.reason.startswith(_LABEL_REASONS):
                continue
            problems.append(NkbenchError(p.reason, where=f"{path}:{lineno}: {p.where}", hint=p.hint))
        for dup in _duplicates(doc):
            problems.append(NkbenchError(f"duplicate span: {dup}", where=where, hint="give each span once"))
        aligned[doc.id] = doc
    if problems:
        raise NkbenchErrors(problems, what=str(path))
    return list(aligned.values())


def load_predictions(path: str | Path, gold: list[Document], unknown_labels: str = "error") -> tuple[list[Document], list[str]]:
    """The checked predictions and the ids of gold documents they do not contain."""
    pred = load_jsonl_documents(path, gold=False)
    given = {d.id for _, d in pred}
    return check_predictions(pred, gold, path, unknown_labels), [g.id for g in gold if g.id not in given]


def load_gold(path: str | Path) -> list[Document]:
    """Gold documents from a JSON Lines file of documents with their text."""
    return [d for _, d in load_jsonl_documents(path, gold=True)]


class PredictionStream:
    """The checked predictions of a file, one document at a time (``iter``), for ``harness.score_stream``.

    The same checks as ``load_predictions``, line by line: each document is parsed
    (``document_from_dict``) and checked against its gold document (``check_predictions``) as it
    is read, and yielded aligned (language filled in from the gold); nothing of the file is kept
    but the ids seen (for documents given twice and for ``missing``). Every problem of the whole
    file is raised together (NkbenchErrors) when the iteration ends, as ``load_predictions`` does:
    the problems of reading (malformed lines, ids given twice) if any, else those of checking
    against the gold. After the first problem, documents are still read and checked but no longer
    yielded. ``missing``: after the iteration, the gold ids the file did not give, in gold order.
    """

    def __init__(self, path: str | Path, gold: list[Document], unknown_labels: str = "error", *,
                 lines: Iterable[tuple[int, object]] | None = None) -> None:
        if unknown_labels not in UNKNOWN_LABEL_POLICIES:
            raise NkbenchError(f"unknown policy {unknown_labels!r}", hint=f"one of {', '.join(UNKNOWN_LABEL_POLICIES)}")
        self.path, self.gold, self.unknown_labels, self.lines = path, gold, unknown_labels, lines
        self.given: set[str] = set()
        self.missing: list[str] | None = None

    def __iter__(self) -> Iterator[Document]:
        path, by_id = self.path, {d.id: d for d in self.gold}
        read_problems: list[NkbenchError] = []
        problems: list[NkbenchError] = []
        for lineno, doc in iter_jsonl_documents(path, gold=False, problems=read_problems, lines=self.lines):
            self.given.add(doc.id)
            g = by_id.get(doc.id)
            if g is None:
                problems.append(NkbenchError("unknown document id (not in the gold)",
                                             where=f"{path}:{lineno}: document {doc.id!r}", hint=did_you_mean(doc.id, by_id)))
                continue
            try:
                (doc,) = check_predictions([(lineno, doc)], [g], path, self.unknown_labels)
            except NkbenchErrors as err:
                problems.extend(err.problems)
                continue
            if not (read_problems or problems):
                yield doc
        if read_problems or problems:
            raise NkbenchErrors(read_problems or problems, what=str(path))
        self.missing = [g.id for g in self.gold if g.id not in self.given]
