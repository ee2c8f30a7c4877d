"""``nkbench seeds``: check the verbatim articles against their manifest; ``seeds add`` adds articles."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import current_project


def _seeds_dir(given: Path | None) -> Path:
    return given if given is not None else current_project().seeds_dir


@click.group(invoke_without_command=True, epilog="""\b
Examples:
  $ nkbench seeds
  000_112b86200dab1a20  test  es   2479 chars  2023-09-20 (inferred)
  ...
  12 seeds (4 test, 8 dev), all match their sha256
  $ nkbench seeds --json
  [
    {
      "id": "000_112b86200dab1a20",
  ...
""")
@click.option("--dir", "seeds_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder with the seed .txt files and manifest.json [default: the project's seeds/].")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest records as JSON.")
@click.pass_context
def seeds(ctx: click.Context, seeds_dir: Path | None, as_json: bool) -> None:
    """Verify every seed's hash and length against the manifest and list the articles."""
    if ctx.invoked_subcommand is not None:
        return
    from ...annotation.seeds import SPLITS, detect_language, load_seeds

    loaded = load_seeds(_seeds_dir(seeds_dir))
    rows = [{"id": s.id, "language": s.language, "detected": detect_language(s.text), "length": s.length,
             "date": s.date, "date_basis": s.date_basis, "outlet": s.outlet, "split": s.split} for s in loaded.values()]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        when = f"{r['date']} ({r['date_basis']})" if r["date"] else "date unknown"
        click.echo(f"{r['id']}  {r['split']:<4}  {r['language']}  {r['length']:>5} chars  {when}")
    per_split = ", ".join(f"{n} {s}" for s in SPLITS if (n := sum(r["split"] == s for r in rows)))
    click.echo(f"{len(rows)} seeds ({per_split}), all match their sha256" if len({r["split"] for r in rows}) > 1
               else f"{len(rows)} seeds, all match their sha256")


@seeds.command(epilog="""\b
Example (an article saved as UTF-8 text, copied byte for byte into seeds/):
  $ printf 'Talks between Armenia and Azerbaijan resumed on Monday in Brussels, officials said.\\n' > article.txt
  $ nkbench seeds add article.txt --language en --date 2023-09-21 --date-basis stated
  added 012_b7a76d836bb079f3  test  en  84 chars  <- article.txt
  next: pre-annotate and push it (annotation/README.md, "Adding an article")
\b
A development article (written by the team, for tuning systems; never scored as test):
  $ printf 'Officials in Yerevan said on Tuesday that the border talks would continue next week.\\n' > dev_article.txt
  $ nkbench seeds add dev_article.txt --language en --split dev
  added 013_cde788144ab979dd  dev   en  85 chars  <- dev_article.txt
  next: pre-annotate and push it (annotation/README.md, "Adding an article")
\b
The id is NNN_HHHHHHHHHHHHHHHH: the next serial number and the first 16 hex digits of the
file's sha256. Nothing is written when any file is refused (not UTF-8, empty, a BOM, the same
text as a seed, not in the given language).
""")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--language", required=True, help="The articles' language: es or en.")
@click.option("--date", default=None, metavar="YYYY-MM-DD", help="The date the article reports on.")
@click.option("--date-basis", type=click.Choice(["stated", "inferred"]), default=None,
              help="stated: written in the text; inferred: from the events it reports (needed with --date).")
@click.option("--date-note", default=None, help="How the date was established.")
@click.option("--outlet", default=None, help="The publisher, when known.")
@click.option("--split", default="test", show_default=True, metavar="test|dev",
              help="test: a news article of the benchmark; dev: a development article (the dataset's dev configuration).")
@click.pass_context
def add(ctx: click.Context, files: tuple[Path, ...], language: str, date: str | None, date_basis: str | None,
        date_note: str | None, outlet: str | None, split: str) -> None:
    """Copy articles into seeds/ byte for byte and add their manifest records."""
    from ...annotation.seeds import add_seeds, plan_additions

    seeds_dir = _seeds_dir(ctx.parent.params.get("seeds_dir"))
    planned = plan_additions(seeds_dir, files, language, date=date, date_basis=date_basis,
                             date_note=date_note, outlet=outlet, split=split)
    add_seeds(seeds_dir, planned)
    for p in planned:
        click.echo(f"added {p.record['id']}  {split:<4}  {language}  {p.record['length']} chars  <- {p.source}")
    click.echo('next: pre-annotate and push it (annotation/README.md, "Adding an article")')
