"""A real OpenAI-compatible HTTP server on 127.0.0.1 for the tests of ``nkbench run --system llm``.

``POST /v1/chat/completions`` answers with completions written for the tests: ``script(article,
attempt)`` returns a ``Reply`` (the model's content, or an HTTP status, a raw body, headers, a
delay) for the article of the request (the text between <article> and </article> of the last user
message) and the how-many-th request for that article this is (1, 2, ...). The default script is a
toy model that marks the country names occurring once in the article as GPE mentions.

Bounded: only 127.0.0.1, at most ``max_requests`` requests (later ones get 503 and are counted in
``overflow``), a delay is capped at ``max_delay`` seconds, sockets time out after
``socket_timeout`` seconds, and the server stops when the ``with`` block ends. Every request is
recorded (path, headers, JSON body) so tests can check what the client sent, and to whom.

Run alone (for the worked example of ``nkbench run --help``):
    python -m tests.fake_openai --port 8765 --key sk-test      # Ctrl-C (or --max-seconds) stops it
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field

from .local_server import LocalServer, QuietHandler

COUNTRIES = ("Azerbaiyán", "Azerbaijan", "Armenia", "Rusia", "Russia", "Turquía", "Turkey", "Irán", "Iran", "Georgia")
_ARTICLE = re.compile(r"<article>\n(.*)\n</article>", re.S)


@dataclass
class Reply:
    """What the server answers: ``content`` as the model's message, unless ``status`` is not 200
    (then ``body`` is sent as the error) or ``raw`` is given (sent as the whole body)."""

    content: str | None = None
    status: int = 200
    body: bytes = b""
    raw: bytes | None = None
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    finish_reason: str = "stop"


def toy_model(article: str, attempt: int) -> Reply:
    """The first whole-word occurrence of each name of ``COUNTRIES`` in the article, as a GPE
    (with a context of the characters around it when the name occurs more than once)."""
    mentions = []
    for name in COUNTRIES:
        found = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", article)]
        if not found:
            continue
        item = {"ref": f"m{len(mentions) + 1}", "quote": name, "label": "GPE", "nominal": False, "entity_id": name.lower()}
        if article.count(name) > 1:
            item["context"] = article[max(0, found[0] - 20):found[0] + len(name) + 20]
        mentions.append(item)
    return Reply(json.dumps({"mentions": mentions, "events": [], "claims": []}, ensure_ascii=False))


def article_of(request: dict) -> str:
    messages = request.get("messages") or [{}]
    m = _ARTICLE.search(str(messages[-1].get("content", "")))
    return m.group(1) if m else ""


class FakeOpenAI(LocalServer):
    def __init__(self, script=toy_model, *, key: str | None = "sk-test-key-0123456789", port: int = 0,
                 max_requests: int = 40, max_delay: float = 3.0, socket_timeout: float = 5.0) -> None:
        self.script, self.key, self.max_requests, self.max_delay = script, key, max_requests, max_delay
        self.requests: list[dict] = []
        self.attempts: dict[str, int] = {}
        self.overflow = 0
        self._lock = threading.Lock()
        outer = self

        class Handler(QuietHandler):
            timeout = socket_timeout

            def do_GET(self):
                self._send(404, b'{"error": {"message": "not found"}}')

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with outer._lock:
                    if len(outer.requests) >= outer.max_requests:
                        outer.overflow += 1
                        self._send(503, b'{"error": {"message": "request budget of the test server exceeded"}}')
                        return
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        body = None
                    outer.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, json.dumps({"error": {"message": f"no route {self.path}"}}).encode())
                    return
                if outer.key is not None and self.headers.get("Authorization") != f"Bearer {outer.key}":
                    shown = self.headers.get("Authorization", "")
                    self._send(401, json.dumps({"error": {"message": f"Incorrect API key provided: {shown}"}}).encode())
                    return
                if not isinstance(body, dict):
                    self._send(400, b'{"error": {"message": "the body is not JSON"}}')
                    return
                article = article_of(body)
                with outer._lock:
                    attempt = outer.attempts[article] = outer.attempts.get(article, 0) + 1
                reply = outer.script(article, attempt)
                if reply.delay:
                    time.sleep(min(reply.delay, outer.max_delay))
                if reply.raw is not None:
                    self._send(reply.status, reply.raw, reply.headers)
                    return
                if reply.status != 200:
                    self._send(reply.status, reply.body or b'{"error": {"message": "scripted error"}}', reply.headers)
                    return
                prompt_chars = sum(len(str(m.get("content", ""))) for m in body.get("messages") or [])
                answer = {"id": f"chatcmpl-{len(outer.requests)}", "object": "chat.completion", "created": 0,
                          "model": body.get("model"),
                          "choices": [{"index": 0, "finish_reason": reply.finish_reason,
                                       "message": {"role": "assistant", "content": reply.content}}],
                          "usage": {"prompt_tokens": prompt_chars // 4, "completion_tokens": len(reply.content or "") // 4,
                                    "total_tokens": prompt_chars // 4 + len(reply.content or "") // 4}}
                self._send(200, json.dumps(answer, ensure_ascii=False).encode("utf-8"), reply.headers)

        super().__init__(Handler, port, "/v1")


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description="The tests' fake OpenAI-compatible server (toy model), on 127.0.0.1.")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--key", default="sk-test", help="the API key it accepts")
    ap.add_argument("--max-requests", type=int, default=200)
    ap.add_argument("--max-seconds", type=float, default=600.0)
    args = ap.parse_args()
    with FakeOpenAI(key=args.key, port=args.port, max_requests=args.max_requests) as server:
        print(f"fake OpenAI-compatible server at {server.url} (key {args.key!r}); Ctrl-C stops it", flush=True)
        try:
            time.sleep(args.max_seconds)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
