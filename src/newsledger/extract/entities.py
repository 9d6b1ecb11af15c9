"""Named entities: gazetteer + patterns + statistical model, merged without overlaps.

``find_entities(text, options)`` returns PERSON / ORG / COMPANY / GPE / LOC entities sorted by
start, with ``canonical`` (one name across scripts and spellings) and ``ticker`` where the text or
the gazetteer gives one.  Where candidates overlap, patterns beat the gazetteer, which beats the
model; within one rank the longer span wins.  A model organisation that ends in an organisation
suffix and contains a gazetteer name (中国科学院…研究所) is kept whole.
"""
from __future__ import annotations

import unicodedata

from ..model import Entity
from . import entity_patterns as pat
from . import gazetteer
from .ner import simplified_same_length

_MODEL_TYPES = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}
_RANK = {"block": 5, "pattern:ticker": 4, "pattern:org_suffix": 3, "gazetteer": 2, "pattern:title": 2,
         "pattern:title_after": 2, "model:outer": 3.5, "model": 1}
_CAT_BIT = {"PER": 1, "LOC": 2, "ORG": 4}  # lexicon category bits (see ner.lex_features)


def _is_edge_junk(c: str) -> bool:
    return c.isspace() or unicodedata.category(c)[0] == "P"


def _clean(simp: str, s: int, e: int, t: str) -> tuple[int, int] | None:
    """Trim punctuation and spaces off a model span; drop what the model cannot know.

    Dropped: spans with no Chinese character (MSRA has almost no Latin names: the gazetteer and
    the patterns handle those) and spans that are a dictionary word not tagged as this kind of
    name, for persons (张力 "tension"); places and organisations keep such words (两岸, 大陆,
    国务院: filtering them cost 0.14 of ORG recall on MSRA test), as MSRA annotates them.
    """
    while s < e and _is_edge_junk(simp[s]):
        s += 1
    while e > s and _is_edge_junk(simp[e - 1]):
        e -= 1
    if e <= s or simp[s:e].isascii():
        return None
    from .ner import lexicon

    v = lexicon().get(simp[s:e], None) if t == "PER" else None
    if v is not None and not v[1] & _CAT_BIT[t]:
        return None
    return s, e


def _model_spans(text: str, simp: str, tagged=None) -> list[tuple[int, int, str]]:
    from .ner import tagger

    out = []
    for s, e, t in tagger().tag(text) if tagged is None else tagged:
        span = _clean(simp, s, e, t)
        if span is None:
            continue
        s, e = span
        typ = _MODEL_TYPES[t]
        entry = gazetteer.lookup(simp[s:e])
        if entry and (typ != "PERSON") == (entry.type != "PERSON"):
            typ = entry.type  # the gazetteer knows better: 腾讯 is a COMPANY, 南京 a GPE
        out.append((s, e, typ))
    return out


def find_entities_many(texts: list[str], options=None) -> list[list[Entity]]:
    """``find_entities`` over several texts, with one model pass over all of them (the model's
    per-step cost is shared, which pays for short articles); same results as one by one."""
    if not getattr(options, "model", True):
        return [find_entities(t, options) for t in texts]
    from .ner import tagger

    tagged = tagger().tag_many(list(texts))
    return [find_entities(t, options, _tagged=g) for t, g in zip(texts, tagged)]


def _clean_model_spans(simp: str, model: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop the model's generic nouns ("公司表示…" names nobody), cut a span at a quotation mark or
    bracket inside it (keeping the part after it) and a leading function word ("于云端运算");
    see entity_patterns.yaml."""
    r = pat.rules()
    out = []
    cut = r["model_cut_at"]
    for s, e, typ in model:
        marks = [i for i in range(s, e) if simp[i] in cut]
        if marks:
            s = marks[-1] + 1
            if e - s < 2:
                continue
        while e - s > 2 and simp[s] in r["model_strip_leading"]:
            s += 1
        if simp[s:e] not in r["generic"]:
            out.append((s, e, typ))
    return out


def find_entities(text: str, options=None, *, _tagged=None) -> list[Entity]:
    """Entities in ``text`` (either script), offsets into ``text``, sorted, non-overlapping."""
    use_model = getattr(options, "model", True)
    if not text:
        return []
    simp = simplified_same_length(text)
    gaz = {(m.start, m.end): m.entry for m in gazetteer.find(simp)}
    for m in gazetteer.find(text):  # Traditional-only vocabulary (國家資料局) is in the table too
        gaz.setdefault((m.start, m.end), m.entry)
    blocked = pat.blocked_matches(simp, gaz)
    gaz = {k: v for k, v in gaz.items() if k not in blocked}
    model = _model_spans(text, simp, _tagged) if use_model else []

    cands: list[tuple[float, int, int, str, str | None, str]] = []  # rank, start, end, type, ticker, rule
    for (s, e), entry in gaz.items():
        cands.append((_RANK["gazetteer"], s, e, entry.type, entry.ticker, "gazetteer"))
    gaz_ends: dict[int, list[int]] = {}
    for (gs, ge), entry in gaz.items():
        gaz_ends.setdefault(gs, []).append(ge)
    org_starts = {gs for (gs, _), entry in gaz.items() if entry.type in ("ORG", "COMPANY")}
    model = _clean_model_spans(simp, model)
    for s, e, typ in model:
        # a longer model name that contains gazetteer names (香港特别行政区, 中国共产党) stays whole
        inner = any(ge <= e and ge - gs < e - s and (typ == "ORG" or gs not in org_starts)
                    for gs in range(s, e) for ge in gaz_ends.get(gs, ()))  # 日经GO is no place
        if inner and simp.endswith("公司", s, e) and any(e - ge <= 5 for ge in gaz_ends.get(s, ())):
            inner = False  # 中国出海公司 "Chinese companies going abroad" is a description, not a name
        if inner and any(c in "和与及、" for c in simp[s:e]):
            inner = False  # 亚马逊和Temu: two names joined, not one
        cands.append((_RANK["model:outer"] if inner else _RANK["model"], s, e, typ, None, "model"))

    known = {}
    for (s, e), entry in gaz.items():
        known[e] = (s, entry.type)
    for s, e, typ in model:
        known.setdefault(e, (s, typ))
    spans = [(s, e, entry.type) for (s, e), entry in gaz.items()] + model
    model_persons = {s: e for s, e, t in model if t == "PERSON"}
    known_starts = {s for s, _ in gaz}
    for s, e, typ, ticker, rule in (pat.tickers(simp, known) + pat.org_suffixes(simp, spans)
                                    + pat.persons(simp, model_persons, known_starts)):
        cands.append((_RANK[rule], s, e, typ, ticker, rule))

    cands.sort(key=lambda c: (-c[0], c[1] - c[2], c[1]))
    taken = bytearray(len(text))
    out = []
    for rank, s, e, typ, ticker, rule in cands:
        if e <= s or any(taken[s:e]):
            continue
        taken[s:e] = b"\x01" * (e - s)
        if rule == "block":
            continue
        entry = gaz.get((s, e)) or gazetteer.lookup(simp[s:e])
        if entry is None and rule == "pattern:ticker":
            inner = [gaz[k] for k in sorted(gaz) if s <= k[0] and k[1] <= e and gaz[k].type in ("COMPANY", "ORG")]
            entry = inner[-1] if inner else None  # the company named nearest the ticker, never a country
        if entry is not None and (entry.type == "PERSON") != (typ == "PERSON"):
            entry = None
        canonical = entry.canonical if entry else simp[s:e]
        ticker = ticker or (entry.ticker if entry else None)
        out.append(Entity(s, e, text[s:e], typ, canonical, ticker, rule))
    out.sort(key=lambda x: x.start)
    return out
