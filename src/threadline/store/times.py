"""The one time type of the workspace: ISO-8601 text in UTC.

Every time the store keeps of something threadline or an analyst did (a document
ingested, a judgement recorded, a note retracted, a user created) is written by
the application as ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00`` in a ``TEXT`` column:
the same bytes on DuckDB and PostgreSQL (the audit log hashes them), sorting in
time order as text, and no ``DEFAULT current_timestamp`` whose text differs by
backend. Times a source states (a call's start, a phone's ownership) are data,
not record keeping: they stay ``TIMESTAMP`` for the range queries on them.

>>> from datetime import datetime
>>> stamp(datetime(2026, 12, 7, 1, 2, 3))
'2026-12-07T01:02:03.000000+00:00'
>>> moment('2026-12-07T01:02:03.000000+00:00')
datetime.datetime(2026, 12, 7, 1, 2, 3)
"""

from __future__ import annotations

from datetime import UTC, datetime


def stamp(when: datetime | None = None) -> str:
    """``when`` (naive means UTC; None: now) as the workspace stores a time."""
    when = when or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def moment(text: str | datetime) -> datetime:
    """A stored time as a naive UTC ``datetime`` (what the model's ``created_at`` holds)."""
    when = text if isinstance(text, datetime) else datetime.fromisoformat(text)
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when


def maybe_moment(text: str | datetime | None) -> datetime | None:
    """:func:`moment`, None for None."""
    return None if text is None else moment(text)
