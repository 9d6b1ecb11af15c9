"""Claims: what each figure says — about whom (subject), what (metric), when (period), how (relation).

``build_claims(text, extraction)`` turns every figure of an :class:`~newsledger.model.Extraction`
into a :class:`~newsledger.model.Claim`:

- **relation** (``level``, ``change``, ``share``, ``ratio``, ``comparison``) and **direction**
  (``up``/``down``) from cue words right before or after the figure ("同比增長約4.5%" → change up;
  "降至66.5萬人" → level, down; "美國佔74.5%" → share; "是美國的近3倍" → ratio, other=美國);
- **subject**: the nearest suitable entity (country, organisation, company, place) before the
  figure in its clause, else in its sentence, skipping sources ("財政部資料顯示") and objects of
  prepositions or comparisons ("比美國", "對美國"); a pronoun (其, 該公司) refers back to the last
  subject;
- **metric**: the noun phrase that names the measure, read right-to-left from the figure with jieba
  POS tags (or after it: "1500輛汽車", "49%的儲量"), else the previous claim's metric in the sentence;
- **period**: the time expression of the clause, else of the sentence, else of the article.

All cue words live in ``extract/data/claims.yaml``.  Matching runs on a character-for-character
Simplified view (OpenCC ``t2s``) so offsets stay valid; metric text is cut from the original.
Why hand-written: no library links figures to their subject and metric in Chinese news; jieba gives
the words and tags, the rules here give the linking.
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from functools import lru_cache
from collections.abc import Sequence

from .claims_pos import pos_tokens
from .claims_rules import Rules, rules, to_simp
from .model import Claim, Entity, Extraction, Figure, TimeExpr

_CLAUSE = re.compile(r"[，;；：!！?？。\n]|(?<!\d)[,:]|[,:](?!\d)")  # not "2,500" or "10:30"
_SENT = re.compile(r"[^。！？!?\n]+[。！？!?]*[」』”\"）)]*")
_PAREN = re.compile(r"[（(][^（）()]{0,40}[）)]")
_PREP = ("在", "對", "对", "向", "與", "与", "從", "从", "和", "跟", "同", "比", "較", "较", "於", "于", "兌", "兑")
_TIME_BASE = re.compile(r"(\d{2,4}年|上年|去年|前年|上月|上季|同期|上一年|年初|前一週|前一周|上週|上周)")
_BASE_MARK = ("比", "較", "较", "相比", "同", "与", "與", "比起")
_SHARE_VERBS = ("佔", "占", "佔據", "占据", "佔了", "占了")
_WHOLE = ("全球", "全国", "全國", "全省", "全市")
_BREAK_TOKENS = ("，", ",", "、", "“", "”", "\"", "《", "》")  # a metric never reaches across these
_JIEBA_WORD_CHAR = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._]")  # jieba.posseg's re_han_internal
_SKIP_BEFORE_FIG = ("大幅", "明顯", "明显", "顯著", "显著", "有所", "略", "小幅", "分別", "分别", "約", "约",
                    "近", "超過", "超过", "逾", "高達", "高达", "達", "达", "了", "為", "为", "出", "出約", "出约")


def _sentences(text: str) -> list[tuple[int, int]]:
    try:
        from .text.sentences import split_sentences
    except ImportError:  # engineer R's module not landed yet: split on sentence-final marks
        return [(m.start(), m.end()) for m in _SENT.finditer(text)]
    return list(split_sentences(text))


def _clause_bounds(simp: str, s0: int, s1: int, pos: int) -> tuple[int, int]:
    a = s0
    for m in _CLAUSE.finditer(simp, s0, pos):
        a = m.end()
    m = _CLAUSE.search(simp, pos, s1)
    return a, (m.start() if m else s1)


def _tail_re(words: Sequence[str]) -> re.Pattern:
    return re.compile("(?:%s)+$" % "|".join(map(re.escape, words)))


def _cue_re(cues: Sequence[str], skip: Sequence[str] = _SKIP_BEFORE_FIG) -> re.Pattern:
    # the cue, then up to four hedges ("大幅", "約") before the figure; longest cue first
    return re.compile("(%s)(?:%s){0,4}$" % ("|".join(map(re.escape, cues)), "|".join(map(re.escape, skip))))


class _Compiled:
    """The cue tables of a :class:`Rules` compiled once into regexes (not once per figure)."""

    def __init__(self, r: Rules) -> None:
        self.to_up, self.to_down = _cue_re(r.to_up), _cue_re(r.to_down)
        self.up, self.down = _cue_re(r.up), _cue_re(r.down)
        self.cmp_up, self.cmp_down = _cue_re(r.cmp_up), _cue_re(r.cmp_down)
        self.any_cmp = _cue_re(r.cmp_up + r.cmp_down + r.up + r.down)
        self.link_tail = _tail_re(r.link)
        self.place_tail = _tail_re(("上", "中", "里", "裡", "方面", "领域", "領域"))
        self.attr = re.compile("|".join(map(re.escape, r.attribution)))
        self.share_nouns = tuple(c for c in r.share_before if c not in _WHOLE)
        self.share_any = re.compile("|".join(map(re.escape, r.share_before)))
        self.than_any = re.compile("|".join(map(re.escape, r.than)))
        self.item_ticker = re.compile(r.item_ticker)
        self.item_bare_ticker = re.compile(r.item_bare_ticker)


@lru_cache(maxsize=4)
def _compiled(r: Rules) -> _Compiled:
    return _Compiled(r)


def _ends_with(s: str, cue: re.Pattern) -> tuple[str, int] | None:
    """The cue ending ``s`` (after dropping hedges such as 約/大幅) and where it starts."""
    tail = s[-24:]
    m = cue.search(tail)
    if not m:
        return None
    return m.group(1), len(s) - len(tail) + m.start(1)


def _prefix_max(xs: Sequence[int]) -> list[int]:
    out, m = [], -1
    for x in xs:
        m = x if x > m else m
        out.append(m)
    return out


class _Ctx:
    """Per-text state: the Simplified view, sentences, entity and time lists.

    Everything a figure asks about (clause marks of its sentence, entities or times in a range,
    whether an entity can be a subject) is indexed here once per text or memoised once per
    sentence/entity, so the cost per figure does not grow with the length of the article.
    """

    def __init__(self, text: str, ext: Extraction, r: Rules, figs: Sequence[Figure]) -> None:
        simp = to_simp(text)
        self.simp = simp if len(simp) == len(text) else text
        self.text = text
        self.r = r
        self.rc = _compiled(r)
        self.sents = _sentences(text) or [(0, len(text))]
        self.sent_starts = [s for s, _ in self.sents]
        self.figs = figs
        self.fig_starts = [f.start for f in figs]
        self.fig_max_len = max((f.end - f.start for f in figs), default=0)
        fig_max_end = _prefix_max([f.end for f in figs])

        def in_figure(t: TimeExpr) -> bool:
            # a time inside a figure's span (some figure with a <= t.start < b or a < t.end <= b)
            i = bisect.bisect_right(self.fig_starts, t.start)
            if i and fig_max_end[i - 1] > t.start:
                return True
            j = bisect.bisect_left(self.fig_starts, t.end)
            return bool(j) and fig_max_end[j - 1] >= t.end

        self.ents = sorted((e for e in ext.entities if e.type in r.subject_types), key=lambda e: e.start)
        if r.own_country:
            self.ents = _with_own_country(self.ents, text, self.simp, r.own_country)
        self.times = sorted(
            (t for t in ext.times if t.type != "duration" and not in_figure(t)),
            key=lambda t: t.start,
        )
        self.ent_starts = [e.start for e in self.ents]
        self.ent_max_end = _prefix_max([e.end for e in self.ents])
        self.time_starts = [t.start for t in self.times]
        self._items_of_list(r)
        # entities, times and tickers after a company name, sorted by end: "the last excluded span
        # before the metric" (腾讯控股(0700.HK)目标价 → 目标价)
        spans = sorted([(e.end, e.start) for e in self.ents] + [(t.end, t.start) for t in self.times]
                       + [(b, a) for a, b in self.ticker_spans])
        self.span_ends = [b for b, _ in spans]
        self.span_starts = [a for _, a in spans]
        self._can_subject: dict[int, bool] = {}
        self._clause_marks: dict[tuple[int, int], list[int]] = {}
        # the article's period comes from its text, not its headline: ingest extracts
        # "title\nbody", and a headline's time is often a target (…，2030年关键技术力争领先).  A first
        # line is a headline when more text follows and it reads as one (≤ 60 chars, no 。！？ end).
        first = text.find("\n")
        head = text[:first].strip() if first > 0 and text[first:].strip() else ""
        title_end = first if head and len(head) <= 60 and head[-1] not in "。！？!?" else -1
        self.article_period = next(
            (t for t in self.times if t.type in ("year", "quarter", "month", "period", "date") and t.start > title_end),
            None,
        )

    def _items_of_list(self, r: Rules) -> None:
        """Where the items of a list open (a ticker in parentheses) and each item's company."""
        simp, rc = self.simp, self.rc
        heads: dict[int, int] = {}  # ticker position -> entity index of the name before it
        self.ticker_spans: list[tuple[int, int]] = []
        for i, e in enumerate(self.ents):
            if e.type in r.item_head_types:
                j = e.end
                while j < len(simp) and simp[j].isspace():
                    j += 1
                if rc.item_ticker.match(simp, j):
                    heads[j] = i
                    close = min((k for k in (simp.find(")", j, j + 24), simp.find("）", j, j + 24)) if k >= 0),
                                default=-1)
                    if close >= 0:
                        self.ticker_spans.append((j, close + 1))
        marks = set(heads)
        if len(marks) + 1 >= r.item_min and ("(" in simp or "（" in simp):
            marks.update(m.start() for m in rc.item_bare_ticker.finditer(simp))
        self.item_marks = sorted(marks) if len(marks) >= r.item_min else []
        self.item_company = heads

    def item_of(self, s0: int, pos: int) -> tuple[bool, int | None]:
        """(whether ``pos`` is in a list item opened in its sentence, the item company's entity index)."""
        i = bisect.bisect_left(self.item_marks, pos) - 1
        if i < 0 or self.item_marks[i] < s0:
            return False, None
        return True, self.item_company.get(self.item_marks[i])

    def sentence(self, pos: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self.sent_starts, pos) - 1)
        return self.sents[i]

    def clause_bounds(self, s0: int, s1: int, pos: int) -> tuple[int, int]:
        """Same as :func:`_clause_bounds`, from the clause marks of the sentence found once."""
        if not s0 <= pos <= s1:
            return _clause_bounds(self.simp, s0, s1, pos)
        marks = self._clause_marks.get((s0, s1))
        if marks is None:  # every mark is one character
            marks = self._clause_marks[(s0, s1)] = [m.start() for m in _CLAUSE.finditer(self.simp, s0, s1)]
        i = bisect.bisect_left(marks, pos)
        if pos > s0 and self.simp[pos - 1] in ",:":
            # _clause_bounds searches the left part up to ``pos`` only, so its lookahead cannot
            # see a digit at ``pos``: a "," or ":" right before ``pos`` always ends the left part
            a = pos
        else:
            a = marks[i - 1] + 1 if i else s0
        return a, (marks[i] if i < len(marks) else s1)

    def inside_entity(self, a: int) -> bool:
        i = bisect.bisect_right(self.ent_starts, a)
        return bool(i) and self.ent_max_end[i - 1] > a

    def entities_starting_in(self, a: int, b: int) -> list[Entity]:
        """Entities whose start is in [a, b], in start order."""
        return self.ents[bisect.bisect_left(self.ent_starts, a) : bisect.bisect_right(self.ent_starts, b)]

    def times_starting_in(self, a: int, b: int) -> list[TimeExpr]:
        return self.times[bisect.bisect_left(self.time_starts, a) : bisect.bisect_right(self.time_starts, b)]

    def can_be_subject(self, i: int) -> bool:
        """Entity ``i`` is neither a source, nor an object of a preposition, nor parenthetical."""
        ok = self._can_subject.get(i)
        if ok is None:
            e = self.ents[i]
            ok = self._can_subject[i] = not (
                self.is_attribution(e) or self.is_object(e) or self.is_parenthetical(e)
            )
        return ok

    def cut_after(self, a: int, b: int, k: int) -> int:
        """``a`` moved past the last entity, time or earlier figure (before figure ``k``) that
        ends inside [a, b] and starts before ``b``: the metric is read only after it."""
        out = a
        i = bisect.bisect_right(self.span_ends, b) - 1
        while i >= 0 and self.span_ends[i] >= a:
            if self.span_starts[i] < b:
                out = self.span_ends[i]
                break
            i -= 1
        lim = a - self.fig_max_len
        for j in range(k - 1, -1, -1):
            g = self.figs[j]
            if g.start < lim:
                break
            if a <= g.end <= b and g.start < b and g.end > out:
                out = g.end
        return out

    def is_attribution(self, e: Entity) -> bool:
        after = self.simp[e.end : e.end + 8].lstrip("的")
        return bool(self.rc.attr.match(after))

    def is_parenthetical(self, e: Entity) -> bool:
        """An entity inside short parentheses — "騰訊控股(0700.HK,中國)" — annotates the name before
        it (ticker, country, abbreviation): it is not what the sentence is about."""
        if self.simp.find("(", max(0, e.start - 20), e.start) < 0 and \
                self.simp.find("（", max(0, e.start - 20), e.start) < 0:
            return False
        before = self.simp[max(0, e.start - 20) : e.start]
        after = self.simp[e.end : e.end + 20]
        o = max(before.rfind("("), before.rfind("（"))
        if o < 0 or max(before.rfind(")"), before.rfind("）")) > o:
            return False
        c = min((i for i in (after.find(")"), after.find("）")) if i >= 0), default=-1)
        return c >= 0 and not any(ch in after[:c] for ch in "(（")

    def is_object(self, e: Entity) -> bool:
        return e.start > 0 and self.simp[e.start - 1] in _PREP  # every preposition is one character


def _relation(ctx: _Ctx, f: Figure, left: str, left0: int, right: str):
    """(relation, direction, cue_start, than_start, other) from the cues around a figure."""
    r, rc = ctx.r, ctx.rc
    than_at = _than(ctx, left, left0)
    hit = _ends_with(left, rc.to_up) or _ends_with(left, rc.to_down)
    if hit:
        d = "up" if hit[0] in r.to_up else "down"
        if f.unit == "%" and any(c in left[: hit[1]] for c in rc.share_nouns):
            return "share", d, hit[1], than_at, None
        return "level", d, hit[1], than_at, None
    if f.unit == "x" or f.kind == "multiplier":
        cop = -1
        for w in r.copula:
            i = left.rfind(w)
            if i > cop:
                cop = i
        other = _entity_between(ctx, left0 + max(cop, than_at, 0), f.start)
        if than_at >= 0 and _ends_with(left, rc.any_cmp):
            return "comparison", "up", than_at, than_at, other
        return "ratio", None, (cop if cop >= 0 else len(left)), than_at, other
    for cues, d in ((rc.up, "up"), (rc.down, "down")):
        hit = _ends_with(left, cues)
        if hit and any(left[: hit[1] + len(hit[0])].endswith(w) for w in r.not_change):
            hit = None  # "新增1兆元基金": a new amount, not a change
        if hit and hit[0][0] == "年" and any(t.end == left0 + hit[1] + 1 for t in ctx.times_starting_in(
                max(0, left0 + hit[1] - 16), left0 + hit[1])):
            hit = (hit[0][1:], hit[1] + 1)  # "2024年增长5%": 年 ends the time, the cue is 增长 (not 年增)
        if hit:
            if than_at >= 0 and than_at < hit[1]:
                target = left[than_at : hit[1] + len(hit[0])]
                other = _entity_between(ctx, left0 + than_at, left0 + hit[1])
                if other is not None or not (_TIME_BASE.search(target) or _time_in(ctx, left0 + than_at, left0 + hit[1])):
                    return "comparison", d, min(than_at, hit[1]), than_at, other
            return "change", d, hit[1], than_at, None
    for cues, d in ((rc.cmp_up, "up"), (rc.cmp_down, "down")):
        hit = _ends_with(left, cues)
        if hit and than_at >= 0 and than_at < hit[1]:
            other = _entity_between(ctx, left0 + than_at, left0 + hit[1])
            return "comparison", d, than_at, than_at, other
    for w, d in (("高於", "up"), ("高于", "up"), ("低於", "down"), ("低于", "down")):
        i = left.rfind(w)
        if i >= 0:
            return "comparison", d, i, i, _entity_between(ctx, left0 + i, f.start)
    if f.kind in ("percent", "fraction") or f.unit == "%":
        for w in ("相當於", "相当于"):
            i = left.rfind(w)
            if i >= 0:
                return "ratio", None, i, than_at, _entity_between(ctx, left0 + i, f.start)
        hits = [(left.rfind(c), c) for c in r.share_before if left.rfind(c) >= 0] if rc.share_any.search(left) else []
        verbs = [h for h in hits if h[1] in _SHARE_VERBS and left[h[0] + len(h[1]) : h[0] + len(h[1]) + 1] not in ("比", "有")]
        if verbs:
            return "share", None, min(i for i, _ in verbs), than_at, None
        nouns = [h for h in hits if h[1] not in _WHOLE]
        if nouns:  # 份額/比重/佔比 name the metric: keep them in it
            return "share", None, len(left), than_at, None
        if hits:
            return "share", None, min(i for i, _ in hits), than_at, None
        if any(right.startswith(c) for c in r.share_after):
            return "share", None, len(left), than_at, None
    return "level", None, len(left), than_at, None


_NOT_THAN_BEFORE = ("同", "环", "環", "年", "对", "對", "无", "無", "相")
_NOT_THAN_AFTER = ("例", "重", "率", "特", "亞", "亚", "赛", "賽", "如", "較", "较", "分", "值")


def _than(ctx: _Ctx, left: str, left0: int) -> int:
    """Index in ``left`` of the last comparison word (比, 較...), ignoring 同比, 比例, entity names."""
    best = -1
    if not ctx.rc.than_any.search(left):
        return best
    for w in ctx.r.than:
        i = left.rfind(w)
        while i >= 0:
            bad = w in ("比", "较", "較") and (
                (i > 0 and left[i - 1] in _NOT_THAN_BEFORE) or left[i + 1 : i + 2] in _NOT_THAN_AFTER
            )
            if not bad and not ctx.inside_entity(left0 + i):
                break
            i = left.rfind(w, 0, i)
        if i > best:
            best = i
    return best


def _entity_between(ctx: _Ctx, a: int, b: int) -> Entity | None:
    """The last entity (in start order) inside [a, b]."""
    best = None
    for e in ctx.entities_starting_in(a, b):
        if e.end <= b:
            best = e
    return best


def _time_in(ctx: _Ctx, a: int, b: int) -> bool:
    return any(t.end <= b for t in ctx.times_starting_in(a, b))


def _metric_from(ctx: _Ctx, a: int, b: int, k: int | None) -> tuple[int, int] | None:
    """The metric phrase at the right end of simp[a:b], as offsets; None if there is none.

    With ``k`` (the figure's index), the window starts after the last entity, time or earlier
    figure ending inside it."""
    r = ctx.r
    s = ctx.simp
    # cut at the last excluded span (entity, time, parenthesis) inside the window
    if k is not None:
        a = ctx.cut_after(a, b, k)
    if s.find("(", a, b) >= 0 or s.find("（", a, b) >= 0:
        for m in _PAREN.finditer(s, a, b):
            if m.end() >= b - 1:
                b = m.start()
    seg = s[a:b]
    seg2 = ctx.rc.link_tail.sub("", seg)
    b = a + len(seg2)
    if not seg2 or seg2[-1] in _BREAK_TOKENS:
        # the last token is that mark alone (jieba cuts punctuation one character at a time),
        # and the right-to-left reading stops at it: no metric, and no tokenizer call
        return None
    toks = pos_tokens(seg2)
    keep: list[tuple[str, str, int, int]] = []
    for w, fl, t0, t1 in reversed(toks):
        if w in r.stop_verbs or (fl not in r.pos and not fl.startswith("n")):
            break
        if w in _BREAK_TOKENS:
            break
        keep.append((w, fl, t0, t1))
    keep.reverse()
    while keep and (keep[0][0] in r.edge_stop or keep[0][1] in ("uj", "x", "q")):
        keep.pop(0)
    while keep and (keep[-1][0] in r.edge_stop or keep[-1][1] in ("uj", "x")):
        keep.pop()
    if not keep or all(fl.startswith("v") and fl != "vn" for _, fl, _, _ in keep):
        return None
    m0, m1 = a + keep[0][2], a + keep[-1][3]
    if m1 - m0 > r.max_chars:
        m0 = m1 - r.max_chars
    return (m0, m1) if m1 > m0 else None


def _with_place_qualifier(ctx: _Ctx, span: tuple[int, int], subject: Entity) -> tuple[int, int]:
    """A metric widened to a place that qualifies it: "苹果公司…在大中华区的营收" reads 大中华区的营收
    (the subject is the company; the region narrows what is measured).  Only a place named
    after the subject and joined to the metric by 的."""
    m0, m1 = span
    if m0 < 1 or ctx.simp[m0 - 1] != "的":
        return span
    for e in ctx.entities_starting_in(subject.end, m0 - 1):
        if e.end == m0 - 1 and e.type in ("GPE", "LOC") and m1 - e.start <= ctx.r.max_chars:
            return e.start, m1
    return span


def _metric_right(ctx: _Ctx, f: Figure, c1: int) -> tuple[int, int] | None:
    """A metric after the figure: "49%的儲量", "1500輛汽車"."""
    s = ctx.simp
    i = f.end
    if s.startswith("的", i):
        i += 1
    elif f.kind not in ("count", "money"):
        return None
    seg = s[i:c1][:12]
    if not seg or not _JIEBA_WORD_CHAR.match(seg[0]):
        # a first character outside jieba's word characters is a token of its own tagged "x":
        # not nominal, so nothing would be kept
        return None
    toks = pos_tokens(seg)
    keep = []
    for w, fl, t0, t1 in toks:
        nominal = fl.startswith("n") or fl in ("vn", "eng", "j", "b")
        # after 的 a verb may modify the noun that follows ("92%的精煉產能")
        if nominal or (s[f.end] == "的" and fl in ("v", "a") and w not in ctx.r.stop_verbs):
            keep.append((t0, t1, nominal))
        else:
            break
    while keep and not keep[-1][2]:
        keep.pop()
    if not keep:
        return None
    return i + keep[0][0], i + keep[-1][1]


def _with_own_country(ents: list[Entity], text: str, simp: str, words: Sequence[str]) -> list[Entity]:
    """``ents`` plus each 我国 / 本國 … outside them, as a GPE subject named as written."""
    taken = [(e.start, e.end) for e in ents]
    extra = []
    for w in sorted(set(words), key=len, reverse=True):
        k = simp.find(w)
        while k >= 0:
            end = k + len(w)
            if not any(a < end and k < b for a, b in taken):
                extra.append(Entity(k, end, text[k:end], "GPE", simp[k:end], None, "claims:own_country"))
                taken.append((k, end))
            k = simp.find(w, end)
    return sorted(ents + extra, key=lambda e: e.start) if extra else ents


# _subject's answer for a list item whose company was not recognised: no subject, and no fallback
_NO_SUBJECT = Entity(-1, -1, "", "", "")


def _subject(ctx: _Ctx, f: Figure, s0: int, c0: int, relation: str, other: Entity | None,
             than_abs: int, last_subject: Entity | None) -> Entity | None:
    lo = bisect.bisect_left(ctx.ent_starts, s0)
    hi = bisect.bisect_left(ctx.ent_starts, f.start)
    ents = ctx.ents
    cand_idx = [
        i for i in range(lo, hi)
        if ents[i].end <= f.start and ents[i] is not other
        and not (than_abs >= 0 and ents[i].start >= than_abs)
        and ctx.can_be_subject(i)
    ]
    in_item, head = ctx.item_of(s0, f.start) if ctx.item_marks else (False, None)
    if in_item:
        # a list item's figure is about the item's company, not a name in its description; when
        # the company was not recognised, about nobody we know (not the previous item's company)
        if head is None:
            return _NO_SUBJECT
        if head in cand_idx:
            return ents[head]
    cands = [ents[i] for i in cand_idx]
    longer = [e for e in cands if len(e.text) >= 2]
    if longer:  # a one-character name (港, 美) is usually an abbreviation inside a word
        cands = longer
    in_clause = [e for e in cands if e.start >= c0]
    if relation in ("ratio", "comparison") and in_clause:
        return in_clause[0]
    if in_clause:
        return in_clause[-1]
    if cands:
        return cands[-1]
    window = ctx.simp[s0 : f.start]
    if last_subject is not None and any(p in window for p in ctx.r.pronouns):
        return last_subject
    if last_subject is not None and _ends_sentence_with_semicolon(ctx.simp, s0) and last_subject.end >= s0 - 200:
        return last_subject  # "…營收936億元;經營利潤128億元": the topic runs on past a semicolon
    return None


def _ends_sentence_with_semicolon(s: str, s0: int) -> bool:
    """``s[:s0].rstrip().endswith(("；", ";"))`` without copying the text before ``s0``."""
    j = s0 - 1
    while j >= 0 and s[j].isspace():
        j -= 1
    return j >= 0 and s[j] in "；;"


def _period(ctx: _Ctx, f: Figure, s0: int, s1: int, c0: int, c1: int, relation: str,
            than_abs: int, cue_abs: int) -> TimeExpr | None:
    def ok(t: TimeExpr) -> bool:
        # the base of a change ("比上年", "較去年同期") is not the claim's period, unless the
        # figure is the base value itself ("較去年的0.72")
        before = ctx.simp[max(0, t.start - 2) : t.start]
        is_base = before.endswith(_BASE_MARK)
        return not is_base or ctx.simp[t.end : f.start].strip("的") == ""

    before_clause = [t for t in ctx.times_starting_in(c0, f.start) if t.end <= f.start and ok(t)]
    if before_clause:
        return before_clause[-1]
    after_clause = [t for t in ctx.times_starting_in(f.end, c1) if t.end <= c1]
    if after_clause:
        return after_clause[0]
    before = [t for t in ctx.times_starting_in(s0, f.start) if t.end <= f.start and ok(t)]
    if before:
        return before[-1]
    return ctx.article_period


def build_claims(text: str, extraction: Extraction, article_id: str | None = None) -> list[Claim]:
    """One Claim per figure of ``extraction`` (offsets index ``text``)."""
    if not extraction.figures:
        return []
    r = rules()
    figs = sorted(extraction.figures, key=lambda f: f.start)
    ctx = _Ctx(text, extraction, r, figs)
    s = ctx.simp
    claims: list[Claim] = []
    last_subject: Entity | None = None
    prev_in_sentence: Claim | None = None
    cur_sentence: tuple[int, int] | None = None
    fig_ends = [f.end for f in figs]
    for k, f in enumerate(figs):
        s0, s1 = ctx.sentence(f.start)
        if (s0, s1) != cur_sentence:
            cur_sentence, prev_in_sentence = (s0, s1), None
        c0, c1 = ctx.clause_bounds(s0, s1, f.start)
        # the left window starts after the previous figure of the clause ("和", "、" lists)
        prev_end = fig_ends[k - 1] if k and fig_ends[k - 1] > c0 and fig_ends[k - 1] <= f.start else c0
        left0 = prev_end
        left = s[left0 : f.start]
        right = s[f.end : c1]
        relation, direction, cue_at, than_at, other = _relation(ctx, f, left, left0, right)
        if (relation == "level" and direction is None and prev_in_sentence is not None
                and prev_in_sentence.relation == "share" and f.unit == prev_in_sentence.figure.unit):
            relation = "share"  # "三星份額為19%,蘋果為16%": a list of shares of one whole
        than_abs = left0 + than_at if than_at >= 0 else -1
        cue_abs = left0 + cue_at
        subject = _subject(ctx, f, s0, c0, relation, other, than_abs, last_subject)
        unknown_item = subject is _NO_SUBJECT
        if unknown_item:
            subject = None
        # metric: left of the cue / comparison, minus subject, times and other entities
        stop = cue_abs
        if than_abs >= 0 and relation in ("change", "comparison", "ratio"):
            stop = min(stop, than_abs)
        if relation == "ratio":
            for w in r.copula:
                i = s.rfind(w, c0, f.start)
                if i >= 0:
                    stop = min(stop, i)
                    break
        # (from after the last entity, time or earlier figure in the window)
        span = _metric_from(ctx, c0, stop, k)
        if span is None:
            # a time between the metric and its cue ("股價週四上漲3.2%"): read the metric before it
            t = next((t for t in reversed(ctx.times_starting_in(c0, stop)) if t.end <= stop), None)
            if t is not None and t.start > c0 and not ctx.rc.link_tail.sub("", s[t.end:stop]).strip():
                span = _metric_from(ctx, c0, t.start, k)
        if span is not None and subject is not None:
            span = _with_place_qualifier(ctx, span, subject)
        if span is None and relation in ("level", "share"):
            span = _metric_right(ctx, f, c1)
        metric = text[span[0] : span[1]] if span else None
        if metric is None and prev_in_sentence is not None:
            metric = prev_in_sentence.metric
        if metric is None and relation == "share" and c0 > s0:
            # "在全球晶圓市場上,甲公司佔62%": the whole is named in the clause before
            p0, p1 = ctx.clause_bounds(s0, s1, c0 - 1)
            seg = s[p0 : c0 - 1]
            for pre in ("在", "于", "於"):
                if seg.startswith(pre):
                    p0 += len(pre)
            seg = ctx.rc.place_tail.sub("", s[p0 : c0 - 1])
            sp = _metric_from(ctx, p0, p0 + len(seg), None)
            metric = text[sp[0] : sp[1]] if sp else None
        if subject is None and not unknown_item and prev_in_sentence is not None and relation not in ("share",):
            subject = prev_in_sentence.subject
        period = _period(ctx, f, s0, s1, c0, c1, relation, than_abs, cue_abs)
        claim = Claim(
            figure=f, subject=subject, metric=metric, period=period,
            sentence_start=s0, sentence_end=s1, relation=relation, direction=direction,
            other=other, article_id=article_id,
        )
        claims.append(claim)
        prev_in_sentence = claim
        if subject is not None:
            last_subject = subject
    if r.respectively:
        _respectively(ctx, claims)
    return claims


def _respectively(ctx: _Ctx, claims: list[Claim]) -> None:
    """"A与B的市值分别为4兆美元和3.8兆美元": the names listed before 分别 take the figures after it
    in order, instead of all going to the nearest name.  Only when the figures (to the end of the
    sentence or a semicolon) number the names or a multiple of them; otherwise nothing changes."""
    s, r = ctx.simp, ctx.r
    joiners = frozenset(r.list_joiners)  # a gap between two names or two figures is one of these, whole
    for word in set(r.respectively):
        k = s.find(word)
        while k >= 0:
            s0, s1 = ctx.sentence(k)
            stop = min((i for i in (s.find("；", k, s1), s.find(";", k, s1)) if i >= 0), default=s1)
            after = [i for i, c in enumerate(claims) if k < c.figure.start and c.figure.end <= stop]
            # the list of names: the last subject-type entity before the word, then each one before
            # it that is joined to it by a list joiner only
            lo = bisect.bisect_left(ctx.ent_starts, s0)
            hi = bisect.bisect_left(ctx.ent_starts, k)
            names = [e for e in ctx.ents[lo:hi] if e.end <= k]
            chain: list[Entity] = []
            for e in reversed(names):
                if chain:
                    gap = s[e.end:chain[0].start].strip()
                    if gap not in joiners:
                        break
                chain.insert(0, e)
            m = len(chain)
            if m >= 2 and after and len(after) % m == 0:
                prefixes = tuple(ctx.text[e.start:e.end] + w for e in chain for w in ("的", "之"))
                prev: Claim | None = None
                for j, i in enumerate(after):
                    c = claims[i]
                    metric = c.metric
                    # the nearest name was read as the metric's qualifier (深圳的GDP): the list's
                    # names are the subjects now
                    if metric and metric.startswith(prefixes):
                        metric = metric[next(len(p) for p in prefixes if metric.startswith(p)):] or c.metric
                    relation, direction = c.relation, c.direction
                    if prev is not None and relation == "level" and direction is None \
                            and s[prev.figure.end:c.figure.start].strip() in joiners:
                        relation, direction = prev.relation, prev.direction  # 增长5.1%、4.9%和5.6%
                    c = dataclasses.replace(c, subject=chain[j % m], metric=metric, relation=relation,
                                            direction=direction)
                    claims[i] = prev = c
            k = s.find(word, k + len(word))


__all__ = ["build_claims"]
