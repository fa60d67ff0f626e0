"""A private PostgreSQL server for the tests: one cluster per session, one database per test.

``initdb`` makes a throw-away cluster in a temporary folder; ``pg_ctl`` starts it
on 127.0.0.1 at a free port with its Unix socket in the same folder, trust
authentication, and durability off (fsync, synchronous commit: nothing here
needs to survive a crash), and stops it when the session ends. PostgreSQL
refuses to run as root, so as root the server runs as the ``postgres`` user
(``runuser``), which Debian's package creates.

The binaries come from ``pg_config --bindir``, ``/usr/lib/postgresql/*/bin`` or
the PATH. When they are missing the tests that need a server FAIL, they are
not skipped: ``make postgresql`` (part of ``make test``) installs Debian's
``postgresql`` package. A developer without PostgreSQL who wants the rest of
the suite may set ``THREADLINE_SKIP_POSTGRES=1`` to skip them instead; CI
(``CI`` set) ignores that and fails.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

#: The role the tests connect as (the cluster's superuser).
SUPERUSER = "postgres"
_NAMES = itertools.count(1)


def postgres_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if found:
            candidates.append(Path(found))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def _missing(reason: str) -> None:
    if os.environ.get("THREADLINE_SKIP_POSTGRES") and not os.environ.get("CI"):
        pytest.skip(f"{reason} (THREADLINE_SKIP_POSTGRES is set)")
    pytest.fail(
        f"{reason}: run 'make postgresql' (apt-get install postgresql); the PostgreSQL "
        "tests are never skipped in CI",
        pytrace=False,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivateCluster:
    """A running throw-away cluster; :meth:`new_database` gives each test its own database."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="threadline-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            if runuser is None:
                raise RuntimeError("running as root without runuser: cannot start PostgreSQL")
            self._as = [runuser, "-u", SUPERUSER, "--"]
            shutil.chown(self.folder, user=SUPERUSER)
        self.folder.chmod(0o700)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*self._as, *args], capture_output=True, text=True, check=False, timeout=120
        )
        if done.returncode:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr or done.stdout}")
        return done

    def start(self) -> None:
        initdb = [str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER]
        initdb += ["-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
        try:
            # a linguistic default collation, like most real servers: the store must sort
            # text byte-wise all the same (its TEXT columns are COLLATE "C")
            self._run(*initdb, "--locale-provider=icu", "--icu-locale=en-US")
        except RuntimeError:  # PostgreSQL < 15 or built without ICU
            shutil.rmtree(self.data, ignore_errors=True)
            self._run(*initdb)
        self.start_server()

    def start_server(self) -> None:
        """Start the server on the cluster made by :meth:`start` (again, after :meth:`stop_server`)."""
        options = " ".join(
            [
                "-c listen_addresses=127.0.0.1",
                f"-c port={self.port}",
                f"-c unix_socket_directories={self.folder}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=100",
                "-c shared_buffers=32MB",
            ]
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop_server(self) -> None:
        """Stop the server (fast: open sessions are cut), keeping the cluster's files."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def new_database(self, prefix: str = "ws") -> str:
        """Create an empty database; return its URL."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(_NAMES)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def copy_database(self, url: str, prefix: str = "copy") -> str:
        """A new database holding a copy of ``url``'s (which nobody may be connected to)."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(_NAMES)}"
        source = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PrivateCluster]:
    """The session's private PostgreSQL server (started on first use)."""
    bindir = postgres_bindir()
    if bindir is None:
        _missing("PostgreSQL is not installed (no initdb/pg_ctl found)")
        raise AssertionError("unreachable")
    cluster = PrivateCluster(bindir)
    try:
        cluster.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(cluster.folder, ignore_errors=True)
        pytest.fail(f"cannot start a private PostgreSQL server: {exc}", pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: PrivateCluster) -> Iterator[str]:
    """A fresh, empty database on the private server (dropped after the test)."""
    url = pg_cluster.new_database()
    yield url
    pg_cluster.drop_database(url)


#: The two backends every storage test runs on.
BACKENDS = ("duckdb", "postgresql")


@pytest.fixture(params=BACKENDS)
def ws_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a fresh workspace goes, once per backend: a folder (DuckDB) or a URL."""
    if request.param == "duckdb":
        yield str(tmp_path / "ws")
        return
    cluster: PrivateCluster = request.getfixturevalue("pg_cluster")
    url = cluster.new_database()
    yield url
    cluster.drop_database(url)
