from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from nkbench.annotation.agreement import agreement, kappa
from nkbench.cli import main
from nkbench.core.model import Argument, Claim, Cue, Document, Event, Mention, NumericValue

TEXT = "Putin y Aliyev dijeron que murieron 200 personas en Moscú."


def _doc(mentions, events=(), cues=(), claims=()):
    return Document("d1", "es", TEXT, tuple(mentions), tuple(events), tuple(cues), tuple(claims))


def _m(i, word, label, entity_id=None, occurrence=0):
    s = TEXT.index(word)
    return Mention(i, s, s + len(word), word, label, entity_id)


def test_hand_computed_case():
    # A: Putin PER, Aliyev PER, Moscú GPE, 200 QUANTITY; B: Putin PER, "Aliyev dijeron" PER (overlap), Moscú LOC
    a = _doc([_m("m1", "Putin", "PER", "vladimir_putin"), _m("m2", "Aliyev", "PER"), _m("m3", "Moscú", "GPE"), _m("m4", "200", "QUANTITY")],
             [Event("e1", TEXT.index("murieron"), TEXT.index("murieron") + 8, "murieron", "DIE", (Argument("Count", "m4"),))],
             [Cue("c1", TEXT.index("dijeron"), TEXT.index("dijeron") + 7, "dijeron")],
             [Claim("k1", TEXT.index("murieron"), TEXT.index(" en Moscú"), "murieron 200 personas", "asserts", "m1", "c1",
                    value=NumericValue(200, 200, "exact", "killed"))])
    b = _doc([_m("n1", "Putin", "PER", "vladimir_putin"), _m("n2", "Aliyev dijeron", "PER"), _m("n3", "Moscú", "LOC"), _m("n4", "200", "QUANTITY")],
             [Event("f1", TEXT.index("murieron"), TEXT.index("murieron") + 8, "murieron", "DIE", (Argument("Count", "n4"),), "positive", "other")],
             [Cue("d1", TEXT.index("dijeron"), TEXT.index("dijeron") + 7, "dijeron")],
             [Claim("l1", TEXT.index("murieron"), TEXT.index(" en Moscú"), "murieron 200 personas", "asserts", "n2", "d1",
                    value=NumericValue(200, None, "at_least", "killed"))])
    r = agreement([a], [b])
    ent = r["spans"]["entities"]["all"]
    assert ent["strict_f1"] == 2 * 2 / 8  # Putin, 200
    assert ent["overlap_f1"] == 2 * 3 / 8  # + Aliyev/"Aliyev dijeron" (same type, overlapping); Moscú differs in type
    assert r["spans"]["triggers"]["all"]["strict_f1"] == 1.0
    assert r["matched"]["arguments_f1"]["f1"] == 1.0
    assert r["matched"]["claim_source"] == {"n": 1, "agreement": 0.0}  # Putin vs "Aliyev dijeron"
    assert r["matched"]["claim_cue"]["agreement"] == 1.0
    assert r["matched"]["numeric_value"]["agreement"] == 0.0
    assert r["matched"]["canonical_id"] == {"n": 1, "agreement": 1.0}
    assert r["kappa"]["realis"]["kappa"] is None  # one pair: undefined, not 0 or 1
    assert r["kappa"]["entity type"]["n"] == 3  # Putin, Moscú, 200 matched by offsets


def test_kappa_undefined_and_defined():
    assert kappa([]) == {"n": 0, "kappa": None, "agreement": None}
    assert kappa([("a", "a"), ("a", "a")])["kappa"] is None
    assert abs(kappa([("a", "a"), ("b", "b"), ("a", "b"), ("b", "b")])["kappa"] - 0.5) < 1e-9


@settings(max_examples=60, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 6), st.sampled_from(["PER", "GPE"])), max_size=8),
       st.lists(st.tuples(st.integers(0, 50), st.integers(1, 6), st.sampled_from(["PER", "GPE"])), max_size=8))
def test_agreement_is_symmetric(xs, ys):
    def doc(spans):
        ms = [Mention(f"m{i}", s, s + n, TEXT[s:s + n], lab) for i, (s, n, lab) in enumerate(spans)]
        return _doc(ms)
    ra, rb = agreement([doc(xs)], [doc(ys)]), agreement([doc(ys)], [doc(xs)])
    assert ra["spans"]["entities"]["all"]["strict_f1"] == rb["spans"]["entities"]["all"]["strict_f1"]
    assert ra["spans"]["entities"]["all"]["overlap_f1"] == rb["spans"]["entities"]["all"]["overlap_f1"]


def test_cli_on_pass_folders_and_bad_input(tmp_path):
    ok = CliRunner().invoke(main, ["annotate", "agreement", "--pass", "tests/golden/passes/annotator-x",
                                   "--pass", "tests/golden/passes/annotator-x"])
    assert ok.exit_code != 0 and "exactly two passes, found 1" in ok.output and "Traceback" not in ok.output


SPANS = st.lists(st.tuples(st.integers(0, 50), st.integers(1, 6), st.sampled_from(["PER", "GPE"])), max_size=8,
                 unique_by=lambda t: t)


@settings(max_examples=80, derandomize=True, deadline=None)
@given(SPANS, SPANS, SPANS, SPANS)
def test_agreement_is_the_scorer_applied_to_two_passes(xs, ys, ex, ey):
    """Span agreement is pass B scored against pass A by ``nkbench score``'s own metrics: entities
    strict and type (overlap) schemes, events trigger_cls, claims claim_strict; the same F1, to the bit."""
    from nkbench.benchmark.scoring.harness import score

    def doc(spans, events):
        ms = [Mention(f"m{i}", s, s + n, TEXT[s:s + n], lab) for i, (s, n, lab) in enumerate(spans)]
        evs = [Event(f"e{i}", s, s + n, TEXT[s:s + n], {"PER": "DIE", "GPE": "ATTACK"}[lab]) for i, (s, n, lab) in enumerate(events)]
        cls = [Claim(f"k{i}", s, s + n, TEXT[s:s + n]) for i, (s, n) in enumerate(dict.fromkeys((s, n) for s, n, _ in events))]
        return _doc(ms, evs, (), cls)

    a, b = doc(xs, ex), doc(ys, ey)
    ours = agreement([a], [b])["spans"]
    rep = score([a], [b], resamples=0, by_document=False)["layers"]
    assert ours["entities"]["all"]["strict_f1"] == rep["entities"]["strict"]["micro"]["f1"]
    assert ours["entities"]["all"]["overlap_f1"] == rep["entities"]["type"]["micro"]["f1"]
    assert ours["triggers"]["all"]["strict_f1"] == rep["events"]["trigger_cls"]["micro"]["f1"]
    assert ours["claims"]["all"]["strict_f1"] == rep["claims"]["claim_strict"]["micro"]["f1"]
