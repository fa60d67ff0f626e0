"""Documentation that can rot is tested (datasette's tests/test_docs.py): every command
has help text and is described in docs/cli.md with each of its options."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from typer.core import TyperGroup

from threadline.cli.app import app

CLI_DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _group() -> TyperGroup:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    return group


COMMANDS = sorted(_group().commands)


def _sections() -> dict[str, str]:
    text = CLI_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## threadline (\S+)\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_cli_has_the_expected_commands() -> None:
    assert {"init", "ingest", "extract", "resolve", "analyze", "export", "run"} <= set(COMMANDS)
    assert {"report", "retract", "documents", "eval", "demo"} <= set(COMMANDS)


def test_docs_describe_no_command_that_does_not_exist() -> None:
    assert set(_sections()) == set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_text(name: str) -> None:
    command = _group().commands[name]
    assert (command.help or "").strip(), f"'threadline {name}' has no docstring"
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert (param.help or "").strip(), f"'{name} {param.opts[0]}' has no help"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_and_its_options_are_in_the_docs(name: str) -> None:
    section = _sections().get(name)
    assert section is not None, f"docs/cli.md has no '## threadline {name}' section"
    paragraph = section.strip().split("\n\n", 1)[0]
    assert len(paragraph.split()) >= 10, f"'{name}' needs a paragraph describing it"
    for param in _group().commands[name].params:
        if param.name == "help":
            continue
        if param.param_type_name == "option":
            for opt in param.opts + param.secondary_opts:
                assert f"`{opt}" in section, f"docs/cli.md does not describe '{name} {opt}'"
        else:
            arg = str(param.name).upper()
            assert f"`{arg}`" in section, f"docs/cli.md does not describe '{name}' {arg}"
