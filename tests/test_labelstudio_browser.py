"""The annotator's path in the real Label Studio UI: Label Studio 1.23.2 (tests/ls_server.py) and
Debian's Chromium driven by Playwright (tests/browser.py), with real mouse drags, clicks and keys.

An annotator logs in, labels document 000 with the project's labeling config (an entity whose
span crosses a run of spaces with its id chosen from the list, an event trigger with polarity,
realis and an argument relation, a claim with its cue, source, stance and numeric value),
submits; `annotate pull` and `annotate convert` then give back exactly those offsets, texts,
relations and attributes. Skips only when Chromium/Playwright or Label Studio is missing.

Screenshots go to $NKBENCH_SCREENSHOTS (`make screenshots` sets it to annotation/screenshots),
else to the test's temporary folder. Timings are printed (run with -s to see them).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkbench.cli import main
from nkbench.core.io import read_documents
from nkbench.annotation.labelstudio.client import LabelStudio
from nkbench.annotation.seeds import load_seeds
from tests import ls_ui
from tests.project import PROJECT

pytestmark = [pytest.mark.browser, pytest.mark.labelstudio]

DOC = "000_112b86200dab1a20"
LONG_DOC = "002_2476f1cd8ed7decf"


def cli(args, key):
    result = CliRunner().invoke(main, ["--project", str(PROJECT.root), *args], env={"LABEL_STUDIO_API_KEY": key})
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("NKBENCH_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Clock:
    def __init__(self):
        self.t0 = self.last = time.monotonic()
        self.laps: list[tuple[str, float]] = []

    def lap(self, what: str) -> None:
        now = time.monotonic()
        self.laps.append((what, now - self.last))
        self.last = now

    def report(self) -> str:
        return "\n".join([*(f"  {what:<44} {s:6.1f} s" for what, s in self.laps),
                          f"  {'total':<44} {time.monotonic() - self.t0:6.1f} s"])


def test_an_annotator_labels_every_layer_in_the_browser(label_studio, page, tmp_path, shots):
    clock = Clock()
    url, key = label_studio
    title = f"nkbench browser {time.time_ns()}"
    pushed = cli(["annotate", "push", "--url", url, "--project-title", title], key)
    assert pushed.exit_code == 0, pushed.output
    client = LabelStudio(url, key)
    project = client.find_project(title)
    [task] = [t for t in client.tasks(project) if t["data"]["doc_id"] == DOC]
    text = task["data"]["text"]
    assert text == load_seeds(PROJECT.seeds_dir)[DOC].text

    def at(words: str, after: int = 0) -> tuple[int, int]:
        i = text.index(words, after)
        return i, i + len(words)

    place = at("Nagorno   Karabaj")  # hard case #1: a run of three spaces inside the span
    count = at("Cerca de 200")
    died = at("murieron")
    source = at("Gegham Stepanián")
    cue = at("Según informó")
    claim = at("entre los muertos figuran 10 civiles")
    assert "  " in text[place[0]:place[1]]
    clock.lap("push the seeds (API)")

    ls_ui.login(page, url, label_studio.email, label_studio.password)
    ls_ui.open_task(page, url, project.id, task["id"])
    page.screenshot(path=str(shots / "01-labels-and-text.png"))
    clock.lap("log in and open the task")

    # an entity across a run of spaces, label by hotkey (g), canonical id chosen from the list
    ls_ui.label_span(page, "GPE", *place, text, hotkey="g")
    ls_ui.select_region(page, *place)
    trigger = ls_ui.visible(page, ".lsf-choices_layout_select [data-testid=select-trigger]")
    trigger.scroll_into_view_if_needed()
    trigger.click()
    page.locator("[data-testid='select-option-nagorno_karabakh']").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "02-entity-id-from-the-list.png"))
    page.locator("[data-testid='select-option-nagorno_karabakh']").click()
    if page.locator("[data-testid=select-popup]").count():
        page.keyboard.press("Escape")
    clock.lap("entity across spaces + id from the list")

    # an event trigger (button), its Count argument (a QUANTITY by hotkey q), polarity and realis
    ls_ui.label_span(page, "QUANTITY", *count, text, hotkey="q")
    ls_ui.label_span(page, "DIE", *died, text)
    ls_ui.select_region(page, *died)
    ls_ui.choose(page, "polarity", "positive")
    ls_ui.press(page, "alt+a")  # realis: actual, by its hotkey
    page.wait_for_function("() => [...document.querySelectorAll('input[name=actual]')].some(x => x.checked)", timeout=10_000)
    page.screenshot(path=str(shots / "03-trigger-polarity-realis.png"))
    ls_ui.relate(page, died, count, "Count")
    page.screenshot(path=str(shots / "04-relation-label.png"))
    clock.lap("trigger + attributes + argument relation")

    # a claim with its cue, its source (a PER with a proposed-by-list id), stance and numeric value
    ls_ui.label_span(page, "PER", *source, text)
    ls_ui.select_region(page, *source)
    ls_ui.pick_from_list(page, "gegham_stepanyan")
    ls_ui.label_span(page, "CUE", *cue, text, hotkey="s")
    ls_ui.label_span(page, "CLAIM", *claim, text, hotkey="c")
    ls_ui.select_region(page, *claim)
    ls_ui.choose(page, "stance", "asserts")
    ls_ui.type_number(page, "low", 10)
    ls_ui.type_number(page, "high", 10)
    ls_ui.choose(page, "hedge", "exact")
    ls_ui.press(page, "alt+k")  # counted: killed, by its hotkey
    page.wait_for_function("() => [...document.querySelectorAll('input[name=killed]')].some(x => x.checked)", timeout=10_000)
    page.screenshot(path=str(shots / "05-claim-attributes.png"))
    ls_ui.relate(page, claim, source, "claimant")
    ls_ui.relate(page, claim, cue, "cue")
    ls_ui.tab(page, "Relations")
    page.screenshot(path=str(shots / "06-relations-panel.png"))
    clock.lap("claim + cue + source + value + 2 relations")

    ls_ui.submit(page)
    deadline = time.monotonic() + 30
    while not [t for t in client.tasks(project) if t["id"] == task["id"] and t["annotations"]]:
        assert time.monotonic() < deadline, "the submitted annotation did not reach the server"
        time.sleep(0.5)
    clock.lap("submit")

    export = tmp_path / "export.json"
    pulled = cli(["annotate", "pull", "--url", url, "--project-title", title, "--out", str(export)], key)
    assert pulled.exit_code == 0, pulled.output
    assert "1 document(s) with gold" in pulled.output and "without annotations" in pulled.output, pulled.output
    assert "whitespace" not in pulled.output  # value.text is exact: nothing collapsed
    raw = json.loads(export.read_text(encoding="utf-8"))
    [annotated] = [t for t in raw if t["annotations"]]
    for r in annotated["annotations"][0]["result"]:
        if r.get("type") == "labels":  # what the UI stored: exactly the task text at the offsets
            assert r["value"]["text"] == text[r["value"]["start"]:r["value"]["end"]], r
    gold = tmp_path / "gold.jsonl"
    converted = cli(["annotate", "convert", str(export), "--out", str(gold), "--skip-unannotated"], key)
    assert converted.exit_code == 0, converted.output
    assert f"left out {len(raw) - 1} task(s) without annotations" in converted.output
    assert "wrote 1 gold documents" in converted.output
    clock.lap("pull + convert")
    [doc] = read_documents(gold)

    spans = {(m.start, m.end): m for m in doc.mentions}
    assert set(spans) == {place, count, source}
    for (s, e), m in spans.items():
        assert m.text == text[s:e]
    assert (spans[place].label, spans[place].entity_id, spans[place].text) == ("GPE", "nagorno_karabakh", "Nagorno   Karabaj")
    assert (spans[count].label, spans[count].entity_id) == ("QUANTITY", None)
    assert (spans[source].label, spans[source].entity_id) == ("PER", "gegham_stepanyan")
    [event] = doc.events
    assert (event.start, event.end, event.text, event.label) == (*died, "murieron", "DIE")
    assert (event.polarity, event.realis) == ("positive", "actual")
    assert [(a.role, spans[count].id == a.mention) for a in event.arguments] == [("Count", True)]
    [c] = doc.cues
    assert (c.start, c.end, c.text) == (*cue, "Según informó")
    [k] = doc.claims
    assert (k.start, k.end, k.text) == (*claim, text[claim[0]:claim[1]])
    assert (k.stance, k.source, k.cue, k.parent, k.link) == ("asserts", spans[source].id, c.id, None, None)
    assert (k.value.low, k.value.high, k.value.hedge, k.value.counted) == (10, 10, "exact", "killed")
    print("\nbrowser test timings:\n" + clock.report())
    print(f"screenshots in {shots}")


def test_relations_on_a_long_article_can_be_hidden(label_studio, page, shots):
    """The adjudicated long article (document 002) shows one arrow per relation over the text;
    the Relations panel's 'Hide all' takes them all off, and each one can be shown alone."""
    url, key = label_studio
    title = f"nkbench relations {time.time_ns()}"
    pushed = cli(["annotate", "push", "--url", url, "--project-title", title, "--tasks", str(PROJECT.gold_export)], key)
    assert pushed.exit_code == 0, pushed.output
    client = LabelStudio(url, key)
    project = client.find_project(title)
    [task] = [t for t in client.tasks(project) if t["data"]["doc_id"] == LONG_DOC]
    gold_ann = [a for a in task["annotations"] if a["ground_truth"]][0]
    n_relations = sum(r.get("type") == "relation" for r in gold_ann["result"])
    ls_ui.login(page, url, label_studio.email, label_studio.password)
    page.goto(f"{url}/projects/{project.id}/data?tab=1&task={task['id']}&annotation={gold_ann['id']}")
    page.wait_for_selector(ls_ui.TEXT_SELECTOR, timeout=60_000)
    ls_ui.tab(page, "Relations")
    arrows = "[class^=relationItem][visibility=visible]"
    page.wait_for_function(f"n => document.querySelectorAll('{arrows}').length === n", arg=n_relations, timeout=20_000)
    page.screenshot(path=str(shots / "07-long-article-all-relations.png"))
    page.click("[aria-label='Hide all']")
    page.wait_for_function(f"() => document.querySelectorAll('{arrows}').length === 0", timeout=10_000)
    first = page.locator(".lsf-relations__item").first
    first.hover()
    first.locator("[aria-label='Show Relation'], [aria-label='Hide Relation']").first.click()
    page.wait_for_function(f"() => document.querySelectorAll('{arrows}').length === 1", timeout=10_000)
    page.screenshot(path=str(shots / "08-long-article-one-relation.png"))
    print(f"\ndocument {LONG_DOC}: {len(task['data']['text'])} characters, {n_relations} relation arrows; "
          "'Hide all' leaves 0, one shown alone leaves 1")


def test_without_the_style_the_ui_collapses_whitespace_and_the_export_still_converts(label_studio, page, tmp_path):
    """The issue's measurement, kept: with a config without nkbench's <Style> (an older project),
    a drag across 'Nagorno   Karabaj' stores value.text 'Nagorno Karabaj'. Its offsets are right:
    pull and convert accept it with zero errors, report it, and the text comes from the article."""
    from nkbench.annotation.labelstudio.config import WHITESPACE_CSS

    url, key = label_studio
    title = f"nkbench no style {time.time_ns()}"
    config = PROJECT.labeling_config.read_text(encoding="utf-8")
    assert f"  <Style>{WHITESPACE_CSS}</Style>\n" in config
    older = tmp_path / "older.xml"
    older.write_text(config.replace(f"  <Style>{WHITESPACE_CSS}</Style>\n", ""), encoding="utf-8")
    assert cli(["annotate", "push", "--url", url, "--project-title", title, "--config", str(older)], key).exit_code == 0
    client = LabelStudio(url, key)
    project = client.find_project(title)
    [task] = [t for t in client.tasks(project) if t["data"]["doc_id"] == DOC]
    text = task["data"]["text"]
    start = text.index("Nagorno   Karabaj")
    place = (start, start + len("Nagorno   Karabaj"))

    ls_ui.login(page, url, label_studio.email, label_studio.password)
    ls_ui.open_task(page, url, project.id, task["id"])
    assert page.evaluate(f"getComputedStyle(document.querySelector('{ls_ui.TEXT_SELECTOR}')).whiteSpace") != "pre-wrap"
    ls_ui.label_span(page, "GPE", *place, text)  # the DOM holds the text as it is; the page shows one space
    ls_ui.submit(page)
    deadline = time.monotonic() + 30
    while not [t for t in client.tasks(project) if t["id"] == task["id"] and t["annotations"]]:
        assert time.monotonic() < deadline, "the submitted annotation did not reach the server"
        time.sleep(0.5)

    export = tmp_path / "export.json"
    pulled = cli(["annotate", "pull", "--url", url, "--project-title", title, "--out", str(export)], key)
    assert pulled.exit_code == 0, pulled.output
    assert "1 region(s) with whitespace runs collapsed in value.text, offsets kept" in pulled.output
    [annotated] = [t for t in json.loads(export.read_text(encoding="utf-8")) if t["annotations"]]
    [region] = [r for r in annotated["annotations"][0]["result"] if r.get("type") == "labels"]
    assert (region["value"]["start"], region["value"]["end"]) == place
    assert region["value"]["text"] == "Nagorno Karabaj" != text[place[0]:place[1]]
    gold = tmp_path / "gold.jsonl"
    converted = cli(["annotate", "convert", str(export), "--out", str(gold), "--skip-unannotated"], key)
    assert converted.exit_code == 0, converted.output
    assert "note: 1 region(s) whose value.text has runs of whitespace collapsed" in converted.output
    [doc] = read_documents(gold)
    [m] = doc.mentions
    assert (m.start, m.end, m.text, m.label) == (*place, "Nagorno   Karabaj", "GPE")
