"""push/pull rules against an in-memory Label Studio (tests/fake_labelstudio.py), and the
command line's messages for a server that is down, a missing key or a bad input file."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkbench.cli import main
from nkbench.core.errors import NkbenchError
from nkbench.annotation.labelstudio import sync
from nkbench.annotation.labelstudio import tasks as ls_tasks
from nkbench.annotation.labelstudio.client import LabelStudio
from nkbench.core.io import read_documents
from nkbench.annotation.labelstudio.validate import load_export
from nkbench.annotation.seeds import load_seeds

from .fake_labelstudio import FakeLabelStudio
from tests.project import PROJECT

SEEDS = load_seeds(PROJECT.seeds_dir)

GOLDEN = Path(__file__).parent / "golden" / "labelstudio"
CONFIG_PATH = Path(__file__).resolve().parent.parent / "annotation" / "labeling_config.xml"
CONFIG = PROJECT.labeling_config.read_text(encoding="utf-8")
PREDICTIONS = GOLDEN / "predictions.jsonl"  # documents in the model's JSON form (a cut of `nkbench run --system rules`)
TOKEN = "secret-token-123"
URL = "http://ls.test:8080"


@pytest.fixture()
def server():
    return FakeLabelStudio(TOKEN)


def client(server, key=TOKEN):
    return LabelStudio(URL, key, transport=server)


def seed_tasks():
    return ls_tasks.seed_tasks(load_seeds(PROJECT.seeds_dir))


def predicted_tasks():
    return ls_tasks.seed_tasks(load_seeds(PROJECT.seeds_dir), read_documents(PREDICTIONS, require_text=False),
                               model_version="nkbench-test-v1")


def annotated(tasks, who=None, ground_truth=True):
    """Tasks whose predictions became annotations (a tasks-with-annotations file)."""
    return [{"data": t["data"], "annotations": [{"result": p["result"], "ground_truth": ground_truth,
                                                 **({"completed_by": who} if who else {})} for p in t["predictions"]]}
            for t in tasks]


# -- push -----------------------------------------------------------------------------------------


def test_push_creates_project_and_imports_seeds_with_predictions(server):
    report = sync.push(client(server), predicted_tasks(), CONFIG)
    assert report.created_project and report.project.title == "nkbench"
    assert server.projects[1]["label_config"] == CONFIG
    tasks = list(server.tasks.values())
    assert sorted(t["data"]["doc_id"] for t in tasks) == sorted(load_seeds(PROJECT.seeds_dir))
    assert all(len(t["predictions"]) == 1 and t["annotations"] == [] for t in tasks)
    assert {t["data"]["text"] for t in tasks} == {s.text for s in load_seeds(PROJECT.seeds_dir).values()}


def test_push_twice_duplicates_nothing(server):
    sync.push(client(server), predicted_tasks(), CONFIG)
    before = json.dumps(server.tasks, sort_keys=True)
    server.calls.clear()
    report = sync.push(client(server), predicted_tasks(), CONFIG)
    assert json.dumps(server.tasks, sort_keys=True) == before
    assert server.mutations() == []
    assert len(report.plan.unchanged) == len(SEEDS) and report.plan.kept_predictions == len(SEEDS)


def test_push_never_touches_existing_annotations(server):
    sync.push(client(server), seed_tasks(), CONFIG)
    first = next(iter(server.tasks.values()))
    first["annotations"].append({"id": 99, "result": [], "was_cancelled": False})
    snapshot = json.dumps(first, sort_keys=True)
    report = sync.push(client(server), annotated(predicted_tasks()), CONFIG)
    assert json.dumps(server.tasks[first["id"]], sort_keys=True) == snapshot  # untouched
    others = [t for t in server.tasks.values() if t["id"] != first["id"]]
    assert all(len(t["annotations"]) == 1 for t in others)  # empty tasks received the annotations
    assert report.plan.kept_annotations == 1 and len(report.plan.add_annotations) == len(SEEDS) - 1
    assert len(server.tasks) == len(SEEDS)


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
    assert other != CONFIG
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
    assert plan.foreign_tasks == 1 and len(plan.new_tasks) == len(SEEDS)


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
    args += [] if command == "push" else ["--out", str(out)]
    result = run(args)
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "Error: cannot reach Label Studio" in result.output and "Traceback" not in result.output
    assert TOKEN not in result.output
    assert not out.exists()


def test_cli_missing_key(tmp_path):
    result = run(["annotate", "pull", "--url", "http://127.0.0.1:9", "--out", str(tmp_path / "e.json")],
                 env={"LABEL_STUDIO_API_KEY": ""})
    assert result.exit_code == 1 and "LABEL_STUDIO_API_KEY is not set" in result.output


def test_cli_push_predictions_use_the_one_converter(server, monkeypatch):
    """`annotate push --predictions` reads the model's JSON form (text optional) and sends exactly
    what `annotate tasks --predictions` writes."""
    monkeypatch.setattr("nkbench.annotation.labelstudio.client.urllib_transport", server)
    result = run(["annotate", "push", "--url", URL, "--predictions", str(PREDICTIONS), "--model-version", "nkbench-test-v1"])
    assert result.exit_code == 0, result.output
    n = len(SEEDS)  # the golden predictions cover every seed
    assert f"imported {n} new task(s) with 0 annotation(s) and {n} prediction(s)" in result.output
    written = run(["annotate", "tasks", "--predictions", str(PREDICTIONS), "--model-version", "nkbench-test-v1"])
    assert written.exit_code == 0, written.output
    assert [{"data": t["data"], "predictions": [{k: p[k] for k in ("model_version", "result")} for p in t["predictions"]]}
            for t in server.tasks.values()] == json.loads(written.output)


def test_cli_push_predictions_in_label_studio_form_are_refused(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"doc_id": "000_112b86200dab1a20", "result": []}\n', encoding="utf-8")
    result = run(["annotate", "push", "--url", "http://127.0.0.1:9", "--predictions", str(path)])
    assert result.exit_code == 1 and f"{path}:1" in result.output and "Traceback" not in result.output


def test_cli_bad_tasks_file(tmp_path):
    tasks = [{"data": {"doc_id": "000_112b86200dab1a20", "text": "not the seed"}}, {"data": {"text": "x"}}]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    result = run(["annotate", "push", "--url", "http://127.0.0.1:9", "--tasks", str(path)])
    assert result.exit_code == 1 and "task 1: data.doc_id is missing" in result.output


def test_cli_tasks_text_must_be_the_seed(tmp_path):
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([{"data": {"doc_id": "000_112b86200dab1a20", "text": "not the seed"}}]), encoding="utf-8")
    result = run(["annotate", "push", "--url", "http://127.0.0.1:9", "--tasks", str(path)])
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
        {"id": 9, "completed_by": {"id": 3, "email": "annotator-a@nkbench.local", "first_name": "", "last_name": ""},
         "result": [{"id": "r"}], "ground_truth": True, "created_at": "x", "task": 5}],
        "predictions": [{"id": 2, "result": [], "model_version": "m", "score": 0.1, "task": 5}]}]
    assert sync.normalize_tasks(exported, "x") == [{"data": {"doc_id": "a", "text": "t"},
                                                    "annotations": [{"result": [{"id": "r"}], "ground_truth": True,
                                                                     "completed_by": "annotator-a"}],
                                                    "predictions": [{"result": [], "model_version": "m", "score": 0.1}]}]


def test_duplicate_doc_in_tasks_file():
    with pytest.raises(NkbenchError, match="doc_id repeats task 0"):
        sync.normalize_tasks([{"data": {"doc_id": "a", "text": "t"}}] * 2, "x.json")


def test_predictions_for_a_document_not_among_the_tasks():
    with pytest.raises(NkbenchError, match="predictions for unknown document"):
        sync.attach_predictions(seed_tasks()[:1], predicted_tasks(), "p.jsonl")


def test_golden_predictions_quote_the_seeds():
    seeds = load_seeds(PROJECT.seeds_dir)
    for task in predicted_tasks():
        for item in task["predictions"][0]["result"]:
            if "value" in item and "text" in item["value"]:
                v = item["value"]
                assert seeds[task["data"]["doc_id"]].text[v["start"]:v["end"]] == v["text"]


# -- annotators -----------------------------------------------------------------------------------


def test_each_pass_is_its_own_user(server, tmp_path):
    """Annotations named annotator-a / annotator-b / adjudicator are sent as distinct users
    NAME@nkbench.local (created once) and come back under their names."""
    gold = read_documents(GOLDEN / "gold.jsonl")
    second = read_documents(GOLDEN / "pass_2.jsonl")
    tasks = ls_tasks.gold_tasks(gold, load_seeds(PROJECT.seeds_dir), {"annotator-a": gold, "annotator-b": second})
    tasks = sync.normalize_tasks(tasks, "tasks.json")
    report = sync.push(client(server), tasks, CONFIG)
    assert report.created_users == ("adjudicator@nkbench.local", "annotator-a@nkbench.local", "annotator-b@nkbench.local")
    assert "created 3 annotator user(s): adjudicator@nkbench.local, annotator-a@nkbench.local, annotator-b@nkbench.local" \
        in report.lines()
    assert [u["email"] for u in server.users.values()][1:] == list(report.created_users)
    out = tmp_path / "export.json"
    pulled = sync.pull(client(server), out, seeds=SEEDS, gold=tmp_path / "gold_export.json")
    assert pulled.validation == "valid: 2 document(s)"
    back = load_export(out, load_seeds(PROJECT.seeds_dir))
    assert [(t.gold_annotator, t.gold) for t in back] == [("adjudicator", d) for d in gold]
    assert [dict(t.passes) for t in back] == [
        {"annotator-a": gold[0], "annotator-b": second[0], "adjudicator": gold[0]},
        {"annotator-a": gold[1], "adjudicator": gold[1]}]
    server.calls.clear()
    again = sync.push(client(server), tasks, CONFIG)  # users exist now: none created, nothing sent
    assert again.created_users == () and server.mutations() == []


def test_annotations_added_to_existing_tasks_carry_their_user_id(server):
    sync.push(client(server), seed_tasks(), CONFIG)
    sync.push(client(server), annotated(predicted_tasks(), "annotator-a"), CONFIG)
    uid = next(u["id"] for u in server.users.values() if u["email"] == "annotator-a@nkbench.local")
    assert {a["completed_by"] for t in server.tasks.values() for a in t["annotations"]} == {uid}


def test_annotator_names_in_tasks_files():
    task = {"data": {"doc_id": "a", "text": "t"}, "annotations": [{"result": [], "completed_by": None}]}
    assert "completed_by" not in sync.normalize_tasks([task], "x")[0]["annotations"][0]  # the importing user
    for given, name in [("annotator-a", "annotator-a"), ({"id": 4, "email": "annotator-b@nkbench.local"}, "annotator-b"),
                        ({"id": 5, "email": "maria@example.org"}, "maria@example.org")]:
        task["annotations"][0]["completed_by"] = given
        assert sync.normalize_tasks([task], "x")[0]["annotations"][0]["completed_by"] == name
    for bad, message in [(3, "user id of the server that made the file"), ({"id": 3}, "user id of the server"),
                         ("ana maria", "cannot be a Label Studio user")]:
        task["annotations"][0]["completed_by"] = bad
        with pytest.raises(NkbenchError, match=message):
            sync.normalize_tasks([task], "x")


# -- pull -----------------------------------------------------------------------------------------


def pushed(server):
    sync.push(client(server), annotated(predicted_tasks(), "annotator-a"), CONFIG)
    return server


def test_pull_writes_the_full_export_with_full_predictions(server, tmp_path):
    sync.push(client(server), predicted_tasks(), CONFIG)
    out = tmp_path / "annotation" / "export.json"
    report = sync.pull(client(server), out, seeds=SEEDS, gold=tmp_path / "gold.json")
    export = json.loads(out.read_text(encoding="utf-8"))
    assert report.written and report.diff is None and len(export) == len(SEEDS)
    assert all(isinstance(p, dict) and p["result"] for t in export for p in t["predictions"])
    options = server.export_requests[0]["serialization_options"]
    assert options["predictions"] == {"only_id": False} and options["annotations__completed_by"] == {"only_id": False}
    assert ("DELETE", "/api/projects/1/exports/1") in server.calls  # no snapshot left behind


def test_pull_of_a_partly_annotated_project_says_what_is_missing(server, tmp_path):
    """A working export is written and validated; tasks without annotations or without
    adjudication are listed, not errors. The gold export is not written until complete."""
    sync.push(client(server), predicted_tasks(), CONFIG)
    first = annotated(predicted_tasks()[:2], "annotator-a", ground_truth=False)
    first[0]["annotations"][0]["ground_truth"] = True
    sync.push(client(server), first, CONFIG)
    second = annotated(predicted_tasks()[1:2], "annotator-b", ground_truth=False)
    task2 = next(t for t in server.tasks.values() if t["data"]["doc_id"] == second[0]["data"]["doc_id"])
    uid = sync.annotator_users(client(server), sync.plan_push([], second))[0]["annotator-b@nkbench.local"]
    client(server).add_annotation(task2["id"], {"result": second[0]["annotations"][0]["result"], "completed_by": uid})
    out = tmp_path / "export.json"
    report = sync.pull(client(server), out, seeds=SEEDS, gold=tmp_path / "gold.json")
    assert report.written and out.exists()
    rest = "; ".join(f"task {i} ({sid})" for i, sid in enumerate(SEEDS, start=1) if i > 2)
    assert report.validation == ("valid: 1 document(s) with gold; 1 not adjudicated yet (task 2 (001_72a5ace2c57cf10c): "
                                 f"annotator-a, annotator-b); {len(SEEDS) - 2} without annotations ({rest})")
    gold = tmp_path / "gold_export.json"
    with pytest.raises(NkbenchError, match=r"not written: the gold export needs gold for every task \(valid: 1"):
        sync.pull(client(server), gold, seeds=SEEDS, gold=gold, force=True)
    assert not gold.exists()


def test_pull_keeps_the_old_file_when_the_download_fails(server, tmp_path):
    pushed(server)
    out = tmp_path / "export.json"
    out.write_text("[]\n", encoding="utf-8")
    server.fail[("GET", "/api/projects/1/exports/1/download")] = 500
    with pytest.raises(NkbenchError, match="HTTP 500"):
        sync.pull(client(server), out, seeds=SEEDS, gold=tmp_path / "gold.json")
    assert out.read_text(encoding="utf-8") == "[]\n" and [p.name for p in tmp_path.iterdir()] == ["export.json"]


def test_pull_refuses_to_change_gold_unless_forced(server, tmp_path):
    pushed(server)
    gold = tmp_path / "gold_export.json"
    assert sync.pull(client(server), gold, seeds=SEEDS, gold=gold, force=True).validation == f"valid: {len(SEEDS)} document(s)"
    kept = gold.read_bytes()
    report = sync.pull(client(server), gold, seeds=SEEDS, gold=gold)  # same annotations: kept as is
    assert not report.written and gold.read_bytes() == kept
    region = next(r for r in server.tasks[1]["annotations"][0]["result"] if r.get("from_name") == "entity")
    region["value"]["labels"] = ["ORG" if region["value"]["labels"] != ["ORG"] else "PER"]
    with pytest.raises(NkbenchError, match=r"refusing to overwrite the adjudicated gold export \(tasks \+0 -0, "
                                           r"annotations \+0 -0, regions \+1 -1, relations \+0 -0\); nothing was written"):
        sync.pull(client(server), gold, seeds=SEEDS, gold=gold)
    assert gold.read_bytes() == kept
    assert sync.pull(client(server), gold, seeds=SEEDS, gold=gold, force=True).written and gold.read_bytes() != kept


def test_diff_summary_counts_content_not_server_ids():
    a = [{"id": 1, "data": {"doc_id": "d"}, "annotations": [{"id": 1, "completed_by": {"id": 2, "email": "x@nkbench.local"}, "result": [
        {"id": "x", "from_name": "entity", "type": "labels", "value": {"start": 0, "end": 2, "labels": ["PER"]}},
        {"id": "y", "from_name": "entity", "type": "labels", "value": {"start": 3, "end": 4, "labels": ["GPE"]}},
        {"from_id": "x", "to_id": "y", "type": "relation", "labels": ["agent"], "direction": "right"}]}]}]
    b = json.loads(json.dumps(a))
    b[0]["id"], b[0]["annotations"][0]["id"] = 7, 8  # another server's ids
    b[0]["annotations"][0]["completed_by"]["id"] = 5
    assert sync.diff_summary(a, b) == (False, "tasks +0 -0, annotations +0 -0, regions +0 -0, relations +0 -0")
    b[0]["annotations"][0]["result"][1]["value"]["labels"] = ["LOC"]
    assert sync.diff_summary(a, b) == (True, "tasks +0 -0, annotations +0 -0, regions +1 -1, relations +0 -0")
    b[0]["annotations"][0]["completed_by"]["email"] = "z@nkbench.local"  # the same work by another annotator
    assert sync.diff_summary(a, b) == (True, "tasks +0 -0, annotations +1 -1, regions +2 -2, relations +1 -1")


def test_pull_runs_the_converter_validation(server, tmp_path):
    """An invalid working export is written (to see what to fix) and the pull fails with the
    converter's message; an invalid gold export is not written."""
    pushed(server)
    region = next(r for r in server.tasks[1]["annotations"][0]["result"] if r.get("from_name") == "entity")
    region["value"]["labels"] = ["PERSON"]
    out = tmp_path / "export.json"
    with pytest.raises(NkbenchError, match=rf"(?s)written \({len(SEEDS)} task\(s\).*does not pass validation:\n.*unknown label 'PERSON'") as err:
        sync.pull(client(server), out, seeds=SEEDS, gold=tmp_path / "gold.json")
    assert str(out) in str(err.value) and out.exists()
    gold = tmp_path / "gold.json"
    with pytest.raises(NkbenchError, match=r"not written: the export .* does not pass validation"):
        sync.pull(client(server), gold, seeds=SEEDS, gold=gold, force=True)
    assert not gold.exists()
