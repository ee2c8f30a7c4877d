"""``nkbench seeds``: check the verbatim articles against their manifest."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..seeds import SEEDS_DIR, detect_language, load_seeds


@click.command(epilog="""\b
Example:
  $ nkbench seeds --json
  [{"id": "000_112b86200dab1a20", "language": "es", "length": 2479, ...}]
""")
@click.option("--dir", "seeds_dir", type=click.Path(path_type=Path), default=SEEDS_DIR, show_default=True,
              help="Folder with the seed .txt files and manifest.json.")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest records as JSON.")
def seeds(seeds_dir: Path, as_json: bool) -> None:
    """Verify every seed's hash and length against the manifest and list the articles."""
    loaded = load_seeds(seeds_dir)
    rows = [{"id": s.id, "language": s.language, "detected": detect_language(s.text), "length": s.length,
             "date": s.date, "date_basis": s.date_basis, "outlet": s.outlet} for s in loaded.values()]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(f"{r['id']}  {r['language']}  {r['length']:>5} chars  {r['date']} ({r['date_basis']})")
    click.echo(f"{len(rows)} seeds, all match their sha256")
