"""nkbench.annotation.labelstudio.roundtrip and `nkbench annotate roundtrip`: an export compared with the gold and passes it should hold."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from nkbench.core.io import read_documents
from click.testing import CliRunner

from nkbench.annotation.labelstudio.roundtrip import differences
from nkbench.annotation.labelstudio.tasks import gold_tasks
from nkbench.annotation.labelstudio.validate import read_export
from nkbench.annotation.seeds import load_seeds
from nkbench.cli import main
from tests.project import PROJECT

GOLDEN = Path(__file__).parent / "golden" / "labelstudio"


def setup():
    gold, second = read_documents(GOLDEN / "gold.jsonl"), read_documents(GOLDEN / "pass_2.jsonl")
    return gold, {"annotator-b": second}, read_export(gold_tasks(gold, load_seeds(PROJECT.seeds_dir), {"annotator-b": second}), load_seeds(PROJECT.seeds_dir))


def test_identical_export_has_no_differences():
    gold, passes, tasks = setup()
    assert differences(tasks, gold, passes, gold_annotator="adjudicator") == []


def test_every_difference_is_named():
    gold, passes, tasks = setup()
    changed = [replace(gold[0], mentions=gold[0].mentions[1:]), *gold[1:]]
    assert differences(tasks, changed, passes) == [
        f"document {gold[0].id}: gold differs (mentions ({len(gold[0].mentions) - 1} vs {len(gold[0].mentions)}))"]
    assert differences(tasks, gold[:1], passes) == [f"document {gold[1].id}: in the export, not in the gold file"]
    assert differences(tasks, gold, {}) == [f"document {gold[0].id}: unexpected annotation by 'annotator-b' in the export"]
    assert differences(tasks, gold, {**passes, "annotator-c": gold[1:]}) == [
        f"document {gold[1].id}: no annotation by 'annotator-c' in the export"]
    assert differences(tasks, gold, passes, gold_annotator="ana") == [
        f"document {d.id}: gold is by 'adjudicator', expected 'ana'" for d in gold]


def test_command_exit_codes(tmp_path):
    import json

    gold, passes, _ = setup()
    export = tmp_path / "export.json"
    export.write_text(json.dumps(gold_tasks(gold, load_seeds(PROJECT.seeds_dir), {"annotator-b": passes["annotator-b"]})), encoding="utf-8")

    def run(*args):
        return CliRunner().invoke(main, ["--project", str(PROJECT.root), "annotate", "roundtrip", *map(str, args)])

    ok = run(export, GOLDEN / "gold.jsonl", "--pass", f"annotator-b={GOLDEN / 'pass_2.jsonl'}")
    assert ok.exit_code == 0 and "holds exactly" in ok.output, ok.output
    missing_pass = run(export, GOLDEN / "gold.jsonl")
    assert missing_pass.exit_code == 1 and "unexpected annotation by 'annotator-b'" in missing_pass.output
    assert f"Error: {export}: {len(passes['annotator-b'])} difference(s) from" in missing_pass.output.splitlines()[0]
    no_file = run(tmp_path / "missing.json", GOLDEN / "gold.jsonl")
    assert no_file.exit_code == 1 and "Error:" in no_file.output and "Traceback" not in no_file.output
    assert run(export).exit_code == 2
    assert run(export, GOLDEN / "gold.jsonl", "--pass", "annotator-b").exit_code == 2
