import json

import pytest
from hypothesis import given, settings, strategies as st

from nkbench.core.errors import NkbenchErrors
from nkbench.core.model import (Argument, Claim, Cue, Document, Event, Mention, NumericValue, check_document,
                           document_from_dict, document_to_dict)

TEXT = "El Kremlin rechazó las denuncias de «limpieza étnica» en Nagorno\u00a0Karabaj 😀, dijo Peskov."


def _doc():
    t = TEXT
    k = t.index("Kremlin")
    nk = t.index("Nagorno")
    p = t.index("Peskov")
    r = t.index("rechazó")
    return Document(
        "d1", "es", t,
        mentions=(Mention("m1", k, k + 7, "Kremlin", "ORG", "kremlin"),
                  Mention("m2", nk, nk + 15, t[nk:nk + 15], "GPE", "nagorno_karabakh"),
                  Mention("m3", p, p + 6, "Peskov", "PER", "dmitry_peskov")),
        events=(Event("e1", t.index("limpieza"), t.index("limpieza") + 8, "limpieza", "ATTACK",
                      (Argument("Place", "m2"),), "positive", "other"),),
        cues=(Cue("c1", r, r + 7, "rechazó"),),
        claims=(Claim("k1", t.index("las denuncias"), t.index(" en Nagorno"), t[t.index("las denuncias"):t.index(" en Nagorno")],
                      "denies", "m1", "c1"),),
    )


def test_sound_document_has_no_problems_and_round_trips():
    doc = _doc()
    assert check_document(doc) == []
    again = document_from_dict(json.loads(json.dumps(document_to_dict(doc))))
    assert again == doc


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: {**d, "mentions": [{**d["mentions"][0], "end": 999}] + d["mentions"][1:]}, "out of range"),
    (lambda d: {**d, "mentions": [{**d["mentions"][0], "start": 9, "end": 3}] + d["mentions"][1:]}, "reversed"),
    (lambda d: {**d, "mentions": [{**d["mentions"][0], "label": "PERS"}] + d["mentions"][1:]}, "did you mean 'PER'"),
    (lambda d: {**d, "mentions": [{**d["mentions"][0], "text": "Kremlim"}] + d["mentions"][1:]}, "does not match"),
    (lambda d: {**d, "claims": [{**d["claims"][0], "source": "nope"}]}, "source 'nope'"),
    (lambda d: {**d, "claims": [{**d["claims"][0], "stance": "assert"}]}, "did you mean 'asserts'"),
    (lambda d: {**d, "events": [{**d["events"][0], "arguments": [{"role": "Victim", "mention": "m2"}]}]}, "not a role of ATTACK"),
    (lambda d: {**d, "cues": d["cues"] + [{**d["cues"][0]}]}, "duplicate id"),
    (lambda d: {**d, "claims": [{**d["claims"][0], "value": {"low": 5, "high": 2, "hedge": "exact", "counted": "killed"}}]}, "low 5 > high 2"),
])
def test_structural_problems_are_named(mutate, expected):
    d = mutate(document_to_dict(_doc()))
    problems = check_document(document_from_dict(d))
    assert any(expected in str(p) for p in problems), problems


@pytest.mark.parametrize("bad, expected", [
    ({"start": "3"}, "mentions[0].start: expected int, got str"),
    ({"start": True}, "mentions[0].start: expected int, got bool"),
    ({"label": None}, "mentions[0].label: expected str"),
])
def test_wrong_field_types_are_reported_with_their_path(bad, expected):
    d = document_to_dict(_doc())
    d["mentions"][0].update(bad)
    with pytest.raises(NkbenchErrors) as err:
        document_from_dict(d)
    assert expected in str(err.value)


def test_prediction_without_text_or_ids_gets_non_colliding_ids():
    pred = {"id": "d1", "mentions": [{"start": 0, "end": 2, "label": "PER"}, {"id": "mentions-0", "start": 3, "end": 4, "label": "ORG"}]}
    doc = document_from_dict(pred, require_text=False)
    assert len({m.id for m in doc.mentions}) == 2


@settings(max_examples=200, derandomize=True)
@given(st.text(min_size=1, max_size=40), st.data())
def test_offsets_are_code_points(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    doc = Document("d", "en", text, mentions=(Mention("m", start, end, text[start:end], "PER"),))
    assert check_document(doc) == []
    assert document_from_dict(json.loads(json.dumps(document_to_dict(doc), ensure_ascii=False))) == doc
