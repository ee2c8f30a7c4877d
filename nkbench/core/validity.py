"""What a structurally valid document is: the one rule the checker and the scorer share.

``structural_problems`` is every structural problem of a document: those of ``model.check_document``
(offsets in range and matching the text, non-empty spans, unique ids, known labels, references that
resolve, no parent loops) and duplicate spans per layer (a mention given twice with the same span,
type and nominal flag; an event twice with the same trigger span and type; a cue or a claim content
twice on one span; an argument role filled twice by the same span).

``nkbench annotate check`` (``annotation/guidelines.py``, which adds the guideline-only checks on
top), ``nkbench score`` (``benchmark/scoring/predictions.py``, for predictions and JSON Lines gold),
the Label Studio converter (exports), ``annotate tasks``, pass folders, dataset folders and
``data build`` all call it, so a document one of them accepts as well-formed no other can reject
as malformed. Offsets are checked by one function, ``model.span_problem``.

``seed_problems`` is the one seed check (a document, task or row names a seed and carries its
verbatim text and language), with ``first_difference`` saying where two texts part; Label Studio
exports and tasks, ``nkbench annotate check``, ``annotate push`` and ``data build`` all call it.

A claim with several sources is one claim (GUIDELINES.md v3 §5.3): one claim per source on the same
content span is a duplicate span, and the message says so.
"""

from __future__ import annotations

from collections import Counter

from .errors import Errors, NkbenchError, did_you_mean
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
    problems += [NkbenchError(f"duplicate span: {what}", where=f"document {doc.id!r}", hint=hint, code=Errors.E030)
                 for what, hint in duplicates(doc)]
    return problems


#: What to do when a text differs from its seed.
SEED_HINT = "seeds are never edited: documents and tasks carry the seed text unchanged (`nkbench annotate tasks`)"


def first_mismatch(a, b) -> int:
    """The first index where two sequences differ (the shorter one's length when one is a prefix)."""
    return next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def first_difference(got: str, want: str, names: tuple[str, str] = ("got", "seed")) -> str:
    """Where two texts part: ``first difference at offset 12: got 'abc' vs seed 'abd' (lengths 40 and 41)``."""
    i = first_mismatch(got, want)
    return (f"first difference at offset {i}: {names[0]} {got[i:i + 12]!r} vs {names[1]} {want[i:i + 12]!r} "
            f"(lengths {len(got)} and {len(want)})")


def seed_problems(doc_id, text, language, seeds, where: str, *, language_optional: bool = False,
                  what: str = "document") -> list[NkbenchError]:
    """The one seed check: ``doc_id`` names one of ``seeds`` (id -> an object with ``text`` and
    ``language``), ``text`` is that seed's verbatim text and ``language`` its language (with
    ``language_optional``, an empty or missing language is not checked: predictions may leave it
    out). ``what`` names the checked text in the message ("task", "document"). At most one problem, the first of those (empty list: all good)."""
    if not isinstance(doc_id, str) or doc_id not in seeds:
        return [NkbenchError(f"unknown doc_id {doc_id!r}", where=where, hint=did_you_mean(str(doc_id), seeds), code=Errors.E031)]
    seed = seeds[doc_id]
    if not isinstance(text, str):
        return [NkbenchError(f"text differs from its seed (got {type(text).__name__})", where=where, hint=SEED_HINT, code=Errors.E032)]
    if text != seed.text:
        where_first = first_difference(text, seed.text, (what, "seed"))
        return [NkbenchError(f"text differs from its seed: {where_first}", where=where, hint=SEED_HINT, code=Errors.E033)]
    if (language or not language_optional) and language != seed.language:
        return [NkbenchError(f"language {language!r} differs from the seed's {seed.language!r}", where=where, code=Errors.E034)]
    return []
