"""``nkbench annotate push`` / ``pull``: the round trip with a running Label Studio."""

from __future__ import annotations

import os
from pathlib import Path

import click

from .. import current_project
from .annotate import gold_annotator_option, resolve_gold_annotator

URL_HELP = "Label Studio address as `make label-studio` prints it (env LABEL_STUDIO_URL)."
TITLE_HELP = "Project title in Label Studio."


def _client(url: str, timeout: float):
    from ...annotation.labelstudio.client import API_KEY_ENV, LabelStudio

    return LabelStudio(url, os.environ.get(API_KEY_ENV, ""), timeout=timeout,
                       progress=lambda message: click.echo(message, err=True))


_timeout_option = click.option("--timeout", type=click.FloatRange(0.1, 3600), default=60.0, show_default=True,
                               help="Deadline in seconds for each call to Label Studio, connect and every read "
                                    "included (a server that answers slower is an error).")


@click.command(epilog="""\b
The API key is read from LABEL_STUDIO_API_KEY (never from the command line, never printed);
`make label-studio` prints the address and writes the key to annotation/label-studio-data/credentials.env.
Example:
  $ nkbench run --system rules --out rules.jsonl --quiet   # any predictions in the model's JSON form
  $ nkbench annotate push --url "$LABEL_STUDIO_URL" --predictions rules.jsonl
  project 'nkbench' (id 1, created)
  imported 12 new task(s) with 0 annotation(s) and 4 prediction(s)
  label at http://.../projects/1/data
  $ nkbench annotate push --url "$LABEL_STUDIO_URL"       # again: nothing duplicated
  project 'nkbench' (id 1, existing)
  imported 0 new task(s) with 0 annotation(s) and 0 prediction(s)
  12 task(s) already on the server left unchanged
  label at http://.../projects/1/data
""")
@click.option("--url", envvar="LABEL_STUDIO_URL", required=True, help=URL_HELP)
@click.option("--project-title", default="nkbench", show_default=True, help=TITLE_HELP)
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Labeling config XML [default: annotation/labeling_config.xml].")
@click.option("--tasks", "tasks_path", type=click.Path(path_type=Path), default=None,
              help="JSON list of tasks (import or full-export form, e.g. annotation/gold_export.json) "
                   "instead of the bare seeds.")
@click.option("--predictions", "predictions_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Pre-annotations: JSON Lines of documents in the model's JSON form, text optional "
                   "(what `nkbench run` writes and `nkbench score` reads; same as `annotate tasks --predictions`).")
@click.option("--model-version", default=None, help="Prediction model_version (default: the predictions file stem).")
@click.option("--update-config", is_flag=True, help="Replace the project's labeling config when it differs from ours.")
@_timeout_option
def push(url, project_title, config_path, tasks_path, predictions_path, model_version, update_config, timeout) -> None:
    """Create or update the Label Studio project and import the tasks (matched by data.doc_id:
    pushing twice duplicates nothing, existing annotations are never touched). Annotators named
    in completed_by become users NAME@nkbench.local (see annotation/README.md)."""
    from ...annotation.labelstudio import sync
    from ...core.io import read_documents
    from ...annotation.labelstudio.tasks import seed_tasks
    from ...annotation.seeds import load_seeds

    project = current_project()
    label_config = sync.read_label_config(config_path or project.labeling_config)
    seeds = load_seeds(project.seeds_dir)
    preds = read_documents(predictions_path, require_text=False) if predictions_path else []
    seeded = seed_tasks(seeds, preds, where=str(predictions_path),
                        model_version=model_version or (predictions_path.stem if predictions_path else "predictions"))
    if tasks_path is not None:
        tasks = sync.read_tasks_file(tasks_path)
        sync.check_against_seeds(tasks, seeds, str(tasks_path))
        tasks = sync.attach_predictions(tasks, seeded, str(predictions_path))
    else:
        tasks = seeded
    report = sync.push(_client(url, timeout), tasks, label_config, title=project_title, update_config=update_config)
    for line in report.lines():
        click.echo(line)
    click.echo(f"label at {report.project_url(url)}")


@click.command(epilog="""\b
Example:
  $ nkbench annotate push --url "$LABEL_STUDIO_URL" --tasks annotation/gold_export.json
  project 'nkbench' (id 1, created)
  imported 12 new task(s) with 36 annotation(s) and 0 prediction(s)
  ...
  $ nkbench annotate pull --url "$LABEL_STUDIO_URL"
  pulled project 'nkbench': 12 task(s), 36 annotation(s), 7739 region(s), 1813 relation(s)
  wrote .../annotation/export.json (valid: 12 document(s))
  $ nkbench annotate pull --url "$LABEL_STUDIO_URL" --out annotation/gold_export.json
  pulled project 'nkbench': 12 task(s), 36 annotation(s), 7739 region(s), 1813 relation(s)
  changes against the previous annotation/gold_export.json: tasks +0 -0, annotations +0 -0, regions +0 -0, ...
  kept annotation/gold_export.json (unchanged: annotations identical, gold kept as is; valid: 12 document(s))
""")
@click.option("--url", envvar="LABEL_STUDIO_URL", required=True, help=URL_HELP)
@click.option("--project-title", default="nkbench", show_default=True, help=TITLE_HELP)
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Where to write the full JSON export [default: annotation/export.json].")
@click.option("--force", is_flag=True, help="Overwrite the adjudicated gold export (annotation/gold_export.json) even if it changes.")
@gold_annotator_option
@_timeout_option
def pull(url, project_title, out, force, gold_annotator, timeout) -> None:
    """Download the project's full JSON export (with relations, full predictions and annotator
    emails), validate it with the converter and write it atomically. A working export may be
    incomplete (the tasks still to do are listed); the gold export must be valid and complete."""
    from ...annotation.labelstudio import sync
    from ...annotation.seeds import load_seeds

    project = current_project()
    annotator = resolve_gold_annotator(gold_annotator)
    report = sync.pull(_client(url, timeout), out or project.export, gold=project.gold_export,
                       seeds=load_seeds(project.seeds_dir), title=project_title, force=force, annotator=annotator)
    click.echo(f"pulled project {project_title!r}: {report.counts}")
    if report.diff is not None:
        click.echo(f"changes against the previous {report.out}: {report.diff}")
    click.echo(f"{'wrote' if report.written else 'kept'} {report.out} ({report.validation})")


@click.command("ground-truth", epilog="""\b
The Community edition of Label Studio 1.23 has no ground-truth control in its interface; its API
sets the flag. (Or leave the flags alone: --gold-annotator on pull/convert/check does the same.)
Example:
  $ nkbench annotate push --url "$LABEL_STUDIO_URL" --tasks annotation/gold_export.json
  ...
  $ nkbench annotate ground-truth --url "$LABEL_STUDIO_URL" --annotator adjudicator@nkbench.local --dry-run
  project 'nkbench' (id 1): ground truth = the annotations by adjudicator@nkbench.local
  would mark 0 annotation(s), would unmark 0, 12 already marked
(The committed gold export carries the flags already; on a project annotated in the UI, the same
command without --dry-run marks the adjudicator's annotations.)
""")
@click.option("--url", envvar="LABEL_STUDIO_URL", required=True, help=URL_HELP)
@click.option("--project-title", default="nkbench", show_default=True, help=TITLE_HELP)
@click.option("--annotator", required=True, metavar="NAME|EMAIL",
              help="The adjudicator: their annotation becomes the ground truth of every task they annotated.")
@click.option("--dry-run", is_flag=True, help="Only say what would change.")
@_timeout_option
def ground_truth(url, project_title, annotator, dry_run, timeout) -> None:
    """Mark the adjudicator's annotation as ground truth in every task (through the API), and
    take the mark off the other annotations of those tasks; tasks the adjudicator has not
    annotated yet are listed and left alone."""
    from ...annotation.labelstudio import sync
    from ...annotation.labelstudio.validate import annotator_email

    project, plan = sync.ground_truth(_client(url, timeout), annotator, title=project_title, dry_run=dry_run)
    email = annotator_email(annotator, where="--annotator")
    verb = "would mark" if dry_run else "marked"
    click.echo(f"project {project.title!r} (id {project.id}): ground truth = the annotations by {email}")
    click.echo(f"{verb} {len(plan.mark)} annotation(s), {'would unmark' if dry_run else 'unmarked'} {len(plan.unmark)}, "
               f"{len(plan.already)} already marked")
    if plan.missing:
        click.echo(f"{len(plan.missing)} task(s) without an annotation by {email}: {'; '.join(plan.missing)}")
