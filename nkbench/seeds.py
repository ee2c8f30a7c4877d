"""The seed articles: verbatim texts under ``seeds/`` and their manifest.

The manifest (``seeds/manifest.json``) holds one record per article: ``id`` (the file stem),
``language`` (detected by ``detect_language`` and checked by hand), ``sha256`` of the file's bytes,
``length`` in code points, the ``date`` the article reports on with ``date_basis`` ("stated" in the
text or "inferred" from the events it reports, with ``date_note`` saying how), and ``outlet``
(null: the seed files do not name their publishers).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import NkbenchError, NkbenchErrors
from .io import read_json

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
MANIFEST = "manifest.json"

_STOP = {
    "es": {"el", "la", "los", "las", "de", "del", "que", "y", "en", "un", "una", "por", "con", "para", "se", "su", "dijo"},
    "en": {"the", "of", "and", "to", "in", "a", "that", "by", "with", "for", "on", "its", "is", "said", "which"},
}


@dataclass(frozen=True, slots=True)
class Seed:
    """One verbatim article and its manifest record."""

    id: str
    language: str
    sha256: str
    length: int
    date: str | None
    date_basis: str
    date_note: str
    outlet: str | None
    text: str


def detect_language(text: str) -> str:
    """'es' or 'en' by stop-word counts (enough for these two languages; checked by hand)."""
    words = re.findall(r"\w+", text.lower())
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOP.items()}
    return max(sorted(scores), key=scores.__getitem__)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_seeds(seeds_dir: Path = SEEDS_DIR, *, verify: bool = True) -> dict[str, Seed]:
    """Every seed in manifest order, keyed by id. With ``verify``, a changed seed is an error."""
    manifest_path = Path(seeds_dir) / MANIFEST
    records = read_json(manifest_path)
    if not isinstance(records, list):
        raise NkbenchError("expected a JSON list of records", where=str(manifest_path))
    problems, seeds = [], {}
    for i, rec in enumerate(records):
        where = f"{manifest_path}: record {i} ({rec.get('id')!r})"
        path = Path(seeds_dir) / f"{rec['id']}.txt"
        if not path.exists():
            problems.append(NkbenchError("seed file is missing", where=f"{where}: {path}"))
            continue
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if verify and digest != rec["sha256"]:
            problems.append(NkbenchError(
                f"seed no longer matches its hash (sha256 {digest}, manifest {rec['sha256']})",
                where=str(path), hint="restore it byte for byte from ../shared/seeds/ (seeds are never edited)"))
            continue
        text = raw.decode("utf-8")
        if verify and len(text) != rec["length"]:
            problems.append(NkbenchError(f"length {len(text)} != manifest {rec['length']}", where=where))
        seeds[rec["id"]] = Seed(rec["id"], rec["language"], rec["sha256"], rec["length"], rec.get("date"),
                                rec.get("date_basis", "inferred"), rec.get("date_note", ""), rec.get("outlet"), text)
    if verify:
        listed = {r["id"] for r in records}
        for extra in sorted(p.stem for p in Path(seeds_dir).glob("*.txt")):
            if extra not in listed:
                problems.append(NkbenchError("seed file is not in the manifest", where=str(Path(seeds_dir) / f"{extra}.txt")))
    if problems:
        raise NkbenchErrors(problems, what="seeds")
    return seeds
