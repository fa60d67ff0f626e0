"""One case workspace and client per test module, for modules whose tests only read.

A module imports :func:`case_client_per_module` from here (a fixture named
``case_client``) to replace the function-scoped
fixture of ``tests/conftest.py`` (which builds a fresh workspace and app for every
test): its tests must not write through the client.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module", name="case_client")
def case_client_per_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A TestClient on the small hand-made case, shared by the tests of one module."""
    from fastapi.testclient import TestClient
    from tests.api.case import build_case_workspace

    from threadline.api import create_app

    workspace = tmp_path_factory.mktemp("case") / "case-ws"
    build_case_workspace(workspace)
    with TestClient(create_app(workspace)) as client:
        yield client
