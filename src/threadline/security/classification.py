"""Classification of sources and sharing between agencies: who may see which document.

Every source (a document or a record file) has an owning agency, a level (by
default OPEN < RESTRICTED < SECRET; the list is configurable) and optional
compartments. A user sees a source only if all three hold:

1. cleared for its level (the user's clearance ranks at least as high);
2. in every one of its compartments;
3. it is their agency's, or its agency shares it with theirs: a sharing
   agreement (up to a level, for sources in no compartment beyond the agreed
   ones) or a grant of that very source (after a hit/no-hit request).

A source nobody classified belongs to the default agency at the lowest level.

>>> visible({"agency": "police", "level": "SECRET", "compartments": []},
...         clearance_rank=1, rank={"OPEN": 0, "RESTRICTED": 1, "SECRET": 2},
...         agency="police", compartments=frozenset(), shared=None, granted=False)
False
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from threadline.errors import InvalidValueError, NotFoundError
from threadline.security import Principal
from threadline.security.users import default_agency, iso, now, require_agency
from threadline.store import Workspace
from threadline.store import classification as store
from threadline.store.classification import Classification
from threadline.store.lookups import document_ids, has_document_id

#: Compartment and level names: upper-case letters, digits, - and _.
_TAG = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"


def _check_tag(field: str, value: str) -> str:
    tag = value.strip().upper()
    if not tag or len(tag) > 40 or any(c not in _TAG for c in tag):
        raise InvalidValueError(field, f"'{value}' is not valid: use A-Z, 0-9, - and _")
    return tag


def levels(ws: Workspace) -> list[tuple[str, int]]:
    """The classification levels, lowest first."""
    return store.levels(ws)


def level_names(ws: Workspace) -> list[str]:
    return [name for name, _ in levels(ws)]


def set_levels(ws: Workspace, names: Iterable[str]) -> list[str]:
    """Replace the list of levels (lowest first). A level still used by a source, a user's
    clearance or a sharing agreement cannot be dropped."""
    wanted = [_check_tag("level", n) for n in names]
    if not wanted or len(set(wanted)) != len(wanted):
        raise InvalidValueError("levels", "give at least one level, each once, lowest first")
    missing = sorted(store.levels_in_use(ws) - set(wanted))
    if missing:
        raise InvalidValueError(
            "levels", f"{', '.join(missing)} still in use: reclassify those sources first"
        )
    store.replace_levels(ws, wanted)
    return wanted


def _level(ws: Workspace, value: str) -> str:
    level = value.strip().upper()
    names = level_names(ws)
    if level not in names:
        raise InvalidValueError("level", f"'{value}' is not a level: use {', '.join(names)}")
    return level


def compartments_of(values: Iterable[str]) -> list[str]:
    return sorted({_check_tag("compartment", v) for v in values if v.strip()})


def classify(
    ws: Workspace,
    document: str,
    *,
    agency: str | None = None,
    level: str | None = None,
    compartments: Iterable[str] | None = None,
    by: str | None = None,
) -> Classification:
    """Set a document's owner, level and compartments (what is not given is kept)."""
    doc = ws.document(document)
    current = classification(ws, doc.id)
    owner = require_agency(ws, agency) if agency else current.agency
    if not owner:
        raise InvalidValueError(
            "agency", "the workspace has no agency yet: add one with 'threadline agency add'"
        )
    chosen = _level(ws, level) if level else current.level
    comps = compartments_of(compartments) if compartments is not None else current.compartments
    stored = Classification(doc.id, owner, chosen, tuple(comps), by, iso(now()))
    store.set_classification(ws, stored)
    return stored


def classification(ws: Workspace, document: str) -> Classification:
    stored = store.stored_classification(ws, document)
    if stored is None:
        return Classification(document, default_agency(ws) or "", level_names(ws)[0], ())
    return stored


def classifications(ws: Workspace) -> dict[str, Classification]:
    """Every document's classification (the default one for documents never classified)."""
    lowest = level_names(ws)[0]
    home = default_agency(ws) or ""
    out = {doc: Classification(doc, home, lowest, ()) for doc in document_ids(ws)}
    for stored in store.stored_classifications(ws):
        if stored.document in out:
            out[stored.document] = stored
    return out


# -- sharing -----------------------------------------------------------------------------


def share(
    ws: Workspace,
    owner: str,
    partner: str,
    *,
    max_level: str,
    compartments: Iterable[str] = (),
    judgements: bool = True,
    by: str | None = None,
) -> dict[str, Any]:
    """``owner`` shares its sources up to ``max_level`` (in no compartment beyond
    ``compartments``) with ``partner``; with ``judgements``, also its analysts'
    identity judgements on what it shares. Replaces an earlier agreement."""
    require_agency(ws, owner)
    require_agency(ws, partner)
    if owner == partner:
        raise InvalidValueError("partner", "an agency always sees its own sources")
    level = _level(ws, max_level)
    comps = compartments_of(compartments)
    store.set_share(ws, store.StoredShare(owner, partner, level, comps, judgements, by, iso(now())))
    return {"owner": owner, "partner": partner, "max_level": level, "compartments": comps}


def unshare(ws: Workspace, owner: str, partner: str) -> bool:
    return store.delete_share(ws, owner, partner)


def shares(ws: Workspace) -> list[dict[str, Any]]:
    return [s._asdict() for s in store.stored_shares(ws)]


def grant(
    ws: Workspace, document: str, agency: str, *, by: str | None, alert: int | None = None
) -> None:
    """Share one source with one agency (a granted hit/no-hit request)."""
    require_agency(ws, agency)
    if not has_document_id(ws, document):
        raise NotFoundError(f"document '{document}' does not exist")
    store.add_grant(ws, document, agency, granted_by=by, alert=alert, granted_at=iso(now()))


def visible(
    c: dict[str, Any],
    *,
    clearance_rank: int,
    rank: dict[str, int],
    agency: str,
    compartments: frozenset[str],
    shared: dict[str, Any] | None,
    granted: bool,
) -> bool:
    """The rule of the module docstring for one source ``c`` (agency, level, compartments)."""
    level_rank = rank.get(c["level"], max(rank.values(), default=0) + 1)
    if level_rank > clearance_rank or not set(c["compartments"]) <= compartments:
        return False
    if c["agency"] == agency or granted:
        return True
    if shared is None:
        return False
    return level_rank <= rank.get(shared["max_level"], -1) and set(c["compartments"]) <= set(
        shared["compartments"]
    )


def visible_documents(ws: Workspace, who: Principal) -> frozenset[str] | None:
    """The ids of the documents ``who`` may see; None means every one (all-seeing)."""
    if who.all_seeing:
        return None
    rank = dict(levels(ws))
    clearance_rank = rank.get(who.clearance, -1)
    agreements = {s["owner"]: s for s in shares(ws) if s["partner"] == who.agency}
    granted = store.granted_documents(ws, who.agency)
    out = set()
    for doc, c in classifications(ws).items():
        if visible(
            {"agency": c.agency, "level": c.level, "compartments": c.compartments},
            clearance_rank=clearance_rank,
            rank=rank,
            agency=who.agency,
            compartments=who.compartments,
            shared=agreements.get(c.agency),
            granted=doc in granted,
        ):
            out.add(doc)
    return frozenset(out)


def judgement_sources(ws: Workspace, who: Principal) -> frozenset[str] | None:
    """The agencies whose analyst work (judgements, notes, asserted ties, grades) ``who``
    sees: their own, and those sharing judgements with theirs. None: every agency's."""
    if who.all_seeing:
        return None
    partners = {s["owner"] for s in shares(ws) if s["partner"] == who.agency and s["judgements"]}
    return frozenset({who.agency, *partners})
