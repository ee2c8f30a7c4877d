"""What a dataset folder built by ``nkbench data build`` holds, and what may replace or upload it.

A built folder holds exactly ``README.md`` (the card, whose YAML ``pretty_name`` is ours and whose
``configs`` name the data files) and one ``<config>/<split>.parquet`` per config it lists. Two
rules follow from that, used by ``data build --out`` and ``data push``:

- ``replaceable(out_dir)``: ``data build`` writes into a new path, an empty folder, or a folder
  that is a previous build (only the card and known config files); anything else (a user's
  folder, a regular file, a symlink) is refused and left untouched.
- ``own_files(data_dir)``: the files ``data push`` uploads are the card and the data files its
  configs name, each a regular file inside the folder (no symlink anywhere on its path); every
  other file (dotfiles such as ``.env``, notes, keys) is never uploaded.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..core.errors import Errors, NkbenchError
from . import features as feats

CARD = "README.md"


def _own_paths() -> set[str]:
    return {f"{c}/{feats.split_of(c)}.parquet" for c in feats.CONFIGS}


def _front_matter(card: Path) -> dict:
    """The card's YAML header (between the leading ``---`` lines) as a dict, or an error."""
    import yaml

    from ..core.io import read_text

    text = read_text(card)
    if not text.startswith("---\n") or "\n---\n" not in text[3:]:
        raise NkbenchError("has no YAML header, so it is not a dataset card nkbench wrote", where=str(card),
                           hint="build the dataset with `nkbench data build`", code=Errors.E419)
    try:
        header = yaml.safe_load(text[4: text.index("\n---\n", 3)])
    except (yaml.YAMLError, RecursionError) as err:
        raise NkbenchError(f"its YAML header does not parse ({type(err).__name__})", where=str(card),
                           hint="rebuild it with `nkbench data build`", code=Errors.E420) from None
    if not isinstance(header, dict):
        raise NkbenchError("its YAML header is not a mapping", where=str(card), hint="rebuild it with `nkbench data build`", code=Errors.E421)
    return header


def is_ours(card: Path) -> bool:
    """``card`` is a dataset card written by ``nkbench data build`` (its ``pretty_name`` is ours)."""
    try:
        return _front_matter(card).get("pretty_name") == feats.PRETTY_NAME
    except NkbenchError:
        return False


def _regular_inside(root: Path, rel: str) -> Path | None:
    """``root/rel`` when it is a regular file reached without any symlink; else None."""
    path = root
    for part in rel.split("/"):
        path = path / part
        try:
            st = os.lstat(path)
        except OSError:
            return None
        if stat.S_ISLNK(st.st_mode):
            return None
    return path if stat.S_ISREG(st.st_mode) else None


def own_files(data_dir: Path) -> list[str]:
    """The relative paths of the dataset's own files (the upload plan): the card, then the data
    files its ``configs`` name. An error for a folder that is not a dataset nkbench built."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise NkbenchError("no such folder" if not data_dir.exists() else "is not a folder", where=str(data_dir),
                           hint="give the dataset folder `nkbench data build` wrote (--dir)", code=Errors.E422)
    card = _regular_inside(data_dir, CARD)
    if card is None:
        raise NkbenchError("no dataset card (README.md as a regular file)", where=str(data_dir),
                           hint="run `nkbench data build` first", code=Errors.E423)
    header = _front_matter(card)
    if header.get("pretty_name") != feats.PRETTY_NAME:
        raise NkbenchError("not a dataset nkbench built (its card's pretty_name is not nkbench's)", where=str(card),
                           hint="give the folder `nkbench data build` wrote; nothing else is uploaded", code=Errors.E424)
    configs = header.get("configs")
    if not isinstance(configs, list) or not configs:
        raise NkbenchError("the card's YAML has no configs list", where=str(card), hint="rebuild it with `nkbench data build`", code=Errors.E425)
    files = [CARD]
    for i, config in enumerate(configs):
        name = config.get("config_name") if isinstance(config, dict) else None
        data_files = config.get("data_files") if isinstance(config, dict) else None
        if name not in feats.CONFIGS or not isinstance(data_files, list):
            raise NkbenchError(f"configs[{i}] is not one of nkbench's configs ({name!r})", where=str(card),
                               hint="rebuild it with `nkbench data build`", code=Errors.E426)
        for entry in data_files:
            rel = entry.get("path") if isinstance(entry, dict) else None
            if rel != f"{name}/{feats.split_of(name)}.parquet":
                raise NkbenchError(f"config {name!r} names the data file {rel!r}, not {name}/{feats.split_of(name)}.parquet",
                                   where=str(card), hint="rebuild it with `nkbench data build`", code=Errors.E427)
            if _regular_inside(data_dir, rel) is None:
                raise NkbenchError(f"config {name!r}: its data file is missing, a symlink or not a regular file",
                                   where=str(data_dir / rel), hint="rebuild it with `nkbench data build`", code=Errors.E428)
            if rel in files:
                raise NkbenchError(f"config {name!r} is listed twice", where=str(card), hint="rebuild it with `nkbench data build`", code=Errors.E429)
            files.append(rel)
    return files


def replaceable(out_dir: Path) -> None:
    """An error unless ``data build`` may put its output at ``out_dir`` (see the module docstring)."""
    out_dir = Path(out_dir)
    hint = "give a new or empty folder, or the folder a previous `nkbench data build` wrote"
    if out_dir.is_symlink():
        raise NkbenchError("is a symlink; the dataset folder is replaced as a whole, so give the real folder",
                           where=str(out_dir), hint=hint, code=Errors.E430)
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        kind = "a file" if out_dir.is_file() else "not a folder (a FIFO or device)"
        raise NkbenchError(f"is {kind}, not a folder; it is left as it is", where=str(out_dir), hint=hint, code=Errors.E431)
    own, configs = _own_paths(), set(feats.CONFIGS)
    foreign = []
    for path in sorted(out_dir.rglob("*")):
        rel = path.relative_to(out_dir).as_posix()
        if path.is_symlink():
            foreign.append(rel)
        elif path.is_dir():
            if rel not in configs:
                foreign.append(rel + "/")
        elif rel != CARD and rel not in own:
            foreign.append(rel)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise NkbenchError(f"is not empty and holds files a dataset build does not make ({shown}); "
                           "nothing was replaced", where=str(out_dir), hint=hint, code=Errors.E432)
    if (out_dir / CARD).exists() and not is_ours(out_dir / CARD):
        raise NkbenchError("holds a README.md that is not a card nkbench wrote; nothing was replaced",
                           where=str(out_dir), hint=hint, code=Errors.E433)


def staging_folder(target: Path) -> Path:
    """A new empty folder beside ``target`` (``.NAME.new-*``, its parent made if needed) with the
    usual mode (the umask; ``mkdtemp`` alone makes 0700): where a build or a copy is written before
    it is swapped in as a whole."""
    import tempfile

    umask = os.umask(0)
    os.umask(umask)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    os.chmod(tmp, 0o777 & ~umask)
    return tmp
