"""Store fixtures: every ``ledger`` test runs on SQLite AND on a real, throwaway PostgreSQL server.

The server (:mod:`newsledger.store.pgserver`: Debian's ``postgresql`` binaries, initdb into a
temporary folder as the ``postgres`` OS user when run as root, 127.0.0.1 on a free port,
durability off) starts once per session and is stopped and removed at the end.  Each test gets a
fresh database.  Missing binaries FAIL the PostgreSQL half with instructions (run
scripts/setup.sh), unless NEWSLEDGER_SKIP_PG=1, which skips it.
"""
from __future__ import annotations

import itertools
import os

import pytest

from newsledger.store import pgserver

SKIP_PG = os.environ.get("NEWSLEDGER_SKIP_PG") == "1"


@pytest.fixture(scope="session")
def pg_url():
    """Base URL (no database) of a throwaway PostgreSQL server on 127.0.0.1."""
    if SKIP_PG:
        pytest.skip("NEWSLEDGER_SKIP_PG=1: PostgreSQL tests skipped")
    if pgserver.server_bin() is None:
        pytest.fail("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin): run scripts/setup.sh, "
                    "which installs Debian's postgresql package, or set NEWSLEDGER_SKIP_PG=1 to skip these tests",
                    pytrace=False)
    server = pgserver.throwaway_server()
    try:
        url = server.__enter__()
    except Exception as exc:  # noqa: BLE001 - reported as a test failure with the server's words
        pytest.fail(f"could not start the throwaway PostgreSQL server: {exc}", pytrace=False)
    try:
        yield url
    finally:
        server.__exit__(None, None, None)


_db_counter = itertools.count()


@pytest.fixture
def pg_database(pg_url):
    """A fresh, empty database on the throwaway server; its URL."""
    name = f"t{os.getpid()}_{next(_db_counter)}"
    url = pgserver.create_database(pg_url, name)
    yield url
    pgserver.drop_database(pg_url, name)


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
