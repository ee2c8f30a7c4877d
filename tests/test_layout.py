"""The package reads as the pipeline: stage packages (core, annotation, dataset, benchmark) with the
CLI mirroring them; no library module imports the CLI; no module is a side entry point
(``python -m``): regenerating anything is a command (``nkbench regen``)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "nkbench"
STAGES = ("core", "annotation", "dataset", "benchmark")


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" not in path.parts:
            yield path.relative_to(ROOT), ast.parse(path.read_text(encoding="utf-8"))


def imported(path: Path, tree: ast.AST) -> set[str]:
    """Absolute names of the nkbench modules ``path`` imports (module level and in functions)."""
    package = list(path.with_suffix("").parts[:-1]) if path.name != "__init__.py" else list(path.parent.parts)
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = (package[: len(package) - node.level + 1] if node.level else [])
            module = ".".join(base + ([node.module] if node.module else []))
            out.add(module)
            out.update(f"{module}.{a.name}" for a in node.names)
    return {m for m in out if m == "nkbench" or m.startswith("nkbench.")}


def test_no_library_module_imports_the_cli():
    offenders = {str(path): sorted(m for m in imported(path, tree) if m == "nkbench.cli" or m.startswith("nkbench.cli."))
                 for path, tree in modules() if path.parts[1] not in ("cli", "__main__.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_side_entry_points():
    def is_main_guard(node):
        return (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
                and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__")

    assert [str(path) for path, tree in modules() if any(is_main_guard(n) for n in tree.body)] == []


def test_modules_live_in_their_stage_and_the_cli_mirrors_the_stages():
    top = sorted(p.name for p in PACKAGE.iterdir() if p.name != "__pycache__" and not p.name.endswith(".egg-info"))
    assert top == sorted(["__init__.py", "__main__.py", "cli", "docs.py", "regen.py", *STAGES])
    cli = sorted(p.stem for p in (PACKAGE / "cli").iterdir() if p.name not in ("__pycache__", "__init__.py"))
    assert cli == sorted(["annotation", "benchmark", "dataset", "docs", "regen"])
