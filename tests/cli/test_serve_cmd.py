"""`threadline serve`: loopback by default, a clear error without a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from threadline.cli.app import app


def test_serve_listens_on_loopback_by_default(
    monkeypatch: pytest.MonkeyPatch, case_workspace: Path
) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: calls.append(kw))
    result = CliRunner().invoke(app, ["serve", "--workspace", str(case_workspace), "-p", "9123"])
    assert result.exit_code == 0, result.output
    assert calls == [{"host": "127.0.0.1", "port": 9123, "log_level": "warning"}]
    assert "http://127.0.0.1:9123/" in result.output


def test_serve_warns_when_listening_beyond_this_machine(
    monkeypatch: pytest.MonkeyPatch, case_workspace: Path
) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: None)
    result = CliRunner().invoke(
        app, ["serve", "--workspace", str(case_workspace), "--host", "0.0.0.0"]
    )
    assert result.exit_code == 0 and "other machines can reach" in result.output


def test_serve_without_a_workspace_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--workspace", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no workspace" in result.output


def test_serve_refuses_a_port_out_of_range(case_workspace: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--workspace", str(case_workspace), "-p", "0"])
    assert result.exit_code == 2
