"""Every generated file of a project, regenerated (or checked) in dependency order: ``nkbench regen``.

The steps, each a function of the project's committed inputs (seeds, gold export, inventories,
reasons, schema) and of the steps before it:

1. ``annotation/labeling_config.xml`` (``annotation.labelstudio.config``: schema + inventories)
2. ``benchmark/prediction.schema.json`` (``benchmark.scoring.jsonschema``: schema)
3. ``annotation/adjudication.json`` (``annotation.adjudication``: gold export + reasons)
3b. ``benchmark/llm/prompts/<version>/examples.json`` of every prompt version with an
   ``examples.spec.json`` (``benchmark.systems.llm_examples``: the spec + the development gold)
4. ``data/`` (``dataset.build``: seeds + gold export + inventories), the whole folder at once
5. ``benchmark/results/<baseline>.json`` (``benchmark.leaderboard``: every baseline on ``data/``)
6. the generated blocks of ``README.md`` and ``DATASHEET.md`` (``docs``: reads 3, 4 and 5)

A file is rewritten only when its bytes would change. With ``check`` nothing is written and every
stale file is reported; a step that reads a stale file of an earlier step (the results read
``data/``) is then not checked, and said so, since what it would be checked against is not known
yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

CURRENT, WRITTEN, STALE, UNCHECKED = "current", "written", "stale", "not checked"


@dataclass(frozen=True)
class Status:
    """One generated file (or folder): its path relative to the project and its state."""

    path: str
    state: str  #: CURRENT, WRITTEN (rewritten now), STALE (check) or UNCHECKED (check, an input is stale)
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.state}" + (f" ({self.detail})" if self.detail else "")


def _config(project, check: bool, stale: set[str]) -> Iterator[Status]:
    from .annotation.labelstudio.config import regenerate

    current = regenerate(project, check=check)
    yield Status(project.relative(project.labeling_config), CURRENT if current else STALE if check else WRITTEN)


def _schema(project, check: bool, stale: set[str]) -> Iterator[Status]:
    from .benchmark.scoring.jsonschema import regenerate

    current = regenerate(project, check=check)
    yield Status(project.relative(project.prediction_schema), CURRENT if current else STALE if check else WRITTEN)


def _adjudication(project, check: bool, stale: set[str]) -> Iterator[Status]:
    from .annotation.adjudication import regenerate

    _, current = regenerate(project, check=check)
    yield Status(project.relative(project.adjudication), CURRENT if current else STALE if check else WRITTEN)


def _prompt_examples(project, check: bool, stale: set[str]) -> Iterator[Status]:
    from .benchmark.systems.llm_examples import dev_gold, prompt_dirs, regenerate

    folders = prompt_dirs(project)
    if not folders:
        return
    gold, splits = dev_gold(project)
    for folder in folders:
        current = regenerate(folder, gold, splits, check=check)
        yield Status(project.relative(folder / "examples.json"), CURRENT if current else STALE if check else WRITTEN)


def _data(project, check: bool, stale: set[str]) -> Iterator[Status]:
    from .dataset.build import check as check_files, load_inputs, render, write

    inputs = load_inputs(project.seeds_dir, project.gold_export, default_entities=project.entities,
                         default_links=project.links, project=project)
    files = render(inputs)
    diffs = check_files(files, project.data_dir)
    where = project.relative(project.data_dir) + "/"
    if not diffs:
        yield Status(where, CURRENT, f"{len(files)} files")
        return
    if not check:
        write(files, project.data_dir)
    yield Status(where, STALE if check else WRITTEN,
                 f"{len(diffs)} difference(s), first: {diffs[0].replace(f'{project.root}/', '')}" if check else f"{len(files)} files")


def _results(project, check: bool, stale: set[str]) -> Iterator[Status]:
    from .benchmark.leaderboard import BASELINES, benchmark, result_text
    from .core.io import atomic_write_text

    from .benchmark.leaderboard import DEV_DIR, has_dev

    paths = {("test", name): project.results_dir / f"{name}.json" for name in BASELINES}
    if has_dev(project.data_dir):
        paths.update({("dev", name): project.results_dir / DEV_DIR / f"{name}.json" for name in BASELINES})
    data = project.relative(project.data_dir) + "/"
    if check and data in stale:
        for path in paths.values():
            yield Status(project.relative(path), UNCHECKED, f"{data} is stale")
        return
    results, dev_results, _ = benchmark(project, write=False)
    for (split, name), path in paths.items():
        text = result_text((results if split == "test" else dev_results)[name])
        current = path.is_file() and path.read_text(encoding="utf-8") == text
        if not check and not current:
            atomic_write_text(path, text)
        yield Status(project.relative(path), CURRENT if current else STALE if check else WRITTEN)


def _docs(project, check: bool, stale: set[str]) -> Iterator[Status]:
    from .docs import update

    blocks = update(project, check=check)
    for path in project.documents:
        if not path.exists():
            continue
        mine = [b.split(": ", 1)[1] for b in blocks if b.split(": ", 1)[0] == path.name]
        yield Status(project.relative(path), (STALE if check else WRITTEN) if mine else CURRENT,
                     f"generated blocks: {', '.join(mine)}" if mine else "")


#: (what, step) in dependency order.
STEPS: tuple[tuple[str, Callable[..., Iterator[Status]]], ...] = (
    ("labeling config", _config),
    ("prediction JSON Schema", _schema),
    ("adjudication record", _adjudication),
    ("llm prompt examples", _prompt_examples),
    ("dataset", _data),
    ("benchmark results", _results),
    ("generated blocks of the prose", _docs),
)


def regen(project, *, check: bool = False, report: Callable[[Status], None] = lambda status: None) -> list[Status]:
    """Regenerate (or with ``check``, only compare) every generated file of ``project``, in the
    order of ``STEPS``; ``report`` is called with each file's status as soon as it is known. Returns
    every status."""
    out: list[Status] = []
    stale: set[str] = set()
    for _, step in STEPS:
        for status in step(project, check, stale):
            if status.state == STALE:
                stale.add(status.path)
            out.append(status)
            report(status)
    return out
