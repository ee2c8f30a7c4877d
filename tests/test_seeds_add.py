"""`nkbench seeds add`: new articles are copied byte for byte with a documented id, and every bad
file is refused with nothing written. A project with more seeds than gold builds and benchmarks,
leaving the new seeds out with a count."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkbench.cli import main
from nkbench.annotation.seeds import ID_PATTERN, load_seeds
from tests.project import PROJECT, copy_project, tree_digest

ARTICLES = Path(__file__).parent / "golden" / "articles"
EN, ES = ARTICLES / "border_incident_en.txt", ARTICLES / "desplazados_es.txt"


def nk(project: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(project), *map(str, args)])


@pytest.fixture()
def project(tmp_path):
    return copy_project(tmp_path / "project")


def test_add_copies_bytes_and_gives_the_documented_id(project):
    before = json.loads((project / "seeds" / "manifest.json").read_text(encoding="utf-8"))
    r = nk(project, "seeds", "add", EN, "--language", "en", "--date", "2023-05-16", "--date-basis", "inferred",
           "--date-note", "written for the tests", "--outlet", "nkbench tests")
    assert r.exit_code == 0, r.output
    after = json.loads((project / "seeds" / "manifest.json").read_text(encoding="utf-8"))
    assert after[:-1] == before  # the existing records are kept as they are
    rec = after[-1]
    raw = EN.read_bytes()
    serial = max(int(ID_PATTERN.fullmatch(x["id"]).group("serial")) for x in before) + 1
    assert rec == {"id": f"{serial:03d}_{hashlib.sha256(raw).hexdigest()[:16]}", "language": "en",
                   "sha256": hashlib.sha256(raw).hexdigest(), "length": len(raw.decode("utf-8")),
                   "date": "2023-05-16", "date_basis": "inferred", "date_note": "written for the tests",
                   "outlet": "nkbench tests", "split": "test"}
    assert (project / "seeds" / f"{rec['id']}.txt").read_bytes() == raw
    assert f"added {rec['id']}" in r.output
    seeds = load_seeds(project / "seeds")
    assert list(seeds)[-1] == rec["id"] and seeds[rec["id"]].text == raw.decode("utf-8")
    assert nk(project, "seeds").exit_code == 0


def test_several_files_in_one_call_get_consecutive_ids(project):
    n = len(load_seeds(project / "seeds"))
    r = nk(project, "seeds", "add", ES, "--language", "es")
    assert r.exit_code == 0, r.output
    r = nk(project, "seeds", "add", EN, "--language", "en")
    assert r.exit_code == 0, r.output
    ids = list(load_seeds(project / "seeds"))
    assert len(ids) == n + 2
    serials = [int(ID_PATTERN.fullmatch(x).group("serial")) for x in ids[-3:]]
    assert serials[1] == serials[0] + 1 and serials[2] == serials[1] + 1
    rec = json.loads((project / "seeds" / "manifest.json").read_text(encoding="utf-8"))[-1]
    assert rec["date"] is None and rec["date_basis"] is None and rec["outlet"] is None


def _bad_files(tmp: Path) -> dict[str, Path]:
    files = {"latin1": "Los desplazados llegaron a Goris el jueves según la Cruz Roja.".encode("latin-1"),
             "empty": b"", "blank": b" \n\t\n", "bom": "\ufeffThe talks resumed in Brussels on Monday.".encode("utf-8")}
    out = {}
    for name, data in files.items():
        (tmp / f"{name}.txt").write_bytes(data)
        out[name] = tmp / f"{name}.txt"
    (tmp / "folder").mkdir()
    out["folder"] = tmp / "folder"
    out["missing"] = tmp / "missing.txt"
    return out


BAD = [
    (["latin1"], ["--language", "es"], "not UTF-8"),
    (["empty"], ["--language", "en"], "empty (no text)"),
    (["blank"], ["--language", "en"], "empty (no text)"),
    (["bom"], ["--language", "en"], "starts with a byte order mark"),
    (["folder"], ["--language", "en"], "is a folder"),
    (["missing"], ["--language", "en"], "does not exist"),
    (["seed:0"], ["--language", "es"], "same text as seed"),
    (["EN", "EN"], ["--language", "en"], "same text as seed"),
    (["EN"], ["--language", "fr"], "unsupported language 'fr'"),
    (["EN"], ["--language", "es"], "reads as 'en', not 'es'"),
    (["EN"], ["--language", "en", "--date", "2023-13-01", "--date-basis", "stated"], "is not YYYY-MM-DD"),
    (["EN"], ["--language", "en", "--date", "20.09.2023", "--date-basis", "stated"], "is not YYYY-MM-DD"),
    (["EN"], ["--language", "en", "--date", "2023-09-20"], "a date needs its basis"),
    (["EN"], ["--language", "en", "--date-basis", "stated"], "without --date"),
    (["EN"], ["--language", "en", "--date-basis", "guessed"], "Invalid value for '--date-basis'"),
    (["EN", "latin1"], ["--language", "en"], "not UTF-8"),  # one bad file: none of them is added
]


@pytest.mark.parametrize("names, options, message", BAD, ids=[f"{'+'.join(n)}:{m[:24]}" for n, _, m in BAD])
def test_bad_files_are_refused_and_nothing_is_written(project, tmp_path, names, options, message):
    bad = _bad_files(tmp_path)
    first_seed = next(iter(load_seeds(project / "seeds")))
    paths = {"EN": EN, "seed:0": project / "seeds" / f"{first_seed}.txt", **bad}
    before = tree_digest(project)
    r = nk(project, "seeds", "add", *(paths[n] for n in names), *options)
    assert r.exit_code != 0 and message in r.output, r.output
    assert "Traceback" not in r.output and r.exception is None or isinstance(r.exception, SystemExit)
    assert tree_digest(project) == before


def test_a_broken_manifest_is_named_not_a_traceback(project):
    manifest = project / "seeds" / "manifest.json"
    records = json.loads(manifest.read_text(encoding="utf-8"))
    for edit, message in [(lambda r: r[0].pop("sha256"), "missing field 'sha256'"),
                          (lambda r: r[0].update(lenght=3), "unknown field 'lenght'; did you mean 'length'?"),
                          (lambda r: r[1].update(length="2474"), "length: expected int, got str"),
                          (lambda r: r[0].update(language="fr"), "unsupported language 'fr'"),
                          (lambda r: r.append(r[0]), "also in record 0"),
                          (lambda r: r.append(5), "expected an object, got int")]:
        broken = json.loads(json.dumps(records))
        edit(broken)
        manifest.write_text(json.dumps(broken), encoding="utf-8")
        for args in (["seeds"], ["seeds", "add", str(EN), "--language", "en"]):
            r = nk(project, *args)
            assert r.exit_code == 1 and message in r.output and "Traceback" not in r.output, (args, r.output)
    manifest.write_text(json.dumps(records), encoding="utf-8")


def test_a_seed_without_gold_is_left_out_of_data_and_benchmark_with_a_count(project, tmp_path):
    """The pipeline on N seeds of which some are not annotated yet: data/ is still current (the
    new seed is reported and left out), and the benchmark runs on the annotated ones."""
    r = nk(project, "seeds", "add", EN, "--language", "en")
    assert r.exit_code == 0, r.output
    new_id = list(load_seeds(project / "seeds"))[-1]
    r = nk(project, "data", "build", "--check")
    assert r.exit_code == 0, r.output
    assert f"1 seed(s) not annotated yet, left out of the dataset: {new_id}" in r.output
    r = nk(project, "benchmark", "--system", "capitalised", "--resamples", "10", "--out-dir", tmp_path / "results")
    assert r.exit_code == 0, r.output
    assert f"1 test seed(s) not annotated yet, left out: {new_id}" in r.output
    committed = load_seeds(PROJECT.seeds_dir)
    n_test = sum(s.split == "test" for s in committed.values())  # the benchmark runs on the annotated test seeds
    assert f"running capitalised on {n_test} documents" in r.output
    r = nk(project, "annotate", "tasks", "--out", tmp_path / "tasks.json")
    assert r.exit_code == 0 and f"wrote {len(committed) + 1} tasks" in r.output, r.output


def test_commands_outside_a_project_say_so_in_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NKBENCH_PROJECT", raising=False)
    for args in (["seeds"], ["seeds", "add", str(EN), "--language", "en"], ["data", "build", "--check"],
                 ["benchmark"], ["docs", "--check"], ["annotate", "adjudicate"], ["score", str(EN)]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 1, (args, r.output)
        [line] = r.output.strip().splitlines()
        assert "--project" in line and "NKBENCH_PROJECT" in line and "nkbench.toml" in line, line
    r = CliRunner().invoke(main, ["--project", str(tmp_path), "seeds"])
    assert r.exit_code == 1 and f"--project {tmp_path}: not an nkbench project" in r.output
    monkeypatch.setenv("NKBENCH_PROJECT", str(PROJECT.root))
    assert CliRunner().invoke(main, ["seeds"]).exit_code == 0


def test_the_project_is_found_from_a_subfolder(project, monkeypatch):
    monkeypatch.delenv("NKBENCH_PROJECT", raising=False)
    monkeypatch.chdir(project / "annotation")
    r = CliRunner().invoke(main, ["seeds"])
    assert r.exit_code == 0 and f"{len(load_seeds(PROJECT.seeds_dir))} seeds" in r.output
    os.chdir(PROJECT.root)


def test_benchmark_scores_against_a_given_gold(project, tmp_path):
    """`benchmark --gold` scores against the given gold (JSON Lines or an export); data/ unused."""
    gold = Path(__file__).parent / "golden" / "dataset" / "gold.jsonl"
    n = len(gold.read_text(encoding="utf-8").splitlines())
    r = nk(project, "benchmark", "--gold", gold, "--system", "capitalised", "--resamples", "10", "--out-dir", tmp_path / "r")
    assert r.exit_code == 0, r.output
    assert f"[1/4] gold from {gold} (data not used)" in r.output and f"loaded {n} gold documents" in r.output
    result = json.loads((tmp_path / "r" / "capitalised.json").read_text(encoding="utf-8"))
    assert result["report"]["documents"]["gold"] == n
    r = nk(project, "benchmark", "--gold", tmp_path / "none.json", "--system", "capitalised")
    assert r.exit_code == 1 and "no such file or folder" in r.output and "Traceback" not in r.output


def test_the_first_seed_of_a_new_project_creates_the_manifest(tmp_path):
    from nkbench.core.project import Project

    Project.init(tmp_path)
    (tmp_path / "seeds").mkdir()
    r = nk(tmp_path, "seeds", "add", EN, ES.parent / "desplazados_es.txt", "--language", "en")
    assert r.exit_code == 1 and "reads as 'es', not 'en'" in r.output and not (tmp_path / "seeds" / "manifest.json").exists()
    r = nk(tmp_path, "seeds", "add", EN, "--language", "en")
    assert r.exit_code == 0, r.output
    [rec] = json.loads((tmp_path / "seeds" / "manifest.json").read_text(encoding="utf-8"))
    assert rec["id"].startswith("000_") and nk(tmp_path, "seeds").exit_code == 0
