"""Time boardpack stage by stage and as a whole, against the straightforward reference build.

    make bench                                          # sample, medium5 and medium, cold
    .venv/bin/python benchmarks/run.py --scales sample,small,medium,large --runs 3

Scales: ``sample`` is the shipped inputs/ with the default template; ``small``, ``medium5``,
``medium`` and ``large`` are written by make_data.py on first use. Each run of a
scale measures, each in a fresh process:

1. start-up + imports: ``python -c "import boardpack.pipeline, boardpack.charts, …"``;
2. the stages: this file with ``--stages`` imports everything, then calls load_inputs,
   validate_tables, the history read (open_history + fill_from_history), summarise,
   draw_charts, render_pack, the exports, write_run and record_run once each, timing each
   call (peak MB there is the process's peak so far); then, outside the sum, the history
   read again with the run just recorded (a repeat run's read) and a fill of the as-at
   rows alone (a living sheet: every earlier period from the history);
3. ``generate_report.py validate``;
4. ``generate_report.py generate`` into a fresh output folder (so no cache, and a new history);
5. the same ``generate`` again into the same folder: the "repeat run" (warm cache, one run in
   the history);
6. ``generate --no-history`` into another fresh folder, first or second in turn with 4: what the
   history costs a whole run (measure ``history``);
7. benchmarks/reference_build.py on the same data.

Runs are interleaved, and the reference goes first on every other run, so noise on a
shared machine falls on both sides; the table shows medians (min–max) and the ratio
reference ÷ ours of the medians. Peak MB is the largest of the process's own peak
RSS (``os.wait4``) and, when it starts worker processes, the sum of PSS over it and
its children, sampled every 0.1 s or more
seldom when sampling is costly (it is kept under ~5% of one core). A stage or command that does not exist yet, or
fails, shows "n/a" (the reason goes to stderr). The code timed is a copy of
boardpack/ (with its template), generate_report.py and inputs/ taken at the start (``--live``
times the working tree), so edits made during a long run do not mix versions.
Bytecode is cached under benchmarks/data/.pycache (PYTHONPYCACHEPREFIX) as on a
normal install. Raw results go to benchmarks/data/results/.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import inspect
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CODE = Path(os.environ.get("BENCH_CODE", ROOT))  # the copy of the code being timed (see snapshot())
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(CODE))

PY = sys.executable
STAGES = ("load", "validate", "history_read", "summarise", "charts", "pdf", "exports", "write", "history_write")
HISTORY_EXTRA = ("history_reread", "history_living")  # timed by --stages, outside the sum of stages
IMPORTS = (
    "boardpack.pipeline",
    "boardpack.load",
    "boardpack.validate",
    "boardpack.history",
    "boardpack.history_fill",
    "boardpack.summarise",
    "boardpack.charts",
    "boardpack.charts.draw",
    "boardpack.pdf",
    "boardpack.exports",
    "boardpack.write",
    "pptx",
    "openpyxl",
    "generate_report",
)
DEFAULT_RUNS = {"sample": 5, "small": 5, "medium5": 3, "medium": 3, "large": 2}
# The goals (docs/performance.md): seconds and MB for a cold `generate`; "ratio" is ours ÷ the reference
# build (medians of the same run, alternating); "repeat" is a warm run ÷ the cold one.
GOALS = {
    "sample": {"ratio": 1 / 2, "validate": 1, "pdf_mb": 2, "repeat": 0.4},
    "small": {"repeat": 0.4},
    "medium5": {"ratio": 1 / 3, "peak": 300, "repeat": 0.4},
    "medium": {"ratio": 1 / 3, "peak": 300, "pdf_mb": 5, "repeat": 0.4, "history": 0.05},
    "large": {"generate": 40, "peak": 1024, "validate": 3, "repeat": 0.4},
}


# --- measuring a process ----------------------------------------------------------------------


@dataclass
class Proc:
    seconds: float
    peak_mb: float
    ok: bool
    stdout: str = field(repr=False, default="")
    stderr: str = field(repr=False, default="")
    largest_process_mb: float = 0.0  # ru_maxrss of the biggest single process (kept in the raw results)
    tree_mb: float = 0.0  # sampled PSS sum over the process and its children; 0 when it had none


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found + [g for c in found for g in _children(c)]


def _pss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("Pss:")) / 1024
    except (OSError, StopIteration, ValueError):
        return 0.0


class TreeSampler(threading.Thread):
    """Peak total PSS of a process and its children, looked at only while it has children.

    Reading PSS makes the kernel walk every page of a process (tens of ms for a big one),
    so the pause between samples grows with the cost of a sample: at most ~5% of one core.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        pause = 0.1
        while not self.done.wait(pause):
            children = _children(self.pid)
            if children:
                started = time.perf_counter()
                self.peak_mb = max(self.peak_mb, sum(_pss_mb(p) for p in (self.pid, *children)))
                pause = max(0.1, 19 * (time.perf_counter() - started))


def _stop(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, 9)  # the process group we started: the command and any workers it spawned


def run_process(cmd: list[str], timeout: float, env: dict) -> Proc:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=CODE, stdout=out, stderr=err, env=env, start_new_session=True)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        killer = threading.Timer(timeout, _stop, (proc.pid,))
        killer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        killer.cancel()
        sampler.done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        why = "timed out" if proc.returncode == -9 else f"exit {proc.returncode}"
        log(
            f"    ! {' '.join(Path(c).name if '/' in c else c for c in cmd[1:3])} {why}: "
            f"{(stderr.strip() or stdout.strip())[-600:]}"
        )
    return Proc(
        seconds,
        max(usage.ru_maxrss / 1024, sampler.peak_mb),
        proc.returncode == 0,
        stdout,
        stderr,
        usage.ru_maxrss / 1024,
        sampler.peak_mb,
    )


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- the stages, in a fresh process (``run.py --stages``) --------------------------------------


def stages_worker(inputs: str, template: str, output: str) -> None:
    """Import everything, then time each stage function once; print the times as JSON."""
    times: dict[str, float | None] = {}
    peaks: dict[str, float] = {}
    facts: dict[str, object] = {}
    start = time.perf_counter()
    mods = {}
    for name in IMPORTS:
        try:
            mods[name] = importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 -- a module that does not exist yet
            print(f"import {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    times["imports"] = time.perf_counter() - start

    def stage(name: str, call):
        started = time.perf_counter()
        try:
            value = call()
        except Exception as exc:  # noqa: BLE001 -- a stage missing or broken: n/a, keep going
            print(f"stage {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            times[name] = None
            return None
        times[name] = time.perf_counter() - started
        peaks[name] = (
            max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
        )
        return value

    def need(*values):
        if any(v is None for v in values):
            raise RuntimeError("an earlier stage is n/a")

    from boardpack.config import load_config
    from boardpack.model import CoverOptions

    config = load_config(template)
    loaded = stage("load", lambda: mods["boardpack.load"].load_inputs(inputs, config))
    validated = stage("validate", lambda: need(loaded) or mods["boardpack.validate"].validate_tables(loaded, config))
    history_path = Path(output) / "history.sqlite"

    def read_history(rows):
        need(rows)
        with mods["boardpack.history"].open_history(history_path) as history:
            return mods["boardpack.history_fill"].fill_from_history(rows, history, config)

    used = stage("history_read", lambda: read_history(validated))
    summary = stage("summarise", lambda: need(used) or mods["boardpack.summarise"].summarise(used, config))
    drawn = stage("charts", lambda: need(summary) or mods["boardpack.charts"].draw_charts(summary, config))
    charts = getattr(drawn, "charts", drawn)  # draw_charts may return a set of charts with counts

    def pdf():
        need(charts)
        pipeline = mods["boardpack.pipeline"]
        cover = CoverOptions(meeting_date=pipeline.default_meeting_date(validated.as_at, config))
        render_pack = mods["boardpack.pdf"].render_pack
        accepted = inspect.signature(render_pack).parameters  # pass what the pipeline passes, as far as accepted
        extra = {k: v for k, v in (("notes", validated.notes), ("skipped", validated.skipped)) if k in accepted}
        return render_pack(summary, charts, config, cover, validated.sources, **extra)

    pack = stage("pdf", pdf)

    def exports():
        need(charts)
        ex = mods["boardpack.exports"]
        files = ex.chart_files(charts)
        files["slides.pptx"] = ex.slide_deck(charts, summary, config)
        files["summary.xlsx"] = ex.summary_workbook(summary, config)
        files["summary.json"] = ex.summary_json(summary)
        return files

    files = stage("exports", exports)
    written = stage(
        "write",
        lambda: (
            need(files)
            or mods["boardpack.write"].write_run(
                Path(output) / "run", {**files, **({"board-pack.pdf": pack.pdf} if pack else {})}
            )
        ),
    )
    stage(
        "history_write",
        lambda: (
            need(written)
            or mods["boardpack.history"].record_run(history_path, validated, command="generate", folder=written.name)
        ),
    )

    def living(rows):  # only the as-at rows, as a living sheet holds: every earlier period from the history
        import dataclasses

        need(rows)
        as_at = lambda frame: frame[frame["period"].map(lambda p: p == rows.as_at).astype(bool)]  # noqa: E731
        alone = dataclasses.replace(
            rows, activities=as_at(rows.activities), metrics=as_at(rows.metrics), periods=(rows.as_at,)
        )
        filled = read_history(alone)
        facts["history_living_rows"] = len(filled.activities) - len(alone.activities)
        return filled

    if "history_write" in times and times["history_write"] is not None:
        stage("history_reread", lambda: read_history(validated))
        stage("history_living", lambda: living(validated))
        facts["history_mb"] = round(history_path.stat().st_size / 1e6, 2)
    if charts is not None:
        facts["charts"] = len(charts)
    if pack is not None:
        facts.update(pages=pack.page_count, pdf_bytes=len(pack.pdf))
    print(json.dumps({"times": times, "peaks": peaks, "facts": facts}))


# --- one scale ---------------------------------------------------------------------------------


def scale_paths(name: str) -> tuple[Path, Path, dict]:
    if name == "sample":
        inputs = CODE / "inputs"
        return (
            inputs,
            CODE / "boardpack" / "templates" / "board_report.toml",
            {"scale": "sample", "files": {p.name: {} for p in inputs.iterdir() if p.suffix in (".xlsx", ".csv")}},
        )
    import make_data

    folder = make_data.ensure(name)
    return folder / "inputs", folder / "template.toml", json.loads((folder / "manifest.json").read_text())


def bench_scale(name: str, runs: int, measure: set[str], timeout: float, env: dict) -> dict:
    inputs, template, manifest = scale_paths(name)
    common = ["--inputs", str(inputs), "--template", str(template)]
    result: dict = {"scale": name, "runs": runs, "manifest": manifest, "samples": {}, "facts": {}, "ref_facts": {}}
    samples = result["samples"]

    def add(key: str, seconds: float | None, peak: float | None = None, detail: dict | None = None) -> None:
        samples.setdefault(key, {"s": [], "mb": []})
        if seconds is not None:
            samples[key]["s"].append(seconds)
        if peak is not None:
            samples[key]["mb"].append(peak)
        if detail:
            samples[key].setdefault("detail", []).append(detail)

    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-", dir=HERE / "data") as scratch:
        for i in range(runs):
            log(f"  {name}: run {i + 1} of {runs}")
            out = Path(scratch) / f"run{i}"
            ours, ref = [], []
            if "imports" in measure:
                ours.append(
                    lambda: add(
                        "imports", *_proc(run_process([PY, "-c", "import " + ", ".join(IMPORTS)], timeout, env))
                    )
                )
            if "stages" in measure:

                def stages(out=out):
                    p = run_process(
                        [PY, str(HERE / "run.py"), "--stages", *common, "--output", str(out / "stages")], timeout, env
                    )
                    data = _last_json(p.stdout) if p.ok else None
                    for stage in (*STAGES, *HISTORY_EXTRA):
                        add(stage, (data or {}).get("times", {}).get(stage), (data or {}).get("peaks", {}).get(stage))
                    if data:
                        add("stages", sum(data["times"][s] for s in STAGES if data["times"].get(s) is not None))
                        result["facts"].update(data.get("facts", {}))

                ours.append(stages)
            if "validate" in measure:
                ours.append(
                    lambda: add(
                        "validate-process",
                        *_proc(run_process([PY, "generate_report.py", "validate", *common], timeout, env)),
                    )
                )
            if "generate" in measure:

                def generate(out=out, i=i):
                    command = [PY, "generate_report.py", "generate", *common, "--output", str(out / "ours")]
                    plain = [
                        PY,
                        "generate_report.py",
                        "generate",
                        *common,
                        "--output",
                        str(out / "plain"),
                        "--no-history",
                    ]
                    if "history" in measure and i % 2:  # --no-history first on every other run
                        add("generate-no-history", *_proc(run_process(plain, timeout, env)))
                    first = run_process(command, timeout, env)
                    add("generate", *_proc(first))
                    pdf = next((out / "ours").glob("*/board-pack.pdf"), None) if first.ok else None
                    if pdf is not None:
                        result["facts"]["generate_pdf_bytes"] = pdf.stat().st_size
                        pages = re.search(r"\((\d+) pages\)", first.stdout)
                        result["facts"].setdefault("pages", int(pages[1]) if pages else "?")
                        result["facts"]["generate_charts"] = len(list(pdf.parent.glob("charts/*.png")))
                    if "repeat" in measure:
                        again = run_process(command, timeout, env)
                        add("repeat", *_proc(again))
                        reuse = re.search(r"Charts: (\d+) drawn, (\d+) unchanged", again.stdout)
                        if reuse:
                            result["facts"]["repeat_charts"] = f"{reuse[1]} drawn, {reuse[2]} reused"
                    if "history" in measure and not i % 2:
                        add("generate-no-history", *_proc(run_process(plain, timeout, env)))

                ours.append(generate)
            if "reference" in measure:

                def reference(out=out):
                    p = run_process(
                        [PY, str(HERE / "reference_build.py"), *common, "--output", str(out / "ref")], timeout, env
                    )
                    add("ref-generate", *_proc(p))
                    data = _last_json(p.stdout) if p.ok else None
                    for stage in ("imports", *STAGES):
                        add(f"ref-{stage}", (data or {}).get(stage), (data or {}).get(f"{stage}_peak_mb"))
                    if data:
                        result["ref_facts"] = {k: data[k] for k in ("charts_count", "pages", "pdf_bytes", "rows")}

                ref.append(reference)
            for job in ours + ref if i % 2 == 0 else ref + ours:
                job()
            shutil.rmtree(out, ignore_errors=True)
    return result


def _proc(p: Proc) -> tuple[float | None, float | None, dict | None]:
    detail = {"largest_process_mb": round(p.largest_process_mb), "tree_mb": round(p.tree_mb)}
    return (p.seconds, p.peak_mb, detail) if p.ok else (None, None, None)


def _last_json(stdout: str) -> dict | None:
    for line in reversed(stdout.strip().splitlines()):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return None


# --- the table ---------------------------------------------------------------------------------


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _secs(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def _spread(values: list[float], shown=None) -> str:
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    if shown is not None:
        return f"{shown(low)}–{shown(high)}"
    digits = 2 if high < 10 else 1
    return f"{low:.{digits}f}–{high:.{digits}f}"


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _mb(values: list[float]) -> str:
    return f"{max(values):,.0f}" if values else ""


ROWS = (  # (label, our key, reference key)
    ("start-up + imports ¹", "imports", "ref-imports"),
    ("load", "load", "ref-load"),
    ("validate", "validate", "ref-validate"),
    ("summarise", "summarise", "ref-summarise"),
    ("charts", "charts", "ref-charts"),
    ("PDF", "pdf", "ref-pdf"),
    ("exports", "exports", None),
    ("write", "write", None),
    ("history: read (new file) ⁴", "history_read", None),
    ("history: record the run ⁴", "history_write", None),
    ("sum of stages ²", "stages", None),
    ("history: read, one run held ⁴", "history_reread", None),
    ("history: fill a living sheet ⁴", "history_living", None),
    ("`validate` (process)", "validate-process", None),
    ("**`generate` (process)**", "generate", "ref-generate"),
    ("`generate` repeat run (process) ³", "repeat", None),
    ("`generate --no-history` (process)", "generate-no-history", None),
)


def table(result: dict) -> str:
    s, manifest = result["samples"], result["manifest"]
    facts, ref_facts = result["facts"], result["ref_facts"]
    files = manifest.get("files", {})
    kinds = ", ".join(f"{sum(1 for f in files if f.endswith(x))} {x[1:]}" for x in (".xlsx", ".csv"))
    rows = f"{manifest['rows']:,} rows, {manifest['partners']} partners" if "rows" in manifest else "shipped inputs"
    lines = [
        f"### {result['scale']}: {rows} ({len(files)} files: {kinds}); {result['runs']} run(s)",
        "",
        "| stage | ours: median | min–max | peak MB | reference: median | min–max | peak MB | ours ÷ ref: of medians (min–max of runs) |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for label, ours, ref in ROWS:
        if ours not in s and (ref is None or ref not in s):
            continue
        mine, theirs = s.get(ours, {"s": [], "mb": []}), s.get(ref) if ref else None
        ratio = ""
        if theirs and _median(theirs["s"]) and _median(mine["s"]):
            ratio = _ratio(_median(mine["s"]) / _median(theirs["s"]))
            if len(mine["s"]) == len(theirs["s"]) > 1:  # one pair per run, taken in turn
                ratio += f" ({_spread([a / b for a, b in zip(mine['s'], theirs['s'], strict=True)], _ratio)})"
        lines.append(
            " | ".join(
                [
                    "",
                    label,
                    _secs(_median(mine["s"])),
                    _spread(mine["s"]),
                    _mb(mine["mb"]),
                    _secs(_median(theirs["s"])) if theirs else "",
                    _spread(theirs["s"]) if theirs else "",
                    _mb(theirs["mb"]) if theirs else "",
                    ratio,
                    "",
                ]
            ).strip()
        )
    pdf_bytes = facts.get("generate_pdf_bytes") or facts.get("pdf_bytes")
    ours_pdf = f"{pdf_bytes / 1e6:.2f} MB, {facts.get('pages', '?')} pages" if pdf_bytes else "n/a"
    ref_pdf = f"{ref_facts['pdf_bytes'] / 1e6:.2f} MB, {ref_facts['pages']} pages" if ref_facts else ""
    lines.append(f"| PDF size | {ours_pdf} | | | {ref_pdf} | | | |")
    charts = facts.get("charts", facts.get("generate_charts", "n/a"))
    repeat = f"; repeat run: {facts['repeat_charts']}" if "repeat_charts" in facts else ""
    ref_charts = f"{ref_facts['charts_count']} (PNG)" if ref_facts else ""
    lines.append(f"| charts | {charts} (PDF, SVG and PNG{repeat}) | | | {ref_charts} | | | |")
    if "history_mb" in facts:
        lines.append(
            f"| history | {facts['history_mb']:.2f} MB after one run; a living sheet takes "
            f"{facts.get('history_living_rows', 0):,} activity rows from it | | | | | | |"
        )
    lines += ["", *goal_lines(result)]
    return "\n".join(lines)


def goal_lines(result: dict) -> list[str]:
    s = result["samples"]
    gen, val = _median(s.get("generate", {}).get("s", [])), _median(s.get("validate-process", {}).get("s", []))
    ref, rep = _median(s.get("ref-generate", {}).get("s", [])), _median(s.get("repeat", {}).get("s", []))
    plain = _median(s.get("generate-no-history", {}).get("s", []))
    history = sum(_median(s.get(k, {}).get("s", [])) or 0 for k in ("history_read", "history_write"))
    peak = max(s.get("generate", {}).get("mb", []), default=None)
    pdf = result["facts"].get("generate_pdf_bytes")
    checks = []
    for goal, limit in GOALS.get(result["scale"], {}).items():
        if goal == "generate":
            value, shown = gen, f"`generate` {_secs(gen)} (goal ≤ {limit} s)"
        elif goal == "validate":
            value, shown = val, f"`validate` {_secs(val)} (goal ≤ {limit} s)"
        elif goal == "peak":
            value, shown = peak, f"peak {peak or 0:,.0f} MB (goal ≤ {limit:,} MB)"
        elif goal == "pdf_mb":
            value, shown = pdf and pdf / 1e6, f"PDF {(pdf or 0) / 1e6:.2f} MB (goal ≤ {limit} MB)"
        elif goal == "ratio":
            value = gen / ref if gen and ref else None
            shown = f"ours ÷ reference {_ratio(value)} (goal ≤ {limit:.2f})"
        elif goal == "history":  # the whole-run difference, and the stages' own time, against --no-history
            value = (gen - plain) / plain if gen and plain else None
            share = "n/a" if value is None else f"{100 * value:+.1f}%"
            stages = f"{100 * history / plain:.1f}%" if plain and history else "n/a"
            shown = (
                f"the history costs {share} of `generate` (median with it against median with "
                f"`--no-history`; its read and record stages alone: {stages}) (goal ≤ {limit:.0%})"
            )
        else:  # repeat
            value = rep / gen if gen and rep else None
            share = "n/a" if value is None else f"{100 * value:.0f}%"
            shown = f"repeat run {share} of the first (goal ≤ {limit:.0%})"
        checks.append(f"{'n/a' if value is None else 'met' if value <= limit else 'NOT met'}: {shown}")
    return [f"Goals: {'; '.join(checks)}."] if checks else []


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory = next(
        (
            int(line.split()[1]) // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory / 1024:.0f} GB RAM, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average {load:.1f} at the start"
    )


NOTES = """¹ Ours: a fresh `python -c "import …"` of everything a full run imports (interpreter start included);
reference: its own imports, timed inside its process.
² The stages called one after another in one fresh process (after its imports); peak MB is the peak so far of
that process or of any one of its (finished) workers. The reference's validate is its parsing of values
(openpyxl already read them during load).
³ The same `generate` again with unchanged inputs into the same output folder, i.e. with whatever the first run
cached there. The reference has no cache.
⁴ Inside the stages process: opening OUTPUT/history.sqlite and filling the validated rows from it (a new file,
so nothing to fill), and recording the run after the write. Outside the sum: the same read once the run is
recorded (what a repeat run reads: every block compared by digest), and filling the as-at rows alone from it
(a living sheet, every earlier period taken from the history)."""


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description="Benchmark boardpack against the reference build.")
    parser.add_argument(
        "--scales",
        default="sample,medium5,medium",
        help="comma-separated: sample, small, medium5, medium, large (default sample,medium5,medium)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=None,
        help="runs per scale (default 5 sample and small, 3 medium5 and medium, 2 large)",
    )
    parser.add_argument(
        "--measure",
        default="imports,stages,validate,generate,repeat,history,reference",
        help="what to time (default: all of imports,stages,validate,generate,repeat,history,reference)",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before a process is stopped")
    parser.add_argument(
        "--live",
        action="store_true",
        help="time the working tree itself, not a copy taken at the start (edits then change results)",
    )
    parser.add_argument("--stages", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--inputs", help=argparse.SUPPRESS)
    parser.add_argument("--template", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stages:
        return stages_worker(args.inputs, args.template, args.output)

    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    unknown = [s for s in scales if s not in DEFAULT_RUNS]
    if unknown:
        parser.error(f"unknown scale(s) {', '.join(unknown)}; use {', '.join(DEFAULT_RUNS)}")
    measure = {m.strip() for m in args.measure.split(",")}
    (HERE / "data" / "results").mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now()
    version = code_version()
    snapshot = None if args.live else take_snapshot(started)
    try:
        run_all(args, scales, measure, started, version, snapshot)
    finally:
        if snapshot is not None:
            shutil.rmtree(snapshot, ignore_errors=True)
            shutil.rmtree(f"{HERE / 'data' / '.pycache'}{snapshot}", ignore_errors=True)  # its bytecode


def code_version() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", *SNAPSHOT)
    return f"{commit}{' + uncommitted changes' if dirty else ''}"


SNAPSHOT = ("boardpack", "generate_report.py", "inputs")


def take_snapshot(started: dt.datetime) -> Path:
    """Copy the code (and the shipped inputs and template) so edits made during a long run do not change it."""
    global CODE
    folder = HERE / "data" / f".code-{started:%Y%m%d-%H%M%S}"
    for name in SNAPSHOT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    CODE = folder
    os.environ["BENCH_CODE"] = str(folder)  # for the stages worker
    return folder


def run_all(
    args, scales: list[str], measure: set[str], started: dt.datetime, version: str, snapshot: Path | None
) -> None:
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(HERE / "data" / ".pycache"), "MPLBACKEND": "Agg"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # Warm-up: bytecode and file caches, so the first timed run is not the only one that pays for them.
    subprocess.run([PY, "-c", "import " + ", ".join(IMPORTS)], check=False, cwd=CODE, env=env, capture_output=True)
    code = f"code {version}" + (", copied at the start" if snapshot else ", live working tree")
    header = f"Machine: {machine()}. Run {started:%Y-%m-%d %H:%M}; {code}."
    log(header)
    results = []
    for name in scales:
        results.append(bench_scale(name, args.runs or DEFAULT_RUNS[name], measure, args.timeout, env))
        gen, ref = (_median(results[-1]["samples"].get(k, {}).get("s", [])) for k in ("generate", "ref-generate"))
        log(f"  {name}: generate {_secs(gen)}, reference {_secs(ref)} (medians)")
    stamp = started.strftime("%Y%m%d-%H%M%S")
    (HERE / "data" / "results" / f"{stamp}.json").write_text(
        json.dumps(
            {"machine": machine(), "code": version, "started": started.isoformat(), "results": results}, indent=1
        )
    )
    print(header + "\n")
    print("\n\n".join(table(r) for r in results))
    print("\n" + NOTES)
    took = str(dt.datetime.now() - started).split(".")[0]
    print(f"\n(raw results: benchmarks/data/results/{stamp}.json; the benchmark took {took})")


if __name__ == "__main__":
    main(sys.argv[1:])
