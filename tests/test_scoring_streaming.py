"""Streaming scoring (``harness.score_stream`` + ``predictions.PredictionStream``): the same
report as the whole-file path, a reader that reads a line only when asked, batches that are
dropped once counted. (Time and memory figures: ``benchmark/perf_stream.py``, not here.)"""

from __future__ import annotations

import json
import random
import weakref
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from nkbench.annotation.gold import load_gold
from nkbench.core import schema
from nkbench.core.errors import NkbenchErrors
from nkbench.core.io import iter_jsonl
from nkbench.core.model import Argument, Claim, Cue, Document, Event, Mention, NumericValue
from nkbench.benchmark.scoring.harness import score, score_stream
from nkbench.benchmark.scoring.predictions import PredictionStream, load_predictions

HERE = Path(__file__).parent / "golden" / "predictions"
WORDS = "Stepanakert Shusha said. Baku denied it! Lachin, Goris and Yerevan.\n"


def random_documents(rnd: random.Random, n_docs: int) -> tuple[list[Document], list[Document]]:
    """Gold documents (text, every layer) and predictions derived from them with noise: shifted
    and relabelled spans, unknown labels, spurious spans, missing documents, all layers."""
    types, etypes = list(schema.ENTITY_TYPES), list(schema.EVENT_TYPES)
    gold, pred = [], []

    def spans(n, width, k):
        out = set()
        for _ in range(k):
            s = rnd.randrange(width - 1)
            out.add((s, min(width, s + rnd.randint(1, 8))))
        return sorted(out)

    for i in range(n_docs):
        text = (WORDS * rnd.randint(1, 4))[: rnd.randint(20, 250)]
        n = len(text)
        gm = [Mention(f"m{k}", s, e, text[s:e], rnd.choice(types), rnd.choice([None, "E1", "E2"]), rnd.random() < 0.15)
              for k, (s, e) in enumerate(spans(n, n, rnd.randint(0, 12)))]
        ids = [m.id for m in gm]

        def event(k, s, e, label):
            roles = schema.EVENT_TYPES[label][0] if label in schema.EVENT_TYPES else ("Nobody",)
            args = tuple(Argument(r, rnd.choice(ids)) for r in rnd.sample(roles, min(len(roles), rnd.randint(0, 2)))) if ids else ()
            return Event(f"v{k}", s, e, text[s:e], label, args, rnd.choice(schema.POLARITY), rnd.choice(schema.REALIS))

        ge = [event(k, s, e, rnd.choice(etypes)) for k, (s, e) in enumerate(spans(n, n, rnd.randint(0, 3)))]
        cues = [Cue(f"c{k}", s, e, text[s:e]) for k, (s, e) in enumerate(spans(n, n, rnd.randint(0, 2)))]

        def claims(prefix):
            out = []
            for k, (s, e) in enumerate(spans(n, n, rnd.randint(0, 3))):
                value = None
                if rnd.random() < 0.4:
                    low = rnd.choice([None, 1, 2, 10, 0.5])
                    value = NumericValue(low, rnd.choice([low, None, 20]), rnd.choice(schema.HEDGES), rnd.choice(schema.COUNTED))
                out.append(Claim(f"{prefix}{k}", s, e, text[s:e], rnd.choice(schema.STANCES),
                                 rnd.choice([None, *ids[:3]]), rnd.choice([None, *[c.id for c in cues]]),
                                 f"{prefix}0" if k and rnd.random() < 0.3 else None, value, rnd.choice([None, "L1", "L2"])))
            return out

        lang = rnd.choice(["es", "en"])
        gold.append(Document(f"d{i}", lang, text, tuple(gm), tuple(ge), tuple(cues), tuple(claims("g"))))
        if rnd.random() < 0.2:
            continue  # a missing document
        pm = []
        for m in gm:
            r = rnd.random()
            if r < 0.6:
                pm.append(m)
            elif r < 0.75:
                s = max(0, m.start + rnd.choice([-1, 1]))
                pm.append(Mention(m.id, s, max(s + 1, m.end), "", m.label, m.entity_id, m.nominal))
            elif r < 0.9:
                pm.append(Mention(m.id, m.start, m.end, "", rnd.choice(types + ["WEAPON", "ANIMAL"]), rnd.choice([None, "E1"])))
        pm += [Mention(f"x{k}", s, e, "", rnd.choice(types + ["WEAPON"])) for k, (s, e) in enumerate(spans(n, n, rnd.randint(0, 4)))]
        pe = [e for e in ge if rnd.random() < 0.7] + [event(10 + k, s, e, rnd.choice(etypes + ["PARADE"]))
                                                       for k, (s, e) in enumerate(spans(n, n, rnd.randint(0, 2)))]
        pred.append(Document(f"d{i}", lang, None, tuple(pm), tuple(pe), tuple(cues), tuple(claims("p"))))
    rnd.shuffle(pred)  # file order is not gold order
    return gold, pred


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.randoms(use_true_random=False), st.integers(1, 9), st.sampled_from([1, 2, 17, 10 ** 9]),
       st.sampled_from(["sentence", "document"]))
def test_streaming_report_equals_the_whole_file_report(rnd, n_docs, batch_items, unit):
    gold, pred = random_documents(rnd, n_docs)
    whole = score(gold, pred, unit=unit, resamples=30, seed=3)
    streamed = score_stream(gold, iter(pred), unit=unit, resamples=30, seed=3, batch_items=batch_items)
    assert json.dumps(streamed) == json.dumps(whole)  # same figures, same key order
    for section in streamed["layers"].values():  # the per-language intervals are part of what is compared
        for metric in section.values():
            if isinstance(metric, dict) and "per_language" in metric:
                assert all("ci" in fig for fig in metric["per_language"].values())


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.randoms(use_true_random=False), st.integers(1, 6), st.sampled_from([1, 10 ** 9]),
       st.sets(st.sampled_from(["mentions", "events", "claims"])))
def test_streaming_reports_the_layers_not_predicted_like_score(rnd, n_docs, batch_items, dropped):
    """Predictions without any item of some layers: ``not_predicted`` (and every figure) as ``score``'s."""
    gold, pred = random_documents(rnd, n_docs)
    pred = [Document(d.id, d.language, None, () if "mentions" in dropped else d.mentions,
                     () if "events" in dropped else d.events, d.cues, () if "claims" in dropped else d.claims)
            for d in pred]
    whole = score(gold, pred, resamples=10, seed=1)
    assert json.dumps(score_stream(gold, iter(pred), resamples=10, seed=1, batch_items=batch_items)) == json.dumps(whole)
    if dropped == {"mentions", "events", "claims"}:
        assert whole["not_predicted"] == ["entities", "events", "claims"]


def test_streaming_equals_whole_file_on_the_golden_case_through_the_reader():
    gold = load_gold(HERE / "gold.jsonl")
    pred, missing = load_predictions(HERE / "predictions.jsonl", gold)
    stream = PredictionStream(HERE / "predictions.jsonl", gold)
    assert json.dumps(score_stream(gold, stream, batch_items=1)) == json.dumps(score(gold, pred))
    assert stream.missing == missing


def test_the_reader_reads_a_line_only_when_the_next_document_is_asked_for():
    gold = load_gold(HERE / "gold.jsonl")
    lines = list(iter_jsonl(HERE / "predictions.jsonl"))
    read = []

    def source():
        for item in lines[:1]:
            read.append(item[0])
            yield item
        raise AssertionError("read past the first line")

    it = iter(PredictionStream(HERE / "predictions.jsonl", gold, lines=source()))
    doc = next(it)
    assert doc.id == lines[0][1]["id"] and read == [lines[0][0]]


class _Weak(Document):
    __slots__ = ("__weakref__",)


def test_score_stream_drops_each_batch_once_counted():
    rnd = random.Random(5)
    gold, pred = random_documents(rnd, 40)
    alive: list[weakref.ref] = []
    most = 0

    def source():
        nonlocal most
        for d in pred:
            w = _Weak(d.id, d.language, None, d.mentions, d.events, d.cues, d.claims)
            most = max(most, sum(r() is not None for r in alive))
            alive.append(weakref.ref(w))
            yield w
            del w

    report = score_stream(gold, source(), batch_items=1)
    assert most <= 1  # with batches of one document, no earlier document is held when the next is read
    assert json.dumps(report) == json.dumps(score(gold, pred))


def test_score_stream_refuses_unknown_and_repeated_ids():
    gold = load_gold(HERE / "gold.jsonl")
    g = gold[0]
    with pytest.raises(Exception, match="given twice"):
        score_stream(gold, iter([Document(g.id, g.language, None)] * 2))
    with pytest.raises(Exception, match="not in the gold"):
        score_stream(gold, iter([Document(g.id + "x", g.language, None)]))


def test_the_stream_reports_every_problem_at_the_end_like_the_loader(tmp_path):
    gold = load_gold(HERE / "gold.jsonl")
    lines = (HERE / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    bad = dict(first, id=first["id"] + "-typo")
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join([lines[0], json.dumps(bad), lines[0]]) + "\n", encoding="utf-8")
    with pytest.raises(NkbenchErrors) as streamed:
        list(PredictionStream(path, gold))
    with pytest.raises(NkbenchErrors) as loaded:
        load_predictions(path, gold)
    assert [str(p) for p in streamed.value.problems] == [str(p) for p in loaded.value.problems]
    assert "given twice" in str(streamed.value.problems[0])


# -- score_file: chunks of lines parsed, checked and scored in worker processes --------------------


def _write(path: Path, docs: list[Document]) -> Path:
    from nkbench.core.io import documents_jsonl

    path.write_bytes(documents_jsonl(docs))
    return path


def _benchmark_generator():
    import importlib.util

    spec = importlib.util.spec_from_file_location("perf_stream", Path(__file__).parent.parent / "benchmark" / "perf_stream.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


@pytest.mark.parametrize("seed, n_docs, chunk_bytes, batch_items", [(1, 7, 1, 1), (2, 12, 3000, 50), (3, 5, 10 ** 6, 10 ** 6)])
def test_score_file_in_workers_equals_the_whole_file_report(tmp_path, seed, n_docs, chunk_bytes, batch_items):
    """Valid files of every layer (``benchmark/perf_stream.py``'s generator, small), scored in
    worker processes in chunks of 1 line to all lines, some documents missing."""
    from nkbench.benchmark.scoring.stream import score_file

    gpath, ppath = _benchmark_generator()(tmp_path, n_docs, 200, seed)
    lines = ppath.read_bytes().splitlines(keepends=True)
    random.Random(seed).shuffle(lines)
    ppath.write_bytes(b"".join(lines[: max(1, len(lines) - 2)]))  # file order is not gold order; 2 missing
    gold = load_gold(gpath)
    loaded, missing = load_predictions(ppath, gold)
    assert missing
    whole = score(gold, loaded, resamples=20, seed=1)
    assert json.dumps(score_file(gold, ppath, resamples=20, seed=1, workers=2, chunk_bytes=chunk_bytes,
                                 batch_items=batch_items)) == json.dumps(whole)


BAD_FILES = {
    "duplicates across chunks, unknown id, bad span": lambda ok, other: [ok, other, dict(ok, id="nope"), ok,
                                                                         dict(ok, mentions=[{"start": 5, "end": 2, "label": "GPE"}])],
    "a read problem hides the check problems": lambda ok, other: [dict(ok, id="nope"), dict(ok, colour=1), ok],
    "malformed JSON stops at its line": lambda ok, other: [dict(ok, id="nope"), "{oops", ok, ok],
    "blank lines only": lambda ok, other: ["", "  "],
    "not UTF-8": lambda ok, other: [ok, b"{\"id\": \"\xff\"}"],
}


@pytest.mark.parametrize("case", list(BAD_FILES))
@pytest.mark.parametrize("chunk_bytes", [1, 10 ** 6])
def test_score_file_in_workers_reports_the_errors_of_the_loader(tmp_path, case, chunk_bytes):
    from nkbench.core.errors import NkbenchError
    from nkbench.benchmark.scoring.stream import score_file

    gold = load_gold(HERE / "gold.jsonl")
    ok = json.loads((HERE / "predictions.jsonl").read_text(encoding="utf-8").splitlines()[0])
    other = dict(ok, id=next(g.id for g in gold if g.id != ok["id"]), mentions=[], events=[], claims=[], cues=[])
    lines = [x if isinstance(x, bytes) else (x if isinstance(x, str) else json.dumps(x)).encode() for x in BAD_FILES[case](ok, other)]
    path = tmp_path / "p.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")

    def outcome(fn):
        try:
            fn()
        except NkbenchErrors as err:
            return [str(p) for p in err.problems]
        except NkbenchError as err:
            return str(err)
        raise AssertionError("no error")

    expected = outcome(lambda: load_predictions(path, gold))
    assert outcome(lambda: score_file(gold, path, workers=2, chunk_bytes=chunk_bytes, resamples=0)) == expected
    assert outcome(lambda: score_stream(gold, PredictionStream(path, gold), resamples=0)) == expected


@pytest.mark.parametrize("chunk_bytes, workers", [(1, 2), (10 ** 6, 1)])
def test_compare_files_equals_compare(tmp_path, chunk_bytes, workers):
    from nkbench.benchmark.scoring.harness import compare
    from nkbench.benchmark.scoring.stream import compare_files

    gpath, apath = _benchmark_generator()(tmp_path, 6, 200, 4)
    gold = load_gold(gpath)
    rnd = random.Random(4)
    b = []
    for line in apath.read_text(encoding="utf-8").splitlines()[1:]:  # one document missing in B
        obj = json.loads(line)
        obj["mentions"] = [m for m in obj["mentions"] if "id" in m or rnd.random() < 0.5]  # fewer spurious ones
        b.append(json.dumps(obj))
    bpath = tmp_path / "b.jsonl"
    bpath.write_text("\n".join(b) + "\n", encoding="utf-8")
    whole = compare(gold, load_predictions(apath, gold)[0], load_predictions(bpath, gold)[0], resamples=50, seed=2)
    assert json.dumps(compare_files(gold, apath, bpath, resamples=50, seed=2, workers=workers,
                                    chunk_bytes=chunk_bytes)) == json.dumps(whole)


# -- main's inputs through the streaming path: --language, standard input, strict fields, dataset rows ---------


def _dataset_row(obj: dict) -> dict:
    """``obj`` as a dataset ``documents`` row: ClassLabel ids for the labels, and ``metadata``."""
    from nkbench.benchmark.scoring.predictions import CLASS_LABELS

    row = json.loads(json.dumps(obj))
    for layer, field in (k for k in CLASS_LABELS if len(k) == 2):
        for item in row.get(layer) or []:
            if item.get(field) in CLASS_LABELS[(layer, field)]:
                item[field] = CLASS_LABELS[(layer, field)].index(item[field])
    row["metadata"] = {"source": "somewhere"}
    return row


@pytest.mark.parametrize("workers, chunk_bytes", [(2, 1), (2, 3000), (1, 10 ** 6)])
@pytest.mark.parametrize("language", ["es", "en"])
def test_score_file_of_one_language_equals_score_of_that_language(tmp_path, workers, chunk_bytes, language):
    """``--language``: checked against all the gold, only that language's documents scored, as the
    CLI did with the loader (``score(gold of the language, predictions of it)``)."""
    from nkbench.benchmark.scoring.stream import score_file

    gpath, ppath = _benchmark_generator()(tmp_path, 10, 200, 7)
    gold = load_gold(gpath)
    assert {"es", "en"} <= {g.language for g in gold}
    kept = [g for g in gold if g.language == language]
    keep = {g.id for g in kept}
    loaded, _ = load_predictions(ppath, gold)
    whole = score(kept, [d for d in loaded if d.id in keep], resamples=20, seed=1)
    streamed = score_file(kept, ppath, resamples=20, seed=1, workers=workers, chunk_bytes=chunk_bytes, all_gold=gold)
    assert json.dumps(streamed) == json.dumps(whole)
    assert set(streamed["layers"]["entities"]["strict"]["per_language"]) == {language}


@pytest.mark.parametrize("language", ["es", "en"])
def test_compare_files_of_one_language_equals_compare_of_that_language(tmp_path, language):
    from nkbench.benchmark.scoring.harness import compare
    from nkbench.benchmark.scoring.stream import compare_files

    gpath, apath = _benchmark_generator()(tmp_path, 8, 200, 8)
    gold = load_gold(gpath)
    kept = [g for g in gold if g.language == language]
    keep = {g.id for g in kept}
    bpath = tmp_path / "b.jsonl"
    bpath.write_text("\n".join(apath.read_text(encoding="utf-8").splitlines()[2:]) + "\n", encoding="utf-8")
    pa, pb = (load_predictions(p, gold)[0] for p in (apath, bpath))
    whole = compare(kept, [d for d in pa if d.id in keep], [d for d in pb if d.id in keep], resamples=30, seed=2)
    for workers, chunk_bytes in ((2, 1), (1, 10 ** 6)):
        assert json.dumps(compare_files(kept, apath, bpath, resamples=30, seed=2, workers=workers, chunk_bytes=chunk_bytes,
                                        all_gold=gold)) == json.dumps(whole)


def _stdin(monkeypatch, data: bytes) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_score_file_reads_standard_input_in_this_process(tmp_path, monkeypatch):
    """``-``: streamed from standard input (no workers, even when asked for), the file's report."""
    from nkbench.benchmark.scoring.stream import score_file

    gpath, ppath = _benchmark_generator()(tmp_path, 6, 200, 9)
    gold = load_gold(gpath)
    whole = score(gold, load_predictions(ppath, gold)[0], resamples=20, seed=1)
    _stdin(monkeypatch, ppath.read_bytes())
    assert json.dumps(score_file(gold, "-", resamples=20, seed=1, workers=4, chunk_bytes=1)) == json.dumps(whole)


@pytest.mark.parametrize("data, message", [(b"", "<stdin>: standard input is empty"), (b"\n  \n", "<stdin>: standard input is empty"),
                                           (b"{oops\n", "<stdin>:1: malformed JSON")])
def test_score_file_names_standard_input_in_errors(monkeypatch, data, message):
    from nkbench.core.errors import NkbenchError
    from nkbench.benchmark.scoring.stream import score_file

    gold = load_gold(HERE / "gold.jsonl")
    _stdin(monkeypatch, data)
    with pytest.raises(NkbenchError) as err:
        score_file(gold, "-", resamples=0)
    assert str(err.value).startswith(message)


@pytest.mark.parametrize("chunk_bytes", [1, 10 ** 6])
def test_score_file_decodes_dataset_rows_like_the_loader(tmp_path, chunk_bytes):
    """Dataset ``documents`` rows (ClassLabel ids, ``metadata``) score as the documents they are, on every path."""
    from nkbench.benchmark.scoring.stream import score_file

    gpath, ppath = _benchmark_generator()(tmp_path, 6, 200, 10)
    gold = load_gold(gpath)
    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps(_dataset_row(json.loads(line))) + "\n"
                            for line in ppath.read_text(encoding="utf-8").splitlines()), encoding="utf-8")
    assert rows.read_bytes() != ppath.read_bytes()
    whole = score(gold, load_predictions(ppath, gold)[0], resamples=20, seed=1)
    assert json.dumps(score(gold, load_predictions(rows, gold)[0], resamples=20, seed=1)) == json.dumps(whole)
    for workers in (1, 2):
        assert json.dumps(score_file(gold, rows, resamples=20, seed=1, workers=workers, chunk_bytes=chunk_bytes)) == json.dumps(whole)


STRICT_FILES = {
    "unknown field deep down, with a did-you-mean": lambda ok: [ok, dict(ok, id="d2", mentions=[dict(ok["mentions"][0], lable="GPE")])],
    "unknown fields and a type error together": lambda ok: [dict(ok, colour=1, mentions=[dict(ok["mentions"][0], start="0", entity="x")])],
    "ClassLabel id out of range": lambda ok: [dict(_dataset_row(ok), mentions=[dict(ok["mentions"][0], label=99)])],
    "a row of another config": lambda ok: [dict(ok, id="nope"), {"id": "d1", "tokens": ["a"], "ner_tags": [0]}, ok],
}


@pytest.mark.parametrize("case", list(STRICT_FILES))
@pytest.mark.parametrize("chunk_bytes", [1, 10 ** 6])
def test_strict_validation_in_the_stream_reports_what_the_loader_reports(tmp_path, case, chunk_bytes):
    from nkbench.core.errors import NkbenchError
    from nkbench.benchmark.scoring.stream import score_file

    gold = load_gold(HERE / "gold.jsonl")
    ok = json.loads((HERE / "predictions.jsonl").read_text(encoding="utf-8").splitlines()[0])
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in STRICT_FILES[case](ok)), encoding="utf-8")

    def outcome(fn):
        try:
            fn()
        except NkbenchErrors as err:
            return type(err).__name__, [str(p) for p in err.problems]
        except NkbenchError as err:
            return "NkbenchError", str(err)
        raise AssertionError("no error")

    expected = outcome(lambda: load_predictions(path, gold))
    assert outcome(lambda: score_file(gold, path, workers=2, chunk_bytes=chunk_bytes, resamples=0)) == expected
    assert outcome(lambda: score_stream(gold, PredictionStream(path, gold), resamples=0)) == expected


@pytest.mark.parametrize("workers", [1, 2])
def test_score_file_runs_alongside_once_and_raises_its_error(tmp_path, workers):
    """``alongside`` (the CLI hashes the gold with it) runs once, in a thread while the workers
    score (or before this process scores); the report is unchanged; what it raises is raised,
    and a problem of the predictions wins over it."""
    from nkbench.benchmark.scoring.stream import score_file

    gpath, ppath = _benchmark_generator()(tmp_path, 6, 200, 4)
    gold = load_gold(gpath)
    calls = []
    report = score_file(gold, ppath, resamples=10, workers=workers, chunk_bytes=3000, alongside=lambda: calls.append(1))
    assert calls == [1]
    assert json.dumps(report) == json.dumps(score_file(gold, ppath, resamples=10, workers=1))

    def fail():
        raise ValueError("alongside failed")

    with pytest.raises(ValueError, match="alongside failed"):
        score_file(gold, ppath, resamples=0, workers=workers, chunk_bytes=3000, alongside=fail)
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(ppath.read_bytes() + b'{"id": "nope"}\n')
    with pytest.raises(NkbenchErrors, match="nope"):
        score_file(gold, bad, resamples=0, workers=workers, chunk_bytes=3000, alongside=fail)
