"""Checks: one generated test per example of tests/corpus/checks/*.yaml, plus registry behaviour."""
from __future__ import annotations

import pytest

from newsledger.checks import CheckContext, checks, run_checks
from newsledger.errors import ConfigError

from checks_corpus import build, examples

EXAMPLES = list(examples())


@pytest.mark.parametrize("check,ex", EXAMPLES, ids=[f"{c}:{e['name']}" for c, e in EXAMPLES])
def test_example(check, ex):
    claims = build(ex["text"], ex["claims"], article_id="this")
    ctx_claims, sources = [], {"this": "this article"}
    for other in ex.get("context", []):
        ctx_claims += build(other["text"], other["claims"], article_id=other["article"])
        sources[other["article"]] = other["source"]
    found = run_checks(claims, ex["text"], CheckContext(ctx_claims, sources), only=[check])
    expect = ex["expect"]
    assert [f.kind for f in found] == [e["kind"] for e in expect], [f.message for f in found]
    for f, e in zip(found, expect):
        assert f.check == check
        assert f.verified == bool(e.get("verified", False))
        assert (f.severity == "info") == f.verified
        if "contains" in e:
            assert e["contains"] in f.message, f.message
        for a, b in f.spans:  # spans index the article's text
            assert 0 <= a < b <= len(ex["text"])


def test_every_check_has_positive_and_negative_examples():
    names = set(checks())
    assert {"range_magnitude", "growth_arithmetic", "shares", "ratios", "units", "cross_article"} <= names
    for name in names:
        exs = [e for c, e in EXAMPLES if c == name]
        assert any(e["expect"] for e in exs), f"{name} has no positive example"
        assert any(not e["expect"] for e in exs), f"{name} has no negative example"
        assert checks()[name].doc, f"{name} is undocumented"


def test_unknown_check_is_a_config_error():
    with pytest.raises(ConfigError):
        run_checks([], only=["no_such_check"])


def test_context_may_be_a_plain_list():
    ex = next(e for c, e in EXAMPLES if c == "cross_article" and e["expect"])
    claims = build(ex["text"], ex["claims"], article_id="this")
    other = ex["context"][0]
    ctx = build(other["text"], other["claims"], article_id=other["article"])
    kinds = [f.kind for f in run_checks(claims, ex["text"], ctx, only=["cross_article"])]
    assert kinds == ["cross_article_conflict"]
