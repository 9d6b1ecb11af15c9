"""Extractions made on title + "\\n" + body (what ingest stores): spans in the title keep
field="title", claims whose period or subject sits in the other field, and findings, read back
exactly; the web article page marks title figures.  Both engines."""
from __future__ import annotations

from newsledger.model import Claim, Extraction, Finding

import _store_examples as ex


def _whole(a):
    return f"{a.title}\n{a.body}"


def test_body_claim_with_its_period_in_the_title_round_trips(ledger):
    title, body = "2024年度寬頻支出回顧", "聯邦政府在網際網路基礎建設上支出約650億美元。覆蓋率提升至93%。"
    a = ex.make(title, body, tag="美國", source="中央社", published="2025-05-20")
    whole = _whole(a)
    year = ex.tim(whole, "2024年度", "year", "2024")  # in the title
    money = ex.fig(whole, "650億美元", "money", 6.5e10, "USD", approx="approx")
    s0, s1 = whole.index("聯邦"), whole.index("。") + 1
    claim = Claim(figure=money, subject=None, metric="支出", period=year, sentence_start=s0, sentence_end=s1,
                  article_id=a.id)
    ext = Extraction(text=whole, figures=[money], times=[year], claims=[claim])
    assert ledger.add(a, ext) == "new"
    got = ledger.get(a.id).extraction
    assert got.text == whole and got.claims == [claim]
    assert whole[got.claims[0].period.start:got.claims[0].period.end] == "2024年度"
    row = next(ledger.iter_claims())
    assert row["field"] == "body" and row["period_start"] < 0  # offsets from the body's start


def test_title_claim_with_its_period_in_the_body_round_trips(ledger):
    title, body = "寬頻覆蓋率升至93%", "統計數據顯示，去年偏鄉寬頻持續改善。"
    a = ex.make(title, body, tag="美國", source="中央社", published="2025-05-20")
    whole = _whole(a)
    pct = ex.fig(whole, "93%", "percent", 93.0, "%")
    last = ex.tim(whole, "去年", "relative", "2024", relative=True)
    claim = Claim(figure=pct, subject=None, metric="覆蓋率", period=last, sentence_start=0, sentence_end=len(title),
                  article_id=a.id)
    ext = Extraction(text=whole, figures=[pct], times=[last], claims=[claim])
    ledger.add(a, ext)
    got = ledger.get(a.id).extraction
    assert got.claims == [claim] and got.times == [last]
    fr = next(ledger.iter_figures())
    assert (fr["field"], fr["start"], fr["end"]) == ("title", title.index("93%"), title.index("93%") + 3)


def test_findings_of_a_title_extraction_with_nothing_in_the_title(ledger):
    a, _ = ex.article_3()
    whole = _whole(a)
    f1 = ex.fig(whole, "650億美元", "money", 6.5e10, "USD")
    finding = Finding(kind="range", severity="info", message="ok", spans=((f1.start, f1.end),), article_id=a.id,
                      check="range_magnitude", verified=True)
    ledger.add(a, Extraction(text=whole, figures=[f1], findings=[finding]))
    got = ledger.get(a.id).extraction
    assert got.text == a.body  # nothing in the title: reads back as the body's extraction
    (s, e), = got.findings[0].spans
    assert (s, e) == (got.figures[0].start, got.figures[0].end) and got.text[s:e] == "650億美元"


def test_findings_keep_whole_text_offsets_when_the_title_holds_spans(ledger):
    title, body = "出口增長12%", "今年出口增長12%，達到3000億元。"
    a = ex.make(title, body, tag="t", source="s", published="2025-01-02")
    whole = _whole(a)
    t_fig, b_fig = ex.fig(whole, "12%", "percent", 12.0, "%"), ex.fig(whole, "12%", "percent", 12.0, "%", nth=1)
    finding = Finding(kind="repeat", severity="info", message="title and body agree",
                      spans=((t_fig.start, t_fig.end), (b_fig.start, b_fig.end)), article_id=a.id, check="x")
    ledger.add(a, Extraction(text=whole, figures=[t_fig, b_fig], findings=[finding]))
    got = ledger.get(a.id).extraction
    assert got.text == whole and got.findings[0].spans == finding.spans


def test_web_article_page_marks_a_title_figure(ledger):
    from newsledger.web.context import article as article_context

    title, body = "出口增長12%", "今年出口達到3000億元。"
    a = ex.make(title, body, tag="t", source="s", published="2025-01-02")
    whole = _whole(a)
    ledger.add(a, Extraction(text=whole, figures=[ex.fig(whole, "12%", "percent", 12.0, "%"),
                                                  ex.fig(whole, "3000億元", "money", 3e11, "CNY")]))
    page = article_context(ledger, a.id)
    assert page["offsets"] == "title+body"

    def marked(nodes):
        for n in nodes:
            if "mark" in n:
                yield a_text(n)
            yield from marked(n.get("children", ()))

    def a_text(n):
        return "".join(c.get("text", "") if "mark" not in c else a_text(c) for c in n.get("children", ()))

    assert "12%" in set(marked(page["title_segments"]))
    assert "3000億元" in set(marked(page["segments"]))
