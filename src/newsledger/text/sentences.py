"""Sentence spans of Chinese news text, as offsets into the original.

Written by hand because the libraries that split Chinese sentences (jieba, HanLP, spaCy's
sentencizer) either return strings without offsets or do not keep closing quotes with their
sentence.  A sentence ends after a run of 。！？!? ；; or an ellipsis ……, plus the closing quotes
and brackets right after it (。」 ！” ？）), or at a line break.  ASCII ``.`` never ends a
sentence (3.5萬, "1. 美國").  Spans exclude surrounding whitespace; empty sentences are dropped.
"""
from __future__ import annotations

import re

__all__ = ["split_sentences"]

_TERMINATORS = "。！？!?；;｡"
_CLOSERS = "”’」』）)】》〉〕］]｝}"
_STRAIGHT_QUOTES = "\"'"
# a terminator run (or an ellipsis), or a line break
_BREAK = re.compile(rf"[{re.escape(_TERMINATORS)}]+|…{{2,}}|\.{{3,}}|[\r\n\u2028\u2029\x85]+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``[(start, end), ...]`` of the sentences of ``text``; ``text[start:end]`` is one sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for m in _BREAK.finditer(text):
        if m.start() < start:  # inside closers already absorbed
            continue
        end = m.end()
        if not m.group()[0] in "\r\n\u2028\u2029\x85":
            # keep closing quotes/brackets (and further terminators) with the sentence
            while end < n:
                ch = text[end]
                if ch in _CLOSERS or ch in _TERMINATORS:
                    end += 1
                elif ch in _STRAIGHT_QUOTES and text.count(ch, start, end) % 2 == 1:
                    end += 1  # closes a quote opened in this sentence
                else:
                    break
        _add(text, start, end, spans)
        start = end
    _add(text, start, n, spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
