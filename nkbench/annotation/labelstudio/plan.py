"""What a push will do, decided without a server (``plan_push``: pure).

Tasks are matched by ``data.doc_id``: a document already on the server is never imported again
and its annotations are never touched; an existing task that has *no* annotation receives the
incoming annotations; predictions are added when the task has none with the same ``model_version``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...core.errors import Errors, NkbenchError, NkbenchErrors


@dataclass(frozen=True, slots=True)
class PushPlan:
    """What a push will do. ``add_annotations``/``add_predictions``: (task id, doc id, item)."""

    new_tasks: tuple[dict, ...] = ()
    add_annotations: tuple[tuple[int, str, dict], ...] = ()
    add_predictions: tuple[tuple[int, str, dict], ...] = ()
    unchanged: tuple[str, ...] = ()  # doc ids already on the server, left as they are
    kept_annotations: int = 0  # incoming annotations not added: the task already has annotations
    kept_predictions: int = 0  # incoming predictions whose model_version the task already has
    foreign_tasks: int = 0  # server tasks without data.doc_id (not ours; left alone)


def plan_push(existing: list[dict], incoming: list[dict]) -> PushPlan:
    """Match incoming tasks to the server's tasks by ``data.doc_id`` and decide what to send.

    ``existing`` are tasks as the server lists them (``id``, ``data``, ``annotations``,
    ``predictions``). New documents become new tasks; a task already on the server that has an
    annotation is never touched (no annotation, no prediction added); one without annotations
    may receive the incoming annotations and predictions of model versions it lacks. A document
    on the server whose text differs from ours, or a doc_id that appears twice on the server, is
    an error (nothing is sent).
    """
    problems, by_doc, foreign = [], {}, 0
    for task in existing:
        doc_id = (task.get("data") or {}).get("doc_id")
        if not doc_id:
            foreign += 1
            continue
        if doc_id in by_doc:
            problems.append(NkbenchError(f"document {doc_id!r} is on the server twice (tasks {by_doc[doc_id]['id']} "
                                         f"and {task['id']})", hint="delete the duplicate task in Label Studio, then push again", code=Errors.E310))
            continue
        by_doc[doc_id] = task
    new, add_ann, add_pred, unchanged = [], [], [], []
    kept_ann = kept_pred = 0
    for task in incoming:
        doc_id = task["data"]["doc_id"]
        there = by_doc.get(doc_id)
        if there is None:
            new.append(task)
            continue
        if there["data"].get("text") != task["data"]["text"]:
            problems.append(NkbenchError(f"the server's task {there['id']} has a different text for this document",
                                         where=doc_id, hint="the server's copy is not our seed: fix or delete that task", code=Errors.E311))
            continue
        annotations = task.get("annotations", [])
        live = [a for a in there.get("annotations") or [] if isinstance(a, dict)]
        annotated = bool(live or there.get("total_annotations"))
        if annotations and not annotated:
            add_ann += [(there["id"], doc_id, a) for a in annotations]
        else:
            kept_ann += len(annotations)
        versions = {p.get("model_version") for p in there.get("predictions") or [] if isinstance(p, dict)}
        for pred in task.get("predictions", []):
            if annotated or pred.get("model_version") in versions:  # an annotated task is never touched
                kept_pred += 1
            else:
                add_pred.append((there["id"], doc_id, pred))
                versions.add(pred.get("model_version"))
        if not any(x[1] == doc_id for x in (*add_ann, *add_pred)):
            unchanged.append(doc_id)
    if problems:
        raise NkbenchErrors(problems, what="the project on the server")
    return PushPlan(tuple(new), tuple(add_ann), tuple(add_pred), tuple(unchanged), kept_ann, kept_pred, foreign)
