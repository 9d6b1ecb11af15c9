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
        self.H = int(meta["hidden"])
        f = lambda k: z[k].astype(np.float32)  # noqa: E731
        self.trans, self.start, self.end = f("crf_trans"), f("crf_start"), f("crf_end")
        self.out_w, self.out_b = f("out_w"), f("out_b")
        d_c, d_b = z["char_emb"].shape[1], z["bigram_emb"].shape[1]
        self.w_hh, self.bias, self.p_char, self.bigram_emb, self.w_bl, self.w_br, self.w_lex = [], [], [], None, [], [], []
        self.bigram_emb = f("bigram_emb")
        char_emb = f("char_emb")
        for d in ("f", "b"):
            w_ih = f(f"w_ih_{d}")  # (4H, d_c + 2 d_b + 12)
            self.w_hh.append(np.ascontiguousarray(f(f"w_hh_{d}").T))
            self.bias.append(f(f"b_{d}"))
            # A linear layer over a looked-up embedding is a lookup in the projected table:
            # project the (small) character table once instead of every character every time.
            self.p_char.append(char_emb @ w_ih[:, :d_c].T)
            self.w_bl.append(np.ascontiguousarray(w_ih[:, d_c:d_c + d_b].T))
            self.w_br.append(np.ascontiguousarray(w_ih[:, d_c + d_b:d_c + 2 * d_b].T))
            self.w_lex.append(np.ascontiguousarray(w_ih[:, d_c + 2 * d_b:].T))

    def _inputs(self, c, bl, br, lex, d):
        ub, inv = np.unique(np.concatenate([bl, br]), return_inverse=True)
        emb = self.bigram_emb[ub]
        pl, pr = emb @ self.w_bl[d], emb @ self.w_br[d]
        n = len(bl)
        return self.p_char[d][c] + pl[inv[:n]] + pr[inv[n:]] + lex @ self.w_lex[d] + self.bias[d]

    def _lstm(self, x: np.ndarray, d: int) -> np.ndarray:
        """x: (B, T, 4H) pre-activations → (B, T, H); padding sits at the end of each row."""
        B, T, _ = x.shape
        H = self.H
        h = np.zeros((B, H), np.float32)
        cst = np.zeros((B, H), np.float32)
        out = np.empty((B, T, H), np.float32)
        w = self.w_hh[d]
        for t in range(T):
            g = x[:, t] + h @ w
            s = 1.0 / (1.0 + np.exp(-g[:, :3 * H]))  # i, f, o gates (reordered at export)
            cst = s[:, H:2 * H] * cst + s[:, :H] * np.tanh(g[:, 3 * H:])
            h = s[:, 2 * H:] * np.tanh(cst)
            out[:, t] = h
        return out

    def tag_chunks(self, strings: list[str]) -> list[np.ndarray]:
        """Best tag ids for each (already simplified) chunk, one batch for all."""
        if not strings:
            return []
        lens = np.array([len(s) for s in strings])
        B, T = len(strings), int(lens.max())
        enc = [encode("".join(norm_char(c) for c in s), self.chars, self.bigrams) for s in strings]
        c, bl, br, lex = (np.concatenate([e[k] for e in enc]) for k in range(4))
        lex = lex.astype(np.float32)
        rows = np.repeat(np.arange(B), lens)
        cols = np.arange(len(c)) - np.repeat(np.cumsum(lens) - lens, lens)
        rcols = np.repeat(lens, lens) - 1 - cols  # position within the reversed row
        feats = []
        for d, colidx in ((0, cols), (1, rcols)):
            x = np.zeros((B, T, 4 * self.H), np.float32)
            x[rows, colidx] = self._inputs(c, bl, br, lex, d)
            feats.append(self._lstm(x, d)[rows, colidx])
        em = np.concatenate(feats, axis=1) @ self.out_w.T + self.out_b  # (N, K)
        E = np.full((B, T, len(TAGS)), 0.0, np.float32)
        E[rows, cols] = em
        return self._viterbi(E, lens)

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

    def tag(self, text: str, batch: int = 512) -> list[tuple[int, int, str]]:
        """Entity spans (start, end, PER/LOC/ORG) with offsets into ``text``."""
        simp = simplified_same_length(text)
        spans = chunks(simp)
        spans.sort(key=lambda ab: ab[1] - ab[0])  # similar lengths share a batch: less padding
        out: list[tuple[int, int, str]] = []
        for i in range(0, len(spans), batch):
            part = spans[i:i + batch]
            for (a, _), tags in zip(part, self.tag_chunks([simp[x:y] for x, y in part])):
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
