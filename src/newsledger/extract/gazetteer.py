"""Gazetteer lookup: known names in either script → type, canonical name, ticker.

The table is data/gazetteer/generated.tsv (built from the hand-written YAML by
scripts/build_gazetteer.py).  Matching is one pyahocorasick pass over the original text (both
scripts are in the table), keeping the longest non-overlapping matches, with boundary checks so
that ``CAT`` is not found inside ``CATL`` nor ``HK`` inside ``0700.HK``.  The automaton is built
once per process and pickled under ~/.cache/newsledger, keyed on the table's content hash.
"""
from __future__ import annotations

import functools
import hashlib
import pickle
import re
from dataclasses import dataclass
from pathlib import Path

from .ner import cache_dir, simplified_same_length

TABLE = Path(__file__).parent / "data" / "gazetteer" / "generated.tsv"
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class Entry:
    canonical: str
    type: str
    ticker: str | None
    exchange: str | None


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    entry: Entry


@functools.lru_cache(maxsize=1)
def _load():
    """(surface → Entry dict, Aho-Corasick automaton), cached on disk by the table's hash."""
    import ahocorasick

    raw = TABLE.read_bytes()
    digest = hashlib.sha1(raw).hexdigest()[:16]
    path = cache_dir() / f"gazetteer-{digest}.pkl"
    if path.exists():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except Exception:  # a truncated or foreign cache file: rebuild it
            pass
    table: dict[str, Entry] = {}
    for line in raw.decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        surface, canonical, typ, ticker, exchange = line.split("\t")
        table[surface] = Entry(canonical, typ, ticker or None, exchange or None)
    auto = ahocorasick.Automaton()
    for surface, entry in table.items():
        auto.add_word(surface, (len(surface), surface))
    auto.make_automaton()
    tmp = path.with_suffix(f".{id(auto)}.tmp")
    with tmp.open("wb") as fh:
        pickle.dump((table, auto), fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return table, auto


def lookup(name: str) -> Entry | None:
    """The entry for a surface form in either script (exact, then its Simplified form)."""
    table, _ = _load()
    name = name.strip()
    return table.get(name) or table.get(simplified_same_length(name))


def canonical(name: str) -> str | None:
    """One name across scripts and spellings: 川普 / 特朗普 / Trump → 特朗普; unknown → None."""
    e = lookup(name)
    return e.canonical if e else None


# A name ending in these characters is no name when the next character makes another word of its
# last one: 深圳市场 is 深圳 + 市场 (a market), not 深圳市 + 场.
_LAST_CHAR_NOT_BEFORE = {"市": "场場"}


def _ok_boundary(text: str, start: int, end: int, surface: str) -> bool:
    nxt = _LAST_CHAR_NOT_BEFORE.get(surface[-1])
    if nxt and end < len(text) and text[end] in nxt:
        return False
    # ASCII names must stand alone: no letter/digit (or the dot of a ticker suffix) next to them.
    if surface[0].isascii() and start > 0 and (_ASCII_WORD.match(text[start - 1]) or text[start - 1] == "."):
        return False
    if surface[-1].isascii() and end < len(text) and _ASCII_WORD.match(text[end]):
        return False
    return True


def find(text: str) -> list[Match]:
    """Longest non-overlapping gazetteer matches in ``text``, sorted by start."""
    table, auto = _load()
    cands = []
    for end_idx, (n, surface) in auto.iter(text):
        start, end = end_idx - n + 1, end_idx + 1
        if _ok_boundary(text, start, end, surface):
            cands.append((start, end, surface))
    cands.sort(key=lambda c: (c[0] - c[1], c[0]))  # longest first, then leftmost
    taken = bytearray(len(text) + 1)
    out = []
    for start, end, surface in cands:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        out.append(Match(start, end, table[surface]))
    out.sort(key=lambda m: m.start)
    return out
