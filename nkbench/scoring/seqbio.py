"""Tag-sequence (BIO) scoring: chunk F1 over token tags, vectorised, seqeval-compatible.

Two decoders, both over a list of sentences (lists of tag strings), flattened the way seqeval
flattens them (an ``O`` after every sentence, chunk offsets counted over the flat sequence):

- ``lenient``: seqeval's default mode (conlleval rules, ``get_entities``): a tag's prefix is its
  first character and its type ``tag[1:].split("-", 1)[-1] or "_"``; a chunk ends/starts by
  seqeval's ``end_of_chunk``/``start_of_chunk`` truth tables, so ill-formed runs (an ``I-X``
  without ``B-X``, a type change inside a run) still form chunks, exactly as seqeval decodes them.
- ``strict`` (IOB2): a chunk is ``B-X`` followed by the maximal run of ``I-X``; an ``I`` that does
  not continue a chunk starts nothing (seqeval ``mode="strict", scheme=IOB2``). A prefix other
  than B, I, O is an error, as in seqeval.

``chunk_f1`` is micro F1 over the sets of ``(type, begin, end)`` chunks (seqeval's
``f1_score``); it is None when neither side has a chunk (seqeval returns 0.0 with a warning).
"""

from __future__ import annotations

from itertools import chain

import numpy as np

from ..errors import NkbenchError

MODES = ("lenient", "strict")


class _Vocab(dict):
    """Tag -> code, new tags numbered on first sight; ``O`` is 0."""

    def __init__(self) -> None:
        super().__init__(O=0)

    def __missing__(self, key: str) -> int:
        self[key] = len(self)
        return self[key]


def _encode(seqs: list[list[str]], vocab: _Vocab) -> np.ndarray:
    """Flat tag codes with an ``O`` (code 0) appended after every sentence."""
    lens = np.fromiter(map(len, seqs), np.int64, len(seqs))
    codes = np.fromiter(map(vocab.__getitem__, chain.from_iterable(seqs)), np.int64, int(lens.sum()))
    return np.insert(codes, np.cumsum(lens), 0)


def _parse_vocab(vocab: list[str], mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Per vocabulary entry: prefix character code and type code (seqeval's parsing rules)."""
    prefixes, types, type_index = [], [], {}
    for tag in vocab:
        if mode == "lenient":
            prefix, typ = tag[:1], tag[1:].split("-", maxsplit=1)[-1] or "_"
        else:
            prefix, typ = tag[:1], tag[1:].strip("-") or "_"
            if prefix not in ("B", "I", "O"):
                raise NkbenchError(f"tag {tag!r} is not IOB2 (prefix must be B, I or O)", hint="use mode 'lenient' for other schemes")
        prefixes.append(ord(prefix) if prefix else 0)
        types.append(type_index.setdefault(typ, len(type_index)))
    return np.array([_CLASS.get(c, 7) for c in prefixes], np.int8), np.array(types, np.int64)


def _decode(codes: np.ndarray, vocab: list[str], mode: str) -> np.ndarray:
    """Chunks ``(type code, begin, end)`` of a flat code sequence; type codes are shared by
    every sequence encoded with the same vocabulary."""
    if mode not in MODES:
        raise NkbenchError(f"unknown mode {mode!r}", hint=f"modes: {', '.join(MODES)}")
    prefix_of, type_of = _parse_vocab(vocab, mode)
    tag, typ = prefix_of[codes], type_of[codes]
    b, e = _lenient(tag, typ) if mode == "lenient" else _strict(tag, typ)
    return np.stack([typ[b], b, e], axis=1) if len(b) else np.zeros((0, 3), np.int64)


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


def _lenient(tag: np.ndarray, typ: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """seqeval ``get_entities`` over the flat sequence, vectorised."""
    if len(tag) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    # The flat sequence already ends with the 'O' appended after the last sentence, so seqeval's
    # extra final 'O' changes nothing.
    prev_tag = np.concatenate([np.array([_O], np.int8), tag[:-1]])
    prev_typ = np.concatenate([[-1], typ[:-1]])  # seqeval starts with prev_type '' (no real type)
    t_is = lambda c: tag == c  # noqa: E731
    p_is = lambda c: prev_tag == c  # noqa: E731
    diff = prev_typ != typ
    t_bso = t_is(_B) | t_is(_S) | t_is(_O)
    t_ei = t_is(_E) | t_is(_I)
    end = (p_is(_E) | p_is(_S)
           | ((p_is(_B) | p_is(_I)) & t_bso)
           | (~p_is(_O) & ~p_is(_DOT) & diff))
    start = (t_is(_B) | t_is(_S)
             | ((p_is(_E) | p_is(_S) | p_is(_O)) & t_ei)
             | (~t_is(_O) & ~t_is(_DOT) & diff))
    ends = np.flatnonzero(end)
    starts = np.flatnonzero(start)
    k = np.searchsorted(starts, ends, side="left") - 1  # the last start strictly before the end
    begin = np.where(k >= 0, starts[np.maximum(k, 0)] if len(starts) else 0, 0)
    return begin, ends - 1


def _strict(tag: np.ndarray, typ: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """IOB2 strict: ``B-X I-X*``; orphan ``I`` runs are not chunks."""
    n = len(tag)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    prev_tag = np.concatenate([[_O], tag[:-1]])
    prev_typ = np.concatenate([[-1], typ[:-1]])
    cont = (tag == _I) & ((prev_tag == _B) | (prev_tag == _I)) & (prev_typ == typ)
    seg_start = np.flatnonzero(~cont)
    seg_end = np.append(seg_start[1:], n) - 1
    keep = tag[seg_start] == _B
    return seg_start[keep], seg_end[keep]


def _keys(c: np.ndarray, n: int) -> np.ndarray:
    return np.unique((c[:, 0] * (n + 1) + c[:, 1]) * (n + 1) + c[:, 2])


def chunk_counts(y_true: list[list[str]], y_pred: list[list[str]], mode: str = "lenient") -> tuple[int, int, int]:
    """``(true_positives, predicted, gold)`` chunk counts (chunks as sets, like seqeval)."""
    if len(y_true) != len(y_pred) or any(map(int.__ne__, map(len, y_true), map(len, y_pred))):
        raise NkbenchError("gold and predicted tag sequences differ in length", hint="one tag per token, same sentences")
    vocab = _Vocab()  # shared: both sides get the same type codes
    codes_t, codes_p = _encode(y_true, vocab), _encode(y_pred, vocab)
    words = list(vocab)
    ct, cp = _decode(codes_t, words, mode), _decode(codes_p, words, mode)
    n = len(codes_t) + 1
    kt, kp = _keys(ct, n), _keys(cp, n)
    return len(np.intersect1d(kt, kp, assume_unique=True)), len(kp), len(kt)


def chunk_f1(y_true: list[list[str]], y_pred: list[list[str]], mode: str = "lenient") -> float | None:
    """Micro chunk F1 (seqeval ``f1_score``); None when neither side has a chunk."""
    tp, n_pred, n_gold = chunk_counts(y_true, y_pred, mode)
    return 2 * tp / (n_pred + n_gold) if n_pred + n_gold else None
