"""The bad-input suite: every entry point fed hostile input, each case asserting the exit code,
the message, that no traceback and no internal error (the CLI's last resort) is shown, no secret
is printed, and that no file changed outside the case's expected output (the temporary folder
and the project's own folders are hashed before and after).

Servers are real HTTP servers on 127.0.0.1 (tests/http_fake.py), bounded in requests and time.
A table row is ``(id, setup, exit code, message)``: ``setup(tmp)`` writes the inputs and returns
the command line (and, optionally, the paths under ``tmp`` the command may change).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkbench.cli import main

from .http_fake import Fault, FakeServer

HERE = Path(__file__).parent
ROOT = HERE.parent
PRED_DIR = HERE / "golden" / "predictions"
GOLD_FILE = PRED_DIR / "gold.jsonl"
PRED = json.loads((PRED_DIR / "predictions.jsonl").read_text(encoding="utf-8"))
GOLD = [json.loads(x) for x in GOLD_FILE.read_text(encoding="utf-8").splitlines()]
EXPORT = json.loads((HERE / "golden" / "labelstudio" / "export.json").read_text(encoding="utf-8"))
KEY = "secret-token-123"
WATCHED = [ROOT / "data", ROOT / "annotation", ROOT / "seeds", ROOT / "benchmark"]


# -- the harness -----------------------------------------------------------------------------------


def tree_hash(*roots: Path) -> dict[str, str]:
    """Every entry under ``roots``: file bytes, symlink targets, FIFOs and modes (nothing followed)."""
    out = {}
    for root in roots:
        if not root.exists():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in ("__pycache__", "label-studio-data")]
            for name in dirnames + filenames:
                path = Path(dirpath) / name
                st = os.lstat(path)
                if stat.S_ISLNK(st.st_mode):
                    what = "link:" + os.readlink(path)
                elif stat.S_ISREG(st.st_mode):
                    what = hashlib.sha256(path.read_bytes()).hexdigest()
                elif stat.S_ISDIR(st.st_mode):
                    what = "dir"
                else:
                    what = f"special:{stat.S_IFMT(st.st_mode)}"
                out[str(path)] = f"{what}:{oct(st.st_mode)}"
    return out


@pytest.fixture(autouse=True)
def crash_dir(tmp_path_factory, monkeypatch):
    """Crash logs (the CLI's last resort) go to their own folder; no case may reach it."""
    monkeypatch.setenv("NKBENCH_CRASH_DIR", str(tmp_path_factory.mktemp("crash")))


def invoke(args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env={"LABEL_STUDIO_API_KEY": KEY, **(env or {})})


def assert_clean_outcome(result, code, message, secret):
    """The verdict every bad-input case shares: no traceback, no crash log, the exit code, each part
    of ``message`` in the output, and ``secret`` nowhere in it. Returns the output."""
    out = result.output
    assert "Traceback" not in out and "internal error" not in out, out
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, out
    for part in [message] if isinstance(message, str) else message:
        assert part in out, out
    assert secret not in out
    return out


def check_case(tmp_path, setup, code, message, *, env=None):
    got = setup(tmp_path)
    args, changes = got if isinstance(got, tuple) else (got, ())
    allowed = {str(tmp_path / c) for c in changes}
    before = tree_hash(tmp_path, *WATCHED)
    result = invoke(args, env)
    after = tree_hash(tmp_path, *WATCHED)
    out = assert_clean_outcome(result, code, message, KEY)
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    assert changed <= allowed, f"changed outside the expected output: {sorted(changed - allowed)}"
    return result


def write(path: Path, content) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def jsonl(*objs) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs)


def pred(**changes):
    """The golden predictions with ``layer__index__field=value`` changes (``layer=value`` replaces a layer)."""
    obj = copy.deepcopy(PRED)
    for path, value in changes.items():
        parts = path.split("__")
        if len(parts) == 1:
            obj[parts[0]] = value
        else:
            obj[parts[0]][int(parts[1])][parts[2]] = value
    return obj


def gold(**changes):
    obj = copy.deepcopy(GOLD)
    for path, value in changes.items():
        parts = path.split("__")
        obj[0][parts[0]] = value if len(parts) == 1 else obj[0][parts[0]]
        if len(parts) > 1:
            obj[0][parts[0]][int(parts[1])][parts[2]] = value
    return obj


DEEP = "[" * 100_000 + "]" * 100_000
BIG_INT = "1" * 5000


# -- score / compare -------------------------------------------------------------------------------


def score_with(content, *extra, gold_content=None):
    def setup(tmp):
        p = write(tmp / "p.jsonl", content)
        g = write(tmp / "g.jsonl", gold_content) if gold_content is not None else GOLD_FILE
        return ["score", p, "--gold", g, "--resamples", "5", *extra]
    return setup


SCORE = [
    ("missing file", lambda t: ["score", t / "nope.jsonl", "--gold", GOLD_FILE], 1, "nope.jsonl: no such file"),
    ("predictions is a folder", lambda t: ["score", t, "--gold", GOLD_FILE], 2, "is a directory"),
    ("empty", score_with(""), 1, "empty file"),
    ("blank lines", score_with("\n \n"), 1, "empty file"),
    ("malformed JSON", score_with('{"id": "d1",\n'), 1, ["p.jsonl:1", "malformed JSON"]),
    ("nested 100000 deep", score_with('{"id": "d1", "mentions": ' + DEEP + "}\n"), 1, ["p.jsonl:1", "nested too deeply"]),
    ("5000-digit integer", score_with('{"id": "d1", "mentions": [{"id": "p1", "start": ' + BIG_INT + ', "end": 3, "label": "GPE"}]}\n'),
     1, ["p.jsonl:1", "unreadable JSON value"]),
    ("mentions is a number", score_with(jsonl(pred(mentions=5))), 1, ["p.jsonl:1", "mentions"]),
    ("mentions is a string", score_with(jsonl(pred(mentions="m1"))), 1, ["p.jsonl:1", "mentions"]),
    ("mention is a number", score_with(jsonl(pred(mentions=[1, 2]))), 1, ["p.jsonl:1", "mentions[0]"]),
    ("id is a list", score_with(jsonl(pred(id=["d1"]))), 1, ["p.jsonl:1", "id"]),
    ("id is null", score_with(jsonl(pred(id=None))), 1, ["p.jsonl:1", "id"]),
    ("id is a number", score_with(jsonl(pred(id=1))), 1, ["p.jsonl:1", "id"]),
    ("start is a bool", score_with(jsonl(pred(mentions__0__start=True))), 1, ["p.jsonl:1", "start"]),
    ("start is a float", score_with(jsonl(pred(mentions__0__start=1.5))), 1, ["p.jsonl:1", "start"]),
    ("start is huge", score_with(jsonl(pred(mentions__0__start=10**30))), 1, ["p.jsonl:1"]),
    ("start is negative", score_with(jsonl(pred(mentions__0__start=-1))), 1, ["p.jsonl:1"]),
    ("label is null", score_with(jsonl(pred(mentions__0__label=None))), 1, ["p.jsonl:1", "label"]),
    ("entity_id is a number", score_with(jsonl(pred(mentions__0__entity_id=5))), 1, ["p.jsonl:1", "entity_id"]),
    ("arguments is a string", score_with(jsonl(pred(events__0__arguments="pn"))), 1, ["p.jsonl:1", "arguments"]),
    ("argument without role", score_with(jsonl(pred(events__0__arguments=[{"mention": "pn"}]))), 1, ["p.jsonl:1", "role"]),
    ("duplicate argument", score_with(jsonl(pred(events__0__arguments=[{"role": "Agent", "mention": "pn"}] * 2))), 1,
     ["p.jsonl:1", "argument"]),
    ("unknown stance", score_with(jsonl(pred(claims__0__stance="claims"))), 1, ["p.jsonl:1", "stance"]),
    ("value bound is text", score_with(jsonl(pred(claims__0__value={"low": "ten", "high": 10, "hedge": "exact", "counted": "killed"}))),
     1, ["p.jsonl:1", "low"]),
    ("NaN value", score_with(jsonl(pred(claims__0__value={"low": float("nan"), "high": 190, "hedge": "approx", "counted": "killed"}))),
     1, ["p.jsonl:1", "not a finite number"]),
    ("Infinity value", score_with(jsonl(pred(claims__0__value={"low": 1, "high": float("inf"), "hedge": "approx", "counted": "killed"}))),
     1, ["p.jsonl:1", "not a finite number"]),
    ("-Infinity offset", score_with('{"id": "d1", "mentions": [{"id": "p1", "start": -Infinity, "end": 3, "label": "GPE"}]}\n'),
     1, ["p.jsonl:1", "not a finite number"]),
    ("not UTF-8", score_with(b'{"id": "d1", "mentions": [{"start": 0, "end": 3, "label": "PER", "text": "\xe9"}]}\n'), 1, "not UTF-8"),
    ("UTF-8 BOM", score_with("\ufeff" + jsonl(PRED)), 1, ["p.jsonl:1"]),
    ("a JSON list per line", score_with("[1, 2]\n"), 1, ["p.jsonl:1", "expected a JSON object"]),
    ("document twice", score_with(jsonl(PRED, PRED)), 1, ["p.jsonl:2", "twice"]),
    ("unknown field", score_with(jsonl(pred(mentionz=[]))), 1, ["p.jsonl:1", "mentionz"]),
    ("/dev/zero", lambda t: ["score", "/dev/zero", "--gold", GOLD_FILE], 1, ["/dev/zero:1", "line longer than"]),
    ("gold text null", score_with(jsonl(PRED), gold_content=jsonl(*gold(text=None))), 1, ["g.jsonl:1", "text"]),
    ("gold without text", score_with(jsonl(PRED), gold_content=jsonl({k: v for k, v in GOLD[0].items() if k != "text"}, GOLD[1])),
     1, ["g.jsonl:1", "text"]),
    ("gold document twice", score_with(jsonl(PRED), gold_content=jsonl(GOLD[0], GOLD[0])), 1, ["g.jsonl:2", "twice"]),
    ("gold mentions is a number", score_with(jsonl(PRED), gold_content=jsonl(*gold(mentions=5))), 1, ["g.jsonl:1", "mentions"]),
    ("--out is the predictions", lambda t: ["score", write(t / "p.jsonl", jsonl(PRED)), "--gold", GOLD_FILE, "--out", t / "p.jsonl"],
     1, ["is the input", "p.jsonl"]),
    ("--out is the gold", lambda t: ["score", write(t / "p.jsonl", jsonl(PRED)), "--gold", write(t / "g.jsonl", jsonl(*GOLD)),
                                     "--out", t / "g.jsonl"], 1, "is the input"),
    ("--out via a symlink to the input", lambda t: (write(t / "p.jsonl", jsonl(PRED)), os.symlink(t / "p.jsonl", t / "r.json"),
                                                   ["score", t / "p.jsonl", "--gold", GOLD_FILE, "--out", t / "r.json"])[-1],
     1, "is the input"),
    ("--out is a folder", lambda t: ["score", write(t / "p.jsonl", jsonl(PRED)), "--gold", GOLD_FILE, "--out", t], 2, "is a directory"),
    ("--out is a FIFO", lambda t: (os.mkfifo(t / "fifo"), ["score", write(t / "p.jsonl", jsonl(PRED)), "--gold", GOLD_FILE,
                                                          "--resamples", "0", "--out", t / "fifo"])[-1], 1, "is a FIFO"),
    ("--out is a dangling symlink", lambda t: (os.symlink(t / "nowhere" / "x", t / "link"),
                                               ["score", write(t / "p.jsonl", jsonl(PRED)), "--gold", GOLD_FILE,
                                                "--resamples", "0", "--out", t / "link"])[-1], 1, "does not exist"),
    ("--seed -1", score_with(jsonl(PRED), "--seed", "-1"), 2, "--seed"),
    ("--seed 2**64", score_with(jsonl(PRED), "--seed", str(2**64)), 2, "--seed"),
    ("--resamples -5", score_with(jsonl(PRED), "--resamples", "-5"), 2, "--resamples"),
    ("--resamples 10**12", score_with(jsonl(PRED), "--resamples", str(10**12)), 2, "--resamples"),
    ("--resamples text", score_with(jsonl(PRED), "--resamples", "many"), 2, "--resamples"),
    ("--layer unknown", score_with(jsonl(PRED), "--layer", "relations"), 2, "--layer"),
    ("--unit unknown", score_with(jsonl(PRED), "--unit", "token"), 2, "--unit"),
]


def compare_with(a, b, *extra):
    def setup(tmp):
        pa, pb = write(tmp / "a.jsonl", a), write(tmp / "b.jsonl", b)
        return ["compare", pa, pb, "--gold", GOLD_FILE, "--resamples", "5", *extra]
    return setup


COMPARE = [
    ("A empty", compare_with("", jsonl(PRED)), 1, ["a.jsonl", "empty file"]),
    ("B malformed", compare_with(jsonl(PRED), "{"), 1, ["b.jsonl:1", "malformed JSON"]),
    ("B nested deep", compare_with(jsonl(PRED), DEEP + "\n"), 1, ["b.jsonl:1", "nested too deeply"]),
    ("A NaN", compare_with('{"id": "d1", "mentions": [{"id": "p1", "start": NaN, "end": 3, "label": "GPE"}]}\n', jsonl(PRED)),
     1, ["a.jsonl:1", "not a finite number"]),
    ("--resamples 0", compare_with(jsonl(PRED), jsonl(PRED), "--resamples", "0"), 2, "--resamples"),
    ("--resamples -1", compare_with(jsonl(PRED), jsonl(PRED), "--resamples", "-1"), 2, "--resamples"),
    ("--seed -1", compare_with(jsonl(PRED), jsonl(PRED), "--seed", "-1"), 2, "--seed"),
    ("--out is A", lambda t: compare_with(jsonl(PRED), jsonl(PRED))(t) + ["--out", t / "a.jsonl"], 1, "is the input"),
    ("--out is B", lambda t: compare_with(jsonl(PRED), jsonl(PRED))(t) + ["--out", t / "b.jsonl"], 1, "is the input"),
    ("B missing", lambda t: ["compare", write(t / "a.jsonl", jsonl(PRED)), t / "b.jsonl", "--gold", GOLD_FILE], 1, "no such file"),
]


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in SCORE + COMPARE], ids=[c[0] for c in SCORE + COMPARE])
def test_score_and_compare(tmp_path, setup, code, message):
    check_case(tmp_path, setup, code, message)


# -- annotate convert / check ----------------------------------------------------------------------


def export_with(mutate=None, raw=None):
    def make(tmp):
        if raw is not None:
            return write(tmp / "export.json", raw)
        export = copy.deepcopy(EXPORT)
        if mutate is not None:
            export = mutate(export) or export
        return write(tmp / "export.json", export)
    return make


def convert(mutate=None, raw=None, *extra):
    def setup(tmp):
        return ["annotate", "convert", export_with(mutate, raw)(tmp), "--out", tmp / "gold.jsonl", *extra]
    return setup


def result0(x):
    return x[0]["annotations"][1]["result"]


def dup_relation(x):
    [victim] = [r for r in result0(x) if r.get("type") == "relation" and r["labels"] == ["Victim"]]
    result0(x).append(copy.deepcopy(victim))


CONVERT = [
    ("empty export []", convert(raw="[]"), 1, "no tasks"),
    ("export is an object", convert(raw={"tasks": []}), 1, "expected a JSON list of tasks"),
    ("export is a number", convert(raw="5"), 1, "expected a JSON list of tasks"),
    ("task is a number", convert(raw="[5]"), 1, "task"),
    ("task is a list", convert(raw="[[1]]"), 1, "task"),
    ("task without data", convert(lambda x: x[0].pop("data") and None), 1, "data"),
    ("data is a string", convert(lambda x: x[0].__setitem__("data", "text")), 1, "data"),
    ("annotations is a number", convert(lambda x: x[0].__setitem__("annotations", 5)), 1, "annotations"),
    ("result is a string", convert(lambda x: x[0]["annotations"][1].__setitem__("result", "x")), 1, "result"),
    ("region value null", convert(lambda x: result0(x)[0].__setitem__("value", None)), 1, "value"),
    ("offset 5000 digits", convert(raw=json.dumps(EXPORT).replace('"start": 3,', '"start": ' + BIG_INT + ",", 1)), 1,
     "unreadable JSON value"),
    ("nested 100000 deep", convert(raw=DEEP), 1, "nested too deeply"),
    ("malformed JSON", convert(raw='[{"id": 1,\n "data": }]'), 1, ["export.json:2", "malformed JSON"]),
    ("not UTF-8", convert(raw=b'[{"id": 1, "data": {"text": "\xe9"}}]'), 1, "not UTF-8"),
    ("duplicate argument relation", convert(dup_relation), 1, "twice"),
    ("task id is a list", convert(lambda x: x[0].__setitem__("id", [7])), 1, "id"),
    ("doc_id unknown", convert(lambda x: x[0]["data"].__setitem__("doc_id", "999_nope")), 1, "999_nope"),
    ("completed_by is a list", convert(lambda x: x[0]["annotations"][1].__setitem__("completed_by", [1])), 1, "completed_by"),
    ("export missing", lambda t: ["annotate", "convert", t / "none.json", "--out", t / "g.jsonl"], 1, "no such file"),
    ("--out is the export", lambda t: ["annotate", "convert", export_with()(t), "--out", t / "export.json"], 1, "is the input"),
    ("a pass file would be --out", lambda t: ["annotate", "convert", export_with()(t), "--out", t / "2.jsonl",
                                              "--passes-out", t], 1, "is the input"),
    ("--passes-out is a file", lambda t: ["annotate", "convert", export_with()(t), "--out", t / "out" / "gold.jsonl",
                                          "--passes-out", write(t / "passes", "x")], 2, "is a file"),
    ("--passes-out holds a FIFO", lambda t: (os.makedirs(t / "passes"), os.mkfifo(t / "passes" / "2.jsonl"),
                                             ["annotate", "convert", export_with()(t), "--out", t / "gold.jsonl",
                                              "--passes-out", t / "passes"])[-1], 1, "is a FIFO"),
    ("--out is a FIFO", lambda t: (os.mkfifo(t / "fifo"), ["annotate", "convert", export_with()(t), "--out", t / "fifo"])[-1],
     1, "is a FIFO"),
    ("--annotator unknown", convert(None, None, "--annotator", "nobody"), 1, "no annotation by 'nobody'"),
    ("--seeds missing", convert(None, None, "--seeds", "/nonexistent/seeds"), 1, "/nonexistent/seeds"),
]


def check_cmd(content, name="gold.jsonl"):
    def setup(tmp):
        return ["annotate", "check", write(tmp / name, content)]
    return setup


CHECK = [
    ("empty export []", check_cmd("[]", "export.json"), 1, "no tasks"),
    ("gold empty", check_cmd(""), 1, "empty file"),
    ("gold mentions is a number", check_cmd(jsonl({"id": "000_112b86200dab1a20", "language": "es", "text": "x", "mentions": 5})),
     1, ["gold.jsonl:1", "mentions"]),
    ("gold text null", check_cmd(jsonl({"id": "000_112b86200dab1a20", "language": "es", "text": None})), 1, ["gold.jsonl:1", "text"]),
    ("gold nested deep", check_cmd(DEEP), 1, "nested too deeply"),
    ("gold not UTF-8", check_cmd(b"\xff\xfe{}\n"), 1, "not UTF-8"),
    ("export nested deep", check_cmd(DEEP, "export.json"), 1, "nested too deeply"),
    ("export task is a string", check_cmd('["x"]', "export.json"), 1, "task"),
    ("missing", lambda t: ["annotate", "check", t / "none.jsonl"], 1, "no such file"),
    ("folder", lambda t: ["annotate", "check", t], 2, "is a directory"),
]


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in CONVERT + CHECK], ids=[c[0] for c in CONVERT + CHECK])
def test_annotate_convert_and_check(tmp_path, setup, code, message):
    check_case(tmp_path, setup, code, message)


def test_convert_writes_all_outputs_or_none(tmp_path, monkeypatch):
    """A failure while writing the pass files leaves neither the gold nor any pass file."""
    import errno

    calls = []
    real = os.replace

    def failing(src, dst, *a, **kw):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", failing)
    setup = lambda t: ["annotate", "convert", export_with()(t), "--out", t / "gold.jsonl", "--passes-out", t / "passes"]  # noqa: E731
    check_case(tmp_path, setup, 1, "No space left on device", )
    assert len(calls) == 2 and not (tmp_path / "gold.jsonl").exists()
    assert not any((tmp_path / "passes").glob("*.jsonl")) if (tmp_path / "passes").exists() else True


# -- annotate pull / push against real HTTP servers on 127.0.0.1 -----------------------------------

CONFIG = (ROOT / "annotation" / "labeling_config.xml").read_text(encoding="utf-8")
HTML = b"<!doctype html><html><body>It works!</body></html>"


def with_project(server: FakeServer) -> FakeServer:
    server.fake.projects[1] = {"id": 1, "title": "nkbench", "label_config": CONFIG}
    server.fake._ids["project"] = 1
    return server


SERVER = [
    # (id, command, faults, extra args, env, exit code, message)
    ("health answers HTML", "pull", {("GET", "/health"): Fault(200, HTML)}, [], {}, 1, "does not answer like Label Studio"),
    ("health answers nothing", "pull", {("GET", "/health"): Fault(200, b"")}, [], {}, 1, "does not answer like Label Studio"),
    ("health is not HTTP", "pull", {("GET", "/health"): Fault(raw=b"SSH-2.0-OpenSSH_9.2\r\n")}, [], {}, 1, "not an HTTP answer"),
    ("health closes at once", "pull", {("GET", "/health"): Fault(raw=b"")}, [], {}, 1, "cannot reach Label Studio"),
    ("health header too long", "pull", {("GET", "/health"): Fault(raw=b"HTTP/1.1 200 OK\r\nX: " + b"a" * 70000 + b"\r\n\r\n")},
     [], {}, 1, "not an HTTP answer"),
    ("health cut off", "pull", {("GET", "/health"): Fault(200, b'{"status": "UP"}', cut=5)}, [], {}, 1, "cut off"),
    ("health trickles", "pull", {("GET", "/health"): Fault(200, b'{"status": "UP", "padding": "........"}', trickle=0.2)},
     ["--timeout", "1"], {}, 1, "did not answer GET /health completely within 1 s"),
    ("key rejected", "pull", {("GET", "/api/current-user/whoami"): Fault(401, b'{"detail": "Invalid token."}')}, [], {}, 1,
     "rejected the API key"),
    ("error echoes the headers", "pull", {("GET", "/api/current-user/whoami"): Fault(500, echo_headers=True)}, [], {}, 1,
     ["HTTP 500", "Token ***"]),
    ("error echoes the key in JSON", "pull", {("GET", "/api/projects"): Fault(400, json.dumps({"detail": f"bad key {KEY}"}).encode())},
     [], {}, 1, ["HTTP 400", "bad key ***"]),
    ("projects answer HTML", "pull", {("GET", "/api/projects"): Fault(200, HTML)}, [], {}, 1, "is not JSON"),
    ("projects answer a number", "pull", {("GET", "/api/projects"): Fault(200, b'{"results": 5}')}, [], {}, 1, "unexpected answer"),
    ("project without id", "pull", {("GET", "/api/projects"): Fault(200, b'[{"title": "nkbench"}]')}, [], {}, 1,
     ["listing projects: unexpected answer", "missing 'id'"]),
    ("project id 5000 digits", "pull", {("GET", "/api/projects"): Fault(200, b'[{"id": ' + BIG_INT.encode() + b', "title": "x"}]')},
     [], {}, 1, "is not JSON"),
    ("projects answer nested deep", "pull", {("GET", "/api/projects"): Fault(200, DEEP.encode())}, [], {}, 1, "is not JSON"),
    ("projects never end", "pull", {("GET", "/api/projects"): Fault(200, b'{"results": [], "next": "more"}')}, [], {}, 1, "HTTP 503"),
    ("no such project", "pull", {}, ["--project-title", "other"], {}, 1, "no project titled 'other'"),
    ("snapshot id is text", "pull", {("POST", "/api/projects/1/exports"): Fault(201, b'{"id": "abc", "status": "created"}')},
     [], {}, 1, "snapshot id that is not a number"),
    ("snapshot answer is a list", "pull", {("POST", "/api/projects/1/exports"): Fault(201, b"[]")}, [], {}, 1, "unexpected answer"),
    ("snapshot failed", "pull", {("GET", "/api/projects/1/exports/1"): Fault(200, b'{"id": 1, "status": "failed"}', times=1)},
     [], {}, 1, "snapshot failed"),
    ("snapshot server error", "pull", {("POST", "/api/projects/1/exports"): Fault(500, HTML)}, [], {}, 1, "HTTP 500"),
    ("export is a number", "pull", {("GET", "/api/projects/1/exports/1/download"): Fault(200, b"5")}, [], {}, 1,
     "expected a JSON list of tasks"),
    ("export nested deep", "pull", {("GET", "/api/projects/1/exports/1/download"): Fault(200, DEEP.encode())}, [], {}, 1,
     "not JSON"),
    ("export of numbers", "pull", {("GET", "/api/projects/1/exports/1/download"): Fault(200, b"[5, 6]")}, [], {}, 1,
     "unexpected shape"),
    ("export cut off", "pull", {("GET", "/api/projects/1/exports/1/download"): Fault(200, b"[" + b" " * 100 + b"]", cut=20)},
     [], {}, 1, "cut off"),
    ("key with a newline", "pull", {}, [], {"LABEL_STUDIO_API_KEY": "abc\ndef-123"}, 1, "malformed: it contains a newline at position 4"),
    ("key with a space", "pull", {}, [], {"LABEL_STUDIO_API_KEY": "abc def"}, 1, "malformed: it contains a space"),
    ("key with a non-ASCII letter", "pull", {}, [], {"LABEL_STUDIO_API_KEY": "abcé"}, 1, "malformed: it contains character U+00E9"),
    ("key missing", "pull", {}, [], {"LABEL_STUDIO_API_KEY": ""}, 1, "LABEL_STUDIO_API_KEY is not set"),
    ("access token refresh answers HTML", "pull", {("POST", "/api/token/refresh"): Fault(200, HTML)}, [],
     {"LABEL_STUDIO_API_KEY": "eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl"}, 1, "without an access token"),
    ("push: task listing of text", "push", {("GET", "/api/tasks"): Fault(200, b'{"tasks": "x", "total": 1}')}, [], {}, 1,
     "unexpected answer"),
    ("push: import fails echoing headers", "push", {("POST", "/api/projects/1/import"): Fault(400, echo_headers=True)}, [], {}, 1,
     ["HTTP 400", "Token ***"]),
    ("push: import answers HTML", "push", {("POST", "/api/projects/1/import"): Fault(200, HTML)}, [], {}, 1, "is not JSON"),
    ("push: health trickles", "push", {("GET", "/health"): Fault(200, b'{"status": "UP", "padding": "........"}', trickle=0.2)},
     ["--timeout", "1"], {}, 1, "completely within 1 s"),
]


@pytest.mark.parametrize("command, faults, extra, env, code, message", [c[1:] for c in SERVER], ids=[c[0] for c in SERVER])
def test_label_studio_server_faults(tmp_path, command, faults, extra, env, code, message):
    with with_project(FakeServer(faults, token=KEY)) as server:
        out = ["--out", tmp_path / "export.json"] if command == "pull" else []
        check_case(tmp_path, lambda t: ["annotate", command, "--url", server.url, *out, *extra], code, message, env=env)
    assert server.overflow <= 1  # the client stopped soon after the budget was spent
    for _, _, headers in server.requests:  # the key only ever went to this server, as its header
        assert KEY not in "".join(f"{k}{v}" for k, v in headers.items() if k.lower() != "authorization")


def test_redirect_to_another_origin_is_refused_and_gets_no_key(tmp_path):
    with FakeServer({}, token=KEY) as elsewhere:
        to = Fault(302, b"", {"Location": f"{elsewhere.url}/api/projects/"})
        with with_project(FakeServer({("GET", "/api/projects"): to}, token=KEY)) as server:
            args = ["annotate", "pull", "--url", server.url, "--out", tmp_path / "export.json"]
            check_case(tmp_path, lambda t: args, 1, ["redirected to another origin", elsewhere.url, "never sent elsewhere"])
    assert elsewhere.requests == []


def test_redirect_on_the_same_origin_is_followed(tmp_path):
    with with_project(FakeServer({("GET", "/api/current-user/whoami"): Fault(301, b"", {"Location": "/api/current-user/whoami/"},
                                                                            times=1)}, token=KEY)) as server:
        result = invoke(["annotate", "pull", "--url", server.url, "--out", tmp_path / "export.json"])
    assert "Traceback" not in result.output and "redirected" not in result.output
    assert [p for m, p, _ in server.requests if "whoami" in p] == ["/api/current-user/whoami", "/api/current-user/whoami/"]


@pytest.mark.parametrize("url, message", [
    ("http://user:hunter2pass@127.0.0.1:9", "carries a user name or password"),
    ("http://127.0.0.1:port", "not an http(s) URL"),
    ("ftp://127.0.0.1:21", "not an http(s) URL"),
    ("127.0.0.1:8080", "not an http(s) URL"),
    ("http://127.0.0.1:8080/\nHost: evil", "whitespace or control characters"),
])
@pytest.mark.parametrize("command", ["pull", "push"])
def test_bad_url(tmp_path, url, message, command):
    out = ["--out", tmp_path / "export.json"] if command == "pull" else []
    result = check_case(tmp_path, lambda t: ["annotate", command, "--url", url, *out], 1, message)
    assert "hunter2pass" not in result.output


@pytest.mark.parametrize("make", [lambda t: t / "folder", lambda t: (os.mkfifo(t / "fifo"), t / "fifo")[1],
                                  lambda t: (os.symlink(t / "no" / "where", t / "dangling"), t / "dangling")[1]],
                         ids=["folder", "fifo", "dangling symlink"])
def test_pull_out_refused_before_any_request(tmp_path, make):
    (tmp_path / "folder").mkdir()
    out = make(tmp_path)
    with with_project(FakeServer({}, token=KEY)) as server:
        check_case(tmp_path, lambda t: ["annotate", "pull", "--url", server.url, "--out", out], 1,
                   ["is a", "outputs" if "fifo" in str(out) else ""])
    assert server.requests == []


# -- data build / data push ------------------------------------------------------------------------

from .dataset_fixture import CLI_ARGS, ENTITIES, GOLD as DS_GOLD, LINKS  # noqa: E402

DS_GOLD_LINES = [json.loads(x) for x in DS_GOLD.read_text(encoding="utf-8").splitlines()]
ENTITY_INV = json.loads(ENTITIES.read_text(encoding="utf-8"))
LINK_INV = json.loads(LINKS.read_text(encoding="utf-8"))


def build(tmp, *replace, out=None):
    """``data build`` with the fixture inputs, some options replaced (``("--entities", path)``)."""
    args, skip = [], {k for k, _ in replace}
    it = iter(CLI_ARGS)
    for k in it:
        v = next(it)
        if k not in skip or k == "--pass":
            args += [k, v]
    for k, v in replace:
        if k == "--pass":
            args = [a for i, a in enumerate(args) if not (a == "--pass" or (i and args[i - 1] == "--pass"))]
        args += [k, v]
    return ["data", "build", *args, "--out", out or tmp / "out"]


def inv(name, content):
    return lambda t: build(t, (f"--{name}", write(t / f"{name}.json", content)))


def gold_file(edit):
    def setup(t):
        lines = copy.deepcopy(DS_GOLD_LINES)
        edit(lines)
        return build(t, ("--gold", write(t / "gold.jsonl", jsonl(*lines))))
    return setup


def aliases_string(e):
    e = copy.deepcopy(e)
    e["azerbaijan"]["aliases"] = "Azerbaiyán"
    return e


def out_is(make):
    def setup(t):
        return build(t, out=make(t))
    return setup


def user_folder(t, name="notes.txt", content="mine"):
    write(t / "out" / name, content)
    return t / "out"


DATA_BUILD = [
    ("--out is a regular file", out_is(lambda t: write(t / "out", "my notes")), 1, "is a file, not a folder"),
    ("--out holds a user's file", out_is(user_folder), 1, ["is not empty", "notes.txt"]),
    ("--out holds a .env", out_is(lambda t: user_folder(t, ".env", "HF_TOKEN=hf_x")), 1, [".env", "nothing was replaced"]),
    ("--out holds a foreign README", out_is(lambda t: user_folder(t, "README.md", "# my project")), 1, "not a card nkbench wrote"),
    ("--out holds a subfolder", out_is(lambda t: user_folder(t, "src/main.py", "print()")), 1, "src/"),
    ("--out is a symlink to a folder", out_is(lambda t: (os.mkdir(t / "real"), os.symlink(t / "real", t / "link"), t / "link")[2]),
     1, "is a symlink"),
    ("--out under a file", out_is(lambda t: write(t / "file", "x") / "data"), 1, "cannot write the dataset"),
    ("entities is a list", inv("entities", [1, 2]), 1, "expected a JSON object keyed by id"),
    ("entity is a string", inv("entities", {**ENTITY_INV, "x": "GPE"}), 1, "the record of 'x' is a string, not an object"),
    ("aliases as a string", inv("entities", aliases_string(ENTITY_INV)), 1, ["'azerbaijan'", "aliases must be a list of strings"]),
    ("entity with an unknown field", inv("entities", {**ENTITY_INV, "baku": {**ENTITY_INV["baku"], "alias": ["x"]}}), 1,
     "unknown field(s) alias"),
    ("entities nested deep", inv("entities", DEEP), 1, "nested too deeply"),
    ("entities 5000-digit number", inv("entities", '{"x": ' + BIG_INT + "}"), 1, "unreadable JSON value"),
    ("links documents as a string", inv("links", {k: {**v, "documents": "000_112b86200dab1a20"} for k, v in LINK_INV.items()}), 1,
     "documents must be a list of document ids"),
    ("link is a number", inv("links", {**LINK_INV, "x": 5}), 1, "the record of 'x' is a number, not an object"),
    ("links not UTF-8", inv("links", b'{"\xff": 1}'), 1, "not UTF-8"),
    ("gold missing", lambda t: build(t, ("--gold", t / "none.jsonl")), 1, "no such file"),
    ("gold mentions is a number", gold_file(lambda g: g[0].__setitem__("mentions", 5)), 1, "mentions"),
    ("gold text null", gold_file(lambda g: g[0].__setitem__("text", None)), 1, "text"),
    ("gold document twice", gold_file(lambda g: g.append(g[0])), 1, "given twice (first on line 1)"),
    ("gold NaN value", gold_file(lambda g: g[0]["claims"][0].__setitem__("value", {"low": float("nan"), "high": None,
                                                                                     "hedge": "exact", "counted": "killed"})),
     1, "not a finite number"),
    ("gold duplicate argument", gold_file(lambda g: [e["arguments"].append(e["arguments"][0]) for e in g[0]["events"][:1]
                                                     if e["arguments"]] or g[0]["events"][0]["arguments"].extend(
        [{"role": "Place", "mention": g[0]["mentions"][0]["id"]}] * 2)), 1, "argument given 2 times"),
    ("--pass nonsense", lambda t: build(t, ("--pass", "nonsense")), 1, "neither NAME=FILE.jsonl nor a pass folder"),
    ("--pass missing file", lambda t: build(t, ("--pass", f"a={t / 'none.jsonl'}")), 1, "no such file"),
    ("--pass empty name", lambda t: build(t, ("--pass", f"={DS_GOLD}")), 1, "empty annotator name"),
    ("--pass nested deep", lambda t: build(t, ("--pass", f"a={write(t / 'a.jsonl', DEEP)}")), 1, "nested too deeply"),
]


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in DATA_BUILD], ids=[c[0] for c in DATA_BUILD])
def test_data_build(tmp_path, setup, code, message):
    check_case(tmp_path, setup, code, message)


def test_data_build_replaces_only_its_own_output_with_normal_modes(tmp_path):
    out = tmp_path / "out"
    out.mkdir()  # an empty folder is fine
    old = os.umask(0o022)
    try:
        first = invoke(build(tmp_path))
    finally:
        os.umask(old)
    assert first.exit_code == 0, first.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o755
    assert all(stat.S_IMODE(os.stat(p).st_mode) in (0o755, 0o644) for p in out.rglob("*"))
    again = invoke(build(tmp_path))  # a previous build is replaced as a whole
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no .out.new-*/.out.old-* left


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built") / "data"
    result = invoke(build(None, out=out))
    assert result.exit_code == 0, result.output
    return out


def copy_built(built, tmp):
    import shutil

    shutil.copytree(built, tmp / "data", symlinks=True)
    return tmp / "data"


def dry(make, dest=None):
    def setup(t):
        data = make(t)
        return ["data", "push", "--repo-id", "my-org/nkbench", "--dir", data, "--dry-run", dest(t) if dest else t / "upload"]
    return setup


def card_yaml(built, t, edit):
    import yaml

    data = copy_built(built, t)
    text = (data / "README.md").read_text(encoding="utf-8")
    end = text.index("\n---\n", 3)
    header = yaml.safe_load(text[4:end])
    edit(header)
    (data / "README.md").write_text("---\n" + yaml.safe_dump(header, sort_keys=False) + text[end + 1:], encoding="utf-8")
    return data


def data_push_cases(built):
    return [
        ("a user's folder with a README", dry(lambda t: (write(t / "mine" / "README.md", "# mine"), write(t / "mine" / ".env", "K=1"),
                                                         t / "mine")[2]), 1, "no YAML header"),
        ("a card that is not ours", dry(lambda t: card_yaml(built, t, lambda h: h.__setitem__("pretty_name", "other"))), 1,
         "not a dataset nkbench built"),
        ("a config naming ../../.ssh/id_rsa", dry(lambda t: card_yaml(built, t, lambda h: h["configs"][0]["data_files"][0].__setitem__(
            "path", "../../.ssh/id_rsa"))), 1, "names the data file '../../.ssh/id_rsa'"),
        ("an unknown config", dry(lambda t: card_yaml(built, t, lambda h: h["configs"][0].__setitem__("config_name", "secrets"))), 1,
         "is not one of nkbench's configs"),
        ("configs missing", dry(lambda t: card_yaml(built, t, lambda h: h.pop("configs"))), 1, "has no configs list"),
        ("a symlinked data file", dry(lambda t: (lambda d: ((d / "ner" / "test.parquet").unlink(), write(t / "secret", "k"),
                                                            os.symlink(t / "secret", d / "ner" / "test.parquet"), d)[3])(copy_built(built, t))),
         1, ["ner/test.parquet", "a symlink"]),
        ("a symlinked config folder", dry(lambda t: (lambda d: (__import__("shutil").move(d / "ner", t / "elsewhere"),
                                                                os.symlink(t / "elsewhere", d / "ner"), d)[2])(copy_built(built, t))),
         1, "a symlink"),
        ("a symlinked card", dry(lambda t: (lambda d: (os.replace(d / "README.md", t / "card.md"), os.symlink(t / "card.md", d / "README.md"),
                                                       d)[2])(copy_built(built, t))), 1, "README.md as a regular file"),
        ("a missing data file", dry(lambda t: (lambda d: ((d / "claims" / "test.parquet").unlink(), d)[1])(copy_built(built, t))), 1,
         "its data file is missing"),
        ("--dir missing", dry(lambda t: t / "none"), 1, "no such folder"),
        ("--dir is a file", dry(lambda t: write(t / "f", "x")), 1, "is not a folder"),
        ("card nested deep YAML", dry(lambda t: (lambda d: (write(d / "README.md", "---\n" + "[" * 5000 + "\n---\n"), d)[1])(copy_built(built, t))),
         1, "README.md"),
        ("--dry-run into a non-empty folder", dry(lambda t: copy_built(built, t), lambda t: write(t / "up" / "x", "1").parent), 1,
         "not an empty folder"),
        ("--dry-run onto a file", dry(lambda t: copy_built(built, t), lambda t: write(t / "up", "1")), 1, "not an empty folder"),
        ("--dry-run onto a symlink", dry(lambda t: copy_built(built, t), lambda t: (os.mkdir(t / "e"), os.symlink(t / "e", t / "l"), t / "l")[2]),
         1, "not an empty folder"),
        ("bad repo id", lambda t: ["data", "push", "--repo-id", "../x", "--dry-run", t / "u"], 1, "invalid repo id"),
    ]


def check_cases(cases, tmp_path_factory) -> None:
    """Each ``(name, setup, code, message)`` case in a fresh folder; a failure names its case."""
    for name, setup, code, message in cases:
        tmp = tmp_path_factory.mktemp("push")
        try:
            check_case(tmp, setup, code, message)
        except AssertionError as err:
            raise AssertionError(f"case {name!r}: {err}") from None


def test_data_push(tmp_path_factory, built):
    check_cases(data_push_cases(built), tmp_path_factory)


def test_dry_run_copies_only_the_dataset_s_own_files(tmp_path, built):
    data = copy_built(built, tmp_path)
    write(data / ".env", "HF_TOKEN=hf_secret")
    write(data / ".ssh" / "id_rsa", "KEY")
    write(data / "notes.txt", "mine")
    os.symlink("/etc/passwd", data / "passwd")
    result = invoke(["data", "push", "--repo-id", "my-org/nkbench", "--dir", data, "--dry-run", tmp_path / "up"])
    assert result.exit_code == 0, result.output
    copied = sorted(p.relative_to(tmp_path / "up").as_posix() for p in (tmp_path / "up").rglob("*") if p.is_file())
    assert copied == sorted(["README.md", *(f"{c}/test.parquet" for c in ("documents", "ner", "claims", "passes", "entities", "links"))])
    assert "not uploaded (4 file(s)" in result.output


# -- run / benchmark / annotate tasks, export, resolve ---------------------------------------------

SEED_ID = "000_112b86200dab1a20"


def run_input(content, *extra):
    return lambda t: ["run", "--system", "capitalised", "--input", write(t / "in.jsonl", content), "--out", t / "p.jsonl",
                      "--quiet", *extra]


SEED_DOC = {"id": SEED_ID, "language": "es", "text": "Bakú y Ereván."}

RUN = [
    ("unknown system", lambda t: ["run", "--system", "capitalized", "--out", t / "p.jsonl"], 1, "did you mean 'capitalised'"),
    ("input missing", lambda t: ["run", "--system", "capitalised", "--input", t / "none.jsonl", "--out", t / "p.jsonl"], 1, "no such file"),
    ("input empty", run_input(""), 1, "empty file"),
    ("input malformed", run_input("{\n"), 1, "malformed JSON"),
    ("input nested deep", run_input(DEEP), 1, "nested too deeply"),
    ("input text null", run_input(jsonl({**SEED_DOC, "text": None})), 1, "document has no text"),
    ("input document twice", run_input(jsonl(SEED_DOC, SEED_DOC)), 1, ["in.jsonl:2", "given twice (first on line 1)"]),
    ("input language unknown", run_input(jsonl({**SEED_DOC, "language": "fr"})), 1, "unknown or missing language 'fr'"),
    ("input is /dev/zero", lambda t: ["run", "--system", "capitalised", "--input", "/dev/zero", "--out", t / "p.jsonl"], 1,
     "line longer than"),
    ("--out is the input", lambda t: ["run", "--system", "capitalised", "--input", write(t / "in.jsonl", jsonl(SEED_DOC)),
                                      "--out", t / "in.jsonl"], 1, "is the input"),
    ("--out is a folder", lambda t: ["run", "--system", "capitalised", "--out", t], 2, "is a directory"),
    ("--out is a FIFO", lambda t: (os.mkfifo(t / "fifo"), ["run", "--system", "capitalised", "--out", t / "fifo"])[1], 1, "is a FIFO"),
    ("benchmark --resamples 0", lambda t: ["benchmark", "--resamples", "0", "--out-dir", t / "r"], 2, "--resamples"),
    ("benchmark --resamples -5", lambda t: ["benchmark", "--resamples", "-5", "--out-dir", t / "r"], 2, "--resamples"),
    ("benchmark --resamples 10**12", lambda t: ["benchmark", "--resamples", str(10**12), "--out-dir", t / "r"], 2, "--resamples"),
    ("benchmark unknown system", lambda t: ["benchmark", "--system", "rule", "--out-dir", t / "r"], 1, "did you mean 'rules'"),
    ("tasks --out is the predictions", lambda t: ["annotate", "tasks", "--predictions", write(t / "p.jsonl", jsonl(PRED)),
                                                  "--out", t / "p.jsonl"], 1, "is the input"),
    ("tasks predictions nested deep", lambda t: ["annotate", "tasks", "--predictions", write(t / "p.jsonl", DEEP),
                                                 "--out", t / "t.json"], 1, "nested too deeply"),
    ("tasks --out is a FIFO", lambda t: (os.mkfifo(t / "fifo"), ["annotate", "tasks", "--out", t / "fifo"])[1], 1, "is a FIFO"),
    ("export --out is the gold", lambda t: ["annotate", "export", write(t / "g.jsonl", jsonl(*GOLD)), "--out", t / "g.jsonl"], 1,
     "is the input"),
    ("export gold text null", lambda t: ["annotate", "export", write(t / "g.jsonl", jsonl(*gold(text=None))), "--out", t / "x.json"],
     1, "text"),
    ("resolve --out inside the pass folder", lambda t: ["annotate", "resolve", HERE / "golden" / "passes" / "annotator-x",
                                                        "--out", HERE / "golden" / "passes" / "annotator-x"], 1, "is the input"),
]


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in RUN], ids=[c[0] for c in RUN])
def test_run_benchmark_and_annotate_writers(tmp_path, setup, code, message):
    check_case(tmp_path, setup, code, message)


# -- the last resort -------------------------------------------------------------------------------


@pytest.mark.parametrize("args, command, target", [
    (["score", PRED_DIR / "predictions.jsonl", "--gold", GOLD_FILE], "nkbench score", "nkbench.benchmark.scoring.stream.score_file"),
    (["annotate", "check", GOLD_FILE], "nkbench annotate check", "nkbench.annotation.guidelines.check_all"),
    (["data", "push", "--repo-id", "a/b", "--dry-run", "/nonexistent/x"], "nkbench data push", "nkbench.dataset.push.upload_plan"),
])
def test_an_unexpected_exception_is_one_line_and_a_log(tmp_path, monkeypatch, args, command, target):
    """The CLI's last resort (never reached by the cases above): one line naming the command and
    a log file with the traceback (secrets redacted), exit 70."""
    def boom(*a, **kw):
        raise ZeroDivisionError(f"planted bug {KEY}")

    monkeypatch.setattr(target, boom)
    monkeypatch.setenv("NKBENCH_CRASH_DIR", str(tmp_path))
    result = invoke(args)
    assert result.exit_code == 70 and len(result.output.strip().splitlines()) == 1, result.output
    assert f"internal error in `{command}` (ZeroDivisionError)" in result.output and "Traceback" not in result.output
    [log] = tmp_path.glob("nkbench-crash-*.log")
    assert str(log) in result.output
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "planted bug ***" in text and KEY not in text


def test_the_documented_limits_are_the_code_s():
    """README.md's limits are the constants the code enforces (no figure typed by hand drifts)."""
    import inspect

    from nkbench.cli.benchmark import score as score_cli
    from nkbench.core.io import MAX_FILE_BYTES, MAX_LINE_BYTES
    from nkbench.annotation.labelstudio.client import MAX_ANSWER_BYTES, LabelStudio

    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    wait = inspect.signature(LabelStudio.export_full).parameters["max_wait"].default
    for phrase in [f"One JSON Lines line (one document): at most {MAX_LINE_BYTES // 2**20} MiB",
                   f"A whole JSON file: at most {MAX_FILE_BYTES // 2**20} MiB",
                   f"One Label Studio answer: at most {MAX_ANSWER_BYTES // 2**20} MiB",
                   f"awaited at most {wait:.0f} s",
                   f"0 to {score_cli.MAX_RESAMPLES} for `score`", f"`--seed`: 0 to {score_cli.MAX_SEED}"]:
        assert phrase in text, phrase


def test_snapshot_wait_shows_progress_and_ends(monkeypatch):
    """A snapshot that never completes: progress lines every 5 s, then an error at max_wait."""
    import types

    from nkbench.core.errors import NkbenchError
    from nkbench.annotation.labelstudio import client as C

    from .fake_labelstudio import FakeLabelStudio

    fake = FakeLabelStudio(KEY)
    fake.projects[1] = {"id": 1, "title": "nkbench", "label_config": CONFIG}

    def transport(method, url, headers, body, timeout):
        if method == "GET" and "/exports/" in url and not url.split("?")[0].endswith("download"):
            return 200, b'{"id": 1, "status": "queued"}'
        return fake(method, url, headers, body, timeout)

    clock = [0.0]
    monkeypatch.setattr(C, "time", types.SimpleNamespace(monotonic=lambda: clock[0],
                                                         sleep=lambda s: clock.__setitem__(0, clock[0] + s)))
    said = []
    ls = C.LabelStudio("http://127.0.0.1:9", KEY, transport=transport, progress=said.append)
    with pytest.raises(NkbenchError, match="not ready after 30 s .last status 'queued'."):
        ls.export_full(C.Project(1, "nkbench", CONFIG), max_wait=30)
    assert 5 <= len(said) <= 7 and all("waiting for Label Studio's export snapshot" in s for s in said), said
    assert ("DELETE", "/api/projects/1/exports/1") in fake.calls  # the snapshot is not left on the server


# -- seeds manifests (every command reads them) ----------------------------------------------------

SEEDS = ROOT / "seeds"
MANIFEST = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))


def seeds_with(edit=None, raw=None, files=None):
    """A copy of the seeds folder with the manifest edited (or replaced by ``raw``)."""
    def make(t):
        import shutil

        folder = t / "seeds"
        shutil.copytree(SEEDS, folder)
        if raw is not None:
            write(folder / "manifest.json", raw)
        elif edit is not None:
            records = copy.deepcopy(MANIFEST)
            edit(records)
            write(folder / "manifest.json", records)
        for name, content in (files or {}).items():
            write(folder / name, content)
        return folder
    return make


def seeds_cmd(make):
    return lambda t: ["seeds", "--dir", make(t)]


def convert_with_seeds(make):
    return lambda t: ["annotate", "convert", HERE / "golden" / "labelstudio" / "export.json", "--out", t / "g.jsonl",
                      "--seeds", make(t)]


MANIFESTS = [
    ("manifest missing", lambda t: ["seeds", "--dir", t], 1, "manifest.json: no such file"),
    ("manifest is an object", seeds_cmd(seeds_with(raw={"records": []})), 1, "expected a JSON list of records"),
    ("record is a string", seeds_cmd(seeds_with(lambda r: r.append("x"))), 1, f"record {len(MANIFEST)}: expected an object, got str"),
    ("record without id", seeds_cmd(seeds_with(lambda r: r[0].pop("id"))), 1, "missing field 'id'"),
    ("id is a number", seeds_cmd(seeds_with(lambda r: r[0].__setitem__("id", 5))), 1, "id: expected str, got int"),
    ("id is a path", seeds_cmd(seeds_with(lambda r: r[0].__setitem__("id", "../../etc/passwd"))), 1, "is not a file stem"),
    ("id twice", seeds_cmd(seeds_with(lambda r: r.append(dict(r[0])))), 1, "also in record 0"),
    ("sha256 is a number", seeds_cmd(seeds_with(lambda r: r[0].__setitem__("sha256", 12))), 1, "sha256: expected str"),
    ("sha256 not hex", seeds_cmd(seeds_with(lambda r: r[0].__setitem__("sha256", "z" * 64))), 1, "64 lowercase hex"),
    ("length is text", seeds_cmd(seeds_with(lambda r: r[0].__setitem__("length", "2479"))), 1, "length: expected int, got str"),
    ("length is a bool", seeds_cmd(seeds_with(lambda r: r[0].__setitem__("length", True))), 1, "length: expected int, got bool"),
    ("length negative", seeds_cmd(seeds_with(lambda r: r[0].__setitem__("length", -1))), 1, "length is negative"),
    ("unknown field", seeds_cmd(seeds_with(lambda r: r[0].__setitem__("lang", "es"))), 1, "unknown field 'lang'"),
    ("record without split", seeds_cmd(seeds_with(lambda r: r[0].pop("split"))), 1, "missing field 'split'"),
    ("split not a split", seeds_cmd(seeds_with(lambda r: r[0].__setitem__("split", "train"))), 1, "split 'train'"),
    ("manifest nested deep", seeds_cmd(seeds_with(raw=DEEP)), 1, "nested too deeply"),
    ("manifest 5000-digit length", seeds_cmd(seeds_with(raw=json.dumps(MANIFEST).replace('"length": 2479', '"length": ' + BIG_INT))),
     1, "unreadable JSON value"),
    ("seed file changed", seeds_cmd(seeds_with(files={"000_112b86200dab1a20.txt": "changed"})), 1, "no longer matches its hash"),
    ("seed file not UTF-8", seeds_cmd(seeds_with(lambda r: r[0].update(sha256=hashlib.sha256(b"\xff\xfe").hexdigest()),
                                                 files={"000_112b86200dab1a20.txt": b"\xff\xfe"})), 1, "not UTF-8"),
    ("extra seed file", seeds_cmd(seeds_with(files={"999_extra.txt": "x"})), 1, "seed file is not in the manifest"),
    ("convert with a bad manifest", convert_with_seeds(seeds_with(lambda r: r[1].pop("sha256"))), 1, "missing field 'sha256'"),
]


# -- annotate push inputs (checked before any request) ---------------------------------------------

def push_with(option, content, name="in.json"):
    return lambda t: ["annotate", "push", "--url", "http://127.0.0.1:9", option, write(t / name, content)]


PUSH_INPUTS = [
    ("tasks file is an object", push_with("--tasks", {"tasks": []}), 1, "tasks"),
    ("tasks file nested deep", push_with("--tasks", DEEP), 1, "nested too deeply"),
    ("task is a number", push_with("--tasks", [5]), 1, "task 0"),
    ("task data is a string", push_with("--tasks", [{"data": "x"}]), 1, "task 0"),
    ("task text not the seed", push_with("--tasks", [{"data": {"doc_id": SEED_ID, "text": "not the seed"}}]), 1,
     "text differs from its seed: first difference at offset 0: task 'not the seed'"),
    ("task doc_id unknown", push_with("--tasks", [{"data": {"doc_id": "nope", "text": "x"}}]), 1, "unknown doc_id 'nope'"),
    ("tasks file not UTF-8", push_with("--tasks", b"[\xff]"), 1, "not UTF-8"),
    ("config not XML", push_with("--config", "<View><Text", "c.xml"), 1, "not well-formed XML"),
    ("config missing", lambda t: ["annotate", "push", "--url", "http://127.0.0.1:9", "--config", t / "none.xml"], 1, "no labeling config"),
    ("config not UTF-8", push_with("--config", b"<View>\xff</View>", "c.xml"), 1, "not UTF-8"),
    ("predictions nested deep", push_with("--predictions", DEEP, "p.jsonl"), 1, "nested too deeply"),
    ("predictions NaN", push_with("--predictions", '{"id": "' + SEED_ID + '", "mentions": [{"start": NaN, "end": 3, "label": "GPE"}]}\n',
                                  "p.jsonl"), 1, "not a finite number"),
    ("predictions unknown document", push_with("--predictions", jsonl({"id": "nope", "mentions": []}), "p.jsonl"), 1, "nope"),
    ("predictions in Label Studio form", push_with("--predictions", jsonl({"doc_id": SEED_ID, "result": []}), "p.jsonl"), 1, "p.jsonl:1"),
    ("--timeout 0", lambda t: ["annotate", "push", "--url", "http://127.0.0.1:9", "--timeout", "0"], 2, "--timeout"),
    ("--timeout text", lambda t: ["annotate", "pull", "--url", "http://127.0.0.1:9", "--timeout", "soon"], 2, "--timeout"),
]


# -- more compare, check, run and benchmark cases ------------------------------------------------

MORE = [
    ("compare: A mentions is a number", compare_with(jsonl(pred(mentions=5)), jsonl(PRED)), 1, ["a.jsonl:1", "mentions"]),
    ("compare: B id is a list", compare_with(jsonl(PRED), jsonl(pred(id=["d1"]))), 1, ["b.jsonl:1", "id"]),
    ("compare: A document twice", compare_with(jsonl(PRED, PRED), jsonl(PRED)), 1, ["a.jsonl:2", "twice"]),
    ("compare: B 5000-digit int", compare_with(jsonl(PRED), '{"id": "d1", "mentions": [{"start": ' + BIG_INT + "}]}\n"), 1,
     "unreadable JSON value"),
    ("compare: A not UTF-8", compare_with(b"\xff\n", jsonl(PRED)), 1, "not UTF-8"),
    ("compare: B unknown label", compare_with(jsonl(PRED), jsonl(pred(mentions__0__label="GEP"))), 1, "did you mean 'GPE'"),
    ("compare: A unknown document", compare_with(jsonl(pred(id="d9")), jsonl(PRED)), 1, "unknown document id"),
    ("compare: A is /dev/zero", lambda t: ["compare", "/dev/zero", write(t / "b.jsonl", jsonl(PRED)), "--gold", GOLD_FILE], 1,
     "line longer than"),
    ("compare: gold text null", lambda t: compare_with(jsonl(PRED), jsonl(PRED))(t) + ["--gold", write(t / "g.jsonl", jsonl(*gold(text=None)))],
     1, "text"),
    ("compare: --out FIFO", lambda t: (os.mkfifo(t / "fifo"), compare_with(jsonl(PRED), jsonl(PRED))(t) + ["--out", t / "fifo"])[1],
     1, "is a FIFO"),
    ("compare: --out dangling symlink", lambda t: (os.symlink(t / "x" / "y", t / "l"), compare_with(jsonl(PRED), jsonl(PRED))(t)
                                                   + ["--out", t / "l"])[1], 1, "does not exist"),
    ("compare: --resamples 10**7", compare_with(jsonl(PRED), jsonl(PRED), "--resamples", str(10**7)), 2, "--resamples"),
    ("compare: --seed 2**32", compare_with(jsonl(PRED), jsonl(PRED), "--seed", str(2**32)), 2, "--seed"),
    ("compare: --layer unknown", compare_with(jsonl(PRED), jsonl(PRED), "--layer", "x"), 2, "--layer"),
    ("compare: --format unknown", compare_with(jsonl(PRED), jsonl(PRED), "--format", "xml"), 2, "--format"),
    ("compare: NaN in B value", compare_with(jsonl(PRED), jsonl(pred(claims__0__value={"low": 1, "high": float("nan"),
                                                                                          "hedge": "exact", "counted": "killed"}))),
     1, "not a finite number"),
    ("compare: A a list per line", compare_with("[]\n", jsonl(PRED)), 1, "expected a JSON object"),
    ("compare: B blank", compare_with(jsonl(PRED), "\n\n"), 1, "empty file"),
    ("compare: A folder", lambda t: ["compare", t, write(t / "b.jsonl", jsonl(PRED)), "--gold", GOLD_FILE], 2, "is a directory"),
    ("compare: --unknown-labels x", compare_with(jsonl(PRED), jsonl(PRED), "--unknown-labels", "drop"), 2, "--unknown-labels"),
    ("check: gold document twice", check_cmd(jsonl(*[{**json.loads(x)} for x in
                                                    (HERE / "golden" / "labelstudio" / "gold.jsonl").read_text().splitlines()[:1]] * 2)),
     1, "twice"),
    ("check: gold NaN", check_cmd('{"id": "000_112b86200dab1a20", "language": "es", "text": "x", "mentions": [{"id": "m", "start": NaN}]}\n'),
     1, "not a finite number"),
    ("check: gold 5000-digit int", check_cmd('{"id": "x", "mentions": [{"start": ' + BIG_INT + "}]}\n"), 1, "unreadable JSON value"),
    ("check: gold is /dev/zero", lambda t: ["annotate", "check", "/dev/zero"], 1, "line longer than"),
    ("check: export is an object", check_cmd('{"x": 1}', "export.json"), 1, "expected a JSON list of tasks"),
    ("check: export not UTF-8", check_cmd(b"[\xff]", "export.json"), 1, "not UTF-8"),
    ("check: export 5000-digit id", check_cmd('[{"id": ' + BIG_INT + "}]", "export.json"), 1, "unreadable JSON value"),
    ("check: export duplicate argument", lambda t: ["annotate", "check", export_with(dup_relation)(t)], 1, "twice"),
    ("check: export task id a list", lambda t: ["annotate", "check", export_with(lambda x: x[0].__setitem__("id", [1]))(t)], 1,
     "task id must be an integer"),
    ("check: export annotations a number", lambda t: ["annotate", "check", export_with(lambda x: x[0].__setitem__("annotations", 5))(t)],
     1, "'annotations' must be a list"),
    ("check: --annotator unknown", lambda t: ["annotate", "check", export_with()(t), "--annotator", "zz"], 1, "no annotation by 'zz'"),
    ("check: --seeds bad manifest", lambda t: ["annotate", "check", export_with()(t), "--seeds",
                                               seeds_with(lambda r: r[0].__setitem__("id", 1))(t)], 1, "id: expected str"),
    ("check: gold unknown field", check_cmd(jsonl({"id": SEED_ID, "language": "es", "text": "x", "mentionz": []})), 1, "mentionz"),
    ("check: gold language a number", check_cmd(jsonl({"id": SEED_ID, "language": 5, "text": "x"})), 1, "language"),
    ("run: input mentions a number", run_input(jsonl({**SEED_DOC, "mentions": 5})), 1, "mentions"),
    ("run: input id a list", run_input(jsonl({**SEED_DOC, "id": [1]})), 1, "id"),
    ("run: input not UTF-8", run_input(b"\xff\n"), 1, "not UTF-8"),
    ("run: input 5000-digit int", run_input('{"id": "x", "text": "a", "language": "es", "mentions": [{"start": ' + BIG_INT + "}]}\n"),
     1, "unreadable JSON value"),
    ("run: input a list per line", run_input("[1]\n"), 1, "expected a JSON object"),
    ("run: input NaN", run_input('{"id": "x", "text": "a", "language": "es", "mentions": [{"start": NaN}]}\n'), 1, "not a finite number"),
    ("run: input seeds folder with a bad manifest", lambda t: ["run", "--system", "capitalised", "--input",
                                                               seeds_with(lambda r: r[0].pop("length"))(t), "--out", t / "p.jsonl"],
     1, "missing field 'length'"),
    ("run: --out dangling symlink", lambda t: (os.symlink(t / "x" / "y", t / "l"), ["run", "--system", "capitalised", "--out", t / "l"])[1],
     1, "does not exist"),
    ("run: --out under a file", lambda t: ["run", "--system", "capitalised", "--input", write(t / "in.jsonl", jsonl(SEED_DOC)),
                                           "--out", write(t / "f", "x") / "p.jsonl"], 1, "Not a directory"),
    ("run: no system", lambda t: ["run", "--out", t / "p.jsonl"], 2, "--system"),
    ("run: empty system name", lambda t: ["run", "--system", "", "--out", t / "p.jsonl"], 1, "unknown system"),
    ("run: language not covered", lambda t: ["run", "--system", "spacy-en", "--input", write(t / "in.jsonl", jsonl(SEED_DOC)),
                                             "--out", t / "p.jsonl"], 1, "has no document of its languages"),
    ("benchmark: --resamples text", lambda t: ["benchmark", "--resamples", "x", "--out-dir", t / "r"], 2, "--resamples"),
    ("benchmark: two unknown systems", lambda t: ["benchmark", "--system", "rule", "--system", "spacyy", "--out-dir", t / "r"], 1,
     "unknown system"),
    ("agreement: --pass missing", lambda t: ["annotate", "agreement", "--pass", f"a={t / 'none.jsonl'}", "--pass", f"b={t / 'n.jsonl'}"],
     1, "no such file"),
    ("agreement: --pass nested deep", lambda t: ["annotate", "agreement", "--pass", f"a={write(t / 'a.jsonl', DEEP)}",
                                                 "--pass", f"b={write(t / 'b.jsonl', DEEP)}"], 1, "nested too deeply"),
    ("agreement: --export nested deep", lambda t: ["annotate", "agreement", "--export", write(t / "e.json", DEEP)], 1, "nested too deeply"),
    ("resolve: missing folder", lambda t: ["annotate", "resolve", t / "none"], 1, "none"),
]

TABLE2 = MANIFESTS + PUSH_INPUTS + MORE


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in TABLE2], ids=[c[0] for c in TABLE2])
def test_manifests_push_inputs_and_more(tmp_path, setup, code, message):
    check_case(tmp_path, setup, code, message)


def test_nominals_as_a_string_is_an_error(tmp_path):
    entities = copy.deepcopy(ENTITY_INV)
    entities["azerbaijan"]["nominals"] = "el país"
    check_case(tmp_path, inv("entities", entities), 1, ["'azerbaijan'", "nominals must be a list of strings"])


# -- still more: benchmark, convert, data push (the real upload, with a fake Hub API) ---------------

EXTRA = [
    ("benchmark: --data missing", lambda t: ["benchmark", "--data", t / "none", "--out-dir", t / "r"], 1, "no such folder"),
    ("benchmark: --data is a file", lambda t: ["benchmark", "--data", write(t / "f", "x"), "--out-dir", t / "r"], 1, "is not a folder"),
    ("benchmark: --out-dir is a file", lambda t: ["benchmark", "--out-dir", write(t / "r", "x")], 1, "expected the results folder"),
    ("benchmark: a result is a FIFO", lambda t: (os.mkdir(t / "r"), os.mkfifo(t / "r" / "rules.json"),
                                                 ["benchmark", "--system", "rules", "--out-dir", t / "r"])[2], 1, "is a FIFO"),
    ("benchmark: --data not current", lambda t: ["benchmark", "--system", "rules", "--data", write(t / "d" / "README.md", "x").parent,
                                                 "--out-dir", t / "r"], 1, "is not what the gold export makes"),
    ("convert: region value null", convert(lambda x: result0(x)[0].__setitem__("value", None)), 1, "value"),
    ("convert: relation to nowhere", convert(lambda x: result0(x).append({"from_id": "mUr10_evt1", "to_id": "nowhere",
                                                                           "type": "relation", "direction": "right",
                                                                           "labels": ["Victim"]})), 1, "missing region 'nowhere'"),
    ("convert: relation labels a string", convert(lambda x: result0(x).append({"from_id": "mUr10_evt1", "to_id": "Hq3xT0aLk1",
                                                                                "type": "relation", "labels": "Time"})), 1,
     "exactly one label"),
    ("convert: labels not a list", convert(lambda x: result0(x)[0]["value"].__setitem__("labels", "PER")), 1, "labels"),
    ("convert: offsets as floats", convert(lambda x: result0(x)[0]["value"].update(start=3.0)), 1, "offsets must be integers"),
    ("convert: offsets NaN", convert(raw=json.dumps(EXPORT).replace('"start": 3,', '"start": NaN,', 1)), 1, "offsets must be integers"),
    ("convert: result item a number", convert(lambda x: result0(x).append(5)), 1, "result"),
    ("convert: was_cancelled only", convert(lambda x: [a.__setitem__("was_cancelled", True) for a in x[0]["annotations"]] and None), 1,
     "task 7"),
    ("convert: data.text null", convert(lambda x: x[0]["data"].__setitem__("text", None)), 1, "text differs from its seed (got NoneType)"),
    ("push: key with a newline", lambda t: ["annotate", "push", "--url", "http://127.0.0.1:9"], 1, "malformed"),
]


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in EXTRA], ids=[c[0] for c in EXTRA])
def test_extra(tmp_path, setup, code, message):
    env = {"LABEL_STUDIO_API_KEY": "abc\ndef"} if "newline" in str(message) or message == "malformed" else None
    check_case(tmp_path, setup, code, message, env=env)


@pytest.fixture
def fake_hub(no_hub_token, monkeypatch):
    """huggingface_hub's HfApi replaced: records calls, can fail with a message quoting the token."""
    import huggingface_hub

    calls = []

    class Api:
        fail = None

        def __init__(self, token):
            calls.append(("init", token))

        def create_repo(self, repo_id, **kw):
            calls.append(("create_repo", repo_id))
            if Api.fail:
                raise RuntimeError(Api.fail)

        def create_commit(self, **kw):
            calls.append(("create_commit", sorted(op.path_in_repo for op in kw["operations"])))
            return type("Info", (), {"commit_url": "https://huggingface.co/datasets/o/n/commit/1"})()

    monkeypatch.setattr(huggingface_hub, "HfApi", Api)
    return Api, calls


def test_push_sends_only_the_dataset_s_own_files(tmp_path, built, fake_hub, monkeypatch):
    api, calls = fake_hub
    data = copy_built(built, tmp_path)
    write(data / ".env", "HF_TOKEN=hf_secret")
    os.symlink("/etc/hostname", data / "hostname")
    monkeypatch.setenv("HF_TOKEN", "hf_abcdefghijklmnop")
    result = invoke(["data", "push", "--repo-id", "o/n", "--dir", data])
    assert result.exit_code == 0, result.output
    assert calls[-1] == ("create_commit", sorted(["README.md", *(f"{c}/test.parquet" for c in
                                                                  ("documents", "ner", "claims", "passes", "entities", "links"))]))


def test_push_error_quoting_the_token_is_redacted(tmp_path, built, fake_hub, monkeypatch):
    api, calls = fake_hub
    api.fail = "401 Unauthorized for token hf_abcdefghijklmnop (Authorization: Bearer hf_abcdefghijklmnop)"
    monkeypatch.setenv("HF_TOKEN", "hf_abcdefghijklmnop")
    result = check_case(tmp_path, lambda t: ["data", "push", "--repo-id", "o/n", "--dir", copy_built(built, t)], 1, "upload failed")
    assert "hf_abcdefghijklmnop" not in result.output and "***" in result.output


def test_push_refuses_a_folder_it_did_not_build_before_any_call(tmp_path, fake_hub, monkeypatch):
    api, calls = fake_hub
    monkeypatch.setenv("HF_TOKEN", "hf_abcdefghijklmnop")
    folder = tmp_path / "home"
    write(folder / "README.md", "# my home")
    write(folder / ".ssh" / "id_rsa", "PRIVATE")
    check_case(tmp_path, lambda t: ["data", "push", "--repo-id", "o/n", "--dir", folder], 1, "no YAML header")
    assert calls == []


def test_out_symlink_is_written_through(tmp_path):
    """OUTPUT_RULE: a symlink --out replaces its target atomically and stays a link."""
    target = write(tmp_path / "real" / "report.json", "old")
    os.symlink(target, tmp_path / "link.json")
    result = invoke(["score", PRED_DIR / "predictions.jsonl", "--gold", GOLD_FILE, "--resamples", "0", "--format", "json",
                     "--out", tmp_path / "link.json"])
    assert result.exit_code == 0, result.output
    assert os.path.islink(tmp_path / "link.json") and json.loads(target.read_text())["predictions"]


@pytest.mark.parametrize("err", ["EROFS", "ENOSPC", "EACCES"])
def test_a_failed_write_names_the_path_and_leaves_nothing(tmp_path, monkeypatch, err):
    import errno

    def failing(fd):
        raise OSError(getattr(errno, err), os.strerror(getattr(errno, err)))

    monkeypatch.setattr(os, "fsync", failing)
    out = tmp_path / "sub" / "report.json"
    check_case(tmp_path, lambda t: ["score", PRED_DIR / "predictions.jsonl", "--gold", GOLD_FILE, "--resamples", "0",
                                    "--out", out], 1, [f"{out}: cannot write ({os.strerror(getattr(errno, err))})",
                                                       "nothing was written"])
    assert list(tmp_path.iterdir()) == []  # not even the folder it would have made


def card_raw(built, text):
    def make(t):
        data = copy_built(built, t)
        write(data / "README.md", text)
        return data
    return make


LAST = [
    ("check: gold id null", check_cmd(jsonl({"id": None, "language": "es", "text": "x"})), 1, "id"),
    ("check: gold claim value Infinity", check_cmd('{"id": "x", "language": "es", "text": "x", "claims": [{"value": {"low": Infinity}}]}\n'),
     1, "not a finite number"),
    ("check: gold BOM", check_cmd("\ufeff" + jsonl({"id": SEED_ID})), 1, "gold.jsonl:1"),
    ("check: gold blank", check_cmd("\n\n\n"), 1, "empty file"),
    ("check: export [[]]", check_cmd("[[]]", "export.json"), 1, "expected an object, got list"),
    ("check: export result null", lambda t: ["annotate", "check", export_with(lambda x: x[0]["annotations"][1].__setitem__("result", None))(t)],
     1, "result"),
    ("check: gold text differs from the seed", check_cmd(jsonl({"id": SEED_ID, "language": "es", "text": "otro texto",
                                                               "mentions": [], "events": [], "cues": [], "claims": []})), 1, SEED_ID),
    ("push: --tasks missing", lambda t: ["annotate", "push", "--url", "http://127.0.0.1:9", "--tasks", t / "none.json"], 1, "no such file"),
    ("push: --predictions missing", lambda t: ["annotate", "push", "--url", "http://127.0.0.1:9", "--predictions", t / "none.jsonl"], 1,
     "no such file"),
    ("push: no --url", lambda t: ["annotate", "push"], 2, "--url"),
    ("push: doc_id a number", push_with("--tasks", [{"data": {"doc_id": 5, "text": "x"}}]), 1, "task 0"),
    ("push: tasks not UTF-8 config", push_with("--config", b"\xff", "c.xml"), 1, "not UTF-8"),
    ("push: url with password", lambda t: ["annotate", "push", "--url", "https://me:hunter2pass@127.0.0.1:9"], 1, "user name or password"),
    ("build: --entities missing", lambda t: build(t, ("--entities", t / "none.json")), 1, "no such file"),
    ("build: --links nested deep", inv("links", DEEP), 1, "nested too deeply"),
    ("build: --pass a foreign folder", lambda t: build(t, ("--pass", write(t / "p" / "notes.txt", "x").parent)), 1, "p"),
    ("build: --gold is /dev/zero", lambda t: build(t, ("--gold", "/dev/zero")), 1, "larger than 256 MiB"),
    ("build: --out is a FIFO", out_is(lambda t: (os.mkfifo(t / "fifo"), t / "fifo")[1]), 1, "not a folder (a FIFO or device)"),
    ("run: --input folder without manifest", lambda t: ["run", "--system", "capitalised", "--input", write(t / "in" / "x.txt", "x").parent,
                                                        "--out", t / "p.jsonl"], 1, "manifest.json: no such file"),
    ("run: --out inside the --input folder", lambda t: ["run", "--system", "capitalised", "--input", t, "--out", t / "p.jsonl"], 1,
     "is inside the input folder"),
    ("run: --input text a number", run_input(jsonl({**SEED_DOC, "text": 5})), 1, "text"),
    ("run: --input language null", run_input(jsonl({**SEED_DOC, "language": None})), 1, "language"),
    ("run: --input BOM", run_input("\ufeff" + jsonl(SEED_DOC)), 1, "in.jsonl:1"),
    ("run: --input blank lines", run_input("\n\n"), 1, "empty file"),
    ("run: system name with spaces", lambda t: ["run", "--system", "rules; rm -rf /", "--out", t / "p.jsonl"], 1, "unknown system"),
    ("benchmark: empty system name", lambda t: ["benchmark", "--system", "", "--out-dir", t / "r"], 1, "unknown system"),
    ("benchmark: --resamples 1.5", lambda t: ["benchmark", "--resamples", "1.5", "--out-dir", t / "r"], 2, "--resamples"),
    ("benchmark: --out-dir under a file", lambda t: ["benchmark", "--system", "rules", "--out-dir", write(t / "f", "x") / "r"], 1,
     "Not a directory"),
]


def data_push_more(built):
    return [
        ("configs is a string", dry(lambda t: card_yaml(built, t, lambda h: h.__setitem__("configs", "ner"))), 1, "has no configs list"),
        ("data_files is a string", dry(lambda t: card_yaml(built, t, lambda h: h["configs"][0].__setitem__("data_files", "x"))), 1,
         "is not one of nkbench's configs"),
        ("pretty_name missing", dry(lambda t: card_yaml(built, t, lambda h: h.pop("pretty_name"))), 1, "not a dataset nkbench built"),
        ("absolute data file", dry(lambda t: card_yaml(built, t, lambda h: h["configs"][0]["data_files"][0].__setitem__("path", "/etc/passwd"))),
         1, "names the data file '/etc/passwd'"),
        ("a config listed twice", dry(lambda t: card_yaml(built, t, lambda h: h["configs"].append(h["configs"][0]))), 1, "listed twice"),
        ("card not UTF-8", dry(card_raw(built, b"---\n\xff\n---\n")), 1, "not UTF-8"),
        ("card YAML not a mapping", dry(card_raw(built, "---\n- a\n- b\n---\n")), 1, "not a mapping"),
        ("card YAML broken", dry(card_raw(built, "---\na: [\n---\n")), 1, "does not parse"),
        ("README is a folder", dry(lambda t: (lambda d: ((d / "README.md").unlink(), (d / "README.md").mkdir(), d)[2])(copy_built(built, t))),
         1, "README.md as a regular file"),
        ("repo id with a space", lambda t: ["data", "push", "--repo-id", "o/n x", "--dry-run", t / "u"], 1, "invalid repo id"),
        ("repo id too long", lambda t: ["data", "push", "--repo-id", "o/" + "n" * 100, "--dry-run", t / "u"], 1, "invalid repo id"),
        ("repo id with ..", lambda t: ["data", "push", "--repo-id", "o/..", "--dry-run", t / "u"], 1, "invalid repo id"),
        ("repo id empty", lambda t: ["data", "push", "--repo-id", "", "--dry-run", t / "u"], 1, "invalid repo id"),
        ("--dry-run inside --dir", dry(lambda t: copy_built(built, t), lambda t: t / "data" / "upload"), 1, "is inside the input folder"),
        ("no token", dry(lambda t: copy_built(built, t)), None, None),  # placeholder replaced below
    ][:-1]


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in LAST], ids=[c[0] for c in LAST])
def test_last_table(tmp_path, setup, code, message):
    check_case(tmp_path, setup, code, message)


def test_data_push_more(tmp_path_factory, built):
    check_cases(data_push_more(built), tmp_path_factory)


# -- quote-anchored pass folders (annotate resolve, data build --pass FOLDER, agreement) -------------

PASS_DIR = HERE / "golden" / "passes" / "annotator-x"
PASS = json.loads((PASS_DIR / "003_80680643ca28e344.json").read_text(encoding="utf-8"))


def pass_folder(edit=None, raw=None):
    def setup(t):
        obj = copy.deepcopy(PASS)
        if edit is not None:
            obj = edit(obj) or obj
        write(t / "pass" / "003_80680643ca28e344.json", raw if raw is not None else obj)
        return ["annotate", "resolve", t / "pass", "--out", t / "out.jsonl"]
    return setup


PASSES = [
    ("pass: empty folder", lambda t: (os.mkdir(t / "pass"), ["annotate", "resolve", t / "pass"])[1], 1, "no pass files"),
    ("pass: not an object", pass_folder(raw="[1]"), 1, "'document' is None"),
    ("pass: nested deep", pass_folder(raw=DEEP), 1, "nested too deeply"),
    ("pass: document a number", pass_folder(lambda o: o.__setitem__("document", 3)), 1, "'document' is 3"),
    ("pass: mentions a number", pass_folder(lambda o: o.__setitem__("mentions", 5)), 1, "mentions"),
    ("pass: mention a string", pass_folder(lambda o: o.__setitem__("mentions", ["Putin"])), 1, "mentions"),
    ("pass: quote a number", pass_folder(lambda o: o["mentions"][0].__setitem__("quote", 5)), 1, "quote"),
    ("pass: quote not in the text", pass_folder(lambda o: o["mentions"][0].__setitem__("quote", "Obama")), 1, "Obama"),
    ("pass: occurrence 0", pass_folder(lambda o: o["mentions"][0].__setitem__("occurrence", 0)), 1, "occurrence"),
    ("pass: occurrence text", pass_folder(lambda o: o["mentions"][0].__setitem__("occurrence", "1")), 1, "occurrence"),
    ("pass: occurrence 5000 digits", pass_folder(raw=json.dumps(PASS).replace('"occurrence": 1', '"occurrence": ' + BIG_INT, 1)), 1,
     "unreadable JSON value"),
    ("pass: occurrence huge", pass_folder(lambda o: o["mentions"][0].__setitem__("occurrence", 10**20)), 1, "occurrence"),
    ("pass: occurrence NaN", pass_folder(raw=json.dumps(PASS).replace('"occurrence": 1', '"occurrence": NaN', 1)), 1, "occurrence"),
    ("pass: arguments a string", pass_folder(lambda o: o["events"][0].__setitem__("arguments", "m1")), 1, "arguments"),
    ("pass: argument twice", pass_folder(lambda o: o["events"][0]["arguments"].append(dict(o["events"][0]["arguments"][0]))), 1,
     "argument given 2 times"),
    ("pass: unknown label", pass_folder(lambda o: o["mentions"][0].__setitem__("label", "PERS")), 1, "PERS"),
    ("pass: id twice", pass_folder(lambda o: o["mentions"][1].__setitem__("id", "m1")), 1, "m1"),
    ("pass: not UTF-8", pass_folder(raw=b'{"document": "\xff"}'), 1, "not UTF-8"),
    ("pass: --out is a pass file", lambda t: pass_folder()(t)[:3] + ["--out", t / "pass" / "003_80680643ca28e344.json"], 1,
     "is inside the input folder"),
    ("pass: new_entities a list", pass_folder(lambda o: o.__setitem__("new_entities", ["x"])), 1, "new_entities"),
    ("pass: annotator a list", pass_folder(lambda o: o.__setitem__("annotator", ["a"])), 1, "annotator: expected a string"),
    ("pass: item text wrong type", pass_folder(lambda o: o["mentions"][0].__setitem__("text", 5)), 1, "text"),
]


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in PASSES], ids=[c[0] for c in PASSES])
def test_pass_folders(tmp_path, setup, code, message):
    check_case(tmp_path, setup, code, message)


def test_the_prediction_format_documents_the_line_limit():
    from nkbench.core.io import MAX_LINE_BYTES

    text = " ".join((ROOT / "benchmark" / "PREDICTIONS.md").read_text(encoding="utf-8").split())
    assert f"a line longer than {MAX_LINE_BYTES // 2**20} MiB" in text


def test_dry_run_on_a_full_disk_leaves_nothing(tmp_path, built, monkeypatch):
    import errno
    import shutil

    data = copy_built(built, tmp_path)
    calls, real = [], shutil.copyfile

    def failing(src, dst, **kw):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst, **kw)

    monkeypatch.setattr(shutil, "copyfile", failing)
    check_case(tmp_path, lambda t: ["data", "push", "--repo-id", "o/n", "--dir", data, "--dry-run", t / "up"], 1,
               ["cannot write the dry-run copy (No space left on device)", "nothing was left behind"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


# -- seeds add ---------------------------------------------------------------------------------------

ARTICLE = HERE / "golden" / "articles" / "border_incident_en.txt"
ARTICLE_ES = HERE / "golden" / "articles" / "desplazados_es.txt"


def add(make=seeds_with(), files=(ARTICLE,), *options, language="en"):
    """``nkbench seeds --dir <copy> add FILES --language L OPTIONS``; ``files`` may be callables of tmp."""
    def setup(t):
        folder = make(t)
        paths = [f(t) if callable(f) else f for f in files]
        lang = [] if language is None else ["--language", language]
        return ["seeds", "--dir", folder, "add", *paths, *lang, *options]
    return setup


def file_with(name, content):
    return lambda t: write(t / "in" / name, content)


def without_manifest(t):
    folder = seeds_with()(t)
    (folder / "manifest.json").unlink()
    return folder


def first_seed(t):
    return t / "seeds" / f"{MANIFEST[0]['id']}.txt"


SEEDS_ADD_CASES = [
    ("not UTF-8 (latin-1)", add(seeds_with(), (file_with("a.txt", "Según el Gobierno, la ayuda llegó.".encode("latin-1")),), language="es"), 1, "not UTF-8"),
    ("not UTF-8 (UTF-16)", add(seeds_with(), (file_with("a.txt", "The talks resumed.".encode("utf-16")),)), 1, "not UTF-8"),
    ("empty file", add(seeds_with(), (file_with("a.txt", b""),)), 1, "empty (no text)"),
    ("only whitespace", add(seeds_with(), (file_with("a.txt", "  \n\u00a0\n"),)), 1, "empty (no text)"),
    ("byte order mark", add(seeds_with(), (file_with("a.txt", "\ufeffThe talks resumed on Monday in the capital.".encode("utf-8")),)), 1, "byte order mark"),
    ("binary bytes", add(seeds_with(), (file_with("a.bin", bytes(range(256))),)), 1, "not UTF-8"),
    ("a folder", add(seeds_with(), (lambda t: (t / "dir").mkdir() or t / "dir",)), 1, "is a folder"),
    ("missing file", add(seeds_with(), (lambda t: t / "none.txt",)), 2, "does not exist"),
    ("a FIFO", add(seeds_with(), (lambda t: os.mkfifo(t / "fifo") or t / "fifo",)), 1, "not a regular file"),
    ("same text as a seed", add(seeds_with(), (first_seed,), language="es"), 1, "same text as seed"),
    ("the same file twice", add(seeds_with(), (ARTICLE, ARTICLE)), 1, "same text as seed"),
    ("a copy of the same text", add(seeds_with(), (ARTICLE, file_with("copy.txt", ARTICLE.read_bytes()))), 1, "same text as seed"),
    ("one bad file among good ones", add(seeds_with(), (ARTICLE, file_with("a.txt", b""))), 1, "nothing was written"),
    ("unsupported language", add(language="fr"), 1, "unsupported language 'fr'"),
    ("language in capitals", add(language="EN"), 1, "did you mean 'en'?"),
    ("language a name", add(language="english"), 1, "unsupported language 'english'"),
    ("no language", add(language=None), 2, "Missing option '--language'"),
    ("wrong language", add(language="es"), 1, "reads as 'en', not 'es'"),
    ("wrong language (es as en)", add(seeds_with(), (ARTICLE_ES,)), 1, "reads as 'es', not 'en'"),
    ("date not a date", add(seeds_with(), (ARTICLE,), "--date", "yesterday", "--date-basis", "stated"), 1, "is not YYYY-MM-DD"),
    ("date out of range", add(seeds_with(), (ARTICLE,), "--date", "2023-02-30", "--date-basis", "stated"), 1, "is not YYYY-MM-DD"),
    ("date with a time", add(seeds_with(), (ARTICLE,), "--date", "2023-09-20T10:00", "--date-basis", "stated"), 1, "is not YYYY-MM-DD"),
    ("date without basis", add(seeds_with(), (ARTICLE,), "--date", "2023-09-20"), 1, "a date needs its basis"),
    ("basis without date", add(seeds_with(), (ARTICLE,), "--date-basis", "inferred"), 1, "without --date"),
    ("note without date", add(seeds_with(), (ARTICLE,), "--date-note", "from the text"), 1, "without --date"),
    ("unknown basis", add(seeds_with(), (ARTICLE,), "--date", "2023-09-20", "--date-basis", "guessed"), 2, "Invalid value for '--date-basis'"),
    ("unknown split", add(seeds_with(), (ARTICLE,), "--split", "validation"), 1, "unknown split 'validation'"),
    ("manifest missing beside seed files", add(without_manifest), 1, "but no manifest.json"),
    ("manifest not a list", add(seeds_with(raw={"records": []})), 1, "expected a JSON list of records"),
    ("manifest record without sha256", add(seeds_with(lambda r: r[0].pop("sha256"))), 1, "missing field 'sha256'"),
    ("manifest record with a typo", add(seeds_with(lambda r: r[0].update(lenght=1))), 1, "did you mean 'length'?"),
    ("manifest id twice", add(seeds_with(lambda r: r.append(dict(r[0])))), 1, "also in record 0"),
    ("manifest nested deep", add(seeds_with(raw=DEEP)), 1, "nested too deeply"),
    ("manifest not JSON", add(seeds_with(raw="[{")), 1, "manifest.json"),
    ("seeds folder is a file", lambda t: ["seeds", "--dir", write(t / "seeds", "x"), "add", ARTICLE, "--language", "en"], 2, "is a file"),
    ("new id already taken by a stray file", add(seeds_with(files={"zz.txt": "x"})), 1, "seed file is not in the manifest"),
]


@pytest.mark.parametrize("case, setup, code, message", SEEDS_ADD_CASES, ids=[c[0] for c in SEEDS_ADD_CASES])
def test_seeds_add(tmp_path, case, setup, code, message):
    check_case(tmp_path, setup, code, message)


# -- annotate convert/check: whitespace, gold annotator, partial exports (issue 12) -----------------------


def _retext(text):
    def mutate(x):
        result0(x)[0]["value"]["text"] = text
    return mutate


def _chosen_and_proposed(x):
    [first] = [r for r in result0(x) if r.get("from_name") == "entity_id"][:1]
    result0(x).append({**copy.deepcopy(first), "from_name": "entity_id_new", "type": "textarea",
                       "value": {**first["value"], "text": ["another_id"]}})


def _no_annotations(x):
    for task in x:
        task["annotations"] = []


ISSUE12 = [
    ("value.text differs by more than whitespace", convert(_retext("miercoles")), 1,
     ["task 7", "annotation 12", "region 'Hq3xT0aLk1'", "value.text 'miercoles'", "'miércoles'", "whitespace only"]),
    ("value.text has an extra word", convert(_retext("miércoles  x")), 1, ["task 7", "'miércoles  x'", "'miércoles'"]),
    ("value.text lost a space between words", convert(lambda x: (
        result0(x)[0]["value"].update(start=0, end=12, text="Elmiércoles"))), 1, ["region 'Hq3xT0aLk1'", "'Elmiércoles'"]),
    ("entity id chosen and another proposed", convert(_chosen_and_proposed), 1, ["chosen from the list", "'another_id' proposed"]),
    ("--gold-annotator not a user name", convert(None, None, "--gold-annotator", "a b"), 1, "cannot be a Label Studio user"),
    ("--annotator and --gold-annotator", convert(None, None, "--annotator", "x", "--gold-annotator", "y"), 1, "not both"),
    ("--skip-unannotated, nothing annotated", convert(_no_annotations, None, "--skip-unannotated"), 1,
     ["left out 2 task(s) without annotations", "nothing to convert"]),
    ("no annotations, no --skip-unannotated", convert(_no_annotations), 1, ["task has no annotation", "--skip-unannotated"]),
]


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in ISSUE12], ids=[c[0] for c in ISSUE12])
def test_annotate_convert_issue12(tmp_path, setup, code, message):
    check_case(tmp_path, setup, code, message)
