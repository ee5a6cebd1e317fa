"""Run mutated inputs through boardpack and keep every case that ends badly.

    make fuzz FUZZ_CASES=20000                   # both cores, seed 1
    .venv/bin/python fuzz/run.py --cases 500 --seed 7 --workers 2
    .venv/bin/python fuzz/run.py --seed 7 --case 123     # one case again, in this process
    .venv/bin/python fuzz/run.py --replay fuzz/failures/seed7-case123/inputs

Each case (fuzz/mutate.py) is validated; when validation finds no error, the
whole pack is built. A case fails when:

- anything raises an exception that is not one of boardpack's own errors, or a
  problem says it is "a fault in boardpack";
- validation passes and building the pack then fails;
- a problem does not name its file, or names a row without its sheet;
- validation takes more than 30 s of processor time, or building the pack more than 180 s
  (processor time, so that a busy machine, which slows every case, fails none; ten times
  as long on the clock also fails a case, for a wait that uses no processor).

Most cases run through the library in the worker; one in 25 (``--process-every``)
runs the real command line in its own processes, where exit status 0 from
``validate`` must be followed by exit status 0 from ``generate``, and nothing may
print a traceback, "unexpected fault" or a Rust panic. Every failing case is written to
``fuzz/failures/<seed>-<case>/``: its input files, what was done to make them,
what went wrong, and the commands that reproduce it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fuzz.mutate import Case, make_case  # noqa: E402

FAILURES = ROOT / "fuzz" / "failures"
VALIDATE_SECONDS = 30  # the promise in docs/reliability.md
GENERATE_SECONDS = 180
CLOCK_FACTOR = 10  # a case may take this many times its processor-time limit on the clock
MEMORY_CAP_GB = 4  # address space of a worker: a runaway read fails its case instead of the machine


@dataclass(frozen=True)
class Outcome:
    """How one case ended: "problems" (validation stopped it), "pack" (built), or "failure"."""

    case: str
    result: str
    detail: str = ""
    seconds: float = 0.0
    via: str = "library"

    @property
    def reached_generate(self) -> bool:
        return self.result in ("pack", "summary") or self.detail.startswith("generate")


class _Overtime(BaseException):
    """A stage ran past its time (a BaseException: no handler of boardpack may take it for a fault)."""


def _overtime(signum, frame):
    raise _Overtime()


class _Timer:
    """Raises _Overtime after ``seconds`` of this process's processor time, or CLOCK_FACTOR times
    that on the clock."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds

    def __enter__(self):
        self.previous = {s: signal.signal(s, _overtime) for s in (signal.SIGPROF, signal.SIGALRM)}
        signal.setitimer(signal.ITIMER_PROF, self.seconds)
        signal.alarm(self.seconds * CLOCK_FACTOR)

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.alarm(0)
        for number, handler in self.previous.items():
            signal.signal(number, handler)


def _located(problems) -> str | None:
    """Why a list of problems breaks the promise, or None."""
    for p in problems:
        if "a fault in boardpack" in p.message:
            return f"validate: a fault in boardpack: {p.file} › {p.sheet}: {p.message}"
        if not p.file or not p.message:
            return f"validate: a problem without a file or message: {p}"
        if p.row is not None and p.sheet is None:
            return f"validate: a problem names a row but no sheet: {p}"
        if p.column is not None and p.row is None and p.sheet is not None:
            return f"validate: a problem names a column but no row: {p}"
    return None


def check_library(folder: Path, output: Path, config, build: str = "pack") -> tuple[str, str]:
    """Validate, then build the pack if validation passed; (result, detail).

    ``build="quick"`` runs, instead of the whole pack, the stages after validation
    that take little time: the summary, every chart's data and CSV, the summary
    workbook and JSON (no drawing, no PDF, nothing written).
    """
    from boardpack import BoardpackError, build_pack, validate_inputs
    from boardpack.messages import format_problems, problems_json

    try:
        with _Timer(VALIDATE_SECONDS):
            validated = validate_inputs(folder, config)
            format_problems(validated.problems)
            json.loads(problems_json(validated.problems))
    except _Overtime:
        return (
            "failure",
            f"validate: took more than {VALIDATE_SECONDS} s of processor time (or {VALIDATE_SECONDS * CLOCK_FACTOR} s on the clock)",
        )
    except BoardpackError as exc:  # e.g. a template error: ours, but never expected from inputs
        return "failure", f"validate raised {type(exc).__name__}: {exc}"
    except Exception:
        return "failure", "validate raised:\n" + traceback.format_exc()
    why = _located(validated.problems)
    if why:
        return "failure", why
    if validated.errors:
        return "problems", f"{len(validated.errors)} error(s)"
    if build == "quick":
        return _quick_stages(validated, config)
    try:
        with _Timer(GENERATE_SECONDS):
            result = build_pack(folder, output, config)
    except _Overtime:
        return (
            "failure",
            f"generate: validate passed, and building the pack took more than {GENERATE_SECONDS} s of processor time (or {GENERATE_SECONDS * CLOCK_FACTOR} s on the clock)",
        )
    except Exception:
        return "failure", "generate: validate passed, and building the pack raised:\n" + traceback.format_exc()
    if result.pdf is None or not result.pdf.read_bytes().startswith(b"%PDF"):
        return "failure", "generate: validate passed, and no PDF was written"
    return "pack", f"{result.pdf_pages} pages"


def _quick_stages(validated, config) -> tuple[str, str]:
    from boardpack.charts import chart_specs
    from boardpack.exports import frame_csv, summary_json, summary_workbook
    from boardpack.summarise import summarise

    try:
        with _Timer(GENERATE_SECONDS):
            summary = summarise(validated, config)
            for spec in chart_specs(summary, config):
                frame_csv(spec.frame())
            summary_workbook(summary, config)
            json.loads(summary_json(summary))
    except _Overtime:
        return (
            "failure",
            f"generate: validate passed, and the summary took more than {GENERATE_SECONDS} s of processor time (or {GENERATE_SECONDS * CLOCK_FACTOR} s on the clock)",
        )
    except Exception:
        return "failure", "generate: validate passed, and the summary or its exports raised:\n" + traceback.format_exc()
    return "summary", "summary, chart data, workbook and JSON"


def check_process(folder: Path, output: Path) -> tuple[str, str]:
    """The same through the real command line, each command in its own process."""

    def run(*args: str, seconds: int) -> subprocess.CompletedProcess | None:
        """The command's result, or None when it used more than ``seconds`` of processor time."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            done = subprocess.run(
                [sys.executable, str(ROOT / "generate_report.py"), *args],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=seconds * CLOCK_FACTOR,
                check=False,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
        except subprocess.TimeoutExpired:
            return None
        after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command and the workers it waited for
        used = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        return None if used > seconds else done

    def broken(result: subprocess.CompletedProcess, what: str) -> str | None:
        shown = result.stdout + result.stderr
        if any(sign in shown for sign in ("Traceback", "unexpected fault", "a fault in boardpack", "panicked at")):
            return f"{what}: exit {result.returncode}\n{shown[-4000:]}"
        return None

    validated = run("validate", "--inputs", str(folder), "--format", "json", seconds=VALIDATE_SECONDS + 15)
    if validated is None:
        return (
            "failure",
            f"validate: the command took more than {VALIDATE_SECONDS + 15} s of processor time (or {(VALIDATE_SECONDS + 15) * CLOCK_FACTOR} s on the clock)",
        )
    why = broken(validated, "validate")
    if why or validated.returncode not in (0, 1):
        return "failure", why or f"validate: exit {validated.returncode}\n{validated.stderr[-4000:]}"
    if validated.returncode == 1:
        return "problems", "exit 1"
    generated = run("generate", "--inputs", str(folder), "--output", str(output), "--quiet", seconds=GENERATE_SECONDS)
    if generated is None:
        return (
            "failure",
            f"generate: validate exited 0, and generate took more than {GENERATE_SECONDS} s of processor time (or {GENERATE_SECONDS * CLOCK_FACTOR} s on the clock)",
        )
    why = broken(generated, "generate")
    if why or generated.returncode != 0:
        return "failure", why or (
            f"generate: validate exited 0, and generate exited {generated.returncode}\n{generated.stderr[-4000:]}"
        )
    return "pack", "exit 0"


def check(case: Case, work: Path, config, via: str, build: str = "pack") -> Outcome:
    """Write the case into ``work``, check it, and clear its inputs (the chart cache stays)."""
    folder = work / "inputs"
    shutil.rmtree(folder, ignore_errors=True)
    case.write(folder)
    output = work / "reports"
    started = time.perf_counter()
    result, detail = check_process(folder, output) if via == "process" else check_library(folder, output, config, build)
    for run_folder in output.glob("*"):
        if run_folder.name != ".cache":
            shutil.rmtree(run_folder, ignore_errors=True)
    return Outcome(case.name, result, detail, time.perf_counter() - started, via)


def save_failure(case: Case, outcome: Outcome, into: Path) -> Path:
    """The failing inputs, what made them, what went wrong, and how to see it again."""
    folder = into / case.name
    shutil.rmtree(folder, ignore_errors=True)
    case.write(folder / "inputs")
    relative = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
    (folder / "REPRODUCE.md").write_text(
        f"# {case.name}: {outcome.detail.splitlines()[0] if outcome.detail else outcome.result}\n\n"
        f"Checked through the {outcome.via}.\n\n## Reproduce\n\n"
        "```\n"
        f"{sys.executable} fuzz/run.py --seed {case.seed} --case {case.number}"
        f"{' --process' if outcome.via == 'process' else ''}\n"
        f"{sys.executable} generate_report.py validate --inputs {relative}/inputs\n"
        f"{sys.executable} generate_report.py generate --inputs {relative}/inputs --output /tmp/fuzz-reports\n"
        "```\n\n## How the inputs were made\n\n"
        + "".join(f"- {step}\n" for step in case.steps)
        + f"\n## What went wrong\n\n```\n{outcome.detail}\n```\n",
        encoding="utf-8",
    )
    return folder


# --- workers -------------------------------------------------------------------------------------

_WORKER: dict = {}


def _start_worker(base: str) -> None:
    limit = MEMORY_CAP_GB * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from boardpack import load_config
    from boardpack.charts import draw  # noqa: F401  the chart workers a pack run forks start with it

    _WORKER["config"] = load_config()
    _WORKER["work"] = Path(tempfile.mkdtemp(prefix=f"worker-{os.getpid()}-", dir=base))


def _run_one(seed: int, number: int, via: str, failures: str) -> Outcome:
    case = make_case(seed, number)
    try:
        outcome = check(case, _WORKER["work"], _WORKER["config"], via)
    except MemoryError:
        outcome = Outcome(case.name, "failure", f"ran out of the {MEMORY_CAP_GB} GB a worker may use", 0.0, via)
    if outcome.result == "failure":
        save_failure(case, outcome, Path(failures))
    cache = _WORKER["work"] / "reports" / ".cache"
    if number % 200 == 0:
        shutil.rmtree(cache, ignore_errors=True)  # the chart cache helps within a run; keep it small
    return outcome


# Cases a worker checks before a fresh one takes over (memory stays bounded). Each round of
# workers is a pool of its own: ProcessPoolExecutor's max_tasks_per_child hangs once a worker
# retires on Python 3.11 to 3.14 (CPython gh-115634), which stopped a long run at case 1,000.
CASES_PER_WORKER = 500


def run(cases: int, seed: int, workers: int, process_every: int, failures: Path, first: int = 0) -> list[Outcome]:
    failures.mkdir(parents=True, exist_ok=True)
    base = tempfile.mkdtemp(prefix="boardpack-fuzz-")
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    numbers = range(first, first + cases)
    step = CASES_PER_WORKER * workers
    try:
        for round_start in range(0, cases, step):
            with ProcessPoolExecutor(
                workers, mp_context=get_context("forkserver"), initializer=_start_worker, initargs=(base,)
            ) as pool:
                jobs = [
                    pool.submit(
                        _run_one,
                        seed,
                        n,
                        "process" if process_every and n % process_every == 0 else "library",
                        str(failures),
                    )
                    for n in numbers[round_start : round_start + step]
                ]
                for job in as_completed(jobs):
                    outcome = job.result()
                    outcomes.append(outcome)
                    if outcome.result == "failure":
                        print(f"FAIL {outcome.case} ({outcome.via}): {outcome.detail.splitlines()[0]}", flush=True)
                    if len(outcomes) % 100 == 0 or len(outcomes) == cases:
                        _progress(outcomes, time.perf_counter() - started)
            for folder in Path(base).iterdir():  # the round's workers and their chart caches are done
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return outcomes


def _progress(outcomes: list[Outcome], seconds: float) -> None:
    counts = {r: sum(1 for o in outcomes if o.result == r) for r in ("problems", "pack", "failure")}
    generated = sum(1 for o in outcomes if o.reached_generate)
    print(
        f"{len(outcomes):,} cases in {seconds:,.0f} s: {counts['problems']:,} stopped by validate, "
        f"{generated:,} reached generate ({counts['pack']:,} packs), {counts['failure']:,} failed",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1000, help="how many cases (default 1000)")
    parser.add_argument("--first", type=int, default=0, help="number of the first case (default 0)")
    parser.add_argument("--seed", type=int, default=1, help="the run's seed (default 1)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes (default: one per core)")
    parser.add_argument(
        "--process-every",
        type=int,
        default=25,
        help="every Nth case runs the real command line in processes (0: never; default 25)",
    )
    parser.add_argument("--failures", type=Path, default=FAILURES, help="where failing cases are saved")
    parser.add_argument("--case", type=int, help="check only this case, here, and print what happened")
    parser.add_argument("--process", action="store_true", help="with --case: through the command line")
    parser.add_argument("--replay", type=Path, help="check an inputs folder (e.g. a saved failure) here")
    args = parser.parse_args(argv)

    if args.case is not None or args.replay is not None:
        from boardpack import load_config

        with tempfile.TemporaryDirectory(prefix="boardpack-fuzz-") as work:
            if args.replay is not None:
                case = Case(
                    args.seed,
                    -1,
                    {p.name: p.read_bytes() for p in sorted(args.replay.iterdir()) if p.is_file()},
                    (f"the files of {args.replay}",),
                )
            else:
                case = make_case(args.seed, args.case)
            outcome = check(case, Path(work), load_config(), "process" if args.process else "library")
        print("\n".join(case.steps))
        print(f"\n{outcome.result} ({outcome.via}, {outcome.seconds:.1f} s): {outcome.detail}")
        return 1 if outcome.result == "failure" else 0

    started = time.perf_counter()
    outcomes = run(args.cases, args.seed, args.workers, args.process_every, args.failures, args.first)
    failed = [o for o in outcomes if o.result == "failure"]
    print(
        f"\nseed {args.seed}, cases {args.first}-{args.first + args.cases - 1}, {args.workers} workers, "
        f"{time.perf_counter() - started:,.0f} s"
    )
    _progress(outcomes, time.perf_counter() - started)
    if failed:
        print(f"{len(failed)} failing case(s) saved under {args.failures}/ (each with REPRODUCE.md)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
