"""Push tasks to a running Label Studio: the project (created, or re-configured when asked), the
annotator users (``NAME@nkbench.local``, created when missing) and what ``plan.plan_push`` decides.
Every check runs before the first change."""

from __future__ import annotations

from dataclasses import dataclass

from ...core.errors import Errors, NkbenchError
from .client import DEFAULT_TITLE, LabelStudio, Project
from .config_check import same_config
from .plan import PushPlan, plan_push
from .validate import annotator_email, annotator_of


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
                        "or use another --project-title", code=Errors.E312)


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
