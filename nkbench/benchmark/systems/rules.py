"""The ``rules`` baseline: transparent surface rules for every layer, Spanish and English.

Pipeline per document (each step a function; the lexicons are data in ``lexicons.py``):

1. ``find_dates``: DATE/TIME patterns (weekdays, months, years, clock times).
2. ``find_numbers``: hedge + number (+ unit) expressions -> QUANTITY mentions (period units -> DATE)
   with their normalised value.
3. ``find_names``: maximal capitalised runs, typed by title/keyword/suffix heuristics (no gazetteer);
   Spanish lower-case demonyms of names found in the same document -> NORP.
4. ``find_events``: trigger lexicons; arguments Count (nearest QUANTITY), Place (nearest GPE), Time
   (nearest DATE) in the sentence; polarity from negation, realis from modal/future markers.
5. ``find_cues`` and claims: quotations next to a cue, then clause patterns ("X dijo que ...",
   "..., según X", "X said that ..."); stance from the cue; source = nearest name to the cue.
6. Numeric claims: every number with a counted word nearby, inside or outside attributed claims.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ...core.model import Document, NumericValue
from ...core.schema import EVENT_TYPES
from . import lexicons as L
from .base import DocumentBuilder, check_language
from .text import Token, fold, parse_number, sentence_of, sentences, tokenize

_NUMBER_RE = r"\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?"


def _alt(words) -> str:
    """A regex alternation, longest first (so "más de" wins over "más")."""
    return "|".join(sorted(words, key=lambda w: (-len(w), w)))


def _wb(pattern: str) -> str:
    """Wrap a pattern in word boundaries that work with accented letters."""
    return rf"(?<![\w-])(?:{pattern})(?![\w-])"


@dataclass(frozen=True, slots=True)
class Span:
    """A candidate mention before it becomes a model Mention."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Figure:
    """A number expression: its span, the normalised value and the counted unit if it has one."""

    start: int
    end: int
    low: float | None
    high: float | None
    hedge: str
    unit_counted: str | None


@dataclass
class _Patterns:
    """Compiled patterns of one language (built once per system)."""

    lang: str
    dates: list[tuple[re.Pattern, str]] = field(default_factory=list)
    number: re.Pattern | None = None
    written: dict[str, float] = field(default_factory=dict)
    hedges: dict[str, str] = field(default_factory=dict)
    units: list[tuple[re.Pattern, str]] = field(default_factory=list)
    period: re.Pattern | None = None
    counted: list[tuple[str, re.Pattern]] = field(default_factory=list)
    titles: re.Pattern | None = None
    keywords: list[tuple[str, re.Pattern]] = field(default_factory=list)
    triggers: list[tuple[str, re.Pattern]] = field(default_factory=list)
    negation: re.Pattern | None = None
    modal: re.Pattern | None = None
    cues: list[tuple[str, re.Pattern]] = field(default_factory=list)
    according: re.Pattern | None = None


def compile_patterns(lang: str) -> _Patterns:
    """Every lexicon of ``lang`` as compiled regular expressions."""
    p = _Patterns(lang)
    I = re.IGNORECASE
    months, days = L.MONTHS[lang], L.WEEKDAYS[lang]
    det = L.DATE_DETERMINERS[lang]
    if lang == "es":
        date_forms = [
            rf"(?:(?:el|del)\s+)?\d{{1,2}}\s+de\s+(?:{months})(?:\s+de(?:l)?\s+\d{{4}})?",
            rf"(?:principios|mediados|finales)\s+de\s+(?:{months})(?:\s+de\s+\d{{4}})?",
            rf"(?:{months})\s+de(?:l)?\s+\d{{4}}",
            rf"(?:(?:{det})\s+)?(?:{days})",
            rf"(?:{months})",
        ]
    else:
        date_forms = [
            rf"(?:{months})\s+\d{{1,2}}(?:,\s+\d{{4}})?",
            rf"\d{{1,2}}\s+(?:{months})(?:\s+\d{{4}})?",
            rf"(?:{months})\s+\d{{4}}",
            rf"(?:(?i:{det})\s+)?(?:{days})",
            rf"(?i:{det})\s+(?:week|month|year)",
            rf"(?:{months})",
        ]
    date_forms += [r"(?:1[89]|20)\d\d\s*[-–]\s*(?:1[89]|20)\d\d", rf"(?i:{L.RELATIVE_DAYS[lang]})"]
    # English month and weekday names are matched case-sensitively ("May" the month, "may" the verb)
    p.dates = [(re.compile(_wb(f), I if lang == "es" else 0), "DATE") for f in date_forms]
    p.dates += [(re.compile(_wb(r"\d{1,2}:\d{2}(?:\s*[ap]\.\s?m\.)?(?:\s+GMT|\s+UTC)?"), I), "TIME"),
                (re.compile(_wb(L.TIME_WORDS[lang]), I), "TIME")]
    p.written = {**L.WRITTEN_NUMBERS[lang], **L.HEDGED_ONLY[lang]}
    p.hedges = dict(L.HEDGES[lang])
    number = rf"(?:{_NUMBER_RE}|{_alt(re.escape(w) for w in p.written)})"
    p.number = re.compile(
        _wb(rf"(?:(?P<hedge>{_alt(re.escape(h) for h in p.hedges)})\s+)?"
            rf"(?:(?P<range1>{_NUMBER_RE})\s*(?:-|–|\s(?:y|a|and|to)\s)\s*(?P<range2>{_NUMBER_RE})"
            rf"|(?:entre|between)\s+(?P<range3>{_NUMBER_RE})\s+(?:y|and)\s+(?P<range4>{_NUMBER_RE})"
            rf"|(?P<num>{number}))"), I)
    p.units = [(re.compile(rf"\s+(?:{u})(?![\w-])", I), c) for u, c in L.UNITS[lang].items()]
    p.period = re.compile(rf"\s+(?:{L.PERIOD_UNITS[lang]})(?![\w-])", I)
    p.counted = [(c, re.compile(_wb(pat), I)) for c, pat in L.COUNTED[lang].items()]
    p.titles = re.compile(_wb(L.TITLES[lang]), I)
    p.keywords = [(t, re.compile(_wb(pat), I)) for t, pat in L.TYPE_KEYWORDS.items()]
    p.triggers = [(t, re.compile(_wb(pat), I)) for t, pat in L.TRIGGERS[lang].items()]
    p.negation = re.compile(_wb(L.NEGATION[lang]), I)
    p.modal = re.compile(_wb(L.MODAL[lang]), I)
    p.cues = [(s, re.compile(_wb(pat), I)) for s, pat in L.CUES[lang].items()]
    p.according = re.compile(_wb(L.ACCORDING[lang]), I)
    return p


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


def find_dates(text: str, p: _Patterns) -> list[Span]:
    """DATE and TIME spans, longest match first among overlapping candidates."""
    cands = [Span(m.start(), m.end(), label) for rx, label in p.dates for m in rx.finditer(text)]
    if p.lang == "es":  # a bare month name is too ambiguous in Spanish ("mayo"); keep it only with "de"
        cands = [c for c in cands if not re.fullmatch(L.MONTHS["es"], text[c.start:c.end], re.I)]
    return _resolve(sorted(cands, key=lambda s: (-(s.end - s.start), s.start)))


def find_numbers(text: str, p: _Patterns, taken: list[Span]) -> tuple[list[Span], list[Figure]]:
    """QUANTITY/DATE spans for number expressions and the figures they state."""
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
            if (hedge_word is None and raw.isdigit() and len(raw) == 4 and 1800 <= value <= 2100):
                spans.append(Span(start, end, "DATE"))  # a year
                continue
            low, high = _bounds(value, hedge)
        label, counted = "QUANTITY", None
        for rx, c in p.units:
            u = rx.match(text, end)
            if u:
                end, counted = u.end(), c
                break
        else:
            u = p.period.match(text, end)
            if u:
                end, counted, label = u.end(), "duration", "DATE"
        spans.append(Span(start, end, label))
        figures.append(Figure(start, end, low, high, hedge, counted))
    return spans, figures


def _bounds(value: float, hedge: str) -> tuple[float | None, float | None]:
    """The stated bounds of a hedged figure: open side None (see schema.HEDGES)."""
    if hedge in ("at_least", "more_than"):
        return value, None
    if hedge in ("at_most", "less_than", "almost"):
        return None, value
    return value, value


def _sentence_initial(tokens: list[Token], i: int, text: str) -> bool:
    j = i - 1
    while j >= 0 and tokens[j].text in "“«\"'(¿¡—–-":
        j -= 1
    return j < 0 or tokens[j].text in ".!?:" or "\n" in text[tokens[j].end:tokens[i].start]


def find_names(text: str, tokens: list[Token], p: _Patterns, taken: list[Span]) -> list[Span]:
    """Capitalised runs (with inner connectors) typed by heuristics, plus Spanish demonyms."""
    lower_words = {t.lower for t in tokens if t.is_word and not t.is_capitalised}
    connectors = L.CONNECTORS[p.lang]
    runs: list[tuple[int, int]] = []  # token index ranges [i, j)
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
            nxt = tokens[j]
            gap = text[tokens[j - 1].end:nxt.start]
            if "\n" in gap or gap.strip():
                break
            if nxt.is_word and nxt.is_capitalised and not _overlaps(nxt.start, nxt.end, taken) \
                    and nxt.lower not in L.FUNCTION_WORDS:
                j += 1
                continue
            # a connector ("de", "of the") followed by another capitalised word continues the run
            k, words = j, []
            while k < len(tokens) and tokens[k].is_word and not tokens[k].is_capitalised and len(words) < 2:
                words.append(tokens[k].lower)
                k += 1
                if " ".join(words) in connectors and k < len(tokens) and tokens[k].is_capitalised \
                        and tokens[k].is_word and not text[tokens[k - 1].end:tokens[k].start].strip() \
                        and tokens[k].lower not in L.FUNCTION_WORDS and not _overlaps(tokens[k].start, tokens[k].end, taken):
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
    runs = [(i, j) for i, j in runs
            if j - i > 1 or not _sentence_initial(tokens, i, text) or tokens[i].text in inner_caps]
    spans = []
    for i, j in runs:
        start, end = tokens[i].start, tokens[j - 1].end
        # strip a leading title ("President of Azerbaijan" -> "Azerbaijan")
        tm = p.titles.match(text, start)
        if tm and tm.end() < end:
            rest = re.match(r"\s+(?:of the|of|del|de la|de)\s+", text[tm.end():end])
            if rest:
                start = tm.end() + rest.end()
        elif tm:
            continue  # the run is just a title
        spans.append(Span(start, end, _type_run(text, start, end, p)))
    spans = _people(text, spans, p)
    if p.lang == "es":
        spans += _demonyms_es(text, tokens, spans, taken)
    return sorted(spans, key=lambda s: (s.start, s.end))


def _type_run(text: str, start: int, end: int, p: _Patterns) -> str:
    run = text[start:end]
    for label, rx in p.keywords:
        if rx.search(run):
            return label
    if run.isupper() and len(run) >= 2 and " " not in run:
        return "ORG"  # acronyms: TASS, UE, OSCE
    if p.lang == "en" and " " not in run and re.search(rf"{L.NORP_SUFFIX_EN}$", run):
        return "NORP"
    return L.DEFAULT_TYPE


def _people(text: str, spans: list[Span], p: _Patterns) -> list[Span]:
    """Runs right after a title are persons; so are later mentions of a person's surname."""
    out, surnames = [], set()
    for s in spans:
        label = s.label
        if label == L.DEFAULT_TYPE:
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


def _demonyms_es(text: str, tokens: list[Token], names: list[Span], taken: list[Span]) -> list[Span]:
    """Lower-case words sharing a stem with a GPE/NORP name of the document ("armenios" ~ "Armenia")."""
    stems = set()
    for s in names:
        if s.label in ("GPE", "NORP"):
            for w in re.findall(r"[\w]+", text[s.start:s.end]):
                f = fold(w)
                if len(f) >= 5:
                    stems.add(f[: min(5, len(f) - 2)])
    out = []
    for t in tokens:
        if not t.is_word or t.is_capitalised or len(t.text) < 4 or _overlaps(t.start, t.end, taken):
            continue
        f = fold(t.text)
        for stem in stems:
            if f.startswith(stem) and re.fullmatch(rf"{stem}\w*?{fold(L.NORP_SUFFIX_ES)}", f) and len(f) - len(stem) <= 6:
                out.append(Span(t.start, t.end, "NORP"))
                break
    return out


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Trigger:
    start: int
    end: int
    label: str


def find_triggers(text: str, p: _Patterns) -> list[_Trigger]:
    cands = [_Trigger(m.start(), m.end(), label) for label, rx in p.triggers for m in rx.finditer(text)]
    cands.sort(key=lambda t: (-(t.end - t.start), t.start))
    chosen: list[_Trigger] = []
    for c in cands:
        if not any(c.start < o.end and o.start < c.end for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda t: (t.start, t.end))


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


def _attributes(text: str, tokens: list[Token], trig: _Trigger, sent: tuple[int, int], p: _Patterns):
    before = [t for t in tokens if sent[0] <= t.start and t.end <= trig.start and t.is_word][-3:]
    polarity = "negative" if any(p.negation.fullmatch(t.text) for t in before) else "positive"
    own = text[trig.start:trig.end]
    after = [t for t in tokens if t.start >= trig.end and t.end <= sent[1] and t.is_word][:2]
    # "will/would/celebrarán" just before or after the trigger ("las negociaciones se celebrarán")
    modal = any(p.modal.fullmatch(t.text) for t in before + after) or p.modal.fullmatch(own.split()[0])
    return polarity, ("other" if modal else "actual")


# ---------------------------------------------------------------------------------------------


_QUOTES = [re.compile(r"“([^“”\n]+)”"), re.compile(r"«([^«»\n]+)»"), re.compile(r'"([^"\n]+)"')]


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int
    end: int
    stance: str


def find_cues(text: str, p: _Patterns, triggers: list[_Trigger], names) -> list[_Cue]:
    """Reporting cues, not overlapping event triggers or names; adjacent cues merge ("Según informó")."""
    cands = sorted({(m.start(), m.end(), s) for s, rx in p.cues for m in rx.finditer(text)},
                   key=lambda c: (c[0], -c[1]))
    out: list[_Cue] = []
    for s, e, stance in cands:
        if any(s < t.end and t.start < e for t in triggers) or _overlaps(s, e, names):
            continue
        if out and s < out[-1].end:
            continue
        if out and not text[out[-1].end:s].strip() and "\n" not in text[out[-1].end:s]:
            prev = out.pop()
            stance = stance if stance != "asserts" else prev.stance
            out.append(_Cue(prev.start, e, stance))
            continue
        out.append(_Cue(s, e, stance))
    return out


def _clause_content(text: str, cue: _Cue, sent: tuple[int, int], p: _Patterns) -> tuple[int, int] | None:
    """The content a cue introduces by clause patterns, or None."""
    s0, s1 = sent
    cue_text = text[cue.start:cue.end]
    before = text[s0:cue.start]
    after = text[cue.end:s1]
    if p.according.search(cue_text):
        if re.search(r"[,;]\s*$", before) and before.strip(" ,;"):  # "..., según X."
            return s0, s0 + len(before.rstrip(" ,;"))
        comma = after.find(",")  # "Según X, ..."
        if comma >= 0 and after[comma + 1:].strip():
            return cue.end + comma + 1, s1
        return None
    that = re.match(rf"(?:\s+[\w]+){{0,4}}?\s+{L.THAT[p.lang]}\s+", after, re.I)
    if that and after[that.end():].strip():  # "X dijo (a los periodistas) que ..."
        return cue.end + that.end(), s1
    if re.search(r"[,;”»\"]\s*$", before) and len(re.findall(r"\w+", before)) >= 3:  # "..., dijo X."
        return s0, s0 + len(before.rstrip(" ,;"))
    words = re.findall(r"\w+", after)
    if len(words) >= 3 and not re.match(r"\s*[,.;:]", after):
        return cue.end, s1
    return None


def find_claims(text: str, sents, cues: list[_Cue], mentions, p: _Patterns):
    """(start, end, stance, cue_index, source_mention) for quotations and clause patterns."""
    claims, used = [], set()
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
                claims.append((q0, q1, cues[hit].stance, hit))
    for ci, c in enumerate(cues):
        if ci in used:
            continue
        content = _clause_content(text, c, sentence_of(sents, c.start), p)
        if content and content[0] >= c.end:  # "que Rusia estaba «preocupada», informó Reuters": stop at ", informó"
            for other in cues:
                if content[0] < other.start < content[1] and re.search(r"[,;]\s*$", text[content[0]:other.start]):
                    content = (content[0], other.start)
                    break
        if content:
            claims.append((content[0], content[1], c.stance, ci))
    out = []
    names = [m for m in mentions if m.label in ("PER", "ORG", "GPE", "NORP", "LOC", "FAC")]
    for start, end, stance, ci in claims:
        c = cues[ci]
        s0, s1 = sentence_of(sents, c.start)
        s0, s1 = min(s0, start), max(s1, end)
        outside = [m for m in names if not (start <= m.start and m.end <= end)]
        source = _nearest(outside, c.start if c.start > end or c.start < start else c.end, s0, s1,
                          {"PER", "ORG", "GPE", "NORP", "LOC", "FAC"})
        if source is not None and start <= source.start < end:
            source = None
        out.append((start, end, stance, ci, source))
    return out


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

        triggers = find_triggers(text, p)
        for t in triggers:
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
            if "Place" in roles:
                g = _nearest(mentions, t.start, sent[0], sent[1], {"GPE"})
                if g is not None:
                    args.append(("Place", g.id))
            d = _nearest(mentions, t.start, sent[0], sent[1], {"DATE"})
            if d is not None:
                args.append(("Time", d.id))
            polarity, realis = _attributes(text, tokens, t, sent, p)
            b.event(t.start, t.end, t.label, args, polarity, realis)

        cues = find_cues(text, p, triggers, [m for m in mentions if m.label not in ("DATE", "TIME", "QUANTITY")])
        cue_objs = [b.cue(c.start, c.end) for c in cues]
        attributed = find_claims(text, sents, cues, mentions, p)
        rows = []  # (start, end, stance, source_id, cue_id, value)
        for start, end, stance, ci, source in attributed:
            s = b.span(start, end, " \t\n\r\u00a0,;:.")
            if s:
                rows.append((s[0], s[1], stance, source.id if source else None, cue_objs[ci].id, None))
        for fig in figures:
            sent = sentence_of(sents, fig.start)
            found = _counted(text, fig, sent, figures, p)
            if found is None:
                self.notes["figures without a counted word (no numeric claim)"] += 1
                continue
            counted, edge = found
            start, end = min(fig.start, edge), max(fig.end, edge)
            outer = [r for r in rows if r[5] is None and r[0] <= start and end <= r[1]]
            outer.sort(key=lambda r: r[1] - r[0])
            stance, source, cue = (outer[0][2], outer[0][3], outer[0][4]) if outer else ("asserts", None, None)
            rows.append((start, end, stance, source, cue, NumericValue(fig.low, fig.high, fig.hedge, counted)))
        rows.sort(key=lambda r: (r[0], -r[1], r[5] is not None))
        ids = [f"c{i + 1}" for i in range(len(rows))]
        for i, (start, end, stance, source, cue, value) in enumerate(rows):
            parent = None
            if value is None:  # nested attribution: smallest other attributed claim containing this one
                outer = [j for j, r in enumerate(rows) if j != i and r[5] is None and r[0] <= start and end <= r[1]
                         and (r[0], r[1]) != (start, end)]
                if outer:
                    parent = ids[min(outer, key=lambda j: rows[j][1] - rows[j][0])]
            b.claim(start, end, stance=stance, source=source, cue=cue, parent=parent, value=value)
        return b.build()
