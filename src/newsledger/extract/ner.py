"""Statistical NER: a character BiLSTM-CRF run in plain numpy (no torch at inference).

The model (trained by ``scripts/train_ner.py`` on MSRA and CLUENER) reads, per character: a character
embedding, the embeddings of the bigrams to its left and right, and 12 lexicon bits
(is it the Begin/Middle/End of a jieba-dictionary word tagged person / place / organisation /
anything).  The lexicon bits come from a vectorised hash lookup of every substring against jieba's
dictionary, far cheaper than segmenting.  Weights ship in ``data/ner/model.npz`` (fp16).

Inference (see ``Tagger``) runs all chunks of a text (sentences, long ones cut at commas) as one
packed batch, longest first, so no step is spent on padding; both directions share each step; the
input projection is table lookups; Viterbi is vectorised the same way.  ``tag_many`` shares the
batch across texts.  Traditional text is tagged through a length-preserving OpenCC ``t2s`` view,
so offsets need no map.

``ConvTagger`` runs the alternative the training script can also produce (``--arch cnn``, a
dilated CNN-CRF over the same features): 1.6× faster, but 0.04 F1 behind after the same
training time, so the shipped model is the BiLSTM.  ``load`` picks the class from the model's
metadata.
"""
from __future__ import annotations

import functools
import json
import os
import pickle
import re
import threading
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


_P = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier of the polynomial hash (mod 2**64)


def _poly_hashes(cp: np.ndarray, max_len: int) -> list[np.ndarray]:
    """hs[L][i] = hash of the L code points starting at i (L = 1..max_len), all at once."""
    hs = [np.empty(0, np.uint64), cp.astype(np.uint64) + np.uint64(1)]
    with np.errstate(over="ignore"):
        for L in range(2, max_len + 1):
            hs.append(hs[L - 1][:-1] * _P + hs[1][L - 1:])
    return hs


_FILTER_BITS = 22


@functools.lru_cache(maxsize=1)
def lexicon_table():
    """The lexicon as sorted hash arrays: ({L: (hashes, masks, code points)}, filter).

    Matching every substring of length 2..8 by hash lookup in numpy finds the same words as
    iterating the Aho-Corasick automaton, without a Python object per hit.  ``filter`` (indexed by
    a hash's top bits) rejects most non-words before the binary search; hits are confirmed by
    comparing code points, so a hash collision cannot add a word.
    """
    import jieba

    dic = Path(jieba.__file__).parent / "dict.txt"
    path = cache_dir() / f"lexicon-{dic.stat().st_size}-hash-v1.npz"
    if path.exists():
        z = np.load(path)
        lens = [int(k[1:]) for k in z.files if k.startswith("h")]
        return {n: (z[f"h{n}"], z[f"m{n}"], z[f"c{n}"]) for n in sorted(lens)}, z["filter"]
    by_len: dict[int, list[tuple[str, int]]] = {}
    for w, (n, mask) in lexicon().items():
        by_len.setdefault(n, []).append((w, mask))
    out = {}
    filt = np.zeros(1 << _FILTER_BITS, bool)
    for n, items in sorted(by_len.items()):
        cps = np.array([[ord(c) for c in w] for w, _ in items], np.int64)
        h = _poly_hashes(cps.ravel(), n)[n][::n]
        order = np.argsort(h, kind="stable")
        out[n] = (h[order], np.array([items[i][1] for i in order], np.uint8), cps[order])
        filt[h >> np.uint64(64 - _FILTER_BITS)] = True
    arrays = {f"{p}{n}": a for n, v in out.items() for p, a in zip("hmc", v)}
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")  # workers may build it at once
    np.savez(tmp, filter=filt, **arrays)
    tmp.replace(path)
    return out, filt


def _lex_hits(s: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, length, mask) of every lexicon word occurrence in ``s``."""
    table, filt = lexicon_table()
    cp = np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    hs = _poly_hashes(cp, max(table, default=1))
    starts, lens, masks = [], [], []
    for n, (keys, mk, words) in table.items():
        q = hs[n]
        cand = np.flatnonzero(filt[q >> np.uint64(64 - _FILTER_BITS)])
        if not len(cand):
            continue
        qc = q[cand]
        pos = np.minimum(np.searchsorted(keys, qc), len(keys) - 1)
        found = keys[pos] == qc
        hit, k = cand[found], pos[found]
        ok = (cp[hit[:, None] + np.arange(n)] == words[k]).all(1)
        starts.append(hit[ok])
        lens.append(np.full(int(ok.sum()), n, np.int64))
        masks.append(mk[k[ok]])
    if not starts:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.uint8)
    return np.concatenate(starts), np.concatenate(lens), np.concatenate(masks)


def _lex_bme(s: str, chunk_of: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Category masks (bit 0 PER, 1 LOC, 2 ORG, 3 any) of the words each char Begins / is inside / Ends.

    With ``chunk_of`` (chunk number per position), words that cross a chunk edge are dropped, as
    training never saw them.
    """
    n = len(s)
    b = np.zeros(n, np.uint8)
    m = np.zeros(n, np.uint8)
    e = np.zeros(n, np.uint8)
    starts, lens, masks = _lex_hits(s)
    if not len(starts):
        return b, m, e
    ends = starts + lens - 1
    if chunk_of is not None:
        keep = chunk_of[starts] == chunk_of[ends]
        ends, lens, masks, starts = ends[keep], lens[keep], masks[keep], starts[keep]
    np.bitwise_or.at(b, starts, masks)
    np.bitwise_or.at(e, ends, masks)
    inner = lens - 2
    if inner.sum():
        sel = inner > 0
        rep = np.repeat(np.arange(len(lens))[sel], inner[sel])
        offs = np.arange(len(rep)) - np.repeat(np.cumsum(inner[sel]) - inner[sel], inner[sel])
        np.bitwise_or.at(m, starts[rep] + 1 + offs, masks[rep])
    return b, m, e


def lex_features(s: str) -> np.ndarray:
    """(len(s), 12) uint8: for each category (PER, LOC, ORG, any) is the char a B / M / E of a word."""
    out = np.zeros((len(s), N_LEX), dtype=np.uint8)
    for k, arr in enumerate(_lex_bme(s)):
        out[:, k::3] = (arr[:, None] & _BITS) > 0
    return out


def _lex_index(s: str, chunk_of: np.ndarray) -> np.ndarray:
    """The 12 lexicon bits of each char packed in one int: b | m << 4 | e << 8 (see _LEX_SHIFT)."""
    b, m, e = _lex_bme(s, chunk_of)
    return b.astype(np.int64) | (m.astype(np.int64) << 4) | (e.astype(np.int64) << 8)


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


class _NormMap(dict):
    """Code point → normalised code point for ``str.translate``; filled on first sight (C-speed after)."""

    def __missing__(self, cp: int) -> int:
        v = ord(norm_char(chr(cp)))
        self[cp] = v
        return v


_NORM_MAP = _NormMap()


def normalise(s: str) -> str:
    """``norm_char`` over a whole string (same length)."""
    return s.translate(_NORM_MAP)


def _codes(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)


def _bigram_key(a, b):
    return (a << 21) | b  # code points fit in 21 bits


def _open_model(path: Path):
    if not path.exists():
        raise ConfigError(f"NER model {path} is missing: run scripts/train_ner.py or reinstall newsledger")
    z = np.load(path, allow_pickle=False)
    return z, json.loads(str(z["meta"]))


def load(path: Path = MODEL_PATH, **kw) -> "_TaggerBase":
    """The exported tagger at ``path``: ``ConvTagger`` or the BiLSTM ``Tagger``, as its metadata says."""
    z, meta = _open_model(path)
    if meta.get("arch") == "cnn":
        return ConvTagger(path)
    return Tagger(path, **kw)


class _TaggerBase:
    """What both exported taggers share: vocabularies, features, CRF decoding, batching.

    A subclass turns the features of one batch of chunks into emission scores
    (``_prepare`` once per call, ``_batch_emissions`` per batch).
    """

    def __init__(self, z, meta: dict):
        self.meta = meta
        self.chars = {c: i for i, c in enumerate(meta["chars"])}
        self.bigrams = {b: i for i, b in enumerate(meta["bigrams"])}
        self.H = int(meta["hidden"])
        f = lambda k: z[k].astype(np.float32)  # noqa: E731
        self.trans, self.start, self.end = f("crf_trans"), f("crf_start"), f("crf_end")
        self.out_b = f("out_b")
        # vectorised vocabulary lookups: a dense code point → char id table, sorted bigram keys
        cps = {ord(c): i for c, i in self.chars.items() if len(c) == 1}
        self._cid = np.ones(max(cps, default=0) + 2, np.int64)  # unknown → 1; last slot for overflow
        self._cid[list(cps)] = list(cps.values())
        bk = {_bigram_key(ord(b[0]), ord(b[1])): i for b, i in self.bigrams.items() if len(b) == 2}
        keys = np.array(sorted(bk), np.int64)
        self._bkeys = keys if len(keys) else np.array([-1], np.int64)
        self._bids = np.array([bk[k] for k in keys], np.int64) if len(keys) else np.array([1], np.int64)
        self._ws = threading.local()

    # -- features -------------------------------------------------------------------------------
    def _char_ids(self, cp: np.ndarray) -> np.ndarray:
        return self._cid[np.minimum(cp, len(self._cid) - 1)]

    def _bigram_ids(self, keys: np.ndarray) -> np.ndarray:
        pos = np.minimum(np.searchsorted(self._bkeys, keys), len(self._bkeys) - 1)
        return np.where(self._bkeys[pos] == keys, self._bids[pos], 1)

    def _features(self, norm: str, spans: list[tuple[int, int]]):
        """Per position of ``norm``: char id, bigrams (distinct ids, then 2n indices into them: left
        bigrams, right bigrams), lexicon index (b | m<<4 | e<<8).

        Bigrams at a chunk's edges use the start/end markers, as in training; dictionary words are
        matched inside each chunk only.
        """
        cp = _codes(norm)
        n = len(cp)
        cids = self._char_ids(cp)
        starts = np.fromiter((a for a, _ in spans), np.int64, len(spans))
        ends = np.fromiter((b for _, b in spans), np.int64, len(spans))
        prev = np.empty(n, np.int64)
        prev[1:] = cp[:-1]
        prev[starts] = 2
        nxt = np.empty(n, np.int64)
        nxt[:-1] = cp[1:]
        nxt[ends - 1] = 3
        # each distinct bigram is looked up once: (distinct ids, index of each left/right bigram in them)
        uk, kinv = np.unique(np.concatenate([_bigram_key(prev, cp), _bigram_key(cp, nxt)]), return_inverse=True)
        ub, binv = np.unique(self._bigram_ids(uk), return_inverse=True)
        bigrams = (ub, binv[kinv])
        chunk_of = np.full(n, -1, np.int64)
        for k, (a, b) in enumerate(spans):
            chunk_of[a:b] = k
        lex = _lex_index(norm, chunk_of)
        return cids, bigrams, lex

    def _buf(self, name: str, shape: tuple[int, ...], dtype=np.float32) -> np.ndarray:
        """A reusable work array of ``shape`` (per thread): fresh large arrays cost page faults."""
        ws = self._ws.__dict__
        size = int(np.prod(shape))
        arr = ws.get(name)
        if arr is None or arr.size < size or arr.dtype != dtype:
            arr = ws[name] = np.empty(max(size, int(size * 1.25)), dtype)
        return arr[:size].reshape(shape)

    def _viterbi(self, em: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        """Best tag id of every packed slot (rows still running at step t are a prefix)."""
        K = em.shape[1]
        B = int(sizes[0])
        score = self.start + em[:B]
        back = np.zeros((len(em), K), np.int8)
        offs = np.concatenate([[0], np.cumsum(sizes)])
        trans = np.ascontiguousarray(self.trans.T)[None]
        for t in range(1, len(sizes)):
            m, o = int(sizes[t]), int(offs[t])
            cand = score[:m, None, :] + trans  # (m, to, from): reductions over the contiguous axis
            arg = cand.argmax(2)
            back[o:o + m] = arg
            if m < 64:  # a few rows (a short text): a second reduction beats take_along_axis's set-up
                np.add(cand.max(2), em[o:o + m], out=score[:m])
            else:  # the max read back at the argmax: half the cost of a second reduction over 7 values
                np.add(np.take_along_axis(cand, arg[:, :, None], 2)[:, :, 0], em[o:o + m], out=score[:m])
        cur = (score + self.end).argmax(1)
        path = np.empty(len(em), np.int8)
        rows = np.arange(B)
        for t in range(len(sizes) - 1, -1, -1):
            m, o = int(sizes[t]), int(offs[t])
            path[o:o + m] = cur[:m]
            if t:
                cur[:m] = back[o:o + m][rows[:m], cur[:m]]
        return path

    def _run(self, norm: str, spans: list[tuple[int, int]]) -> np.ndarray:
        """Tag ids (int8) for every position of ``norm`` covered by ``spans`` (others stay O)."""
        tags = np.zeros(len(norm), np.int8)
        if not spans:
            return tags
        prep = self._prepare(self._features(norm, spans))
        order = sorted(spans, key=lambda ab: ab[0] - ab[1])  # longest first
        i = 0
        while i < len(order):  # batches of about BATCH_CHARS characters bound the memory
            j, total = i, 0
            while j < len(order) and (total < BATCH_CHARS or j == i):
                total += order[j][1] - order[j][0]
                j += 1
            batch = order[i:j]
            i = j
            starts = np.array([a for a, _ in batch], np.int64)
            lens = np.array([b - a for a, b in batch], np.int64)
            T = int(lens[0])
            sizes = np.searchsorted(-lens, -np.arange(T), side="left")  # rows with len > t
            t_of = np.repeat(np.arange(T), sizes)
            r_of = np.arange(len(t_of)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
            pos_f = starts[r_of] + t_of
            pos_b = starts[r_of] + lens[r_of] - 1 - t_of
            em = self._batch_emissions(prep, starts, lens, pos_f, pos_b, sizes)
            tags[pos_f] = self._viterbi(em, sizes)
        return tags

    def tag_chunks(self, strings: list[str]) -> list[np.ndarray]:
        """Best tag ids for each (already simplified) string, tagged as one batch."""
        spans, pos = [], 0
        for s in strings:
            spans.append((pos, pos + len(s)))
            pos += len(s)
        tags = self._run(normalise("".join(strings)), [ab for ab in spans if ab[1] > ab[0]])
        return [tags[a:b].astype(np.int64) for a, b in spans]

    def tag(self, text: str) -> list[tuple[int, int, str]]:
        """Entity spans (start, end, PER/LOC/ORG) with offsets into ``text``."""
        return self.tag_many([text])[0]

    def tag_many(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """``tag`` over several texts in shared batches (fewer, fuller steps for short texts)."""
        simp = [simplified_same_length(t) for t in texts]
        joined = "\n".join(simp)
        offs = np.cumsum([0] + [len(t) + 1 for t in simp])
        spans = [(a + int(o), b + int(o)) for t, o in zip(simp, offs) for a, b in chunks(t)]  # as if alone
        # One BLAS thread: these matrices are small, and threads fighting over the shared cores
        # made each product ~25x slower when measured here.
        with _blas_controller().limit(limits=1, user_api="blas"):
            tags = self._run(normalise(joined), spans)
        found = tag_spans(tags, spans)
        out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        k = np.searchsorted(offs, [s for s, _, _ in found], side="right") - 1
        for (s, e, t), i in zip(found, k.tolist()):
            out[i].append((s - int(offs[i]), e - int(offs[i]), t))
        return out


class Tagger(_TaggerBase):
    """The exported BiLSTM-CRF: ``tag(text) -> [(start, end, 'PER'|'LOC'|'ORG')]``.

    Inference works on a *packed* batch (as torch's PackedSequence): chunks sorted longest first,
    so at time step t the chunks still running are a prefix of the batch and no step is spent on
    padding.  Both directions advance in one stacked matmul per step.  The input projection
    W_ih·x is a sum of lookups: the character table is projected once at load (bias folded in),
    the bigrams and lexicon bits of each batch are projected once per distinct value.
    """

    def __init__(self, path: Path = MODEL_PATH, rank: int | None = None):
        """``rank``: keep this many singular values of each W_hh (default RECURRENT_RANK; 0 = all)."""
        z, meta = _open_model(path)
        super().__init__(z, meta)
        H = self.H
        f = lambda k: z[k].astype(np.float32)  # noqa: E731
        out_w = f("out_w").T  # (2H, K)
        self.out_w = [np.ascontiguousarray(out_w[:H]) * 0.5, np.ascontiguousarray(out_w[H:]) * 0.5]
        d_c, d_b = z["char_emb"].shape[1], z["bigram_emb"].shape[1]
        # sigmoid(x) = (tanh(x/2) + 1) / 2: halve the i, f, o rows once so each step needs one tanh.
        scale = np.concatenate([np.full(3 * H, 0.5, np.float32), np.ones(H, np.float32)])
        # the LSTM loop keeps 2h (one multiply less per step): halve what reads h
        # C order matters: stacking the transposes keeps their column-major layout, and numpy's
        # matmul then copies the weights at every step (measured: 4x slower for a small batch)
        self.w_hh = np.ascontiguousarray(
            np.stack([(f(f"w_hh_{d}") * scale[:, None]).T for d in ("f", "b")]) * 0.5)  # (2, H, 4H)
        # W_hh is nearly low-rank: h·W_hh ≈ (h·U)·V with U (H, r), V (r, 4H) costs 5r·H instead of
        # 4H² per char and direction.  Measured with the H=128 model, r=32: MSRA test F1 0.887 →
        # 0.885 for +17% speed, but precision on the sample's hand-annotated names 0.812 → 0.791,
        # so it is off by default (RECURRENT_RANK = 0).
        r = RECURRENT_RANK if rank is None else rank
        self.w_u = self.w_v = None
        if 0 < r < H * 4 // 5:
            u, sv, vt = np.linalg.svd(self.w_hh.astype(np.float64), full_matrices=False)
            self.w_u = np.ascontiguousarray((u[:, :, :r] * sv[:, None, :r]).astype(np.float32))  # (2, H, r)
            self.w_v = np.ascontiguousarray(vt[:, :r].astype(np.float32))  # (2, r, 4H)
        p_char, p_bl, p_br, p_lex = [], [], [], []
        for d in ("f", "b"):
            w = f(f"w_ih_{d}") * scale[:, None]  # (4H, D)
            p_char.append(f("char_emb") @ w[:, :d_c].T + f(f"b_{d}") * scale)
            p_bl.append(w[:, d_c:d_c + d_b].T)
            p_br.append(w[:, d_c + d_b:d_c + 2 * d_b].T)
            p_lex.append(w[:, d_c + 2 * d_b:].T)
        # A linear layer over a looked-up embedding is a lookup in the projected table.
        # Everything is stacked [forward, backward] on the first axis.
        self.p_char = np.stack(p_char)  # (2, n_chars, 4H), bias folded in
        self.w_bl, self.w_br, self.w_lex = (np.ascontiguousarray(np.stack(p)) for p in (p_bl, p_br, p_lex))  # (2, D, 4H)
        self.bigram_emb = f("bigram_emb")
    # -- network --------------------------------------------------------------------------------
    def _prepare(self, features):
        return self._tables(*features)

    def _batch_emissions(self, prep, starts, lens, pos_f, pos_b, sizes):
        ids, tables = prep
        return self._emissions(ids, tables, pos_f, pos_b, sizes)

    def _tables(self, cids, bigrams, lex):
        """Per text: local ids and projected tables of its distinct inputs.

        A char and its lexicon bits are looked up together (one table row per distinct pair),
        bigrams once per distinct bigram: matmuls over distinct values instead of one per char.
        Each table is (2u, 4H): u forward rows, then u backward rows.
        """
        n = len(cids)
        ucl, a = np.unique(cids * 4096 + lex, return_inverse=True)
        ub, inv = bigrams
        ul, linv = np.unique(ucl & 4095, return_inverse=True)
        bits = ((ul[:, None] >> _LEX_SHIFT) & 1).astype(np.float32)  # (u, 12) in training's column order
        plex = np.matmul(bits[None], self.w_lex)  # (2, u, 4H)
        t_cl = np.empty((2, len(ucl), 4 * self.H), np.float32)
        for d in (0, 1):
            np.take(self.p_char[d], ucl >> 12, axis=0, out=t_cl[d])
            t_cl[d] += plex[d][linv]
        emb = self.bigram_emb[ub][None]
        tables = [t.reshape(-1, 4 * self.H) for t in (t_cl, np.matmul(emb, self.w_bl), np.matmul(emb, self.w_br))]
        return (a, inv[:n], inv[n:]), tables

    def _emissions(self, ids, tables, pos_f, pos_b, sizes):
        """Emission scores (n, K) in forward packed order.

        Both packings share the slot layout; slot p is text position pos_f[p] going forward and
        pos_b[p] going backward.  The input rows are gathered step by step inside the LSTM loop
        (small blocks that stay in cache).
        """
        n = len(pos_f)
        step_ids = []
        for idx, tab in zip(ids, tables):
            both = np.empty((2, n), np.int64)
            both[0] = idx[pos_f]
            both[1] = idx[pos_b] + len(tab) // 2
            step_ids.append(both)
        hs = self._lstm(step_ids, tables, sizes)
        where_f = np.empty(int(pos_f.max()) + 1, np.int64)
        where_f[pos_f] = np.arange(n)
        em = hs[0] @ self.out_w[0]
        em[where_f[pos_b]] += hs[1] @ self.out_w[1]
        em += self.out_b
        return em

    def _lstm(self, step_ids, tables, sizes: np.ndarray) -> np.ndarray:
        """Both directions over the packed batch → (2, n, H) hidden states.

        Step t's pre-activation is h·W_hh plus the sum of the table rows named by ``step_ids``.
        """
        H = self.H
        n = step_ids[0].shape[1]
        B = int(sizes[0])
        out = self._buf("hs", (2, n, H))
        cst = self._buf("c", (2, B, H))
        cst[...] = 0.0
        g = self._buf("g", (2, B, 4 * H))
        tmp = self._buf("tmp_h", (2, B, H))
        z = self._buf("z", (2, B, 0 if self.w_u is None else self.w_u.shape[2]))
        (i0, i1, i2), (t0, t1, t2) = step_ids, tables
        off = 0
        prev = None
        for m in sizes.tolist():
            gm = g[:, :m]
            sl = slice(off, off + m)
            if prev is None:
                np.copyto(gm, t0[i0[:, sl]])
            else:
                if self.w_u is None:
                    np.matmul(out[:, prev:prev + m], self.w_hh, out=gm)
                else:
                    zm = z[:, :m]
                    np.matmul(out[:, prev:prev + m], self.w_u, out=zm)
                    np.matmul(zm, self.w_v, out=gm)
                gm += t0[i0[:, sl]]
            gm += t1[i1[:, sl]]
            gm += t2[i2[:, sl]]
            np.tanh(gm, out=gm)
            s = gm[:, :, :3 * H]
            s += 1.0  # twice the i, f, o gates (reordered at export): the halving is folded in below
            c = cst[:, :m]
            c *= s[:, :, H:2 * H]
            tm = tmp[:, :m]
            np.multiply(s[:, :, :H], gm[:, :, 3 * H:], out=tm)
            c += tm
            c *= 0.5  # c = f·c + i·g
            np.tanh(c, out=tm)  # h is stored doubled (2·o·tanh c): W_hh and out_w are halved at load
            np.multiply(tm, s[:, :, 2 * H:], out=out[:, sl])
            prev = off
            off += m
        return out


class ConvTagger(_TaggerBase):
    """The exported dilated-CNN-CRF (``train_ner.py --arch cnn``), same interface as ``Tagger``.

    There is no recurrence: each layer is one matrix product over every character of the batch
    (im2col: a row holds the character and its two neighbours at the layer's dilation), so the
    work runs at BLAS speed instead of a step per character.  A neighbour outside the chunk reads
    an all-zero row, as the zero padding of training's Conv1d does.
    """

    def __init__(self, path: Path = MODEL_PATH):
        z, meta = _open_model(path)
        super().__init__(z, meta)
        f = lambda k: z[k].astype(np.float32)  # noqa: E731
        self.dilations = [int(d) for d in meta["dilations"]]

        def taps(w):  # torch Conv1d (C_out, C_in, 3) → (3, C_in, C_out): weights of x[t-d], x[t], x[t+d]
            return np.ascontiguousarray(np.stack([w[:, :, k].T for k in range(3)]))

        self.layers = [(taps(f(f"conv{i}_w")), f(f"conv{i}_b")) for i in range(len(self.dilations))]
        self.out_w = np.ascontiguousarray(f("out_w").T)  # (C, K)
        self.char_emb, self.bigram_emb = f("char_emb"), f("bigram_emb")
        d_c, d_b = self.char_emb.shape[1], self.bigram_emb.shape[1]
        w_in = taps(f("inp_w"))  # (3, d_c + 2·d_b + 12, C); the input's column order is training's
        cat = lambda rows: np.ascontiguousarray(np.concatenate(list(w_in[:, rows]), axis=1))  # noqa: E731  (rows, 3C)
        self.w_in_char = cat(slice(0, d_c))
        self.w_in_left = cat(slice(d_c, d_c + d_b))
        self.w_in_right = cat(slice(d_c + d_b, d_c + 2 * d_b))
        self.w_in_lex = cat(slice(d_c + 2 * d_b, None))
        self.in_b = f("inp_b")

    def _shift_add(self, y, z0, z2, d, j, ends):
        """y[t] += z0[t-d] + z2[t+d] where t-d / t+d lie in t's chunk (chunks are laid end to end).

        Shifted slices add every neighbour (no gather); the few rows whose neighbour lies in another
        chunk (j < d, or j + d past the chunk's end) then take that term back out.
        """
        n = len(y)
        if n <= d:
            return
        y[d:] += z0[:-d]
        y[:-d] += z2[d:]
        left = np.flatnonzero(j[d:] < d) + d
        if len(left):
            y[left] -= z0[left - d]
        right = np.flatnonzero(j[:-d] + d >= ends[:-d])
        if len(right):
            y[right] -= z2[right + d]

    def _prepare(self, features):
        """Per call: the input layer's three taps projected for each distinct (char, lexicon bits)
        pair and each distinct bigram, (u, 3C) tables: a Conv1d over looked-up embeddings is a sum
        of lookups in projected tables, so the first layer needs no per-character product."""
        cids, (ub, binv), lex = features
        n = len(cids)
        ucl, a = np.unique(cids * 4096 + lex, return_inverse=True)
        bits = ((ucl[:, None] & 4095) >> _LEX_SHIFT & 1).astype(np.float32)
        t_cl = self.char_emb[ucl >> 12] @ self.w_in_char
        t_cl += bits @ self.w_in_lex
        emb = self.bigram_emb[ub]
        return a, binv[:n], binv[n:], t_cl, emb @ self.w_in_left, emb @ self.w_in_right

    def _batch_emissions(self, prep, starts, lens, pos_f, pos_b, sizes):
        a, bl, br, t_cl, t_bl, t_br = prep
        n_text = len(a)
        n = int(lens.sum())
        before = np.repeat(np.cumsum(lens) - lens, lens)
        j = np.arange(n) - before  # offset inside the chunk
        pos = np.repeat(starts, lens) + j  # text position of each row (chunks laid end to end)
        ends = np.repeat(lens, lens)
        C = self.in_b.shape[0]
        z = self._buf("z", (n, 3 * C))
        np.take(t_cl, a[pos], axis=0, out=z)
        z += t_bl[bl[pos]]
        z += t_br[br[pos]]
        h = self._buf("y1", (n, C))
        h[...] = z[:, C:2 * C]
        self._shift_add(h, z[:, :C], z[:, 2 * C:], 1, j, ends)
        h += self.in_b
        np.maximum(h, 0.0, out=h)
        for k, ((w3, b), d) in enumerate(zip(self.layers, self.dilations)):
            y = self._buf(f"y{k % 2}", (n, C))
            z0, z2 = self._buf("z0", (n, C)), self._buf("z2", (n, C))
            np.matmul(h, w3[1], out=y)
            np.matmul(h, w3[0], out=z0)
            np.matmul(h, w3[2], out=z2)
            self._shift_add(y, z0, z2, d, j, ends)
            y += b
            np.maximum(y, 0.0, out=y)
            y += h  # residual
            h = y
        em = h @ self.out_w
        em += self.out_b
        row = np.empty(n_text, np.int64)
        row[pos] = np.arange(n)
        return em[row[pos_f]]

BATCH_CHARS = 16384
RECURRENT_RANK = 0  # 0 = full W_hh; see Tagger.__init__
_LEX_SHIFT = np.array([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])  # column k::3 ← B/M/E bit of category
_TYPE_NAMES = ("", "PER", "LOC", "ORG")


def tag_spans(tags: np.ndarray, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """``bio_spans`` over every chunk at once: (start, end, type) in text offsets, sorted."""
    n = len(tags)
    if not n:
        return []
    t = tags.astype(np.int64)
    typ = (t + 1) // 2  # 0 = O, 1 PER, 2 LOC, 3 ORG
    is_b = (t % 2) == 1
    edge_s = np.zeros(n, bool)
    edge_e = np.zeros(n, bool)
    if spans:
        edge_s[[a for a, _ in spans]] = True
        edge_e[[b - 1 for _, b in spans]] = True
    prev_typ = np.concatenate([[0], typ[:-1]])
    next_typ = np.concatenate([typ[1:], [0]])
    next_b = np.concatenate([is_b[1:], [False]])
    on = typ > 0
    begin = on & (is_b | edge_s | (prev_typ != typ))
    finish = on & (edge_e | (next_typ != typ) | next_b)
    s_idx = np.flatnonzero(begin)
    e_idx = np.flatnonzero(finish) + 1
    return [(int(a), int(b), _TYPE_NAMES[k]) for a, b, k in zip(s_idx, e_idx, typ[s_idx].tolist())]


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
def tagger() -> _TaggerBase:
    return load()
