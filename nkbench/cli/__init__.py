"""The ``nkbench`` command line: the only layer that turns errors into messages.

Subcommands live in their own modules and are imported only when used (or listed by --help),
so start-up stays fast: command modules keep heavy imports (datasets, spaCy, sklearn) inside
their functions.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from .. import __version__
from ..core.errors import NkbenchError, redact

# command name -> "module:attribute" (module relative to nkbench.cli)
COMMANDS = {
    "seeds": "annotation.seeds:seeds",
    "annotate": "__init__:annotate",
    "data": "dataset:data",
    "score": "benchmark.score:score",
    "compare": "benchmark.score:compare",
    "convert": "benchmark.convert:convert",
    "run": "benchmark.run:run",
    "benchmark": "benchmark.run:benchmark",
    "docs": "docs:docs",
    "regen": "regen:regen",
    "errors": "benchmark.errors:errors",
}

ANNOTATE_COMMANDS = {
    "config": "annotation.annotate:config",
    "tasks": "annotation.annotate:tasks",
    "convert": "annotation.annotate:convert",
    "check": "annotation.annotate:check",
    "export": "annotation.annotate:export",
    "roundtrip": "annotation.annotate:roundtrip",
    "push": "annotation.labelstudio:push",
    "pull": "annotation.labelstudio:pull",
    "ground-truth": "annotation.labelstudio:ground_truth",
    "resolve": "annotation.passes:resolve",
    "agreement": "annotation.passes:agreement",
    "adjudicate": "annotation.passes:adjudicate",
    "diff": "annotation.passes:diff",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use; NkbenchError becomes a message."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        names.update(name for name in self.lazy if self._load(name) is not None)
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str):
        cmd = super().get_command(ctx, cmd_name)
        return cmd if cmd is not None else self._load(cmd_name)

    def _load(self, name: str):
        target = self.lazy.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        if module_name == "__init__":
            return _GROUPS[attr]  # not globals(): a submodule import could rebind the name
        full = f"{__name__}.{module_name}"
        try:
            module = importlib.import_module(full)
        except ModuleNotFoundError as err:
            if err.name == full:  # not built yet in this checkout: not offered
                return None
            raise
        return getattr(module, attr, None)

    def invoke(self, ctx: click.Context):
        words = [*getattr(ctx, "_protected_args", []), *ctx.args]  # to name the command in the last resort
        try:
            return super().invoke(ctx)
        except NkbenchError as err:
            raise click.ClickException(redact(str(err))) from None
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, KeyboardInterrupt, SystemExit):
            raise
        except Exception as err:  # a bug, not bad input: one line here, the traceback in a log file
            if isinstance(err, BrokenPipeError):  # `nkbench ... | head`: the reader left
                raise SystemExit(1) from None
            names, cmd = [], self
            for word in words:  # the subcommand words only (no argument shows a path or a secret)
                sub = cmd.get_command(ctx, word) if isinstance(cmd, click.Group) else None
                if sub is None:
                    break
                names.append(word)
                cmd = sub
            command = " ".join(["nkbench", *ctx.command_path.split()[1:], *names])
            log = _crash_log(command)
            click.echo(f"Error: internal error in `{command}` ({type(err).__name__}); this is a bug, "
                       f"not your input's fault: the traceback is in {log}; please report it", err=True)
            raise SystemExit(INTERNAL_ERROR) from None


#: Exit status of the last resort (an unexpected exception): EX_SOFTWARE.
INTERNAL_ERROR = 70


def _crash_log(command: str) -> str:
    """Write the current exception's traceback (secrets redacted) to a new log file; its path.
    The folder is $NKBENCH_CRASH_DIR or the system's temporary folder."""
    import os
    import sys
    import tempfile
    import time
    import traceback

    text = f"nkbench {__version__}: `{command}` argv={sys.argv!r}\n" + traceback.format_exc()
    folder = os.environ.get("NKBENCH_CRASH_DIR") or tempfile.gettempdir()
    try:
        fd, path = tempfile.mkstemp(prefix=f"nkbench-crash-{time.strftime('%Y%m%d-%H%M%S')}-", suffix=".log", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(redact(text))
        return path
    except OSError as err:
        return f"(none: cannot write a log in {folder}: {err.strerror})"


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nkbench")
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The project folder (holds nkbench.toml) [default: $NKBENCH_PROJECT, else the current "
                   "directory or its nearest parent with nkbench.toml].")
@click.pass_context
def main(ctx: click.Context, project_dir: Path | None) -> None:
    """nkbench: entities, events and attributed claims in Nagorno-Karabakh conflict news.

    \b
    Stages:  seeds -> annotate -> data -> run/score/benchmark
    Every offset is a Python code-point offset, end-exclusive, into the verbatim seed text.
    """
    ctx.obj = {"project_dir": project_dir}


def current_project():
    """The project this command works in (``--project``, ``$NKBENCH_PROJECT`` or found upwards from
    the current directory); a one-line error naming both overrides when there is none."""
    from ..core.project import Project

    ctx = click.get_current_context()
    obj = ctx.find_root().obj or {}
    if "project" not in obj:
        obj["project"] = Project.find(obj.get("project_dir"))
        ctx.find_root().obj = obj
    return obj["project"]


def maybe_project():
    """The current project, or None outside any project (for commands whose inputs can all be given)."""
    from ..core.project import NoProject

    try:
        return current_project()
    except NoProject as err:
        if (click.get_current_context().find_root().obj or {}).get("project_dir") is not None:
            raise  # named explicitly, and wrong: say so
        import os

        from ..core.project import ENV_VAR
        if os.environ.get(ENV_VAR):
            raise
        return None


@click.group(cls=LazyGroup, lazy=ANNOTATE_COMMANDS)
def annotate() -> None:
    """Label Studio tasks, exports, gold conversion, checks and agreement."""


#: Groups defined here, by name, captured before any submodule import can shadow them.
_GROUPS = {"annotate": annotate}
