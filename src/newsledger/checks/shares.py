"""shares: parts of one whole that sum past 100%, or a stated total its parts contradict.

Parts of one whole: share claims of one sentence with the same metric and DIFFERENT subjects
("甲國佔61.5%,乙國佔20%"); their low ends summing past 100% (beyond rounding) is impossible.
Shares of different wholes ("45%的產量、60%的出口") have different metrics and are not summed;
shares of one subject are not parts of a partition either.
A stated total: a figure introduced by 合計/共計/總計/共/一共 after parts of the same unit in its
sentence ("A 60億元, B 50億元, 合計100億元"): the parts must add up to it (within rounding; "超過"
totals only need the parts to reach them).  A total given before "其中" parts must not be exceeded.

Positive: ``甲公司佔62%,乙公司佔31%,丙公司佔15%`` (108%).  ``A 40億元,B 35億元,合計90億元``.
Negative: ``甲國佔61.5%,乙國佔20%``; ``擁有全球45%的產量、60%的出口``.
"""
from __future__ import annotations

import re

from ..model import Claim, Finding
from . import register
from ._numbers import interval, norm, subject_key

_TOTAL = re.compile(r"(合計|合计|共計|共计|總計|总计|一共|總共|总共|合共|共)[^,，;；。]{0,6}$")
_OF_WHICH = re.compile(r"其中")


def _groups(claims):
    g: dict[tuple[int, str], list[Claim]] = {}
    for c in claims:
        if c.relation == "share" and c.figure.unit == "%" and c.metric:
            g.setdefault((c.sentence_start, norm(c.metric)), []).append(c)
    return g.values()


@register("shares")
def check(claims, text, context) -> list[Finding]:
    """Shares of one whole summing past 100%; stated totals that their parts contradict."""
    out = []
    for group in _groups(claims):
        subjects = [subject_key(c) for c in group]
        if len(group) < 2 or "" in subjects or len(set(subjects)) != len(subjects):
            continue
        low = sum(interval(c.figure)[0] for c in group)
        if low <= 100.0:
            parts = " + ".join(f"{c.subject.text} {c.figure.text}" for c in group)
            out.append(Finding(
                kind="shares_within_whole", severity="info", check="shares", verified=True,
                message=f"Shares of {group[0].metric}: {parts} = {sum(c.figure.value for c in group):.4g}%, within one whole.",
                spans=tuple((c.figure.start, c.figure.end) for c in group), article_id=group[0].article_id))
        else:
            total = sum(c.figure.value for c in group)
            parts = ", ".join(f"{c.subject.text} {c.figure.text}" for c in group)
            out.append(Finding(
                kind="shares_over_100", severity="warning", check="shares",
                message=f"Shares of {group[0].metric} add up to {total:.4g}% ({parts}): parts of one whole cannot pass 100%.",
                spans=tuple((c.figure.start, c.figure.end) for c in group), article_id=group[0].article_id))
    if not text:
        return out
    by_sentence: dict[int, list[Claim]] = {}
    for c in claims:
        by_sentence.setdefault(c.sentence_start, []).append(c)
    for group in by_sentence.values():
        group.sort(key=lambda c: c.figure.start)
        for i, c in enumerate(group):
            left = text[max(c.sentence_start, c.figure.start - 8) : c.figure.start]
            unit = c.figure.unit
            if unit is None or c.figure.high is not None:
                continue
            if _TOTAL.search(left):
                parts = [p for p in group[:i] if p.figure.unit == unit and p.relation in ("level", "share", None)
                         and p.figure.high is None]
                if len(parts) < 2:
                    continue
                lo = sum(interval(p.figure)[0] for p in parts)
                hi = sum(interval(p.figure)[1] for p in parts)
                t_lo, t_hi = interval(c.figure)
                s = sum(p.figure.value for p in parts)
                spans = tuple((p.figure.start, p.figure.end) for p in parts + [c])
                names = " + ".join(p.figure.text for p in parts)
                if hi < t_lo or lo > t_hi:
                    out.append(Finding(kind="total_mismatch", severity="warning", check="shares",
                                       message=f"The parts {names} add up to {s:,.4g}, not the stated total {c.figure.text}.",
                                       spans=spans, article_id=c.article_id))
                else:
                    out.append(Finding(kind="total_consistent", severity="info", check="shares", verified=True,
                                       message=f"The parts {names} add up to the stated total {c.figure.text}.",
                                       spans=spans, article_id=c.article_id))
            elif c.relation in ("level", None) and _OF_WHICH.search(text[c.figure.end : min(c.sentence_end, c.figure.end + 12)]):
                # a total followed by "其中" parts of the same unit later in the sentence
                parts = [p for p in group[i + 1 :] if p.figure.unit == unit and p.relation in ("level", None)
                         and p.figure.high is None and unit != "%"]
                if len(parts) < 2:
                    continue
                lo = sum(interval(p.figure)[0] for p in parts)
                if lo > interval(c.figure)[1]:
                    names = " + ".join(p.figure.text for p in parts)
                    out.append(Finding(kind="parts_exceed_total", severity="warning", check="shares",
                                       message=f"The parts {names} add up to more than the total {c.figure.text} they belong to.",
                                       spans=tuple((p.figure.start, p.figure.end) for p in [c] + parts),
                                       article_id=c.article_id))
    return out
