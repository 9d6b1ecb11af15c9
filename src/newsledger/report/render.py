"""Render a :class:`~newsledger.report.builder.Briefing` as HTML or Markdown (Jinja2 templates).

HTML autoescapes everything (article text is untrusted input).  Markdown escapes the characters
that would open HTML, links or table cells (``< > [ ] | * _ ` \\``) in every value taken from an
article.  Charts are written as PNG files into ``<out stem>_charts/`` next to the output and linked
relatively.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..errors import ConfigError
from .builder import Briefing
from .charts import bar_chart

FORMATS = ("html", "md")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(s) -> str:
    if s is None:
        return ""
    s = str(s).replace("\r", " ").replace("\n", " ")
    return _MD_SPECIAL.sub(lambda m: "&#%d;" % ord(m.group(1)), s)


def _env() -> Environment:
    env = Environment(loader=PackageLoader("newsledger.report", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = md_escape
    return env


def write_charts(b: Briefing, out: Path) -> None:
    folder = out.parent / f"{out.stem}_charts"
    for k, spec in enumerate(b.charts, 1):
        p = bar_chart(folder / f"chart{k}.png", spec.title, spec.labels, spec.values, spec.unit_label,
                      spec.value_labels)
        spec.path = f"{folder.name}/{p.name}"


def render(b: Briefing, fmt: str) -> str:
    if fmt not in FORMATS:
        raise ConfigError(f"unknown briefing format {fmt!r}: use html or md")
    tpl = _env().get_template(f"briefing.{fmt}.j2")
    return tpl.render(b=b, generated=time.strftime("%Y-%m-%d %H:%M"))


def write_briefing(b: Briefing, out: str | Path, fmt: str, charts: bool = True) -> Path:
    """Write charts (PNG) and the rendered briefing; returns the output path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if charts:
        write_charts(b, out)
    out.write_text(render(b, fmt), encoding="utf-8")
    return out
