"""Who was in contact with whom, and when: call records read by time window.

Needs: calls read from call detail records (``threadline ingest-records`` with a
``calls`` mapping) and, to put names to numbers, phone owners (a subscriber
table, a CDR's own name columns, or ``threadline assign-phone``); resolved
entities make a person's every number count as theirs.
Produces: :class:`Contact` rows — two numbers, the people they are attributed
to, how many calls each way, first and last call, total duration, and the first
call's file and row as evidence — for any window, or for the window of an event
(``during_event``): its start and end from a record (an incident log), or its
day from the articles, widened by a margin.

"Who was Hamza Benzakour calling during the Lantern Market attack?" is
``contacts(ws, who="Hamza Benzakour", start=w.start, end=w.end)`` with ``w`` the
event's window (:func:`event_window`); docs/sources.md runs it on the demo's records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from threadline.errors import NotFoundError
from threadline.ingest.values import normalise_phone, parse_date, parse_datetime
from threadline.model.names import fold
from threadline.store import Workspace
from threadline.store import mapped as store


@dataclass(frozen=True)
class Window:
    """A time window ``[start, end)`` and what it was read from."""

    start: dt.datetime
    end: dt.datetime
    source: str


@dataclass
class Party:
    number: str
    names: list[str] = field(default_factory=list)
    entity: str | None = None

    @property
    def label(self) -> str:
        return f"{' / '.join(self.names)} ({self.number})" if self.names else self.number

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "names": self.names, "entity": self.entity}


@dataclass
class Contact:
    """Calls between two numbers in a window: ``calls_ab`` from ``a`` to ``b``."""

    a: Party
    b: Party
    calls: int
    calls_ab: int
    calls_ba: int
    first: dt.datetime
    last: dt.datetime
    duration: int
    evidence: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "calls": self.calls,
            "calls_a_to_b": self.calls_ab,
            "calls_b_to_a": self.calls_ba,
            "first_contact": self.first.isoformat(),
            "last_contact": self.last.isoformat(),
            "duration_seconds": self.duration,
            "evidence": self.evidence,
        }


def _owners_by_number(ws: Workspace) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Number -> owner names (entity names when resolved), number -> entity id."""
    entity_of: dict[str, str] = {}
    names_of: dict[str, str] = {}
    for e in ws.entities():
        names_of[e.id] = e.name
        for m in e.mentions:
            entity_of[m] = e.id
    names: dict[str, list[str]] = defaultdict(list)
    entity: dict[str, str] = {}
    for o in store.owners(ws):
        eid = entity_of.get(o.mention)
        name = names_of.get(eid, o.name) if eid else o.name
        if name not in names[o.number]:
            names[o.number].append(name)
        if eid and o.number not in entity:
            entity[o.number] = eid
    return dict(names), entity


def numbers_of(ws: Workspace, who: str, *, country_code: str | None = None) -> list[str]:
    """The numbers of a person (by name, alias or entity id) or ``who`` itself when it is
    a phone number. Raises :class:`NotFoundError` when nothing matches."""
    if any(c.isdigit() for c in who) and not any(c.isalpha() for c in who):
        try:
            return [normalise_phone(who, country_code=country_code)]
        except ValueError as exc:
            raise NotFoundError(f"'{who}': {exc}") from None
    wanted = fold(who)
    mentions: set[str] = set()
    for e in ws.entities():
        if e.id == who or wanted in {fold(n) for n in (e.name, *e.names, *e.aliases)}:
            mentions.update(e.mentions)
    found = [o.number for o in store.owners(ws) if o.mention in mentions or fold(o.name) == wanted]
    if not found:
        raise NotFoundError(
            f"no phone number is attributed to '{who}': import a subscriber table, or use "
            "'threadline assign-phone NUMBER NAME'"
        )
    return list(dict.fromkeys(found))


def contacts(
    ws: Workspace,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    who: str | None = None,
    country_code: str | None = None,
) -> list[Contact]:
    """Contacts in ``[start, end)`` (of ``who`` only, when given), most calls first."""
    numbers = numbers_of(ws, who, country_code=country_code) if who else None
    names, entity = _owners_by_number(ws)
    merged: dict[tuple[str, str], Contact] = {}
    for pair in store.call_pairs(ws, start=start, end=end, numbers=numbers):
        a, b = pair.a, pair.b
        ab, ba = pair.a_to_b, pair.b_to_a
        if (numbers and a not in numbers and b in numbers) or (not numbers and ba > ab):
            a, b, ab, ba = b, a, ba, ab  # the person asked about first, else the caller
        ev = {"document": pair.document, "row": pair.first_row, "calls": pair.calls}
        if pair.sheet:
            ev["sheet"] = pair.sheet
        key = (a, b)
        c = merged.get(key)
        if c is None:
            merged[key] = Contact(
                Party(a, names.get(a, []), entity.get(a)),
                Party(b, names.get(b, []), entity.get(b)),
                pair.calls,
                ab,
                ba,
                pair.first,
                pair.last,
                pair.duration,
                [ev],
            )
        else:  # the same pair in another record file
            c.calls += pair.calls
            c.calls_ab += ab
            c.calls_ba += ba
            c.first, c.last = min(c.first, pair.first), max(c.last, pair.last)
            c.duration += pair.duration
            c.evidence.append(ev)
    return sorted(merged.values(), key=lambda c: (-c.calls, c.first, c.a.number, c.b.number))


def event_window(
    ws: Workspace, event: str, *, margin: dt.timedelta = dt.timedelta(hours=1)
) -> Window:
    """The time window of the event named ``event`` (name, alias or entity id).

    From a record that gives its ``start`` (and ``end``): that span widened by
    ``margin`` on both sides. Else from a date the articles state: that whole day
    (``margin`` added too). Raises :class:`NotFoundError` naming what is missing.
    """
    wanted = fold(event)
    events = [
        e
        for e in ws.entities()
        if e.schema == "Event"
        and (e.id == event or wanted in {fold(n) for n in (e.name, *e.names, *e.aliases)})
    ]
    if not events:
        known = sorted(e.name for e in ws.entities() if e.schema == "Event")
        listed = ", ".join(f"'{n}'" for n in known[:10]) or "none"
        raise NotFoundError(
            f"no event called '{event}' (events: {listed}); run 'threadline resolve'?"
        )
    e = events[0]
    members = set(e.mentions)
    starts: list[dt.datetime] = []
    ends: list[dt.datetime] = []
    for m in ws.mentions():
        if m.id not in members:
            continue
        props = m.attrs.get("properties") or {}
        for key, bucket in (("start", starts), ("date", starts), ("end", ends)):
            value = props.get(key)
            if not value:
                continue
            try:
                bucket.append(parse_datetime(str(value).replace("T", " ")))
            except ValueError:
                continue
    if starts:
        start = min(starts)
        end = max(ends) if ends else start
        return Window(start - margin, max(end, start) + margin, f"{e.name}: {start:%Y-%m-%d %H:%M}"
                      + (f" to {end:%Y-%m-%d %H:%M}" if ends else "") + " (record)")  # fmt: skip
    days = []
    for c in ws.claims():
        if c.quantity == "date" and c.subject in members and c.value_text:
            try:
                days.append(dt.datetime.fromisoformat(parse_date(c.value_text)))
            except ValueError:
                continue
    if not days:
        raise NotFoundError(f"event '{e.name}' has no date or time: give --from and --to")
    day = min(days)
    return Window(
        day - margin, day + dt.timedelta(days=1) + margin, f"{e.name}: {day:%Y-%m-%d} (articles)"
    )
