"""Checks: do the figures of an article (and of the ledger) hold together?

Each check is a module in this package that registers a function by name::

    from . import register

    @register("range_magnitude")
    def check(claims, text, context) -> list[Finding]: ...

Modules are found by walking the package (add a file to add a check).  ``run_checks`` runs them
all (or the ones named) over one article's claims.  A check returns Findings with ``kind`` (what was
found), ``severity`` (``info`` for a confirmation, ``warning``/``error`` for a problem), a
``message`` in plain words and the ``spans`` of the figures concerned; ``verified=True`` marks a
confirmation ("2.9億元 vs 1.68億元 is +72.6%: the stated 73.1% holds").

``context`` carries claims of OTHER articles (from the ledger or the same digest) for the checks
that compare across articles; pass a list of Claims or a :class:`CheckContext` with source names.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import ConfigError
from ..model import Claim, Finding

CheckFn = Callable[[Sequence[Claim], "str | None", "CheckContext"], list[Finding]]


@dataclass(frozen=True)
class CheckInfo:
    name: str
    fn: CheckFn
    doc: str


@dataclass
class CheckContext:
    """Claims from other articles, and how to name their sources in messages."""

    claims: Sequence[Claim] = ()
    sources: Mapping[str, str] = field(default_factory=dict)  # article_id -> "source / title"
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def cached(self, key: str, build: Callable[[], object]) -> object:
        """An index over ``claims`` built once per context (checks run per article, the context is shared)."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def source_of(self, article_id: str | None) -> str:
        if article_id is None:
            return "this article"
        return self.sources.get(article_id) or f"article {article_id}"


REGISTRY: dict[str, CheckInfo] = {}
_loaded = False


def register(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register ``fn`` as the check called ``name`` (its docstring documents it)."""

    def deco(fn: CheckFn) -> CheckFn:
        REGISTRY[name] = CheckInfo(name, fn, (fn.__doc__ or "").strip())
        return fn

    return deco


def _load() -> None:
    global _loaded
    if not _loaded:
        for info in pkgutil.iter_modules(__path__):
            if not info.name.startswith("_"):
                importlib.import_module(f"{__name__}.{info.name}")
        _loaded = True


def checks() -> dict[str, CheckInfo]:
    """Every registered check by name."""
    _load()
    return dict(REGISTRY)


def run_checks(
    claims: Sequence[Claim],
    text: str | None = None,
    context: CheckContext | Sequence[Claim] | None = None,
    only: Sequence[str] | None = None,
) -> list[Finding]:
    """Run the registered checks (or those named in ``only``) over one article's claims."""
    _load()
    if context is None:
        ctx = CheckContext()
    elif isinstance(context, CheckContext):
        ctx = context
    else:
        ctx = CheckContext(claims=list(context))
    names = list(only) if only else sorted(REGISTRY)
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        raise ConfigError(f"unknown check(s) {unknown}: choose from {sorted(REGISTRY)}", unknown=unknown)
    out: list[Finding] = []
    for n in names:
        out.extend(REGISTRY[n].fn(claims, text, ctx))
    return out


__all__ = ["CheckContext", "CheckInfo", "REGISTRY", "checks", "register", "run_checks"]
