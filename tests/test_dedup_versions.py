"""Stored signatures are versioned: a ledger written with version 1 signatures (512 bytes, no
version byte) is never compared value by value with current ones; from_ledger recomputes them."""
from __future__ import annotations

import numpy as np
import pytest

from newsledger import dedup
from newsledger.errors import FormatError
from newsledger.model import Article, Extraction
from newsledger.sources import article_id
from newsledger.store import Ledger
from newsledger.text.script import converter

ARTS = [
    ("晶圓代工廠擴建先進封裝產線", "一家晶圓代工廠宣布，將在南部科學園區新建兩座先進封裝廠，總投資約三千億元，"
     "預計後年量產，屆時可新增約四千個工作機會，並帶動周邊設備與材料供應鏈。"),
    ("離岸風電併網容量創新高", "能源主管機關統計，去年離岸風電新增併網容量約一點八吉瓦，累計裝置量突破三吉瓦，"
     "發電量占全國電力約百分之四，官員預估五年後占比可望倍增。"),
    ("電動機車補助延長一年", "環保單位宣布電動機車購車補助再延長一年，每輛最高補助七千元，"
     "預計受惠民眾約二十萬人，同時加碼充換電站建置經費。"),
]


def _v1_bytes(seed: int) -> bytes:
    """A signature in the version 1 layout: 128 little-endian uint32 values, nothing else."""
    return np.random.default_rng(seed).integers(0, 2**32, size=dedup.NUM_PERM, dtype=np.uint64).astype("<u4").tobytes()


def _store(ledger: Ledger, title: str, body: str, sig: bytes) -> str:
    aid = article_id(title, body)
    art = Article(id=aid, title=title, body=body, script="trad")
    assert ledger.add(art, Extraction(text=body), signature=sig) == "new"
    return aid


class _WritingLedger(Ledger):
    """A ledger with the proposed ``set_signatures`` (records what from_ledger writes back)."""

    written: list[tuple[str, bytes]]

    def set_signatures(self, pairs):  # noqa: ANN001
        self.written = list(pairs)


@pytest.fixture
def old_ledger(tmp_path):
    led = _WritingLedger(f"sqlite:///{tmp_path / 'old.db'}")
    ids = [_store(led, t, b, _v1_bytes(i)) for i, (t, b) in enumerate(ARTS[:2])]
    ids.append(_store(led, *ARTS[2], dedup.to_bytes(dedup.signature(*ARTS[2]))))  # already current
    yield led, ids
    led.close()


def test_version_byte_and_length():
    data = dedup.to_bytes(dedup.signature(*ARTS[0]))
    assert len(data) == dedup.SIGNATURE_BYTES == 1 + 4 * dedup.NUM_PERM and data[0] == dedup.VERSION
    assert dedup.is_current(data) and not dedup.is_current(_v1_bytes(0))
    assert not dedup.is_current(bytes((dedup.VERSION + 1,)) + data[1:])


def test_old_and_foreign_signatures_are_refused_with_a_coded_error():
    for bad in (_v1_bytes(1), b"short", bytes((dedup.VERSION + 1,)) + _v1_bytes(2)):
        with pytest.raises(dedup.SignatureError) as err:
            dedup.from_bytes(bad)
        assert isinstance(err.value, ValueError) and isinstance(err.value, FormatError)
    with pytest.raises(ValueError, match="version 1"):
        dedup.from_bytes(_v1_bytes(3))


def test_from_signatures_skips_old_versions():
    current = dedup.to_bytes(dedup.signature(*ARTS[0]))
    idx = dedup.NearDuplicateIndex.from_signatures([("new", current), ("old", _v1_bytes(4))])
    assert len(idx) == 1 and "new" in idx and "old" not in idx


def test_from_ledger_recomputes_stale_signatures_and_writes_them_back(old_ledger):
    led, ids = old_ledger
    idx = dedup.NearDuplicateIndex.from_ledger(led)
    assert len(idx) == 3 and all(a in idx for a in ids)
    # a Simplified repost of an article stored with a version 1 signature is found
    conv = converter("tw2sp").convert
    found = idx.find(dedup.signature(conv(ARTS[0][0]), conv(ARTS[0][1])))
    assert found is not None and found[0] == ids[0]
    # only the two stale signatures were recomputed, and they equal fresh ones
    assert sorted(a for a, _ in led.written) == sorted(ids[:2])
    for aid, data in led.written:
        i = ids.index(aid)
        assert data == dedup.to_bytes(dedup.signature(*ARTS[i]))


def test_from_ledger_without_recompute_ignores_stale_signatures(old_ledger):
    led, ids = old_ledger
    idx = dedup.NearDuplicateIndex.from_ledger(led, recompute=False)
    assert len(idx) == 1 and ids[2] in idx and ids[0] not in idx
    assert not hasattr(led, "written")


class _ReadOnlySignatures(Ledger):
    """A ledger that cannot write signatures back (as a read-only copy or an older store)."""

    set_signatures = None


def test_a_ledger_without_set_signatures_still_gets_a_full_index(tmp_path):
    led = _ReadOnlySignatures(f"sqlite:///{tmp_path / 'plain.db'}")
    try:
        ids = [_store(led, t, b, _v1_bytes(10 + i)) for i, (t, b) in enumerate(ARTS)]
        idx = dedup.NearDuplicateIndex.from_ledger(led)
        assert len(idx) == 3 and all(a in idx for a in ids)
        assert idx.find(dedup.signature(*ARTS[1]))[0] == ids[1]
        assert all(not dedup.is_current(s) for _, s in led.signatures())  # nothing was written
    finally:
        led.close()
