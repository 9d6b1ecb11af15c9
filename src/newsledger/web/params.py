"""Query parameters shared by pages and their JSON twins, validated once at the boundary.

HTML forms send empty strings for untouched fields (``?tag=&unit=``); they mean "no filter", so
every optional parameter maps ``""`` to ``None`` before validation.  A bad value (``value_min=abc``,
``date_from=2025-13-01``) fails validation and reaches the one error handler as a 422 naming the
parameter.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass
from enum import Enum
from typing import Annotated, Any

from fastapi import Query
from pydantic import BeforeValidator

from ..model import FIGURE_KINDS


def _blank_to_none(v: Any) -> Any:
    return None if isinstance(v, str) and not v.strip() else v


Kind = Enum("Kind", {k: k for k in FIGURE_KINDS}, type=str)  # type: ignore[misc]


class Script(str, Enum):
    orig = "orig"
    trad = "trad"
    simp = "simp"


OptStr = Annotated[str | None, BeforeValidator(_blank_to_none)]
OptDate = Annotated[_dt.date | None, BeforeValidator(_blank_to_none)]
OptFloat = Annotated[float | None, BeforeValidator(_blank_to_none)]
OptKind = Annotated[Kind | None, BeforeValidator(_blank_to_none)]


@dataclass(frozen=True)
class FilterParams:
    """The ledger filters (see ``newsledger.store.Filters``) as they arrive in a URL."""

    tag: str | None = None
    source: str | None = None
    date_from: _dt.date | None = None
    date_to: _dt.date | None = None
    entity: str | None = None
    kind: str | None = None
    unit: str | None = None
    value_min: float | None = None
    value_max: float | None = None

    def active(self) -> dict[str, Any]:
        """The filters that are set, JSON-ready (dates as ISO strings)."""
        out = {}
        for k, v in asdict(self).items():
            if v is not None:
                out[k] = v.isoformat() if isinstance(v, _dt.date) else v
        return out

    def to_store(self) -> Any:
        from ..store import Filters

        return Filters(**{k: v for k, v in asdict(self).items() if v is not None})


def filter_params(
    tag: Annotated[OptStr, Query(description="Only articles with this tag (topic), e.g. 創新")] = None,
    source: Annotated[OptStr, Query(description="Only articles from this source")] = None,
    date_from: Annotated[OptDate, Query(description="Published on or after (YYYY-MM-DD)")] = None,
    date_to: Annotated[OptDate, Query(description="Published on or before (YYYY-MM-DD)")] = None,
    entity: Annotated[OptStr, Query(description="Articles mentioning this canonical entity")] = None,
    kind: Annotated[OptKind, Query(description="Figure kind")] = None,
    unit: Annotated[OptStr, Query(description="Figure unit: ISO currency (USD), %, pp, x, or a counted unit")] = None,
    value_min: Annotated[OptFloat, Query(description="Figures with value ≥ this")] = None,
    value_max: Annotated[OptFloat, Query(description="Figures with value ≤ this")] = None,
) -> FilterParams:
    return FilterParams(
        tag=tag, source=source, date_from=date_from, date_to=date_to, entity=entity,
        kind=kind.value if kind is not None else None, unit=unit, value_min=value_min, value_max=value_max,
    )


Page = Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1")]
PerPage = Annotated[int, Query(ge=1, le=200, description="Rows per page")]
