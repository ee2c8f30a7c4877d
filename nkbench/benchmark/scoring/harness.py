"""The scorer's entry points: ``score`` (one system) and ``compare`` (two systems), pure
functions over Documents. The benchmark runner (``benchmark.leaderboard.analyse``) calls ``score``
(inter-annotator agreement, ``annotation.agreement``, uses only ``matching``'s one-to-one
assignment); ``nkbench score``/``compare`` call ``stream.score_file``/``compare_files``, which read a
predictions file in chunks and count it with ``score_stream``'s pieces (the same report as
``score``/``compare``, to the byte).

The report is a plain JSON-ready dict::

    {"documents": {"gold": n, "predicted": n, "missing": [ids]},
     "resampling": {"unit": "sentence", "units": n, "resamples": 1000, "seed": 0, "confidence": 0.95},
     "layers": {"entities": {"strict": {"micro": {...counts, precision, recall, f1, ci},
                                        "macro": {...}, "per_label": {...}, "per_language": {...},
                                        "per_document": {...}}, ...},
                "events": {...}, "claims": {..., "stance_report": {...}}}}

``micro.ci`` is the 95 % bootstrap interval of the headline figure (F1, or accuracy); each
``per_language`` entry has its own ``ci``, resampling only the units of that language's documents.

``score_stream`` (and ``compare_stream``) is ``score`` for predictions given one document at a time (e.g. a
``predictions.PredictionStream`` over a file): documents are gathered into batches of about
``BATCH_ITEMS`` spans, each batch is scored against its gold documents (the same vectorised code)
and reduced to counts per label, per document and per resampling unit (``Tally``), and dropped.
Its memory grows with the largest document (or the batch), the gold and the number of resampling
units, not with the predictions file; its report is ``score``'s, to the byte. Claims are the
exception: their cross-document links pair claims of any two documents, so the predicted claims
(with their cues and source mentions only) are kept until the end and scored at once.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ...core import schema
from ...core.errors import Errors, NkbenchError, did_you_mean
from ...core.model import Document
from .counts import Languages, Outcomes, summarise, summarise_counts, tally
from .stats import bootstrap_cis, randomisation_test
from .units import UNIT_KINDS, build_units

LAYERS = ("entities", "events", "claims")


def align(gold: list[Document], pred: list[Document]) -> tuple[list[Document], list[str]]:
    """``pred`` in gold order (missing documents empty) and the missing ids. Unknown ids fail."""
    by_id = {d.id: d for d in pred}
    gold_ids = {d.id for d in gold}
    unknown = [d for d in by_id if d not in gold_ids]
    if unknown:
        raise NkbenchError(f"unknown document id {unknown[0]!r} (not in the gold)", hint=did_you_mean(unknown[0], gold_ids), code=Errors.E530)
    return [by_id.get(g.id) or Document(g.id, g.language, None) for g in gold], [g.id for g in gold if g.id not in by_id]


def outcomes(gold: list[Document], pred: list[Document], layers=LAYERS, unit: str = "sentence") -> tuple[dict, dict, object]:
    """Per layer, per metric Outcomes (pred aligned to gold); extra layer data; the units."""
    if unit not in UNIT_KINDS:
        raise NkbenchError(f"unknown resampling unit {unit!r}", hint=f"one of {', '.join(UNIT_KINDS)}", code=Errors.E531)
    for layer in layers:
        if layer not in LAYERS:
            raise NkbenchError(f"unknown layer {layer!r}", hint=did_you_mean(layer, LAYERS), code=Errors.E532)
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


def _unit_language(units, langs: Languages, n_docs: int) -> np.ndarray:
    """The language (index into ``langs.names``) of each unit: units are numbered document by
    document (``units.first_of_doc``)."""
    doc_of_unit = np.searchsorted(units.first_of_doc, np.arange(units.count), side="right") - 1
    return langs.of_doc[doc_of_unit] if n_docs else np.zeros(0, np.int64)


def _cis(entries: list[tuple[dict, np.ndarray, bool, str]], unit_language: np.ndarray, langs: Languages,
         resamples: int, seed: int) -> None:
    """The bootstrap intervals of metrics' summaries (each ``(summary, unit_counts, partial_credit,
    kind)``): overall, and per language (only the units of that language's documents resampled).
    Each interval is ``bootstrap_ci``'s; the metrics resampling the same units share the draws."""
    cis = bootstrap_cis([(c, pc, kind) for _, c, pc, kind in entries], resamples=resamples, seed=seed)
    for (s, *_), ci in zip(entries, cis):
        s["micro"]["ci"] = ci
    for code, lang in enumerate(langs.names):
        mine = [e for e in entries if lang in e[0]["per_language"]]
        if not mine:
            continue
        keep = unit_language == code
        cis = bootstrap_cis([(c[keep], pc, kind) for _, c, pc, kind in mine], resamples=resamples, seed=seed)
        for (s, *_), ci in zip(mine, cis):
            s["per_language"][lang]["ci"] = ci


def unit_counts(o: Outcomes, n_units: int) -> np.ndarray:
    """``(n_units, 5)`` counts of one metric."""
    return tally(o.category, o.unit, n_units)


def _add_metric(section: dict, entries: list, name: str, summary: dict, unit_counts, partial_credit: bool,
                kind: str) -> None:
    """One metric's summary into its layer's section, and into ``entries`` for its bootstrap
    interval (``_cis``): the same for ``score`` and its streaming twin."""
    entries.append((summary, unit_counts, partial_credit, kind))
    summary["kind"] = kind
    section[name] = summary


def _report_head(n_gold: int, missing: list[str], unit: str, n_units: int, resamples: int, seed: int,
                 not_predicted: list[str]) -> dict:
    """The start of a report, shared by ``score`` and its streaming twin: documents, resampling,
    an empty ``layers`` and, when some layer has no prediction at all, ``not_predicted``."""
    report = {
        "documents": {"gold": n_gold, "predicted": n_gold - len(missing), "missing": missing},
        "resampling": {"unit": unit, "units": n_units, "resamples": resamples, "seed": seed, "confidence": 0.95,
                       "method": "percentile bootstrap over units; see nkbench/benchmark/scoring/stats.py"},
        "layers": {},
    }
    if not_predicted:
        report["not_predicted"] = not_predicted
    return report


def score(gold: list[Document], pred: list[Document], layers=LAYERS, *, unit: str = "sentence",
          resamples: int = 1000, seed: int = 0, by_document: bool = True) -> dict:
    """Score ``pred`` against ``gold`` (documents matched by id). See the module doc."""
    pred, missing = align(gold, pred)
    outs, extra, units = outcomes(gold, pred, layers, unit)
    ids, langs = [d.id for d in gold], Languages.of([d.language for d in gold])
    unit_language = _unit_language(units, langs, len(gold))
    report = _report_head(len(gold), missing, unit, units.count, resamples, seed,
                          [layer for layer in outs if not any(_predicted(d, layer) for d in pred)])
    entries = []
    for layer, metrics in outs.items():
        section = {}
        for name, o in metrics.items():
            _add_metric(section, entries, name, summarise(o, ids, langs, by_document=by_document),
                        unit_counts(o, units.count), o.partial_credit, o.kind)
        section.update(extra.get(layer, {}))
        report["layers"][layer] = section
    _cis(entries, unit_language, langs, resamples, seed)
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


#: Spans (gold + predicted, all layers) scored together in one batch of ``score_stream``.
BATCH_ITEMS = 250_000


class Tally:
    """The counts of one metric, added batch by batch: per label, per document and per resampling
    unit. All ``score`` needs of an ``Outcomes``. Counts are kept as the batches' sparse
    ``(key, count)`` parts (each document, hence each unit, is in one batch), so a Tally is small
    to send between processes (``merge``) and grows with the documents and units seen."""

    def __init__(self, n_docs: int, n_units: int, kind: str, partial_credit: bool) -> None:
        self.kind, self.partial_credit = kind, partial_credit
        self.n_docs, self.n_units = n_docs, n_units
        self.doc_parts: list[tuple[np.ndarray, np.ndarray]] = []  # (document * 5 + category, count)
        self.unit_parts: list[tuple[np.ndarray, np.ndarray]] = []  # (unit * 5 + category, count)
        self.per_label: dict[str, np.ndarray] = {}

    def add(self, o: Outcomes, doc_of: np.ndarray) -> None:
        """Add ``o``, whose ``doc`` indexes ``doc_of`` (global document indices) and whose units
        are global."""
        if not len(o.category):
            return
        cat = o.category.astype(np.int64)
        for parts, group in ((self.doc_parts, doc_of[o.doc]), (self.unit_parts, o.unit)):
            parts.append(np.unique(np.asarray(group, np.int64) * 5 + cat, return_counts=True))
        per_label = tally(cat, np.asarray(o.label, np.int64), len(o.labels))
        self._add_labels({o.labels[i]: per_label[i] for i in np.flatnonzero(per_label.any(axis=1)).tolist()})

    def _add_labels(self, per_label: dict[str, np.ndarray]) -> None:
        for lab, counts in per_label.items():
            if lab in self.per_label:
                self.per_label[lab] = self.per_label[lab] + counts
            else:
                self.per_label[lab] = counts.copy()

    def merge(self, other: Tally) -> None:
        """Add the counts of ``other`` (the same metric, other documents)."""
        self.doc_parts += other.doc_parts
        self.unit_parts += other.unit_parts
        self._add_labels(other.per_label)

    @staticmethod
    def _dense(parts, rows: int) -> np.ndarray:
        flat = np.zeros(rows * 5, np.int64)
        for keys, n in parts:
            flat[keys] += n
        return flat.reshape(rows, 5)

    def unit_counts(self) -> np.ndarray:
        return self._dense(self.unit_parts, self.n_units)

    def summary(self, ids: list[str], langs: Languages, by_document: bool, place) -> dict:
        """``summarise``'s figures; ``place(label)`` orders the labels as ``score`` lists them."""
        labels = {lab: self.per_label[lab] for lab in sorted(self.per_label, key=place)}
        return summarise_counts(labels, self._dense(self.doc_parts, self.n_docs), ids, langs, self.partial_credit,
                                self.kind, by_document=by_document)


def _size(d: Document) -> int:
    return len(d.mentions) + len(d.events) + len(d.cues) + len(d.claims) + sum(len(e.arguments) for e in d.events)


def _claims_only(d: Document) -> Document:
    """What claim scoring reads of a predicted document: its claims, cues and source mentions."""
    if not d.claims:
        return Document(d.id, d.language, None)
    sources = {c.source for c in d.claims}
    return Document(d.id, d.language, None, tuple(m for m in d.mentions if m.id in sources), (), d.cues, d.claims)


class _Batches:
    """Scores batches of (gold index, predicted document) into one Tally per layer and metric."""

    def __init__(self, gold: list[Document], layers, units) -> None:
        self.gold, self.layers, self.units = gold, layers, units
        self.tallies: dict[str, dict[str, Tally]] = {}
        self.claims: dict[int, Document] = {}
        self.known = {lab: (0, k) for k, lab in enumerate(schema.ENTITY_TYPES)}
        self.first_seen: dict[str, tuple] = {}  # unknown entity label -> where ``score`` first sees it
        self.predicted: set[str] = set()  # the layers some predicted document has an item of (``_predicted``)

    def merge(self, other: _Batches) -> None:
        """Add what ``other`` scored (other documents of the same gold, e.g. in another process)."""
        for layer, tallies in other.tallies.items():
            mine = self.tallies.setdefault(layer, {})
            for name, t in tallies.items():
                if name in mine:
                    mine[name].merge(t)
                else:
                    mine[name] = t
        self.claims.update(other.claims)
        self.predicted |= other.predicted
        for lab, key in other.first_seen.items():
            if key < self.first_seen.get(lab, (2,)):
                self.first_seen[lab] = key

    def __getstate__(self):  # what a worker process sends back: no gold, no units
        return {"tallies": self.tallies, "claims": self.claims, "first_seen": self.first_seen,
                "predicted": self.predicted}

    def __setstate__(self, state):
        self.__dict__.update(state, gold=None, layers=None, units=None,
                             known={lab: (0, k) for k, lab in enumerate(schema.ENTITY_TYPES)})

    def place(self, layer: str):
        """The order of a layer's labels in ``score``'s report: entity types in schema order, then
        unknown ones by first sight (gold documents first, each side in gold order: as
        ``entities.mention_table`` codes them); event and claim labels sorted."""
        if layer == "entities":
            return lambda lab: self.known.get(lab) or self.first_seen[lab]
        return lambda lab: (0, lab)

    def _see_labels(self, gi: list[int], gb: list[Document], pb: list[Document], labels: tuple[str, ...]) -> None:
        """Where each unknown entity label is first seen; ``labels``: the batch's (schema types,
        then any unknown ones)."""
        known, first = self.known, self.first_seen
        if len(labels) > len(known):  # rare (--unknown-labels spurious): a scan of the batch's mentions
            for s, side in enumerate((gb, pb)):
                for i, d in zip(gi, side):
                    for k, m in enumerate(d.mentions):
                        key = (1, s, i, k)
                        if m.label not in known and key < first.get(m.label, (2,)):
                            first[m.label] = key

    def _add(self, layer: str, metrics: dict[str, Outcomes], doc_of: np.ndarray) -> None:
        tallies = self.tallies.setdefault(layer, {})
        for name, o in metrics.items():
            if name not in tallies:
                tallies[name] = Tally(len(self.gold), self.units.count, o.kind, o.partial_credit)
            tallies[name].add(o, doc_of)

    def score(self, batch: list[tuple[int, Document]]) -> None:
        gi = [i for i, _ in batch]
        gb, pb = [self.gold[i] for i in gi], [d for _, d in batch]
        doc_of = np.array(gi, np.int64)
        units = self.units
        for layer in self.layers:
            if layer not in self.predicted and any(_predicted(d, layer) for d in pb):
                self.predicted.add(layer)
        if "entities" in self.layers:
            from .entities import entity_outcomes

            outs = entity_outcomes(gb, pb, lambda doc, offset: units.of(doc_of[np.asarray(doc, np.int64)], offset))
            self._see_labels(gi, gb, pb, next(iter(outs.values())).labels if outs else ())
            self._add("entities", outs, doc_of)
        if "events" in self.layers:
            from .events import event_outcomes

            outs = event_outcomes(gb, pb, lambda doc, offset: int(units.of([gi[doc]], [offset])[0]))
            self._add("events", outs, doc_of)
        if "claims" in self.layers:
            for i, d in batch:
                self.claims[i] = _claims_only(d)

    def finish(self) -> dict:
        """The claims (all documents at once); the extra layer data."""
        extra = {}
        if "claims" in self.layers:
            from .claims import claim_outcomes

            units = self.units
            pred = [self.claims.get(i) or Document(g.id, g.language, None) for i, g in enumerate(self.gold)]
            outs, report = claim_outcomes(self.gold, pred, lambda doc, offset: int(units.of([doc], [offset])[0]))
            self._add("claims", outs, np.arange(len(self.gold), dtype=np.int64))
            extra["claims"] = {"stance_report": report}
        return extra


def _prepare(gold: list[Document], layers, unit: str) -> tuple[list[str], object]:
    if unit not in UNIT_KINDS:
        raise NkbenchError(f"unknown resampling unit {unit!r}", hint=f"one of {', '.join(UNIT_KINDS)}", code=Errors.E533)
    for layer in layers:
        if layer not in LAYERS:
            raise NkbenchError(f"unknown layer {layer!r}", hint=did_you_mean(layer, LAYERS), code=Errors.E534)
    return [layer for layer in LAYERS if layer in layers], build_units(gold, unit)


def _complete(gold: list[Document], batches: _Batches, seen: np.ndarray, batch_items: int) -> tuple[list[str], dict]:
    """Score the missing documents (as empty ones) and the claims: the missing ids, the extra layer data."""
    missing = [g.id for g, s in zip(gold, seen) if not s]
    batch, size = [], 0
    for i in np.flatnonzero(~seen).tolist():
        batch.append((i, Document(gold[i].id, gold[i].language, None)))
        size += _size(gold[i])
        if size >= batch_items:
            batches.score(batch)
            batch, size = [], 0
    batches.score(batch)  # the last one (perhaps empty: every layer's metrics are listed anyway)
    return missing, batches.finish()


def _finish(gold: list[Document], batches: _Batches, seen: np.ndarray, *, batch_items: int, unit: str,
            resamples: int, seed: int, by_document: bool) -> dict:
    """``score``'s report from the counts of the predicted documents."""
    missing, extra = _complete(gold, batches, seen, batch_items)
    units = batches.units
    ids, langs = [d.id for d in gold], Languages.of([d.language for d in gold])
    unit_language = _unit_language(units, langs, len(gold))
    report = _report_head(len(gold), missing, unit, units.count, resamples, seed,
                          [layer for layer in batches.layers if layer not in batches.predicted])
    entries = []
    for layer in batches.layers:
        section = {}
        for name, t in batches.tallies.get(layer, {}).items():
            _add_metric(section, entries, name, t.summary(ids, langs, by_document, batches.place(layer)),
                        t.unit_counts(), t.partial_credit, t.kind)
        section.update(extra.get(layer, {}))
        report["layers"][layer] = section
    _cis(entries, unit_language, langs, resamples, seed)
    return report


def _compare_finish(gold: list[Document], a: tuple[_Batches, np.ndarray], b: tuple[_Batches, np.ndarray], *,
                    batch_items: int, unit: str, resamples: int, seed: int) -> dict:
    """``compare``'s result from the counts of two systems' predicted documents."""
    missing_a, _ = _complete(gold, *a, batch_items)
    missing_b, _ = _complete(gold, *b, batch_items)
    ta, tb = a[0].tallies, b[0].tallies
    result = {"documents": {"gold": len(gold), "missing_a": missing_a, "missing_b": missing_b},
              "test": {"method": "paired approximate randomisation, two-sided", "unit": unit, "units": a[0].units.count,
                       "resamples": resamples, "seed": seed},
              "layers": {}}
    for layer in a[0].layers:
        result["layers"][layer] = {
            name: {"kind": t.kind, **randomisation_test(t.unit_counts(), tb[layer][name].unit_counts(), t.partial_credit,
                                                        t.kind, resamples=resamples, seed=seed)}
            for name, t in ta.get(layer, {}).items()}
    return result


def tally_stream(gold: list[Document], pred: Iterable[Document], layers, units, batch_items: int = BATCH_ITEMS):
    """The counts of predictions given one document at a time: ``(_Batches, seen)``."""
    index = {d.id: i for i, d in enumerate(gold)}
    seen = np.zeros(len(gold), bool)
    batches = _Batches(gold, layers, units)
    batch: list[tuple[int, Document]] = []
    size = 0
    for d in pred:
        i = index.get(d.id)
        if i is None:
            raise NkbenchError(f"unknown document id {d.id!r} (not in the gold)", hint=did_you_mean(d.id, index), code=Errors.E535)
        if seen[i]:
            raise NkbenchError(f"document {d.id!r} given twice", code=Errors.E536)
        seen[i] = True
        batch.append((i, d))
        size += _size(d) + _size(gold[i])
        if size >= batch_items:
            batches.score(batch)
            batch, size = [], 0
    batches.score(batch)
    return batches, seen


def score_stream(gold: list[Document], pred: Iterable[Document], layers=LAYERS, *, unit: str = "sentence",
                 resamples: int = 1000, seed: int = 0, by_document: bool = True, batch_items: int = BATCH_ITEMS) -> dict:
    """``score`` with the predictions read one document at a time (see the module doc): the same
    report. A document id not in the gold, or given twice, is an error."""
    layers, units = _prepare(gold, layers, unit)
    batches, seen = tally_stream(gold, pred, layers, units, batch_items)
    return _finish(gold, batches, seen, batch_items=batch_items, unit=unit, resamples=resamples, seed=seed,
                   by_document=by_document)


def compare_stream(gold: list[Document], pred_a: Iterable[Document], pred_b: Iterable[Document], layers=LAYERS, *,
                   unit: str = "sentence", resamples: int = 10000, seed: int = 0, batch_items: int = BATCH_ITEMS) -> dict:
    """``compare`` with each system's predictions read one document at a time (A, then B): the same result."""
    layers, units = _prepare(gold, layers, unit)
    a = tally_stream(gold, pred_a, layers, units, batch_items)
    b = tally_stream(gold, pred_b, layers, units, batch_items)
    return _compare_finish(gold, a, b, batch_items=batch_items, unit=unit, resamples=resamples, seed=seed)
