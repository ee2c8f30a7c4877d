"""The ``rules`` baseline: transparent surface rules for every layer, Spanish and English.

Pipeline per document (each step a function; the lexicons are data in ``lexicons.py``, tuned on the
synthetic development articles only, never on the test articles: tests/test_rules_lexicon_provenance.py):

1. ``find_dates``: DATE/TIME patterns (weekdays, months, years, clock times, parts of the day).
2. ``find_numbers``: hedge + number (+ unit) expressions -> QUANTITY mentions (hour units -> TIME,
   period units -> DATE) with their normalised value; vague multitudes ("miles") -> QUANTITY.
3. ``find_names``: maximal capitalised runs, split at titles (a title is never part of a name),
   typed by name lexicons, keywords, surname shapes and given-name + surname runs;
   lower-case Spanish demonyms -> NORP (inside a preceding ORG name: part of it).
4. ``find_events``: trigger lexicons; a stop word is a CEASEFIRE only before a fighting word; a
   definite agreement noun after a ceasefire is the ceasefire; arguments Count, Place, Time in the
   sentence; polarity from negation, realis from modal/future markers.
5. ``find_cues`` and ``find_claims``: quotations next to a cue, then clause patterns ("X dijo que ...",
   "..., según X", "X said that ..."); stance from the cue; source = the subject noun phrase of the
   cue (a name, or a nominal such as "The Karabakh authorities") or the name nearest to it.
6. Numeric claims: every number with a counted word nearby, inside or outside attributed claims.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from ...core.model import Document, NumericValue
from ...core.schema import EVENT_TYPES
from . import lexicons as L
from .base import DocumentBuilder, check_language
from .text import Token, fold, parse_number, sentence_of, sentences, tokenize

_NUMBER_RE = r"\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?"
_alt = L.alt
_I = re.IGNORECASE
_NAME_LABELS = frozenset({"PER", "ORG", "GPE", "NORP", "LOC", "FAC"})


def _wb(pattern: str) -> str:
    """Wrap a pattern in word boundaries that work with accented letters."""
    return rf"(?<![\w-])(?:{pattern})(?![\w-])"


def _rx(entries, flags=_I) -> re.Pattern:
    return re.compile(_wb(_alt(entries)), flags)


class Span(NamedTuple):
    """A candidate mention before it becomes a model Mention."""

    start: int
    end: int
    label: str
    nominal: bool = False


@dataclass(frozen=True, slots=True)
class Figure:
    """A number expression: its span, the normalised value and the counted unit if it has one."""

    start: int
    end: int
    low: float | None
    high: float | None
    hedge: str
    unit_counted: str | None


class Trigger(NamedTuple):
    start: int
    end: int
    label: str


class CueSpan(NamedTuple):
    start: int
    end: int
    stance: str


class Attribution(NamedTuple):
    """An attributed claim found by ``find_claims``: content span, stance, its cue (index into the
    cue list) and its source (a mention, or None for the outlet)."""

    start: int
    end: int
    stance: str
    cue: int
    source: object | None


class ClaimRow(NamedTuple):
    """A claim about to be built: content span, stance, source and cue ids, numeric value or None."""

    start: int
    end: int
    stance: str
    source: str | None
    cue: str | None
    value: NumericValue | None


@dataclass
class _Patterns:
    """Compiled patterns of one language (built once per system)."""

    lang: str
    dates: list[tuple[str, re.Pattern, str]] = field(default_factory=list)  # (name, pattern, label)
    number: re.Pattern | None = None
    vague: re.Pattern | None = None
    multiplier: re.Pattern | None = None
    relative_after: re.Pattern | None = None
    definite_article: re.Pattern | None = None
    fac_head: re.Pattern | None = None
    written: dict[str, float] = field(default_factory=dict)
    hedges: dict[str, str] = field(default_factory=dict)
    units: list[tuple[re.Pattern, str]] = field(default_factory=list)
    period: re.Pattern | None = None
    counted: list[tuple[str, re.Pattern]] = field(default_factory=list)
    titles: re.Pattern | None = None
    given: re.Pattern | None = None
    surnames: re.Pattern | None = None
    surname_shape: re.Pattern | None = None
    places: list[tuple[str, re.Pattern]] = field(default_factory=list)
    orgs: re.Pattern | None = None
    dotted: re.Pattern | None = None
    keywords: list[tuple[str, re.Pattern]] = field(default_factory=list)
    demonyms: re.Pattern | None = None
    source_nouns: list[tuple[str, re.Pattern]] = field(default_factory=list)
    triggers: list[tuple[str, re.Pattern]] = field(default_factory=list)
    fighting: re.Pattern | None = None
    partitive: re.Pattern | None = None
    origin: re.Pattern | None = None
    destination: re.Pattern | None = None
    target: re.Pattern | None = None
    sign_verb: re.Pattern | None = None
    signed_object: re.Pattern | None = None
    toll: re.Pattern | None = None
    agreement_nouns: re.Pattern | None = None
    definite: re.Pattern | None = None
    negation: re.Pattern | None = None
    modal: re.Pattern | None = None
    cues: list[tuple[str, re.Pattern]] = field(default_factory=list)
    according: re.Pattern | None = None
    accuse: re.Pattern | None = None
    promise: re.Pattern | None = None
    claim_noun_head: re.Pattern | None = None
    claim_noun: re.Pattern | None = None
    clause_break: re.Pattern | None = None
    that: str = ""


def _date_forms(lang: str) -> list[tuple[str, str, str]]:
    """(name, pattern, label) of the DATE/TIME shapes of ``lang`` (built from the month/day lexicons)."""
    months, days, det = _alt(L.MONTHS[lang]), _alt(L.WEEKDAYS[lang]), _alt(L.DATE_DETERMINERS[lang])
    if lang == "es":
        forms = [
            ("weekday day de month [de year]",
             rf"(?:(?:el\s+)?(?:{days})\s+)?\d{{1,2}}\s+de\s+(?:{months})(?:\s+de(?:l)?\s+\d{{4}})?", "DATE"),
            ("month de year", rf"(?:{months})\s+de(?:l)?\s+\d{{4}}", "DATE"),
            ("weekday day", rf"(?:(?:{det})\s+)?(?:{days})\s+\d{{1,2}}(?!\d|[.,:]\d)", "DATE"),
            ("weekday", rf"(?:(?:{det})\s+)?(?:{days})", "DATE"),
            ("month", rf"(?:{months})", "DATE"),
        ]
    else:
        forms = [
            ("[weekday,] month day[, year]",
             rf"(?:(?:{days}),?\s+)?(?:{months})\s+\d{{1,2}}(?:,\s+\d{{4}})?", "DATE"),
            ("day month [year]", rf"\d{{1,2}}\s+(?:{months})(?:\s+\d{{4}})?", "DATE"),
            ("month year", rf"(?:{months})\s+\d{{4}}", "DATE"),
            ("weekday", rf"(?:(?i:{det})\s+)?(?:{days})", "DATE"),
            ("this week", rf"(?i:{det})\s+(?:week|month|year)", "DATE"),
            ("month", rf"(?:{months})", "DATE"),
        ]
    if L.RELATIVE_DAYS[lang]:
        forms.append(("relative day", rf"(?i:{_alt(L.RELATIVE_DAYS[lang])})", "DATE"))
    periods, one, rel = _alt(L.PERIOD_UNITS[lang]), _alt(L.ONE_PERIOD[lang]), _alt(L.RELATIVE_AFTER[lang])
    forms += [("clock time", rf"\d{{1,2}}(?::\d{{2}}\s*[ap]\.\s?m\.|:\d{{2}}|\s*[ap]\.\s?m\.)"
                             rf"(?:\s+(?:{_alt(L.TIME_ZONES[lang])}))?", "TIME"),
              ("part of the day", rf"(?i:{_alt(L.TIME_WORDS[lang])})", "TIME"),
              ("one period", rf"(?i:(?:{one})\s+(?:{periods})(?:\s+(?:{rel}))?)", "DATE")]
    return forms


def compile_patterns(lang: str) -> _Patterns:
    """Every lexicon of ``lang`` as compiled regular expressions."""
    p = _Patterns(lang)
    # English month and weekday names are matched case-sensitively ("May" the month, "may" the verb)
    p.dates = [(name, re.compile(_wb(f), _I if lang == "es" else 0), label) for name, f, label in _date_forms(lang)]
    p.written = {**L.WRITTEN_NUMBERS[lang], **L.HEDGED_ONLY[lang]}
    p.hedges = dict(L.HEDGES[lang])
    p.number = re.compile(_number_pattern(lang), _I)
    p.vague = re.compile(_wb(rf"(?:(?:{_alt(L.VAGUE_DETERMINERS[lang])})\s+)?(?:{_alt(L.VAGUE_NUMBERS[lang])})"), _I)
    p.multiplier = re.compile(rf"\s+({_alt(re.escape(w) for w in L.MULTIPLIERS[lang])})(?![\w-])", _I)
    p.relative_after = re.compile(rf"\s+(?:{_alt(L.RELATIVE_AFTER[lang])})(?![\w-])", _I)
    p.definite_article = re.compile(rf"(?<![\w-])(?:{_alt(L.DEFINITE_ARTICLES[lang])})\s+\Z", _I)
    p.fac_head = _rx(L.FAC_HEADS[lang])
    p.units = [(re.compile(rf"\s+(?:{_alt(u)})(?![\w-])", _I), c) for c, u in L.UNITS[lang].items()]
    p.period = re.compile(rf"\s+(?:{_alt(L.PERIOD_UNITS[lang])})(?![\w-])", _I)
    p.counted = [(c, _rx(pat)) for c, pat in L.COUNTED[lang].items()]
    p.titles = _rx(L.TITLES[lang])
    p.given = _rx(L.GIVEN_NAMES, 0)
    p.surnames = _rx(L.SURNAMES, 0)
    p.surname_shape = _rx(L.SURNAME_SHAPES[lang], 0)
    p.places = [(label, _rx(names, 0)) for label, names in L.PLACES.items()]
    p.orgs = _rx(L.ORG_NAMES, 0)
    # place names the run builder cannot see: dotted ("U.S.", "EE. UU.") or opening with an article ("La Haya")
    p.dotted = re.compile(_wb(_alt(n for names in L.PLACES.values() for n in names
                                   if "." in n or n.split()[0].lower() in L.FUNCTION_WORDS)))
    p.keywords = [(t, _rx(pat)) for t, pat in L.TYPE_KEYWORDS.items()]
    p.demonyms = _rx(L.DEMONYMS[lang], _I if lang == "es" else 0)
    p.source_nouns = [(label, _rx(pat)) for label, pat in L.SOURCE_NOUNS[lang].items()]
    p.triggers = [(t, _rx(pat)) for t, pat in L.TRIGGERS[lang].items()]
    p.fighting = _rx(L.FIGHTING_WORDS[lang])
    p.partitive = _rx(L.PARTITIVE_VERBS[lang])
    p.origin = re.compile(rf"(?<![\w-])(?:{_alt(L.ORIGIN_PREPS[lang])})\s+(?:(?:the|el|la|los|las)\s+)?\Z", _I)
    p.destination = re.compile(rf"(?<![\w-])(?:{_alt(L.DESTINATION_PREPS[lang])})\s+(?:(?:the|el|la|los|las)\s+)?\Z", _I)
    p.target = re.compile(rf"(?<![\w-])(?:{_alt(L.TARGET_PREPS[lang])})\s+(?:(?:the|el|la|los|las)\s+)?\Z", _I)
    p.sign_verb = _rx(L.SIGN_VERBS[lang])
    p.signed_object = _rx(L.SIGNED_OBJECTS[lang])
    p.toll = re.compile(rf"\s+(?:{_alt(L.TOLL_WORDS[lang])})(?![\w-])", _I)
    p.agreement_nouns = _rx(L.AGREEMENT_NOUNS[lang])
    p.definite = _rx(L.DEFINITE[lang])
    p.negation = _rx(L.NEGATION[lang])
    p.modal = _rx(L.MODAL[lang])
    p.cues = [(s, _rx(pat)) for s, pat in L.CUES[lang].items()]
    p.according = _rx(L.ACCORDING[lang])
    p.accuse = re.compile(_alt(L.ACCUSE[lang]), _I)
    p.claim_noun_head = re.compile(rf"(?:(?:a|an|una|un)\s+)?(?:{_alt(L.CLAIM_NOUNS[lang])})\s+(?:(?:that|que)\s+)?",
                                   _I)
    p.promise = re.compile(rf"(?:[\w'’.-]+\s+){{0,3}}(?:{_alt(L.PROMISE_MARKERS[lang])})(?![\w-])", _I)
    p.claim_noun = re.compile(rf"(?<![\w-])((?:(?:a|an|una|un)\s+)?(?:{_alt(L.CLAIM_NOUNS[lang])}))\s+(?:that\s+|que\s+)?"
                              rf"(?:[\w'’.-]+\s+){{1,3}}\Z", _I)
    p.clause_break = re.compile(rf";\s|,\s+(?:(?:{_alt(L.CLAUSE_BREAKS[lang])})\s|(?:a|an|una|un)\s+(?:"
                                rf"{_alt(L.CLAIM_NOUNS[lang])})(?![\w-]))", _I)
    p.that = _alt(L.THAT[lang])
    return p


def _number_pattern(lang: str) -> str:
    written = {**L.WRITTEN_NUMBERS[lang], **L.HEDGED_ONLY[lang]}
    number = rf"(?:{_NUMBER_RE}|{_alt(re.escape(w) for w in written)})"
    return _wb(rf"(?:(?P<hedge>{_alt(re.escape(h) for h in L.HEDGES[lang])})\s+)?"
               rf"(?:(?P<range1>{_NUMBER_RE})\s*(?:-|–|\s(?:y|a|and|to)\s)\s*(?P<range2>{_NUMBER_RE})"
               rf"|(?:entre|between)\s+(?P<range3>{_NUMBER_RE})\s+(?:y|and)\s+(?P<range4>{_NUMBER_RE})"
               rf"|(?P<num>{number}))")


def structural_patterns(lang: str) -> list[tuple[str, re.Pattern]]:
    """(name, pattern) of every shape the rules system matches beyond single lexicon entries: date and
    time shapes, the number expression, surname shapes. The provenance test walks them too."""
    p = compile_patterns(lang)
    out = [(f"date form {name!r}", rx) for name, rx, _ in p.dates]
    out.append(("number expression", p.number))
    return out


def _overlaps(a0: int, a1: int, spans) -> bool:
    return any(a0 < s.end and s.start < a1 for s in spans)


def _resolve(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans, preferring earlier-listed priority then longer, in text order."""
    chosen: list[Span] = []
    for s in spans:
        if not _overlaps(s.start, s.end, chosen):
            chosen.append(s)
    return sorted(chosen, key=lambda s: (s.start, s.end))


# ---------------------------------------------------------------------------------------------
# Values


def find_dates(text: str, p: _Patterns) -> list[Span]:
    """DATE and TIME spans, longest match first among overlapping candidates."""
    cands = [Span(m.start(), m.end(), label) for _, rx, label in p.dates for m in rx.finditer(text)]
    if p.lang == "es":  # a bare month name is too ambiguous in Spanish ("mayo"); keep it only with "de"
        months = _alt(L.MONTHS["es"])
        cands = [c for c in cands if not re.fullmatch(months, text[c.start:c.end], _I)
                 or re.search(r"(?:de|en)\s+$", text[max(0, c.start - 4):c.start])]
    return _resolve(sorted(cands, key=lambda s: (-(s.end - s.start), s.start)))


def find_numbers(text: str, p: _Patterns, taken: list[Span]) -> tuple[list[Span], list[Figure]]:
    """QUANTITY/DATE/TIME spans for number expressions and the figures they state."""
    spans, figures = [], []
    for m in p.number.finditer(text):
        start, end = m.span()
        if _overlaps(start, end, taken):
            continue
        hedge_word = m.group("hedge")
        hedge = p.hedges[hedge_word.lower()] if hedge_word else "exact"
        r1, r2 = m.group("range1") or m.group("range3"), m.group("range2") or m.group("range4")
        if r1:
            low, high = parse_number(r1, p.lang), parse_number(r2, p.lang)
            if low is None or high is None or low > high:
                continue
            hedge = "range" if hedge == "exact" else hedge
        else:
            raw = m.group("num")
            if raw.lower() in L.HEDGED_ONLY[p.lang] and not hedge_word:
                continue
            value = p.written.get(raw.lower()) if not raw[0].isdigit() else parse_number(raw, p.lang)
            if value is None:
                continue
            if hedge_word is None and raw.isdigit() and len(raw) == 4 and 1800 <= value <= 2100:
                spans.append(Span(start, end, "DATE"))  # a year
                continue
            low, high = _bounds(value, hedge)
            if not raw[0].isdigit() and not hedge_word and p.definite_article.search(text, max(0, start - 8), start):
                continue  # "the two armies", "las dos capitales": a reference, not a count
        mult = p.multiplier.match(text, end)
        if mult:  # "tres millones"
            factor = L.MULTIPLIERS[p.lang][mult.group(1).lower()]
            low, high = (None if low is None else low * factor), (None if high is None else high * factor)
            end = mult.end()
        label, counted = "QUANTITY", None
        for rx, c in p.units:
            u = rx.match(text, end)
            if u:
                end, counted = u.end(), c
                label = "TIME" if c == "duration" else "QUANTITY"  # hours, minutes: TIME (guidelines §2.2)
                break
        else:
            u = p.period.match(text, end)
            if u:
                end, counted, label = u.end(), "duration", "DATE"
        if counted == "duration":  # "cuatro días después": a relative date keeps its adverb
            r = p.relative_after.match(text, end)
            if r:
                spans.append(Span(start, r.end(), label))
                continue  # a relative date is not a duration: no figure (guidelines §2.2, v3)
        spans.append(Span(start, end, label))
        figures.append(Figure(start, end, low, high, hedge, counted))
    for m in p.vague.finditer(text):  # "miles de vecinos", "varias decenas": a QUANTITY, no figure
        if not _overlaps(m.start(), m.end(), taken + spans):
            spans.append(Span(m.start(), m.end(), "QUANTITY"))
    return spans, figures


def _bounds(value: float, hedge: str) -> tuple[float | None, float | None]:
    """The stated bounds of a hedged figure: open side None (see schema.HEDGES)."""
    if hedge in ("at_least", "more_than"):
        return value, None
    if hedge in ("at_most", "less_than", "almost"):
        return None, value
    return value, value


# ---------------------------------------------------------------------------------------------
# Names


def _sentence_initial(tokens: list[Token], i: int, text: str) -> bool:
    j = i - 1
    while j >= 0 and tokens[j].text in "“«\"'(¿¡—–-":
        j -= 1
    return j < 0 or tokens[j].text in ".!?:" or "\n" in text[tokens[j].end:tokens[i].start]


def _runs(text: str, tokens: list[Token], p: _Patterns, taken: list[Span]) -> list[tuple[int, int]]:
    """Token ranges [i, j) of maximal capitalised runs, joined by connectors ("de", "of the")."""
    lower_words = {t.lower for t in tokens if t.is_word and not t.is_capitalised}
    connectors = L.CONNECTORS[p.lang]

    def name_word(k: int) -> bool:
        t = tokens[k]
        return t.is_word and t.is_capitalised and t.lower not in L.FUNCTION_WORDS \
            and not _overlaps(t.start, t.end, taken)

    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if not (t.is_word and t.is_capitalised) or _overlaps(t.start, t.end, taken):
            i += 1
            continue
        if _sentence_initial(tokens, i, text) and (t.lower in L.FUNCTION_WORDS or t.lower in lower_words):
            i += 1
            continue
        if t.lower in L.FUNCTION_WORDS and (len(t.text) < 2 or not t.text.isupper()):
            i += 1
            continue
        j = i + 1
        while j < len(tokens):
            gap = text[tokens[j - 1].end:tokens[j].start]
            if "\n" in gap or gap.strip():
                break
            if name_word(j):
                j += 1
                continue
            # a connector ("de", "of the") followed by another capitalised word continues the run
            k, words = j, []
            while k < len(tokens) and tokens[k].is_word and not tokens[k].is_capitalised and len(words) < 2:
                words.append(tokens[k].lower)
                k += 1
                if " ".join(words) in connectors and k < len(tokens) and name_word(k) \
                        and not text[tokens[k - 1].end:tokens[k].start].strip():
                    j = k
                    break
            else:
                break
            if j != k:
                break
        runs.append((i, j))
        i = j
    inner_caps = {tokens[i].text for i, j in runs if not _sentence_initial(tokens, i, text)}
    inner_caps |= {t.text for i, j in runs for t in tokens[i + 1:j]}
    return [(i, j) for i, j in runs
            if j - i > 1 or not _sentence_initial(tokens, i, text) or tokens[i].text in inner_caps
            or _known(tokens[i].text.split("-")[0], p)]


def _known(word: str, p: _Patterns) -> bool:
    """A word some name lexicon lists (a place, an organisation, a person, a demonym)."""
    return bool(p.orgs.fullmatch(word) or p.surnames.fullmatch(word) or p.given.fullmatch(word)
                or any(rx.fullmatch(word) for _, rx in p.places) or p.demonyms.fullmatch(word))


def find_names(text: str, tokens: list[Token], p: _Patterns, taken: list[Span]) -> list[Span]:
    """Name mentions: dotted place abbreviations ("U.S.", "EE. UU."), capitalised runs split at titles
    and typed by ``_type_run``, persons by context (``_people``), lower-case demonyms (Spanish)."""
    spans = [Span(m.start(), m.end(), "GPE") for m in p.dotted.finditer(text) if not _overlaps(*m.span(), taken)]
    taken = taken + spans
    for i, j in _runs(text, tokens, p, taken):
        run = _trim_run(text, tokens[i:j], p, _sentence_initial(tokens, i, text))
        if run and not _portfolio(text, run, p):
            spans += _split_run(text, run, p)
    spans = _people(text, sorted(spans), p)
    demonyms = _demonyms(text, tokens, spans, taken, p)
    spans = _attach_demonyms(text, spans, demonyms, p)
    spans = _facilities(text, _merge_dotted(text, sorted(spans)), p)
    return sorted(spans, key=lambda s: (s.start, s.end))


def _trim_run(text: str, run: list[Token], p: _Patterns, initial: bool) -> list[Token]:
    """A run without what is not a name: the lower-case tail of a hyphenated word ("Russia-brokered" ->
    "Russia"); a sentence-initial common noun before a connector ("Residents of Stepanakert")."""
    last = run[-1]
    hyphen = re.match(r"[^\W\d_][\w]*(?=-[a-záéíóúñ])", last.text)
    if hyphen:
        run = run[:-1] + [Token(last.start, last.start + hyphen.end(), hyphen.group())]
    if initial and len(run) > 2 and not run[1].is_capitalised and not _known(run[0].text, p) \
            and not any(rx.search(run[0].text) for _, rx in p.keywords) and not p.titles.fullmatch(run[0].text):
        k = 1
        while k < len(run) and not run[k].is_capitalised:
            k += 1
        run = run[k:]
    return run


def _portfolio(text: str, run: list[Token], p: _Patterns) -> bool:
    """A capitalised portfolio after a lower-case title ("el ministro de Exteriores") is no name."""
    if len(run) != 1 or _known(run[0].text, p):
        return False
    m = re.search(r"(\w+)\s+(?:de|of)\s+$", text[max(0, run[0].start - 40):run[0].start])
    return bool(m and m.group(1).islower() and p.titles.fullmatch(m.group(1)))


def _merge_dotted(text: str, spans: list[Span]) -> list[Span]:
    """A dotted country abbreviation opening an institution's name is part of it ("U.S. Agency for
    International Development")."""
    out: list[Span] = []
    for s in spans:
        if out and s.label == "ORG" and out[-1].label == "GPE" and "." in text[out[-1].start:out[-1].end] \
                and text[out[-1].end:s.start] == " ":
            out[-1] = Span(out[-1].start, s.end, "ORG")
            continue
        out.append(s)
    return out


def _facilities(text: str, spans: list[Span], p: _Patterns) -> list[Span]:
    """A place name with the generic head of an established facility name is one FAC: "Lachin corridor"
    (English, head after), "corredor de Lachin" (Spanish, head before with "de")."""
    out = []
    for s in spans:
        if s.label in ("GPE", "LOC", "FAC"):
            if p.lang == "en":
                m = re.match(rf"\s+({p.fac_head.pattern})", text[s.end:s.end + 20], _I)
                if m:
                    s = Span(s.start, s.end + m.end(), "FAC")
            else:
                m = re.search(rf"({p.fac_head.pattern})\s+de\s+\Z", text[max(0, s.start - 20):s.start], _I)
                if m:
                    s = Span(s.start - (len(text[max(0, s.start - 20):s.start]) - m.start()), s.end, "FAC")
        out.append(s)
    return out


def _split_run(text: str, run: list[Token], p: _Patterns) -> list[Span]:
    """A run without its titles: "Russian Foreign Minister Sergei Lavrov" -> NORP "Russian" + PER
    "Sergei Lavrov"; "President of Azerbaijan" -> GPE "Azerbaijan"; a run holding an institution
    keyword stays one name ("Defensor del Pueblo", "Health Ministry")."""
    start, end = run[0].start, run[-1].end
    whole = text[start:end]
    if any(rx.search(whole) for label, rx in p.keywords if label == "ORG") or p.orgs.fullmatch(whole):
        return [Span(start, end, "ORG")]
    for k, tok in enumerate(run):
        tm = p.titles.match(text, tok.start)
        if not tm or tm.end() > end or (tm.end() < end and text[tm.end()].isalnum()):
            continue
        before = [Span(s.start, s.end, s.label) for s in _typed(text, run[:k], p)] if k else []
        rest = [t for t in run if t.start >= tm.end()]
        if rest and rest[0].lower in ("of", "of the", "de", "del", "de la", "the", "la"):
            while rest and not rest[0].is_capitalised:
                rest = rest[1:]
            return before + _typed(text, rest, p)
        if rest:  # a name right after a title is a person
            return before + [Span(rest[0].start, rest[-1].end, "PER")]
        return before  # the run ends with its title: no name
    return _typed(text, run, p)


def _typed(text: str, run: list[Token], p: _Patterns) -> list[Span]:
    """A title-free run as name spans: a leading English demonym splits off ("Russian Sergei Lavrov"),
    the rest gets ``_type_run``."""
    if not run:
        return []
    out = []
    if p.lang == "en" and len(run) > 1 and p.demonyms.fullmatch(run[0].text) and _type_run(
            text, run[1].start, run[-1].end, p) == "PER":
        out.append(Span(run[0].start, run[0].end, "NORP"))
        run = run[1:]
    out.append(Span(run[0].start, run[-1].end, _type_run(text, run[0].start, run[-1].end, p)))
    return out


def _type_run(text: str, start: int, end: int, p: _Patterns) -> str:
    run = text[start:end]
    words = run.split()
    if p.orgs.fullmatch(run):
        return "ORG"
    for label, rx in p.places:
        if rx.fullmatch(run):
            return label
    for label, rx in p.keywords:
        if rx.search(run):
            return label
    if run.isupper() and len(run) >= 2 and " " not in run:
        return "ORG"  # acronyms: OSCE, UE, CICR
    if p.demonyms.fullmatch(run) or (p.lang == "en" and " " not in run and re.search(rf"{L.NORP_SUFFIX_EN}$", run)
                                     and not p.surname_shape.fullmatch(run)):
        return "NORP"
    if p.given.fullmatch(words[0]) or any(p.surnames.fullmatch(w) for w in words) \
            or p.surname_shape.fullmatch(words[-1]):
        return "PER"
    # given name + surname: two or three capitalised words, none a known place, organisation or demonym
    if 2 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words) \
            and not any(_known(w, p) for w in words):
        return "PER"
    return L.DEFAULT_TYPE


def _people(text: str, spans: list[Span], p: _Patterns) -> list[Span]:
    """Runs right after a title ("el primer ministro armenio, Nikol Pashinián") are persons; so are
    later mentions of a person's surname."""
    out, surnames = [], set()
    for s in spans:
        label = s.label
        if label == L.DEFAULT_TYPE and not _known(text[s.start:s.end], p):
            window = text[max(0, s.start - 80):s.start]
            last = None
            for m in p.titles.finditer(window):
                last = m
            if last is not None:
                gap = window[last.end():]
                if re.fullmatch(r"[\s,]*(?:(?!(?:of|the|de|del|la|los)\b)[a-záéíóúñü]+[\s,]+){0,2}", gap) or \
                        re.fullmatch(r"\s+(?:del?|of(?: the)?)\s+[A-ZÁÉÍÓÚ][\w-]*(?:\s+[A-ZÁÉÍÓÚ][\w-]*)*\s*,\s*", gap):
                    label = "PER"
        if label == "PER":
            surnames.add(text[s.start:s.end].split()[-1])
        out.append(Span(s.start, s.end, label))
    return [Span(s.start, s.end, "PER") if s.label == L.DEFAULT_TYPE and text[s.start:s.end] in surnames else s
            for s in out]


def _demonyms(text: str, tokens: list[Token], names: list[Span], taken: list[Span], p: _Patterns) -> list[Span]:
    """Spanish lower-case demonyms: the lexicon's, and words sharing a stem with a GPE/NORP name of the
    document and ending like a demonym ("armenios" ~ "Armenia")."""
    if p.lang != "es":
        return []
    stems = set()
    for s in names:
        if s.label in ("GPE", "NORP"):
            for w in re.findall(r"\w+", text[s.start:s.end]):
                f = fold(w)
                if len(f) >= 5:
                    stems.add(f[: min(5, len(f) - 2)])
    out = []
    for t in tokens:
        if not t.is_word or t.is_capitalised or len(t.text) < 3 or _overlaps(t.start, t.end, taken + names):
            continue
        if p.demonyms.fullmatch(t.text):
            out.append(Span(t.start, t.end, "NORP"))
            continue
        f = fold(t.text)
        if len(f) >= 4 and any(f.startswith(stem) and re.fullmatch(rf"{stem}\w*?{fold(L.NORP_SUFFIX_ES)}", f)
                               and len(f) - len(stem) <= 6 for stem in stems):
            out.append(Span(t.start, t.end, "NORP"))
    return out


def _attach_demonyms(text: str, names: list[Span], demonyms: list[Span], p: _Patterns) -> list[Span]:
    """A Spanish demonym right after an ORG name is part of it ("Ministerio de Defensa ruso")."""
    out = list(names)
    for d in demonyms:
        prev = [i for i, s in enumerate(out) if s.end <= d.start and not text[s.end:d.start].strip()]
        if prev and out[prev[-1]].label == "ORG":
            s = out[prev[-1]]
            out[prev[-1]] = Span(s.start, d.end, "ORG")
        else:
            out.append(d)
    return out


# ---------------------------------------------------------------------------------------------
# Events


def find_triggers(text: str, p: _Patterns, names=()) -> list[Trigger]:
    """Trigger matches, longest first among overlapping ones, none inside a name ("Tratado de Seguridad
    Colectiva"). Guidelines §4.5: a stop word is a ceasefire only before a fighting word, and the
    fighting word right after a ceasefire trigger is its complement, not an ATTACK; a definite agreement
    noun after a ceasefire noun refers back to it and is the ceasefire; a signing verb with an agreement
    or a decree as its object, an agreement participle modifying a ceasefire or agreement noun and an
    agreement verb with an infinitive ("acordó enviar") are no events; "death toll" is no death."""
    cands = [Trigger(m.start(), m.end(), label) for label, rx in p.triggers for m in rx.finditer(text)
             if not _overlaps(m.start(), m.end(), names)]
    cands.sort(key=lambda t: (-(t.end - t.start), t.start))
    chosen: list[Trigger] = []
    for c in cands:
        if not any(c.start < o.end and o.start < c.end for o in chosen):
            chosen.append(c)
    chosen.sort(key=lambda t: (t.start, t.end))
    out: list[Trigger] = []
    for t in chosen:
        word = text[t.start:t.end]
        after = text[t.end:t.end + 90].split(".")[0]
        if t.label == "CEASEFIRE" and _is_stop_word(word):
            m = p.fighting.search(after)
            if not m or _words(after[:m.start()]) > 12:
                continue
        if t.label == "ATTACK" and out and out[-1].label == "CEASEFIRE" \
                and re.fullmatch(r"\s+(?:(?:de|del|las|los|la|el|a|to|of|the)\s+)*", text[out[-1].end:t.start]) \
                and not re.match(r"\s+(?:con|entre|with|between)\s", after):
            continue  # "cese de las hostilidades", "halt to hostilities": the ceasefire's bare complement
        if t.label == "AGREEMENT":
            if p.agreement_nouns.fullmatch(word):
                det = re.search(r"(\w+)\s+$", text[max(0, t.start - 12):t.start])
                if det and p.definite.fullmatch(det.group(1)) and any(
                        o.label == "CEASEFIRE" and not _is_stop_word(text[o.start:o.end]) for o in out):
                    t = Trigger(t.start, t.end, "CEASEFIRE")
            elif p.sign_verb.fullmatch(word):
                m = p.signed_object.search(after)
                if m and _words(after[:m.start()]) <= 3:
                    continue
            elif out and out[-1].label in ("CEASEFIRE", "AGREEMENT") and _words(text[out[-1].end:t.start]) <= 2 \
                    and not re.search(r"[,;.]", text[out[-1].end:t.start]):
                continue  # "la tregua humanitaria acordada": a participle modifying the noun
            elif re.match(r"\s+\w+(?:ar|er|ir)\b", after) and p.lang == "es":
                continue  # "acordó enviar": a decision, not an agreement
        if t.label == "DIE" and p.toll.match(after):
            continue
        out.append(t)
    return out


def _words(s: str) -> int:
    return len(re.findall(r"\w+", s))


def _is_stop_word(word: str) -> bool:
    """A stop verb or noun that is a ceasefire only when what stops is fighting (guidelines §4.5)."""
    return bool(re.match(r"(?:halt|suspen|deten|detuv)", word.lower()))


def _nearest(mentions, pos: int, lo: int, hi: int, labels, *, before_only=False, max_dist=10**9):
    best, best_d = None, None
    for m in mentions:
        if m.label not in labels or m.start < lo or m.end > hi:
            continue
        if before_only and m.end > pos:
            continue
        d = pos - m.end if m.end <= pos else m.start - pos
        if d < 0 or d > max_dist:
            continue
        if best_d is None or d < best_d:
            best, best_d = m, d
    return best


def _attributes(text: str, tokens: list[Token], trig: Trigger, sent: tuple[int, int], p: _Patterns):
    before = [t for t in tokens if sent[0] <= t.start and t.end <= trig.start and t.is_word][-3:]
    polarity = "negative" if any(p.negation.fullmatch(t.text) for t in before) else "positive"
    own = text[trig.start:trig.end]
    after = [t for t in tokens if t.start >= trig.end and t.end <= sent[1] and t.is_word][:2]
    # "will/would/celebrarán" just before or after the trigger ("las negociaciones se celebrarán")
    modal = any(p.modal.fullmatch(t.text) for t in before + after) or p.modal.fullmatch(own.split()[0])
    return polarity, ("other" if modal else "actual")


# ---------------------------------------------------------------------------------------------
# Cues and claims


_QUOTES = [re.compile(r"“([^“”\n]+)”"), re.compile(r"«([^«»\n]+)»"), re.compile(r'"([^"\n]+)"')]


def find_cues(text: str, p: _Patterns, triggers: list[Trigger], names) -> list[CueSpan]:
    """Reporting cues, not overlapping event triggers or names; adjacent cues merge ("Según informó")."""
    cands = sorted({(m.start(), m.end(), s) for s, rx in p.cues for m in rx.finditer(text)},
                   key=lambda c: (c[0], -c[1]))
    out: list[CueSpan] = []
    for s, e, stance in cands:
        if any(s < t.end and t.start < e for t in triggers) or _overlaps(s, e, names):
            continue
        if out and s < out[-1].end:
            continue
        if out and not text[out[-1].end:s].strip() and "\n" not in text[out[-1].end:s]:
            prev = out.pop()
            stance = stance if stance != "asserts" else prev.stance
            out.append(CueSpan(prev.start, e, stance))
            continue
        out.append(CueSpan(s, e, stance))
    return out


def _clause_content(text: str, cue: CueSpan, sent: tuple[int, int], p: _Patterns, is_subject) -> list[tuple[int, int]]:
    """The contents a cue introduces by clause patterns (none, one, or one per "and that" clause)."""
    s0, s1 = sent
    cue_text = text[cue.start:cue.end]
    before = text[s0:cue.start]
    after = text[cue.end:s1]
    if p.according.search(cue_text):
        if re.search(r"[,;]\s*$", before) and before.strip(" ,;"):  # "..., según X."
            return [(s0, s0 + len(before.rstrip(" ,;")))]
        comma = after.find(",")  # "Según X, ..."
        if comma >= 0 and after[comma + 1:].strip():
            return [_clause_end(text, cue.end + comma + 1, s1, p)]
        return []
    if p.accuse.fullmatch(cue_text):  # "acusó a Bakú de orquestar ...", "accused Yerevan of using aid ..."
        m = re.match(r"(?:\s+[\w'’.-]+){0,6}?\s+(?:of|de)\s+", after)
        if m:
            return [_clause_end(text, cue.end + m.end(), s1, p)]
    that = re.match(rf"(?:\s+[\w'’.-]+){{0,10}}?\s+(?:{p.that})\s+", after, _I)
    if that and after[that.end():].strip():  # "X dijo (a los periodistas) que ..."
        start = cue.end + that.end()
        out, end = [], _clause_end(text, start, s1, p)[1]
        for m in re.finditer(rf"\s+(?:and|y)\s+(?:{p.that})\s+", text[start:end], _I):  # "... y que ..."
            out.append((start, start + m.start()))
            start = start + m.end()
        return out + [(start, end)]
    if cue.stance == "demands":  # "urged both sides to halt ...", "instaron a las capitales a volver a negociar"
        m = re.match(r"(?:\s+[\w'’.-]+){0,6}?\s+to\s+" if p.lang == "en" else
                     r"(?:\s+[\w'’.-]+){0,6}?\s+a\s+(?=\w+(?:ar|er|ir)\b)", after)
        if m:
            return [_clause_end(text, cue.end + m.end(), s1, p)]
        m = re.match(r"\s+([^,;.]+?)\s+a\s", after)  # "pidió ayuda a la OTSC"
        if m and p.lang == "es":
            return [(cue.end + m.start(1), cue.end + m.end(1))]
    # "CONTENT, dijo X." / "CONTENT, X said (on Tuesday)." : the sentence before the last comma, when
    # what stands between the comma and the cue is nothing or a subject (a name or a source noun)
    comma = before.rfind(",")
    subject = before[comma + 1:]
    if comma > 0 and len(re.findall(r"\w+", before[:comma])) >= 3 and len(re.findall(r"\w+", subject)) <= 6 \
            and len(re.findall(r"\w+", after)) <= 6 and ";" not in before[:comma] \
            and (not subject.strip() or is_subject(s0 + comma + 1, cue.start)):
        content = before[:comma].rstrip(" ,;")
        if content.endswith(("”", "»", '"')) and not re.search(r"[“«\"]", content[:-1]):
            content = content[:-1]  # a closing mark with no opening one inside: it encloses, it stays out
        return [(s0, s0 + len(content))]
    words = re.findall(r"\w+", after)
    if len(words) >= 5 and not re.match(r"\s*[,.;:]", after):
        return [_clause_end(text, cue.end, s1, p)]
    return []


def _clause_end(text: str, start: int, end: int, p: _Patterns) -> tuple[int, int]:
    """``(start, e)``: the reported clause from ``start`` up to a clause break before ``end``: "; ",
    ", but/pero ...", ", a claim ...", or "and/y" + another cue verb."""
    seg = text[start:end]
    m = p.clause_break.search(seg)
    return (start, start + m.start()) if m else (start, end)


def _nominal_claims(text: str, cues: list[CueSpan], p: _Patterns) -> list[tuple[int, int, str, int]]:
    """"..., a claim Azerbaijani officials rejected": the claim noun phrase is the content, the verb
    after it its cue."""
    out = []
    for ci, c in enumerate(cues):
        m = p.claim_noun.search(text, max(0, c.start - 60), c.start)
        if m:
            out.append((m.start(1), m.end(1), c.stance, ci))
    return out


def find_claims(text: str, sents, cues: list[CueSpan], mentions, p: _Patterns) -> list[Attribution]:
    """Attributed claims of quotations, nominal claims and clause patterns, with their source."""

    def is_subject(start: int, end: int) -> bool:  # a name or a source noun in text[start:end]
        return any(start <= m.start and m.end <= end and m.label in _NAME_LABELS for m in mentions) \
            or any(rx.search(text, start, end) for _, rx in p.source_nouns)

    found: list[tuple[int, int, str, int]] = []  # (start, end, stance, cue index)
    used = set()
    for rx in _QUOTES:
        for m in rx.finditer(text):
            q0, q1 = m.start(1), m.end(1)
            if len(re.findall(r"\w+", m.group(1))) < L.MIN_QUOTE_WORDS:
                continue
            hit = None
            for ci, c in enumerate(cues):
                gap_after = text[m.end():c.start] if c.start >= m.end() else None
                gap_before = text[c.end:m.start()] if c.end <= m.start() else None
                if gap_after is not None and re.fullmatch(r"[\s,.:;]*(?:\w+[\s,]+){0,2}", gap_after) and "\n" not in gap_after:
                    hit = ci
                    break
                if gap_before is not None and re.fullmatch(r"[\s,:]*", gap_before) and "\n" not in gap_before:
                    hit = ci
                    break
            if hit is not None:
                used.add(hit)
                found.append((q0, q1, cues[hit].stance, hit))
    for claim in _nominal_claims(text, cues, p):
        if claim[3] not in used:
            used.add(claim[3])
            found.append(claim)
    for ci, c in enumerate(cues):
        if ci in used:
            continue
        for content in _clause_content(text, c, sentence_of(sents, c.start), p, is_subject):
            if content[0] >= c.end:  # "que Rusia estaba «preocupada», informó Reuters": stop at ", informó"
                for other in cues:
                    if content[0] < other.start < content[1] and re.search(
                            r"(?:(?:[,;]|\s(?:and|y))\s*|,\s+(?:[\w'’.-]+\s+){1,5})$", text[content[0]:other.start]):
                        content = (content[0], other.start)
                        break
            s = content[0] + len(text[content[0]:content[1]]) - len(text[content[0]:content[1]].lstrip())
            e = content[0] + len(text[content[0]:content[1]].rstrip(" ,;:\n"))
            if re.search(r"\s(?:and|y)$", text[s:e]):
                e = s + len(re.sub(r"\s+(?:and|y)$", "", text[s:e]))
            if e > s:
                stance = c.stance
                if stance == "asserts" and content[0] >= c.end and p.promise.match(text, s, e):
                    stance = "promises"
                found.append((s, e, stance, ci))
    names = [m for m in mentions if m.label in _NAME_LABELS]
    out = []
    for start, end, stance, ci in found:
        c = cues[ci]
        s0, s1 = sentence_of(sents, c.start)
        s0, s1 = min(s0, start), max(s1, end)
        outside = [m for m in names if not (start <= m.start and m.end <= end)]
        source = _nearest(outside, c.start if c.start > end or c.start < start else c.end, s0, s1, _NAME_LABELS)
        if source is not None and start <= source.start < end:
            source = None
        out.append(Attribution(start, end, stance, ci, source))
    return out


def find_nominal_sources(text: str, sents, cues: list[CueSpan], names: list[Span], p: _Patterns) -> dict[int, Span]:
    """cue index -> a nominal source: the noun phrase headed by a source noun ("The Karabakh
    authorities said", "Un portavoz del CICR dijo", "según las autoridades locales") that is the cue's
    subject or, after "según"/"according to", its object. Only where no name alone is that phrase."""
    out = {}
    for ci, c in enumerate(cues):
        s0, s1 = sentence_of(sents, c.start)
        if p.according.search(text[c.start:c.end]):
            m = re.match(r"\s+([^,.;:\n]{3,80}?)(?=\s*[,.;:\n]|$)", text[c.end:s1])
            if m:
                np0, np1 = c.end + m.start(1), c.end + m.end(1)
                span = _nominal(text, np0, np1, names, p)
                if span:
                    out[ci] = span
            continue
        coordinated = _coordinated(text, s0, c.start, names)
        if coordinated:
            out[ci] = coordinated
            continue
        # the subject: from the start of the clause (sentence start, or after a comma/"and"/"y") to the cue
        before = text[s0:c.start]
        cut = max((m.end() for m in re.finditer(
            r"(?:[,;:]\s+|\s(?=and|y|while|mientras|but|pero))(?:(?:and|y|while|mientras|but|pero)\s+)?", before)),
            default=0)
        np0, np1 = s0 + cut, c.start
        claim = p.claim_noun_head.match(text, np0, np1)  # "a claim Azerbaijani officials rejected"
        if claim:
            np0 = claim.end()
        while np1 > np0 and text[np1 - 1].isspace():
            np1 -= 1
        if np1 - np0 > 80 or np1 <= np0:
            continue
        span = _nominal(text, np0, np1, names, p)
        if span:
            out[ci] = span
    return out


def _coordinated(text: str, start: int, end: int, names: list[Span]) -> Span | None:
    """Coordinated names right before a cue ("France, Russia and the U.S., urged", "Washington y la Unión
    Europea instaron"): one nominal source from the first conjunct to the last (guidelines §5.3, v3),
    GPE when all are places, PER when all are persons, else ORG."""
    chain: list[Span] = []
    pos = end
    gap = re.compile(r"\s*,?\s*\Z")
    for s in sorted((s for s in names if start <= s.start and s.end <= end), key=lambda s: -s.start):
        between = text[s.end:pos]
        if not chain and gap.fullmatch(between) or chain and re.fullmatch(
                r"(?:,\s+|\s+(?:and|y|e)\s+)(?:(?:the|el|la|los|las)\s+)?", between):
            chain.append(s)
            pos = s.start
            continue
        break
    if len(chain) < 2 or not re.search(r"\s(?:and|y|e)\s", text[chain[-1].start:chain[0].end]):
        return None
    labels = {s.label for s in chain}
    label = "GPE" if labels == {"GPE"} else "PER" if labels == {"PER"} else "ORG"
    return Span(chain[-1].start, chain[0].end, label, nominal=True)


def _nominal(text: str, start: int, end: int, names: list[Span], p: _Patterns) -> Span | None:
    """A nominal mention for text[start:end] if a source noun heads it and no name covers it alone."""
    phrase = text[start:end]
    words = re.findall(r"[\w’'-]+", phrase)
    if not words or len(words) > 8:
        return None
    for label, rx in p.source_nouns:
        m = rx.search(phrase)
        if not m:
            continue
        if any(s.start <= start and end <= s.end for s in names) \
                or any(s.start <= start + m.start() and start + m.end() <= s.end for s in names):
            return None  # the head is in a name ("El Ministerio de Defensa de Azerbaiyán"): the name is the source
        # English: the head is the last noun ("The Karabakh authorities"); Spanish: the phrase goes on
        # only with de/del complements and adjectives ("Un portavoz del CICR", "medios oficiales de Bakú")
        if p.lang == "en" and m.end() != len(phrase.rstrip()):
            continue
        if re.search(r"\s(?:that|which|who|que|quien|quienes)\s", phrase):
            continue
        return Span(start, end, label, nominal=True)
    return None


def _only_figures(text: str, row: ClaimRow, figures: list[ClaimRow]) -> bool:
    """True when the figures' claims inside ``row`` cover its content but for function words."""
    inside = [f for f in figures if row.start <= f.start and f.end <= row.end]
    if not inside:
        return False
    rest = list(text[row.start:row.end])
    for f in inside:
        rest[f.start - row.start:f.end - row.start] = " " * (f.end - f.start)
    words = re.findall(r"\w+", "".join(rest))
    return len(words) <= 3 + len(inside)


def _counted(text: str, fig: Figure, sent: tuple[int, int], figures: list[Figure], p: _Patterns):
    """What a figure counts: its unit, else the nearest counted word after it (up to the next figure,
    six words), else before it (four words); killed/injured/evacuated beat population nearby."""
    if fig.unit_counted:
        return fig.unit_counted, fig.end
    nxt = min([f.start for f in figures if f.start >= fig.end] + [sent[1]])
    after = text[fig.end:nxt]
    limit = fig.end + sum(len(x) for x in re.findall(r"\W*\w+", after)[:6])
    prev = max([f.end for f in figures if f.end <= fig.start] + [sent[0]])
    words_before = re.findall(r"\w+\W*$|\w+\W*", text[prev:fig.start])[-4:]
    lo = fig.start - sum(len(x) for x in words_before)
    found = []
    for c, rx in p.counted:
        for m in rx.finditer(text, fig.end, min(limit, nxt)):
            found.append((m.start() - fig.end, c, m.end()))
        for m in rx.finditer(text, max(lo, prev), fig.start):
            found.append((fig.start - m.end() + 1000, c, m.start()))
    if not found:
        return None
    found.sort()
    best = found[0]
    if best[1] == "population":
        near_event = [f for f in found if f[1] in L.EVENT_COUNTED and (f[0] < 30 or 1000 <= f[0] < 1030)]
        if near_event:
            best = near_event[0]
    return best[1], best[2]


# ---------------------------------------------------------------------------------------------


class RulesSystem:
    """Transparent rules for all layers (entities, events, cues, claims, numeric values)."""

    name = "rules"
    languages = ("es", "en")

    def __init__(self) -> None:
        self.notes: Counter = Counter()
        self._patterns = {lang: compile_patterns(lang) for lang in self.languages}

    def predict(self, doc: Document) -> Document:
        check_language(self, doc)
        b = DocumentBuilder(doc)
        text, p = b.text, self._patterns[doc.language]
        tokens, sents = tokenize(text), sentences(text)
        dates = find_dates(text, p)
        numbers, figures = find_numbers(text, p, dates)
        values = _resolve(sorted(dates + numbers, key=lambda s: (s.start, -(s.end - s.start))))
        names = find_names(text, tokens, p, values)
        spans = _resolve(values + names)
        mentions = [m for m in (b.mention(s.start, s.end, s.label) for s in spans) if m is not None]

        triggers = find_triggers(text, p, [s for s in spans if s.label in ("ORG", "GPE", "FAC", "LOC")])
        for t in triggers:
            self._event(b, text, tokens, sents, t, mentions, p)

        name_mentions = [m for m in mentions if m.label in _NAME_LABELS]
        cues = find_cues(text, p, triggers, name_mentions)
        cue_ids = [b.cue(c.start, c.end).id for c in cues]
        nominal = find_nominal_sources(text, sents, cues, [s for s in spans if s.label in _NAME_LABELS], p)
        rows: list[ClaimRow] = []
        nominal_ids: dict[Span, str | None] = {}  # one nominal mention per span, whatever claims it sources
        for a in find_claims(text, sents, cues, mentions, p):
            s = b.span(a.start, a.end, " \t\n\r\u00a0,;:.")
            if not s:
                continue
            source = a.source.id if a.source else None
            n = nominal.get(a.cue)
            if n is not None and not (s[0] <= n.start and n.end <= s[1]):
                if n not in nominal_ids:
                    m = b.nominal(n.start, n.end, n.label)
                    nominal_ids[n] = m.id if m else None
                source = nominal_ids[n] or source
            rows.append(ClaimRow(s[0], s[1], a.stance, source, cue_ids[a.cue], None))
        for fig in figures:
            found = _counted(text, fig, sentence_of(sents, fig.start), figures, p)
            if found is None:
                self.notes["figures without a counted word (no numeric claim)"] += 1
                continue
            counted, edge = found
            start, end = min(fig.start, edge), max(fig.end, edge)
            if edge < fig.start and not p.partitive.search(text, edge, fig.start):
                start = fig.start  # "cifraron los muertos en al menos 170": the figure's own phrase
            verb = re.compile(rf"(?:\s+(?:{_alt(L.AUXILIARIES[p.lang])}))*\s+", _I)
            for t in triggers:  # "más de 100.000 desplazados habían cruzado": subject + verb (guidelines §5.6)
                if t.label in ("DIE", "INJURE", "EVACUATE") and t.start >= end and verb.fullmatch(text, end, t.start):
                    end = t.end
                    break
            if counted == "duration":  # "six weeks of war", "dos días de choques": the measured event
                for t in triggers:
                    if t.start > end and re.fullmatch(r"\s+(?:of|de)\s+(?:\w+\s+)?", text[end:t.start]):
                        end = t.end
                        break
            outer = sorted((r for r in rows if r.value is None and r.start <= start and end <= r.end),
                           key=lambda r: r.end - r.start)
            stance, source, cue = (outer[0].stance, outer[0].source, outer[0].cue) if outer else ("asserts", None, None)
            rows.append(ClaimRow(start, end, stance, source, cue, NumericValue(fig.low, fig.high, fig.hedge, counted)))
        # a covering claim whose content is only figures gives way to the per-figure claims (guidelines §5.6)
        figs = [r for r in rows if r.value is not None]
        rows = [r for r in rows if r.value is not None or not _only_figures(text, r, figs)]
        # one claim per content span (guidelines §5.3, §5.6): a figure's own claim replaces an attributed
        # claim of the same span (it carries that claim's source and cue), else the first one found stays
        numeric_spans = {(r.start, r.end) for r in rows if r.value is not None}
        seen: set[tuple[int, int]] = set()
        unique = []
        for r in sorted(rows, key=lambda r: r.value is None):
            if (r.start, r.end) in seen or (r.value is None and (r.start, r.end) in numeric_spans):
                continue
            seen.add((r.start, r.end))
            unique.append(r)
        rows = sorted(unique, key=lambda r: (r.start, -r.end, r.value is not None))
        ids = [f"c{i + 1}" for i in range(len(rows))]
        for i, r in enumerate(rows):
            parent = None
            if r.value is None:  # nested attribution: smallest other attributed claim containing this one
                outer = [j for j, o in enumerate(rows) if j != i and o.value is None and o.start <= r.start
                         and r.end <= o.end and (o.start, o.end) != (r.start, r.end)]
                if outer:
                    parent = ids[min(outer, key=lambda j: rows[j].end - rows[j].start)]
            b.claim(r.start, r.end, stance=r.stance, source=r.source, cue=r.cue, parent=parent, value=r.value)
        return b.build()

    @staticmethod
    def _event(b: DocumentBuilder, text: str, tokens, sents, t: Trigger, mentions, p: _Patterns) -> None:
        """One event for trigger ``t``: Count, Place and Time from its sentence, polarity and realis."""
        sent = sentence_of(sents, t.start)
        roles = EVENT_TYPES[t.label][0]
        args = []
        if "Count" in roles:
            after = _nearest(mentions, t.end, t.end, sent[1], {"QUANTITY"}, max_dist=20)
            before = _nearest(mentions, t.start, sent[0], sent[1], {"QUANTITY"}, before_only=True, max_dist=50)
            # "evacuate about 7,000": a transitive trigger's count follows it; otherwise it precedes
            q = (after or before) if t.label == "EVACUATE" else (before or after)
            if q is not None:
                args.append(("Count", q.id))
        places = {"GPE", "LOC", "FAC"}
        taken = set()
        for role, rx in (("Origin", p.origin), ("Destination", p.destination), ("Target", p.target)):
            if role in roles:  # "fled from X", "streamed toward Armenia", "bombardeos sobre Stepanakert"
                m = next((m for m in mentions if m.label in places and t.end <= m.start <= sent[1]
                          and m.id not in taken and rx.search(text, max(t.end, m.start - 12), m.start)
                          and m.start - t.end < 80), None)
                if m is not None:
                    args.append((role, m.id))
                    taken.add(m.id)
        if "Attacker" in roles:  # "Azerbaijan's lightning offensive", "Baku launched an assault"
            a = _nearest(mentions, t.start, sent[0], t.start, {"GPE", "ORG"}, before_only=True, max_dist=40)
            if a is not None and not re.search(r"[,;:()]", text[a.end:t.start]) and _words(text[a.end:t.start]) <= 4:
                args.append(("Attacker", a.id))
                taken.add(a.id)
        if "Place" in roles:
            g = _nearest([m for m in mentions if m.id not in taken], t.start, sent[0], sent[1], {"GPE"})
            if g is not None:
                args.append(("Place", g.id))
        d = _nearest(mentions, t.start, sent[0], sent[1], {"DATE", "TIME"})
        if d is not None:
            args.append(("Time", d.id))
        polarity, realis = _attributes(text, tokens, t, sent, p)
        b.event(t.start, t.end, t.label, args, polarity=polarity, realis=realis)
