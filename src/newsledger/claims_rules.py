"""Cue tables for :mod:`newsledger.claims`, loaded once from ``extract/data/claims.yaml``.

Rules are data: this module only reads the YAML and widens every list to both scripts (OpenCC
``t2s``/``s2t``), so a cue written in one script matches text in the other.  Lists are sorted
longest first so that matching at a position takes the longest cue ("同比增長" before "增").
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .datafiles import load_yaml


@lru_cache(maxsize=4)
def _cc(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_simp(s: str) -> str:
    """Simplified script, character for character (``t2s``); used only where lengths match."""
    return _cc("t2s").convert(s)


def _both(words) -> tuple[str, ...]:
    out = set()
    for w in words or ():
        w = str(w)
        out.add(w)
        out.add(_cc("t2s").convert(w))
        out.add(_cc("s2t").convert(w))
    return tuple(sorted(out, key=lambda x: (-len(x), x)))


@dataclass(frozen=True)
class Rules:
    up: tuple[str, ...]
    down: tuple[str, ...]
    to_up: tuple[str, ...]
    to_down: tuple[str, ...]
    not_change: tuple[str, ...]
    share_before: tuple[str, ...]
    share_after: tuple[str, ...]
    copula: tuple[str, ...]
    than: tuple[str, ...]
    cmp_up: tuple[str, ...]
    cmp_down: tuple[str, ...]
    attribution: tuple[str, ...]
    pronouns: tuple[str, ...]
    subject_types: frozenset[str]
    own_country: tuple[str, ...]
    respectively: tuple[str, ...]
    list_joiners: tuple[str, ...]
    item_head_types: frozenset[str]
    item_ticker: str
    item_bare_ticker: str
    item_min: int
    link: tuple[str, ...]
    stop_verbs: frozenset[str]
    pos: frozenset[str]
    edge_stop: frozenset[str]
    max_chars: int


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The cue tables (cached; the YAML is read once per process)."""
    raw = load_yaml(
        resources.files("newsledger.extract").joinpath("data/claims.yaml").read_text(encoding="utf-8")
    )
    ch, sh, m = raw["change"], raw["share"], raw["metric"]
    return Rules(
        up=_both(ch["up"]),
        down=_both(ch["down"]),
        to_up=_both(ch["to_level_up"]),
        to_down=_both(ch["to_level_down"]),
        not_change=_both(ch.get("not_change", ())),
        share_before=_both(sh["before"]),
        share_after=_both(sh["after"]),
        copula=_both(raw["ratio"]["copula"]),
        than=_both(raw["comparison"]["than"]),
        cmp_up=_both(raw["comparison"]["up"]),
        cmp_down=_both(raw["comparison"]["down"]),
        attribution=_both(raw["subject"]["attribution"]),
        pronouns=_both(raw["subject"]["pronouns"]),
        subject_types=frozenset(raw["subject"]["types"]),
        own_country=_both(raw["subject"].get("own_country", [])),
        respectively=_both(raw["subject"].get("respectively", [])),
        list_joiners=_both(raw["subject"].get("list_joiners", [])),
        item_head_types=frozenset(raw["subject"]["item_head"]["types"]),
        item_ticker=str(raw["subject"]["item_head"]["ticker"]),
        item_bare_ticker=str(raw["subject"]["item_head"]["bare_ticker"]),
        item_min=int(raw["subject"]["item_head"]["min_items"]),
        link=_both(m["link"]),
        stop_verbs=frozenset(_both(m["stop_verbs"])),
        pos=frozenset(m["pos"]),
        edge_stop=frozenset(_both(m["edge_stop"])),
        max_chars=int(m["max_chars"]),
    )


@lru_cache(maxsize=1)
def metric_nouns() -> tuple[str, ...]:
    """Simplified nouns to add to the POS tokenizer's dictionary (``metric.nouns`` in the YAML)."""
    raw = load_yaml(
        resources.files("newsledger.extract").joinpath("data/claims.yaml").read_text(encoding="utf-8")
    )
    return tuple(to_simp(str(w)) for w in raw["metric"].get("nouns", ()))
