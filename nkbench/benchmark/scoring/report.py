"""Rendering score and compare reports: terminal table, JSON, Markdown (no maths here)."""

from __future__ import annotations

import json

FORMATS = ("table", "json", "markdown")
#: Breakdown sections of the table and Markdown reports (``--by``): report key, column title.
BY = {"type": ("per_label", "type"), "language": ("per_language", "language"), "document": ("per_document", "document")}


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


def group_rows(report: dict, by: str) -> tuple[list[str], list[list[str]]]:
    """One row per (layer, metric, group) for ``by`` in ``BY``: the counts and figures of the
    group (a type, a language with its own bootstrap interval, a document)."""
    key, title = BY[by]
    head = ["layer", "metric", title, "correct", "incorr", "partial", "missed", "spur", "P", "R", "F1 / acc"]
    if by == "language":
        head.append("95% CI")
    rows = []
    for layer, section in report["layers"].items():
        for name, s in section.items():
            if not isinstance(s, dict) or "micro" not in s:
                continue
            for group, m in (s.get(key) or {}).items():
                if s["kind"] == "accuracy":
                    row = [layer, name, group, str(m["correct"]), str(m["incorrect"]), "", "", "", "", "", _num(m["accuracy"])]
                else:
                    row = [layer, name, group, *(str(m[k]) for k in ("correct", "incorrect", "partial", "missed", "spurious")),
                           _num(m["precision"]), _num(m["recall"]), _num(m["f1"])]
                if by == "language":
                    row.append(_ci(m.get("ci")))
                rows.append(row)
    return head, rows


def compare_rows(result: dict) -> tuple[list[str], list[list[str]]]:
    head = ["layer", "metric", result.get("a") or "A", result.get("b") or "B", "B - A", "p"]
    rows = [[layer, name, _num(r["a"]), _num(r["b"]), _num(r["delta"]), _num(r["p_value"], 4)]
            for layer, section in result["layers"].items() for name, r in section.items()]
    return head, rows


def _table(head: list[str], rows: list[list[str]], left: int = 2) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)]
    line = lambda cells: "  ".join(c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))  # noqa: E731
    return "\n".join([line(head), line(["-" * w for w in widths]), *map(line, rows)])


def _markdown(head: list[str], rows: list[list[str]], left: int = 2) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i < left else "---:" for i in range(len(head))) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def _notes(report: dict) -> list[str]:
    notes = []
    d = report.get("documents", {})
    for key in ("missing", "missing_a", "missing_b"):
        if d.get(key):
            name = "the predictions" if key == "missing" else report.get(key[-1]) or key[-1].upper()
            notes.append(f"{len(d[key])} gold document(s) missing from {name}, scored as empty: {', '.join(d[key])}")
    if "a" in report and "b" in report:
        notes.append(f"B - A: {report['b']} minus {report['a']}")
    for layer in report.get("not_predicted", []):
        notes.append(f"{layer}: not predicted (the predictions have no {layer}): its figures count every gold item as missed")
    if report.get("language"):
        notes.append(f"language: {report['language']} only ({report['documents']['gold']} gold documents)")
    r = report.get("resampling") or report.get("test")
    if r:
        notes.append(f"resampling unit: {r['unit']} ({r['units']} units), {r['resamples']} resamples, seed {r['seed']}"
                     + (f"; {r['method']}" if "method" in r else ""))
    notes.append("n/a: nothing to count (undefined), never 0 or 1")
    return notes


def render(report: dict, fmt: str = "table", *, compare: bool = False, by=()) -> str:
    """The report as text in ``fmt`` (one of FORMATS); ``by``: breakdown sections (keys of
    ``BY``) after the overall table (the JSON report always holds them all)."""
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    head, rows = compare_rows(report) if compare else score_rows(report)
    notes = _notes(report)
    sections = [(f"By {BY[b][1]}", *group_rows(report, b)) for b in by]
    if fmt == "markdown":
        out = _markdown(head, rows) + "\n"
        for title, h, r in sections:
            out += f"\n### {title}\n\n" + _markdown(h, r, left=3) + "\n"
        return out + "\n" + "\n".join(f"- {n}" for n in notes) + "\n"
    out = _table(head, rows) + "\n"
    for title, h, r in sections:
        out += f"\n{title}:\n" + _table(h, r, left=3) + "\n"
    return out + "\n" + "\n".join(notes) + "\n"
