"""The workspace: where one nkbench project keeps its files.

A project is a folder with the marker file ``nkbench.toml`` at its root (as ``.git`` marks a git
work tree, or ``Cargo.toml`` a cargo package). ``Project.find`` takes, in this order:

1. a folder given explicitly (``nkbench --project DIR``);
2. the environment variable ``NKBENCH_PROJECT``;
3. the current directory or the nearest of its parents that holds ``nkbench.toml``.

Every other module is given the paths it needs by the caller (the CLI asks the project); no module
locates data from its own ``__file__``, so an installed package works on any copy of a project.

The layout is fixed, and is the pipeline's (the flow of the data)::

    nkbench.toml                     the marker (and the project's settings, see ``settings``)
    seeds/  *.txt manifest.json      verbatim articles
    annotation/                      guidelines, Label Studio config, inventories, exports, passes
        entities.json links.json labeling_config.xml gold_export.json
        passes/<annotator>/ adjudication.json adjudication_reasons.json
    data/                            the Hugging Face dataset
    benchmark/results/               one JSON file per system
    README.md DATASHEET.md           prose with generated figures
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import Errors, NkbenchError

MARKER = "nkbench.toml"
ENV_VAR = "NKBENCH_PROJECT"
FLAG = "--project"


class NoProject(NkbenchError):
    """No nkbench project was found, or the one named is not a project."""

    code = Errors.E091


@dataclass(frozen=True, slots=True)
class Project:
    """One project's folder and the fixed places of its files (paths only; nothing is read here
    except ``settings``)."""

    root: Path

    @classmethod
    def find(cls, explicit: str | os.PathLike | None = None, *, start: str | os.PathLike | None = None,
             environ: dict | None = None) -> Project:
        """The project named by ``explicit``, else by ``$NKBENCH_PROJECT``, else the nearest folder
        holding ``nkbench.toml`` from ``start`` (default: the current directory) upwards."""
        environ = os.environ if environ is None else environ
        for given, how in ((explicit, FLAG), (environ.get(ENV_VAR) or None, ENV_VAR)):
            if given is not None:
                root = Path(given).expanduser()
                if not (root / MARKER).is_file():
                    raise NoProject(f"not an nkbench project (no {MARKER} in it)", where=f"{how} {given}",
                                    hint=f"name the folder that holds {MARKER}")
                return cls(root.resolve())
        here = Path(start if start is not None else Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / MARKER).is_file():
                return cls(folder)
        raise NoProject(f"not inside an nkbench project (no {MARKER} in {here} or any parent)",
                        hint=f"run inside a project, or give {FLAG} DIR or set {ENV_VAR}=DIR")

    @classmethod
    def init(cls, root: str | os.PathLike) -> Project:
        """Make ``root`` a project: write the marker if there is none (nothing else is touched)."""
        root = Path(root)
        marker = root / MARKER
        if not marker.exists():
            from .io import atomic_write_text

            atomic_write_text(marker, DEFAULT_MARKER)
        return cls(root.resolve())

    # -- settings ---------------------------------------------------------------------------------
    @property
    def settings(self) -> dict:
        """The ``[project]`` table of ``nkbench.toml`` (may be empty)."""
        path = self.root / MARKER
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise NkbenchError(f"cannot read the project settings: {err}", where=str(path), code=Errors.E041) from None
        table = data.get("project", {})
        if not isinstance(table, dict):
            raise NkbenchError("[project] must be a table", where=str(path), code=Errors.E042)
        return table

    @property
    def gold_annotator(self) -> str | None:
        """``gold_annotator`` of ``[project]``: the adjudicator whose annotation is gold in every
        task (a name such as ``adjudicator`` or an email), or None (the ground-truth mark decides)."""
        value = self.settings.get("gold_annotator")
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise NkbenchError(f"gold_annotator must be a non-empty string, got {value!r}", where=str(self.root / MARKER), code=Errors.E043)
        return value

    def set_setting(self, key: str, value: str) -> None:
        """Set ``key = "value"`` in the ``[project]`` table of nkbench.toml (other lines, comments
        included, are kept; written atomically, checked by reading it back first)."""
        import json
        import re

        from .io import atomic_write_text

        path = self.root / MARKER
        text = path.read_text(encoding="utf-8")
        line = f"{key} = {json.dumps(value, ensure_ascii=False)}"
        lines = text.splitlines()
        table, done = None, False
        for i, old in enumerate(lines):
            header = re.match(r"\s*\[([^\]]+)\]\s*(#.*)?$", old)
            if header:
                if table == "project" and not done:
                    lines.insert(i, line)
                    done = True
                    break
                table = header.group(1).strip()
            elif table == "project" and re.match(rf"\s*{re.escape(key)}\s*=", old):
                lines[i], done = line, True
                break
        if not done:
            if table != "project" and "project" not in [m.group(1).strip() for m in
                                                         (re.match(r"\s*\[([^\]]+)\]", x) for x in lines) if m]:
                lines += ["[project]"]
            lines.append(line)
        new = "\n".join(lines) + "\n"
        try:
            parsed = tomllib.loads(new)
        except tomllib.TOMLDecodeError as err:
            raise NkbenchError(f"cannot set {key}: {err}", where=str(path), code=Errors.E044) from None
        if parsed.get("project", {}).get(key) != value:
            raise NkbenchError(f"cannot set {key} in the [project] table", where=str(path),
                               hint=f"add the line {line} under [project] by hand", code=Errors.E045)
        atomic_write_text(path, new)

    # -- seeds/ -----------------------------------------------------------------------------------
    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def manifest(self) -> Path:
        return self.seeds_dir / "manifest.json"

    # -- annotation/ ------------------------------------------------------------------------------
    @property
    def annotation_dir(self) -> Path:
        return self.root / "annotation"

    @property
    def guidelines(self) -> Path:
        return self.annotation_dir / "GUIDELINES.md"

    @property
    def entities(self) -> Path:
        return self.annotation_dir / "entities.json"

    @property
    def links(self) -> Path:
        return self.annotation_dir / "links.json"

    @property
    def labeling_config(self) -> Path:
        return self.annotation_dir / "labeling_config.xml"

    @property
    def gold_export(self) -> Path:
        return self.annotation_dir / "gold_export.json"

    @property
    def export(self) -> Path:
        """Where `annotate pull` writes by default (a work-in-progress export)."""
        return self.annotation_dir / "export.json"

    @property
    def passes_dir(self) -> Path:
        return self.annotation_dir / "passes"

    @property
    def adjudication(self) -> Path:
        return self.annotation_dir / "adjudication.json"

    @property
    def adjudication_reasons(self) -> Path:
        return self.annotation_dir / "adjudication_reasons.json"

    @property
    def label_studio_data(self) -> Path:
        return self.annotation_dir / "label-studio-data"

    # -- data/ and benchmark/ ---------------------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def results_dir(self) -> Path:
        return self.root / "benchmark" / "results"

    @property
    def llm_prompts_dir(self) -> Path:
        """Versioned prompts of the llm system (``<version>/``)."""
        return self.root / "benchmark" / "llm" / "prompts"

    @property
    def llm_cache_dir(self) -> Path:
        """The llm system's answer cache (git-ignored)."""
        return self.root / "benchmark" / "llm" / "cache"

    @property
    def prediction_schema(self) -> Path:
        return self.root / "benchmark" / "prediction.schema.json"

    # -- prose ------------------------------------------------------------------------------------
    @property
    def documents(self) -> tuple[Path, ...]:
        """The prose files whose generated blocks ``nkbench docs`` keeps current."""
        return (self.root / "README.md", self.root / "DATASHEET.md")

    def relative(self, path: Path) -> str:
        """``path`` relative to the root when it is inside the project, else as given."""
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)


DEFAULT_MARKER = """\
# This folder is an nkbench project: `nkbench` run here or below finds its seeds, annotation,
# data and results from here (see nkbench/core/project.py). Override with --project DIR or NKBENCH_PROJECT.
[project]
name = "nkbench"
"""
