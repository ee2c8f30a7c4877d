"""Resampling units for the bootstrap and the paired tests.

With a handful of documents, resampling documents says nothing, so the default unit is the
gold SENTENCE: ``nkbench.core.bio.sentences`` on the gold text (protecting every gold span, so a
sentence never cuts an annotation). Every judged item is assigned to the sentence of the gold
document that contains its start offset (an item starting in the white space between two
sentences goes to the preceding one). A document without text is a single unit. With
``unit="document"`` every document is one unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.model import Document

UNIT_KINDS = ("sentence", "document")


@dataclass(frozen=True, slots=True)
class Units:
    """Unit boundaries: ``starts`` are global keys ``doc * width + offset``, sorted."""

    kind: str
    starts: np.ndarray
    width: int
    first_of_doc: np.ndarray  # first unit id of each document
    count: int

    def of(self, doc, offset) -> np.ndarray:
        """Unit ids of items given their document indices and start offsets (arrays)."""
        doc = np.asarray(doc, dtype=np.int64)
        offset = np.clip(np.asarray(offset, dtype=np.int64), 0, self.width - 1)
        if self.kind == "document" or len(doc) == 0:
            return self.first_of_doc[doc] if len(doc) else np.zeros(0, np.int64)
        u = np.searchsorted(self.starts, doc * self.width + offset, side="right") - 1
        return np.maximum(u, self.first_of_doc[doc])


def build_units(gold: list[Document], kind: str = "sentence") -> Units:
    """Units of the gold documents (see module doc)."""
    from ...core.bio import sentences

    width = 1 + max((len(d.text) if d.text else 0 for d in gold), default=0)
    width = max(width, 1 + max((x.end for d in gold for layer in (d.mentions, d.events, d.cues, d.claims)
                                for x in layer), default=0))
    starts, first = [], []
    for i, d in enumerate(gold):
        first.append(len(starts))
        if kind == "sentence" and d.text:
            protect = [(x.start, x.end) for layer in (d.mentions, d.events, d.cues, d.claims) for x in layer]
            sents = sentences(d.text, protect=protect) or [(0, len(d.text))]
            starts.extend(i * width + (0 if k == 0 else s) for k, (s, _) in enumerate(sents))
        else:
            starts.append(i * width)
    return Units(kind, np.array(starts, np.int64), width, np.array(first, np.int64), len(starts))
