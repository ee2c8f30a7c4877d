import json
from pathlib import Path

import pytest

from nkbench import schema
from nkbench.labelstudio.config import ATTRIBUTES, RELATIONS, SPAN_CONTROLS, build_config
from nkbench.labelstudio.convert import document_to_results
from nkbench.io import read_documents
from tests.project import PROJECT

GOLDEN = Path(__file__).parent / "golden" / "labelstudio"


@pytest.fixture(scope="module")
def li():
    from label_studio_sdk.label_interface import LabelInterface
    iface = LabelInterface(build_config())
    iface.validate()  # raises on a schema, name-uniqueness or toName problem
    return iface


def test_committed_config_is_the_generated_one():
    assert PROJECT.labeling_config.read_text(encoding="utf-8") == build_config(), \
        "annotation/labeling_config.xml is stale: regenerate it: nkbench annotate config"


def test_every_layer_and_label_of_the_schema_is_a_control(li):
    assert {c.name for c in li.controls} == {c.name for c in SPAN_CONTROLS} | {a.name for a in ATTRIBUTES}
    assert set(li.get_control("entity").labels) == set(schema.ENTITY_TYPES)
    assert set(li.get_control("trigger").labels) == set(schema.EVENT_TYPES)
    assert set(li.get_control("claim").labels) == {"CLAIM"} and set(li.get_control("cue").labels) == {"CUE"}
    for a in ATTRIBUTES:
        control = li.get_control(a.name)
        assert control.tag == a.tag and control.attr.get("perRegion") == "true"
        if a.tag == "Choices":
            assert tuple(control.labels) == a.values
    assert set(RELATIONS) == set(schema.EVENT_ROLES) | {schema.CLAIMANT, schema.CUE, schema.PARENT}
    xml = build_config()
    for label in RELATIONS:
        assert f'<Relation value="{label}"/>' in xml
    # whenTagName only works with visibleWhen="region-selected" (measured with Label Studio 1.23.2)
    assert xml.count("whenTagName=") == xml.count('visibleWhen="region-selected" whenTagName=') == 3


def test_golden_results_validate_against_the_config_with_the_sdk(li):
    for doc in read_documents(GOLDEN / "gold.jsonl"):
        results = document_to_results(doc)
        assert li.validate_prediction({"result": results}, return_errors=True) == []
    export = json.loads((GOLDEN / "export.json").read_text(encoding="utf-8"))
    for task in export:
        for ann in task["annotations"]:
            assert li.validate_prediction(ann, return_errors=True) == []


def test_the_sdk_check_can_fail(li):
    bad = {"result": [{"id": "x", "from_name": "entity", "to_name": "text", "type": "labels",
                       "value": {"start": 0, "end": 2, "labels": ["PERSON"]}}]}
    assert li.validate_prediction(bad, return_errors=True)
