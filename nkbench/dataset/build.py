"""Write and check ``data/``: the inputs -> every file's bytes -> an atomic swap (or a diff).

``render(inputs)`` is deterministic: the same inputs give byte-identical files. ``write`` puts
them into a temporary folder beside ``data/`` and swaps it in; ``check`` compares without writing.
Inputs are read by ``load_inputs`` from the paths the caller gives (the CLI takes them from the
project, ``nkbench.core.project.Project``). Seeds with no gold document yet are *not annotated yet*:
left out of every configuration and listed in ``Inputs.not_annotated`` (the CLI prints the count).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core import schema
from ..core.errors import Errors, NkbenchError, NkbenchErrors
from ..core.model import Document
from ..annotation.passes import read_pass
from ..annotation.seeds import Seed, load_seeds
from ..core.inventory import read_inventory as read_records
from ..core.validity import seed_problems, structural_problems
from . import features as feats
from . import rows as R



@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything ``data/`` is made from."""

    seeds: Mapping[str, Seed]
    gold: Sequence[Document]
    passes: Mapping[str, Sequence[Document]] = field(default_factory=dict)
    entities: Mapping[str, Mapping] | None = None
    links: Mapping[str, Mapping] | None = None
    not_annotated: Sequence[str] = ()
    version: str | None = None  # the dataset version (nkbench.toml `dataset_version`)
    changes: str = ""  # Markdown: the version and what changed since the previous one (golddiff)


# ---------------------------------------------------------------------------------------------
# Reading inputs


def read_inventory(path: str | os.PathLike | None, default: Path | None) -> dict | None:
    """``annotation/entities.json`` / ``links.json`` (or ``path``); None when absent and not asked for."""
    if path is None:
        if default is None or not default.exists():
            return None
        path = default
    records = read_records(path)
    if records is None:
        raise NkbenchError("no such file", where=str(path), hint="give an existing inventory, or leave the option out", code=Errors.E403)
    return records


# ---------------------------------------------------------------------------------------------
# Validation: every problem at once, each with where it is


def _check_docs(docs: Sequence[Document], seeds: Mapping[str, Seed], what: str) -> list[NkbenchError]:
    problems, seen = [], set()
    for d in docs:
        where = f"{what}: document {d.id!r}"
        if d.id in seen:
            problems.append(NkbenchError("document appears twice", where=where, code=Errors.E404))
            continue
        seen.add(d.id)
        if bad := seed_problems(d.id, d.text, d.language, seeds, where):
            problems += bad
            continue
        problems += [NkbenchError(p.reason, where=f"{what}: {p.where}", hint=p.hint, code=p.code) for p in structural_problems(d)]
    return problems


#: The fields of an entity inventory record (annotation/entities.json).
ENTITY_FIELDS = frozenset({"type", "name", "aliases", "nominals", "note"})


def validate(inputs: Inputs) -> None:
    """Raise NkbenchErrors listing every inconsistency of the inputs."""
    problems = _check_docs(inputs.gold, inputs.seeds, "gold")
    if not inputs.gold:
        problems.append(NkbenchError("no gold document at all", where="gold",
                                     hint="annotate and adjudicate at least one seed first (annotation/README.md)", code=Errors.E405))
    for annotator, docs in inputs.passes.items():
        problems += _check_docs(docs, inputs.seeds, f"pass {annotator!r}")
    if inputs.entities is not None:
        for eid, rec in inputs.entities.items():
            where = f"entities: {eid!r}"
            if not isinstance(rec, dict) or not isinstance(rec.get("name"), str):
                problems.append(NkbenchError("expected {type, name, aliases}", where=where, code=Errors.E406))
            elif rec.get("type") not in schema.ENTITY_TYPES:
                problems.append(NkbenchError(f"unknown type {rec.get('type')!r}", where=where, code=Errors.E407))
            elif bad := [k for k in ("aliases", "nominals") if not isinstance(rec.get(k, []), list)
                         or not all(isinstance(a, str) for a in rec.get(k) or [])]:
                got = rec.get(bad[0])
                problems.append(NkbenchError(f"{bad[0]} must be a list of strings, got {type(got).__name__} {str(got)[:40]!r}",
                                             where=where, hint=f'write "{bad[0]}": ["Artsakh"], not "{bad[0]}": "Artsakh"', code=Errors.E408))
            elif not isinstance(rec.get("note", ""), str):
                problems.append(NkbenchError("note must be a string", where=where, code=Errors.E409))
            elif set(rec) - ENTITY_FIELDS:
                problems.append(NkbenchError(f"unknown field(s) {', '.join(sorted(set(rec) - ENTITY_FIELDS))}",
                                             where=where, hint=f"an entity has {', '.join(sorted(ENTITY_FIELDS))}", code=Errors.E410))
        for d in inputs.gold:
            for m in d.mentions:
                if m.entity_id is not None and m.entity_id not in inputs.entities:
                    problems.append(NkbenchError(f"entity id {m.entity_id!r} is not in the entity inventory",
                                                 where=f"gold: document {d.id!r}: mention {m.id!r} {m.text!r}",
                                                 hint="add it to annotation/entities.json or fix the id", code=Errors.E411))
    if inputs.links is not None:
        for lid, rec in inputs.links.items():
            if not isinstance(rec, dict) or rec.get("counted") not in schema.COUNTED:
                problems.append(NkbenchError(f"counted must be one of {', '.join(schema.COUNTED)}", where=f"links: {lid!r}", code=Errors.E412))
            elif not isinstance(rec.get("documents", []), list) or not all(isinstance(x, str) for x in rec.get("documents") or []):
                problems.append(NkbenchError(f"documents must be a list of document ids, got {type(rec.get('documents')).__name__}",
                                             where=f"links: {lid!r}", code=Errors.E413))
            elif not isinstance(rec.get("description", ""), (str, type(None))):
                problems.append(NkbenchError("description must be a string", where=f"links: {lid!r}", code=Errors.E414))
        for d in inputs.gold:
            for c in d.claims:
                where = f"gold: document {d.id!r}: claim {c.id!r}"
                rec = inputs.links.get(c.link) if c.link else None
                rec = rec if isinstance(rec, dict) and isinstance(rec.get("documents", []), list) else {} if rec is not None else None
                if c.link is not None and rec is None:
                    problems.append(NkbenchError(f"link {c.link!r} is not in the link inventory", where=where,
                                                 hint="add it to annotation/links.json or fix the id", code=Errors.E415))
                elif rec is not None and d.id not in (rec.get("documents") or []):
                    problems.append(NkbenchError(f"link {c.link!r} does not list this document", where=where, code=Errors.E416))
    if problems:
        raise NkbenchErrors(problems, what="the dataset inputs")


# ---------------------------------------------------------------------------------------------
# Rendering


def by_split(docs: Sequence[Document], seeds: Mapping[str, Seed], split: str) -> list[Document]:
    """The documents of one seed split (the one rule: ``annotation.gold.of_split``), in manifest order."""
    from ..annotation.gold import of_split

    order = {sid: i for i, sid in enumerate(seeds)}
    return sorted(of_split(docs, seeds, split), key=lambda d: order[d.id])


def config_rows(inputs: Inputs) -> dict[str, list[dict]]:
    """Rows of every config the inputs make, in ``features.CONFIGS`` order (manifest order inside).

    The test articles make every config but ``dev``; the development articles (seed split "dev")
    make only ``dev`` (never mixed with the test articles, in any config or count)."""
    order = {sid: i for i, sid in enumerate(inputs.seeds)}
    gold = by_split(inputs.gold, inputs.seeds, "test")
    dev = by_split(inputs.gold, inputs.seeds, "dev")
    out = {
        "documents": [R.document_row(d, inputs.seeds[d.id]) for d in gold],
        "ner": [r for d in gold for r in R.ner_rows(d)],
        "claims": [r for d in gold for r in R.claim_rows(d)],
    }
    if inputs.passes:
        out["passes"] = [R.pass_row(a, d) for a in sorted(inputs.passes)
                         for d in sorted(inputs.passes[a], key=lambda d: order[d.id])
                         if inputs.seeds[d.id].split == "test"]
    if inputs.entities is not None:
        out["entities"] = R.entity_rows(inputs.entities, gold)
    if inputs.links is not None:
        out["links"] = R.link_rows(inputs.links, gold)
    if dev:
        out[feats.DEV_CONFIG] = [R.document_row(d, inputs.seeds[d.id]) for d in dev]
    return out


def parquet_path(config: str) -> str:
    return f"{config}/{feats.split_of(config)}.parquet"


def render(inputs: Inputs) -> dict[str, bytes]:
    """Every file of ``data/`` (relative path -> bytes). Deterministic."""
    import datasets

    from . import card
    from .stats import compute

    validate(inputs)
    datasets.disable_progress_bars()
    files: dict[str, bytes] = {}
    infos = {}
    with tempfile.TemporaryDirectory(prefix="nkbench-data-") as tmp:
        for config, rows in config_rows(inputs).items():
            features = feats.features(config)
            ds = datasets.Dataset.from_list(rows, features=features)
            path = Path(tmp) / f"{config}.parquet"
            ds.to_parquet(str(path))
            data = path.read_bytes()
            files[parquet_path(config)] = data
            infos[config] = card.ConfigInfo(config, features, len(ds), ds.data.nbytes, len(data), rows)
    test = {d.id for d in by_split(inputs.gold, inputs.seeds, "test")}
    stats = compute([d for d in inputs.gold if d.id in test],
                    {a: [d for d in docs if d.id in test] for a, docs in inputs.passes.items()})
    return {"README.md": card.render(infos, stats, inputs.version, inputs.changes).encode("utf-8"), **files}


# ---------------------------------------------------------------------------------------------
# Writing and checking


def row_counts(files: Mapping[str, bytes]) -> dict[str, int]:
    """Rows of each Parquet file in ``files`` (from the Parquet footer)."""
    import io

    import pyarrow.parquet as pq

    return {rel: pq.ParquetFile(io.BytesIO(data)).metadata.num_rows for rel, data in files.items() if rel.endswith(".parquet")}


def existing_files(out_dir: Path) -> dict[str, Path]:
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return {}
    return {p.relative_to(out_dir).as_posix(): p for p in sorted(out_dir.rglob("*")) if p.is_file()}


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False when unsupported."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot exchange
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def write(files: Mapping[str, bytes], out_dir: Path) -> None:
    """Write ``files`` into a temporary folder beside ``out_dir``, then swap it in as a whole.

    ``out_dir`` must be new, empty, or a previous build (``folder.replaceable``): a folder with
    anything else in it, a regular file or a symlink is refused and left as it is. The swap is
    one atomic exchange under a lock on the parent folder, so a kill or a concurrent build
    leaves the old or the new complete dataset at ``out_dir`` (a kill right after the exchange
    may leave the old copy in a hidden ``.NAME.new-*`` folder beside it). Folders and files get
    the usual modes (the umask). A failed write (full or read-only disk) names the path and
    leaves nothing behind.
    """
    import fcntl

    from .folder import replaceable, staging_folder

    shown = Path(out_dir)
    replaceable(shown)
    out_dir = Path(os.path.abspath(shown))
    tmp = None
    try:
        tmp = staging_folder(out_dir)
        for rel, data in files.items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            with open(tmp / rel, "xb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        lock = os.open(out_dir.parent, os.O_RDONLY)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one swap at a time into this parent folder
            replaceable(shown)  # again, under the lock: another command may have written there
            if not out_dir.exists():
                os.rename(tmp, out_dir)
                tmp = None
            elif _exchange(tmp, out_dir):
                pass  # tmp now holds the old build, removed below
            else:  # no atomic exchange here: two renames (a kill in between leaves .NAME.old-*)
                old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
                os.replace(out_dir, old / out_dir.name)
                os.replace(tmp, out_dir)
                tmp = old
        finally:
            os.close(lock)
    except OSError as err:
        raise NkbenchError(f"cannot write the dataset ({err.strerror or err}); {shown} is as it was",
                           where=str(err.filename or shown),
                           hint="check the folder is writable and the disk has room", code=Errors.E417) from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _first_line_difference(old: bytes, new: bytes) -> str:
    a, b = old.decode("utf-8", "replace").splitlines(), new.decode("utf-8", "replace").splitlines()
    for i, (x, y) in enumerate(zip(a, b), start=1):
        if x != y:
            return f"line {i}: is {x[:80]!r}, the inputs make {y[:80]!r}"
    return f"{len(a)} lines, the inputs make {len(b)}"


def _parquet_difference(old_path: Path, new: bytes) -> str:
    import io

    import pyarrow.parquet as pq

    try:
        old_t = pq.read_table(old_path)
    except Exception as err:  # a corrupt file is a difference, not a crash
        return f"not readable as Parquet ({type(err).__name__}: {err})"
    new_t = pq.read_table(io.BytesIO(new))
    if old_t.schema.metadata != new_t.schema.metadata or old_t.schema != new_t.schema:
        return "declared features/schema differ"
    if old_t.num_rows != new_t.num_rows:
        return f"{old_t.num_rows} rows, the inputs make {new_t.num_rows}"
    for i, (x, y) in enumerate(zip(old_t.to_pylist(), new_t.to_pylist())):
        if x != y:
            col = next(k for k in y if x.get(k) != y.get(k))
            return f"row {i} ({y.get('id')!r}): column {col!r} differs"
    return "same rows, different bytes (another pyarrow/datasets version?)"


def check(files: Mapping[str, bytes], out_dir: Path) -> list[str]:
    """Every difference between ``out_dir`` and ``files`` (empty: current). Writes nothing."""
    have = existing_files(out_dir)
    diffs = []
    for rel, data in files.items():
        if rel not in have:
            diffs.append(f"{out_dir / rel}: missing")
            continue
        old = have[rel].read_bytes()
        if old != data:
            detail = _parquet_difference(have[rel], data) if rel.endswith(".parquet") else _first_line_difference(old, data)
            diffs.append(f"{out_dir / rel}: differs: {detail}")
    diffs += [f"{out_dir / rel}: not made by the inputs (extra file)" for rel in have if rel not in files]
    return diffs


def load_inputs(seeds_dir: Path, gold: str | os.PathLike, passes: Sequence[str] = (),
                entities: str | os.PathLike | None = None, links: str | os.PathLike | None = None, *,
                default_entities: Path | None = None, default_links: Path | None = None, project=None) -> Inputs:
    """Read every input: the seeds, the gold (a Label Studio ``.json`` export, which carries its
    passes, or a ``.jsonl`` of documents), extra passes and the inventories (given, else the
    defaults when they exist). With ``project``: its dataset version and what changed in the gold
    since the previous version (``nkbench.annotation.golddiff``), for the card."""
    from ..annotation.gold import load_gold, load_tasks, not_annotated, split_tasks

    seeds = load_seeds(seeds_dir)
    pass_docs: dict[str, list[Document]] = {}
    if Path(gold).suffix == ".jsonl":
        gold_docs = load_gold(gold, seeds)
    else:
        gold_docs, export_passes = split_tasks(load_tasks(gold, seeds), seeds)
        if not passes:  # an export carries its passes beside the gold
            pass_docs = export_passes
    for spec in passes:
        name, docs = read_pass(spec, seeds)
        if name in pass_docs:
            raise NkbenchError(f"annotator {name!r} given twice", where=f"--pass {spec}", code=Errors.E418)
        pass_docs[name] = docs
    version, changes = None, ""
    if project is not None:
        from ..annotation.golddiff import changes_markdown, dataset_version

        version = dataset_version(project)
        test_docs = by_split(gold_docs, seeds, "test")  # the versions compare the test gold; dev is its own config
        changes = changes_markdown(project, test_docs, project.relative(Path(gold))) if version else ""
    return Inputs(seeds, gold_docs, pass_docs, read_inventory(entities, default_entities),
                  read_inventory(links, default_links), tuple(not_annotated(seeds, gold_docs)), version, changes)
