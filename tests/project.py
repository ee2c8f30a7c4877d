"""The project the tests run against: this checkout, found the way the CLI finds it."""

from pathlib import Path

from nkbench.core.project import Project
from nkbench.annotation.seeds import load_seeds

PROJECT = Project.find(start=Path(__file__).resolve().parent)


def seeds():
    """The checkout's verified seeds, in manifest order."""
    return load_seeds(PROJECT.seeds_dir)


def gold(split: str = "test"):
    """The checkout's gold documents of ``split`` (test: the benchmark's articles; dev: the
    development articles), from its gold export, in seed order."""
    from nkbench.annotation.gold import load_gold, of_split

    return of_split(load_gold(PROJECT.gold_export, seeds()), seeds(), split)


#: What a copy of the project holds (everything a user of the project has; no venvs, no server data).
COPIED = ("nkbench.toml", "README.md", "DATASHEET.md", "seeds", "annotation", "data", "benchmark")


def copy_project(dest: Path) -> Path:
    """A copy of this project at ``dest`` (its files only: no Label Studio data, no caches)."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("label-studio-data", "__pycache__", "export.json")
    for name in COPIED:
        src = PROJECT.root / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        else:
            shutil.copy2(src, dest / name)
    return dest


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root`` (to assert that a command changed nothing)."""
    import hashlib

    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}
