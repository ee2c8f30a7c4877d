"""``nkbench data push``: upload ``data/`` to a Hugging Face dataset repository.

``upload_plan`` lists exactly the files that are uploaded; ``dry_run`` copies them to a folder;
``push`` sends them through ``huggingface_hub`` (token from ``HF_TOKEN`` or the standard login).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ..core.errors import Errors, NkbenchError
from .folder import own_files, staging_folder

REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")


def check_repo_id(repo_id: str) -> str:
    if not REPO_ID.match(repo_id or "") or ".." in repo_id or len(repo_id) > 96:
        raise NkbenchError(f"invalid repo id {repo_id!r}", where="--repo-id",
                           hint="write ORG/NAME (letters, digits, '-', '_', '.'), e.g. my-org/nkbench", code=Errors.E434)
    return repo_id


def upload_plan(data_dir: Path) -> list[str]:
    """The relative paths that are uploaded: the card and the data files its configs name
    (``folder.own_files``); dotfiles, symlinks and any other file are never uploaded, and a
    folder that is not a dataset nkbench built is refused."""
    return own_files(data_dir)


def others(data_dir: Path, files: list[str]) -> list[str]:
    """The files in ``data_dir`` that are not uploaded (to say so)."""
    data_dir = Path(data_dir)
    planned = set(files)
    return sorted(p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*")
                  if (p.is_file() or p.is_symlink()) and p.relative_to(data_dir).as_posix() not in planned)


def dry_run(data_dir: Path, dest: Path) -> list[str]:
    """Copy exactly the files ``push`` would upload to ``dest`` (which must be empty or absent).

    The copies are made in a hidden folder beside ``dest`` and renamed into place at the end, so
    a failure (full disk) leaves ``dest`` as it was."""
    import os

    from ..core.io import refuse_same

    dest = Path(dest)
    refuse_same(dest, data_dir, what="--dry-run")
    if dest.is_symlink() or (dest.exists() and (not dest.is_dir() or any(dest.iterdir()))):
        raise NkbenchError("not an empty folder", where=str(dest), hint="give a new or empty folder for --dry-run", code=Errors.E435)
    files = upload_plan(data_dir)
    tmp = None
    try:
        tmp = staging_folder(dest)
        for rel in files:
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(data_dir) / rel, tmp / rel, follow_symlinks=False)
        if dest.exists():
            dest.rmdir()  # empty (checked above); rmdir refuses if anything appeared since
        os.rename(tmp, dest)
        tmp = None
    except OSError as err:
        raise NkbenchError(f"cannot write the dry-run copy ({err.strerror or err}); nothing was left behind",
                           where=str(dest), hint="check the folder is writable and the disk has room", code=Errors.E436) from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return files


def push(data_dir: Path, repo_id: str, *, private: bool = False, message: str = "Upload nkbench dataset") -> str:
    """Create the dataset repository if needed and upload the planned files' bytes in one commit
    (exactly ``upload_plan``, read once: nothing else in the folder is sent); returns its URL."""
    from huggingface_hub import CommitOperationAdd, HfApi, get_token

    from ..core.errors import redact

    check_repo_id(repo_id)
    files = upload_plan(data_dir)
    token = get_token()
    if not token:
        raise NkbenchError("no Hugging Face token", where="push",
                           hint="set HF_TOKEN=hf_... (a token with write access) or run `hf auth login`, then retry", code=Errors.E437)
    operations = [CommitOperationAdd(path_in_repo=rel, path_or_fileobj=(Path(data_dir) / rel).read_bytes())
                  for rel in files]
    api = HfApi(token=token)
    try:
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        info = api.create_commit(repo_id=repo_id, repo_type="dataset", operations=operations, commit_message=message)
    except Exception as err:  # network, auth, permissions: say what failed and what to do
        detail = redact(f"{type(err).__name__}: {err}", [token])
        raise NkbenchError(f"upload failed: {detail}", where=f"push to {repo_id}",
                           hint="check the token's write access, the repo id and the network (HF_HUB_OFFLINE must be unset)", code=Errors.E438) from None
    return getattr(info, "commit_url", None) or f"https://huggingface.co/datasets/{repo_id}"
