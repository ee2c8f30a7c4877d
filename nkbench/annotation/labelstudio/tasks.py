"""Label Studio tasks to import: from the seeds (optionally with predictions) and from gold.

Task data is ``{"text", "doc_id", "language"}`` with the verbatim seed text. Gold tasks carry one
annotation per pass (``completed_by`` = the annotator's name) and the adjudicated gold as the
annotation marked ``ground_truth``, so that gold can be reviewed in Label Studio and exported
back unchanged (``validate.read_export`` inverts ``gold_tasks``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from ...core.errors import NkbenchError, NkbenchErrors, did_you_mean
from ...core.model import Document, check_document
from .config import PROPOSE
from .convert import attach_text, document_to_results


def _data(seed) -> dict:
    return {"text": seed.text, "doc_id": seed.id, "language": seed.language}


def _check_against_seed(doc: Document, seeds: Mapping, where: str) -> list[NkbenchError]:
    """The document names a known seed, has its exact text and language, and is sound."""
    w = f"{where}: document {doc.id!r}"
    if doc.id not in seeds:
        return [NkbenchError(f"unknown doc_id {doc.id!r}", where=w, hint=did_you_mean(doc.id, seeds))]
    seed = seeds[doc.id]
    if doc.text is not None and doc.text != seed.text:
        return [NkbenchError("text differs from its seed", where=w, hint="seeds are never edited")]
    if doc.language and doc.language != seed.language:  # predictions may leave it out
        return [NkbenchError(f"language {doc.language!r} differs from the seed's {seed.language!r}", where=w)]
    return [NkbenchError(str(p), where=where) for p in check_document(_on_seed(doc, seed))]


def _on_seed(doc: Document, seed) -> Document:
    """``doc`` with the seed's text and language (span texts filled where missing)."""
    return replace(attach_text(doc, seed.text), language=seed.language)


def seed_tasks(seeds: Mapping, predictions: Sequence[Document] = (), *, model_version: str = "predictions",
               where: str = "predictions") -> list[dict]:
    """One import task per seed; ``predictions`` (text optional) become Label Studio predictions."""
    problems: list[NkbenchError] = []
    by_doc: dict[str, Document] = {}
    for doc in predictions:
        errs = _check_against_seed(doc, seeds, where)
        if doc.id in by_doc:
            errs.append(NkbenchError(f"document {doc.id!r} predicted twice", where=where))
        problems += errs
        by_doc[doc.id] = doc
    if problems:
        raise NkbenchErrors(problems, what=where)
    tasks = []
    for seed in seeds.values():
        task: dict = {"data": _data(seed)}
        if seed.id in by_doc:
            task["predictions"] = [{"model_version": model_version,
                                    "result": document_to_results(_on_seed(by_doc[seed.id], seed))}]
        tasks.append(task)
    return tasks


def as_proposals(results: list[dict], known: Mapping[str, Collection[str]]) -> list[dict]:
    """``results`` with every inventory id that is not in ``known`` (control name -> the ids of
    annotation/entities.json or links.json) written as the annotator wrote it in Label Studio: a
    proposal in the text area beside the list (``config.PROPOSE``), not a choice the list lacks.
    The converter reads both back as the same field."""
    out = []
    for r in results:
        name = r.get("from_name")
        choices = r.get("value", {}).get("choices")
        if name in PROPOSE and name in known and choices and choices[0] not in known[name]:
            value = {k: v for k, v in r["value"].items() if k != "choices"}
            r = {**r, "from_name": PROPOSE[name], "type": "textarea", "value": {**value, "text": list(choices)}}
        out.append(r)
    return out


def gold_tasks(gold: Sequence[Document], seeds: Mapping, passes: Mapping[str, Sequence[Document]] | None = None, *,
               gold_annotator: str = "adjudicator", where: str = "gold",
               known: Mapping[str, Collection[str]] | None = None) -> list[dict]:
    """Tasks with annotations: each pass's document (``completed_by`` = pass name), then gold
    (``ground_truth: true``). Every document must match its seed and be sound. With ``known``
    (the inventories' ids), an id a pass proposed that is not in them is a proposal (``as_proposals``)."""
    passes = dict(passes or {})
    problems: list[NkbenchError] = []
    if gold_annotator in passes:
        problems.append(NkbenchError(f"pass name {gold_annotator!r} is also the gold annotator's name", where=where,
                                     hint="rename the pass or pass --gold-annotator"))
    gold_ids = [d.id for d in gold]
    for d in gold:
        problems += _check_against_seed(d, seeds, where)
    for dup in sorted({i for i in gold_ids if gold_ids.count(i) > 1}):
        problems.append(NkbenchError(f"document {dup!r} appears twice", where=where))
    by_pass: dict[str, dict[str, Document]] = {}
    for name, docs in passes.items():
        pw = f"pass {name!r}"
        by_pass[name] = {}
        for d in docs:
            problems += _check_against_seed(d, seeds, pw)
            if d.id not in gold_ids:
                problems.append(NkbenchError(f"document {d.id!r} is not in the gold file", where=pw))
            if d.id in by_pass[name]:
                problems.append(NkbenchError(f"document {d.id!r} appears twice", where=pw))
            by_pass[name][d.id] = d
    if problems:
        raise NkbenchErrors(problems, what=where)
    tasks, ann_id = [], 0
    for t_id, doc in enumerate(gold, start=1):
        seed = seeds[doc.id]
        anns = []
        for who, d in [*((n, p[doc.id]) for n, p in by_pass.items() if doc.id in p), (gold_annotator, doc)]:
            ann_id += 1
            results = document_to_results(_on_seed(d, seed))
            anns.append({"id": ann_id, "completed_by": who, "result": as_proposals(results, known) if known else results,
                         "was_cancelled": False, "ground_truth": who == gold_annotator, "task": t_id})
        tasks.append({"id": t_id, "data": _data(seed), "annotations": anns, "predictions": []})
    return tasks
