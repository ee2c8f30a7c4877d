"""The benchmark: every baseline on the dataset as ``datasets`` loads it, scored, with its errors.

``run_benchmark`` is pure over Documents (systems in, reports out); the gold is read by
``gold.read_gold`` and ``write_results`` is the I/O edge; ``benchmark`` is the whole of ``nkbench benchmark``
(and of the results step of ``nkbench regen``): inputs checked, ``data/`` checked and loaded, systems run
and scored on the test articles and, apart, on the development articles (``results/dev/``). Results go to ``benchmark/results/<system>.json`` (no
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


#: Where the development articles' results go, inside the results folder (never mixed with test).
DEV_DIR = "dev"


def has_dev(data_dir: Path) -> bool:
    """Whether the dataset folder has the ``dev`` config (annotated development articles)."""
    from ..dataset.features import DEV_CONFIG
    from ..dataset.folder import CARD, _front_matter

    configs = _front_matter(Path(data_dir) / CARD).get("configs") or []
    return any(isinstance(c, dict) and c.get("config_name") == DEV_CONFIG for c in configs)


def error_kinds(gold: list[Document], pred: list[Document]) -> dict[str, Counter]:
    """Per layer, a Counter of error kinds (what an analyst reads first), built on the scorer's own
    outcomes (``scoring.outcomes.span_outcomes``), so that they add up to the strict figures:

    entities/events: ``missed T``, ``spurious T``, ``type G->P`` (same offsets, other type),
    ``boundary T`` (overlap, other offsets, same type), ``boundary+type G->P``; claims:
    ``missed``, ``spurious``, ``boundary``, and on the scorer's matched claims ``wrong source``,
    ``wrong cue``, ``wrong stance G->P``, ``wrong value`` (its source, cue, stance and value_exact
    errors). Documents of ``pred`` are matched to ``gold`` by id.

    The sum identity (tested on random documents): per layer, the ``missed`` kinds plus the pair
    kinds (``type``, ``boundary``, ``boundary+type``) are the strict metric's false negatives, the
    ``spurious`` kinds plus the pair kinds its false positives; the ``wrong ...`` kinds are the
    claim attribute accuracies' incorrect items. A gold ``duplicate`` (a key the set-algebra metric
    counts once) is no error of the score and is not counted.
    """
    from .scoring.outcomes import span_outcomes

    out = {"entities": Counter(), "events": Counter(), "claims": Counter()}
    for r in span_outcomes(gold, pred):
        counter = out[r.layer]
        typed = r.layer != "claims"
        if r.outcome == "duplicate":  # a key the metric counts once: not an error of the score
            continue
        if r.outcome == "missed":
            counter[f"missed {r.gold.label}" if typed else "missed"] += 1
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
              say=lambda msg: None, write: bool = True) -> tuple[dict[str, dict], dict[str, dict], list[Path]]:
    """``nkbench benchmark``: check that the project's ``data/`` is what its gold export makes and
    load it as users do (or read ``gold_path`` instead), run ``systems`` (default: every baseline),
    score them and the ``external`` predictions (name -> file) beside them on the test articles, and
    the systems alone on the development articles (the dataset's ``dev`` config, when it has one;
    never with ``gold_path``), and write the results (unless ``write`` is false): the test ones in
    the results folder, the dev ones in its ``dev/``. Every input is checked before any system runs;
    ``say`` reports the steps. Returns (test results, dev results, the files written)."""
    from ..annotation.gold import not_annotated, read_gold
    from ..annotation.seeds import load_seeds
    from ..core.errors import Errors, NkbenchError
    from ..core.io import output_target, refuse_same
    from ..dataset.build import check as check_files, load_inputs, render
    from .systems import check_name

    named = dict(external or {})
    for name in systems or BASELINES:  # unknown, or needing an extra that is not installed: said before any work
        check_name(name)
    results_dir = Path(out_dir or project.results_dir)
    if write:
        if results_dir.exists() and not results_dir.is_dir():  # found now, not after every system ran
            raise NkbenchError("is a file, expected the results folder", where=str(results_dir), hint="give a folder as --out-dir",
                               code=Errors.E827)
        for name in (*(systems or BASELINES), *named):
            output_target(results_dir / f"{name}.json")
        for name in (*(systems or BASELINES), *named):  # a results file must not replace a predictions file
            refuse_same(results_dir / f"{name}.json", *named.values(), what="results file")
    seeds = load_seeds(project.seeds_dir)
    dev_gold: list = []  # the development articles (the dataset's dev config), scored apart, never with test
    if gold_path is not None:
        gold = read_gold(gold_path, project).documents
        say(f"[1/4] gold from {gold_path} ({project.relative(project.data_dir)} not used)")
        say(f"[2/4] loaded {len(gold)} gold documents from {gold_path}")
    else:
        data_dir = data_dir or project.data_dir
        if not Path(data_dir).is_dir():
            raise NkbenchError("no such folder" if not Path(data_dir).exists() else "is not a folder", where=str(data_dir),
                               hint="give the dataset folder `nkbench data build` wrote (--data)", code=Errors.E828)
        inputs = load_inputs(project.seeds_dir, project.gold_export, default_entities=project.entities,
                             default_links=project.links, project=project)
        files = render(inputs)
        diffs = check_files(files, data_dir)
        if diffs:
            raise NkbenchError(f"{data_dir} is not what the gold export makes ({len(diffs)} differences, first: {diffs[0]})",
                               hint="rebuild it with `nkbench data build`", code=Errors.E829)
        say(f"[1/4] {project.relative(data_dir)} is current ({len(files)} files)")
        gold = read_gold(data_dir).documents
        say(f"[2/4] loaded {len(gold)} gold documents with datasets.load_dataset({project.relative(data_dir)!r}, 'documents')")
        if has_dev(data_dir):
            dev_gold = read_gold(data_dir, split="dev").documents
            say(f"      and {len(dev_gold)} development documents with datasets.load_dataset({project.relative(data_dir)!r}, 'dev')")
    for split, docs in (("test", gold), ("dev", dev_gold)):
        missing = not_annotated({k: s for k, s in seeds.items() if s.split == split}, docs)
        if missing:
            say(f"      {len(missing)} {split} seed(s) not annotated yet, left out: {', '.join(missing)}")
    loaded = {}
    for name, path in named.items():  # every file checked before any system runs
        from .scoring.predictions import load_predictions

        preds, absent = load_predictions(path, gold)
        loaded[name] = (preds, {"gold documents missing from the predictions (scored as empty)": len(absent)} if absent else {})
        say(f"      {name}: {len(preds)} documents from {path}" + (f", {len(absent)} gold documents missing" if absent else ""))
    rounds = RESAMPLES if resamples is None else resamples
    results = run_benchmark(gold, systems or BASELINES, resamples=rounds, progress=lambda m: say(f"[3/4] {m}"), external=loaded)
    dev_results = run_benchmark(dev_gold, systems or BASELINES, resamples=rounds,
                                progress=lambda m: say(f"[3/4] dev: {m}")) if dev_gold else {}
    if not write:
        return results, dev_results, []
    paths = write_results(results, results_dir) + write_results(dev_results, results_dir / DEV_DIR)
    say(f"[4/4] wrote {', '.join(project.relative(p) for p in paths)}")
    return results, dev_results, paths


def read_results(out_dir: Path, *, required: bool = True) -> dict[str, dict]:
    """The committed results, in BASELINES order then by name (``{}`` when there are none and not ``required``)."""
    from ..core.errors import Errors, NkbenchError
    from ..core.io import read_json

    paths = sorted(Path(out_dir).glob("*.json"))
    if not paths and not required:
        return {}
    if not paths:
        raise NkbenchError("no benchmark results", where=str(out_dir), hint="run `nkbench benchmark`", code=Errors.E526)
    found = {p.stem: read_json(p) for p in paths}
    order = [n for n in BASELINES if n in found] + sorted(n for n in found if n not in BASELINES)
    return {n: found[n] for n in order}


def _f(x) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _ci(ci) -> str:
    return "" if not ci or ci[0] is None else f" [{ci[0]:.2f}, {ci[1]:.2f}]"


def _cells(r: dict | None, layer: str) -> tuple[str, str]:
    """(strict, lenient) cells of one system's layer: F1 with its interval, "not predicted" or "not run"."""
    if r is None:
        return "not run", "not run"
    if layer in r["report"].get("not_predicted", ()):
        return "not predicted", "not predicted"
    strict, lenient, lenient_name = HEADLINES[layer]
    s, l_ = r["report"]["layers"][layer][strict], r["report"]["layers"][layer][lenient]
    return (f"{_f(s['micro']['f1'])}{_ci(s['micro'].get('ci'))}",
            f"{_f(l_['micro']['f1'])}{_ci(l_['micro'].get('ci'))} ({lenient_name})")


def markdown(results: dict[str, dict], dev: dict[str, dict] | None = None) -> str:
    """The leaderboard table (one row per system and layer) and each system's top error kinds on
    the test articles; with ``dev`` (results on the development articles), their strict and lenient
    F1 in two more columns, so that a system tuned on dev shows what it keeps on test."""
    langs = sorted({lang for r in results.values()
                    for lang in r["report"]["layers"]["entities"]["strict"].get("per_language", {})})
    test = "test " if dev else ""
    head = ["system", "layer", f"{test}strict F1 [95% CI]", f"{test}lenient F1 [95% CI]",
            *(f"{test}strict F1 {lang}" for lang in langs), *(("dev strict F1 [95% CI]", "dev lenient F1 [95% CI]") if dev else ())]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in [*results, *(n for n in dev or {} if n not in results)]:
        r = results.get(name)
        for layer, (strict, _, _) in HEADLINES.items():
            cells = list(_cells(r, layer))
            if r is None or layer in r["report"].get("not_predicted", ()):
                cells += ["" for _ in langs]
            else:
                s = r["report"]["layers"][layer][strict]
                cells += [_f(s.get("per_language", {}).get(lang, {}).get("f1")) for lang in langs]
            if dev:
                cells += list(_cells(dev.get(name), layer))
            lines.append(f"| {name} | {layer} | " + " | ".join(cells) + " |")
    res = next(iter(results.values()))["report"]["resampling"]
    lines += ["", f"95% CIs: percentile bootstrap over {res['units']} gold {res['unit']}s, {res['resamples']} resamples, "
              f"seed {res['seed']}. n/a: nothing to count. Lenient: entities partial (overlap, credit 0.5), "
              "events trigger identification (span only), claims overlap (character Jaccard >= 0.5). "
              "not predicted: the system gives nothing in that layer."]
    if dev:
        d = next(iter(dev.values()))["report"]
        lines[-1] += (f" dev: the {d['documents']['gold']} synthetic development articles "
                      f"(the dataset's `dev` config; bootstrap over {d['resampling']['units']} gold "
                      f"{d['resampling']['unit']}s), on which the baselines may be tuned; not run: no predictions "
                      "for those articles.")
    lines += ["", "Most common errors per layer" + (" on test" if dev else "")
              + " (count; the strict metrics' own outcomes, per span: `nkbench errors`):", ""]
    for name, r in results.items():
        parts = [f"{layer}: " + (", ".join(f"{k} ({n})" for k, n in r["errors"][layer][:3]) or "none")
                 if layer in r["errors"] else f"{layer}: not predicted" for layer in HEADLINES]
        lines.append(f"- **{name}**: " + "; ".join(parts))
    return "\n".join(lines) + "\n"


def markdown_block(project) -> str:
    """The README's leaderboard block, from the project's results (test, and dev when there are)."""
    return markdown(read_results(project.results_dir),
                    read_results(Path(project.results_dir) / DEV_DIR, required=False) or None)
