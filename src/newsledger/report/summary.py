"""One-line extractive summaries: pick the sentence of an article that says the most.

Score per sentence: early position (news leads first), figures and entities it holds, a length near
a readable line; quotations and very short fragments lose.  The chosen sentence is returned as
written (trimmed at a clause boundary when it is long), never rewritten.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Extraction

MAX_CHARS = 110
_CLAUSE_END = re.compile(r"[,，;；:：]")


def _sentences(text: str) -> list[tuple[int, int]]:
    from ..text.sentences import split_sentences

    return list(split_sentences(text))


def summarise(body: str, extraction: Extraction | None = None, sentences: Sequence[tuple[int, int]] | None = None) -> str:
    """The most informative sentence of ``body`` (≤ MAX_CHARS, ending at a clause boundary)."""
    sents = list(sentences) if sentences is not None else _sentences(body)
    if not sents:
        return body.strip()[:MAX_CHARS]
    figs = sorted(f.start for f in extraction.figures) if extraction else []
    ents = sorted(e.start for e in extraction.entities) if extraction else []
    best, best_score = sents[0], float("-inf")
    for i, (a, b) in enumerate(sents[:40]):
        s = body[a:b].strip()
        n = len(s)
        if n < 12:
            continue
        nf = sum(1 for x in figs if a <= x < b)
        ne = sum(1 for x in ents if a <= x < b)
        score = 3.0 / (1 + i) + 0.8 * min(nf, 3) + 0.5 * min(ne, 4) - abs(n - 60) / 60
        if s.startswith(("“", "\"", "「", "『", "▲", "(", "（")):
            score -= 2.5
        if score > best_score:
            best, best_score = (a, b), score
    s = body[best[0] : best[1]].strip()
    if len(s) > MAX_CHARS:
        cut = [m.start() for m in _CLAUSE_END.finditer(s, 0, MAX_CHARS)]
        s = (s[: cut[-1]] if cut and cut[-1] > 20 else s[:MAX_CHARS]) + "…"
    return s
