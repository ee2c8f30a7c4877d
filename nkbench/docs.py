"""Generated blocks in the project's prose (README.md, DATASHEET.md).

A block is the text between ``<!-- nkbench:NAME -->`` and ``<!-- /nkbench:NAME -->``; its content
is produced by a generator (a function returning Markdown) from the committed data, never typed
by hand. ``nkbench docs`` rewrites the blocks; ``nkbench docs --check`` (run by the tests) fails
naming every stale block, so no figure in the prose can drift from what the commands produce.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping

from .core.errors import Errors, NkbenchError


# block name -> "module:function(project)" returning Markdown (imported only when the block is used)
GENERATORS: dict[str, str] = {
    "stats": "nkbench.dataset.stats:markdown_block",
    "stats-summary": "nkbench.dataset.stats:summary_block",
    "agreement": "nkbench.annotation.agreement:markdown_block",
    "agreement-dev": "nkbench.annotation.agreement:markdown_block_dev",
    "adjudication": "nkbench.annotation.adjudication:markdown_block",
    "adjudication-dev": "nkbench.annotation.adjudication:markdown_block_dev",
    "leaderboard": "nkbench.benchmark.leaderboard:markdown_block",
    "gold-diff": "nkbench.annotation.golddiff:markdown_block",
}

_BLOCK = re.compile(r"(<!-- nkbench:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /nkbench:(?P=name) -->)", re.S)


def _resolve(name: str) -> Callable[..., str]:
    target = GENERATORS.get(name)
    if target is None:
        raise NkbenchError(f"unknown generated block {name!r}", hint=f"known: {', '.join(sorted(GENERATORS))}", code=Errors.E046)
    module, func = target.split(":")
    return getattr(importlib.import_module(module), func)


def render(text: str, generate: Callable[[str], str], where: str = "") -> str:
    """``text`` with every block's body replaced by ``generate(name)``."""
    def body(m: re.Match) -> str:
        content = generate(m.group("name")).rstrip("\n") + "\n"
        return f"{m.group(1)}{content}{m.group(4)}"

    return _BLOCK.sub(body, text)


def stale_blocks(text: str, generate: Callable[[str], str]) -> list[str]:
    """Names of the blocks whose body differs from what the generator makes now."""
    return [m.group("name") for m in _BLOCK.finditer(text)
            if m.group("body") != generate(m.group("name")).rstrip("\n") + "\n"]


def cached_generator(project, generators: Mapping[str, Callable[..., str]] | None = None) -> Callable[[str], str]:
    """A generate(name) that calls each generator once, on ``project`` (documents share blocks)."""
    cache: dict[str, str] = {}

    def generate(name: str) -> str:
        if name not in cache:
            fn = generators[name] if generators is not None else _resolve(name)
            cache[name] = fn(project)
        return cache[name]

    return generate


def update(project, check: bool = False, generate: Callable[[str], str] | None = None) -> list[str]:
    """Rewrite (or with ``check``, only compare) the blocks of the project's documents; returns
    "file: block" for each stale block (after an update: those that were rewritten)."""
    from .core.io import atomic_write_text

    generate = generate or cached_generator(project)
    changed = []
    for path in project.documents:
        name = path.name
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        stale = stale_blocks(text, generate)
        changed += [f"{name}: {b}" for b in stale]
        if stale and not check:
            atomic_write_text(path, render(text, generate))
    return changed
