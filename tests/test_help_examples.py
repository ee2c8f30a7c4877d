"""Every ``--help`` example is real: each command's epilog is run, literally, in a fresh copy of the
project, and what it prints is compared with what the help shows.

The convention (for every command's epilog; new commands follow it and are picked up here):

- A line whose first non-blank characters are ``$ `` is a command, run by bash in the root of a
  fresh copy of the project (``tests/project.copy_project``); a line ending in ``\\`` continues on
  the next line. ``# ...`` after a command is a shell comment. ``nkbench`` is the one being tested.
- The lines right after a command, up to the next command or a blank line, are its expected
  output: stdout and stderr together, in order, each line compared after stripping trailing
  blanks (and the epilog's indentation); blank lines of the output are left out (a blank line
  ends the expected output). A command with no lines after it must print nothing.
- A line that is neither a command nor indented like the commands (prose, ``Systems: ...``) ends
  the example; prose is not compared.
- ``...`` alone on a line matches any number of lines (zero included); ``...`` inside a line
  matches any text within that line. Use it to shorten long output, never to hide a changing figure
  that the help states (write what the command prints).
- An expected output starting with ``Error:`` means the command must fail (a non-zero exit
  status); otherwise it must succeed (exit status 0).
- The commands of one epilog run one after the other in the same copy (a later one may read what an
  earlier one wrote), with ``HF_HUB_OFFLINE=1``, no ``NKBENCH_PROJECT``, and ``LABEL_STUDIO_URL``
  and ``LABEL_STUDIO_API_KEY`` naming a Label Studio stand-in on 127.0.0.1 (tests/http_fake.py):
  examples that talk to Label Studio use ``$LABEL_STUDIO_URL`` (or no ``--url``: it is the option's
  environment variable). Nothing else is reachable: an example must not need the network (write an
  upload to the Hub as prose, not as a ``$`` line). Paths are relative to the project (no ``/tmp``).
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from nkbench.cli import main

from .fake_openai import FakeOpenAI
from .http_fake import FakeServer
from .project import copy_project

KEY = "secret-token-123"
BIN = Path(sys.executable).parent


def commands(group: click.Group = main, path: tuple[str, ...] = ("nkbench",)):
    """(command path, epilog) of every command that has an epilog, depth first, sorted."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if cmd.epilog:
            yield " ".join((*path, name)), cmd.epilog
        if isinstance(cmd, click.Group):
            yield from commands(cmd, (*path, name))


LLM_PORT, LLM_KEY = 8765, "sk-test"  # as `nkbench run --help` says (python -m tests.fake_openai --port 8765 --key sk-test)


def examples(epilog: str) -> list[tuple[str, list[str]]]:
    """``(command, expected output lines)`` in the order of the epilog (see the module docstring)."""
    out: list[tuple[str, list[str]]] = []
    lines = epilog.replace("\b", "").splitlines()
    i, indent = 0, None
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if not stripped.startswith("$ "):
            i += 1
            continue
        indent = len(line) - len(stripped)
        command = stripped[2:]
        while command.endswith("\\") and i + 1 < len(lines):
            i += 1
            command = command[:-1] + " " + lines[i].strip()
        expected = []
        i += 1
        while i < len(lines) and lines[i].strip() and not lines[i].lstrip().startswith("$ "):
            if len(lines[i]) - len(lines[i].lstrip()) < indent:  # prose, not output
                break
            expected.append(lines[i][indent:].rstrip())
            i += 1
        out.append((command, expected))
    return out


def _line_pattern(line: str) -> re.Pattern:
    return re.compile(".*".join(re.escape(part) for part in line.split("...")) + r"\Z", re.S)


def matches(expected: list[str], got: list[str]) -> bool:
    """``got`` matches ``expected`` with ``...`` lines matching any lines, ``...`` in a line any text."""
    if not expected:
        return not got
    head, rest = expected[0], expected[1:]
    if head == "...":
        return any(matches(rest, got[k:]) for k in range(len(got) + 1))
    return bool(got) and bool(_line_pattern(head).match(got[0])) and matches(rest, got[1:])


def printed(output: str) -> list[str]:
    """The lines of ``output`` as compared: trailing blanks stripped, blank lines left out."""
    return [line.rstrip() for line in output.splitlines() if line.strip()]


ALL = sorted(commands())


def test_the_parser_and_the_matcher():
    epilog = "\b\nExamples:\n  $ nkbench a \\\n      --b\n  out 1\n  ...\n  $ nkbench c\n\nProse.\n  $ x\n  Error: y\nMore prose\n"
    assert examples(epilog) == [("nkbench a  --b", ["out 1", "..."]), ("nkbench c", []), ("x", ["Error: y"])]
    assert matches(["a ... c", "..."], ["a b c", "d", "e"]) and matches(["...", "z"], ["z"])
    assert not matches(["a"], ["a", "b"]) and not matches(["a ... c"], ["a b d"]) and not matches([], ["x"])


def test_every_command_with_an_epilog_has_an_example():
    assert ALL, "no epilog found"
    for name, epilog in ALL:
        assert examples(epilog), f"{name}: an epilog without a `$ ` example"


@pytest.mark.parametrize("name, epilog", ALL, ids=[n for n, _ in ALL])
def test_help_example_runs_as_shown(name, epilog, tmp_path):
    project = copy_project(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if k not in ("NKBENCH_PROJECT", "PYTHONPATH")}
    crash = tmp_path / "crash"
    crash.mkdir()
    # `nkbench run --system llm` examples talk to the tests' OpenAI-compatible server on the port they name
    llm = FakeOpenAI(key=LLM_KEY, port=LLM_PORT) if f"127.0.0.1:{LLM_PORT}" in epilog else contextlib.nullcontext()
    with FakeServer(token=KEY, max_requests=200) as server, llm:
        env.update(PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", HF_HUB_OFFLINE="1", NKBENCH_CRASH_DIR=str(crash),
                   LABEL_STUDIO_URL=server.url, LABEL_STUDIO_API_KEY=KEY, COLUMNS="200", TMPDIR=str(tmp_path),
                   OPENAI_API_KEY=LLM_KEY, MY_KEY=LLM_KEY)
        for command, expected in examples(epilog):
            done = subprocess.run(["bash", "-c", f"set -o pipefail\nexec 2>&1\n{command}\n"], cwd=project, env=env,
                                  capture_output=True, text=True, timeout=900)
            got = printed(done.stdout)
            shown = "\n".join(got)
            want_error = bool(expected) and expected[0].startswith("Error:")
            assert (done.returncode != 0) == want_error, f"{name}: `{command}` exit {done.returncode}:\n{shown}{done.stderr}"
            assert matches(expected, got), (f"{name}: `{command}` prints\n{shown}\n--- but its help shows\n"
                                            + "\n".join(expected))
            assert "Traceback" not in shown and not list(crash.iterdir())
