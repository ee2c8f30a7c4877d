"""The project the tests run against: this checkout, found the way the CLI finds it."""

from pathlib import Path

from nkbench.project import Project
from nkbench.seeds import load_seeds

PROJECT = Project.find(start=Path(__file__).resolve().parent)


def seeds():
    """The checkout's verified seeds, in manifest order."""
    return load_seeds(PROJECT.seeds_dir)
