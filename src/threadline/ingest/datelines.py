"""Dates and bylines at the top of a story: :func:`find_date`, :func:`dateline_date`,
:func:`byline`. The metadata reader (:mod:`threadline.ingest.metadata`) and the layout
of hard-wrapped text (:mod:`threadline.ingest.reading`, which keeps a byline or a date
line on a line of its own) both read them; neither imports the other for them.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["byline", "dateline_date", "find_date"]

_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    [
        "january jan janvier janv januari",
        "february feb fevrier février fév fev févr fevr februari",
        "march mar mars maart mrt",
        "april apr avril avr",
        "may mai mei",
        "june jun juin juni",
        "july jul juillet juil juli",
        "august aug août aout augustus",
        "september sep sept septembre",
        "october oct octobre oktober okt",
        "november nov novembre",
        "december dec décembre decembre déc",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _num


_MONTH = "(?P<month>" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\.?"


_WEEKDAY = (
    r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag),?\s+(?:le\s+)?"
)


_DATE_RE = re.compile(
    r"(?<![\w-])(?:" + _WEEKDAY + r")?(?:"
    r"(?P<iy>\d{4})(?P<sep>[-/])(?P<im>\d{1,2})(?P=sep)(?P<id>\d{1,2})(?:T[\d:.]+(?:Z|[+-][\d:]+)?)?"
    r"|" + _MONTH.replace("month", "m1") + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})(?:er|st|nd|rd|th|e)?\.?\s+(?:of\s+)?"
    + _MONTH.replace("month", "m2")
    + r",?\s+(?P<y2>\d{4})"
    r")(?![\w-])",
    re.IGNORECASE,
)


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first full date in ``text`` as ``(iso, start, end)``, or ``None``.

    Accepts ``2016-03-23`` (time part allowed), ``2016/03/23``, ``March 23, 2016``,
    ``23 March 2016``, ``1er mars 2016``, ``mercredi 23 mars 2016``. Numeric dates
    other than year-first are ambiguous (day/month order) and are not read.
    """
    for m in _DATE_RE.finditer(text):
        if m.group("iy"):
            y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
        elif m.group("m1"):
            y, mo, d = int(m.group("y1")), _MONTHS[m.group("m1").lower()], int(m.group("d1"))
        else:
            y, mo, d = int(m.group("y2")), _MONTHS[m.group("m2").lower()], int(m.group("d2"))
        try:
            if 1000 <= y <= 2999:
                return dt.date(y, mo, d).isoformat(), m.start(), m.end()
        except ValueError:
            continue
    return None


_NAME_WORD = r"(?:(?:al|el|de|van|von|der|den|le|la|du|bin|ibn|ben|da|di)[- ])?[A-Z][\w'’.-]*"


_NAME = rf"{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}"


_BYLINE_RE = re.compile(
    rf"^(?:By|BY|Par|PAR|Door|Written by|Words by)\s+(?P<names>{_NAME}"
    rf"(?:(?:,\s*|\s+and\s+|\s+et\s+|\s+en\s+|\s*&\s*){_NAME})*)"
    r"\s*(?:\([^)]{0,80}\))?\s*(?P<rest>.*)$"
)


_DATELINE_PREFIX = re.compile(
    r"^(?:(?:Published|Posted|Publié|Publié le|Date|Publish Date|Last updated|Updated|"
    r"Modified|Mis à jour(?: le)?)\s*(?:on|le|at)?\s*:?\s*)?",
    re.IGNORECASE,
)


#: A clock time before the date: "Updated 9:05 PM ET, Tue May 3, 2016".
_TIME_PREFIX = re.compile(
    r"^(?:\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,5})?\s*(?:,|on|\||·)?\s*)?",
    re.IGNORECASE,
)


_TIME_SUFFIX = re.compile(
    r"^(?:,|\s|\||·)*(?:at\s+)?(?:\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,5})?)?"
    r"(?:\s*\(?(?:updated|last\s+updated)?\s*\d{1,2}[:.h]\d{2}.{0,20}\)?)?[\s.]*$",
    re.IGNORECASE,
)


_NOT_NAMES = set(_MONTHS) | {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "the",
}


def dateline_date(line: str, *, updated: bool = False) -> str | None:
    """The date of a line that is only a date (with an optional label and time).

    An "Updated ..." line gives its date only with ``updated=True`` (an update
    date is not the publication date; :func:`meta_from_text` uses it when the
    text states no other).
    """
    if not updated and re.match(
        r"(?:last\s+)?(?:updated|modified|mis à jour)", line.strip(), re.IGNORECASE
    ):
        return None
    body = _DATELINE_PREFIX.sub("", line.strip(), count=1)
    body = _TIME_PREFIX.sub("", body, count=1)
    found = find_date(body)
    if found is None or found[1] != 0 or not _TIME_SUFFIX.match(body[found[2] :]):
        return None
    return found[0]


def byline(line: str) -> tuple[str, str | None] | None:
    """``(author, date or None)`` from a byline such as ``By A. Name (@x) on March 24, 2016``."""
    m = _BYLINE_RE.match(line.strip())
    if m is None:
        return None
    names = [n.strip() for n in re.split(r",\s*|\s+and\s+|\s+et\s+|\s+en\s+|\s*&\s*", m["names"])]
    if any(n.split()[0].lower() in _NOT_NAMES for n in names if n):
        return None
    rest = m["rest"].strip()
    date = None
    if rest:
        lead = re.sub(r"^(?:[,|–—-]|on\b|le\b)\s*", "", rest)
        found = find_date(lead)
        if found is not None and found[1] == 0 and _TIME_SUFFIX.match(lead[found[2] :]):
            date = found[0]
        elif not re.fullmatch(r"[,|–—-]\s*[A-Z][^.!?]{0,60}", rest):
            return None  # the line goes on like a sentence: not a byline
    return ", ".join(n for n in names if n), date
