"""``nkbench annotate check``: guideline consistency of gold."""

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkbench.cli import main
from nkbench.annotation.guidelines import check_all, load_registry
from nkbench.core.errors import NkbenchError
from nkbench.core.io import read_documents, write_documents
from nkbench.core.model import Mention, NumericValue

GOLDEN = Path(__file__).parent / "golden" / "labelstudio"
DOC = read_documents(GOLDEN / "gold.jsonl")[0]  # seed 001 (es)
DOCS = read_documents(GOLDEN / "gold.jsonl")  # 001 (es) and 002 (en, with a linked claim)
T = DOC.text


def _mention(mid, s, label, **kw):
    i = T.index(s)
    return Mention(mid, i, i + len(s), s, label, **kw)


def _claim(doc, cid, **kw):
    return replace(doc, claims=tuple(replace(c, **kw) if c.id == cid else c for c in doc.claims))


def _value(low, high, hedge):
    return NumericValue(low, high, hedge, "killed")


BAD = {
    "whitespace": (lambda d: replace(d, cues=d.cues + (replace(d.cues[0], id="w1", end=d.cues[0].end + 1,
                                                                 text=T[d.cues[0].start:d.cues[0].end + 1]),)),
                   "cue 'w1' [67:72]: span 'dijo ' has leading or trailing whitespace"),
    "overlap": (lambda d: replace(d, mentions=d.mentions + (_mention("o1", "Exteriores de Azerbaiyán", "GPE", entity_id="azerbaijan"),)),
                "mention 'o1' [42:66]: overlaps mention 'pZ8vYw2RcN' [17:66] (the entity layer is flat)"),
    "missing-entity-id": (lambda d: replace(d, mentions=d.mentions + (_mention("n1", "Reuters.\n«Estamos", "ORG"),)),
                          "mention 'n1' 'Reuters.\\n«Estamos': ORG mention has no entity_id"),
    "date-with-id": (lambda d: replace(d, mentions=tuple(replace(m, entity_id="wednesday") if m.label == "DATE" else m for m in d.mentions)),
                     "DATE mentions carry no entity_id (got 'wednesday')"),
    "at-least-with-high": (lambda d: _claim(d, "Kk2m9_sVx7", value=_value(1, 1, "at_least")),
                           "claim 'Kk2m9_sVx7': hedge 'at_least' requires low stated, high empty, got low=1 high=1"),
    "approx-without-both": (lambda d: _claim(d, "Kk2m9_sVx7", value=_value(200, None, "approx")),
                            "hedge 'approx' requires low == high (both stated), got low=200 high=None"),
    "range-equal": (lambda d: _claim(d, "Kk2m9_sVx7", value=_value(5, 5, "range")),
                    "hedge 'range' requires low < high (both stated)"),
    "dangling-source": (lambda d: _claim(d, "Kk2m9_sVx7", source="c0DjW-4uQe"),
                        "claim 'Kk2m9_sVx7': source 'c0DjW-4uQe' is not an entity mention of this document"),
    "out-of-bounds": (lambda d: replace(d, cues=(replace(d.cues[0], end=len(T) + 5),) + d.cues[1:]),
                      "offsets out of range"),
    "text-not-seed": (lambda d: replace(d, text=T.replace("miércoles", "jueves")),
                      "document '001_72a5ace2c57cf10c': text differs from its seed"),
}


def _run(tmp_path, docs):
    path = tmp_path / "gold.jsonl"
    write_documents(path, docs)
    return CliRunner().invoke(main, ["annotate", "check", str(path)])


def test_sound_gold_reports_nothing(tmp_path):
    r = CliRunner().invoke(main, ["annotate", "check", str(GOLDEN / "gold.jsonl")])
    assert r.exit_code == 0 and r.stdout == "", r.output
    r = CliRunner().invoke(main, ["annotate", "check", str(GOLDEN / "export.json")])
    assert r.exit_code == 0 and r.stdout == "", r.output


@pytest.mark.parametrize("name", list(BAD))
def test_guideline_problem_is_named(name, tmp_path):
    mutate, expected = BAD[name]
    r = _run(tmp_path, [mutate(DOC)])
    assert r.exit_code != 0 and isinstance(r.exception, SystemExit)
    assert expected in r.output and "Traceback" not in r.output, r.output


def test_registries_are_used_when_present_and_skipped_with_a_note_when_absent(tmp_path):
    ents, links = tmp_path / "entities.json", tmp_path / "links.json"
    problems, notes = check_all(DOCS, entities_path=ents, links_path=links)
    assert problems == [] and len(notes) == 2 and all("not found: skipped" in n for n in notes)
    known = sorted({m.entity_id for d in DOCS for m in d.mentions if m.entity_id})
    ents.write_text(json.dumps({**{e: {"aliases": []} for e in known if e != "reuters"}, "reuter": {}}))
    links.write_text(json.dumps({"sep2023_killed_total": {}}))
    problems, notes = check_all(DOCS, entities_path=ents, links_path=links)
    assert notes == []
    assert [p.reason for p in problems] == ["entity_id 'reuters' is not in annotation/entities.json"]
    assert "did you mean 'reuter'?" in str(problems[0])
    links.write_text(json.dumps({"other": {"description": "x"}}))
    assert load_registry(links) == {"other"}
    problems, _ = check_all(DOCS, entities_path=ents, links_path=links)
    assert any("link 'sep2023_killed_total' is not in annotation/links.json" in str(p) for p in problems)


@pytest.mark.parametrize("content, reason", [
    ([{"id": "ilham_aliyev"}], "expected a JSON object keyed by id, got a list"),
    ({"entities": [{"id": "ilham_aliyev"}]}, "the record of 'entities' is a list, not an object"),
    ({"ilham_aliyev": "PER"}, "the record of 'ilham_aliyev' is a string, not an object"),
    ("ilham_aliyev", "expected a JSON object keyed by id, got a string"),
])
def test_one_inventory_reader_rejects_every_other_shape_everywhere(tmp_path, content, reason):
    """entities.json/links.json have one reader (``inventory.read_inventory``): the guideline check,
    the Label Studio config and ``data build`` all refuse another shape with the same clear error."""
    from nkbench.dataset.build import read_inventory as build_inventory
    from nkbench.core.inventory import read_inventory
    from nkbench.annotation.labelstudio.config import read_inventory as config_inventory

    path = tmp_path / "entities.json"
    path.write_text(json.dumps(content))
    for read in (read_inventory, load_registry, lambda p: config_inventory(p, "entities"),
                 lambda p: build_inventory(p, None)):
        with pytest.raises(NkbenchError) as err:
            read(path)
        assert str(err.value).startswith(f"{path}: {reason}; an inventory is a JSON object keyed by id")
    assert read_inventory(tmp_path / "absent.json") is None and load_registry(tmp_path / "absent.json") is None
