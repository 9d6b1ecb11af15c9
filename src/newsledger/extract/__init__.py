"""The extraction pipeline: text → figures, times, entities (→ claims).

Each stage is a plain function over plain data, usable on its own:

- ``newsledger.extract.figures.find_figures(text, region=None) -> list[Figure]``
- ``newsledger.extract.times.find_times(text, ref_date=None, figures=()) -> list[TimeExpr]``
- ``newsledger.extract.entities.find_entities(text, options) -> list[Entity]``
- ``newsledger.claims.build_claims(text, extraction) -> list[Claim]``
- ``newsledger.checks.run_checks(claims, text) -> list[Finding]``

:func:`extract` runs them in order; stages are imported on first use so that a figures-only run
never pays for jieba or the NER model.  ``ref_date`` is passed in: nothing here reads the clock.
"""
from __future__ import annotations

import datetime as _dt
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import ConfigError
from ..model import Extraction

_REGIONS = (None, "CN", "TW", "HK")


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """Which stages run, validated once at the boundary; picklable for Dask workers."""

    figures: bool = True
    times: bool = True
    entities: bool = True
    claims: bool = True
    checks: bool = True  # run the registered checks over the claims (Extraction.findings)
    model: bool = True  # use the statistical NER model (else gazetteer + patterns only)
    region: str | None = None  # "CN", "TW", "HK": what a bare 元 means; None = detect from text

    @property
    def entity_model(self) -> bool:
        """Whether entities come from the NER model too (not only the gazetteer and patterns)."""
        return self.entities and self.model

    def __post_init__(self) -> None:
        if self.region not in _REGIONS:
            raise ConfigError(
                f"unknown region {self.region!r}: use one of CN, TW, HK, or leave it unset to detect it",
                region=self.region,
            )


DEFAULT_OPTIONS = ExtractOptions()
#: Characters the NER model tags in one pass of :func:`extract_many` (see there).
MODEL_BATCH_CHARS = 1_000_000


def _coerce_date(ref_date: _dt.date | str | None) -> _dt.date | None:
    if ref_date is None or isinstance(ref_date, _dt.date):
        return ref_date.date() if isinstance(ref_date, _dt.datetime) else ref_date
    try:
        return _dt.date.fromisoformat(str(ref_date)[:10])
    except ValueError as exc:
        raise ConfigError(f"ref_date {ref_date!r} is not an ISO date (YYYY-MM-DD)") from exc


def extract(
    text: str,
    ref_date: _dt.date | str | None = None,
    options: ExtractOptions = DEFAULT_OPTIONS,
) -> Extraction:
    """Find every figure, time expression and named entity in ``text`` (and the claims they make).

    Offsets are indices into ``text`` itself.  Relative times (明年, 去年同期) are resolved
    against ``ref_date`` when given, else left unresolved.
    """
    return _extract(text, _coerce_date(ref_date), options, None)


def extract_many(
    texts: Sequence[str],
    ref_dates: Sequence[_dt.date | str | None] | None = None,
    options: ExtractOptions = DEFAULT_OPTIONS,
) -> list[Extraction]:
    """:func:`extract` over several texts, the same result as one by one, faster: the NER model
    tags all of them in one batched pass (its per-step cost is shared by the texts)."""
    texts = list(texts)
    refs = [None] * len(texts) if ref_dates is None else [_coerce_date(d) for d in ref_dates]
    if len(refs) != len(texts):
        raise ConfigError(f"extract_many() got {len(texts)} texts but {len(refs)} ref_dates")
    for t in texts:
        _check_text(t)
    ents: list | None = None
    if options.entities and options.model and len(texts) > 1:
        from .entities import find_entities_many

        # the model's batch holds ~180 bytes a character while it runs: texts are tagged in
        # groups of about MODEL_BATCH_CHARS characters (a longer text makes a group of its own)
        ents = []
        group: list[str] = []
        size = 0
        for t in texts:
            group.append(t)
            size += len(t)
            if size >= MODEL_BATCH_CHARS:
                ents += find_entities_many(group, options)
                group, size = [], 0
        if group:
            ents += find_entities_many(group, options)
    return [_extract(t, r, options, ents[i] if ents is not None else None) for i, (t, r) in enumerate(zip(texts, refs))]


def _check_text(text: object) -> None:
    if not isinstance(text, str):
        raise ConfigError(f"extract() wants a str, got {type(text).__name__}; decode bytes with newsledger.read()")


def _extract(text: str, ref: _dt.date | None, options: ExtractOptions, entities: list | None) -> Extraction:
    _check_text(text)
    ext = Extraction(text=text)
    if options.figures:
        from .figures import find_figures

        ext.figures = find_figures(text, region=options.region)
    if options.times:
        from .times import find_times

        ext.times = find_times(text, ref_date=ref, figures=ext.figures)
    if options.entities:
        if entities is None:
            from .entities import find_entities

            entities = find_entities(text, options)
        ext.entities = entities
    if options.claims and options.figures:
        from ..claims import build_claims

        ext.claims = build_claims(text, ext)
        if options.checks:
            from ..checks import run_checks

            # Within-article checks only: cross-article conflicts need other articles' claims
            # as context, and run in briefings (newsledger.report), over the selected ledger.
            ext.findings = run_checks(ext.claims, text)
    return ext


__all__ = ["ExtractOptions", "extract", "extract_many", "DEFAULT_OPTIONS"]


class _CallableModule(types.ModuleType):
    """``newsledger.extract(text)`` runs :func:`extract`, while ``newsledger.extract.figures``
    and ``import newsledger.extract.entities as x`` still reach the submodules."""

    def __call__(self, text, ref_date=None, options=DEFAULT_OPTIONS):  # noqa: ANN001
        return extract(text, ref_date, options)


sys.modules[__name__].__class__ = _CallableModule
