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
    check_manifest(records, manifest_path)
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
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            problems.append(NkbenchError(f"not UTF-8 (byte offset {err.start})", where=str(path)))
            continue
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


_SEED_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_FIELDS = {"id": (str,), "language": (str,), "sha256": (str,), "length": (int,), "date": (str, type(None)),
           "date_basis": (str,), "date_note": (str,), "outlet": (str, type(None))}
_REQUIRED = ("id", "language", "sha256", "length")


def check_manifest(records: list, manifest_path: Path) -> None:
    """Every manifest record is an object with the documented fields and types, and an id that
    names a file inside the seeds folder (no path); every problem is raised at once."""
    problems, seen = [], {}
    for i, rec in enumerate(records):
        where = f"{manifest_path}: record {i}"
        if not isinstance(rec, dict):
            problems.append(NkbenchError(f"expected an object, got {type(rec).__name__}", where=where))
            continue
        if isinstance(rec.get("id"), str):
            where += f" ({rec['id']!r})"
        for key in _REQUIRED:
            if key not in rec:
                problems.append(NkbenchError(f"missing field {key!r}", where=where))
        for key, value in rec.items():
            kinds = _FIELDS.get(key)
            if kinds is None:
                problems.append(NkbenchError(f"unknown field {key!r}", where=where,
                                             hint=f"the fields are {', '.join(_FIELDS)}"))
            elif not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
                names = "/".join("null" if k is type(None) else k.__name__ for k in kinds)
                problems.append(NkbenchError(f"{key}: expected {names}, got {type(value).__name__}", where=where))
        sid = rec.get("id")
        if isinstance(sid, str):
            if not _SEED_ID.match(sid):
                problems.append(NkbenchError(f"id {sid[:40]!r} is not a file stem (letters, digits, '_', '-', '.')",
                                             where=where, hint="an id names seeds/<id>.txt; it holds no path"))
            elif sid in seen:
                problems.append(NkbenchError(f"id {sid!r} also in record {seen[sid]}", where=where))
            seen.setdefault(sid, i)
        sha = rec.get("sha256")
        if isinstance(sha, str) and not re.fullmatch(r"[0-9a-f]{64}", sha):
            problems.append(NkbenchError("sha256 is not 64 lowercase hex digits", where=where))
        if isinstance(rec.get("length"), int) and rec["length"] < 0:
            problems.append(NkbenchError("length is negative", where=where))
    if problems:
        raise NkbenchErrors(problems, what=str(manifest_path))
