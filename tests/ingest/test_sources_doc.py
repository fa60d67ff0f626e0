"""docs/sources.md's phone-analysis example, run exactly as written: "Hamza Benzakour was
calling Jeroen van Haaftrecht and Mohamed Tazrouti during the attack"."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from threadline.cli.app import app
from threadline.mappings import MAPPINGS

DOC = Path(__file__).resolve().parents[2] / "docs" / "sources.md"


def _example() -> tuple[list[str], list[str]]:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- phone-example:start -->", 1)[1].split("<!-- phone-example:end -->", 1)[
        0
    ]
    shell, output = re.findall(r"```(?:sh|text)\n(.*?)```", block, flags=re.S)
    commands = [line for line in shell.splitlines() if line.startswith("threadline ")]
    return commands, [line for line in output.splitlines() if line.strip()]


def test_the_phone_analysis_example_gives_the_lines_the_docs_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands, expected = _example()
    assert len(commands) == 4 and commands[-1].startswith("threadline contacts --event")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = None
    for command in commands:
        args = shlex.split(command.replace("$M", str(MAPPINGS)))[1:]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (command, result.output)
    assert result is not None
    lines = [line.rstrip() for line in result.stdout.splitlines() if line.strip()]
    assert lines == expected
    hamza = [line for line in lines if line.strip().startswith("Hamza Benzakour")]
    assert {line.split(" -> ")[1].split(" (")[0] for line in hamza} == {
        "Jeroen van Haaftrecht",
        "Mohamed Tazrouti",
    }
