"""The ``threadline`` command: a thin layer over the library.

Each command parses options, calls one library function, and maps
:class:`~threadline.errors.ThreadlineError` to a clean one-line error and a
non-zero exit. ``--json`` prints machine-readable output for scripts.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.main
from rich.table import Table
from rich.text import Text

from threadline import __version__
from threadline.analyze import defaults as analysis_defaults
from threadline.cli import params
from threadline.cli.base import DEFAULT_WS as DEFAULT_WS
from threadline.cli.base import EXIT_ERROR as EXIT_ERROR
from threadline.cli.base import EXIT_SKIPPED as EXIT_SKIPPED
from threadline.cli.base import JsonOpt as JsonOpt
from threadline.cli.base import ProcessesOpt as ProcessesOpt
from threadline.cli.base import WorkspaceOpt as WorkspaceOpt
from threadline.cli.base import _emit, _error_line, _errors, _open, _progress, collect_less
from threadline.cli.base import app as app
from threadline.cli.base import console as console
from threadline.cli.base import err as err
from threadline.cli.engine import Engine, EngineOpt
from threadline.errors import ThreadlineError

if TYPE_CHECKING:
    from rich.progress import Progress

    from threadline.ingest.metadata import DocumentMeta


def _stage_progress(bar: Progress) -> Any:
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=max(total, 1))
        bar.update(tasks[stage], completed=done if total else 1, total=max(total, 1))

    return update


def _report_skipped(report: Any) -> None:
    """One unwrapped line per skipped file on stderr: ``skipped PATH: REASON``."""
    for s in report.skipped:
        err.print(f"skipped {s.path}: {s.reason}", highlight=False, markup=False, soft_wrap=True)


def _given_meta(published: str | None, source_name: str | None, url: str | None) -> DocumentMeta:
    """Metadata stated on the command line, checked like a sidecar's (a bad date is refused)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.ingest.metadata import meta_from_mapping

    try:
        return meta_from_mapping({"published": published, "outlet": source_name, "url": url})
    except ValueError as exc:
        raise typer.BadParameter(str(exc).replace("'published'", "--published")) from None


@app.callback(invoke_without_command=True)
def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    _quiet_library_warnings()
    if version:
        console.print(f"threadline {__version__}")
        raise typer.Exit()


def _quiet_library_warnings() -> None:
    """Keep the libraries' own warnings (igraph's C core on disconnected graphs, spaCy's
    and Splink's notices) off the user's terminal: the commands say in words what matters.
    ``THREADLINE_WARNINGS=1`` shows them again, for debugging."""
    import os
    import warnings

    if os.environ.get("THREADLINE_WARNINGS") == "1":
        return
    for module in ("igraph", "leidenalg", "spacy", "thinc", "splink", "duckdb", "trafilatura"):
        warnings.filterwarnings("ignore", module=rf"{module}(\..*)?$")


def _missing_inputs(paths: list[Path]) -> None:
    """Stop before anything is written when an input file or folder does not exist."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        for p in missing:
            _error_line(f"'{p}': no such file or folder")
        _error_line("nothing was written")
        raise typer.Exit(EXIT_ERROR)


@app.command()
def init(
    path: Annotated[
        str,
        typer.Argument(
            help="Folder to create the workspace in, or a postgresql:// URL (server mode)."
        ),
    ] = DEFAULT_WS,
    app_role: Annotated[
        str | None,
        typer.Option(
            "--app-role",
            help="PostgreSQL only: the database role 'threadline serve' connects as. It may "
            "read and append to the audit tables, never change them; run init (and every "
            "upgrade) as the role that owns the tables. See docs/agencies.md.",
        ),
    ] = None,
) -> None:
    """Create an empty workspace: a folder (DuckDB database + file store) or a PostgreSQL one."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.store.postgres import grant_app_role, safe_url

    with _errors(), _open(path, create=True) as ws:
        if app_role is not None:
            grant_app_role(ws, app_role)
    console.print(f"workspace ready: {safe_url(path)}", markup=False, highlight=False)
    if app_role is not None:
        console.print(
            f"role '{app_role}' may serve it (audit tables: SELECT and INSERT only)",
            markup=False,
            highlight=False,
        )


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files and folders (.txt, .md, .html, .htm).")
    ],
    workspace: WorkspaceOpt = DEFAULT_WS,
    published: Annotated[str | None, typer.Option(help="Publication date (YYYY-MM-DD).")] = None,
    source_name: Annotated[str | None, typer.Option(help="Outlet or source name.")] = None,
    url: Annotated[str | None, typer.Option(help="URL of the original.")] = None,
    agency: Annotated[
        str | None, typer.Option(help="Owning agency of the new sources (access control).")
    ] = None,
    level: Annotated[
        str | None, typer.Option(help="Classification level of the new sources (e.g. SECRET).")
    ] = None,
    compartment: Annotated[
        list[str] | None, typer.Option("--compartment", help="Compartment (repeat).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Store documents in the workspace; a bad file is named and skipped (exit 3).

    Each file is stored once, under the SHA-256 of its bytes: ingesting the same
    content again (under any name) adds nothing. Metadata given here wins over a
    sidecar FILE.meta.json, which wins over what the file itself states.
    """
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.ingest import ingest_paths

    given = _given_meta(published, source_name, url)
    with _errors(), _open(workspace, create=True) as ws:
        report = ingest_paths(ws, paths, given=given)
        access_cmd.classify_ingested(
            ws, report.added, agency=agency, level=level, compartments=compartment
        )
    _report_skipped(report)
    if as_json:
        _emit(
            {
                "added": report.added,
                "duplicates": report.duplicates,
                "skipped": [{"path": s.path, "reason": s.reason} for s in report.skipped],
            }
        )
    else:
        console.print(
            f"added {len(report.added)} document(s), {len(report.duplicates)} "
            f"already stored, {len(report.skipped)} skipped"
        )
    if report.skipped:
        raise typer.Exit(EXIT_SKIPPED)


@app.command()
def extract(
    workspace: WorkspaceOpt = DEFAULT_WS,
    force: Annotated[bool, typer.Option(help="Redo documents already extracted.")] = False,
    processes: ProcessesOpt = 0,
    engine: EngineOpt = Engine.embedded,
    as_json: JsonOpt = False,
) -> None:
    """Find people, groups, places, events, aliases, ties and claims in new documents."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.extract.stage import extract_workspace

    if engine is Engine.spark:  # documents over Spark executors, results as Parquet
        return spark_cmd.extract_on_spark(workspace, force=force, as_json=as_json)
    with _errors(), _open(workspace) as ws, _progress() as bar:
        task = bar.add_task("extract", total=None)
        counts = extract_workspace(
            ws,
            force=force,
            processes=processes,
            progress=lambda i, n: bar.update(task, completed=i, total=n),
        )
    _emit(counts) if as_json else console.print(f"extracted: {counts}")


@app.command()
def resolve(workspace: WorkspaceOpt = DEFAULT_WS, as_json: JsonOpt = False) -> None:
    """Merge mentions into identities (names, partial names, aliases, transliterations)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.resolve.unchanged import stored_counts

    with _errors(), _open(workspace) as ws:
        # nothing changed since the last run (`records link` resolves): its counts
        # stand, and the resolver's modules (0.15 s of CPU to import) stay unloaded
        counts = stored_counts(ws)
        if counts is None:
            # lazy: the resolver loads only when there is something to resolve
            from threadline.resolve.stage import resolve_workspace

            counts = resolve_workspace(ws)
    _emit(counts) if as_json else console.print(f"resolved: {counts}")


@app.command()
def analyze(
    workspace: WorkspaceOpt = DEFAULT_WS,
    resolution: Annotated[float, typer.Option(help="Leiden resolution.")] = 1.0,
    seed: Annotated[int, typer.Option(help="Random seed for communities.")] = 42,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Only ties known by this date (YYYY-MM-DD).")
    ] = None,
    inferred: Annotated[
        bool, typer.Option("--inferred/--no-inferred", help="Include inferred ties.")
    ] = analysis_defaults.INCLUDE_INFERRED,
    key_players: Annotated[
        int, typer.Option("--key-players", min=0, help="Size of the KPP-Neg set flagged.")
    ] = analysis_defaults.KEY_PLAYERS,
    engine: EngineOpt = Engine.embedded,
    as_json: JsonOpt = False,
) -> None:
    """Compute the measures, components, communities (cells) and key players."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.analyze.stage import analyze_workspace

    options = analysis_cmd._view_options(as_of, None, inferred, 0.0)
    if engine is Engine.spark:  # components, PageRank, label propagation as Spark jobs
        return spark_cmd.analyze_on_spark(
            workspace,
            resolution=resolution,
            seed=seed,
            options=options,
            key_players=key_players,
            as_json=as_json,
        )
    with _errors(), _open(workspace) as ws:
        counts = analyze_workspace(
            ws, resolution=resolution, seed=seed, options=options, key_players=key_players
        )
    _emit(counts) if as_json else console.print(f"analyzed: {counts}")


@app.command()
def report(
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")] = Path(
        "report.html"
    ),
    workspace: WorkspaceOpt = DEFAULT_WS,
    title: Annotated[str, typer.Option(help="Report title.")] = "threadline report",
) -> None:
    """Write a self-contained HTML report (works offline)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.export.formats import write_format
    from threadline.export.json_export import build_export

    with _errors(), _open(workspace) as ws:
        write_format(build_export(ws), "report", output, title=title)
    console.print(f"report written: {output}", markup=False, highlight=False)


@app.command()
def export(
    output: Annotated[Path, typer.Option("-o", "--output", help="File (or folder for csv).")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="json | ftm | graphml | gexf | csv | report")
    ] = "json",
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Export the network: analysis JSON, FollowTheMoney, GraphML, GEXF, CSV or the report."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.export.formats import write_format
    from threadline.export.json_export import build_export

    with _errors(), _open(workspace) as ws:
        write_format(build_export(ws), fmt, output)
    console.print(f"{fmt} written: {output}", markup=False, highlight=False)


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders to process.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Folder for report and exports.")] = Path(
        "threadline-out"
    ),
    workspace: WorkspaceOpt = DEFAULT_WS,
    processes: ProcessesOpt = 0,
    engine: EngineOpt = Engine.embedded,
    as_json: JsonOpt = False,
) -> None:
    """All stages: ingest, extract, resolve, analyze; then report and exports to -o DIR.

    Files that cannot be read are named on stderr and skipped; the run goes on
    and exits with 3. Re-running on the same files adds nothing and keeps every id.
    With --engine spark, extract and analyze run on Apache Spark (same entities,
    ties and claims); a document Spark could not extract is named and skipped.
    """
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.pipeline import run as run_all

    _missing_inputs(paths)
    with _errors(), _open(workspace, create=True) as ws, _progress() as bar:
        summary = run_all(
            ws,
            paths,
            out,
            progress=_stage_progress(bar),
            processes=processes,
            engine=engine.value,
        )
        export_summary = _summary(ws)
    _report_skipped(summary.ingest)
    failed = summary.stages["extract"].pop("failed_documents", {})
    for doc, why in sorted(failed.items()):
        err.print(f"skipped {doc}: {why}", markup=False, highlight=False, soft_wrap=True)
    if as_json:
        _emit(
            {
                "stages": summary.stages,
                "outputs": summary.outputs,
                "skipped": [{"path": s.path, "reason": s.reason} for s in summary.ingest.skipped],
                **export_summary,
            }
        )
    else:
        _print_summary(export_summary)
        for fmt, path in summary.outputs.items():
            console.print(f"  {fmt:8} {path}", markup=False, highlight=False)
    if summary.ingest.skipped or failed:
        raise typer.Exit(EXIT_SKIPPED)


def _summary(ws: Any) -> dict[str, Any]:
    # lazy: the export loads when the command runs, so `threadline --help` starts fast
    from threadline.usecases.summary import workspace_summary

    return workspace_summary(ws)


def _print_summary(s: dict[str, Any]) -> None:
    ents = s["entities"]
    console.print(
        f"[bold]{s['documents']}[/bold] documents -> "
        f"{ents.get('Person', 0)} people, {ents.get('Organization', 0)} groups, "
        f"{ents.get('Address', 0)} places, {ents.get('Event', 0)} events, "
        f"{s['ties']} ties, {s['claims']} claims"
    )
    table = Table(title="Key people and groups (betweenness, then degree)")
    for col in ("name", "type", "degree", "betweenness"):
        table.add_column(col)
    for k in s["key_actors"]:  # names come from documents: plain Text, never markup
        table.add_row(Text(k["name"]), k["schema"], f"{k['degree']:.0f}", f"{k['betweenness']:.3f}")
    console.print(table)
    for c in s["conflicts"]:
        console.print(
            f"sources disagree on {c['quantity']} of {c['subject']}: {c['values']}",
            markup=False,
            highlight=False,
        )


@app.command()
def retract(
    document: Annotated[str, typer.Argument(help="Document id, hash prefix or path.")],
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Remove a document and everything only it supported; print what went.

    Entities, ties and measures are rebuilt without it in one transaction, and
    the stored copy of the file is deleted unless another document shares it.
    """
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.pipeline import retract as retract_doc

    with _errors(), _open(workspace) as ws:
        gone = retract_doc(ws, document)
    if as_json:
        _emit(gone)
        return
    console.print(
        f"retracted {gone['document']['id']} ({gone['document']['source']})",
        highlight=False,
        markup=False,
    )
    for e in gone["entities_removed"]:
        console.print(f"  entity removed: {e['name']} ({e['id']})", markup=False, highlight=False)
    for t in gone["ties_removed"]:
        console.print(
            f"  tie removed: {t['source']} -{t['type']}- {t['target']}",
            markup=False,
            highlight=False,
        )
    if gone.get("blob_removed"):
        console.print("  stored copy of the file removed")


@app.command()
def summary(workspace: WorkspaceOpt = DEFAULT_WS, as_json: JsonOpt = False) -> None:
    """What the workspace holds, in brief: counts, key people and groups, disagreements
    (what `run` prints at the end; the API's GET /api/summary)."""
    with _errors(), _open(workspace) as ws:
        found = _summary(ws)
    if as_json:
        _emit(found)
        return
    _print_summary(found)


@app.command()
def documents(workspace: WorkspaceOpt = DEFAULT_WS, as_json: JsonOpt = False) -> None:
    """List the stored documents with their ids and metadata."""
    with _errors(), _open(workspace) as ws:
        docs = ws.documents()
    rows = [
        {
            "id": d.id,
            "title": d.title,
            "published": d.published,
            "outlet": d.outlet,
            "source": d.source,
            "sha256": d.sha256,
        }
        for d in docs
    ]
    if as_json:
        _emit(rows)
        return
    table = Table()
    for col in ("id", "published", "title", "source"):
        table.add_column(col)
    for r in rows:  # titles and paths come from the files: plain Text, never markup
        table.add_row(
            r["id"], r["published"] or "", Text(r["title"] or ""), Text(r["source"] or "")
        )
    console.print(table)


@app.command(name="eval")
def evaluate(
    gold: Annotated[
        Path, typer.Option("--gold", help="Gold file (the format of gold/seeds.json, dev.json).")
    ],
    workspace: WorkspaceOpt = DEFAULT_WS,
    export_file: Annotated[
        Path | None,
        typer.Option(
            "--export",
            help="Score this JSON export (threadline export --format json) instead of the workspace.",
        ),
    ] = None,
    docs: Annotated[
        Path | None,
        typer.Option(
            "--docs",
            help="Folder of the documents' .txt files to check evidence quotes against "
            "(as score.py's DOCS_DIR); default: the texts the workspace or export holds.",
        ),
    ] = None,
    only: Annotated[
        str | None,
        typer.Option(
            "--only", help="Score only these gold documents, e.g. d01,d02 (score.py --docs)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Score the workspace or an export against an annotated gold file, by the gold's rule.

    Prints the figures gold/score.py prints, under its names and with its values
    (persons, roles, aliases, organisations, stated and strict ties, direction,
    contradictions, evidence), then the error lists behind them.
    """
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.evaluate import (
        document_texts,
        format_report,
        load_gold,
        report_to_dict,
        restrict,
        score,
        score_claims,
    )

    with _errors():
        try:
            gold_data = load_gold(gold)
        except (OSError, ValueError) as exc:
            raise ThreadlineError(f"cannot read gold file '{gold}': {exc}") from exc
        if docs is not None and not docs.is_dir():
            raise ThreadlineError(f"--docs '{docs}' is not a folder (give the documents' folder)")
        if export_file is not None:
            export = _read_export(export_file)
        else:
            # lazy: loaded when the command runs, so `threadline --help` starts fast
            from threadline.export.json_export import build_export

            with _open(workspace) as ws:
                export = build_export(ws, include_text=True)
        if only:
            keep = [d.strip() for d in only.split(",") if d.strip()]
            gold_data, export = restrict(gold_data, export, keep)
        try:
            result = score(export, gold_data, texts=document_texts(export, docs))
        except ValueError as exc:
            raise ThreadlineError(f"cannot score '{export_file or workspace}': {exc}") from exc
        claims = score_claims(export, gold_data)
    if as_json:
        data = report_to_dict(result)
        data["casualty_claim_recall"] = claims.recall
        data["details"]["missed_casualty_claims"] = claims.missed
        _emit(data)
        return
    recall = "n/a" if claims.recall is None else round(claims.recall, 4)
    out = format_report(result, extra={"casualty_claim_recall": recall})
    missed = [
        f"  {m['event']}: {m['quantity']} {m.get('value')} ({m['doc']})" for m in claims.missed
    ]
    if missed:
        out += f"\n\nmissed casualty claims ({len(missed)}):\n" + "\n".join(missed)
    sys.stdout.write(out + "\n")


def _read_export(path: Path) -> dict[str, Any]:
    """A JSON export file as a dict; a one-line error when it is missing or not an export."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ThreadlineError(f"cannot read export '{path}': {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise ThreadlineError(
            f"'{path}' is not a threadline JSON export (no documents list; "
            "write one with: threadline export --format json)"
        )
    return data


@app.command()
def demo(
    directory: Annotated[
        Path, typer.Option("--dir", help="Where to create the demo workspace.")
    ] = Path("threadline-demo"),
) -> None:
    """Run the whole pipeline on a small fictional case and write report.html."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.demo import CASE_DIR, KEY_PERSON
    from threadline.pipeline import run as run_all

    with _errors(), _open(directory, create=True) as ws, _progress() as bar:
        summary = run_all(
            ws,
            [CASE_DIR],
            directory,
            progress=_stage_progress(bar),
            title="threadline demo: the Vremmingen case (fictional)",
        )
        export_summary = _summary(ws)
    console.print("[bold]threadline demo[/bold]: a fictional case of 8 documents")
    _print_summary(export_summary)
    console.print(
        f"\nreport: {summary.outputs['report']}   (key person: {KEY_PERSON})", markup=False
    )
    console.print("explore further:")
    ws_opt = f"--workspace {directory}"
    exe = _command_as_typed()
    for line in (
        f"{exe} documents {ws_opt}",
        f"{exe} export --format gexf -o network.gexf {ws_opt}",
        f"{exe} export --format ftm -o entities.ftm.json {ws_opt}",
        f"{exe} report -o report.html {ws_opt}",
        f"{exe} serve {ws_opt}   # the web workbench",
        f"{exe} run ../shared/corpus/seeds -o out/ --workspace seeds-ws",
    ):
        # soft_wrap: a command is never broken across lines, on a terminal or not.
        console.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)


def _command_as_typed() -> str:
    """How the user can run ``threadline`` again from here: the bare name when the
    shell finds this very script on the PATH, else its path (``.venv/bin/threadline``)."""
    import os
    import shutil

    script = Path(sys.argv[0])
    if script.name != "threadline":
        return "threadline"
    found = shutil.which("threadline")
    if found and Path(found).resolve() == script.resolve():
        return "threadline"
    try:
        return os.path.relpath(script)
    except ValueError:  # another drive (Windows)
        return str(script)


# Command groups that live in their own modules register themselves on ``app`` (of
# threadline.cli.base) when imported: after this module's commands, which `--help`
# lists first. The commands above call some of them (access_cmd, analysis_cmd, spark_cmd).
from threadline.cli import (  # noqa: E402
    access_cmd,  # noqa: F401
    analysis_cmd,  # noqa: F401
    corrections_cmd,  # noqa: F401
    dossier_cmd,  # noqa: F401
    grade_cmd,  # noqa: F401
    identity_cmd,  # noqa: F401
    mapping_cmd,  # noqa: F401
    records_cmd,  # noqa: F401
    serve_cmd,  # noqa: F401
    spark_cmd,  # noqa: F401
    watchlist_cmd,  # noqa: F401
)


def main() -> None:
    """Console-script entry point: the cycle collector tuned (:func:`collect_less`),
    then the command line built and run.

    typer builds every command of the command line (65, each read from its function's
    signature: 0.03 s of CPU) before it parses the arguments. When the first argument
    names a command or a group, only that one is built: it parses, runs, and reports
    usage errors as it does among all the others. ``--help``, ``--version`` and an
    unknown name get them all (with their annotations evaluated once, not twice)."""
    collect_less()
    only = _named_first(sys.argv[1:])
    if only is None:
        params.evaluate_annotations(app)
    (only or app)()


def _named_first(argv: list[str]) -> typer.Typer | None:
    """``app`` with the one command or group ``argv`` names first; ``None`` when it names
    none of them (an option, an unknown name) or when typer is not the one known here."""
    naming = getattr(typer.main, "get_command_name", None)
    if not argv or argv[0].startswith("-") or naming is None:
        return None
    if app.registered_callback is None:  # typer would make a lone command the whole app
        return None
    commands = [
        c
        for c in app.registered_commands
        if c.callback is not None and (c.name or naming(c.callback.__name__)) == argv[0]
    ]
    groups = [g for g in app.registered_groups if g.name == argv[0]]
    if len(commands) + len(groups) != 1:
        return None
    only = copy.copy(app)
    only.registered_commands = commands
    only.registered_groups = groups
    return only


if __name__ == "__main__":
    main()
