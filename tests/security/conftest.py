"""Fixtures of the security tests: the three-agency scenario on both backends.

Every security test runs twice: on the embedded DuckDB workspace (a folder) and
on the server mode (a database on the session's private PostgreSQL server,
:mod:`tests.pg`). Each scenario workspace is built once per backend per
session (:class:`Scenarios`); a test that writes gets its own copy (a copied
folder, or a database made with the scenario's as its template), which is far
cheaper than building it again.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.pg import BACKENDS, PrivateCluster
from tests.security.scenario import build_scenario, client, tokens

#: The scenario without the intelligence service's SECRET report (non-interference).
BARE = ("intel-source-report.txt",)


class Scenarios:
    """Scenario workspaces built once per backend and variant, and copies of them."""

    def __init__(self, request: pytest.FixtureRequest, tmp: pytest.TempPathFactory) -> None:
        self._request = request
        self._tmp = tmp
        self._built: dict[tuple[str, tuple[str, ...]], str] = {}
        self._cluster: PrivateCluster | None = None
        self.databases: list[str] = []

    @property
    def cluster(self) -> PrivateCluster:
        if self._cluster is None:
            self._cluster = self._request.getfixturevalue("pg_cluster")
        return self._cluster

    def master(self, backend: str, *, skip: tuple[str, ...] = ()) -> str:
        """The scenario on ``backend`` (built on first use). Never write to it: copy it."""
        key = (backend, skip)
        if key not in self._built:
            root = self._tmp.mktemp(f"scenario-{backend}")
            if backend == "duckdb":
                self._built[key] = str(build_scenario(root, skip=skip))
            else:
                url = self.cluster.new_database("scenario")
                self.databases.append(url)
                self._built[key] = str(build_scenario(root, location=url, skip=skip))
        return self._built[key]

    def copy(self, master: str, target: Path) -> str:
        """A private copy of ``master``: a folder at ``target``, or a new database."""
        if not master.startswith("postgresql://"):
            shutil.copytree(master, target)
            return str(target)
        url = self.cluster.copy_database(master, "scenario_copy")
        self.databases.append(url)
        return url

    def drop(self, location: str) -> None:
        if location in self.databases:
            self.databases.remove(location)
            if self.cluster.data.exists():  # not when the server has already gone
                self.cluster.drop_database(location)


@pytest.fixture(scope="session")
def scenarios(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Scenarios]:
    found = Scenarios(request, tmp_path_factory)
    yield found
    for url in list(found.databases):
        found.drop(url)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The storage backend a security test runs on: ``duckdb`` or ``postgresql``."""
    return str(request.param)


@pytest.fixture
def scenario_ws(scenarios: Scenarios, backend: str, tmp_path: Path) -> Iterator[str]:
    """A private copy of the scenario workspace (tests may write to it): a folder or a URL."""
    location = scenarios.copy(scenarios.master(backend), tmp_path / "ws")
    yield location
    scenarios.drop(location)


@pytest.fixture
def bare_ws(scenarios: Scenarios, backend: str, tmp_path: Path) -> Iterator[str]:
    """A private copy of the scenario built without the SECRET report."""
    location = scenarios.copy(scenarios.master(backend, skip=BARE), tmp_path / "bare")
    yield location
    scenarios.drop(location)


@pytest.fixture(scope="module")
def module_ws(
    scenarios: Scenarios, backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One copy of the scenario for a whole module (its tests must not disturb each other)."""
    location = scenarios.copy(scenarios.master(backend), tmp_path_factory.mktemp("m") / "ws")
    yield location
    scenarios.drop(location)


@pytest.fixture
def api(scenario_ws: str) -> Iterator[tuple[Any, dict[str, str]]]:
    """A test client on a copy of the scenario, and a bearer token per user."""
    keys = tokens(scenario_ws)
    with client(scenario_ws) as c:
        yield c, keys


@pytest.fixture(scope="module")
def shared_api(module_ws: str) -> Iterator[tuple[Any, dict[str, str]]]:
    """One client per module, for tests that only read (their searches are audited,
    which no other test of the module looks at)."""
    keys = tokens(module_ws)
    with client(module_ws) as c:
        yield c, keys
