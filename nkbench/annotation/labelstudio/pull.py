"""Pull the full export from a running Label Studio: validated with the converter
(``validate.export_status``), written atomically (the old file stays if anything fails); the
adjudicated gold export is never overwritten when it would change (unless forced), nor when the
export is invalid or incomplete (always)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...core.errors import Errors, NkbenchError
from ...core.io import atomic_write_text, dumps, read_json
from .client import DEFAULT_TITLE, LabelStudio
from .summary import counts, diff_summary
from .validate import export_status


@dataclass(frozen=True, slots=True)
class PullReport:
    out: Path
    written: bool
    counts: str
    diff: str | None  # None: there was no previous file
    validation: str


def _same_path(a: Path, b: Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def pull(client: LabelStudio, out: Path, *, gold: Path, seeds, title: str = DEFAULT_TITLE,
         force: bool = False, annotator: str | None = None) -> PullReport:
    """Download the full export, validate it with the converter and write it atomically to ``out``.

    A working export is written even when invalid (to see what to fix; the error follows) and may
    be incomplete (tasks without annotations or not adjudicated yet are listed in the verdict).
    The gold export (``gold``) is written only when valid, complete and, unless ``force``,
    unchanged in content from the committed one. ``annotator`` names the adjudicator whose
    annotation is gold (``validate.export_status``).
    """
    from ...core.io import output_target

    out = Path(out)
    output_target(out)  # a folder, FIFO or dangling link is refused before any request
    old = None
    if out.exists():
        old = read_json(out)
        if not isinstance(old, list):
            old = []
    client.check()
    project = client.find_project(title)
    if project is None:
        raise NkbenchError(f"no project titled {title!r} on {client.url}",
                           hint="push first (`nkbench annotate push`) or pass --project-title", code=Errors.E313)
    export = client.export_full(project)
    status, invalid = None, None
    try:
        status = validate_export(export, seeds, where=str(out), annotator=annotator)
    except NkbenchError as err:
        invalid = err
    try:  # the summaries read every task: an export of another shape is an error, and nothing is written
        diff = None if old is None else diff_summary(old, export)[1]
        summary = counts(export)
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as err:
        raise NkbenchError(f"the export from {client.url} has an unexpected shape ({type(err).__name__}: "
                           f"{str(err)[:80]}); nothing was written", where=str(out),
                           hint=f"check that --url points at Label Studio 1.23{'; ' + str(invalid)[:200] if invalid else ''}", code=Errors.E314) from None
    if _same_path(out, gold):
        if invalid is not None:
            raise NkbenchError(f"not written: the export ({summary}) does not pass validation:\n{invalid}",
                               where=str(out), hint="the gold export is kept as it was; fix the annotations in Label Studio", code=Errors.E315)
        if not status.complete:
            raise NkbenchError(f"not written: the gold export needs gold for every task ({status.verdict()})",
                               where=str(out), hint="the gold export is kept as it was; annotate and mark ground truth first", code=Errors.E316)
        if old is not None and not force:
            if diff_summary(old, export)[0]:
                raise NkbenchError(f"refusing to overwrite the adjudicated gold export ({diff})", where=str(out),
                                   hint="nothing was written; pull to another --out to review, or pass --force", code=Errors.E317)
            return PullReport(out, False, summary, diff, f"unchanged: annotations identical, gold kept as is; "
                                                                  f"{status.verdict()}")
    atomic_write_text(out, dumps(export))
    if invalid is not None:
        raise NkbenchError(f"written ({summary}), but it does not pass validation:\n{invalid}", where=str(out),
                           hint="fix the annotations in Label Studio and pull again", code=Errors.E318)
    return PullReport(out, True, summary, diff, status.verdict())


def validate_export(export: list, seeds, *, where: str = "export", annotator: str | None = None):
    """The converter's verdict on an export (``validate.export_status``): every annotation is
    converted and checked; raises NkbenchError/NkbenchErrors with the converter's messages."""
    return export_status(export, seeds, where=where, annotator=annotator)
