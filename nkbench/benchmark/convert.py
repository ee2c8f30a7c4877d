"""Other formats -> the prediction format (``nkbench convert``), every projection problem counted.

Formats (``FORMATS``):

- ``conll``: CoNLL/BIO text, one token per line (first column the token, last column its tag),
  a blank line between sentences, ``# document = ID`` (or ``-DOCSTART-`` then that comment)
  before each document's tokens. Tags IOB2 (default) or IOBES.
- ``ner``: rows of the dataset's ``ner`` config (JSON Lines, or the config's Parquet file): tokens
  with their offsets and ``ner_tags`` (names or ClassLabel ids).
- ``docbin``: a spaCy ``DocBin`` (``.spacy``) whose Docs are gold documents or parts of one
  (each Doc's text is found in the gold text); ``doc.ents`` become mentions.
- ``rows``: rows of the dataset's ``documents`` config (ClassLabel ids decoded, ``metadata`` and
  ``text`` dropped: they are not predictions).

Token <-> offset conversion is ``nkbench.core.bio`` (``align_tokens``, ``decode_tags``,
``off_boundary``); nothing here computes an offset of its own. Every repair and every loss is a
count in the returned ``Tally`` (printed by the CLI), never silent:

- the tags a conlleval reading repairs (an ``I-`` without its ``B-``), labels mapped to nothing;
- gold mentions that do not start and end on a boundary of the input's tokens (no tagging of
  these tokens can give them: the span-to-token projection loss);
- documents whose tokens stop before the end of the gold text.

Anything that cannot be converted faithfully is an error naming the file, line (or Doc) and
token: a token that is not the gold text, an unknown tag or type (with a did-you-mean), a
document not in the gold, a file of the wrong format.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..core import bio, schema
from ..core.errors import Errors, NkbenchError, NkbenchErrors, did_you_mean
from ..core.model import Document, Mention

FORMATS = ("conll", "ner", "docbin", "rows")
#: ``--labels`` presets: a mapping from another inventory to ours (None: not an entity of ours).
LABEL_PRESETS: dict[str, Mapping[str, str | None]] = {"ontonotes": schema.FROM_ONTONOTES}

_COMMENT = re.compile(r"^#\s*(document_id|document|doc_id|id)\s*[=:]\s*(\S+)\s*$")


@dataclass
class Tally:
    """What a conversion read, wrote, repaired and lost (all shown to the user)."""

    documents: int = 0
    sentences: int = 0
    tokens: int = 0
    mentions: Counter = field(default_factory=Counter)
    problems: Counter = field(default_factory=Counter)

    def add(self, counts: Mapping[str, int]) -> None:
        for k, n in counts.items():
            self.problems[k] += n

    def as_dict(self) -> dict:
        return {"documents": self.documents, "sentences": self.sentences, "tokens": self.tokens,
                "mentions": dict(sorted(self.mentions.items())), "problems": dict(sorted(self.problems.items()))}


# the problem kinds every conversion reports (zeros included: "counted" means shown)
UNREACHABLE = "gold mentions not on the input's token boundaries (no tagging of these tokens gives them)"
SHORT = "documents whose tokens stop before the end of the gold text"
UNMAPPED = "mentions whose label maps to nothing (--labels/--label-map), left out"
REPAIRED = "inside tag without a begin tag (started a chunk, as conlleval)"


def label_table(preset: str | None, pairs: Mapping[str, str]) -> dict[str, str | None]:
    """Our types (identity), then the preset, then ``--label-map`` pairs (a pair's target must be
    one of our types, or empty for 'not an entity')."""
    table: dict[str, str | None] = {t: t for t in schema.ENTITY_TYPES}
    if preset:
        table.update(LABEL_PRESETS[preset])
    for src, dst in pairs.items():
        if dst and dst not in schema.ENTITY_TYPES:
            raise NkbenchError(f"--label-map {src}={dst}: {dst!r} is not an entity type",
                               hint=did_you_mean(dst, schema.ENTITY_TYPES), code=Errors.E501)
        table[src] = dst or None
    return table


def _map_label(label: str, table: Mapping[str, str | None], where: str) -> str | None:
    if label not in table:
        hint = did_you_mean(label, [k for k, v in table.items() if v])
        if label in schema.FROM_ONTONOTES:
            hint += "; for OntoNotes labels (spaCy's English models) add --labels ontonotes"
        raise NkbenchError(f"unknown entity type {label!r}", where=where, hint=hint + "; or map it with --label-map", code=Errors.E502)
    return table[label]


def _gold_by_id(gold: list[Document]) -> dict[str, Document]:
    return {g.id: g for g in gold}


def _document(gold_doc: Document, spans: list[tuple[int, int, str]], tokens: list[bio.Offsets], tally: Tally,
              table: Mapping[str, str | None], where: str) -> Document:
    """A predicted document from character spans (labels mapped), with its projection counts."""
    for kind in (UNREACHABLE, SHORT, UNMAPPED):
        tally.problems[kind] += 0
    mentions = []
    for s, e, label in sorted(set(spans)):
        mapped = _map_label(label, table, f"{where} [{s}:{e}]")
        if mapped is None:
            tally.problems[UNMAPPED] += 1
            continue
        mentions.append(Mention(f"m{len(mentions) + 1}", s, e, gold_doc.text[s:e], mapped))
        tally.mentions[mapped] += 1
    gold_named = [(m.start, m.end) for m in gold_doc.mentions if not m.nominal]
    tally.problems[UNREACHABLE] += bio.off_boundary(tokens, gold_named)
    if tokens and any(not c.isspace() for c in gold_doc.text[max(e for _, e in tokens):]):
        tally.problems[SHORT] += 1
    tally.documents += 1
    return Document(gold_doc.id, gold_doc.language, None, tuple(mentions))


def _unknown_document(doc_id: str, gold: Mapping[str, Document], where: str) -> NkbenchError:
    return NkbenchError(f"document {doc_id!r} is not in the gold", where=where, hint=did_you_mean(doc_id, gold), code=Errors.E503)


def _check_tags(tags: list[tuple[str, str]], scheme: str, table: Mapping[str, str | None], problems: list) -> None:
    """``(where, tag)`` pairs: every ill-formed tag or unknown type, with a did-you-mean."""
    for where, tag in tags:
        why = bio.tag_problem(tag, scheme, table)
        if why:
            _, _, label = tag.partition("-")
            hint = did_you_mean(label, [k for k, v in table.items() if v]) if label else f"tags are O or B-/I-TYPE ({scheme})"
            if label in schema.FROM_ONTONOTES and label not in table:
                hint += "; for OntoNotes labels add --labels ontonotes"
            problems.append(NkbenchError(why, where=where, hint=hint, code=Errors.E504))


# ---------------------------------------------------------------------------------------------
# CoNLL / BIO text


def read_conll(path: Path, text: str) -> list[tuple[str, int, list[list[tuple[int, str, str]]]]]:
    """``(document id, line, sentences)``; a sentence is ``(line, token, tag)`` triples."""
    docs: list = []
    doc_id, doc_line, sents, sent = None, 0, [], []
    problems: list[NkbenchError] = []

    def close_doc():
        nonlocal sents, sent
        if sent:
            sents.append(sent)
            sent = []
        if sents or doc_id is not None:
            if doc_id is None:
                problems.append(NkbenchError("tokens before any '# document = ID' line", where=f"{path}:{doc_line}",
                                             hint="start each document with '# document = ID' (its gold document id)", code=Errors.E505))
            else:
                docs.append((doc_id, doc_line, sents))
        sents = []

    first = next((x.strip() for x in text.splitlines() if x.strip()), "")
    if first.startswith(("{", "[")):
        raise NkbenchError("this is JSON, not CoNLL/BIO text", where=f"{path}:1",
                           hint="a predictions file in our format needs no conversion (nkbench score it); "
                                "dataset rows: --from rows or --from ner", code=Errors.E506)
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            if sent:
                sents.append(sent)
                sent = []
            continue
        m = _COMMENT.match(line)
        if m:
            close_doc()
            doc_id, doc_line = m.group(2), lineno
            continue
        if line.startswith("-DOCSTART-"):
            close_doc()
            doc_id, doc_line = None, lineno
            continue
        if line.startswith("#") and len(line.split()) != 2:
            continue  # a comment (a "#" token has exactly two columns: "# O")
        cols = [c.strip() for c in line.split("\t") if c.strip()] if "\t" in line else line.split()  # tabs: a token may hold spaces
        if len(cols) < 2:
            problems.append(NkbenchError(f"line {line[:40]!r} has one column, expected TOKEN ... TAG", where=f"{path}:{lineno}",
                                         hint="one token per line, its tag in the last column (tab or space separated)", code=Errors.E507))
            continue
        if doc_id is None and not sents and not sent:
            doc_line = lineno
        sent.append((lineno, cols[0], cols[-1]))
    close_doc()
    if problems:
        raise NkbenchErrors(problems, what=str(path))
    if not docs:
        raise NkbenchError("no tokens: not a CoNLL/BIO file", where=str(path),
                           hint="one 'TOKEN TAG' pair per line, '# document = ID' before each document", code=Errors.E508)
    return docs


def from_conll(path: Path, gold: list[Document], *, scheme: str = "IOB2", table: Mapping[str, str | None],
               strict_tags: bool = False) -> tuple[list[Document], Tally]:
    from ..core.io import read_text

    text = read_text(path)
    docs = read_conll(path, text)
    by_id, tally, out, problems, seen = _gold_by_id(gold), Tally(), [], [], {}
    all_tags = [(f"{path}:{ln}", tag) for _, _, sents in docs for sent in sents for ln, _, tag in sent]
    _check_tags(all_tags, scheme, table, problems)
    if problems:
        raise NkbenchErrors(problems, what=str(path))
    tally.problems[REPAIRED] += 0
    for doc_id, line, sents in docs:
        where = f"{path}:{line} (document {doc_id!r})"
        g = by_id.get(doc_id)
        if g is None:
            problems.append(_unknown_document(doc_id, by_id, where))
            continue
        if doc_id in seen:
            problems.append(NkbenchError(f"document {doc_id!r} given twice (first on line {seen[doc_id]})", where=where, code=Errors.E509))
            continue
        seen[doc_id] = line
        try:
            tokens = bio.align_tokens(g.text, [tok for sent in sents for _, tok, _ in sent], where=where)
        except bio.TokenMismatch as err:
            lines = [ln for sent in sents for ln, _, _ in sent]
            problems.append(NkbenchError(err.reason, where=f"{path}:{lines[err.index]} (document {doc_id!r})", hint=err.hint, code=err.code))
            continue
        spans, i = [], 0
        for sent in sents:
            toks, tags = tokens[i:i + len(sent)], [tag for _, _, tag in sent]
            i += len(sent)
            got, counts = bio.decode_tags(toks, tags, scheme)
            if strict_tags and any(counts.values()):
                at = _first_repair(toks, tags, scheme)
                problems.append(NkbenchError(f"ill-formed tag {tags[at]!r} ({', '.join(k for k, n in counts.items() if n)})",
                                             where=f"{path}:{sent[at][0]} (document {doc_id!r})",
                                             hint="fix the tags, or drop --strict-tags to read them as conlleval does", code=Errors.E510))
            tally.add(counts)
            spans += got
        tally.sentences += len(sents)
        tally.tokens += len(tokens)
        out.append(_document(g, spans, tokens, tally, table, where))
    if problems:
        raise NkbenchErrors(problems, what=str(path))
    return out, tally


def _first_repair(tokens, tags, scheme: str) -> int:
    """The index of the first tag at which the conlleval reading repairs something (an inside tag
    without its begin tag; in IOBES also the tag after a chunk left without its end tag)."""
    for j in range(1, len(tags) + 1):
        if any(bio.decode_tags(tokens[:j], tags[:j], scheme)[1].values()):
            return j - 1
    return 0


# ---------------------------------------------------------------------------------------------
# The dataset's ``ner`` config


def _read_rows(path: Path) -> list[tuple[str, dict]]:
    """``(where, row)`` of a JSON Lines file or a Parquet file."""
    if path.suffix == ".parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError:  # pragma: no cover - pyarrow comes with datasets
            raise NkbenchError("reading Parquet needs pyarrow", where=str(path), hint="pip install pyarrow, or give JSON Lines", code=Errors.E511) from None
        try:
            rows = pq.read_table(path).to_pylist()
        except Exception as err:  # pyarrow raises many types for a bad file
            raise NkbenchError(f"not a readable Parquet file ({type(err).__name__})", where=str(path), code=Errors.E512) from None
        return [(f"{path} row {i}", r) for i, r in enumerate(rows)]
    from ..core.io import display_name, iter_jsonl

    return [(f"{display_name(path)}:{ln}", obj) for ln, obj in iter_jsonl(path)]


NER_FIELDS = ("document_id", "tokens", "ner_tags")


def from_ner(path: Path, gold: list[Document], *, table: Mapping[str, str | None], strict_tags: bool = False) -> tuple[list[Document], Tally]:
    from ..dataset.features import NER_TAGS

    by_id, tally, problems = _gold_by_id(gold), Tally(), []
    per_doc: dict[str, list] = {}
    for where, row in _read_rows(path):
        if not isinstance(row, dict) or any(k not in row for k in NER_FIELDS):
            missing = [k for k in NER_FIELDS if not isinstance(row, dict) or k not in row]
            hint = ("this is a `documents` row: use --from rows" if isinstance(row, dict) and "mentions" in row
                    else f"a `ner` row has {', '.join(NER_FIELDS)} (and token_starts/token_ends)")
            problems.append(NkbenchError(f"not a row of the dataset's `ner` config (no {', '.join(missing)})", where=where, hint=hint, code=Errors.E513))
            continue
        tags = row["ner_tags"]
        if not isinstance(tags, list) or not isinstance(row["tokens"], list) or len(tags) != len(row["tokens"]):
            problems.append(NkbenchError("tokens and ner_tags must be lists of the same length", where=where, code=Errors.E514))
            continue
        names = []
        for i, t in enumerate(tags):
            if isinstance(t, int) and not isinstance(t, bool):
                if not 0 <= t < len(NER_TAGS):
                    problems.append(NkbenchError(f"ner_tags[{i}]: ClassLabel id {t} out of range (0..{len(NER_TAGS) - 1})",
                                                 where=where, hint="the ids are those of the dataset's ner_tags feature", code=Errors.E515))
                    t = "O"
                else:
                    t = NER_TAGS[t]
            elif not isinstance(t, str):
                problems.append(NkbenchError(f"ner_tags[{i}]: expected a tag name or a ClassLabel id, got {type(t).__name__}",
                                             where=where, code=Errors.E516))
                t = "O"
            names.append(t)
        _check_tags([(f"{where}: ner_tags[{i}]", t) for i, t in enumerate(names)], "IOB2", table, problems)
        per_doc.setdefault(str(row["document_id"]), []).append((where, row, names))
    if problems:
        raise NkbenchErrors(problems, what=str(path))
    out = []
    tally.problems[REPAIRED] += 0
    for doc_id, rows in per_doc.items():
        where0 = rows[0][0]
        g = by_id.get(doc_id)
        if g is None:
            problems.append(_unknown_document(doc_id, by_id, where0))
            continue
        tokens_all, spans = [], []
        for where, row, names in sorted(rows, key=lambda r: (r[1].get("sentence_index") or 0)):
            starts, ends = row.get("token_starts"), row.get("token_ends")
            try:
                if isinstance(starts, list) and isinstance(ends, list) and len(starts) == len(ends) == len(row["tokens"]):
                    tokens = list(zip(starts, ends))
                    for i, ((s, e), tok) in enumerate(zip(tokens, row["tokens"])):
                        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(g.text)) or g.text[s:e] != tok:
                            raise NkbenchError(f"token {i} {tok!r} at [{s}:{e}] is not the gold text there", where=where,
                                               hint="token_starts/token_ends are code-point offsets into the gold text", code=Errors.E517)
                else:
                    tokens = bio.align_tokens(g.text, row["tokens"], start=row.get("sentence_start") or 0, where=where)
            except NkbenchError as err:
                problems.append(err)
                continue
            got, counts = bio.decode_tags(tokens, names, "IOB2")
            if strict_tags and any(counts.values()):
                problems.append(NkbenchError("ill-formed tag sequence (an I- tag without its B-)", where=where,
                                             hint="fix the tags, or drop --strict-tags to read them as conlleval does", code=Errors.E518))
            tally.add(counts)
            spans += got
            tokens_all += tokens
            tally.sentences += 1
        tally.tokens += len(tokens_all)
        out.append(_document(g, spans, sorted(tokens_all), tally, table, f"{where0} (document {doc_id!r})"))
    if problems:
        raise NkbenchErrors(problems, what=str(path))
    return out, tally


# ---------------------------------------------------------------------------------------------
# spaCy DocBin


def from_docbin(path: Path, gold: list[Document], *, table: Mapping[str, str | None]) -> tuple[list[Document], Tally]:
    """Each Doc is a gold document (same text) or a part of exactly one (its text occurs once in
    one gold text); ``doc.ents`` become mentions at the Doc's offset in the gold text."""
    try:
        import spacy
        from spacy.tokens import DocBin
    except ImportError:
        raise NkbenchError("reading a DocBin needs spaCy", where=str(path), hint="pip install spacy", code=Errors.E519) from None
    from ..core.io import read_bytes

    data = read_bytes(path)
    try:
        db = DocBin().from_bytes(data)
        docs = list(db.get_docs(spacy.blank("xx").vocab))
    except Exception as err:  # msgpack/zlib/spaCy raise many types for a file that is not a DocBin
        raise NkbenchError(f"not a spaCy DocBin ({type(err).__name__})", where=str(path),
                           hint="write one with spacy.tokens.DocBin(docs=...).to_disk(PATH)", code=Errors.E520) from None
    if not docs:
        raise NkbenchError("the DocBin holds no Doc", where=str(path), code=Errors.E521)
    from spacy.attrs import ENT_IOB, ENT_TYPE

    if not {ENT_IOB, ENT_TYPE} <= set(db.attrs):
        raise NkbenchError("the DocBin does not store entities (its attrs lack ENT_IOB/ENT_TYPE): every Doc would "
                           "read as having none", where=str(path),
                           hint="save it with the default attrs: DocBin(docs=...), or DocBin(attrs=[..., 'ENT_IOB', 'ENT_TYPE'])", code=Errors.E522)
    tally, problems = Tally(), []
    exact = {g.text: g for g in gold}
    found: dict[str, list] = {}
    for i, doc in enumerate(docs):
        where = f"{path}: Doc {i}"
        g, offset = exact.get(doc.text), 0
        if g is None:
            hits = [(x, x.text.find(doc.text)) for x in gold if doc.text and doc.text in x.text]
            times = sum(x.text.count(doc.text) for x, _ in hits)
            if times != 1:
                why = ("its text occurs more than once in the gold" if times > 1 else "its text is not in any gold document")
                problems.append(NkbenchError(f"{why} ({doc.text[:40]!r}...)", where=where,
                                             hint="a Doc must hold a gold document's text, or a part of it, unchanged "
                                                  "(same language, same characters)", code=Errors.E523))
                continue
            g, offset = hits[0]
            tally.problems["Docs that are a part of a gold document"] += 1
        else:
            tally.problems["Docs that are a part of a gold document"] += 0
        for ent in doc.ents:
            if not ent.label_:
                continue
            why = "" if ent.label_ in table else ent.label_
            if why:
                hint = did_you_mean(ent.label_, [k for k, v in table.items() if v])
                if ent.label_ in schema.FROM_ONTONOTES:
                    hint += "; for OntoNotes labels (spaCy's English models) add --labels ontonotes"
                problems.append(NkbenchError(f"unknown entity type {ent.label_!r} ({ent.text!r})",
                                             where=f"{where} [{ent.start_char}:{ent.end_char}]", hint=hint, code=Errors.E524))
        found.setdefault(g.id, []).append((offset, doc))
    if problems:
        raise NkbenchErrors(problems, what=str(path))
    out = []
    by_id = _gold_by_id(gold)
    for doc_id, parts in found.items():
        g = by_id[doc_id]
        tokens, spans = [], []
        for offset, doc in parts:  # token texts found in the gold text by nkbench.core.bio, entities from token indices
            kept = [t.i for t in doc if not t.is_space]
            at = dict(zip(kept, bio.align_tokens(g.text, [doc[i].text for i in kept], start=offset,
                                                 where=f"{path} (document {doc_id!r})")))
            tokens += at.values()
            for e in doc.ents:
                inside = [at[i] for i in range(e.start, e.end) if i in at]
                if inside:
                    spans.append((inside[0][0], inside[-1][1], e.label_))
        tokens.sort()
        tally.sentences += len(parts)
        tally.tokens += len(tokens)
        out.append(_document(g, spans, tokens, tally, table, f"{path} (document {doc_id!r})"))
    return out, tally


# ---------------------------------------------------------------------------------------------
# ``documents`` rows


def from_rows(path: Path, gold: list[Document]) -> tuple[list[Document], Tally]:
    """Rows of the ``documents`` config (JSON Lines as ``datasets`` writes them, or the config's
    Parquet file) -> predictions: the same reading as ``nkbench score``
    (``predictions.parse_document``, ``check_predictions``), text and metadata left out."""
    from .scoring.predictions import CLASS_LABELS, check_predictions, parse_document

    tally, problems, parsed, seen = Tally(), [], [], {}
    tally.problems["ClassLabel ids decoded to names"] += 0
    for i, (where, row) in enumerate(_read_rows(path), 1):
        try:
            doc = parse_document(row, where, gold=False)
        except NkbenchErrors as err:
            problems += err.problems
            continue
        except NkbenchError as err:
            if "row of the dataset's" in err.reason:
                raise
            problems.append(err)
            continue
        if doc.id in seen:
            problems.append(NkbenchError(f"document {doc.id!r} given twice (first: {seen[doc.id]})", where=where, code=Errors.E525))
            continue
        seen[doc.id] = where
        tally.problems["ClassLabel ids decoded to names"] += _count_ids(row, CLASS_LABELS)
        parsed.append((i, doc))
    if problems:
        raise NkbenchErrors(problems, what=str(path))
    docs = check_predictions(parsed, gold, path)
    tally.documents = len(docs)
    for d in docs:
        for m in d.mentions:
            if not m.nominal:
                tally.mentions[m.label] += 1
    return [Document(d.id, d.language, None, d.mentions, d.events, d.cues, d.claims) for d in docs], tally


def _count_ids(obj, labels) -> int:
    n = 0

    def walk(value, path):
        nonlocal n
        if isinstance(value, dict):
            for k, v in value.items():
                if (*path, k) in labels and isinstance(v, int) and not isinstance(v, bool):
                    n += 1
                else:
                    walk(v, (*path, k))
        elif isinstance(value, list):
            for v in value:
                walk(v, path)
    walk(obj, ())
    return n
