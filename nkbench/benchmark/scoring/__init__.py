"""The scoring harness: pure functions over Documents (see ``harness.score``/``harness.compare``).

Modules, one concern each: ``predictions`` (load and check files), ``matching`` (one-to-one
order-independent matching), ``entities``, ``events``, ``claims``, ``seqbio`` (tag sequences),
``counts`` (outcomes -> counts -> figures), ``units`` and ``stats`` (bootstrap, randomisation),
``report`` (rendering). Heavy imports (numpy, scipy, sklearn) happen only when these are used.
"""

from __future__ import annotations


def score(*args, **kwargs):
    """``harness.score``: see its docstring."""
    from .harness import score as _score

    return _score(*args, **kwargs)


def compare(*args, **kwargs):
    """``harness.compare``: see its docstring."""
    from .harness import compare as _compare

    return _compare(*args, **kwargs)
