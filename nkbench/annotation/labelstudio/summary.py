"""What an export holds, by content and annotator (not server ids): counts, and the difference
between two exports (``annotate pull`` says what changed; pure)."""

from __future__ import annotations

import json
from collections import Counter

from .validate import annotator_of


def _region_key(item: dict) -> str:
    return json.dumps({k: item.get(k) for k in ("from_name", "to_name", "type", "value")},
                      ensure_ascii=False, sort_keys=True)


def _span(region: dict) -> tuple:
    value = region.get("value") or {}
    return region.get("from_name"), value.get("start"), value.get("end")


def export_summary(export: list) -> tuple[Counter, Counter, Counter, Counter]:
    """Multisets of tasks, annotations, regions and relations, keyed by content and annotator
    (not server ids), so that an export and its re-export from another server compare equal."""
    tasks, annotations, regions, relations = Counter(), Counter(), Counter(), Counter()
    for task in export:
        doc_id = (task.get("data") or {}).get("doc_id") or f"task {task.get('id')}"
        tasks[doc_id] += 1
        for ann in task.get("annotations") or []:
            result = ann.get("result") or []
            doc = (doc_id, annotator_of(ann.get("completed_by")))
            annotations[(doc, bool(ann.get("ground_truth")), bool(ann.get("was_cancelled")))] += 1
            by_id = {r.get("id"): r for r in result if r.get("type") != "relation"}
            for r in result:
                if r.get("type") == "relation":
                    a, b = by_id.get(r.get("from_id"), {}), by_id.get(r.get("to_id"), {})
                    relations[(doc, _span(a), _span(b), tuple(r.get("labels") or ()), r.get("direction"))] += 1
                else:
                    regions[(doc, _region_key(r))] += 1
    return tasks, annotations, regions, relations


def diff_summary(old: list, new: list) -> tuple[bool, str]:
    """(changed?, 'tasks +0 -0, annotations +1 -0, regions +12 -3, relations +2 -0')."""
    parts, changed = [], False
    for name, a, b in zip(("tasks", "annotations", "regions", "relations"), export_summary(old), export_summary(new)):
        added, removed = sum((b - a).values()), sum((a - b).values())
        changed |= bool(added or removed)
        parts.append(f"{name} +{added} -{removed}")
    return changed, ", ".join(parts)


def counts(export: list) -> str:
    t, a, r, rel = (sum(c.values()) for c in export_summary(export))
    return f"{t} task(s), {a} annotation(s), {r} region(s), {rel} relation(s)"
