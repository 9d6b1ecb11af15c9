"""Word segmentation (jieba's dictionary and model) on the Simplified view.

Two back ends with the same dictionary and HMM: ``rjieba`` (jieba-rs bindings, measured ≈ 17×
faster than jieba on a 1M-character generated corpus, same Chinese segmentation) when it is
installed, else ``jieba``.  ``NEWSLEDGER_SEGMENTER=jieba`` forces jieba.  The two differ only in
how they split runs of ASCII punctuation (``US-CHINA``, ``1.AI``), so every token is cut into
runs of word characters (``3.5%`` kept whole) and single other characters, which makes precise
mode agree.

jieba keeps a 9 MB dictionary cache; it is written under ``~/.cache/newsledger`` (or
``$NEWSLEDGER_CACHE``, ``$XDG_CACHE_HOME/newsledger``), never to a shared /tmp file.
"""
from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata
from functools import cache
from pathlib import Path
from typing import Callable

from .script import converter, simplified_view

__all__ = ["tokens", "token_spans", "index_text", "query_readings", "backend", "jieba_tokenizer", "cache_dir"]

# word runs (a decimal and a percent sign stay attached, as jieba's HMM keeps 3.5%), or one other
# non-space character: jieba's own rule for ASCII runs, applied to both back ends
_PIECE = re.compile(r"[^\W_]+(?:\.\d+)?%?|\S")
_WORD = re.compile(r"[^\W_]+(?:\.\d+)?%?")  # _PIECE's first branch: the pieces that are indexed
_lock = threading.Lock()


def cache_dir() -> Path:
    """The project's cache folder, created if needed (falls back to a per-user temp folder)."""
    env = os.environ.get("NEWSLEDGER_CACHE")
    if env:
        base = Path(env)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "newsledger"
    try:
        base.mkdir(parents=True, exist_ok=True)
        if os.access(base, os.W_OK):
            return base
    except OSError:
        pass
    fallback = Path(tempfile.gettempdir()) / f"newsledger-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback


@cache
def jieba_tokenizer():
    """jieba's default tokenizer, initialised once with its cache under :func:`cache_dir`.

    It is ``jieba.dt`` itself, so ``jieba.posseg`` users share the loaded dictionary.
    """
    import jieba

    with _lock:
        jieba.setLogLevel(logging.WARNING)
        jieba.dt.tmp_dir = str(cache_dir())
        jieba.dt.initialize()
    return jieba.dt


@cache
def _backend() -> tuple[str, Callable[[str], list[str]], Callable[[str], list[str]]]:
    if os.environ.get("NEWSLEDGER_SEGMENTER", "").lower() != "jieba":
        try:
            import rjieba

            return "rjieba", rjieba.cut, rjieba.cut_for_search
        except ImportError:
            pass
    tk = jieba_tokenizer()
    return "jieba", lambda t: list(tk.cut(t)), lambda t: list(tk.cut_for_search(t))


def backend() -> str:
    """``"rjieba"`` or ``"jieba"``: the segmenter in use."""
    return _backend()[0]


def _split(tok: str) -> list[str]:
    return _PIECE.findall(tok) if len(tok) > 1 else ([tok] if not tok.isspace() else [])


def token_spans(text: str) -> list[tuple[int, int, str]]:
    """Precise-mode tokens of the Simplified view as ``(start, end, token)``.

    ``start``/``end`` index ``text`` (the original); ``token`` is the Simplified form, so for a
    phrase that OpenCC converted (記憶體 → 内存) the span covers the original phrase.
    """
    view = simplified_view(text)
    out: list[tuple[int, int, str]] = []
    pos = 0
    for tok in _backend()[1](view.text):
        for m in _PIECE.finditer(tok):
            s, e = view.span_to_original(pos + m.start(), pos + m.end())
            out.append((s, e, m.group()))
        pos += len(tok)
    return out


def tokens(text: str) -> list[str]:
    """Precise-mode jieba tokens of the Simplified view of ``text`` (whitespace dropped)."""
    view = converter("tw2sp").convert(text) if text else text
    return [p for tok in _backend()[1](view) for p in _split(tok)]


def _index_pieces(view: str) -> list[str]:
    """jieba search-mode tokens of an already converted text, as indexed (before lower-casing)."""
    # The pieces of every token that start with a letter or digit, lower-cased once at the end
    # (per piece, this was a tenth of Ledger.add_many's time).  Same output: a token of letters and
    # digits only (most) is its own single piece (_PIECE's first branch matches it whole); for the
    # others _WORD finds exactly _PIECE's pieces that start with a letter or digit; and lower() of
    # the joined pieces is the join of their lower() (Greek final sigma, the one letter whose
    # lower case depends on its neighbours, looks no further than a space).
    pieces: list[str] = []
    for tok in _backend()[2](view):
        if tok.isalnum():
            pieces.append(tok)
        else:
            pieces += _WORD.findall(tok)
    return pieces


_CLAUSE = re.compile(r"[^\s，。、；：！？,.;:!?()（）「」『』“”\"]+")


def index_text(text: str) -> str:
    """Space-separated, lower-cased tokens for full-text indexing of a document.

    NFKC, then two readings, both indexed: OpenCC ``tw2sp`` (Simplified script, mainland
    vocabulary: 資料 and 数据, 網際網路 and 互联网 index alike) and plain ``t2s`` (the words as
    written, in Simplified script).  The second reading is needed because ``tw2sp`` also rewrites
    mainland words that Taiwan spells differently (程序 → 进程, 文件 → 文档, 尼日利亚 → 尼日尔利亚),
    so a mainland 程序 and a Taiwanese 程式 (→ 程序) would otherwise never meet; the query side
    picks the reading by the query's script (:func:`query_readings`).  Only clauses where the two
    readings differ are segmented twice.  jieba's search mode adds the dictionary words inside
    long words, so that a two-character query (数据) matches 大数据.  Punctuation is dropped.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    view = converter("tw2sp").convert(text)
    pieces = _index_pieces(view)
    plain = converter("t2s").convert(text)
    if plain != view:
        # OpenCC phrases never cross punctuation or spaces, so both readings have the same clauses
        # in the same order: only clauses that differ are segmented again
        ours, theirs = _CLAUSE.findall(plain), _CLAUSE.findall(view)
        if len(ours) != len(theirs):  # not expected; convert clause by clause instead
            clauses = _CLAUSE.findall(text)
            ours = [converter("t2s").convert(c) for c in clauses]
            theirs = [converter("tw2sp").convert(c) for c in clauses]
        have = set(pieces)
        for mine, other in zip(ours, theirs):
            if mine != other:
                pieces += [p for p in _index_pieces(mine) if p not in have]
    return " ".join(pieces).lower()


def query_readings(query: str) -> list[str]:
    """The readings of a query to search for, as index-ready token strings (one or two).

    A query in Traditional script is read with ``tw2sp`` (軟體 → 软件), one in Simplified script as
    written (程序 stays 程序: the index holds the as-written reading of every document, and the
    ``tw2sp`` reading of a Taiwanese 程式 is 程序).  A query with no script-specific character
    (程序, 核心) could be either, so both readings are searched when they differ.
    """
    from .script import detect_script

    if not query:
        return [""]
    query = unicodedata.normalize("NFKC", query)
    view = " ".join(_index_pieces(converter("tw2sp").convert(query))).lower()
    plain = " ".join(_index_pieces(converter("t2s").convert(query))).lower()
    if view == plain:
        return [view]
    script = detect_script(query)
    if script == "trad":
        return [view]
    if script == "simp":
        return [plain]
    return [view, plain]
