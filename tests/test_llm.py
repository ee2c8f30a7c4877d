"""The llm system: quote resolution, answer parsing, the prompt (no test text in it), and
``nkbench run --system llm`` end to end against a real OpenAI-compatible HTTP server on 127.0.0.1
(tests/fake_openai.py) serving completions written here: malformed JSON, quotes not in the text,
unknown labels, a 429 then success, a slow answer past the timeout. Every socket the run opens is
recorded: nothing but 127.0.0.1 is contacted."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from nkbench.core import schema
from nkbench.cli import main
from nkbench.core.model import Document, check_document
from nkbench.benchmark.scoring.predictions import load_predictions
from nkbench.benchmark.systems.llm import PROBLEM_KINDS, QuoteProblem, load_prompt, locate, parse_answer, report_path
from tests.fake_openai import FakeOpenAI, Reply, toy_model
from tests.project import PROJECT, seeds

KEY = "sk-test-key-0123456789"


# -- quotes -> offsets ------------------------------------------------------------------------------


def test_locate_exact_ambiguous_context_and_loose():
    text = "Armenia said Armenia  and  Azerbaijan met.\u00a0Talks  ended."
    assert locate(text, "Azerbaijan") == ((27, 37), False)
    with pytest.raises(QuoteProblem) as err:
        locate(text, "Armenia")
    assert err.value.kind == "ambiguous quote"
    assert locate(text, "Armenia", "said Armenia  and") == ((13, 20), False)
    for bad_context in ("Armenia said Armenia", "not in it", "Azerbaijan"):
        with pytest.raises(QuoteProblem) as err:
            locate(text, "Armenia", bad_context)
        assert err.value.kind == "ambiguous quote"
    # one space written for the text's double spaces / NBSP: matched loosely, and said so
    assert locate(text, "and Azerbaijan") == ((22, 37), True)
    assert locate(text, "met. Talks ended") == ((38, 55), True)
    for quote, kind in (("Georgia", "quote not in text"), ("", "answer shape"), (5, "answer shape"), ("  ", "answer shape")):
        with pytest.raises(QuoteProblem) as err:
            locate(text, quote)
        assert err.value.kind == kind


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(alphabet="ab c\u00a0", min_size=1, max_size=30), st.data())
def test_locate_finds_the_quoted_span_or_says_why(text, data):
    s = data.draw(st.integers(0, len(text) - 1))
    e = data.draw(st.integers(s + 1, len(text)))
    quote = text[s:e]
    try:
        (gs, ge), loose = locate(text, quote)
    except QuoteProblem as err:
        n = sum(1 for i in range(len(text)) if text.startswith(quote, i))
        assert err.kind == ("answer shape" if not quote.strip() else "ambiguous quote")
        assert not quote.strip() or n > 1
        return
    assert not loose and text[gs:ge] == quote
    assert [i for i in range(len(text)) if text.startswith(quote, i)] == [gs]
    assert (gs, ge) == (s, e)
    # with the whole text as context the quote is found iff it occurs once
    assert locate(text, quote, text)[0] == (s, e)


# -- answers -> documents ---------------------------------------------------------------------------

TEXT = "Baku said that 30 soldiers died. Yerevan denied it, Yerevan said."


def answer(**layers):
    return json.dumps({"mentions": [], "events": [], "claims": [], **layers})


def test_a_clean_answer_becomes_a_sound_document():
    got = parse_answer(Document("d", "en", TEXT), answer(
        mentions=[{"ref": "b", "quote": "Baku", "label": "GPE"}, {"ref": "n", "quote": "30", "label": "QUANTITY"},
                  {"ref": "y", "quote": "Yerevan", "context": "denied it, Yerevan said", "label": "GPE", "entity_id": "yerevan"}],
        events=[{"quote": "died", "label": "DIE", "arguments": [{"role": "Count", "mention": "n"}]}],
        claims=[{"ref": "c", "quote": "30 soldiers died.", "source": "b", "cue": {"quote": "said", "context": "Baku said"},
                 "value": {"low": 30, "high": 30, "hedge": "exact", "counted": "killed"}},
                {"quote": "it", "stance": "denies", "source": "y", "cue": "denied", "parent": "c"}]))
    assert not got.problems and not got.details
    doc = got.document
    assert check_document(doc) == []
    assert [(m.text, m.start) for m in doc.mentions] == [("Baku", 0), ("30", 15), ("Yerevan", 52)]
    assert doc.events[0].arguments[0].mention == "m2"
    assert [c.text for c in doc.claims] == ["30 soldiers died", "it"]  # the final period trimmed
    assert doc.claims[0].cue == "q1" and doc.claims[1].parent == "c1" and doc.cues[1].text == "denied"


@pytest.mark.parametrize("content,kinds", [
    ("{not json", {"invalid JSON": 1}),
    ("[1, 2]", {"answer shape": 1}),
    (answer(mentions={"a": 1}, extra=[]), {"answer shape": 2}),
    (answer(mentions=["Baku", {"quote": "Baku", "label": "GPE", "color": "red"}]), {"answer shape": 2}),
    (answer(mentions=[{"quote": "Moscow", "label": "GPE"}, {"quote": "Yerevan", "label": "GPE"},
                      {"quote": "e", "label": "GPE"}]), {"quote not in text": 1, "ambiguous quote": 2}),
    (answer(mentions=[{"quote": "Baku", "label": "COUNTRY"}], events=[{"quote": "died", "label": "KILL"}]),
     {"unknown label": 2}),
    (answer(mentions=[{"ref": "b", "quote": "Baku", "label": "GPE"}],
            events=[{"quote": "died", "label": "DIE", "arguments": [{"role": "Attacker", "mention": "b"},
                                                                    {"role": "Place", "mention": "zz"}]}]),
     {"unknown role": 1, "unknown reference": 1}),
    (answer(events=[{"quote": "died", "label": "DIE", "realis": "maybe"}],
            claims=[{"quote": "30 soldiers died", "stance": "believes"}]), {"unknown attribute": 2}),
    (answer(claims=[{"quote": "30 soldiers died", "value": {"low": 40, "high": 30, "hedge": "exact", "counted": "killed"}},
                    {"quote": "it", "value": {"low": None, "high": None, "hedge": "exact", "counted": "killed"}},
                    {"quote": "Baku said", "value": {"low": 1, "high": 1, "hedge": "roughly", "counted": "killed"}}]),
     {"bad value": 2, "unknown attribute": 1}),
    (answer(mentions=[{"ref": "a", "quote": "Baku", "label": "GPE"}, {"ref": "b", "quote": "Baku ", "label": "GPE"}],
            claims=[{"quote": "it"}, {"quote": "it,"}]), {"duplicate span": 2}),
    (answer(claims=[{"ref": "x", "quote": "it", "parent": "y"}, {"ref": "y", "quote": "30 soldiers died", "parent": "x"},
                    {"quote": "Baku said", "parent": "nope"}]), {"unknown reference": 2}),
    (answer(mentions=[{"ref": "b", "quote": "Bakú", "label": "GPE"}], claims=[{"quote": "it", "source": "b"}]),
     {"quote not in text": 1, "unknown reference": 1}),
])
def test_every_output_problem_is_counted_and_the_rest_kept(content, kinds):
    got = parse_answer(Document("d", "en", TEXT), content)
    assert dict(got.problems) == kinds, got.details
    assert set(kinds) <= set(PROBLEM_KINDS)
    assert len(got.details) == sum(kinds.values())
    assert check_document(got.document) == []


def test_fenced_json_is_accepted_and_noted():
    got = parse_answer(Document("d", "en", TEXT), "```json\n" + answer(mentions=[{"quote": "Baku", "label": "GPE"}]) + "\n```")
    assert not got.problems and dict(got.notes) == {"JSON inside a code fence (accepted)": 1}
    assert len(got.document.mentions) == 1


# -- the prompt -------------------------------------------------------------------------------------


VERSIONS = sorted(p for p in PROJECT.llm_prompts_dir.iterdir() if p.is_dir())


@pytest.mark.parametrize("version", VERSIONS, ids=lambda p: p.name)
def test_prompt_examples_resolve_cleanly_and_inventories_are_complete(version):
    prompt = load_prompt(version)  # raises if an example's answer has a single problem
    assert prompt.examples and {ex["language"] for ex in prompt.examples} == {"es", "en"}
    for label in (*schema.ENTITY_TYPES, *schema.EVENT_TYPES, *schema.EVENT_ROLES, *schema.STANCES, *schema.HEDGES,
                  *schema.COUNTED, *schema.REALIS, *schema.POLARITY):
        assert label in prompt.system, label


def test_v1_keeps_its_placeholders_and_the_default_prompt_is_generated_from_the_dev_set():
    from nkbench.benchmark.systems.llm import DEFAULT_PROMPT
    from nkbench.benchmark.systems.llm_examples import NOTE, SPEC_FILE

    v1 = json.loads((PROJECT.llm_prompts_dir / "v1" / "examples.json").read_text(encoding="utf-8"))
    assert "PLACEHOLDER" in v1["note"]  # v1 is never edited: cached answers and published results name it
    default = PROJECT.llm_prompts_dir / DEFAULT_PROMPT
    assert (default / SPEC_FILE).is_file()
    assert json.loads((default / "examples.json").read_text(encoding="utf-8"))["note"] == NOTE


def _norm(s: str) -> str:
    return " ".join(s.split())


def leaks(article: str, prompt_text: str) -> list[str]:
    """Every sentence of ``article`` (three words or more, white space normalised) and every run of
    eight of its words that occurs in ``prompt_text``."""
    from nkbench.core.bio import sentences

    found = []
    sent = _norm(prompt_text)
    for s, e in sentences(article):
        sentence = _norm(article[s:e])
        if len(sentence.split()) >= 3 and sentence in sent:
            found.append(sentence)
    words = re.findall(r"\w+", article.lower())
    prompt_words = " " + " ".join(re.findall(r"\w+", sent.lower())) + " "
    for i in range(len(words) - 7):
        run = " ".join(words[i:i + 8])
        if f" {run} " in prompt_words:
            found.append(run)
    return found


def rendered(version: Path) -> str:
    """Everything a prompt version sends besides the article: the system message and the example turns."""
    return " ".join(m["content"] for m in load_prompt(version).messages("en", ""))


TEST_SEEDS = [s for s in seeds().values() if s.split == "test"]


def test_the_manifest_has_test_and_dev_seeds():
    assert TEST_SEEDS and any(s.split == "dev" for s in seeds().values())


@pytest.mark.parametrize("seed", TEST_SEEDS, ids=lambda s: s.id)
def test_no_test_article_text_is_in_any_prompt(seed):
    """No sentence of a test article (and no run of eight of its words) appears in any prompt
    version: the system message, the few-shot turns, anything sent besides the article itself."""
    for version in VERSIONS:
        assert not leaks(seed.text, rendered(version)), version.name


@pytest.mark.parametrize("seed", TEST_SEEDS, ids=lambda s: s.id)
def test_a_planted_test_sentence_is_caught(seed, tmp_path):
    """The check above can fail: a copy of the default prompt with one sentence of a test article put
    as one more example is caught, sentence and word runs."""
    import shutil

    from nkbench.benchmark.systems.llm import DEFAULT_PROMPT
    from nkbench.core.bio import sentences

    planted = max((seed.text[s:e] for s, e in sentences(seed.text)), key=len)
    copy = tmp_path / "planted"
    shutil.copytree(PROJECT.llm_prompts_dir / DEFAULT_PROMPT, copy)
    data = json.loads((copy / "examples.json").read_text(encoding="utf-8"))
    data["examples"].append({"id": "planted", "language": seed.language, "text": planted,
                             "answer": {"mentions": [], "events": [], "claims": []}})
    (copy / "examples.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    found = leaks(seed.text, rendered(copy))
    assert _norm(planted) in found and len(found) > 1


# -- end to end against the fake server ------------------------------------------------------------

DOCS = {
    "ok": ("en", "The Azerbaijani army said on Monday that 14 soldiers were injured near Tartar."),
    "malformed": ("es", "Fuentes locales informaron de nuevos disparos en la frontera."),
    "quotes": ("en", "Armenia and Azerbaijan traded blame after the clash in Syunik."),
    "labels": ("es", "Rusia desplegó tropas en Shushi según el ministerio."),
    "ratelimit": ("en", "Georgia offered to host talks between Armenia and Azerbaijan."),
    "slow": ("es", "Las negociaciones en Bruselas terminaron sin acuerdo."),
}

OK_ANSWER = {
    "mentions": [{"ref": "m1", "quote": "Azerbaijani", "label": "NORP"}, {"ref": "m2", "quote": "Monday", "label": "DATE"},
                 {"ref": "m3", "quote": "14", "label": "QUANTITY"}, {"ref": "m4", "quote": "Tartar", "label": "GPE"}],
    "events": [{"quote": "injured", "label": "INJURE", "arguments": [{"role": "Count", "mention": "m3"},
                                                                      {"role": "Place", "mention": "m4"}]}],
    "claims": [{"quote": "14 soldiers were injured", "source": None, "cue": "said",
                "value": {"low": 14, "high": 14, "hedge": "exact", "counted": "injured"}}],
}


def script(article: str, attempt: int) -> Reply:
    doc = next(k for k, (_, t) in DOCS.items() if t == article)
    if doc == "ok":
        return Reply(json.dumps(OK_ANSWER))
    if doc == "malformed":
        return Reply('{"mentions": [{"quote": "frontera", "label": "LOC"}')  # cut off
    if doc == "quotes":
        return Reply(json.dumps({"mentions": [{"quote": "Armenia", "label": "GPE"}, {"quote": "Nakhchivan", "label": "GPE"},
                                              {"quote": "an", "label": "LOC"}]}))
    if doc == "labels":
        return Reply(json.dumps({"mentions": [{"ref": "r", "quote": "Rusia", "label": "COUNTRY"},
                                              {"ref": "s", "quote": "Shushi", "label": "GPE"}],
                                 "events": [{"quote": "desplegó", "label": "DEPLOY",
                                             "arguments": [{"role": "Victim", "mention": "s"},
                                                           {"role": "Destination", "mention": "s"},
                                                           {"role": "Agent", "mention": "r"}]}]}))
    if doc == "ratelimit":
        if attempt == 1:
            return Reply(status=429, body=b'{"error": {"message": "Rate limit reached"}}', headers={"Retry-After": "0"})
        return toy_model(article, attempt)
    return Reply(json.dumps({"mentions": []}), delay=2.0)  # slow: past the 0.5 s timeout


def write_input(tmp: Path) -> Path:
    path = tmp / "docs.jsonl"
    path.write_text("".join(json.dumps({"id": k, "language": lang, "text": text}, ensure_ascii=False) + "\n"
                            for k, (lang, text) in DOCS.items()), encoding="utf-8")
    return path


@pytest.fixture
def connections(monkeypatch):
    """Every address a socket of this process connects to during the test."""
    seen: list = []
    real = socket.socket.connect

    def connect(self, address):
        seen.append(address)
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


def llm_args(server, tmp: Path, *extra):
    return ["run", "--system", "llm", "--model", "fake-model", "--base-url", server.url, "--input", str(tmp / "docs.jsonl"),
            "--out", str(tmp / "llm.jsonl"), "--cache-dir", str(tmp / "cache"), "--timeout", "0.5", "--retries", "1",
            "--concurrency", "3", *extra]


def test_run_against_the_fake_server(tmp_path, connections):
    write_input(tmp_path)
    with FakeOpenAI(script, key=KEY) as server:
        r1 = CliRunner().invoke(main, llm_args(server, tmp_path), env={"OPENAI_API_KEY": KEY})
        first_requests = list(server.requests)
        r2 = CliRunner().invoke(main, llm_args(server, tmp_path), env={"OPENAI_API_KEY": KEY})
        second_requests = server.requests[len(first_requests):]
        assert server.overflow == 0
    assert r1.exit_code == 0 and r2.exit_code == 0, r1.output + r2.output
    assert "Traceback" not in r1.output + r2.output and KEY not in r1.output + r2.output

    # traffic: only the test server on 127.0.0.1, only /v1/chat/completions, the key only there
    port = int(server.url.split(":")[2].split("/")[0])
    assert connections and {a[:2] for a in connections if isinstance(a, tuple)} == {("127.0.0.1", port)}
    assert {r["path"] for r in first_requests} == {"/v1/chat/completions"}
    assert all(r["headers"]["authorization"] == f"Bearer {KEY}" for r in first_requests)
    body = first_requests[0]["body"]
    assert body["model"] == "fake-model" and body["temperature"] == 0 and body["response_format"] == {"type": "json_object"}
    assert body["messages"][0]["role"] == "system" and "<article>" in body["messages"][-1]["content"]
    # one request per document, plus the 429's retry and the slow one's two attempts
    assert len(first_requests) == len(DOCS) + 2
    # rerun: every answered document from the cache; only the failed one is asked again (twice: one retry)
    assert [json.loads(json.dumps(r["body"]))["messages"][-1]["content"].count(DOCS["slow"][1]) for r in second_requests] == [1, 1]

    rep = json.loads(report_path(tmp_path / "llm.jsonl").read_text(encoding="utf-8"))
    docs = {d["id"]: d for d in rep["documents"]}
    assert docs["ok"]["problems"] == {} and docs["ok"]["status"] == "predicted"
    assert docs["malformed"]["problems"] == {"invalid JSON": 1}
    assert docs["quotes"]["problems"] == {"quote not in text": 1, "ambiguous quote": 1}
    assert docs["labels"]["problems"] == {"unknown label": 1, "unknown role": 1, "unknown reference": 1}
    assert docs["ratelimit"]["problems"] == {} and docs["ratelimit"]["retries"] == 0  # rerun: from the cache
    assert docs["slow"]["status"] == "failed" and "no answer within 0.5 s (after 1 retry)" in docs["slow"]["failure"]
    t = rep["totals"]
    assert t["cache_hits"] == len(DOCS) - 1 and t["failed"] == 1 and t["requests_answered"] == 0
    assert t["tokens"] == {"prompt": 0, "completion": 0} and t["tokens_from_cache"]["prompt"] > 0
    assert t["problems"] == {"invalid JSON": 1, "quote not in text": 1, "ambiguous quote": 1, "unknown label": 1,
                             "unknown role": 1, "unknown reference": 1}
    # the first run's summary: the retry, the failure, per-document problems, tokens spent
    assert "retries 2" in r1.output and "cache hits 0" in r1.output and f"requests {len(DOCS) - 1}" in r1.output
    assert re.search(r"tokens prompt [1-9]\d*  completion [1-9]", r1.output)
    assert "failed: slow: no answer within 0.5 s (after 1 retry)" in r1.output
    assert "malformed: invalid JSON 1" in r1.output and "labels: unknown label 1, unknown role 1, unknown reference 1" in r1.output
    assert f"cache hits {len(DOCS) - 1}" in r2.output and "requests 0" in r2.output

    # the predictions validate with the project's validator against the input documents
    gold = [Document(k, lang, text) for k, (lang, text) in DOCS.items()]
    preds, missing = load_predictions(tmp_path / "llm.jsonl", gold)
    assert missing == ["slow"]
    by_id = {d.id: d for d in preds}
    ok = by_id["ok"]
    assert [m.text for m in ok.mentions] == ["Azerbaijani", "Monday", "14", "Tartar"]
    assert [(e.label, len(e.arguments)) for e in ok.events] == [("INJURE", 2)]
    assert ok.claims[0].value.low == 14 and ok.cues[0].text == "said"
    assert by_id["malformed"].mentions == () and [m.text for m in by_id["quotes"].mentions] == ["Armenia"]
    assert [m.text for m in by_id["labels"].mentions] == ["Shushi"]
    assert [a.role for a in by_id["labels"].events[0].arguments] == ["Destination"]
    # the key is nowhere on disk
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(encoding="utf-8", errors="replace"), path


def test_the_cache_makes_reruns_identical_and_offline(tmp_path):
    write_input(tmp_path)
    docs = {k: v for k, v in DOCS.items() if k != "slow"}
    (tmp_path / "docs.jsonl").write_text("".join(json.dumps({"id": k, "language": lang, "text": text}) + "\n"
                                                 for k, (lang, text) in docs.items()), encoding="utf-8")
    with FakeOpenAI(script, key=KEY) as server:
        assert CliRunner().invoke(main, llm_args(server, tmp_path), env={"OPENAI_API_KEY": KEY}).exit_code == 0
        url = server.url
    first = (tmp_path / "llm.jsonl").read_bytes()
    # the server is gone: the rerun is answered from the cache alone, byte for byte
    args = llm_args(server, tmp_path)
    args[args.index("--base-url") + 1] = url
    r = CliRunner().invoke(main, args, env={"OPENAI_API_KEY": KEY})
    assert r.exit_code == 0 and (tmp_path / "llm.jsonl").read_bytes() == first, r.output
    # another parameter is another key: asked again (and the server is gone)
    r = CliRunner().invoke(main, [*args, "--temperature", "0.5", "--retries", "0"], env={"OPENAI_API_KEY": KEY})
    assert r.exit_code == 1 and "cannot reach" in r.output and "Traceback" not in r.output


def test_concurrency_is_bounded(tmp_path):
    write_input(tmp_path)
    docs = {k: v for k, v in DOCS.items() if k in ("ok", "malformed", "quotes", "labels")}
    (tmp_path / "docs.jsonl").write_text("".join(json.dumps({"id": k, "language": lang, "text": text}) + "\n"
                                                 for k, (lang, text) in docs.items()), encoding="utf-8")
    import threading

    state = {"now": 0, "max": 0}
    lock = threading.Lock()

    def counting(article, attempt):
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        import time

        time.sleep(0.2)
        with lock:
            state["now"] -= 1
        return script(article, attempt)

    with FakeOpenAI(counting, key=KEY) as server:
        args = llm_args(server, tmp_path)
        args[args.index("--concurrency") + 1] = "2"
        r = CliRunner().invoke(main, args, env={"OPENAI_API_KEY": KEY})
    assert r.exit_code == 0, r.output
    assert 1 <= state["max"] <= 2


# -- the worked example of `nkbench run --help` ----------------------------------------------------


def _matches(expected: list[str], got: list[str]) -> bool:
    if not expected:
        return not got
    if expected[0].strip() == "...":
        return any(_matches(expected[1:], got[i:]) for i in range(len(got) + 1))
    if not got:
        return False
    rx = ".*".join(re.escape(part) for part in expected[0].split("..."))
    return re.fullmatch(rx, got[0]) is not None and _matches(expected[1:], got[1:])


def test_the_llm_examples_in_run_help_are_real(tmp_path, monkeypatch):
    """Each `$ nkbench run --system llm` example of `nkbench run --help`, in order, against the fake
    server (its port and /tmp paths substituted), prints what the help shows ('...': anything)."""
    from nkbench.cli.benchmark.run import run

    lines = [line.strip() for line in run.epilog.splitlines()]
    examples = []
    for i, line in enumerate(lines):
        if line.startswith("$ nkbench run --system llm"):
            expected = []
            for follow in lines[i + 1:]:
                if follow in ("", "\b") or follow.startswith("$ "):
                    break
                expected.append(follow)
            examples.append((line[2:], expected))
    assert len(examples) == 3
    env = {"OPENAI_API_KEY": "sk-test", "MY_KEY": "sk-test", "NKBENCH_PROJECT": str(PROJECT.root)}
    monkeypatch.chdir(tmp_path)  # the examples write llm.jsonl and llm-cache/ where they run
    with FakeOpenAI(key="sk-test") as server:
        for command, expected in examples:
            command = command.replace("http://127.0.0.1:8765/v1", server.url)
            r = CliRunner().invoke(main, command.split()[1:], env=env)
            got = [line.strip() for line in r.output.splitlines()]
            assert r.exit_code == 0 and _matches(expected, got), (command, expected, got)
        # the first two asked once per seed (the second from the cache); the third, other parameters: asked again
        n = len(TEST_SEEDS)  # run takes the test split
        assert len(server.requests) == 2 * n
        third = server.requests[-1]["body"]
        assert (third["temperature"], third["seed"], third["max_tokens"]) == (0.2, 7, 2000)
        assert "response_format" not in third
    preds, _ = load_predictions(tmp_path / "llm.jsonl", [Document(s.id, s.language, s.text) for s in TEST_SEEDS])
    assert sum(len(d.mentions) for d in preds) > 0


# -- any answer at all: never a crash, always a sound document the validator accepts ---------------

FUZZ_TEXT = "Baku said 30 soldiers died in  Shusha.\u00a0Yerevan denied it; Yerevan said “no”."


def _quotes():
    subs = st.integers(0, len(FUZZ_TEXT) - 1).flatmap(
        lambda s: st.integers(s + 1, min(len(FUZZ_TEXT), s + 25)).map(lambda e: FUZZ_TEXT[s:e]))
    return st.one_of(subs, st.sampled_from(["", " ", "Moscow", "said", "Yerevan"]), st.integers(), st.none())


_refs = st.sampled_from(["m1", "m2", "m3", "c1", "c2", "x", 1, None, True])
_junk = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
_mention = st.fixed_dictionaries({"quote": _quotes()}, optional={
    "ref": _refs, "context": _quotes(), "label": st.sampled_from([*schema.ENTITY_TYPES, "COUNTRY", None]),
    "nominal": st.one_of(st.booleans(), _junk), "entity_id": st.one_of(st.none(), st.text(max_size=4), st.integers())})
_event = st.fixed_dictionaries({"quote": _quotes()}, optional={
    "label": st.sampled_from([*schema.EVENT_TYPES, "KILL"]), "context": _quotes(),
    "arguments": st.one_of(st.lists(st.fixed_dictionaries({"role": st.sampled_from([*schema.EVENT_ROLES, "Who"]),
                                                            "mention": _refs}), max_size=4), _junk),
    "polarity": st.sampled_from([*schema.POLARITY, "maybe", None]), "realis": st.sampled_from([*schema.REALIS, "x"])})
_value = st.fixed_dictionaries({}, optional={
    "low": st.one_of(st.none(), st.integers(-5, 50), st.floats(allow_nan=True), st.text(max_size=2)),
    "high": st.one_of(st.none(), st.integers(-5, 50)), "hedge": st.sampled_from([*schema.HEDGES, "roughly"]),
    "counted": st.sampled_from([*schema.COUNTED, "people"])})
_claim = st.fixed_dictionaries({"quote": _quotes()}, optional={
    "ref": _refs, "context": _quotes(), "stance": st.sampled_from([*schema.STANCES, "believes", None]),
    "source": _refs, "cue": st.one_of(_quotes(), st.fixed_dictionaries({"quote": _quotes()}, optional={"context": _quotes()})),
    "parent": _refs, "value": st.one_of(st.none(), _value, _junk), "link": st.one_of(st.none(), st.text(max_size=3), st.integers())})
_answers = st.one_of(
    st.fixed_dictionaries({}, optional={"mentions": st.one_of(st.lists(st.one_of(_mention, _junk), max_size=6), _junk),
                                        "events": st.lists(st.one_of(_event, _junk), max_size=4),
                                        "claims": st.lists(st.one_of(_claim, _junk), max_size=4),
                                        "extra": _junk}).map(json.dumps),
    st.text(max_size=30))


@settings(max_examples=400, derandomize=True, deadline=None)
@given(_answers)
def test_any_answer_gives_a_sound_document_and_counted_problems(content):
    from nkbench.benchmark.scoring.predictions import _duplicates

    got = parse_answer(Document("d", "en", FUZZ_TEXT), content)
    doc = got.document
    assert check_document(doc) == [] and _duplicates(doc) == []
    assert set(got.problems) <= set(PROBLEM_KINDS) and len(got.details) == sum(got.problems.values())
    for layer in ("mentions", "events", "cues", "claims"):
        for x in getattr(doc, layer):
            assert x.text == FUZZ_TEXT[x.start:x.end] and x.text == x.text.strip()


def test_an_unreadable_cache_entry_is_asked_again_and_said(tmp_path):
    write_input(tmp_path)
    (tmp_path / "docs.jsonl").write_text(json.dumps({"id": "ok", "language": "en", "text": DOCS["ok"][1]}) + "\n",
                                         encoding="utf-8")
    with FakeOpenAI(script, key=KEY) as server:
        assert CliRunner().invoke(main, llm_args(server, tmp_path), env={"OPENAI_API_KEY": KEY}).exit_code == 0
        (entry,) = (tmp_path / "cache").rglob("*.json")
        entry.write_text("{cut", encoding="utf-8")
        r = CliRunner().invoke(main, llm_args(server, tmp_path), env={"OPENAI_API_KEY": KEY})
        assert len(server.requests) == 2
    assert r.exit_code == 0 and "note: unreadable cache entries (asked again): 1" in r.output, r.output
    assert json.loads(entry.read_text(encoding="utf-8"))["content"] == json.dumps(OK_ANSWER)
