"""``nkbench annotate tasks|convert|check|export|config|roundtrip``: the Label Studio edge of the pipeline."""

from __future__ import annotations

from pathlib import Path

import click

from .. import current_project

_seeds_option = click.option("--seeds", "seeds_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
                             help="Folder with the verbatim seeds and manifest.json [default: the project's seeds/].")


def _seeds_dir(seeds_dir: Path | None) -> Path:
    return seeds_dir if seeds_dir is not None else current_project().seeds_dir


def _load_seeds(seeds_dir: Path | None):
    from ...annotation.seeds import load_seeds

    return load_seeds(_seeds_dir(seeds_dir))


def _write_json(out: str, obj) -> None:
    from ...core.io import atomic_write_text, dumps
    if out == "-":
        click.echo(dumps(obj), nl=False)
    else:
        atomic_write_text(out, dumps(obj))


def _is_export(path: Path) -> bool:
    return path.suffix.lower() == ".json"


GOLD_ANNOTATOR_HELP = ("The adjudicator (a name such as 'adjudicator', or a Label Studio user email): their annotation "
                       "is gold in every task. Remembered in nkbench.toml (gold_annotator) for later commands.")


def gold_annotator_option(f):
    return click.option("--gold-annotator", default=None, metavar="NAME|EMAIL", help=GOLD_ANNOTATOR_HELP)(f)


def resolve_gold_annotator(given: str | None, annotator: str | None = None) -> str | None:
    """The gold policy of a command: ``--annotator`` (this run only), else ``--gold-annotator``
    (remembered in nkbench.toml, saying so), else the project's ``gold_annotator``, else None
    (the ground-truth mark decides). Returned as an annotator key (``validate.annotator_of``)."""
    from ...core.errors import Errors, NkbenchError
    from ...annotation.labelstudio.validate import annotator_email, annotator_of

    if annotator is not None and given is not None:
        raise NkbenchError("give --annotator (this run only) or --gold-annotator (remembered), not both",
                           where="--gold-annotator", code=Errors.E801)
    if annotator is not None:
        return annotator
    project = current_project()
    stored = project.gold_annotator
    if given is None:
        if stored is not None:
            annotator_email(stored, where=f"{project.relative(project.root / 'nkbench.toml')}: gold_annotator")
            click.echo(f"gold: the annotations by {stored} (gold_annotator in nkbench.toml)", err=True)
        return annotator_of(stored) if stored is not None else None
    annotator_email(given, where="--gold-annotator")  # a name that cannot be a user is an error
    if given != stored:
        project.set_setting("gold_annotator", given)
        click.echo(f"remembered gold_annotator = {given!r} in nkbench.toml", err=True)
    return annotator_of(given)


def echo_collapsed(notes) -> None:
    """Report the regions whose value.text has whitespace runs collapsed (accepted, offsets kept)."""
    if notes:
        click.echo(f"note: {len(notes)} region(s) whose value.text has runs of whitespace collapsed "
                   "(offsets kept; the text is the task's):", err=True)
        for n in notes:
            click.echo(f"  - {n}", err=True)


@click.command(epilog="""\b
Example:
  $ nkbench annotate tasks --out tasks.json
  wrote 12 tasks (0 with predictions) to tasks.json
  $ nkbench run --system rules --out rules.jsonl --quiet
  $ nkbench annotate tasks --predictions rules.jsonl --out tasks_pre.json
  wrote 12 tasks (4 with predictions) to tasks_pre.json
""")
@click.option("--predictions", type=click.Path(path_type=Path, dir_okay=False),
              help="Predictions JSONL (the model's JSON form, text optional) to pre-annotate with.")
@click.option("--model-version", default=None, help="Prediction model_version (default: the predictions file stem).")
@click.option("--out", default="-", show_default=True, help="Output JSON file ('-' = stdout).")
@_seeds_option
def tasks(predictions: Path | None, model_version: str | None, out: str, seeds_dir: Path) -> None:
    """Label Studio import tasks from the seeds: data = text, doc_id, language (+ predictions)."""
    from ...core.io import read_documents
    from ...annotation.labelstudio.tasks import seed_tasks

    from ...core.io import refuse_same

    refuse_same(None if out == "-" else out, predictions, _seeds_dir(seeds_dir))
    seeds = _load_seeds(seeds_dir)
    preds = read_documents(predictions, require_text=False) if predictions else []
    result = seed_tasks(seeds, preds, model_version=model_version or (predictions.stem if predictions else "predictions"),
                        where=str(predictions))
    _write_json(out, result)
    if out != "-":
        n = sum("predictions" in t for t in result)
        click.echo(f"wrote {len(result)} tasks ({n} with predictions) to {out}")


@click.command(epilog="""\b
Examples:
  $ nkbench annotate convert annotation/gold_export.json --out gold.jsonl --passes-out passes
  task 1 (000_112b86200dab1a20): gold by adjudicator; passes: annotator-a, annotator-b
  ...
  task 12 (011_c69aa3ac6c6b8553): gold by adjudicator; passes: annotator-a, annotator-b
  wrote 3 pass file(s) to passes
  wrote 12 gold documents to gold.jsonl
\b
  A team mid-way: --gold-annotator EMAIL takes the adjudicator's annotations as gold (remembered in
  nkbench.toml), and --skip-unannotated lists the tasks not done yet and leaves them out.
""")
@click.argument("export", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="Gold JSONL to write.")
@gold_annotator_option
@click.option("--annotator", default=None,
              help="This run only: take NAME's annotation as gold in every task (default: --gold-annotator or "
                   "gold_annotator in nkbench.toml, else the one marked ground truth).")
@click.option("--skip-unannotated", is_flag=True,
              help="Leave out (and list) the tasks without a submitted annotation and those without gold yet, "
                   "and convert the rest (default: such tasks are errors).")
@click.option("--passes-out", type=click.Path(path_type=Path, file_okay=False),
              help="Also write every annotator's documents to DIR/<annotator>.jsonl.")
@_seeds_option
def convert(export: Path, out: Path, gold_annotator: str | None, annotator: str | None, skip_unannotated: bool,
            passes_out: Path | None, seeds_dir: Path) -> None:
    """Label Studio full JSON export -> gold JSONL, validating everything (all problems at once);
    the gold and the pass files are written together, or none of them."""
    from ...core.errors import Errors, NkbenchError
    from ...core.io import atomic_write_many, documents_jsonl, read_json, refuse_same
    from ...annotation.labelstudio.validate import export_status, load_export

    refuse_same(out, export, _seeds_dir(seeds_dir))
    if passes_out is not None and passes_out.exists() and not passes_out.is_dir():
        raise click.BadParameter(f"{passes_out} is a file, expected a folder", param_hint="--passes-out")
    annotator = resolve_gold_annotator(gold_annotator, annotator)
    seeds = _load_seeds(seeds_dir)
    if skip_unannotated:
        status = export_status(read_json(export), seeds, annotator=annotator, where=str(export))
        for what, items in (("without annotations", status.unannotated), ("without gold yet", status.unadjudicated)):
            if items:
                click.echo(f"left out {len(items)} task(s) {what}: {'; '.join(items)}")
        result = list(status.documents)
        if not result:
            raise NkbenchError("no task has gold yet: nothing to convert", where=str(export),
                               hint="submit (and adjudicate) at least one task in Label Studio, then pull again", code=Errors.E802)
    else:
        result = load_export(export, seeds, annotator=annotator)
    echo_collapsed([c for t in result for c in t.collapsed])
    files = {out: documents_jsonl([t.gold for t in result])}
    names = sorted({who for t in result for who in t.passes}) if passes_out else []
    for who in names:
        safe = "".join(ch if ch.isalnum() or ch in "-_.@" else "_" for ch in who)
        path = passes_out / f"{safe}.jsonl"
        refuse_same(path, export, out, _seeds_dir(seeds_dir), what="--passes-out")
        if path in files:
            raise NkbenchError(f"two annotators would share the pass file {path.name}", where=str(path),
                               hint="rename one of them in Label Studio (names differ only in characters replaced by '_')", code=Errors.E803)
        files[path] = documents_jsonl([t.passes[who] for t in result if who in t.passes])
    atomic_write_many(files)  # all of them or none
    for t in result:
        others = sorted(set(t.passes) - {t.gold_annotator})
        click.echo(f"task {t.task_id} ({t.doc_id}): gold by {t.gold_annotator}"
                   + (f"; passes: {', '.join(others)}" if others else ""))
    if passes_out:
        click.echo(f"wrote {len(names)} pass file(s) to {passes_out}")
    click.echo(f"wrote {len(result)} gold documents to {out}")


@click.command(epilog="""\b
Example:
  $ nkbench annotate check annotation/gold_export.json     # prints nothing, exits 0 when sound
  $ nkbench annotate convert annotation/gold_export.json --out gold.jsonl
  ...
  wrote 12 gold documents to gold.jsonl
  $ sed 's/"entity_id": "[^"]*"/"entity_id": null/' gold.jsonl > no-ids.jsonl
  $ nkbench annotate check no-ids.jsonl
  Error: 11 problem(s) in no-ids.jsonl:
    - document '000_112b86200dab1a20': mention 'm3' 'Nagorno Karabaj': GPE mention has no entity_id; give it ...
  ...
""")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--annotator", default=None, help="For an export, this run only: take NAME's annotation as gold (see convert).")
@gold_annotator_option
@_seeds_option
def check(path: Path, annotator: str | None, gold_annotator: str | None, seeds_dir: Path) -> None:
    """Guideline consistency of gold (JSONL) or of a Label Studio export (.json)."""
    from ...core.errors import NkbenchErrors
    from ...annotation.guidelines import check_all
    from ...core.io import read_documents
    from ...annotation.labelstudio.validate import load_export

    seeds = _load_seeds(seeds_dir)
    if _is_export(path):
        result = load_export(path, seeds, annotator=resolve_gold_annotator(gold_annotator, annotator))
        echo_collapsed([c for t in result for c in t.collapsed])
        docs = [t.gold for t in result]
    else:
        docs = read_documents(path)
    project = current_project()
    problems, notes = check_all(docs, seeds, entities_path=project.entities, links_path=project.links)
    for note in notes:
        click.echo(note, err=True)
    if problems:
        raise NkbenchErrors(problems, what=str(path))


def _parse_pass(ctx, param, values):
    out = {}
    for v in values:
        name, sep, file = v.partition("=")
        if not sep or not name or not file:
            raise click.BadParameter(f"{v!r} is not NAME=FILE.jsonl", ctx=ctx, param=param)
        if name in out:
            raise click.BadParameter(f"pass {name!r} given twice", ctx=ctx, param=param)
        out[name] = Path(file)
    return out


@click.command(epilog="""\b
Example:
  $ nkbench annotate convert annotation/gold_export.json --out gold.jsonl --passes-out passes
  ...
  wrote 12 gold documents to gold.jsonl
  $ nkbench annotate export gold.jsonl --pass annotator-a=passes/annotator-a.jsonl \\
        --pass annotator-b=passes/annotator-b.jsonl --out review_tasks.json
  wrote 12 tasks (3 annotations each at most) to review_tasks.json
""")
@click.argument("gold", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--pass", "passes", multiple=True, callback=_parse_pass, metavar="NAME=FILE.jsonl",
              help="An annotator's pass, added as that annotator's annotation (repeatable).")
@click.option("--gold-annotator", default="adjudicator", show_default=True,
              help="completed_by of the gold annotation (marked ground_truth).")
@click.option("--out", default="-", show_default=True, help="Output JSON file ('-' = stdout).")
@_seeds_option
def export(gold: Path, passes: dict, gold_annotator: str, out: str, seeds_dir: Path) -> None:
    """Gold (and passes) -> Label Studio tasks with annotations, to review gold in Label Studio."""
    from ...core.io import read_documents, read_json
    from ...annotation.labelstudio.tasks import gold_tasks

    from ...core.io import refuse_same

    refuse_same(None if out == "-" else out, gold, _seeds_dir(seeds_dir), *passes.values())
    seeds = _load_seeds(seeds_dir)
    pass_docs = {name: read_documents(f) for name, f in passes.items()}
    project = current_project()
    known = {name: set(read_json(path)) for name, path in (("entity_id", project.entities), ("link", project.links))
             if path.exists()}
    result = gold_tasks(read_documents(gold), seeds, pass_docs, gold_annotator=gold_annotator, where=str(gold),
                        known=known)
    _write_json(out, result)
    if out != "-":
        most = max((len(t["annotations"]) for t in result), default=0)
        click.echo(f"wrote {len(result)} tasks ({most} annotations each at most) to {out}", err=False)


@click.command(epilog="""\b
Example:
  $ nkbench annotate config --check
  annotation/labeling_config.xml is current
""")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the committed config is stale.")
def config(check: bool) -> None:
    """Regenerate annotation/labeling_config.xml from the schema (nkbench/core/schema.py) and the
    inventories annotation/entities.json and links.json (the lists of ids to choose from)."""
    from ...core.errors import Errors, NkbenchError
    from ...annotation.labelstudio.config import regenerate

    project = current_project()
    where = project.relative(project.labeling_config)
    current = regenerate(project, check=check)
    if check and not current:
        raise NkbenchError("stale: not what the schema and the inventories (entities.json, links.json) make",
                           where=where, hint="run `nkbench annotate config` to regenerate it", code=Errors.E804)
    click.echo(f"{where} is current" if current else f"wrote {where}")


@click.command(epilog="""\b
Examples:
  $ nkbench annotate convert annotation/gold_export.json --out gold.jsonl --passes-out passes
  ...
  wrote 12 gold documents to gold.jsonl
  $ nkbench annotate roundtrip annotation/gold_export.json gold.jsonl \\
      --pass annotator-a=passes/annotator-a.jsonl --pass annotator-b=passes/annotator-b.jsonl
  annotation/gold_export.json holds exactly gold.jsonl (12 gold document(s)) and 24 pass annotation(s)
  $ nkbench annotate roundtrip annotation/gold_export.json gold.jsonl --pass annotator-a=passes/annotator-a.jsonl
  Error: annotation/gold_export.json: 12 difference(s) from gold.jsonl and the passes:
    - document 000_112b86200dab1a20: unexpected annotation by 'annotator-b' in the export
  ...
""")
@click.argument("export", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("gold", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--pass", "pass_specs", multiple=True, metavar="NAME=FILE.jsonl",
              help="A pass the export must hold as NAME's annotation (repeatable; every other annotation is a difference).")
@_seeds_option
def roundtrip(export: Path, gold: Path, pass_specs: tuple[str, ...], seeds_dir: Path | None) -> None:
    """Check that a Label Studio export holds exactly the gold and passes it was made from (compared
    as documents: region ids and server fields may change); else exit 1 naming every difference."""
    from ...annotation.labelstudio.roundtrip import check_export
    from ...core.errors import Errors, NkbenchError

    passes: dict[str, Path] = {}
    for spec in pass_specs:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            raise click.BadParameter(f"{spec!r} is not NAME=FILE.jsonl", param_hint="--pass")
        passes[name] = Path(path)
    diffs, n_gold, n_passes = check_export(export, gold, passes, _seeds_dir(seeds_dir))
    if diffs:
        shown = "".join(f"\n  - {line}" for line in diffs)
        raise NkbenchError(f"{len(diffs)} difference(s) from {gold} and the passes:{shown}", where=str(export), code=Errors.E832)
    click.echo(f"{export} holds exactly {gold} ({n_gold} gold document(s)) and {n_passes} pass annotation(s)")
