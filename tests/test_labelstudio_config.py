import json
from pathlib import Path

import pytest

from nkbench.core import schema
from nkbench.annotation.labelstudio.config import (ATTRIBUTES, COLOURS, HOTKEYS, PROPOSE, RELATIONS, RESERVED_KEYS, SPAN_CONTROLS,
                                        WHITESPACE_CSS, build_config, project_config, read_inventory)
from nkbench.annotation.labelstudio.convert import document_to_results
from nkbench.core.io import read_documents
from tests.project import PROJECT

GOLDEN = Path(__file__).parent / "golden" / "labelstudio"


def config() -> str:
    return project_config(PROJECT.entities, PROJECT.links)


@pytest.fixture(scope="module")
def li():
    from label_studio_sdk.label_interface import LabelInterface
    iface = LabelInterface(config())
    iface.validate()  # raises on a schema, name-uniqueness or toName problem
    return iface


def test_committed_config_is_the_generated_one():
    assert PROJECT.labeling_config.read_text(encoding="utf-8") == config(), \
        "annotation/labeling_config.xml is stale: regenerate it: nkbench annotate config"


def test_every_layer_and_label_of_the_schema_is_a_control(li):
    assert {c.name for c in li.controls} == {c.name for c in SPAN_CONTROLS} | {a.name for a in ATTRIBUTES}
    assert set(li.get_control("entity").labels) == set(schema.ENTITY_TYPES)
    assert set(li.get_control("trigger").labels) == set(schema.EVENT_TYPES)
    assert set(li.get_control("claim").labels) == {"CLAIM"} and set(li.get_control("cue").labels) == {"CUE"}
    for a in ATTRIBUTES:
        control = li.get_control(a.name)
        assert control.tag == a.tag and control.attr.get("perRegion") == "true"
        if a.tag == "Choices" and a.name in PROPOSE:  # the inventory's ids
            registry = json.loads((PROJECT.entities if a.name == "entity_id" else PROJECT.links).read_text(encoding="utf-8"))
            assert sorted(control.labels) == sorted(registry) and control.attr.get("layout") == "select"
            assert li.get_control(PROPOSE[a.name]).tag == "TextArea"
        elif a.tag == "Choices":
            assert tuple(control.labels) == a.values
    assert set(RELATIONS) == set(schema.EVENT_ROLES) | {schema.CLAIMANT, schema.CUE, schema.PARENT}
    xml = config()
    for label in RELATIONS:
        assert f'<Relation value="{label}"/>' in xml
    # whenTagName only works with visibleWhen="region-selected" (measured with Label Studio 1.23.2)
    assert xml.count("whenTagName=") == xml.count('visibleWhen="region-selected" whenTagName=') == 3


def test_golden_results_validate_against_the_config_with_the_sdk(li):
    for doc in read_documents(GOLDEN / "gold.jsonl"):
        results = document_to_results(doc)
        assert li.validate_prediction({"result": results}, return_errors=True) == []
    # the committed gold export, every annotation as Label Studio stores it (entity and link ids chosen from
    # the lists; an id a pass proposed outside the inventory in the text area beside the list)
    import json

    tasks = json.loads(PROJECT.gold_export.read_text(encoding="utf-8"))
    assert tasks
    for t in tasks:
        for a in t["annotations"]:
            assert li.validate_prediction({"result": a["result"]}, return_errors=True) == [], (t["data"]["doc_id"], a["id"])


def test_the_sdk_check_can_fail(li):
    bad = {"result": [{"id": "x", "from_name": "entity", "to_name": "text", "type": "labels",
                       "value": {"start": 0, "end": 2, "labels": ["PERSON"]}}]}
    assert li.validate_prediction(bad, return_errors=True)


def test_one_colour_family_per_layer_and_no_colour_shared():
    by_layer = {name: set(colours.values()) for name, colours in COLOURS.items()}
    for a in by_layer:
        for b in by_layer:
            assert a == b or not by_layer[a] & by_layer[b], (a, b)
    for name, colours in COLOURS.items():
        assert len(set(colours.values())) == len(colours), name  # no two labels of a layer alike
    def hue(c):  # entities cool (blue-green, 150-240 deg), triggers warm (red-yellow, < 60 deg), claims purple
        import colorsys
        r, g, b = (int(c[i:i + 2], 16) / 255 for i in (1, 3, 5))
        return colorsys.rgb_to_hsv(r, g, b)[0] * 360
    assert all(80 <= hue(c) <= 215 for c in COLOURS["entity"].values())
    assert all(hue(c) <= 60 for c in COLOURS["trigger"].values())
    assert all(255 <= hue(c) <= 300 for name in ("claim", "cue") for c in COLOURS[name].values())


def test_every_label_and_choice_has_its_own_hotkey_and_none_is_label_studios(li):
    keys = [k for table in HOTKEYS.values() for k in table.values()]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    assert not set(keys) & RESERVED_KEYS
    for control in SPAN_CONTROLS:
        assert set(HOTKEYS[control.name]) == set(control.labels)
    for a in ATTRIBUTES:
        if a.tag == "Choices" and a.name not in PROPOSE:
            assert set(HOTKEYS[a.name]) == set(a.values), a.name
    xml = config()
    assert xml.count('hotkey="') == len(keys)


def test_the_whitespace_style_is_in_the_config(li):
    assert f"<Style>{WHITESPACE_CSS}</Style>" in config() and "pre-wrap" in WHITESPACE_CSS


def test_inventory_ids_are_grouped_by_type_with_a_hint():
    items = read_inventory(PROJECT.entities, "entities")
    registry = json.loads(PROJECT.entities.read_text(encoding="utf-8"))
    assert sorted(i.id for i in items) == sorted(registry)
    types = [registry[i.id]["type"] for i in items]
    assert types == sorted(types, key=types.index)  # each type in one block
    assert all(i.hint.startswith(registry[i.id]["type"] + ": ") for i in items)
    assert read_inventory(PROJECT.root / "no-such.json", "entities") == ()
    assert 'value="ilham_aliyev" hint="PER: Ilham Aliyev"' in config()


def test_the_annotators_guide_lists_every_hotkey_and_its_screenshots_exist():
    import re

    guide = (PROJECT.annotation_dir / "README.md").read_text(encoding="utf-8")
    table = guide[guide.index("### Hotkeys"):guide.index("### Adjudication")]
    for name, keys in HOTKEYS.items():
        for value, key in keys.items():
            shown = f"``{key} `` {value}" if "`" in key else f"`{key}` {value}"
            assert shown in table, (name, value, key)
    shots = re.findall(r"\]\((screenshots/[^)]+\.png)\)", guide)
    assert len(shots) >= 8
    for shot in shots:
        assert (PROJECT.annotation_dir / shot).is_file(), f"{shot}: run `make screenshots`"
