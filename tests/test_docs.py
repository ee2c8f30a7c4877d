from nkbench.docs import cached_generator, render, stale_blocks, update
from nkbench.core.project import Project
from tests.project import PROJECT

DOC = "# T\n<!-- nkbench:stats -->\nold\n<!-- /nkbench:stats -->\ntail <!-- nkbench:x -->\nkeep\n<!-- /nkbench:x -->\n"


def test_blocks_are_regenerated_and_staleness_detected(tmp_path):
    gen = cached_generator(None, {"stats": lambda _: "| a | 1 |", "x": lambda _: "keep"})
    assert stale_blocks(DOC, gen) == ["stats"]
    new = render(DOC, gen)
    assert "| a | 1 |\n<!-- /nkbench:stats -->" in new and "old" not in new
    assert stale_blocks(new, gen) == []
    (tmp_path / "README.md").write_text(DOC, encoding="utf-8")
    project = Project.init(tmp_path)
    assert update(project, check=True, generate=gen) == ["README.md: stats"]
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == DOC  # check writes nothing
    update(project, generate=gen)
    assert update(project, check=True, generate=gen) == []


def test_readme_and_datasheet_figures_are_current():
    """Every generated block of README.md and DATASHEET.md is what its command makes now."""
    assert update(PROJECT, check=True) == []


def test_benchmark_results_are_what_the_benchmark_makes_now():
    """benchmark/results/*.json (and so the README's leaderboard) are current: rerun and compare."""
    import json

    from nkbench.annotation.gold import read_gold
    from nkbench.benchmark import leaderboard as lb

    fresh = lb.run_benchmark(read_gold(PROJECT.data_dir).documents)
    committed = lb.read_results(PROJECT.results_dir)
    assert list(committed) == list(lb.BASELINES)
    assert json.loads(json.dumps(fresh, sort_keys=True)) == committed
