"""Tokens, sentences and BIO tags: the one edge between character spans and token labels.

Tokenisation is a documented regular expression (numbers with their separators stay whole:
"10.000", "120,000", "1:00"; hyphenated words stay whole: "Nagorno-Karabaj"; every other
non-space, non-word character is its own token). Token boundaries are additionally split at every
protected span boundary, so that annotated spans always cover whole tokens; sentences never cut
a protected span. Tags use the IOB2 scheme (``B-X`` starts every chunk) or IOBES.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .errors import Errors, NkbenchError

TOKEN_RE = re.compile(r"\d+(?:[.,:]\d+)*|\w+(?:-\w+)*|[^\w\s]")
# Sentences are defined by annotation/GUIDELINES.md §1.1 (v3). A sentence ends after . ! ? (optionally
# followed by closing quotes/brackets) when whitespace and then an upper-case letter, an opening quote
# or bracket, ¿ ¡ or a digit follow; a line break always ends one; never at the period of an abbreviation.
_SENT_END = re.compile(r"[.!?][”\"»)’]*(?=\s+[«“\"(¿¡A-ZÁÉÍÓÚÑ0-9])|\n")

#: The closed list of abbreviations after which no sentence ends (GUIDELINES §1.1), with their period.
#: Dotted abbreviations (``p.m.``, ``U.S.``, ``EE.UU.``) and initials (``J.``) are recognised by shape.
ABBREVIATIONS = frozenset({
    # titles
    "Sr.", "Sra.", "Sres.", "Srta.", "Dr.", "Dra.", "Mr.", "Mrs.", "Ms.", "Gen.", "Gral.", "Pres.", "Prof.", "St.",
    # months
    "Jan.", "Feb.", "Aug.", "Sept.", "Sep.", "Oct.", "Nov.", "Dec.", "ene.", "feb.", "sept.", "oct.", "nov.", "dic.",
    # halves of "EE. UU." and others
    "EE.", "UU.", "etc.", "vs.", "núm.", "approx.", "aprox.",
})
# letters (one or two) each followed by a period, at least twice: a.m., p.m., U.S., EE.UU.
_DOTTED = re.compile(r"(?:[^\W\d_]{1,2}\.){2,}")


def _word_before(text: str, end: int) -> str:
    """The white-space delimited word that ends at ``end`` (the period included), without leading
    opening quotes or brackets."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip("«“\"(‘'[¿¡")


def is_abbreviation(word: str) -> bool:
    """True for a word (ending with its period) after which no sentence ends (GUIDELINES §1.1)."""
    if word in ABBREVIATIONS or _DOTTED.fullmatch(word):
        return True
    return len(word) == 2 and word[0].isupper() and word[1] == "."  # an initial: "J." of "J. Smith"

Span = tuple[int, int, str]  # (start, end, label), end-exclusive
Offsets = tuple[int, int]


def tokenize(text: str, start: int = 0, end: int | None = None, protect: Iterable[Offsets] = ()) -> list[Offsets]:
    """Token offsets of ``text[start:end]`` (absolute, end-exclusive), split at protected boundaries."""
    end = len(text) if end is None else end
    cuts = sorted({b for s, e in protect for b in (s, e) if start < b < end})
    tokens: list[Offsets] = []
    for m in TOKEN_RE.finditer(text, start, end):
        s, e = m.span()
        for c in cuts:
            if s < c < e:
                tokens.append((s, c))
                s = c
            elif c >= e:
                break
        tokens.append((s, e))
    return tokens


def sentences(text: str, protect: Iterable[Offsets] = ()) -> list[Offsets]:
    """Sentence offsets (GUIDELINES §1.1): split at sentence-final punctuation and line breaks, never
    at the period of an abbreviation (``ABBREVIATIONS``, dotted ones such as "p.m.", initials), trimmed
    of white space (NBSP included), blank segments dropped, never cutting a protected span."""
    protect = sorted(protect)
    bounds, prev = [], 0
    for m in _SENT_END.finditer(text):
        cut = m.end()
        if text[m.start()] == "." and is_abbreviation(_word_before(text, m.start() + 1)):
            continue
        if any(s < cut < e for s, e in protect):
            continue
        bounds.append((prev, cut))
        prev = cut
    bounds.append((prev, len(text)))
    out = []
    for s, e in bounds:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


SCHEMES = {
    # scheme -> (tag for a one-token chunk, first token, inside tokens, last token)
    "IOB2": ("B", "B", "I", "I"),
    "IOBES": ("S", "B", "I", "E"),
}


def spans_to_tags(tokens: Sequence[Offsets], spans: Iterable[Span], scheme: str = "IOB2", where: str = "") -> list[str]:
    """Tags for ``tokens`` from non-overlapping spans that start and end on token boundaries.

    A span that cuts a token or overlaps another is an error (never reshaped to fit).
    """
    single, first, inside, last = SCHEMES[scheme]
    index_of_start = {s: i for i, (s, _) in enumerate(tokens)}
    index_of_end = {e: i for i, (_, e) in enumerate(tokens)}
    tags = ["O"] * len(tokens)
    for s, e, label in sorted(spans):
        i, j = index_of_start.get(s), index_of_end.get(e)
        if i is None or j is None or j < i:
            raise NkbenchError(f"span [{s}:{e}] {label} does not start and end on token boundaries", where=where, code=Errors.E037)
        if any(t != "O" for t in tags[i : j + 1]):
            raise NkbenchError(f"span [{s}:{e}] {label} overlaps another span; BIO cannot hold nested spans", where=where, code=Errors.E038)
        if i == j:
            tags[i] = f"{single}-{label}"
        else:
            tags[i] = f"{first}-{label}"
            for k in range(i + 1, j):
                tags[k] = f"{inside}-{label}"
            tags[j] = f"{last}-{label}"
    return tags


def tags_to_spans(tokens: Sequence[Offsets], tags: Sequence[str], scheme: str = "IOB2") -> list[Span]:
    """Strict decoding: a chunk is a well-formed run of one type (``B I*`` in IOB2; ``S`` or
    ``B I* E`` in IOBES). Ill-formed runs (an ``I`` without its ``B``) are not chunks."""
    if len(tokens) != len(tags):
        raise NkbenchError(f"{len(tokens)} tokens but {len(tags)} tags", code=Errors.E039)
    single, first, inside, last = SCHEMES[scheme]
    spans: list[Span] = []
    i, n = 0, len(tags)
    while i < n:
        prefix, _, label = tags[i].partition("-")
        if scheme == "IOBES" and prefix == single:
            spans.append((tokens[i][0], tokens[i][1], label))
        elif prefix == first:
            j = i + 1
            while j < n and tags[j] == f"{inside}-{label}":
                j += 1
            if scheme == "IOB2":
                spans.append((tokens[i][0], tokens[j - 1][1], label))
                i = j
                continue
            if j < n and tags[j] == f"{last}-{label}":
                spans.append((tokens[i][0], tokens[j][1], label))
                i = j + 1
                continue
        i += 1
    return spans


# ---------------------------------------------------------------------------------------------
# Tokens from elsewhere (CoNLL files, spaCy Docs, ``ner`` rows): their offsets in the gold text,
# and their tags decoded with every repair counted.


class TokenMismatch(NkbenchError):
    """A token that is not the text at its place; ``index`` is its position in the token list."""

    code = Errors.E092

    def __init__(self, index: int, reason: str, where: str = "", hint: str = "") -> None:
        self.index = index
        super().__init__(reason, where, hint)


def align_tokens(text: str, tokens: Sequence[str], start: int = 0, where: str = "") -> list[Offsets]:
    """The offsets of ``tokens`` found in order in ``text`` from ``start``, with only white space
    between them (a tokeniser that drops or rewrites characters is an error naming the token)."""
    out: list[Offsets] = []
    pos, n = start, len(text)
    for i, tok in enumerate(tokens):
        while pos < n and text[pos].isspace():
            pos += 1
        if not tok or not text.startswith(tok, pos):
            shown = text[pos:pos + max(len(tok), 1) + 10]
            raise TokenMismatch(i, f"token {i} {tok!r} is not the gold text at offset {pos} ({shown!r}...)"
                               if pos < n else f"token {i} {tok!r} is past the end of the gold text ({n} characters)",
                               where=where, hint="the tokens must be the gold text's characters, in order, "
                                                 "with only white space between them")
        out.append((pos, pos + len(tok)))
        pos += len(tok)
    return out


def off_boundary(tokens: Sequence[Offsets], spans: Iterable[Offsets]) -> int:
    """How many ``spans`` do not start and end on a boundary of ``tokens`` (spans no tag sequence
    over these tokens can give: the span-to-token projection loss)."""
    starts, ends = {s for s, _ in tokens}, {e for _, e in tokens}
    return sum(1 for s, e in spans if s not in starts or e not in ends)


def decode_tags(tokens: Sequence[Offsets], tags: Sequence[str], scheme: str = "IOB2") -> tuple[list[Span], dict[str, int]]:
    """Chunks of a tag sequence as conlleval reads it, with every repair counted: an inside tag
    that does not continue a chunk of its type starts one (``I without B``); in IOBES an
    unfinished chunk ends where the run ends (``B/I without E``). Tags must be well-formed
    (``O`` or ``<prefix>-<type>``; check them first: ``tag_problems``)."""
    if len(tokens) != len(tags):
        raise NkbenchError(f"{len(tokens)} tokens but {len(tags)} tags", code=Errors.E040)
    single, first, inside, last = SCHEMES[scheme]
    counts = {"inside tag without a begin tag (started a chunk, as conlleval)": 0}
    if scheme == "IOBES":
        counts["chunk without its end tag (ended at the run's end)"] = 0
    spans: list[Span] = []
    cur: list | None = None  # [start, end, label, closed]
    for (s, e), tag in zip(tokens, tags):
        prefix, _, label = tag.partition("-")
        if prefix == "O":
            if cur and not cur[3] and scheme == "IOBES":
                counts["chunk without its end tag (ended at the run's end)"] += 1
            if cur:
                spans.append(tuple(cur[:3]))
            cur = None
            continue
        continues = cur is not None and not cur[3] and cur[2] == label and prefix in (inside, last)
        if continues:
            cur[1] = e
            cur[3] = prefix == last and scheme == "IOBES"
            continue
        if cur:
            if not cur[3] and scheme == "IOBES":
                counts["chunk without its end tag (ended at the run's end)"] += 1
            spans.append(tuple(cur[:3]))
        if prefix in (inside, last) and not (scheme == "IOBES" and prefix == single):
            counts["inside tag without a begin tag (started a chunk, as conlleval)"] += 1
        closed = scheme == "IOBES" and prefix in (single, last)
        cur = [s, e, label, closed]
    if cur:
        if not cur[3] and scheme == "IOBES":
            counts["chunk without its end tag (ended at the run's end)"] += 1
        spans.append(tuple(cur[:3]))
    return spans, counts


def tag_problem(tag: str, scheme: str, labels) -> str:
    """Why ``tag`` is not a tag of ``scheme`` over ``labels`` ('' when it is one)."""
    if tag == "O":
        return ""
    prefix, dash, label = tag.partition("-")
    prefixes = "".join(dict.fromkeys(SCHEMES[scheme]))
    if not dash or prefix not in SCHEMES[scheme]:
        return f"tag {tag!r} is not O or {'/'.join(prefixes)}-TYPE ({scheme})"
    if label not in labels:
        return f"tag {tag!r}: unknown type {label!r}"
    return ""
