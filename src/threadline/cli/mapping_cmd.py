"""Records through declarative mappings: ``ingest-records``, ``contacts``, ``assign-phone``.

``ingest-records`` reads a record file (CSV/TSV, JSON, JSON lines, XLSX) through a
YAML mapping (:mod:`threadline.ingest.mapping`); ``contacts`` says who was in
touch with whom in a time window or during an event, from call records;
``assign-phone`` records an analyst's statement that a number is used by a
person. The library does the work (:mod:`threadline.ingest.record_files`,
:mod:`threadline.analyze.contacts`); this module parses, prints and exits.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated

import typer

from threadline.cli.base import (
    DEFAULT_WS,
    EXIT_SKIPPED,
    JsonOpt,
    WorkspaceOpt,
    _emit,
    _errors,
    _open,
    _progress,
    app,
    console,
    err,
)

#: Refused rows and warnings printed on stderr before "... and N more (see --report)".
SHOWN_PROBLEMS = 20


@app.command(name="ingest-records")
def ingest_records(
    file: Annotated[Path, typer.Argument(help="Record file: CSV/TSV, JSON, JSON lines or XLSX.")],
    mapping: Annotated[
        Path, typer.Option("--mapping", "-m", help="YAML mapping that says what the columns are.")
    ],
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write a CSV of accepted, refused and warned rows here."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Read and check everything, store nothing.")
    ] = False,
    resolve: Annotated[
        bool,
        typer.Option("--resolve/--no-resolve", help="Resolve and analyse afterwards (default)."),
    ] = True,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Read a record file through a mapping: people, groups, places, events, phones, ties.

    Every fact points to the file, the sheet and the row. A bad row is named and
    left out (exit 3); the other rows land, all in one transaction. The same file
    read by the same mapping again changes nothing; a changed file is a new version.
    """
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.ingest.mapping import load_mapping
    from threadline.pipeline import ingest_record_file

    with _errors():
        spec = load_mapping(mapping)
        with _open(workspace, create=True) as ws, _progress() as bar:
            task = bar.add_task(f"reading {file.name}", total=None)
            result = ingest_record_file(
                ws,
                file,
                spec,
                report=report,
                resolve=resolve,
                dry_run=dry_run,
                progress=lambda n: bar.update(task, completed=n),
            )
    problems = [*result.problems, *result.warnings]
    problems.sort(key=lambda p: (p.sheet or "", p.row or 0))
    for p in problems[:SHOWN_PROBLEMS]:
        word = "refused" if p.level == "error" else "warning"
        err.print(f"{word} {p}", markup=False, highlight=False, soft_wrap=True)
    if len(problems) > SHOWN_PROBLEMS:
        more = len(problems) - SHOWN_PROBLEMS
        hint = f" (all in {report})" if report else " (see --report FILE)"
        err.print(f"... and {more:,} more{hint}", markup=False, highlight=False, soft_wrap=True)
    if as_json:
        _emit(result.to_dict())
    elif result.status == "unchanged":
        console.print(
            f"{file} was already read by mapping '{result.mapping}' as {result.document} "
            f"(version {result.version}): nothing to do",
            markup=False,
            highlight=False,
        )
    else:
        verb = "checked (dry run, nothing stored)" if dry_run else "read"
        what = (
            f"{result.calls:,} call(s), {result.call_ties} call tie(s)"
            if result.calls or spec.calls
            else f"{result.mentions:,} name(s), {result.ties:,} tie(s), {result.records:,} "
            f"person record(s), {result.phone_owners:,} phone number(s)"
        )
        version = f", version {result.version}" if result.version > 1 else ""
        console.print(
            f"{verb} {file} as {result.document}{version}: {result.accepted:,} of "
            f"{result.rows_read:,} row(s) accepted, {result.refused:,} refused, "
            f"{len(result.warnings):,} warning(s); {what}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        if result.resolved and not dry_run:
            console.print(
                f"resolved: {result.resolved}", markup=False, highlight=False, soft_wrap=True
            )
    if result.refused and result.status != "unchanged":
        raise typer.Exit(EXIT_SKIPPED)


def _when(value: str | None, option: str) -> dt.datetime | None:
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.ingest.values import parse_datetime

    if value is None:
        return None
    try:
        return parse_datetime(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def _margin(value: str) -> dt.timedelta:
    m = re.fullmatch(r"\s*(\d+)\s*([mhd])\s*", value)
    if not m:
        raise typer.BadParameter(f"'{value}' is not like 30m, 2h or 1d", param_hint="--margin")
    n = int(m.group(1))
    unit = {"m": "minutes", "h": "hours", "d": "days"}[m.group(2)]
    return dt.timedelta(**{unit: n})


@app.command()
def contacts(
    who: Annotated[
        str | None,
        typer.Argument(help="A person (name, alias or entity id) or a phone number."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="Start of the window (e.g. '2024-11-09 18:00').")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="End of the window (excluded).")] = None,
    event: Annotated[
        str | None, typer.Option("--event", help="Use the time window of this event.")
    ] = None,
    margin: Annotated[
        str, typer.Option("--margin", help="Widen the event's window on both sides (30m, 2h, 1d).")
    ] = "1h",
    country_code: Annotated[
        str | None,
        typer.Option("--country-code", help="Country code for a national number given as WHO."),
    ] = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Who was in contact with whom (calls), in a time window or during an event.

    Each line is two numbers with the people they are attributed to, the calls
    each way, the first and last call, the total duration and the file and row
    of the first call (the evidence).
    """
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.analyze.contacts import Window, event_window
    from threadline.analyze.contacts import contacts as find_contacts

    if event and (start or end):
        raise typer.BadParameter("give --event or --from/--to, not both", param_hint="--event")
    begin, finish = _when(start, "--from"), _when(end, "--to")
    if begin and finish and finish <= begin:
        raise typer.BadParameter("--to must come after --from", param_hint="--to")
    with _errors(), _open(workspace) as ws:
        window = None
        if event:
            window = event_window(ws, event, margin=_margin(margin))
            begin, finish = window.start, window.end
        elif begin or finish:
            window = Window(begin or dt.datetime.min, finish or dt.datetime.max, "given")
        found = find_contacts(ws, start=begin, end=finish, who=who, country_code=country_code)
    if as_json:
        _emit(
            {
                "who": who,
                "window": None
                if window is None
                else {
                    "start": begin.isoformat() if begin else None,
                    "end": finish.isoformat() if finish else None,
                    "source": window.source,
                },
                "contacts": [c.to_dict() for c in found],
            }
        )
        return
    span = ""
    if begin or finish:
        span = f" from {begin:%Y-%m-%d %H:%M}" if begin else ""
        span += f" to {finish:%Y-%m-%d %H:%M}" if finish else ""
    if window is not None and event:
        span += f" ({window.source})"
    if not found:
        console.print(f"no calls{span}", markup=False, highlight=False, soft_wrap=True)
        return
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.ingest.calls import format_duration

    console.print(
        f"contacts{' of ' + who if who else ''}{span}:",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    for c in found:
        ev = c.evidence[0]
        where = f"{ev['document']} row {ev['row']}" + (
            f", sheet {ev['sheet']}" if ev.get("sheet") else ""
        )
        if len(c.evidence) > 1:
            where += f" and {len(c.evidence) - 1} more file(s)"
        same_day = c.first.date() == c.last.date()
        last = f"{c.last:%H:%M}" if same_day else f"{c.last:%Y-%m-%d %H:%M}"
        console.print(
            f"  {c.a.label} -> {c.b.label}: {c.calls} call(s), {c.calls_ab} from the first, "
            f"{c.calls_ba} back; {c.first:%Y-%m-%d %H:%M} to {last}; "
            f"{format_duration(c.duration)} in all [{where}]",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


@app.command(name="assign-phone")
def assign_phone(
    number: Annotated[str, typer.Argument(help="The phone number.")],
    name: Annotated[str, typer.Argument(help="The person who uses it.")],
    analyst: Annotated[str, typer.Option("--analyst", help="Who states it (recorded).")],
    note: Annotated[
        str | None, typer.Option("--note", help="Why (kept with the statement).")
    ] = None,
    country_code: Annotated[
        str | None, typer.Option("--country-code", help="Country code of a national number.")
    ] = None,
    resolve: Annotated[
        bool,
        typer.Option("--resolve/--no-resolve", help="Resolve and analyse afterwards (default)."),
    ] = True,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Record an analyst's statement that a phone number is used by a person.

    The statement is stored as a small document (evidence like any other; retract
    it with 'threadline retract'), and calls of that number become ties.
    """
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.pipeline import assign_phone as record

    with _errors(), _open(workspace, create=True) as ws:
        result = record(
            ws, number, name, analyst=analyst, note=note, country_code=country_code, resolve=resolve
        )
    if as_json:
        _emit(result)
        return
    console.print(
        f"recorded as {result['document']}: {result['statement']} "
        f"({result['call_ties']} call tie(s) in the workspace)",
        markup=False,
        highlight=False,
    )
