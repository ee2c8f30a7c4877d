"""``nkbench score`` and ``nkbench compare``: score predictions files against the gold."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import NkbenchError

LAYER_CHOICES = ("entities", "events", "claims")
FORMAT_CHOICES = ("table", "json", "markdown")
MAX_SEED = 2**32 - 1
#: Resampling rounds above this are refused (10**6 rounds already take minutes on the seeds).
MAX_RESAMPLES = 1_000_000


def _gold(path: Path | None):
    from ..scoring.predictions import load_gold

    if path is not None:
        return load_gold(path)
    from . import maybe_project

    project = maybe_project()
    if project is None:
        from ..project import ENV_VAR, MARKER

        raise NkbenchError(f"no gold given, and not inside an nkbench project (no {MARKER} here or above)",
                           hint=f"pass --gold GOLD.jsonl (gold documents with their text), or run inside a project "
                                f"(--project DIR or {ENV_VAR})")
    from ..gold import load_gold as project_gold
    from ..seeds import load_seeds

    return project_gold(project.gold_export, load_seeds(project.seeds_dir))


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    from ..io import atomic_write_text

    atomic_write_text(out, text)
    click.echo(f"wrote {out}", err=True)


def _common(f):
    f = click.option("--gold", "gold_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Gold documents, JSON Lines with text (default: the committed gold, when built).")(f)
    f = click.option("--layer", "layers", multiple=True, type=click.Choice(LAYER_CHOICES),
                     help="Layer to score (repeatable; default: all).")(f)
    f = click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="table", show_default=True)(f)
    f = click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here (atomically).")(f)
    f = click.option("--unknown-labels", type=click.Choice(("error", "spurious")), default="error", show_default=True,
                     help="An unknown label is an error, or is kept and counted as spurious/wrong (never dropped).")(f)
    f = click.option("--unit", type=click.Choice(("sentence", "document")), default="sentence", show_default=True,
                     help="Resampling unit for confidence intervals and tests.")(f)
    f = click.option("--seed", type=click.IntRange(0, MAX_SEED), default=0, show_default=True,
                     help=f"Random seed of the resampling, 0..{MAX_SEED}.")(f)
    return f


@click.command(epilog="""\b
Example:
  $ nkbench score runs/spacy.jsonl --gold data/gold.jsonl --layer entities
  layer     metric   correct  incorr  partial  missed  spur      P      R  F1 / acc  95% CI          macro F1
  entities  strict        41       6        0       9     7  0.759  0.732     0.745  [0.661, 0.820]     0.702
  ...
  $ nkbench score runs/spacy.jsonl --gold data/gold.jsonl --format json --out report.json
Prediction format: benchmark/PREDICTIONS.md (JSON Schema: benchmark/prediction.schema.json).
""")
@click.argument("predictions", type=click.Path(dir_okay=False, path_type=Path))
@_common
@click.option("--resamples", type=click.IntRange(0, MAX_RESAMPLES), default=1000, show_default=True,
              help=f"Bootstrap resamples, 0..{MAX_RESAMPLES} (0: no intervals).")
def score(predictions: Path, gold_path: Path | None, layers, fmt: str, out: Path | None, unknown_labels: str,
          unit: str, seed: int, resamples: int) -> None:
    """Score a predictions file: entities (SemEval-2013 schemes, linking), events (TextEE),
    claims (spans, attribution, cue, stance, values, links), with 95% bootstrap intervals."""
    from ..scoring.report import render
    from ..scoring.stream import score_file

    from ..io import refuse_same

    refuse_same(out, predictions, gold_path)
    gold = _gold(gold_path)
    # read, checked and scored a chunk at a time, on every core: memory grows with the largest document, not the file
    report = score_file(gold, predictions, layers or LAYER_CHOICES, unknown_labels=unknown_labels, unit=unit,
                        resamples=resamples, seed=seed)
    report["predictions"] = str(predictions)
    _emit(render(report, fmt), out)


@click.command(epilog="""\b
Example:
  $ nkbench compare runs/spacy.jsonl runs/llm.jsonl --gold data/gold.jsonl --layer entities
  layer     metric   A      B      B - A   p
  entities  strict   0.745  0.801  0.056   0.0312
  ...
Two-sided paired approximate randomisation over gold sentences (or --unit document).
""")
@click.argument("a", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("b", type=click.Path(dir_okay=False, path_type=Path))
@_common
@click.option("--resamples", type=click.IntRange(1, MAX_RESAMPLES), default=10000, show_default=True,
              help=f"Randomisation rounds, 1..{MAX_RESAMPLES}.")
def compare(a: Path, b: Path, gold_path: Path | None, layers, fmt: str, out: Path | None, unknown_labels: str,
            unit: str, seed: int, resamples: int) -> None:
    """Compare two predictions files on the same gold: every headline figure, the difference
    B - A and a paired approximate randomisation p-value."""
    from ..scoring.report import render
    from ..scoring.stream import compare_files

    from ..io import refuse_same

    refuse_same(out, a, b, gold_path)
    gold = _gold(gold_path)
    # each file read, checked and counted a chunk at a time (A, then B): memory grows with the largest document
    result = compare_files(gold, a, b, layers or LAYER_CHOICES, unknown_labels=unknown_labels, unit=unit,
                           resamples=resamples, seed=seed)
    result.update(a=str(a), b=str(b))
    _emit(render(result, fmt, compare=True), out)
