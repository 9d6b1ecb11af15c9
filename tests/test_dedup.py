"""Near-duplicates: MinHash signatures over normalised text and the banded LSH index."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from newsledger import dedup
from newsledger.text.script import to_script

CORPUS = Path(__file__).parent / "corpus" / "sources"


def _articles() -> list[tuple[str, str]]:
    lines = (CORPUS / "digest_simp.txt").read_text("utf-8").splitlines()[1:]
    return [(lines[i], lines[i + 1]) for i in range(0, len(lines) - 1, 2)]


@pytest.fixture(scope="module")
def index():
    idx = dedup.NearDuplicateIndex()
    for i, (t, b) in enumerate(_articles()):
        idx.add(f"a{i}", dedup.signature(t, b))
    return idx


def test_the_same_article_in_the_other_script_is_found(index):
    for i, (t, b) in enumerate(_articles()):
        trad_t, trad_b = to_script(t, "trad"), to_script(b, "trad")
        assert trad_b != b
        found = index.find(dedup.signature(trad_t, trad_b))
        assert found is not None and found[0] == f"a{i}" and found[1] >= dedup.THRESHOLD


def test_small_edits_are_found(index):
    for i, (t, b) in enumerate(_articles()):
        edited = b.replace("。", ",", 1).replace("年", "年度", 1) + "(记者 王某)"
        found = index.find(dedup.signature(t, edited))
        assert found is not None and found[0] == f"a{i}"


def test_different_articles_are_not_near_duplicates(index):
    arts = _articles()
    for i, (t, b) in enumerate(arts):
        others = dedup.NearDuplicateIndex()
        for j, (t2, b2) in enumerate(arts):
            if j != i:
                others.add(f"a{j}", dedup.signature(t2, b2))
        assert others.find(dedup.signature(t, b)) is None
    # same template, different figures and subject: not the same article
    t, b = arts[0]
    rewritten = b.replace("420亿元", "95亿元").replace("四座", "一座").replace("300", "80").replace("600", "120")
    rewritten = rewritten.replace("3620亿元", "410亿元").replace("22%", "3%").replace("31.5%", "4%")
    rewritten = "一家储能企业表示" + rewritten[8:]
    sim = dedup.signature(t, b).jaccard(dedup.signature("储能企业扩产", rewritten))
    assert sim < dedup.THRESHOLD


def test_exclude_skips_the_article_itself(index):
    t, b = _articles()[0]
    assert index.find(dedup.signature(t, b), exclude="a0") is None
    assert "a0" in index and "zz" not in index


def test_signature_bytes_round_trip_and_rebuild():
    arts = _articles()
    sigs = [(f"a{i}", dedup.to_bytes(dedup.signature(t, b))) for i, (t, b) in enumerate(arts)]
    assert all(len(s) == dedup.SIGNATURE_BYTES and s[0] == dedup.VERSION for _, s in sigs)
    rebuilt = dedup.NearDuplicateIndex.from_signatures(sigs + [("bad", b"short")])
    assert len(rebuilt) == len(arts)
    t, b = arts[1]
    assert rebuilt.find(dedup.signature(to_script(t, "trad"), to_script(b, "trad")))[0] == "a1"
    mh = dedup.from_bytes(sigs[2][1])
    assert mh.jaccard(dedup.signature(*arts[2])) == 1.0


def test_signatures_are_the_same_in_another_process():
    t, b = _articles()[0]
    code = (
        "import sys; from newsledger import dedup; "
        f"sys.stdout.write(dedup.to_bytes(dedup.signature({t!r}, {b!r})).hex())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"}).stdout
    assert out == dedup.to_bytes(dedup.signature(t, b)).hex()


def test_index_scales_with_bulk_rebuild_and_incremental_inserts():
    rng = np.random.default_rng(7)
    head = bytes((dedup.VERSION,))
    sigs = [(f"r{i}", head + rng.integers(0, 2**32 - 1, size=dedup.NUM_PERM, dtype=np.uint32).astype("<u4").tobytes())
            for i in range(20_000)]
    idx = dedup.NearDuplicateIndex.from_signatures(sigs)
    for i in range(5000):  # crosses the pending-merge threshold
        idx.add(f"n{i}", dedup.from_bytes(sigs[i][1]))
    assert len(idx) == 25_000
    # an exact signature is found (itself, or its copy added later), random ones are not
    assert idx.find(dedup.from_bytes(sigs[123][1]))[0] in ("r123", "n123")
    assert idx.find(dedup.from_bytes(sigs[19_999][1])) == ("r19999", 1.0)
    noise = head + rng.integers(0, 2**32 - 1, size=dedup.NUM_PERM, dtype=np.uint32).astype("<u4").tobytes()
    assert idx.find(dedup.from_bytes(noise)) is None


def test_empty_and_tiny_texts():
    assert dedup.shingles("", "") == set()
    assert dedup.shingles("甲", "") == {"甲".encode()}
    assert len(dedup.signature("", "").hashvalues) == dedup.NUM_PERM


@pytest.mark.parametrize("weights", [(0.05, 0.95), (0.5, 0.5), (0.2, 0.8)])
def test_lsh_parameters_equal_datasketchs_optimiser(weights):
    """Our banding optimiser picks what datasketch's does, over the thresholds anyone would use."""
    lsh = pytest.importorskip("datasketch.lsh")
    from newsledger.dedup import NUM_PERM, _lsh_params

    for t in [round(0.3 + 0.05 * i, 2) for i in range(14)]:
        assert _lsh_params(t, *weights) == lsh._optimal_param(t, NUM_PERM, *weights), t


def test_default_banding_favours_recall():
    from newsledger.dedup import _lsh_params

    b, r = _lsh_params(0.8)
    assert 1 - (1 - 0.8 ** r) ** b > 0.9  # a pair at the threshold is almost always a candidate
    assert 1 - (1 - 0.5 ** r) ** b < 0.1  # a pair at 0.5 rarely is
