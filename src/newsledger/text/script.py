"""Traditional/Simplified script: detection, normalisation and a Simplified view with offsets.

OpenCC does the conversions.  What OpenCC does not do is say where each converted character came
from: phrase conversion (``tw2sp``) changes lengths (網際網路 → 互联网, 記憶體 → 内存), so a stage
that works on the Simplified view (segmentation, NER) needs a map back to the original text.
:func:`simplified_view` builds that map by hand (no library offers it):

1. the text is cut into pieces at punctuation and whitespace (OpenCC phrases do not span them;
   very long runs are cut further where no phrase spans the cut);
2. each piece is converted with ``tw2sp``; if it differs from a character-by-character ``t2s``
   conversion only by same-length substitutions (difflib), it maps one to one;
3. otherwise the piece is cut into minimal blocks that OpenCC converts on their own (a cut is
   kept where converting both sides separately gives the same result as converting the whole):
   a block that kept its length maps one to one, a phrase that changed length maps as a block
   (a view offset inside it maps to the start of the original phrase, an end offset to its end).

So every view span maps to an original span that covers it, never outside the text.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import cache

from ..errors import ConfigError

__all__ = ["View", "detect_script", "normalise", "simplified_view", "to_script", "converter"]

_SCRIPTS = {"trad": "s2twp", "simp": "tw2sp"}
_CHUNK = re.compile(r"\w+|\W+")  # \w covers Han, kana, letters and digits
_WS = re.compile(r"\s+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@cache
def converter(config: str):
    """The OpenCC converter for ``config`` (``t2s``, ``tw2sp``, ...), created once per process."""
    import opencc

    return opencc.OpenCC(config)


def _convert(config: str, text: str) -> str:
    return converter(config).convert(text) if text else text


# ---------------------------------------------------------------- detection and normalisation

_CHAR_CLASS: dict[str, int] = {}  # char -> 1 Traditional-only, 2 Simplified-only, 0 neither


def _char_class(ch: str) -> int:
    cls = _CHAR_CLASS.get(ch)
    if cls is None:
        if not _HAN.match(ch):
            cls = 0
        elif _convert("t2s", ch) != ch:
            cls = 1  # has a Simplified form: written in Traditional
        elif all(_convert(cfg, ch) != ch for cfg in ("s2t", "s2tw", "s2hk")):
            # no Traditional standard (OpenCC, Taiwan, Hong Kong) writes it: Simplified.  台, 群,
            # 床 are kept by one of them and count for neither script.
            cls = 2
        else:
            cls = 0
        _CHAR_CLASS[ch] = cls
    return cls


def detect_script(text: str) -> str:
    """``"trad"``, ``"simp"`` or ``"mixed"``, by counting characters that only one script writes.

    A character that ``t2s`` changes is Traditional, one that ``s2t``, ``s2tw`` and ``s2hk`` all
    change is Simplified.  A text is one script when the other makes up at most 20% of that
    evidence; a text with no script-specific character (ASCII, or only shared characters) is
    ``"mixed"``.
    """
    trad = simp = 0
    for ch, n in Counter(text).items():
        cls = _char_class(ch)
        if cls == 1:
            trad += n
        elif cls == 2:
            simp += n
    total = trad + simp
    if total == 0:
        return "mixed"
    if simp <= 0.2 * total:
        return "trad"
    if trad <= 0.2 * total:
        return "simp"
    return "mixed"


def normalise(text: str) -> str:
    """NFKC, Traditional → Simplified (``t2s``), whitespace runs → one space, stripped.

    Used for stable ids and duplicate detection, never for offsets.
    """
    text = unicodedata.normalize("NFKC", text)
    return _WS.sub(" ", _convert("t2s", text)).strip()


def to_script(text: str, script: str) -> str:
    """``text`` in ``"trad"`` (OpenCC ``s2twp``: Taiwan vocabulary) or ``"simp"`` (``tw2sp``)."""
    try:
        config = _SCRIPTS[script]
    except KeyError:
        raise ConfigError(f"unknown script {script!r}: use 'trad' or 'simp'", script=script) from None
    return _convert(config, text)


# ---------------------------------------------------------------- the Simplified view


@dataclass(frozen=True, slots=True)
class View:
    """A derived text with a map back to the text it came from.

    ``starts[j]`` is where view character ``j`` begins in the original, ``ends[j]`` where the
    view prefix of length ``j`` ends; both have ``len(text) + 1`` entries.  ``None`` means the
    identity map (nothing changed length or place).
    """

    text: str
    original: str
    starts: array | None = None
    ends: array | None = None

    def to_original(self, i: int) -> int:
        """The original offset of view offset ``i`` (0 ≤ i ≤ len(text)), as a start."""
        if not 0 <= i <= len(self.text):
            raise IndexError(f"view offset {i} outside 0..{len(self.text)}")
        return i if self.starts is None else self.starts[i]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span that covers view span ``[start, end)``."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"view span {start}..{end} outside 0..{len(self.text)}")
        if self.starts is None:
            return start, end
        s = self.starts[start]
        e = self.ends[end] if end > start else s
        return s, max(s, e)

    def from_original(self, i: int) -> int:
        """The first view offset whose character starts at or after original offset ``i``."""
        if not 0 <= i <= len(self.original):
            raise IndexError(f"original offset {i} outside 0..{len(self.original)}")
        if self.starts is None:
            return i
        # the view characters of the block that contains i all start before or at i
        j = bisect_right(self.starts, i - 1) if i else 0
        return min(j, len(self.text))


def _char_t2s(chunk: str) -> str:
    """``t2s`` of ``chunk`` keeping its length: whole if that keeps it, else per character."""
    out = _convert("t2s", chunk)
    if len(out) == len(chunk):
        return out
    return "".join(c if len(c := _convert("t2s", ch)) == 1 else ch for ch in chunk)


_MAX_PIECE = 64  # longer runs are cut so that exact alignment stays cheap


def _pieces(text: str):
    """(offset, piece) for chunks cut at punctuation/whitespace, long ones cut further.

    A long chunk is cut where converting the two halves separately gives the same result as
    converting it whole (no phrase spans the cut); failing that, at ``_MAX_PIECE``.
    """
    for m in _CHUNK.finditer(text):
        chunk, off = m.group(), m.start()
        while len(chunk) > _MAX_PIECE:
            whole = _convert("tw2sp", chunk)
            cut = _MAX_PIECE
            for k in range(_MAX_PIECE, _MAX_PIECE // 2, -1):
                if _convert("tw2sp", chunk[:k]) + _convert("tw2sp", chunk[k:]) == whole:
                    cut = k
                    break
            yield off, chunk[:cut]
            chunk, off = chunk[cut:], off + cut
        yield off, chunk


def _one_to_one(piece: str, conv: str) -> bool:
    """True when ``conv`` differs from ``piece`` only by same-length substitutions."""
    if len(conv) != len(piece):
        return False
    base = _char_t2s(piece)
    if base == conv:
        return True
    ops = difflib.SequenceMatcher(None, base, conv, autojunk=False).get_opcodes()
    return all(i2 - i1 == j2 - j1 for _, i1, i2, j1, j2 in ops)


def _blocks(piece: str, conv: str):
    """Cut ``piece`` into minimal blocks that convert on their own and add up to ``conv``.

    Block ``[c, k)`` ends at the first ``k`` such that converting ``piece[c:k]`` and ``piece[k:]``
    separately reproduces the rest of ``conv``: OpenCC itself decides where phrases end.
    Yields (start, end, converted block).
    """
    c, done, n = 0, 0, len(piece)
    while c < n:
        rest = conv[done:]
        for k in range(c + 1, n + 1):
            head = _convert("tw2sp", piece[c:k])
            if k == n or (rest.startswith(head) and _convert("tw2sp", piece[k:]) == rest[len(head):]):
                break
        if k == n:
            head = rest  # the tail takes whatever is left
        yield c, k, head
        done += len(head)
        c = k


def simplified_view(text: str) -> View:
    """``text`` in Simplified script with mainland vocabulary (OpenCC ``tw2sp``), offsets mapped back.

    The view is the concatenation of the ``tw2sp`` conversions of the pieces of the text (cut at
    punctuation and whitespace), which in practice equals converting the whole text.
    """
    whole = _convert("tw2sp", text)
    if whole == text or (len(whole) == len(text) and whole == _char_t2s(text)):
        return View(whole, text)  # nothing changed place: identity map
    parts: list[str] = []
    starts = array("q")
    ends = array("q", [0])

    def one_to_one(a: int, b: int) -> None:
        starts.extend(range(a, b))
        ends.extend(range(a + 1, b + 1))

    for off, piece in _pieces(text):
        conv = _convert("tw2sp", piece)
        parts.append(conv)
        if conv == piece or _one_to_one(piece, conv):
            one_to_one(off, off + len(piece))
            continue
        for c, k, head in _blocks(piece, conv):
            if len(head) == k - c:
                one_to_one(off + c, off + k)
            else:  # a phrase that changed length maps as a block
                starts.extend([off + c] * len(head))
                ends.extend([off + k] * len(head))
    view_text = "".join(parts)
    starts.append(len(text))
    assert len(starts) == len(ends) == len(view_text) + 1
    return View(view_text, text, starts, ends)
