import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkbench.cli import main
from nkbench.core.errors import NkbenchError
from nkbench.annotation.seeds import detect_language, load_seeds
from tests.project import PROJECT

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def test_seeds_match_manifest_and_detected_language():
    seeds = load_seeds(PROJECT.seeds_dir)
    records = json.loads(PROJECT.manifest.read_text(encoding="utf-8"))
    assert list(seeds) == [r["id"] for r in records] and len(list(PROJECT.seeds_dir.glob("*.txt"))) == len(records)
    for s in seeds.values():
        assert detect_language(s.text) == s.language
        assert len(s.text) == s.length
        assert s.outlet is None  # the seed files do not name their publishers
        assert s.date_basis in {"stated", "inferred"}


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/seeds not beside this checkout")
def test_seeds_are_byte_identical_to_shared():
    for src in sorted(SHARED.glob("*.txt")):
        assert (PROJECT.seeds_dir / src.name).read_bytes() == src.read_bytes()


def test_changed_seed_is_an_error_naming_the_file(tmp_path):
    shutil.copytree(PROJECT.seeds_dir, tmp_path / "seeds")
    victim = tmp_path / "seeds" / "003_80680643ca28e344.txt"
    # NBSP -> space: the kind of "normalisation" that must never happen silently
    victim.write_bytes(victim.read_bytes().replace("\u00a0".encode(), b" "))
    with pytest.raises(NkbenchError) as err:
        load_seeds(tmp_path / "seeds")
    assert "003_80680643ca28e344.txt" in str(err.value) and "hash" in str(err.value)
    result = CliRunner().invoke(main, ["seeds", "--dir", str(tmp_path / "seeds")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "no longer matches its hash" in result.output


def test_manifest_hashes_are_the_files_hashes():
    records = json.loads((PROJECT.seeds_dir / "manifest.json").read_text(encoding="utf-8"))
    for r in records:
        assert hashlib.sha256((PROJECT.seeds_dir / f"{r['id']}.txt").read_bytes()).hexdigest() == r["sha256"]
