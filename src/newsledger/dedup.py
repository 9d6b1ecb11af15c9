"""Near-duplicate detection: the same article reposted with small edits, or in the other script.

An article's signature is a MinHash (datasketch, 128 permutations) of the character 3-shingles of
``normalise(title + "\\n" + body)`` (NFKC, Traditional→Simplified, whitespace collapsed) with
spaces and punctuation dropped, so that a repost in the other script or with re-flowed
punctuation shingles the same.  Candidates come from a banded LSH index (threshold 0.8, bands
chosen by datasketch's optimiser); each is confirmed by its estimated Jaccard similarity,
computed from the low 16 bits of the stored hash values (b-bit MinHash: 256 bytes an article instead of 512, with a collision
rate of 1/65536 per value, far below the estimate's own noise of about ±0.035 at 0.8).

Memory grows with the ledger, not with the input: about 0.6 KB an article (LSH band keys, the
16-bit verification rows, the id), i.e. ~60 MB for 100,000 articles.  The index is rebuilt at
the start of every ingest from ``ledger.signatures()`` (the full 128 × 32-bit values, 512 bytes, are stored).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash

__all__ = [
    "NUM_PERM", "THRESHOLD", "SHINGLE", "shingles", "signature", "to_bytes", "from_bytes",
    "NearDuplicateIndex",
]

NUM_PERM = 128
THRESHOLD = 0.8
SHINGLE = 3
_SCHEME = "affine32"  # datasketch 2 hashing scheme (32-bit values)
_SEED = 1  # datasketch's default seed; part of the stored signature's meaning: never change it


def _normalise(text: str) -> str:
    from .text.script import normalise

    return normalise(text)


def _keep(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return not (cat[0] in "PZC" or cat == "Sk")


def shingles(title: str, body: str) -> set[bytes]:
    """The character 3-shingles of the normalised title and body (spaces and punctuation dropped)."""
    norm = _normalise(title + "\n" + body)
    chars = "".join(ch for ch in norm if _keep(ch))
    if len(chars) < SHINGLE:
        return {chars.encode("utf-8")} if chars else set()
    return {chars[i : i + SHINGLE].encode("utf-8") for i in range(len(chars) - SHINGLE + 1)}


def signature(title: str, body: str) -> MinHash:
    """The MinHash of an article's text (deterministic across runs and machines)."""
    mh = _template().copy()
    sh = shingles(title, body)
    if sh:
        mh.update_batch(list(sh))
    return mh


def to_bytes(mh: MinHash) -> bytes:
    """The 128 hash values as little-endian uint32: what the ledger stores (512 bytes)."""
    return np.asarray(mh.hashvalues, dtype="<u4").tobytes()


def _values(data: bytes) -> np.ndarray:
    if len(data) != NUM_PERM * 4:
        raise ValueError(f"a signature is {NUM_PERM * 4} bytes, got {len(data)}")
    return np.frombuffer(data, dtype="<u4").astype(np.uint64)


_TEMPLATE: MinHash | None = None


def _template() -> MinHash:
    # Building a MinHash draws its 128 permutations (≈4 ms); draw them once and share them.
    global _TEMPLATE
    if _TEMPLATE is None:
        _TEMPLATE = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    return _TEMPLATE


def from_bytes(data: bytes) -> MinHash:
    """A MinHash from :func:`to_bytes` output; ValueError when the length is wrong."""
    t = _template()
    return MinHash(num_perm=NUM_PERM, seed=_SEED, hashvalues=_values(data), permutations=t.permutations, scheme=_SCHEME)


def _lsh_params(threshold: float) -> tuple[int, int]:
    """(bands, rows per band) from datasketch's optimiser, weighted 0.05/0.95 towards recall.

    Its default 0.5/0.5 weighting (9 bands of 13 rows at 0.8) lets 60% of pairs at Jaccard 0.8
    and 15% at 0.88 slip through; a missed near-duplicate is stored twice, while an extra
    candidate only costs one vectorised similarity check.  At 0.8 this gives 16 bands of 8 rows:
    candidate probability 0.95 at J=0.8, 0.99 at 0.85, 0.06 at 0.5.
    """
    try:
        from datasketch.lsh import _optimal_param

        return _optimal_param(threshold, NUM_PERM, 0.05, 0.95)
    except ImportError:  # pragma: no cover - private helper moved
        return (16, 8) if threshold == 0.8 else (max(1, NUM_PERM // 8), 8)


# Fixed odd 64-bit multipliers: a band's key is sum(value_i * M_i) mod 2^64, a universal hash of
# the band's r values (a collision only yields a candidate, which the similarity check rejects).
_MULT = (np.random.default_rng(20251227).integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) * 2 + 1).astype(np.uint64)


class _BandIndex:
    """Banded LSH buckets in sorted numpy arrays.

    Hand-written because datasketch's in-memory MinHashLSH keeps a Python set per bucket: measured
    at about 3.4 KB an article (340 MB for 100,000), where sorted uint64 keys with int32 rows cost
    12 bytes per band (about 200 bytes an article).  New keys wait in a small dict and are merged
    into the sorted arrays in batches, so inserts stay amortised O(log n).
    """

    def __init__(self, bands: int, rows: int) -> None:
        self.bands, self.rows = bands, rows
        self._keys = [np.empty(0, dtype=np.uint64) for _ in range(bands)]
        self._vals = [np.empty(0, dtype=np.int32) for _ in range(bands)]
        self._pending: list[dict[int, list[int]]] = [{} for _ in range(bands)]
        self._npending = 0
        self._size = 0
        self._staged: list[tuple[np.ndarray, np.ndarray]] = []

    def band_keys(self, hashvalues: np.ndarray) -> np.ndarray:
        """(…, bands) uint64 keys of one signature (128,) or of many (n, 128); array integer
        arithmetic wraps modulo 2^64 silently, which is the hash we want."""
        hv = np.asarray(hashvalues, dtype=np.uint64)
        hv = hv[..., : self.bands * self.rows].reshape(*hv.shape[:-1], self.bands, self.rows)
        return (hv * _MULT[: self.rows]).sum(axis=-1, dtype=np.uint64)

    def extend(self, first_row: int, values: np.ndarray) -> None:
        """Insert many signatures (n, 128) at rows first_row.. (rebuilding from the ledger): their
        keys are staged and sorted in once, at the first query, so a rebuild sorts only once."""
        rows = np.arange(first_row, first_row + len(values), dtype=np.int32)
        self._staged.append((self.band_keys(values), rows))
        self._size += len(values)

    def _flush_staged(self) -> None:
        staged, self._staged = self._staged, []
        keys = np.concatenate([k for k, _ in staged])
        rows = np.concatenate([r for _, r in staged])
        del staged
        for band in range(self.bands):
            k = np.concatenate([self._keys[band], keys[:, band]])
            v = np.concatenate([self._vals[band], rows])
            order = np.argsort(k, kind="stable")
            self._keys[band], self._vals[band] = k[order], v[order]

    def insert(self, row: int, hashvalues: np.ndarray) -> None:
        for band, key in enumerate(self.band_keys(hashvalues).tolist()):
            self._pending[band].setdefault(key, []).append(row)
        self._npending += 1
        self._size += 1
        if self._npending >= max(4096, self._size // 8):
            self._merge()

    def _merge(self) -> None:
        for band in range(self.bands):
            pend = self._pending[band]
            if not pend:
                continue
            ks = np.fromiter((k for k, rows in pend.items() for _ in rows), dtype=np.uint64)
            vs = np.fromiter((r for rows in pend.values() for r in rows), dtype=np.int32)
            keys = np.concatenate([self._keys[band], ks])
            vals = np.concatenate([self._vals[band], vs])
            order = np.argsort(keys, kind="stable")
            self._keys[band], self._vals[band] = keys[order], vals[order]
            self._pending[band] = {}
        self._npending = 0

    def query(self, hashvalues: np.ndarray) -> set[int]:
        if self._staged:
            self._flush_staged()
        found: set[int] = set()
        for band, key in enumerate(self.band_keys(hashvalues).tolist()):
            keys = self._keys[band]
            lo = int(np.searchsorted(keys, np.uint64(key), side="left"))
            if lo < len(keys) and keys[lo] == key:
                hi = int(np.searchsorted(keys, np.uint64(key), side="right"))
                found.update(self._vals[band][lo:hi].tolist())
            found.update(self._pending[band].get(key, ()))
        return found


class NearDuplicateIndex:
    """LSH index of the articles already in the ledger, with a similarity check for candidates."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._bands = _BandIndex(*_lsh_params(threshold))
        self._ids: list[str] = []
        self._known: set[str] = set()
        self._rows = np.zeros((1024, NUM_PERM), dtype=np.uint16)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        """True for an article id already indexed (stored with a signature)."""
        return article_id in self._known

    @classmethod
    def from_signatures(cls, items: Iterable[tuple[str, bytes]], threshold: float = THRESHOLD) -> NearDuplicateIndex:
        """Build from (article id, signature bytes) pairs; malformed signatures are skipped."""
        index = cls(threshold)
        ids: list[str] = []
        chunk = bytearray()  # raw signatures of up to 4096 articles: ~2 MB, whatever the ledger size
        size = NUM_PERM * 4
        for article_id, data in items:
            if not isinstance(data, (bytes, bytearray, memoryview)) or len(data) != size:
                continue
            chunk += data
            ids.append(article_id)
            if len(ids) == 4096:
                index._extend(ids, np.frombuffer(bytes(chunk), dtype="<u4").reshape(-1, NUM_PERM).astype(np.uint64))
                ids, chunk = [], bytearray()
        if ids:
            index._extend(ids, np.frombuffer(bytes(chunk), dtype="<u4").reshape(-1, NUM_PERM).astype(np.uint64))
        return index

    def _extend(self, ids: list[str], values: np.ndarray) -> None:
        first = len(self._ids)
        need = first + len(ids)
        if need > len(self._rows):
            grown = np.zeros((max(need, len(self._rows) * 3 // 2), NUM_PERM), dtype=np.uint16)
            grown[:first] = self._rows[:first]
            self._rows = grown
        self._rows[first:need] = values & 0xFFFF
        self._ids.extend(ids)
        self._known.update(ids)
        self._bands.extend(first, values)

    @classmethod
    def from_ledger(cls, ledger, threshold: float = THRESHOLD) -> NearDuplicateIndex:  # noqa: ANN001
        return cls.from_signatures(ledger.signatures(), threshold)

    def add(self, article_id: str, mh: MinHash) -> None:
        self._add_values(article_id, np.asarray(mh.hashvalues, dtype=np.uint64))

    def _add_values(self, article_id: str, values: np.ndarray) -> None:
        row = len(self._ids)
        if row == len(self._rows):
            grown = np.zeros((len(self._rows) * 3 // 2, NUM_PERM), dtype=np.uint16)
            grown[:row] = self._rows
            self._rows = grown
        self._rows[row] = values & 0xFFFF
        self._ids.append(article_id)
        self._known.add(article_id)
        self._bands.insert(row, values)

    def find(self, mh: MinHash, exclude: str | None = None) -> tuple[str, float] | None:
        """The most similar indexed article with estimated Jaccard ≥ threshold, as (id, similarity)."""
        values = np.asarray(mh.hashvalues, dtype=np.uint64)
        candidates = self._bands.query(values)
        if not candidates:
            return None
        rows = np.fromiter(candidates, dtype=np.int64)
        low = (values & 0xFFFF).astype(np.uint16)
        sims = (self._rows[rows] == low).mean(axis=1)
        for row, sim in sorted(zip(rows.tolist(), sims.tolist()), key=lambda rs: (-rs[1], rs[0])):
            if sim < self.threshold:
                break
            if self._ids[row] != exclude:
                return self._ids[row], round(float(sim), 4)
        return None
