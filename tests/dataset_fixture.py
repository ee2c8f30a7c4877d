"""The fixture inputs of the dataset tests (and of data/ until the real gold lands)."""

from pathlib import Path

from nkbench.dataset.build import load_inputs
from tests.project import PROJECT

GOLDEN = Path(__file__).parent / "golden" / "dataset"
GOLD = GOLDEN / "gold.jsonl"
PASSES = (f"annotator-x={GOLDEN / 'annotator-x.jsonl'}", f"annotator-y={GOLDEN / 'annotator-y.jsonl'}")
ENTITIES = GOLDEN / "entities.json"
LINKS = GOLDEN / "links.json"
CLI_ARGS = ["--gold", str(GOLD), *(x for p in PASSES for x in ("--pass", p)),
            "--entities", str(ENTITIES), "--links", str(LINKS)]


def fixture_inputs():
    return load_inputs(PROJECT.seeds_dir, GOLD, PASSES, ENTITIES, LINKS)
