from hypothesis import given, settings
from hypothesis import strategies as st

from nkbench.core import bio, schema
from nkbench.dataset.rows import claim_rows, context_of, ner_rows
from nkbench.core.model import Claim, Document, Mention
from nkbench.annotation.seeds import load_seeds
from tests.project import PROJECT

SEEDS = load_seeds(PROJECT.seeds_dir)
WORDS = {sid: [m.span() for m in bio.TOKEN_RE.finditer(s.text)] for sid, s in SEEDS.items()}


@st.composite
def documents(draw):
    """A seed with random non-overlapping mentions over whole words (some nominal) and claims."""
    sid = draw(st.sampled_from(sorted(SEEDS)))
    seed, words = SEEDS[sid], WORDS[sid]
    starts = sorted(draw(st.sets(st.integers(0, len(words) - 1), max_size=25)))
    mentions, i = [], 0
    for n, w in enumerate(starts):
        if w < i:
            continue
        j = min(w + draw(st.integers(0, 3)), len(words) - 1)
        s, e = words[w][0], words[j][1]
        mentions.append(Mention(f"m{n}", s, e, seed.text[s:e], draw(st.sampled_from(schema.ENTITY_TYPES)),
                                nominal=draw(st.booleans())))
        i = j + 1
    claims = []
    for n in range(draw(st.integers(0, 4))):
        a = draw(st.integers(0, len(words) - 1))
        b = min(a + draw(st.integers(0, 40)), len(words) - 1)
        s, e = words[a][0], words[b][1]
        claims.append(Claim(f"k{n}", s, e, seed.text[s:e]))
    return Document(sid, seed.language, seed.text, tuple(mentions), claims=tuple(claims))


@settings(derandomize=True, max_examples=60, deadline=None)
@given(documents())
def test_ner_rows_reproduce_the_named_mentions_and_the_text(doc):
    rows = ner_rows(doc)
    decoded = set()
    for r in rows:
        offsets = list(zip(r["token_starts"], r["token_ends"]))
        assert [doc.text[s:e] for s, e in offsets] == r["tokens"]
        decoded |= set(bio.tags_to_spans(offsets, r["ner_tags"]))
    assert decoded == {(m.start, m.end, m.label) for m in doc.mentions if not m.nominal}
    # every non-space character is in exactly one token
    chars = [i for r in rows for s, e in zip(r["token_starts"], r["token_ends"]) for i in range(s, e)]
    assert len(chars) == len(set(chars)) == sum(not c.isspace() for c in doc.text)


@settings(derandomize=True, max_examples=60, deadline=None)
@given(documents())
def test_claim_context_is_whole_sentences_around_the_claim(doc):
    sents = bio.sentences(doc.text, protect=[(m.start, m.end) for m in doc.mentions])
    bounds = {s for s, _ in sents} | {e for _, e in sents}
    for r in claim_rows(doc):
        assert r["context_start"] <= r["start"] < r["end"] <= r["context_end"]
        assert r["context_start"] in bounds and r["context_end"] in bounds
        assert doc.text[r["context_start"]:r["context_end"]] == r["context"]


def test_context_of_spans_sentences():
    sents = [(0, 10), (12, 20), (22, 30)]
    assert context_of(sents, 3, 5) == (0, 10)
    assert context_of(sents, 8, 14) == (0, 20)
    assert context_of(sents, 12, 30) == (12, 30)
    assert context_of(sents, 23, 24) == (22, 30)
