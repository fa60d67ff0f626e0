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


def _subcommands() -> list[tuple[str, str]]:
    """Every (group, sub-command) pair: ``records import``, ``user add``, ``spark export`` …"""
    out = []
    for name, command in _group().commands.items():
        if isinstance(command, TyperGroup):
            out += [(name, sub) for sub in sorted(command.commands)]
    return sorted(out)


SUBCOMMANDS = _subcommands()


def _subsection(group: str, sub: str) -> str:
    """The ``### threadline GROUP SUB`` part of the group's section (its heading
    included), else the whole section."""
    section = _sections().get(group, "")
    parts = re.split(r"^(### threadline (\S+) (\S+).*)$", section, flags=re.MULTILINE)
    for i in range(1, len(parts) - 3, 4):
        if parts[i + 1] == group and parts[i + 2] == sub:
            return parts[i] + parts[i + 3]
    return section


def test_the_groups_have_their_sub_commands() -> None:
    assert len(SUBCOMMANDS) >= 20
    assert {("records", "import"), ("watchlist", "screen"), ("user", "add")} <= set(SUBCOMMANDS)


@pytest.mark.parametrize(("group", "sub"), SUBCOMMANDS, ids=lambda v: str(v))
def test_sub_command_has_help_and_its_options_are_in_the_docs(group: str, sub: str) -> None:
    parent = _group().commands[group]
    assert isinstance(parent, TyperGroup)
    command = parent.commands[sub]
    assert (command.help or "").strip(), f"'threadline {group} {sub}' has no docstring"
    section = _subsection(group, sub)
    assert re.search(rf"{group}\s+{sub}\b", section) or f"`{sub}" in section, (
        f"docs/cli.md does not name 'threadline {group} {sub}'"
    )
    for param in command.params:
        if param.name == "help" or param.param_type_name != "option":
            continue
        assert (param.help or "").strip(), f"'{group} {sub} {param.opts[0]}' has no help"
        for opt in param.opts + param.secondary_opts:
            # a group's section may show a sub-command's options in its usage line
            # (`user add NAME --agency AGENCY [--role ...]`): the option as a word will do
            assert re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", section), (
                f"docs/cli.md does not describe '{group} {sub} {opt}'"
            )
