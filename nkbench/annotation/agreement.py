"""Inter-annotator agreement between two annotation passes (Label Studio CE has none).

Computed from the passes in the gold export (``nkbench.annotation.gold.load_passes``), pass A (the first
annotator by name) against pass B. Every figure is symmetric:

- **span F1** per layer (entities = the non-nominal NER layer, event triggers, claims, cues): the
  scorer applied to the two passes, B scored against A as gold (symmetric): its span matching
  (``nkbench.benchmark.scoring.entities.scheme_pairs``, one-to-one and order-independent) in the
  *strict* scheme (same offsets and same type) and the *type* scheme (*overlap*: spans that share
  at least one character and have the same type, SemEval's "type"), and its F1
  (``nkbench.benchmark.scoring.counts.figures``: 2 * matches / (spans in A + spans in B)).
  Broken down per type, language and document.
- **on matched spans** (strict matches): argument agreement (F1 over (role, filler span) of the
  triggers both passes have), claim source and cue agreement (same span, or both absent), canonical
  id agreement (mentions either pass linked), numeric value agreement (same low/high/hedge/counted).
- **Cohen's kappa** (scikit-learn) of per-region attributes on matched spans: polarity and realis
  (triggers), stance (claims), hedge and counted (numeric claims), and the entity type of mentions
  matched by offsets. Kappa is undefined (None) when fewer than two items or a single label.

A figure with nothing to count is None ("n/a"), never 0 or 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np

from ..core.errors import Errors, NkbenchError
from ..core.model import Document

Row = tuple[str, int, int, str]  # (document id, start, end, key)

#: layer -> (spans of a document as (start, end, type), description)
SPAN_LAYERS: dict[str, Callable[[Document], Iterable[tuple[int, int, str]]]] = {
    "entities": lambda d: ((m.start, m.end, m.label) for m in d.mentions if not m.nominal),
    "triggers": lambda d: ((e.start, e.end, e.label) for e in d.events),
    "claims": lambda d: ((c.start, c.end, "CLAIM") for c in d.claims),
    "cues": lambda d: ((c.start, c.end, "CUE") for c in d.cues),
}


def _f1(matches: int, n_a: int, n_b: int) -> float | None:
    """F1 of pass B scored against pass A as gold: the scorer's own figure (``counts.figures``;
    symmetric, 2 * matches / (spans in A + spans in B))."""
    from ..benchmark.scoring.counts import figures

    return figures([matches, 0, 0, n_a - matches, n_b - matches])["f1"]


def _table(rows: list[Row], docs: dict[str, int], keys: dict[str, int]) -> dict[str, np.ndarray]:
    """Rows as the scorer's span table (``scoring.entities.mention_table``'s columns)."""
    arr = np.array([(docs[d], s, e, keys[k]) for d, s, e, k in rows], np.int64).reshape(-1, 4)
    return {"doc": arr[:, 0], "start": arr[:, 1], "end": arr[:, 2], "label": arr[:, 3]}


def scorer_matches(a: list[Row], b: list[Row]) -> dict[str, list[tuple[int, int]]]:
    """Pass B scored against pass A by the scorer's span matching (``scoring.entities.scheme_pairs``,
    one-to-one, order-independent): per scheme, the correct pairs (index in a, index in b).
    ``strict``: same offsets and type; ``type``: overlapping, same type (SemEval's type scheme)."""
    from ..benchmark.scoring.counts import CORRECT
    from ..benchmark.scoring.entities import scheme_pairs

    docs = {d: i for i, d in enumerate(sorted({r[0] for r in a + b}))}
    keys = {k: i for i, k in enumerate(sorted({r[3] for r in a + b}))}
    out = {}
    for name, (pg, pp, cat) in scheme_pairs(_table(a, docs, keys), _table(b, docs, keys), ("strict", "type")):
        ok = cat == CORRECT
        out[name] = list(zip(pg[ok].tolist(), pp[ok].tolist()))
    return out


def overlap_matches(a: list[Row], b: list[Row]) -> list[tuple[int, int]]:
    """One-to-one pairs (index in a, index in b) of overlapping spans with the same type."""
    return scorer_matches(a, b)["type"]


def span_agreement(a: list[Row], b: list[Row], language: dict[str, str]) -> dict:
    """Strict and overlap F1 of two span lists, overall and per type, language and document:
    the scorer applied to the two passes (``scorer_matches``, ``counts.figures``)."""
    pairs = scorer_matches(a, b)
    strict = [a[i] for i, _ in pairs["strict"]]
    matched_a = [a[i] for i, _ in pairs["type"]]

    def figures(select: Callable[[Row], bool]) -> dict:
        sa = [r for r in a if select(r)]
        sb = [r for r in b if select(r)]
        return {"a": len(sa), "b": len(sb),
                "strict_f1": _f1(sum(1 for r in strict if select(r)), len(sa), len(sb)),
                "overlap_f1": _f1(sum(1 for r in matched_a if select(r)), len(sa), len(sb))}

    out = {"all": figures(lambda r: True)}
    out["per_type"] = {k: figures(lambda r, k=k: r[3] == k) for k in sorted({r[3] for r in a + b})}
    out["per_language"] = {lang: figures(lambda r, lang=lang: language[r[0]] == lang) for lang in sorted(set(language.values()))}
    out["per_document"] = {d: figures(lambda r, d=d: r[0] == d) for d in sorted(language)}
    return out


def kappa(pairs: list[tuple[str, str]]) -> dict:
    """Cohen's kappa of paired labels (None when undefined) with the raw agreement."""
    n = len(pairs)
    if n == 0:
        return {"n": 0, "kappa": None, "agreement": None}
    raw = sum(x == y for x, y in pairs) / n
    labels = {x for p in pairs for x in p}
    if n < 2 or len(labels) < 2:
        return {"n": n, "kappa": None, "agreement": raw}
    from sklearn.metrics import cohen_kappa_score

    k = float(cohen_kappa_score([x for x, _ in pairs], [y for _, y in pairs]))
    return {"n": n, "kappa": None if np.isnan(k) else k, "agreement": raw}


def _accuracy(flags: list[bool]) -> dict:
    return {"n": len(flags), "agreement": sum(flags) / len(flags) if flags else None}


def agreement(a_docs: list[Document], b_docs: list[Document]) -> dict:
    """Every agreement figure between two passes over the same documents (see the module doc)."""
    a_by, b_by = {d.id: d for d in a_docs}, {d.id: d for d in b_docs}
    if set(a_by) != set(b_by):
        raise NkbenchError(f"the passes cover different documents: {sorted(set(a_by) ^ set(b_by))}", code=Errors.E267)
    language = {d.id: d.language for d in a_docs}
    spans = {}
    for layer, get in SPAN_LAYERS.items():
        ra = [(d, s, e, k) for d in sorted(a_by) for s, e, k in get(a_by[d])]
        rb = [(d, s, e, k) for d in sorted(b_by) for s, e, k in get(b_by[d])]
        spans[layer] = span_agreement(ra, rb, language)

    args, sources, cues, ids, values = [], [], [], [], []
    k_pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for doc_id in sorted(a_by):
        da, db = a_by[doc_id], b_by[doc_id]
        ma, mb = {m.id: m for m in da.mentions}, {m.id: m for m in db.mentions}
        # mentions matched by offsets: type kappa; linked ones: canonical id agreement
        mb_span = {(m.start, m.end, m.nominal): m for m in db.mentions}
        for m in da.mentions:
            other = mb_span.get((m.start, m.end, m.nominal))
            if other is None:
                continue
            k_pairs["entity type"].append((m.label, other.label))
            if m.entity_id or other.entity_id:
                ids.append(m.entity_id == other.entity_id)
        # triggers matched by offsets and type: attributes and arguments
        eb = {(e.start, e.end, e.label): e for e in db.events}
        n_args_a = n_args_b = n_args_same = 0
        for e in da.events:
            other = eb.get((e.start, e.end, e.label))
            if other is None:
                continue
            k_pairs["polarity"].append((e.polarity, other.polarity))
            k_pairs["realis"].append((e.realis, other.realis))
            fa = {(x.role, ma[x.mention].start, ma[x.mention].end) for x in e.arguments if x.mention in ma}
            fb = {(x.role, mb[x.mention].start, mb[x.mention].end) for x in other.arguments if x.mention in mb}
            n_args_a, n_args_b, n_args_same = n_args_a + len(fa), n_args_b + len(fb), n_args_same + len(fa & fb)
        args.append((n_args_same, n_args_a, n_args_b))
        # claims matched by offsets: stance, source, cue, value
        ca_cues, cb_cues = {c.id: c for c in da.cues}, {c.id: c for c in db.cues}
        cb = {(c.start, c.end): c for c in db.claims}

        def where(x_id, table):
            x = table.get(x_id) if x_id else None
            return (x.start, x.end) if x is not None else None

        for c in da.claims:
            other = cb.get((c.start, c.end))
            if other is None:
                continue
            k_pairs["stance"].append((c.stance, other.stance))
            sources.append(where(c.source, ma) == where(other.source, mb))
            cues.append(where(c.cue, ca_cues) == where(other.cue, cb_cues))
            if c.value is not None and other.value is not None:
                values.append(c.value == other.value)
                k_pairs["hedge"].append((c.value.hedge, other.value.hedge))
                k_pairs["counted"].append((c.value.counted, other.value.counted))
            elif c.value is not None or other.value is not None:
                values.append(False)
    same, na, nb = (sum(x[i] for x in args) for i in range(3))
    return {
        "documents": sorted(a_by),
        "spans": spans,
        "matched": {
            "arguments_f1": {"a": na, "b": nb, "f1": _f1(same, na, nb)},
            "claim_source": _accuracy(sources),
            "claim_cue": _accuracy(cues),
            "canonical_id": _accuracy(ids),
            "numeric_value": _accuracy(values),
        },
        "kappa": {name: kappa(p) for name, p in sorted(k_pairs.items())},
    }


def _fmt(x) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def markdown(result: dict, names: tuple[str, str]) -> str:
    """The agreement tables in Markdown (the datasheet's block and `--format markdown`)."""
    a, b = names
    lines = [f"Passes: `{a}` vs `{b}` over {len(result['documents'])} documents. Span F1 (strict: same offsets and type; "
             "overlap: one-to-one matching of overlapping spans of the same type).", "",
             f"| layer | slice | spans {a} | spans {b} | strict F1 | overlap F1 |", "|---|---|---:|---:|---:|---:|"]
    for layer, fig in result["spans"].items():
        rows = [("all", fig["all"])]
        rows += [(f"type {k}", v) for k, v in fig["per_type"].items()] if len(fig["per_type"]) > 1 else []
        rows += [(f"language {k}", v) for k, v in fig["per_language"].items()]
        rows += [(f"document {k[:3]}", v) for k, v in fig["per_document"].items()]
        for name, v in rows:
            lines.append(f"| {layer} | {name} | {v['a']} | {v['b']} | {_fmt(v['strict_f1'])} | {_fmt(v['overlap_f1'])} |")
    lines += ["", "| on matched spans | items | agreement |", "|---|---:|---:|"]
    m = result["matched"]
    lines.append(f"| event arguments (F1 over role + filler span) | {m['arguments_f1']['a']} / {m['arguments_f1']['b']} | {_fmt(m['arguments_f1']['f1'])} |")
    for key in ("claim_source", "claim_cue", "canonical_id", "numeric_value"):
        lines.append(f"| {key.replace('_', ' ')} | {m[key]['n']} | {_fmt(m[key]['agreement'])} |")
    lines += ["", "| attribute (Cohen's kappa) | items | raw agreement | kappa |", "|---|---:|---:|---:|"]
    for name, k in result["kappa"].items():
        lines.append(f"| {name} | {k['n']} | {_fmt(k['agreement'])} | {_fmt(k['kappa'])} |")
    return "\n".join(lines) + "\n"


def two_passes(passes: dict[str, list[Document]]) -> tuple[tuple[str, str], list[Document], list[Document]]:
    """The two passes to compare (exactly two annotators besides the adjudicated gold)."""
    if len(passes) != 2:
        raise NkbenchError(f"agreement needs exactly two passes, found {len(passes)}: {', '.join(passes) or 'none'}",
                           hint="name them with --pass NAME=FILE.jsonl twice, or check the export's annotations", code=Errors.E268)
    (na, a), (nb, b) = sorted(passes.items())
    return (na, nb), a, b


def of_split(passes: dict[str, list[Document]], seeds, split: str) -> dict[str, list[Document]]:
    """Each pass's documents of one seed split (test or dev): agreement is reported per split,
    never over the test and the development articles together. A document that is not a seed of
    the project (passes given as JSON Lines) counts as test, as before splits existed."""
    def split_of(doc_id: str) -> str:
        return seeds[doc_id].split if doc_id in seeds else "test"

    return {name: [d for d in docs if split_of(d.id) == split] for name, docs in passes.items()}


def markdown_block(project, split: str = "test") -> str:
    """The datasheet's agreement block (the test articles), from the project's gold export."""
    from .gold import load_passes
    from .seeds import load_seeds

    seeds = load_seeds(project.seeds_dir)
    names, a, b = two_passes(of_split(load_passes(project.gold_export, seeds), seeds, split))
    if not a:
        return f"No {split} article has two passes in the gold export yet.\n"
    return markdown(agreement(a, b), names)


def markdown_block_dev(project) -> str:
    """The datasheet's agreement block of the development articles (``nkbench annotate agreement --split dev``)."""
    return markdown_block(project, "dev")
