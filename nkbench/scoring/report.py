"""Rendering score and compare reports: terminal table, JSON, Markdown (no maths here)."""

from __future__ import annotations

import json

FORMATS = ("table", "json", "markdown")


def _num(x, digits: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _ci(ci) -> str:
    return "n/a" if not ci else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def score_rows(report: dict) -> tuple[list[str], list[list[str]]]:
    """One row per (layer, metric): counts, P/R/F1 or accuracy, and the bootstrap interval."""
    head = ["layer", "metric", "correct", "incorr", "partial", "missed", "spur", "P", "R", "F1 / acc", "95% CI", "macro F1"]
    rows = []
    for layer, section in report["layers"].items():
        for name, s in section.items():
            if not isinstance(s, dict) or "micro" not in s:
                continue
            m = s["micro"]
            if s["kind"] == "accuracy":
                rows.append([layer, name, str(m["correct"]), str(m["incorrect"]), "", "", "", "", "",
                             _num(m["accuracy"]), _ci(m["ci"]), ""])
            else:
                rows.append([layer, name, *(str(m[k]) for k in ("correct", "incorrect", "partial", "missed", "spurious")),
                             _num(m["precision"]), _num(m["recall"]), _num(m["f1"]), _ci(m["ci"]), _num(s["macro"].get("f1"))])
    return head, rows


def compare_rows(result: dict) -> tuple[list[str], list[list[str]]]:
    head = ["layer", "metric", "A", "B", "B - A", "p"]
    rows = [[layer, name, _num(r["a"]), _num(r["b"]), _num(r["delta"]), _num(r["p_value"], 4)]
            for layer, section in result["layers"].items() for name, r in section.items()]
    return head, rows


def _table(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)]
    line = lambda cells: "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))  # noqa: E731
    return "\n".join([line(head), line(["-" * w for w in widths]), *map(line, rows)])


def _markdown(head: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i < 2 else "---:" for i in range(len(head))) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def _notes(report: dict) -> list[str]:
    notes = []
    d = report.get("documents", {})
    for key in ("missing", "missing_a", "missing_b"):
        if d.get(key):
            notes.append(f"{len(d[key])} gold document(s) {'missing from the predictions' if key == 'missing' else 'missing from ' + key[-1].upper()}"
                         f", scored as empty: {', '.join(d[key])}")
    r = report.get("resampling") or report.get("test")
    if r:
        notes.append(f"resampling unit: {r['unit']} ({r['units']} units), {r['resamples']} resamples, seed {r['seed']}"
                     + (f"; {r['method']}" if "method" in r else ""))
    notes.append("n/a: nothing to count (undefined), never 0 or 1")
    return notes


def render(report: dict, fmt: str = "table", *, compare: bool = False) -> str:
    """The report as text in ``fmt`` (one of FORMATS)."""
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    head, rows = compare_rows(report) if compare else score_rows(report)
    notes = _notes(report)
    if fmt == "markdown":
        return _markdown(head, rows) + "\n\n" + "\n".join(f"- {n}" for n in notes) + "\n"
    return _table(head, rows) + "\n\n" + "\n".join(notes) + "\n"
