import random

import pytest
from hypothesis import given, settings, strategies as st

from nkbench.bio import sentences, spans_to_tags, tags_to_spans, tokenize
from nkbench.errors import NkbenchError
from nkbench.seeds import load_seeds
from tests.project import PROJECT


def test_tokens_cover_every_non_space_character_of_the_seeds():
    for seed in load_seeds(PROJECT.seeds_dir).values():
        text = seed.text
        covered = [False] * len(text)
        for s, e in tokenize(text):
            assert text[s:e].strip() == text[s:e] != ""
            for k in range(s, e):
                covered[k] = True
        assert all(c or text[k].isspace() for k, c in enumerate(covered))


def test_numbers_and_hyphenated_names_stay_whole():
    text = "más de 10.000 personas, 120,000 Armenians, 1:00 p.m., Nagorno-Karabaj."
    toks = [text[s:e] for s, e in tokenize(text)]
    assert {"10.000", "120,000", "1:00", "Nagorno-Karabaj"} <= set(toks)


def test_protected_boundaries_split_tokens():
    text = "Russia’s army"
    toks = [text[s:e] for s, e in tokenize(text, protect=[(0, 4)])]
    assert toks[:2] == ["Russ", "ia"]


def test_sentences_trim_nbsp_lines_and_never_cut_protected_spans():
    text = "Uno dos. \n\u00a0\n\u00a0\nTres. Cuatro."
    assert [text[s:e] for s, e in sentences(text)] == ["Uno dos.", "Tres.", "Cuatro."]
    s = text.index("Tres")
    assert [text[a:b] for a, b in sentences(text, protect=[(s, s + 12)])][-1] == "Tres. Cuatro."


@pytest.mark.parametrize("scheme", ["IOB2", "IOBES"])
@settings(max_examples=300, derandomize=True)
@given(data=st.data())
def test_spans_tags_round_trip(scheme, data):
    n = data.draw(st.integers(1, 30))
    tokens = [(2 * i, 2 * i + 1) for i in range(n)]
    spans, i = [], 0
    while i < n:
        if data.draw(st.booleans()):
            j = data.draw(st.integers(i, min(n - 1, i + 3)))
            spans.append((tokens[i][0], tokens[j][1], data.draw(st.sampled_from(["PER", "ORG", "GPE"]))))
            i = j + 1
        else:
            i += 1
    tags = spans_to_tags(tokens, spans, scheme)
    assert tags_to_spans(tokens, tags, scheme) == spans


def test_misaligned_or_overlapping_spans_are_errors_not_reshaped():
    tokens = [(0, 5), (6, 10)]
    with pytest.raises(NkbenchError, match="token boundaries"):
        spans_to_tags(tokens, [(1, 5, "PER")])
    with pytest.raises(NkbenchError, match="overlaps"):
        spans_to_tags(tokens, [(0, 10, "ORG"), (6, 10, "PER")])


def test_strict_decoding_ignores_stray_inside_tags():
    tokens = [(i, i + 1) for i in range(4)]
    assert tags_to_spans(tokens, ["I-PER", "B-ORG", "I-ORG", "I-PER"]) == [(1, 3, "ORG")]
    assert tags_to_spans(tokens, ["B-PER", "I-PER", "O", "S-GPE"], "IOBES") == [(3, 4, "GPE")]
