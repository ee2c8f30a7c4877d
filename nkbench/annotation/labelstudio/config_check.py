"""Our labeling config, read and compared with a project's (``annotate push``, one job of the sync).

Label Studio stores a config reformatted: it compares in canonical XML (attribute order, whitespace
between tags and comments do not count)."""

from __future__ import annotations

from pathlib import Path

from ...core.errors import Errors, NkbenchError
from ...core.io import read_text


def read_label_config(path: Path) -> str:
    """Our labeling config (the XML the config generator writes)."""
    if not Path(path).exists():
        raise NkbenchError("no labeling config", where=str(path),
                           hint="generate it first (it is written by the Label Studio config generator) or pass --config", code=Errors.E300)
    text = read_text(path)
    canonical_config(text, where=str(path))
    return text


def canonical_config(xml: str, where: str = "labeling config") -> str:
    """The config in canonical XML (attribute order, whitespace between tags and comments do
    not count), so a config that Label Studio stored reformatted still compares equal."""
    import xml.etree.ElementTree as ET

    try:
        return ET.canonicalize(xml, strip_text=True, with_comments=False)
    except ET.ParseError as err:
        raise NkbenchError(f"not well-formed XML ({err})", where=where, code=Errors.E301) from None


def same_config(ours: str, theirs: str) -> bool:
    return canonical_config(ours) == canonical_config(theirs, where="the project's labeling config")
