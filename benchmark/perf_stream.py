"""Bounded time and memory of ``nkbench score`` on a large predictions file (not a test).

Generates, seeded, a synthetic gold file and a predictions file of about 200 MB (about 4M
predicted mentions: ``--docs`` documents x ``--slots`` candidate spans each), then runs
``nkbench score PRED --gold GOLD --format json --out REPORT`` in fresh child processes and reports
the median wall time, the CPU time (``/usr/bin/time -v``: user + system, worker processes
included) and the peak memory: the summed PSS of the process tree (sampled every 100 ms; the gold
pages that forked workers share with the parent counted once), beside ``/usr/bin/time``'s maximum
RSS of the largest single process. The machine may be shared: the load average is printed.

The input, per document (``generate``): a text of ``--slots`` candidate spans (gaps and lengths
1..4 characters) with a sentence break every ~5000 characters; the gold marks 1 slot in 8 as an
entity mention (text, id, entity id), plus 3 events (with arguments) and 2 claims (with a source);
the predictions derive from the gold (70 % exact, 10 % shifted boundaries, 8 % wrong type, 7 %
missed, 5 % exact + a spurious span) and mark about 88 % of the other slots as spurious mentions,
so a predicted line is ~100 KB and the document, not the file, is what one scoring step holds.

Memory must grow with the largest document, not the file: ``--check-growth`` also scores the
first half of the predictions (the other documents then count as missing) and asserts that the
peak RSS of the whole file exceeds that of the half by less than ``GROWTH_LIMIT`` of the extra
input (a loader that holds the file grows by several times the extra input).

Run from the repository root (the figures in the report of issue 14 come from these commands):

    python benchmark/perf_stream.py --out-dir /tmp/nkperf            # generate (once) and measure
    python benchmark/perf_stream.py --out-dir /tmp/nkperf --repeat 5 --check-growth
    python benchmark/perf_stream.py --out-dir /tmp/nkperf --nkbench /path/to/other/.venv/bin/nkbench

Targets (issue 14): at most 30 s wall time and at most 1 GB peak RSS for the ~200 MB file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30.0
TARGET_RSS = 1024 ** 3
GROWTH_LIMIT = 0.5
WORDS = ("Stepanakert", "Shusha", "Lachin", "Agdam", "Goris", "Baku", "Yerevan", "Martakert")


def generate(out_dir: Path, n_docs: int, slots: int, seed: int) -> tuple[Path, Path]:
    """Write ``gold.jsonl`` and ``pred.jsonl`` into ``out_dir`` (seeded; see the module doc)."""
    import numpy as np

    sys.path.insert(0, str(ROOT))
    from nkbench.core.schema import ENTITY_TYPES, EVENT_TYPES

    rng = np.random.default_rng(seed)
    types = list(ENTITY_TYPES)
    event_types = [t for t in EVENT_TYPES if EVENT_TYPES[t][0]]
    out_dir.mkdir(parents=True, exist_ok=True)
    gold_path, pred_path = out_dir / "gold.jsonl", out_dir / "pred.jsonl"
    dumps = lambda o: json.dumps(o, ensure_ascii=False, separators=(", ", ": "))  # noqa: E731
    with gold_path.open("w", encoding="utf-8") as gf, pred_path.open("w", encoding="utf-8") as pf:
        for i in range(n_docs):
            gaps = rng.integers(1, 5, size=slots).tolist()
            lengths = rng.integers(1, 5, size=slots).tolist()
            fate = rng.random(slots).tolist()
            gold_slot = (rng.random(slots) < 0.125).tolist()
            labels = rng.integers(0, len(types), size=slots).tolist()
            other = rng.integers(1, len(types), size=slots).tolist()
            shift = rng.integers(-1, 2, size=(slots, 2)).tolist()
            spans, pos = [], 0
            for k in range(slots):
                start = pos + gaps[k]
                spans.append((start, start + lengths[k]))
                pos = start + lengths[k]
            n = pos + 8
            # the text: words, with a sentence break (". ") every ~5000 characters outside the spans
            chars = list((" ".join(WORDS) + " ") * (n // 60 + 2))[:n]
            for k in range(0, slots, 1000):
                if k:
                    s = spans[k][0] - 1  # the gap before a slot is at least one character
                    chars[s] = "."
            text = "".join(chars)
            lang = "en" if i % 2 else "es"
            g_mentions, p_mentions, g_ids = [], [], []
            for k, (s, e) in enumerate(spans):
                lab = types[labels[k]]
                if gold_slot[k]:
                    mid = f"T{k}"
                    g_ids.append((k, mid))
                    g_mentions.append({"id": mid, "start": s, "end": e, "text": text[s:e], "label": lab,
                                       "entity_id": f"E{k % 97}"})
                    f = fate[k]
                    if f < 0.70:
                        p_mentions.append({"id": mid, "start": s, "end": e, "label": lab, "entity_id": f"E{k % 97}"})
                    elif f < 0.80:
                        ps, pe = max(0, s + shift[k][0]), e + shift[k][1]
                        p_mentions.append({"id": mid, "start": ps, "end": pe if pe > ps else ps + 1, "label": lab})
                    elif f < 0.88:
                        p_mentions.append({"id": mid, "start": s, "end": e, "label": types[(labels[k] + other[k]) % len(types)]})
                    elif f < 0.95:
                        pass
                    else:
                        p_mentions.append({"id": mid, "start": s, "end": e, "label": lab})
                        p_mentions.append({"start": s, "end": e, "label": types[(labels[k] + other[k]) % len(types)]})
                elif fate[k] < 0.88:
                    p_mentions.append({"start": s, "end": e, "label": lab})
            # 3 events on non-gold slots, arguments filled by gold mentions; 2 claims with a source
            free = [k for k in range(len(spans)) if not gold_slot[k]]
            g_events, p_events = [], []
            predicted_ids = {m.get("id") for m in p_mentions}
            for j in range(3):
                k = free[(j + 1) * len(free) // 5]
                et = event_types[(i + j) % len(event_types)]
                roles = EVENT_TYPES[et][0]
                args = [{"role": roles[r % len(roles)], "mention": g_ids[(j * 7 + r) % len(g_ids)][1]} for r in range(2)]
                s, e = spans[k]
                g_events.append({"id": f"V{j}", "start": s, "end": e, "text": text[s:e], "label": et, "arguments": args})
                if j < 2:
                    p_events.append({"start": s, "end": e, "label": et,
                                     "arguments": [a for a in args if a["mention"] in predicted_ids]})
            g_claims, p_claims = [], []
            for j in range(2):
                a, b = spans[(j + 1) * slots // 3]
                s, e = a, spans[(j + 1) * slots // 3 + 40][1]
                src = g_ids[j * 11 % len(g_ids)][1]
                g_claims.append({"id": f"C{j}", "start": s, "end": e, "text": text[s:e], "stance": "asserts", "source": src})
                p_claims.append({"start": s + j, "end": e, "stance": "asserts" if j else "denies",
                                 **({"source": src} if src in predicted_ids else {})})
            gf.write(dumps({"id": f"doc{i:05d}", "language": lang, "text": text, "mentions": g_mentions,
                            "events": g_events, "cues": [], "claims": g_claims}) + "\n")
            pf.write(dumps({"id": f"doc{i:05d}", "language": lang, "mentions": p_mentions,
                            "events": p_events, "claims": p_claims}) + "\n")
    return gold_path, pred_path


def half(pred: Path) -> Path:
    """The first half of the predictions' lines (the rest are then missing documents)."""
    out = pred.with_name("pred-half.jsonl")
    if not out.exists():
        lines = pred.read_bytes().splitlines(keepends=True)
        out.write_bytes(b"".join(lines[: len(lines) // 2]))
    return out


def _tree(root: int) -> list[int]:
    """``root`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _pss(pids: list[int]) -> int:
    """Proportional set size of the processes (shared pages split between them), bytes."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
    return total


def measure(nkbench: str, pred: Path, gold: Path, extra: list[str]) -> dict:
    """One fresh ``nkbench score`` run: wall seconds, CPU seconds (user + system, workers
    included), the peak of the summed PSS of the process tree (sampled every 100 ms: workers
    included, pages they share with the parent counted once) and ``/usr/bin/time``'s maximum
    RSS (of the largest single process)."""
    import time

    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["/usr/bin/time", "-v", nkbench, "score", str(pred), "--gold", str(gold), "--format", "json",
               "--out", f"{tmp}/report.json", *extra]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _pss(_tree(proc.pid)))
            time.sleep(0.1)
        wall = time.perf_counter() - t0
        _, err = proc.communicate()
        if proc.returncode != 0:
            sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-3000:]}")
        field = lambda name: re.search(rf"{re.escape(name)}: ([\d.]+)", err).group(1)  # noqa: E731
        return {"wall": wall, "cpu": float(field("User time (seconds)")) + float(field("System time (seconds)")),
                "pss": peak, "maxrss": int(field("Maximum resident set size (kbytes)")) * 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", type=Path, required=True, help="where gold.jsonl and pred.jsonl are (made if absent)")
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--slots", type=int, default=2200, help="candidate spans per document")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--repeat", type=int, default=3, help="runs (median wall time, largest peak RSS)")
    ap.add_argument("--nkbench", default=str(Path(sys.executable).with_name("nkbench")), help="the nkbench to measure")
    ap.add_argument("--check-growth", action="store_true", help="also score half the file; assert bounded growth")
    ap.add_argument("--generate-only", action="store_true")
    ap.add_argument("extra", nargs="*", help="more options for nkbench score (after --)")
    args = ap.parse_args()
    gold, pred = args.out_dir / "gold.jsonl", args.out_dir / "pred.jsonl"
    if not (gold.exists() and pred.exists()):
        generate(args.out_dir, args.docs, args.slots, args.seed)
    n_mentions = 0
    with pred.open("rb") as fh:
        for line in fh:
            n_mentions += line.count(b'"start"')
    size = pred.stat().st_size
    print(f"input: {pred} {size / 1e6:.0f} MB, {n_mentions / 1e6:.2f}M predicted spans (mentions, events, claims); "
          f"gold {gold.stat().st_size / 1e6:.0f} MB (seed {args.seed})")
    if args.generate_only:
        return
    runs = [measure(args.nkbench, pred, gold, args.extra) for _ in range(args.repeat)]
    show(f"nkbench score ({pred.stat().st_size / 1e6:.0f} MB)", runs)
    if args.check_growth:
        h = half(pred)
        h_runs = [measure(args.nkbench, h, gold, args.extra) for _ in range(args.repeat)]
        show(f"half the file ({h.stat().st_size / 1e6:.0f} MB)", h_runs)
        extra_input = size - h.stat().st_size
        growth = max(r["pss"] for r in runs) - max(r["pss"] for r in h_runs)
        print(f"growth of the peak for the second half of the file: {growth / 1e6:.0f} MB for {extra_input / 1e6:.0f} MB "
              f"more input ({growth / extra_input:.2f} x; limit {GROWTH_LIMIT})")
        assert growth < GROWTH_LIMIT * extra_input, "peak memory grows with the file, not with the largest document"


def show(what: str, runs: list[dict]) -> None:
    med = lambda k: statistics.median(r[k] for r in runs)  # noqa: E731
    gib = 2 ** 30
    walls = ", ".join(f"{r['wall']:.1f}" for r in runs)
    print(f"{what}: wall {med('wall'):.1f} s (median of {len(runs)}: {walls}; "
          f"target <= {TARGET_SECONDS:.0f}), CPU {med('cpu'):.1f} s, peak PSS of the process tree "
          f"{max(r['pss'] for r in runs) / gib:.3f} GiB (target <= {TARGET_RSS / gib:.0f}), largest single-process "
          f"max RSS {max(r['maxrss'] for r in runs) / gib:.3f} GiB; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
