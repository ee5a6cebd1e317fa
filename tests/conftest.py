"""Fixtures and options; the helpers tests import live in helpers.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import TEMPLATE, InputsFolder

from boardpack import load_config
from boardpack.config import Config


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(TEMPLATE)


@pytest.fixture
def inputs(tmp_path: Path, config: Config) -> InputsFolder:
    return InputsFolder(tmp_path / "inputs", config)


@pytest.fixture
def template_with(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a copy of the default template with ``old`` replaced by ``new``; returns its path."""

    def write(old: str, new: str) -> Path:
        text = TEMPLATE.read_text(encoding="utf-8")
        assert old in text, old
        path = tmp_path / "custom.toml"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    return write


# --------------------------------------------------------------------------- options


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden page texts under tests/golden/ instead of comparing with them",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: builds whole packs or runs subprocesses (deselect with -m 'not slow')")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
