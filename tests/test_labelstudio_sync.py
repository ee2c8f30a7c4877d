"""push/pull rules against an in-memory Label Studio (tests/fake_labelstudio.py), and the
command line's messages for a server that is down, a missing key or a bad input file."""

from __future__ import annotations

import json
import socket
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkbench.cli import main
from nkbench.errors import NkbenchError
from nkbench.labelstudio import sync
from nkbench.labelstudio.client import LabelStudio
from nkbench.seeds import load_seeds

from .fake_labelstudio import FakeLabelStudio

GOLDEN = Path(__file__).parent / "golden" / "labelstudio"
CONFIG = (GOLDEN / "labeling_config.xml").read_text(encoding="utf-8")
TOKEN = "secret-token-123"
URL = "http://ls.test:8080"


@pytest.fixture()
def server():
    return FakeLabelStudio(TOKEN)


def client(server, key=TOKEN):
    return LabelStudio(URL, key, transport=server)


def seed_tasks():
    return sync.seed_tasks(load_seeds().values())


def predicted_tasks():
    preds = sync.read_predictions(GOLDEN / "predictions.jsonl")
    return sync.attach_predictions(seed_tasks(), preds, "predictions.jsonl")


def annotated(tasks):
    """Tasks whose predictions became annotations (a tasks-with-annotations file)."""
    return [{"data": t["data"], "annotations": [{"result": p["result"], "ground_truth": True} for p in t["predictions"]]}
            for t in tasks]


# -- push -----------------------------------------------------------------------------------------


def test_push_creates_project_and_imports_seeds_with_predictions(server):
    report = sync.push(client(server), predicted_tasks(), CONFIG)
    assert report.created_project and report.project.title == "nkbench"
    assert server.projects[1]["label_config"] == CONFIG
    tasks = list(server.tasks.values())
    assert sorted(t["data"]["doc_id"] for t in tasks) == sorted(load_seeds())
    assert all(len(t["predictions"]) == 1 and t["annotations"] == [] for t in tasks)
    assert {t["data"]["text"] for t in tasks} == {s.text for s in load_seeds().values()}


def test_push_twice_duplicates_nothing(server):
    sync.push(client(server), predicted_tasks(), CONFIG)
    before = json.dumps(server.tasks, sort_keys=True)
    server.calls.clear()
    report = sync.push(client(server), predicted_tasks(), CONFIG)
    assert json.dumps(server.tasks, sort_keys=True) == before
    assert server.mutations() == []
    assert len(report.plan.unchanged) == 4 and report.plan.kept_predictions == 4


def test_push_never_touches_existing_annotations(server):
    sync.push(client(server), seed_tasks(), CONFIG)
    first = next(iter(server.tasks.values()))
    first["annotations"].append({"id": 99, "result": [], "was_cancelled": False})
    snapshot = json.dumps(first, sort_keys=True)
    report = sync.push(client(server), annotated(predicted_tasks()), CONFIG)
    assert json.dumps(server.tasks[first["id"]], sort_keys=True) == snapshot  # untouched
    others = [t for t in server.tasks.values() if t["id"] != first["id"]]
    assert all(len(t["annotations"]) == 1 for t in others)  # empty tasks received the annotations
    assert report.plan.kept_annotations == 1 and len(report.plan.add_annotations) == 3
    assert len(server.tasks) == 4


def test_new_prediction_version_is_added_once(server):
    sync.push(client(server), predicted_tasks(), CONFIG)
    newer = [{**t, "predictions": [{**p, "model_version": "v2"} for p in t["predictions"]]} for t in predicted_tasks()]
    sync.push(client(server), newer, CONFIG)
    sync.push(client(server), newer, CONFIG)
    assert all(sorted(p["model_version"] for p in t["predictions"]) == ["nkbench-test-v1", "v2"]
               for t in server.tasks.values())


def test_config_that_differs_changes_nothing_unless_asked(server):
    sync.push(client(server), seed_tasks(), CONFIG)
    other = CONFIG.replace('"PER"', '"PERSON"')
    server.calls.clear()
    with pytest.raises(NkbenchError, match="different labeling config.*nothing was changed.*--update-config"):
        sync.push(client(server), seed_tasks(), other)
    assert server.mutations() == [] and server.projects[1]["label_config"] == CONFIG
    report = sync.push(client(server), seed_tasks(), other, update_config=True)
    assert report.updated_config and server.projects[1]["label_config"] == other


def test_reformatted_config_counts_as_the_same():
    reformatted = CONFIG.replace("\n    ", "\n\t\t").replace('name="entity" toName="text"', 'toName="text"  name="entity"')
    assert sync.same_config(CONFIG, reformatted)
    assert not sync.same_config(CONFIG, CONFIG.replace('"ATTACK"', '"ATACK"'))


def test_server_copy_with_other_text_is_an_error_and_nothing_is_sent(server):
    sync.push(client(server), seed_tasks()[:1], CONFIG)
    next(iter(server.tasks.values()))["data"]["text"] += " "
    server.calls.clear()
    with pytest.raises(NkbenchError, match="different text for this document"):
        sync.push(client(server), annotated(predicted_tasks()), CONFIG)
    assert server.mutations() == []


def test_duplicate_document_on_server_is_reported(server):
    sync.push(client(server), seed_tasks()[:1], CONFIG)
    server._add_task(1, seed_tasks()[0])
    with pytest.raises(NkbenchError, match="on the server twice"):
        sync.push(client(server), seed_tasks(), CONFIG)


def test_plan_leaves_foreign_tasks_alone():
    existing = [{"id": 1, "data": {"text": "x"}, "annotations": [], "predictions": []}]
    plan = sync.plan_push(existing, seed_tasks())
    assert plan.foreign_tasks == 1 and len(plan.new_tasks) == 4


# -- errors and the key ---------------------------------------------------------------------------


def test_wrong_key_is_a_clear_message_without_the_key(server):
    with pytest.raises(NkbenchError) as err:
        sync.push(client(server, "wrong-key-456"), seed_tasks(), CONFIG)
    assert "rejected the API key (HTTP 401)" in str(err.value)
    assert "wrong-key-456" not in str(err.value) and "wrong-key-456" not in repr(client(server, "wrong-key-456"))
    assert server.mutations() == []


def test_http_error_detail_is_shown(server):
    server.fail[("POST", "/api/projects/")] = 400
    with pytest.raises(NkbenchError, match=r"creating project 'nkbench': Label Studio answered HTTP 400: injected failure"):
        sync.push(client(server), seed_tasks(), CONFIG)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


def test_server_down_is_a_clear_message():
    with pytest.raises(NkbenchError, match=r"cannot reach Label Studio at http://127.0.0.1:\d+ .*is it running"):
        LabelStudio(f"http://127.0.0.1:{closed_port()}", TOKEN).check()


def test_not_a_url():
    with pytest.raises(NkbenchError, match="not an http"):
        LabelStudio("127.0.0.1:8080", TOKEN)


def run(args, env=None):
    return CliRunner().invoke(main, args, env={"LABEL_STUDIO_API_KEY": TOKEN, **(env or {})})


@pytest.mark.parametrize("command", ["push", "pull"])
def test_cli_server_down_writes_nothing(tmp_path, command):
    out = tmp_path / "export.json"
    args = ["annotate", command, "--url", f"http://127.0.0.1:{closed_port()}"]
    args += ["--config", str(GOLDEN / "labeling_config.xml")] if command == "push" else ["--out", str(out)]
    result = run(args)
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "Error: cannot reach Label Studio" in result.output and "Traceback" not in result.output
    assert TOKEN not in result.output
    assert not out.exists()


def test_cli_missing_key(tmp_path):
    result = run(["annotate", "pull", "--url", "http://127.0.0.1:9", "--out", str(tmp_path / "e.json")],
                 env={"LABEL_STUDIO_API_KEY": ""})
    assert result.exit_code == 1 and "LABEL_STUDIO_API_KEY is not set" in result.output


def test_cli_bad_tasks_file(tmp_path):
    tasks = [{"data": {"doc_id": "000_112b86200dab1a20", "text": "not the seed"}}, {"data": {"text": "x"}}]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    result = run(["annotate", "push", "--url", "http://127.0.0.1:9", "--config", str(GOLDEN / "labeling_config.xml"),
                  "--tasks", str(path)])
    assert result.exit_code == 1 and "task 1: data.doc_id is missing" in result.output


def test_cli_tasks_text_must_be_the_seed(tmp_path):
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([{"data": {"doc_id": "000_112b86200dab1a20", "text": "not the seed"}}]), encoding="utf-8")
    result = run(["annotate", "push", "--url", "http://127.0.0.1:9", "--config", str(GOLDEN / "labeling_config.xml"),
                  "--tasks", str(path)])
    assert result.exit_code == 1 and "data.text differs from the verbatim seed text" in result.output


def test_missing_config_file(tmp_path):
    result = run(["annotate", "push", "--url", "http://127.0.0.1:9", "--config", str(tmp_path / "none.xml")])
    assert result.exit_code == 1 and "no labeling config" in result.output


# -- input files ----------------------------------------------------------------------------------


def test_standard_export_with_prediction_ids_is_refused():
    with pytest.raises(NkbenchError, match=r"predictions\[0\] has no 'result' list.*standard export"):
        sync.normalize_tasks([{"data": {"doc_id": "a", "text": "t"}, "predictions": [17]}], "x.json")


def test_export_form_keeps_content_and_drops_server_fields():
    exported = [{"id": 5, "data": {"doc_id": "a", "text": "t"}, "meta": {}, "annotations": [
        {"id": 9, "completed_by": 3, "result": [{"id": "r"}], "ground_truth": True, "created_at": "x", "task": 5}],
        "predictions": [{"id": 2, "result": [], "model_version": "m", "score": 0.1, "task": 5}]}]
    assert sync.normalize_tasks(exported, "x") == [{"data": {"doc_id": "a", "text": "t"},
                                                    "annotations": [{"result": [{"id": "r"}], "ground_truth": True}],
                                                    "predictions": [{"result": [], "model_version": "m", "score": 0.1}]}]


def test_duplicate_doc_in_tasks_file():
    with pytest.raises(NkbenchError, match="doc_id repeats task 0"):
        sync.normalize_tasks([{"data": {"doc_id": "a", "text": "t"}}] * 2, "x.json")


def test_predictions_for_unknown_document(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"doc_id": "nope", "result": []}\n', encoding="utf-8")
    with pytest.raises(NkbenchError, match="predictions for unknown document"):
        sync.attach_predictions(seed_tasks(), sync.read_predictions(path), str(path))
    path.write_text('{"doc_id": "x", "result": {}}\n', encoding="utf-8")
    with pytest.raises(NkbenchError, match=r"p.jsonl:1: 'result' must be a list"):
        sync.read_predictions(path)


def test_golden_predictions_quote_the_seeds():
    seeds = load_seeds()
    for doc_id, preds in sync.read_predictions(GOLDEN / "predictions.jsonl").items():
        for item in preds[0]["result"]:
            if "value" in item:
                v = item["value"]
                assert seeds[doc_id].text[v["start"]:v["end"]] == v["text"]


# -- pull -----------------------------------------------------------------------------------------


@pytest.fixture()
def no_converter(monkeypatch):
    monkeypatch.setitem(sys.modules, "nkbench.labelstudio.convert", None)


def pushed(server):
    sync.push(client(server), annotated(predicted_tasks()), CONFIG)
    return server


def test_pull_writes_the_full_export_with_full_predictions(server, tmp_path, no_converter):
    sync.push(client(server), predicted_tasks(), CONFIG)
    out = tmp_path / "annotation" / "export.json"
    report = sync.pull(client(server), out, gold=tmp_path / "gold.json")
    export = json.loads(out.read_text(encoding="utf-8"))
    assert report.written and report.diff is None and len(export) == 4
    assert all(isinstance(p, dict) and p["result"] for t in export for p in t["predictions"])
    assert server.export_requests[0]["serialization_options"]["predictions"] == {"only_id": False}
    assert report.validation.startswith("NOT validated")  # never claims validity it did not check
    assert ("DELETE", "/api/projects/1/exports/1") in server.calls  # no snapshot left behind


def test_pull_keeps_the_old_file_when_the_download_fails(server, tmp_path, no_converter):
    pushed(server)
    out = tmp_path / "export.json"
    out.write_text("[]\n", encoding="utf-8")
    server.fail[("GET", "/api/projects/1/exports/1/download")] = 500
    with pytest.raises(NkbenchError, match="HTTP 500"):
        sync.pull(client(server), out, gold=tmp_path / "gold.json")
    assert out.read_text(encoding="utf-8") == "[]\n" and [p.name for p in tmp_path.iterdir()] == ["export.json"]


def test_pull_refuses_to_change_gold_unless_forced(server, tmp_path, no_converter):
    pushed(server)
    gold = tmp_path / "gold_export.json"
    sync.pull(client(server), gold, gold=gold, force=True)
    kept = gold.read_bytes()
    report = sync.pull(client(server), gold, gold=gold)  # same annotations: kept as is
    assert not report.written and gold.read_bytes() == kept
    server.tasks[1]["annotations"][0]["result"] = server.tasks[1]["annotations"][0]["result"][1:]
    with pytest.raises(NkbenchError, match=r"refusing to overwrite the adjudicated gold export \(tasks \+0 -0, "
                                           r"annotations \+0 -0, regions \+0 -1, relations \+0 -0\); nothing was written"):
        sync.pull(client(server), gold, gold=gold)
    assert gold.read_bytes() == kept
    assert sync.pull(client(server), gold, gold=gold, force=True).written and gold.read_bytes() != kept


def test_diff_summary_counts_content_not_server_ids():
    a = [{"id": 1, "data": {"doc_id": "d"}, "annotations": [{"id": 1, "result": [
        {"id": "x", "from_name": "entity", "type": "labels", "value": {"start": 0, "end": 2, "labels": ["PER"]}},
        {"id": "y", "from_name": "entity", "type": "labels", "value": {"start": 3, "end": 4, "labels": ["GPE"]}},
        {"from_id": "x", "to_id": "y", "type": "relation", "labels": ["agent"], "direction": "right"}]}]}]
    b = json.loads(json.dumps(a))
    b[0]["id"], b[0]["annotations"][0]["id"] = 7, 8  # another server's ids
    assert sync.diff_summary(a, b) == (False, "tasks +0 -0, annotations +0 -0, regions +0 -0, relations +0 -0")
    b[0]["annotations"][0]["result"][1]["value"]["labels"] = ["LOC"]
    assert sync.diff_summary(a, b) == (True, "tasks +0 -0, annotations +0 -0, regions +1 -1, relations +0 -0")


def test_pull_runs_the_converter_validation(server, tmp_path, monkeypatch):
    pushed(server)
    seen = []

    def validate_export(path):
        seen.append(Path(path))
        raise NkbenchError("task 1, annotation 1, region '000-e1': unknown label", where=str(path))

    monkeypatch.setitem(sys.modules, "nkbench.labelstudio.convert", types.SimpleNamespace(validate_export=validate_export))
    out = tmp_path / "export.json"
    with pytest.raises(NkbenchError, match=r"written \(4 task\(s\).*does not pass validation:\n.*unknown label"):
        sync.pull(client(server), out, gold=tmp_path / "gold.json")
    assert seen == [out] and out.exists()
    monkeypatch.setitem(sys.modules, "nkbench.labelstudio.convert",
                        types.SimpleNamespace(validate_export=lambda path: ["doc"] * 4))
    assert sync.pull(client(server), out, gold=tmp_path / "gold.json").validation == "valid: 4 document(s)"
