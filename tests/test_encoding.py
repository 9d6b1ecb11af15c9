"""Bytes → text: UTF-8 (with or without BOM), GB18030, Big5, UTF-16; junk is refused."""
from __future__ import annotations

import gzip
import random

import pytest

from newsledger.errors import DecodeError
from newsledger.sources.encoding import decode

SIMP = "#财经\n国家统计局：前三季度社会消费品零售总额同比增长4.5%\n国家统计局发布数据，前三季度全国社会消费品零售总额约36.6万亿元，比去年同期增长4.5%。 (统计快讯)\n"
TRAD = "#財經\n經濟部：今年外銷訂單年增逾一成\n經濟部統計處表示，今年前十個月外銷訂單累計約新臺幣一千八百億美元，較去年同期增加百分之十二。 （中央社）\n"


@pytest.mark.parametrize(
    "text,encoding",
    [(SIMP, "utf-8"), (TRAD, "utf-8"), (SIMP, "utf-8-sig"), (TRAD, "utf-8-sig"), (SIMP, "gb18030"),
     (TRAD, "big5"), (TRAD, "utf-16"), (SIMP, "gb18030"), (SIMP.splitlines()[1], "gb18030"),
     (TRAD.splitlines()[1], "big5")],
)
def test_decodes_exactly(text, encoding):
    assert decode(text.encode(encoding), "news.txt") == text


def test_empty_bytes_are_empty_text():
    assert decode(b"", "empty.txt") == ""


@pytest.mark.parametrize(
    "data,why",
    [(random.Random(1).randbytes(4000), "random"),
     (bytes(b for b in random.Random(2).randbytes(4000) if b), "random-no-nul"),
     (gzip.compress(SIMP.encode() * 30), "gzip"),
     (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "png"),
     (b"abc\x00def\x00" * 50, "nul"),
     ("正常的文字".encode() + bytes(range(1, 9)) * 40, "controls"),
     (b"\xef\xbb\xbf" + "中文".encode("utf-16-le"), "bad-bom")],
)
def test_junk_raises_naming_the_file(data, why):
    with pytest.raises(DecodeError) as ei:
        decode(data, f"junk-{why}.bin")
    msg = str(ei.value)
    assert msg.startswith("[E101]") and f"junk-{why}.bin" in msg
    assert "UTF-8" in msg  # says what to do


def test_undecodable_mix_is_refused_not_mangled():
    data = "中文".encode("gb18030") + b"\xff\xfe\xfa" + "測試".encode("big5") + bytes([0x81, 0x30]) * 20
    try:
        text = decode(data, "mix.txt")
    except DecodeError as exc:
        assert "mix.txt" in str(exc)
    else:
        assert "\ufffd" not in text
