"""``nkbench annotate resolve``: quote-anchored pass files -> documents with exact offsets."""

from __future__ import annotations

from pathlib import Path

import click

from .. import current_project


@click.command(epilog="""\b
Examples:
  $ nkbench annotate resolve annotation/passes/annotator-a --out a.jsonl
  annotator-a: 12 documents, 659 mentions, 202 events, 139 cues, 182 claims, 36 new entities -> a.jsonl
  $ nkbench annotate resolve --find "Nagorno Karabaj" --doc 000_112b86200dab1a20
  1  [67:82]  ...de 400 resultaron heridas en  «Nagorno Karabaj»  durante la operación militar...
  2  [1502:1517]  ...r el ejército azerbaiyano en  «Nagorno Karabaj» . Miles de  karabajíes  se ha...
  3  [2119:2134]  ... autoproclamada república de  «Nagorno Karabaj»  anunciaron al mediodía del m...
""")
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), help="Write the resolved documents as JSON Lines.")
@click.option("--find", "find", help="List every occurrence of this exact string (with offsets) instead.")
@click.option("--doc", "doc_id", help="With --find or --sentences: the document.")
@click.option("--sentences", "show_sentences", is_flag=True, help="Print the document's numbered sentences (for the reading log).")
def resolve(folder: Path | None, out: Path | None, find: str | None, doc_id: str | None, show_sentences: bool) -> None:
    """Resolve an annotator's quote-anchored pass folder into documents with exact offsets."""
    from ...core.errors import Errors, NkbenchError
    from ...core.io import atomic_write_text
    from ...core.model import document_to_dict
    from ...annotation.passes import layer_counts, load_pass_dir, occurrence_lines, sentence_lines
    from ...annotation.seeds import load_seeds
    from ...core.errors import NkbenchError
    from ...core.io import atomic_write_text, refuse_same
    from ...core.model import document_to_dict
    import json

    seeds = load_seeds(current_project().seeds_dir)
    if show_sentences or find is not None:
        if doc_id not in seeds:
            raise NkbenchError(f"unknown document {doc_id!r}", hint=f"one of {', '.join(seeds)}", code=Errors.E812)
        text = seeds[doc_id].text
        for line in sentence_lines(text) if show_sentences else occurrence_lines(text, find):
            click.echo(line)
        return
    if folder is None:
        raise NkbenchError("give a pass folder, or --find TEXT --doc ID", code=Errors.E814)
    refuse_same(out, folder)
    annotator, docs, new_entities = load_pass_dir(folder, seeds)
    counts = layer_counts(docs)
    if out:
        atomic_write_text(out, "".join(json.dumps(document_to_dict(d), ensure_ascii=False) + "\n" for d in docs))
    click.echo(f"{annotator}: {len(docs)} documents, " + ", ".join(f"{v} {k}" for k, v in counts.items())
               + (f", {len(new_entities)} new entities" if new_entities else "") + (f" -> {out}" if out else ""))


@click.command(epilog="""\b
Examples:
  $ nkbench annotate agreement                      # the passes in annotation/gold_export.json
  Passes: `annotator-a` vs `annotator-b` over 4 documents. Span F1 (strict: same offsets and type; ...
  | layer | slice | spans annotator-a | spans annotator-b | strict F1 | overlap F1 |
  |---|---|---:|---:|---:|---:|
  | entities | all | 262 | 262 | 1.000 | 1.000 |
  ...
  | claims | all | 77 | 76 | 0.863 | 0.993 |
  ...
  $ nkbench annotate resolve annotation/passes/annotator-a --out a.jsonl
  annotator-a: 12 documents, 659 mentions, 202 events, 139 cues, 182 claims, 36 new entities -> a.jsonl
  $ nkbench annotate resolve annotation/passes/annotator-b --out b.jsonl
  annotator-b: 12 documents, 663 mentions, 207 events, 138 cues, 174 claims, 38 new entities -> b.jsonl
  $ nkbench annotate agreement --pass annotator-a=a.jsonl --pass annotator-b=b.jsonl --format json | jq -c .kappa.stance
  {"n":66,"kappa":0.9100817438692098,"agreement":0.9696969696969697}
""")
@click.option("--export", "export", type=click.Path(path_type=Path), help="Label Studio export [default: annotation/gold_export.json].")
@click.option("--pass", "pass_specs", multiple=True, metavar="NAME=FILE.jsonl|FOLDER",
              help="A pass as resolved documents or a quote-anchored folder (twice), instead of the export.")
@click.option("--split", type=click.Choice(("test", "dev")), default="test", show_default=True,
              help="The articles compared: test, or dev (the development articles); never both together.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
def agreement(export: Path | None, pass_specs: tuple[str, ...], split: str, fmt: str) -> None:
    """Inter-annotator agreement between the two passes, per layer, type, language and document."""
    import json

    from ...annotation.agreement import agreement as compute, markdown, of_split, two_passes
    from ...annotation.passes import passes_from
    from ...annotation.seeds import load_seeds
    from ...core.errors import Errors, NkbenchError

    project = current_project()
    passes = passes_from(project, export, pass_specs)
    names, a, b = two_passes(of_split(passes, load_seeds(project.seeds_dir), split))
    if not a:
        raise NkbenchError(f"no {split} article in the passes", hint="annotate some first, or choose the other --split", code=Errors.E334)
    result = compute(a, b)
    click.echo(json.dumps({"passes": list(names), **result}, indent=2) if fmt == "json" else markdown(result, names), nl=fmt == "json")


@click.command(epilog="""\b
Example:
  $ nkbench annotate adjudicate
  annotation/adjudication.json (current): 47 disagreements (28 a, 19 b, 0 changed), 15 added, 1 removed, 21 agreed items changed; dev: 70 disagreements (18 a, 48 b, 4 changed), 0 added, 0 removed, 6 agreed items changed
""")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if annotation/adjudication.json is stale.")
def adjudicate(check: bool) -> None:
    """Regenerate annotation/adjudication.json (which pass the gold kept for every disagreement,
    with the reasons of annotation/adjudication_reasons.json) from the gold export's passes."""
    from ...annotation.adjudication import regenerate, summary_line
    from ...core.errors import Errors, NkbenchError

    project = current_project()
    record, current = regenerate(project, check=check)
    where = project.relative(project.adjudication)
    if check and not current:
        raise NkbenchError("stale: not what the gold export makes", where=where,
                           hint="run `nkbench annotate adjudicate` to regenerate it", code=Errors.E816)
    state = "current" if current else "written"
    click.echo(f"{where} ({state}): {summary_line(record)}")


@click.command(epilog="""\b
Examples:
  $ nkbench annotate diff annotation/versions/gold-2.0.0.jsonl annotation/gold_export.json
  layer    old new added removed changed
  mentions 300 314    15       1       0
  events   108 108     0       0      19
  cues      53  53     0       0       0
  claims    76  76     0       0       2
  $ nkbench annotate diff annotation/versions/gold-2.0.0.jsonl data/ --details | grep '^[-~] .* claim'
  ~ 002_2476f1cd8ed7decf claim [980:989] '32 deaths' ...: link sep2023_killed_total -> sep2023_killed_separatist_side
  ~ 002_2476f1cd8ed7decf claim [994:1016] 'more than 200 injuries' ...: link sep2023_injured_total -> sep2023_injured_separatist_side
""")
@click.argument("old")
@click.argument("new")
@click.option("--details", is_flag=True, help="After the table, every item: + added, - removed, ~ changed (what changed).")
def diff(old: str, new: str, details: bool) -> None:
    """What changed in the gold from OLD to NEW, per layer: items added, removed and changed.

    OLD and NEW are gold sources as --gold takes them (a dataset folder, a Label Studio export, a JSON
    Lines file of documents, a Hub id). Items are matched by document and span, so renumbered ids are
    no change; a matched item is changed when its label, attributes, arguments, source, cue, parent,
    value or link differ (references compared by the spans they point to)."""
    from ...annotation.gold import read_gold
    from ...annotation.golddiff import diff as gold_diff, render

    from .. import maybe_project

    project = maybe_project()
    a, b = read_gold(old, project), read_gold(new, project)
    click.echo(render(gold_diff(a.documents, b.documents), details=details), nl=False)
