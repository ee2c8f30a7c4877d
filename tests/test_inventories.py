"""The annotation inventories stay consistent with the schema and honest to the seed texts."""

import json
import re
from pathlib import Path

import pytest

from nkbench.core import schema
from nkbench.annotation.seeds import load_seeds
from tests.project import PROJECT

ROOT = Path(__file__).resolve().parent.parent
ANNOTATION = ROOT / "annotation"
SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {s.id: s.text for s in load_seeds(PROJECT.seeds_dir).values()}


@pytest.fixture(scope="module")
def entities() -> dict:
    return json.loads((ANNOTATION / "entities.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def links() -> dict:
    return json.loads((ANNOTATION / "links.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def guidelines() -> str:
    return (ANNOTATION / "GUIDELINES.md").read_text(encoding="utf-8")


def test_entity_ids_and_types(entities):
    assert entities, "entities.json is empty"
    for eid, e in entities.items():
        assert SNAKE.match(eid), f"{eid!r} is not lowercase snake_case"
        assert e["type"] in schema.LINKED_ENTITY_TYPES, f"{eid}: {e['type']!r} is not a linked entity type"
        assert set(e) <= {"type", "name", "aliases", "nominals", "note"}, f"{eid}: unknown keys {set(e)}"
        assert isinstance(e["name"], str) and e["name"].strip()
        forms = e["aliases"] + e.get("nominals", [])
        assert forms, f"{eid}: no surface form at all"
        assert len(set(e["aliases"])) == len(e["aliases"]), f"{eid}: duplicate alias"


def test_entity_ids_unique_in_file():
    # json.loads keeps the last of duplicate keys: count them on the raw pairs instead.
    pairs = json.loads((ANNOTATION / "entities.json").read_text(encoding="utf-8"), object_pairs_hook=lambda kv: kv)
    ids = [k for k, _ in pairs]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_every_surface_form_is_verbatim_in_a_seed(entities, texts):
    missing = [(eid, form) for eid, e in entities.items() for form in e["aliases"] + e.get("nominals", [])
               if not any(form in t for t in texts.values())]
    assert not missing, missing


def test_surface_forms_have_no_edge_whitespace_or_quotes(entities):
    for eid, e in entities.items():
        for form in e["aliases"] + e.get("nominals", []):
            assert form == form.strip(), f"{eid}: {form!r} has edge whitespace"
            assert form[0] not in "“”«»\"'" and form[-1] not in "“”«»\"'", f"{eid}: {form!r} has a quote mark"


def test_links(links, texts):
    assert links
    for lid, link in links.items():
        assert SNAKE.match(lid), lid
        assert link["counted"] in schema.COUNTED, f"{lid}: counted {link['counted']!r}"
        assert link["description"].strip()
        assert link["documents"] and set(link["documents"]) <= set(texts), f"{lid}: unknown document"


def test_guidelines_mention_every_schema_label(guidelines):
    labels = [*schema.ENTITY_TYPES, *schema.EVENT_TYPES, *schema.EVENT_ROLES, *schema.STANCES, *schema.HEDGES,
              *schema.COUNTED, *schema.POLARITY, *schema.REALIS]
    missing = [x for x in labels if not re.search(rf"(?<![A-Za-z_]){re.escape(x)}(?![A-Za-z_])", guidelines)]
    assert not missing, f"GUIDELINES.md does not mention {missing}"


def test_guidelines_event_table_matches_schema(guidelines):
    for etype, (roles, ace, acled) in schema.EVENT_TYPES.items():
        row = next((line for line in guidelines.splitlines() if line.startswith(f"| {etype} |")), None)
        assert row is not None, f"no table row for {etype}"
        assert ", ".join(roles) in row, f"{etype}: roles differ from schema"
        for m in (ace, acled):
            if m is not None:
                assert m in row, f"{etype}: mapping {m!r} missing"


def test_guidelines_mapping_table_matches_schema(guidelines):
    lines = guidelines.splitlines()
    start = lines.index("| nkbench | CoNLL-2002 | OntoNotes 5 |")
    table = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        table[cells[0]] = cells
    assert set(table) == set(schema.TO_CONLL), sorted(set(table) ^ set(schema.TO_CONLL))
    for ours, conll in schema.TO_CONLL.items():
        cells = table[ours]
        assert cells[1] == (conll or "(dropped)"), f"{ours}: CoNLL {cells[1]!r} != {conll!r}"
        assert cells[2].startswith(schema.TO_ONTONOTES[ours].split("|")[0]), ours


def test_guideline_examples_are_verbatim(guidelines, texts):
    examples = re.findall(r"⟦(.*?)⟧", guidelines, flags=re.S)
    assert len(examples) > 100
    missing = [e for e in examples if not any(e in t for t in texts.values())]
    assert not missing, missing


def test_link_examples_in_guidelines_exist(guidelines, links):
    for lid in links:
        assert f"| {lid} |" in guidelines, f"link {lid} not documented in GUIDELINES.md"
