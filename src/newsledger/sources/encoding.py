"""Bytes → text, never mangled: UTF-8 first, then charset-normalizer (GB18030, Big5, UTF-16...).

A file that is not text in any encoding (binary junk, or bytes that only decode to control
characters and unassigned code points) raises :class:`DecodeError` naming the file and saying
what to do: nothing is decoded with replacement characters.
"""
from __future__ import annotations

import codecs
import unicodedata

from ..errors import DecodeError

__all__ = ["decode"]

# share of characters that may be control, private-use or unassigned before text counts as junk
MAX_JUNK_RATIO = 0.02
# charset-normalizer's "chaos" (0 = clean, 1 = noise) above which a guess is rejected
MAX_CHAOS = 0.3

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: longer prefix
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_OK_CONTROLS = set("\t\n\r\f\v\x1c\x1d\x1e\x85")


def _junk_ratio(text: str, sample: int = 200_000) -> float:
    part = text[:sample]
    if not part:
        return 0.0
    bad = 0
    for ch in part:
        if ch in _OK_CONTROLS or ch.isprintable() or ch.isspace():
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Co", "Cn", "Cs") or ch == "\ufffd":
            bad += 1
    return bad / len(part)


def _fail(origin: str, why: str) -> DecodeError:
    return DecodeError(
        f"{origin}: cannot read as text ({why}); save it as UTF-8 text "
        "(GB18030, Big5 and UTF-16 are also detected) or give a digest, HTML, feed or JSON-lines file",
        origin=origin, reason=why,
    )


def _checked(text: str, origin: str, encoding: str) -> str:
    ratio = _junk_ratio(text)
    if ratio > MAX_JUNK_RATIO:
        raise _fail(origin, f"as {encoding} it is {ratio:.0%} control or unassigned characters: binary data?")
    return text


def decode(data: bytes, origin: str) -> str:
    """The text of ``data`` (the bytes of file ``origin``), or DecodeError naming ``origin``.

    A byte-order mark decides the encoding (and is dropped); otherwise strict UTF-8, then
    charset-normalizer's best guess when its chaos is low.  NUL bytes without a UTF-16/32 mark
    mean binary data.
    """
    if not data:
        return ""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(enc), origin, enc)
            except UnicodeDecodeError as exc:
                raise _fail(origin, f"it starts with a {enc} byte-order mark but is not {enc}: {exc.reason} "
                                    f"at byte {exc.start}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        return _checked(text, origin, "UTF-8")
    if b"\x00" in data:
        raise _fail(origin, "it holds NUL bytes: binary data")

    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise _fail(origin, "no encoding decodes it cleanly")
    if best.chaos > MAX_CHAOS:
        raise _fail(origin, f"the best guess, {best.encoding}, reads as noise (chaos {best.chaos:.2f})")
    return _checked(str(best), origin, best.encoding)
