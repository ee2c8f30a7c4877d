"""One declaration per field: a field added to a COPY of the model's declaration reaches every
derived form (JSON form and parser, prediction JSON Schema, dataset Features and rows both ways,
the card's field docs, the Label Studio config and conversion both ways, the adjudication record,
the gold diff, the baselines' builder and the structural check), with nothing else edited.

The copy is the real declaration (``Claim``/``Document`` subclassed) plus one new claim field;
the documents are the project's gold with the new field set on every other claim.
"""

from __future__ import annotations

from dataclasses import make_dataclass, replace

import jsonschema
import pytest

from nkbench.annotation.adjudication import adjudicate, versions
from nkbench.dataset import card
from nkbench.annotation.golddiff import diff, render
from nkbench.dataset.features import features
from nkbench.dataset.rows import claim_rows, decode, document_from_row, pass_row
from nkbench.annotation.labelstudio.config import attributes, build_config
from nkbench.annotation.labelstudio.convert import document_to_results, results_to_document
from nkbench.core.model import (Claim, Control, Document, check_document, document_from_dict, document_to_dict, spec,
                           specs)
from nkbench.benchmark.scoring.jsonschema import prediction_schema
from nkbench.benchmark.systems.base import DocumentBuilder
from tests.project import gold

#: name -> (type, declaration, the values it takes on the gold claims (cycled), a value it must refuse or None)
NEW_FIELDS = {
    "new_certainty": (str | None, spec(None, doc="how certain the source says it is", schema_doc="the source's certainty",
                                   inventory=("low", "high"), control=Control("Choices", "Certainty")),
                  ("high", None, "low"), "sure"),
    "new_share": (float | None, spec(None, doc="the share of the figure the claim attributes",
                                 control=Control("Number", "Share")), (0.5, None, 2), None),
    "new_hearsay": (bool, spec(False, doc="true when the source reports what others said",
                           control=Control("Choices", "Hearsay", choice="hearsay")), (True, False), None),
}


def copy_model(name: str):
    """(Claim', Document'): the real declaration plus the claim field ``name``."""
    tp, decl, _, _ = NEW_FIELDS[name]
    claim = make_dataclass("Claim", [(name, tp, decl)], bases=(Claim,), frozen=True, slots=True)
    claims = next(s for s in specs(Document) if s.name == "claims")
    document = make_dataclass("Document", [("claims", tuple[claim, ...], spec((), doc=claims.doc, noun=claims.noun))],
                              bases=(Document,), frozen=True, slots=True)
    return claim, document


@pytest.fixture(scope="module")
def gold_docs():
    return gold()


@pytest.fixture(params=sorted(NEW_FIELDS))
def case(request, gold_docs):
    """(field name, Document', the gold as Document' with the field set, the values set)."""
    name = request.param
    claim_cls, doc_cls = copy_model(name)
    values = NEW_FIELDS[name][2]
    docs = []
    i = 0
    for d in gold_docs:
        claims = []
        for c in d.claims:
            fields = {s.name: getattr(c, s.name) for s in specs(Claim)}
            claims.append(claim_cls(**fields, **{name: values[i % len(values)]}))
            i += 1
        docs.append(doc_cls(d.id, d.language, d.text, d.mentions, d.events, d.cues, tuple(claims)))
    assert i >= len(values), "the gold has too few claims to set every value"
    return name, doc_cls, docs


def test_the_copy_declares_one_more_field(case):
    name, doc_cls, docs = case
    claim_cls = type(docs[0].claims[0]) if docs[0].claims else None
    assert claim_cls is not None
    assert [s.name for s in specs(claim_cls)] == [*(s.name for s in specs(Claim)), name]


def test_json_form_and_parser(case):
    name, doc_cls, docs = case
    for d in docs:
        obj = document_to_dict(d)
        assert all(name in c for c in obj["claims"])
        assert document_from_dict(obj, model=doc_cls) == d
        # a prediction may leave an optional field out: the declared default
        for c in obj["claims"]:
            del c[name]
        back = document_from_dict(obj, model=doc_cls)
        default = next(s.default for s in specs(type(d.claims[0])) if s.name == name) if d.claims else None
        assert all(getattr(c, name) == default for c in back.claims)


def test_parser_reports_a_wrong_type(case):
    name, doc_cls, docs = case
    d = next(d for d in docs if d.claims)
    obj = document_to_dict(d)
    obj["claims"][0][name] = ["not", "a", "scalar"]
    with pytest.raises(Exception) as err:
        document_from_dict(obj, model=doc_cls)
    assert f"claims[0].{name}" in str(err.value) and "expected" in str(err.value)


def test_json_schema(case):
    name, doc_cls, docs = case
    sch = prediction_schema(doc_cls)
    prop = sch["properties"]["claims"]["items"]["properties"][name]
    tp, decl, _, bad = NEW_FIELDS[name]
    if decl.metadata["nkbench"]["inventory"]:  # an optional field: null too
        assert prop["enum"] == [*decl.metadata["nkbench"]["inventory"], None]
    validator = jsonschema.Draft202012Validator(sch)
    for d in docs:
        validator.validate(document_to_dict(d))
    before = prediction_schema(Document)["properties"]["claims"]["items"]["properties"]
    assert list(sch["properties"]["claims"]["items"]["properties"]) == [*before, name]
    d = next(d for d in docs if d.claims)
    obj = document_to_dict(d)
    obj["claims"][0][name] = bad if bad is not None else "not-a-value"
    assert not validator.is_valid(obj)


def test_features_and_rows_both_ways_through_parquet(case, tmp_path):
    from datasets import Dataset

    name, doc_cls, docs = case
    feats = features("passes", doc_cls)
    assert name in feats["claims"].feature
    rows = [pass_row("annotator-x", d) for d in docs]
    ds = Dataset.from_list(rows, features=feats)
    ds.to_parquet(str(tmp_path / "passes.parquet"))
    back = Dataset.from_parquet(str(tmp_path / "passes.parquet"), features=feats)
    for row, d in zip(back, docs):
        assert document_from_row(decode(row, feats), model=doc_cls) == d


def test_flat_claims_config(case):
    from datasets import Dataset

    name, doc_cls, docs = case
    feats = features("claims", doc_cls)
    assert list(feats)[-1] == name
    rows = [r for d in docs for r in claim_rows(d)]
    assert rows and all(name in r for r in rows)
    Dataset.from_list(rows, features=feats)  # the rows fit the declared features


def test_card_documents_every_field(case):
    name, doc_cls, docs = case
    docs_by_config = card.config_field_docs(doc_cls)
    doc = NEW_FIELDS[name][1].metadata["nkbench"]["doc"]
    assert docs_by_config["documents"][f"claims[].{name}"] == doc
    assert docs_by_config["passes"][f"claims[].{name}"] == doc
    assert docs_by_config["claims"][name] == doc
    for config in ("documents", "claims", "passes"):
        paths = [p for p, _ in card.field_paths(features(config, doc_cls))]
        assert sorted(paths) == sorted(docs_by_config[config])


def test_label_studio_config_and_conversion_both_ways(case):
    name, doc_cls, docs = case
    attrs = {a.name: a for a in attributes(doc_cls)}
    assert attrs[name].layer == "claims" and attrs[name].path == (name,)
    assert f'name="{name}"' in build_config(model=doc_cls)
    seen = False
    for d in docs:
        results = document_to_results(d)
        seen |= any(r.get("from_name") == name for r in results)
        back, problems = results_to_document(results, doc_id=d.id, language=d.language, text=d.text, model=doc_cls)
        assert problems == [] and back == d
    assert seen


def test_adjudication_record_compares_the_field(case):
    name, doc_cls, docs = case
    d = next(d for d in docs if d.claims)
    c = d.claims[0]
    assert all(name in item for items in versions(d)["claims"].values() for item in items)
    values = NEW_FIELDS[name][2]
    other = next(v for v in values if v != getattr(c, name))
    changed = replace(d, claims=(replace(c, **{name: other}), *d.claims[1:]))
    record = adjudicate([d], [changed], [d], {})
    keys = [i["key"] for i in record["items"]]
    assert keys == [f"{d.id}|claims|{c.start}:{c.end}"], "a difference in the new field alone is a disagreement"
    assert record["items"][0]["kept"] == "a"


def test_gold_diff_shows_the_field(case):
    name, doc_cls, docs = case
    d = next(d for d in docs if d.claims)
    c = d.claims[0]
    other = next(v for v in NEW_FIELDS[name][2] if v != getattr(c, name))
    changed = replace(d, claims=(replace(c, **{name: other}), *d.claims[1:]))
    got = diff([d], [changed]).layers["claims"]
    assert [(a.start, b.start) for a, b in got.changed] == [(c.start, c.start)]
    assert f"{name} {getattr(c, name)} -> {other}" in render(diff([d], [changed]), details=True)


def test_builder_and_structural_check(case):
    name, doc_cls, docs = case
    d = next(d for d in docs if d.claims)
    c = d.claims[0]
    b = DocumentBuilder(replace(d, mentions=(), events=(), cues=(), claims=()))
    value = getattr(c, name)
    built = b.claim(c.start, c.end, **{name: value})
    assert getattr(built, name) == value and type(b.build()) is doc_cls
    bad = NEW_FIELDS[name][3]
    if bad is not None:
        broken = replace(d, claims=(replace(c, **{name: bad}), *d.claims[1:]))
        assert any(f"unknown {name} {bad!r}" in str(p) for p in check_document(broken))
