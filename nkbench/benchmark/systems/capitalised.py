"""The ``capitalised`` lower bound: every maximal run of capitalised words is an entity of one type.

Rules: a run is consecutive capitalised words separated by spaces only (no punctuation, no line
break). A sentence-initial word opens a run only if it is not a function word ("El", "The",
"Según") and the document never uses it in lower case. Every run gets ``lexicons.DEFAULT_TYPE``
(GPE: countries, regions and capitals are the commonest named mentions in conflict news). No other
layer is predicted.
"""

from __future__ import annotations

from collections import Counter

from ...core.model import Document
from . import lexicons as L
from .base import DocumentBuilder, check_language
from .text import tokenize


class CapitalisedSystem:
    """Trivial floor: capitalised runs, all of the default type, entities only."""

    name = "capitalised"
    languages = ("es", "en")

    def __init__(self) -> None:
        self.notes: Counter = Counter()

    def predict(self, doc: Document) -> Document:
        check_language(self, doc)
        b = DocumentBuilder(doc)
        text = b.text
        tokens = tokenize(text)
        lower_words = {t.lower for t in tokens if t.is_word and not t.is_capitalised}
        run: list = []

        def flush() -> None:
            if run:
                b.mention(run[0].start, run[-1].end, L.DEFAULT_TYPE)
                run.clear()

        for i, t in enumerate(tokens):
            if not (t.is_word and t.is_capitalised):
                flush()
                continue
            if run and text[run[-1].end:t.start].strip(" ") != "":
                flush()
            if not run:
                prev = tokens[i - 1].text if i else "."
                initial = prev in ".!?:" or prev in "“«\"(" or (i and "\n" in text[tokens[i - 1].end:t.start])
                if t.lower in L.FUNCTION_WORDS or (initial and t.lower in lower_words):
                    continue
            run.append(t)
        flush()
        return b.build()
