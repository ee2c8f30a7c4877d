"""`nkbench regen` on bad input (the bad-input suite's verdict: exit status, one clear message, no
traceback, nothing changed that the command did not mean to write), and what it rewrites."""

from __future__ import annotations

import pytest

from .project import copy_project, tree_digest
from .test_bad_input import assert_clean_outcome, crash_dir, invoke, tree_hash  # noqa: F401 (crash_dir: autouse)

KEY = "secret-token-123"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """One copy of the project; each case copies it again (cheap) so cases do not see each other."""
    return copy_project(tmp_path_factory.mktemp("regen") / "project")


def fresh(project, tmp_path):
    import shutil

    dest = tmp_path / "project"
    shutil.copytree(project, dest, symlinks=True)
    return dest


def append(path, text="\n"):
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def break_json(path):
    path.write_text("{not json", encoding="utf-8")


CASES = [
    # (case, setup(project) -> extra args, args, exit code, message parts)
    ("not a project (--project)", lambda p: p / "nkbench.toml", None, ["regen", "--check"], 1,
     ["not an nkbench project (no nkbench.toml in it)"]),
    ("a stale file with --check", lambda p: append(p / "annotation" / "labeling_config.xml"), None, ["regen", "--check"], 1,
     ["Error: 1 stale file(s); run `nkbench regen` to regenerate them:", "- annotation/labeling_config.xml: stale"]),
    ("two stale files with --check", lambda p: (append(p / "benchmark" / "prediction.schema.json"), edit(p / "DATASHEET.md", "| kept from", "| KEPT from")),
     None, ["regen", "--check"], 1, ["Error: 2 stale file(s)", "- benchmark/prediction.schema.json: stale",
                                     "- DATASHEET.md: stale (generated blocks: adjudication)"]),
    ("stale data/ with --check: the results are not checked", lambda p: append(p / "data" / "README.md"), None,
     ["regen", "--check"], 1, ["Error: 1 stale file(s)", "- data/: stale (", "data/README.md: differs",
                               "- benchmark/results/rules.json: not checked (data/ is stale)"]),
    ("an invalid gold export", lambda p: break_json(p / "annotation" / "gold_export.json"), None, ["regen"], 1,
     ["annotation/gold_export.json"]),
    ("an invalid inventory", lambda p: break_json(p / "annotation" / "links.json"), None, ["regen"], 1,
     ["annotation/links.json"]),
]


@pytest.mark.parametrize("case,setup,env,args,code,message", CASES, ids=[c[0] for c in CASES])
def test_regen_bad_input(project, tmp_path, monkeypatch, case, setup, env, args, code, message):
    root = fresh(project, tmp_path)
    target = setup(root)
    if case.startswith("not a project"):
        target.unlink()
    monkeypatch.chdir(tmp_path)
    before = tree_hash(root)
    result = invoke(["--project", root, *args], env)
    assert tree_hash(root) == before, "regen changed the project on bad input or with --check"
    out = assert_clean_outcome(result, code, message, KEY)
    errors = [line for line in out.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and not [line for line in out.splitlines() if not line.startswith(("Error: ", "  - "))
                                     and not line.endswith(": current")], out  # before the error: only files it left as they were


def test_regen_rewrites_exactly_the_stale_files(project, tmp_path):
    """Stale files are rewritten to what their inputs make (the committed bytes); nothing else moves."""
    root = fresh(project, tmp_path)
    committed = tree_digest(root)
    append(root / "benchmark" / "prediction.schema.json")
    append(root / "annotation" / "adjudication.json", " ")
    result = invoke(["--project", root, "regen"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "benchmark/prediction.schema.json: written" in lines and "annotation/adjudication.json: written" in lines
    assert sum(line.endswith(": written") for line in lines) == 2, result.output
    assert tree_digest(root) == committed
    again = invoke(["--project", root, "regen", "--check"])
    assert again.exit_code == 0 and all(line.endswith("current") or "current (" in line for line in again.output.splitlines())
