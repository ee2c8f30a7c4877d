import json

import pytest
import yaml
from click.testing import CliRunner

from tests.dataset_fixture import fixture_inputs
from nkbench.core import schema
from nkbench.cli import main
from nkbench.dataset import card as C
from nkbench.dataset import features as feats
from nkbench.dataset.stats import compute, markdown
from tests.project import PROJECT

CARD = (PROJECT.data_dir / "README.md").read_text(encoding="utf-8")


def header():
    return yaml.safe_load(CARD.split("---\n")[1])


@pytest.mark.parametrize("config", feats.CONFIGS)
def test_every_field_is_documented_and_nothing_else(config):
    paths = [p for p, _ in C.field_paths(feats.features(config))]
    assert sorted(paths) == sorted(C.FIELD_DOCS[config])


def test_yaml_header_is_generated_from_the_declared_features():
    from datasets import Features

    h = header()
    assert h["license"] == "cc-by-4.0" and h["language"] == ["es", "en"] and h["size_categories"] == ["n<1K"]
    assert h["multilinguality"] == "multilingual" and h["annotations_creators"] == ["machine-generated"]
    names = [c["config_name"] for c in h["configs"]]
    assert names == [c for c in feats.CONFIGS if c in names]  # in the declared order
    assert set(feats.CONFIGS) - set(names) <= {feats.DEV_CONFIG}  # only dev may be absent (no dev gold yet)
    assert [c for c in h["configs"] if c.get("default")] == [h["configs"][0]] and h["configs"][0]["config_name"] == "documents"
    for c in h["configs"]:
        (files,) = c["data_files"]
        assert files["split"] == feats.split_of(c["config_name"]) and (PROJECT.data_dir / files["path"]).is_file()
    for info in h["dataset_info"]:
        assert Features._from_yaml_list(info["features"]) == feats.features(info["config_name"])


def test_split_sizes_in_the_header_are_the_parquet_row_counts():
    import pyarrow.parquet as pq

    for info in header()["dataset_info"]:
        split = feats.split_of(info["config_name"])
        n = pq.ParquetFile(PROJECT.data_dir / info["config_name"] / f"{split}.parquet").metadata.num_rows
        assert info["splits"] == [{"name": split, "num_bytes": info["dataset_size"], "num_examples": n}]


def test_card_stats_equal_the_stats_command_and_the_inputs():
    block = CARD.split(C.STATS_BEGIN + "\n")[1].split(C.STATS_END)[0]
    result = CliRunner().invoke(main, ["data", "stats"])
    assert result.exit_code == 0 and result.output == block
    from nkbench.dataset.build import load_inputs

    inputs = load_inputs(PROJECT.seeds_dir, PROJECT.gold_export, default_entities=PROJECT.entities,
                         default_links=PROJECT.links)  # the committed gold export
    as_json = CliRunner().invoke(main, ["data", "stats", "--json"])
    test = {d.id for d in inputs.gold if inputs.seeds[d.id].split == "test"}  # the card counts the test articles only
    assert json.loads(as_json.output) == compute([d for d in inputs.gold if d.id in test],
                                                 {a: [d for d in p if d.id in test] for a, p in inputs.passes.items()})


def test_stats_count_what_is_there():
    inputs = fixture_inputs()
    s = compute(inputs.gold, inputs.passes)
    gold = inputs.gold
    assert s["layers"]["mentions"] == {"total": sum(len(d.mentions) for d in gold),
                                       "es": sum(len(d.mentions) for d in gold if d.language == "es"),
                                       "en": sum(len(d.mentions) for d in gold if d.language == "en")}
    for name in ("entity types", "event types", "claim stance", "value hedge"):
        assert sum(v["total"] for v in s["types"][name].values()) == {
            "entity types": s["layers"]["mentions"]["total"], "event types": s["layers"]["events"]["total"],
            "claim stance": s["layers"]["claims"]["total"],
            "value hedge": s["layers"]["numeric claims (with value)"]["total"]}[name]
    assert list(s["types"]["entity types"]) == list(schema.ENTITY_TYPES)  # zeros listed, not hidden
    assert s["layers"]["entities (distinct ids)"]["total"] == len({m.entity_id for d in gold for m in d.mentions if m.entity_id})
    assert s["passes"]["annotator-y"] == {"documents": 1, "mentions": 24, "events": 5, "cues": 7, "claims": 7}
    assert sum(v["sentences"] for v in s["per_document"].values()) == s["layers"]["sentences"]["total"]
    table = markdown(s)
    assert "| `annotator-x` | 1 | 3 | 1 | 1 | 1 |" in table


def test_card_prose_covers_what_the_issue_asks():
    for text in ["do not name their publishers", "CC BY 4.0", "leave-one-document-out", "nkbench score PREDICTIONS.jsonl",
                 "@misc{nkbench", "end-exclusive", "IOB2", "nkbench data push --repo-id", "## Example instances"]:
        assert text in CARD, text


def test_stats_on_a_missing_folder_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["data", "stats", "--dir", str(tmp_path)])
    assert result.exit_code == 1 and "run `nkbench data build` first" in result.output
