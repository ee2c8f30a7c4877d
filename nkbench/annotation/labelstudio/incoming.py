"""Tasks to send, as a file gives them (``annotate push --tasks/--predictions``): normalised to the
import form, checked against the seeds, with predictions attached. Nothing here talks to a server."""

from __future__ import annotations

from pathlib import Path

from ...core.errors import Errors, NkbenchError, NkbenchErrors
from ...core.io import read_json
from ...core.validity import seed_problems
from .validate import annotator_email, annotator_of


#: What an imported annotation / prediction keeps from an export (server ids and timestamps
#: belong to the server that made the export; ``completed_by`` is kept as the annotator's name).
ANNOTATION_KEYS = ("result", "was_cancelled", "ground_truth", "lead_time")
PREDICTION_KEYS = ("result", "model_version", "score")


def _clean(obj: dict, keys: tuple[str, ...]) -> dict:
    return {k: obj[k] for k in keys if k in obj}


def _annotator(ann: dict, where: str) -> str | None:
    """The annotator name of an incoming annotation (None: the importing user)."""
    who = ann.get("completed_by")
    if who is None:
        return None
    if isinstance(who, int) or (isinstance(who, dict) and not who.get("email")):
        raise NkbenchError(f"completed_by {who!r} is a user id of the server that made the file", where=where,
                           hint="name the annotator (e.g. \"annotator-a\"), or re-export with `nkbench annotate pull` "
                                "(which writes user emails)", code=Errors.E302)
    name = annotator_of(who)
    annotator_email(name, where=where)  # a name that cannot be a user is an error here, before any call
    return name


def normalize_tasks(raw, where: str) -> list[dict]:
    """Import-ready tasks from a JSON list in Label Studio's import or full-export form.

    Keeps ``data``, the annotations' ``result``/``was_cancelled``/``ground_truth``/``lead_time``
    and annotator (``completed_by`` as a name: ``annotator-a``, or a user object whose email is
    ``annotator-a@nkbench.local``), and the predictions' ``result``/``model_version``/``score``.
    A prediction given only as an id (a standard export, not a snapshot) is an error: its
    content is not in the file.
    """
    if not isinstance(raw, list):
        raise NkbenchError(f"expected a JSON list of tasks, got {type(raw).__name__}", where=where, code=Errors.E303)
    problems, out, seen = [], [], {}
    for i, task in enumerate(raw):
        here = f"{where}: task {i}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            problems.append(NkbenchError("a task must be an object with a 'data' object", where=here, code=Errors.E304))
            continue
        data = task["data"]
        doc_id = data.get("doc_id")
        if not isinstance(doc_id, str) or not doc_id:
            problems.append(NkbenchError("data.doc_id is missing", where=here,
                                         hint="every task names its document in data.doc_id", code=Errors.E305))
            continue
        here = f"{where}: task {i} ({doc_id})"
        if not isinstance(data.get("text"), str):
            problems.append(NkbenchError("data.text is missing or not a string", where=here, code=Errors.E306))
            continue
        if doc_id in seen:
            problems.append(NkbenchError(f"doc_id repeats task {seen[doc_id]}", where=here, code=Errors.E307))
            continue
        seen[doc_id] = i
        clean = {"data": data}
        for key, keys in (("annotations", ANNOTATION_KEYS), ("predictions", PREDICTION_KEYS)):
            items = task.get(key) or []
            bad = [j for j, a in enumerate(items) if not isinstance(a, dict) or not isinstance(a.get("result"), list)]
            if bad:
                hint = ("this looks like a standard export, which lists prediction ids only: "
                        "export with `nkbench annotate pull` (a snapshot with full predictions)") if key == "predictions" else ""
                problems.append(NkbenchError(f"{key}[{bad[0]}] has no 'result' list", where=here, hint=hint, code=Errors.E308))
                continue
            if items:
                clean[key] = [_clean(a, keys) for a in items]
        for j, ann in enumerate(task.get("annotations") or []):
            if not isinstance(ann, dict):
                continue  # reported above
            try:
                who = _annotator(ann, f"{here}: annotations[{j}]")
            except NkbenchError as err:
                problems.append(err)
                continue
            if who is not None and "annotations" in clean:
                clean["annotations"][j]["completed_by"] = who
        out.append(clean)
    if problems:
        raise NkbenchErrors(problems, what=where)
    return out


def read_tasks_file(path: Path) -> list[dict]:
    return normalize_tasks(read_json(path), str(path))


def attach_predictions(tasks: list[dict], predicted: list[dict], where: str) -> list[dict]:
    """``tasks`` (e.g. from a tasks file) with the predictions of ``predicted`` (the seed tasks
    made by ``tasks.seed_tasks`` from a predictions file) added; a prediction for a document
    not among ``tasks`` is an error."""
    predictions = {t["data"]["doc_id"]: t["predictions"] for t in predicted if t.get("predictions")}
    by_doc = {t["data"]["doc_id"] for t in tasks}
    unknown = sorted(set(predictions) - by_doc)
    if unknown:
        raise NkbenchError(f"predictions for unknown document(s): {', '.join(unknown)}", where=where,
                           hint=f"known: {', '.join(sorted(by_doc))}", code=Errors.E309)
    return [{**t, "predictions": [*t.get("predictions", []), *predictions.get(t["data"]["doc_id"], [])]}
            if t["data"]["doc_id"] in predictions else t for t in tasks]


def check_against_seeds(tasks: list[dict], seeds: dict, where: str) -> None:
    """Every task names a seed in data.doc_id and carries its verbatim text and language
    (``validity.seed_problems``; nothing is sent otherwise)."""
    problems = []
    for i, task in enumerate(tasks):
        data = task["data"]
        problems += seed_problems(data["doc_id"], data["text"], data.get("language"), seeds,
                                  f"{where}: task {i} ({data['doc_id']})", language_optional=True, what="task")
    if problems:
        raise NkbenchErrors(problems, what=where)
