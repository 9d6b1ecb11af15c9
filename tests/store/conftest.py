"""Store fixtures: every ``ledger`` test runs on SQLite AND on a real, throwaway PostgreSQL server.

The server is Debian's ``postgresql`` (binaries in /usr/lib/postgresql/<major>/bin), initialised
into a temporary folder as the ``postgres`` OS user when run as root (initdb refuses root), on
127.0.0.1 and a free port, with durability switched off for speed; it is stopped and removed at
the end of the session.  Each test gets a fresh database.  Missing binaries fail the PostgreSQL
half with instructions, unless NEWSLEDGER_SKIP_PG=1.
"""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

SKIP_PG = os.environ.get("NEWSLEDGER_SKIP_PG") == "1"


def _pg_bin() -> Path | None:
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    for d in reversed(dirs):
        if Path(d, "initdb").exists() and Path(d, "pg_ctl").exists():
            return Path(d)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _free_port() -> int:
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port != 5432:
            return port


def _run(cmd: list[str], as_postgres: bool) -> None:
    if as_postgres:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")


@pytest.fixture(scope="session")
def pg_url():
    """Base URL (no database) of a throwaway PostgreSQL server on 127.0.0.1."""
    if SKIP_PG:
        pytest.skip("NEWSLEDGER_SKIP_PG=1: PostgreSQL tests skipped")
    bindir = _pg_bin()
    if bindir is None:
        pytest.fail("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin): run scripts/setup.sh, "
                    "which installs Debian's postgresql package, or set NEWSLEDGER_SKIP_PG=1 to skip these tests",
                    pytrace=False)
    as_postgres = os.geteuid() == 0  # initdb and postgres refuse to run as root
    root = Path(tempfile.mkdtemp(prefix="newsledger-pg-"))
    data = root / "data"
    port = _free_port()
    try:
        if as_postgres:
            shutil.chown(root, "postgres", "postgres")
        _run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
              "--locale=C", "--no-sync"], as_postgres)
        opts = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={data} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-o", opts, "-w", "start"],
             as_postgres)
    except Exception as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"could not start the throwaway PostgreSQL server: {exc}", pytrace=False)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        try:
            _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], as_postgres)
        finally:
            shutil.rmtree(root, ignore_errors=True)


_db_counter = itertools.count()


@pytest.fixture
def pg_database(pg_url):
    """A fresh, empty database on the throwaway server; its URL."""
    import psycopg

    name = f"t{os.getpid()}_{next(_db_counter)}"
    with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{pg_url}/{name}"
    with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    return request.getfixturevalue("pg_database")


@pytest.fixture
def ledger(ledger_url):
    from newsledger.store import Ledger

    with Ledger(ledger_url) as led:
        yield led
