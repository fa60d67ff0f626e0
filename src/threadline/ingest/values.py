"""Cell values from record files: dates, times, durations, phone numbers, names.

Each parser takes the text of one cell and returns the value in one canonical
form or raises ``ValueError`` with a message an analyst can act on (the caller
adds the file and row). The same rules exist as SQL for the call-record engine
(:func:`phone_sql`, :func:`datetime_sql`, :func:`duration_sql`), so a number
normalised in Python and in DuckDB comes out the same (a property test holds
this).

Dates are read in these forms (``date_order="dmy"``, the default; ``"mdy"``
swaps day and month in the slash, dot and dash forms)::

    2015-11-13   13/11/2015   13.11.2015   13-11-2015   20151113
    13 November 2015   13 Nov 2015   November 13, 2015   2015/11/13

and times as a date followed by ``HH:MM`` or ``HH:MM:SS`` (``T`` or a space
between), ``YYYYMMDDHHMMSS``, or seconds since 1970 (ten digits).

>>> parse_date("13.11.2015")
'2015-11-13'
>>> normalise_phone("0032 (0)470 12.34.56")
'+32470123456'
>>> normalise_phone("0470 12 34 56", country_code="+32")
'+32470123456'
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from threadline.errors import InvalidValueError, ValueReadError

#: Years a date must fall in (a birth in 1890 or a call in 2190 is a typo).
EARLIEST_YEAR = 1850
LATEST_YEAR = 2100
#: Longest name accepted, in characters: a longer cell is not a name.
MAX_NAME = 300
#: Longest plain value (education, skills...) kept, in characters.
MAX_VALUE = 2000
#: Fewest and most digits of a phone number (short service codes to E.164's 15).
PHONE_DIGITS = (3, 15)
#: Characters a spreadsheet runs as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@")

_DATE_FORMATS_DMY = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%Y%m%d",
    "%Y/%m/%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
)
_TIME_SUFFIXES = (" %H:%M:%S", "T%H:%M:%S", " %H:%M", "T%H:%M", " %H:%M:%S.%f", "T%H:%M:%S.%f")
_DATETIME_EXTRA = ("%Y%m%d%H%M%S",)


def date_formats(date_order: str = "dmy") -> tuple[str, ...]:
    """The ``strptime`` formats of a date for ``date_order`` (``dmy``, ``mdy`` or ``ymd``)."""
    if date_order == "dmy":
        return _DATE_FORMATS_DMY
    if date_order == "mdy":
        return tuple(
            f.replace("%d/%m", "%m/%d").replace("%d.%m", "%m.%d").replace("%d-%m", "%m-%d")
            for f in _DATE_FORMATS_DMY
        )
    if date_order == "ymd":
        return tuple(f for f in _DATE_FORMATS_DMY if f.startswith("%Y") or "%B" in f or "%b" in f)
    raise InvalidValueError("date_order", f"'{date_order}' is not dmy, mdy or ymd")


def datetime_formats(date_order: str = "dmy") -> tuple[str, ...]:
    """The ``strptime`` formats of a date and time (dates alone are midnight)."""
    dates = [f for f in date_formats(date_order) if "%B" not in f and "%b" not in f]
    with_time = tuple(d + t for d in dates for t in _TIME_SUFFIXES)
    return (*with_time, *_DATETIME_EXTRA, *date_formats(date_order))


#: A day written YYYYMMDD or YYYY-MM-DD (what ``%Y%m%d`` and ``%Y-%m-%d`` read of it).
_ISO_DAY = re.compile(r"([0-9]{4})(-?)([0-9]{2})\2([0-9]{2})")


def _plausible(value: dt.date, text: str) -> None:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueReadError(f"date '{text}' is outside {EARLIEST_YEAR} to {LATEST_YEAR}")


@lru_cache(maxsize=65536)
def parse_date(text: str, *, date_order: str = "dmy", fmt: str | None = None) -> str:
    """A date as ISO ``YYYY-MM-DD``, or ``YYYY`` when the cell holds only a year.

    Raises ``ValueError`` for what is no date, an impossible one (31 February,
    month 13) and one outside 1850 to 2100.
    """
    v = " ".join(text.split())
    if not v:
        raise ValueReadError("empty date")
    if fmt is None and re.fullmatch(r"\d{4}", v):
        year = int(v)
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise ValueReadError(f"date '{text}' is outside {EARLIEST_YEAR} to {LATEST_YEAR}")
        return v
    formats = (fmt,) if fmt else date_formats(date_order)
    compact = _ISO_DAY.fullmatch(v) if fmt is None else None
    if compact is not None:
        # YYYYMMDD and YYYY-MM-DD, the usual forms: the first format that reads them in
        # every date order, read without trying the others first (a possible day only:
        # anything else takes the loop below, and its message)
        y, _, m, d = compact.groups()
        try:
            value = dt.date(int(y), int(m), int(d))
        except ValueError:
            pass
        else:
            _plausible(value, text)
            return value.isoformat()
    for f in formats:
        try:
            value = dt.datetime.strptime(v, f).date()
        except ValueError:
            continue
        _plausible(value, text)
        return value.isoformat()
    if any(_shape_fits(v, f) for f in formats):
        raise ValueReadError(f"date '{text}' is impossible (no such day)")
    expected = (
        f"'{fmt}'" if fmt else "YYYY-MM-DD, DD/MM/YYYY, DD.MM.YYYY, YYYYMMDD or 13 November 2015"
    )
    raise ValueReadError(f"'{text}' is not a date (expected {expected})")


def parse_birth_date(
    text: str, *, date_order: str = "dmy", fmt: str | None = None, today: dt.date | None = None
) -> str:
    """A date of birth: :func:`parse_date`, and not after ``today``.

    >>> parse_birth_date("19890915")
    '1989-09-15'
    >>> parse_birth_date("2031-01-01", today=dt.date(2024, 1, 1))
    Traceback (most recent call last):
    ...
    threadline.errors.ValueReadError: [T230] date of birth '2031-01-01' is after today
    """
    try:
        value = parse_date(text, date_order=date_order, fmt=fmt)
    except ValueError as exc:
        why = exc.message if isinstance(exc, ValueReadError) else str(exc)
        raise ValueReadError(
            f"date of birth {why[5:]}" if why.startswith("date ") else f"date of birth: {why}"
        ) from None
    today = today or dt.date.today()
    if value > today.isoformat()[: len(value)]:
        raise ValueReadError(f"date of birth '{text.strip()}' is after today")
    return value


def _shape_fits(value: str, fmt: str) -> bool:
    """Whether ``value`` has the digits and separators of ``fmt`` (so a failure means an
    impossible day, not another layout)."""
    pattern = re.escape(fmt)
    codes: list[tuple[str, str]] = [("%Y", r"\d{4}"), ("%f", r"\d{1,6}")]
    codes += [(c, r"\d{1,2}") for c in ("%m", "%d", "%H", "%M", "%S")]
    for code, rx in codes:
        pattern = pattern.replace(re.escape(code), rx)
    if "%" in pattern:
        return False
    return re.fullmatch(pattern, value) is not None


@lru_cache(maxsize=65536)
def parse_datetime(text: str, *, date_order: str = "dmy", fmt: str | None = None) -> dt.datetime:
    """A point in time (no time zone: times are as the file states them).

    Raises ``ValueError`` for what is no date and time, or an impossible one.
    """
    v = " ".join(text.split())
    if not v:
        raise ValueReadError("empty time")
    if fmt is None and re.fullmatch(r"\d{10}", v):
        value = dt.datetime.fromtimestamp(int(v), tz=dt.UTC).replace(tzinfo=None)
        _plausible(value.date(), text)
        return value
    if fmt is None and v.endswith("Z"):
        v = v[:-1]
    formats = (fmt,) if fmt else datetime_formats(date_order)
    for f in formats:
        try:
            value = dt.datetime.strptime(v, f)
        except ValueError:
            continue
        _plausible(value.date(), text)
        return value
    if any(_shape_fits(v, f) for f in formats):
        raise ValueReadError(f"time '{text}' is impossible (no such day or hour)")
    expected = f"'{fmt}'" if fmt else "YYYY-MM-DD HH:MM:SS, DD/MM/YYYY HH:MM or YYYYMMDDHHMMSS"
    raise ValueReadError(f"'{text}' is not a date and time (expected {expected})")


def parse_duration(text: str) -> int:
    """A duration in whole seconds from ``75``, ``75.0``, ``1:15`` or ``0:01:15``.

    >>> parse_duration("0:01:15")
    75
    """
    v = text.strip()
    if re.fullmatch(r"\d{1,9}(?:\.0+)?", v):
        return int(float(v))
    m = re.fullmatch(r"(?:(\d{1,5}):)?([0-5]?\d):([0-5]\d)", v)
    if m:
        hours = int(m.group(1) or 0)
        return hours * 3600 + int(m.group(2)) * 60 + int(m.group(3))
    raise ValueReadError(f"duration '{text}' is not seconds or H:MM:SS")


# -- phone numbers --------------------------------------------------------------

_PHONE_NOISE = re.compile(r"[ \t\u00a0\u202f.\-/()]")
#: The same characters as DuckDB literals (NBSP and narrow NBSP as chr()).
_NOISE_CHARS = ("' '", "chr(9)", "chr(160)", "chr(8239)", "'.'", "'-'", "'/'", "'('", "')'")
_PHONE_SHAPE = re.compile(r"\+?[0-9]+")


def check_country_code(code: str) -> str:
    """``+32`` (or ``32``, ``0032``) as ``+32``; ``ValueError`` when it is no calling code."""
    digits = code.strip().lstrip("+")
    if digits.startswith("00"):
        digits = digits[2:]
    if not re.fullmatch(r"[1-9][0-9]{0,2}", digits):
        raise ValueReadError(f"'{code}' is not a country calling code (e.g. +32)")
    return "+" + digits


@lru_cache(maxsize=262144)
def normalise_phone(text: str, *, country_code: str | None = None) -> str:
    """A phone number in one form: ``+`` and digits when the country is known
    (``+32470123456``), else the digits as written.

    Spaces, dots, dashes, slashes and brackets go; a ``(0)`` after the country
    code goes; a leading ``00`` is ``+``; a national number (leading ``0``) takes
    ``country_code`` when one is given. Raises ``ValueError`` for letters, or
    fewer than 3 or more than 15 digits.
    """
    v = _PHONE_NOISE.sub("", text.replace("(0)", ""))
    if not _PHONE_SHAPE.fullmatch(v):
        raise ValueReadError(f"phone number '{text}' has characters no phone number has")
    if v.startswith("00"):
        v = "+" + v[2:]
    elif country_code and v.startswith("0") and not v.startswith("+"):
        v = country_code + v[1:]
    digits = len(v.lstrip("+"))
    if not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise ValueReadError(f"phone number '{text}' has {digits} digits (3 to 15 expected)")
    return v


def phone_steps(column: str, country_code: str | None) -> tuple[str, str, str]:
    """:func:`normalise_phone` as three DuckDB SQL steps, each reading the column the
    one before makes: ``p`` (the characters kept) from ``column``, ``q`` (the number,
    or NULL) from ``p``, the checked number from ``q``. The call engine runs them as
    successive projections; ``replace`` and one anchored match, the cheapest string
    work DuckDB does, because they run on every row of ten-million-row files."""
    cc = check_country_code(country_code) if country_code else None
    stripped = f"replace({column}, '(0)', '')"
    for noise in _NOISE_CHARS:
        stripped = f"replace({stripped}, {noise}, '')"
    national = f"WHEN starts_with(p, '0') THEN '{cc}' || substr(p, 2)" if cc else ""
    body = (
        "CASE WHEN NOT regexp_full_match(p, '\\+?[0-9]+') THEN NULL "
        "WHEN starts_with(p, '00') THEN '+' || substr(p, 3) "
        f"{national} ELSE p END"
    )
    low, high = PHONE_DIGITS
    checked = f"CASE WHEN length(ltrim(q, '+')) BETWEEN {low} AND {high} THEN q END"
    return stripped, body, checked


def phone_sql(column: str, country_code: str | None) -> str:
    """DuckDB SQL for :func:`normalise_phone` of ``column`` (NULL when it is no number).

    ``column`` is a column name written by our own code, never user text;
    ``country_code`` has passed :func:`check_country_code`.
    """
    stripped, body, checked = phone_steps(column, country_code)
    return f"(SELECT {checked} FROM (SELECT {body} AS q FROM (SELECT {stripped} AS p)))"


def time_text_sql(column: str, *, strip_z: bool = True) -> str:
    """DuckDB SQL for the text of a time as :func:`parse_datetime` reads it: whitespace
    folded (cheaply when it already is), a final ``Z`` gone (unless a format is given)."""
    clean = (
        f"(NOT (contains({column}, '  ') OR contains({column}, chr(9)) OR "
        f"contains({column}, chr(10)) OR contains({column}, chr(13)) OR "
        f"contains({column}, chr(12)) OR contains({column}, chr(11)) OR "
        f"starts_with({column}, ' ') OR ends_with({column}, ' ')))"
    )
    slow = f"regexp_replace(trim(regexp_replace({column}, '\\s', ' ', 'g')), ' +', ' ', 'g')"
    if not strip_z:
        return f"(CASE WHEN {clean} THEN {column} ELSE {slow} END)"
    fast = f"(CASE WHEN ends_with({column}, 'Z') THEN left({column}, length({column}) - 1) ELSE {column} END)"
    return f"(CASE WHEN {clean} THEN {fast} ELSE regexp_replace({slow}, 'Z$', '') END)"


def shape_sql(v: str) -> str:
    """DuckDB SQL for :func:`shape_of` of a column holding :func:`time_text_sql`."""
    return f"translate({v}, '0123456789', '9999999999')"


def time_parse_sql(
    v: str,
    *,
    shape: str | None = None,
    formats: dict[str, str | None] | None = None,
    date_order: str = "dmy",
    fmt: str | None = None,
    checked: bool = True,
) -> str:
    """DuckDB SQL for :func:`parse_datetime` of column ``v`` (holding
    :func:`time_text_sql`), NULL when it is no time or an impossible one.

    With ``shape`` (a column holding :func:`shape_sql`) and ``formats`` (shape ->
    format, from :func:`format_for_shape`) each row is read with its layout's one
    format, not every format in turn: the same result, far faster on big files.
    Without ``checked`` the year is not checked (:func:`year_checked_sql` does it).
    """
    listed = ", ".join(
        "'" + f.replace("'", "''") + "'" for f in ((fmt,) if fmt else datetime_formats(date_order))
    )
    every = f"try_strptime({v}, [{listed}])"
    if fmt is not None:
        parsed = every
    else:
        ten = f"length({v}) = 10 AND translate({v}, '0123456789', '') = ''"
        epoch = f"WHEN {ten} THEN make_timestamp(CAST({v} AS BIGINT) * 1000000)"
        cases = []
        if shape is not None and formats:
            for k, f in sorted(formats.items()):
                if f and f != "epoch":
                    lit = "'" + k.replace("'", "''") + "'"
                    cases.append(
                        f"WHEN {shape} = {lit} THEN coalesce(try_strptime({v}, '{f}'), {every})"
                    )
        parsed = f"CASE {epoch} {' '.join(cases)} ELSE {every} END"
    if not checked:
        return f"CAST({parsed} AS TIMESTAMP)"
    return f"(SELECT {year_checked_sql('t')} FROM (SELECT CAST({parsed} AS TIMESTAMP) AS t))"


def time_fast_sql(column: str, formats: list[str], *, date_order: str = "dmy") -> str:
    """DuckDB SQL for :func:`parse_datetime` of ``column``, unchecked year, reading each
    value with the few ``formats`` a file uses (see :func:`format_for_shape`) in the
    order :func:`datetime_formats` lists them, and only what none of them reads with
    every format (the same result: no string reads under two formats differently).
    Far faster than trying every format on ten million rows."""
    every = time_parse_sql(time_text_sql(column), date_order=date_order, checked=False)
    order = {f: i for i, f in enumerate(datetime_formats(date_order))}
    tried = [
        f"try_strptime({column}, '{f}')"
        for f in sorted(set(formats), key=lambda f: order.get(f, 0))
        if f in order
    ]
    return f"CAST(coalesce({', '.join([*tried, every])}) AS TIMESTAMP)"


def year_checked_sql(t: str) -> str:
    """DuckDB SQL: the time in column ``t`` when its year is plausible, else NULL."""
    return f"CASE WHEN year({t}) BETWEEN {EARLIEST_YEAR} AND {LATEST_YEAR} THEN {t} END"


def datetime_sql(column: str, date_order: str = "dmy", fmt: str | None = None) -> str:
    """DuckDB SQL for :func:`parse_datetime` of ``column`` (NULL when it is no time)."""
    parse = time_parse_sql("v", date_order=date_order, fmt=fmt)
    return f"(SELECT {parse} FROM (SELECT {time_text_sql(column, strip_z=fmt is None)} AS v))"


def shape_of(text: str) -> str:
    """The layout of a time as written: digits as ``9``, spaces folded, a final ``Z`` gone.

    >>> shape_of("09/11/2024  18:41")
    '99/99/9999 99:99'
    """
    v = " ".join(text.split())
    return re.sub(r"[0-9]", "9", v[:-1] if v.endswith("Z") else v)


def format_for_shape(samples: list[str], *, date_order: str = "dmy") -> str | None:
    """The first format of :func:`datetime_formats` that reads one of ``samples`` (all of
    one :func:`shape_of`), ``"epoch"`` for ten digits, None when none does. Within one
    shape every value takes the same format, so a file's few shapes are settled once."""
    for sample in samples:
        v = " ".join(sample.split())
        v = v[:-1] if v.endswith("Z") else v
        if re.fullmatch(r"\d{10}", v):
            return "epoch"
        for f in datetime_formats(date_order):
            try:
                dt.datetime.strptime(v, f)
            except ValueError:
                continue
            return f
    return None


def duration_sql(column: str) -> str:
    """DuckDB SQL for :func:`parse_duration` of ``column`` (NULL when it is none)."""
    v = f"trim({column})"
    part = f"string_split({v}, ':')"
    return (
        f"CASE WHEN regexp_full_match({v}, '[0-9]{{1,9}}(\\.0+)?') "
        f"THEN CAST(CAST({v} AS DOUBLE) AS INTEGER) "
        f"WHEN regexp_full_match({v}, '([0-9]{{1,5}}:)?[0-5]?[0-9]:[0-5][0-9]') THEN "
        f"CAST({part}[-1] AS INTEGER) + 60 * CAST({part}[-2] AS INTEGER) "
        f"+ 3600 * coalesce(CAST({part}[-3] AS INTEGER), 0) END"
    )


# -- names and plain text ---------------------------------------------------------

#: The control characters (Unicode category Cc) and the line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ASCII_LETTER = re.compile("[A-Za-z]")
_NO_DIGITS = str.maketrans("", "", "0123456789")


def clean_text(text: str, *, limit: int = MAX_VALUE, what: str = "value") -> tuple[str, list[str]]:
    """``text`` without control characters, whitespace runs folded, and warnings.

    Raises ``ValueError`` when it is longer than ``limit`` characters.
    """
    warnings: list[str] = []
    if _CONTROL.search(text):
        text = "".join(
            " " if c in "\t\n\r\u2028\u2029" else c
            for c in text
            if unicodedata.category(c) != "Cc" or c in "\t\n\r"
        )
        warnings.append(f"{what} had control characters (removed)")
    text = " ".join(text.split())
    if len(text) > limit:
        raise ValueReadError(f"{what} is {len(text):,} characters long (limit {limit:,})")
    return text, warnings


def clean_name(text: str, *, what: str = "name") -> tuple[str, list[str]]:
    """A name fit to stand for a person, group or place, and warnings about it.

    Control characters are removed (warned); a name longer than
    :data:`MAX_NAME`, without a letter, or made mostly of digits is refused
    (``ValueError``). A name starting with a formula character is kept as text
    and warned about (every spreadsheet export neutralises it).
    """
    name, warnings = _clean_name(text, what)
    return name, list(warnings)


@lru_cache(maxsize=65536)
def _clean_name(text: str, what: str) -> tuple[str, tuple[str, ...]]:
    """:func:`clean_name`, once per distinct cell (the same names recur row after row)."""
    name, warnings = clean_text(text, limit=MAX_NAME, what=what)
    if not name:
        raise ValueReadError(f"{what} is empty")
    if name.isascii():  # the same tests, without a Python step per character
        letters = _ASCII_LETTER.search(name) is not None
        digits = len(name) - len(name.translate(_NO_DIGITS))
    else:
        letters = any(c.isalpha() for c in name)
        digits = sum(c.isdigit() for c in name)
    if not letters:
        raise ValueReadError(f"{what} '{name[:60]}' has no letters")
    if digits > max(2, len(name) // 3):
        raise ValueReadError(f"{what} '{name[:60]}' is mostly digits, not a name")
    if name.startswith(FORMULA_STARTS):
        warnings.append(
            f"{what} '{name[:60]}' starts with '{name[0]}' (a spreadsheet formula): kept as "
            "text; CSV exports prefix it with an apostrophe"
        )
    return name, tuple(warnings)
