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

from ...core.errors import Errors, NkbenchError
from ...core.model import Argument, Claim, Cue, Document, Event, Mention, layer_specs


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
                           where=f"document {doc.id!r}", hint="choose a system for this language (see nkbench run --help)", code=Errors.E554)


def _strip(text: str, start: int, end: int, chars: str) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


#: Span ids of a predicted document: a prefix per layer and a running number ("m1", "e1", "q1", "c1").
ID_PREFIX = {"mentions": "m", "events": "e", "cues": "q", "claims": "c"}
WHITESPACE = " \t\n\r\u00a0"
#: What a layer's spans are trimmed of (a claim's content also of the punctuation around it).
TRIM = {"claims": WHITESPACE + ",;:."}


class DocumentBuilder:
    """Collects predicted spans for one document and assigns ids in a fixed order.

    Every span is trimmed of surrounding whitespace and taken verbatim from the text, so offsets
    are exact by construction; an empty span is refused (returns None) rather than emitted. Every
    other field is given by name as the model declares it (``add(layer, start, end, **fields)``;
    fields not given take their declared defaults).
    """

    def __init__(self, doc: Document) -> None:
        if doc.text is None:
            raise NkbenchError("a system needs the document text", where=f"document {doc.id!r}",
                               hint="give the seeds or a JSONL file whose documents carry their text", code=Errors.E555)
        self.doc = doc
        self.text = doc.text
        self.classes = {s.name: s.kind for s in layer_specs(type(doc))}
        self.items: dict[str, list] = {layer: [] for layer in self.classes}

    def span(self, start: int, end: int, chars: str = WHITESPACE) -> tuple[int, int] | None:
        start, end = _strip(self.text, start, end, chars)
        return (start, end) if start < end else None

    def add(self, layer: str, start: int, end: int, **fields):
        """A new item of ``layer`` on the trimmed span (None: nothing left of it), with ``fields``."""
        s = self.span(start, end, TRIM.get(layer, WHITESPACE))
        if s is None:
            return None
        items = self.items[layer]
        x = self.classes[layer](id=f"{ID_PREFIX[layer]}{len(items) + 1}", start=s[0], end=s[1],
                                text=self.text[s[0]:s[1]], **fields)
        items.append(x)
        return x

    def mention(self, start: int, end: int, label: str, **fields) -> Mention | None:
        return self.add("mentions", start, end, label=label, **fields)

    def nominal(self, start: int, end: int, label: str) -> Mention | None:
        """A nominal mention (a description such as "the Karabakh authorities"; not in the NER layer)."""
        return self.add("mentions", start, end, label=label, nominal=True)

    def event(self, start: int, end: int, label: str, arguments=(), **fields) -> Event | None:
        """``arguments``: (role, mention id) pairs."""
        return self.add("events", start, end, label=label, arguments=tuple(Argument(r, m) for r, m in arguments),
                        **fields)

    def cue(self, start: int, end: int) -> Cue | None:
        return self.add("cues", start, end)

    def claim(self, start: int, end: int, **fields) -> Claim | None:
        return self.add("claims", start, end, **fields)

    def build(self) -> Document:
        d = self.doc
        return type(d)(d.id, d.language, d.text, **{layer: tuple(items) for layer, items in self.items.items()})
