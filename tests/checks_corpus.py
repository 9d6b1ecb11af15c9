"""Build hand-specified Claims from tests/corpus/checks/*.yaml (shared by test_checks and test_brief)."""
from __future__ import annotations

from pathlib import Path

import yaml

from newsledger.model import Claim, Entity, Figure, TimeExpr
from newsledger.text.sentences import split_sentences

CORPUS = Path(__file__).parent / "corpus" / "checks"


def _find(text: str, s: str, occurrence: int = 1) -> int:
    i = -1
    for _ in range(occurrence):
        i = text.find(s, i + 1)
        if i < 0:
            raise AssertionError(f"{s!r} not in {text!r}")
    return i


def _entity(text: str, name: str | None, before: int) -> Entity | None:
    if not name:
        return None
    i = text.rfind(name, 0, before)
    if i < 0:
        i = text.find(name)
    if i < 0:  # named only in another article: no span here
        return Entity(0, 0, name, "ORG", name)
    return Entity(i, i + len(name), name, "ORG", name)


def build(text: str, specs: list[dict], article_id: str | None = None) -> list[Claim]:
    sents = split_sentences(text)
    out = []
    for sp in specs:
        fig = str(sp["fig"])
        i = _find(text, fig, sp.get("occurrence", 1))
        f = Figure(i, i + len(fig), fig, sp["kind"], float(sp["value"]),
                   high=float(sp["high"]) if sp.get("high") is not None else None,
                   unit=sp.get("unit"), approx=sp.get("approx", "exact"))
        s0, s1 = next(((a, b) for a, b in sents if a <= i < b), (0, len(text)))
        period = None
        if sp.get("period"):
            p = sp["period"]
            j = text.rfind(p, 0, i + 1)
            j = j if j >= 0 else text.find(p)
            period = TimeExpr(j, j + len(p), p, "year", sp.get("period_value"), bool(sp.get("period_relative")))
        out.append(Claim(
            figure=f, subject=_entity(text, sp.get("subject"), i), metric=sp.get("metric"), period=period,
            sentence_start=s0, sentence_end=s1, relation=sp.get("relation", "level"),
            direction=sp.get("direction"), other=_entity(text, sp.get("other"), i), article_id=article_id,
        ))
    return out


def examples():
    for path in sorted(CORPUS.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for ex in doc["examples"]:
            yield doc["check"], ex
