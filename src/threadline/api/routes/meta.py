"""What the workspace holds and what this server can do."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request

from threadline import __version__
from threadline.analyze import defaults
from threadline.api import identity
from threadline.api.access import access_of
from threadline.api.deps import WorkbenchDep
from threadline.api.models import Meta, Summary
from threadline.extract.roles import ORG_ROLES, PERSON_ROLES
from threadline.model.vocabulary import TIE_TYPES
from threadline.store.postgres import is_server_url, safe_url
from threadline.usecases.summary import workspace_summary

router = APIRouter(tags=["workspace"])


@router.get("/meta", response_model=Meta, summary="Workspace summary and vocabulary")
def meta(wb: WorkbenchDep, request: Request) -> dict[str, object]:
    """Counts, the tie vocabulary (with how many ties of each type), the measures
    stored by ``threadline analyze``, the date range of the sources, and which
    optional features (judgements, watchlists, analysis) this installation has."""
    snap = wb.snapshot
    per_type = Counter(snap.ties.type_code.tolist())
    types = []
    for code, name in enumerate(snap.ties.types):
        info = TIE_TYPES.get(name)
        types.append(
            {
                "name": name,
                "meaning": info.meaning if info else "",
                "directed": bool(info and info.directed),
                "type_class": info.type_class if info else "other",
                "count": per_type.get(code, 0),
            }
        )
    first, last = snap.date_range()
    return {
        "defaults": defaults.as_dict(),
        "workspace": _where(request, wb),
        "version": __version__,
        "counts": {k: v for k, v in snap.counts.items() if not k.startswith("schema:")},
        "schemata": {k[7:]: v for k, v in snap.counts.items() if k.startswith("schema:")},
        "tie_types": types,
        "measures": snap.measure_names(),
        "date_min": first,
        "date_max": last,
        "features": identity.features(),
        "load_seconds": round(wb.load_seconds, 3),
        "roles": {"Person": list(PERSON_ROLES), "Organization": list(ORG_ROLES)},
    }


@router.get("/summary", response_model=Summary, summary="What the run found, in brief")
def summary(wb: WorkbenchDep) -> dict[str, Any]:
    """Counts of documents, entities by schema, ties and claims; where sources disagree;
    the key people and groups by betweenness then degree: what ``threadline run``
    prints at the end, from the same function (cached per snapshot)."""
    key = ("summary", wb.snapshot.token)
    found: dict[str, Any] | None = wb.cache.get(key)
    if found is None:
        with wb.database() as ws:
            found = workspace_summary(ws)
        wb.cache[key] = found
    return found


def _where(request: Request, wb: WorkbenchDep) -> str:
    """The workspace's location; with access control on, only its name (no folder of the
    server, no view's scratch folder, no database URL)."""
    access = access_of(request)
    where = str(access.home.root if access.enabled else wb.root)
    if not access.enabled:
        return safe_url(where) if is_server_url(where) else where
    return where.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
