"""Find time expressions in Chinese news text and resolve them to ISO 8601.

``find_times(text, ref_date=None, figures=())`` returns :class:`TimeExpr` spans (offsets into
``text``), sorted and non-overlapping, each with the name of the rule that produced it.

How: every rule is a pattern in ``data/times.yaml``; they are compiled into ONE scanner regex
(an alternation tried in table order, behind a one-character look-ahead so most positions cost a
single set test), and each hit is re-read by its own rule's regex (with named groups) and resolved
by the resolver of that name in :mod:`newsledger.extract.times_resolve`.  Two small passes then
widen a time with 截至 before it (as-of) or 以來/至今 after it (since).  Relative times are resolved
against ``ref_date`` only; without it they keep ``value=None`` (nothing here reads the clock).

Written by hand because no maintained Python library extracts Chinese time expressions with
offsets in both scripts (dateparser parses a given string, it does not find spans; the
Recognizers-Text Python port is unmaintained and misses 世紀 / 年代 / 前N個月 / 今(24)日).
"""
from __future__ import annotations

import bisect
import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any


from ..datafiles import load_yaml
from ..errors import ConfigError
from ..model import Figure, TimeExpr

DATA_FILE = Path(__file__).resolve().parent / "data" / "times.yaml"
_FIELD = re.compile(r"\{([A-Z][A-Z0-9]*)\}")
_NAMED = re.compile(r"\(\?P<[A-Za-z_]\w*>")


@lru_cache(maxsize=1)
def tables() -> dict[str, Any]:
    """The parsed ``data/times.yaml`` (cached; treat it as read-only)."""
    try:
        data = load_yaml(DATA_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("times.yaml is missing from the package data; reinstall newsledger") from exc
    if not isinstance(data, dict) or "rules" not in data:
        raise ConfigError("times.yaml must be a mapping with a 'rules' list", file=str(DATA_FILE))
    return data


def _alt(words) -> str:
    """A regex alternation of ``words``, longest first (so 上個月 wins over 上月)."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) + ")"


def _deictic(t: dict[str, Any]) -> str:
    """The deictic words, each behind the characters it must not follow (deictic_not_after)."""
    guards = t.get("deictic_not_after", {})
    words = sorted(set(t["deictic"]), key=lambda w: (-len(w), w))
    alts = [(f"(?<![{re.escape(guards[w])}])" if w in guards else "") + re.escape(w) for w in words]
    return "(?:" + "|".join(alts) + ")"


def _live(mapping: dict[str, Any]) -> list[str]:
    return [k for k, v in mapping.items() if v is not None]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    type: str
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Grammar:
    rules: dict[str, Rule]
    scanner: re.Pattern[str]
    as_of: re.Pattern[str]
    since: re.Pattern[str]
    before: re.Pattern[str]
    after: re.Pattern[str]
    joiners: frozenset[str]


def _fragments(t: dict[str, Any]) -> dict[str, str]:
    frags = dict(t["fragments"])
    frags.update(
        RELYEAR=_alt(_live(t["relative_years"])),
        RELMONTH=_alt(_live(t["relative_months"])),
        RELDAY=_alt(_live(t["relative_days"])),
        RELWEEK=_alt(_live(t["relative_weeks"])),
        RELQUARTER=_alt(_live(t["relative_quarters"])),
        FISCAL=_alt(t["fiscal"]),
        SEASON=_alt(t.get("seasons", ())),
        WINDOW=_alt(_live(t["window_words"])),
        DEICTIC=_deictic(t),
        PARENDAY=_alt(t["paren_day_words"]),
        NOTBEFORE="[" + "".join(re.escape(c) for c in sorted(set(t["bare_year_not_before"]))) + "]",
    )
    return frags


def _expand(template: str, frags: dict[str, str]) -> str:
    for _ in range(10):
        new = _FIELD.sub(lambda m: frags[m.group(1)], template)
        if new == template:
            return new
        template = new
    raise ConfigError("times.yaml fragments nest too deeply (a fragment refers to itself?)")


_ANY = None  # a first-character set too wide to test (negated class, '.', a category)


def _first(items) -> tuple[set[str] | None, bool]:
    """(characters a parsed regex sequence can start with, can it match empty?)."""
    from re import _constants as C  # noqa: N812  (the parser's opcodes; stable since 3.11)

    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            return out | {chr(av)}, False
        if op is C.IN:
            chars: set[str] = set()
            for kind, val in av:
                if kind is C.LITERAL:
                    chars.add(chr(val))
                elif kind is C.RANGE and val[1] - val[0] < 256:
                    chars |= {chr(c) for c in range(val[0], val[1] + 1)}
                else:
                    return _ANY, False
            return out | chars, False
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue  # zero width
        if op is C.SUBPATTERN:
            sub, nullable = _first(av[-1])
        elif op is C.BRANCH:
            sub, nullable = set(), False
            for alt in av[1]:
                f, n = _first(alt)
                if f is _ANY:
                    return _ANY, False
                sub |= f
                nullable = nullable or n
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            sub, nullable = _first(av[2])
            nullable = nullable or av[0] == 0
        else:
            return _ANY, False
        if sub is _ANY:
            return _ANY, False
        out |= sub
        if not nullable:
            return out, False
    return out, True


def first_chars(pattern: str) -> set[str] | None:
    """Every character a match of ``pattern`` can start with (None: any, or it can be empty)."""
    from re import _parser

    chars, nullable = _first(_parser.parse(pattern))
    return None if chars is _ANY or nullable else chars


def _class(chars) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def _triggers(t: dict[str, Any], firsts: list[set[str]]) -> str:
    """The scanner's look-ahead: where a time expression can start (derived from the rules).

    A digit or Chinese numeral counts only where no numeral precedes it (every numeric rule starts
    at the beginning of a number), so most positions of news text cost one set test.
    """
    numerals = set("0123456789０１２３４５６７８９" + t["cn_digits"] + t["cn_units"])
    chars = set().union(*firsts)
    words = chars - numerals
    return f"(?={_class(chars)})(?={_class(words)}|(?<!{_class(numerals)}))"


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    """Compile the rules of times.yaml once per process."""
    t = tables()
    frags = _fragments(t)
    rules: dict[str, Rule] = {}
    branches, firsts = [], []
    for spec in t["rules"]:
        name = spec["name"]
        pattern = _expand(spec["pattern"], frags)
        try:
            rules[name] = Rule(name, spec["type"], re.compile(pattern))
        except re.error as exc:
            raise ConfigError(f"times.yaml rule {name!r} is not a valid regex: {exc}", rule=name) from exc
        first = first_chars(pattern)
        if first is None:
            raise ConfigError(f"times.yaml rule {name!r} can start with any character (or match nothing): "
                              "give it a definite first character", rule=name)
        firsts.append(first)
        # each branch first tests its own first characters: one set test where it cannot start
        branches.append(f"(?={_class(first)})(?P<{name}>{_NAMED.sub('(?:', pattern)})")
    scanner = re.compile(_triggers(t, firsts) + "(?:" + "|".join(branches) + ")")
    as_of = re.compile(_alt(t["as_of_words"]) + r"[ \t]?$")
    since = re.compile(_alt(t["since_words"]))
    stop = f"(?![{re.escape(t['open_not_followed_by'])}])"
    before = re.compile(_alt(t["open_before"]) + stop)
    after = re.compile(_alt(t["open_after"]) + stop)
    return Grammar(rules, scanner, as_of, since, before, after, frozenset(t["duration_joiners"]))


def _overlaps(ends_max: list[int], starts: list[int], start: int, end: int) -> bool:
    """Does [start, end) overlap a figure?  ``ends_max[i]`` is the largest end among figures 0..i."""
    i = bisect.bisect_left(starts, end)
    return i > 0 and ends_max[i - 1] > start


def _extend(g, text, end, typ, value, relative, rname, ref_date, since_value, open_value):
    """Widen a calendar time by what follows it: 以來/至今 (since), 前/以前 (before), 起/以後 (after)."""
    s = g.since.match(text, end)
    if s:
        return s.end(), "period", since_value(value, ref_date), True, "since+" + rname
    for pat, before, label in ((g.before, True, "before+"), (g.after, False, "after+")):
        m = pat.match(text, end)
        if m:
            opened = open_value(value, before)
            if opened is None and value is not None:
                break
            return m.end(), "period", opened, relative, label + rname
    return end, typ, value, relative, rname


def find_times(
    text: str,
    ref_date: _dt.date | None = None,
    figures: Sequence[Figure] = (),
) -> list[TimeExpr]:
    """Every time expression in ``text``, sorted by start, none overlapping a span of ``figures``.

    ``ref_date`` (the article's date) resolves 今年, 明年, 今(24)日, 過去三年 and dates written
    without a year; without it those keep ``value=None`` and ``relative=True``.
    """
    from .times_resolve import add_durations, open_value, resolve, since_value

    if isinstance(ref_date, _dt.datetime):
        ref_date = ref_date.date()
    g = grammar()
    spans = sorted((f.start, f.end) for f in figures)
    starts = [s for s, _ in spans]
    ends_max: list[int] = []
    for _, e in spans:
        ends_max.append(max(e, ends_max[-1]) if ends_max else e)
    out: list[TimeExpr] = []
    last_end = 0
    for m in g.scanner.finditer(text):
        start, end = m.span()
        if start < last_end:
            continue  # swallowed by a since-extension of the previous time
        name = m.lastgroup
        rule = g.rules[name]
        detail = rule.regex.fullmatch(text, start, end)
        if detail is None:  # the scanner and the rule disagree only on look-arounds; trust the rule
            continue
        res = resolve(name, detail.groupdict(), ref_date)
        if res is None:
            continue
        typ, value, relative = res
        rname = name
        if typ not in ("relative", "duration"):
            end, typ, value, relative, rname = _extend(g, text, end, typ, value, relative, rname, ref_date,
                                                       since_value, open_value)
        elif typ == "duration" and out and name == "duration" and out[-1].rule == "duration" \
                and text[out[-1].end:start] in g.joiners and not (spans and _overlaps(ends_max, starts, start, end)):
            merged = add_durations(out[-1].value, value)
            if merged:  # 3年5個月, 一年又一個月: one duration
                prev = out.pop()
                out.append(TimeExpr(prev.start, end, text[prev.start:end], "duration", merged, False, "duration"))
                last_end = end
                continue
        a = g.as_of.search(text, max(0, start - 4), start)
        if a:
            start = a.start()
            rname = "as_of+" + rname
        if spans and _overlaps(ends_max, starts, start, end):
            continue
        if start < last_end:
            continue
        out.append(TimeExpr(start, end, text[start:end], typ, value, relative, rname))
        last_end = end
    return out


__all__ = ["find_times", "grammar", "tables"]
