"""``nkbench run``: valid, deterministic JSON Lines; clear errors for bad names and inputs."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from nkbench.cli import main
from nkbench.core.model import check_document, document_from_dict
from nkbench.annotation.seeds import load_seeds
from tests.project import PROJECT


def _run(*args):
    return CliRunner().invoke(main, ["run", *args])


@pytest.mark.parametrize("name", ["rules", "capitalised"])
def test_run_writes_valid_deterministic_jsonl(tmp_path, name):
    out1, out2 = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    r1, r2 = _run("--system", name, "--out", str(out1)), _run("--system", name, "--out", str(out2), "--quiet")
    assert r1.exit_code == 0 and r2.exit_code == 0, r1.output
    assert out1.read_bytes() == out2.read_bytes()
    seeds = {k: s for k, s in load_seeds(PROJECT.seeds_dir).items() if s.split == "test"}  # run takes the test split
    lines = out1.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(seeds)
    for i, line in enumerate(lines, 1):
        obj = json.loads(line)
        assert "text" not in obj
        doc = document_from_dict(obj, where=f"line {i}", require_text=False)
        assert check_document(doc, text=seeds[doc.id].text) == []
    assert f"{name}: {len(seeds)} documents" in r1.output and "mentions" in r1.output


def test_with_text_round_trips_as_input(tmp_path):
    full, again, plain = tmp_path / "full.jsonl", tmp_path / "again.jsonl", tmp_path / "plain.jsonl"
    assert _run("--system", "rules", "--out", str(full), "--with-text", "--quiet").exit_code == 0
    assert all("text" in json.loads(x) for x in full.read_text(encoding="utf-8").splitlines())
    assert _run("--system", "rules", "--input", str(full), "--out", str(again), "--quiet").exit_code == 0
    assert _run("--system", "rules", "--out", str(plain), "--quiet").exit_code == 0
    assert again.read_bytes() == plain.read_bytes()


def test_unknown_system_did_you_mean(tmp_path):
    r = _run("--system", "rule", "--out", str(tmp_path / "x.jsonl"))
    assert r.exit_code != 0 and "did you mean 'rules'" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize("content,message", [
    ('{"id": "a", "language": "en", "mentions": []}\n', "document has no text"),
    ('{"id": "a", "language": "fr", "text": "Bonjour."}\n', "unknown or missing language 'fr'"),
    ('{"id": "a", "language": "en", "text": "Hi."\n', "malformed JSON"),
    ("", "empty file"),
])
def test_bad_input_is_a_message(tmp_path, content, message):
    bad = tmp_path / "in.jsonl"
    bad.write_text(content, encoding="utf-8")
    r = _run("--system", "rules", "--input", str(bad), "--out", str(tmp_path / "x.jsonl"))
    assert r.exit_code != 0 and message in r.output and "Traceback" not in r.output, r.output
