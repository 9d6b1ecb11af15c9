"""RSS and Atom reader: entries with text stripped of HTML, local dates, links, the feed's title
as source; half-written feeds keep what parsed and report the problem; URLs fetched over HTTP."""
from __future__ import annotations

import datetime as dt
import http.server
import threading
from pathlib import Path

import pytest

from newsledger.errors import FormatError
from newsledger.sources.feed import html_to_text, read_feed

CORPUS = Path(__file__).parent / "corpus" / "sources"


def test_rss_entries():
    errors: list = []
    arts = read_feed((CORPUS / "feed_rss.xml").read_text("utf-8"), origin="feed_rss.xml", errors=errors)
    assert errors == []
    assert [a.title for a in arts] == ["電動車上月銷量年增四成", "央行維持利率不變", "外銷訂單連續十個月成長"]
    assert {a.source for a in arts} == {"產經快報 即時新聞"}
    assert arts[0].url == "https://news.example.tw/auto/1"
    # 07:30 +0800 is the 26th in UTC: the feed's own date is kept
    assert [a.published for a in arts] == [dt.date(2025, 12, 27), dt.date(2025, 12, 26), dt.date(2025, 12, 23)]
    for a in arts:
        assert "<" not in a.body and "&lt;" not in a.body
        assert a.script == "trad"
    assert arts[0].body == "一家本土電動車品牌上月在台銷售3,215輛,年增41%。\n公司預估明年銷量將突破4萬輛。"
    # the longer content:encoded wins over the one-line description; scripts are dropped
    assert "4.6%" in arts[1].body and "track()" not in arts[1].body
    assert [a.tag for a in arts] == ["汽車", "財經", None]


def test_tag_argument_labels_every_entry_and_published_fills_missing_dates():
    text = (CORPUS / "feed_rss.xml").read_text("utf-8")
    arts = read_feed(text, tag="批次", errors=[])
    assert {a.tag for a in arts} == {"批次"}
    undated = text.replace("<pubDate>Tue, 23 Dec 2025 09:00:00 +0800</pubDate>", "")
    arts = read_feed(undated, published=dt.date(2025, 1, 1), errors=[])
    assert arts[2].published == dt.date(2025, 1, 1) and arts[0].published == dt.date(2025, 12, 27)


@pytest.mark.parametrize("as_bytes", [True, False])
def test_atom_in_big5(as_bytes):
    raw = (CORPUS / "feed_atom_big5.xml").read_bytes()
    data = raw if as_bytes else raw.decode("big5")
    arts = read_feed(data, origin="feed_atom_big5.xml", errors=[])
    assert [a.title for a in arts] == ["港口貨櫃量前十一月成長", "觀光客人次回升"]
    assert arts[0].body.startswith("港務公司表示") and "890萬TEU" in arts[0].body
    assert arts[0].published == dt.date(2025, 12, 20)
    assert arts[1].url == "https://daily.example.tw/travel/2"
    assert {a.source for a in arts} == {"港都日報"}


def test_half_written_feed_keeps_what_parsed_and_reports_the_line():
    errors: list = []
    arts = read_feed((CORPUS / "feed_truncated.xml").read_text("utf-8"), origin="feed_truncated.xml", errors=errors)
    assert [a.title for a in arts] == ["電動車上月銷量年增四成", "央行維持利率不變"]
    messages = [str(e) for e in errors]
    assert any("feed_truncated.xml" in m and "cut short" in m for m in messages)
    cut = [e for e in errors if "cut short" in e.message][0]
    assert cut.detail["line"] > 1
    # one message, that agrees with itself: two entries read, the third (split by the cut) skipped
    assert len(errors) == 1
    assert "read the 2 entries before the cut" in cut.message and "skipped entry 3" in cut.message
    assert "download or save the whole feed again" in cut.message
    assert "<unknown>" not in cut.message


RSS = (CORPUS / "feed_rss.xml").read_bytes()
ENTRY_ENDS = [m.end() for m in __import__("re").finditer(rb"</item>", RSS)]


def _cut(n: int) -> tuple[list, list]:
    errors: list = []
    return read_feed(RSS[:n], origin="cut.xml", errors=errors), errors


def test_cut_inside_an_entry_drops_that_entry_and_says_how_many_were_read():
    full = read_feed(RSS, errors=[])
    for k in (1, 2):  # cut in the middle of entry k + 1
        n = (ENTRY_ENDS[k - 1] + ENTRY_ENDS[k]) // 2
        arts, errors = _cut(n)
        assert [a.title for a in arts] == [a.title for a in full[:k]]
        assert [a.body for a in arts] == [a.body for a in full[:k]]  # the kept entries are whole
        assert len(errors) == 1
        msg = errors[0].message
        assert f"ends inside entry {k + 1}" in msg and f"skipped entry {k + 1}" in msg
        assert f"read the {k} entr" in msg


def test_cut_between_entries_keeps_them_all_and_skips_nothing():
    full = read_feed(RSS, errors=[])
    arts, errors = _cut(ENTRY_ENDS[1] + 1)
    assert [a.title for a in arts] == [a.title for a in full[:2]]
    assert len(errors) == 1 and "ends after entry 2" in errors[0].message and "skipped" not in errors[0].message


def test_cut_in_the_middle_of_a_character_does_not_garble_the_feed():
    full = read_feed(RSS, errors=[])
    middle = (ENTRY_ENDS[1] + ENTRY_ENDS[2]) // 2
    n = next(i for i in range(middle, ENTRY_ENDS[2]) if RSS[i] & 0xC0 == 0x80)  # inside a multi-byte character
    arts, errors = _cut(n)
    assert [a.title for a in arts] == [a.title for a in full[:2]]  # not read as Latin-1 mojibake
    assert {a.source for a in arts} == {full[0].source}


def test_cut_inside_the_first_entry_reads_nothing_and_says_so():
    with pytest.raises(FormatError, match="cut short.*first entry.*whole feed again"):
        _cut(ENTRY_ENDS[0] - 20)


def test_a_one_line_feed_cut_without_its_newline_is_reported_at_its_only_line():
    cut = "<rss><channel><item><title>只寫了一半</title><description>營收3億元"
    with pytest.raises(FormatError, match=r"half\.xml:1: the feed is cut short") as exc:
        read_feed(cut, origin="half.xml")
    assert exc.value.code == "E102"


def test_nothing_parsed_raises_format_error_naming_the_file():
    with pytest.raises(FormatError, match="not_a_feed.xml") as exc:
        read_feed((CORPUS / "not_a_feed.xml").read_text("utf-8"), origin="not_a_feed.xml")
    assert exc.value.code == "E102"


def test_html_to_text_one_line_per_block():
    assert html_to_text("<p>甲&amp;乙</p><p>丙<br>丁</p><ul><li>一</li><li>二</li></ul>") == "甲&乙\n丙\n丁\n一\n二"
    assert html_to_text("純文字  也行") == "純文字 也行"
    assert html_to_text("<style>p{}</style><p>留下</p>") == "留下"


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **kw):
        super().__init__(*a, directory=str(CORPUS), **kw)

    def log_message(self, *a):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_feed_from_a_url(server):
    url = f"{server}/feed_atom_big5.xml"
    arts = read_feed(url, errors=[])
    assert [a.title for a in arts] == ["港口貨櫃量前十一月成長", "觀光客人次回升"]
    assert {a.origin for a in arts} == {url}


def test_unreachable_url_is_a_format_error(server):
    with pytest.raises(FormatError, match="could not fetch"):
        read_feed(f"{server}/missing.xml", timeout=5)


def test_a_cut_feed_on_standard_input_is_sniffed_and_read_from_its_bytes():
    from newsledger.sources import read_bytes

    middle = (ENTRY_ENDS[1] + ENTRY_ENDS[2]) // 2
    n = next(i for i in range(middle, ENTRY_ENDS[2]) if RSS[i] & 0xC0 == 0x80)
    errors: list = []
    arts = read_bytes(RSS[:n], "<stdin>", errors=errors)  # no extension: sniffed, not decoded as text first
    assert [a.title for a in arts] == [a.title for a in read_feed(RSS, errors=[])[:2]]
    assert len(errors) == 1 and "cut short" in errors[0].message
