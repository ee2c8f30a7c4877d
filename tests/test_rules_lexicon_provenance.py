"""The ``rules`` baseline is tuned on the development set only (issue 15, item 2).

Every lexicon entry (``nkbench.benchmark.systems.lexicons.entries()``) and every structural pattern of the rules
system (``nkbench.benchmark.systems.rules.structural_patterns``) that matches text of a test article (the seeds of
the project manifest whose split is "test") must also match text of the development set (the seeds whose
split is "dev": synthetic articles written for tuning, annotation/dev-articles/README.md). An entry only the test articles would justify is a sign the
system was fitted to them: the test names it, with the test document and the text it matched.
"""

from __future__ import annotations

import re

import pytest

from nkbench.benchmark.systems import lexicons as L
from nkbench.benchmark.systems.rules import structural_patterns
from tests.project import PROJECT, seeds

DEV_DIR = PROJECT.seeds_dir  # the manifest says which seeds are development articles
TEST_DOCS = [s for s in seeds().values() if s.split == "test"]


def _dev_texts() -> dict[str, list[str]]:
    """language -> the development articles' texts (the seeds of split "dev", manifest order)."""
    out: dict[str, list[str]] = {}
    for s in seeds().values():
        if s.split == "dev":
            out.setdefault(s.language, []).append(s.text)
    return out


DEV = _dev_texts()


def _patterns(lang: str) -> list[tuple[str, re.Pattern, str | None]]:
    """(description, compiled pattern, its language or None for both) of everything the rules system
    matches in ``lang`` texts."""
    out = [(f"lexicons.{e.table}[{e.language or '*'}]{'[' + e.key + ']' if e.key else ''}: {e.pattern[:60]!r}",
            e.regex(), e.language) for e in L.entries() if e.language in (None, lang)]
    out += [(f"rules.structural_patterns({lang!r}): {name}", rx, lang) for name, rx in structural_patterns(lang)]
    return out


def only_in_test(text: str, patterns) -> list[str]:
    """Descriptions of the ``patterns`` that match ``text`` and no development article of their
    language (of either language for a pattern of both)."""
    bad = []
    for desc, rx, lang in patterns:
        dev = [t for lg, texts in DEV.items() if lang in (None, lg) for t in texts]
        m = rx.search(text)
        if m and not any(rx.search(d) for d in dev):
            bad.append(f"{desc} matches {m.group()!r} at {m.start()}")
    return bad


def test_the_development_set_is_there_and_is_not_the_test_set():
    assert set(DEV) == {"es", "en"}, f"{DEV_DIR}: development articles of both languages"
    test_texts = {d.text for d in TEST_DOCS}
    for lang, texts in DEV.items():
        assert texts and not test_texts & set(texts)
        for text in texts:  # no sentence of a test article in a development article
            for doc in TEST_DOCS:
                for s in re.split(r"(?<=[.!?])\s+", doc.text):
                    assert len(s) < 40 or s not in text, (doc.id, s)


@pytest.mark.parametrize("doc", TEST_DOCS, ids=lambda d: d.id)
def test_no_entry_matches_only_a_test_article(doc):
    bad = only_in_test(doc.text, _patterns(doc.language))
    assert not bad, (f"test article {doc.id}: {len(bad)} lexicon entries or patterns match it and nothing of "
                     f"the development set ({DEV_DIR}):\n  " + "\n  ".join(bad))


@pytest.mark.parametrize("doc", TEST_DOCS, ids=lambda d: d.id)
def test_the_check_fails_on_a_test_only_entry(doc):
    """The check above can fail: a word of this test article that no development article of its
    language has, made into an entry, is reported."""
    dev_words = {w.lower() for t in DEV[doc.language] for w in re.findall(r"\w+", t)}
    word = next(w for w in re.findall(r"\w{6,}", doc.text) if w.lower() not in dev_words)
    planted = [("planted", L.Entry("PLANTED", doc.language, None, re.escape(word), False).regex(), doc.language)]
    bad = only_in_test(doc.text, planted)
    assert len(bad) == 1 and bad[0].startswith(f"planted matches {word!r} at ")
    shared = next(w for w in re.findall(r"\w{6,}", doc.text) if w.lower() in dev_words)
    assert only_in_test(doc.text, [("shared", re.compile(re.escape(shared), re.I), doc.language)]) == []


def test_every_lexicon_table_is_walked():
    """A table added to lexicons.py without registering it would escape the check above."""
    scalars = {"DEFAULT_TYPE", "MIN_QUOTE_WORDS", "NORP_SUFFIX_EN", "NORP_SUFFIX_ES", "LANGUAGES", "EVENT_COUNTED",
               "CLOSED_CLASSES"}
    tables = {name for name in dir(L) if name.isupper() and not name.startswith("_")} - scalars
    walked = {e.table.split("_es")[0].split("_en")[0] for e in L.entries()} | {e.table for e in L.entries()}
    assert tables <= walked, sorted(tables - walked)
