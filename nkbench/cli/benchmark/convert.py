"""``nkbench convert``: CoNLL/BIO, the dataset's ``ner`` rows, a spaCy DocBin or ``documents`` rows
-> a predictions file, with every projection problem counted."""

from __future__ import annotations

from pathlib import Path

import click

from ...benchmark.convert import FORMATS, LABEL_PRESETS


def _pairs(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        src, eq, dst = v.partition("=")
        if not eq or not src:
            raise click.BadParameter(f"{v!r} is not FROM=TO (e.g. PERSON=PER; FROM= for 'not an entity')",
                                     param_hint="--label-map")
        out[src] = dst
    return out


@click.command(epilog="""\b
Example (the dataset's own `ner` rows, converted and scored: the sanity check):
  $ nkbench convert data/ner/test.parquet --from ner --out ner.jsonl
  ner: 4 documents, 75 sentences, 2064 tokens -> ner.jsonl
    mentions 263 (DATE 31, FAC 2, GPE 92, LOC 1, NORP 62, ORG 20, PER 22, QUANTITY 25, TIME 8)
    documents whose tokens stop before the end of the gold text: 0
    gold mentions not on the input's token boundaries (no tagging of these tokens gives them): 0
    inside tag without a begin tag (started a chunk, as conlleval): 0
    mentions whose label maps to nothing (--labels/--label-map), left out: 0
  $ nkbench score ner.jsonl --layer entities --resamples 0
  layer     metric   correct  incorr  partial  missed  spur      P      R  F1 / acc  95% CI  macro F1
  --------  -------  -------  ------  -------  ------  ----  -----  -----  --------  ------  --------
  entities  strict       263       0        0       0     0  1.000  1.000     1.000     n/a     1.000
  ...
\b
Formats (--from):
  conll   one 'TOKEN ... TAG' per line, blank line between sentences, '# document = ID' before
          each document; tags IOB2 (--scheme IOBES for S-/E-)
  ner     rows of the dataset's `ner` config (.jsonl, or its .parquet file)
  docbin  a spaCy DocBin (.spacy): each Doc's text is a gold document's text or a part of it
  rows    rows of the dataset's `documents` config (ClassLabel ids are decoded)
Labels are ours (PER, ORG, GPE, ...); --labels ontonotes maps spaCy's English labels,
--label-map FROM=TO any other (FROM= leaves a label out, counted).
""")
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--from", "fmt", type=click.Choice(FORMATS), required=True, help="The input's format.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The predictions file to write (JSON Lines, atomically).")
@click.option("--gold", "gold_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Gold documents with their text (default: the project's gold); offsets are found in it.")
@click.option("--scheme", type=click.Choice(("IOB2", "IOBES")), default="IOB2", show_default=True,
              help="Tag scheme of a CoNLL file.")
@click.option("--labels", "preset", type=click.Choice(tuple(LABEL_PRESETS)), default=None,
              help="Read another label inventory (ontonotes: spaCy's English models).")
@click.option("--label-map", "label_map", multiple=True, metavar="FROM=TO", help="Map a label to one of ours (repeatable).")
@click.option("--strict-tags", is_flag=True, help="An I- tag without its B- is an error (default: read as conlleval, counted).")
def convert(source: Path, fmt: str, out: Path, gold_path: Path | None, scheme: str, preset: str | None,
            label_map: tuple[str, ...], strict_tags: bool) -> None:
    """Convert predictions from CoNLL/BIO, the dataset's ner rows, a spaCy DocBin or documents rows
    into the prediction format (benchmark/PREDICTIONS.md), counting every projection problem."""
    from ...benchmark import convert as conv
    from ...core.io import atomic_write_bytes, display_name, documents_jsonl, output_target, refuse_same
    from .score import _gold

    pairs = _pairs(label_map)
    if fmt == "docbin" and str(source) == "-":
        raise click.BadParameter("a DocBin is read from a file, not standard input", param_hint="SOURCE")
    refuse_same(out, *(p for p in (source, gold_path) if p is not None and str(p) != "-"))
    output_target(out)
    table = conv.label_table(preset, pairs)
    gold = _gold(gold_path)
    if fmt == "conll":
        docs, tally = conv.from_conll(source, gold, scheme=scheme, table=table, strict_tags=strict_tags)
    elif fmt == "ner":
        docs, tally = conv.from_ner(source, gold, table=table, strict_tags=strict_tags)
    elif fmt == "docbin":
        docs, tally = conv.from_docbin(source, gold, table=table)
    else:
        docs, tally = conv.from_rows(source, gold)
    atomic_write_bytes(out, documents_jsonl(docs, with_text=False))
    t = tally.as_dict()
    click.echo(f"{fmt}: {t['documents']} documents, {t['sentences']} sentences, {t['tokens']} tokens -> {out}"
               if fmt != "rows" else f"{fmt}: {t['documents']} documents from {display_name(source)} -> {out}")
    mentions = t["mentions"]
    click.echo(f"  mentions {sum(mentions.values())}"
               + (f" ({', '.join(f'{k} {n}' for k, n in mentions.items())})" if mentions else ""))
    for kind, n in t["problems"].items():
        click.echo(f"  {kind}: {n}")
