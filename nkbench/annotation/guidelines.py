"""Guideline consistency of gold documents (beyond the structural ``validity.structural_problems``).

Checks: structure (``nkbench.core.validity``, the rule ``nkbench score`` applies too: bounds, labels,
references of the right kind, duplicate spans), no leading/trailing whitespace
in spans, a flat entity layer (non-nominal mentions never overlap), canonical ids on every
PER/ORG/GPE/LOC/FAC/NORP non-nominal mention and only there, ids known in
``annotation/entities.json``, the low/high pattern each hedge requires, link ids known in
``annotation/links.json``. A registry file that does not exist is skipped with a note.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType

from ..core import schema
from ..core.errors import Errors, NkbenchError, did_you_mean
from ..core.model import Document
from ..core.validity import seed_problems, structural_problems
from ..core.inventory import read_inventory


#: Hedge -> which of low/high must be stated: "both" (low == high), "range" (low < high),
#: "low" only, "high" only. "cerca de 200" = approx 200 (low = high = 200); "at least 34" = low 34;
#: "más de 10.000" = more_than, low 10000; "casi 200" = almost, high 200.
HEDGE_PATTERNS = MappingProxyType({
    "exact": "both", "approx": "both", "at_least": "low", "more_than": "low",
    "at_most": "high", "less_than": "high", "almost": "high", "range": "range",
})
assert set(HEDGE_PATTERNS) == set(schema.HEDGES), "schema.HEDGES changed: update HEDGE_PATTERNS"

_PATTERN_TEXT = {"both": "low == high (both stated)", "range": "low < high (both stated)",
                 "low": "low stated, high empty", "high": "high stated, low empty"}


def load_registry(path: Path) -> set[str] | None:
    """The ids of an inventory file (``inventory.read_inventory``, the one reader); None when the
    file does not exist."""
    records = read_inventory(path)
    return None if records is None else set(records)


def _value_problem(v) -> str | None:
    pattern = HEDGE_PATTERNS.get(v.hedge)
    if pattern is None:
        return None  # unknown hedge: reported by check_document
    low, high = v.low is not None, v.high is not None
    ok = {"both": low and high and v.low == v.high, "range": low and high and v.low < v.high,
          "low": low and not high, "high": high and not low}[pattern]
    if ok:
        return None
    return f"hedge {v.hedge!r} requires {_PATTERN_TEXT[pattern]}, got low={v.low} high={v.high}"


def check_gold(doc: Document, *, entities: set[str] | None, links: set[str] | None,
               text: str | None = None) -> list[NkbenchError]:
    """Every problem of one gold document (empty list when sound): the structural ones, by the rule
    the scorer applies too (``nkbench.core.validity.structural_problems``), then the guideline ones."""
    return structural_problems(doc, text=text) + guideline_problems(doc, entities=entities, links=links)


def guideline_problems(doc: Document, *, entities: set[str] | None, links: set[str] | None) -> list[NkbenchError]:
    """The guideline-only problems of one gold document (the scorer does not check these)."""
    problems: list[NkbenchError] = []
    where = f"document {doc.id!r}"

    def fail(what: str, reason: str, hint: str = "") -> None:
        problems.append(NkbenchError(reason, where=f"{where}: {what}", hint=hint, code=Errors.E271))

    for layer in ("mentions", "events", "cues", "claims"):
        for x in getattr(doc, layer):
            if x.text and x.text != x.text.strip():
                fail(f"{layer[:-1]} {x.id!r} [{x.start}:{x.end}]", f"span {x.text!r} has leading or trailing whitespace",
                     "spans start and end on a non-space character")
    named = sorted((m for m in doc.mentions if not m.nominal), key=lambda m: (m.start, m.end))
    for a, b in zip(named, named[1:]):
        if b.start < a.end:
            fail(f"mention {b.id!r} [{b.start}:{b.end}]", f"overlaps mention {a.id!r} [{a.start}:{a.end}] "
                 "(the entity layer is flat)", "keep the longest mention (see GUIDELINES.md, nested mentions)")
    for m in doc.mentions:
        what = f"mention {m.id!r} {m.text!r}"
        if m.label in schema.LINKED_ENTITY_TYPES and not m.nominal and m.entity_id is None:
            fail(what, f"{m.label} mention has no entity_id", "give it its canonical id from annotation/entities.json")
        if m.label not in schema.LINKED_ENTITY_TYPES and m.entity_id is not None:
            fail(what, f"{m.label} mentions carry no entity_id (got {m.entity_id!r})")
        if entities is not None and m.entity_id is not None and m.entity_id not in entities:
            fail(what, f"entity_id {m.entity_id!r} is not in annotation/entities.json", did_you_mean(m.entity_id, entities))
    for c in doc.claims:
        what = f"claim {c.id!r}"
        if c.value is not None and (msg := _value_problem(c.value)):
            fail(what, msg)
        if links is not None and c.link is not None and c.link not in links:
            fail(what, f"link {c.link!r} is not in annotation/links.json", did_you_mean(c.link, links))
    return problems


def check_all(docs: Iterable[Document], seeds=None, *, entities_path: Path | None,
              links_path: Path | None) -> tuple[list[NkbenchError], list[str]]:
    """``(problems, notes)`` for every document; notes say which registry checks were skipped.
    With ``seeds``, each document must be a known seed with its exact text."""
    entities = load_registry(entities_path) if entities_path is not None else None
    links = load_registry(links_path) if links_path is not None else None
    notes = [f"note: {p or 'no inventory given'} not found: skipped the {what} check" for p, what, reg in
             ((entities_path, "canonical entity id", entities), (links_path, "link id", links)) if reg is None]
    problems: list[NkbenchError] = []
    for doc in docs:
        if seeds is not None and (bad := seed_problems(doc.id, doc.text, doc.language, seeds, f"document {doc.id!r}")):
            problems += bad
            continue
        problems += check_gold(doc, entities=entities, links=links)
    return problems, notes
