"""The shared browser harness works: a page served on 127.0.0.1 is rendered and clicked in Chromium."""

from __future__ import annotations

import http.server
import threading

import pytest

pytestmark = pytest.mark.browser

PAGE = b"""<!doctype html><meta charset=utf-8><title>t</title>
<p id=out>before</p><button onclick="document.getElementById('out').textContent='after'">go</button>"""


def test_chromium_renders_and_clicks_a_local_page(page):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/", timeout=20_000)
        assert page.text_content("#out") == "before"
        page.click("button")
        assert page.text_content("#out") == "after"
    finally:
        server.shutdown()
