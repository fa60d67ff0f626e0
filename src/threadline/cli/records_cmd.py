"""``threadline records``: person records from tables, linked with Splink.

``records import`` reads a CSV of people with a column map; ``records link``
links the records (and re-resolves) at a threshold the user sets and prints each
link with its explanation. The library does the work
(:mod:`threadline.ingest.records`, :mod:`threadline.resolve.records`); this
module parses, prints and exits.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from threadline.cli.base import (
    DEFAULT_WS,
    EXIT_SKIPPED,
    JsonOpt,
    WorkspaceOpt,
    _emit,
    _errors,
    _open,
    app,
    console,
    err,
)
from threadline.cli.engine import Engine, EngineOpt
from threadline.cli.help import Group as HelpGroup

if TYPE_CHECKING:
    from threadline.model.person_record import PersonRecord, RecordLink

#: Links (and pairs below the threshold) shown as a table; ``--json`` gives them all.
SHOWN_LINKS = 50

records_app = typer.Typer(
    cls=HelpGroup,
    name="records",
    help="Person records from tables (CSV): import them, link them into identities.",
    no_args_is_help=True,
)
app.add_typer(records_app, name="records")


@records_app.command("import")
def import_records(
    file: Annotated[Path, typer.Argument(help="CSV file of person records, header first.")],
    column_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="FIELD=COLUMN pairs, comma-separated or repeated: id, name, given, family, "
            "alias, dob, nationality, address, phone, doc.",
        ),
    ] = None,
    delimiter: Annotated[
        str | None, typer.Option(help="Cell separator (default: detected among , ; tab |).")
    ] = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Import person records from a CSV file; a bad row or value is named (exit 3).

    The column map stands for a built-in mapping, read like 'ingest-records': each
    row becomes a person record and a PERSON mention (its evidence is the file and
    the row), so records resolve with the names found in text. A row without a name
    or a document number, or with an id seen before, is left out (a row with a
    document number but no name is kept, named by the number); a bad value (an
    impossible date of birth) is left out and its row kept. All good rows land in one transaction;
    importing the same file again adds nothing.
    """
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.ingest.records import import_record_file, parse_column_map

    try:
        columns = parse_column_map(column_map or [])
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--map") from None
    with _errors(), _open(workspace, create=True) as ws:
        report = import_record_file(ws, file, columns, delimiter=delimiter)
    unchanged = report.status == "unchanged"
    for problem in report.problems:
        err.print(f"skipped {problem}", markup=False, highlight=False, soft_wrap=True)
    for warning in report.warnings:
        err.print(f"warning {warning}", markup=False, highlight=False, soft_wrap=True)
    if as_json:
        _emit(
            {
                "document": report.document,
                "records": report.records,
                "already_imported": unchanged,
                "skipped": [
                    {"path": p.path, "row": p.row, "reason": p.reason} for p in report.problems
                ],
                "warnings": [
                    {"path": p.path, "row": p.row, "reason": p.reason} for p in report.warnings
                ],
            }
        )
    elif unchanged:
        console.print(f"already imported as {report.document}: nothing added", highlight=False)
    else:
        console.print(
            f"imported {report.records} record(s) from {file} as {report.document}, "
            f"{len(report.problems)} row(s) skipped, {len(report.warnings)} value(s) left out; "
            "'threadline records link' links them",
            markup=False,
            highlight=False,
        )
    if (report.problems or report.warnings) and not unchanged:
        raise typer.Exit(EXIT_SKIPPED)


@records_app.command("link")
def link(
    threshold: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Match probability at or above which two records are one person "
            "(kept for later runs; default 0.95).",
        ),
    ] = None,
    engine: EngineOpt = Engine.embedded,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Link the records with Splink, re-resolve, and print the links with their explanation.

    The threshold is stored with the workspace, so 'resolve' and 'run' use it too.
    Links come from the Splink model (match weight and the level each comparison
    reached) or from one identity document number under two names (an alias).
    """
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.analyze.stage import analyze_workspace
    from threadline.resolve.records import link_workspace_records
    from threadline.resolve.stage import resolve_workspace
    from threadline.store import records as record_store

    if threshold is not None and threshold <= 0.0:
        raise typer.BadParameter("must be above 0", param_hint="--threshold")
    with _errors(), _open(workspace) as ws:
        with ws.transaction():
            if threshold is not None:
                record_store.set_threshold(ws, threshold)
            recs, resolution = link_workspace_records(ws, force=True, linker=_linker(engine))
            counts = resolve_workspace(ws, linked=resolution)
            analyze_workspace(ws)
        used = record_store.threshold(ws)
    by_id = {r.id: r for r in recs}
    if as_json:
        _emit(
            {
                "threshold": used,
                "records": len(recs),
                "clusters": len(set(resolution.clusters.values())),
                "links": [_link_dict(lk, by_id) for lk in resolution.links],
                "near": [_link_dict(lk, by_id) for lk in resolution.near],
                "resolved": counts,
            }
        )
        return
    console.print(
        f"{len(recs)} record(s) -> {len(set(resolution.clusters.values()))} identities, "
        f"{len(resolution.links)} link(s) at threshold "
        f"{used if used is not None else 'default'}",
        highlight=False,
    )
    for title, items in (
        ("Links", resolution.links),
        ("Below the threshold (same name or document number)", resolution.near),
    ):
        if items:  # the rows shown only: thousands of links are listed by --json
            console.print(_table(title, [_link_dict(lk, by_id) for lk in items[:SHOWN_LINKS]]))
        if len(items) > SHOWN_LINKS:
            console.print(
                f"... and {len(items) - SHOWN_LINKS} more ({title.split(' (')[0].lower()}); "
                "--json lists them all",
                highlight=False,
            )


def _linker(engine: Engine) -> Any:
    """The record linker of ``engine``: Splink on DuckDB, or Splink on Spark."""
    if engine is Engine.spark:
        # lazy: pyspark is optional (the spark extra), loaded for --engine spark only
        from threadline.spark.linkage import SparkRecordLinker
        from threadline.spark.session import SparkSettings, spark_session

        return SparkRecordLinker(session=spark_session(SparkSettings.from_env()))
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.resolve.linkage import DuckDBRecordLinker

    return DuckDBRecordLinker()


def _link_dict(lk: RecordLink, by_id: dict[str, PersonRecord]) -> dict[str, Any]:
    def ref(rid: str) -> dict[str, Any]:
        r = by_id.get(rid)
        if r is None:
            return {"record": rid}
        return {"document": r.document, "row": r.row, "record": r.source_id, "name": r.name}

    item: dict[str, Any] = {"a": ref(lk.a), "b": ref(lk.b), **lk.to_dict()}
    if lk.alias:
        item["alias"] = by_id[lk.alias].name if lk.alias in by_id else lk.alias
    return item


def _table(title: str, items: list[dict[str, Any]]) -> Table:
    table = Table(title=title)
    for col in ("a (row)", "b (row)", "probability", "weight", "why"):
        table.add_column(col)
    for it in items:
        prob = it["match_probability"]
        weight = it["match_weight"]
        why = ", ".join(
            f"{r['comparison']}: {r['level']} ({r['weight']:+.1f})"
            for r in it["reasons"]
            if r["weight"]
        )
        if it["rule"] != "splink":
            why = (
                f"{it['rule']}"
                + (f"; alias '{it['alias']}'" if it.get("alias") else "")
                + (f"; {why}" if why else "")
            )
        table.add_row(  # names come from files: plain Text, never markup
            Text(f"{it['a'].get('name', '?')} ({it['a'].get('row', '?')})"),
            Text(f"{it['b'].get('name', '?')} ({it['b'].get('row', '?')})"),
            "" if prob is None else f"{prob:.4f}",
            "" if weight is None else f"{weight:.1f}",
            Text(why),
        )
    return table
