"""``nkbench run``: run one baseline system over the seeds (or a JSONL file) and write predictions."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from ..errors import NkbenchError, NkbenchErrors, did_you_mean
from ..model import LANGUAGES, LAYERS, Document, document_from_dict, document_to_dict
from . import current_project


def load_documents(path: Path | None) -> list[Document]:
    """Documents to run on, layers emptied: the project's seeds (default), a seeds folder, or a
    JSONL file whose documents carry their text (e.g. the gold)."""
    from ..io import iter_jsonl
    from ..seeds import load_seeds

    if path is None or path.is_dir():
        return [Document(s.id, s.language, s.text) for s in load_seeds(path or current_project().seeds_dir).values()]
    docs, problems, seen = [], [], {}
    for lineno, obj in iter_jsonl(path):
        try:
            d = document_from_dict(obj, where=f"{path}:{lineno}", require_text=False)
        except NkbenchError as err:
            problems.append(err)
            continue
        if d.text is None:
            problems.append(NkbenchError("document has no text", where=f"{path}:{lineno} (document {d.id!r})",
                                         hint="a system needs the article text: give the gold JSONL or the seeds"))
            continue
        if d.language not in LANGUAGES:
            problems.append(NkbenchError(f"unknown or missing language {d.language!r}",
                                         where=f"{path}:{lineno} (document {d.id!r})", hint=did_you_mean(d.language, LANGUAGES)))
            continue
        if d.id in seen:
            problems.append(NkbenchError(f"document {d.id!r} given twice (also line {seen[d.id]})", where=f"{path}:{lineno}",
                                         hint="keep one line per document"))
            continue
        seen[d.id] = lineno
        docs.append(Document(d.id, d.language, d.text))
    if problems:
        raise NkbenchErrors(problems, what=str(path))
    return docs


def predictions_jsonl(docs: list[Document], with_text: bool) -> str:
    """One JSON object per line in the model's JSON form; text omitted unless ``with_text``."""
    lines = []
    for d in docs:
        if not with_text:
            d = Document(d.id, d.language, None, d.mentions, d.events, d.cues, d.claims)
        lines.append(json.dumps(document_to_dict(d), ensure_ascii=False) + "\n")
    return "".join(lines)


@click.command(epilog="""\b
Examples:
  $ nkbench run --system rules --out rules.jsonl
  rules: 4 documents -> rules.jsonl
    mentions 251  events 99  cues 47  claims 73
    note: figures without a counted word (no numeric claim): 2
  $ nkbench run --system spacy-en --input seeds --out spacy-en.jsonl --quiet
\b
Systems: spacy, spacy-en, spacy-es, rules, capitalised (see benchmark/systems.md).
""")
@click.option("--system", "system_name", required=True, help="Baseline system name.")
@click.option("--input", "input_path", type=click.Path(path_type=Path), default=None,
              help="Seeds folder or JSONL of documents with text (default: the seeds).")
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Predictions file to write (JSON Lines, written atomically).")
@click.option("--with-text", is_flag=True, help="Keep each document's text in the output (default: omitted).")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary.")
def run(system_name: str, input_path: Path | None, out_path: Path, with_text: bool, quiet: bool) -> None:
    """Run a baseline system and write its predictions as JSON Lines (one document per line)."""
    from ..io import atomic_write_text
    from ..systems import check_name, run_system

    from ..io import output_target, refuse_same

    check_name(system_name)  # an unknown name fails before any work, with a did-you-mean hint
    refuse_same(out_path, input_path)
    output_target(out_path)
    docs = load_documents(input_path)
    progress = not quiet and sys.stderr.isatty() and len(docs) > 1
    preds, notes = run_system(system_name, docs, progress=progress)
    if not preds:
        raise NkbenchError(f"system {system_name!r} has no document of its languages in the input",
                           where=str(input_path or "seeds"), hint="choose a system covering the input's languages")
    atomic_write_text(out_path, predictions_jsonl(preds, with_text))
    if not quiet:
        counts = {layer: sum(len(getattr(d, layer)) for d in preds) for layer in LAYERS}
        click.echo(f"{system_name}: {len(preds)} documents -> {out_path}", err=True)
        click.echo("  " + "  ".join(f"{k} {v}" for k, v in counts.items()), err=True)
        for note, n in sorted(notes.items()):
            click.echo(f"  note: {note}: {n}", err=True)


@click.command(epilog="""\b
Example:
  $ nkbench benchmark
  [1/4] data is current (7 files)
  [2/4] loaded 4 gold documents with datasets.load_dataset('data', 'documents')
  [3/4] running rules on 4 documents
  [3/4] scoring rules (1000 bootstrap resamples)
  ...
  [4/4] wrote benchmark/results/rules.json, benchmark/results/spacy.json, benchmark/results/capitalised.json
  | system | layer | strict F1 [95% CI] | lenient F1 [95% CI] | strict F1 en | strict F1 es |
  |---|---|---|---|---|---|
  | rules | entities | 0.854 [0.81, 0.90] | 0.934 [0.91, 0.96] (partial) | 0.942 | 0.795 |
  ...
  $ nkbench benchmark --gold annotation/gold_export.json --system rules --out-dir results
  [1/4] gold from annotation/gold_export.json (data not used)
  [2/4] loaded 4 gold documents from annotation/gold_export.json
  ...
  [4/4] wrote results/rules.json
  ...
""")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="The dataset folder [default: the project's data/].")
@click.option("--gold", "gold_path", metavar="GOLD", default=None,
              help="Score against this gold instead of the project's dataset (a dataset folder, a Hub id ORG/NAME, "
                   "a Label Studio JSON export or JSON Lines of documents, recognised from the content); "
                   "data/ is then neither checked nor loaded.")
@click.option("--system", "systems", multiple=True, help="Only these systems (repeatable) [default: every baseline].")
@click.option("--resamples", type=click.IntRange(1, 1_000_000), default=None,
              help="Bootstrap resamples, 1..1000000 [default: 1000].")
@click.option("--out-dir", type=click.Path(path_type=Path), default=None,
              help="Results folder [default: the project's benchmark/results].")
def benchmark(data_dir: Path | None, gold_path: str | None, systems: tuple[str, ...], resamples: int | None,
              out_dir: Path | None) -> None:
    """Check and load the dataset, run every baseline, score it, write the results, print the leaderboard."""
    from .. import leaderboard as lb
    from ..dataset.build import check as check_files, load_inputs, render
    from ..gold import not_annotated, read_gold
    from ..seeds import load_seeds
    from ..systems import check_name

    for name in systems:  # an unknown name: said before anything else
        check_name(name)
    from ..io import output_target

    project = current_project()
    for name in systems or lb.BASELINES:  # needing an extra that is not installed: said before any work
        check_name(name)
    results_dir = Path(out_dir or project.results_dir)
    if results_dir.exists() and not results_dir.is_dir():  # found now, not after every system ran
        raise NkbenchError("is a file, expected the results folder", where=str(results_dir), hint="give a folder as --out-dir")
    for name in systems or lb.BASELINES:
        output_target(results_dir / f"{name}.json")
    say = lambda msg: click.echo(msg, err=True)  # noqa: E731
    seeds = load_seeds(project.seeds_dir)
    if gold_path is not None:
        gold = read_gold(gold_path, project).documents
        say(f"[1/4] gold from {gold_path} ({project.relative(project.data_dir)} not used)")
        say(f"[2/4] loaded {len(gold)} gold documents from {gold_path}")
    else:
        data_dir = data_dir or project.data_dir
        if not Path(data_dir).is_dir():
            raise NkbenchError("no such folder" if not Path(data_dir).exists() else "is not a folder", where=str(data_dir),
                               hint="give the dataset folder `nkbench data build` wrote (--data)")
        inputs = load_inputs(project.seeds_dir, project.gold_export, default_entities=project.entities,
                             default_links=project.links)
        files = render(inputs)
        diffs = check_files(files, data_dir)
        if diffs:
            raise NkbenchError(f"{data_dir} is not what the gold export makes ({len(diffs)} differences, first: {diffs[0]})",
                               hint="rebuild it with `nkbench data build`")
        say(f"[1/4] {project.relative(data_dir)} is current ({len(files)} files)")
        gold = lb.load_gold_dataset(data_dir)
        say(f"[2/4] loaded {len(gold)} gold documents with datasets.load_dataset({project.relative(data_dir)!r}, 'documents')")
    missing = not_annotated(seeds, gold)
    if missing:
        say(f"      {len(missing)} seed(s) not annotated yet, left out: {', '.join(missing)}")
    results = lb.run_benchmark(gold, systems or lb.BASELINES, resamples=lb.RESAMPLES if resamples is None else resamples,
                               progress=lambda m: say(f"[3/4] {m}"))
    paths = lb.write_results(results, results_dir)
    say(f"[4/4] wrote {', '.join(project.relative(p) for p in paths)}")
    click.echo(lb.markdown(results), nl=False)
