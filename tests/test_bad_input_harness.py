"""Bad input for the ML-team harness (issue 13, items 3-5): strict prediction fields at every
depth, dataset rows, ``nkbench convert``, ``benchmark --predictions``, report options and stdin.
Same harness as ``tests/test_bad_input.py``: each case asserts the exit code, the message, no
traceback and that nothing changed outside the case's expected output."""

from __future__ import annotations

import copy
import json

import pytest

from .test_bad_input import GOLD_FILE, PRED, check_case, crash_dir, jsonl, write  # noqa: F401  (crash_dir: autouse fixture)
from .test_convert import docbin_bytes


def typo(path: str, key: str, value="x"):
    """The golden predictions with ``key`` added at ``path`` (``claims.0.value``)."""
    obj = copy.deepcopy(PRED)
    node = obj
    for part in filter(None, path.split(".")):
        node = node[int(part)] if part.isdigit() else node[part]
    node[key] = value
    return obj


def score_with(content, *extra, stdin=None):
    def setup(tmp):
        p = write(tmp / "p.jsonl", content)
        return ["score", p, "--gold", GOLD_FILE, "--resamples", "0", *extra]
    return setup


def relabel(layer: str, i: int, key: str, value, sub: str | None = None):
    obj = copy.deepcopy(PRED)
    node = obj[layer][i] if sub is None else obj[layer][i][sub]
    node[key] = value
    return obj


def _role(value):
    obj = copy.deepcopy(PRED)
    obj["events"][0]["arguments"][0]["role"] = value
    return obj


PREDICTIONS = [
    ("typo at the top", score_with(jsonl(typo("", "mention", []))), 1,
     ["p.jsonl:1 (document 'd1'): mention: unknown field 'mention'", "did you mean 'mentions'?"]),
    ("typo on a mention", score_with(jsonl(typo("mentions.0", "entityid", "x"))), 1,
     ["mentions[0].entityid: unknown field 'entityid'", "did you mean 'entity_id'?"]),
    ("typo on an event", score_with(jsonl(typo("events.1", "polarty", "negative"))), 1,
     ["events[1].polarty: unknown field 'polarty'", "did you mean 'polarity'?"]),
    ("typo on an argument", score_with(jsonl(typo("events.0.arguments.1", "mentionn", "p2"))), 1,
     ["events[0].arguments[1].mentionn: unknown field", "did you mean 'mention'?"]),
    ("typo on a cue", score_with(jsonl(typo("cues.0", "txt", "said"))), 1,
     ["cues[0].txt: unknown field 'txt'", "did you mean 'text'?"]),
    ("typo on a claim", score_with(jsonl(typo("claims.0", "stanse", "denies"))), 1,
     ["claims[0].stanse: unknown field 'stanse'", "did you mean 'stance'?"]),
    ("typo in a value", score_with(jsonl(typo("claims.0.value", "hedg", "exact"))), 1,
     ["claims[0].value.hedg: unknown field 'hedg'", "did you mean 'hedge'?"]),
    ("field unlike any", score_with(jsonl(typo("mentions.0", "zzzzzz", 1))), 1,
     ["mentions[0].zzzzzz: unknown field", "the fields here are id, start, end, text, label, entity_id, nominal"]),
    ("typos at three depths, all named", score_with(jsonl(typo("claims.0.value", "hedg", "exact") | {"mentionz": []})), 1,
     ["2 problem(s)", "value.hedg", "mentionz"]),
    ("ClassLabel id out of range", score_with(jsonl(relabel("mentions", 0, "label", 57))), 1,
     ["mentions[0].label: ClassLabel id 57 out of range: label ids are 0..8"]),
    ("ClassLabel id negative", score_with(jsonl(relabel("claims", 0, "stance", -1))), 1,
     ["claims[0].stance: ClassLabel id -1 out of range"]),
    ("ClassLabel id of a role out of range", score_with(jsonl(_role(99))), 1,
     ["events[0].arguments[0].role: ClassLabel id 99 out of range"]),
    ("a bool is not a ClassLabel id", score_with(jsonl(relabel("mentions", 0, "label", True))), 1,
     ["mentions[0].label: expected str, got bool"]),
    ("a ner row given as predictions", score_with(jsonl({"id": "d1-000", "document_id": "d1", "tokens": ["Azerbaijan"],
                                                          "ner_tags": [5]})), 1,
     ["p.jsonl:1", "row of the dataset's 'ner' config", "nkbench convert ROWS.jsonl --from ner"]),
    ("stdin empty", lambda t: (["score", "-", "--gold", GOLD_FILE]), 1, ["<stdin>: standard input is empty"]),
]


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in PREDICTIONS], ids=[c[0] for c in PREDICTIONS])
def test_predictions(tmp_path, setup, code, message):
    check_case(tmp_path, setup, code, message)


# -- benchmark --predictions NAME=FILE -------------------------------------------------------------


def bench(*extra, preds=None):
    def setup(tmp):
        if preds is not None:
            write(tmp / "mine.jsonl", preds)
        return ["benchmark", "--system", "rules", "--resamples", "1", "--out-dir", tmp / "r", *extra]
    return setup


BENCHMARK = [
    ("--predictions without NAME=", bench("--predictions", "mine.jsonl"), 2, "is not NAME=FILE"),
    ("--predictions empty file part", bench("--predictions", "mine="), 2, "is not NAME=FILE"),
    ("--predictions name is a baseline", bench("--predictions", "spacy=x.jsonl"), 2, "is a baseline's"),
    ("--predictions name with a slash", bench("--predictions", "../x=x.jsonl"), 2, "it names the results file"),
    ("--predictions name twice", bench("--predictions", "a=x.jsonl", "--predictions", "a=y.jsonl"), 2, "given twice"),
    ("--predictions file missing", lambda t: bench("--predictions", f"mine={t / 'none.jsonl'}")(t), 1, "none.jsonl: no such file"),
    ("--predictions unknown document", lambda t: bench("--predictions", f"mine={t / 'mine.jsonl'}",
                                                       preds=jsonl({"id": "000_112b86200dab1a2", "mentions": []}))(t),
     1, ["mine.jsonl:1", "unknown document id", "did you mean '000_112b86200dab1a20'?"]),
    ("--predictions nested typo", lambda t: bench("--predictions", f"mine={t / 'mine.jsonl'}",
                                                  preds=jsonl({"id": "000_112b86200dab1a20",
                                                               "mentions": [{"start": 0, "end": 3, "label": "PER", "entityid": "x"}]}))(t),
     1, ["mine.jsonl:1", "mentions[0].entityid: unknown field", "did you mean 'entity_id'?"]),
]


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in BENCHMARK], ids=[c[0] for c in BENCHMARK])
def test_benchmark_predictions(tmp_path, setup, code, message):
    check_case(tmp_path, setup, code, message)


# -- score / compare report options ----------------------------------------------------------------


REPORTS = [
    ("--by unknown", score_with(jsonl(PRED), "--by", "types"), 2, ["--by", "did you mean 'type'?"]),
    ("--by empty item only", score_with(jsonl(PRED), "--by", "type,,langauge"), 2, ["did you mean 'language'?"]),
    ("--language unknown", score_with(jsonl(PRED), "--language", "fr"), 2, "--language"),
    ("--language with no gold document", lambda t: ["score", write(t / "p.jsonl", jsonl(PRED)), "--gold",
                                                    write(t / "g.jsonl", "".join(line for line in GOLD_FILE.read_text(encoding="utf-8")
                                                                                 .splitlines(keepends=True) if '"en"' in line)),
                                                    "--language", "es"], 1, "no gold document in language 'es'"),
    ("compare: stdin twice", lambda t: ["compare", "-", "-", "--gold", GOLD_FILE], 2, "can be read only once"),
    ("compare: stdin empty", lambda t: ["compare", write(t / "a.jsonl", jsonl(PRED)), "-", "--gold", GOLD_FILE, "--resamples", "5"],
     1, "<stdin>: standard input is empty"),
]


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in REPORTS], ids=[c[0] for c in REPORTS])
def test_report_options(tmp_path, setup, code, message):
    check_case(tmp_path, setup, code, message)


def test_stdin_not_json(tmp_path):
    from click.testing import CliRunner

    from nkbench.cli import main

    r = CliRunner().invoke(main, ["score", "-", "--gold", str(GOLD_FILE)], input="id,start,end\nd1,0,3\n")
    assert r.exit_code == 1 and "<stdin>:1: malformed JSON" in r.output and "Traceback" not in r.output, r.output


# -- nkbench convert -------------------------------------------------------------------------------

CONLL = (GOLD_FILE.parent.parent / "convert" / "predictions.conll").read_text(encoding="utf-8")


def conv(content, fmt="conll", *extra, name="in.conll"):
    def setup(tmp):
        src = write(tmp / name, content) if content is not None else tmp / name
        return ["convert", src, "--from", fmt, "--gold", GOLD_FILE, "--out", tmp / "out.jsonl", *extra]
    return setup


docbin_file = docbin_bytes


D1 = "Azerbaijan said 200 soldiers died in Shusha. Armenia denied the attack on Stepanakert."
NER_ROW = {"id": "d1-000", "document_id": "d1", "language": "en", "sentence_index": 0, "sentence_start": 0,
           "sentence_end": 44, "tokens": ["Azerbaijan", "said"], "ner_tags": [5, 0], "token_starts": [0, 11], "token_ends": [10, 15]}

CONVERT = [
    ("conll: a bad tag prefix", conv(CONLL.replace("B-QUANTITY", "X-QUANTITY")), 1,
     ["in.conll:4", "tag 'X-QUANTITY' is not O or B/I-TYPE (IOB2)"]),
    ("conll: an unknown type", conv(CONLL.replace("Shusha\tB-GPE", "Shusha\tB-PERSON")), 1,
     ["in.conll:8", "unknown type 'PERSON'", "--labels ontonotes"]),
    ("conll: an E- tag in IOB2", conv(CONLL.replace("said\tO", "said\tE-GPE")), 1, ["in.conll:3", "tag 'E-GPE'"]),
    ("conll: a token not in the gold text", conv(CONLL.replace("Azerbaijan\t", "Azerbaijn\t")), 1,
     ["in.conll:2 (document 'd1')", "token 0 'Azerbaijn' is not the gold text at offset 0"]),
    ("conll: tokens past the end of the text", conv(CONLL.replace(". . O O", ". . O O\nmás O")), 1,
     ["in.conll:24 (document 'd2')", "past the end of the gold text"]),
    ("conll: no document id", conv("Azerbaijan\tB-GPE\n"), 1, ["in.conll:1", "tokens before any '# document = ID' line"]),
    ("conll: a document not in the gold", conv(CONLL.replace("# document = d2", "# document = d3")), 1,
     ["document 'd3' is not in the gold", "did you mean"]),
    ("conll: a document twice", conv(CONLL + "\n# document = d2\nBakú\tB-GPE\n"), 1, ["document 'd2' given twice"]),
    ("conll: a one-column line", conv(CONLL.replace("said\tO", "said")), 1, ["in.conll:3", "has one column"]),
    ("conll: empty", conv(""), 1, ["no tokens: not a CoNLL/BIO file"]),
    ("conll: a JSON Lines file given as CoNLL", conv(jsonl(PRED)), 1, ["in.conll:1", "this is JSON, not CoNLL/BIO text"]),
    ("conll: not UTF-8", conv(b"# document = d2\nBak\xfa\tB-GPE\n"), 1, ["in.conll:2", "not UTF-8"]),
    ("conll: --strict-tags and an I- without B-", conv(CONLL, "conll", "--strict-tags"), 1,
     ["in.conll:11 (document 'd1')", "ill-formed tag 'I-GPE'", "drop --strict-tags"]),
    ("conll: missing file", conv(None), 1, ["in.conll: no such file"]),
    ("conll: stdin empty", lambda t: ["convert", "-", "--from", "conll", "--gold", GOLD_FILE, "--out", t / "o.jsonl"], 1,
     ["<stdin>: standard input is empty"]),
    ("conll: --out is the input", lambda t: ["convert", write(t / "in.conll", CONLL), "--from", "conll", "--gold", GOLD_FILE,
                                             "--out", t / "in.conll"], 1, "is the input"),
    ("--label-map target not ours", conv(CONLL, "conll", "--label-map", "PERSON=PERS"), 1,
     ["--label-map PERSON=PERS: 'PERS' is not an entity type", "did you mean 'PER'?"]),
    ("--label-map without =", conv(CONLL, "conll", "--label-map", "PERSON"), 2, ["--label-map", "is not FROM=TO"]),
    ("--from unknown", conv(CONLL, "bio"), 2, ["--from", "'bio' is not one of"]),
    ("docbin: not a DocBin", conv(b"\x00\x01not a docbin", "docbin", name="p.spacy"), 1, ["p.spacy", "not a spaCy DocBin"]),
    ("docbin: a JSON file", conv(jsonl(PRED), "docbin", name="p.spacy"), 1, ["p.spacy", "not a spaCy DocBin"]),
    ("docbin: empty", lambda t: conv(docbin_file([]), "docbin", name="p.spacy")(t), 1, ["p.spacy", "holds no Doc"]),
    ("docbin: another language's text", lambda t: conv(docbin_file([("Azerbaiyán dijo que 200 soldados murieron.", [])], "es"),
                                                       "docbin", name="p.spacy")(t), 1,
     ["p.spacy: Doc 0", "its text is not in any gold document", "same language"]),
    ("docbin: OntoNotes labels without --labels", lambda t: conv(docbin_file([(D1, [(0, 1, "GPE"), (2, 3, "CARDINAL")])]),
                                                                 "docbin", name="p.spacy")(t), 1,
     ["p.spacy: Doc 0 [16:19]", "unknown entity type 'CARDINAL'", "--labels ontonotes"]),
    ("docbin: labels of another vocabulary", lambda t: conv(docbin_file([(D1, [(0, 1, "COUNTRY")])]), "docbin", name="p.spacy")(t), 1,
     ["p.spacy: Doc 0 [0:10]", "unknown entity type 'COUNTRY'"]),
    ("docbin: saved without entity attributes", lambda t: conv(docbin_file([(D1, [])], attrs=["ORTH"]), "docbin", name="p.spacy")(t),
     1, ["p.spacy", "does not store entities", "ENT_IOB"]),
    ("docbin: a text in two places", lambda t: conv(docbin_file([(".", [])]), "docbin", name="p.spacy")(t), 1,
     ["p.spacy: Doc 0", "its text occurs more than once in the gold"]),
    ("docbin: from stdin", lambda t: ["convert", "-", "--from", "docbin", "--gold", GOLD_FILE, "--out", t / "o.jsonl"], 2,
     "not standard input"),
    ("ner: a documents row", conv(jsonl(PRED), "ner", name="rows.jsonl"), 1,
     ["rows.jsonl:1", "not a row of the dataset's `ner` config", "use --from rows"]),
    ("ner: a ClassLabel id out of range", conv(jsonl({**NER_ROW, "ner_tags": [5, 40]}), "ner", name="ner.jsonl"), 1,
     ["ner.jsonl:1", "ner_tags[1]: ClassLabel id 40 out of range (0..18)"]),
    ("ner: offsets not the gold text", conv(jsonl({**NER_ROW, "token_starts": [1, 11]}), "ner", name="ner.jsonl"), 1,
     ["ner.jsonl:1", "token 0 'Azerbaijan' at [1:10] is not the gold text there"]),
    ("ner: tags and tokens of different lengths", conv(jsonl({**NER_ROW, "ner_tags": [5]}), "ner", name="ner.jsonl"), 1,
     ["same length"]),
    ("ner: a tag of another inventory", conv(jsonl({**NER_ROW, "ner_tags": ["B-LOCATION", "O"]}), "ner", name="ner.jsonl"), 1,
     ["ner_tags[0]", "unknown type 'LOCATION'", "did you mean 'LOC'?"]),
    ("ner: a bad Parquet file", conv(b"PAR1 not really", "ner", name="ner.parquet"), 1, ["ner.parquet", "not a readable Parquet file"]),
    ("rows: a bad Parquet file", conv(b"PAR1 nope", "rows", name="rows.parquet"), 1, ["rows.parquet", "not a readable Parquet file"]),
    ("rows: a document twice", conv(jsonl(PRED, PRED), "rows", name="rows.jsonl"), 1, ["rows.jsonl:2", "given twice"]),
    ("rows: a ner row", conv(jsonl(NER_ROW), "rows", name="ner.jsonl"), 1,
     ["ner.jsonl:1", "row of the dataset's 'ner' config", "--from ner"]),
    ("rows: a ClassLabel id out of range", conv(jsonl({**PRED, "mentions": [{"start": 0, "end": 10, "label": 12}]}), "rows",
                                                name="rows.jsonl"), 1, ["rows.jsonl:1", "mentions[0].label: ClassLabel id 12 out of range"]),
    ("rows: a nested typo", conv(jsonl({**PRED, "mentions": [{"start": 0, "end": 10, "label": 2, "entityid": "x"}]}), "rows",
                                 name="rows.jsonl"), 1, ["mentions[0].entityid: unknown field", "did you mean 'entity_id'?"]),
]


@pytest.mark.parametrize("setup, code, message", [c[1:] for c in CONVERT], ids=[c[0] for c in CONVERT])
def test_convert(tmp_path, setup, code, message):
    check_case(tmp_path, setup, code, message)
