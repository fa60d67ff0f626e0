"""Help that reads like a manual: value words (TEXT, PATH, INTEGER) instead of the
Python annotations typer shows (``<str>``, ``<list[Path]>``, ``<bool>``), and a
width that does not squeeze the help text when the output is not a terminal.

:class:`Group` is the command class of every threadline command group; it gives
each command's parameters their value word, and their plain value checks
(:mod:`threadline.cli.params`), the first time the command is looked up
(``threadline run --help`` looks ``run`` up before printing its help).

typer prints help and usage errors with ``typer.rich_utils`` (rich's Markdown,
markdown-it, Pygments: ~0.04 s of CPU to import). It is imported when help or an
error is printed, not when a command only runs; the width it prints at is set then.
"""

from __future__ import annotations

import sys
import types
from pathlib import PurePath
from typing import Any, get_args, get_origin

from typer.core import TyperGroup

try:  # typer 0.29 carries its own copy of click
    from typer._click.exceptions import ClickException
except ImportError:  # an older typer runs on click itself
    from click.exceptions import ClickException  # type: ignore[assignment,no-redef,import-not-found,unused-ignore]

from threadline.cli import params

#: Help printed to a pipe or a file is this wide (a terminal's own width wins).
PIPE_WIDTH = 100

_WORDS: dict[type, str] = {str: "TEXT", int: "INTEGER", float: "NUMBER"}


def value_word(param: Any) -> str | None:
    """The word shown for what ``param`` takes: ``PATH``, ``TEXT``, ``INTEGER``,
    ``a|b`` for a choice, nothing for a flag; ``...`` when an argument repeats.
    ``None`` when the parameter does not say (another typer version): left as is."""
    desc = getattr(param, "type_descriptor", None)
    if desc is None:
        return None
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    annotation = getattr(desc, "annotation", None)
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    if getattr(desc, "is_choice", False) and getattr(desc, "choices", None):
        word = "|".join(str(getattr(c, "value", c)) for c in desc.choices)
    elif getattr(desc, "is_path", False) or (
        isinstance(annotation, type) and issubclass(annotation, PurePath)
    ):
        word = "PATH"
    elif isinstance(annotation, type) and annotation in _WORDS:
        word = _WORDS[annotation]
    elif getattr(desc, "is_datetime", False):
        word = "DATE"
    else:
        word = "VALUE"
    many = getattr(param, "nargs", 1) != 1 or getattr(param, "multiple", False)
    return f"{word}..." if many and param.param_type_name == "argument" else word


def _plain_param(param: Any) -> None:
    if param is None or getattr(param, "_threadline_help", False):
        return
    word = value_word(param)
    if word is None:
        return
    # typer's help asks the parameter for its type label: answer with the word
    param.display_type = types.MethodType(lambda self, ctx, w=word: w, param)
    if param.param_type_name == "argument" and param.metavar is None:
        param.metavar = str(param.name).upper()  # usage: threadline run {PATHS}...
    param._threadline_help = True


def _plain_types(command: Any) -> None:
    if getattr(command, "_threadline_help", False):
        return
    for param in command.params:
        _plain_param(param)
    params.install(command)
    original = command.get_help_option

    def get_help_option(ctx: Any) -> Any:  # --help is made on demand: plain it then
        option = original(ctx)
        _plain_param(option)
        return option

    command.get_help_option = get_help_option
    if not isinstance(command, Group):  # a group widens in its own format_help
        command.format_help = _widening(command.format_help)
    command._threadline_help = True
    for sub in getattr(command, "commands", {}).values():
        _plain_types(sub)


class Group(TyperGroup):
    """A typer command group whose commands print plain value words in their help."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _plain_types(command)
            _widen()
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _plain_types(self)
        _widen()
        _apply_width()
        super().format_help(ctx, formatter)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        params.install(self)  # the group's own options (--help, --version) too
        try:
            return super().make_context(*args, **kwargs)
        except ClickException:
            _apply_width()  # typer prints the error next
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ClickException:
            _apply_width()  # typer prints the error next
            raise


#: A command was looked up or help asked for: help and errors printed from then on
#: are :data:`PIPE_WIDTH` wide when the output is not a terminal.
_wide = False


def _widen() -> None:
    global _wide
    _wide = True
    if "typer.rich_utils" in sys.modules:
        _apply_width()


def _apply_width() -> None:
    if not _wide:
        return
    # lazy: typer's help printer loads when help or an error is printed (0.04 s)
    import typer.rich_utils

    if typer.rich_utils.MAX_WIDTH is None and not sys.stdout.isatty():
        typer.rich_utils.MAX_WIDTH = PIPE_WIDTH


def _widening(format_help: Any) -> Any:
    def widened(ctx: Any, formatter: Any) -> None:
        _apply_width()
        format_help(ctx, formatter)

    return widened
