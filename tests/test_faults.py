"""Fault tests: a writer killed (SIGKILL) at several points, and concurrent writers to one output,
leave the old or the new complete output. The kill is deterministic: a subprocess replaces one
function (``os.fsync``, ``os.replace``, the directory exchange, ``shutil.rmtree``) by one that
kills the process at its N-th call.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .dataset_fixture import CLI_ARGS

HERE = Path(__file__).parent
ROOT = HERE.parent
PRED_DIR = HERE / "golden" / "predictions"
EXPORT = HERE / "golden" / "labelstudio" / "export.json"

KILLER = """
import importlib, os, signal, sys
where, n = os.environ["KILL_FN"], int(os.environ["KILL_AT"])
module_name, attr = where.split(":")
module = importlib.import_module(module_name)
real, calls = getattr(module, attr), [0]
after = os.environ.get("KILL_WHEN") == "after"
def hook(*args, **kwargs):
    calls[0] += 1
    if calls[0] == n and not after:
        os.kill(os.getpid(), signal.SIGKILL)
    result = real(*args, **kwargs)
    if calls[0] == n:
        os.kill(os.getpid(), signal.SIGKILL)
    return result
setattr(module, attr, hook)
from nkbench.cli import main
main(sys.argv[1:], prog_name="nkbench")
"""


def nkbench(args, kill: tuple | None = None, **popen):
    """Run the CLI in a subprocess; ``kill=(module:function, n[, "after"])`` kills it at that call."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NKBENCH_CRASH_DIR": "/nonexistent-crash-dir"}
    if kill:
        env.update(KILL_FN=kill[0], KILL_AT=str(kill[1]), KILL_WHEN=kill[2] if len(kill) > 2 else "before")
    return subprocess.Popen([sys.executable, "-c", KILLER if kill else "from nkbench.cli import main; main(prog_name='nkbench')",
                             *map(str, args)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


def finish(proc, timeout=300):
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, (out + err).decode("utf-8", "replace")


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# -- one file: score --out -------------------------------------------------------------------------


@pytest.mark.parametrize("kill", [("os:fsync", 1), ("os:replace", 1)], ids=["before the data is on disk", "before the rename"])
def test_score_out_killed_keeps_the_old_report(tmp_path, kill):
    out = tmp_path / "report.json"
    out.write_text("old report\n", encoding="utf-8")
    args = ["score", PRED_DIR / "predictions.jsonl", "--gold", PRED_DIR / "gold.jsonl", "--resamples", "0",
            "--format", "json", "--out", out]
    code, _ = finish(nkbench(args, kill))
    assert code == -signal.SIGKILL
    assert out.read_text(encoding="utf-8") == "old report\n"
    # a kill may leave its hidden temporary file (never the output itself); nothing else
    assert all(p.name == "report.json" or (p.name.startswith(".report.json.") and p.name.endswith(".tmp"))
               for p in tmp_path.iterdir())
    code, output = finish(nkbench(args))
    assert code == 0, output
    assert json.loads(out.read_text(encoding="utf-8"))["predictions"].endswith("predictions.jsonl")


# -- a folder: data build --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """The fixture dataset built once (old) and with one input changed (new), as snapshots."""
    base = tmp_path_factory.mktemp("builds")
    old_dir, new_dir = base / "old", base / "new"
    code, output = finish(nkbench(["data", "build", *CLI_ARGS, "--out", old_dir]))
    assert code == 0, output
    links = json.loads(Path(CLI_ARGS[CLI_ARGS.index("--links") + 1]).read_text(encoding="utf-8"))
    first = sorted(links)[0]
    links[first]["description"] += " (changed)"
    changed = base / "links.json"
    changed.write_text(json.dumps(links), encoding="utf-8")
    new_args = [*CLI_ARGS[:CLI_ARGS.index("--links") + 1], *CLI_ARGS[CLI_ARGS.index("--links") + 2:]]
    new_args[new_args.index("--links") + 1:new_args.index("--links") + 1] = [str(changed)]
    code, output = finish(nkbench(["data", "build", *new_args, "--out", new_dir]))
    assert code == 0, output
    assert snapshot(old_dir) != snapshot(new_dir)
    return old_dir, snapshot(old_dir), new_args, snapshot(new_dir)


@pytest.mark.parametrize("kill, expect", [(("os:fsync", 1), "old"), (("os:fsync", 4), "old"),
                                          (("nkbench.dataset.build:_exchange", 1), "old"),
                                          (("nkbench.dataset.build:_exchange", 1, "after"), "new")],
                         ids=["first file", "fourth file", "before the swap", "after the swap"])
def test_data_build_killed_leaves_old_or_new(tmp_path, two_builds, kill, expect):
    import shutil

    old_dir, old, new_args, new = two_builds
    out = tmp_path / "data"
    shutil.copytree(old_dir, out)
    code, output = finish(nkbench(["data", "build", *new_args, "--out", out], kill))
    assert code == -signal.SIGKILL, output
    assert snapshot(out) == {"old": old, "new": new}[expect]
    # what else may be left: only the hidden temporary folder of the killed build
    assert all(p.name == "data" or p.name.startswith(".data.new-") for p in tmp_path.iterdir())
    code, output = finish(nkbench(["data", "build", *new_args, "--out", out]))  # the next build is not blocked
    assert code == 0, output
    assert snapshot(out) == new


def test_concurrent_builds_into_one_folder(tmp_path, two_builds):
    import shutil

    old_dir, old, new_args, new = two_builds
    out = tmp_path / "data"
    shutil.copytree(old_dir, out)
    procs = [nkbench(["data", "build", *new_args, "--out", out]), nkbench(["data", "build", *CLI_ARGS, "--out", out])]
    results = [finish(p) for p in procs]
    assert all(code == 0 for code, _ in results), results
    assert snapshot(out) in (old, new)
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # no .data.old-*/.data.new-* left


# -- several files: annotate convert --passes-out ----------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3])
def test_convert_killed_leaves_each_file_old_or_new(tmp_path, n):
    """Each file is the old or the new one; the set of files is all-or-nothing only for errors
    (rolled back), not for a kill between two renames."""
    gold, passes = tmp_path / "gold.jsonl", tmp_path / "passes"
    args = ["annotate", "convert", EXPORT, "--out", gold, "--passes-out", passes]
    code, output = finish(nkbench(args))
    assert code == 0, output
    new = {p.name: p.read_bytes() for p in [gold, *passes.iterdir()]}
    for path in [gold, *passes.iterdir()]:
        path.write_bytes(b"old\n")
    code, _ = finish(nkbench(args, ("os:replace", n)))
    assert code == -signal.SIGKILL
    for path in [gold, *passes.iterdir()]:
        if path.name.endswith(".jsonl"):
            assert path.read_bytes() in (b"old\n", new[path.name])


def test_concurrent_writers_to_one_file(tmp_path):
    """Two `score --out` to one file at once: the file is one of the two complete reports."""
    def args(fmt, out):
        return ["score", PRED_DIR / "predictions.jsonl", "--gold", PRED_DIR / "gold.jsonl", "--resamples", "0",
                "--format", fmt, "--out", out]

    expected = set()
    for fmt in ("json", "markdown"):
        code, output = finish(nkbench(args(fmt, tmp_path / f"alone.{fmt}")))
        assert code == 0, output
        expected.add((tmp_path / f"alone.{fmt}").read_text(encoding="utf-8"))
    out = tmp_path / "shared" / "report.txt"
    results = [finish(p) for p in [nkbench(args("json", out)), nkbench(args("markdown", out))]]
    assert all(code == 0 for code, _ in results), results
    assert out.read_text(encoding="utf-8") in expected and len(expected) == 2
    assert [p.name for p in out.parent.iterdir()] == ["report.txt"]
