"""Example articles (our own sentences, both scripts) with hand-made extractions for the store tests.

Spans are located by searching their text, so offsets are right by construction; the tests
check that they come back unchanged.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from newsledger.model import Article, Claim, Entity, Extraction, Figure, Finding, TimeExpr


def make(title: str, body: str, *, tag: str | None, source: str | None, published: str | None,
         url: str | None = None, origin: str = "test") -> Article:
    pub = dt.date.fromisoformat(published) if published else None
    try:
        from newsledger.sources import make_article
    except ImportError:
        make_article = None
    if make_article is not None:
        return make_article(title, body, tag=tag, source=source, published=pub, url=url, origin=origin,
                            title_start=0, title_end=len(title), body_start=len(title) + 1,
                            body_end=len(title) + 1 + len(body))
    aid = hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()[:16]
    return Article(id=aid, title=title, body=body, tag=tag, source=source, published=pub, url=url,
                   script="mixed", title_start=0, title_end=len(title), body_start=len(title) + 1,
                   body_end=len(title) + 1 + len(body), origin=origin)


def _at(text: str, needle: str, nth: int = 0) -> int:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return i


def fig(text: str, s: str, kind: str, value: float, unit: str | None = None, **kw) -> Figure:
    i = _at(text, s, kw.pop("nth", 0))
    return Figure(start=i, end=i + len(s), text=s, kind=kind, value=value, unit=unit, rule="test", **kw)


def tim(text: str, s: str, type_: str, value: str | None, relative: bool = False) -> TimeExpr:
    i = _at(text, s)
    return TimeExpr(start=i, end=i + len(s), text=s, type=type_, value=value, relative=relative, rule="test")


def ent(text: str, s: str, type_: str, canonical: str, ticker: str | None = None, nth: int = 0) -> Entity:
    i = _at(text, s, nth)
    return Entity(start=i, end=i + len(s), text=s, type=type_, canonical=canonical, ticker=ticker, rule="test")


def sentence_of(text: str, i: int) -> tuple[int, int]:
    s = text.rfind("。", 0, i) + 1
    e = text.find("。", i)
    return s, (e + 1 if e >= 0 else len(text))


# ---- the articles -------------------------------------------------------------------------

T1 = "人工智慧帶動資料中心投資"
B1 = ("台積電表示，今年資本支出約為新臺幣1.2兆元，比去年增加約30%。"
      "業界估計，全球資料中心在人工智慧上的投資將超過4000億美元。")

T2 = "互联网用户规模继续扩大"
B2 = ("统计显示，截至2024年底，中国互联网用户达到11亿人，普及率为78%。"
      "阿里巴巴计划未来三年投入3800亿元建设云计算设施。")

T3 = "美國擴大網際網路基礎建設"
B3 = "美國聯邦政府去年在網際網路基礎建設上支出約650億美元。統計數據顯示，偏鄉寬頻覆蓋率提升至93%。"

T4 = "数据要素市场加快建设"
B4 = ("数据交易所今年完成数据产品登记超过2000个。"
      "数据安全和数据流通规则同步完善，美国企业也在关注中国数据市场。")


def article_1() -> tuple[Article, Extraction]:
    a = make(T1, B1, tag="科技", source="經濟日報", published="2025-03-10", url="https://example.org/a1")
    f_capex = fig(B1, "新臺幣1.2兆元", "money", 1.2e12, "TWD", approx="approx")
    f_growth = fig(B1, "30%", "percent", 30.0, "%", approx="approx")
    f_ai = fig(B1, "4000億美元", "money", 4e11, "USD", approx="more_than")
    tsmc = ent(B1, "台積電", "COMPANY", "台积电", ticker="2330.TW")
    this_year = tim(B1, "今年", "relative", "2025", relative=True)
    last_year = tim(B1, "去年", "relative", "2024", relative=True)
    s0, s1 = sentence_of(B1, f_capex.start)
    claims = [
        Claim(figure=f_capex, subject=tsmc, metric="資本支出", period=this_year, sentence_start=s0,
              sentence_end=s1, article_id=a.id),
        Claim(figure=f_growth, subject=tsmc, metric="資本支出", period=last_year, sentence_start=s0,
              sentence_end=s1, relation="change", direction="up", article_id=a.id),
    ]
    findings = [Finding(kind="growth", severity="info", message="增幅與兩個數值一致", spans=((f_capex.start, f_capex.end),),
                        article_id=a.id, check="growth_arithmetic", verified=True)]
    ext = Extraction(text=B1, figures=[f_capex, f_growth, f_ai], times=[this_year, last_year], entities=[tsmc],
                     claims=claims, findings=findings)
    return a, ext


def article_2() -> tuple[Article, Extraction]:
    a = make(T2, B2, tag="互联网", source="新华社", published="2025-04-02")
    ext = Extraction(
        text=B2,
        figures=[fig(B2, "11亿人", "count", 1.1e9, "人"), fig(B2, "78%", "percent", 78.0, "%"),
                 fig(B2, "3800亿元", "money", 3.8e11, "CNY")],
        times=[tim(B2, "2024年底", "month", "2024-12"), tim(B2, "未来三年", "duration", "P3Y")],
        entities=[ent(B2, "中国", "GPE", "中国"), ent(B2, "阿里巴巴", "COMPANY", "阿里巴巴", ticker="BABA")],
    )
    return a, ext


def article_3() -> tuple[Article, Extraction]:
    a = make(T3, B3, tag="美國", source="中央社", published="2025-05-20")
    ext = Extraction(
        text=B3,
        figures=[fig(B3, "650億美元", "money", 6.5e10, "USD", approx="approx"), fig(B3, "93%", "percent", 93.0, "%")],
        times=[tim(B3, "去年", "relative", "2024", relative=True)],
        entities=[ent(B3, "美國", "GPE", "美国")],
    )
    return a, ext


def article_4() -> tuple[Article, Extraction]:
    a = make(T4, B4, tag="科技", source="新华社", published="2025-06-01")
    ext = Extraction(
        text=B4,
        figures=[fig(B4, "2000个", "count", 2000.0, "个", approx="more_than")],
        times=[tim(B4, "今年", "relative", "2025", relative=True)],
        entities=[ent(B4, "美国", "GPE", "美国"), ent(B4, "中国", "GPE", "中国")],
    )
    return a, ext


ALL = (article_1, article_2, article_3, article_4)


def fill(ledger) -> dict[str, Article]:  # noqa: ANN001
    """Add the four examples; returns them by short name a1..a4."""
    out = {}
    for i, build in enumerate(ALL, start=1):
        a, ext = build()
        assert ledger.add(a, ext) == "new"
        out[f"a{i}"] = a
    return out
