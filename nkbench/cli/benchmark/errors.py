"""``nkbench errors``: every gold and predicted span judged, as TSV, JSON and a self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

import click

from ...core.errors import Errors, NkbenchError, did_you_mean

LAYER_CHOICES = ("entities", "events", "claims")
#: the files --out-dir holds (an existing folder may hold only these: it is then ours to update)
OUT_DIR_FILES = {"tsv": "errors.tsv", "json": "errors.json", "html": "errors.html"}


def _check_out_dir(out_dir: Path) -> None:
    import os

    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise NkbenchError("is not a folder" if out_dir.exists() else "is a dangling symlink", where=str(out_dir),
                           hint="give a new or empty folder as --out-dir", code=Errors.E805)
    if out_dir.is_dir():
        try:
            foreign = sorted(set(os.listdir(out_dir)) - set(OUT_DIR_FILES.values()))
        except OSError as err:
            raise NkbenchError(f"cannot read the folder ({err.strerror})", where=str(out_dir), code=Errors.E806) from None
        if foreign:
            raise NkbenchError(f"folder holds {foreign[0]!r}, which `nkbench errors` did not write; nothing is replaced there",
                               where=str(out_dir),
                               hint=f"give a new or empty folder (or one holding only {', '.join(OUT_DIR_FILES.values())})", code=Errors.E807)


@click.command(epilog="""\b
Example (the rules baseline on the project's gold):
  $ nkbench run --system rules --out rules.jsonl --quiet

\b
  $ nkbench errors rules.jsonl --out-dir rules-errors
  layer     metric        correct  type  boundary  boundary+type  missed  spurious      P      R     F1
  entities  strict            230    17         7              4       5         5  0.875  0.875  0.875
  events    trigger_cls        58     2         0              0      48         8  0.853  0.537  0.659
  claims    claim_strict       36     0        16              0      24         5  0.632  0.474  0.541
  wrote rules-errors/errors.tsv, rules-errors/errors.json, rules-errors/errors.html

Outcomes are the scorer's: entities by its strict matching, events (trigger_cls) and claims
(claim_strict) by its exact keys; a type or boundary error pairs a missed and a spurious span
that overlap, so P/R/F1 here are `nkbench score`'s strict figures. Open errors.html in any
browser (no server, no network): filter by layer, type and outcome. TSV text cells escape
backslash, tab, newline and CR as \\\\, \\t, \\n, \\r.
""")
@click.argument("predictions", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--gold", "gold_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Gold documents, JSON Lines with text (default: the project's gold, as `nkbench score` uses).")
@click.option("--split", type=click.Choice(("test", "dev")), default="test", show_default=True,
              help="The gold's articles (as `nkbench score`): test, or dev (the development articles).")
@click.option("--layer", "layers", multiple=True, metavar="LAYER",
              help=f"Layer to report (repeatable; default: all): {', '.join(LAYER_CHOICES)}.")
@click.option("--unknown-labels", type=click.Choice(("error", "spurious")), default="error", show_default=True,
              help="An unknown label is an error, or is kept and counted as spurious (as `nkbench score`).")
@click.option("--out-dir", type=click.Path(path_type=Path), default=None,
              help="Write errors.tsv, errors.json and errors.html here (a new or empty folder, or one holding only these).")
@click.option("--tsv", "tsv_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the per-span TSV here.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the per-span JSON here.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the HTML report here.")
def errors(predictions: Path, gold_path: Path | None, split: str, layers: tuple[str, ...], unknown_labels: str, out_dir: Path | None,
           tsv_path: Path | None, json_path: Path | None, html_path: Path | None) -> None:
    """Error analysis: every gold and predicted span as correct, type, boundary, boundary+type,
    missed or spurious (the scorer's own matching), with counts per layer; optionally a per-span
    TSV/JSON and an HTML page showing each document with its spans highlighted by outcome."""
    import os

    from ...benchmark.errors_report import summary_table, to_html, to_json, to_tsv
    from ...core.io import atomic_write_many, output_target, refuse_same
    from ...benchmark.scoring.outcomes import span_outcomes
    from ...benchmark.scoring.predictions import load_predictions
    from .score import _gold

    for layer in layers:
        if layer not in LAYER_CHOICES:
            raise NkbenchError(f"unknown layer {layer!r}", where="--layer", hint=did_you_mean(layer, LAYER_CHOICES), code=Errors.E808)
    layers = tuple(x for x in LAYER_CHOICES if x in layers) or LAYER_CHOICES
    targets: dict[str, Path] = {}
    if out_dir is not None:
        if tsv_path or json_path or html_path:
            raise NkbenchError("give --out-dir or --tsv/--json/--html, not both", where="--out-dir",
                               hint="--out-dir writes all three files", code=Errors.E809)
        refuse_same(out_dir, predictions, gold_path, what="--out-dir")
        if Path(os.path.realpath(predictions)).parent == Path(os.path.realpath(out_dir)):
            raise NkbenchError(f"--out-dir {out_dir} holds the input {predictions}", where=str(out_dir),
                               hint="give a new or empty folder as --out-dir", code=Errors.E810)
        _check_out_dir(out_dir)
        targets = {k: out_dir / name for k, name in OUT_DIR_FILES.items()}
    else:
        targets = {k: p for k, p in (("tsv", tsv_path), ("json", json_path), ("html", html_path)) if p is not None}
    seen: dict[str, str] = {}
    for kind, path in targets.items():
        refuse_same(path, predictions, gold_path, what=f"--{kind}" if out_dir is None else "--out-dir")
        real = os.path.realpath(path)
        if real in seen:
            raise NkbenchError(f"--{kind} and --{seen[real]} are the same file", where=str(path), hint="give each output its own path", code=Errors.E811)
        seen[real] = kind
        output_target(path)
    gold = _gold(gold_path, split)
    pred, missing = load_predictions(predictions, gold, unknown_labels)
    rows = span_outcomes(gold, pred, layers)
    meta = {"predictions": str(predictions), "gold": str(gold_path) if gold_path else "the project's gold",
            "layers": list(layers)}
    render = {"tsv": lambda: to_tsv(rows), "json": lambda: to_json(rows, meta), "html": lambda: to_html(gold, rows, meta, layers)}
    files = {path: render[kind]().encode("utf-8") for kind, path in targets.items()}
    click.echo(summary_table(rows, layers), nl=False)
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        click.echo(f"note: {len(missing)} gold document(s) not in {predictions}, judged as empty (all missed): {shown}", err=True)
    if files:
        atomic_write_many(files)
        click.echo(f"wrote {', '.join(str(p) for p in files)}", err=True)
