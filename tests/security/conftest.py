"""Fixtures of the security tests: the three-agency scenario, built once and copied."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.security.scenario import build_scenario, client, tokens


@pytest.fixture(scope="session")
def scenario_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_scenario(tmp_path_factory.mktemp("scenario"))


@pytest.fixture
def scenario_ws(scenario_master: Path, tmp_path: Path) -> Path:
    """A private copy of the scenario workspace (tests may write to it)."""
    target = tmp_path / "ws"
    shutil.copytree(scenario_master, target)
    return target


@pytest.fixture
def api(scenario_ws: Path) -> Iterator[tuple[Any, dict[str, str]]]:
    """A test client on a copy of the scenario, and a bearer token per user."""
    keys = tokens(scenario_ws)
    with client(scenario_ws) as c:
        yield c, keys
