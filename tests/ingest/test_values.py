"""Cell values from record files: dates, times, durations, phone numbers, names; the
Python rules and their SQL twins (the call engine) agree."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.ingest.values import (
    clean_name,
    date_formats,
    datetime_sql,
    duration_sql,
    format_for_shape,
    normalise_phone,
    parse_date,
    parse_datetime,
    parse_duration,
    phone_sql,
    shape_of,
    shape_sql,
    time_fast_sql,
    time_parse_sql,
    time_text_sql,
    year_checked_sql,
)


@pytest.mark.parametrize(
    "text",
    ["2015-11-13", "13/11/2015", "13.11.2015", "20151113", "13 November 2015", "Nov 13, 2015"],
)
def test_a_date_in_each_of_the_common_forms_reads_the_same(text: str) -> None:
    assert parse_date(text) == "2015-11-13"


def test_month_first_dates_when_the_mapping_says_so() -> None:
    assert parse_date("11/13/2015", date_order="mdy") == "2015-11-13"
    with pytest.raises(ValueError, match="impossible"):
        parse_date("11/13/2015")  # day first: month 13


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("31/02/2015", "impossible"),
        ("2015-13-01", "impossible"),
        ("30.02.1999", "impossible"),
        ("13/11/1700", "outside 1850 to 2100"),
        ("yesterday", "is not a date"),
        ("", "empty"),
    ],
)
def test_impossible_and_unreadable_dates_are_refused_with_the_reason(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_date(text)


@settings(deadline=None)
@given(
    day=st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date(2100, 12, 31)),
    order=st.sampled_from(["dmy", "mdy", "ymd"]),
)
def test_a_day_written_yyyymmdd_or_iso_reads_in_every_date_order(day: dt.date, order: str) -> None:
    assert parse_date(day.strftime("%Y%m%d"), date_order=order) == day.isoformat()
    assert parse_date(day.isoformat(), date_order=order) == day.isoformat()


def _first_format_reading(text: str, order: str) -> str | None:
    """What the documented rule gives: the first of the date order's formats that reads
    ``text`` (None when none does), the year then checked."""
    for f in date_formats(order):
        try:
            value = dt.datetime.strptime(text, f).date()
        except ValueError:
            continue
        return value.isoformat() if 1850 <= value.year <= 2100 else "outside"
    return None


@settings(deadline=None)
@given(
    text=st.from_regex(
        r"[0-9]{8}|[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]-[0-9]{1,2}", fullmatch=True
    ),
    order=st.sampled_from(["dmy", "mdy", "ymd"]),
)
def test_digits_of_a_day_read_as_the_first_format_that_takes_them(text: str, order: str) -> None:
    # the usual forms skip the formats that cannot read them: the same result, and an
    # impossible day (20230231, 1999-13-01) still gets the reason
    try:
        got: str | None = parse_date(text, date_order=order)
    except ValueError as exc:
        got = "outside" if "outside" in str(exc) else None
        assert got or "impossible" in str(exc) or "is not a date" in str(exc)
    assert got == _first_format_reading(text, order)


def test_a_year_alone_is_a_date_of_birth() -> None:
    assert parse_date("1994") == "1994"


@pytest.mark.parametrize(
    "text",
    [
        "2024-11-09 18:41:07",
        "2024-11-09T18:41:07",
        "09/11/2024 18:41:07",
        "09.11.2024 18:41:07",
        "20241109184107",
        "2024-11-09T18:41:07Z",
    ],
)
def test_times_in_common_forms(text: str) -> None:
    assert parse_datetime(text) == dt.datetime(2024, 11, 9, 18, 41, 7)


def test_an_impossible_time_is_refused() -> None:
    with pytest.raises(ValueError, match="impossible"):
        parse_datetime("2024-11-09 25:10")
    with pytest.raises(ValueError, match="impossible"):
        parse_datetime("2024-02-30 10:00")


@pytest.mark.parametrize(
    ("text", "seconds"), [("75", 75), ("75.0", 75), ("1:15", 75), ("1:02:03", 3723)]
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text",
    [
        "+32 478 20 33 90",
        "+32478203390",
        "0032 478 20 33 90",
        "0032 (0)478 20.33.90",
        "0478/20.33.90",
        "(0478) 20-33-90",
        "0478\u00a020\u00a033\u00a090",
    ],
)
def test_spaces_prefixes_and_national_numbers_give_one_number(text: str) -> None:
    assert normalise_phone(text, country_code="+32") == "+32478203390"


def test_a_national_number_without_a_country_code_stays_national() -> None:
    assert normalise_phone("0478 20 33 90") == "0478203390"


@pytest.mark.parametrize("text", ["call me", "12", "+32 478 20 33 90 12345", "0478-CALL"])
def test_what_is_no_phone_number_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="phone number"):
        normalise_phone(text, country_code="+32")


def test_names_lose_control_characters_with_a_warning() -> None:
    name, warnings = clean_name("Karim\x07 Saa\x00douni\u2028")
    assert name == "Karim Saadouni"
    assert warnings and "control characters" in warnings[0]


def test_a_name_of_ten_thousand_characters_is_refused() -> None:
    with pytest.raises(ValueError, match="10,000 characters long"):
        clean_name("A" * 10_000)


@pytest.mark.parametrize("text", ["12345", "+32478203390", "   ", "1989-09-15"])
def test_what_is_no_name_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        clean_name(text)


def test_a_formula_name_is_kept_as_text_and_warned_about() -> None:
    name, warnings = clean_name('=HYPERLINK("http://example.invalid","Open")')
    assert name.startswith("=HYPERLINK")
    assert any("spreadsheet formula" in w for w in warnings)
    warnings.clear()  # the caller's own list: a name read again is warned about again
    assert clean_name('=HYPERLINK("http://example.invalid","Open")')[1]


@settings(deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab Z09\t\x07=é²٣ß_-"), max_size=12))
def test_a_name_is_refused_for_no_letter_or_mostly_digits_in_any_script(text: str) -> None:
    # letters and digits as Python counts them, ASCII or not (a name cell is read once)
    folded = " ".join("".join(c for c in text if c not in "\x07").split())
    try:
        name, _ = clean_name(text)
    except ValueError as exc:
        why = str(exc)
        assert (
            not folded
            or not any(c.isalpha() for c in folded)
            or sum(c.isdigit() for c in folded) > max(2, len(folded) // 3)
        ), why
    else:
        assert name == folded and any(c.isalpha() for c in name)
        assert sum(c.isdigit() for c in name) <= max(2, len(name) // 3)


# -- the SQL twins agree with Python --------------------------------------------------------

_con = duckdb.connect()


def _sql(expr: str, value: str) -> object:
    row = _con.execute(f"SELECT {expr} FROM (SELECT ? AS x)", [value]).fetchone()
    assert row is not None
    return row[0]


phoneish = st.text(alphabet="0123456789+ ()-./\u00a0abx", max_size=24)


@settings(deadline=None)
@given(value=phoneish, cc=st.sampled_from([None, "+32", "+33"]))
def test_phone_numbers_normalise_alike_in_python_and_sql(value: str, cc: str | None) -> None:
    try:
        expected: str | None = normalise_phone(value, country_code=cc)
    except ValueError:
        expected = None
    assert _sql(phone_sql("x", cc), value) == expected


timeish = st.one_of(
    st.datetimes(min_value=dt.datetime(1851, 1, 1), max_value=dt.datetime(2099, 12, 31)).flatmap(
        lambda d: st.sampled_from(
            [
                d.strftime("%Y-%m-%d %H:%M:%S"),
                d.strftime("%d/%m/%Y %H:%M"),
                d.strftime("%d.%m.%Y %H:%M:%S"),
                d.strftime("%Y%m%d%H%M%S"),
                d.strftime("%Y-%m-%dT%H:%M"),
            ]
        )
    ),
    st.text(alphabet="0123456789/-.: T", max_size=20),
)


@settings(deadline=None)
@given(value=timeish)
def test_times_parse_alike_in_python_and_sql(value: str) -> None:
    try:
        expected: dt.datetime | None = parse_datetime(value)
    except ValueError:
        expected = None
    assert _sql(datetime_sql("x"), value) == expected


@settings(deadline=None)
@given(value=st.text(alphabet="0123456789:. ", max_size=12))
def test_durations_parse_alike_in_python_and_sql(value: str) -> None:
    try:
        expected: int | None = parse_duration(value)
    except ValueError:
        expected = None
    assert _sql(duration_sql("x"), value) == expected


@settings(deadline=None)
@given(values=st.lists(timeish, min_size=1, max_size=12))
def test_times_read_by_their_layout_in_sql_match_python(values: list[str]) -> None:
    """The call engine settles each layout of time once: same result as trying every
    format on every value."""
    shapes: dict[str, list[str]] = {}
    for v in values:
        shapes.setdefault(shape_of(v), []).append(v)
    formats = {k: format_for_shape(v[:5]) for k, v in shapes.items()}
    expr = time_parse_sql("v", shape="s", formats=formats)
    rows = _con.execute(
        f"""WITH given AS (SELECT unnest(?::VARCHAR[]) AS x, unnest(range(?)) AS i),
                texts AS (SELECT *, {time_text_sql("x")} AS v FROM given),
                shaped AS (SELECT *, {shape_sql("v")} AS s FROM texts)
            SELECT i, {expr} FROM shaped ORDER BY i""",
        [values, len(values)],
    ).fetchall()
    for v, (_, got) in zip(values, rows, strict=True):
        try:
            expected: dt.datetime | None = parse_datetime(v)
        except ValueError:
            expected = None
        assert got == expected, (v, formats)


@settings(deadline=None)
@given(values=st.lists(timeish, min_size=1, max_size=12))
def test_times_read_with_a_files_few_formats_in_sql_match_python(values: list[str]) -> None:
    """The call engine learns a file's formats from a sample (here: the first half) and
    tries those first; every value, sampled or not, reads as Python reads it."""
    sample = values[: max(1, len(values) // 2)]
    formats = [f for f in (format_for_shape([v]) for v in sample) if f and f != "epoch"]
    expr = year_checked_sql(time_fast_sql("x", formats))
    rows = _con.execute(
        f"SELECT i, {expr} FROM (SELECT unnest(?::VARCHAR[]) AS x, unnest(range(?)) AS i) "
        "ORDER BY i",
        [values, len(values)],
    ).fetchall()
    for v, (_, got) in zip(values, rows, strict=True):
        try:
            expected: dt.datetime | None = parse_datetime(v)
        except ValueError:
            expected = None
        assert got == expected, (v, formats)
