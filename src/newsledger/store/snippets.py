"""Snippets of the ORIGINAL text with the query's matches marked.

The index and the query live in the normalised view (Simplified script, mainland vocabulary,
lower case), but a reader wants to see the article as written: 人工智慧 marked when the query was
人工智能.  So the query terms are looked up in ``simplified_view(text).text`` (with a
length-preserving NFKC/lower-case fold per character, because ``index_text`` folds case and width
too) and every hit is mapped back to the original with ``View.span_to_original``.  Lengths may
differ between the view and the original (網際網路 → 互联网): only the mapping is trusted.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

Piece = tuple[str, bool]


@dataclass(frozen=True, slots=True)
class Snippet:
    pieces: list[Piece]  # consecutive pieces of text[start:end], is_match marks the query's terms
    start: int  # offsets of the snippet in the field's original text
    end: int
    field: str  # "body" or "title"


class _FoldTable(dict):
    """``str.translate`` table, filled on demand: each character to its NFKC, lower-case form
    when that is one character (so offsets stay valid), else to itself."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        n = unicodedata.normalize("NFKC", ch).lower()
        self[code] = out = n if len(n) == 1 else ch
        return out


_FOLD = _FoldTable()


def _fold(view_text: str) -> str:
    """Fold width and case character by character, keeping the length (offsets stay valid)."""
    return view_text.translate(_FOLD)


def _select_terms(hay: str, terms: Sequence[str]) -> list[str]:
    """The folded terms to mark, longest first.  A sub-word that search mode added (人工, 智能 of
    人工智能) is kept only when no longer term containing it occurs in the text, so the 智能 of
    another word is not marked when 人工智慧 is there."""
    chosen: list[str] = []
    for t in sorted({_fold(x) for x in terms if x}, key=len, reverse=True):
        if t and t in hay and not any(t in longer for longer in chosen):
            chosen.append(t)
    return chosen


def find_matches(text: str, terms: Sequence[str], window: int | None = None) -> list[tuple[int, int]]:
    """Spans of ``text`` (original offsets, merged, sorted) where a normalised term occurs.

    Building the offset-mapped view is the costly step, so it is built only for sentences whose
    plain ``tw2sp`` conversion contains a term (OpenCC phrases never span sentence ends), and, with
    ``window``, only up to ``window`` characters past the first match.
    """
    if not text or not terms:
        return []
    from ..text.script import _char_t2s, converter, simplified_view
    from ..text.sentences import split_sentences
    from .fts import term_tokens

    terms = term_tokens(terms)
    tw2sp = converter("tw2sp").convert
    # the index holds two readings (see segment.index_text): tw2sp's, and the words as written
    # in Simplified script, which has the original's length (offsets map one to one)
    chosen = _select_terms(_fold(tw2sp(text)) + "\n" + _fold(_char_t2s(text)), terms)
    if not chosen:
        return []
    spans: list[tuple[int, int]] = []
    stop = len(text)
    for s0, e0 in split_sentences(text) or [(0, len(text))]:
        if s0 >= stop:
            break
        sent = text[s0:e0]
        plain = _fold(_char_t2s(sent))
        for t in chosen:
            i = plain.find(t)
            while i >= 0:
                spans.append((s0 + i, s0 + i + len(t)))
                i = plain.find(t, i + len(t))
        if any(t in _fold(tw2sp(sent)) for t in chosen):
            view = simplified_view(sent)
            hay = _fold(view.text)
            for t in chosen:
                i = hay.find(t)
                while i >= 0:
                    s, e = view.span_to_original(i, i + len(t))
                    if e > s:
                        spans.append((s0 + s, s0 + e))
                    i = hay.find(t, i + len(t))
        if spans and window is not None:
            stop = min(stop, min(spans)[0] + window)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _is_break(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] == "P"


def _clause_start(text: str, start: int, first: int, reach: int = 12) -> int:
    """``start`` moved to the beginning of a clause, so a snippet does not open mid-word (服器 of
    伺服器): just after a punctuation mark or space at most ``reach`` characters before it, else
    the first one between it and the first match, else ``start`` itself."""
    if start == 0:
        return 0
    for k in range(start - 1, max(-1, start - 1 - reach), -1):
        if _is_break(text[k]):
            return k + 1
    for k in range(start, first):
        if _is_break(text[k]):
            return k + 1
    return start


def cut(text: str, matches: Sequence[tuple[int, int]], width: int) -> tuple[list[Piece], int, int]:
    """Pieces of a window of about ``width`` characters around the first matches."""
    if not matches:
        end = min(len(text), width)
        return ([(text[:end], False)] if end else []), 0, end
    first = matches[0][0]
    start = _clause_start(text, max(0, first - width // 4), first)
    end = min(len(text), max(start + width, matches[0][1]))
    pieces: list[Piece] = []
    pos = start
    for s, e in matches:
        if s >= end:
            break
        if s > pos:
            pieces.append((text[pos:s], False))
        pieces.append((text[max(s, pos):e], True))
        pos = e
        end = max(end, e)
    if pos < end:
        pieces.append((text[pos:end], False))
    return pieces, start, end


def build_snippet(title: str, body: str, terms: Sequence[str], width: int = 120) -> Snippet:
    """The snippet for one hit: from the body when the terms occur there, else from the title."""
    body_matches = find_matches(body, terms, window=width)
    if body_matches or not title:
        pieces, s, e = cut(body, body_matches, width)
        return Snippet(pieces, s, e, "body")
    title_matches = find_matches(title, terms, window=width)
    if title_matches:
        pieces, s, e = cut(title, title_matches, width)
        return Snippet(pieces, s, e, "title")
    pieces, s, e = cut(body, [], width)
    return Snippet(pieces, s, e, "body")


__all__ = ["Piece", "Snippet", "find_matches", "cut", "build_snippet"]
