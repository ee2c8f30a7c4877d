"""The benchmark: every baseline on the dataset as ``datasets`` loads it, scored, with its errors.

``run_benchmark`` is pure over Documents (systems in, reports out); ``load_gold_dataset`` and
``write_results`` are the I/O edges; ``benchmark`` is the whole of ``nkbench benchmark`` (and of the
results step of ``nkbench regen``): inputs checked, ``data/`` checked and loaded, systems run and scored. Results go to ``benchmark/results/<system>.json`` (no
timestamps: a rerun on the same data gives the same bytes); the README's leaderboard block is
rendered from those files by ``markdown_block``.

The leaderboard shows, per layer, a strict and a lenient F1 with 95 % bootstrap intervals
(resampling unit: gold sentences) and the strict F1 per language:

=========  =========================================  ==========================================
layer      strict                                     lenient
=========  =========================================  ==========================================
entities   SemEval strict (same span, same type)      SemEval partial (overlap, 0.5 credit)
events     trigger classification (span + type)      trigger identification (span only)
claims     claim span, exact offsets                  claim span, character Jaccard >= 0.5
=========  =========================================  ==========================================
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ..core.model import Document

BASELINES = ("rules", "spacy", "capitalised")
RESAMPLES = 1000
SEED = 0

#: layer -> (strict metric, lenient metric, lenient's name in the table)
HEADLINES = {
    "entities": ("strict", "partial", "partial"),
    "events": ("trigger_cls", "trigger_id", "trigger id"),
    "claims": ("claim_strict", "claim_overlap", "overlap"),
}


def load_gold_dataset(data_dir: Path) -> list[Document]:
    """The gold documents as users get them: ``datasets.load_dataset(data_dir, "documents")``,
    offline, in a fresh cache dir (``gold.read_dataset_folder``, what ``--gold data/`` reads)."""
    from ..annotation.gold import read_dataset_folder

    return read_dataset_folder(data_dir)


def error_kinds(gold: list[Document], pred: list[Document]) -> dict[str, Counter]:
    """Per layer, a Counter of error kinds (what an analyst reads first), built on the scorer's own
    outcomes (``scoring.outcomes.span_outcomes``), so that they add up to the strict figures:

    entities/events: ``missed T``, ``spurious T``, ``type G->P`` (same offsets, other type),
    ``boundary T`` (overlap, other offsets, same type), ``boundary+type G->P``; claims:
    ``missed``, ``spurious``, ``boundary``, and on the scorer's matched claims ``wrong source``,
    ``wrong cue``, ``wrong stance G->P``, ``wrong value`` (its source, cue, stance and value_exact
    errors). Documents of ``pred`` are matched to ``gold`` by id.
    """
    from .scoring.outcomes import span_outcomes

    out = {"entities": Counter(), "events": Counter(), "claims": Counter()}
    for r in span_outcomes(gold, pred):
        counter = out[r.layer]
        typed = r.layer != "claims"
        if r.outcome in ("missed", "duplicate"):
            counter[f"{r.outcome} {r.gold.label}" if typed else r.outcome] += 1
        elif r.outcome == "spurious":
            counter[f"spurious {r.pred.label}" if typed else "spurious"] += 1
        elif r.outcome == "boundary":
            counter[f"boundary {r.gold.label}" if typed else "boundary"] += 1
        elif r.outcome in ("type", "boundary+type"):
            counter[f"{r.outcome} {r.gold.label}->{r.pred.label}"] += 1
        for note in r.notes:
            counter[note.split(" (vs predicted")[0]] += 1
    return out


#: A name given with ``benchmark --predictions NAME=FILE``: it names the results file too.
EXTERNAL_NAME = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"


def analyse(name: str, gold: list[Document], preds: list[Document], notes: dict, *, resamples: int = RESAMPLES,
            seed: int = SEED) -> dict:
    """Score one system's predictions and count its error kinds: the result of one leaderboard row.
    Layers the system does not predict at all are listed in ``report["not_predicted"]`` and have
    no error list (every gold item would be a "missed" error)."""
    from .scoring.harness import score

    report = score(gold, preds, resamples=resamples, seed=seed)
    skipped = set(report.get("not_predicted", ()))
    errors = {layer: [[k, n] for k, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:10]]
              for layer, c in error_kinds(gold, preds).items() if layer not in skipped}
    return {"system": name, "notes": dict(sorted(notes.items())), "errors": errors, "report": report}


def run_benchmark(gold: list[Document], systems=BASELINES, *, resamples: int = RESAMPLES, seed: int = SEED,
                  progress=None, external: dict[str, tuple[list[Document], dict]] | None = None) -> dict[str, dict]:
    """Run, score and analyse every system on ``gold``: system -> result (JSON-ready).
    ``external``: name -> (predictions checked against ``gold``, notes), scored beside the
    baselines with the same metrics and error kinds (``benchmark --predictions NAME=FILE``)."""
    from .systems import run_system

    inputs = [Document(d.id, d.language, d.text) for d in gold]
    results = {}
    for name in systems:
        if progress:
            progress(f"running {name} on {len(inputs)} documents")
        preds, notes = run_system(name, inputs)
        if progress:
            progress(f"scoring {name} ({resamples} bootstrap resamples)")
        results[name] = analyse(name, gold, preds, notes, resamples=resamples, seed=seed)
    for name, (preds, notes) in (external or {}).items():
        if progress:
            progress(f"scoring {name} ({resamples} bootstrap resamples)")
        results[name] = analyse(name, gold, preds, notes, resamples=resamples, seed=seed)
    return results


def result_text(result: dict) -> str:
    """The bytes of one ``<system>.json`` results file."""
    return json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_results(results: dict[str, dict], out_dir: Path) -> list[Path]:
    """``<out_dir>/<system>.json`` for each system, atomically."""
    from ..core.io import atomic_write_text

    paths = []
    for name, result in results.items():
        path = Path(out_dir) / f"{name}.json"
        atomic_write_text(path, result_text(result))
        paths.append(path)
    return paths


def benchmark(project, *, data_dir: Path | None = None, gold_path: str | None = None, systems=(),
              resamples: int | None = None, out_dir: Path | None = None, external: dict[str, Path] | None = None,
              say=lambda msg: None, write: bool = True) -> tuple[dict[str, dict], list[Path]]:
    """``nkbench benchmark``: check that the project's ``data/`` is what its gold export makes and
    load it as users do (or read ``gold_path`` instead), run ``systems`` (default: every baseline),
    score them and the ``external`` predictions (name -> file) beside them, and write the results
    (unless ``write`` is false). Every input is checked before any system runs; ``say`` reports the
    steps. Returns (results, the files written)."""
    from ..annotation.gold import not_annotated, read_gold
    from ..annotation.seeds import load_seeds
    from ..core.errors import NkbenchError
    from ..core.io import output_target, refuse_same
    from ..dataset.build import check as check_files, load_inputs, render
    from .systems import check_name

    named = dict(external or {})
    for name in systems or BASELINES:  # unknown, or needing an extra that is not installed: said before any work
        check_name(name)
    results_dir = Path(out_dir or project.results_dir)
    if write:
        if results_dir.exists() and not results_dir.is_dir():  # found now, not after every system ran
            raise NkbenchError("is a file, expected the results folder", where=str(results_dir), hint="give a folder as --out-dir")
        for name in (*(systems or BASELINES), *named):
            output_target(results_dir / f"{name}.json")
        for name in (*(systems or BASELINES), *named):  # a results file must not replace a predictions file
            refuse_same(results_dir / f"{name}.json", *named.values(), what="results file")
    seeds = load_seeds(project.seeds_dir)
    if gold_path is not None:
        gold = read_gold(gold_path, project).documents
        say(f"[1/4] gold from {gold_path} ({project.relative(project.data_dir)} not used)")
        say(f"[2/4] loaded {len(gold)} gold documents from {gold_path}")
    else:
        data_dir = data_dir or project.data_dir
        if not Path(data_dir).is_dir():
            raise NkbenchError("no such folder" if not Path(data_dir).exists() else "is not a folder", where=str(data_dir),
                               hint="give the dataset folder `nkbench data build` wrote (--data)")
        inputs = load_inputs(project.seeds_dir, project.gold_export, default_entities=project.entities,
                             default_links=project.links, project=project)
        files = render(inputs)
        diffs = check_files(files, data_dir)
        if diffs:
            raise NkbenchError(f"{data_dir} is not what the gold export makes ({len(diffs)} differences, first: {diffs[0]})",
                               hint="rebuild it with `nkbench data build`")
        say(f"[1/4] {project.relative(data_dir)} is current ({len(files)} files)")
        gold = load_gold_dataset(data_dir)
        say(f"[2/4] loaded {len(gold)} gold documents with datasets.load_dataset({project.relative(data_dir)!r}, 'documents')")
    missing = not_annotated(seeds, gold)
    if missing:
        say(f"      {len(missing)} seed(s) not annotated yet, left out: {', '.join(missing)}")
    loaded = {}
    for name, path in named.items():  # every file checked before any system runs
        from .scoring.predictions import load_predictions

        preds, absent = load_predictions(path, gold)
        loaded[name] = (preds, {"gold documents missing from the predictions (scored as empty)": len(absent)} if absent else {})
        say(f"      {name}: {len(preds)} documents from {path}" + (f", {len(absent)} gold documents missing" if absent else ""))
    results = run_benchmark(gold, systems or BASELINES, resamples=RESAMPLES if resamples is None else resamples,
                            progress=lambda m: say(f"[3/4] {m}"), external=loaded)
    if not write:
        return results, []
    paths = write_results(results, results_dir)
    say(f"[4/4] wrote {', '.join(project.relative(p) for p in paths)}")
    return results, paths


def read_results(out_dir: Path) -> dict[str, dict]:
    """The committed results, in BASELINES order then by name."""
    from ..core.errors import NkbenchError
    from ..core.io import read_json

    paths = sorted(Path(out_dir).glob("*.json"))
    if not paths:
        raise NkbenchError("no benchmark results", where=str(out_dir), hint="run `nkbench benchmark`")
    found = {p.stem: read_json(p) for p in paths}
    order = [n for n in BASELINES if n in found] + sorted(n for n in found if n not in BASELINES)
    return {n: found[n] for n in order}


def _f(x) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _ci(ci) -> str:
    return "" if not ci or ci[0] is None else f" [{ci[0]:.2f}, {ci[1]:.2f}]"


def markdown(results: dict[str, dict]) -> str:
    """The leaderboard table (one row per system and layer) and each system's top error kinds."""
    langs = sorted({lang for r in results.values()
                    for lang in r["report"]["layers"]["entities"]["strict"].get("per_language", {})})
    head = ["system", "layer", "strict F1 [95% CI]", "lenient F1 [95% CI]", *(f"strict F1 {lang}" for lang in langs)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, r in results.items():
        layers = r["report"]["layers"]
        for layer, (strict, lenient, lenient_name) in HEADLINES.items():
            if layer in r["report"].get("not_predicted", ()):
                lines.append(f"| {name} | {layer} | not predicted | not predicted | " + " | ".join("" for _ in langs) + " |")
                continue
            s, l_ = layers[layer][strict], layers[layer][lenient]
            per_lang = [_f(s.get("per_language", {}).get(lang, {}).get("f1")) for lang in langs]
            lines.append(f"| {name} | {layer} | {_f(s['micro']['f1'])}{_ci(s['micro'].get('ci'))} | "
                         f"{_f(l_['micro']['f1'])}{_ci(l_['micro'].get('ci'))} ({lenient_name}) | " + " | ".join(per_lang) + " |")
    res = next(iter(results.values()))["report"]["resampling"]
    lines += ["", f"95% CIs: percentile bootstrap over {res['units']} gold {res['unit']}s, {res['resamples']} resamples, "
              f"seed {res['seed']}. n/a: nothing to count. Lenient: entities partial (overlap, credit 0.5), "
              "events trigger identification (span only), claims overlap (character Jaccard >= 0.5). "
              "not predicted: the system gives nothing in that layer.", "",
              "Most common errors per layer (count; the strict metrics' own outcomes, per span: `nkbench errors`):", ""]
    for name, r in results.items():
        parts = [f"{layer}: " + (", ".join(f"{k} ({n})" for k, n in r["errors"][layer][:3]) or "none")
                 if layer in r["errors"] else f"{layer}: not predicted" for layer in HEADLINES]
        lines.append(f"- **{name}**: " + "; ".join(parts))
    return "\n".join(lines) + "\n"


def markdown_block(project) -> str:
    """The README's leaderboard block, from the project's results."""
    return markdown(read_results(project.results_dir))
