"""What a score report records about its gold, and which gold it scores (``nkbench score`` and
``nkbench compare``): the documents of one ``--language`` (``scored_gold``), the gold's sha256
(``gold_sha256``, the bytes of ``nkbench.core.io.documents_jsonl``, a document at a time; ``GoldHash``
computes it once, while the workers score) and the report's ``provenance``."""

from __future__ import annotations

from pathlib import Path

from ...core.errors import Errors, NkbenchError


def in_language(gold, language: str | None):
    """The gold documents of ``language`` (all when None); none is an error."""
    if language is None:
        return gold
    kept = [g for g in gold if g.language == language]
    if not kept:
        raise NkbenchError(f"no gold document in language {language!r}",
                           hint=f"the gold's languages: {', '.join(sorted({g.language for g in gold})) or 'none'}", code=Errors.E830)
    return kept


def scored_gold(all_gold, language: str | None, unknown_labels: str, *predictions):
    """``in_language``'s gold; when it has none, the predictions are checked first (their problems
    are reported before the language's, as when they were loaded whole)."""
    try:
        return in_language(all_gold, language)
    except NkbenchError:
        from .predictions import PredictionStream

        for path in predictions:
            for _ in PredictionStream(path, all_gold, unknown_labels):
                pass
        raise


def gold_sha256(gold) -> str:
    """sha256 of ``nkbench.core.io.documents_jsonl(gold)``, a document at a time (the same bytes, never all held)."""
    import hashlib

    from ...core.io import document_line

    h = hashlib.sha256()
    for d in gold:
        h.update(document_line(d))
    return h.hexdigest()


class GoldHash:
    """The gold's hash, computed once: ``score_file(..., alongside=hash)`` computes it while the
    workers score; ``value`` computes it if that did not."""

    def __init__(self, gold) -> None:
        self.gold, self.sha256 = gold, None

    def __call__(self) -> None:
        self.sha256 = gold_sha256(self.gold)

    @property
    def value(self) -> str:
        if self.sha256 is None:
            self()
        return self.sha256


def provenance(report: dict, gold, gold_path: Path | None, language: str | None, sha256: str | None = None,
               split: str = "test") -> dict:
    """The JSON report's record of what made it: nkbench version, the gold (hash, split), the language."""
    from ... import __version__

    report["nkbench_version"] = __version__
    report["gold"] = {"sha256": sha256 or gold_sha256(gold), "documents": len(gold),
                      "source": str(gold_path) if gold_path is not None else "project", "split": split,
                      "hashed": "sha256 of the gold documents as JSON Lines (nkbench.core.io.documents_jsonl), all languages"}
    if language:
        report["language"] = language
    return report
