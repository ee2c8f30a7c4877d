"""A real Label Studio 1.23.2 on 127.0.0.1 for the tests, started once per session.

Shared by the API tests (tests/test_labelstudio_server.py) and the browser test
(tests/test_labelstudio_browser.py) through the session fixture ``label_studio`` in
tests/conftest.py. The server comes from ``scripts/label-studio serve`` (venv ``.ls-venv`` or
``$NKBENCH_LS_VENV``; installed from PyPI when missing), with a fresh data folder and a free port.
Skipped, with the reason, only when label-studio cannot be installed.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from nkbench.core.errors import NkbenchError
from nkbench.annotation.labelstudio.client import LabelStudio
from tests.project import PROJECT

SCRIPT = PROJECT.root / "scripts" / "label-studio"
START_TIMEOUT = 180


class Server(tuple):
    """``(url, api_key)`` (what the API tests unpack), plus the first user's login for a browser."""

    def __new__(cls, url: str, key: str, email: str, password: str, data: Path):
        self = super().__new__(cls, (url, key))
        self.url, self.key, self.email, self.password, self.data = url, key, email, password, data
        return self


def venv() -> Path:
    return Path(os.environ.get("NKBENCH_LS_VENV") or PROJECT.root / ".ls-venv")


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


def serve(tmp_path_factory):
    """Generator: start Label Studio, yield a ``Server``, always stop it afterwards.

    ``NKBENCH_TEST_LS_DATA=DIR`` reuses a server already running on the data folder DIR (started
    with `scripts/label-studio start`: DIR/url and DIR/credentials.env), to iterate on a test faster."""
    reuse = os.environ.get("NKBENCH_TEST_LS_DATA")
    if reuse:
        data = Path(reuse)
        creds = dict(line.split("=", 1) for line in (data / "credentials.env").read_text().split())
        yield Server((data / "url").read_text().strip(), creds["LABEL_STUDIO_API_KEY"], creds["LABEL_STUDIO_USERNAME"],
                     creds["LABEL_STUDIO_PASSWORD"], data)
        return
    env = {**os.environ, "NKBENCH_LS_VENV": str(venv())}
    if not (venv() / "bin" / "label-studio").exists():
        done = subprocess.run([str(SCRIPT), "install"], env=env, capture_output=True, text=True, timeout=1800)
        if done.returncode != 0:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            pytest.skip(f"label-studio==1.23.2 could not be installed into {venv()}: {last[0]}")
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
        yield Server(url, creds["LABEL_STUDIO_API_KEY"], creds["LABEL_STUDIO_USERNAME"], creds["LABEL_STUDIO_PASSWORD"], data)
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
