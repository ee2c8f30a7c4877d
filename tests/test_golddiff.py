"""``nkbench annotate diff`` / nkbench.annotation.golddiff: the gold's changes between versions, per layer."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings, strategies as st

from nkbench.annotation.golddiff import changes_markdown, diff, previous_versions, render
from nkbench.annotation.gold import read_gold
from nkbench.core.io import write_documents
from nkbench.core.model import Argument, Claim, Cue, Document, Event, Mention

from tests.project import PROJECT, gold

NK = Path(sys.executable).parent / "nkbench"
TEXT = "Baku said Armenia shelled Tartar on Monday."


def doc(**layers) -> Document:
    return Document("d", "en", TEXT, **{k: tuple(v) for k, v in layers.items()})


M = [Mention("m1", 0, 4, "Baku", "GPE", "baku"), Mention("m2", 10, 17, "Armenia", "GPE", "armenia"),
     Mention("m3", 26, 32, "Tartar", "GPE", "tartar")]
E = Event("e1", 18, 25, "shelled", "ATTACK", (Argument("Attacker", "m2"), Argument("Target", "m3")))
C = Claim("k1", 10, 32, "Armenia shelled Tartar", "asserts", source="m1", cue="c1")
K = Cue("c1", 5, 9, "said")


def counts(d):
    return {layer: (x.old, x.new, len(x.added), len(x.removed), len(x.changed)) for layer, x in d.layers.items()}


def test_renumbered_ids_are_no_change_and_each_kind_of_change_is_counted():
    old = doc(mentions=M, events=[E], cues=[K], claims=[C])
    renum = {"m1": "x1", "m2": "x2", "m3": "x3"}
    same = doc(mentions=[replace(m, id=renum[m.id]) for m in reversed(M)],
               events=[replace(E, id="ev", arguments=tuple(Argument(a.role, renum[a.mention]) for a in reversed(E.arguments)))],
               cues=[replace(K, id="cc")], claims=[replace(C, id="kk", source="x1", cue="cc")])
    d = diff([old], [same])
    assert all(not (x.added or x.removed or x.changed) for x in d.layers.values())
    new = doc(mentions=[M[0], replace(M[1], label="NORP"), Mention("m4", 36, 42, "Monday", "DATE")],
              events=[replace(E, arguments=(Argument("Attacker", "m2"), Argument("Time", "m4")))],
              cues=[], claims=[replace(C, cue=None, stance="denies")])
    d = diff([old], [new])
    assert counts(d) == {"mentions": (3, 3, 1, 1, 1), "events": (1, 1, 0, 0, 1),
                         "cues": (1, 0, 0, 1, 0), "claims": (1, 1, 0, 0, 1)}
    out = render(d, details=True)
    assert "+ d mention [36:42] 'Monday' label=DATE" in out and "- d mention [26:32] 'Tartar'" in out
    assert "~ d mention [10:17] 'Armenia'" in out and "label GPE -> NORP" in out
    assert "arguments -[('Target', (26, 32))] +[('Time', (36, 42))]" in out
    assert "stance asserts -> denies; cue (5, 9) -> None" in out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(M), unique=True), st.lists(st.sampled_from(M), unique=True))
def test_counts_add_up(a, b):
    """old + added - removed == new in every layer; a document diffed with itself has no change."""
    d = diff([doc(mentions=a)], [doc(mentions=b)])
    for x in d.layers.values():
        assert x.old + len(x.added) - len(x.removed) == x.new
    assert counts(diff([doc(mentions=a)], [doc(mentions=a)]))["mentions"] == (len(a), len(a), 0, 0, 0)


def test_the_command_on_the_committed_versions(tmp_path):
    """The diff against the previous version (3.0.0 -> 3.1.0: the test gold is unchanged, the dev
    config is new) and the one before it (v2 -> v3): what the datasheet shows, the same from the
    export, JSONL and data/."""
    (v2, path2), (version, path) = previous_versions(PROJECT)[-2:]
    assert (v2, version) == ("2.0.0", "3.0.0")
    older = subprocess.run([str(NK), "annotate", "diff", str(path2), "annotation/gold_export.json"], capture_output=True,
                           text=True, cwd=PROJECT.root)
    assert older.returncode == 0 and re.search(r"^mentions +300 +314 +15 +1 +0$", older.stdout, re.M)
    out = [subprocess.run([str(NK), "annotate", "diff", str(path), new], capture_output=True, text=True,
                          cwd=PROJECT.root) for new in ("annotation/gold_export.json", "data")]
    assert all(r.returncode == 0 for r in out) and out[0].stdout == out[1].stdout
    assert re.search(r"^mentions +314 +314 +0 +0 +0$", out[0].stdout, re.M)
    assert out[0].stdout.strip() in changes_markdown(PROJECT)
    assert out[0].stdout.strip() in (PROJECT.root / "DATASHEET.md").read_text(encoding="utf-8")
    assert out[0].stdout.strip() in (PROJECT.data_dir / "README.md").read_text(encoding="utf-8")
    # the current gold against itself (as JSON Lines): nothing changed
    write_documents(tmp_path / "g.jsonl", gold())
    d = diff(read_gold(tmp_path / "g.jsonl", PROJECT).documents, gold())
    assert all(not (x.added or x.removed or x.changed) for x in d.layers.values())


def test_bad_sources_are_one_line_errors(tmp_path):
    (tmp_path / "x.md").write_text("# not gold\n", encoding="utf-8")
    for args in (["nope.json", "data"], [str(tmp_path / "x.md"), "data"]):
        r = subprocess.run([str(NK), "annotate", "diff", *args], capture_output=True, text=True, cwd=PROJECT.root)
        assert r.returncode != 0 and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith("Error: ")


def test_the_version_is_declared_once_and_datasets_reads_it_from_the_card():
    import datasets

    from nkbench.annotation.golddiff import dataset_version

    version = dataset_version(PROJECT)
    assert version and version.count(".") == 2
    assert "dataset_version" in (PROJECT.root / "nkbench.toml").read_text(encoding="utf-8")
    datasets.disable_progress_bars()
    for config in ("documents", "claims"):
        assert str(datasets.load_dataset(str(PROJECT.data_dir), config, split="test").info.version) == version
    for doc in ("DATASHEET.md", "data/README.md"):
        assert f"**Version {version}**" in (PROJECT.root / doc).read_text(encoding="utf-8")
