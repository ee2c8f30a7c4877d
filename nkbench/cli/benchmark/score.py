"""``nkbench score`` and ``nkbench compare``: score predictions files against the gold."""

from __future__ import annotations

from pathlib import Path

import click


LAYER_CHOICES = ("entities", "events", "claims")
FORMAT_CHOICES = ("table", "json", "markdown")
MAX_SEED = 2**32 - 1
#: Resampling rounds above this are refused (10**6 rounds already take minutes on the seeds).
MAX_RESAMPLES = 1_000_000


def _gold(source: str | None, split: str = "test"):
    from ...annotation.gold import read_gold
    from .. import maybe_project

    return read_gold(source, maybe_project(), split).documents


def _gold_input(source: str | None) -> Path | None:
    """The gold as a local path (for ``refuse_same``), when it is one."""
    return Path(source) if source is not None and Path(source).exists() else None


def _by(value: str | None) -> tuple[str, ...]:
    """``--by type,language`` -> ("type", "language"); an unknown name is a usage error."""
    from ...benchmark.scoring.report import BY

    if not value:
        return ()
    names = tuple(dict.fromkeys(x.strip() for x in value.split(",") if x.strip()))
    for name in names:
        if name not in BY:
            from ...core.errors import did_you_mean

            raise click.BadParameter(f"unknown breakdown {name!r}; {did_you_mean(name, BY)} (choose from {', '.join(BY)})",
                                     param_hint="--by")
    return names


def _only_stdin_once(*paths) -> None:
    if sum(str(p) == "-" for p in paths) > 1:
        raise click.BadParameter("standard input ('-') can be read only once", param_hint="A/B")


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    from ...core.io import atomic_write_text

    atomic_write_text(out, text)
    click.echo(f"wrote {out}", err=True)


def _common(f):
    from ...annotation.gold import GOLD_HELP

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
    f = click.option("--language", type=click.Choice(("es", "en")), default=None,
                     help="Score only the gold documents of this language (and the predictions for them).")(f)
    f = click.option("--split", type=click.Choice(("test", "dev")), default="test", show_default=True,
                     help="The gold's articles: test (the benchmark) or dev (the development articles: the dataset's "
                          "dev config; for tuning, never to report).")(f)
    return f


@click.command(epilog="""\b
Examples:
  $ nkbench run --system rules --out rules.jsonl --quiet
  $ nkbench score rules.jsonl --gold data/ --layer entities      # the Hugging Face dataset folder
  layer     metric   correct  incorr  partial  missed  spur      P      R  F1 / acc          95% CI  macro F1
  ...
  entities  strict       230      28        0       5     5  0.875  0.875     0.875  [0.829, 0.917]     0.767
  ...
  $ nkbench score rules.jsonl --gold annotation/gold_export.json --format json --out report.json
  wrote report.json
\b
--gold takes the data as you have it, recognised from its content: the dataset folder (data/), a
dataset on the Hugging Face Hub (--gold ORG/NAME), the Label Studio export or JSON Lines of gold
documents; inside a project it defaults to the project's gold.
Prediction format: benchmark/PREDICTIONS.md (JSON Schema: benchmark/prediction.schema.json).
\b
Breakdowns (--by type,language,document; the JSON report always holds them all):
  $ nkbench run --system rules --out rules.jsonl --quiet
  $ nkbench score rules.jsonl --layer entities --by language --resamples 200
  ...
  By language:
  layer     metric   language  correct  incorr  partial  missed  spur      P      R  F1 / acc          95% CI
  --------  -------  --------  -------  ------  -------  ------  ----  -----  -----  --------  --------------
  entities  strict   en             93       9        0       2     1  0.903  0.894     0.899  [0.852, 0.954]
  entities  strict   es            137      19        0       3     4  0.856  0.862     0.859  [0.805, 0.927]
  ...
\b
--language es scores the Spanish documents only; '-' reads the predictions from standard input
(`my-system | nkbench score -`). The JSON report records the nkbench version and the gold's sha256.
""")
@click.argument("predictions", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@_common
@click.option("--resamples", type=click.IntRange(0, MAX_RESAMPLES), default=1000, show_default=True,
              help=f"Bootstrap resamples, 0..{MAX_RESAMPLES} (0: no intervals).")
@click.option("--by", "by", default=None, metavar="type,language,document",
              help="Add breakdown sections to the table/Markdown report: per type, per language (with 95% CIs), "
                   "per document (comma-separated; the JSON report always has them).")
def score(predictions: Path, gold_path: str | None, layers, fmt: str, out: Path | None, unknown_labels: str,
          unit: str, seed: int, language: str | None, split: str, resamples: int, by: str | None) -> None:
    """Score a predictions file: entities (SemEval-2013 schemes, linking), events (TextEE),
    claims (spans, attribution, cue, stance, values, links), with 95% bootstrap intervals."""
    from ...benchmark.scoring.provenance import GoldHash, provenance, scored_gold
    from ...benchmark.scoring.report import render
    from ...benchmark.scoring.stream import score_file

    from ...core.io import refuse_same

    from ...core.io import display_name

    sections = _by(by)
    refuse_same(out, *(p for p in (predictions, _gold_input(gold_path)) if p is not None and str(p) != "-"))
    all_gold = _gold(gold_path, split)
    gold = scored_gold(all_gold, language, unknown_labels, predictions)
    # read, checked and scored a chunk at a time, on every core ('-': in this process, as it comes): memory grows
    # with the largest document, not the file; the predictions are checked against all the gold, and only those of
    # the --language's documents scored
    gold_hash = GoldHash(all_gold)  # hashed while the workers score
    report = score_file(gold, predictions, layers or LAYER_CHOICES, unknown_labels=unknown_labels, unit=unit,
                        resamples=resamples, seed=seed, all_gold=all_gold, alongside=gold_hash)
    report["predictions"] = display_name(predictions)
    _emit(render(provenance(report, all_gold, gold_path, language, gold_hash.value, split), fmt, by=sections), out)


@click.command(epilog="""\b
Example:
  $ nkbench run --system capitalised --out capitalised.jsonl --quiet
  $ nkbench run --system rules --out rules.jsonl --quiet
  $ nkbench compare capitalised.jsonl rules.jsonl --gold data/ --layer entities
  layer     metric   capitalised.jsonl  rules.jsonl  B - A       p
  ...
  entities  strict               0.390        0.875  0.484  0.0001
  ...
Two-sided paired approximate randomisation over gold sentences (or --unit document).
\b
Columns are named after the files; one of them may be '-' (standard input):
  $ nkbench run --system rules --out rules.jsonl --quiet
  $ nkbench run --system spacy --out spacy.jsonl --quiet
  $ nkbench compare spacy.jsonl rules.jsonl --layer entities --language es --resamples 1000
  layer     metric   spacy.jsonl  rules.jsonl  B - A       p
  --------  -------  -----------  -----------  -----  ------
  entities  strict         0.483        0.859  0.376  0.0010
  ...
""")
@click.argument("a", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.argument("b", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@_common
@click.option("--resamples", type=click.IntRange(1, MAX_RESAMPLES), default=10000, show_default=True,
              help=f"Randomisation rounds, 1..{MAX_RESAMPLES}.")
def compare(a: Path, b: Path, gold_path: str | None, layers, fmt: str, out: Path | None, unknown_labels: str,
            unit: str, seed: int, language: str | None, split: str, resamples: int) -> None:
    """Compare two predictions files on the same gold: every headline figure, the difference
    B - A and a paired approximate randomisation p-value."""
    from ...benchmark.scoring.provenance import provenance, scored_gold
    from ...benchmark.scoring.report import render
    from ...benchmark.scoring.stream import compare_files

    from ...core.io import refuse_same

    from ...core.io import display_name

    _only_stdin_once(a, b)
    refuse_same(out, *(p for p in (a, b, _gold_input(gold_path)) if p is not None and str(p) != "-"))
    all_gold = _gold(gold_path, split)
    gold = scored_gold(all_gold, language, unknown_labels, a, b)
    # each file read, checked and counted a chunk at a time (A, then B): memory grows with the largest document
    result = compare_files(gold, a, b, layers or LAYER_CHOICES, unknown_labels=unknown_labels, unit=unit,
                           resamples=resamples, seed=seed, all_gold=all_gold)
    result.update(a=display_name(a), b=display_name(b))
    _emit(render(provenance(result, all_gold, gold_path, language, split=split), fmt, compare=True), out)
