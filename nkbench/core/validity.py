"""What a structurally valid document is: the one rule the checker and the scorer share.

``structural_problems`` is every structural problem of a document: those of ``model.check_document``
(offsets in range and matching the text, non-empty spans, unique ids, known labels, references that
resolve, no parent loops) and duplicate spans per layer (a mention given twice with the same span,
type and nominal flag; an event twice with the same trigger span and type; a cue or a claim content
twice on one span; an argument role filled twice by the same span).

``nkbench annotate check`` (``annotation.guidelines``, which adds the guideline-only checks on top)
and ``nkbench score`` (``benchmark.scoring.predictions``, for predictions and JSON Lines gold) both call
it, so a document one of them accepts as well-formed the other cannot reject as malformed.

A claim with several sources is one claim (GUIDELINES.md v3 §5.3): one claim per source on the same
content span is a duplicate span, and the message says so.
"""

from __future__ import annotations

from collections import Counter

from .errors import NkbenchError
from .model import Document, check_document

DUPLICATE_HINT = "give each span once"
MULTI_SOURCE_HINT = ("one claim per content span: a claim with several sources is one claim whose source is one "
                     "nominal mention spanning the coordinated sources (GUIDELINES.md v3 §5.3)")


def duplicates(doc: Document) -> list[tuple[str, str]]:
    """``(what, hint)`` for every span given more than once in its layer (see the module doc)."""
    found = []
    layers = {
        "mention": [(m.start, m.end, m.label, m.nominal) for m in doc.mentions],
        "event": [(e.start, e.end, e.label) for e in doc.events],
        "cue": [(c.start, c.end) for c in doc.cues],
        "claim": [(c.start, c.end) for c in doc.claims],
    }
    for layer, keys in layers.items():
        for key, n in Counter(keys).items():
            if n > 1:
                what = f"{layer} [{key[0]}:{key[1]}]{' ' + str(key[2]) if len(key) > 2 else ''} given {n} times"
                hint = DUPLICATE_HINT
                if layer == "claim":
                    sources = {c.source for c in doc.claims if (c.start, c.end) == key}
                    hint = MULTI_SOURCE_HINT if len(sources) > 1 else f"{DUPLICATE_HINT} ({MULTI_SOURCE_HINT})"
                found.append((what, hint))
    spans = {m.id: (m.start, m.end) for m in doc.mentions}
    for e in doc.events:
        for (role, span), n in Counter((a.role, spans.get(a.mention, a.mention)) for a in e.arguments).items():
            if n > 1:
                found.append((f"event {e.id!r} argument {role} {span} given {n} times", DUPLICATE_HINT))
    return found


def structural_problems(doc: Document, *, text: str | None = None) -> list[NkbenchError]:
    """Every structural problem of ``doc`` (empty: valid), offsets checked against ``text``
    (default: ``doc.text``). Never raises for bad content."""
    problems = check_document(doc, text=text)
    problems += [NkbenchError(f"duplicate span: {what}", where=f"document {doc.id!r}", hint=hint)
                 for what, hint in duplicates(doc)]
    return problems
