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


def test_library_warnings_stay_off_the_terminal_unless_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import warnings

    from threadline.cli.app import _quiet_library_warnings

    def emitted() -> list[str]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            _quiet_library_warnings()
            warnings.warn_explicit(
                "closeness centrality is not well-defined for disconnected graphs",
                RuntimeWarning,
                "src/centrality/closeness.c",
                219,
                module="igraph",
            )
            warnings.warn_explicit("ours", UserWarning, "x.py", 1, module="threadline.x")
        return [str(w.message) for w in caught]

    monkeypatch.delenv("THREADLINE_WARNINGS", raising=False)
    assert emitted() == ["ours"]  # igraph's is dropped, the project's own is kept
    monkeypatch.setenv("THREADLINE_WARNINGS", "1")
    assert len(emitted()) == 2
