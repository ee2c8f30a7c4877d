"""Malformed Label Studio exports: each gives its specific message and a non-zero exit, no traceback."""

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkbench.cli import main

GOLDEN = Path(__file__).parent / "golden" / "labelstudio"
EXPORT = json.loads((GOLDEN / "export.json").read_text(encoding="utf-8"))
GOLD_T, GOLD_A = 0, 1  # task 7, annotation 12 (ground truth); annotation 11 is annotator 2's pass


def res(x, t=GOLD_T, a=GOLD_A):
    return x[t]["annotations"][a]["result"]


def item(x, rid, name=None, t=GOLD_T, a=GOLD_A):
    [r] = [r for r in res(x, t, a) if r.get("id") == rid and (name is None or r["from_name"] == name)]
    return r


def rel(x, src, dst, t=GOLD_T, a=GOLD_A):
    [r] = [r for r in res(x, t, a) if r.get("type") == "relation" and (r["from_id"], r["to_id"]) == (src, dst)]
    return r


def set_(obj, key, value):
    obj[key] = value


def drop(x, pred, t=GOLD_T, a=GOLD_A):
    x[t]["annotations"][a]["result"] = [r for r in res(x, t, a) if not pred(r)]


CASES = {
    "text-mismatch": (lambda x: item(x, "pZ8vYw2RcN", "entity")["value"].__setitem__("text", "Ministerio de Azerbaiyán"),
                      "task 7 (doc '001_72a5ace2c57cf10c'): annotation 12 (by 1): result[1] region 'pZ8vYw2RcN': value.text 'Ministerio de Azerbaiyán' does not match the task text at [17:66]"),
    "utf16-offsets": (lambda x: item(x, "Hq3xT0aLk1", "entity")["value"].__setitem__("end", 13),
                      "result[0] region 'Hq3xT0aLk1': value.text 'miércoles' does not match the task text at [3:13] 'miércoles,'"),
    "out-of-range": (lambda x: item(x, "Hq3xT0aLk1", "entity")["value"].update(end=99999),
                     "region 'Hq3xT0aLk1': offsets out of range: end=99999 but the task text has"),
    "reversed": (lambda x: item(x, "Hq3xT0aLk1", "entity")["value"].update(start=12, end=3),
                 "region 'Hq3xT0aLk1': offsets reversed or negative: start=12 end=3"),
    "empty-span": (lambda x: item(x, "Hq3xT0aLk1", "entity")["value"].update(start=3, end=3, text=""),
                   "region 'Hq3xT0aLk1': empty span at 3"),
    "string-offsets": (lambda x: item(x, "Hq3xT0aLk1", "entity")["value"].update(start="3"),
                       "region 'Hq3xT0aLk1': offsets must be integers, got start='3' end=12"),
    "several-labels": (lambda x: item(x, "pZ8vYw2RcN", "entity")["value"].__setitem__("labels", ["ORG", "GPE"]),
                       "region 'pZ8vYw2RcN': region has several labels ['ORG', 'GPE']"),
    "duplicate-span": (lambda x: res(x).append({**copy.deepcopy(item(x, "Hq3xT0aLk1", "entity")), "id": "dUpL1cate0"}),
                       "duplicate span: mention ["),
    "two-layers": (lambda x: res(x).append({**copy.deepcopy(item(x, "mUr10_evt1", "trigger")), "id": "s0Ld1er_Az"}),
                   "region 's0Ld1er_Az': region has several labels: PER (entity region, result[9]) and DIE (trigger)"),
    "unknown-label": (lambda x: item(x, "pZ8vYw2RcN", "entity")["value"].__setitem__("labels", ["ORGG"]),
                      "result[1] region 'pZ8vYw2RcN': unknown label 'ORGG' for control 'entity'; did you mean 'ORG'?"),
    "unknown-control": (lambda x: set_(item(x, "Hq3xT0aLk1", "entity"), "from_name", "entities"),
                        "result[0] region 'Hq3xT0aLk1': unknown control name 'entities'; did you mean 'entity'?"),
    "wrong-type": (lambda x: set_(item(x, "Hq3xT0aLk1", "entity"), "type", "hypertextlabels"),
                   "type 'hypertextlabels' does not match control 'entity' (expected 'labels')"),
    "missing-region": (lambda x: set_(rel(x, "mUr10_evt1", "s0Ld1er_Az"), "to_id", "gone_42"),
                       "relation 'mUr10_evt1'->'gone_42': Victim relation to a missing region 'gone_42'"),
    "role-not-allowed": (lambda x: set_(rel(x, "mUr10_evt1", "s0Ld1er_Az"), "labels", ["Attacker"]),
                         "relation 'mUr10_evt1'->'s0Ld1er_Az': role 'Attacker' is not a role of DIE; known: Agent, Count, Place, Time, Victim"),
    "argument-to-cue": (lambda x: set_(rel(x, "mUr10_evt1", "s0Ld1er_Az"), "to_id", "c0DjW-4uQe"),
                        "'Victim' goes from a trigger region to an entity region, not from a trigger region (DIE) to a cue region (CUE)"),
    "claimant-not-entity": (lambda x: set_(rel(x, "Kk2m9_sVx7", "pZ8vYw2RcN"), "to_id", "c0DjW-4uQe"),
                            "'claimant' goes from a claim region to an entity region, not from a claim region (CLAIM) to a cue region (CUE)"),
    "cue-not-cue": (lambda x: set_(rel(x, "Kk2m9_sVx7", "c0DjW-4uQe"), "to_id", "pZ8vYw2RcN"),
                    "'cue' goes from a claim region to a cue region, not from a claim region (CLAIM) to an entity region (ORG)"),
    "two-claimants": (lambda x: res(x).append({**rel(x, "Kk2m9_sVx7", "pZ8vYw2RcN"), "to_id": "Arm_MFA_01"}),
                      "claim 'Kk2m9_sVx7' has several claimant relations"),
    "relation-no-label": (lambda x: set_(rel(x, "Kk2m9_sVx7", "pZ8vYw2RcN"), "labels", []),
                          "relation 'Kk2m9_sVx7'->'pZ8vYw2RcN': a relation needs exactly one label, got []"),
    "relation-unknown-label": (lambda x: set_(rel(x, "Kk2m9_sVx7", "pZ8vYw2RcN"), "labels", ["claimer"]),
                               "unknown relation label 'claimer'; did you mean 'claimant'?"),
    "relation-bidirectional": (lambda x: set_(rel(x, "Kk2m9_sVx7", "pZ8vYw2RcN"), "direction", "bi"),
                               "relation direction 'bi' has no meaning here"),
    "attribute-without-region": (lambda x: set_(item(x, "Kk2m9_sVx7", "hedge"), "id", "orphan_001"),
                                 "result[7] hedge of region 'orphan_001': per-region attribute 'hedge' without its region"),
    "attribute-wrong-layer": (lambda x: res(x).append({**copy.deepcopy(item(x, "mUr10_evt1", "polarity")), "id": "pZ8vYw2RcN"}),
                              "polarity of region 'pZ8vYw2RcN': attribute 'polarity' belongs to trigger regions, not to an entity region"),
    "attribute-twice": (lambda x: res(x).append(copy.deepcopy(item(x, "Kk2m9_sVx7", "stance"))),
                        "attribute 'stance' given twice for region 'Kk2m9_sVx7' (also result[5])"),
    "attribute-offsets": (lambda x: item(x, "Kk2m9_sVx7", "stance")["value"].update(start=75),
                          "stance of region 'Kk2m9_sVx7': offsets [75:129] differ from its region's [76:129]"),
    "attribute-text": (lambda x: item(x, "mUr10_evt1", "polarity")["value"].__setitem__("text", "murio"),
                       "polarity of region 'mUr10_evt1': value.text 'murio' differs from its region's text 'murió'"),
    "unknown-choice": (lambda x: item(x, "Kk2m9_sVx7", "hedge")["value"].__setitem__("choices", ["atleast"]),
                       "hedge of region 'Kk2m9_sVx7': unknown hedge 'atleast'; did you mean 'at_least'?"),
    "two-choices": (lambda x: item(x, "mUr10_evt1", "realis")["value"].__setitem__("choices", ["actual", "other"]),
                    "realis of region 'mUr10_evt1': expected exactly one choice, got ['actual', 'other']"),
    "entity-id-whitespace": (lambda x: item(x, "pZ8vYw2RcN", "entity_id")["value"].__setitem__("text", ["azerbaijan_mfa\n"]),
                             "entity_id 'azerbaijan_mfa\\n' is empty or contains whitespace"),
    "number-not-number": (lambda x: item(x, "Kk2m9_sVx7", "low")["value"].__setitem__("number", "1"),
                          "low of region 'Kk2m9_sVx7': expected a finite number, got '1'"),
    "value-without-hedge": (lambda x: drop(x, lambda r: r.get("from_name") == "hedge"),
                            "claim 'Kk2m9_sVx7': numeric value (counted, low) without hedge"),
    "low-above-high": (lambda x: res(x).append({**copy.deepcopy(item(x, "Kk2m9_sVx7", "low")), "from_name": "high",
                                                "value": {**item(x, "Kk2m9_sVx7", "low")["value"], "number": 0}}) or
                       res(x).__setitem__(-1, {**res(x)[-1], "type": "number"}),
                       "claim 'Kk2m9_sVx7': numeric value low 1 > high 0"),
    "parent-loop": (lambda x: res(x).append(rel(x, "1nn3r_cl4m", "0ut3r_cl4m") | {"from_id": "0ut3r_cl4m", "to_id": "1nn3r_cl4m"}),
                    "claim '0ut3r_cl4m': parent chain loops"),
    "cancelled": (lambda x: x[GOLD_T]["annotations"][0].__setitem__("was_cancelled", True),
                  "task 7 (doc '001_72a5ace2c57cf10c'): annotation 11 (by 2): annotation was cancelled (skipped) in Label Studio"),
    "no-annotation": (lambda x: x[1].__setitem__("annotations", []),
                      "task 8 (doc '002_2476f1cd8ed7decf'): task has no annotation"),
    "only-drafts": (lambda x: x[1].update(annotations=[], drafts=[{"id": 3, "result": [], "user": "ana@example.org"}]),
                    "task 8 (doc '002_2476f1cd8ed7decf'): task has no annotation; it has 1 unsubmitted draft(s): submit them in Label Studio"),
    "no-ground-truth": (lambda x: x[GOLD_T]["annotations"][GOLD_A].__setitem__("ground_truth", False),
                        "task 7 (doc '001_72a5ace2c57cf10c'): 2 annotations (by 1, 2) and none is marked ground truth; name the adjudicator (--gold-annotator NAME), or mark theirs as ground truth (`nkbench annotate ground-truth --annotator NAME`)"),
    "two-ground-truths": (lambda x: x[GOLD_T]["annotations"][0].__setitem__("ground_truth", True),
                          "several annotations marked ground truth (by 2, 1)"),
    "same-annotator-twice": (lambda x: x[GOLD_T]["annotations"][0].__setitem__("completed_by", 1),
                             "annotation 12 (by 1): annotator '1' has two annotations in this task (also annotation 11)"),
    "no-annotator": (lambda x: x[GOLD_T]["annotations"][0].__setitem__("completed_by", None),
                     "annotation 11 (by None): completed_by None names no annotator"),
    "text-differs-from-seed": (lambda x: x[1]["data"].__setitem__("text", x[1]["data"]["text"].replace("Wednesday", "Thursday")),
                               "task 8 (doc '002_2476f1cd8ed7decf'): text differs from its seed: first difference at offset 117: task 'Thursday a c' vs seed 'Wednesday a '"),
    "unknown-doc-id": (lambda x: x[1]["data"].__setitem__("doc_id", "002_2476f1cd8ed7decg"),
                       "task 8 (doc '002_2476f1cd8ed7decg'): unknown doc_id '002_2476f1cd8ed7decg'; did you mean '002_2476f1cd8ed7decf'?"),
    "duplicate-doc": (lambda x: x.append({**copy.deepcopy(x[1]), "id": 9}),
                      "task 9 (doc '002_2476f1cd8ed7decf'): doc_id '002_2476f1cd8ed7decf' also in task 8"),
    "wrong-language": (lambda x: x[1]["data"].__setitem__("language", "es"),
                       "language 'es' differs from the seed's 'en'"),
    "json-min": (lambda x: x.__setitem__(slice(None), [{"id": 7, "text": "…", "entity": [{"start": 0, "end": 2}]}]),
                 "task 7: no 'data' and no 'annotations': not a full JSON export; JSON_MIN and CoNLL exports drop relations"),
    "not-a-list": (lambda x: x.__setitem__(slice(None), []) or "replace-with-dict",
                   "expected a JSON list of tasks, got dict"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_malformed_export_is_named_and_fails(name, tmp_path):
    mutate, expected = CASES[name]
    export = copy.deepcopy(EXPORT)
    if mutate(export) == "replace-with-dict":
        export = {"tasks": EXPORT}
    path, out = tmp_path / "export.json", tmp_path / "gold.jsonl"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    r = CliRunner().invoke(main, ["annotate", "convert", str(path), "--out", str(out)])
    assert r.exit_code != 0
    assert isinstance(r.exception, SystemExit), r.exception  # a clean click error, never an uncaught exception
    assert "Traceback" not in r.output
    assert expected in r.output, r.output
    assert not out.exists()  # nothing written from a bad export


def test_all_problems_are_reported_at_once(tmp_path):
    export = copy.deepcopy(EXPORT)
    for name in ("text-mismatch", "role-not-allowed", "unknown-choice", "no-annotation"):
        CASES[name][0](export)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    r = CliRunner().invoke(main, ["annotate", "convert", str(path), "--out", str(tmp_path / "g.jsonl")])
    assert r.exit_code != 0 and "4 problem(s)" in r.output
    for name in ("text-mismatch", "role-not-allowed", "unknown-choice", "no-annotation"):
        assert CASES[name][1] in r.output


def test_annotator_policy_picks_a_pass_or_says_who_exists(tmp_path):
    export = copy.deepcopy(EXPORT)
    CASES["no-ground-truth"][0](export)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    ok = CliRunner().invoke(main, ["annotate", "convert", str(path), "--out", str(tmp_path / "g.jsonl"), "--annotator", "1"])
    assert ok.exit_code == 0 and "gold by 1; passes: 2" in ok.output
    bad = CliRunner().invoke(main, ["annotate", "convert", str(path), "--out", str(tmp_path / "g.jsonl"), "--annotator", "5"])
    assert bad.exit_code != 0 and "no annotation by '5'; annotators here: 1, 2" in bad.output


def test_malformed_json_file_is_named(tmp_path):
    path = tmp_path / "export.json"
    path.write_text('[{"id": 1,\n "data": }]', encoding="utf-8")
    r = CliRunner().invoke(main, ["annotate", "convert", str(path), "--out", str(tmp_path / "g.jsonl")])
    assert r.exit_code != 0 and f"{path}:2: malformed JSON" in r.output and "Traceback" not in r.output
