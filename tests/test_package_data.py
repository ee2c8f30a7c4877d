"""Package data: every file under nkbench/ that is not a Python module is declared in pyproject's
``[tool.setuptools.package-data]`` (so a wheel has it), and the wheel built from the checkout holds
exactly the package's files."""

from __future__ import annotations

import fnmatch
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "nkbench"


def package_files() -> list[str]:
    """The package's own files (as the wheel names them), caches and build leftovers left out."""
    return sorted(p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"))


def declared(path: str, package_data: dict[str, list[str]]) -> bool:
    """Whether setuptools' package-data ``{package: [glob relative to its folder]}`` includes ``path``."""
    for package, patterns in package_data.items():
        folder = package.replace(".", "/") + "/"
        if path.startswith(folder) and any(fnmatch.fnmatch(path[len(folder):], pat) for pat in patterns):
            return True
    return False


def test_every_data_file_of_the_package_is_declared():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    data = [p for p in package_files() if not p.endswith(".py")]
    assert [p for p in data if not declared(p, package_data)] == []
    # and a declared pattern matches no module (package data are not code)
    assert [p for p in package_files() if p.endswith(".py") and declared(p, package_data)] == []


@pytest.mark.wheel
def test_the_wheel_holds_exactly_the_package_files(tmp_path):
    import shutil

    src = tmp_path / "src"  # a clean copy: a build/ folder left in the checkout would be reused
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(PACKAGE, src / "nkbench", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                            "-w", str(tmp_path / "dist"), str(src)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = (tmp_path / "dist").glob("nkbench-*.whl")
    names = sorted(n for n in zipfile.ZipFile(wheel).namelist() if n.startswith("nkbench/"))
    assert names == package_files()
