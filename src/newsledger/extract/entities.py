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


def _is_edge_junk(c: str) -> bool:
    return c.isspace() or unicodedata.category(c)[0] == "P"


def _clean(simp: str, s: int, e: int) -> tuple[int, int] | None:
    """Trim punctuation and spaces off a model span; drop one with no letter at all.

    Latin-script names are kept (Valve, NASA, Svensson): the model learnt them from CLUENER, and
    keeping them lifted CLUENER dev from 0.641 to 0.655 with MSRA test unchanged; Latin terms that
    are not names (AI, GPU, CEO) are in entity_patterns.yaml's ``generic`` list.  Dictionary words
    are not filtered: dropping person spans that are common jieba words (马力, 温格) changed MSRA
    test by less than 0.0003 and cost CLUENER recall, with the current model.
    """
    while s < e and _is_edge_junk(simp[s]):
        s += 1
    while e > s and _is_edge_junk(simp[e - 1]):
        e -= 1
    if e <= s or not any(c.isalpha() for c in simp[s:e]):
        return None
    return s, e


def _model_spans(text: str, simp: str, tagged=None) -> list[tuple[int, int, str]]:
    from .ner import tagger

    out = []
    for s, e, t in tagger().tag(text) if tagged is None else tagged:
        span = _clean(simp, s, e)
        if span is None:
            continue
        s, e = span
        typ = _MODEL_TYPES[t]
        entry = gazetteer.lookup(simp[s:e])
        if entry and (typ != "PERSON") == (entry.type != "PERSON") and not (
                typ == "ORG" and entry.type in ("GPE", "LOC")):
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
        while e - s > 2 and simp[s] in r["model_strip_leading"] and not (
                typ == "PERSON" and simp[s] in r["surnames_in_strip_leading"]):
            s += 1
        if typ in ("GPE", "LOC") and r["place_trim"] and simp.endswith(r["place_trim"], s, e):
            e -= next(len(w) for w in r["place_trim"] if simp.endswith(w, s, e))
            if e - s < 2:
                continue
        if simp[s:e] in r["generic"]:
            continue
        if typ in ("ORG", "COMPANY"):
            out.extend((a, b, typ) for a, b in pat.split_joined_orgs(simp, s, e))
        else:
            out.append((s, e, typ))
    return out


def _joins_two_names(simp: str, s: int, e: int, gaz_ends: dict[int, list[int]]) -> bool:
    """Whether a conjunction inside simp[s:e] joins two names: a gazetteer name ends right before
    it or starts right after it (亚马逊和Temu).  One that only joins words of a single name stays
    (上海市规划和国土局, 社会保障与人口问题研究所): splitting those at every 和/与 cost MSRA test
    0.001 F1 and CLUENER dev 0.004."""
    ends = {ge for gs in range(s, e) for ge in gaz_ends.get(gs, ()) if ge <= e}
    return any(simp[k] in "和与及、" and (k in ends or k + 1 in gaz_ends) for k in range(s, e))


def find_entities(text: str, options=None, *, _tagged=None) -> list[Entity]:
    """Entities in ``text`` (either script), offsets into ``text``, sorted, non-overlapping."""
    use_model = getattr(options, "model", True)
    if not text:
        return []
    simp = simplified_same_length(text)
    gaz = {(m.start, m.end): m.entry for m in gazetteer.find(simp)}
    if simp != text:  # Traditional-only vocabulary (國家資料局) is in the table too
        for m in gazetteer.find(text):
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
    model_types = {(s, e): typ for s, e, typ in model}
    for s, e, typ in model:
        # a longer model name that contains gazetteer names (香港特别行政区, 中国共产党) stays whole
        inner = any(ge <= e and ge - gs < e - s and (typ == "ORG" or gs not in org_starts)
                    for gs in range(s, e) for ge in gaz_ends.get(gs, ()))  # 日经GO is no place
        if inner and simp.endswith("公司", s, e) and not simp.endswith(("分公司", "子公司"), s, e) \
                and any(e - ge <= 5 for ge in gaz_ends.get(s, ())):
            inner = False  # 中国出海公司 "Chinese companies going abroad" is a description, not a name
        if inner and _joins_two_names(simp, s, e, gaz_ends):
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
    company_name = pat.rules()["company_name"]
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
        if rule == "gazetteer" and typ in ("GPE", "LOC") and model_types.get((s, e)) == "ORG":
            typ = "ORG"  # a place's name used for its team (罗马 the club): the model read the context
        elif rule == "model" and typ == "ORG" and company_name.search(simp, s, e):
            typ = "COMPANY"  # named with a company suffix (…科技, …集团): a branch (分公司) stays a unit
        out.append(Entity(s, e, text[s:e], typ, canonical, ticker, rule))
    out.sort(key=lambda x: x.start)
    return out
