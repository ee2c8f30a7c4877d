"""``nkbench docs``: regenerate (or check) the generated figures in README.md and DATASHEET.md."""

from __future__ import annotations

import click


@click.command(epilog="""\b
Example:
  $ nkbench docs --check
  all generated blocks are current
  $ nkbench docs
  all generated blocks are current
""")
@click.option("--check", is_flag=True, help="Only compare; exit 1 naming every stale block.")
def docs(check: bool) -> None:
    """Regenerate the figures in README.md and DATASHEET.md from the commands that produce them."""
    from ..docs import update
    from . import current_project

    stale = update(current_project(), check=check)
    if check and stale:
        for s in stale:
            click.echo(f"{s} is stale; run `nkbench docs` to regenerate it", err=True)
        raise SystemExit(1)
    click.echo("\n".join(f"rewrote {s}" for s in stale) if stale else "all generated blocks are current")
