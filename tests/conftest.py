"""Shared fixtures. The real articles are read from ../shared at run time, never copied."""

from __future__ import annotations

import functools
import inspect
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# A private PostgreSQL server (session-wide) and the workspace location parametrized
# over both backends: tests/pg.py.
from tests.pg import pg_cluster, pg_url, ws_location  # noqa: F401
from tests.routes_called import install as _record_api_calls
from tests.routes_called import merge as _merge_api_calls
from tests.routes_called import missing as _routes_not_called
from tests.routes_called import seen as _api_calls_seen
from tests.routes_called import uncoded as _uncoded_errors

_record_api_calls()

# Property tests draw the same examples on every run (CI, the README's test
# command) so a result can be reproduced; `HYPOTHESIS_PROFILE=explore` draws new
# random examples, many more of them, to hunt for bugs.
settings.register_profile("repeatable", max_examples=150, derandomize=True, database=None)
settings.register_profile("explore", max_examples=3000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold" / "seeds.json"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared sits beside the repository in CI)")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return _need(SEEDS)


@pytest.fixture(scope="session")
def gold() -> dict[str, Any]:
    return json.loads(_need(GOLD).read_text(encoding="utf-8"))


def _shared_run(
    tmp_path_factory: pytest.TempPathFactory, name: str, corpus: Path
) -> dict[str, Any]:
    """The whole pipeline on ``corpus``, once per test run.

    Under pytest-xdist (``make test`` runs two workers) the first worker that needs it
    runs it into the run's shared temporary folder, under a file lock; every worker
    then gets its own copy of the workspace (DuckDB lets one process write a
    database file), and the export and outputs as they were written."""
    from threadline.export.json_export import build_export
    from threadline.pipeline import run
    from threadline.store import open_workspace

    def build(root: Path) -> dict[str, Any]:
        ws = open_workspace(root / "ws", create=True)
        summary = run(ws, [corpus], root / "out")
        export = build_export(ws)
        ws.close()
        return {"summary": summary, "export": export}

    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        root = tmp_path_factory.mktemp(name)
        made = build(root)
        return {"root": root, "workspace": root / "ws", "out": root / "out", **made}

    import fcntl
    import pickle
    import shutil

    shared = tmp_path_factory.getbasetemp().parent / f"shared-{name}"
    shared.mkdir(exist_ok=True)
    done = shared / "made.pickle"
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits here while one builds
        if not done.exists():
            made = build(shared)
            partial = shared / "made.pickle.part"
            partial.write_bytes(pickle.dumps(made))
            partial.replace(done)
    made = pickle.loads(done.read_bytes())
    root = tmp_path_factory.mktemp(name)
    shutil.copytree(shared / "ws", root / "ws")
    return {"root": root, "workspace": root / "ws", "out": shared / "out", **made}


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> dict[str, Any]:
    """The whole pipeline on the five seed articles, once per test run."""
    return _shared_run(tmp_path_factory, "seeds", seeds_dir)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo case through the whole pipeline, once per test run."""
    from threadline.demo import CASE_DIR

    return _shared_run(tmp_path_factory, "demo", CASE_DIR)


#: A small fictional case for identity work: two brothers sharing a surname (kept apart
#: by the resolver), a declared alias, and a namesake of one brother in another town.
BROTHERS = {
    "a_raid.txt": (
        "Brothers held after Tessendorp raid\n\n"
        "TESSENDORP - Police arrested Karim Ouaziz and his brother Nabil Ouaziz on Monday in "
        "a raid in Tessendorp, prosecutors said.\n\n"
        "Karim Ouaziz joined the Verbeke group at the Haverdal Circle, a club led by Jonas "
        "Verbeke. "
        "Nabil Ouaziz drove the van.\n"
    ),
    "b_court.txt": (
        "Suspect denies knowing preacher\n\n"
        "Nabil Ouaziz, also known as Yusuf Tahiri, told the court in Lindemark that he had "
        "never met Jonas Verbeke. Ouaziz denied the charges.\n\n"
        "Jonas Verbeke recruited young men in Tessendorp, investigators said.\n"
    ),
    "c_coach.txt": (
        "Coach tired of mistaken identity\n\n"
        "LINDEMARK - Karim Ouaziz, a football coach in Lindemark, said on Friday he was tired "
        "of being confused with the suspect. Karim Ouaziz has coached the Lindemark youth "
        "team since 2015.\n"
    ),
}


@pytest.fixture(scope="session")
def brothers_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The whole pipeline on :data:`BROTHERS`, once per session; copy ``workspace``
    before changing it."""
    from threadline.pipeline import run
    from threadline.store import open_workspace

    root = tmp_path_factory.mktemp("brothers")
    corpus = root / "in"
    corpus.mkdir()
    for name, text in BROTHERS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    with open_workspace(root / "ws", create=True) as ws:
        run(ws, [corpus], None)
    return {"root": root, "workspace": root / "ws", "corpus": corpus}


def entity_named(
    export: dict[str, Any], name: str, schema: str | None = None
) -> list[dict[str, Any]]:
    """Entities carrying ``name`` among their names or aliases."""
    return [
        e
        for e in export["entities"]
        if (schema is None or e["schema"] == schema)
        and (name == e["name"] or name in e["names"] or name in e["aliases"])
    ]


def ties_between(export: dict[str, Any], a: str, b: str) -> list[dict[str, Any]]:
    return [t for t in export["ties"] if {t["source"], t["target"]} == {a, b}]


# -- the API and the web workbench (issue 7) ---------------------------------------


@pytest.fixture
def case_workspace(tmp_path: Path) -> Path:
    """A fresh copy of the small hand-made case (tests/api/case.py) in its own workspace."""
    from tests.api.case import build_case_workspace

    build_case_workspace(tmp_path / "case-ws")
    return tmp_path / "case-ws"


@pytest.fixture
def case_client(case_workspace: Path) -> Any:
    """A FastAPI TestClient on the case workspace (closed, with its workspace, after the test)."""
    from fastapi.testclient import TestClient

    from threadline.api import create_app

    with TestClient(create_app(case_workspace)) as client:
        yield client


@pytest.fixture(scope="session")
def seeds_workspace_copy(
    tmp_path_factory: pytest.TempPathFactory, seeds_run: dict[str, Any]
) -> Path:
    """A copy of the seeds workspace that the API and browser tests may write to."""
    import shutil

    target = tmp_path_factory.mktemp("seeds-api") / "ws"
    shutil.copytree(seeds_run["workspace"], target)
    return target


@pytest.fixture(scope="session")
def seeds_client(seeds_workspace_copy: Path) -> Any:
    from fastapi.testclient import TestClient

    from threadline.api import create_app

    with TestClient(create_app(seeds_workspace_copy)) as client:
        yield client


def _serve(app: Any) -> tuple[Any, Any, str]:
    """Run ``app`` with uvicorn on a free loopback port in a thread; return (server, thread, url)."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="session")
def seeds_server(seeds_workspace_copy: Path) -> Any:
    """The workbench on the seeds workspace, live on loopback (for the browser tests)."""
    from threadline.api import create_app

    server, thread, url = _serve(create_app(seeds_workspace_copy))
    yield url
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def case_server(case_workspace: Path) -> Any:
    from threadline.api import create_app

    server, thread, url = _serve(create_app(case_workspace))
    yield url
    server.should_exit = True
    thread.join(timeout=10)


#: Chromium flags for headless runs in containers and CI (no GPU, no sandbox, no chatter).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = REPO / "tests" / "artifacts"


@pytest.fixture(scope="session")
def browser() -> Any:
    """Debian's chromium driven by playwright (``playwright install`` is not needed)."""
    import shutil

    from threadline.web import vendor_built

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("chromium is not installed (make test installs it with apt-get)")
    if not vendor_built():
        pytest.skip("the graph library is not built: run make install (npm run build)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Any:
    """A fresh page at 1500x900; page errors fail the test that caused them."""
    context = browser.new_context(viewport={"width": 1500, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.errors = errors
    yield tab
    context.close()
    assert not errors, f"errors in the page: {errors}"


NOV13 = SHARED / "data" / "nov13"


@pytest.fixture(scope="session")
def nov13_edges() -> Path:
    """The main Nov13 edge list (Gutfraind & Genkin 2017; latin-1), read in place."""
    return _need(NOV13 / "ise_terrorNetwork.csv")


@pytest.fixture(scope="session")
def nov13_workspace(tmp_path_factory: pytest.TempPathFactory, nov13_edges: Path) -> Path:
    """A workspace holding only the imported Nov13 network (made once per session)."""
    from threadline.pipeline import import_graph
    from threadline.store import open_workspace

    root = tmp_path_factory.mktemp("nov13") / "ws"
    with open_workspace(root, create=True) as ws:
        import_graph(ws, nov13_edges, published="2017-08-28")
    return root


UN_LIST = SHARED / "data" / "sanctions" / "un_consolidated_2025-04-19.xml"

#: A small fictional list in the UN consolidated-list format: every name is invented.
FICTIONAL_UN_XML = """<?xml version='1.0' encoding='UTF-8'?>
<CONSOLIDATED_LIST dateGenerated='2026-01-01T00:00:00.000Z'>
 <INDIVIDUALS>
  <INDIVIDUAL>
   <DATAID>1</DATAID><FIRST_NAME>YOUSSEF</FIRST_NAME><SECOND_NAME>EL MANSOURI</SECOND_NAME>
   <UN_LIST_TYPE>Testland</UN_LIST_TYPE><REFERENCE_NUMBER>TSi.001</REFERENCE_NUMBER>
   <LISTED_ON>2020-01-01</LISTED_ON>
   <NATIONALITY><VALUE>Testland</VALUE></NATIONALITY>
   <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Yusuf al-Mansuri</ALIAS_NAME></INDIVIDUAL_ALIAS>
   <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abu Bilal</ALIAS_NAME></INDIVIDUAL_ALIAS>
   <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Karim Dahmani</ALIAS_NAME></INDIVIDUAL_ALIAS>
   <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
   <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1984-03-02</DATE></INDIVIDUAL_DATE_OF_BIRTH>
  </INDIVIDUAL>
  <INDIVIDUAL>
   <DATAID>2</DATAID><FIRST_NAME>TARIK</FIRST_NAME><SECOND_NAME>BENHADI</SECOND_NAME>
   <REFERENCE_NUMBER>TSi.002</REFERENCE_NUMBER>
   <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Tareq Ben Hadi</ALIAS_NAME></INDIVIDUAL_ALIAS>
  </INDIVIDUAL>
  <INDIVIDUAL>
   <DATAID>3</DATAID><FIRST_NAME>SALIM</FIRST_NAME><SECOND_NAME>OUARDIGHI</SECOND_NAME>
   <REFERENCE_NUMBER>TSi.003</REFERENCE_NUMBER>
   <NATIONALITY><VALUE>Otherland</VALUE></NATIONALITY>
  </INDIVIDUAL>
  <INDIVIDUAL>
   <DATAID>4</DATAID><FIRST_NAME></FIRST_NAME><REFERENCE_NUMBER>TSi.004</REFERENCE_NUMBER>
  </INDIVIDUAL>
 </INDIVIDUALS>
 <ENTITIES>
  <ENTITY>
   <DATAID>5</DATAID><FIRST_NAME>NORTH HARBOUR BROTHERHOOD</FIRST_NAME>
   <REFERENCE_NUMBER>TSe.001</REFERENCE_NUMBER>
   <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>NHB</ALIAS_NAME></ENTITY_ALIAS>
   <ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Harbour Youth Circle</ALIAS_NAME></ENTITY_ALIAS>
  </ENTITY>
 </ENTITIES>
</CONSOLIDATED_LIST>
"""


@pytest.fixture
def fictional_list(tmp_path: Path) -> Path:
    """:data:`FICTIONAL_UN_XML` as a file (its fourth individual has no name: a bad row)."""
    path = tmp_path / "fictional_list.xml"
    path.write_text(FICTIONAL_UN_XML, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def un_list() -> Path:
    """The real UN Security Council consolidated list, read in place."""
    return _need(UN_LIST)


#: Session fixtures that run the whole pipeline (ingest to analysis) on a corpus.
PIPELINE_FIXTURES = {"seeds_run", "demo_run", "brothers_run"}
#: Source text that runs the whole pipeline: ``run(ws, …)``/``process(ws)`` of
#: threadline.pipeline, or the ``run`` and ``demo`` commands of the command line.
_RUNS_PIPELINE = re.compile(
    r"""\b(?:run|process)\(\s*ws\b|\brun_all\(|["']run["']\s*,\s*(?!["']--help)|["']demo["']\s*,\s*["']--dir"""
)


@functools.cache
def _runs_pipeline(function: Any) -> bool:
    try:
        return bool(_RUNS_PIPELINE.search(inspect.getsource(function)))
    except (OSError, TypeError):
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``pipeline`` every test that runs the whole pipeline, itself or through a
    fixture (``pytest -m pipeline`` runs them, ``-m "not pipeline"`` the quick rest;
    CI runs both). Under pytest-xdist, keep each file's tests on one worker (its
    module fixtures are built once), every Spark test on the one worker that
    starts the Spark session, and every test in Chromium on the one worker that
    launches it (and serves the seeds workspace)."""
    pipeline = pytest.mark.pipeline
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        fixtures = set(item.fixturenames)
        defs = [d for name in fixtures for d in item._fixtureinfo.name2fixturedefs.get(name, ())]
        if (
            fixtures & PIPELINE_FIXTURES
            or _runs_pipeline(item.function)
            or any(_runs_pipeline(d.func) for d in defs if d.baseid)
        ):
            item.add_marker(pipeline)
        if item.get_closest_marker("spark"):
            group = "spark"
        elif "browser" in fixtures:
            group = "browser"
        else:
            group = item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
    if os.environ.get("THREADLINE_TEST_ORDER") == "reverse":
        # The files in reverse order (each file's tests in their own order): a test that
        # passes only after, or only before, some other file's tests shows up here.
        files: dict[str, list[pytest.Item]] = {}
        for item in items:
            files.setdefault(item.nodeid.split("::")[0], []).append(item)
        items[:] = [item for name in reversed(files) for item in files[name]]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist: gather the API calls each worker saw (for the check below)."""
    output = getattr(node, "workeroutput", {})
    _merge_api_calls(output.get("api_calls", {}))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """On a whole-suite run that passed, fail it if a declared API route was never
    called by a test with an answer below 400, or if any error answer's JSON body
    carried no ``code`` (see tests/routes_called.py). Under pytest-xdist each worker
    hands its calls to the controller, which checks them all.
    ``THREADLINE_CHECK_ROUTES=1`` checks a partial run too (to see what it covers)."""
    config = session.config
    if hasattr(config, "workeroutput"):  # a pytest-xdist worker: report, do not judge
        config.workeroutput["api_calls"] = _api_calls_seen()
        return
    whole_run = (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not config.option.keyword
        and not config.option.markexpr
        and not getattr(config.option, "lf", False)
    )
    forced = os.environ.get("THREADLINE_CHECK_ROUTES") == "1"
    if not (whole_run or forced) or exitstatus != 0:
        return
    from tests.api.test_app import TESTED

    problems = _routes_not_called(set(TESTED)) + _uncoded_errors()
    if problems:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                "API routes the tests did not exercise, or errors without a code:", red=True
            )
            for line in problems:
                reporter.write_line("  " + line, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
