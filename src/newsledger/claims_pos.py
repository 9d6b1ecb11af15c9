"""Part-of-speech tokens for metric phrases (jieba ``posseg``), with offsets.

``newsledger.text.segment.tokens`` gives words without tags; metrics need the tags (noun vs
verb), so this module keeps its own jieba POS tokenizer.  Its cache lives under
``~/.cache/newsledger`` (never /tmp, which may belong to another user).  Input is expected in
Simplified script (callers pass the ``t2s`` view), which is what jieba's dictionary knows.
"""
from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    cache = Path(os.environ.get("NEWSLEDGER_CACHE", Path.home() / ".cache" / "newsledger"))
    cache.mkdir(parents=True, exist_ok=True)
    base = jieba.Tokenizer()
    base.tmp_dir = str(cache)
    base.cache_file = str(cache / "jieba.cache")
    from .claims_rules import metric_nouns

    for w in metric_nouns():
        base.add_word(w, freq=50000, tag="n")  # nouns in metrics (占比, 产能) that jieba splits or tags as verbs
    return jieba.posseg.POSTokenizer(base)


@lru_cache(maxsize=65536)
def pos_tokens(s: str) -> tuple[tuple[str, str, int, int], ...]:
    """(word, flag, start, end) for each token of ``s``; offsets index ``s``."""
    out = []
    i = 0
    for pair in _tokenizer().cut(s, HMM=True):
        w, f = pair.word, pair.flag
        out.append((w, f, i, i + len(w)))
        i += len(w)
    return tuple(out)
