"""A throwaway PostgreSQL server on 127.0.0.1, for the test command and the benchmarks.

Debian keeps the server binaries in /usr/lib/postgresql/<major>/bin (off PATH).  ``initdb`` and
``postgres`` refuse to run as root, so as root they run as the ``postgres`` OS user on a
``mktemp -d`` folder chowned to it.  Durability is off (fsync, synchronous_commit,
full_page_writes): the data is thrown away.  Usage::

    with throwaway_server() as base_url:          # "postgresql://postgres@127.0.0.1:PORT"
        url = create_database(base_url, "bench")  # base_url + "/bench"
"""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import ConfigError


def server_bin() -> Path | None:
    """The folder holding initdb and pg_ctl (newest major version), or None."""
    def major(p: str) -> int:
        try:
            return int(Path(p).parent.name)
        except ValueError:
            return 0

    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=major, reverse=True):
        if Path(d, "initdb").exists() and Path(d, "pg_ctl").exists():
            return Path(d)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and Path(found).with_name("initdb").exists() else None


def free_port() -> int:
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port != 5432:  # leave a real server's port alone
            return port


def _run(cmd: list[str], as_postgres: bool) -> None:
    if as_postgres:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise ConfigError(f"{' '.join(cmd)} failed ({res.returncode}): {res.stdout.strip()} {res.stderr.strip()}")


@contextlib.contextmanager
def throwaway_server() -> Iterator[str]:
    """Start a server, yield its base URL (no database), stop it and remove its files."""
    bindir = server_bin()
    if bindir is None:
        raise ConfigError("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin): run scripts/setup.sh, "
                          "which installs Debian's postgresql package")
    as_postgres = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="newsledger-pg-"))
    data = root / "data"
    port = free_port()
    started = False
    try:
        if as_postgres:
            shutil.chown(root, "postgres", "postgres")
        _run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
              "--locale=C", "--no-sync"], as_postgres)
        opts = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={data} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-o", opts, "-w", "start"],
             as_postgres)
        started = True
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        try:
            if started:
                _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], as_postgres)
        finally:
            shutil.rmtree(root, ignore_errors=True)


def create_database(base_url: str, name: str) -> str:
    """Create database ``name`` (letters, digits, _) on the server; returns its URL."""
    import psycopg

    if not name.replace("_", "").isalnum():
        raise ConfigError(f"database name {name!r}: use letters, digits and _ only")
    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base_url}/{name}"


def drop_database(base_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


__all__ = ["server_bin", "free_port", "throwaway_server", "create_database", "drop_database"]
