import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.dataset_fixture import CLI_ARGS, GOLDEN, fixture_inputs
from nkbench.cli import main
from nkbench.core.io import read_documents
from nkbench.dataset import build as B
from nkbench.dataset.store import read_documents_config
from nkbench.annotation.passes import load_pass_dir, read_pass
from nkbench.annotation.seeds import load_seeds
from tests.project import PROJECT


@pytest.fixture(scope="module")
def inputs():
    return fixture_inputs()


@pytest.fixture(scope="module")
def files(inputs):
    return B.render(inputs)


def test_fixture_jsonl_files_are_the_resolved_pass_folders():
    seeds = load_seeds(PROJECT.seeds_dir)
    for folder, jsonl in [(GOLDEN / "gold", GOLDEN / "gold.jsonl"),
                          (GOLDEN / "passes" / "annotator-y", GOLDEN / "annotator-y.jsonl"),
                          (GOLDEN.parent / "passes" / "annotator-x", GOLDEN / "annotator-x.jsonl")]:
        _, docs, _ = load_pass_dir(folder, seeds)
        assert read_documents(jsonl) == docs, jsonl


def test_rebuild_is_byte_identical(tmp_path, inputs, files):
    B.write(files, tmp_path / "a")
    B.write(B.render(fixture_inputs()), tmp_path / "b")
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert a.keys() == b.keys() and len(a) == 7
    assert all(a[k] == b[k] for k in a)


def test_committed_data_dir_is_current():
    """data/ is what the committed gold export (annotation/gold_export.json) makes."""
    assert B.check(B.render(B.load_inputs(PROJECT.seeds_dir, PROJECT.gold_export, default_entities=PROJECT.entities, default_links=PROJECT.links, project=PROJECT)), PROJECT.data_dir) == []
    result = CliRunner().invoke(main, ["data", "build", "--check"])
    assert result.exit_code == 0 and "is current" in result.output, result.output


def test_rows_round_trip_through_parquet(tmp_path, inputs, files):
    B.write(files, tmp_path / "d")
    gold, passes = read_documents_config(tmp_path / "d")
    assert gold == list(inputs.gold)
    assert passes == {k: list(v) for k, v in inputs.passes.items()}


def test_check_names_each_difference_and_writes_nothing(tmp_path, inputs, files):
    out = tmp_path / "data"
    B.write(files, out)
    (out / "stray.txt").write_text("x")
    (out / "links" / "test.parquet").unlink()
    # a gold where one claim's stance changed: documents + claims Parquet and the card differ
    doc = inputs.gold[0]
    changed = replace(doc, claims=(replace(doc.claims[0], stance="denies"), *doc.claims[1:]))
    new = B.render(replace(inputs, gold=[changed, *inputs.gold[1:]]))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    diffs = "\n".join(B.check(new, out))
    assert "documents/test.parquet: differs: row 0 ('000_112b86200dab1a20'): column 'claims' differs" in diffs
    assert "claims/test.parquet: differs: row 0 ('000_112b86200dab1a20/k1'): column 'stance' differs" in diffs
    assert "README.md: differs: line" in diffs
    assert "links/test.parquet: missing" in diffs and "stray.txt: not made by the inputs" in diffs
    assert "ner/test.parquet" not in diffs
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    result = CliRunner().invoke(main, ["data", "build", *CLI_ARGS, "--out", str(out), "--check"])
    assert result.exit_code == 1 and "stray.txt" in result.output and "Traceback" not in result.output


def test_failed_write_leaves_the_old_folder_untouched(tmp_path, files, monkeypatch):
    import errno
    import os

    from nkbench.core.errors import NkbenchError

    out = tmp_path / "data"
    B.write(files, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    calls = []
    real = os.fsync

    def failing(fd):
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(NkbenchError, match="No space left on device"):
        B.write({k: v + b"x" for k, v in files.items()}, out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no temporary folder left


def _edit_gold(tmp_path, edit):
    lines = [json.loads(x) for x in (GOLDEN / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    edit(lines)
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("edit, message", [
    (lambda g: g.append(dict(g[0])), "document '000_112b86200dab1a20' given twice (first on line 1)"),
    (lambda g: g[0].update(text=g[0]["text"].replace("Karabaj", "Karabakh", 1)), "text differs from its seed: first difference at offset"),
    (lambda g: g[1].update(language="en"), "language 'en' differs from the seed's 'es'"),
    (lambda g: g[0]["mentions"][0].update(end=13), "does not match the text at its offsets"),
    (lambda g: g[0]["mentions"].append({**g[0]["mentions"][0], "id": "dup"}), "duplicate span: mention [0:12] QUANTITY given 2 times"),
    (lambda g: g[0]["mentions"][2].update(entity_id="nagorno_karabaj"), "entity id 'nagorno_karabaj' is not in the entity inventory"),
    (lambda g: g[0]["claims"][0].update(link="nk2023_dead"), "link 'nk2023_dead' is not in the link inventory"),
    (lambda g: g[1]["claims"][0].update(link="nk2023_killed"), "link 'nk2023_killed' does not list this document"),
    (lambda g: g[0]["mentions"][0].update(label="QUANTITIES"), "unknown entity type 'QUANTITIES'"),
    (lambda g: g[0]["mentions"].append(dict(g[0]["mentions"][0], id="m99", label="DATE")),
     "document '000_112b86200dab1a20', sentence 0 [0:185]: span [0:12] QUANTITY overlaps another span"),
    (lambda g: g[2].update(bogus=1), "gold.jsonl:3 (document '002_2476f1cd8ed7decf'): bogus: unknown field"),
])
def test_bad_inputs_name_the_place_and_reason(tmp_path, edit, message):
    gold = _edit_gold(tmp_path, edit)
    args = ["data", "build", "--gold", str(gold), *CLI_ARGS[2:], "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_a_seed_without_gold_is_not_annotated_yet_and_left_out(tmp_path):
    """A seed with no gold document is reported with a count and left out, never an error."""
    gold = _edit_gold(tmp_path, lambda g: g.pop())
    dropped = json.loads((GOLDEN / "gold.jsonl").read_text(encoding="utf-8").splitlines()[-1])["id"]
    args = ["data", "build", "--gold", str(gold), *CLI_ARGS[2:], "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    golden_ids = {json.loads(line)["id"] for line in (GOLDEN / "gold.jsonl").read_text(encoding="utf-8").splitlines()}
    missing = [s for s in load_seeds(PROJECT.seeds_dir) if s not in golden_ids or s == dropped]  # manifest order
    assert f"{len(missing)} seed(s) not annotated yet, left out of the dataset: {', '.join(missing)}" in result.output
    n_gold = len((GOLDEN / "gold.jsonl").read_text(encoding="utf-8").splitlines()) - 1
    assert f"rows: documents {n_gold}," in result.output


def test_bad_pass_and_inventory_options_are_clear_errors(tmp_path):
    for extra, message in [(["--pass", "nonsense"], "neither NAME=FILE.jsonl nor a pass folder"),
                           (["--pass", "=x.jsonl"], "empty annotator name"),
                           (["--entities", str(tmp_path / "none.json")], "none.json: no such file")]:
        result = CliRunner().invoke(main, ["data", "build", *CLI_ARGS, *extra, "--out", str(tmp_path / "o")])
        assert result.exit_code == 1 and message in result.output, result.output
    result = CliRunner().invoke(main, ["data", "build", "--gold", str(tmp_path / "none.json"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "none.json: no gold export" in result.output and "nkbench annotate pull" in result.output
    assert not (tmp_path / "o").exists()


def test_a_pass_folder_is_accepted_as_a_pass(inputs):
    spec = str(GOLDEN / "passes" / "annotator-y")
    name, docs = read_pass(spec, inputs.seeds)
    assert name == "annotator-y" and docs == list(inputs.passes["annotator-y"])
