"""``nkbench data``: build, check, count and upload the Hugging Face dataset in ``data/``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from . import current_project

_INPUT_OPTIONS = [
    click.option("--gold", "gold", type=click.Path(path_type=Path),
                 help="Gold: a Label Studio .json export or a .jsonl of documents [default: the project's "
                      "annotation/gold_export.json]."),
    click.option("--pass", "passes", multiple=True, metavar="NAME=FILE.jsonl|FOLDER",
                 help="A per-annotator pass: resolved documents, or a quote-anchored pass folder. Repeatable."),
    click.option("--entities", type=click.Path(path_type=Path),
                 help="Entity inventory {id: {type, name, aliases}}. Default: annotation/entities.json if present."),
    click.option("--links", type=click.Path(path_type=Path),
                 help="Link inventory {id: {description, counted, documents}}. Default: annotation/links.json if present."),
]


def _inputs(f):
    for option in reversed(_INPUT_OPTIONS):
        f = option(f)
    return f


@click.group()
def data() -> None:
    """Build, check, count and upload the Hugging Face dataset (data/)."""


@data.command(epilog="""\b
Examples:
  $ nkbench data build --check                      # data/ is what the seeds and annotation/ make
  .../data is current (8 files)
  $ nkbench data build --out data-copy
  data-copy: 8 files written; rows: documents 4, ner 75, claims 76, passes 8, entities 41, links 12, dev 8
  $ nkbench annotate convert annotation/gold_export.json --out gold.jsonl
  ...
  wrote 12 gold documents to gold.jsonl
  $ nkbench data build --gold gold.jsonl --check    # the same gold, but no passes given
  Error: .../data is not what the inputs make:
    - .../data/README.md: differs: line 46: is '- config_name: passes', the inputs make '- config_name: entities'
    - .../data/passes/test.parquet: not made by the inputs (extra file)
  run the same command without --check to rebuild it
""")
@_inputs
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="The dataset folder [default: the project's data/].")
@click.option("--check", is_flag=True, help="Write nothing; exit non-zero naming every file that differs.")
def build(gold, passes, entities, links, out_dir: Path, check: bool) -> None:
    """Build data/ (Parquet per config + README.md card) from the seeds and the gold."""
    from ..dataset.build import check as check_files, load_inputs, render, row_counts, write

    project = current_project()
    out_dir = out_dir or project.data_dir
    inputs = load_inputs(project.seeds_dir, gold or project.gold_export, passes, entities, links,
                         default_entities=project.entities, default_links=project.links, project=project)
    if inputs.not_annotated:
        click.echo(f"{len(inputs.not_annotated)} seed(s) not annotated yet, left out of the dataset: "
                   f"{', '.join(inputs.not_annotated)}", err=True)
    files = render(inputs)
    if check:
        diffs = check_files(files, out_dir)
        if diffs:
            shown = "\n".join(f"  - {d}" for d in diffs)
            raise click.ClickException(f"{out_dir} is not what the inputs make:\n{shown}\n"
                                       "run the same command without --check to rebuild it")
        click.echo(f"{out_dir} is current ({len(files)} files)")
        return
    write(files, out_dir)
    rows = ", ".join(f"{rel.split('/')[0]} {n}" for rel, n in row_counts(files).items())
    click.echo(f"{out_dir}: {len(files)} files written; rows: {rows}")


@data.command(epilog="""\b
Examples:
  $ nkbench data stats
  **4 documents** (3 es, 1 en).
  ### Per layer
  | layer | total | es | en |
  |---|---:|---:|---:|
  | documents | 4 | 3 | 1 |
  ...
  $ nkbench data stats --json | jq -c .layers.claims
  {"total":76,"es":47,"en":29}
""")
@click.option("--dir", "data_dir", type=click.Path(path_type=Path), default=None,
              help="The dataset folder to count [default: the project's data/].")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats(data_dir: Path, as_json: bool) -> None:
    """Counts per layer, type, language and document of the built dataset (the card's tables)."""
    from ..dataset.stats import compute, markdown
    from ..dataset.store import read_documents_config

    gold, passes = read_documents_config(data_dir or current_project().data_dir)
    result = compute(gold, passes)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json else markdown(result), nl=as_json)


@data.command(epilog="""\b
Examples:
  $ nkbench data push --repo-id my-org/nkbench --dry-run upload
  would upload 8 files to datasets/my-org/nkbench; copies in upload
    README.md
    documents/test.parquet
  ...
\b
Then, for real (the token from HF_TOKEN or `hf auth login`):
  HF_TOKEN=hf_... nkbench data push --repo-id my-org/nkbench --private
""")
@click.option("--repo-id", required=True, help="The Hub dataset repository, ORG/NAME.")
@click.option("--private", is_flag=True, help="Create the repository as private.")
@click.option("--dry-run", "dry_dir", type=click.Path(path_type=Path),
              help="Upload nothing: copy exactly the files that would be uploaded to this (new or empty) folder.")
@click.option("--dir", "data_dir", type=click.Path(path_type=Path), default=None,
              help="The dataset folder to upload [default: the project's data/].")
def push(repo_id: str, private: bool, dry_dir: Path | None, data_dir: Path) -> None:
    """Upload data/ to a Hugging Face dataset repository (token: HF_TOKEN or `hf auth login`)."""
    from ..dataset import push as P

    P.check_repo_id(repo_id)
    data_dir = data_dir or current_project().data_dir
    if dry_dir is not None:
        files = P.dry_run(data_dir, dry_dir)
        click.echo(f"would upload {len(files)} files to datasets/{repo_id}"
                   f"{' (private)' if private else ''}; copies in {dry_dir}")
        for rel in files:
            click.echo(f"  {rel}")
        skipped = P.others(data_dir, files)
        if skipped:
            click.echo(f"not uploaded ({len(skipped)} file(s) that are not the dataset's own): "
                       + ", ".join(skipped[:5]) + (" ..." if len(skipped) > 5 else ""))
        return
    url = P.push(data_dir, repo_id, private=private)
    click.echo(f"uploaded {len(P.upload_plan(data_dir))} files to {url}")
