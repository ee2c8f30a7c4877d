"""Tag-sequence (BIO) scoring: chunk F1 over token tags, vectorised, seqeval-compatible.

Two decoders, both over a list of sentences (lists of tag strings), flattened the way seqeval
flattens them (an ``O`` after every sentence, chunk offsets counted over the flat sequence):

- ``lenient``: seqeval's default mode (conlleval rules, ``get_entities``) on ANY tag strings: a
  tag's prefix is its first character and its type ``tag[1:].split("-", 1)[-1] or "_"`` (so
  ``"PER"`` is prefix ``P``, type ``ER``; ``"B"`` and ``"O"`` have type ``_``); a chunk ends/starts
  by seqeval's ``end_of_chunk``/``start_of_chunk`` truth tables, in which B, I, E, S, O and ``.``
  are special and every other first character behaves alike. Ill-formed runs (an ``I-X`` without
  ``B-X``, a type change inside a run, an unknown prefix) form chunks exactly as seqeval decodes
  them, including seqeval's two quirks: a chunk takes the type of its LAST token, and begins at the
  last chunk start seen (which may lie before an earlier chunk end, e.g. ``["BB", "O", "P", "BB"]``
  gives ``("B", 0, 0)``, ``("_", 0, 2)`` and ``("B", 3, 3)``).
- ``strict`` (IOB2): a chunk is ``B-X`` followed by the maximal run of ``I-X``; an ``I`` that does
  not continue a chunk starts nothing (seqeval ``mode="strict", scheme=IOB2``; the type is
  ``tag[1:].strip("-") or "_"``). A tag whose first character is not B, I or O is an error
  (seqeval raises ``ValueError`` for E, S, U, L and ``KeyError`` for any other character).

An empty tag ``""`` is an error in both modes (seqeval raises ``IndexError``). Otherwise the
chunks, and so the counts, are seqeval 1.2.2's on every input (property-tested on arbitrary
strings in ``tests/test_scoring_seqbio.py``).

``chunk_f1`` is micro F1 over the sets of ``(type, begin, end)`` chunks (seqeval's
``f1_score``); it is None when neither side has a chunk (seqeval returns 0.0 with a warning):
the one documented difference in the figures.
"""

from __future__ import annotations

from itertools import chain

import numpy as np

from ...core.errors import Errors, NkbenchError

MODES = ("lenient", "strict")


class _Vocab(dict):
    """Tag -> code, new tags numbered on first sight; ``O`` is 0."""

    def __init__(self) -> None:
        super().__init__(O=0)

    def __missing__(self, key: str) -> int:
        self[key] = len(self)
        return self[key]


def _lengths(seqs: list[list[str]]) -> np.ndarray:
    return np.fromiter(map(len, seqs), np.int64, len(seqs))


def _encode(seqs: list[list[str]], vocab: _Vocab, lens: np.ndarray | None = None) -> np.ndarray:
    """Flat tag codes with an ``O`` (code 0) appended after every sentence.

    One dictionary look-up per token (the only per-token Python work of the module); codes are
    int32 unless there are 2**31 tokens or more."""
    lens = _lengths(seqs) if lens is None else lens
    total = int(lens.sum())
    codes = np.fromiter(map(vocab.__getitem__, chain.from_iterable(seqs)), np.int32 if total < 2 ** 31 else np.int64, total)
    return np.insert(codes, np.cumsum(lens), 0)


def _parse_vocab(vocab: list[str], mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Per vocabulary entry: prefix character code and type code (seqeval's parsing rules)."""
    prefixes, types, type_index = [], [], {}
    for tag in vocab:
        if not tag:
            raise NkbenchError("empty tag '' (a tag needs at least its prefix character)", hint="tag a token outside every chunk 'O'", code=Errors.E545)
        if mode == "lenient":
            prefix, typ = tag[:1], tag[1:].split("-", maxsplit=1)[-1] or "_"
        else:
            prefix, typ = tag[:1], tag[1:].strip("-") or "_"
            if prefix not in ("B", "I", "O"):
                raise NkbenchError(f"tag {tag!r} is not IOB2 (prefix must be B, I or O)", hint="use mode 'lenient' for other schemes", code=Errors.E546)
        prefixes.append(ord(prefix) if prefix else 0)
        types.append(type_index.setdefault(typ, len(type_index)))
    return np.array([_CLASS.get(c, 7) for c in prefixes], np.int8), np.array(types, np.int32 if len(types) < 2 ** 31 else np.int64)


def _decode(codes: np.ndarray, vocab: list[str], mode: str) -> np.ndarray:
    """Chunks ``(type code, begin, end)`` of a flat code sequence; type codes are shared by
    every sequence encoded with the same vocabulary."""
    if mode not in MODES:
        raise NkbenchError(f"unknown mode {mode!r}", hint=f"modes: {', '.join(MODES)}", code=Errors.E547)
    prefix_of, type_of = _parse_vocab(vocab, mode)
    tag, typ = prefix_of[codes], type_of[codes]
    b, e = _lenient(tag, typ) if mode == "lenient" else _strict(tag, typ)
    # seqeval names a chunk by the type of its LAST token (``prev_type`` when the chunk ends);
    # in the lenient mode a chunk's first token may have another type (see the module doc)
    return np.stack([typ[e], b, e], axis=1) if len(b) else np.zeros((0, 3), np.int64)


def chunks(seqs: list[list[str]], mode: str = "lenient") -> list[tuple[str, int, int]]:
    """seqeval-style chunks ``(type, begin, end)`` (inclusive end, flat offsets) of sentences."""
    vocab = _Vocab()
    codes = _encode(seqs, vocab)
    words = list(vocab)
    _, type_of = _parse_vocab(words, mode)
    name_of = {int(type_of[i]): _type_name(t, mode) for i, t in enumerate(words)}
    return [(name_of[int(t)], int(b), int(e)) for t, b, e in _decode(codes, words, mode)]


def _type_name(tag: str, mode: str) -> str:
    return (tag[1:].split("-", maxsplit=1)[-1] if mode == "lenient" else tag[1:].strip("-")) or "_"


_B, _I, _E, _S, _O, _DOT = range(1, 7)  # prefix classes; 7: any other first character
_CLASS = {ord(c): k for c, k in zip("BIESO.", range(1, 7))}


def _truth_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """seqeval's ``end_of_chunk``/``start_of_chunk`` (lenient) and the IOB2 continuation (strict)
    as look-up tables indexed by ``(previous class * 8 + class) * 2 + (type differs)``."""
    end, start, cont = (np.zeros(128, bool) for _ in range(3))
    for p in range(8):
        for t in range(8):
            for diff in (0, 1):
                k = (p * 8 + t) * 2 + diff
                end[k] = (p in (_E, _S) or (p in (_B, _I) and t in (_B, _S, _O))
                          or (p not in (_O, _DOT) and bool(diff)))
                start[k] = (t in (_B, _S) or (p in (_E, _S, _O) and t in (_E, _I))
                            or (t not in (_O, _DOT) and bool(diff)))
                cont[k] = t == _I and p in (_B, _I) and not diff
    return end, start, cont


_END, _START, _CONT = _truth_tables()


def _transitions(tag: np.ndarray, typ: np.ndarray) -> np.ndarray:
    """Per token ``(previous class * 8 + class) * 2 + (type differs from the previous token's)``;
    before the first token: class ``O`` and no type (seqeval's ``prev_type ''``)."""
    code = np.empty(len(tag), np.int8)
    code[0] = _O * 8
    np.multiply(tag[:-1], 8, out=code[1:])
    code += tag
    code *= 2
    diff = np.empty(len(tag), bool)
    diff[0] = True
    np.not_equal(typ[1:], typ[:-1], out=diff[1:])
    code += diff
    return code


def _lenient(tag: np.ndarray, typ: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """seqeval ``get_entities`` over the flat sequence, vectorised (two table look-ups)."""
    if len(tag) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    # The flat sequence already ends with the 'O' appended after the last sentence, so seqeval's
    # extra final 'O' changes nothing.
    code = _transitions(tag, typ)
    ends = np.flatnonzero(_END[code])
    starts = np.flatnonzero(_START[code])
    k = np.searchsorted(starts, ends, side="left") - 1  # the last start strictly before the end
    begin = np.where(k >= 0, starts[np.maximum(k, 0)] if len(starts) else 0, 0)
    return begin, ends - 1


def _strict(tag: np.ndarray, typ: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """IOB2 strict: ``B-X I-X*``; orphan ``I`` runs are not chunks."""
    n = len(tag)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    seg_start = np.flatnonzero(~_CONT[_transitions(tag, typ)])
    seg_end = np.append(seg_start[1:], n) - 1
    keep = tag[seg_start] == _B
    return seg_start[keep], seg_end[keep]


def chunk_counts(y_true: list[list[str]], y_pred: list[list[str]], mode: str = "lenient") -> tuple[int, int, int]:
    """``(true_positives, predicted, gold)`` chunk counts (chunks as sets, like seqeval).

    Every chunk of one side has its own end offset (both decoders emit at most one chunk per
    end), so the chunks, in order of their ends, are already a set; the true positives are the
    predicted chunks whose end is a gold chunk's end with the same begin and type (a merge by
    ``searchsorted``, no sort)."""
    lens_t, lens_p = _lengths(y_true), _lengths(y_pred)
    if len(lens_t) != len(lens_p) or not np.array_equal(lens_t, lens_p):
        raise NkbenchError("gold and predicted tag sequences differ in length", hint="one tag per token, same sentences", code=Errors.E548)
    vocab = _Vocab()  # shared: both sides get the same type codes
    codes_t, codes_p = _encode(y_true, vocab, lens_t), _encode(y_pred, vocab, lens_p)
    words = list(vocab)
    ct, cp = _decode(codes_t, words, mode), _decode(codes_p, words, mode)
    if len(ct) == 0 or len(cp) == 0:
        return 0, len(cp), len(ct)
    at = np.searchsorted(cp[:, 2], ct[:, 2])
    found = at < len(cp)
    m = cp[at[found]]
    tp = int(np.count_nonzero((m == ct[found]).all(axis=1)))
    return tp, len(cp), len(ct)


def chunk_f1(y_true: list[list[str]], y_pred: list[list[str]], mode: str = "lenient") -> float | None:
    """Micro chunk F1 (seqeval ``f1_score``); None when neither side has a chunk."""
    tp, n_pred, n_gold = chunk_counts(y_true, y_pred, mode)
    return 2 * tp / (n_pred + n_gold) if n_pred + n_gold else None
