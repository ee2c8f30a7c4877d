"""The seed articles: verbatim texts under ``seeds/`` and their manifest.

The manifest (``seeds/manifest.json``) holds one record per article: ``id`` (the file stem),
``language`` (``es`` or ``en``: given when the seed is added, checked against ``detect_language``),
``sha256`` of the file's bytes, ``length`` in code points, the ``date`` the article reports on with
``date_basis`` ("stated" in the text or "inferred" from the events it reports, with ``date_note``
saying how; all null when unknown), ``outlet`` (null when the seed file does not name it) and
``split``: ``test`` (a news article of the benchmark) or ``dev`` (a development article: written by
the team, never scored as test; it goes into the dataset's ``dev`` configuration). The split is
given when the seed is added (``nkbench seeds add --split``) and never inferred.

Ids (``nkbench seeds add``): ``NNN_HHHHHHHHHHHHHHHH``, where ``NNN`` is the next serial number
(one more than the largest in the manifest, three digits or more) and ``H...`` the first 16 hex
digits of the sha256 of the file's bytes. The four original seeds keep the ids they came with
(their hex part is not a hash prefix: it was given with the files).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path

from ..core.errors import NkbenchError, NkbenchErrors
from ..core.io import read_json

MANIFEST = "manifest.json"
DATE_BASES = ("stated", "inferred")
#: The splits a seed can belong to: ``test`` (the benchmark's articles) and ``dev`` (development
#: articles, for tuning systems and prompts; never mixed with ``test``).
SPLITS = ("test", "dev")
ID_PATTERN = re.compile(r"(?P<serial>\d{3,})_(?P<hex>[0-9a-f]{16})")

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
    split: str = "test"


def detect_language(text: str) -> str:
    """'es' or 'en' by stop-word counts (enough for these two languages; checked by hand)."""
    words = re.findall(r"\w+", text.lower())
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOP.items()}
    return max(sorted(scores), key=scores.__getitem__)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(seeds_dir: Path) -> list[dict]:
    """The manifest's records, each checked for shape (every problem reported at once)."""
    manifest_path = Path(seeds_dir) / MANIFEST
    if not manifest_path.exists():
        raise NkbenchError("no such file (no seed manifest)", where=str(manifest_path),
                           hint="add articles with `nkbench seeds add FILE --language es|en`")
    records = read_json(manifest_path)
    if not isinstance(records, list):
        raise NkbenchError("expected a JSON list of records", where=str(manifest_path))
    check_manifest(records, manifest_path)
    return records


def load_seeds(seeds_dir: Path, *, verify: bool = True) -> dict[str, Seed]:
    """Every seed in manifest order, keyed by id. With ``verify``, a changed seed is an error."""
    manifest_path = Path(seeds_dir) / MANIFEST
    records = read_manifest(seeds_dir)
    problems, seeds = [], {}
    for i, rec in enumerate(records):
        where = f"{manifest_path}: record {i} ({rec['id']!r})"
        path = Path(seeds_dir) / f"{rec['id']}.txt"
        if not path.exists():
            problems.append(NkbenchError("seed file is missing", where=f"{where}: {path}"))
            continue
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if verify and digest != rec["sha256"]:
            problems.append(NkbenchError(
                f"seed no longer matches its hash (sha256 {digest}, manifest {rec['sha256']})",
                where=str(path), hint="restore it byte for byte (seeds are never edited)"))
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            problems.append(NkbenchError(f"not UTF-8 ({err.reason} at byte {err.start})", where=str(path)))
            continue
        if verify and len(text) != rec["length"]:
            problems.append(NkbenchError(f"length {len(text)} != manifest {rec['length']}", where=where))
        seeds[rec["id"]] = Seed(rec["id"], rec["language"], rec["sha256"], rec["length"], rec.get("date"),
                                rec.get("date_basis"), rec.get("date_note") or "", rec.get("outlet"), text, rec["split"])
    if verify:
        listed = {r["id"] for r in records}
        for extra in sorted(p.stem for p in Path(seeds_dir).glob("*.txt")):
            if extra not in listed:
                problems.append(NkbenchError("seed file is not in the manifest", where=str(Path(seeds_dir) / f"{extra}.txt")))
    if problems:
        raise NkbenchErrors(problems, what="seeds")
    return seeds


def next_id(records: Sequence[dict], raw: bytes, taken: Sequence[str] = ()) -> str:
    """The id of a new seed: the next serial number after every id in ``records``/``taken``, and
    the first 16 hex digits of the sha256 of ``raw`` (see the module docstring)."""
    serials = [int(m.group("serial")) for x in [*(r["id"] for r in records), *taken]
               if (m := ID_PATTERN.fullmatch(x))]
    serial = max(serials, default=-1) + 1
    return f"{serial:03d}_{hashlib.sha256(raw).hexdigest()[:16]}"


@dataclass(frozen=True, slots=True)
class NewSeed:
    """A seed about to be added: its manifest record and its exact bytes."""

    record: dict
    raw: bytes
    source: Path


def plan_additions(seeds_dir: Path, files: Sequence[Path], language: str, *, date: str | None = None,
                   date_basis: str | None = None, date_note: str | None = None,
                   outlet: str | None = None, split: str = "test") -> list[NewSeed]:
    """Check every file and make its record; raise (listing every problem) before anything is written."""
    from ..core.model import LANGUAGES

    problems: list[NkbenchError] = []
    if language not in LANGUAGES:
        from ..core.errors import did_you_mean

        problems.append(NkbenchError(f"unsupported language {language!r}", where="--language",
                                     hint=f"supported: {', '.join(LANGUAGES)}; {did_you_mean(language, LANGUAGES)}"))
    if date is not None:
        try:
            if _date.fromisoformat(date).isoformat() != date:
                raise ValueError
        except ValueError:
            problems.append(NkbenchError(f"date {date!r} is not YYYY-MM-DD", where="--date"))
        if date_basis not in DATE_BASES:
            problems.append(NkbenchError("a date needs its basis", where="--date-basis",
                                         hint="--date-basis stated (written in the text) or inferred (from the events)"))
    elif date_basis is not None or date_note is not None:
        problems.append(NkbenchError("--date-basis/--date-note without --date", where="--date"))
    if split not in SPLITS:
        from ..core.errors import did_you_mean

        problems.append(NkbenchError(f"unknown split {split!r}", where="--split",
                                     hint=f"splits: {', '.join(SPLITS)}; {did_you_mean(split, SPLITS)}"))
    if problems:
        raise NkbenchErrors(problems, what="the options")
    if (Path(seeds_dir) / MANIFEST).exists():
        load_seeds(seeds_dir)  # the folder as it is must be sound (hashes, no stray files) before it grows
        records = read_manifest(seeds_dir)
    else:  # the first seed of a new project
        stray = sorted(Path(seeds_dir).glob("*.txt"))
        if stray:
            raise NkbenchError(f"{len(stray)} .txt file(s) but no manifest.json (first: {stray[0].name})",
                               where=str(seeds_dir), hint="restore seeds/manifest.json, or add into an empty folder")
        records = []
    existing = {r["sha256"]: r["id"] for r in records}
    planned: list[NewSeed] = []
    for f in files:
        path = Path(f)
        if path.exists() and not path.is_dir() and not path.is_file():  # a FIFO or device would block or never end
            problems.append(NkbenchError("not a regular file (a FIFO, socket or device)", where=str(path)))
            continue
        try:
            raw = path.read_bytes()
        except IsADirectoryError:
            problems.append(NkbenchError("is a folder, not a text file", where=str(path)))
            continue
        except OSError as err:
            problems.append(NkbenchError(f"cannot read it: {err.strerror}", where=str(path)))
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            problems.append(NkbenchError(f"not UTF-8 ({err.reason} at byte {err.start})", where=str(path),
                                         hint="convert it to UTF-8 first (e.g. iconv -f latin1 -t utf-8)"))
            continue
        if not text.strip():
            problems.append(NkbenchError("empty (no text)", where=str(path)))
            continue
        if text.startswith("\ufeff"):
            problems.append(NkbenchError("starts with a byte order mark", where=str(path),
                                         hint="remove the BOM: offsets would count it as a character"))
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest in existing:
            problems.append(NkbenchError(f"same text as seed {existing[digest]!r}", where=str(path)))
            continue
        detected = detect_language(text)
        if language in LANGUAGES and detected != language:
            problems.append(NkbenchError(f"reads as {detected!r}, not {language!r}", where=str(path),
                                         hint=f"check the file, or give --language {detected}"))
            continue
        existing[digest] = str(path)
        rec = {"id": next_id(records, raw, [p.record["id"] for p in planned]), "language": language,
               "sha256": digest, "length": len(text), "date": date,
               "date_basis": date_basis if date is not None else None,
               "date_note": date_note if date is not None else None, "outlet": outlet, "split": split}
        planned.append(NewSeed(rec, raw, path))
    if problems:
        raise NkbenchErrors(problems, what="the files to add (nothing was written)")
    return planned


def add_seeds(seeds_dir: Path, planned: Sequence[NewSeed]) -> None:
    """Write the planned seeds: each text first (byte for byte, new files only), the manifest last
    (atomically), so an interrupted add leaves at most unlisted files, which ``load_seeds`` names."""
    from ..core.io import atomic_write_bytes, atomic_write_text, dumps

    seeds_dir = Path(seeds_dir)
    manifest = seeds_dir / MANIFEST
    records = read_manifest(seeds_dir) if manifest.exists() else []
    for p in planned:
        target = seeds_dir / f"{p.record['id']}.txt"
        if target.exists():
            raise NkbenchError("a file with the new id already exists", where=str(target),
                               hint="it is not in the manifest: move it away, then add again")
    for p in planned:
        atomic_write_bytes(seeds_dir / f"{p.record['id']}.txt", p.raw)
    atomic_write_text(manifest, dumps([*records, *(p.record for p in planned)]))


_SEED_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_FIELDS = {"id": (str,), "language": (str,), "sha256": (str,), "length": (int,), "date": (str, type(None)),
           "date_basis": (str, type(None)), "date_note": (str, type(None)), "outlet": (str, type(None)),
           "split": (str,)}
_REQUIRED = ("id", "language", "sha256", "length", "split")


def check_manifest(records: list, manifest_path: Path) -> None:
    """Every manifest record is an object with the documented fields and types, and an id that
    names a file inside the seeds folder (no path); every problem is raised at once."""
    from ..core.errors import did_you_mean
    from ..core.model import LANGUAGES

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
                problems.append(NkbenchError(f"missing field {key!r}", where=where,
                                             hint=f'"split" is {" or ".join(map(repr, SPLITS))}: which set the article is in'
                                             if key == "split" else ""))
        for key, value in rec.items():
            kinds = _FIELDS.get(key)
            if kinds is None:
                close = did_you_mean(key, _FIELDS)
                problems.append(NkbenchError(f"unknown field {key!r}", where=where,
                                             hint=close if close.startswith("did you") else f"the fields are {', '.join(_FIELDS)}"))
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
        if isinstance(rec.get("language"), str) and rec["language"] not in LANGUAGES:
            problems.append(NkbenchError(f"unsupported language {rec['language']!r}", where=where,
                                         hint=f"supported: {', '.join(LANGUAGES)}"))
        if isinstance(rec.get("split"), str) and rec["split"] not in SPLITS:
            problems.append(NkbenchError(f"split {rec['split']!r}", where=where, hint=f"use one of {', '.join(SPLITS)}"))
        if isinstance(rec.get("date_basis"), str) and rec["date_basis"] not in DATE_BASES:
            problems.append(NkbenchError(f"date_basis {rec['date_basis']!r}", where=where,
                                         hint=f"use one of {', '.join(DATE_BASES)}"))
    if problems:
        raise NkbenchErrors(problems, what=str(manifest_path))
