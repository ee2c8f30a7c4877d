"""Predictions as ML teams write them (issue 13, item 3): strict fields at every depth, dataset
``documents`` rows accepted as predictions (ClassLabel ids decoded), stdin."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from nkbench.cli import main
from nkbench.benchmark.scoring.jsonschema import prediction_schema
from nkbench.benchmark.scoring.predictions import CLASS_LABELS, _clean, decode_class_labels, parse_document, strict_fields

from .project import PROJECT, gold

HERE = os.path.join(os.path.dirname(__file__), "golden", "predictions")
PRED = json.loads(open(os.path.join(HERE, "predictions.jsonl"), encoding="utf-8").readline())


def test_every_field_of_the_schema_is_known_and_nothing_else():
    """strict_fields walks the schema: every schema field passes, a mangled one fails at its path."""
    sch = prediction_schema()

    def paths(node, path=""):
        props = node.get("properties")
        if props:
            for k, v in props.items():
                yield f"{path}.{k}" if path else k, v
                child = v.get("items", v)
                yield from paths(child, (f"{path}.{k}" if path else k) + ("[0]" if "items" in v else ""))

    full = json.loads(json.dumps(PRED))
    full["claims"][0]["parent"] = None
    full["mentions"][0]["text"] = "Azerbaijan"
    assert strict_fields(full, "w") == [] and _clean(full)
    n = 0
    for path, _ in paths(sch):
        parent, _, key = path.rpartition(".")
        obj = json.loads(json.dumps(full))
        node = obj
        for part in filter(None, parent.replace("[0]", ".0").split(".")):
            node = node[int(part)] if part.isdigit() else node.get(part)
        if not isinstance(node, dict):
            continue
        node[key + "_"] = node.pop(key, None)
        problems = strict_fields(obj, "w")
        assert len(problems) == 1, (path, problems)
        shown = f"{parent.replace('.0', '[0]')}.{key}_" if parent else f"{key}_"
        assert problems[0].where == f"w: {shown}", (path, problems[0].where)
        assert f"did you mean {key!r}?" in str(problems[0]), str(problems[0])
        assert not _clean(obj), path  # the fast check never lets an unknown field through
        n += 1
    assert n >= 30  # every field of every depth was mangled once


def test_the_fast_check_sees_every_class_label_id():
    for path in CLASS_LABELS:
        obj = json.loads(json.dumps(PRED))
        obj["events"][0]["arguments"][0]["role"] = "Place"
        node = obj[path[0]][0]
        for part in path[1:-1]:
            node = node[part] if not isinstance(node[part], list) else node[part][0]
        node[path[-1]] = 0
        assert not _clean(obj), path
        decoded, problems = decode_class_labels(obj, "w")
        assert problems == [] and decoded != obj and _clean(decoded), path


def test_class_labels_are_the_datasets_features():
    """The ids decoded are those of the dataset's ClassLabel features, in their order."""
    from datasets import ClassLabel

    from nkbench.dataset.features import documents

    f = documents()

    def names(path):
        node = f
        for part in path:
            node = node[part]
            node = getattr(node, "feature", node)
        assert isinstance(node, ClassLabel)
        return tuple(node.names)

    for path, labels in CLASS_LABELS.items():
        assert names(path) == labels, path


def test_dataset_rows_are_predictions(tmp_path):
    """``documents`` rows as ``datasets`` yields them (ClassLabel ids, metadata) score like the gold itself."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import datasets

    ds = datasets.load_dataset(str(PROJECT.data_dir), "documents", split="test", cache_dir=str(tmp_path / "cache"))
    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ds), encoding="utf-8")
    assert any(isinstance(m["label"], int) for r in ds for m in r["mentions"])
    docs = [parse_document(json.loads(line), "w", gold=False) for line in rows.read_text(encoding="utf-8").splitlines()]
    assert [(d.id, d.mentions, d.events, d.claims) for d in docs] == [(g.id, g.mentions, g.events, g.claims) for g in gold()]
    r = CliRunner().invoke(main, ["--project", str(PROJECT.root), "score", str(rows), "--resamples", "0", "--format", "json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    for layer, metric in (("entities", "strict"), ("events", "trigger_cls"), ("claims", "claim_strict")):
        assert report["layers"][layer][metric]["micro"]["f1"] == 1.0


def test_stdin_scores_like_the_file():
    path = os.path.join(HERE, "predictions.jsonl")
    reports = []
    for arg, data in ((path, None), ("-", open(path, "rb").read())):
        r = CliRunner().invoke(main, ["score", arg, "--gold", os.path.join(HERE, "gold.jsonl"), "--resamples", "20",
                                      "--format", "json"], input=data)
        assert r.exit_code == 0, r.output
        reports.append(json.loads(r.output))
    assert reports[1].pop("predictions") == "<stdin>" and reports[0].pop("predictions") == path
    assert reports[0] == reports[1]
    assert reports[0]["layers"]["entities"]["strict"]["micro"]["correct"] > 0
