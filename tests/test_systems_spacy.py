"""The spaCy baselines: every label each model can emit has a row in its mapping table."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkbench.core.model import Document, check_document
from nkbench.core.schema import ENTITY_TYPES
from nkbench.annotation.seeds import load_seeds
from nkbench.benchmark.systems import get_system
from nkbench.benchmark.systems.spacy_ner import LABEL_MAPS, MODELS, load_model
from tests.project import PROJECT

DOC = Path(__file__).resolve().parent.parent / "benchmark" / "systems.md"


@pytest.mark.parametrize("lang", sorted(MODELS))
def test_mapping_table_covers_every_model_label(lang):
    labels = set(load_model(lang).get_pipe("ner").labels)
    table = LABEL_MAPS[lang]
    assert labels - set(table) == set(), "labels the table does not list"
    assert {v for v in table.values() if v is not None} <= set(ENTITY_TYPES)
    documented = DOC.read_text(encoding="utf-8")
    for label in labels:  # the documentation lists each label with its mapping
        target = table[label] or "dropped"
        assert f"| {lang} | {label} | {target} |" in documented, (lang, label)


def test_seed_predictions_are_sound_and_unmapped_labels_are_counted():
    system = get_system("spacy")
    for s in load_seeds(PROJECT.seeds_dir).values():
        doc = Document(s.id, s.language, s.text)
        pred = system.predict(doc)
        assert check_document(pred) == []
        assert all(m.text == s.text[m.start:m.end] and m.entity_id is None for m in pred.mentions)
        assert pred.events == pred.cues == pred.claims == ()
    # Spanish MISC is dropped by design: it must show up in the notes, not vanish
    assert any("MISC" in k for k in system.notes)


def test_language_specific_names_refuse_other_languages():
    with pytest.raises(Exception, match="covers en"):
        get_system("spacy-en").predict(Document("d", "es", "Hola."))
