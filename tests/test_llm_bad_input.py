"""Bad input for ``nkbench run --system llm``: each case asserts the exit code, a one-line message,
no traceback and no internal error, that the API key is never printed, and that nothing changed
outside the case's expected output (the temporary folder and the project's folders hashed before
and after). Servers are real HTTP servers on 127.0.0.1 (tests/fake_openai.py), bounded."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkbench.cli import main

from .fake_openai import FakeOpenAI, Reply, toy_model
from .test_bad_input import WATCHED, assert_clean_outcome, tree_hash

KEY = "sk-test-key-0123456789"
DOCS = [("a", "en", "Armenia and Azerbaijan met in Brussels."), ("b", "es", "Rusia y Turquía hablaron el lunes.")]


@pytest.fixture(autouse=True)
def crash_dir(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("NKBENCH_CRASH_DIR", str(tmp_path_factory.mktemp("crash")))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answer(body) -> callable:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return lambda article, attempt: Reply(raw=raw)


def case(tmp: Path, *, script=toy_model, args=(), env=None, url=None, system="llm", code=1, message="",
         changes=(), server_key=KEY):
    (tmp / "docs.jsonl").write_text("".join(json.dumps({"id": i, "language": lang, "text": t}, ensure_ascii=False) + "\n"
                                            for i, lang, t in DOCS), encoding="utf-8")
    environment = {"OPENAI_API_KEY": KEY, **(env or {})}
    with FakeOpenAI(script, key=server_key, max_requests=20) as server:
        base = url(server) if callable(url) else (url or server.url)
        argv = ["run", "--system", system, "--input", tmp / "docs.jsonl", "--out", tmp / "out.jsonl"]
        if system == "llm":
            argv += ["--cache-dir", tmp / "cache", "--retries", "0", "--timeout", "2"]
            if "--model" not in args and "NO-MODEL" not in args:
                argv += ["--model", "fake-model"]
            if "--base-url" not in args:
                argv += ["--base-url", base]
        argv += [a for a in args if a != "NO-MODEL"]
        before = tree_hash(tmp, *WATCHED)
        result = CliRunner().invoke(main, [str(a) for a in argv], env=environment)
        after = tree_hash(tmp, *WATCHED)
        assert server.overflow == 0
    out = assert_clean_outcome(result, code, message, KEY)
    if code != 0:
        assert len(out.strip().splitlines()) == 1, out  # one line
    allowed = {str(tmp / c) for c in changes}
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    assert {p for p in changed if not any(p == a or p.startswith(a + "/") for a in allowed)} == set(), changed
    return result, server


# -- options, key, URL ------------------------------------------------------------------------------


@pytest.mark.parametrize("args,env,message", [
    ((), {"OPENAI_API_KEY": None}, "the environment variable OPENAI_API_KEY is not set (the API key)"),
    ((), {"OPENAI_API_KEY": "  "}, "the environment variable OPENAI_API_KEY is not set"),
    (("--api-key-env", "MY_LLM_KEY"), {"MY_LLM_KEY": None}, "the environment variable MY_LLM_KEY is not set"),
    (("--api-key-env", "1 BAD"), None, "not an environment variable name: '1 BAD'"),
    (("--concurrency", "0"), None, "--concurrency must be at least 1, got 0"),
    (("--retries", "-1"), None, "--retries must be at least 0, got -1"),
    (("--max-tokens", "0"), None, "--max-tokens must be at least 1"),
    (("--timeout", "0"), None, "--timeout must be a positive number of seconds, got 0.0"),
    (("--timeout", "nan"), None, "--timeout must be a positive number of seconds, got nan"),
    (("--max-time", "-5"), None, "--max-time must be a positive number of seconds"),
    (("--temperature", "3"), None, "--temperature must be between 0 and 2"),
    (("--prompt", "v99"), None, "no such prompt folder"),
    (("NO-MODEL",), None, "--system llm needs --model"),
], ids=lambda x: str(x)[:40])
def test_bad_options(tmp_path, args, env, message):
    case(tmp_path, args=args, env=env, message=message)


def test_option_of_llm_given_to_another_system(tmp_path):
    case(tmp_path, system="rules", args=("--model", "x"), message="--model is an option of --system llm only")


def test_cache_dir_is_a_file(tmp_path):
    (tmp_path / "cache").write_text("x", encoding="utf-8")
    case(tmp_path, message="is not a folder")


@pytest.mark.parametrize("url,message", [
    ("ftp://127.0.0.1/v1", "not an http(s) URL with a host"),
    ("127.0.0.1:8000/v1", "not an http(s) URL with a host"),
    ("http://127.0.0.1:99999/v1", "not a valid URL"),
    ("http://user:hunter2secret@127.0.0.1/v1", "the URL carries a user name or password"),
    ("http://127.0.0.1/v1?api-key=hunter2secret", "the URL carries a query string or fragment"),
])
def test_bad_base_url(tmp_path, url, message):
    result, server = case(tmp_path, url=url, message=message)
    assert "hunter2secret" not in result.output and server.requests == []


# -- the server -------------------------------------------------------------------------------------


def test_unreachable_server(tmp_path):
    case(tmp_path, url=f"http://127.0.0.1:{free_port()}/v1",
         message=["no document was predicted (2 failed", "cannot reach http://127.0.0.1:", "(after 0 retries)"])


@pytest.mark.parametrize("body,message", [
    (b"<html><body>Bad gateway</body></html>", "the server's answer is not JSON (starts '<html>"),
    (b"", "the server's answer is not JSON"),
    ([], "unexpected answer shape from the server (not an object"),
    ({"choices": []}, "unexpected answer shape from the server (no choices"),
    ({"choices": [{"text": "completions-style"}]}, "(no message;"),
    ({"choices": [{"message": {"content": None, "tool_calls": [{"id": "1"}]}}]}, "(content is NoneType;"),
    ({"choices": [{"message": {"content": {"mentions": []}}}]}, "(content is dict;"),
])
def test_answers_the_client_cannot_read(tmp_path, body, message):
    case(tmp_path, script=answer(body), message=["no document was predicted", message])


def test_timeout(tmp_path):
    case(tmp_path, script=lambda a, n: Reply("{}", delay=2.0), args=("--timeout", "0.3"),
         message="no answer within 0.3 s (after 0 retries)")


def test_overall_time_limit(tmp_path):
    case(tmp_path, script=lambda a, n: Reply("{}", delay=1.5), args=("--timeout", "5", "--max-time", "0.4", "--retries", "3"),
         message="overall time limit (--max-time 0.4 s) reached")


def test_server_errors_are_retried_then_reported_with_the_key_redacted(tmp_path):
    body = json.dumps({"error": {"message": f"upstream failed for key {KEY}"}}).encode()
    result, server = case(tmp_path, script=lambda a, n: Reply(status=500, body=body), args=("--retries", "1"),
                          message=["HTTP 500", "upstream failed for key ***", "(after 1 retry)"])
    assert len(server.requests) == 2 * len(DOCS)  # each document asked twice: once, then one retry


def test_client_errors_are_not_retried(tmp_path):
    result, server = case(tmp_path, script=lambda a, n: Reply(status=400, body=b'{"error": {"message": "context too long"}}'),
                          args=("--retries", "3"), message="the server refused the request (HTTP 400")
    assert len(server.requests) == 2


def test_wrong_key_is_refused_and_never_echoed(tmp_path):
    result, server = case(tmp_path, server_key="sk-other-key-999999", message=["the server refused the API key (401",
                                                                               "Bearer ***"])


def test_wrong_path_is_a_404(tmp_path):
    case(tmp_path, url=lambda s: s.url[: -len("/v1")], message=["not found (404", "check --base-url"])


def test_redirect_to_another_origin_is_not_followed(tmp_path):
    with FakeOpenAI(key=None) as elsewhere:
        redirect = lambda a, n: Reply(status=307, headers={"Location": f"{elsewhere.url}/chat/completions"})  # noqa: E731
        case(tmp_path, script=redirect, message=["the server redirected to", "not followed, the API key is never sent"])
        assert elsewhere.requests == []


# -- answers the model gets wrong are counted, not fatal -------------------------------------------


@pytest.mark.parametrize("content,problem", [
    ("[]", "answer shape 1"),
    ('{"mentions": "Armenia"}', "answer shape 1"),
    ('{"entities": []}', "answer shape 1"),
    ("Sure! Here are the entities: Armenia", "invalid JSON 1"),
])
def test_model_answer_shapes_are_counted_problems(tmp_path, content, problem):
    result, _ = case(tmp_path, script=lambda a, n: Reply(content), code=0, message=[f"problems: {problem[:-2]} 2"],
                     changes=("out.jsonl", "out.report.json", "cache"))
    assert f"a: {problem}" in result.output and f"b: {problem}" in result.output
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 2


def test_without_the_openai_package(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "openai", None)  # `import openai` raises ImportError
    result, server = case(tmp_path, message=["the llm system needs the openai package", "pip install 'nkbench[llm]'"])
    assert server.requests == []
