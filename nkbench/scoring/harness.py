"""The scorer's entry points: ``score`` (one system) and ``compare`` (two systems), pure
functions over Documents. The CLI, the benchmark runner and inter-annotator agreement (one pass
as "gold", the other as "pred") all call these.

The report is a plain JSON-ready dict::

    {"documents": {"gold": n, "predicted": n, "missing": [ids]},
     "resampling": {"unit": "sentence", "units": n, "resamples": 1000, "seed": 0, "confidence": 0.95},
     "layers": {"entities": {"strict": {"micro": {...counts, precision, recall, f1, ci},
                                        "macro": {...}, "per_label": {...}, "per_language": {...},
                                        "per_document": {...}}, ...},
                "events": {...}, "claims": {..., "stance_report": {...}}}}

``micro.ci`` is the 95 % bootstrap interval of the headline figure (F1, or accuracy); each
``per_language`` entry has its own ``ci``, resampling only the units of that language's documents.
"""

from __future__ import annotations

import numpy as np

from ..errors import NkbenchError, did_you_mean
from ..model import Document
from .counts import Languages, Outcomes, summarise, tally
from .stats import bootstrap_ci, randomisation_test
from .units import UNIT_KINDS, build_units

LAYERS = ("entities", "events", "claims")


def align(gold: list[Document], pred: list[Document]) -> tuple[list[Document], list[str]]:
    """``pred`` in gold order (missing documents empty) and the missing ids. Unknown ids fail."""
    by_id = {d.id: d for d in pred}
    gold_ids = {d.id for d in gold}
    unknown = [d for d in by_id if d not in gold_ids]
    if unknown:
        raise NkbenchError(f"unknown document id {unknown[0]!r} (not in the gold)", hint=did_you_mean(unknown[0], gold_ids))
    return [by_id.get(g.id) or Document(g.id, g.language, None) for g in gold], [g.id for g in gold if g.id not in by_id]


def outcomes(gold: list[Document], pred: list[Document], layers=LAYERS, unit: str = "sentence") -> tuple[dict, dict, object]:
    """Per layer, per metric Outcomes (pred aligned to gold); extra layer data; the units."""
    if unit not in UNIT_KINDS:
        raise NkbenchError(f"unknown resampling unit {unit!r}", hint=f"one of {', '.join(UNIT_KINDS)}")
    for layer in layers:
        if layer not in LAYERS:
            raise NkbenchError(f"unknown layer {layer!r}", hint=did_you_mean(layer, LAYERS))
    units = build_units(gold, unit)
    scalar_unit = lambda doc, offset: int(units.of([doc], [offset])[0])  # noqa: E731
    out: dict[str, dict[str, Outcomes]] = {}
    extra: dict[str, dict] = {}
    if "entities" in layers:
        from .entities import entity_outcomes

        out["entities"] = entity_outcomes(gold, pred, units.of)
    if "events" in layers:
        from .events import event_outcomes

        out["events"] = event_outcomes(gold, pred, scalar_unit)
    if "claims" in layers:
        from .claims import claim_outcomes

        out["claims"], report = claim_outcomes(gold, pred, scalar_unit)
        extra["claims"] = {"stance_report": report}
    return out, extra, units


def _predicted(doc: Document, layer: str) -> int:
    """How many items of ``layer`` a predicted document has (entities: the non-nominal mentions)."""
    if layer == "entities":
        return sum(not m.nominal for m in doc.mentions)
    return len(doc.events) if layer == "events" else len(doc.claims)


def unit_counts(o: Outcomes, n_units: int) -> np.ndarray:
    """``(n_units, 5)`` counts of one metric."""
    return tally(o.category, o.unit, n_units)


def score(gold: list[Document], pred: list[Document], layers=LAYERS, *, unit: str = "sentence",
          resamples: int = 1000, seed: int = 0, by_document: bool = True) -> dict:
    """Score ``pred`` against ``gold`` (documents matched by id). See the module doc."""
    pred, missing = align(gold, pred)
    outs, extra, units = outcomes(gold, pred, layers, unit)
    ids, langs = [d.id for d in gold], Languages.of([d.language for d in gold])
    # the language of each unit: units are numbered document by document (units.first_of_doc)
    doc_of_unit = np.searchsorted(units.first_of_doc, np.arange(units.count), side="right") - 1
    unit_language = langs.of_doc[doc_of_unit] if len(gold) else np.zeros(0, np.int64)
    report = {
        "documents": {"gold": len(gold), "predicted": len(gold) - len(missing), "missing": missing},
        "resampling": {"unit": unit, "units": units.count, "resamples": resamples, "seed": seed, "confidence": 0.95,
                       "method": "percentile bootstrap over units; see nkbench/scoring/stats.py"},
        "layers": {},
    }
    not_predicted = [layer for layer in outs if not any(_predicted(d, layer) for d in pred)]
    if not_predicted:
        report["not_predicted"] = not_predicted
    for layer, metrics in outs.items():
        section = {}
        for name, o in metrics.items():
            s = summarise(o, ids, langs, by_document=by_document)
            counts = unit_counts(o, units.count)
            s["micro"]["ci"] = bootstrap_ci(counts, o.partial_credit, o.kind, resamples=resamples, seed=seed)
            for lang, fig in s["per_language"].items():
                fig["ci"] = bootstrap_ci(counts[unit_language == langs.names.index(lang)], o.partial_credit, o.kind,
                                         resamples=resamples, seed=seed)
            s["kind"] = o.kind
            section[name] = s
        section.update(extra.get(layer, {}))
        report["layers"][layer] = section
    return report


def compare(gold: list[Document], pred_a: list[Document], pred_b: list[Document], layers=LAYERS, *,
            unit: str = "sentence", resamples: int = 10000, seed: int = 0) -> dict:
    """Paired approximate randomisation test of every headline figure, B against A."""
    a, missing_a = align(gold, pred_a)
    b, missing_b = align(gold, pred_b)
    oa, _, units = outcomes(gold, a, layers, unit)
    ob, _, _ = outcomes(gold, b, layers, unit)
    result = {"documents": {"gold": len(gold), "missing_a": missing_a, "missing_b": missing_b},
              "test": {"method": "paired approximate randomisation, two-sided", "unit": unit, "units": units.count,
                       "resamples": resamples, "seed": seed},
              "layers": {}}
    for layer in oa:
        result["layers"][layer] = {
            name: {"kind": o.kind, **randomisation_test(unit_counts(o, units.count), unit_counts(ob[layer][name], units.count),
                                                        o.partial_credit, o.kind, resamples=resamples, seed=seed)}
            for name, o in oa[layer].items()}
    return result
