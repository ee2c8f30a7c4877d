"""The adjudication record is what the passes and the gold make, and every change is explained."""

import json

import pytest

from nkbench.annotation.adjudication import CHANGED, adjudicate, build, item_key, unexplained, verdict, versions
from nkbench.core.errors import NkbenchError
from nkbench.core.model import Argument, Claim, Cue, Document, Event, Mention
from tests.project import PROJECT


@pytest.fixture(scope="module")
def record():
    return build(PROJECT)


def test_committed_record_is_regenerated_from_the_export(record):
    committed = json.loads(PROJECT.adjudication.read_text(encoding="utf-8"))
    assert committed == record, "annotation/adjudication.json is stale: run nkbench annotate adjudicate"


def test_every_change_has_a_reason(record):
    assert unexplained(record) == []
    for item in record["items"]:
        if item["kept"] in CHANGED:
            assert item.get("guideline"), item["key"]


def test_summary_counts_add_up(record):
    for layer, s in record["summary"].items():
        assert s["disagreements"] == s["won_by_a"] + s["won_by_b"] + s["changed"], layer
        n = sum(1 for i in record["items"] if (layer == "total" or i["layer"] == layer) and i["a"] != i["b"])
        assert s["disagreements"] == n, layer


def test_gold_equals_the_kept_version(record):
    for item in record["items"]:
        if item["kept"] in ("a", "b"):
            assert item["gold"] == item[item["kept"]], item["key"]
        else:
            assert item["gold"] not in (item["a"], item["b"]), item["key"]


def _doc(mentions=(), events=(), cues=(), claims=()):
    return Document("d", "en", "Baku said 32 died.", tuple(mentions), tuple(events), tuple(cues), tuple(claims))


BAKU = Mention("m1", 0, 4, "Baku", "GPE", "baku")
N32 = Mention("m2", 10, 12, "32", "QUANTITY")
DIED = Event("e1", 13, 17, "died", "DIE", (Argument("Count", "m2"),))
SAID = Cue("c1", 5, 9, "said")


def test_versions_compare_through_spans_not_ids():
    a = _doc([BAKU, N32], [DIED], [SAID], [Claim("k1", 10, 17, "32 died", source="m1", cue="c1")])
    renamed = _doc([Mention("x", 0, 4, "Baku", "GPE", "baku"), Mention("y", 10, 12, "32", "QUANTITY")],
                   [Event("z", 13, 17, "died", "DIE", (Argument("Count", "y"),))], [Cue("w", 5, 9, "said")],
                   [Claim("v", 10, 17, "32 died", source="x", cue="w")])
    assert versions(a) == versions(renamed)
    assert versions(a)["claims"][(10, 17)][0]["source"] == [0, 4]


@pytest.mark.parametrize("a, b, gold, kept", [
    ([1], [2], [1], "a"),
    ([1], [2], [2], "b"),
    ([1], [2], [3], "both-changed"),
    ([1], [], [], "b"),
    ([], [], [1], "added"),
    ([1], [1], [], "removed"),
    ([1], [1], [2], "both-changed"),
    ([1], [1], [1], None),
])
def test_verdict(a, b, gold, kept):
    assert verdict(a, b, gold) == kept


def test_adjudicate_records_changes_and_requires_known_reason_keys():
    a = _doc([BAKU, N32], [DIED])
    b = _doc([BAKU, N32], [Event("e1", 13, 17, "died", "DIE")])
    gold = _doc([BAKU, N32, Mention("m3", 5, 9, "said", "ORG")], [DIED])
    rec = adjudicate([a], [b], [gold], {})
    kept = {i["key"]: i["kept"] for i in rec["items"]}
    assert kept == {item_key("d", "events", (13, 17)): "a", item_key("d", "mentions", (5, 9)): "added"}
    assert unexplained(rec) == [item_key("d", "mentions", (5, 9))]
    assert rec["summary"]["events"]["won_by_a"] == 1 and rec["summary"]["mentions"]["added"] == 1
    with pytest.raises(NkbenchError, match="not in the record"):
        adjudicate([a], [b], [gold], {"d|claims|0:1": {"reason": "x"}})
    with pytest.raises(NkbenchError, match="different documents"):
        adjudicate([a], [b], [], {})
