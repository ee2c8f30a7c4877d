"""A real browser for the tests: Debian's Chromium driven by Playwright for Python.

Shared by every browser test (the Label Studio annotator's path, the HTML error report). Chromium comes
from Debian's ``chromium`` package (``.ci/run`` installs it with apt); Playwright comes from pip (the
``dev`` extra) and is only the driver: ``playwright install`` is never run, it downloads browsers and
fails here. ``NKBENCH_CHROMIUM`` names another Chromium binary.

A test that needs a browser uses the ``browser`` fixture (``tests/conftest.py``); it skips only when
Chromium or Playwright is missing, and says which and how to install it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

# The flags the machine's own probe uses: without the background-networking ones Chromium keeps
# opening connections that this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    """The Chromium binary to drive, or None when there is none."""
    given = os.environ.get("NKBENCH_CHROMIUM")
    if given:
        return given if Path(given).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def why_no_browser() -> str | None:
    """Why a browser test cannot run here (None when it can)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    if chromium_path() is None:
        return ("Debian's chromium is not installed (apt-get install chromium; .ci/run does it) "
                "and NKBENCH_CHROMIUM names no binary")
    return None


@contextmanager
def launch():
    """Yield a Playwright ``Browser`` on headless Chromium with a fresh profile; closed afterwards."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="nkbench-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            yield context
        finally:
            context.close()
