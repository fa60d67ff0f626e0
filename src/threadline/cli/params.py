"""Option values turned into Python values without loading pydantic, where that is plain.

typer (0.29) checks every parameter of the command that runs through a pydantic
``TypeAdapter``, built on first use: importing pydantic and building the adapters of
one command costs ~0.1 s of CPU, each time any command starts, for what is mostly a
string kept as it is. :func:`install` gives each parameter of a command a converter
for the values that need no judgement (a string, a whole number or a decimal written
plainly and inside the option's bounds, a path, a choice), which returns what typer's
adapter returns for them; any other value (out of bounds, not a number, a type not
handled here) goes to typer's own adapter, so the errors and their wording are
typer's. ``tests/cli/test_params.py`` checks the two agree on every parameter of every
command. On a typer without this layer (other versions), nothing is changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

#: A whole number or a decimal as people write them (no exponent, sign or underscore
#: but a leading minus, no leading zero): pydantic reads these as ``int``/``float`` do.
_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,17})?")


class _Unsure(Exception):
    """The value is not plain: typer's own adapter decides (and words the error)."""


Convert = Callable[[Any, Any, Any], Any]  # (value, param, ctx) -> value


def _bounded(number: Any, info: Any) -> Any:
    if (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
        raise _Unsure  # typer says what the bounds are
    return number


def _converter(annotation: Any, info: Any) -> Convert | None:
    """What turns one value of ``annotation`` into the value typer would give, or
    ``None`` when this module does not handle the annotation."""
    # lazy: typer's private helpers, present in the versions this module knows
    from typer._param_types import coerce_cli_choice, coerce_cli_path

    if info.parser is not None:
        return None
    if annotation is bool:  # a flag's value is a bool already; typer reads any other

        def flag(value: Any, param: Any, ctx: Any) -> Any:
            if type(value) is not bool:
                raise _Unsure
            return value

        return flag
    if annotation is str:

        def text(value: Any, param: Any, ctx: Any) -> Any:
            if type(value) is not str:
                raise _Unsure
            return value

        return text
    if annotation is int or annotation is float:
        pattern = _INT if annotation is int else _FLOAT
        if info.clamp:
            return None

        def number(value: Any, param: Any, ctx: Any) -> Any:
            if type(value) is annotation:
                return _bounded(value, info)
            if type(value) is str and pattern.fullmatch(value):
                return _bounded(annotation(value), info)
            raise _Unsure

        return number
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        choices = tuple(annotation)

        def choice(value: Any, param: Any, ctx: Any) -> Any:
            try:
                return coerce_cli_choice(
                    value, choices=choices, case_sensitive=info.case_sensitive, ctx=ctx
                )
            except ValueError:
                raise _Unsure from None

        return choice
    if annotation is Path and info.path_type is None:

        def path(value: Any, param: Any, ctx: Any) -> Any:
            if type(value) is str:
                value = Path(value)  # what pydantic's Path adapter makes of a string
            elif not isinstance(value, Path):
                raise _Unsure
            return coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)

        return path
    return None


class _Plain:
    """A parameter's runtime check (typer's ``RuntimeParam`` interface: ``coerce``)
    that hands what it cannot judge to typer's own."""

    def __init__(self, convert: Convert, many: bool, descriptor: Any) -> None:
        self.convert = convert
        self.many = many
        self.descriptor = descriptor
        self._typer: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        is_multi_value = param.multiple or param.nargs == -1
        if value is None:
            return () if is_multi_value else None
        try:
            if is_multi_value and isinstance(value, str):
                raise _Unsure  # typer refuses it, in its words
            if self.many:
                items = value if isinstance(value, list | tuple) else [value]
                return [self.convert(item, param, ctx) for item in items]
            return self.convert(value, param, ctx)
        except _Unsure:
            return self.typers().coerce(value, param=param, ctx=ctx)

    def typers(self) -> Any:
        if self._typer is None:
            # lazy: typer's pydantic layer, for the values this module leaves to it
            from typer._coercion import build_runtime_param

            self._typer = build_runtime_param(self.descriptor)
        return self._typer


def plain(param: Any) -> Any | None:
    """The plain check for ``param``, or ``None`` (typer keeps its own)."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or getattr(param, "_runtime_param", False) is not None:
        return None  # not a typer parameter of the kind known here, or already checked
    annotation = getattr(descriptor, "annotation", None)
    info = getattr(descriptor, "parameter_info", None)
    if info is None or getattr(descriptor, "file_annotation", None) is not None:
        return None
    many = get_origin(annotation) is list
    if many:
        (annotation,) = get_args(annotation)
    try:
        convert = _converter(annotation, info)
    except (ImportError, AttributeError):  # another typer: keep its own checks
        return None
    return None if convert is None else _Plain(convert, many, descriptor)


def install(command: Any) -> None:
    """Give every parameter of ``command`` (``--help`` too, made on demand) that has a
    plain check that check."""
    if getattr(command, "_threadline_checks", False):
        return
    for param in getattr(command, "params", ()):
        _install(param)
    original = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = original(ctx)
        _install(option)
        return option

    command.get_help_option = get_help_option
    command._threadline_checks = True


def _install(param: Any) -> None:
    check = None if param is None else plain(param)
    if check is not None:
        param._runtime_param = check


def evaluate_annotations(app: Any) -> None:
    """Turn the annotations of every command of ``app`` (strings, under ``from __future__
    import annotations``) into the objects they name, once.

    typer reads each command's annotations twice when it builds the command line
    (``inspect.signature(eval_str=True)``, then ``typing.get_type_hints``), each time
    compiling and evaluating every string again: 0.06 s of CPU for the 65 commands at
    every start, 0.02 s once they are objects. Names only the type checker imports
    (``if TYPE_CHECKING``) cannot appear in a command's signature: typer evaluates them
    too."""
    # lazy: inspect is loaded by typer already; keeps this module's import list short
    import inspect

    for info in _callbacks(app):
        callback = info.callback
        if callback is not None and any(
            isinstance(a, str) for a in callback.__annotations__.values()
        ):
            callback.__annotations__ = inspect.get_annotations(callback, eval_str=True)


def _callbacks(app: Any) -> Any:
    yield from getattr(app, "registered_commands", ())
    if getattr(app, "registered_callback", None) is not None:
        yield app.registered_callback
    for group in getattr(app, "registered_groups", ()):
        yield from _callbacks(group.typer_instance)
