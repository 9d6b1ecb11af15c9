"""The ``newsledger`` command: a thin shell over the library.

Each sub-command lives in its own module under ``newsledger.commands`` and exposes
``register(app)``; modules are found by walking the package, not listed by hand, so adding a
command means adding a file.  Library errors (``NewsledgerError``) are printed as
``[CODE] message`` on stderr with exit status 2, never as a traceback.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from . import commands
from .errors import IOFailure, NewsledgerError

app = typer.Typer(
    name="newsledger",
    help="Read Chinese-language news as data: figures, times, entities and claims, in a ledger.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.callback()
def _root() -> None:
    """Read Chinese-language news as data: figures, times, entities and claims, in a ledger."""


for _info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
    if not _info.name.startswith("_"):
        importlib.import_module(f"{commands.__name__}.{_info.name}").register(app)


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except NewsledgerError as exc:
        typer.echo(str(exc), err=True)
        sys.exit(2)
    except OSError as exc:  # an output path that cannot be written, a full disk, …
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"[{IOFailure.code}] {where}{exc.strerror or exc}; check the path and its permissions", err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
