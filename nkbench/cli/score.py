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


def _gold(source: str | None):
    from ..gold import read_gold
    from . import maybe_project

    return read_gold(source, maybe_project()).documents


def _gold_input(source: str | None) -> Path | None:
    """The gold as a local path (for ``refuse_same``), when it is one."""
    return Path(source) if source is not None and Path(source).exists() else None


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    from ..io import atomic_write_text

    atomic_write_text(out, text)
    click.echo(f"wrote {out}", err=True)


def _common(f):
    from ..gold import GOLD_HELP

    f = click.option("--gold", "gold_path", metavar="GOLD", default=None,
                     help=GOLD_HELP + " [default: inside a project, its gold export].")(f)
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
Examples:
  $ nkbench run --system rules --out rules.jsonl --quiet
  $ nkbench score rules.jsonl --gold data/ --layer entities      # the Hugging Face dataset folder
  layer     metric   correct  incorr  partial  missed  spur      P      R  F1 / acc          95% CI  macro F1
  ...
  entities  strict       219      27        0      16     5  0.873  0.836     0.854  [0.806, 0.898]     0.750
  ...
  $ nkbench score rules.jsonl --gold annotation/gold_export.json --format json --out report.json
  wrote report.json
\b
--gold takes the data as you have it, recognised from its content: the dataset folder (data/), a
dataset on the Hugging Face Hub (--gold ORG/NAME), the Label Studio export or JSON Lines of gold
documents; inside a project it defaults to the project's gold.
Prediction format: benchmark/PREDICTIONS.md (JSON Schema: benchmark/prediction.schema.json).
""")
@click.argument("predictions", type=click.Path(dir_okay=False, path_type=Path))
@_common
@click.option("--resamples", type=click.IntRange(0, MAX_RESAMPLES), default=1000, show_default=True,
              help=f"Bootstrap resamples, 0..{MAX_RESAMPLES} (0: no intervals).")
def score(predictions: Path, gold_path: str | None, layers, fmt: str, out: Path | None, unknown_labels: str,
          unit: str, seed: int, resamples: int) -> None:
    """Score a predictions file: entities (SemEval-2013 schemes, linking), events (TextEE),
    claims (spans, attribution, cue, stance, values, links), with 95% bootstrap intervals."""
    from ..scoring.harness import score as run
    from ..scoring.predictions import load_predictions
    from ..scoring.report import render

    from ..io import refuse_same

    refuse_same(out, predictions, _gold_input(gold_path))
    gold = _gold(gold_path)
    pred, _missing = load_predictions(predictions, gold, unknown_labels)
    report = run(gold, pred, layers or LAYER_CHOICES, unit=unit, resamples=resamples, seed=seed)
    report["predictions"] = str(predictions)
    _emit(render(report, fmt), out)


@click.command(epilog="""\b
Example:
  $ nkbench run --system capitalised --out capitalised.jsonl --quiet
  $ nkbench run --system rules --out rules.jsonl --quiet
  $ nkbench compare capitalised.jsonl rules.jsonl --gold data/ --layer entities
  layer     metric       A      B  B - A       p
  ...
  entities  strict   0.391  0.854  0.463  0.0001
  ...
Two-sided paired approximate randomisation over gold sentences (or --unit document).
""")
@click.argument("a", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("b", type=click.Path(dir_okay=False, path_type=Path))
@_common
@click.option("--resamples", type=click.IntRange(1, MAX_RESAMPLES), default=10000, show_default=True,
              help=f"Randomisation rounds, 1..{MAX_RESAMPLES}.")
def compare(a: Path, b: Path, gold_path: str | None, layers, fmt: str, out: Path | None, unknown_labels: str,
            unit: str, seed: int, resamples: int) -> None:
    """Compare two predictions files on the same gold: every headline figure, the difference
    B - A and a paired approximate randomisation p-value."""
    from ..scoring.harness import compare as run
    from ..scoring.predictions import load_predictions
    from ..scoring.report import render

    from ..io import refuse_same

    refuse_same(out, a, b, _gold_input(gold_path))
    gold = _gold(gold_path)
    pa, _ = load_predictions(a, gold, unknown_labels)
    pb, _ = load_predictions(b, gold, unknown_labels)
    result = run(gold, pa, pb, layers or LAYER_CHOICES, unit=unit, resamples=resamples, seed=seed)
    result.update(a=str(a), b=str(b))
    _emit(render(result, fmt, compare=True), out)
