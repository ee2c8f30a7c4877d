"""data/ loads with datasets.load_dataset offline, and every offset in it points at its text."""

import os

os.environ["HF_HUB_OFFLINE"] = "1"  # before datasets reads its config

import pytest

from nkbench.core.bio import tags_to_spans
from nkbench.dataset import features as feats
from nkbench.annotation.gold import load_gold
from nkbench.annotation.seeds import load_seeds
from tests.project import PROJECT

datasets = pytest.importorskip("datasets")


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    datasets.disable_progress_bars()


def load(tmp_path, *args, **kwargs):
    return datasets.load_dataset(str(PROJECT.data_dir), *args, cache_dir=str(tmp_path / "cache"), **kwargs)


def test_default_config_is_documents_with_the_declared_features(tmp_path):
    dd = load(tmp_path)
    assert list(dd) == ["test"]
    assert dd["test"].features == feats.documents()
    seeds = load_seeds(PROJECT.seeds_dir)
    gold = [d for d in load_gold(PROJECT.gold_export, seeds) if seeds[d.id].split == "test"]  # the test articles only
    assert dd["test"]["id"] == [d.id for d in gold] and set(dd["test"]["language"]) == {d.language for d in gold}


def test_the_dev_config_is_the_development_articles_as_validation(tmp_path):
    """The development articles load as their own config (``dev``, split ``validation``), in the
    documents form, and nowhere else."""
    seeds = load_seeds(PROJECT.seeds_dir)
    dev = [d for d in load_gold(PROJECT.gold_export, seeds) if seeds[d.id].split == "dev"]
    dd = load(tmp_path, feats.DEV_CONFIG)
    assert list(dd) == [feats.DEV_SPLIT] and dd[feats.DEV_SPLIT].features == feats.documents()
    assert dd[feats.DEV_SPLIT]["id"] == [d.id for d in dev]
    assert not set(load(tmp_path / "t", split="test")["id"]) & {d.id for d in dev}


@pytest.mark.parametrize("config", ["documents", "ner", "claims", "passes", "entities", "links"])
def test_every_config_loads_with_its_declared_features(tmp_path, config):
    ds = load(tmp_path, config, split="test")
    assert ds.features == feats.features(config)
    assert ds.num_rows > 0


def test_every_span_text_is_the_text_at_its_offsets(tmp_path):
    checked = 0
    for config in ("documents", "passes"):
        for row in load(tmp_path, config, split="test"):
            text = row["text"]
            ids = {x["id"] for layer in ("mentions", "events", "cues", "claims") for x in row[layer]}
            for layer in ("mentions", "events", "cues", "claims"):
                for x in row[layer]:
                    assert text[x["start"]:x["end"]] == x["text"], (row["id"], x)
                    checked += 1
            for e in row["events"]:
                assert all(a["mention"] in ids for a in e["arguments"])
            for c in row["claims"]:
                assert all(r is None or r in ids for r in (c["source"], c["cue"], c["parent"]))
    assert checked > 100


def test_claims_rows_agree_with_the_documents(tmp_path):
    docs = {r["id"]: r for r in load(tmp_path, "documents", split="test")}
    rows = load(tmp_path, "claims", split="test")
    stance = rows.features["stance"]
    assert rows.num_rows == sum(len(d["claims"]) for d in docs.values())
    for r in rows:
        doc = docs[r["document_id"]]
        text = doc["text"]
        assert text[r["start"]:r["end"]] == r["text"]
        assert text[r["context_start"]:r["context_end"]] == r["context"]
        assert r["context_start"] <= r["start"] < r["end"] <= r["context_end"]
        (claim,) = [c for c in doc["claims"] if c["id"] == r["claim_id"]]
        assert (claim["start"], claim["end"], claim["stance"], claim["link"], claim["value"]) == \
               (r["start"], r["end"], r["stance"], r["link"], r["value"])
        if r["source_id"]:
            (m,) = [m for m in doc["mentions"] if m["id"] == r["source_id"]]
            assert text[m["start"]:m["end"]] == r["source_text"] and m["entity_id"] == r["source_entity_id"]
    assert "denies" in {stance.int2str(s) for s in rows["stance"]}


def test_ner_tokens_rejoin_and_tags_agree_with_the_span_gold(tmp_path):
    docs = {r["id"]: r for r in load(tmp_path, "documents", split="test")}
    ner = load(tmp_path, "ner", split="test")
    tag_names = ner.features["ner_tags"].feature
    ent_names = load(tmp_path, "documents", split="test").features["mentions"].feature["label"]
    decoded = {d: set() for d in docs}
    for r in ner:
        text = docs[r["document_id"]]["text"]
        offsets = list(zip(r["token_starts"], r["token_ends"]))
        assert [text[s:e] for s, e in offsets] == r["tokens"]
        assert all(a < b for a, b in offsets) and all(e1 <= s2 for (_, e1), (s2, _) in zip(offsets, offsets[1:]))
        assert offsets[0][0] == r["sentence_start"] and offsets[-1][1] == r["sentence_end"]
        # between tokens there is only white space
        assert all(not text[e1:s2].strip() for (_, e1), (s2, _) in zip(offsets, offsets[1:]))
        decoded[r["document_id"]] |= set(tags_to_spans(offsets, [tag_names.int2str(t) for t in r["ner_tags"]]))
    for doc_id, doc in docs.items():
        gold = {(m["start"], m["end"], ent_names.int2str(m["label"])) for m in doc["mentions"] if not m["nominal"]}
        assert decoded[doc_id] == gold, doc_id
    # the sentences cover every non-space character of every document
    for doc_id, doc in docs.items():
        covered = sum(r["sentence_end"] - r["sentence_start"] for r in ner if r["document_id"] == doc_id)
        assert covered >= len("".join(doc["text"].split()))
