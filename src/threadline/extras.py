"""Optional extras: the packages only some commands need.

``make demo`` (``pip install -e .``) installs the runtime; the extras of
``pyproject.toml`` add what a few commands need on top (the README's table):

- ``records``: Splink and pyarrow, for ``records import`` (record linkage) and the
  call records of ``ingest-records``;
- ``spark``: pyspark and pandas (and ``records``), for ``--engine spark``.

A command that needs a missing extra stops with a :class:`MissingExtraError`
naming the extra, before it writes anything:

    >>> require("json", "records", "reading JSON")  # installed: nothing happens
    >>> require("no_such_module_xyz", "records", "record linkage")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    threadline.errors.MissingExtraError: [T960] record linkage needs no_such_module_xyz, ...
"""

from __future__ import annotations

import importlib.util
import sys

from threadline.errors import MissingExtraError

#: extra -> the modules it brings that threadline imports.
EXTRAS: dict[str, tuple[str, ...]] = {
    "records": ("splink", "pyarrow"),
    "spark": ("pyspark", "pandas"),
}


def installed(module: str) -> bool:
    """Whether ``module`` can be imported (without importing it)."""
    if module in sys.modules:
        return sys.modules[module] is not None
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def require(module: str, extra: str, purpose: str) -> None:
    """Raise :class:`MissingExtraError` when ``module`` (of ``extra``) is not installed."""
    if not installed(module):
        raise MissingExtraError(
            f"{purpose} needs {module}, which comes with the '{extra}' extra: "
            f"pip install 'threadline[{extra}]' (or pip install -e '.[{extra}]' in a "
            "checkout; make install installs every extra)"
        )
