"""The system interface and the helper every baseline uses to build a sound predicted document.

A system is any object with ``name``, ``languages`` and ``predict(doc) -> Document``. ``predict``
never mutates its input (documents are frozen) and returns a document with the same id, language
and text whose spans all pass ``nkbench.core.model.check_document``. ``notes`` is a counter of things the
system wants reported after a run (e.g. spaCy labels it could not map); it is never silently empty
when something was dropped.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol, runtime_checkable

from ...core.errors import NkbenchError
from ...core.model import Argument, Claim, Cue, Document, Event, Mention, NumericValue


@runtime_checkable
class System(Protocol):
    """A baseline: a document in, a predicted document out."""

    name: str
    languages: tuple[str, ...]
    notes: Counter

    def predict(self, doc: Document) -> Document: ...


def check_language(system: System, doc: Document) -> None:
    """Raise a clear error when a system is asked for a language it does not cover."""
    if doc.language not in system.languages:
        raise NkbenchError(f"system {system.name!r} covers {', '.join(system.languages)}, not {doc.language!r}",
                           where=f"document {doc.id!r}", hint="choose a system for this language (see nkbench run --help)")


def _strip(text: str, start: int, end: int, chars: str) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


class DocumentBuilder:
    """Collects predicted spans for one document and assigns ids in a fixed order.

    Every span is trimmed of surrounding whitespace and taken verbatim from the text, so offsets
    are exact by construction; an empty span is refused (returns None) rather than emitted.
    """

    def __init__(self, doc: Document) -> None:
        if doc.text is None:
            raise NkbenchError("a system needs the document text", where=f"document {doc.id!r}",
                               hint="give the seeds or a JSONL file whose documents carry their text")
        self.doc = doc
        self.text = doc.text
        self.mentions: list[Mention] = []
        self.events: list[Event] = []
        self.cues: list[Cue] = []
        self.claims: list[Claim] = []

    def span(self, start: int, end: int, chars: str = " \t\n\r\u00a0") -> tuple[int, int] | None:
        start, end = _strip(self.text, start, end, chars)
        return (start, end) if start < end else None

    def mention(self, start: int, end: int, label: str) -> Mention | None:
        s = self.span(start, end)
        if s is None:
            return None
        m = Mention(f"m{len(self.mentions) + 1}", s[0], s[1], self.text[s[0]:s[1]], label)
        self.mentions.append(m)
        return m

    def event(self, start: int, end: int, label: str, arguments=(), polarity="positive", realis="actual") -> Event | None:
        s = self.span(start, end)
        if s is None:
            return None
        e = Event(f"e{len(self.events) + 1}", s[0], s[1], self.text[s[0]:s[1]], label,
                  tuple(Argument(r, m) for r, m in arguments), polarity, realis)
        self.events.append(e)
        return e

    def cue(self, start: int, end: int) -> Cue | None:
        s = self.span(start, end)
        if s is None:
            return None
        c = Cue(f"q{len(self.cues) + 1}", s[0], s[1], self.text[s[0]:s[1]])
        self.cues.append(c)
        return c

    def claim(self, start: int, end: int, *, stance="asserts", source=None, cue=None, parent=None,
              value: NumericValue | None = None) -> Claim | None:
        s = self.span(start, end, " \t\n\r\u00a0,;:.")
        if s is None:
            return None
        c = Claim(f"c{len(self.claims) + 1}", s[0], s[1], self.text[s[0]:s[1]], stance, source, cue, parent, value)
        self.claims.append(c)
        return c

    def build(self) -> Document:
        d = self.doc
        return Document(d.id, d.language, d.text, tuple(self.mentions), tuple(self.events),
                        tuple(self.cues), tuple(self.claims))
