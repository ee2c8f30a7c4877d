"""Performance benchmark of the scorer against the reference implementations (not a test).

In one process, on the same seeded generated input (``--docs`` documents x 10 gold entity
spans each; predictions derived from the gold: 70 % exact, 10 % shifted boundaries, 8 % wrong
type, 7 % missed, plus ~0.7 spurious spans per document), it times:

1. our four entity schemes (strict, exact, partial, type) + linking, from Documents to the
   overall and per-type/per-language figures (``entity_outcomes`` + ``summarise``), against
   nervaluate 1.2.1 ``Evaluator(true, pred, tags=..., loader="default").evaluate()`` on the same
   spans (inclusive ends, as nervaluate wants them; the conversion is not timed);
2. our BIO chunk F1 (``seqbio.chunk_counts``, seqeval's default lenient decoding) against
   seqeval 1.2.2 ``f1_score`` on the same tag sequences (one token per offset);
3. memory, in a fresh child process (``--memory-child``): it builds the input the way a scoring
   run holds it (``documents``: one JSON line at a time parsed by the model's loader
   ``document_from_dict``, nothing else kept; gold with text, mention ids, mention texts and
   entity ids; predictions minimal), then scores the four schemes + linking as in 1. Reported:
   the RSS with the input loaded (the input alone: 2M Python ``Mention`` objects, the data
   model's representation, which the scorer does not choose), the peak RSS of the process, and
   the PEAK MEMORY OF SCORING = peak RSS - RSS with the input loaded, i.e. what scoring 1M gold +
   1M predicted spans adds on top of holding the documents (the target applies to this), with
   the tracemalloc peak of the scoring call (Python and numpy allocations) as a cross-check.
   Not measured: reading the files (``nkbench.core.io.iter_jsonl`` currently holds a whole file and
   its list of lines while parsing);
4. ``nkbench --help`` wall time (median of runs, fresh subprocesses).

Targets: ours <= 1/25 of nervaluate's time, BIO <= 1/10 of seqeval's, peak memory of scoring
<= 0.5 GB, ``--help`` <= 0.3 s. Timings are medians (``--repeat`` runs of ours,
``--ref-repeat`` of the references); the machine may be shared, so run it more than once.
Run from the repository root:

    python benchmark/perf.py --docs 100000        # the full size (nervaluate takes minutes)
    python benchmark/perf.py --docs 10000         # quicker
    python benchmark/perf.py --docs 100000 --memory-child   # the memory figures only (JSON)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPANS_PER_DOC = 10


def generate(n_docs: int, seed: int, block: int = 1000):
    """Yield gold and predicted spans of one document at a time: lists of (start, end, label),
    end-exclusive. Random numbers are drawn per block of documents, so nothing of the size of the
    input is held here."""
    import numpy as np

    from nkbench.core.schema import ENTITY_TYPES

    rng = np.random.default_rng(seed)
    n_types = len(ENTITY_TYPES)
    for first in range(0, n_docs, block):
        n = (min(first + block, n_docs) - first) * SPANS_PER_DOC
        gaps = rng.integers(1, 5, size=n).tolist()
        lengths = rng.integers(1, 5, size=n).tolist()
        labels = rng.integers(0, n_types, size=n)
        fate = rng.random(n).tolist()
        shift = rng.integers(-1, 2, size=(n, 2)).tolist()
        other = ((labels + rng.integers(1, n_types, size=n)) % n_types).tolist()
        labels = labels.tolist()
        for d0 in range(0, n, SPANS_PER_DOC):
            pos, g, p = 0, [], []
            for k in range(d0, d0 + SPANS_PER_DOC):
                start = pos + gaps[k]
                end = start + lengths[k]
                pos = end
                lab = ENTITY_TYPES[labels[k]]
                g.append((start, end, lab))
                f = fate[k]
                if f < 0.70:
                    p.append((start, end, lab))
                elif f < 0.80:
                    s, e = max(0, start + shift[k][0]), end + shift[k][1]
                    p.append((s, e if e > s else s + 1, lab))
                elif f < 0.88:
                    p.append((start, end, ENTITY_TYPES[other[k]]))
                elif f < 0.95:
                    pass  # missed
                else:
                    p.append((start, end, lab))
                    s = int(rng.integers(0, pos + 2))
                    p.append((s, s + 1 + int(rng.integers(0, 3)), ENTITY_TYPES[int(rng.integers(0, n_types))]))
            yield g, p


def documents(n_docs: int, seed: int):
    """Gold and predicted Documents, built the way a scoring run builds them: one document at a
    time, each line's JSON parsed and turned into a Document by ``document_from_dict`` (the
    model's loader), nothing else kept. Gold documents have a text, mention ids, mention texts and
    entity ids; predicted ones are minimal predictions (offsets and labels; ids assigned by the
    loader)."""
    import json

    from nkbench.core.model import document_from_dict

    gold, pred = [], []
    for i, (g, p) in enumerate(generate(n_docs, seed)):
        n = max(e for _, e, _ in g + p) + 8
        text = ("Stepanakert Shusha Lachin " * (n // 26 + 1))[:n]
        lang = "en" if i % 2 else "es"
        gold_obj = {"id": f"d{i}", "language": lang, "text": text,
                    "mentions": [{"id": f"T{j}", "start": s, "end": e, "text": text[s:e], "label": lab,
                                  "entity_id": f"E{(s * 7 + j) % 500}"} for j, (s, e, lab) in enumerate(g)],
                    "events": [], "cues": [], "claims": []}
        pred_obj = {"id": f"d{i}", "language": lang, "mentions": [{"start": s, "end": e, "label": lab} for s, e, lab in p]}
        gold.append(document_from_dict(json.loads(json.dumps(gold_obj)), f"gold:{i + 1}"))
        pred.append(document_from_dict(json.loads(json.dumps(pred_obj)), f"pred:{i + 1}", require_text=False))
    return gold, pred


def spans(docs) -> list[list[tuple[int, int, str]]]:
    """The references' input: (start, end, label) per document (end-exclusive)."""
    return [[(m.start, m.end, m.label) for m in d.mentions] for d in docs]


def ours_entities(gold_docs, pred_docs):
    from nkbench.benchmark.scoring.counts import Languages, summarise
    from nkbench.benchmark.scoring.entities import entity_outcomes

    ids = [d.id for d in gold_docs]
    langs = Languages.of([d.language for d in gold_docs])
    outs = entity_outcomes(gold_docs, pred_docs)
    return {name: summarise(o, ids, langs, by_document=False)["micro"] for name, o in outs.items()}


def nervaluate_entities(gold, pred):
    from nervaluate import Evaluator

    from nkbench.core.schema import ENTITY_TYPES

    # nervaluate's ends are inclusive: convert (untimed) at this edge only
    true = [[{"label": lab, "start": s, "end": e - 1} for s, e, lab in doc] for doc in gold]
    guess = [[{"label": lab, "start": s, "end": e - 1} for s, e, lab in doc] for doc in pred]

    def run():
        return Evaluator(true, guess, tags=list(ENTITY_TYPES), loader="default").evaluate()
    return run


def to_tags(spans_per_doc, lengths):
    """One token per offset; overlapping predicted spans: the later one is skipped."""
    out = []
    for spans, n in zip(spans_per_doc, lengths):
        tags = ["O"] * n
        for s, e, lab in sorted(spans):
            if any(t != "O" for t in tags[s:e]):
                continue
            tags[s] = f"B-{lab}"
            for k in range(s + 1, e):
                tags[k] = f"I-{lab}"
        out.append(tags)
    return out


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def rss() -> tuple[int, int]:
    """(resident set size now, its high-water mark) in bytes, from /proc/self/status (Linux).

    Not ``getrusage``'s ``ru_maxrss``: on Linux it survives ``exec``, so a child started by a
    big parent reports the parent's size (this once made the benchmark report the parent's
    memory as the child's peak)."""
    fields = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) * 1024
    return fields["VmRSS"], fields["VmHWM"]


def memory_child(n_docs: int, seed: int) -> None:
    """Runs in a fresh process: load the input, score all four schemes, print memory figures (JSON)."""
    import gc

    g, p = documents(n_docs, seed)
    gc.collect()
    try:  # reset the high-water mark to the current RSS (Linux >= 4.0), else it is an upper bound
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    before, _ = rss()
    ours_entities(g, p)  # untraced: the RSS peak is the real one
    _, peak_rss = rss()
    import tracemalloc

    tracemalloc.start()
    ours_entities(g, p)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"documents": n_docs, "rss_input_loaded": before, "peak_rss": peak_rss,
                      "scoring_peak": peak_rss - before, "scoring_tracemalloc_peak": traced}))


def help_time(runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "nkbench", "--help"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000, help="documents (10 gold spans each)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--repeat", type=int, default=3, help="runs of our scorer (median)")
    ap.add_argument("--ref-repeat", type=int, default=1, help="runs of each reference (median)")
    ap.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        memory_child(args.docs, args.seed)
        return
    import warnings

    warnings.filterwarnings("ignore")
    t0 = time.perf_counter()
    gdocs, pdocs = documents(args.docs, args.seed)
    gold, pred = spans(gdocs), spans(pdocs)
    print(f"input: {args.docs} documents, {sum(map(len, gold))} gold spans, {sum(map(len, pred))} predicted spans "
          f"(seed {args.seed}; generated in {time.perf_counter() - t0:.1f} s)")

    t_ours, ours = timed(lambda: ours_entities(gdocs, pdocs), args.repeat)
    t_ner, ref = timed(nervaluate_entities(gold, pred), args.ref_repeat)
    names = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
    same = all([ours[k][c] for c in ("correct", "incorrect", "partial", "missed", "spurious")]
               == [getattr(ref["overall"][v], c) for c in ("correct", "incorrect", "partial", "missed", "spurious")]
               for k, v in names.items())
    print(f"entities, 4 schemes: ours {t_ours:.3f} s (median of {args.repeat}), nervaluate {t_ner:.3f} s "
          f"(median of {args.ref_repeat}); ratio {t_ner / t_ours:.1f}x (target >= 25x)")
    print(f"  counts identical to nervaluate's: {same} (they may differ where nervaluate's order-dependent "
          f"matching differs from our optimal one-to-one matching)")
    for k, v in names.items():
        r = ref["overall"][v]
        print(f"  {k:8s} ours F1 {ours[k]['f1']:.4f}  nervaluate F1 {r.f1:.4f}")

    from seqeval.metrics import f1_score

    from nkbench.benchmark.scoring.seqbio import chunk_counts

    lengths = [max((e for _, e, _ in g + p), default=0) + 1 for g, p in zip(gold, pred)]
    y_true, y_pred = to_tags(gold, lengths), to_tags(pred, lengths)
    n_tokens = sum(map(len, y_true))
    t_bio, (tp, n_pred, n_gold) = timed(lambda: chunk_counts(y_true, y_pred), args.repeat)
    t_seq, f_seq = timed(lambda: f1_score(y_true, y_pred), args.ref_repeat)
    f_ours = 2 * tp / (n_pred + n_gold)
    print(f"BIO chunk F1 over {n_tokens} tokens: ours {t_bio:.3f} s, seqeval {t_seq:.3f} s; "
          f"ratio {t_seq / t_bio:.1f}x (target >= 10x); F1 ours {f_ours:.6f} seqeval {f_seq:.6f}")

    child = subprocess.run([sys.executable, __file__, "--memory-child", "--docs", str(args.docs), "--seed", str(args.seed)],
                           check=True, capture_output=True, text=True)
    mem = json.loads(child.stdout)
    gb = 1024 ** 3
    print(f"memory (fresh process: load the Documents, score 4 schemes + linking): peak memory of scoring "
          f"{mem['scoring_peak'] / gb:.3f} GB (peak RSS - RSS with the input loaded; target <= 0.5); "
          f"tracemalloc peak of scoring {mem['scoring_tracemalloc_peak'] / gb:.3f} GB; RSS with the input loaded "
          f"{mem['rss_input_loaded'] / gb:.3f} GB; peak RSS of the process {mem['peak_rss'] / gb:.3f} GB")
    print(f"nkbench --help: {help_time(7):.3f} s (median of 7 runs; target <= 0.3)")


if __name__ == "__main__":
    main()
