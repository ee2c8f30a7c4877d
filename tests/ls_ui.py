"""Driving Label Studio 1.23's labeling UI like an annotator: real mouse drags, clicks and keys.

Used by the browser test (tests/test_labelstudio_browser.py) and by scripts/screenshots. Offsets
are Python code points into the task text (the text is BMP-only here, so they equal the DOM's
UTF-16 offsets; ``char_box`` checks the rendered text against the task text).
"""

from __future__ import annotations

TEXT_SELECTOR = ".lsf-richtext__container"

# Walks the text nodes of the rendered <Text> object and returns the bounding box of the
# characters [start, end) (the first and the last character's boxes), plus the rendered text.
_BOXES_JS = """([sel, start, end]) => {
  const root = document.querySelector(sel);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let pos = 0, node, text = "";
  const at = (k) => { // the text node and local offset holding character k
    const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT); let p = 0, n;
    while ((n = w.nextNode())) { if (k < p + n.length) return [n, k - p]; p += n.length; }
    return null;
  };
  while ((node = walker.nextNode())) text += node.data;
  const box = (k) => { const [n, o] = at(k); const r = document.createRange(); r.setStart(n, o); r.setEnd(n, o + 1);
                       const b = r.getClientRects()[0] || r.getBoundingClientRect(); return {x: b.x, y: b.y, w: b.width, h: b.height}; };
  return {text, first: box(start), last: box(end - 1)};
}"""


def login(page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/user/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state("networkidle")


def open_task(page, url: str, project_id: int, task_id: int) -> None:
    page.goto(f"{url}/projects/{project_id}/data?tab=1&task={task_id}")
    page.wait_for_selector(TEXT_SELECTOR, timeout=60_000)
    page.wait_for_timeout(500)


def char_box(page, start: int, end: int, text: str | None = None) -> dict:
    boxes = page.evaluate(_BOXES_JS, [TEXT_SELECTOR, start, end])
    if text is not None and boxes["text"] != text:
        raise AssertionError("the rendered text is not the task text")
    return boxes


def drag_select(page, start: int, end: int, text: str | None = None) -> None:
    """Select text[start:end] with a real mouse drag: from the left edge of the first character
    to the right edge of the last one."""
    b = char_box(page, start, end, text)
    page.evaluate(f"document.querySelector('{TEXT_SELECTOR}').scrollIntoView({{block: 'nearest'}})")
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
