"""Outcomes and counts: one row per judged item, aggregated by any key with ``np.bincount``.

Every metric of every layer is reduced to the five SemEval-2013 categories: ``correct``,
``incorrect``, ``partial``, ``missed``, ``spurious``. A strict set-algebra metric has no
``incorrect``/``partial`` (tp = correct, fn = missed, fp = spurious); an accuracy over matched
items has only ``correct``/``incorrect``. From the counts:

    possible = correct + incorrect + partial + missed        (the gold side)
    actual   = correct + incorrect + partial + spurious      (the predicted side)
    credit   = correct (+ 0.5 * partial where partial credit applies)
    precision = credit / actual, recall = credit / possible, F1 = 2 * credit / (actual + possible)

A ratio whose denominator is 0 is None ("n/a"), never 0 or 1.

Attribution of rows to groups (types, documents, languages, resampling units): a matched pair
and a missed item count under the GOLD item's label/document/unit, a spurious item under the
PREDICTED item's. So per-type counts always add up to the overall counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CATEGORIES = ("correct", "incorrect", "partial", "missed", "spurious")
CORRECT, INCORRECT, PARTIAL, MISSED, SPURIOUS = range(5)


@dataclass(frozen=True, slots=True)
class Outcomes:
    """The judged items of one metric: parallel integer arrays, one row per item.

    ``label`` indexes ``labels``; ``doc`` indexes the scored documents; ``unit`` is the
    resampling unit (see ``units.py``). ``kind`` is "prf" (precision/recall/F1) or "accuracy".
    """

    category: np.ndarray
    doc: np.ndarray
    unit: np.ndarray
    label: np.ndarray
    labels: tuple[str, ...]
    partial_credit: bool = False
    kind: str = "prf"

    @staticmethod
    def concat(parts: list[Outcomes], labels: tuple[str, ...], partial_credit: bool = False, kind: str = "prf") -> Outcomes:
        """Concatenate outcome tables that already share ``labels``."""
        cat = lambda name: np.concatenate([getattr(p, name) for p in parts]) if parts else np.zeros(0, np.int64)  # noqa: E731
        return Outcomes(cat("category"), cat("doc"), cat("unit"), cat("label"), labels, partial_credit, kind)


def outcomes_from_rows(rows: list[tuple[int, int, int, str]], labels: tuple[str, ...] | None = None, *,
                       partial_credit: bool = False, kind: str = "prf") -> Outcomes:
    """Outcomes from Python rows ``(category, doc, unit, label)`` (the small layers use this)."""
    if labels is None:
        labels = tuple(sorted({r[3] for r in rows}))
    index = {lab: i for i, lab in enumerate(labels)}
    arr = np.array([(c, d, u, index[lab]) for c, d, u, lab in rows], dtype=np.int64).reshape(-1, 4)
    return Outcomes(arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3], labels, partial_credit, kind)


def tally(category: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Counts per group: an ``(n_groups, 5)`` integer array (columns = ``CATEGORIES``)."""
    flat = np.bincount(group * np.int64(5) + category, minlength=n_groups * 5)
    return flat[: n_groups * 5].reshape(n_groups, 5)


def credit_actual_possible(counts: np.ndarray, partial_credit: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised (credit, actual, possible) for an ``(..., 5)`` count array."""
    c, i, p, m, s = (counts[..., k] for k in range(5))
    credit = c + 0.5 * p if partial_credit else c.astype(float)
    return credit, c + i + p + s, c + i + p + m


def _ratio(num: float, den: float) -> float | None:
    return float(num) / float(den) if den else None


def figures(counts, partial_credit: bool = False, kind: str = "prf") -> dict:
    """The JSON figures of one count vector: every count, and the ratios (None when undefined)."""
    counts = np.asarray(counts)
    out = {name: int(counts[k]) for k, name in enumerate(CATEGORIES)}
    credit, actual, possible = (float(x) for x in credit_actual_possible(counts, partial_credit))
    if kind == "accuracy":
        total = out["correct"] + out["incorrect"]
        return {"correct": out["correct"], "incorrect": out["incorrect"], "total": total,
                "accuracy": _ratio(out["correct"], total)}
    out.update(possible=int(possible), actual=int(actual), precision=_ratio(credit, actual),
               recall=_ratio(credit, possible), f1=_ratio(2 * credit, actual + possible))
    return out


def headline(counts, partial_credit: bool = False, kind: str = "prf") -> float | None:
    """The one number of a metric: F1 (prf) or accuracy."""
    f = figures(counts, partial_credit, kind)
    return f["accuracy"] if kind == "accuracy" else f["f1"]


def macro(per_label: dict[str, dict], kind: str = "prf") -> dict:
    """Unweighted mean over labels of each defined ratio (labels where it is None are skipped)."""
    keys = ("accuracy",) if kind == "accuracy" else ("precision", "recall", "f1")
    out = {}
    for k in keys:
        vals = [f[k] for f in per_label.values() if f.get(k) is not None]
        out[k] = sum(vals) / len(vals) if vals else None
    out["labels"] = len(per_label)
    return out


@dataclass(frozen=True, slots=True)
class Languages:
    """The documents' languages, coded once for every metric: sorted names and per-document codes."""

    names: tuple[str, ...]
    of_doc: np.ndarray

    @staticmethod
    def of(doc_languages: list[str]) -> Languages:
        names = tuple(sorted(set(doc_languages)))
        code = {lang: i for i, lang in enumerate(names)}
        return Languages(names, np.fromiter(map(code.__getitem__, doc_languages), np.int64, len(doc_languages)))


def summarise(o: Outcomes, doc_ids: list[str], doc_languages: list[str] | Languages, *, by_document: bool = True) -> dict:
    """Overall (micro), macro, per label, per language and per document figures of one metric.

    ``doc_languages``: one language per document, or ``Languages.of`` them (computed once when
    several metrics are summarised)."""
    per_label_counts = tally(o.category, o.label, len(o.labels))
    per_label = {lab: per_label_counts[i] for i, lab in enumerate(o.labels)}
    return summarise_counts(per_label, tally(o.category, o.doc, len(doc_ids)), doc_ids, doc_languages,
                            o.partial_credit, o.kind, by_document=by_document)


def summarise_counts(per_label: dict[str, np.ndarray], per_doc: np.ndarray, doc_ids: list[str],
                     doc_languages: list[str] | Languages, partial_credit: bool = False, kind: str = "prf", *,
                     by_document: bool = True) -> dict:
    """``summarise`` from counts: ``per_label`` (label -> 5 counts, in report order; labels without
    a count are left out) and ``per_doc`` (an ``(n_docs, 5)`` array). Every item has a document, so
    the overall and per-language counts are sums of ``per_doc``."""
    fig = lambda c: figures(c, partial_credit, kind)  # noqa: E731
    per_doc = np.asarray(per_doc, np.int64).reshape(len(doc_ids), 5)
    overall = per_doc.sum(axis=0)
    labels = {lab: fig(c) for lab, c in per_label.items() if np.any(c)}
    languages = doc_languages if isinstance(doc_languages, Languages) else Languages.of(doc_languages)
    per_lang = np.zeros((len(languages.names), 5), np.int64)
    np.add.at(per_lang, languages.of_doc, per_doc)
    out = {"micro": fig(overall), "macro": macro(labels, kind), "per_label": labels,
           "per_language": {lang: fig(per_lang[i]) for i, lang in enumerate(languages.names)}}
    if by_document:
        out["per_document"] = {d: fig(per_doc[i]) for i, d in enumerate(doc_ids)}
    return out


def set_outcomes(gold: dict, pred: dict, labels: tuple[str, ...] | None = None, kind: str = "prf") -> Outcomes:
    """Strict set algebra (tp = pred & gold): ``gold``/``pred`` map a hashable key to the item's
    ``(doc, unit, label)``. Keys in both are correct (under the gold item's groups), gold-only keys
    missed, predicted-only keys spurious."""
    rows = [(CORRECT if k in pred else MISSED, *v) for k, v in gold.items()]
    rows += [(SPURIOUS, *v) for k, v in pred.items() if k not in gold]
    return outcomes_from_rows(rows, labels, kind=kind)


def accuracy_outcomes(rows: list[tuple[bool, int, int, str]], labels: tuple[str, ...] | None = None) -> Outcomes:
    """Accuracy rows ``(is_correct, doc, unit, label)`` -> Outcomes of kind "accuracy"."""
    return outcomes_from_rows([(CORRECT if ok else INCORRECT, d, u, lab) for ok, d, u, lab in rows], labels, kind="accuracy")
