"""The annotator's path without a server (issue 12): value.text with whitespace runs collapsed,
ids chosen from the lists or proposed, older exports, a named gold annotator remembered in
nkbench.toml, partial exports, and the ground-truth plan. The real UI is
tests/test_labelstudio_browser.py; the real server tests/test_labelstudio_server.py."""

from __future__ import annotations

import copy
import json
import re

from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from nkbench.cli import main
from nkbench.core.io import read_documents
from nkbench.annotation.labelstudio.convert import collapse_whitespace, document_to_results, results_to_document
from nkbench.annotation.labelstudio.sync import plan_ground_truth
from nkbench.annotation.labelstudio.tasks import gold_tasks
from nkbench.annotation.labelstudio.validate import export_status, load_export, read_export
from nkbench.core.project import Project
from nkbench.annotation.seeds import load_seeds
from tests.project import PROJECT, copy_project

SEEDS = load_seeds(PROJECT.seeds_dir)


def committed():
    return load_export(PROJECT.gold_export, SEEDS)


def collapsed_results(doc):
    """The results as Label Studio stores them when the page collapses whitespace."""
    out = document_to_results(doc)
    for r in out:
        if "value" in r and isinstance(r["value"].get("text"), str):
            r["value"]["text"] = collapse_whitespace(r["value"]["text"])
    return out


def test_collapsed_value_text_converts_to_the_same_document_and_is_counted():
    n_runs = 0
    for t in committed():
        doc = t.gold
        notes: list[str] = []
        back, problems = results_to_document(collapsed_results(doc), doc_id=doc.id, language=doc.language,
                                             text=doc.text, collapsed=notes)
        assert problems == [] and back == doc  # offsets kept, texts from the task
        runs = [x for layer in (doc.mentions, doc.events, doc.cues, doc.claims) for x in layer
                if re.search(r"\s\s", x.text)]
        assert len(notes) == len(runs)
        n_runs += len(runs)
        for x, note in zip(sorted(runs, key=lambda x: x.id), sorted(notes)):
            assert f"[{x.start}:{x.end}]" in " ".join(notes) and repr(x.text) in " ".join(notes)
    assert n_runs > 0  # the committed gold has such spans (hard case #1: 'Nagorno   Karabaj')


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_other_difference_is_still_an_error(data):
    doc = committed()[0].gold
    results = document_to_results(doc)
    regions = [r for r in results if r.get("type") == "labels"]
    r = data.draw(st.sampled_from(regions))
    wrong = data.draw(st.text(alphabet="ab \n.", min_size=1, max_size=8))
    truth = doc.text[r["value"]["start"]:r["value"]["end"]]
    r["value"]["text"] = wrong
    back, problems = results_to_document(results, doc_id=doc.id, language=doc.language, text=doc.text)
    if collapse_whitespace(wrong) == collapse_whitespace(truth):
        assert problems == []
    else:
        assert back is None and any(f"value.text {wrong!r}" in str(p) and repr(truth) in str(p) for p in problems)


def test_an_older_export_with_typed_ids_and_the_new_one_with_chosen_ids_convert_alike():
    import copy

    tasks = committed()
    new = gold_tasks([t.gold for t in tasks], SEEDS, {k: [t.passes[k] for t in tasks] for k in ("annotator-a", "annotator-b")})
    assert any(r.get("from_name") == "entity_id" and r["type"] == "choices"
               for t in new for a in t["annotations"] for r in a["result"])
    old = copy.deepcopy(new)  # an export made with the earlier config: the id typed in a text area named entity_id
    for t in old:
        for a in t["annotations"]:
            for r in a["result"]:
                if r.get("from_name") in ("entity_id", "link") and r["type"] == "choices":
                    r["type"] = "textarea"
                    r["value"]["text"] = r["value"].pop("choices")
    assert any(r.get("from_name") == "entity_id" and r["type"] == "textarea"
               for t in old for a in t["annotations"] for r in a["result"])
    for export in (new, old):
        back = read_export(export, SEEDS)
        assert [(t.doc_id, t.gold) for t in back] == [(t.doc_id, t.gold) for t in tasks]


def test_a_proposed_id_is_the_entity_id():
    doc = committed()[0].gold
    results = document_to_results(doc)
    m = next(m for m in doc.mentions if m.entity_id)
    for r in results:
        if r.get("id") == m.id and r.get("from_name") == "entity_id":
            r.update(from_name="entity_id_new", type="textarea", value={**r["value"], "text": ["new_person"]})
            del r["value"]["choices"]
    back, problems = results_to_document(results, doc_id=doc.id, language=doc.language, text=doc.text)
    assert problems == []
    assert next(x for x in back.mentions if x.id == m.id).entity_id == "new_person"


def _partial_export():
    """The committed gold export without the adjudicator in task 3 and with no annotation in the last task."""
    export = json.loads(PROJECT.gold_export.read_text(encoding="utf-8"))
    for task in export:
        for a in task["annotations"]:
            a["ground_truth"] = False
    export[2]["annotations"] = [a for a in export[2]["annotations"] if "adjudicator" not in json.dumps(a["completed_by"])]
    export[-1]["annotations"] = []
    return export


def test_partial_export_with_a_gold_annotator():
    status = export_status(_partial_export(), SEEDS, annotator="adjudicator")
    tasks = _partial_export()
    assert [t.doc_id for t in status.documents] == [t["data"]["doc_id"] for i, t in enumerate(tasks)
                                                    if i not in (2, len(tasks) - 1)]
    assert len(status.unannotated) == 1 and len(status.unadjudicated) == 1
    assert "no annotation by adjudicator yet" in status.unadjudicated[0]
    assert {t.gold_annotator for t in status.documents} == {"adjudicator"}


def test_convert_skip_unannotated_and_the_remembered_gold_annotator(tmp_path):
    root = copy_project(tmp_path / "project")
    export = tmp_path / "export.json"
    export.write_text(json.dumps(_partial_export(), ensure_ascii=False), encoding="utf-8")
    run = lambda *a: CliRunner().invoke(main, ["--project", str(root), *map(str, a)])  # noqa: E731

    strict = run("annotate", "convert", export, "--out", tmp_path / "a.jsonl")
    assert strict.exit_code == 1 and "none is marked ground truth" in strict.output and not (tmp_path / "a.jsonl").exists()
    out = run("annotate", "convert", export, "--out", tmp_path / "gold.jsonl", "--gold-annotator", "adjudicator@nkbench.local",
              "--skip-unannotated")
    assert out.exit_code == 0, out.output
    assert "remembered gold_annotator = 'adjudicator@nkbench.local' in nkbench.toml" in out.output
    assert "left out 1 task(s) without annotations" in out.output and "left out 1 task(s) without gold yet" in out.output
    assert f"wrote {len(_partial_export()) - 2} gold documents" in out.output
    assert Project(root).gold_annotator == "adjudicator@nkbench.local"
    tasks = committed()
    assert read_documents(tmp_path / "gold.jsonl") == [t.gold for i, t in enumerate(tasks) if i not in (2, len(tasks) - 1)]
    # later commands use the remembered adjudicator, and say so
    again = run("annotate", "convert", export, "--out", tmp_path / "gold2.jsonl", "--skip-unannotated")
    assert again.exit_code == 0 and "gold: the annotations by adjudicator@nkbench.local (gold_annotator in nkbench.toml)" in again.output
    assert "remembered" not in again.output
    assert (tmp_path / "gold2.jsonl").read_bytes() == (tmp_path / "gold.jsonl").read_bytes()
    check = run("annotate", "check", export)
    assert check.exit_code == 1 and "no annotation by 'adjudicator'" in check.output


def test_collapsed_regions_are_reported_by_convert(tmp_path):
    tasks = committed()
    export = gold_tasks([t.gold for t in tasks], SEEDS)
    n = 0
    for task in export:
        for r in task["annotations"][0]["result"]:
            if isinstance(r.get("value", {}).get("text"), str) and re.search(r"\s\s", r["value"]["text"]):
                r["value"]["text"] = collapse_whitespace(r["value"]["text"])
                n += r["type"] == "labels"
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    out = CliRunner().invoke(main, ["annotate", "convert", str(path), "--out", str(tmp_path / "gold.jsonl")])
    assert out.exit_code == 0, out.output
    assert f"note: {n} region(s) whose value.text has runs of whitespace collapsed" in out.output and n > 0
    assert read_documents(tmp_path / "gold.jsonl") == [t.gold for t in tasks]


def test_ground_truth_plan_marks_the_adjudicator_and_unmarks_the_others():
    tasks = [
        {"id": 1, "data": {"doc_id": "a"}, "annotations": [
            {"id": 10, "completed_by": {"email": "x@nkbench.local"}, "ground_truth": True},
            {"id": 11, "completed_by": {"email": "adj@nkbench.local"}, "ground_truth": False}]},
        {"id": 2, "data": {"doc_id": "b"}, "annotations": [
            {"id": 20, "completed_by": {"email": "adj@nkbench.local"}, "ground_truth": True}]},
        {"id": 3, "data": {"doc_id": "c"}, "annotations": [{"id": 30, "completed_by": {"email": "x@nkbench.local"}}]},
        {"id": 4, "data": {"doc_id": "d"}, "annotations": []},
    ]
    plan = plan_ground_truth(copy.deepcopy(tasks), "adj@nkbench.local")
    assert plan.mark == ((1, "a", 11),) and plan.unmark == ((1, "a", 10),)
    assert plan.already == ("task 2 (b)",) and plan.missing == ("task 3 (c)", "task 4 (d)")


def test_set_setting_keeps_the_other_lines(tmp_path):
    (tmp_path / "nkbench.toml").write_text('# mine\n[project]\nname = "x"  # keep\n\n[other]\nk = 1\n', encoding="utf-8")
    p = Project(tmp_path)
    p.set_setting("gold_annotator", "adjudicator")
    p.set_setting("gold_annotator", "adj@nkbench.local")
    text = (tmp_path / "nkbench.toml").read_text(encoding="utf-8")
    assert text == '# mine\n[project]\nname = "x"  # keep\n\ngold_annotator = "adj@nkbench.local"\n[other]\nk = 1\n'
    assert p.gold_annotator == "adj@nkbench.local" and p.settings["name"] == "x"


def test_a_missing_or_wrong_type_is_still_an_error_with_the_legacy_tags():
    text = "Cerca de"
    region = {"id": "a", "from_name": "entity", "to_name": "text", "type": "labels",
              "value": {"start": 0, "end": 5, "text": "Cerca", "labels": ["PER"]}}
    untyped = {k: v for k, v in region.items() if k != "type"}
    _, problems = results_to_document([untyped], doc_id="d", language="es", text=text)
    assert ["type None does not match control 'entity'" in str(p) for p in problems] == [True]
    number = {**region, "from_name": "entity_id", "type": "number", "value": {**region["value"], "number": 3}}
    _, problems = results_to_document([region, number], doc_id="d", language="es", text=text)
    assert any("type 'number' does not match control 'entity_id' (expected 'choices')" in str(p) for p in problems)
    typed = {**region, "from_name": "entity_id", "type": "textarea", "value": {**region["value"], "text": ["x_y"]}}
    doc, problems = results_to_document([region, typed], doc_id="d", language="es", text=text)
    assert problems == [] and doc.mentions[0].entity_id == "x_y"
