"""Load time of each config of data/ with datasets.load_dataset: median of N runs, fresh cache each.

    /work/venv/bin/python benchmark/load_time.py [--runs 5] [--data data]

Each run is a new process-free call with a brand-new cache_dir (so the Parquet files are read and
converted to Arrow every time), offline (HF_HUB_OFFLINE=1).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    import datasets

    from nkbench.dataset.features import CONFIGS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", default=str(Path(__file__).resolve().parent.parent / "data"))
    args = parser.parse_args()
    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    datasets.load_dataset(args.data, CONFIGS[0], split="test", cache_dir=tempfile.mkdtemp())  # warm imports
    print(f"datasets {datasets.__version__}, {args.runs} runs per config, fresh cache_dir each")
    print(f"{'config':<10} {'rows':>5} {'median s':>9} {'min s':>7} {'max s':>7}")
    for config in CONFIGS:
        if not (Path(args.data) / config).is_dir():
            continue
        times = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as cache:
                t0 = time.perf_counter()
                ds = datasets.load_dataset(args.data, config, split="test", cache_dir=cache)
                times.append(time.perf_counter() - t0)
        print(f"{config:<10} {ds.num_rows:>5} {statistics.median(times):>9.3f} {min(times):>7.3f} {max(times):>7.3f}")


if __name__ == "__main__":
    main()
