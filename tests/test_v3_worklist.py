"""annotation/v3_worklist.md (issue 16, item 2) is kept true to the seeds, the gold and the guidelines.

Every row names a document, a layer and a span; the span's text, every ``[start:end] ⟦text⟧`` and every
``⟦quote⟧`` in a row must be the seed's own characters; an event or claim row must name a trigger or content
span that the gold has (v3 changes their arguments or links, never the span); every cited section must exist
in annotation/GUIDELINES.md. A worklist that drifts from any of these fails here.
"""

import re

import pytest

from nkbench.core.model import LAYERS
from tests.project import PROJECT, gold, seeds

WORKLIST = PROJECT.annotation_dir / "v3_worklist.md"
COLUMNS = ("id", "document", "layer", "span", "text", "v2", "v3", "rule")
SPAN_WITH_TEXT = re.compile(r"\[(\d+):(\d+)\] ⟦(.*?)⟧")
QUOTE = re.compile(r"⟦(.*?)⟧")
SECTION = re.compile(r"§(\d+)(?:\.(\d+))?")


def parse(text: str) -> list[dict]:
    """The worklist's rows as dicts keyed by COLUMNS. A row that does not have them all is an error."""
    rows = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("| W"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) != len(COLUMNS):
            raise ValueError(f"v3_worklist.md:{lineno}: {len(cells)} cells, expected {len(COLUMNS)}: {line[:60]}")
        rows.append({"line": lineno, **dict(zip(COLUMNS, cells))})
    return rows


@pytest.fixture(scope="module")
def worklist() -> str:
    return WORKLIST.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rows(worklist) -> list[dict]:
    return parse(worklist)


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {doc_id: seed.text for doc_id, seed in seeds().items()}


def test_rows_are_numbered_and_counted(rows, worklist):
    assert rows, "no rows"
    assert [r["id"] for r in rows] == [f"W{i:02d}" for i in range(1, len(rows) + 1)]
    total = re.search(r"Totals: (\d+) rows", worklist)
    assert total and int(total.group(1)) == len(rows), "the Totals line does not count the rows"


def test_every_span_and_quote_is_the_seeds_text(rows, texts):
    for r in rows:
        where = f"{r['id']} (line {r['line']})"
        assert r["document"] in texts, f"{where}: unknown document {r['document']!r}"
        assert r["layer"] in LAYERS, f"{where}: unknown layer {r['layer']!r}"
        text = texts[r["document"]]
        start, _, end = r["span"].partition(":")
        start, end = int(start), int(end)
        assert 0 <= start < end <= len(text), f"{where}: span {r['span']} outside the text"
        assert r["text"] == f"⟦{text[start:end]}⟧", f"{where}: text {r['text']} but the seed has ⟦{text[start:end]}⟧"
        row = " | ".join(r[c] for c in ("v2", "v3", "rule"))
        for s, e, quoted in SPAN_WITH_TEXT.findall(row):
            assert text[int(s):int(e)] == quoted, f"{where}: [{s}:{e}] is ⟦{text[int(s):int(e)]}⟧, not ⟦{quoted}⟧"
        for quoted in QUOTE.findall(row):
            assert quoted in text, f"{where}: ⟦{quoted}⟧ is not in {r['document']}"


def test_quotes_outside_the_table_are_verbatim(worklist, texts):
    prose = "\n".join(line for line in worklist.splitlines() if not line.startswith("| W"))
    missing = [q for q in QUOTE.findall(prose) if not any(q in t for t in texts.values())]
    assert not missing, missing


def test_event_and_claim_rows_name_gold_spans(rows):
    docs = {d.id: d for d in gold()}
    for r in rows:
        if r["layer"] not in ("events", "claims"):
            continue
        start, end = (int(x) for x in r["span"].split(":"))
        items = docs[r["document"]].events if r["layer"] == "events" else docs[r["document"]].claims
        ids = [x.id for x in items if (x.start, x.end) == (start, end)]
        assert ids, f"{r['id']}: the gold has no {r['layer'][:-1]} at {r['span']}"
        named = re.match(r"`(\w+)`", r["v2"])
        assert named and named.group(1) in ids, f"{r['id']}: v2 names {r['v2'][:20]!r}, the gold item at {r['span']} is {ids}"


def test_mention_rows_agree_with_the_gold_before_or_after_they_are_applied(rows):
    """A mention row adds a nominal (v2 "none ...": the gold has no mention there, or, once applied, a
    nominal one) or changes a named gold mention (still there, or, once applied, gone)."""
    docs = {d.id: d for d in gold()}
    for r in rows:
        if r["layer"] != "mentions":
            continue
        start, end = (int(x) for x in r["span"].split(":"))
        at = [m for m in docs[r["document"]].mentions if (m.start, m.end) == (start, end)]
        if r["v2"].startswith("none"):
            assert all(m.nominal for m in at), f"{r['id']}: says none, but the gold has a name mention at {r['span']}"
        else:
            named = re.match(r"`(\w+)`", r["v2"])
            assert named, f"{r['id']}: v2 names no gold mention"
            assert not at or named.group(1) in {m.id for m in at}, f"{r['id']}: the gold mention at {r['span']} is not {named.group(1)}"


def test_cited_sections_exist(rows):
    guidelines = (PROJECT.annotation_dir / "GUIDELINES.md").read_text(encoding="utf-8")
    headings = {m.group(1) for m in re.finditer(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", guidelines, flags=re.M)}
    assert "1.1" in headings and "4.5" in headings
    for r in rows:
        cited = SECTION.findall(r["rule"])
        assert cited, f"{r['id']}: the rule cites no section"
        for major, minor in cited:
            key = f"{major}.{minor}" if minor else major
            assert key in headings, f"{r['id']}: §{key} is not a section of GUIDELINES.md"


def test_parse_rejects_a_row_with_a_missing_cell():
    with pytest.raises(ValueError, match="7 cells"):
        parse("| W01 | 000 | events | 1:2 | ⟦x⟧ | a | b |")
