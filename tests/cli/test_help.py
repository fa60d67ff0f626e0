"""`--help` reads like a manual: value words, not Python annotations, at a readable width."""

from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from threadline.cli.app import app

runner = CliRunner()


def _all_commands() -> list[list[str]]:
    group = typer.main.get_command(app)
    out: list[list[str]] = [[]]
    for name, command in sorted(group.commands.items()):  # type: ignore[attr-defined]
        out.append([name])
        for sub in sorted(getattr(command, "commands", {})):
            out.append([name, sub])
    return out


@pytest.mark.parametrize("path", _all_commands(), ids=lambda p: " ".join(p) or "threadline")
def test_help_shows_no_python_type_names(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    leaked = re.findall(r"<(?:bool|str|int|float|path|list\[[^\]]*\])[^>]*>", result.output)
    assert not leaked, f"'threadline {' '.join(path)} --help' shows {leaked}"
    assert "{paths}" not in result.output


def test_help_of_a_command_names_what_each_option_takes() -> None:
    result = runner.invoke(app, ["run", "--help"])
    assert "PATH" in result.output and "INTEGER" in result.output
    assert re.search(r"--json\s+Print JSON", result.output)  # a flag takes no value word
