"""Install boardpack as a new user would, and run it from a folder that is not the checkout.

    python scripts/check_install.py [--keep]

Builds the wheel, installs it (and its dependencies, from the package index)
into a fresh virtual environment in a temporary folder outside the checkout,
then from another empty folder runs, with no --template and the checkout off
the import path:

    generate-report --version
    generate-report validate --inputs <checkout>/inputs
    generate-report generate --inputs <checkout>/inputs --output <temporary folder>
    python -m boardpack validate --inputs <checkout>/inputs

and checks what each printed and wrote. Exits 0 when every step passed, 1 at
the first that did not (saying which and why). `make check-install` runs it;
CI runs that after `make test`. --keep leaves the temporary folder for a look.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"


class Failed(Exception):
    """A step did not do what a user would expect."""


def run(command: list[str], cwd: Path, env: dict[str, str], *, expect: int = 0) -> str:
    """Run one command as the user would; return what it printed (stdout and stderr)."""
    print(f"$ {' '.join(command)}   (in {cwd})", flush=True)
    started = time.monotonic()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    output = done.stdout + done.stderr
    print(f"  exit {done.returncode} after {time.monotonic() - started:.1f} s", flush=True)
    if done.returncode != expect:
        raise Failed(f"{' '.join(command)} exited {done.returncode}, expected {expect}:\n{output}")
    return output


def clean_environment() -> dict[str, str]:
    """The caller's environment without anything that would put the checkout on the import path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def build_wheel(dist: Path, env: dict[str, str]) -> Path:
    run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dist), str(ROOT)],
        cwd=dist.parent,
        env=env,
    )
    wheels = sorted(dist.glob("boardpack-*.whl"))
    if len(wheels) != 1:
        raise Failed(f"expected one boardpack wheel in {dist}, found {[w.name for w in wheels]}")
    wheel = wheels[0]
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    needed = {"boardpack/templates/board_report.toml", "boardpack/__main__.py", "generate_report.py"}
    if not needed <= names:
        raise Failed(f"{wheel.name} lacks {sorted(needed - names)}")
    if not any(n.endswith(".dist-info/licenses/LICENSE") for n in names):
        raise Failed(f"{wheel.name} does not carry the LICENSE file")
    if "License-Expression: MIT" not in metadata:
        raise Failed(f"{wheel.name}'s metadata has no 'License-Expression: MIT'")
    print(f"  built {wheel.name}: template, LICENSE and License-Expression: MIT inside", flush=True)
    return wheel


def check(base: Path) -> None:
    env = clean_environment()
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    dist, venv, elsewhere, output = base / "dist", base / "venv", base / "elsewhere", base / "packs"
    for folder in (dist, elsewhere):
        folder.mkdir()

    wheel = build_wheel(dist, env)
    run([sys.executable, "-m", "venv", str(venv)], cwd=base, env=env)
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    python, command = str(scripts / "python"), str(scripts / "generate-report")
    run([python, "-m", "pip", "install", "--quiet", str(wheel)], cwd=base, env=env)

    where = run([python, "-c", "import boardpack; print(boardpack.__file__)"], cwd=elsewhere, env=env).strip()
    if Path(where).resolve().is_relative_to(ROOT):
        raise Failed(f"boardpack was imported from the checkout ({where}), not from the installed wheel")

    said = run([command, "--version"], cwd=elsewhere, env=env).strip()
    if said != f"boardpack {version}":
        raise Failed(f'--version printed "{said}", expected "boardpack {version}"')

    said = run([command, "validate", "--inputs", str(INPUTS)], cwd=elsewhere, env=env)
    if "activities from 3 files" not in said:
        raise Failed(f"validate did not report the shipped inputs' three files:\n{said}")

    said = run([command, "generate", "--inputs", str(INPUTS), "--output", str(output)], cwd=elsewhere, env=env)
    runs = [p for p in output.iterdir() if p.name not in (".cache", "history.sqlite")]
    if len(runs) != 1 or not runs[0].is_dir() or not (output / "history.sqlite").is_file():
        raise Failed(
            f"generate left {sorted(p.name for p in output.iterdir())} in {output}; "
            "expected one run folder, .cache and history.sqlite"
        )
    pdf = runs[0] / "board-pack.pdf"
    if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF-") or f"Wrote {pdf}" not in said:
        raise Failed(f"generate did not write {pdf}:\n{said}")
    missing = [n for n in ("slides.pptx", "summary.xlsx", "summary.json", "charts") if not (runs[0] / n).exists()]
    if missing:
        raise Failed(f"{runs[0]} lacks {missing}")
    if sorted(p.name for p in elsewhere.iterdir()):
        raise Failed(f"the commands wrote into the folder they ran from: {sorted(elsewhere.iterdir())}")

    said = run([python, "-m", "boardpack", "validate", "--inputs", str(INPUTS)], cwd=elsewhere, env=env)
    if "activities from 3 files" not in said:
        raise Failed(f"python -m boardpack validate did not report the shipped inputs' three files:\n{said}")

    help_text = run([python, "-m", "boardpack", "generate", "--help"], cwd=elsewhere, env=env)
    if "Example: python -m boardpack generate" not in help_text:
        raise Failed(f"python -m boardpack generate --help does not give its example under that name:\n{help_text}")
    print(
        f"installed boardpack {version} works from {elsewhere}: {len(list(runs[0].rglob('*')))} files "
        f"in {runs[0].name}/",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave the temporary folder for a look")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="boardpack-install-"))
    if base.resolve().is_relative_to(ROOT):
        print(f"the temporary folder {base} is inside the checkout; set TMPDIR elsewhere", file=sys.stderr)
        return 1
    try:
        check(base)
    except Failed as exc:
        print(f"check-install FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    print("check-install passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
