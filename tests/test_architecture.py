"""The import contract (docs/architecture.md): every package of threadline sits in a
layer and imports only from its own layer or lower ones, and an import of a
threadline module inside a function carries a comment saying why it is not at the
top of its module. Read from the source (no import runs), so it checks in a second."""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, NamedTuple

SRC = Path(__file__).resolve().parents[1] / "src" / "threadline"

#: Lowest first. A package may import from its own layer and the layers before it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("", "errors", "extras", "demo", "mappings"),  # "" is threadline/__init__.py (the version)
    ("model",),
    ("store",),
    ("ingest",),
    ("extract",),
    ("resolve",),
    ("analyze",),
    ("export",),
    ("evaluate",),
    ("security",),
    ("spark",),
    ("pipeline",),
    ("usecases",),
    ("web",),
    ("api",),
    ("cli",),
)
LAYER = {package: rank for rank, names in enumerate(LAYERS) for package in names}

#: Upward imports that stay, each with the reason (module, imported module) -> why.
UPWARD: dict[tuple[str, str], str] = {
    (
        "threadline.extract.tie_train",
        "threadline.resolve.stage",
    ): "a training script: its leave-one-case-out evaluation runs the whole pipeline",
    (
        "threadline.extract.tie_train",
        "threadline.analyze.stage",
    ): "a training script: its leave-one-case-out evaluation runs the whole pipeline",
    (
        "threadline.extract.tie_train",
        "threadline.export.json_export",
    ): "a training script: it scores the JSON export of each held-out case",
}

#: Modules with function-level imports that carry no comment yet: at most this many
#: each (files other engineers were changing when the contract came; it only goes down).
UNCOMMENTED: dict[str, int] = {}  # emptied by issue 21: every one now says why


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module(p): p for p in sorted(SRC.rglob("*.py"))}


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imported(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The threadline modules an import statement loads (a name imported from a
    package counts as the package unless it is a module of its own)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = module.split(".")
        if MODULES[module].name != "__init__.py":
            base = base[:-1]
        if node.level:
            base = base[: len(base) - node.level + 1]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        names = [
            f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in MODULES else prefix for a in node.names
        ]
    return [n for n in names if n == "threadline" or n.startswith("threadline.")]


def _runs(tree: ast.AST) -> dict[int, tuple[int, int]]:
    """For each import statement: the first and last line of the run of imports it is in."""
    runs: dict[int, tuple[int, int]] = {}
    for node in ast.walk(tree):
        for value in ast.iter_fields(node):
            body = value[1]
            if not isinstance(body, list):
                continue
            run: list[ast.stmt] = []
            for stmt in [*body, None]:
                if isinstance(stmt, ast.Import | ast.ImportFrom):
                    run.append(stmt)
                    continue
                for member in run:
                    runs[id(member)] = (run[0].lineno, run[-1].end_lineno or run[-1].lineno)
                run = []
    return runs


class Import(NamedTuple):
    line: int
    in_function: bool
    targets: list[str]
    run: tuple[int, int]  # the lines of the run of imports it belongs to


class _Imports(ast.NodeVisitor):
    def __init__(self, module: str, tree: ast.AST) -> None:
        self.module = module
        self.runs = _runs(tree)
        self.depth = 0
        self.found: list[Import] = []
        self.visit(tree)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.visit_FunctionDef(node)

    def visit_If(self, node: ast.If) -> None:
        if "TYPE_CHECKING" in ast.dump(node.test):
            return  # for the type checker only: never runs
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self._add(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self._add(node)

    def _add(self, node: ast.Import | ast.ImportFrom) -> None:
        targets = _imported(self.module, node)
        if targets:
            run = self.runs.get(id(node), (node.lineno, node.end_lineno or node.lineno))
            self.found.append(Import(node.lineno, self.depth > 0, targets, run))


def _imports() -> dict[str, list[Import]]:
    return {
        module: _Imports(module, ast.parse(path.read_text(encoding="utf-8"))).found
        for module, path in MODULES.items()
    }


IMPORTS = _imports()


def _explained(lines: list[str], run: tuple[int, int]) -> bool:
    """A comment on the line above the run of imports, or on one of its lines."""
    first, last = run
    above = lines[first - 2].strip() if first >= 2 else ""
    return above.startswith("#") or any("#" in line for line in lines[first - 1 : last])


def test_every_package_has_a_layer() -> None:
    packages = {_package(m) for m in MODULES}
    # a module straight under threadline/ (workflow.py ...) is a package of its own here
    assert packages <= set(LAYER), f"place these in LAYERS: {sorted(packages - set(LAYER))}"


def test_no_module_imports_from_a_higher_layer() -> None:
    upward = []
    for module, found in IMPORTS.items():
        for lineno, _in_function, targets, _ in found:
            for target in targets:
                if LAYER[_package(target)] > LAYER[_package(module)]:
                    if (module, target) not in UPWARD:
                        upward.append(f"{MODULES[module].relative_to(SRC)}:{lineno} -> {target}")
    assert not upward, "imports from a higher layer (see docs/architecture.md):\n" + "\n".join(
        upward
    )


def test_the_allowed_upward_imports_still_exist() -> None:
    present = {(m, t) for m, found in IMPORTS.items() for _, _, ts, _ in found for t in ts}
    assert set(UPWARD) <= present, f"remove from UPWARD: {sorted(set(UPWARD) - present)}"


def test_packages_import_each_other_without_cycles() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, found in IMPORTS.items():
        for _, _, targets, _ in found:
            for target in targets:
                if (module, target) not in UPWARD and _package(target) != _package(module):
                    graph[_package(module)].add(_package(target))
    state: dict[str, int] = {}

    def visit(package: str, trail: list[str]) -> None:
        state[package] = 1
        for nxt in sorted(graph[package]):
            assert state.get(nxt) != 1, f"import cycle: {' -> '.join([*trail, package, nxt])}"
            if nxt not in state:
                visit(nxt, [*trail, package])
        state[package] = 2

    for package in sorted(graph):
        if package not in state:
            visit(package, [])


def test_modules_import_each_other_without_cycles() -> None:
    """No two modules import each other round a cycle, in functions neither (issue 21
    broke the last five: the CLI's registration, the ingest readers, datelines,
    users and classification, the name-word table)."""
    cycles = module_cycles()
    assert not cycles, "module import cycles (move the shared piece down a module):\n" + "\n".join(
        " <-> ".join(group) for group in cycles
    )


def test_imports_inside_functions_say_why() -> None:
    silent: dict[str, list[int]] = defaultdict(list)
    for module, found in IMPORTS.items():
        lines = MODULES[module].read_text(encoding="utf-8").splitlines()
        for found_import in found:
            if found_import.in_function and not _explained(lines, found_import.run):
                silent[module].append(found_import.line)
    over = {
        f"{MODULES[m].relative_to(SRC)}": lines
        for m, lines in silent.items()
        if len(lines) > UNCOMMENTED.get(m, 0)
    }
    assert not over, (
        "imports of threadline modules inside functions without a comment saying why "
        f"(move them to the top of the module, or explain): {over}"
    )


def test_the_checks_would_catch_a_violation() -> None:
    """The reading of imports sees a function-level upward import and its comment."""
    source = (
        "def f():\n    from threadline.api.app import create_app\n    return create_app\n\n"
        "def g():\n    # lazy: the web server loads only for `serve`\n"
        "    from threadline.api.app import create_app\n    return create_app\n"
    )
    found = _Imports("threadline.model.identity", ast.parse(source)).found
    assert [(i.line, i.in_function) for i in found] == [(2, True), (7, True)]
    assert found[0].targets == ["threadline.api.app"]
    assert LAYER[_package("threadline.api.app")] > LAYER[_package("threadline.model.identity")]
    lines = source.splitlines()
    assert not _explained(lines, found[0].run) and _explained(lines, found[1].run)


def test_the_cycle_count_would_catch_a_cycle(monkeypatch: Any) -> None:
    a, b = "threadline.errors", "threadline.extras"
    fake = {a: [Import(1, True, [b], (1, 1))], b: [Import(1, False, [a], (1, 1))]}
    monkeypatch.setattr(sys.modules[__name__], "IMPORTS", fake)
    assert module_cycles() == [[a, b]]


# -- counting (docs/architecture.md): `python tests/test_architecture.py` ------------


def module_cycles() -> list[list[str]]:
    """The groups of modules that import each other round a cycle (Tarjan's strongly
    connected components over every import between modules, in functions too), each
    sorted, largest first."""
    graph: dict[str, set[str]] = {
        m: {t for i in found for t in i.targets if t != m and t in MODULES}
        for m, found in IMPORTS.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return sorted(groups, key=lambda g: (-len(g), g))


def function_level_imports() -> tuple[int, int, int]:
    """Import statements of threadline modules inside functions: how many, in how many
    modules, and how many of them without a comment saying why."""
    statements = modules = silent = 0
    for module, found in IMPORTS.items():
        lines = MODULES[module].read_text(encoding="utf-8").splitlines()
        inner = [i for i in found if i.in_function]
        statements += len(inner)
        modules += bool(inner)
        silent += sum(not _explained(lines, i.run) for i in inner)
    return statements, modules, silent


if __name__ == "__main__":
    n, in_modules, uncommented = function_level_imports()
    print(f"function-level imports of threadline modules: {n} in {in_modules} modules")
    print(f"  without a comment saying why: {uncommented}")
    cycles = module_cycles()
    print(f"module import cycles (strongly connected groups): {len(cycles)}")
    for group in cycles:
        print("  " + " <-> ".join(m.removeprefix("threadline.") for m in group))
