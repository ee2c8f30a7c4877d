"""The error report of ``nkbench errors``: per-span outcomes as TSV, JSON and one self-contained HTML page.

Pure renderers over ``scoring.outcomes.SpanOutcome`` rows (the CLI does the I/O).

TSV: a header line, then one line per row, columns ``TSV_COLUMNS``; an absent side is empty
cells; offsets are Python code points, end-exclusive, into the gold text. Text cells escape
``\\`` ``TAB`` ``LF`` ``CR`` as ``\\\\`` ``\\t`` ``\\n`` ``\\r`` (``tsv_unescape`` reverses it); notes are
joined with ``"; "``.

HTML: one page, no server, no network: inline CSS and JS only, no URL of any kind, and a
Content-Security-Policy that forbids loading anything. Every text is HTML-escaped. Each document's
text is cut at every span boundary into segments; a segment lists the rows whose gold span
(``data-g``) or predicted span (``data-p``) covers it (row number = TSV line - 2), so overlapping
and nested spans are all shown: gold spans as coloured bars above the line, predicted spans as
bars below, one bar per span, coloured by outcome. The filters (layer, type, outcome) hide rows and
their bars; the script writes the shown items of a segment to its ``data-shown``.
"""

from __future__ import annotations

import html
import json

from .scoring.outcomes import OUTCOMES, STRICT_METRIC, SpanOutcome, counts, strict_counts

TSV_COLUMNS = ("document", "layer", "outcome", "gold_start", "gold_end", "gold_type", "gold_text",
               "pred_start", "pred_end", "pred_type", "pred_text", "notes")
#: outcome -> colour (the colour-blind-safe Okabe-Ito palette)
COLOURS = {"correct": "#009E73", "type": "#CC79A7", "boundary": "#E69F00", "boundary+type": "#D55E00",
           "missed": "#0072B2", "spurious": "#000000", "duplicate": "#999999"}
_ESC = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_ESC_TABLE = str.maketrans(_ESC)
_UNESC = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def tsv_escape(text: str) -> str:
    return text.translate(_ESC_TABLE)


def tsv_unescape(cell: str) -> str:
    out, it = [], iter(cell)
    for ch in it:
        out.append(_UNESC.get(next(it, ""), "") if ch == "\\" else ch)
    return "".join(out)


def _side(s) -> list[str]:
    return ["", "", "", ""] if s is None else [str(s.start), str(s.end), tsv_escape(s.label), tsv_escape(s.text)]


def to_tsv(rows: list[SpanOutcome]) -> str:
    lines = ["\t".join(TSV_COLUMNS)]
    for r in rows:
        lines.append("\t".join([tsv_escape(r.document), r.layer, r.outcome, *_side(r.gold), *_side(r.pred),
                                tsv_escape("; ".join(r.notes))]))
    return "\n".join(lines) + "\n"


def _span_json(s):
    return None if s is None else {"start": s.start, "end": s.end, "type": s.label, "text": s.text}


def to_json(rows: list[SpanOutcome], meta: dict) -> str:
    doc = {**meta, "counts": summary(rows),
           "rows": [{"document": r.document, "layer": r.layer, "outcome": r.outcome, "gold": _span_json(r.gold),
                     "pred": _span_json(r.pred), "notes": list(r.notes)} for r in rows]}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _ratio(a: int, b: int) -> float | None:
    return None if b == 0 else a / b


def summary(rows: list[SpanOutcome]) -> dict[str, dict]:
    """layer -> outcome counts, and the strict metric's name, counts, precision, recall and F1
    computed from them (the same figures as ``nkbench score``)."""
    out = {}
    for layer, c in counts(rows).items():
        s = strict_counts(c)
        tp, fp, fn = s["correct"], s["spurious"], s["missed"]
        out[layer] = {"outcomes": c, "metric": STRICT_METRIC[layer], "precision": _ratio(tp, tp + fp),
                      "recall": _ratio(tp, tp + fn), "f1": _ratio(2 * tp, 2 * tp + fp + fn)}
    return out


def summary_table(rows: list[SpanOutcome], layers) -> str:
    """The counts per layer and outcome, and the strict figures they make, as a text table."""
    s = summary(rows)
    shown = [o for o in OUTCOMES if o != "duplicate" or any(v["outcomes"]["duplicate"] for v in s.values())]
    head = ["layer", "metric", *shown, "P", "R", "F1"]
    f = lambda x: "n/a" if x is None else f"{x:.3f}"  # noqa: E731
    body = []
    for layer in layers:
        v = s.get(layer) or {"outcomes": dict.fromkeys(OUTCOMES, 0), "metric": STRICT_METRIC[layer],
                             "precision": None, "recall": None, "f1": None}
        body.append([layer, v["metric"], *(str(v["outcomes"][o]) for o in shown), f(v["precision"]), f(v["recall"]), f(v["f1"])])
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    fmt = lambda cells: "  ".join(c.ljust(w) if k < 2 else c.rjust(w) for k, (c, w) in enumerate(zip(cells, widths)))  # noqa: E731
    return "\n".join(fmt(r).rstrip() for r in [head, *body]) + "\n"


# -- HTML ----------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.4 system-ui,sans-serif;margin:0;color:#222}
header{background:#f7f7f7;border-bottom:1px solid #ccc;padding:.5em 1em}
h1{font-size:1.2em;margin:.2em 0}h2{font-size:1.05em;margin:1.2em 0 .4em}
main{padding:0 1em 2em}
section.doc{content-visibility:auto;contain-intrinsic-size:auto 3000px}
fieldset{display:inline-block;border:1px solid #ccc;margin:.2em .4em .2em 0;padding:.1em .5em;vertical-align:top}
fieldset label{margin-right:.6em;white-space:nowrap}
.swatch{display:inline-block;width:.9em;height:.9em;vertical-align:-.1em;margin-right:.2em;border-radius:2px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:1px 5px;text-align:left;vertical-align:top}
table.summary td.n{text-align:right}
.text{white-space:pre-wrap;line-height:2.9;font-size:16px;max-width:75em;padding:.5em 0}
.seg.hl{cursor:help}
tr.row td.o{font-weight:600}
.legend{font-size:13px;color:#444}
"""

_JS = r"""
(function(){
  var colours = JSON.parse(document.getElementById('colours').textContent);
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.row'));
  var segs = Array.prototype.slice.call(document.querySelectorAll('span.seg'));
  var boxes = Array.prototype.slice.call(document.querySelectorAll('#filters input[type=checkbox]'));
  // read the DOM once: per row its filter keys, per segment the rows it covers
  var info = {};
  rows.forEach(function(tr){ info[tr.dataset.row] = {tr: tr, d: tr.dataset, shown: null}; });
  var segIds = segs.map(function(s){
    var split = function(x){ return x ? x.split(' ') : []; };
    return {g: split(s.dataset.g), p: split(s.dataset.p), key: null};
  });
  function checked(name){
    var s = {};
    boxes.forEach(function(b){ if (b.name === name && b.checked) s[b.value] = true; });
    return s;
  }
  function apply(){
    var layers = checked('layer'), types = checked('type'), outcomes = checked('outcome');
    var n = 0;
    rows.forEach(function(tr){
      var r = info[tr.dataset.row], d = r.d;
      var typeOk = (d.gtype !== undefined && types[d.gtype]) || (d.ptype !== undefined && types[d.ptype]);
      var vis = !!(layers[d.layer] && outcomes[d.outcome] && typeOk);
      if (tr.hidden === vis) tr.hidden = !vis;
      r.shown = vis ? d.outcome : null;
      if (vis) n++;
    });
    segs.forEach(function(s, k){
      var ids = segIds[k], items = [], above = [], below = [];
      ids.g.forEach(function(id){ var o = info[id].shown; if (o !== null) { items.push('g' + id); above.push(colours[o]); } });
      ids.p.forEach(function(id){ var o = info[id].shown; if (o !== null) { items.push('p' + id); below.push(colours[o]); } });
      var key = items.join(' ');
      if (key === ids.key) return;  // unchanged: no DOM write
      ids.key = key;
      s.dataset.shown = key;
      s.classList.toggle('hl', items.length > 0);
      var sh = [];
      above.forEach(function(c, j){ sh.push('0 ' + (-3 * (j + 1)) + 'px 0 0 ' + c); });
      below.forEach(function(c, j){ sh.push('0 ' + (3 * (j + 1)) + 'px 0 0 ' + c); });
      s.style.boxShadow = sh.join(',');
      s.style.backgroundColor = items.length ? '#fffbe6' : '';
    });
    document.getElementById('shown').textContent = n + ' of ' + rows.length + ' rows shown';
  }
  // the tooltip of a highlight: its shown spans, made when the pointer reaches it
  document.addEventListener('mouseover', function(e){
    var s = e.target;
    if (!s.classList || !s.classList.contains('seg')) return;
    s.title = (s.dataset.shown ? s.dataset.shown.split(' ') : []).map(function(item){
      return (item[0] === 'g' ? 'gold ' : 'predicted ') + info[item.slice(1)].d.tip;
    }).join('\n');
  });
  boxes.forEach(function(b){ b.addEventListener('change', apply); });
  document.querySelectorAll('#filters button').forEach(function(btn){
    btn.addEventListener('click', function(){
      boxes.forEach(function(b){ if (b.name === btn.dataset.name) b.checked = btn.dataset.all === '1'; });
      apply();
    });
  });
  apply();
})();
"""


def _e(x) -> str:
    return html.escape(str(x), quote=True)


def _span_cell(s) -> str:
    return "<td></td><td></td><td></td>" if s is None else (
        f"<td>[{s.start}:{s.end})</td><td>{_e(s.label)}</td><td>{_e(s.text)}</td>")


def _segments(text: str, spans: list[tuple[int, int, str, int]]) -> str:
    """``text`` cut at every boundary of ``spans`` (start, end, side "g"/"p", row); each covered
    segment a ``span.seg`` naming its rows (a sweep: the spans open at each cut are kept)."""
    cuts = sorted({0, len(text), *(x for s in spans for x in s[:2] if 0 <= x <= len(text))})
    starting: dict[int, list] = {}
    for s in spans:
        starting.setdefault(s[0], []).append(s)
    active: set = set()
    out = []
    for a, b in zip(cuts, cuts[1:]):
        active = {s for s in (*active, *starting.get(a, ())) if s[1] > a}
        g = " ".join(str(r) for r in sorted(s[3] for s in active if s[2] == "g"))
        p = " ".join(str(r) for r in sorted(s[3] for s in active if s[2] == "p"))
        piece = _e(text[a:b])
        out.append(f'<span class="seg" data-g="{g}" data-p="{p}">{piece}</span>' if g or p else piece)
    return "".join(out)


def _checkboxes(name: str, values, swatch: bool = False) -> str:
    boxes = []
    for v in values:
        sw = f'<span class="swatch" style="background:{COLOURS[v]}"></span>' if swatch else ""
        boxes.append(f'<label><input type="checkbox" name="{name}" value="{_e(v)}" checked>{sw}{_e(v)}</label>')
    buttons = (f'<button type="button" data-name="{name}" data-all="1">all</button>'
               f'<button type="button" data-name="{name}" data-all="0">none</button>')
    return f'<fieldset data-filter="{name}"><legend>{name}</legend>{"".join(boxes)} {buttons}</fieldset>'


def to_html(gold, rows: list[SpanOutcome], meta: dict, layers) -> str:
    """The self-contained report page (see the module doc). ``gold``: the gold Documents."""
    s = summary(rows)
    by_doc: dict[str, list[tuple[int, SpanOutcome]]] = {}
    for k, r in enumerate(rows):
        by_doc.setdefault(r.document, []).append((k, r))
    types = sorted({x.label for r in rows for x in (r.gold, r.pred) if x is not None})
    used_outcomes = [o for o in OUTCOMES if o != "duplicate" or any(r.outcome == o for r in rows)]
    head = ["layer", "metric", *used_outcomes, "P", "R", "F1"]
    f = lambda x: "n/a" if x is None else f"{x:.3f}"  # noqa: E731
    srows = []
    for layer in layers:
        v = s.get(layer)
        if v is None:
            continue
        cells = [f"<td>{_e(layer)}</td><td>{_e(v['metric'])}</td>",
                 *(f'<td class="n" data-outcome="{o}">{v["outcomes"][o]}</td>' for o in used_outcomes),
                 f'<td class="n">{f(v["precision"])}</td><td class="n">{f(v["recall"])}</td><td class="n">{f(v["f1"])}</td>']
        srows.append(f'<tr data-layer="{_e(layer)}">{"".join(cells)}</tr>')
    parts = [
        "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
        # nothing may be loaded: not a font, an image, a script or a connection
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'\">",
        f"<title>nkbench errors: {_e(meta.get('predictions', ''))}</title><style>{_CSS}</style></head><body>",
        f"<header><h1>Errors of {_e(meta.get('predictions', ''))}</h1>",
        f'<p class="legend">gold: {_e(meta.get("gold", ""))}. {len(rows)} rows; counts add up to each layer\'s strict metric '
        f"(a type/boundary error is one missed and one spurious item). Bars above the text: gold spans; below: "
        f"predicted spans; colour: outcome. Hover a highlight for its spans. Offsets: code points, end-exclusive.</p>",
        '<table class="summary"><thead><tr>' + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr></thead><tbody>"
        + "".join(srows) + "</tbody></table>",
        '<form id="filters">', _checkboxes("layer", [x for x in layers if x in s]), _checkboxes("type", types),
        _checkboxes("outcome", used_outcomes, swatch=True), "</form>", '<p id="shown"></p></header><main>',
    ]
    text_of = {d.id: d for d in gold}
    for doc_id, items in by_doc.items():
        d = text_of[doc_id]
        spans = [(x.start, x.end, side, k) for k, r in items for side, x in (("g", r.gold), ("p", r.pred)) if x is not None]
        trs = []
        for k, r in items:
            tip = f"{r.layer} {r.outcome}: " + " / ".join(
                f"{'gold' if x is r.gold else 'predicted'} {x.label} [{x.start}:{x.end}) {x.text!r}"
                for x in (r.gold, r.pred) if x is not None)
            attrs = [f'id="r{k}"', f'class="row o-{r.outcome.replace("+", "-")}"', f'data-row="{k}"',
                     f'data-layer="{_e(r.layer)}"', f'data-outcome="{_e(r.outcome)}"', f'data-tip="{_e(tip)}"']
            if r.gold is not None:
                attrs.append(f'data-gtype="{_e(r.gold.label)}"')
            if r.pred is not None:
                attrs.append(f'data-ptype="{_e(r.pred.label)}"')
            trs.append(f"<tr {' '.join(attrs)}><td>{_e(r.layer)}</td>"
                       f'<td class="o" style="color:{COLOURS[r.outcome]}">{_e(r.outcome)}</td>'
                       f"{_span_cell(r.gold)}{_span_cell(r.pred)}<td>{_e('; '.join(r.notes))}</td></tr>")
        parts += [f'<section class="doc" data-doc="{_e(doc_id)}"><h2>{_e(doc_id)} ({_e(d.language)})</h2>',
                  f'<div class="text">{_segments(d.text or "", spans)}</div>',
                  '<table class="rows"><thead><tr><th>layer</th><th>outcome</th><th>gold span</th><th>gold type</th>'
                  "<th>gold text</th><th>predicted span</th><th>predicted type</th><th>predicted text</th><th>notes</th>"
                  "</tr></thead><tbody>" + "".join(trs) + "</tbody></table></section>"]
    colours = json.dumps(COLOURS).replace("<", "\\u003c")
    parts += ["</main>", f'<script type="application/json" id="colours">{colours}</script>',
              f"<script>{_JS}</script></body></html>"]
    return "\n".join(parts) + "\n"


__all__ = ["TSV_COLUMNS", "COLOURS", "to_tsv", "to_json", "to_html", "summary", "summary_table",
           "tsv_escape", "tsv_unescape"]
