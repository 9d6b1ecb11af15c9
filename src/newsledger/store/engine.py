"""Opening a ledger: URL rules, engine settings per back end, and the schema-version check.

- ``None`` → ``sqlite:///newsledger.db`` (in the working folder); a bare path means SQLite;
  ``postgresql://`` and ``postgres://`` are rewritten to ``postgresql+psycopg://`` (psycopg 3).
- SQLite: WAL, foreign keys on, a 30 s busy timeout, ``synchronous=NORMAL``.  SQLAlchemy's
  implicit transactions are replaced by explicit ``BEGIN`` statements (the documented pysqlite
  recipe) so that writers can ask for ``BEGIN IMMEDIATE``: a writer takes the write lock up front
  instead of failing half-way with "database is locked" when another process writes too.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from sqlalchemy import create_engine, event, func, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import StaticPool

from ..errors import ConfigError, StoreError
from . import schema as S

DEFAULT_URL = "sqlite:///newsledger.db"
BUSY_TIMEOUT_MS = 30_000


def normalise_url(url: str | Path | None) -> str:
    """The SQLAlchemy URL for what the user wrote (see the module docstring)."""
    if url is None or str(url).strip() == "":
        return DEFAULT_URL
    u = str(url).strip()
    if u == ":memory:":
        return "sqlite://"
    if "://" not in u:
        return "sqlite:///" + u
    scheme, rest = u.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg://" + rest
    if scheme.startswith("sqlite") or scheme.startswith("postgresql"):
        return u
    raise ConfigError(
        f"unsupported ledger URL {u!r}: use a file path, sqlite:///FILE or postgresql://user@host/db",
        url=u,
    )


def _sqlite_file(sa_url: str) -> Path | None:
    """The file of a SQLite URL, None for in-memory SQLite and for other engines."""
    if not sa_url.startswith("sqlite") or sa_url in ("sqlite://", "sqlite:///:memory:"):
        return None
    return Path(sa_url.split(":///", 1)[1])


def require_existing(url: str | Path | None) -> None:
    """For commands that only read: a SQLite ledger that does not exist is a mistyped path, not
    an empty ledger — say so instead of creating an empty file and reporting nothing."""
    path = _sqlite_file(normalise_url(url))
    if path is not None:
        if not path.exists():
            from ..errors import NotFound

            raise NotFound(f"no ledger at {path}: check the path, or build one with "
                           f"newsledger ingest FILES… --db {path}", path=str(path))


def _set_wal(cur) -> None:  # noqa: ANN001 - a sqlite3 cursor
    """Switch to WAL, retrying while another connection holds the lock.

    SQLite can answer the journal-mode switch with "database is locked" at once, without calling
    the busy handler (several connections opening a new ledger together hit it), so the busy
    timeout is applied here by hand.
    """
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def make_engine(url: str | Path | None) -> Engine:
    sa_url = normalise_url(url)
    if sa_url.startswith("sqlite"):
        db_path = _sqlite_file(sa_url)
        memory = db_path is None
        if not memory:
            if not db_path.parent.exists():
                raise ConfigError(
                    f"cannot create ledger {db_path}: folder {db_path.parent} does not exist; create it first",
                    path=str(db_path),
                )
        kw = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}}
        if memory:
            kw["poolclass"] = StaticPool
        engine = create_engine(sa_url, **kw)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see do_begin)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if not memory:
                _set_wal(cur)
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _do_begin(conn: Connection) -> None:
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    try:
        return create_engine(sa_url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:  # pragma: no cover - psycopg is a declared dependency
        raise ConfigError(f"PostgreSQL needs psycopg 3: pip install 'psycopg[binary]' ({exc})") from exc


def ensure_schema(engine: Engine, fts) -> int:  # noqa: ANN001
    """Create the schema in an empty database, or check the version of an existing one."""
    try:
        with write_connection(engine) as conn:
            if engine.dialect.name == "postgresql":  # serialise concurrent first opens (SQLite: BEGIN IMMEDIATE)
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7391)")
            names = set(inspect(conn).get_table_names())
            if "schema_version" not in names:
                if "articles" in names:
                    raise StoreError(
                        f"{engine.url.render_as_string(hide_password=True)} holds an 'articles' table but no "
                        "schema_version: it is not a newsledger ledger (or predates versioning); point --db at "
                        "a new file or database and ingest again",
                    )
                S.metadata.create_all(conn)
                fts.create(conn)
                conn.execute(S.schema_version.insert().values(version=S.SCHEMA_VERSION, created_at=now()))
                return S.SCHEMA_VERSION
            version = conn.execute(select(func.max(S.schema_version.c.version))).scalar()
            if version == S.SCHEMA_VERSION:
                fts.create(conn)  # IF NOT EXISTS: adds index tables a ledger of this version may lack
    except OperationalError as exc:
        raise StoreError(
            f"cannot open the ledger at {engine.url.render_as_string(hide_password=True)}: {exc.orig}; check the "
            "URL, that the server is running and that you may write there",
        ) from exc
    if version != S.SCHEMA_VERSION:
        where = engine.url.render_as_string(hide_password=True)
        if version is not None and version > S.SCHEMA_VERSION:
            what = "it was written by a newer newsledger: upgrade newsledger (pip install -U newsledger)"
        else:
            what = ("it was written by an older newsledger: ingest your sources again into a new ledger "
                    "(newsledger ingest ... --db NEW); the old one can be exported first with newsledger export")
        raise StoreError(
            f"ledger {where} has schema version {version}, this newsledger uses version {S.SCHEMA_VERSION}; {what}",
            found=version, expected=S.SCHEMA_VERSION,
        )
    return version


def write_connection(engine: Engine):  # noqa: ANN201
    """A transaction that holds the write lock from its first statement (BEGIN IMMEDIATE on SQLite)."""
    conn = engine.connect()
    if engine.dialect.name == "sqlite":
        conn.execution_options(sqlite_begin="IMMEDIATE")
    return _Tx(conn)


class _Tx:
    """``with write_connection(engine) as conn:`` commits on success, rolls back on error, closes."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def __enter__(self) -> Connection:
        self.tx = self.conn.begin()
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        try:
            if exc_type is None:
                self.tx.commit()
            else:
                self.tx.rollback()
        finally:
            self.conn.close()


def now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


__all__ = ["DEFAULT_URL", "normalise_url", "make_engine", "ensure_schema", "write_connection", "now"]
