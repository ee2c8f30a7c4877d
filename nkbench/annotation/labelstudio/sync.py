"""Push tasks to and pull the full export from a running Label Studio, idempotently.

Pure planning (``plan_push``, ``export_summary``, ``diff_summary``) is separate from the calls
(``push``, ``pull``) so that the rules are tested without a server:

- tasks are matched by ``data.doc_id``: a document already on the server is never imported
  again and its annotations are never touched; an existing task that has *no* annotation
  receives the incoming annotations; predictions are added when the task has none with the
  same ``model_version``;
- a project whose labeling config differs from ours is left alone unless asked to update it;
- each annotator named in ``completed_by`` is its own Label Studio user (``NAME@nkbench.local``,
  created when missing; ``validate.annotator_email``), so every pass stays a distinct annotation;
- a pull writes the export atomically (the old file stays if anything fails), validates it with
  the converter (``validate.export_status``) and refuses to overwrite the adjudicated gold export
  when it would change (unless forced) or when it is invalid or incomplete (always).

Tasks and pre-annotations are made by ``tasks.seed_tasks`` / ``tasks.gold_tasks`` (the one
converter from documents to Label Studio results); this module only moves them.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ...core.errors import NkbenchError, NkbenchErrors
from ...core.io import atomic_write_text, dumps, read_json, read_text
from .client import LabelStudio, Project
from .validate import annotator_email, annotator_of, export_status

DEFAULT_TITLE = "nkbench"

#: What an imported annotation / prediction keeps from an export (server ids and timestamps
#: belong to the server that made the export; ``completed_by`` is kept as the annotator's name).
ANNOTATION_KEYS = ("result", "was_cancelled", "ground_truth", "lead_time")
PREDICTION_KEYS = ("result", "model_version", "score")


# -- inputs ---------------------------------------------------------------------------------------


def read_label_config(path: Path) -> str:
    """Our labeling config (the XML the config generator writes)."""
    if not Path(path).exists():
        raise NkbenchError("no labeling config", where=str(path),
                           hint="generate it first (it is written by the Label Studio config generator) or pass --config")
    text = read_text(path)
    canonical_config(text, where=str(path))
    return text


def canonical_config(xml: str, where: str = "labeling config") -> str:
    """The config in canonical XML (attribute order, whitespace between tags and comments do
    not count), so a config that Label Studio stored reformatted still compares equal."""
    import xml.etree.ElementTree as ET

    try:
        return ET.canonicalize(xml, strip_text=True, with_comments=False)
    except ET.ParseError as err:
        raise NkbenchError(f"not well-formed XML ({err})", where=where) from None


def same_config(ours: str, theirs: str) -> bool:
    return canonical_config(ours) == canonical_config(theirs, where="the project's labeling config")


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
                                "(which writes user emails)")
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
        raise NkbenchError(f"expected a JSON list of tasks, got {type(raw).__name__}", where=where)
    problems, out, seen = [], [], {}
    for i, task in enumerate(raw):
        here = f"{where}: task {i}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            problems.append(NkbenchError("a task must be an object with a 'data' object", where=here))
            continue
        data = task["data"]
        doc_id = data.get("doc_id")
        if not isinstance(doc_id, str) or not doc_id:
            problems.append(NkbenchError("data.doc_id is missing", where=here,
                                         hint="every task names its document in data.doc_id"))
            continue
        here = f"{where}: task {i} ({doc_id})"
        if not isinstance(data.get("text"), str):
            problems.append(NkbenchError("data.text is missing or not a string", where=here))
            continue
        if doc_id in seen:
            problems.append(NkbenchError(f"doc_id repeats task {seen[doc_id]}", where=here))
            continue
        seen[doc_id] = i
        clean = {"data": data}
        for key, keys in (("annotations", ANNOTATION_KEYS), ("predictions", PREDICTION_KEYS)):
            items = task.get(key) or []
            bad = [j for j, a in enumerate(items) if not isinstance(a, dict) or not isinstance(a.get("result"), list)]
            if bad:
                hint = ("this looks like a standard export, which lists prediction ids only: "
                        "export with `nkbench annotate pull` (a snapshot with full predictions)") if key == "predictions" else ""
                problems.append(NkbenchError(f"{key}[{bad[0]}] has no 'result' list", where=here, hint=hint))
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
                           hint=f"known: {', '.join(sorted(by_doc))}")
    return [{**t, "predictions": [*t.get("predictions", []), *predictions.get(t["data"]["doc_id"], [])]}
            if t["data"]["doc_id"] in predictions else t for t in tasks]


# -- planning -------------------------------------------------------------------------------------


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
                                         f"and {task['id']})", hint="delete the duplicate task in Label Studio, then push again"))
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
                                         where=doc_id, hint="the server's copy is not our seed: fix or delete that task"))
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


# -- push -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PushReport:
    project: Project
    created_project: bool
    updated_config: bool
    plan: PushPlan
    created_users: tuple[str, ...] = ()  # emails of the annotator users created by this push

    def project_url(self, url: str) -> str:
        return f"{url.rstrip('/')}/projects/{self.project.id}/data"

    def lines(self) -> list[str]:
        p, plan = self.project, self.plan
        head = "created" if self.created_project else ("config updated" if self.updated_config else "existing")
        out = [f"project {p.title!r} (id {p.id}, {head})",
               f"imported {len(plan.new_tasks)} new task(s) with "
               f"{sum(len(t.get('annotations', [])) for t in plan.new_tasks)} annotation(s) and "
               f"{sum(len(t.get('predictions', [])) for t in plan.new_tasks)} prediction(s)"]
        if plan.add_annotations or plan.add_predictions:
            out.append(f"added {len(plan.add_annotations)} annotation(s) and {len(plan.add_predictions)} prediction(s) "
                       "to tasks already on the server")
        if plan.unchanged:
            out.append(f"{len(plan.unchanged)} task(s) already on the server left unchanged")
        if plan.kept_annotations:
            out.append(f"{plan.kept_annotations} incoming annotation(s) not sent: their tasks already have annotations "
                       "(existing annotations are never touched)")
        if plan.kept_predictions:
            out.append(f"{plan.kept_predictions} incoming prediction(s) not sent: the task is annotated or has that model_version already")
        if plan.foreign_tasks:
            out.append(f"{plan.foreign_tasks} task(s) without data.doc_id on the server were left alone")
        if self.created_users:
            out.append(f"created {len(self.created_users)} annotator user(s): {', '.join(self.created_users)}")
        return out


def config_mismatch(client: LabelStudio, project: Project) -> NkbenchError:
    return NkbenchError(f"project {project.title!r} (id {project.id}) on {client.url} has a different labeling config "
                        "than ours", hint="nothing was changed; push with --update-config to replace it, "
                        "or use another --project-title")


def push(client: LabelStudio, tasks: list[dict], label_config: str, *, title: str = DEFAULT_TITLE,
         update_config: bool = False) -> PushReport:
    """Create (or, with ``update_config``, re-configure) the project titled ``title`` and send
    what ``plan_push`` decides. Every check runs before the first change: a project with another
    config, a server copy of a document with another text or a duplicate leaves everything as it was.
    """
    client.check()
    project = client.find_project(title)
    differs = project is not None and not same_config(label_config, project.label_config)
    if differs and not update_config:
        raise config_mismatch(client, project)
    plan = plan_push(client.tasks(project) if project else [], tasks)
    created = project is None
    if created:
        project = client.create_project(title, label_config)
    elif differs:  # Label Studio itself refuses a config that drops labels already used
        project = client.set_label_config(project, label_config)
    users, created_users = annotator_users(client, plan)
    if plan.new_tasks:  # the import resolves completed_by {"email"} to that member
        client.import_tasks(project, [
            {**t, "annotations": [_with_user(a, {"email": annotator_email(a["completed_by"])} if "completed_by" in a else None)
                                  for a in t["annotations"]]} if t.get("annotations") else t
            for t in plan.new_tasks])
    for task_id, _, annotation in plan.add_annotations:  # this endpoint wants the user id
        who = annotation.get("completed_by")
        client.add_annotation(task_id, _with_user(annotation, users[annotator_email(who)] if who else None))
    for task_id, _, prediction in plan.add_predictions:
        client.add_prediction(task_id, prediction)
    return PushReport(project, created, differs, plan, created_users)


def _with_user(annotation: dict, user) -> dict:
    """The annotation with ``completed_by`` as the server wants it (left out: the importing user)."""
    out = {k: v for k, v in annotation.items() if k != "completed_by"}
    if user is not None:
        out["completed_by"] = user
    return out


def annotator_users(client: LabelStudio, plan: PushPlan) -> tuple[dict[str, int], tuple[str, ...]]:
    """Every annotator named by the annotations to send, as a user of the server (email -> id);
    missing users are created. Returns the map and the emails created."""
    names = {a["completed_by"] for t in plan.new_tasks for a in t.get("annotations", []) if "completed_by" in a}
    names |= {a["completed_by"] for _, _, a in plan.add_annotations if "completed_by" in a}
    if not names:
        return {}, ()
    users = client.users()
    created = []
    for email in sorted({annotator_email(n) for n in names} - set(users)):
        users[email] = client.create_user(email, annotator_of(email))
        created.append(email)
    return users, tuple(created)


# -- pull -----------------------------------------------------------------------------------------


def _region_key(item: dict) -> str:
    return json.dumps({k: item.get(k) for k in ("from_name", "to_name", "type", "value")},
                      ensure_ascii=False, sort_keys=True)


def _span(region: dict) -> tuple:
    value = region.get("value") or {}
    return region.get("from_name"), value.get("start"), value.get("end")


def export_summary(export: list) -> tuple[Counter, Counter, Counter, Counter]:
    """Multisets of tasks, annotations, regions and relations, keyed by content and annotator
    (not server ids), so that an export and its re-export from another server compare equal."""
    tasks, annotations, regions, relations = Counter(), Counter(), Counter(), Counter()
    for task in export:
        doc_id = (task.get("data") or {}).get("doc_id") or f"task {task.get('id')}"
        tasks[doc_id] += 1
        for ann in task.get("annotations") or []:
            result = ann.get("result") or []
            doc = (doc_id, annotator_of(ann.get("completed_by")))
            annotations[(doc, bool(ann.get("ground_truth")), bool(ann.get("was_cancelled")))] += 1
            by_id = {r.get("id"): r for r in result if r.get("type") != "relation"}
            for r in result:
                if r.get("type") == "relation":
                    a, b = by_id.get(r.get("from_id"), {}), by_id.get(r.get("to_id"), {})
                    relations[(doc, _span(a), _span(b), tuple(r.get("labels") or ()), r.get("direction"))] += 1
                else:
                    regions[(doc, _region_key(r))] += 1
    return tasks, annotations, regions, relations


def diff_summary(old: list, new: list) -> tuple[bool, str]:
    """(changed?, 'tasks +0 -0, annotations +1 -0, regions +12 -3, relations +2 -0')."""
    parts, changed = [], False
    for name, a, b in zip(("tasks", "annotations", "regions", "relations"), export_summary(old), export_summary(new)):
        added, removed = sum((b - a).values()), sum((a - b).values())
        changed |= bool(added or removed)
        parts.append(f"{name} +{added} -{removed}")
    return changed, ", ".join(parts)


def counts(export: list) -> str:
    t, a, r, rel = (sum(c.values()) for c in export_summary(export))
    return f"{t} task(s), {a} annotation(s), {r} region(s), {rel} relation(s)"


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
                           hint="push first (`nkbench annotate push`) or pass --project-title")
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
                           hint=f"check that --url points at Label Studio 1.23{'; ' + str(invalid)[:200] if invalid else ''}") from None
    if _same_path(out, gold):
        if invalid is not None:
            raise NkbenchError(f"not written: the export ({summary}) does not pass validation:\n{invalid}",
                               where=str(out), hint="the gold export is kept as it was; fix the annotations in Label Studio")
        if not status.complete:
            raise NkbenchError(f"not written: the gold export needs gold for every task ({status.verdict()})",
                               where=str(out), hint="the gold export is kept as it was; annotate and mark ground truth first")
        if old is not None and not force:
            if diff_summary(old, export)[0]:
                raise NkbenchError(f"refusing to overwrite the adjudicated gold export ({diff})", where=str(out),
                                   hint="nothing was written; pull to another --out to review, or pass --force")
            return PullReport(out, False, summary, diff, f"unchanged: annotations identical, gold kept as is; "
                                                                  f"{status.verdict()}")
    atomic_write_text(out, dumps(export))
    if invalid is not None:
        raise NkbenchError(f"written ({summary}), but it does not pass validation:\n{invalid}", where=str(out),
                           hint="fix the annotations in Label Studio and pull again")
    return PullReport(out, True, summary, diff, status.verdict())


def validate_export(export: list, seeds, *, where: str = "export", annotator: str | None = None):
    """The converter's verdict on an export (``validate.export_status``): every annotation is
    converted and checked; raises NkbenchError/NkbenchErrors with the converter's messages."""
    return export_status(export, seeds, where=where, annotator=annotator)


# -- ground truth ---------------------------------------------------------------------------------


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
                               hint="delete all but the adjudicated one in Label Studio")
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
                           hint="push first (`nkbench annotate push`) or pass --project-title")
    users = client.users()
    if email not in users:
        from ...core.errors import did_you_mean
        raise NkbenchError(f"no user {email} on {client.url}", where="--annotator", hint=did_you_mean(email, users))
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


def check_against_seeds(tasks: list[dict], seeds: dict, where: str) -> None:
    """Every task names a seed in data.doc_id and carries its verbatim text (nothing is sent otherwise)."""
    problems = []
    for i, task in enumerate(tasks):
        doc_id = task["data"]["doc_id"]
        seed = seeds.get(doc_id)
        if seed is None:
            from ...core.errors import did_you_mean

            problems.append(NkbenchError(f"data.doc_id {doc_id!r} is not a seed", where=f"{where}: task {i}",
                                         hint=did_you_mean(doc_id, seeds)))
        elif task["data"]["text"] != seed.text:
            problems.append(NkbenchError("data.text differs from the verbatim seed text", where=f"{where}: task {i} ({doc_id})",
                                         hint="tasks must carry the seed text unchanged (offsets index into it)"))
    if problems:
        raise NkbenchErrors(problems, what=where)
