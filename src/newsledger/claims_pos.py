"""Part-of-speech tokens for metric phrases (jieba ``posseg``), with offsets.

``newsledger.text.segment.tokens`` gives words without tags; metrics need the tags (noun vs
verb), so this module keeps its own jieba POS tokenizer.  Its cache lives under
``~/.cache/newsledger`` (never /tmp, which may belong to another user).  Input is expected in
Simplified script (callers pass the ``t2s`` view), which is what jieba's dictionary knows.

The tokenizer loads on the first non-empty call only.  Building it the documented way (jieba's
prefix dictionary from its cache, the tag table parsed from ``dict.txt``, then ``add_word`` for
our nouns) costs ~1 CPU s; the finished state (prefix dictionary, total, tag table) is kept in one
marshal file beside jieba's cache and read back in one ``marshal.loads``, which gives the same
tokenizer in about a third of the time.  The file is keyed by jieba's version, its dictionary
file and our noun list, and rebuilt when any of them changes.
"""
from __future__ import annotations

import gc
import hashlib
import logging
import marshal
import os
from functools import lru_cache
from pathlib import Path

_FORMAT = 1  # bump when the cached state changes shape


def _cache_dir() -> Path:
    return Path(os.environ.get("NEWSLEDGER_CACHE", Path.home() / ".cache" / "newsledger"))


def _state_file(jieba, dictionary: str | None, nouns: tuple[str, ...], cache: Path) -> Path:
    path = dictionary or os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME)
    st = os.stat(path)
    key = repr((_FORMAT, jieba.__version__, path, st.st_size, st.st_mtime_ns, nouns))
    return cache / f"claims-pos-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}.marshal"


def _load_state(path: Path):
    try:
        data = path.read_bytes()  # one read: marshal.load on a file object reads piecemeal
    except OSError:
        return None
    enabled = gc.isenabled()
    gc.disable()  # ~850k new objects, none cyclic: collections during the load are wasted work
    try:
        state = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    finally:
        if enabled:
            gc.enable()
    ok = (isinstance(state, tuple) and len(state) == 3 and isinstance(state[0], dict)
          and isinstance(state[1], int) and isinstance(state[2], dict))
    return state if ok else None


def _save_state(path: Path, state) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(marshal.dumps(state))
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the new one
    except OSError:  # a read-only cache folder only costs speed
        try:
            tmp.unlink()
        except OSError:
            pass


def _import_posseg(cache: Path, tags: dict | None):
    """``jieba.posseg``.  Importing it builds a tagger over jieba's default dictionary, reading the
    whole of dict.txt in Python (0.7 s of every CLI start); with our tag table cached (``tags``),
    the import reads an empty dictionary instead and its tagger gets the cached table."""
    import sys

    import jieba

    if tags is None or "jieba.posseg" in sys.modules:
        import jieba.posseg

        return jieba.posseg
    empty = cache / "empty-dict.txt"
    try:
        empty.touch()
    except OSError:  # a read-only cache folder only costs speed
        import jieba.posseg

        return jieba.posseg
    saved = jieba.dt.dictionary
    jieba.dt.dictionary = str(empty)
    try:
        import jieba.posseg
    finally:
        jieba.dt.dictionary = saved
    jieba.posseg.dt.word_tag_tab = tags  # dict.txt's tags (and the metric nouns below)
    return jieba.posseg


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba

    from .claims_rules import metric_nouns

    jieba.setLogLevel(logging.WARNING)
    cache = _cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    base = jieba.Tokenizer()
    base.tmp_dir = str(cache)
    base.cache_file = str(cache / "jieba.cache")
    nouns = metric_nouns()
    path = _state_file(jieba, base.dictionary, nouns, cache)
    state = _load_state(path)
    posseg = _import_posseg(cache, state[2] if state is not None else None)
    if state is None:
        for w in nouns:
            base.add_word(w, freq=50000, tag="n")  # nouns in metrics (占比, 产能) that jieba splits or tags as verbs
        tok = posseg.POSTokenizer(base)
        tok.makesure_userdict_loaded()  # the nouns' tags join the tag table
        _save_state(path, (base.FREQ, base.total, tok.word_tag_tab))
        return tok
    base.FREQ, base.total, tags = state
    base.initialized = True
    tok = posseg.POSTokenizer.__new__(posseg.POSTokenizer)  # skip re-reading dict.txt
    tok.tokenizer = base
    tok.word_tag_tab = tags
    return tok


@lru_cache(maxsize=65536)
def pos_tokens(s: str) -> tuple[tuple[str, str, int, int], ...]:
    """(word, flag, start, end) for each token of ``s``; offsets index ``s``."""
    if not s:
        return ()  # no need to load the tokenizer
    out = []
    i = 0
    for pair in _tokenizer().cut(s, HMM=True):
        w, f = pair.word, pair.flag
        out.append((w, f, i, i + len(w)))
        i += len(w)
    return tuple(out)
