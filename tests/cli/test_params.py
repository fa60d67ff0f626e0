"""Every command reads its option values as typer itself reads them, without typer's
pydantic layer for the plain ones (threadline.cli.params): the same value, or the
same error in the same words, for every parameter of every command."""

from __future__ import annotations

import os
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main

from threadline.cli import params
from threadline.cli.app import app

_coercion = pytest.importorskip("typer._coercion")  # the layer exists in this typer
_click = pytest.importorskip("typer._click")

SAMPLES: dict[Any, list[Any]] = {
    str: ["abc", "", "Ünïcode name", "--x", " spaced "],
    int: ["0", "1", "5", "-1", "-0", "007", "+3", "1_000", "3.5", "x", "50", "51", "99999", 0, 3],
    float: ["0", "0.5", "1", "1.0", "1.5", "-0.1", "0.99", "1e-1", "nan", "x", 0.25, 1.0, 2],
    bool: [True, False, "true", "0", "yes"],
    Path: ["a/b.csv", "", ".", "~/x", "/", "/nonexistent/file.csv", Path("out")],
}


def _parameters() -> list[tuple[str, Any, Any]]:
    found: list[tuple[str, Any, Any]] = []

    def walk(command: Any, path: list[str]) -> None:
        for param in command.params:
            found.append((" ".join([*path, str(param.name)]), param, command))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


def _samples(param: Any) -> list[Any]:
    annotation = param.type_descriptor.annotation
    many = getattr(annotation, "__origin__", None) is list
    if many:
        (annotation,) = annotation.__args__
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        values: list[Any] = [*annotation, "spark", "SPARK", "Embedded", "bogus", ""]
    else:
        values = list(SAMPLES.get(annotation, ["abc"]))
    values.append(None)
    if many:
        return [tuple(values[:3]), [values[0]], (), values[0]]
    return values


def _outcome(check: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        got = check.coerce(value, param=param, ctx=ctx)
    except _click.exceptions.BadParameter as exc:
        return "error", exc.format_message()
    return type(got).__name__, repr(got)  # repr: nan equals nan


@pytest.mark.parametrize(
    "name,param,command", _parameters(), ids=lambda x: x if isinstance(x, str) else ""
)
def test_each_parameter_reads_values_as_typer_does(name: str, param: Any, command: Any) -> None:
    mine = params.plain(param)
    if mine is None:  # left to typer: nothing to compare
        return
    ctx = _click.Context(command)
    typers = _coercion.build_runtime_param(param.type_descriptor)
    for value in _samples(param):
        assert _outcome(mine, value, param, ctx) == _outcome(typers, value, param, ctx), (
            f"{name}: {value!r}"
        )


def test_the_plain_checks_cover_the_commands_options() -> None:
    """Most parameters get a plain check (else pydantic loads again on every command)."""
    found = _parameters()
    plain = [n for n, p, _ in found if params.plain(p) is not None]
    assert len(plain) == len(found), sorted({n for n, _, _ in found} - set(plain))


def test_a_command_runs_without_pydantic_numpy_or_the_analysis_modules(tmp_path: Path) -> None:
    """What a command loads before it works (docs/benchmarks.md, start-up): `--help` and
    a command on a workspace load neither typer's pydantic layer, nor NumPy, nor the
    analysis modules (only the commands that analyse do)."""
    script = (
        "import sys\n"
        "from threadline.cli.app import main\n"
        "sys.argv = ['threadline', *sys.argv[1:]]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('pydantic', 'numpy', 'threadline.analyze.cells', "
        "'threadline.usecases.analysis', 'typer.rich_utils') if m in sys.modules))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    ws = str(tmp_path / "ws")

    def loaded(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert loaded("init", ws) == "[]"
    assert loaded("documents", "--json", "-w", ws) == "[]"
    assert loaded("--help") == "['typer.rich_utils']"


@pytest.mark.parametrize(
    "args",
    [
        ["resolve", "--help"],
        ["records", "import"],
        ["records", "link", "--threshold", "2"],
        ["records"],
        ["export"],
        ["resolve", "--bogus"],
        ["alerts", "--help"],
        ["bogus"],
    ],
    ids=" ".join,
)
def test_the_console_script_answers_as_the_whole_command_line(args: list[str]) -> None:
    """`threadline NAME ...` builds only the command NAME (threadline.cli.app.main): its
    help, its usage errors and their exit codes are those of the whole command line."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), COLUMNS="100")

    def run(entry: str) -> tuple[int, str, str]:
        script = f"from threadline.cli.app import {entry}; {entry}()"
        done = subprocess.run(
            [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env
        )
        return done.returncode, done.stdout, done.stderr

    assert run("main") == run("app")
