"""The rules and capitalised baselines: sound documents on the seeds, and the figures they find."""

from __future__ import annotations

import pytest

from nkbench.core.model import LAYERS, Document, check_document
from nkbench.annotation.seeds import load_seeds
from nkbench.benchmark.systems import SYSTEMS, get_system
from nkbench.benchmark.systems.text import parse_number
from tests.project import PROJECT

SEEDS = [Document(s.id, s.language, s.text) for s in load_seeds(PROJECT.seeds_dir).values() if s.split == "test"]
#: The development articles (the seeds of split "dev"), which the rules were tuned on.
DEV = [Document(s.id, s.language, s.text) for s in load_seeds(PROJECT.seeds_dir).values() if s.split == "dev"]


@pytest.mark.parametrize("name", ["rules", "capitalised"])
def test_seed_predictions_are_sound_and_exact(name):
    system = get_system(name)
    assert DEV
    for doc in SEEDS + DEV:
        pred = system.predict(doc)
        assert (pred.id, pred.language, pred.text) == (doc.id, doc.language, doc.text)
        assert check_document(pred) == []
        for layer in LAYERS:
            for x in getattr(pred, layer):
                assert x.text == doc.text[x.start:x.end] and x.text == x.text.strip()
        spans = sorted((m.start, m.end) for m in pred.mentions if not m.nominal)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "entity layer must be flat"
        assert all(m.label in {"PER", "ORG", "GPE", "NORP"} for m in pred.mentions if m.nominal)
        assert all(m.entity_id is None for m in pred.mentions)
    assert doc.mentions == ()  # input never mutated (frozen) and not filled in


def test_capitalised_is_entities_of_one_type_only():
    preds = [get_system("capitalised").predict(d) for d in SEEDS]
    assert {m.label for p in preds for m in p.mentions} == {"GPE"}
    assert all(p.events == p.cues == p.claims == () for p in preds)


def _values(lang: str, text: str):
    doc = get_system("rules").predict(Document("t", lang, text))
    assert check_document(doc) == []
    return {(c.value.hedge, c.value.low, c.value.high, c.value.counted) for c in doc.claims if c.value}


@pytest.mark.parametrize("lang,text,expected", [
    ("es", "Cerca de 200 personas murieron en la región.", ("approx", 200, 200, "killed")),
    ("es", "Más de 10.000 desplazados han cruzado la frontera.", ("more_than", 10000, None, "evacuated")),
    ("es", "Dijo que más de 10.000 refugiados han llegado.", ("more_than", 10000, None, "evacuated")),
    ("es", "El territorio está habitado por unas 120.000 personas.", ("approx", 120000, 120000, "population")),
    ("es", "Logró tomar casi un centenar de las posiciones enemigas.", ("almost", None, 100, "positions")),
    ("es", "Entre los muertos figuran cinco niños.", ("exact", 5, 5, "killed")),
    ("es", "Al menos un soldado murió en los combates.", ("at_least", 1, None, "killed")),
    ("es", "La reunión duró menos de 24 horas.", ("less_than", None, 24, "duration")),
    ("es", "Entre 10 y 20 civiles resultaron heridos.", ("range", 10, 20, "injured")),
    ("en", "Military clashes have left at least 34 dead in that region.", ("at_least", 34, None, "killed")),
    ("en", "They had to evacuate about 7,000 inhabitants.", ("approx", 7000, 7000, "evacuated")),
    ("en", "The city has 71,000 residents.", ("exact", 71000, 71000, "population")),
    ("en", "It is located 265 km west of the capital.", ("exact", 265, 265, "distance")),
    ("en", "The separatists reported more than 200 injuries.", ("more_than", 200, None, "injured")),
    ("en", "The side reported two civilian deaths.", ("exact", 2, 2, "killed")),
])
def test_numeric_values(lang, text, expected):
    assert expected in _values(lang, text)


def test_years_and_clock_times_are_not_figures():
    assert _values("en", "In the 2020 war, at 1:00 p.m. the fighting resumed.") == set()
    doc = get_system("rules").predict(Document("t", "es", "Estalló el 27 de septiembre de 2020 en la región."))
    assert [(m.text, m.label) for m in doc.mentions] == [("27 de septiembre de 2020", "DATE")]  # the article out (guidelines §2.2)


def test_claim_patterns_stance_source_and_nesting():
    text = ("El portavoz del Kremlin, Dmitry Peskov, dijo a los periodistas que Rusia estaba preocupada, "
            "informó Reuters. El Kremlin rechazó hoy las denuncias de limpieza étnica.")
    doc = get_system("rules").predict(Document("t", "es", text))
    ms = {m.id: m for m in doc.mentions}
    claims = {c.text: c for c in doc.claims}
    inner = claims["Rusia estaba preocupada"]
    assert ms[inner.source].text == "Dmitry Peskov" and ms[inner.source].label == "PER"
    outer = claims[text[:text.index(", informó")]]
    assert inner.parent == outer.id and ms[outer.source].text == "Reuters"
    denial = [c for c in doc.claims if c.stance == "denies"]
    assert len(denial) == 1 and denial[0].text.endswith("limpieza étnica")


def test_quotation_with_cue_and_scare_quotes():
    text = "“The civilian population is not an objective,” he said. Russia was “concerned”."
    doc = get_system("rules").predict(Document("t", "en", text))
    assert [c.text for c in doc.claims] == ["The civilian population is not an objective"]
    assert [q.text for q in doc.cues] == ["said"]


def test_event_attributes():
    doc = get_system("rules").predict(Document("t", "es", "Esas negociaciones se celebrarán el jueves. No hubo ataques."))
    ev = {e.text: e for e in doc.events}
    assert ev["negociaciones"].label == "MEET" and ev["negociaciones"].realis == "other"
    assert ev["ataques"].polarity == "negative" and ev["ataques"].realis == "actual"
    doc = get_system("rules").predict(Document("t", "en", "The talks will resume. At least 34 were killed in Stepanakert."))
    ev = {e.text: e for e in doc.events}
    assert ev["talks"].realis == "other"
    ms = {m.id: m.text for m in doc.mentions}
    assert {(a.role, ms[a.mention]) for a in ev["killed"].arguments} == {("Count", "At least 34"), ("Place", "Stepanakert")}


@pytest.mark.parametrize("digits,lang,value", [
    ("10.000", "es", 10000), ("120,000", "en", 120000), ("6.500", "es", 6500), ("3,5", "es", 3.5),
    ("3.5", "en", 3.5), ("1.2.3", "es", None), ("1,000.5", "en", None),
])
def test_parse_number(digits, lang, value):
    assert parse_number(digits, lang) == value


def test_registry_is_lazy_and_names_unknown_systems():
    import subprocess
    import sys

    # importing the registry must import neither spaCy nor any system module

    code = "import sys, nkbench.benchmark.systems; assert 'spacy' not in sys.modules and 'nkbench.benchmark.systems.rules' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=__file__.rsplit("/tests/", 1)[0])
    with pytest.raises(Exception, match="did you mean 'rules'"):
        get_system("rule")
    assert {"spacy", "spacy-en", "spacy-es", "rules", "capitalised"} <= set(SYSTEMS)
