"""Claims: cue cases generated from corpus/claims/cues.yaml, the gold set's floors, and invariants."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml

from newsledger.extract import extract
from newsledger.claims import build_claims
from newsledger.claims_eval import load_gold, oracle_extraction, score
from newsledger.model import Extraction

HERE = Path(__file__).parent / "corpus" / "claims"
CUES = yaml.safe_load((HERE / "cues.yaml").read_text(encoding="utf-8"))
GOLD = load_gold(HERE / "gold.yaml")
FLOORS = json.loads((HERE / "floors.json").read_text(encoding="utf-8"))


def _claim_for(text, fig):
    i = text.index(fig)
    claims = extract(text).claims
    hits = [c for c in claims if c.figure.start < i + len(fig) and i < c.figure.end]
    assert hits, f"no claim for {fig!r} in {text!r}: {[c.figure.text for c in claims]}"
    return hits[0]


@pytest.mark.parametrize("case", CUES, ids=[c["text"] for c in CUES])
def test_cue_case(case):
    c = _claim_for(case["text"], str(case["figure"]))
    assert c.relation == case["relation"]
    assert c.direction == case.get("direction")
    if case.get("other"):
        assert c.other is not None and c.other.text == case["other"]


def test_gold_set_is_large_and_in_both_scripts():
    assert sum(len(g["claims"]) for g in GOLD) >= 150
    from newsledger.text.script import detect_script

    scripts = {detect_script(g["text"]) for g in GOLD}
    assert {"trad", "simp"} <= scripts


def test_floors_match_this_gold_set():
    digest = hashlib.sha256((HERE / "gold.yaml").read_bytes()).hexdigest()
    assert FLOORS["gold_sha256"] == digest, "gold.yaml changed: re-pin with benchmarks/bench_claims.py --pin"


def test_pipeline_accuracy_stays_above_floors():
    got = score(GOLD, "pipeline").as_dict()
    low = {k: (got[k], v) for k, v in FLOORS["floors"].items() if got[k] < v}
    assert not low, f"accuracy fell below the pinned floors (got, floor): {low}"


def test_oracle_linking_beats_pipeline_floors():
    # with perfect figures/times/entities, the linking alone must do at least as well
    got = score(GOLD, "oracle").as_dict()
    for k in ("subject_precision", "metric_precision", "period_precision"):
        assert got[k] >= FLOORS["floors"][k]


@pytest.mark.parametrize("item", GOLD[::7], ids=lambda g: g["text"][:12])
def test_claim_offsets_and_sentences(item):
    text = item["text"]
    ext = extract(text)
    assert len(ext.claims) == len(ext.figures)
    for c in ext.claims:
        assert text[c.figure.start : c.figure.end] == c.figure.text
        assert c.sentence_start <= c.figure.start < c.figure.end <= c.sentence_end
        if c.subject is not None:
            assert text[c.subject.start : c.subject.end] == c.subject.text
        if c.period is not None:
            assert text[c.period.start : c.period.end] == c.period.text
        if c.metric:
            assert c.metric in text  # cut from the original, in its own script


def test_no_figures_no_claims():
    assert build_claims("沒有數字的句子。", Extraction(text="沒有數字的句子。")) == []


def test_oracle_extraction_is_built_from_gold_spans():
    ext = oracle_extraction(GOLD[0])
    assert [f.text for f in ext.figures] == [str(c["figure"]) for c in GOLD[0]["claims"]]
