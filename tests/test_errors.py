"""One error tree: every error threadline raises on purpose is a ThreadlineError with a code
no other error class uses, so a code in a log or an API answer names one cause."""

from __future__ import annotations

import importlib
import pkgutil

import threadline
from threadline.errors import ThreadlineError


def _all_subclasses(cls: type) -> set[type]:
    out = set()
    for sub in cls.__subclasses__():
        out |= {sub} | _all_subclasses(sub)
    return out


def test_every_error_code_names_one_error_class() -> None:
    for info in pkgutil.walk_packages(threadline.__path__, "threadline."):
        if ".spark" in info.name or info.name.endswith("__main__"):
            continue  # the Spark engine imports pyspark; its error is checked below
        importlib.import_module(info.name)
    from threadline.spark.session import SparkEngineError  # noqa: F401  (no pyspark needed)

    by_code: dict[str, list[str]] = {}
    for cls in _all_subclasses(ThreadlineError) | {ThreadlineError}:
        by_code.setdefault(cls.code, []).append(f"{cls.__module__}.{cls.__qualname__}")
    shared = {code: names for code, names in by_code.items() if len(names) > 1}
    assert not shared, f"error codes used by more than one class: {shared}"
    assert len(by_code) >= 15
