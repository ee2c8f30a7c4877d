import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkbench.cli import main
from nkbench.core.errors import NkbenchErrors
from nkbench.core.model import document_from_dict
from nkbench.annotation.passes import load_pass_dir, occurrences
from nkbench.annotation.seeds import load_seeds
from tests.project import PROJECT

GOLDEN = Path(__file__).parent / "golden" / "passes" / "annotator-x"


def test_occurrences_count_overlapping_matches():
    assert occurrences("aaa", "aa") == [0, 1]
    assert occurrences("abc", "") == []


def test_pass_resolves_to_exact_offsets(tmp_path):
    seeds = load_seeds(PROJECT.seeds_dir)
    annotator, docs, _ = load_pass_dir(GOLDEN, seeds)
    assert annotator == "annotator-x"
    (doc,) = docs
    text = seeds[doc.id].text
    for layer in (doc.mentions, doc.events, doc.cues, doc.claims):
        for x in layer:
            assert text[x.start:x.end] == x.text
    assert doc.mentions[1].text == "casi 4 horas"
    out = tmp_path / "a.jsonl"
    result = CliRunner().invoke(main, ["annotate", "resolve", str(GOLDEN), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert document_from_dict(json.loads(out.read_text(encoding="utf-8"))) == doc


@pytest.mark.parametrize("edit, message", [
    (lambda o: o["mentions"][0].update(quote="Putín"), "quote 'Putín' not found"),
    (lambda o: o["mentions"][0].update(occurrence=99), "occurrence 99 of 'Putin'"),
    (lambda o: o["mentions"][0].update(start=1), "disagree with quote"),
    (lambda o: o["claims"][0].update(source="m9"), "source 'm9' is not an entity mention"),
    (lambda o: o.update(documento="x"), "documento: unknown field"),
])
def test_bad_pass_files_name_file_item_and_reason(tmp_path, edit, message):
    folder = tmp_path / "annotator-x"
    shutil.copytree(GOLDEN, folder)
    path = folder / "003_80680643ca28e344.json"
    obj = json.loads(path.read_text(encoding="utf-8"))
    edit(obj)
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(NkbenchErrors) as err:
        load_pass_dir(folder, load_seeds(PROJECT.seeds_dir))
    assert message in str(err.value) and "003_80680643ca28e344.json" in str(err.value)
    result = CliRunner().invoke(main, ["annotate", "resolve", str(folder)])
    assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("annotator", ["annotator-a", "annotator-b", "adjudicator"])
def test_every_sentence_of_every_article_was_read_by_every_pass(annotator):
    """Each pass file's reading_log names every sentence (nkbench.core.bio.sentences) of its article."""
    from nkbench.annotation.passes import unread_sentences

    seeds = load_seeds(PROJECT.seeds_dir)
    folder = Path(__file__).parent.parent / "annotation" / "passes" / annotator
    assert sorted(p.stem for p in folder.glob("*.json")) == sorted(seeds)
    for path in folder.glob("*.json"):
        obj = json.loads(path.read_text(encoding="utf-8"))
        assert unread_sentences(obj, seeds[path.stem].text) == [], path


def test_unread_sentences_are_found():
    from nkbench.annotation.passes import unread_sentences

    text = "Uno. Dos. Tres."
    assert unread_sentences({"reading_log": [{"sentence": 2, "note": "x"}]}, text) == [1, 3]
