from nkbench.docs import cached_generator, render, stale_blocks, update

DOC = "# T\n<!-- nkbench:stats -->\nold\n<!-- /nkbench:stats -->\ntail <!-- nkbench:x -->\nkeep\n<!-- /nkbench:x -->\n"


def test_blocks_are_regenerated_and_staleness_detected(tmp_path):
    gen = cached_generator({"stats": lambda: "| a | 1 |", "x": lambda: "keep"})
    assert stale_blocks(DOC, gen) == ["stats"]
    new = render(DOC, gen)
    assert "| a | 1 |\n<!-- /nkbench:stats -->" in new and "old" not in new
    assert stale_blocks(new, gen) == []
    (tmp_path / "README.md").write_text(DOC, encoding="utf-8")
    assert update(tmp_path, check=True, generate=gen) == ["README.md: stats"]
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == DOC  # check writes nothing
    update(tmp_path, generate=gen)
    assert update(tmp_path, check=True, generate=gen) == []
