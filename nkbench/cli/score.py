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


def _by(value: str | None) -> tuple[str, ...]:
    """``--by type,language`` -> ("type", "language"); an unknown name is a usage error."""
    from ..scoring.report import BY

    if not value:
        return ()
    names = tuple(dict.fromkeys(x.strip() for x in value.split(",") if x.strip()))
    for name in names:
        if name not in BY:
            from ..errors import did_you_mean

            raise click.BadParameter(f"unknown breakdown {name!r}; {did_you_mean(name, BY)} (choose from {', '.join(BY)})",
                                     param_hint="--by")
    return names


def _in_language(gold, language: str | None):
    """The gold documents of ``language`` (all when None); none is an error."""
    if language is None:
        return gold
    kept = [g for g in gold if g.language == language]
    if not kept:
        raise NkbenchError(f"no gold document in language {language!r}",
                           hint=f"the gold's languages: {', '.join(sorted({g.language for g in gold})) or 'none'}")
    return kept


def _provenance(report: dict, gold, gold_path: Path | None, language: str | None) -> dict:
    """The JSON report's record of what made it: nkbench version, the gold's hash, the language."""
    import hashlib

    from .. import __version__
    from ..io import documents_jsonl

    report["nkbench_version"] = __version__
    report["gold"] = {"sha256": hashlib.sha256(documents_jsonl(gold)).hexdigest(), "documents": len(gold),
                      "source": str(gold_path) if gold_path is not None else "project",
                      "hashed": "sha256 of the gold documents as JSON Lines (nkbench.io.documents_jsonl), all languages"}
    if language:
        report["language"] = language
    return report


def _only_stdin_once(*paths) -> None:
    if sum(str(p) == "-" for p in paths) > 1:
        raise click.BadParameter("standard input ('-') can be read only once", param_hint="A/B")


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
    f = click.option("--language", type=click.Choice(("es", "en")), default=None,
                     help="Score only the gold documents of this language (and the predictions for them).")(f)
    return f


@click.command(epilog="""\b
Example:
  $ nkbench score runs/spacy.jsonl --gold data/gold.jsonl --layer entities
  layer     metric   correct  incorr  partial  missed  spur      P      R  F1 / acc  95% CI          macro F1
  entities  strict        41       6        0       9     7  0.759  0.732     0.745  [0.661, 0.820]     0.702
  ...
  $ nkbench score runs/spacy.jsonl --gold data/gold.jsonl --format json --out report.json
Prediction format: benchmark/PREDICTIONS.md (JSON Schema: benchmark/prediction.schema.json).
\b
Breakdowns (--by type,language,document; the JSON report always holds them all):
  $ nkbench run --system rules --out rules.jsonl --quiet
  $ nkbench score rules.jsonl --layer entities --by language --resamples 200
  ...
  By language:
  layer     metric   language  correct  incorr  partial  missed  spur      P      R  F1 / acc          95% CI
  --------  -------  --------  -------  ------  -------  ------  ----  -----  -----  --------  --------------
  entities  strict   en             97       5        0       2     0  0.951  0.933     0.942  [0.897, 0.989]
  entities  strict   es            122      22        0      14     5  0.819  0.772     0.795  [0.737, 0.867]
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
def score(predictions: Path, gold_path: Path | None, layers, fmt: str, out: Path | None, unknown_labels: str,
          unit: str, seed: int, language: str | None, resamples: int, by: str | None) -> None:
    """Score a predictions file: entities (SemEval-2013 schemes, linking), events (TextEE),
    claims (spans, attribution, cue, stance, values, links), with 95% bootstrap intervals."""
    from ..scoring.harness import score as run
    from ..scoring.predictions import load_predictions
    from ..scoring.report import render

    from ..io import refuse_same

    from ..io import display_name

    sections = _by(by)
    refuse_same(out, *(p for p in (predictions, gold_path) if p is not None and str(p) != "-"))
    all_gold = _gold(gold_path)
    pred, _missing = load_predictions(predictions, all_gold, unknown_labels)
    gold = _in_language(all_gold, language)
    keep = {g.id for g in gold}
    report = run(gold, [d for d in pred if d.id in keep], layers or LAYER_CHOICES, unit=unit, resamples=resamples, seed=seed)
    report["predictions"] = display_name(predictions)
    _emit(render(_provenance(report, all_gold, gold_path, language), fmt, by=sections), out)


@click.command(epilog="""\b
Example:
  $ nkbench compare runs/spacy.jsonl runs/llm.jsonl --gold data/gold.jsonl --layer entities
  layer     metric   A      B      B - A   p
  entities  strict   0.745  0.801  0.056   0.0312
  ...
Two-sided paired approximate randomisation over gold sentences (or --unit document).
\b
Columns are named after the files; one of them may be '-' (standard input):
  $ nkbench run --system rules --out rules.jsonl --quiet
  $ nkbench run --system spacy --out spacy.jsonl --quiet
  $ nkbench compare spacy.jsonl rules.jsonl --layer entities --language es --resamples 1000
  layer     metric   spacy.jsonl  rules.jsonl  B - A       p
  --------  -------  -----------  -----------  -----  ------
  entities  strict         0.485        0.795  0.310  0.0010
  ...
""")
@click.argument("a", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.argument("b", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@_common
@click.option("--resamples", type=click.IntRange(1, MAX_RESAMPLES), default=10000, show_default=True,
              help=f"Randomisation rounds, 1..{MAX_RESAMPLES}.")
def compare(a: Path, b: Path, gold_path: Path | None, layers, fmt: str, out: Path | None, unknown_labels: str,
            unit: str, seed: int, language: str | None, resamples: int) -> None:
    """Compare two predictions files on the same gold: every headline figure, the difference
    B - A and a paired approximate randomisation p-value."""
    from ..scoring.harness import compare as run
    from ..scoring.predictions import load_predictions
    from ..scoring.report import render

    from ..io import refuse_same

    from ..io import display_name

    _only_stdin_once(a, b)
    refuse_same(out, *(p for p in (a, b, gold_path) if p is not None and str(p) != "-"))
    all_gold = _gold(gold_path)
    pa, _ = load_predictions(a, all_gold, unknown_labels)
    pb, _ = load_predictions(b, all_gold, unknown_labels)
    gold = _in_language(all_gold, language)
    keep = {g.id for g in gold}
    result = run(gold, [d for d in pa if d.id in keep], [d for d in pb if d.id in keep], layers or LAYER_CHOICES,
                 unit=unit, resamples=resamples, seed=seed)
    result.update(a=display_name(a), b=display_name(b))
    _emit(render(_provenance(result, all_gold, gold_path, language), fmt, compare=True), out)
