"""The HTML error report in a real browser (Debian's headless Chromium, tests/browser.py): what is
highlighted is exactly the TSV, the filters hide and show rows and highlights, text is shown as
text (a ``<script>`` in a document stays text), overlapping spans are all shown, and the page
loads nothing but itself."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkbench.cli import main

from .errors_screenshot import make_report, screenshot
from .test_errors_cli import HOSTILE, hostile_files, read_tsv

pytestmark = pytest.mark.browser

#: for every segment of every document: its text and the items (g<row>, p<row>) it shows
SEGMENTS_JS = """() => Array.from(document.querySelectorAll('section.doc')).map(sec => ({
  doc: sec.dataset.doc,
  segs: Array.from(sec.querySelectorAll('span.seg')).map(s => [s.textContent, s.dataset.shown || '',
                                                               s.classList.contains('hl'), s.style.boxShadow])
}))"""
ROWS_JS = """() => Array.from(document.querySelectorAll('tr.row')).map(tr => ({
  row: +tr.dataset.row, outcome: tr.dataset.outcome, layer: tr.dataset.layer, visible: !tr.hidden && tr.offsetParent !== null,
  cells: Array.from(tr.cells).map(td => td.textContent)}))"""


def open_report(page, html: Path) -> list[str]:
    """Open the page; the list every request is appended to (the page's own file first)."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (requests.append("dialog:" + d.message), d.dismiss()))
    page.goto(html.resolve().as_uri())
    page.wait_for_selector("#shown:not(:empty)")
    return requests


def shown_items(page) -> dict[str, str]:
    """item (g<row> / p<row>) -> the text of the segments highlighting it, in document order."""
    out: dict[str, str] = {}
    for d in page.evaluate(SEGMENTS_JS):
        for text, shown, hl, shadow in d["segs"]:
            assert hl == bool(shown) and bool(shadow) == bool(shown)
            for item in shown.split():
                out[item] = out.get(item, "") + text
    return out


def expected_items(tsv: list[dict], keep=lambda r: True) -> dict[str, str]:
    out = {}
    for k, r in enumerate(tsv):
        if keep(r):
            if r["gold_start"]:
                out[f"g{k}"] = r["gold_text"]
            if r["pred_start"]:
                out[f"p{k}"] = r["pred_text"]
    return out


def assert_page_is_the_tsv(page, tsv, keep=lambda r: True):
    rows = page.evaluate(ROWS_JS)
    assert len(rows) == len(tsv)
    for k, (shown, r) in enumerate(zip(rows, tsv)):
        assert shown["row"] == k and shown["outcome"] == r["outcome"] and shown["layer"] == r["layer"]
        assert shown["visible"] == keep(r), (k, r)
        if shown["visible"]:
            span = lambda side: f"[{r[side + '_start']}:{r[side + '_end']})" if r[side + "_start"] else ""  # noqa: E731
            assert shown["cells"] == [r["layer"], r["outcome"], span("gold"), r["gold_type"], r["gold_text"],
                                      span("pred"), r["pred_type"], r["pred_text"], r["notes"]]
    assert shown_items(page) == expected_items(tsv, keep)
    visible = Counter(r["outcome"] for r in tsv if keep(r))
    assert Counter(x["outcome"] for x in rows if x["visible"]) == visible
    assert page.text_content("#shown") == f"{sum(visible.values())} of {len(tsv)} rows shown"


@pytest.fixture(scope="module")
def rules_report(tmp_path_factory):
    return make_report(tmp_path_factory.mktemp("rules"))


def test_the_rules_report_shows_exactly_the_tsv_and_loads_nothing_else(page, rules_report, tmp_path):
    tsv = read_tsv(rules_report / "errors.tsv")
    html = rules_report / "errors.html"
    requests = open_report(page, html)
    assert requests == [html.resolve().as_uri()]
    assert_page_is_the_tsv(page, tsv)
    assert {r["outcome"] for r in tsv} >= {"correct", "type", "boundary", "missed", "spurious"}
    # the summary table's counts are the TSV's
    counts = json.loads((rules_report / "errors.json").read_text(encoding="utf-8"))["counts"]
    for layer, v in counts.items():
        for outcome, n in v["outcomes"].items():
            cell = page.query_selector(f'table.summary tr[data-layer="{layer}"] td[data-outcome="{outcome}"]')
            if cell is not None:
                assert int(cell.text_content()) == n == sum(1 for r in tsv if r["layer"] == layer and r["outcome"] == outcome)
    # the document's text is the gold text, whole (segments and plain text)
    from .project import gold

    texts = {d.id: d.text for d in gold()}
    for sec in page.query_selector_all("section.doc"):
        assert sec.query_selector("div.text").text_content() == texts[sec.get_attribute("data-doc")]
    png = tmp_path / "shot.png"
    screenshot(page, html, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_filters_hide_and_show_rows_and_highlights(page, rules_report):
    tsv = read_tsv(rules_report / "errors.tsv")
    open_report(page, rules_report / "errors.html")
    page.click('#filters input[name="layer"][value="entities"]')
    assert_page_is_the_tsv(page, tsv, lambda r: r["layer"] != "entities")
    page.click('#filters input[name="outcome"][value="correct"]')
    assert_page_is_the_tsv(page, tsv, lambda r: r["layer"] != "entities" and r["outcome"] != "correct")
    page.click('#filters button[data-name="type"][data-all="0"]')
    assert_page_is_the_tsv(page, tsv, lambda r: False)
    page.click('#filters input[name="type"][value="ATTACK"]')
    attack = lambda r: r["layer"] != "entities" and r["outcome"] != "correct" and "ATTACK" in (r["gold_type"], r["pred_type"])  # noqa: E731
    assert any(attack(r) for r in tsv)
    assert_page_is_the_tsv(page, tsv, attack)
    for name in ("layer", "type", "outcome"):
        page.click(f'#filters button[data-name="{name}"][data-all="1"]')
    assert_page_is_the_tsv(page, tsv)


def test_script_in_a_document_is_text_and_overlapping_spans_are_all_shown(page, tmp_path):
    g, p = hostile_files(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["errors", str(p), "--gold", str(g), "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    requests = open_report(page, out / "errors.html")
    assert requests == [(out / "errors.html").resolve().as_uri()]  # no dialog: alert(1) never ran
    assert page.text_content("div.text") == HOSTILE
    assert page.text_content("h2").startswith("x<script>")
    tsv = read_tsv(out / "errors.tsv")
    assert [(r["outcome"], r["gold_text"], r["pred_text"]) for r in tsv] == [
        ("boundary", "</script>", "script>"), ("missed", "Ana", "")]
    assert_page_is_the_tsv(page, tsv)
    # the overlap: "script>" carries the gold and the predicted span, "</" only the gold one
    segs = page.evaluate(SEGMENTS_JS)[0]["segs"]
    assert [(t, s) for t, s, _, _ in segs][:2] == [("</", "g0"), ("script>", "g0 p0")]
    # its tooltip names both spans (made on hover)
    page.hover('section.doc span.seg[data-shown="g0 p0"]')
    title = page.get_attribute('section.doc span.seg[data-shown="g0 p0"]', "title")
    assert title.split("\n") == [
        "gold entities boundary: gold ORG [0:9) '</script>' / predicted ORG [2:9) 'script>'",
        "predicted entities boundary: gold ORG [0:9) '</script>' / predicted ORG [2:9) 'script>'"]
