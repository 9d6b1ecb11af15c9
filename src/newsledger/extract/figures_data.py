"""Load the figure tables (YAML under ``extract/data/``) once per process.

The tables are the rules: numerals, magnitudes, currencies, units, classifiers, qualifiers,
stopwords and region markers.  Code reads them only through :func:`table`, so adding a currency or
a classifier is a data edit.  A missing or malformed table raises :class:`ConfigError`.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any


from ..datafiles import load_yaml
from ..errors import ConfigError

DATA_DIR = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=None)
def table(name: str) -> dict[str, Any]:
    """The parsed ``data/<name>.yaml`` as a dict (cached; treat it as read-only)."""
    try:
        raw = (DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"figure table {name}.yaml is missing from the package data; reinstall newsledger",
                          table=name) from exc
    data = load_yaml(raw)
    if not isinstance(data, dict):
        raise ConfigError(f"figure table {name}.yaml must be a mapping at top level", table=name)
    return data


def longest_first(words) -> list[str]:
    """Words sorted longest first, so a regex alternation prefers 萬億 over 萬, 美元 over 元."""
    return sorted(set(words), key=lambda w: (-len(w), w))
