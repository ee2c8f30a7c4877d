"""``nkbench run``: run one baseline system over the seeds (or a JSONL file) and write predictions."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ...core.errors import Errors, NkbenchError
from ...core.model import LAYERS, Document
from ...benchmark.systems.llm import DEFAULT_PROMPT
from .. import current_project


def _inputs(path: Path | None, split: str) -> list[Document]:
    """What ``--input`` names (``systems.load_documents``); the project's seeds of ``split`` when not given."""
    from ...benchmark.systems import load_documents

    return load_documents(path, current_project().seeds_dir if path is None else None, split)


LLM_OPTIONS = ("model", "base_url", "api_key_env", "prompt", "cache_dir", "concurrency", "timeout", "max_time",
               "retries", "temperature", "max_tokens", "seed", "json_mode")


@click.command(epilog="""\b
Examples:
  $ nkbench run --system rules --out rules.jsonl
  rules: 4 documents -> rules.jsonl
    mentions 266  events 68  cues 39  claims 57
    note: figures without a counted word (no numeric claim): 10
  $ nkbench run --system spacy-en --input seeds --out spacy-en.jsonl --quiet
\b
Systems: spacy, spacy-en, spacy-es, rules, capitalised, llm (see benchmark/systems.md).
\b
The llm system asks any OpenAI-compatible endpoint, with the key in $OPENAI_API_KEY (or the
variable --api-key-env names); answers are cached (default benchmark/llm/cache/), so the same
run again sends no request. Here against the tests' fake server (`python -m tests.fake_openai
--port 8765 --key sk-test`; OPENAI_API_KEY and MY_KEY set to sk-test), whose scripted model
marks a few country names; for a real endpoint see README.md, "Put a system on the leaderboard":
\b
  $ nkbench run --system llm --model fake-model --base-url http://127.0.0.1:8765/v1 --cache-dir llm-cache --out llm.jsonl
  llm: 4 documents -> llm.jsonl (model fake-model, prompt v2)
    mentions ...  events 0  cues 0  claims 0
    requests 4  cache hits 0  retries 0  tokens prompt ...  completion ...
    problems: none
    report: llm.report.json
  $ nkbench run --system llm --model fake-model --base-url http://127.0.0.1:8765/v1 --cache-dir llm-cache --out llm.jsonl
  llm: 4 documents -> llm.jsonl (model fake-model, prompt v2)
    mentions ...  events 0  cues 0  claims 0
    requests 0  cache hits 4  retries 0  tokens prompt 0  completion 0 (cached answers: prompt ...  completion ...)
    problems: none
    report: llm.report.json
  $ nkbench run --system llm --model fake-model --base-url http://127.0.0.1:8765/v1 --api-key-env MY_KEY --prompt v1 --concurrency 2 --timeout 30 --max-time 600 --retries 2 --temperature 0.2 --seed 7 --max-tokens 2000 --no-json-mode --cache-dir llm-cache --out llm-2.jsonl --quiet
\b
Every output problem of the model (invalid JSON, a quote not in the text, an unknown label, role
or reference ...) is counted per document in the report and never written as a prediction.
""")
@click.option("--system", "system_name", required=True, help="Baseline system name.")
@click.option("--input", "input_path", type=click.Path(path_type=Path), default=None,
              help="Seeds folder or JSONL of documents with text (default: the seeds).")
@click.option("--split", type=click.Choice(("test", "dev")), default="test", show_default=True,
              help="Which seeds: test (the benchmark's articles) or dev (the development articles); "
                   "a JSONL --input is taken whole.")
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Predictions file to write (JSON Lines, written atomically).")
@click.option("--with-text", is_flag=True, help="Keep each document's text in the output (default: omitted).")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("--model", default=None, help="llm: the model name the endpoint serves.")
@click.option("--base-url", default=None, help="llm: the endpoint's base URL (e.g. https://api.openai.com/v1); "
                                                "nothing else is contacted.")
@click.option("--api-key-env", default=None, help="llm: the environment variable holding the API key "
                                                  "[default: OPENAI_API_KEY]; never printed.")
@click.option("--prompt", default=None, help="llm: a prompt version under benchmark/llm/prompts/ or a prompt "
                                             f"folder [default: {DEFAULT_PROMPT}].")
@click.option("--cache-dir", type=click.Path(path_type=Path), default=None,
              help="llm: the answer cache [default: the project's benchmark/llm/cache].")
@click.option("--concurrency", type=int, default=None, help="llm: requests at once [default: 4].")
@click.option("--timeout", type=float, default=None, help="llm: seconds per request [default: 120].")
@click.option("--max-time", type=float, default=None, help="llm: seconds for the whole run [default: 3600].")
@click.option("--retries", type=int, default=None, help="llm: retries on 429, 5xx, timeouts and lost connections, "
                                                        "with exponential backoff [default: 4].")
@click.option("--temperature", type=float, default=None, help="llm: sampling temperature [default: 0].")
@click.option("--max-tokens", type=int, default=None, help="llm: the answer's token limit [default: 4096].")
@click.option("--seed", type=int, default=None, help="llm: the sampling seed sent to the endpoint [default: none sent].")
@click.option("--json-mode/--no-json-mode", default=None,
              help="llm: ask for response_format json_object [default: yes]; turn off for servers without it.")
def run(system_name: str, input_path: Path | None, split: str, out_path: Path, with_text: bool, quiet: bool, **llm) -> None:
    """Run a baseline system and write its predictions as JSON Lines (one document per line)."""
    from ...core.io import atomic_write_bytes, documents_jsonl
    from ...benchmark.systems import check_name, run_system

    from ...core.io import output_target, refuse_same

    check_name(system_name)  # an unknown name fails before any work, with a did-you-mean hint
    if system_name == "llm":
        return run_llm(input_path, split, out_path, with_text, quiet, llm)
    given = [k for k in LLM_OPTIONS if llm[k] is not None]
    if given:
        raise NkbenchError(f"--{given[0].replace('_', '-')} is an option of --system llm only", where=f"--system {system_name}", code=Errors.E819)
    refuse_same(out_path, input_path)
    output_target(out_path)
    docs = _inputs(input_path, split)
    progress = not quiet and sys.stderr.isatty() and len(docs) > 1
    preds, notes = run_system(system_name, docs, progress=progress)
    if not preds:
        raise NkbenchError(f"system {system_name!r} has no document of its languages in the input",
                           where=str(input_path or "seeds"), hint="choose a system covering the input's languages", code=Errors.E820)
    atomic_write_bytes(out_path, documents_jsonl(preds, with_text=with_text))
    if not quiet:
        counts = {layer: sum(len(getattr(d, layer)) for d in preds) for layer in LAYERS}
        click.echo(f"{system_name}: {len(preds)} documents -> {out_path}", err=True)
        click.echo("  " + "  ".join(f"{k} {v}" for k, v in counts.items()), err=True)
        for note, n in sorted(notes.items()):
            click.echo(f"  note: {note}: {n}", err=True)


def parse_external(values: tuple[str, ...]) -> dict[str, Path]:
    """``("mine=preds.jsonl", ...)`` -> {"mine": Path("preds.jsonl")}: names are unique, not a
    baseline's, and usable as a file name; each file is given once."""
    import re

    from ...benchmark.leaderboard import EXTERNAL_NAME
    from ...benchmark.systems import SYSTEMS

    out: dict[str, Path] = {}
    for value in values:
        name, eq, path = value.partition("=")
        name = name.strip()
        if not eq or not path:
            raise click.BadParameter(f"{value!r} is not NAME=FILE (e.g. mine=predictions.jsonl)", param_hint="--predictions")
        if not re.fullmatch(EXTERNAL_NAME, name):
            raise click.BadParameter(f"name {name!r}: use letters, digits, '_', '.', '-' (it names the results file), "
                                     "starting with a letter or digit", param_hint="--predictions")
        if name in SYSTEMS:
            raise click.BadParameter(f"name {name!r} is a baseline's; give your system another name", param_hint="--predictions")
        if name in out:
            raise click.BadParameter(f"name {name!r} given twice", param_hint="--predictions")
        if Path(path) in out.values():
            raise click.BadParameter(f"file {path!r} given twice", param_hint="--predictions")
        out[name] = Path(path)
    return out


def run_llm(input_path: Path | None, split: str, out_path: Path, with_text: bool, quiet: bool, opts: dict) -> None:
    """``nkbench run --system llm``: predictions plus a report beside them (``<out stem>.report.json``)."""
    import math

    from ...core.io import atomic_write_many, documents_jsonl, dumps, output_target, refuse_same
    from ...benchmark.systems.llm import DEFAULT_PROMPT, LLMConfig, LLMSystem, PROBLEM_KINDS, report, report_path

    for name in ("model", "base_url"):
        if not opts[name]:
            raise NkbenchError(f"--system llm needs --{name.replace('_', '-')}",
                               hint="e.g. --model gpt-4o-mini --base-url https://api.openai.com/v1", code=Errors.E821)
    for name, low in (("concurrency", 1), ("retries", 0), ("max_tokens", 1)):
        if opts[name] is not None and opts[name] < low:
            raise NkbenchError(f"--{name.replace('_', '-')} must be at least {low}, got {opts[name]}", code=Errors.E822)
    for name in ("timeout", "max_time"):
        if opts[name] is not None and not (math.isfinite(opts[name]) and opts[name] > 0):
            raise NkbenchError(f"--{name.replace('_', '-')} must be a positive number of seconds, got {opts[name]}", code=Errors.E823)
    if opts["temperature"] is not None and not (math.isfinite(opts["temperature"]) and 0 <= opts["temperature"] <= 2):
        raise NkbenchError(f"--temperature must be between 0 and 2, got {opts['temperature']}", code=Errors.E824)
    prompt = opts["prompt"] or DEFAULT_PROMPT
    if "/" in prompt or prompt in (".", ".."):
        prompt_dir = Path(prompt)
    else:
        prompt_dir = current_project().llm_prompts_dir / prompt
    cache_dir = opts["cache_dir"] or current_project().llm_cache_dir
    if cache_dir.exists() and not cache_dir.is_dir():
        raise NkbenchError("is not a folder", where=f"--cache-dir {cache_dir}", code=Errors.E825)
    defaults = LLMConfig("", "")
    config = LLMConfig(
        model=opts["model"], base_url=opts["base_url"], api_key_env=opts["api_key_env"] or defaults.api_key_env,
        prompt_dir=prompt_dir, cache_dir=cache_dir,
        **{k: (opts[k] if opts[k] is not None else getattr(defaults, k))
           for k in ("concurrency", "timeout", "max_time", "retries", "temperature", "max_tokens", "seed", "json_mode")})
    report_file = report_path(out_path)
    refuse_same(out_path, input_path)
    refuse_same(report_file, input_path, what="the report")
    output_target(out_path)
    output_target(report_file)
    system = LLMSystem(config)  # checks the URL, the key and the prompt before any document is read
    docs = _inputs(input_path, split)
    progress = not quiet and sys.stderr.isatty() and len(docs) > 1
    results = system.run(docs, progress=progress)
    preds = [r.parsed.document for r in results if r.parsed is not None]
    failed = [r for r in results if r.parsed is None]
    if not preds:
        first = failed[0]
        raise NkbenchError(f"no document was predicted ({len(failed)} failed; first, {first.id!r}: {first.failure})",
                           where=system.base_url, hint="check --base-url, --model and the server; a rerun asks again", code=Errors.E826)
    rep = report(system, results)
    atomic_write_many({out_path: documents_jsonl(preds, with_text=with_text),
                       report_file: dumps(rep).encode("utf-8")})
    say = lambda msg: click.echo(msg, err=True)  # noqa: E731
    t = rep["totals"]
    if not quiet:
        counts = {layer: sum(len(getattr(d, layer)) for d in preds) for layer in LAYERS}
        say(f"llm: {len(preds)} documents -> {out_path} (model {config.model}, prompt {system.prompt.version})")
        say("  " + "  ".join(f"{k} {v}" for k, v in counts.items()))
        say(f"  requests {t['requests_answered']}  cache hits {t['cache_hits']}  retries {t['retries']}  "
            f"tokens prompt {t['tokens']['prompt']}  completion {t['tokens']['completion']}"
            + (f" (cached answers: prompt {t['tokens_from_cache']['prompt']}  completion {t['tokens_from_cache']['completion']})"
               if t["cache_hits"] else ""))
        say("  problems: " + (", ".join(f"{k} {n}" for k, n in t["problems"].items()) or "none"))
        for d in rep["documents"]:
            if d.get("problems"):
                say(f"    {d['id']}: " + ", ".join(f"{k} {d['problems'][k]}" for k in PROBLEM_KINDS if k in d["problems"]))
        for note, n in {**t["notes"], **dict(system.notes)}.items():
            if note != "retries":
                say(f"  note: {note}: {n}")
    for r in failed:
        say(f"  failed: {r.id}: {r.failure} (not in the output; a rerun asks again)")
    if not quiet:
        say(f"  report: {report_file}")


@click.command(epilog="""\b
Example:
  $ nkbench benchmark
  [1/4] data is current (8 files)
  [2/4] loaded 4 gold documents with datasets.load_dataset('data', 'documents')
        and 8 development documents with datasets.load_dataset('data', 'dev')
  [3/4] running rules on 4 documents
  [3/4] scoring rules (1000 bootstrap resamples)
  ...
  [3/4] dev: running rules on 8 documents
  ...
  [4/4] wrote benchmark/results/rules.json, benchmark/results/spacy.json, benchmark/results/capitalised.json, benchmark/results/dev/rules.json, benchmark/results/dev/spacy.json, benchmark/results/dev/capitalised.json
  | system | layer | test strict F1 [95% CI] | test lenient F1 [95% CI] | test strict F1 en | test strict F1 es | dev strict F1 [95% CI] | dev lenient F1 [95% CI] |
  |---|---|---|---|---|---|---|---|
  | rules | entities | 0.875 [0.83, 0.92] | 0.960 [0.94, 0.98] (partial) | 0.899 | 0.859 | 0.985 [0.97, 1.00] | 0.990 [0.98, 1.00] (partial) |
  ...
  $ nkbench benchmark --gold annotation/gold_export.json --system rules --out-dir results
  [1/4] gold from annotation/gold_export.json (data not used)
  [2/4] loaded 4 gold documents from annotation/gold_export.json
  ...
  [4/4] wrote results/rules.json
  ...
\b
Your own system beside the baselines (same metrics, same error kinds; written as
benchmark/results/NAME.json; a layer it gives nothing in is "not predicted"):
  $ nkbench run --system capitalised --out mine.jsonl --quiet
  $ nkbench benchmark --system rules --predictions mine=mine.jsonl --resamples 100
  ...
  | mine | entities | 0.390 [0.32, 0.46] | 0.700 [0.65, 0.74] (partial) | 0.441 | 0.351 | not run | not run |
  | mine | events | not predicted | not predicted |  |  | not run | not run |
  | mine | claims | not predicted | not predicted |  |  | not run | not run |
  ...
""")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="The dataset folder [default: the project's data/].")
@click.option("--gold", "gold_path", metavar="GOLD", default=None,
              help="Score against this gold instead of the project's dataset (a dataset folder, a Hub id ORG/NAME, "
                   "a Label Studio JSON export or JSON Lines of documents, recognised from the content); "
                   "data/ is then neither checked nor loaded.")
@click.option("--system", "systems", multiple=True, help="Only these systems (repeatable) [default: every baseline].")
@click.option("--resamples", type=click.IntRange(1, 1_000_000), default=None,
              help="Bootstrap resamples, 1..1000000 [default: 1000].")
@click.option("--out-dir", type=click.Path(path_type=Path), default=None,
              help="Results folder [default: the project's benchmark/results].")
@click.option("--predictions", "external", multiple=True, metavar="NAME=FILE",
              help="Your system's predictions (benchmark/PREDICTIONS.md), scored beside the baselines with the same "
                   "metrics and error kinds and written as <out-dir>/NAME.json (repeatable).")
def benchmark(data_dir: Path | None, gold_path: str | None, systems: tuple[str, ...], resamples: int | None,
              out_dir: Path | None, external: tuple[str, ...]) -> None:
    """Check and load the dataset, run every baseline (and score your predictions beside them),
    write the results, print the leaderboard."""
    from ...benchmark import leaderboard as lb
    from ...benchmark.systems import check_name

    for name in systems:  # an unknown name: said before anything else
        check_name(name)
    named = parse_external(external)
    results, dev_results, paths = lb.benchmark(current_project(), data_dir=data_dir, gold_path=gold_path, systems=systems,
                                               resamples=resamples, out_dir=out_dir, external=named,
                                               say=lambda msg: click.echo(msg, err=True))
    click.echo(lb.markdown(results, dev_results or None), nl=False)
