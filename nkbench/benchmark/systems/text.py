"""Surface text helpers shared by the rule-based baselines: tokens, sentences and numbers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+(?:-\w+)*|[^\w\s]")
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace and an
# upper-case letter, an opening quote or a digit; or at a blank line / newline.


@dataclass(frozen=True, slots=True)
class Token:
    """A word or punctuation token with end-exclusive offsets."""

    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] == "_"

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()


def tokenize(text: str) -> list[Token]:
    """Words (hyphenated compounds kept whole: "Nagorno-Karabaj", "1992-1994") and punctuation."""
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: the project's one splitter (``nkbench.core.bio.sentences``)."""
    from ...core.bio import sentences as split

    return split(text)


def sentence_of(sents: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence containing character ``pos`` (or the nearest one before it)."""
    best = sents[0] if sents else (0, 0)
    for s, e in sents:
        if s <= pos:
            best = (s, e)
        else:
            break
    return best


def fold(word: str) -> str:
    """Lower-case without accents ("Azerbaiyán" -> "azerbaiyan")."""
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(c) != "Mn")


def parse_number(digits: str, language: str) -> float | None:
    """A digit string as written in ``language``: "10.000" (es) and "120,000" (en) are thousands;
    "3,5" (es) and "3.5" (en) are decimals. Returns None for anything else."""
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", digits) and len(set(re.findall(r"[.,]", digits))) == 1:
        return float(re.sub(r"[.,]", "", digits))
    decimal = "," if language == "es" else "."
    if re.fullmatch(r"\d+", digits):
        return float(digits)
    if re.fullmatch(rf"\d+{re.escape(decimal)}\d+", digits):
        return float(digits.replace(",", "."))
    return None
