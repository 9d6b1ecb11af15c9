"""Entity patterns: tickers in parentheses, organisation suffixes, titles around person names.

The rules' words live in data/entity_patterns.yaml.  Every function works on the Simplified view
``simp`` (same length as the original, so offsets are shared) and on the spans already found by the
gazetteer and the model, and returns candidate spans ``(start, end, type, ticker, rule)``.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from ..datafiles import load_yaml

PATTERNS = Path(__file__).parent / "data" / "entity_patterns.yaml"
_CJK = re.compile(r"[\u3400-\u9fff]")
Span = tuple[int, int, str, "str | None", str]  # start, end, type, ticker, rule


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def rules() -> dict:
    """The compiled rules of entity_patterns.yaml."""
    d = load_yaml(PATTERNS.read_text(encoding="utf-8"))
    t, o, p = d["ticker"], d["org_suffix"], d["person"]
    return {
        "ticker": re.compile(r"[(（]\s*(" + t["code"] + r")\s*(?:[,，、]\s*([^()（）\n]{1,8}?))?\s*[)）]"),
        "exchange_suffix": re.compile(t["exchange_suffix"]),
        "ascii_name": re.compile("(?:" + t["ascii_name"] + r")\s*$"),
        "max_cjk_name": int(t["max_cjk_name"]),
        "name_breaks": set(t["name_breaks"]),
        "company_suffix": set(o["company"]),
        "suffix": re.compile(_alt(o["company"] + o["org"])),
        "ends_with_suffix": re.compile("[^和与及、](?:%s)$" % _alt(o["company"] + o["org"])),
        "company_name": re.compile("(?<![分子])(?:%s)$" % _alt(o["company"])),
        "conjunctions": frozenset(o.get("conjunctions", "")),
        "place_suffix": re.compile(_alt(o["place"])),
        "gap_suffix": re.compile(r"[\u4e00-\u9fff]{1,%d}?(?:%s)" % (int(o["max_gap"]), _alt(o["with_gap"]))),
        "gap_suffix_only": re.compile("(?:%s)$" % _alt(o["with_gap"])),
        "title_before": re.compile(r"(?:%s)\s?" % _alt(p["before"])),
        "title_after": re.compile(_alt(p["after"])),
        "person_ascii": re.compile(p["ascii_name"]),
        "stop": set(p["stop_chars"]),
        "compound": set(p["compound_surnames"]),
        "surnames": set(p["surnames"]),
        "not_first": set(p["not_first"]),
        "not_last": set(p["not_last"]),
        "translit": re.compile(r"[\u4e00-\u9fff]{1,5}(?:·[\u4e00-\u9fff]{1,6})+"),
        "gazetteer_block": d.get("gazetteer_block", {}),
        "generic": frozenset(d.get("generic", ())),
        "model_strip_leading": frozenset(d.get("model_strip_leading", ())),
        "surnames_in_strip_leading": frozenset(d.get("surnames_in_strip_leading", ())),
        "model_cut_at": frozenset(d.get("model_cut_at", "")),
        "place_trim": tuple(d.get("model_place_trim_trailing", ())),
    }


def tickers(simp: str, known: dict[int, tuple[int, str]]) -> list[Span]:
    """``Name (CODE, market)`` → the name as a COMPANY with its ticker.

    ``known`` maps an end offset to (start, type) of gazetteer/model spans, used to find where a
    Chinese name before the parenthesis begins.
    """
    r = rules()
    out = []
    for m in r["ticker"].finditer(simp):
        code, market = m.group(1), m.group(2)
        end = m.start()
        while end > 0 and simp[end - 1] == " ":
            end -= 1
        start = end
        am = r["ascii_name"].search(simp, max(0, end - 60), end)
        if am and am.end() == end:
            start = am.start()
        if start > 0 and _CJK.match(simp[start - 1]):
            if start in known and known[start][1] in ("GPE", "LOC"):
                pass  # a place before the name describes it: 荷兰ASML is ASML
            elif start in known:
                start = known[start][0]
                # a description before the name ends at a break: 半导体设备大厂东京威力科创 → 东京威力科创
                cut = max((i + 1 for i in range(start, end) if simp[i] in r["name_breaks"]), default=start)
                start = cut if cut < end else start
            else:
                a = start
                while a > 0 and _CJK.match(simp[a - 1]) and simp[a - 1] not in r["name_breaks"] \
                        and start - a < r["max_cjk_name"]:
                    a -= 1
                if a == 0 or not _CJK.match(simp[a - 1]) or simp[a - 1] in r["name_breaks"]:
                    start = a
        if start == end:
            continue
        company = end in known and known[end][1] == "COMPANY"
        if not (market or r["exchange_suffix"].search(code) or company):
            continue  # "(AI)", "(2025)": not a ticker without a market or a known company
        if code.isdigit() and not market and not company:
            continue
        out.append((start, end, "COMPANY", code, "pattern:ticker"))
        out.append((m.start(1), m.end(1), "COMPANY", None, "block"))  # the code itself is no name
    return out


def blocked_matches(simp: str, matches) -> set[tuple[int, int]]:
    """Gazetteer matches that are the tail of a longer word in context (平台中 is not 台中), and
    two-character matches cut out of two dictionary words (其中|国防 holds no 中国)."""
    block = rules()["gazetteer_block"]
    out = set()
    for s, e in matches:
        for word in block.get(simp[s:e], ()):
            k = len(word) - 1  # the word ends on the match's first character
            if s >= k and simp[s - k:s + 1] == word:
                out.add((s, e))
        if e - s == 2 and _straddles(simp, s, e):
            out.add((s, e))
    return out


def _straddles(simp: str, start: int, end: int) -> bool:
    """Is the match an accident of the characters, read as two other words (其中/国防 holds no 中国)?

    Cheap test first: a dictionary word ends on the match's first character (其中) and another
    starts on its last (国防); 在中国 (在中 is no word) stops here.  As 家中/国公 or 近日/本国 pass
    that test too, the segmenter decides: the match is blocked only when jieba, over a few
    characters around it, does not cut at both of its edges (3家/中国/公司 keeps 中国)."""
    from .ner import lexicon

    lex = lexicon()
    if not (any(lex.exists(simp[k:start + 1]) for k in range(max(0, start - 3), start))
            and _runs_on(simp, end - 1, end)):
        return False
    from ..text.segment import token_spans

    a = max(0, start - 4)
    window = simp[a:min(len(simp), end + 4)]
    cuts = {edge for s, e, _ in token_spans(window) for edge in (s, e)}
    return not (start - a in cuts and end - a in cuts)


def _runs_on(simp: str, start: int, end: int) -> bool:
    """Does a dictionary word start at ``start`` and run past ``end``? (部署, 部分, 局面, 办公…)."""
    from .ner import lexicon

    lex = lexicon()
    return any(lex.exists(simp[start:k]) for k in range(end + 1, min(len(simp), end + 3) + 1))


def split_joined_orgs(simp: str, s: int, e: int) -> list[tuple[int, int]]:
    """The pieces of an organisation span that is two or more names joined by 和/与/及/、, each
    ending in an organisation suffix (京东科技及安拟集团 → 京东科技, 安拟集团); ``[(s, e)]`` when
    it is one name (国家发展和改革委员会: 国家发展 ends in no suffix)."""
    r = rules()
    cuts = [k for k in range(s + 2, e - 2) if simp[k] in r["conjunctions"]]
    if not cuts:
        return [(s, e)]
    pieces, a = [], s
    for k in cuts + [e]:
        if not r["ends_with_suffix"].search(simp, a, k):
            return [(s, e)]
        pieces.append((a, k))
        a = k + 1
    return pieces


def org_suffixes(simp: str, spans: list[tuple[int, int, str]]) -> list[Span]:
    """An entity directly followed by 公司/银行/研究所/… (or a place + a few chars + 研究所) → ORG.

    A company suffix does not turn a place into a company (中国公司 = Chinese companies), and a
    suffix that begins a longer word (中国部署, 东南亚部分) is no suffix.
    """
    r = rules()
    out = []
    for start, end, typ in spans:
        if typ == "PERSON":
            continue
        if typ in ("GPE", "LOC"):
            pm = r["place_suffix"].match(simp, end)
            if pm:
                out.append((start, pm.end(), typ, None, "pattern:org_suffix"))
                continue
        m = r["suffix"].match(simp, end)
        if m and not _runs_on(simp, end, m.end()):
            company = m.group(0) in r["company_suffix"]
            if not (company and typ in ("GPE", "LOC")):
                out.append((start, m.end(), "COMPANY" if company else "ORG", None, "pattern:org_suffix"))
                continue
        if typ in ("GPE", "ORG"):
            g = r["gap_suffix"].match(simp, end)
            if g:
                suffix = r["gap_suffix_only"].search(simp, end, g.end())
                if not (set(simp[end:suffix.start()]) & r["stop"]):
                    out.append((start, g.end(), "ORG", None, "pattern:org_suffix"))
    return out


def _cjk_name(simp: str, a: int) -> int:
    """End of a 2-3 character Chinese name starting at ``a`` (``a`` if none)."""
    r = rules()
    run = 0
    while a + run < len(simp) and run < 4 and _CJK.match(simp[a + run]):
        run += 1
    if run < 2:
        return a
    sur = 2 if simp[a:a + 2] in r["compound"] else 1
    if sur == 1 and simp[a] not in r["surnames"]:
        return a
    n = sur + 1
    if run > n and simp[a + n] not in r["stop"] and not _starts_word(simp, a + n):
        n += 1  # 周志华, 藤波匠; but 魏凯 before 围绕, 王强 before 报道
    return a + n


def _starts_word(simp: str, i: int) -> bool:
    from .ner import lexicon

    lex = lexicon()
    return any(lex.exists(simp[i:i + k]) for k in (2, 3) if i + k <= len(simp))


def _is_common_word(word: str, pieces: bool = False) -> bool:
    """Is ``word``, or a 2-3 character piece of it, a dictionary word that is not a person name?

    (普遍, 美国, 中国国家 → 国家): such a candidate is no name after or before a title.
    """
    from .ner import lexicon

    lex = lexicon()
    for n in ((len(word), 3, 2) if pieces else (len(word),)):
        for i in range(0, len(word) - n + 1):
            v = lex.get(word[i:i + n], None)
            if v is not None and not (v[1] & 1):
                return True
    return False


def persons(simp: str, model_persons: dict[int, int], known_starts: set[int]) -> list[Span]:
    """Names after a title (所长X, 专家 Jack Lifton) or before one (X署长) → PERSON."""
    r = rules()
    out = []
    covered = bytearray(len(simp) + 1)  # characters inside a model person name
    for s, e in model_persons.items():
        covered[s:e] = b"\x01" * (e - s)
    for m in r["title_before"].finditer(simp):
        a = m.end()
        if a in known_starts or a >= len(simp) or simp[a] in r["not_first"]:
            continue
        if covered[a] and a not in model_persons:
            continue  # the model reads a different name here (克林顿 across 林)
        pm = r["person_ascii"].match(simp, a)
        if pm:
            out.append((a, pm.end(), "PERSON", None, "pattern:title"))
            continue
        b = model_persons.get(a)
        if b is not None:  # the model's name after the title (or the 3-character reading of it)
            b3 = _cjk_name(simp, a)
            out.append((a, b3 if b - a == 2 and b3 - a == 3 else b, "PERSON", None, "pattern:title"))
            continue
        tm = r["translit"].match(simp, a)
        if tm:  # a transliterated foreign name: 迭戈·X (stops before 说/在/…)
            b = tm.end()
            for k in range(simp.rindex("·", a, b) + 2, b):
                if simp[k] in r["stop"]:
                    b = k
                    break
            out.append((a, b, "PERSON", None, "pattern:title"))
            continue
        b = _cjk_name(simp, a)
        if b - a >= 2 and not _is_common_word(simp[a:a + 2]) and not _is_common_word(simp[a:b]):
            out.append((a, b, "PERSON", None, "pattern:title"))
    for m in r["title_after"].finditer(simp):
        b = m.start()
        if b > 0 and covered[b - 1]:
            continue  # the model already has the name before the title
        for n in (3, 2):
            a = b - n
            if a < 0 or not all(_CJK.match(c) for c in simp[a:b]):
                continue
            if simp[b - 1] in r["not_last"]:
                break
            if simp[a] in r["surnames"] and simp[a] not in r["not_first"] and not _is_common_word(simp[a:b], True):
                out.append((a, b, "PERSON", None, "pattern:title_after"))
                break
    return out
