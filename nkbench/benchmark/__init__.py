"""Benchmark: systems, scoring and the reports built on it.

``scoring`` (the scorer: pure functions over Documents), ``systems`` (the baseline systems),
``leaderboard`` (the results of every baseline), ``errors_report`` (per-span errors of a run) and
``convert`` (other formats, e.g. BIO or brat, to predictions).
"""
