"""A generated news corpus with gold figure annotations, for precision/recall and speed.

Sentences are composed from templates and vocabulary written for this benchmark (nothing is
copied from real articles).  Each sentence is built piece by piece, so the offsets of every
inserted figure are known exactly, in Simplified text and in its Traditional (OpenCC s2twp)
rendering, where phrase conversion may change lengths.  Distractors that are *not* figures
(years, dates, stock codes, product names, ordinals) are mixed in to measure precision.

    from figure_corpus import generate
    for text, gold in generate(1000, seed=1): ...

``gold`` is a list of dicts: start, end, text, kind, value, high, unit.
"""
from __future__ import annotations

import random
from typing import Iterator

import opencc

_S2T = opencc.OpenCC("s2twp")

SUBJECTS = ["华信科技", "东方电网", "远航汽车", "明德银行", "海川集团", "北辰能源", "嘉禾食品", "星河半导体",
            "国家统计局", "财政部", "海关总署", "欧盟", "日本", "韩国", "美国", "印度", "巴西", "深圳市", "浙江省"]
METRICS = ["营业收入", "净利润", "研发投入", "出口额", "财政支出", "投资总额", "融资规模", "订单金额", "市场规模"]
SHARE_METRICS = ["市场份额", "产能占比", "出口占比", "用户渗透率", "毛利率"]
COUNT_NOUNS = [("家", "企业"), ("辆", "新能源车"), ("名", "工程师"), ("人", "参观者"), ("台", "服务器"),
               ("项", "专利"), ("座", "数据中心"), ("架", "无人机"), ("所", "学校"), ("吨", "稀土")]
CURRENCIES = [("元", "CNY"), ("人民币", "CNY"), ("美元", "USD"), ("港元", "HKD"), ("日元", "JPY"),
              ("欧元", "EUR"), ("英镑", "GBP"), ("韩元", "KRW")]
MAGS = [("", 1), ("万", 1e4), ("亿", 1e8), ("万亿", 1e12)]
CN_DIGITS = "零一二三四五六七八九"
FILLERS = ["据悉，", "报道称，", "数据显示，", "业内人士指出，", "", "", "分析认为，"]
DISTRACTORS = [
    "该公司股票代码为{code}。", "{year}年{month}月{day}日，相关会议在北京召开。", "新一代5G基站已投入使用。",
    "其第{ordinal}季度财报将于下月发布。", "工业4.0的概念再次被提起。", "此次排名第{ordinal}位。",
    "一些专家对此表示谨慎。", "十大重点项目名单同时公布。",
]


def _cn_int(n: int) -> str:
    """A small integer (< 10000) in Chinese numerals, as news writes it (十二, 三百五十)."""
    if n == 0:
        return "零"
    out, units = [], [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
    zero = False
    for size, u in units:
        d = n // size
        n %= size
        if d:
            if zero and out:
                out.append("零")
            out.append(("" if (u == "十" and not out and d == 1) else CN_DIGITS[d]) + u)
            zero = False
        elif out:
            zero = True
    return "".join(out)


def _number(rng: random.Random, chinese_ok: bool = True) -> tuple[str, float]:
    style = rng.random()
    if chinese_ok and style < 0.15:
        n = rng.randint(2, 999)
        return _cn_int(n), float(n)
    if style < 0.55:
        n = rng.randint(1, 9999)
        s = f"{n:,}" if n >= 1000 and rng.random() < 0.4 else str(n)
        return s, float(n)
    x = round(rng.uniform(0.1, 999), rng.choice([1, 2]))
    return f"{x}", float(f"{x}")


def _money(rng):
    num, v = _number(rng)
    mag, m = rng.choice(MAGS[1:] if rng.random() < 0.8 else MAGS)
    cur, iso = rng.choice(CURRENCIES)
    if rng.random() < 0.15:  # a range: 3至5亿元
        hi = v + rng.randint(1, 9)
        hs = str(int(hi)) if hi == int(hi) else str(hi)
        sep = rng.choice(["至", "到", "-", "—"])
        return f"{num}{sep}{hs}{mag}{cur}", dict(kind="money", value=v * m, high=hi * m, unit=iso)
    return f"{num}{mag}{cur}", dict(kind="money", value=v * m, high=None, unit=iso)


def _percent(rng):
    x = round(rng.uniform(0.1, 99.9), 1)
    r = rng.random()
    if r < 0.15:
        n = rng.randint(1, 99)
        return f"百分之{_cn_int(n)}", dict(kind="percent", value=float(n), high=None, unit="%")
    if r < 0.25:
        lo = rng.randint(1, 8) * 10
        return f"{lo}%—{lo + 10}%", dict(kind="percent", value=float(lo), high=float(lo + 10), unit="%")
    return f"{x}%", dict(kind="percent", value=x, high=None, unit="%")


def _count(rng):
    num, v = _number(rng)
    cls, noun = rng.choice(COUNT_NOUNS)
    mag, m = rng.choice([("", 1), ("", 1), ("万", 1e4)])
    return f"{num}{mag}{cls}", dict(kind="count", value=v * m, high=None, unit=cls), noun


def _sentence(rng) -> list[tuple[str, dict | None]]:
    """A sentence as pieces: (text, gold-or-None)."""
    subj = rng.choice(SUBJECTS)
    kind = rng.random()
    filler = rng.choice(FILLERS)
    if kind < 0.4:
        fig, gold = _money(rng)
        pct, pg = _percent(rng)
        return [(f"{filler}{subj}{rng.choice(METRICS)}达到", None), (fig, gold),
                ("，同比增长", None), (pct, pg), ("。", None)]
    if kind < 0.65:
        pct, pg = _percent(rng)
        return [(f"{filler}{subj}的{rng.choice(SHARE_METRICS)}为", None), (pct, pg), ("。", None)]
    if kind < 0.85:
        fig, gold, noun = _count(rng)
        return [(f"{filler}{subj}共有", None), (fig, gold), (f"{noun}参与该计划。", None)]
    x = rng.randint(2, 12)
    return [(f"{filler}{subj}的产能是去年的", None),
            (f"{x}倍", dict(kind="multiplier", value=float(x), high=None, unit="x")), ("。", None)]


def _distractor(rng) -> str:
    t = rng.choice(DISTRACTORS)
    return t.format(code=rng.choice(["600519", "300750", "000001", "688981"]), year=rng.randint(1990, 2030),
                    month=rng.randint(1, 12), day=rng.randint(1, 28), ordinal=rng.choice(["一", "二", "三", "四"]))


def generate(n_texts: int, seed: int = 0, sentences: int = 12, trad_share: float = 0.5) -> Iterator[tuple[str, list[dict]]]:
    """Yield ``(text, gold)`` pairs; about ``trad_share`` of texts are in Traditional script."""
    rng = random.Random(seed)
    for _ in range(n_texts):
        trad = rng.random() < trad_share
        parts: list[str] = []
        gold: list[dict] = []
        pos = 0
        for _ in range(sentences):
            pieces = [(_distractor(rng), None)] if rng.random() < 0.2 else _sentence(rng)
            for piece, g in pieces:
                if trad:
                    piece = _S2T.convert(piece)
                if g is not None:
                    if trad and g["kind"] == "count":  # the unit is the classifier as written
                        g = {**g, "unit": _S2T.convert(g["unit"])}
                    gold.append({**g, "start": pos, "end": pos + len(piece), "text": piece})
                parts.append(piece)
                pos += len(piece)
        yield "".join(parts), gold


if __name__ == "__main__":  # pragma: no cover
    for text, gold in generate(2, seed=3):
        print(text)
        for g in gold:
            assert text[g["start"]:g["end"]] == g["text"]
            print("  ", g)
