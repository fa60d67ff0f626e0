"""One audit writer: records reach the log only through ``security.audit.record_many``
(which chains them and appends through ``store.audit``), and in the API only through
``api.audit_writer.AuditWriter``. Read from the source (no import runs); the login and
its failures, once written by the route itself, go through the writer too."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from tests.security.scenario import PASSWORD

from threadline.security.audit import read

SRC = Path(__file__).resolve().parents[2] / "src" / "threadline"
WRITES = {"record", "record_many"}

#: The modules that call the audit log's writing functions, and why they may.
WRITERS = {
    "threadline.api.audit_writer": "the API's one writer (at once, or buffered)",
    "threadline.security.alerts": "an alert's record lands in the transaction of its change",
    "threadline.cli.access_cmd": "the command line's changes (one helper, _audit)",
    "threadline.security.audit": "record calls record_many",
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def audit_writers(module: str, source: str) -> list[int]:
    """The lines of ``source`` that call ``security.audit.record`` or ``record_many``."""
    tree = ast.parse(source)
    modules, functions = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "threadline.security":
            modules |= {a.asname or a.name for a in node.names if a.name == "audit"}
        elif isinstance(node, ast.ImportFrom) and node.module == "threadline.security.audit":
            functions |= {a.asname or a.name for a in node.names if a.name in WRITES}
        elif isinstance(node, ast.Import):
            modules |= {a.asname for a in node.names if a.name == "threadline.security.audit"
                        and a.asname}  # fmt: skip
    if module == "threadline.security.audit":
        functions |= WRITES
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if (
            isinstance(f, ast.Name)
            and f.id in functions
            or (
                isinstance(f, ast.Attribute)
                and f.attr in WRITES
                and isinstance(f.value, ast.Name)
                and f.value.id in modules
            )
        ):
            lines.append(node.lineno)
    return lines


def _sources() -> dict[str, str]:
    return {_module(p): p.read_text(encoding="utf-8") for p in sorted(SRC.rglob("*.py"))}


def test_only_the_known_writers_append_to_the_audit_log() -> None:
    found = {m: lines for m, s in _sources().items() if (lines := audit_writers(m, s))}
    extra = {m: lines for m, lines in found.items() if m not in WRITERS}
    assert not extra, f"write audit records through api.audit_writer.AuditWriter: {extra}"
    assert set(found) == set(WRITERS), f"no longer writing: {set(WRITERS) - set(found)}"
    assert [m for m in found if m.startswith("threadline.api.")] == ["threadline.api.audit_writer"]


def test_only_store_audit_holds_the_audit_tables_sql() -> None:
    sources = _sources()
    inserts = re.compile(r"\bINSERT\s+INTO\s+audit_(log|heads)\b", re.I)
    changes = re.compile(r"\b(UPDATE|DELETE\s+FROM)\s+audit_(log|heads?)\b", re.I)
    # the schema also fills the heads once, when it migrates the old single-row head
    inserting = {m for m, s in sources.items() if inserts.search(s)}
    assert "threadline.store.audit" in inserting
    assert inserting <= {"threadline.store.audit", "threadline.store.schema"}, inserting
    changers = {m for m, s in sources.items() if changes.search(s)}
    assert all(m.startswith("threadline.store.") for m in changers), changers
    users = {m for m, s in sources.items() if "threadline.store import audit" in s
             or "threadline.store.audit import" in s}  # fmt: skip
    assert users == {"threadline.security.audit"}, users


def test_the_check_sees_a_write_by_any_import_form() -> None:
    source = (
        "from threadline.security import audit as log\n"
        "from threadline.security.audit import record as rec, read\n"
        "def f(ws):\n    log.record_many(ws, [])\n    rec(ws, actor='a', agency=None, action='x')\n"
        "    read(ws)\n    log.verify(ws)\n"
    )
    assert audit_writers("threadline.api.routes.x", source) == [4, 5]


def test_a_login_and_a_failed_one_are_written_by_the_writer(api: Any) -> None:
    c, _ = api
    assert c.post("/api/auth/login", json={"user": "pol-analyst", "password": "wrong password"}
                  ).status_code == 401  # fmt: skip
    assert c.post("/api/auth/login", json={"user": "pol-analyst", "password": PASSWORD}
                  ).status_code == 200  # fmt: skip
    with c.app.state.workbench.database() as ws:
        items, _ = read(ws, actor="pol-analyst", action="login*", limit=10)
    assert [(i["action"], i["agency"]) for i in reversed(items)] == [
        ("login.failed", "police"),
        ("login", "police"),
    ]
    assert {i["target"] for i in items} == {"testclient"}
