"""Named entities: gazetteer + patterns + statistical model, merged without overlaps.

``find_entities(text, options)`` returns PERSON / ORG / COMPANY / GPE / LOC entities sorted by
start, with ``canonical`` (one name across scripts and spellings) and ``ticker`` where the text or
the gazetteer gives one.  Where candidates overlap, patterns beat the gazetteer, which beats the
model; within one rank the longer span wins.  A model organisation that ends in an organisation
suffix and contains a gazetteer name (中国科学院…研究所) is kept whole.
"""
from __future__ import annotations

from ..model import Entity
from . import entity_patterns as pat
from . import gazetteer
from .ner import simplified_same_length

_MODEL_TYPES = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}
_RANK = {"pattern:ticker": 4, "pattern:org_suffix": 3, "gazetteer": 2, "pattern:title": 2,
         "pattern:title_after": 2, "model:suffix": 2.5, "model": 1}


def _model_spans(text: str, simp: str) -> list[tuple[int, int, str]]:
    from .ner import tagger

    out = []
    for s, e, t in tagger().tag(text):
        typ = _MODEL_TYPES[t]
        entry = gazetteer.lookup(simp[s:e])
        if entry and (typ != "PERSON") == (entry.type != "PERSON"):
            typ = entry.type  # the gazetteer knows better: 腾讯 is a COMPANY, 南京 a GPE
        out.append((s, e, typ))
    return out


def find_entities(text: str, options=None) -> list[Entity]:
    """Entities in ``text`` (either script), offsets into ``text``, sorted, non-overlapping."""
    use_model = getattr(options, "model", True)
    if not text:
        return []
    simp = simplified_same_length(text)
    gaz = {(m.start, m.end): m.entry for m in gazetteer.find(simp)}
    for m in gazetteer.find(text):  # Traditional-only vocabulary (國家資料局) is in the table too
        gaz.setdefault((m.start, m.end), m.entry)
    model = _model_spans(text, simp) if use_model else []

    cands: list[tuple[float, int, int, str, str | None, str]] = []  # rank, start, end, type, ticker, rule
    for (s, e), entry in gaz.items():
        cands.append((_RANK["gazetteer"], s, e, entry.type, entry.ticker, "gazetteer"))
    suffix_re = pat.rules()["suffix"]
    for s, e, typ in model:
        inner = any(s <= gs and ge <= e and (gs, ge) != (s, e) for gs, ge in gaz)
        ends_org = typ == "ORG" and any(suffix_re.fullmatch(simp, e - k, e) for k in range(1, 6) if e - k > s)
        rule = "model:suffix" if inner and ends_org else "model"
        cands.append((_RANK[rule], s, e, typ, None, rule))

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
        entry = gaz.get((s, e)) or gazetteer.lookup(simp[s:e])
        if entry is None and rule == "pattern:ticker":
            inner = [gaz[k] for k in gaz if s <= k[0] and k[1] <= e]
            entry = inner[0] if inner else None
        if entry is not None and (entry.type == "PERSON") != (typ == "PERSON"):
            entry = None
        canonical = entry.canonical if entry else simp[s:e]
        ticker = ticker or (entry.ticker if entry else None)
        out.append(Entity(s, e, text[s:e], typ, canonical, ticker, rule.replace("model:suffix", "model")))
    out.sort(key=lambda x: x.start)
    return out
