"""The package as users install it: a wheel in a fresh venv outside the checkout, with no extra (the
light install: no spaCy, no Label Studio SDK), run inside a copy of the project, gives the checkout's
results; outside any project it scores against the data as users have it (the dataset folder, the
Label Studio export), the dataset card's recipe works, and what needs a project says so in one line.
The installed size of the light install is measured (scripts/install-sizes measures every extra)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.project import PROJECT, copy_project

pytestmark = pytest.mark.wheel

#: The light install must stay well below what it was with spaCy and the Label Studio SDK (1.2 GB).
MAX_LIGHT_MB = 700


def _run(cmd, **kw):
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=1200, **kw)
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv's nkbench, a copy of the project) — the wheel built from this checkout, installed with
    its dependencies (no extra) from the package index into a venv of its own."""
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
    return venv / "bin" / "nkbench", copy_project(tmp / "project")


def _nk(nkbench, *args, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("NKBENCH_PROJECT", "PYTHONPATH")}
    return _run([nkbench, *args], cwd=cwd, env={**env, "HF_HUB_OFFLINE": "1"})


def test_installed_package_is_not_the_checkout(installed):
    nkbench, project = installed
    where = _run([nkbench.parent / "python", "-c", "import nkbench, pathlib; print(pathlib.Path(nkbench.__file__).parent)"],
                 cwd=project, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert "site-packages" in where.stdout and str(PROJECT.root) not in where.stdout


def _checkout_score_args(tmp_path):
    """The checkout's nkbench, and ``score`` arguments for the rules baseline's predictions it writes."""
    here = Path(sys.executable).parent / "nkbench"
    pred = tmp_path / "rules.jsonl"
    assert _nk(here, "run", "--system", "rules", "--out", pred, "--quiet", cwd=PROJECT.root).returncode == 0
    return here, ("score", pred, "--format", "json", "--resamples", "50")


def test_score_and_benchmark_from_the_wheel_equal_the_checkout(installed, tmp_path):
    nkbench, project = installed
    here, args = _checkout_score_args(tmp_path)
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


def _site_mb(venv: Path) -> float:
    [site] = (venv / "lib").glob("python3*/site-packages")
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def test_the_light_install_has_no_spacy_nor_label_studio(installed, tmp_path):
    nkbench, _ = installed
    venv = nkbench.parent.parent
    probe = _run([venv / "bin" / "python", "-c", "import importlib.util as u; "
                  "print([m for m in ('spacy', 'label_studio_sdk', 'seqeval', 'jsonschema', 'nltk', 'cv2', 'faker') "
                  "if u.find_spec(m)])"], cwd=tmp_path)
    assert probe.returncode == 0 and probe.stdout.strip() == "[]", probe.stdout + probe.stderr
    empty = tmp_path / "empty"
    assert _run([sys.executable, "-m", "venv", empty]).returncode == 0
    size = _site_mb(venv) - _site_mb(empty)
    print(f"\nlight install (nkbench wheel, no extra): {size:.1f} MB in site-packages")
    assert 0 < size < MAX_LIGHT_MB


def test_outside_a_project_the_gold_folder_and_the_export_score_as_the_checkout(installed, tmp_path):
    nkbench, project = installed
    here, args = _checkout_score_args(tmp_path)
    ours = _nk(here, *args, cwd=PROJECT.root)
    assert ours.returncode == 0, ours.stderr
    away = tmp_path / "away"  # no nkbench.toml here or above
    away.mkdir()
    gold = project / "data"  # the published dataset: its test split is the checkout's gold
    theirs = _nk(nkbench, *args, "--gold", gold, cwd=away)
    assert theirs.returncode == 0, theirs.stderr
    mine, yours = json.loads(theirs.stdout), json.loads(ours.stdout)
    # the same gold (its sha256 is compared) given another way: only where it came from differs
    assert mine["gold"].pop("source") == str(gold) and yours["gold"].pop("source") == "project"
    assert mine == yours, gold
    # the Label Studio export outside a project: no manifest says which task is a development article,
    # so it is taken whole (test and dev articles), as documented, and the missing ones are reported
    export = project / "annotation" / "gold_export.json"
    whole = _nk(nkbench, *args, "--gold", export, cwd=away)
    assert whole.returncode == 0, whole.stderr
    report = json.loads(whole.stdout)
    n_tasks = len(json.loads(export.read_text(encoding="utf-8")))
    assert report["gold"]["documents"] == n_tasks > yours["gold"]["documents"]
    assert len(report["documents"]["missing"]) == n_tasks - yours["gold"]["documents"]
    pred = args[1]
    table = ("score", pred, "--resamples", "50")
    assert _nk(nkbench, *table, "--gold", project / "data", cwd=away).stdout == _nk(here, *table, cwd=PROJECT.root).stdout
    done = _nk(nkbench, "score", pred, cwd=away)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "a Hugging Face dataset folder" in line and "Label Studio JSON export" in line and "JSON Lines" in line, line


def _card_recipe(card: Path) -> list[str]:
    """The commands of the card's "Scoring with nkbench" recipe (its bash block), comments removed."""
    text = card.read_text(encoding="utf-8")
    section = text[text.index("## Scoring with nkbench"):]
    block = section[section.index("```bash\n") + 8: section.index("\n```", section.index("```bash"))]
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def test_the_dataset_card_recipe_works_from_the_wheel(installed, tmp_path):
    nkbench, project = installed
    here = Path(sys.executable).parent / "nkbench"
    pred = tmp_path / "predictions.jsonl"
    assert _nk(here, "run", "--system", "rules", "--out", pred, "--quiet", cwd=PROJECT.root).returncode == 0
    local, hub = _card_recipe(project / "data" / "README.md")
    assert local == "nkbench score PREDICTIONS.jsonl --gold path/to/data", local
    assert hub == "nkbench score PREDICTIONS.jsonl --gold ORG/NAME", hub
    away = tmp_path / "away"
    away.mkdir()
    run = lambda cmd, gold: _nk(nkbench, *cmd.split()[1:-1], gold, "--resamples", "50", cwd=away)  # noqa: E731
    theirs = run(local.replace("PREDICTIONS.jsonl", str(pred)), project / "data")
    ours = _nk(here, "score", pred, "--resamples", "50", cwd=PROJECT.root)
    assert theirs.returncode == 0 and theirs.stdout == ours.stdout, theirs.stderr
    offline = run(hub.replace("PREDICTIONS.jsonl", str(pred)), "org/name")  # no Hub here: one clear line
    assert offline.returncode == 1 and "Traceback" not in offline.stderr
    [line] = offline.stderr.strip().splitlines()
    assert "Hugging Face Hub dataset 'org/name' could not be loaded" in line and "HF_HUB_OFFLINE" in line, line


def test_the_baselines_say_which_extra_they_need(installed, tmp_path):
    nkbench, project = installed
    for args in (("run", "--system", "spacy", "--out", tmp_path / "s.jsonl"), ("benchmark", "--out-dir", tmp_path / "r")):
        done = _nk(nkbench, *args, cwd=project)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        [line] = done.stderr.strip().splitlines()
        assert "needs spacy, which is not installed" in line and "nkbench[baselines]" in line, line
    assert not (tmp_path / "s.jsonl").exists() and not (tmp_path / "r").exists()
