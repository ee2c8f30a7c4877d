"""``llm``: any OpenAI-compatible chat endpoint as an annotator (``nkbench run --system llm``).

The prompt is versioned data (``benchmark/llm/prompts/<version>/``): the guidelines condensed per
layer, the label inventories (generated here from ``nkbench/core/schema.py``, so they cannot drift) and
few-shot examples. The model answers with JSON in which every span is anchored by a verbatim
``quote`` (plus an optional longer ``context`` that contains it, to pick one of several
occurrences); ``locate`` resolves quotes to offsets with the project's quote matcher
(``nkbench.annotation.passes.occurrences``). Every output problem (invalid JSON, a quote not in the text, an
ambiguous quote, an unknown label, role or reference ...) is counted per document and reported
beside the predictions: the run never crashes on a bad answer and never drops anything silently.

Requests go through the ``openai`` package to ``--base-url`` only: no proxy from the environment,
no redirect followed, every request's origin checked; the key is read from an environment
variable and redacted from every message. Answers are cached on disk, keyed by model, messages
and parameters, so a rerun is free and gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from ...core import schema
from ...core.errors import Errors, NkbenchError, did_you_mean, redact
from ...core.model import Argument, Claim, Cue, Document, Event, Mention, NumericValue, check_document

#: The files of a prompt folder, in the order they form the system message.
PROMPT_FILES = ("system.md", "mentions.md", "events.md", "claims.md")
EXAMPLES_FILE = "examples.json"
DEFAULT_PROMPT = "v2"

#: Every kind of output problem, in report order.
PROBLEM_KINDS = ("invalid JSON", "answer shape", "quote not in text", "ambiguous quote", "empty span",
                 "unknown label", "unknown role", "unknown attribute", "unknown reference", "bad value",
                 "duplicate span")
ANSWER_FIELDS = ("mentions", "events", "claims")


# ---------------------------------------------------------------------------------------------
# Quotes -> offsets


class QuoteProblem(Exception):
    """A quote that cannot be resolved: ``kind`` is one of PROBLEM_KINDS."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind, self.detail = kind, detail


def _loose(text: str, quote: str) -> list[tuple[int, int]]:
    """Occurrences of ``quote`` where any run of white space matches any run (NBSP, double spaces)."""
    words = quote.split()
    if not words:
        return []
    rx = re.compile(r"\s+".join(re.escape(w) for w in words))
    out, pos = [], 0
    while (m := rx.search(text, pos)) is not None:
        out.append((m.start(), m.end()))
        pos = m.start() + 1
    return out


def locate(text: str, quote, context=None) -> tuple[tuple[int, int], bool]:
    """``((start, end), loose)`` of ``quote`` in ``text``. Exact occurrences first
    (``nkbench.annotation.passes.occurrences``); when there are none, white-space-insensitive ones
    (``loose`` is then True: models often write one space for the seeds' double spaces or NBSP).
    Several occurrences are disambiguated by ``context``, a longer verbatim excerpt holding the
    quote: it must occur once (exactly or loosely) and hold the quote once. Raises QuoteProblem
    ("quote not in text", "ambiguous quote", "answer shape")."""
    from ...annotation.passes import occurrences

    if not isinstance(quote, str) or not quote.strip():
        raise QuoteProblem("answer shape", f"quote must be a non-empty string, got {quote!r:.60}")
    if context is not None and not isinstance(context, str):
        raise QuoteProblem("answer shape", f"context must be a string, got {type(context).__name__}")
    loose = False
    found = [(s, s + len(quote)) for s in occurrences(text, quote)]
    if not found:
        found, loose = _loose(text, quote), True
    if not found:
        raise QuoteProblem("quote not in text", f"quote {quote!r:.80} is not in the text")
    if len(found) == 1:
        return found[0], loose
    if not context:
        raise QuoteProblem("ambiguous quote", f"quote {quote!r:.80} occurs {len(found)} times and no context says which")
    ctx = [(s, s + len(context)) for s in occurrences(text, context)] or _loose(text, context)
    inside = [span for span in found if any(cs <= span[0] and span[1] <= ce for cs, ce in ctx)]
    if len(inside) == 1:
        return inside[0], loose
    why = "is not in the text" if not ctx else f"holds it {len(inside)} times" if inside else "does not hold it"
    raise QuoteProblem("ambiguous quote", f"quote {quote!r:.80} occurs {len(found)} times and its context {why}")


# ---------------------------------------------------------------------------------------------
# The prompt


def inventories() -> str:
    """The label inventories of ``nkbench/core/schema.py`` as prompt text (generated, never typed)."""
    lines = ["## Label inventories (use exactly these strings)", "",
             f"- Entity types (mentions[].label): {', '.join(schema.ENTITY_TYPES)}",
             "- Event types (events[].label) and their argument roles:"]
    lines += [f"  - {t}: {', '.join(roles)}" for t, (roles, _, _) in schema.EVENT_TYPES.items()]
    lines += [f"- polarity: {', '.join(schema.POLARITY)} (default {schema.POLARITY[0]})",
              f"- realis: {', '.join(schema.REALIS)} (default {schema.REALIS[0]})",
              f"- stance: {', '.join(schema.STANCES)} (default {schema.STANCES[0]})",
              f"- value.hedge: {', '.join(schema.HEDGES)}",
              f"- value.counted: {', '.join(schema.COUNTED)}"]
    return "\n".join(lines) + "\n"


def user_message(language: str, text: str) -> str:
    name = {"es": "Spanish", "en": "English"}.get(language, language)
    return (f"Annotate this {name} article. Answer with one JSON object only. The text is between "
            f"<article> and </article>:\n<article>\n{text}\n</article>")


@dataclass(frozen=True)
class Prompt:
    """A loaded prompt version: the system message and the few-shot examples."""

    version: str
    system: str
    examples: tuple[dict, ...]

    def messages(self, language: str, text: str) -> list[dict]:
        out = [{"role": "system", "content": self.system}]
        for ex in self.examples:
            out.append({"role": "user", "content": user_message(ex["language"], ex["text"])})
            out.append({"role": "assistant", "content": json.dumps(ex["answer"], ensure_ascii=False)})
        out.append({"role": "user", "content": user_message(language, text)})
        return out

    @property
    def sha256(self) -> str:
        return hashlib.sha256(json.dumps(self.messages("", ""), ensure_ascii=False).encode()).hexdigest()


def load_prompt(folder: Path) -> Prompt:
    """The prompt in ``folder`` (``PROMPT_FILES`` + ``examples.json``); every example's answer must
    resolve without a single problem (else an error naming the example and the problem)."""
    from ...core.io import read_json, read_text

    folder = Path(folder)
    if not folder.is_dir():
        raise NkbenchError("no such prompt folder", where=str(folder),
                           hint="give a folder under benchmark/llm/prompts/ (--prompt)", code=Errors.E556)
    parts = [read_text(folder / name).strip() for name in PROMPT_FILES]
    system = "\n\n".join([*parts, inventories()])
    data = read_json(folder / EXAMPLES_FILE)
    where = str(folder / EXAMPLES_FILE)
    if not isinstance(data, dict) or not isinstance(data.get("examples"), list):
        raise NkbenchError('expected an object {"examples": [...]}', where=where, code=Errors.E557)
    examples = []
    for i, ex in enumerate(data["examples"]):
        if not (isinstance(ex, dict) and {"id", "language", "text", "answer"} <= set(ex)
                and isinstance(ex["text"], str) and ex["language"] in ("es", "en")):
            raise NkbenchError("expected {id, language (es/en), text, answer}", where=f"{where}: examples[{i}]", code=Errors.E558)
        parsed = parse_answer(Document(str(ex["id"]), ex["language"], ex["text"]), json.dumps(ex["answer"]))
        if parsed.problems or parsed.notes:
            raise NkbenchError(f"the example's answer does not resolve cleanly: {'; '.join(parsed.details or list(parsed.notes))}",
                               where=f"{where}: examples[{i}] ({ex['id']})", code=Errors.E559)
        examples.append(ex)
    return Prompt(folder.name, system, tuple(examples))


# ---------------------------------------------------------------------------------------------
# Answer -> Document


@dataclass
class Parsed:
    document: Document
    problems: Counter = field(default_factory=Counter)
    details: list[str] = field(default_factory=list)
    notes: Counter = field(default_factory=Counter)


_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*)\n```\s*$", re.S)


def _number(v) -> bool:
    return v is None or (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v))


def ref_key(value) -> str | None:
    """A ref the model gave (a string or an integer) as a key; None for anything else."""
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def parse_answer(doc: Document, content: str) -> Parsed:
    """The model's answer (JSON text) for ``doc`` -> a sound predicted Document and every problem,
    counted by kind (``PROBLEM_KINDS``) with a one-line detail each. Items with a problem are left
    out of the document (and counted); an argument, cue, source or value with a problem is left
    out of its item (and counted)."""
    text = doc.text or ""
    out = Parsed(Document(doc.id, doc.language, doc.text))

    def problem(kind: str, where: str, detail: str) -> None:
        out.problems[kind] += 1
        out.details.append(f"{where}: {kind}: {detail}")

    try:
        obj = json.loads(content)
    except (ValueError, RecursionError) as err:
        m = _FENCE.match(content or "")
        try:
            obj = json.loads(m.group(1)) if m else None
        except (ValueError, RecursionError):
            obj = None
        if obj is None:
            problem("invalid JSON", "answer", f"{str(err)[:100]} (answer starts {content[:40]!r})")
            return out
        out.notes["JSON inside a code fence (accepted)"] += 1
    if not isinstance(obj, dict):
        problem("answer shape", "answer", f"expected a JSON object with {', '.join(ANSWER_FIELDS)}, got {type(obj).__name__}")
        return out
    for key in sorted(set(obj) - set(ANSWER_FIELDS)):
        problem("answer shape", f"answer.{key}", f"unknown field (fields: {', '.join(ANSWER_FIELDS)})")
    items: dict[str, list] = {}
    for key in ANSWER_FIELDS:
        value = obj.get(key, [])
        if value is None:
            value = []
        if not isinstance(value, list):
            problem("answer shape", key, f"expected a list, got {type(value).__name__}")
            value = []
        items[key] = value

    def span(item: dict, where: str, chars: str = " \t\n\r\u00a0") -> tuple[int, int] | None:
        try:
            (s, e), loose = locate(text, item.get("quote"), item.get("context"))
        except QuoteProblem as err:
            problem(err.kind, where, err.detail)
            return None
        if loose:
            out.notes["quotes matched ignoring white space"] += 1
        while s < e and text[s] in chars:
            s += 1
        while e > s and text[e - 1] in chars:
            e -= 1
        if s >= e:
            problem("empty span", where, f"quote {item.get('quote')!r:.40} is only white space or punctuation")
            return None
        return s, e

    def fields(item, where: str, allowed: set[str]) -> bool:
        if not isinstance(item, dict):
            problem("answer shape", where, f"expected an object, got {type(item).__name__}")
            return False
        for key in sorted(set(item) - allowed):
            problem("answer shape", f"{where}.{key}", f"unknown field (fields: {', '.join(sorted(allowed))})")
        return True

    def give_ref(refs: dict[str, str], ref: str | None, xid: str, where: str, what: str) -> None:
        """``ref`` (if any) names ``xid``; a ref given twice keeps its first item."""
        if ref is None:
            return
        if ref in refs:
            problem("duplicate span", where, f"ref {ref!r} given to two {what}; the first one keeps it")
        else:
            refs[ref] = xid

    def entries(layer: str, allowed: set[str]):
        """``(where, item)`` for every item of a layer that is an object (unknown fields noted)."""
        for i, item in enumerate(items[layer]):
            if fields(item, f"{layer}[{i}]", allowed):
                yield f"{layer}[{i}]", item

    def choice(item: dict, key: str, allowed, default, where: str):
        value = item.get(key)
        if value is None:
            return default
        if value not in allowed:
            problem("unknown attribute", where, f"{key} {value!r:.40} ({did_you_mean(str(value), allowed)})")
            raise LookupError
        return value

    # mentions
    mentions: list[Mention] = []
    m_refs: dict[str, str] = {}
    m_keys: dict[tuple, str] = {}
    dropped: set[str] = set()
    for where, item in entries("mentions", {"ref", "quote", "context", "label", "nominal", "entity_id"}):
        ref = ref_key(item.get("ref"))
        label = item.get("label")
        nominal, entity_id = item.get("nominal", False), item.get("entity_id")
        ok = True
        if label not in schema.ENTITY_TYPES:
            problem("unknown label", where, f"entity type {label!r:.40} ({did_you_mean(str(label), schema.ENTITY_TYPES)})")
            ok = False
        elif not isinstance(nominal, bool) or not isinstance(entity_id, (str, type(None))):
            problem("answer shape", where, "nominal must be true/false and entity_id a string or null")
            ok = False
        s = span(item, where) if ok else None
        if s is None:
            if ref is not None:
                dropped.add(ref)
            continue
        key = (*s, label, nominal)
        if key in m_keys:
            problem("duplicate span", where, f"mention {text[s[0]:s[1]]!r:.40} {label} given again")
            if ref is not None:
                m_refs.setdefault(ref, m_keys[key])
            continue
        mid = f"m{len(mentions) + 1}"
        mentions.append(Mention(mid, s[0], s[1], text[s[0]:s[1]], label, entity_id or None, nominal))
        m_keys[key] = mid
        give_ref(m_refs, ref, mid, where, "mentions")

    def mention_ref(value, where: str, what: str) -> str | None:
        key = ref_key(value)
        if key is not None and key in m_refs:
            return m_refs[key]
        why = "a mention left out for its own problem" if key in dropped else "no mention has this ref"
        problem("unknown reference", where, f"{what} {value!r:.40}: {why}")
        return None

    # events
    events: list[Event] = []
    e_keys: set[tuple] = set()
    for where, item in entries("events", {"quote", "context", "label", "arguments", "polarity", "realis"}):
        label = item.get("label")
        if label not in schema.EVENT_TYPES:
            problem("unknown label", where, f"event type {label!r:.40} ({did_you_mean(str(label), schema.EVENT_TYPES)})")
            continue
        try:
            polarity = choice(item, "polarity", schema.POLARITY, schema.POLARITY[0], where)
            realis = choice(item, "realis", schema.REALIS, schema.REALIS[0], where)
        except LookupError:
            continue
        s = span(item, where)
        if s is None:
            continue
        if (*s, label) in e_keys:
            problem("duplicate span", where, f"event {text[s[0]:s[1]]!r:.40} {label} given again")
            continue
        roles = schema.EVENT_TYPES[label][0]
        args: list[Argument] = []
        raw_args = item.get("arguments") or []
        if not isinstance(raw_args, list):
            problem("answer shape", f"{where}.arguments", f"expected a list, got {type(raw_args).__name__}")
            raw_args = []
        for j, a in enumerate(raw_args):
            aw = f"{where}.arguments[{j}]"
            if not fields(a, aw, {"role", "mention"}):
                continue
            if a.get("role") not in roles:
                problem("unknown role", aw, f"{a.get('role')!r:.40} is not a role of {label} ({did_you_mean(str(a.get('role')), roles)})")
                continue
            mid = mention_ref(a.get("mention"), aw, "mention")
            if mid is None:
                continue
            arg = Argument(a["role"], mid)
            if arg in args:
                problem("duplicate span", aw, f"argument {a['role']} -> {a.get('mention')!r} given again")
                continue
            args.append(arg)
        e_keys.add((*s, label))
        events.append(Event(f"e{len(events) + 1}", s[0], s[1], text[s[0]:s[1]], label, tuple(args), polarity, realis))

    # claims (parents resolved after every claim is known)
    cues: dict[tuple[int, int], Cue] = {}
    claims: list[Claim] = []
    c_refs: dict[str, str] = {}
    c_keys: dict[tuple, str] = {}
    parents: list[tuple[int, object, str]] = []
    for where, item in entries("claims", {"ref", "quote", "context", "stance", "source", "cue", "parent", "value", "link"}):
        try:
            stance = choice(item, "stance", schema.STANCES, schema.STANCES[0], where)
        except LookupError:
            continue
        s = span(item, where, " \t\n\r\u00a0,;:.")
        if s is None:
            continue
        ref = ref_key(item.get("ref"))
        if s in c_keys:
            problem("duplicate span", where, f"claim {text[s[0]:s[1]]!r:.40} given again")
            if ref is not None:
                c_refs.setdefault(ref, c_keys[s])
            continue
        source = mention_ref(item["source"], f"{where}.source", "source") if item.get("source") is not None else None
        cue_id = None
        raw_cue = item.get("cue")
        if raw_cue is not None:
            cue_item = {"quote": raw_cue} if isinstance(raw_cue, str) else raw_cue
            if fields(cue_item, f"{where}.cue", {"quote", "context"}):
                cs = span(cue_item, f"{where}.cue")
                if cs is not None:
                    cue = cues.setdefault(cs, Cue(f"q{len(cues) + 1}", cs[0], cs[1], text[cs[0]:cs[1]]))
                    cue_id = cue.id
        value = None
        raw_value = item.get("value")
        if raw_value is not None:
            vw = f"{where}.value"
            if fields(raw_value, vw, {"low", "high", "hedge", "counted"}):
                low, high = raw_value.get("low"), raw_value.get("high")
                hedge, counted = raw_value.get("hedge"), raw_value.get("counted")
                if hedge not in schema.HEDGES:
                    problem("unknown attribute", vw, f"hedge {hedge!r:.40} ({did_you_mean(str(hedge), schema.HEDGES)})")
                elif counted not in schema.COUNTED:
                    problem("unknown attribute", vw, f"counted {counted!r:.40} ({did_you_mean(str(counted), schema.COUNTED)})")
                elif not (_number(low) and _number(high)) or (low is None and high is None) or \
                        (low is not None and high is not None and low > high):
                    problem("bad value", vw, f"low {low!r:.20} / high {high!r:.20}: numbers or null, not both null, low <= high")
                else:
                    value = NumericValue(low, high, hedge, counted)
        link = item.get("link")
        if not isinstance(link, (str, type(None))):
            problem("answer shape", f"{where}.link", f"expected a string or null, got {type(link).__name__}")
            link = None
        cid = f"c{len(claims) + 1}"
        claims.append(Claim(cid, s[0], s[1], text[s[0]:s[1]], stance, source, cue_id, None, value, link or None))
        c_keys[s] = cid
        give_ref(c_refs, ref, cid, where, "claims")
        if item.get("parent") is not None:
            parents.append((len(claims) - 1, item["parent"], where))
    for index, parent, where in parents:
        key = ref_key(parent)
        pid = c_refs.get(key) if key is not None else None
        if pid is None or pid == claims[index].id:
            problem("unknown reference", f"{where}.parent", f"{parent!r:.40}: no other claim has this ref")
            continue
        claims[index] = replace(claims[index], parent=pid)
    # a parent chain that loops: cut it where it closes (counted)
    by_id = {c.id: i for i, c in enumerate(claims)}
    for i in range(len(claims)):
        seen, j = set(), i
        while claims[j].parent is not None and j not in seen:
            seen.add(j)
            nxt = by_id[claims[j].parent]
            if nxt in seen or nxt == i:
                claims[j] = replace(claims[j], parent=None)
                problem("unknown reference", f"claims ref {claims[j].id}", "parent chain loops; the closing parent is left out")
                break
            j = nxt
    out.document = Document(doc.id, doc.language, doc.text, tuple(mentions), tuple(events),
                            tuple(sorted(cues.values(), key=lambda c: int(c.id[1:]))), tuple(claims))
    return out


# ---------------------------------------------------------------------------------------------
# Requests


@dataclass(frozen=True)
class LLMConfig:
    model: str
    base_url: str
    api_key_env: str = "OPENAI_API_KEY"
    prompt_dir: Path | None = None
    cache_dir: Path | None = None
    concurrency: int = 4
    timeout: float = 120.0
    max_time: float = 3600.0
    retries: int = 4
    temperature: float = 0.0
    max_tokens: int = 4096
    seed: int | None = None
    json_mode: bool = True

    def params(self) -> dict:
        """The request parameters that make the answer (and so the cache key)."""
        return {"temperature": self.temperature, "max_tokens": self.max_tokens, "seed": self.seed,
                "json_mode": self.json_mode}


def check_base_url(url: str) -> str:
    """``url`` if it is an http(s) URL with a host and no user name or password; else an error."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port  # raises for a bad port
    except ValueError as err:
        raise NkbenchError(f"not a valid URL ({err})", where=f"--base-url {redact(url)!r}", code=Errors.E560) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NkbenchError("not an http(s) URL with a host", where=f"--base-url {redact(url)!r}",
                           hint="e.g. https://api.openai.com/v1 or http://127.0.0.1:8000/v1", code=Errors.E561)
    if parts.username is not None or parts.password is not None:
        raise NkbenchError("the URL carries a user name or password", where=f"--base-url {redact(url)!r}",
                           hint="give the key in an environment variable (--api-key-env), not in the URL", code=Errors.E562)
    if parts.query or parts.fragment:  # a key in a query string would be printed with the URL
        raise NkbenchError("the URL carries a query string or fragment", where="--base-url",
                           hint="give the base URL alone (e.g. https://api.openai.com/v1); the key goes in --api-key-env", code=Errors.E563)
    del port
    return url.rstrip("/")


def origin(url: str) -> tuple[str, str, int]:
    from urllib.parse import urlsplit

    p = urlsplit(str(url))
    return p.scheme, (p.hostname or "").lower(), p.port or (443 if p.scheme == "https" else 80)


class Fatal(NkbenchError):
    """A problem with the whole run (key refused, model unknown, redirect): nothing is written."""

    code = Errors.E591


class _Failure(Exception):
    """One document's request failed for good (after retries)."""


class _OtherOrigin(Exception):
    pass


@dataclass
class DocResult:
    id: str
    parsed: Parsed | None = None
    failure: str | None = None
    cached: bool = False
    retries: int = 0
    usage: dict = field(default_factory=dict)
    finish_reason: str | None = None


class Cache:
    """Answers on disk: ``<folder>/<key[:2]>/<key>.json`` (written atomically, read back checked)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.unreadable = 0

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        path = self.path(key)
        if not path.is_file():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entry = None
        if not (isinstance(entry, dict) and entry.get("key") == key and isinstance(entry.get("content"), str)):
            self.unreadable += 1  # asked again, and overwritten with the new answer
            return None
        return entry

    def put(self, key: str, entry: dict) -> None:
        from ...core.io import atomic_write_text

        atomic_write_text(self.path(key), json.dumps({"key": key, **entry}, ensure_ascii=False, sort_keys=True, indent=1) + "\n")


class LLMSystem:
    """The LLM annotator over a batch of documents (``run``); ``predict`` for one."""

    name = "llm"
    languages = ("es", "en")

    def __init__(self, config: LLMConfig) -> None:
        import os

        self.config = config
        self.base_url = check_base_url(config.base_url)
        if config.concurrency < 1:
            raise NkbenchError(f"--concurrency must be at least 1, got {config.concurrency}", code=Errors.E564)
        env = config.api_key_env
        if not env or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env):
            raise NkbenchError(f"not an environment variable name: {env!r}", where="--api-key-env", code=Errors.E565)
        self.key = (os.environ.get(env) or "").strip()
        if not self.key:
            raise NkbenchError(f"the environment variable {env} is not set (the API key)", where="--api-key-env",
                               hint=f"export {env}=... (or name another variable with --api-key-env)", code=Errors.E566)
        if config.prompt_dir is None:
            raise NkbenchError("no prompt folder given", code=Errors.E567)
        self.prompt = load_prompt(config.prompt_dir)
        self.cache = Cache(config.cache_dir) if config.cache_dir is not None else None
        self.notes: Counter = Counter()
        self._abort = threading.Event()
        self._fatal: Fatal | None = None
        self._lock = threading.Lock()
        self._client = None

    # -- the client ------------------------------------------------------------------------------
    def _make_client(self):
        try:
            import openai
        except ImportError:
            raise NkbenchError("the llm system needs the openai package",
                               hint="pip install 'nkbench[llm]' (or pip install openai)", code=Errors.E568) from None
        try:
            import httpx2 as httpx  # what openai 3.x uses
        except ImportError:  # older openai releases use httpx
            import httpx
        allowed = origin(self.base_url)

        def check_origin(request) -> None:  # every request, redirects included: only --base-url's origin
            if origin(str(request.url)) != allowed:
                raise _OtherOrigin(str(request.url))

        http = httpx.Client(follow_redirects=False, trust_env=False, event_hooks={"request": [check_origin]},
                            timeout=self.config.timeout)
        return openai.OpenAI(api_key=self.key, base_url=self.base_url, max_retries=0, timeout=self.config.timeout,
                             http_client=http)

    def _redact(self, text) -> str:
        return redact(str(text), [self.key])

    def _detail(self, err) -> str:
        body = getattr(err, "body", None)
        text = json.dumps(body, ensure_ascii=False) if body is not None else str(getattr(err, "message", err))
        text = " ".join(self._redact(text).split())
        return text[:160] + ("..." if len(text) > 160 else "")

    def key_for(self, messages: list[dict]) -> str:
        material = {"model": self.config.model, "messages": messages, "params": self.config.params()}
        return hashlib.sha256(json.dumps(material, ensure_ascii=False, sort_keys=True).encode()).hexdigest()

    def _backoff(self, attempt: int, doc_id: str, retry_after: str | None) -> float:
        if retry_after is not None:
            try:
                return min(max(float(retry_after), 0.0), 60.0)
            except ValueError:
                pass
        rng = random.Random(f"{doc_id}:{attempt}")  # deterministic jitter
        return min(30.0, 0.5 * 2 ** attempt) * (0.75 + 0.5 * rng.random())

    def _ask(self, messages: list[dict], doc_id: str, deadline: float, result: DocResult) -> dict:
        """One document's answer {content, usage, finish_reason}, with retries; raises _Failure or Fatal."""
        import openai

        cfg = self.config
        kwargs = {"model": cfg.model, "messages": messages, "temperature": cfg.temperature, "max_tokens": cfg.max_tokens}
        if cfg.seed is not None:
            kwargs["seed"] = cfg.seed
        if cfg.json_mode:
            kwargs["response_format"] = {"type": "json_object"}
        reason = "no attempt made"
        for attempt in range(cfg.retries + 1):
            if self._abort.is_set():
                raise _Failure("not asked: the run was stopped")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Failure(f"overall time limit (--max-time {cfg.max_time:g} s) reached; {reason}")
            wait = None
            timeout = min(cfg.timeout, remaining)
            try:
                raw = self._client.chat.completions.with_raw_response.create(**kwargs, timeout=timeout)
                return self._answer(raw.http_response)
            except openai.APITimeoutError:
                reason = f"no answer within {timeout:g} s"
            except openai.APIStatusError as err:
                status = err.status_code
                if 300 <= status < 400:
                    where = err.response.headers.get("location", "?")
                    raise Fatal(f"the server redirected to {self._redact(where)!r} ({status}); not followed, the API key "
                                f"is never sent anywhere but --base-url", where=self.base_url,
                                hint="give the final URL as --base-url") from None
                if status in (401, 403):
                    raise Fatal(f"the server refused the API key ({status}: {self._detail(err)})", where=self.base_url,
                                hint=f"check the key in ${cfg.api_key_env}") from None
                if status == 404:
                    raise Fatal(f"not found (404: {self._detail(err)})", where=f"{self.base_url} model {cfg.model!r}",
                                hint="check --base-url (it usually ends in /v1) and --model") from None
                reason = f"HTTP {status}: {self._detail(err)}"
                if status != 429 and status < 500:
                    raise _Failure(f"the server refused the request ({reason})") from None
                wait = err.response.headers.get("retry-after")
            except openai.APIConnectionError as err:
                cause = err.__cause__
                if isinstance(cause, _OtherOrigin):
                    raise Fatal(f"a request to {self._redact(cause)!r} was refused: only {self.base_url} is contacted",
                                where="--base-url") from None
                reason = f"cannot reach {self.base_url} ({self._redact(cause or err)})"
            if attempt < cfg.retries:
                with self._lock:
                    self.notes["retries"] += 1
                result.retries += 1
                pause = min(self._backoff(attempt, doc_id, wait), max(0.0, deadline - time.monotonic()))
                self._abort.wait(pause)  # cut short when another document hit a fatal error
        raise _Failure(f"{reason} (after {cfg.retries} retr{'y' if cfg.retries == 1 else 'ies'})")

    def _answer(self, response) -> dict:
        """{content, usage, finish_reason} from a 2xx response body; _Failure for another shape."""
        raw = response.content
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            shown = self._redact(raw[:60].decode("utf-8", "replace"))
            raise _Failure(f"the server's answer is not JSON (starts {shown!r})") from None
        choices = body.get("choices") if isinstance(body, dict) else None
        first = choices[0] if isinstance(choices, list) and choices else None
        message = first.get("message") if isinstance(first, dict) else None
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, str):
            what = ("not an object" if not isinstance(body, dict) else "no choices" if first is None
                    else "no message" if not isinstance(message, dict) else f"content is {type(content).__name__}")
            raise _Failure(f"unexpected answer shape from the server ({what}; expected choices[0].message.content)")
        usage = body.get("usage") if isinstance(body.get("usage"), dict) else {}
        usage = {k: usage[k] for k in ("prompt_tokens", "completion_tokens")
                 if isinstance(usage.get(k), int) and not isinstance(usage.get(k), bool)}
        return {"content": content, "usage": usage, "finish_reason": first.get("finish_reason")}

    # -- one document and a batch ----------------------------------------------------------------
    def _one(self, doc: Document, deadline: float) -> DocResult:
        result = DocResult(doc.id)
        messages = self.prompt.messages(doc.language, doc.text or "")
        key = self.key_for(messages)
        entry = self.cache.get(key) if self.cache is not None else None
        if entry is not None:
            result.cached = True
        else:
            try:
                entry = self._ask(messages, doc.id, deadline, result)
            except _Failure as err:
                result.failure = str(err)
                return result
            except Fatal as err:
                with self._lock:
                    self._fatal = self._fatal or err
                self._abort.set()
                result.failure = str(err)
                return result
            if self.cache is not None:
                self.cache.put(key, {"model": self.config.model, "params": self.config.params(),
                                     "prompt": self.prompt.version, "document": doc.id, **entry})
        result.usage = dict(entry.get("usage") or {})
        result.finish_reason = entry.get("finish_reason")
        result.parsed = parse_answer(doc, entry["content"])
        if result.finish_reason == "length":
            result.parsed.notes["answer cut at --max-tokens (finish_reason length)"] += 1
        problems = check_document(result.parsed.document)
        if problems:  # a bug in parse_answer, never written
            raise NkbenchError(f"internal: unsound prediction for {doc.id!r}: {problems[0]}", code=Errors.E569)
        return result

    def run(self, docs: list[Document], *, progress: bool = False) -> list[DocResult]:
        """Every document's result, in input order. Raises Fatal (nothing usable) when the key is
        refused, the model or URL is unknown or a redirect is refused."""
        from concurrent.futures import ThreadPoolExecutor

        self._client = self._make_client()
        deadline = time.monotonic() + self.config.max_time
        results: dict[str, DocResult] = {}
        try:
            with ThreadPoolExecutor(max_workers=self.config.concurrency) as pool:
                futures = {pool.submit(self._one, d, deadline): d.id for d in docs}
                from concurrent.futures import as_completed

                done = as_completed(futures)
                if progress:
                    import sys

                    from tqdm import tqdm

                    done = tqdm(done, total=len(futures), desc=f"llm {self.config.model}", unit="doc", file=sys.stderr)
                for fut in done:
                    results[futures[fut]] = fut.result()
        finally:
            self._client.close()
        if self._fatal is not None:
            raise Fatal(self._redact(self._fatal.reason), where=self._fatal.where, hint=self._fatal.hint)
        if self.cache is not None and self.cache.unreadable:
            self.notes["unreadable cache entries (asked again)"] = self.cache.unreadable
        return [results[d.id] for d in docs]

    def predict(self, doc: Document) -> Document:
        (result,) = self.run([doc])
        if result.parsed is None:
            raise NkbenchError(result.failure or "no answer", where=f"document {doc.id!r}", code=Errors.E570)
        return result.parsed.document


# ---------------------------------------------------------------------------------------------
# The report written beside the predictions


def report(system: LLMSystem, results: list[DocResult]) -> dict:
    """Per document: cached or not, retries, token usage, problems by kind with details, notes,
    or the failure; totals over the run. No timings: a cached rerun differs only in ``cached``."""
    cfg = system.config
    docs, totals, usage, cached, notes = [], Counter(), Counter(), Counter(), Counter()
    for r in results:
        entry = {"id": r.id, "status": "failed" if r.parsed is None else "predicted", "cached": r.cached,
                 "retries": r.retries, "usage": r.usage, "finish_reason": r.finish_reason}
        if r.parsed is None:
            entry["failure"] = r.failure
        else:
            entry["problems"] = {k: r.parsed.problems[k] for k in PROBLEM_KINDS if r.parsed.problems[k]}
            entry["details"] = r.parsed.details
            entry["notes"] = dict(sorted(r.parsed.notes.items()))
            totals.update(r.parsed.problems)
            notes.update(r.parsed.notes)
        (cached if r.cached else usage).update(r.usage)
        docs.append(entry)
    return {
        "system": "llm", "model": cfg.model, "base_url": system.base_url, "prompt": system.prompt.version,
        "prompt_sha256": system.prompt.sha256, "params": cfg.params(),
        "totals": {"documents": len(results), "predicted": sum(r.parsed is not None for r in results),
                   "failed": sum(r.parsed is None for r in results), "cache_hits": sum(r.cached for r in results),
                   "requests_answered": sum(not r.cached and r.parsed is not None for r in results),
                   "retries": sum(r.retries for r in results),
                   "tokens": {"prompt": usage["prompt_tokens"], "completion": usage["completion_tokens"]},
                   "tokens_from_cache": {"prompt": cached["prompt_tokens"], "completion": cached["completion_tokens"]},
                   "problems": {k: totals[k] for k in PROBLEM_KINDS if totals[k]},
                   "notes": dict(sorted(notes.items()))},
        "documents": docs,
    }


def report_path(out: Path) -> Path:
    """Where the report of predictions ``out`` goes: ``llm.jsonl`` -> ``llm.report.json``."""
    out = Path(out)
    return out.with_name(f"{out.stem if out.suffix else out.name}.report.json")
