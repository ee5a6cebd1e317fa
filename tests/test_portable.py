"""The same tool whichever way it is installed, named and started: the packaged template and
its lookup order, --version, help examples under the name that was run, `python -m boardpack`,
and chart workers that start by `spawn` (Windows, macOS) drawing what forked ones draw."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.resources
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import boardpack.charts.stage as charts
from boardpack import load_config, validate_inputs
from boardpack.config import find_template, packaged_template
from boardpack.summarise import summarise
from generate_report import cli

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"


# --- the template ---------------------------------------------------------------------------


def test_the_default_template_is_package_data(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no templates/ here
    packaged = packaged_template()
    assert packaged == Path(str(importlib.resources.files("boardpack"))) / "templates" / "board_report.toml"
    assert packaged.is_file()
    assert find_template() == packaged
    config = load_config()
    assert config.path == str(packaged) and config.organisation == "Students' Union"


def _local_template(folder: Path, organisation: str) -> Path:
    path = folder / "templates" / "board_report.toml"
    path.parent.mkdir(parents=True)
    path.write_text(
        packaged_template()
        .read_text(encoding="utf-8")
        .replace('name = "Students\' Union"', f'name = "{organisation}"', 1),
        encoding="utf-8",
    )
    return path


def test_a_template_under_the_current_folder_comes_before_the_packaged_one(monkeypatch, tmp_path):
    _local_template(tmp_path, "Undeb y Myfyrwyr")
    monkeypatch.chdir(tmp_path)
    assert load_config().organisation == "Undeb y Myfyrwyr"
    assert find_template() == Path("templates") / "board_report.toml"
    # --template comes first of all
    other = tmp_path / "other.toml"
    other.write_text(packaged_template().read_text(encoding="utf-8"), encoding="utf-8")
    assert load_config(other).organisation == "Students' Union"


def test_the_command_line_follows_the_lookup_order(monkeypatch, tmp_path):
    local = tmp_path / "templates" / "board_report.toml"
    local.parent.mkdir()
    local.write_text("[organisation\n", encoding="utf-8")  # broken, so using it shows
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    used_local = runner.invoke(cli, ["validate", "--inputs", str(INPUTS)])
    assert used_local.exit_code == 1
    assert f"the template {Path('templates') / 'board_report.toml'} is not valid TOML" in used_local.output
    given = runner.invoke(cli, ["validate", "--inputs", str(INPUTS), "--template", str(packaged_template())])
    assert given.exit_code == 0, given.output
    local.unlink()
    packaged = runner.invoke(cli, ["validate", "--inputs", str(INPUTS)])
    assert packaged.exit_code == 0, packaged.output
    assert "25 activities from 3 files, as at 2025-26 Q4" in packaged.output


# --- names, version, help -------------------------------------------------------------------


def test_version_comes_from_the_package_metadata():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"boardpack {importlib.metadata.version('boardpack')}\n"
    assert re.fullmatch(r"boardpack \d+\.\d+\.\d+\S*\n", result.output)


@pytest.mark.parametrize("command", sorted(cli.commands))
@pytest.mark.parametrize(
    "ran, shown",
    [
        ("generate-report", "generate-report"),
        ("generate-report.exe", "generate-report"),  # a Windows launcher
        ("python -m boardpack", "python -m boardpack"),
        ("generate_report.py", "python generate_report.py"),
    ],
)
def test_help_gives_examples_under_the_name_that_was_run(command, ran, shown):
    result = CliRunner().invoke(cli, [command, "--help"], prog_name=ran)
    assert result.exit_code == 0
    assert f"Usage: {ran} {command} [OPTIONS]" in result.output
    assert f"Example: {shown} {command}" in result.output
    assert "generate_report.py" not in result.output.replace(shown, "") or ran.endswith(".py")


def test_help_says_the_folders_are_under_the_current_folder():
    result = CliRunner().invoke(cli, ["generate", "--help"], terminal_width=200)
    assert (
        "Folder holding the spreadsheets (a relative path is under the current folder).  [default: inputs]"
        in result.output
    )
    assert "(a relative path is under the current folder).  [default: reports]" in result.output
    assert (
        "Template file (default: templates/board_report.toml under the current folder if there is one, "
        "else the default that comes with boardpack)"
    ) in result.output


def _python(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_python_m_boardpack_runs_the_same_commands_from_another_folder(tmp_path):
    done = _python("-m", "boardpack", "validate", "--inputs", str(INPUTS), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("25 activities from 3 files, as at 2025-26 Q4\n")
    helped = _python("-m", "boardpack", "charts", "--help", cwd=tmp_path)
    assert "Usage: python -m boardpack charts [OPTIONS]" in helped.stdout
    assert "Example: python -m boardpack charts --output reports" in helped.stdout
    assert list(tmp_path.iterdir()) == []  # nothing written where it ran


@pytest.mark.slow
def test_the_script_in_a_checkout_names_itself_in_its_examples():
    done = _python("generate_report.py", "--help", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "Usage: generate_report.py [OPTIONS] COMMAND [ARGS]..." in done.stdout
    assert "Example: python generate_report.py validate" in done.stdout


# --- Windows: no POSIX-only calls, chart workers that spawn ------------------------------------


def _posix_only(path: Path) -> list[tuple[str, int, str]]:
    """Each import of fcntl, use of os.fork, flock or lockf, and "fork" start method in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(a.name == "fcntl" for a in node.names):
            found.append((path.name, node.lineno, "import fcntl"))
        elif isinstance(node, ast.ImportFrom) and node.module == "fcntl":
            found.append((path.name, node.lineno, "from fcntl import"))
        elif isinstance(node, ast.Attribute) and node.attr in ("fork", "forkpty", "flock", "lockf"):
            found.append((path.name, node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.Constant) and node.value == "fork":
            found.append((path.name, node.lineno, '"fork"'))
    return found


@pytest.mark.slow
def test_no_posix_only_call_outside_the_guarded_start_method():
    sources = [ROOT / "generate_report.py", *sorted((ROOT / "boardpack").rglob("*.py"))]
    found = [hit for path in sources for hit in _posix_only(path)]
    # The one allowed: charts.stage.pool_start_method() chooses "fork" on Linux only, else "spawn".
    tree = ast.parse((ROOT / "boardpack" / "charts" / "stage.py").read_text(encoding="utf-8"))
    guard = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "pool_start_method")
    assert "sys.platform.startswith('linux')" in ast.unparse(guard)
    outside = [hit for hit in found if not (hit[0] == "stage.py" and guard.lineno <= hit[1] <= guard.end_lineno)]
    assert outside == []
    assert [hit[2] for hit in found if hit not in outside] == ['"fork"', '"fork"']


@pytest.mark.slow
def test_chart_workers_that_spawn_draw_the_bytes_forked_workers_draw(monkeypatch):
    config = load_config()
    summary = summarise(validate_inputs(INPUTS, config), config)
    started = []
    pool = charts.ProcessPoolExecutor

    def recording_pool(*args, mp_context, **kwargs):
        started.append(mp_context.get_start_method())
        return pool(*args, mp_context=mp_context, **kwargs)

    monkeypatch.setattr(charts, "ProcessPoolExecutor", recording_pool)
    forked = charts.draw_charts(summary, config, workers=2).charts
    monkeypatch.setattr(charts, "pool_start_method", lambda: "spawn")  # as on Windows and macOS
    spawned = charts.draw_charts(summary, config, workers=2).charts
    assert started == ["fork", "spawn"]
    assert [c.name for c in spawned] == [c.name for c in forked] and len(forked) >= 5
    for one, other in zip(forked, spawned, strict=True):
        assert (one.png, one.svg, one.pdf) == (other.png, other.svg, other.pdf), one.name
