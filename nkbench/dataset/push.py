"""``nkbench data push``: upload ``data/`` to a Hugging Face dataset repository.

``upload_plan`` lists exactly the files that are uploaded; ``dry_run`` copies them to a folder;
``push`` sends them through ``huggingface_hub`` (token from ``HF_TOKEN`` or the standard login).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ..errors import NkbenchError
from .build import existing_files

REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")


def check_repo_id(repo_id: str) -> str:
    if not REPO_ID.match(repo_id or "") or ".." in repo_id or len(repo_id) > 96:
        raise NkbenchError(f"invalid repo id {repo_id!r}", where="--repo-id",
                           hint="write ORG/NAME (letters, digits, '-', '_', '.'), e.g. my-org/nkbench")
    return repo_id


def upload_plan(data_dir: Path) -> list[str]:
    """The relative paths that are uploaded: every file in ``data_dir`` (the card and Parquet files)."""
    files = sorted(existing_files(data_dir))
    if "README.md" not in files:
        raise NkbenchError("no dataset card (README.md)", where=str(data_dir), hint="run `nkbench data build` first")
    return files


def dry_run(data_dir: Path, dest: Path) -> list[str]:
    """Copy exactly the files ``push`` would upload to ``dest`` (which must be empty or absent)."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise NkbenchError("not an empty folder", where=str(dest), hint="give a new or empty folder for --dry-run")
    files = upload_plan(data_dir)
    for rel in files:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(data_dir) / rel, dest / rel)
    return files


def push(data_dir: Path, repo_id: str, *, private: bool = False, message: str = "Upload nkbench dataset") -> str:
    """Create the dataset repository if needed and upload ``data_dir`` in one commit; returns its URL."""
    from huggingface_hub import HfApi, get_token

    check_repo_id(repo_id)
    files = upload_plan(data_dir)
    token = get_token()
    if not token:
        raise NkbenchError("no Hugging Face token", where="push",
                           hint="set HF_TOKEN=hf_... (a token with write access) or run `hf auth login`, then retry")
    api = HfApi(token=token)
    try:
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        info = api.upload_folder(folder_path=str(data_dir), repo_id=repo_id, repo_type="dataset",
                                 allow_patterns=files, commit_message=message)
    except Exception as err:  # network, auth, permissions: say what failed and what to do
        raise NkbenchError(f"upload failed: {type(err).__name__}: {err}", where=f"push to {repo_id}",
                           hint="check the token's write access, the repo id and the network (HF_HUB_OFFLINE must be unset)") from None
    return getattr(info, "commit_url", None) or f"https://huggingface.co/datasets/{repo_id}"
