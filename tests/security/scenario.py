"""The three-agency fictional scenario (docs/agencies.md), built through the real pipeline.

Harbour Police (``police``), the intelligence service (``intel``) and the prison
service (``prison``) share one workspace. Police share their sources with the
intelligence service up to RESTRICTED; nobody else shares anything. The
intelligence service's source report is SECRET in the HUMINT compartment.
Every name and place is invented.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

TEXTS = {
    "police-report.txt": (
        "Harbour Police incident report. Officers saw Tarik Benhadi with Omar Saleh at the "
        "Vremmingen harbour on 3 March. Tarik Benhadi and Omar Saleh are old friends.\n"
    ),
    "intel-source-report.txt": (
        "Source report. Tarik Benhadi, known as Abu Said, is in constant touch with Nadia "
        "Kerrou. Nadia Kerrou recruited Tarik Benhadi in 2014.\n"
    ),
    "prison-release-record.txt": (
        "Release record of the Lindemark prison. The inmate Tarik Benhadi was released on "
        "1 February. In prison Tarik Benhadi shared a cell with Yassin Dahmani.\n"
    ),
}
#: file -> (agency, level, compartments)
CLASSES = {
    "police-report.txt": ("police", "RESTRICTED", []),
    "intel-source-report.txt": ("intel", "SECRET", ["HUMINT"]),
    "prison-release-record.txt": ("prison", "RESTRICTED", []),
}
PASSWORD = "correct horse battery 7"
#: name -> (agency, role, clearance, compartments)
USERS = {
    "pol-analyst": ("police", "analyst", "RESTRICTED", []),
    "pol-viewer": ("police", "viewer", "RESTRICTED", []),
    "pol-admin": ("police", "admin", "SECRET", []),
    "int-analyst": ("intel", "analyst", "SECRET", ["HUMINT"]),
    "int-viewer": ("intel", "viewer", "SECRET", []),
    "int-admin": ("intel", "admin", "SECRET", ["HUMINT"]),
    "pri-admin": ("prison", "admin", "RESTRICTED", []),
    "pri-viewer": ("prison", "viewer", "RESTRICTED", []),
    "auditor": ("police", "auditor", "OPEN", []),
}


def build_scenario(
    root: Path,
    *,
    location: str | None = None,
    with_users: bool = True,
    skip: tuple[str, ...] = (),
) -> Path | str:
    """Write the scenario's sources into ``root/docs`` and a workspace at ``location``
    (a folder or a ``postgresql://`` URL; default ``root/ws``): ingested, classified,
    extracted, resolved and analysed; agencies, users, sharing. Returns the location."""
    from threadline.analyze.stage import analyze_workspace
    from threadline.extract.stage import extract_workspace
    from threadline.ingest import ingest_paths
    from threadline.resolve.stage import resolve_workspace
    from threadline.security.classification import classify, share
    from threadline.security.users import add_agency, add_user
    from threadline.store import open_workspace

    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    where: Path | str = location if location is not None else root / "ws"
    ws = open_workspace(where, create=True)
    try:
        for agency in ("police", "intel", "prison"):
            add_agency(ws, agency, agency.title())
        for name, text in TEXTS.items():
            if name in skip:
                continue
            (docs / name).write_text(text, encoding="utf-8")
            report = ingest_paths(ws, [docs / name])
            agency, level, comps = CLASSES[name]
            classify(ws, report.added[0], agency=agency, level=level, compartments=comps)
        share(ws, "police", "intel", max_level="RESTRICTED")
        extract_workspace(ws)
        resolve_workspace(ws)
        analyze_workspace(ws)
        if with_users:
            for name, (agency, role, clearance, comps) in USERS.items():
                add_user(ws, name, agency=agency, role=role, password=PASSWORD,
                         clearance=clearance, compartments=set(comps))  # fmt: skip
    finally:
        ws.close()
    return where


def doc_id(ws_root: Path | str, name: str) -> str:
    from threadline.store import open_workspace

    with open_workspace(ws_root) as ws:
        return next(d.id for d in ws.documents() if d.source.endswith(name))


def tokens(ws_root: Path | str) -> dict[str, str]:
    """A bearer token for every user of the scenario."""
    from threadline.security.users import issue
    from threadline.store import open_workspace

    with open_workspace(ws_root) as ws:
        return {u: issue(ws, u, kind="token", ttl=timedelta(hours=1))[0] for u in USERS}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def client(ws_root: Path | str) -> Any:
    from fastapi.testclient import TestClient

    from threadline.api import create_app

    return TestClient(create_app(ws_root))
