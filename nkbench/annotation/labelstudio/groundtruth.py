"""Mark the adjudicator's annotation as ground truth in every task, through the API (the
Community edition of Label Studio 1.23 hides the control; ``annotate ground-truth``)."""

from __future__ import annotations

from dataclasses import dataclass

from ...core.errors import Errors, NkbenchError
from .client import DEFAULT_TITLE, LabelStudio, Project
from .validate import annotator_email


@dataclass(frozen=True, slots=True)
class GroundTruthPlan:
    """What ``ground_truth`` changes: annotation ids to mark and to unmark (task id, doc id,
    annotation id), and the tasks that have no annotation by the adjudicator yet."""

    mark: tuple[tuple[int, str, int], ...] = ()
    unmark: tuple[tuple[int, str, int], ...] = ()
    already: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


def plan_ground_truth(tasks: list[dict], email: str) -> GroundTruthPlan:
    """Mark the annotation by the user ``email`` in every task as ground truth, and take the
    mark off the task's other annotations (one ground truth per task)."""
    mark, unmark, already, missing = [], [], [], []
    for task in tasks:
        doc_id = (task.get("data") or {}).get("doc_id") or "?"
        anns = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
        mine = [a for a in anns if _email_of(a.get("completed_by")) == email]
        if not mine:
            missing.append(f"task {task['id']} ({doc_id})")
            continue
        if len(mine) > 1:
            raise NkbenchError(f"{email} has {len(mine)} annotations in task {task['id']} ({doc_id})",
                               hint="delete all but the adjudicated one in Label Studio", code=Errors.E319)
        if mine[0].get("ground_truth") is True:
            already.append(f"task {task['id']} ({doc_id})")
        else:
            mark.append((task["id"], doc_id, mine[0]["id"]))
        unmark += [(task["id"], doc_id, a["id"]) for a in anns if a is not mine[0] and a.get("ground_truth") is True]
    return GroundTruthPlan(tuple(mark), tuple(unmark), tuple(already), tuple(missing))


def _email_of(completed_by) -> str | None:
    if isinstance(completed_by, dict):
        return completed_by.get("email")
    return completed_by if isinstance(completed_by, str) else None


def ground_truth(client: LabelStudio, annotator: str, *, title: str = DEFAULT_TITLE,
                 dry_run: bool = False) -> tuple[Project, GroundTruthPlan]:
    """Set ``ground_truth`` through the API on the annotation by ``annotator`` (a name or an
    email, ``validate.annotator_email``) in every task of the project, and clear it on the
    others. The Community edition of Label Studio 1.23 hides the ground-truth control; its API
    accepts the flag (measured: PATCH /api/annotations/ID/ with {"ground_truth": true})."""
    email = annotator_email(annotator, where="--annotator")
    client.check()
    project = client.find_project(title)
    if project is None:
        raise NkbenchError(f"no project titled {title!r} on {client.url}",
                           hint="push first (`nkbench annotate push`) or pass --project-title", code=Errors.E320)
    users = client.users()
    if email not in users:
        from ...core.errors import did_you_mean
        raise NkbenchError(f"no user {email} on {client.url}", where="--annotator", hint=did_you_mean(email, users), code=Errors.E321)
    by_id = {v: k for k, v in users.items()}
    tasks = [{**t, "annotations": [{**a, "completed_by": {"email": by_id.get(a.get("completed_by"))}}
                                   if isinstance(a.get("completed_by"), int) else a for a in t.get("annotations") or []]}
             for t in client.tasks(project)]
    plan = plan_ground_truth(tasks, email)
    if not dry_run:
        for _, _, ann_id in plan.unmark:
            client.set_ground_truth(ann_id, False)
        for _, _, ann_id in plan.mark:
            client.set_ground_truth(ann_id, True)
    return project, plan
