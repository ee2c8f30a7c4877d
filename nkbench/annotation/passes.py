"""Quote-anchored annotation files: how an annotator (or an annotation helper) writes a pass by
hand without counting characters.

A pass file ``annotation/passes/<annotator>/<doc_id>.json`` is the model's JSON form in which each
span gives ``quote`` (the exact characters, as in the verbatim text) and ``occurrence`` (1-based,
counting every match including overlapping ones; default 1) instead of ``start``/``end``.
``start``/``end`` may be given instead, or as well (then they must agree with the quote).
``resolve_pass`` turns such a file into a Document with exact offsets, and fails naming the file,
the item and the reason (quote not found, occurrence out of range, offsets that disagree).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..core.errors import Errors, NkbenchError, NkbenchErrors
from ..core.io import read_documents, read_json
from ..core.model import Document, LAYERS, document_from_dict
from ..core.validity import structural_problems

PASS_FIELDS = {"document", "annotator", "new_entities", "notes", "reading_log", *LAYERS}


def unread_sentences(obj: dict, text: str) -> list[int]:
    """Sentence numbers (1-based, ``nkbench.core.bio.sentences`` without protection) that the pass's
    ``reading_log`` (a list of {"sentence": n, "note": "..."}) does not cover."""
    from ..core.bio import sentences

    logged = {e.get("sentence") for e in obj.get("reading_log") or [] if isinstance(e, dict)}
    return [n for n in range(1, len(sentences(text)) + 1) if n not in logged]


def occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of ``quote`` in ``text``."""
    out, i = [], text.find(quote)
    while quote and i != -1:
        out.append(i)
        i = text.find(quote, i + 1)
    return out


def resolve_pass(obj: dict, text: str, language: str, where: str) -> tuple[Document, dict]:
    """A pass object -> (Document with exact offsets, new_entities). Raises NkbenchErrors."""
    if not isinstance(obj, dict):
        raise NkbenchError("expected a JSON object", where=where, code=Errors.E232)
    problems: list[NkbenchError] = []
    for key in sorted(set(obj) - PASS_FIELDS):
        problems.append(NkbenchError("unknown field", where=f"{where}: {key}", hint=f"fields: {', '.join(sorted(PASS_FIELDS))}", code=Errors.E233))
    if not isinstance(obj.get("new_entities") or {}, dict):
        problems.append(NkbenchError(f"expected an object {{id: {{type, name, aliases}}}}, got {type(obj['new_entities']).__name__}",
                                     where=f"{where}: new_entities", code=Errors.E234))
    if not isinstance(obj.get("annotator", ""), (str, type(None))):
        problems.append(NkbenchError(f"expected a string, got {type(obj['annotator']).__name__}", where=f"{where}: annotator", code=Errors.E235))
    doc = {"id": obj.get("document"), "language": language, "text": text}
    for layer in LAYERS:
        items = []
        if not isinstance(obj.get(layer) or [], list):
            problems.append(NkbenchError(f"expected a list, got {type(obj[layer]).__name__}", where=f"{where}: {layer}", code=Errors.E236))
            continue
        for i, item in enumerate(obj.get(layer) or []):
            path = f"{where}: {layer}[{i}] ({item.get('id') if isinstance(item, dict) else item!r})"
            if not isinstance(item, dict):
                problems.append(NkbenchError("expected an object", where=path, code=Errors.E237))
                continue
            item = dict(item)
            quote = item.pop("quote", None)
            occurrence = item.pop("occurrence", 1)
            if quote is not None and not isinstance(quote, str):
                problems.append(NkbenchError(f"quote must be a string, got {type(quote).__name__}", where=path, code=Errors.E238))
                continue
            if quote is not None:
                found = occurrences(text, quote)
                if not found:
                    problems.append(NkbenchError(f"quote {quote!r} not found in the text", where=path,
                                                 hint="copy the characters exactly (double spaces, NBSP, curly quotes)", code=Errors.E239))
                    continue
                if not isinstance(occurrence, int) or isinstance(occurrence, bool) or not 1 <= occurrence <= len(found):
                    problems.append(NkbenchError(f"occurrence {occurrence!r} of {quote!r}: the text has {len(found)}", where=path, code=Errors.E240))
                    continue
                start = found[occurrence - 1]
                if ("start" in item and item["start"] != start) or ("end" in item and item["end"] != start + len(quote)):
                    problems.append(NkbenchError(f"start/end {item.get('start')}/{item.get('end')} disagree with quote occurrence at {start}", where=path, code=Errors.E241))
                    continue
                item["start"], item["end"] = start, start + len(quote)
            item.setdefault("text", text[item.get("start", 0):item.get("end", 0)])
            items.append(item)
        doc[layer] = items
    if problems:
        raise NkbenchErrors(problems, what=where)
    document = document_from_dict(doc, where=where)
    structural = structural_problems(document)
    if structural:
        raise NkbenchErrors([NkbenchError(p.reason, where=f"{where}: {p.where}", hint=p.hint, code=p.code) for p in structural], what=where)
    return document, dict(obj.get("new_entities") or {})


def load_pass_dir(folder: Path, seeds) -> tuple[str, list[Document], dict]:
    """Every ``<doc_id>.json`` of one annotator's folder -> (annotator, documents, new entities)."""
    folder = Path(folder)
    docs, new_entities, problems, annotators = [], {}, [], set()
    files = sorted(folder.glob("*.json"))
    if not files:
        raise NkbenchError("no pass files (<doc_id>.json)", where=str(folder), code=Errors.E242)
    for path in files:
        obj = read_json(path)
        doc_id = obj.get("document") if isinstance(obj, dict) else None
        if doc_id != path.stem:
            problems.append(NkbenchError(f"'document' is {doc_id!r} but the file is named for {path.stem!r}", where=str(path), code=Errors.E243))
            continue
        if doc_id not in seeds:
            problems.append(NkbenchError(f"unknown document id {doc_id!r}", where=str(path), code=Errors.E244))
            continue
        try:
            doc, new = resolve_pass(obj, seeds[doc_id].text, seeds[doc_id].language, str(path))
        except NkbenchErrors as err:
            problems.extend(err.problems)
            continue
        annotators.add(obj.get("annotator"))
        docs.append(doc)
        new_entities.update(new)
    if len(annotators) > 1:
        problems.append(NkbenchError(f"several annotators in one folder: {sorted(map(str, annotators))}", where=str(folder), code=Errors.E245))
    if problems:
        raise NkbenchErrors(problems, what=str(folder))
    return annotators.pop() or folder.name, docs, new_entities


def read_pass(spec: str, seeds: Mapping) -> tuple[str, list[Document]]:
    """``NAME=FILE.jsonl`` (resolved documents) or a quote-anchored pass folder (``load_pass_dir``)."""
    name, sep, path = spec.partition("=")
    if sep:
        if not name:
            raise NkbenchError(f"--pass {spec!r}: empty annotator name", hint="write --pass NAME=FILE.jsonl", code=Errors.E401)
        return name, read_documents(path)
    if Path(spec).is_dir():
        annotator, docs, _ = load_pass_dir(Path(spec), seeds)
        return annotator, docs
    raise NkbenchError(f"--pass {spec!r}: neither NAME=FILE.jsonl nor a pass folder",
                       hint="write --pass annotator-a=a.jsonl, or give annotation/passes/annotator-a", code=Errors.E402)


def passes_from(project, export: str | Path | None = None, specs=()) -> dict[str, list[Document]]:
    """The passes a command compares (``nkbench annotate agreement``): those given as ``specs``
    (``read_pass``), else those of ``export`` (default: the project's gold export)."""
    from .gold import load_passes
    from .seeds import load_seeds

    seeds = load_seeds(project.seeds_dir)
    if specs:
        passes = dict(read_pass(spec, seeds) for spec in specs)
        if export is not None:
            raise NkbenchError("give --export or --pass, not both", code=Errors.E815)
        return passes
    return load_passes(export or project.gold_export, seeds)


def sentence_lines(text: str) -> list[str]:
    """The numbered sentences of ``text`` with their offsets (for a pass's reading log)."""
    from ..core.bio import sentences

    return [f"{n:>3} [{s}:{e}] {text[s:e]}" for n, (s, e) in enumerate(sentences(text), start=1)]


def occurrence_lines(text: str, find: str) -> list[str]:
    """Every occurrence of ``find`` in ``text``, numbered as a pass's ``occurrence``, with its offsets
    and 30 characters of context on each side (line breaks shown as ⏎)."""
    out = []
    for n, s in enumerate(occurrences(text, find), start=1):
        e = s + len(find)
        out.append(f"{n}  [{s}:{e}]  ...{text[max(0, s - 30):s]}«{text[s:e]}»{text[e:e + 30]}...".replace("\n", "⏎"))
    return out


def layer_counts(docs: list[Document]) -> dict[str, int]:
    """How many mentions, events, cues and claims ``docs`` hold."""
    return {layer: sum(len(getattr(d, layer)) for d in docs) for layer in ("mentions", "events", "cues", "claims")}
