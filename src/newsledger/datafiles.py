"""Reading the rule files (YAML): PyYAML's libyaml parser when the wheel has it.

The pure-Python SafeLoader spent about 0.4 s parsing the rule files at every start of the CLI;
the C loader (``CSafeLoader``) builds the same Python objects (same YAML 1.1 resolver) in a
fraction of that.  Falls back to SafeLoader where libyaml is missing.
"""
from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load(text)``, with the C parser when available."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader (CSafeLoader or SafeLoader)
