"""An old ledger's near-duplicate signatures are recomputed once and written back (both engines)."""
from __future__ import annotations

import numpy as np

from newsledger import dedup
from newsledger.model import Article, Extraction
from newsledger.sources import article_id

ARTS = [
    ("北市捷運新線動工", "臺北市政府宣布捷運環狀線北段今日動工，總經費約新臺幣一千億元，預計八年完工。（市府新聞）"),
    ("离岸风电招标结果出炉", "能源主管部门公布第三期离岸风电招标结果，五家开发商共获得三千兆瓦容量。（能源报）"),
]


def _v1(i: int) -> bytes:  # the 512-byte format written before signatures carried a version byte
    return np.random.default_rng(i).integers(0, 2**32, dedup.NUM_PERM, dtype=np.uint64).astype("<u4").tobytes()


def test_stale_signatures_are_recomputed_and_stored(ledger):
    ids = []
    for i, (title, body) in enumerate(ARTS):
        aid = article_id(title, body)
        assert ledger.add(Article(id=aid, title=title, body=body), Extraction(text=body), signature=_v1(i)) == "new"
        ids.append(aid)
    assert not any(dedup.is_current(sig) for _, sig in ledger.signatures())

    index = dedup.NearDuplicateIndex.from_ledger(ledger)

    stored = dict(ledger.signatures())
    assert set(stored) == set(ids)
    for (title, body), aid in zip(ARTS, ids):
        assert stored[aid] == dedup.to_bytes(dedup.signature(title, body))
    # the migrated index finds a reposted copy of the first article
    found = index.find(dedup.signature(ARTS[0][0], ARTS[0][1] + "（轉載）"))
    assert found is not None and found[0] == ids[0]
    assert ledger.set_signatures([]) == 0
