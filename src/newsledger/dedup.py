"""Near-duplicate detection: the same article reposted with small edits, or in the other script.

An article's signature is a MinHash (128 hash functions) of the character 3-shingles of its
*canonical text*: ``title + "\\n" + body`` under NFKC, converted by OpenCC ``s2twp`` then ``t2s``
(see :func:`canonical`), with everything but letters, digits and Han dropped and Latin lower-cased.
``s2twp`` maps mainland vocabulary to Taiwan vocabulary (数据 → 資料, 互联网 → 網際網路, 软件 →
軟體) and leaves Taiwan words as they are; ``t2s`` then folds the script.  So a Taiwan article and its
``tw2sp`` repost (資料 → 数据) shingle the same: version 1 normalised with ``t2s`` alone, which kept
资料 against 数据 and 网际网路 against 互联网, and missed reposts of vocabulary-heavy articles.

Hashing is vectorised with numpy (datasketch hashes each shingle with SHA-1 in a Python loop): a
shingle's three code points pack exactly into one 63-bit integer, mixed by the splitmix64
finaliser, and hash function i is ``(a_i·x + b_i) mod 2^32`` on its low 32 bits (a_i odd).

Candidates come from a banded LSH index (threshold 0.8, 16 bands of 8 rows); each is confirmed by
its estimated Jaccard similarity, computed from the low 16 bits of the stored hash values (b-bit
MinHash: 256 bytes an article, with a collision rate of 1/65536 per value, far below the
estimate's own noise of about ±0.035 at 0.8).

Stored signatures are versioned: :func:`to_bytes` writes a version byte then the 128 values as
little-endian uint32 (513 bytes).  Version 1 signatures (512 bytes, no version byte, another
hashing) cannot be compared with these; :meth:`NearDuplicateIndex.from_ledger` recomputes them
from the stored title and body (and writes them back when the ledger can), never mixes them in.

Memory grows with the ledger, not with the input: about 0.6 KB an article (LSH band keys, the
16-bit verification rows, the id), i.e. ~60 MB for 100,000 articles.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator

import numpy as np

from .errors import FormatError

__all__ = [
    "VERSION", "NUM_PERM", "THRESHOLD", "SHINGLE", "SIGNATURE_BYTES", "Signature", "SignatureError",
    "canonical", "shingles", "signature", "to_bytes", "from_bytes", "is_current", "NearDuplicateIndex",
]

VERSION = 2  # first byte of a stored signature; bump whenever canonical() or the hashing changes
NUM_PERM = 128
THRESHOLD = 0.8
SHINGLE = 3
SIGNATURE_BYTES = 1 + NUM_PERM * 4
_V1_BYTES = NUM_PERM * 4  # version 1: datasketch values of t2s-normalised text, no version byte
_CANON = ("s2twp", "t2s")  # OpenCC configs applied in turn: Taiwan vocabulary, then Simplified script
_DROP = re.compile(r"[\W_]+")  # all but letters, digits and Han: punctuation, spaces, symbols
_EMPTY = 0xFFFFFFFF  # the value of every hash function over no shingle
_BLOCK = 4096  # shingles hashed at once: caps the (shingles × 128) work array at 4 MB

# The hash functions h_i(x) = (a_i·x + b_i) mod 2^32 over x, the low 32 bits of a mixed shingle
# (a_i odd: each h_i is a permutation of the 32-bit values).  Fixed seeded draws, part of what a
# version-2 signature means: never change them without bumping VERSION.  Checked against exact
# Jaccard on 2,877 generated pairs: (estimate - J) / sqrt(J(1-J)/128) has mean +0.10, sd 0.99,
# i.e. the binomial noise of 128 ideal permutations and a bias under 0.005 in J.
_RNG = np.random.default_rng(0x6E6C6467)
_A = _RNG.integers(0, 2**31, size=NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
_B = _RNG.integers(0, 2**32, size=NUM_PERM, dtype=np.uint64).astype(np.uint32)
del _RNG


class SignatureError(FormatError, ValueError):
    """Bytes that are not a current-version signature (wrong length, or another version)."""


class Signature:
    """A MinHash signature: 128 values < 2^32 (uint64 array), with datasketch-like accessors."""

    __slots__ = ("hashvalues",)

    def __init__(self, hashvalues: np.ndarray) -> None:
        self.hashvalues = np.asarray(hashvalues, dtype=np.uint64)

    def jaccard(self, other: Signature) -> float:
        """Estimated Jaccard similarity: the share of hash functions whose minima agree."""
        return float(np.count_nonzero(self.hashvalues == other.hashvalues)) / NUM_PERM

    def digest(self) -> np.ndarray:
        return self.hashvalues.copy()

    def is_empty(self) -> bool:
        return bool((self.hashvalues == _EMPTY).all())

    def __len__(self) -> int:
        return NUM_PERM

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Signature) and bool(np.array_equal(self.hashvalues, other.hashvalues))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Signature(v{VERSION}, {NUM_PERM} values)"


def _convert(config: str, text: str) -> str:
    from .text.script import converter

    return converter(config).convert(text)


def canonical(title: str, body: str) -> str:
    """The text that is shingled: one form for both scripts and both vocabularies.

    NFKC, then OpenCC ``s2twp`` (mainland words → Taiwan words; Taiwan words are left as they are),
    then ``t2s`` (script folded), then only letters, digits and Han kept, lower-cased.  Taiwan
    vocabulary is the direction that works both ways: through mainland vocabulary (``tw2sp``) a
    Traditional repost's 資料 would become 数据 while the Simplified original's 资料 stayed 资料.
    """
    text = title + "\n" + body
    if not unicodedata.is_normalized("NFKC", text):  # a fast check; most text already is
        text = unicodedata.normalize("NFKC", text)
    for config in _CANON:
        text = _convert(config, text)
    return _DROP.sub("", text).lower()


def _keys(chars: str) -> np.ndarray:
    """One uint64 per 3-shingle: its code points (< 2^21 each) packed exactly in 63 bits."""
    cps = np.frombuffer(chars.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    if len(cps) < SHINGLE:
        cps = np.concatenate([cps, np.zeros(SHINGLE - len(cps), dtype=np.uint64)])
    return (cps[:-2] << np.uint64(42)) | (cps[1:-1] << np.uint64(21)) | cps[2:]


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser (Steele et al. 2014), vectorised: packed shingles → uniform 64 bits.
    numpy's uint64 arithmetic wraps modulo 2^64, as the finaliser expects."""
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _minhash(keys: np.ndarray) -> np.ndarray:
    """The 128 minima of h_i over the mixed shingles (repeats change no minimum: not deduplicated)."""
    out = np.full(NUM_PERM, _EMPTY, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for i in range(0, len(keys), _BLOCK):
            x = _mix(keys[i : i + _BLOCK]).astype(np.uint32)[:, None]  # low 32 bits
            h = x * _A
            h += _B
            np.minimum(out, h.min(axis=0), out=out)
    return out.astype(np.uint64)


def shingles(title: str, body: str) -> set[bytes]:
    """The character 3-shingles of the canonical text, UTF-8 encoded (for inspection and tests)."""
    chars = canonical(title, body)
    if len(chars) < SHINGLE:
        return {chars.encode("utf-8")} if chars else set()
    return {chars[i : i + SHINGLE].encode("utf-8") for i in range(len(chars) - SHINGLE + 1)}


def signature(title: str, body: str) -> Signature:
    """The MinHash of an article's canonical text (deterministic across runs and machines)."""
    chars = canonical(title, body)
    return Signature(_minhash(_keys(chars)) if chars else np.full(NUM_PERM, _EMPTY, dtype=np.uint64))


def to_bytes(sig: Signature) -> bytes:
    """What the ledger stores: the version byte, then the 128 values as little-endian uint32."""
    return bytes((VERSION,)) + np.asarray(sig.hashvalues, dtype="<u4").tobytes()


def is_current(data: object) -> bool:
    """True for stored signature bytes of this version (others must be recomputed, not compared)."""
    return isinstance(data, (bytes, bytearray, memoryview)) and len(data) == SIGNATURE_BYTES and data[0] == VERSION


def from_bytes(data: bytes) -> Signature:
    """A signature from :func:`to_bytes` output; :class:`SignatureError` (a ValueError) otherwise."""
    if not is_current(data):
        size = len(data) if isinstance(data, (bytes, bytearray, memoryview)) else None
        old = " (a version 1 signature: recompute it with signature())" if size == _V1_BYTES else ""
        raise SignatureError(f"a version {VERSION} signature is {SIGNATURE_BYTES} bytes starting with {VERSION}, "
                             f"got {size} bytes{old}", size=size)
    return Signature(np.frombuffer(data, dtype="<u4", offset=1).astype(np.uint64))


@functools.lru_cache(maxsize=None)
def _lsh_params(threshold: float, fp_weight: float = 0.05, fn_weight: float = 0.95) -> tuple[int, int]:
    """(bands, rows per band) minimising fp_weight·(false positives) + fn_weight·(false negatives).

    A pair of Jaccard similarity s becomes a candidate with probability 1 − (1 − s^r)^b; the
    errors are that curve's area below the threshold and its complement's area above (the
    standard LSH tuning, Leskovec et al., *Mining of Massive Datasets* §3.4).  Weighted towards
    recall: a missed near-duplicate is stored twice, while an extra candidate only costs one
    vectorised similarity check.  At 0.8 this gives 16 bands of 8 rows: candidate probability
    0.95 at J=0.8, 0.99 at 0.85, 0.06 at 0.5 (datasketch's default 0.5/0.5 weighting, 9 bands
    of 13 rows, lets 60% of pairs at 0.8 slip through).

    Written here rather than imported: datasketch offers it only as a private helper, and
    importing datasketch pulls in scipy (≈ 0.5 s at every ingest's start).  The result equals
    datasketch's ``_optimal_param`` (tested over thresholds 0.3–0.95 and three weightings).
    """
    grid = 1001  # trapezoid rule on a uniform grid, vectorised over r for each b
    lo, hi = np.linspace(0.0, threshold, grid), np.linspace(threshold, 1.0, grid)

    def area(y: np.ndarray, x: np.ndarray) -> np.ndarray:
        return (y[:, 1:] + y[:, :-1]).sum(axis=1) * (x[1] - x[0]) / 2

    best, best_err = (1, 1), np.inf
    for b in range(1, NUM_PERM + 1):
        r = np.arange(1, NUM_PERM // b + 1)[:, None]
        err = fp_weight * area(1 - (1 - lo ** r) ** b, lo) + fn_weight * area((1 - hi ** r) ** b, hi)
        k = int(np.argmin(err))
        if err[k] < best_err:
            best, best_err = (b, int(r[k, 0])), float(err[k])
    return best


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
        """Build from (article id, signature bytes) pairs; malformed or other-version ones are skipped."""
        index = cls(threshold)
        ids: list[str] = []
        chunk = bytearray()  # values of up to 4096 articles: ~2 MB, whatever the ledger size
        for article_id, data in items:
            if not is_current(data):
                continue
            chunk += memoryview(data)[1:]
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
    def from_ledger(cls, ledger, threshold: float = THRESHOLD, *, recompute: bool = True) -> NearDuplicateIndex:  # noqa: ANN001
        """The index of ``ledger.signatures()``.

        Signatures of another version (a ledger written before the current hashing) are never
        compared with current ones: with ``recompute`` (the default) they are recomputed from the
        articles' stored title and body (``ledger.iter_articles()``, streamed) and indexed, and
        written back with ``ledger.set_signatures(pairs)`` when the ledger offers it, so that the
        cost is paid once; otherwise those articles are only matched by id, not as near-duplicates.
        """
        stale: set[str] = set()

        def current() -> Iterator[tuple[str, bytes]]:
            for article_id, data in ledger.signatures():
                if is_current(data):
                    yield article_id, data
                else:
                    stale.add(article_id)

        index = cls.from_signatures(current(), threshold)
        if stale and recompute:
            index._recompute(ledger, stale)
        return index

    def _recompute(self, ledger, stale: set[str]) -> None:  # noqa: ANN001
        # Written back after the read stream is closed (a SQLite writer must not wait on our own
        # reader): ~0.5 KB an article held once, during the one-time migration of an old ledger.
        write = getattr(ledger, "set_signatures", None)
        fresh: list[tuple[str, bytes]] = []
        for row in ledger.iter_articles():
            if row["id"] in stale:
                sig = signature(row["title"], row["body"])
                self.add(row["id"], sig)
                if write is not None:
                    fresh.append((row["id"], to_bytes(sig)))
        if fresh:
            write(fresh)

    def add(self, article_id: str, mh: Signature) -> None:
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

    def find(self, mh: Signature, exclude: str | None = None) -> tuple[str, float] | None:
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
