"""The error report's worked example, in a real browser: the rules baseline on the project's gold,
``nkbench errors`` on its predictions, the HTML page opened in Debian's headless Chromium.

``make_report`` runs the two commands of ``nkbench errors --help`` (the real CLI, in a subprocess);
``screenshot`` opens the page and saves a PNG. ``scripts/errors-screenshot`` regenerates the
committed ``benchmark/errors/rules.png`` with them; the browser test calls the same functions.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "benchmark" / "errors" / "rules.png"


def make_report(folder: Path, project: Path = ROOT) -> Path:
    """``nkbench run --system rules`` and ``nkbench errors`` in ``folder``; the report folder."""
    env = {**os.environ, "NKBENCH_PROJECT": str(project)}
    for args in (["run", "--system", "rules", "--out", "rules.jsonl", "--quiet"],
                 ["errors", "rules.jsonl", "--out-dir", "rules-errors"]):
        subprocess.run([sys.executable, "-m", "nkbench", *args], cwd=folder, env=env, check=True,
                       stdout=subprocess.DEVNULL, timeout=600)
    return folder / "rules-errors"


def screenshot(page, html: Path, png: Path) -> None:
    """Open ``html`` in ``page`` (a Playwright page) and save the top of the page as ``png``."""
    page.goto(html.resolve().as_uri())
    page.wait_for_selector("#shown:not(:empty)")
    png.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(png))


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from tests.browser import launch, why_no_browser

    out = Path(argv[0]) if argv else SCREENSHOT
    reason = why_no_browser()
    if reason:
        print(f"errors-screenshot: {reason}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="nkbench-errors-") as tmp, launch() as context:
        report = make_report(Path(tmp))
        page = context.new_page()
        screenshot(page, report / "errors.html", out)
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
