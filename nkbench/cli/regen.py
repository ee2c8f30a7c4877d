"""``nkbench regen``: regenerate (or check) every generated file of the project, in order."""

from __future__ import annotations

import click


@click.command(epilog="""\b
Examples:
  $ nkbench regen --check
  annotation/labeling_config.xml: current
  benchmark/prediction.schema.json: current
  annotation/adjudication.json: current
  benchmark/llm/prompts/v2/examples.json: current
  data/: current (8 files)
  benchmark/results/rules.json: current
  benchmark/results/spacy.json: current
  benchmark/results/capitalised.json: current
  benchmark/results/dev/rules.json: current
  benchmark/results/dev/spacy.json: current
  benchmark/results/dev/capitalised.json: current
  README.md: current
  DATASHEET.md: current
  $ printf '\\n' >> benchmark/prediction.schema.json
  $ nkbench regen --check
  Error: 1 stale file(s); run `nkbench regen` to regenerate them:
    - benchmark/prediction.schema.json: stale
  $ nkbench regen
  annotation/labeling_config.xml: current
  benchmark/prediction.schema.json: written
  ...
  DATASHEET.md: current
""")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 naming every stale file (and every file not checked because it is made from one).")
def regen(check: bool) -> None:
    """Regenerate every generated file, in dependency order: the labeling config, the prediction
    JSON Schema, the adjudication record, the llm prompts' few-shot examples, data/, the benchmark
    results (test and dev) and the generated blocks of README.md and DATASHEET.md. Each is rewritten only when its bytes would change."""
    from ..core.errors import Errors, NkbenchError
    from ..regen import CURRENT, STALE, regen as run
    from . import current_project

    if not check:  # each file said as soon as it is written
        run(current_project(), report=lambda status: click.echo(str(status)))
        return
    statuses = run(current_project(), check=True)
    stale = [s for s in statuses if s.state == STALE]
    if stale:
        shown = "".join(f"\n  - {s}" for s in statuses if s.state != CURRENT)
        raise NkbenchError(f"{len(stale)} stale file(s); run `nkbench regen` to regenerate them:{shown}", code=Errors.E833)
    click.echo("\n".join(map(str, statuses)))
