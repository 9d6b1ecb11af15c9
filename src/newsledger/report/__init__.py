"""Briefings: a readable account of a digest or a ledger selection (HTML or Markdown, with charts).

    from newsledger.report import build_briefing, write_briefing
    b = build_briefing([(article, extraction), ...])
    write_briefing(b, "brief.html", "html")
"""
from __future__ import annotations

from .builder import Briefing, build_briefing
from .render import FORMATS, render, write_briefing

__all__ = ["Briefing", "FORMATS", "build_briefing", "render", "write_briefing"]
