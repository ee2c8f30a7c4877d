"""Where the gold comes from: a project's Label Studio export, the single source of truth.

``annotation/gold_export.json`` (``Project.gold_export``) is a full JSON export of Label Studio 1.23
(see annotation/README.md for how it is produced); each task holds every annotation pass and the
adjudicated gold, marked ``ground_truth``. Everything downstream (``data/``, ``nkbench score``, the
agreement table) reads the gold through these functions. A ``.jsonl`` path is read as gold
documents in the model's JSON form.

``read_gold`` (below) is what ``--gold`` means in every command: a dataset folder, a Hub id, an
export or JSON Lines, recognised from the content.

A seed of the project that has no task in the export is *not annotated yet*: ``not_annotated``
names those, and the dataset and the benchmark leave them out with a count (never an error).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Errors, NkbenchError
from ..core.model import Document

NO_EXPORT_HINT = ("make it with scripts/gold-export or `nkbench annotate pull --out`, "
                  "or name another file (a .json export or a .jsonl of documents)")


def load_tasks(path: str | Path, seeds: Mapping):
    """The export's tasks as ``TaskDocuments`` (gold + passes per task), validated against ``seeds``."""
    from .labelstudio.validate import load_export

    path = Path(path)
    if not path.exists():
        raise NkbenchError("no gold export", where=str(path), hint=NO_EXPORT_HINT, code=Errors.E246)
    return load_export(path, seeds)


def split_tasks(tasks, seeds: Mapping) -> tuple[list[Document], dict[str, list[Document]]]:
    """The gold documents and each annotator's documents (the gold's own annotation excluded, by
    annotator), both in seed order."""
    order = {s: i for i, s in enumerate(seeds)}
    tasks = sorted(tasks, key=lambda t: order.get(t.doc_id, len(order)))
    passes: dict[str, list[Document]] = {}
    for t in tasks:
        for who, doc in t.passes.items():
            if who != t.gold_annotator:
                passes.setdefault(who, []).append(doc)
    return [t.gold for t in tasks], dict(sorted(passes.items()))


def load_gold(path: str | Path, seeds: Mapping | None = None) -> list[Document]:
    """The one way to load a gold file: a ``.jsonl`` of documents with their text (each must pass
    ``validity.structural_problems``, the rule the scorer applies; ``scoring.predictions.load_jsonl_documents``),
    each checked against its seed first when ``seeds`` are given), else a Label Studio export,
    checked against ``seeds``, its gold in seed order."""
    if Path(path).suffix == ".jsonl":
        return _jsonl_gold(path, seeds)
    return split_tasks(load_tasks(path, seeds), seeds)[0]


def _jsonl_gold(path: str | Path, seeds: Mapping | None = None) -> list[Document]:
    """Gold documents from JSON Lines, by the scorer's reader (``load_jsonl_documents``: strict
    fields, ``validity.structural_problems``, and ``validity.seed_problems`` with ``seeds``)."""
    from ..benchmark.scoring.predictions import load_jsonl_documents

    return [d for _, d in load_jsonl_documents(path, gold=True, seeds=seeds)]


def load_passes(path: str | Path, seeds: Mapping) -> dict[str, list[Document]]:
    """Each annotator's documents (the adjudicated gold's own annotation excluded), by annotator."""
    return split_tasks(load_tasks(path, seeds), seeds)[1]


def not_annotated(seeds: Mapping, gold: list[Document]) -> list[str]:
    """Ids of the seeds that have no gold document yet, in manifest order."""
    have = {d.id for d in gold}
    return [s for s in seeds if s not in have]


# -- a gold source as users have it ----------------------------------------------------------------
#
# ``read_gold`` is the one function every command that takes ``--gold`` resolves it with (score,
# compare, benchmark). The kind of source is recognised from what is there, not from a suffix:
#
# - a folder: a Hugging Face dataset (its card README.md names the configs and, as ClassLabel
#   names, the labels), loaded with ``datasets.load_dataset(folder, "documents")``; its features
#   must be nkbench's, so every ClassLabel id decodes to the name it was built from;
# - a file whose content is a JSON list: a Label Studio full JSON export (the adjudicated gold,
#   validated against the project's seeds inside a project, against the tasks' own texts outside);
# - a file of JSON objects, one per line: gold documents with their text (JSON Lines);
# - a path that does not exist and reads ORG/NAME: a dataset on the Hugging Face Hub.

#: What ``--gold`` takes, for help texts and error hints.
GOLD_CHOICES = ("a Hugging Face dataset folder (e.g. data/)", "a Hub dataset id (ORG/NAME)",
                "a Label Studio JSON export (e.g. annotation/gold_export.json)",
                "a JSON Lines file of gold documents")
GOLD_HELP = ("The gold: " + ", ".join(GOLD_CHOICES[:-1]) + " or " + GOLD_CHOICES[-1]
             + "; recognised from its content.")
GOLD_HINT = "--gold takes " + ", ".join(GOLD_CHOICES[:-1]) + " or " + GOLD_CHOICES[-1]

_HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
_FILE_SUFFIXES = (".json", ".jsonl", ".parquet", ".txt", ".csv", ".md")


@dataclass(frozen=True)
class TaskText:
    """What an export is checked against outside a project: each task's own text and language."""

    id: str
    language: str
    text: str


@dataclass(frozen=True)
class Gold:
    """Gold documents and where they came from (``kind``: project, dataset, hub, export, jsonl)."""

    documents: list[Document]
    kind: str
    source: str


def of_split(docs: list[Document], seeds: Mapping, split: str) -> list[Document]:
    """The documents of one seed split (``seeds.SPLITS``: test or dev): the split a seed was added
    to (``nkbench seeds add --split``); the test and the development articles are never mixed."""
    return [d for d in docs if d.id in seeds and seeds[d.id].split == split]


def read_gold(source: str | os.PathLike | None, project=None, split: str = "test") -> Gold:
    """The gold documents of ``source`` (see above) in ``split``; ``None``: the project's gold export (an
    error naming the choices when there is no project). Raises NkbenchError(s), one line each.

    ``split`` (``test`` or ``dev``): from a project's export, the seeds of that split; from a
    dataset folder or the Hub, the ``documents`` config's ``test`` split or the ``dev`` config's
    ``validation`` split. A JSON Lines file, or an export outside a project, is taken whole."""
    if split not in ("test", "dev"):
        raise NkbenchError(f"unknown split {split!r}", where="--split", hint="test (the benchmark) or dev (the development articles)", code=Errors.E333)
    if source is None:
        if project is None:
            from ..core.project import ENV_VAR, MARKER

            raise NkbenchError(f"no gold given, and not inside an nkbench project (no {MARKER} here or above)",
                               hint=f"{GOLD_HINT}; or run inside a project (--project DIR or {ENV_VAR})", code=Errors.E247)
        from .seeds import load_seeds

        seeds = load_seeds(project.seeds_dir)
        return Gold(of_split(load_gold(project.gold_export, seeds), seeds, split), "project", str(project.gold_export))
    path = Path(source)
    text = str(source)
    if path.is_dir():
        return Gold(read_dataset_folder(path, split), "dataset", text)
    if path.exists() or path.is_symlink():
        kind, docs = _read_gold_file(path, project)
        if kind == "export" and project is not None:
            from .seeds import load_seeds

            docs = of_split(docs, load_seeds(project.seeds_dir), split)
        return Gold(docs, kind, text)
    if _HUB_ID.match(text) and not text.lower().endswith(_FILE_SUFFIXES):
        return Gold(read_hub_dataset(text, split), "hub", text)
    raise NkbenchError("no such file or folder, and not a Hub dataset id (ORG/NAME)", where=text, hint=GOLD_HINT, code=Errors.E248)


def _read_gold_file(path: Path, project) -> tuple[str, list[Document]]:
    import json

    from ..core.io import read_text

    if not path.is_file():
        raise NkbenchError("not a regular file or folder", where=str(path), hint=GOLD_HINT, code=Errors.E249)
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError as err:
        raise NkbenchError(f"cannot read ({err.strerror})", where=str(path), code=Errors.E250) from None
    if head == b"PAR1":
        raise NkbenchError("a Parquet file, not a gold source on its own", where=str(path),
                           hint="give the dataset folder that holds it (the one with README.md, e.g. data/)", code=Errors.E251)
    text = read_text(path)
    body = text.lstrip("\ufeff \t\r\n")
    if not body:
        raise NkbenchError("empty file", where=str(path), hint=GOLD_HINT, code=Errors.E252)
    if body[0] == "[":
        from ..core.io import read_json

        tasks = read_json(path)
        if any(isinstance(t, dict) and "data" in t for t in tasks):
            return "export", _read_export(path, project)
        what = "an empty JSON list" if not tasks else "a JSON list whose items are not Label Studio tasks (no 'data')"
        raise NkbenchError(f"{what}: neither a Label Studio export nor JSON Lines of documents", where=str(path),
                           hint="a list of documents? write one JSON object per line (JSON Lines); "
                                "an export? export the full JSON from Label Studio", code=Errors.E253)
    if body[0] != "{":
        raise NkbenchError(f"neither JSON nor JSON Lines (starts with {body[:20]!r})", where=str(path), hint=GOLD_HINT, code=Errors.E254)
    if "\n" in body.strip():  # several lines: JSON Lines, unless it is one pretty-printed object
        try:
            whole = json.loads(body)
        except ValueError:
            whole = None
        if isinstance(whole, dict):
            raise NkbenchError("one JSON object over several lines: neither a Label Studio export (a list of tasks) "
                               "nor JSON Lines (one document per line)", where=str(path), hint=GOLD_HINT, code=Errors.E255)
    return "jsonl", _jsonl_gold(path)


def _read_export(path: Path, project) -> list[Document]:
    """The adjudicated gold of an export: against the project's seeds inside a project; outside,
    against the texts the tasks carry (there are no seeds to compare with)."""
    from ..core.io import read_json

    if project is not None:
        from .seeds import load_seeds

        return load_gold(path, load_seeds(project.seeds_dir))
    texts: dict[str, TaskText] = {}
    for task in read_json(path):
        data = task.get("data")
        if isinstance(data, dict) and isinstance(data.get("doc_id"), str) and isinstance(data.get("text"), str):
            texts.setdefault(data["doc_id"], TaskText(data["doc_id"], data.get("language"), data["text"]))
    return split_tasks(load_tasks(path, texts), texts)[0]


def _features_difference(ours, theirs, prefix: str = "") -> str | None:
    """The first field where two ``datasets`` features differ, described; None when equal."""
    from datasets import ClassLabel, List, Sequence

    if isinstance(ours, dict) or isinstance(theirs, dict):
        if not (isinstance(ours, dict) and isinstance(theirs, dict)):
            return f"{prefix or 'row'} is {_type_name(theirs)}, expected {_type_name(ours)}"
        for key in ours:
            if key not in theirs:
                return f"field {prefix + key!r} is missing"
            diff = _features_difference(ours[key], theirs[key], f"{prefix}{key}.")
            if diff:
                return diff
        extra = [k for k in theirs if k not in ours]
        return f"field {prefix + extra[0]!r} is not nkbench's" if extra else None
    name = prefix.rstrip(".")
    if isinstance(ours, (List, Sequence)) and isinstance(theirs, (List, Sequence)):
        return _features_difference(ours.feature, theirs.feature, prefix)
    if isinstance(ours, ClassLabel):
        if not isinstance(theirs, ClassLabel):
            return f"field {name!r} is {_type_name(theirs)}, not a ClassLabel, so its ids cannot be decoded"
        if list(theirs.names) != list(ours.names):
            from ..core.validity import first_mismatch

            diff = first_mismatch(ours.names, theirs.names)
            got = theirs.names[diff] if diff < len(theirs.names) else "(none)"
            want = ours.names[diff] if diff < len(ours.names) else "(none)"
            return (f"field {name!r}: ClassLabel id {diff} is {got!r}, nkbench's is {want!r} "
                    f"(ids would decode to the wrong names)")
        return None
    if _type_name(ours) != _type_name(theirs):
        return f"field {name!r} is {_type_name(theirs)}, expected {_type_name(ours)}"
    return None


def _type_name(feature) -> str:
    from datasets import ClassLabel, List, Sequence, Value

    if isinstance(feature, Value):
        return feature.dtype
    if isinstance(feature, ClassLabel):
        return "ClassLabel"
    if isinstance(feature, (List, Sequence)):
        return "a list"
    if isinstance(feature, dict):
        return "a struct"
    return type(feature).__name__


def _documents_of(ds, where: str) -> list[Document]:
    """Documents of a loaded ``documents`` split: features checked, ClassLabel ids decoded, each
    document checked like any gold document."""
    from ..dataset import features as feats
    from ..dataset.rows import decode, document_from_row
    from ..core.errors import NkbenchErrors
    from ..core.validity import structural_problems

    diff = _features_difference(feats.features("documents"), ds.features)
    if diff:
        raise NkbenchError(f"the 'documents' config is not nkbench's: {diff}", where=where,
                           hint="give a dataset built by `nkbench data build` (its card declares the label names)", code=Errors.E256)
    docs, problems, seen = [], [], set()
    for i, row in enumerate(ds):
        try:
            doc = document_from_row(decode(row, ds.features))
        except (TypeError, ValueError, KeyError) as err:
            problems.append(NkbenchError(f"row does not decode ({type(err).__name__}: {err})", where=f"{where}: row {i}", code=Errors.E257))
            continue
        if doc.id in seen:
            problems.append(NkbenchError(f"document {doc.id!r} given twice", where=f"{where}: row {i}", code=Errors.E258))
            continue
        seen.add(doc.id)
        problems += [NkbenchError(p.reason, where=f"{where}: row {i}: {p.where}", hint=p.hint, code=p.code) for p in structural_problems(doc)]
        docs.append(doc)
    if problems:
        raise NkbenchErrors(problems, what=where)
    if not docs:
        raise NkbenchError("the 'documents' config has no rows", where=where, code=Errors.E259)
    return docs


def _config(split: str) -> str:
    """The config holding the gold of a seed split: ``documents`` (test) or ``dev``."""
    from ..dataset.features import DEFAULT_CONFIG, DEV_CONFIG

    return DEV_CONFIG if split == "dev" else DEFAULT_CONFIG


def _split(dsd, where: str, config: str = "documents"):
    from ..dataset.features import split_of

    name = split_of(config)
    if name not in dsd:
        raise NkbenchError(f"the {config!r} config has no {name!r} split (splits: {', '.join(dsd) or 'none'})",
                           where=where, hint="the gold is the test split of a dataset built by `nkbench data build`", code=Errors.E260)
    return dsd[name]


def read_dataset_folder(folder: str | os.PathLike, split: str = "test") -> list[Document]:
    """The gold documents of a local Hugging Face dataset folder, as users load it:
    ``datasets.load_dataset(folder, "documents")`` (``"dev"`` for the dev split) offline, in a fresh
    cache folder (``datasets`` caches local folders by their card, not their files)."""
    import tempfile

    from ..dataset.folder import CARD, _front_matter

    folder = Path(folder)
    where = str(folder)
    try:
        entries = sorted(p.name for p in folder.iterdir())
    except OSError as err:
        raise NkbenchError(f"cannot list the folder ({err.strerror})", where=where, code=Errors.E261) from None
    if not entries:
        raise NkbenchError("an empty folder, not a Hugging Face dataset", where=where, hint=GOLD_HINT, code=Errors.E262)
    card = folder / CARD
    if not card.is_file():
        inside = " (it holds a Parquet file: is it one config of a dataset? give the dataset folder above it)" \
            if any(e.endswith(".parquet") for e in entries) else ""
        raise NkbenchError(f"no dataset card ({CARD}), so not a Hugging Face dataset folder{inside}", where=where,
                           hint="the card declares the configs and the label names; " + GOLD_HINT, code=Errors.E263)
    configs = _front_matter(card).get("configs")
    names = [c.get("config_name") for c in configs if isinstance(c, dict)] if isinstance(configs, list) else []
    config = _config(split)
    if config not in names:
        what = ("the development articles are the 'dev' config, which this dataset does not have" if split == "dev"
                else "the gold is the 'documents' config of a dataset built by `nkbench data build`")
        raise NkbenchError(f"the dataset has no {config!r} config (configs: {', '.join(map(str, names)) or 'none'})",
                           where=str(card), hint=what, code=Errors.E264)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    datasets = _datasets()
    with tempfile.TemporaryDirectory(prefix="nkbench-hf-cache-") as cache:
        try:
            dsd = datasets.load_dataset(str(folder), config, cache_dir=cache)
        except Exception as err:  # datasets raises many kinds; each is a bad dataset folder here
            raise NkbenchError(f"datasets.load_dataset cannot load its {config!r} config ({_first_line(err)})",
                               where=where, hint="rebuild it with `nkbench data build`", code=Errors.E265) from None
        return _documents_of(_split(dsd, where, config), f"{where} ({config})")


def read_hub_dataset(repo_id: str, split: str = "test") -> list[Document]:
    """The gold documents of a dataset on the Hugging Face Hub (``datasets.load_dataset(repo_id,
    "documents")``, ``"dev"`` for the dev split; the usual cache, so a dataset loaded once also loads offline)."""
    datasets = _datasets()
    offline = os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")
    config = _config(split)
    try:
        dsd = datasets.load_dataset(repo_id, config)
    except Exception as err:
        hint = ("HF_HUB_OFFLINE is set, so only a dataset already in the local cache loads; give a local copy "
                "of its folder, or unset HF_HUB_OFFLINE" if offline else
                "check the id and the network, or give a local copy of its folder")
        raise NkbenchError(f"not a local file or folder, and the Hugging Face Hub dataset {repo_id!r} could not be "
                           f"loaded ({_first_line(err)})", where=repo_id, hint=hint, code=Errors.E266) from None
    return _documents_of(_split(dsd, repo_id, config), f"{repo_id} ({config})")


def _datasets():
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    return datasets


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0][:300]}" if text else type(err).__name__
