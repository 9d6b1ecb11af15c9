"""Statistical NER: a character BiLSTM-CRF run in plain numpy (no torch at inference).

The model (trained by ``scripts/train_ner.py`` on MSRA) reads, per character: a character
embedding, the embeddings of the bigrams to its left and right, and 12 lexicon bits
(is it the Begin/Middle/End of a jieba-dictionary word tagged person / place / organisation /
anything).  The lexicon bits come from one Aho-Corasick pass over jieba's own dictionary, so
they cost far less than segmenting.  Weights ship in ``data/ner/model.npz`` (fp16).

Inference is batched: a text is cut into chunks (sentences, long ones at commas), the chunks are
padded into one matrix and the LSTM loops over positions, vectorised over chunks; Viterbi too.
Traditional text is tagged through a length-preserving OpenCC ``t2s`` view, so offsets need no map.
"""
from __future__ import annotations

import functools
import json
import os
import pickle
import re
import unicodedata
from pathlib import Path

import numpy as np

from ..errors import ConfigError

DATA = Path(__file__).parent / "data" / "ner"
MODEL_PATH = DATA / "model.npz"
TAGS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG")
LEX_CATS = {"nr": 0, "nrt": 0, "nrfg": 0, "ns": 1, "nt": 2}  # jieba tag → category; 3 = any word
N_LEX = 12
MAX_CHUNK = 120
_CUT = re.compile(r"[。！？!?；;\n\r]+|(?<=[」”』\"])")
_SOFT = re.compile(r"[，,、：:]")


def cache_dir() -> Path:
    d = Path(os.environ.get("NEWSLEDGER_CACHE", Path.home() / ".cache" / "newsledger"))
    d.mkdir(parents=True, exist_ok=True)
    return d


@functools.lru_cache(maxsize=None)
def norm_char(c: str) -> str:
    """Fold a character the way the model saw it: NFKC (full-width → ASCII), digits → 0, lower case."""
    n = unicodedata.normalize("NFKC", c)
    if len(n) != 1:
        n = c
    if n.isdigit():
        return "0"
    return n.lower() if n.isascii() else n


@functools.lru_cache(maxsize=1)
def lexicon():
    """Aho-Corasick automaton over jieba's dictionary: word → (length, category bitmask).

    Built once (≈ 3 s) and pickled under the cache folder, keyed on the dictionary's size.
    """
    import ahocorasick
    import jieba

    dic = Path(jieba.__file__).parent / "dict.txt"
    key = f"lexicon-{dic.stat().st_size}-v1.pkl"
    path = cache_dir() / key
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    auto = ahocorasick.Automaton()
    with dic.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2 or not 2 <= len(parts[0]) <= 8:
                continue
            w = "".join(norm_char(c) for c in parts[0])
            cat = LEX_CATS.get(parts[2] if len(parts) > 2 else "", 3)
            mask = (1 << 3) | (1 << cat)
            old = auto.get(w, (0, 0))[1]
            auto.add_word(w, (len(w), mask | old))
    auto.make_automaton()
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(auto, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return auto


_BITS = np.array([1, 2, 4, 8], dtype=np.uint8)


def lex_features(s: str) -> np.ndarray:
    """(len(s), 12) uint8: for each category (PER, LOC, ORG, any) is the char a B / M / E of a word."""
    n = len(s)
    out = np.zeros((n, N_LEX), dtype=np.uint8)
    hits = list(lexicon().iter(s))
    if not hits:
        return out
    ends = np.fromiter((h[0] for h in hits), dtype=np.int64, count=len(hits))
    lens = np.fromiter((h[1][0] for h in hits), dtype=np.int64, count=len(hits))
    masks = np.fromiter((h[1][1] for h in hits), dtype=np.uint8, count=len(hits))
    starts = ends - lens + 1
    b = np.zeros(n, np.uint8)
    e = np.zeros(n, np.uint8)
    m = np.zeros(n, np.uint8)
    np.bitwise_or.at(b, starts, masks)
    np.bitwise_or.at(e, ends, masks)
    inner = lens - 2
    if inner.sum():
        sel = inner > 0
        rep = np.repeat(np.arange(len(hits))[sel], inner[sel])
        offs = np.arange(len(rep)) - np.repeat(np.cumsum(inner[sel]) - inner[sel], inner[sel])
        np.bitwise_or.at(m, starts[rep] + 1 + offs, masks[rep])
    for k, arr in enumerate((b, m, e)):
        out[:, k::3] = (arr[:, None] & _BITS) > 0
    return out


def encode(s: str, chars: dict, bigrams: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ids of a (normalised) chunk: chars, left bigrams, right bigrams, lexicon bits."""
    unk_c = 1
    unk_b = 1
    c_ids = np.fromiter((chars.get(c, unk_c) for c in s), dtype=np.int64, count=len(s))
    padded = "\x02" + s + "\x03"
    bg = np.fromiter((bigrams.get(padded[i:i + 2], unk_b) for i in range(len(s) + 1)), dtype=np.int64,
                     count=len(s) + 1)
    return c_ids, bg[:-1], bg[1:], lex_features(s)


def chunks(text: str, max_len: int = MAX_CHUNK) -> list[tuple[int, int]]:
    """Cut text into sentence-like chunks (start, end); long ones at commas, then hard at max_len."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _CUT.finditer(text + "\n"):
        a, b = pos, min(m.end(), len(text))
        pos = m.end()
        while b - a > max_len:
            cut = None
            for sm in _SOFT.finditer(text, a + 20, a + max_len):
                cut = sm.end()
            cut = cut or a + max_len
            out.append((a, cut))
            a = cut
        if b > a and text[a:b].strip():
            out.append((a, b))
    return out


@functools.lru_cache(maxsize=1)
def _blas_controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def simplified_same_length(text: str) -> str:
    """OpenCC t2s, kept only where it preserves length (else converted character by character)."""
    conv = _t2s().convert(text)
    if len(conv) == len(text):
        return conv
    out = []
    for c in text:
        d = _t2s().convert(c)
        out.append(d if len(d) == 1 else c)
    return "".join(out)


class Tagger:
    """The exported BiLSTM-CRF: ``tag(text) -> [(start, end, 'PER'|'LOC'|'ORG')]``."""

    def __init__(self, path: Path = MODEL_PATH):
        if not path.exists():
            raise ConfigError(f"NER model {path} is missing: run scripts/train_ner.py or reinstall newsledger")
        z = np.load(path, allow_pickle=False)
        meta = json.loads(str(z["meta"]))
        self.chars = {c: i for i, c in enumerate(meta["chars"])}
        self.bigrams = {b: i for i, b in enumerate(meta["bigrams"])}
        self.H = H = int(meta["hidden"])
        f = lambda k: z[k].astype(np.float32)  # noqa: E731
        self.trans, self.start, self.end = f("crf_trans"), f("crf_start"), f("crf_end")
        self.out_w, self.out_b = np.ascontiguousarray(f("out_w").T), f("out_b")
        d_c, d_b = z["char_emb"].shape[1], z["bigram_emb"].shape[1]
        # sigmoid(x) = (tanh(x/2) + 1) / 2: halve the i, f, o rows once so each step needs one tanh.
        scale = np.concatenate([np.full(3 * H, 0.5, np.float32), np.ones(H, np.float32)])
        w_ih = np.concatenate([f("w_ih_f"), f("w_ih_b")]) * np.tile(scale, 2)[:, None]  # (8H, D)
        bias = np.concatenate([f("b_f"), f("b_b")]) * np.tile(scale, 2)
        self.w_hh = [np.ascontiguousarray((f(f"w_hh_{d}") * scale[:, None]).T) for d in ("f", "b")]
        # A linear layer over a looked-up embedding is a lookup in the projected table:
        # project the (small) character table once, not every character every time.
        self.p_char = f("char_emb") @ w_ih[:, :d_c].T + bias  # (n_chars, 8H), bias folded in
        self.bigram_emb = f("bigram_emb")
        self.w_bl = np.ascontiguousarray(w_ih[:, d_c:d_c + d_b].T)
        self.w_br = np.ascontiguousarray(w_ih[:, d_c + d_b:d_c + 2 * d_b].T)
        self.w_lex = np.ascontiguousarray(w_ih[:, d_c + 2 * d_b:].T)

    def _ids(self, norm: str, spans: list[tuple[int, int]]):
        """Char ids, left/right bigram ids and lexicon bits of every chunk, flattened in chunk order."""
        n = len(norm)
        cids = np.fromiter((self.chars.get(c, 1) for c in norm), np.int64, n)
        bg = np.fromiter((self.bigrams.get(norm[i:i + 2], 1) for i in range(n - 1)), np.int64, max(0, n - 1))
        lex = lex_features(norm)
        lens = np.array([b - a for a, b in spans])
        starts = np.array([a for a, _ in spans])
        first = np.cumsum(lens) - lens  # offsets of chunk starts in the flat arrays
        idx = np.repeat(starts - first, lens) + np.arange(lens.sum())
        left = np.concatenate([[1], bg])[idx]  # bigram ending at i
        right = np.concatenate([bg, [1]])[idx]  # bigram starting at i
        left[first] = [self.bigrams.get("\x02" + norm[a], 1) for a, _ in spans]
        right[first + lens - 1] = [self.bigrams.get(norm[b - 1] + "\x03", 1) for _, b in spans]
        lex = lex[idx]
        # a dictionary word that crosses a chunk edge was not seen in training: drop its bits there
        return cids[idx], left, right, lex, lens

    def _lstm(self, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        """x: (B, T, 4H) pre-activations → (B, T, H); padding sits at the end of each row."""
        B, T, _ = x.shape
        H = self.H
        h = np.zeros((B, H), np.float32)
        cst = np.zeros((B, H), np.float32)
        g = np.empty((B, 4 * H), np.float32)
        out = np.empty((B, T, H), np.float32)
        for t in range(T):
            np.matmul(h, w, out=g)
            g += x[:, t]
            np.tanh(g, out=g)
            s = g[:, :3 * H]
            s += 1.0
            s *= 0.5  # i, f, o gates (reordered at export)
            cst *= s[:, H:2 * H]
            cst += s[:, :H] * g[:, 3 * H:]
            np.tanh(cst, out=h)
            h *= s[:, 2 * H:]
            out[:, t] = h
        return out

    def _batch(self, c, bl, br, lex, lens) -> list[np.ndarray]:
        """Best tag ids for a batch of chunks given their flat feature arrays."""
        B, T, H4 = len(lens), int(lens.max()), 4 * self.H
        ub, inv = np.unique(np.concatenate([bl, br]), return_inverse=True)
        emb = self.bigram_emb[ub]
        n = len(bl)
        x = self.p_char[c]
        x += (emb @ self.w_bl)[inv[:n]]
        x += (emb @ self.w_br)[inv[n:]]
        x += lex.astype(np.float32) @ self.w_lex
        rows = np.repeat(np.arange(B), lens)
        cols = np.arange(n) - np.repeat(np.cumsum(lens) - lens, lens)
        rcols = np.repeat(lens, lens) - 1 - cols  # position within the reversed row
        feats = np.empty((n, 2 * self.H), np.float32)
        for d, colidx in ((0, cols), (1, rcols)):
            xs = np.zeros((B, T, H4), np.float32)
            xs[rows, colidx] = x[:, d * H4:(d + 1) * H4]
            feats[:, d * self.H:(d + 1) * self.H] = self._lstm(xs, self.w_hh[d])[rows, colidx]
        E = np.zeros((B, T, len(TAGS)), np.float32)
        E[rows, cols] = feats @ self.out_w + self.out_b
        return self._viterbi(E, lens)

    def tag_chunks(self, strings: list[str]) -> list[np.ndarray]:
        """Best tag ids for each (already simplified) string, tagged as one batch."""
        if not strings:
            return []
        norm = "".join(norm_char(c) for s in strings for c in s)
        spans, pos = [], 0
        for s in strings:
            spans.append((pos, pos + len(s)))
            pos += len(s)
        return self._batch(*self._ids(norm, spans))

    def _viterbi(self, E: np.ndarray, lens: np.ndarray) -> list[np.ndarray]:
        B, T, K = E.shape
        score = self.start + E[:, 0]
        back = np.zeros((B, T, K), np.int8)
        for t in range(1, T):
            cand = score[:, :, None] + self.trans[None]
            best = cand.argmax(1)
            new = np.take_along_axis(cand, best[:, None, :], 1)[:, 0] + E[:, t]
            live = (t < lens)[:, None]
            score = np.where(live, new, score)
            back[:, t] = np.where(live, best, np.arange(K)[None])
        last = (score + self.end).argmax(1)
        paths = np.zeros((B, T), np.int64)
        paths[:, T - 1] = last
        for t in range(T - 1, 0, -1):
            paths[:, t - 1] = back[np.arange(B), t, paths[:, t]]
        return [paths[i, : lens[i]] for i in range(B)]

    def tag(self, text: str, batch: int = 96) -> list[tuple[int, int, str]]:
        """Entity spans (start, end, PER/LOC/ORG) with offsets into ``text``."""
        # One BLAS thread: these matrices are small, and threads fighting over the shared cores
        # made each product ~25x slower when measured here.
        with _blas_controller().limit(limits=1, user_api="blas"):
            return self._tag(text, batch)

    def _tag(self, text: str, batch: int) -> list[tuple[int, int, str]]:
        simp = simplified_same_length(text)
        spans = chunks(simp)
        if not spans:
            return []
        spans.sort(key=lambda ab: ab[1] - ab[0])  # similar lengths share a batch: less padding
        norm = "".join(norm_char(c) for c in simp)
        c, bl, br, lex, lens = self._ids(norm, spans)
        bounds = np.concatenate([[0], np.cumsum(lens)])
        out: list[tuple[int, int, str]] = []
        for i in range(0, len(spans), batch):
            j = min(i + batch, len(spans))
            lo, hi = bounds[i], bounds[j]
            paths = self._batch(c[lo:hi], bl[lo:hi], br[lo:hi], lex[lo:hi], lens[i:j])
            for (a, _), tags in zip(spans[i:j], paths):
                out.extend((a + s, a + e, t) for s, e, t in bio_spans(tags))
        out.sort()
        return out


def bio_spans(tags) -> list[tuple[int, int, str]]:
    """(start, end, type) from BIO tag ids; an I- without its B- starts a span."""
    out = []
    cur = None
    for i, t in enumerate(list(tags) + [0]):
        name = TAGS[t]
        if cur and (name == "O" or name.startswith("B-") or name[2:] != cur[1]):
            out.append((cur[0], i, cur[1]))
            cur = None
        if name != "O" and cur is None:
            cur = (i, name[2:])
    return out


@functools.lru_cache(maxsize=1)
def tagger() -> Tagger:
    return Tagger()
