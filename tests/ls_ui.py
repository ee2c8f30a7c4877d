"""Driving Label Studio 1.23's labeling UI like an annotator: real mouse drags, clicks and keys.

Used by the browser test (tests/test_labelstudio_browser.py) and by scripts/screenshots. Offsets
are Python code points into the task text (the text is BMP-only here, so they equal the DOM's
UTF-16 offsets; ``char_box`` checks the rendered text against the task text).
"""

from __future__ import annotations

TEXT_SELECTOR = ".lsf-richtext__container"

# Walks the rendered <Text> object (text nodes, and <br> for each newline as Label Studio renders
# lines) and returns the boxes of the characters start and end - 1, plus the text as rendered.
_BOXES_JS = """([sel, start, end]) => {
  const root = document.querySelector(sel);
  const pieces = []; let pos = 0;
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) { pieces.push([child, pos]); pos += child.data.length; }
      else if (child.nodeName === "BR") { pieces.push([null, pos]); pos += 1; }
      else walk(child);
    }
  };
  walk(root);
  const text = pieces.map(([n]) => n ? n.data : "\\n").join("");
  const box = (k, scroll) => {
    for (const [n, p] of pieces) {
      if (n && k >= p && k < p + n.data.length) {
        if (scroll) n.parentElement.scrollIntoView({block: "center"});
        const r = document.createRange(); r.setStart(n, k - p); r.setEnd(n, k - p + 1);
        const b = r.getClientRects()[0] || r.getBoundingClientRect();
        return {x: b.x, y: b.y, w: b.width, h: b.height};
      }
    }
    return null;
  };
  box(start, true);
  return {text, first: box(start, false), last: box(end - 1, false)};
}"""


def login(page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/user/login/")
    page.wait_for_load_state("networkidle")
    if not page.locator("input[name=email]").count():  # the shared browser context is logged in already
        return
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state("networkidle")


def open_task(page, url: str, project_id: int, task_id: int) -> None:
    page.goto(f"{url}/projects/{project_id}/data?tab=1&task={task_id}")
    page.wait_for_selector(TEXT_SELECTOR, timeout=60_000)
    page.wait_for_timeout(500)
    tab(page, "Regions")


def char_box(page, start: int, end: int, text: str | None = None) -> dict:
    page.wait_for_selector(TEXT_SELECTOR, timeout=30_000)
    boxes = page.evaluate(_BOXES_JS, [TEXT_SELECTOR, start, end])
    if text is not None and boxes["text"] != text:
        raise AssertionError("the rendered text is not the task text")
    return boxes


def drag_select(page, start: int, end: int, text: str | None = None) -> None:
    """Select text[start:end] with a real mouse drag: from the left edge of the first character
    to the right edge of the last one."""
    b = char_box(page, start, end, text)
    f, l = b["first"], b["last"]
    page.mouse.move(f["x"] + 1, f["y"] + f["h"] / 2)
    page.mouse.down()
    page.mouse.move((f["x"] + l["x"]) / 2, l["y"] + l["h"] / 2, steps=5)
    page.mouse.move(l["x"] + l["w"] - 1, l["y"] + l["h"] / 2, steps=5)
    page.mouse.up()
    page.wait_for_timeout(300)


def click_label(page, control_label: str) -> None:
    """Click a label button (PER, ATTACK, CLAIM, CUE...) above the text."""
    page.locator(".lsf-label", has_text=control_label).first.click()


def wait_regions(page, n: int) -> None:
    """Wait until the outliner lists ``n`` regions (a drag or hotkey has taken effect)."""
    page.wait_for_function("n => document.querySelectorAll('.lsf-tree__node_type_richtextregion').length === n",
                           arg=n, timeout=15_000)


def unselect(page) -> None:
    """Leave any text box and unselect the current region (Label Studio's key u)."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("u")


def label_span(page, label: str, start: int, end: int, text: str, *, hotkey: str | None = None) -> None:
    """Make a region: choose the label (its button, or its hotkey), then drag over text[start:end]."""
    unselect(page)
    tab(page, "Regions")  # the outliner lists the regions (the panel remembers its last tab across pages)
    before = page.locator(".lsf-tree__node_type_richtextregion").count()
    if hotkey:
        page.locator(TEXT_SELECTOR).hover()
        press(page, hotkey)
        page.wait_for_selector(f".lsf-label_selected:has-text('{label}')", timeout=10_000)
    else:
        click_label(page, label)
    drag_select(page, start, end, text)
    wait_regions(page, before + 1)


def select_region(page, start: int, end: int) -> None:
    """Select a region by clicking its highlighted text (the middle of its last character)."""
    unselect(page)
    b = char_box(page, start, end)["last"]
    page.mouse.click(b["x"] + b["w"] / 2, b["y"] + b["h"] / 2)
    page.wait_for_selector("[aria-label='Create Relation']", timeout=10_000)


def visible(page, css: str):
    """The first visible element matching ``css`` (per-region controls of other layers are hidden)."""
    return page.locator(css).locator("visible=true").first


def choose(page, name: str, value: str) -> None:
    """Click a per-region choice (polarity, realis, stance, hedge, counted, nominal)."""
    box = visible(page, f"input[type=checkbox][name='{value}']")
    box.scroll_into_view_if_needed()
    box.click()


def pick_from_list(page, value: str) -> None:
    """Choose an id in a select list (entity_id, link): open it, click the option."""
    trigger = visible(page, ".lsf-choices_layout_select [data-testid=select-trigger]")
    trigger.scroll_into_view_if_needed()
    trigger.click()
    page.locator(f"[data-testid='select-option-{value}']").click()
    if page.locator("[data-testid=select-popup]").count():
        page.keyboard.press("Escape")


def type_number(page, name: str, value: int | float) -> None:
    field = visible(page, f"input[name='{name}']")
    field.scroll_into_view_if_needed()
    field.click()
    field.fill(str(value))
    field.press("Tab")


def relate(page, src: tuple[int, int], dst: tuple[int, int], label: str) -> None:
    """Draw a relation from the region at ``src`` to the region at ``dst`` (select the source,
    'Create Relation', click the target's text) and give it ``label`` in the Relations panel."""
    select_region(page, *src)
    tab(page, "Relations")
    n = page.locator(".lsf-relations__item").count()
    page.click("[aria-label='Create Relation']")
    b = char_box(page, *dst)["last"]
    page.mouse.click(b["x"] + b["w"] / 2, b["y"] + b["h"] / 2)
    page.wait_for_function("n => document.querySelectorAll('.lsf-relations__item').length > n", arg=n, timeout=10_000)
    item = page.locator(".lsf-relations__item").last
    item.hover()
    item.locator("[aria-label='Show Relation Labels']").click()
    item.locator("[data-testid=select-trigger]").click()
    page.locator(f"[data-testid='select-option-{label}']").click()
    page.keyboard.press("Escape")
    tab(page, "Regions")


def submit(page) -> None:
    page.click("[data-testid=bottombar-submit-button]")
    page.wait_for_timeout(1500)


def press(page, hotkey: str) -> None:
    """Press a hotkey written as in the labeling config (``alt+a``, ``shift+d``, ``g``)."""
    *mods, key = hotkey.split("+") if hotkey != "+" else ["+"]
    names = {"alt": "Alt", "shift": "Shift", "ctrl": "Control"}
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("+".join([*(names[m] for m in mods), key]))


def tab(page, name: str) -> None:
    """Open a tab of the side panels (Regions, Relations, Info, History)."""
    page.get_by_text(name, exact=True).locator("visible=true").first.click()
