"""Every error nkbench raises carries a code from the one catalogue (``nkbench.errors.Errors``, as
spaCy's ``Errors.E001``); the code never shows in the message, and decides what a problem is."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

import nkbench
from nkbench.core.errors import Errors, NkbenchError, NkbenchErrors

PACKAGE = Path(nkbench.__file__).parent
SUBCLASSES = {"NkbenchError"} | {"NoProject", "TokenMismatch", "NotADocument", "Fatal"}


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _code_uses():
    """Every ``Errors.E###`` named in the package (outside the catalogue itself), with where."""
    uses = []
    for path, tree in _sources():
        if path == PACKAGE / "core" / "errors.py":
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Errors"
                    and re.fullmatch(r"E\d{3}", node.attr)):
                uses.append((node.attr, f"{path.relative_to(PACKAGE)}:{node.lineno}"))
    return uses


def test_every_nkbench_error_is_raised_with_a_code():
    missing = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "NkbenchError":
                code = next((k.value for k in node.keywords if k.arg == "code"), None)
                named = (isinstance(code, ast.Attribute) and (
                    (isinstance(code.value, ast.Name) and code.value.id == "Errors") or code.attr == "code")
                         ) or (isinstance(code, ast.Name) and code.id == "code")  # a helper passing its caller's code
                if not named and not (path.name == "errors.py" and node.func.id == "NkbenchError"):
                    missing.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert missing == [], f"NkbenchError raised without code=Errors.E###: {missing}"


def test_every_subclass_has_its_own_code():
    from nkbench.core.bio import TokenMismatch
    from nkbench.core.project import NoProject
    from nkbench.benchmark.scoring.predictions import NotADocument
    from nkbench.benchmark.systems.llm import Fatal

    codes = [cls.code for cls in (NoProject, TokenMismatch, NotADocument, Fatal)]
    assert all(c in set(Errors) for c in codes) and len(set(codes)) == len(codes)
    assert NoProject("x").code == Errors.E091


def test_the_catalogue_and_its_uses_match_one_to_one():
    uses = _code_uses()
    counts = Counter(code for code, _ in uses)
    catalogue = {str(c) for c in Errors}
    assert sorted(set(counts) - catalogue) == [], "codes used but not in the catalogue"
    assert sorted(catalogue - set(counts)) == [], "codes in the catalogue that nothing raises"
    twice = {code: [w for c, w in uses if c == code] for code, n in counts.items() if n > 1}
    # check_document's label problems share one code on purpose (one kind, several labels)
    assert set(twice) <= {"E090"}, twice
    assert all(c.description and c.description == c.description.strip() for c in Errors)


def test_the_code_never_shows_in_the_message_and_orders_problems():
    err = NkbenchError("unknown doc_id 'x'", where="tasks.json: task 3", hint="known: a", code=Errors.E201)
    assert str(err) == "tasks.json: task 3: unknown doc_id 'x'; known: a" and err.code == "E201"
    moved = err.at("export.json")
    assert (str(moved), moved.code) == ("export.json: tasks.json: task 3: unknown doc_id 'x'; known: a", Errors.E201)
    a = NkbenchError("zzz", where="f:1", code=Errors.E002)
    b = NkbenchError("aaa", where="f:2", code=Errors.E002)
    c = NkbenchError("mmm", where="f:0", code=Errors.E001)
    assert sorted([b, a, c], key=NkbenchError.sort_key) == [c, a, b]  # by code, then place: never by text
    assert isinstance(NkbenchErrors([a]), NkbenchError)


@pytest.mark.parametrize("label", ["entity type", "event type", "stance", "role"])
def test_unknown_labels_are_told_apart_from_structure_by_code(label):
    from nkbench.core.model import Argument, Claim, Document, Event, Mention, check_document

    text = "Baku said Armenia shelled Tartar."
    m = Mention("m1", 0, 4, "Baku", "NOPE" if label == "entity type" else "GPE")
    e = Event("e1", 18, 25, "shelled", "NOPE" if label == "event type" else "ATTACK",
              (Argument("Nope" if label == "role" else "Attacker", "m1"),))
    c = Claim("c1", 10, 32, text[10:32], "nope" if label == "stance" else "asserts")
    bad_offsets = Mention("m2", 20, 99, "", "GPE")
    problems = check_document(Document("d", "en", text, (m, bad_offsets), (e,), (), (c,)))
    assert [p.code for p in problems if label.split()[0] in p.reason] == [Errors.E090]
    assert [p.code for p in problems if "out of range" in p.reason] == [Errors.E029]
