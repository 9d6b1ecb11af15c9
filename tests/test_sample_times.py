"""Time expressions on the real sample digest, sentence by sentence (skipped when it is absent).

The expectations (tests/corpus/times/sample_expectations.yaml) are short strings in text order;
the found times are aligned with them in order, and precision and recall must stay above the
floors pinned in that file.  Run with -s to see the figures and the differences.
"""
from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest
import yaml

from newsledger.extract.times import find_times

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed"
SAMPLE = SEED / "000_f01c30d3e8acb4b2.txt"
EXPECT = Path(__file__).resolve().parent / "corpus" / "times" / "sample_expectations.yaml"


def _sentences(text: str) -> list[tuple[int, int]]:
    try:
        from newsledger.text.sentences import split_sentences
    except ImportError:  # engineer R's splitter not there yet: split on sentence ends and lines
        import re

        return [m.span() for m in re.finditer(r"[^。！？!?\n]+[。！？!?\n]?", text)]
    return split_sentences(text)


def score(found: list[tuple], expected: list[tuple]) -> tuple[float, float, list[str]]:
    sm = difflib.SequenceMatcher(a=expected, b=found, autojunk=False)
    tp = sum(b.size for b in sm.get_matching_blocks())
    diffs = [f"{op}: expected {expected[i1:i2]} found {found[j1:j2]}"
             for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"]
    return tp / max(1, len(found)), tp / max(1, len(expected)), diffs


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample digest not present (../shared/seed)")
def test_sample_times_sentence_by_sentence():
    spec = yaml.safe_load(EXPECT.read_text(encoding="utf-8"))
    text = SAMPLE.read_text(encoding="utf-8")
    ref = spec["ref_date"] if isinstance(spec["ref_date"], dt.date) else dt.date.fromisoformat(spec["ref_date"])
    found = []
    for s, e in _sentences(text):
        for t in find_times(text[s:e], ref_date=ref):
            assert text[s + t.start:s + t.end] == t.text  # offsets hold inside the whole digest
            found.append((t.text, t.type, t.value))
    expected = [tuple(x) for x in spec["expected"]]
    precision, recall, diffs = score(found, expected)
    print(f"\nsample times: {len(found)} found, {len(expected)} expected, "
          f"precision {precision:.3f}, recall {recall:.3f}")
    for d in diffs:
        print(" ", d)
    assert precision >= spec["floors"]["precision"], diffs
    assert recall >= spec["floors"]["recall"], diffs
    # the whole text gives the same times as its sentences (no rule reaches across a sentence end)
    assert [(t.text, t.type, t.value) for t in find_times(text, ref_date=ref)] == found
