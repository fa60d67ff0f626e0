"""`threadline serve`: loopback by default, a clear error without a workspace."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from threadline.cli.app import app


def test_serve_listens_on_loopback_by_default(
    monkeypatch: pytest.MonkeyPatch, case_workspace: Path
) -> None:
    calls = _fake_server(monkeypatch)
    port = _free_port()
    result = CliRunner().invoke(app, ["serve", "--workspace", str(case_workspace), "-p", str(port)])
    assert result.exit_code == 0, result.output
    assert calls == [("127.0.0.1", port)]
    assert f"http://127.0.0.1:{port}/" in result.output


def _fake_server(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """uvicorn's server replaced by one that records the socket it was handed."""
    import uvicorn

    calls: list[tuple[str, int]] = []

    def run(self: Any, sockets: list[socket.socket]) -> None:
        calls.append(sockets[0].getsockname()[:2])
        sockets[0].close()

    monkeypatch.setattr(uvicorn.Server, "run", run)
    return calls


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_on_a_busy_port_is_one_error_line_and_its_own_exit_code(
    monkeypatch: pytest.MonkeyPatch, case_workspace: Path
) -> None:
    calls = _fake_server(monkeypatch)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = CliRunner().invoke(
            app, ["serve", "--workspace", str(case_workspace), "-p", str(port)]
        )
    assert result.exit_code == 4
    assert f"port {port} on 127.0.0.1 is already in use" in result.output
    assert "workbench on" not in result.output  # no banner for a server that never ran
    assert calls == []


def test_serve_warns_when_listening_beyond_this_machine(
    monkeypatch: pytest.MonkeyPatch, case_workspace: Path
) -> None:
    _fake_server(monkeypatch)
    result = CliRunner().invoke(
        app,
        ["serve", "--workspace", str(case_workspace), "--host", "0.0.0.0", "-p", str(_free_port())],
    )
    assert result.exit_code == 0 and "other machines can reach" in result.output


def test_serve_without_a_workspace_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--workspace", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no workspace" in result.output


def test_serve_refuses_a_port_out_of_range(case_workspace: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--workspace", str(case_workspace), "-p", "0"])
    assert result.exit_code == 2
