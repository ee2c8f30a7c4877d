"""Label Studio full JSON export -> gold and per-annotator Documents, strictly validated.

Only the full JSON export is a source (JSON_MIN and CoNLL drop relations). The seeds are the
authority for the text: a task whose text differs from the seed named by its ``doc_id`` is an
error. Every problem of every task and annotation is collected and raised together.

Which annotation is gold: the one marked ``ground_truth``; with a single annotation, that one;
with ``annotator=NAME`` (an explicit policy: the adjudicator's user, ``--gold-annotator`` on the
command line or ``gold_annotator`` in nkbench.toml), NAME's annotation in every task. Anything
else (several annotations and no ground truth, several ground truths) is an error. The
Community edition of Label Studio 1.23 shows no ground-truth control, so a named adjudicator
(or ``nkbench annotate ground-truth``, which sets the flag through the API) is the way there.

Work in progress (``export_status``): tasks without a submitted annotation and tasks without
gold yet are listed instead of being errors, and the others converted.

Whitespace: a region whose value.text is the task text at its offsets with runs of whitespace
collapsed is accepted (the offsets are the truth) and reported (``collapsed``).

Annotator names: each annotation pass is its own Label Studio user. A pass named ``annotator-a``
is the user ``annotator-a@nkbench.local`` on the server (``annotator_email``) and comes back as
``annotator-a`` (``annotator_of`` strips the ``@nkbench.local`` domain; any other email is kept
whole). This is the one place where names and Label Studio users are mapped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ...core.errors import Errors, NkbenchError, NkbenchErrors
from ...core.io import read_json
from ...core.model import Document
from ...core.validity import seed_problems
from .convert import results_to_document


@dataclass(frozen=True, slots=True)
class TaskDocuments:
    """One task of an export: its gold Document and every annotator's Document (incl. gold's)."""

    task_id: object
    doc_id: str
    gold: Document
    gold_annotator: str
    passes: Mapping[str, Document]
    #: regions whose value.text has runs of whitespace collapsed (where, offsets, both texts)
    collapsed: tuple[str, ...] = ()


#: Email domain of the Label Studio users that stand for annotation passes.
ANNOTATOR_DOMAIN = "nkbench.local"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")


def annotator_email(name: str, where: str = "completed_by") -> str:
    """The Label Studio user email for an annotator name: ``annotator-a`` -> ``annotator-a@nkbench.local``
    (an email is kept as it is). A name that cannot be an email's local part is an error."""
    if isinstance(name, str) and "@" in name:
        local, _, domain = name.partition("@")
        if _NAME.fullmatch(local) and domain:
            return name
    elif isinstance(name, str) and _NAME.fullmatch(name):
        return f"{name}@{ANNOTATOR_DOMAIN}"
    raise NkbenchError(f"annotator name {name!r} cannot be a Label Studio user", where=where,
                       hint="use letters, digits and . _ + - (e.g. annotator-a), or an email", code=Errors.E327)


def annotator_of(completed_by) -> str | None:
    """The annotator key of ``completed_by``: a name/email string, a user id, or a user object
    (its email first). ``NAME@nkbench.local`` is ``NAME`` (see ``annotator_email``)."""
    key = None
    if isinstance(completed_by, str) and completed_by.strip():
        key = completed_by
    elif isinstance(completed_by, int) and not isinstance(completed_by, bool):
        key = str(completed_by)
    elif isinstance(completed_by, dict):
        key = next((str(completed_by[k]) for k in ("email", "username", "id") if completed_by.get(k) not in (None, "")), None)
    suffix = f"@{ANNOTATOR_DOMAIN}"
    if key and key.endswith(suffix) and len(key) > len(suffix):
        return key[: -len(suffix)]
    return key


@dataclass(frozen=True, slots=True)
class ExportStatus:
    """A work-in-progress export: the tasks with gold, and those not there yet (each
    ``"task ID (DOC_ID): detail"``). Every annotation present has been validated."""

    documents: tuple[TaskDocuments, ...]
    unannotated: tuple[str, ...] = ()  # no submitted annotation
    unadjudicated: tuple[str, ...] = ()  # several annotations, none marked ground truth (or none by the adjudicator)

    @property
    def collapsed(self) -> tuple[str, ...]:
        return tuple(c for t in self.documents for c in t.collapsed)

    @property
    def complete(self) -> bool:
        return not self.unannotated and not self.unadjudicated

    def verdict(self) -> str:
        """``valid: 4 document(s)``, or what is valid and what is still missing."""
        ws = (f"; {len(self.collapsed)} region(s) with whitespace runs collapsed in value.text, offsets kept"
              if self.collapsed else "")
        if self.complete:
            return f"valid: {len(self.documents)} document(s){ws}"
        out = f"valid: {len(self.documents)} document(s) with gold{ws}"
        if self.unadjudicated:
            out += f"; {len(self.unadjudicated)} not adjudicated yet ({'; '.join(self.unadjudicated)})"
        if self.unannotated:
            out += f"; {len(self.unannotated)} without annotations ({'; '.join(self.unannotated)})"
        return out


def read_export(tasks, seeds: Mapping, *, annotator: str | None = None, where: str = "export") -> list[TaskDocuments]:
    """Parse a full JSON export (already loaded) against ``seeds`` (id -> Seed). Raises NkbenchErrors."""
    return list(_read(tasks, seeds, annotator=annotator, where=where, partial=False).documents)


def export_status(tasks, seeds: Mapping, *, annotator: str | None = None, where: str = "export") -> ExportStatus:
    """Like ``read_export``, but a task without annotations, or without gold yet (no ground
    truth among several, or no annotation by ``annotator``), is listed as work in progress
    instead of being an error (what `annotate pull` reports and `convert --skip-unannotated`
    leaves out). Every annotation present is still validated; any problem raises NkbenchErrors."""
    return _read(tasks, seeds, annotator=annotator, where=where, partial=True)


def _read(tasks, seeds: Mapping, *, annotator: str | None, where: str, partial: bool) -> ExportStatus:
    problems: list[NkbenchError] = []
    unannotated: list[str] = []
    unadjudicated: list[str] = []

    def fail(what: str, reason: str, hint: str = "") -> None:
        problems.append(NkbenchError(reason, where=f"{where}: {what}" if what else where, hint=hint, code=Errors.E328))

    if not isinstance(tasks, list):
        raise NkbenchError(f"expected a JSON list of tasks, got {type(tasks).__name__}", where=where,
                           hint="export the project from Label Studio as 'JSON' (the full format)", code=Errors.E329)
    if not tasks and not partial:
        raise NkbenchError("the export has no tasks", where=where,
                           hint="export a project with annotated tasks (an empty export is no gold)", code=Errors.E330)
    out: list[TaskDocuments] = []
    seen_docs: dict[str, object] = {}
    for t_index, task in enumerate(tasks):
        if not isinstance(task, dict):
            fail(f"task[{t_index}]", f"expected an object, got {type(task).__name__}")
            continue
        tid = task.get("id", f"#{t_index}")
        if "id" in task and (not isinstance(tid, int) or isinstance(tid, bool)):
            fail(f"task[{t_index}]", f"task id must be an integer, got {type(tid).__name__} {str(tid)[:40]}",
                 "export the project from Label Studio as 'JSON' (the full format), unedited")
            continue
        data = task.get("data")
        if "annotations" not in task and isinstance(data, type(None)):
            fail(f"task {tid}", "no 'data' and no 'annotations': not a full JSON export",
                 "JSON_MIN and CoNLL exports drop relations; export as 'JSON'")
            continue
        if not isinstance(data, dict):
            fail(f"task {tid}", "missing 'data' object")
            continue
        doc_id, text, language = data.get("doc_id"), data.get("text"), data.get("language")
        twhere = f"task {tid} (doc {doc_id!r})"
        if isinstance(doc_id, str) and doc_id in seen_docs:
            fail(twhere, f"doc_id {doc_id!r} also in task {seen_docs[doc_id]}", "keep one task per document")
            continue
        if bad := seed_problems(doc_id, text, language, seeds, f"{where}: {twhere}", what="task"):
            problems.extend(bad)
            continue
        seen_docs[doc_id] = tid
        seed = seeds[doc_id]
        annotations = task.get("annotations")
        if annotations is not None and not isinstance(annotations, list):
            fail(twhere, f"'annotations' must be a list, got {type(annotations).__name__}")
            continue
        if not isinstance(annotations, list) or not annotations:
            drafts = task.get("drafts") or []
            if partial and isinstance(annotations, list):
                unannotated.append(f"task {tid} ({doc_id})" + (f": {len(drafts)} draft(s)" if drafts else ""))
                continue
            fail(twhere, "task has no annotation",
                 f"it has {len(drafts)} unsubmitted draft(s): submit them in Label Studio" if drafts
                 else "annotate it, or convert with --skip-unannotated to leave out the tasks not done yet")
            continue
        passes: dict[str, Document] = {}
        ids: dict[str, object] = {}
        marked: list[str] = []
        collapsed: list[str] = []
        n_problems = len(problems)
        for a_index, ann in enumerate(annotations):
            if not isinstance(ann, dict):
                fail(f"{twhere}: annotation[{a_index}]", f"expected an object, got {type(ann).__name__}")
                continue
            aid = ann.get("id", f"#{a_index}")
            who = annotator_of(ann.get("completed_by"))
            awhere = f"{twhere}: annotation {aid} (by {who})"
            if who is None:
                fail(awhere, f"completed_by {ann.get('completed_by')!r} names no annotator")
                continue
            if ann.get("was_cancelled"):
                fail(awhere, "annotation was cancelled (skipped) in Label Studio",
                     "delete the skipped annotation or submit it, then export again")
                continue
            if who in ids:
                fail(awhere, f"annotator {who!r} has two annotations in this task (also annotation {ids[who]})",
                     "delete one of them in Label Studio")
                continue
            ids[who] = aid
            doc, errs = results_to_document(ann.get("result"), doc_id=doc_id, language=seed.language,
                                            text=seed.text, where=f"{where}: {awhere}", collapsed=collapsed)
            problems.extend(errs)
            if doc is not None:
                passes[who] = doc
            if ann.get("ground_truth") is True:
                marked.append(who)
        if len(problems) > n_problems:
            continue
        if annotator is not None:
            if annotator not in passes:
                if partial:
                    unadjudicated.append(f"task {tid} ({doc_id}): no annotation by {annotator} yet "
                                         f"(by {', '.join(sorted(passes))})")
                    continue
                fail(twhere, f"no annotation by {annotator!r}", f"annotators here: {', '.join(sorted(passes))}")
                continue
            chosen = annotator
        elif len(marked) == 1:
            chosen = marked[0]
        elif len(marked) > 1:
            fail(twhere, f"several annotations marked ground truth (by {', '.join(marked)})",
                 "keep the ground-truth star on the adjudicated one only")
            continue
        elif len(passes) == 1:
            chosen = next(iter(passes))
        elif partial:
            unadjudicated.append(f"task {tid} ({doc_id}): {', '.join(sorted(passes))}")
            continue
        else:
            fail(twhere, f"{len(passes)} annotations (by {', '.join(sorted(passes))}) and none is marked ground truth",
                 "name the adjudicator (--gold-annotator NAME), or mark theirs as ground truth "
                 "(`nkbench annotate ground-truth --annotator NAME`)")
            continue
        out.append(TaskDocuments(tid, doc_id, passes[chosen], chosen, MappingProxyType(passes), tuple(collapsed)))
    if problems:
        raise NkbenchErrors(problems, what=where)
    return ExportStatus(tuple(out), tuple(unannotated), tuple(unadjudicated))


def load_export(path: str | Path, seeds: Mapping, *, annotator: str | None = None) -> list[TaskDocuments]:
    """``read_export`` of a file, against ``seeds`` (the project's verified seeds)."""
    return read_export(read_json(path), seeds, annotator=annotator, where=str(path))
