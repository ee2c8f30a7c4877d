"""Integration: a real Label Studio 1.23.2 on 127.0.0.1, started and stopped by this session.

The server comes from ``scripts/label-studio serve`` (venv ``.ls-venv`` or ``$NKBENCH_LS_VENV``;
installed from PyPI when missing), with a fresh data folder and a free port. Skipped, with the
reason, only when label-studio cannot be installed.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkbench.cli import main
from nkbench.errors import NkbenchError
from nkbench.labelstudio import sync
from nkbench.labelstudio.client import LabelStudio
from nkbench.seeds import load_seeds

pytestmark = pytest.mark.labelstudio

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "label-studio"
GOLDEN = Path(__file__).parent / "golden" / "labelstudio"
TEST_CONFIG = GOLDEN / "labeling_config.xml"
START_TIMEOUT = 180


def _venv() -> Path:
    return Path(os.environ.get("NKBENCH_LS_VENV") or ROOT / ".ls-venv")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        status, body = LabelStudio(url, "unused", timeout=3)._raw("GET", "/health", auth=False, timeout=3)
    except NkbenchError:  # not listening yet
        return False
    return status == 200 and b"UP" in body


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    """(url, api key) of a Label Studio started for this session; always stopped afterwards."""
    env = {**os.environ, "NKBENCH_LS_VENV": str(_venv())}
    if not (_venv() / "bin" / "label-studio").exists():
        done = subprocess.run([str(SCRIPT), "install"], env=env, capture_output=True, text=True, timeout=1800)
        if done.returncode != 0:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            pytest.skip(f"label-studio==1.23.2 could not be installed into {_venv()}: {last[0]}")
    data = tmp_path_factory.mktemp("label-studio-data")
    port = _free_port()
    env.update(LABEL_STUDIO_DATA_DIR=str(data), LABEL_STUDIO_PORT=str(port))
    log = open(data / "serve.log", "wb")
    proc = subprocess.Popen([str(SCRIPT), "serve"], env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline, url = time.monotonic() + START_TIMEOUT, None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"Label Studio exited with {proc.returncode}:\n{(data / 'serve.log').read_text()[-3000:]}")
            # Label Studio moves to the next port when one is taken: trust only the address it logs
            listening = re.findall(r"Starting development server at (http://127\.0\.0\.1:\d+)",
                                   (data / "serve.log").read_text(errors="replace"))
            if listening and _healthy(listening[-1]):
                url = listening[-1]
                break
            time.sleep(1)
        if url is None:
            pytest.fail(f"no /health from Label Studio after {START_TIMEOUT} s:\n{(data / 'serve.log').read_text()[-3000:]}")
        creds = dict(line.split("=", 1) for line in (data / "credentials.env").read_text().split())
        yield url, creds["LABEL_STUDIO_API_KEY"]
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)
        log.close()


def cli(args, key):
    result = CliRunner().invoke(main, args, env={"LABEL_STUDIO_API_KEY": key})
    assert "Traceback" not in result.output
    return result


def results_by_doc(export, kind="annotations"):
    return {t["data"]["doc_id"]: [a["result"] for a in t[kind]] for t in export}


def test_seeds_with_preannotations_round_trip(label_studio, tmp_path):
    url, key = label_studio
    title = "nkbench round trip"
    base = ["--url", url, "--project-title", title]
    push = ["annotate", "push", *base, "--config", str(TEST_CONFIG), "--predictions", str(GOLDEN / "predictions.jsonl")]
    first = cli(push, key)
    assert first.exit_code == 0, first.output
    assert "imported 4 new task(s) with 0 annotation(s) and 4 prediction(s)" in first.output

    # an annotator accepts each pre-annotation and, in one document, adds a region and a relation
    client = LabelStudio(url, key)
    project = client.find_project(title)
    sent = {}
    seeds = load_seeds()
    for task in client.tasks(project):
        doc_id = task["data"]["doc_id"]
        result = json.loads(json.dumps(task["predictions"][0]["result"]))
        if doc_id == "002_2476f1cd8ed7decf":
            start = seeds[doc_id].text.index("Artsakh")
            result.append({"id": "002-new", "from_name": "entity", "to_name": "text", "type": "labels",
                           "value": {"start": start, "end": start + 7, "text": "Artsakh", "labels": ["GPE"]}})
            result.append({"from_id": "002-new", "to_id": "002-e1", "type": "relation", "direction": "right",
                           "labels": ["source"]})
        client.add_annotation(task["id"], {"result": result, "ground_truth": True})
        sent[doc_id] = [result]

    out = tmp_path / "export.json"
    pulled = cli(["annotate", "pull", *base, "--out", str(out)], key)
    assert pulled.exit_code == 0, pulled.output
    assert "4 task(s), 4 annotation(s), 21 region(s), 4 relation(s)" in pulled.output
    export = json.loads(out.read_text(encoding="utf-8"))
    assert results_by_doc(export) == sent  # same regions, relations, ids and offsets
    predictions = sync.read_predictions(GOLDEN / "predictions.jsonl")
    assert results_by_doc(export, "predictions") == {d: [p["result"] for p in ps] for d, ps in predictions.items()}
    for task in export:  # offsets are code points into the verbatim seed
        for item in task["annotations"][0]["result"]:
            if "value" in item:
                v = item["value"]
                assert seeds[task["data"]["doc_id"]].text[v["start"]:v["end"]] == v["text"]

    again = cli(push, key)  # idempotent: no new task, annotations untouched
    assert again.exit_code == 0 and "imported 0 new task(s)" in again.output
    assert "4 task(s) already on the server left unchanged" in again.output
    out2 = tmp_path / "export2.json"
    assert cli(["annotate", "pull", *base, "--out", str(out2)], key).exit_code == 0
    assert json.loads(out2.read_text(encoding="utf-8")) == export

    # as a new user: a wrong key, a config that differs; each one line, nothing written or changed
    bad = cli(["annotate", "pull", *base, "--out", str(tmp_path / "bad.json")], "not-the-key-0000")
    assert bad.exit_code == 1 and "rejected the API key (HTTP 401)" in bad.output and "not-the-key" not in bad.output
    assert not (tmp_path / "bad.json").exists()
    other = tmp_path / "other.xml"
    other.write_text(TEST_CONFIG.read_text(encoding="utf-8").replace('"ATTACK"', '"ASSAULT"'), encoding="utf-8")
    differs = cli(["annotate", "push", *base, "--config", str(other)], key)
    assert differs.exit_code == 1 and "has a different labeling config than ours; nothing was changed" in differs.output
    assert sync.same_config(client.find_project(title).label_config, TEST_CONFIG.read_text(encoding="utf-8"))


def test_tasks_with_annotations_come_back_unchanged(label_studio, tmp_path):
    """The committed gold export (or, before it exists, a generated one) pushed into a fresh
    project and pulled back: the same annotations, and a pull onto it keeps it as is."""
    url, key = label_studio
    gold = ROOT / "annotation" / "gold_export.json"
    config = ROOT / "annotation" / "labeling_config.xml"
    if gold.exists() and config.exists():
        source = json.loads(gold.read_text(encoding="utf-8"))
    else:
        config = TEST_CONFIG
        preds = sync.read_predictions(GOLDEN / "predictions.jsonl")
        source = [{"data": t["data"], "annotations": [{"result": p["result"], "ground_truth": True} for p in preds[t["data"]["doc_id"]]]}
                  for t in sync.seed_tasks(load_seeds().values())]
    src = tmp_path / "tasks.json"
    src.write_text(json.dumps(source, ensure_ascii=False), encoding="utf-8")
    base = ["--url", url, "--project-title", "nkbench gold review"]
    pushed = cli(["annotate", "push", *base, "--config", str(config), "--tasks", str(src)], key)
    assert pushed.exit_code == 0, pushed.output
    copy = tmp_path / "gold_export.json"
    assert cli(["annotate", "pull", *base, "--out", str(copy)], key).exit_code == 0
    back = json.loads(copy.read_text(encoding="utf-8"))
    assert results_by_doc(back) == results_by_doc(source)
    assert [[a.get("ground_truth", False) for a in t["annotations"]] for t in back] == \
           [[a.get("ground_truth", False) for a in t["annotations"]] for t in source]
    assert sync.diff_summary(source, back) == (False, "tasks +0 -0, annotations +0 -0, regions +0 -0, relations +0 -0")
