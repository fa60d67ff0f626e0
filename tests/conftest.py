"""Shared fixtures. The real articles are read from ../shared at run time, never copied."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold" / "seeds.json"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared sits beside the repository in CI)")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return _need(SEEDS)


@pytest.fixture(scope="session")
def gold() -> dict[str, Any]:
    return json.loads(_need(GOLD).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> dict[str, Any]:
    """The whole pipeline on the five seed articles, once per test session."""
    from threadline.export.json_export import build_export
    from threadline.store import open_workspace
    from threadline.workflow import run

    root = tmp_path_factory.mktemp("seeds")
    ws = open_workspace(root / "ws", create=True)
    summary = run(ws, [seeds_dir], root / "out")
    export = build_export(ws)
    ws.close()
    return {
        "root": root,
        "workspace": root / "ws",
        "out": root / "out",
        "summary": summary,
        "export": export,
    }


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo case through the whole pipeline, once per test session."""
    from threadline.demo import CASE_DIR
    from threadline.export.json_export import build_export
    from threadline.store import open_workspace
    from threadline.workflow import run

    root = tmp_path_factory.mktemp("demo")
    ws = open_workspace(root / "ws", create=True)
    summary = run(ws, [CASE_DIR], root / "out")
    export = build_export(ws)
    ws.close()
    return {
        "root": root,
        "workspace": root / "ws",
        "out": root / "out",
        "summary": summary,
        "export": export,
    }


def entity_named(
    export: dict[str, Any], name: str, schema: str | None = None
) -> list[dict[str, Any]]:
    """Entities carrying ``name`` among their names or aliases."""
    return [
        e
        for e in export["entities"]
        if (schema is None or e["schema"] == schema)
        and (name == e["name"] or name in e["names"] or name in e["aliases"])
    ]


def ties_between(export: dict[str, Any], a: str, b: str) -> list[dict[str, Any]]:
    return [t for t in export["ties"] if {t["source"], t["target"]} == {a, b}]
