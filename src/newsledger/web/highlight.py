"""The article body as a tree of marked spans, for the page and its JSON twin.

Figures, times and entities are laid over the ORIGINAL text by their offsets.  Spans nest when one
contains another (an entity inside a figure's sentence part, a year inside a money phrase); a span
that crosses another's boundary is dropped (and counted) rather than producing broken markup —
this is the one piece here no library does for us (a tiny interval-tree walk).

Script views: the text is converted leaf by leaf (``to_script`` on each unmarked run and each
marked run separately), so every highlight survives the conversion; the price is that a
regional phrase straddling a highlight boundary is converted character by character.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

PRIORITY = {"fig": 0, "time": 1, "ent": 2}
_SEP = "\ue000"  # private-use character: OpenCC leaves it alone and no phrase crosses it


def fmt_number(v: float | None) -> str:
    """3e4 → '30,000'; 4e12 → '4,000,000,000,000 (4×10^12)'; 0.745 → '0.745'."""
    if v is None:
        return ""
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    if abs(v) < 1e15 and float(v).is_integer():
        s = f"{int(v):,}"
    else:
        s = f"{v:,.6g}"
    if abs(v) >= 1e6:
        mant, exp = f"{v:.6e}".split("e")
        mant = mant.rstrip("0").rstrip(".")
        s += f" ({mant}×10^{int(exp)})"
    return s


_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def fmt_compact(v: float | None) -> str:
    """Short form for tables: 34,070,000,000,000 → '3.407×10¹³'; 12 → '12'; 0.745 → '0.745'."""
    if v is None:
        return ""
    if v != v or v in (float("inf"), float("-inf")) or abs(v) < 1e6:
        return f"{v:,.6g}" if not float(v).is_integer() else f"{int(v):,}"
    mant, exp = f"{v:.3e}".split("e")
    mant = mant.rstrip("0").rstrip(".")
    return f"{mant}×10{str(int(exp)).translate(_SUP)}"


def figure_tip(f: dict[str, Any]) -> str:
    value = fmt_number(f.get("value"))
    if f.get("high") is not None:
        value = f"{value} – {fmt_number(f['high'])}"
    parts = [value]
    if f.get("unit"):
        parts.append(str(f["unit"]))
    if f.get("per"):
        parts.append(f"per {f['per']}")
    tip = " ".join(parts)
    extra = [str(f.get("kind") or "")]
    if f.get("approx") and f["approx"] != "exact":
        extra.append(str(f["approx"]))
    return f"{tip} · " + ", ".join(e for e in extra if e)


def _spans(figures: Iterable[dict], times: Iterable[dict], entities: Iterable[dict], text_len: int) -> list[dict]:
    out = []
    for kind, items in (("fig", figures), ("time", times), ("ent", entities)):
        for i, s in enumerate(items):
            start, end = int(s["start"]), int(s["end"])
            if 0 <= start < end <= text_len:
                out.append({"mark": kind, "index": i, "start": start, "end": end, "span": s})
    out.sort(key=lambda s: (s["start"], -s["end"], PRIORITY[s["mark"]]))
    return out


def build_segments(
    text: str,
    figures: Sequence[dict] = (),
    times: Sequence[dict] = (),
    entities: Sequence[dict] = (),
    flagged: Iterable[tuple[int, int]] = (),
) -> tuple[list[dict], int]:
    """(tree, dropped): nodes are ``{"text": ...}`` or ``{"mark", "start", "end", "attrs", "children"}``.

    ``flagged`` are spans named by check findings: figures overlapping one get ``flagged: True``.
    """
    flags = list(flagged)
    root: dict[str, Any] = {"start": 0, "end": len(text), "kids": []}
    stack = [root]
    dropped = 0
    for s in _spans(figures, times, entities, len(text)):
        while len(stack) > 1 and stack[-1]["end"] <= s["start"]:
            stack.pop()
        parent = stack[-1]
        if s["end"] > parent["end"]:  # crosses the parent's end: cannot nest
            dropped += 1
            continue
        node = {**s, "kids": []}
        parent["kids"].append(node)
        stack.append(node)

    def emit(node: dict) -> list[dict]:
        out: list[dict] = []
        pos = node["start"]
        for kid in node["kids"]:
            if kid["start"] > pos:
                out.append({"text": text[pos:kid["start"]]})
            out.append(_mark(kid, emit(kid), flags))
            pos = kid["end"]
        if pos < node["end"]:
            out.append({"text": text[pos:node["end"]]})
        return out

    return emit(root), dropped


def _mark(s: dict, children: list[dict], flags: list[tuple[int, int]]) -> dict:
    span, kind = s["span"], s["mark"]
    if kind == "fig":
        attrs = {
            "kind": span.get("kind"), "value": span.get("value"), "high": span.get("high"),
            "unit": span.get("unit"), "approx": span.get("approx"), "tip": figure_tip(span),
            "flagged": any(a < s["end"] and s["start"] < b for a, b in flags),
        }
    elif kind == "time":
        attrs = {"type": span.get("type"), "value": span.get("value"),
                 "tip": f"{span.get('type')}: {span.get('value') or 'unresolved'}"}
    else:
        attrs = {"type": span.get("type"), "canonical": span.get("canonical"), "ticker": span.get("ticker"),
                 "tip": f"{span.get('type')}: {span.get('canonical')}" + (f" ({span['ticker']})" if span.get("ticker") else "")}
    return {"mark": kind, "index": s["index"], "start": s["start"], "end": s["end"], "attrs": attrs, "children": children}


def _leaves(nodes: list[dict]) -> Iterable[dict]:
    for n in nodes:
        if "text" in n:
            yield n
        else:
            yield from _leaves(n["children"])


def convert_segments(nodes: list[dict], script: str) -> list[dict]:
    """Convert every text leaf to ``script`` ("trad"/"simp") in place; returns ``nodes``."""
    from ..text.script import to_script

    leaves = list(_leaves(nodes))
    if not leaves:
        return nodes
    joined = to_script(_SEP.join(n["text"] for n in leaves), script)
    parts = joined.split(_SEP)
    if len(parts) != len(leaves):  # the converter touched the separator: convert one by one
        parts = [to_script(n["text"], script) for n in leaves]
    for n, p in zip(leaves, parts):
        n["text"] = p
    return nodes


def plain_text(nodes: list[dict]) -> str:
    return "".join(n["text"] for n in _leaves(nodes))
