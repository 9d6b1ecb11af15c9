"""Generate realistic news-digest articles in Simplified and Traditional script, for benchmarks.

``generate(n, seed=0)`` yields ``n`` dicts (title, body, source, tag, published, script): seeded and
reproducible, streaming (constant memory), fast (well over 5,000 articles a second).  Articles are
composed from the templates and vocabulary below (our own sentences): companies, countries and
ministries reporting revenue, spending, births, market share, investment…, with figures of every
kind (money in several currencies and magnitudes, percentages, percentage points, multiples,
fractions, counts with classifiers, ranges, approximations; Arabic, Chinese and full-width
numerals) and time expressions (dates, years, quarters, periods, relative times, durations).

Traditional articles use Taiwan script and vocabulary made by OpenCC ``s2twp``: every template and
vocabulary entry is converted once at start, so composing either script is plain formatting.
A few articles are reposts of a recent one (``repost_rate``): the same text in the other script,
or with a figure changed or a sentence dropped, from another outlet: near-duplicates for the
ingester to find.  ``dup_rate`` repeats an article exactly.

CLI::

    python benchmarks/gen_corpus.py -n 10000 --seed 0 --format jsonl -o corpus.jsonl
    python benchmarks/gen_corpus.py -n 10000 --format digest -o corpus_dir/   # .txt digests
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import random
import string
import sys
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path

# ---- vocabulary (Simplified; the Traditional tables are derived with OpenCC s2twp) -------------
COMPANIES = [
    "华为", "宁德时代", "比亚迪", "腾讯", "阿里巴巴", "小米集团", "台积电", "联发科", "鸿海精密",
    "英伟达", "苹果公司", "特斯拉", "三星电子", "丰田汽车", "百度", "京东", "美团", "中芯国际",
    "联想集团", "海尔智家", "安克创新", "隆基绿能", "招商银行", "中国平安", "贵州茅台", "索尼集团",
]
TICKERS = {"英伟达": "NVDA,美国", "宁德时代": "300750,中国", "台积电": "2330,台湾", "苹果公司": "AAPL,美国",
           "特斯拉": "TSLA,美国", "腾讯": "0700,香港", "比亚迪": "002594,中国"}
COUNTRIES = ["中国", "美国", "日本", "韩国", "德国", "法国", "印度", "越南", "英国", "巴西", "印度尼西亚", "墨西哥"]
REGIONS = ["广东省", "江苏省", "浙江省", "上海市", "北京市", "深圳市", "南京市", "成都市", "台北市", "新北市", "香港"]
MINISTRIES = ["财政部", "商务部", "国家统计局", "工业和信息化部", "国家发展改革委", "中国人民银行", "国家数据局",
              "海关总署", "国家能源局", "经济部", "主计总处", "日本厚生劳动省", "美国商务部", "欧盟委员会"]
PEOPLE = ["王建国", "李晓梅", "张志强", "陈雅婷", "刘德明", "黄立行", "周文静", "吴海峰", "林佳慧", "赵子龙"]
ROLES = ["董事长", "首席执行官", "总经理", "首席经济学家", "副部长", "发言人", "研究院院长", "分析师"]
INSTITUTES = ["高盛", "摩根士丹利", "中金公司", "国际货币基金组织", "世界银行", "麦肯锡", "IDC", "Counterpoint"]
OUTLETS = ["第一财经", "证券时报", "经济日报", "21世纪经济报道", "财新", "新浪财经", "科技日报", "工商时报",
           "经济观察报", "界面新闻", "联合新闻网", "日经中文网", "澎湃新闻", "华尔街见闻"]
TAGS = ["财经", "科技", "创新", "产业", "民生", "国际", "能源", "汽车", "半导体", "消费"]
SECTORS = ["人工智能", "新能源汽车", "动力电池", "半导体", "云计算", "数据中心", "机器人", "生物医药", "低空经济",
           "跨境电商", "光伏", "储能", "数据要素", "智能手机", "互联网广告"]
PRODUCTS = {"辆": "新能源汽车", "部": "智能手机", "台": "服务器", "片": "晶圆", "套": "储能系统", "架": "无人机"}
METRICS_MONEY = ["营业收入", "净利润", "研发投入", "资本支出", "出口额", "财政支出", "固定资产投资", "营收",
                 "销售额", "融资规模", "市场规模", "专项资金"]
METRICS_PEOPLE = ["出生人数", "就业人数", "新增注册用户", "从业人员", "常住人口"]
UP = ["增长", "上升", "提高", "增加"]
DOWN = ["下降", "减少", "下滑", "回落"]
CURRENCIES_CN = ["元", "亿元", "万元", "美元", "亿美元", "港元", "亿日元", "欧元", "万亿元"]
CURRENCIES_TW = ["新台币", "亿元新台币", "美元", "亿美元"]
APPROX = ["", "", "", "约", "近", "超过", "逾", "不到", "至少", "将近"]

TITLE_TEMPLATES = [
    "{company}{year}年{metric_money}{up}{pct}",
    "{country}{year}年{metric_people}或跌至{people}",
    "{ministry}部署{next_year}重点工作",
    "{company}发布{sector}新战略 目标{future_year}年营收翻倍",
    "{region}打造{sector}产业集群 规模剑指{money}",
    "{institute}:{sector}投资热潮仍将持续",
    "{company}第{q}季度出货量{up}{pct}",
    "{sector}市场规模{future_year}年有望突破{money}",
    "{country}{sector}出口连续{n_small}个月{up}",
    "{company}与{company2}签署合作协议",
]
SENTENCES = [
    "{company}{date}公布,{period}{metric_money}达到{money},同比{up}{pct}。",
    "其中,{sector}业务贡献{money},占总{metric_money}的{pct_share}。",
    "{institute}预计,到{future_year}年,全球{sector}市场规模将突破{money},年均复合增长率约{pct}。",
    "{country}统计数据显示,{year}年{metric_people}为{people},较上年减少{people_small},降幅{pct_small}。",
    "这一比例比去年同期提高{pp}。",
    "{company}的{metric_money}约为{company2}的{mult}。",
    "{fraction}的受访企业表示,{next_year}将继续扩大在{sector}领域的投资。",
    "{ministry}表示,{next_year}将安排{money}专项资金,支持{sector}发展。",
    "截至{year}年{month}月底,{region}共有{sector}相关企业{count_firms}。",
    "过去{n_small}年,{company}累计投入研发资金{money}。",
    "{quarter},{company}{product}出货量为{count_units},市场份额{pct_share},排名第{rank}。",
    "{role}{person}在{region}举行的论坛上表示,{sector}正处在从技术突破走向规模应用的关键阶段。",
    "{year_range},{country}{sector}领域累计吸引投资{money_range}。",
    "{region}计划在{duration}内建成{count_units}{sector}示范项目。",
    "{period}{country}对外出口{money},{up}{pct},增速较上半年加快{pp}。",
    "业内人士指出,{sector}的竞争已从单纯比拼价格转向比拼技术和服务。",
    "{company}({ticker})股价今年以来累计上涨{pct},市值{money}。",
    "{decade}以来,{country}{metric_people}持续{down},目前仅为高峰时期的{fraction}。",
    "{region}{year}年{metric_money}预算为{money},其中{pct_share}用于{sector}。",
    "报告称,{country}在{sector}领域的产能是{country2}的{mult},但核心设备仍依赖进口。",
    "{date_range}举行的展会吸引{count_people}参观,现场签约金额{money}。",
    "{company}计划{next_year}将员工人数增加{pct_small},新招聘{count_people}。",
    "{relative},{sector}板块平均市盈率约为{number}倍,高于过去十年均值。",
    "{ministry}数据显示,{period}全国{sector}产量为{count_tons},同比{down}{pct_small}。",
]
SOURCE_FMT = " ({outlet})"

_CN_DIGITS = "零一二三四五六七八九"
_FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def _cn_int(n: int) -> str:
    """1..9999 in Chinese numerals (三千五百, 十二); enough for the sizes composed here."""
    if n < 10:
        return _CN_DIGITS[n]
    out, zero = [], False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero:
                out.append("零")
            out.append(("" if (unit == "十" and not out and d == 1) else _CN_DIGITS[d]) + unit)
            zero = False
        elif out:
            zero = True
    return "".join(out)


class _Script:
    """The vocabulary and templates in one script (Traditional converted once with s2twp)."""

    def __init__(self, convert) -> None:  # noqa: ANN001
        c = convert
        self.name = "simp" if c("这") == "这" else "trad"
        self.companies = [c(x) for x in COMPANIES]
        self.tickers = {c(k): c(v) for k, v in TICKERS.items()}
        self.countries = [c(x) for x in COUNTRIES]
        self.regions = [c(x) for x in REGIONS]
        self.ministries = [c(x) for x in MINISTRIES]
        self.people = [c(x) for x in PEOPLE]
        self.roles = [c(x) for x in ROLES]
        self.institutes = [c(x) for x in INSTITUTES]
        self.outlets = [c(x) for x in OUTLETS]
        self.tags = [c(x) for x in TAGS]
        self.sectors = [c(x) for x in SECTORS]
        self.products = [(c(k), c(v)) for k, v in PRODUCTS.items()]
        self.metrics_money = [c(x) for x in METRICS_MONEY]
        self.metrics_people = [c(x) for x in METRICS_PEOPLE]
        self.up = [c(x) for x in UP]
        self.down = [c(x) for x in DOWN]
        self.currencies = [c(x) for x in CURRENCIES_CN] + ([c(x) for x in CURRENCIES_TW] if self.name == "trad" else [])
        self.approx = [c(x) for x in APPROX]
        self.titles = [c(x) for x in TITLE_TEMPLATES]
        self.sentences = [c(x) for x in SENTENCES]
        for t in self.titles + self.sentences:  # every placeholder must have a filler
            for _, name, _, _ in string.Formatter().parse(t):
                if name and name not in _FIXED and name not in _FIELDS:
                    raise KeyError(f"template field {name!r} has no filler: {t}")
        w = {k: c(k) for k in ("万", "亿", "万亿", "个百分点", "倍", "分之", "家", "人", "吨", "年", "月", "日",
                               "今年", "去年", "明年", "前", "个月", "第", "季度", "上半年", "下半年", "去年同期",
                               "近", "至", "年代", "世纪", "截至", "底", "今", "本月", "上月", "过去", "年来",
                               "成", "万人", "余", "未来", "约", "百分之")}
        self.w = w
        self.magnitudes = [("", 1000, 99999), (w["万"], 10, 9999), (w["亿"], 1, 9999), (w["亿"], 1, 999),
                           (w["万亿"], 0.5, 30)]


_CONVERTERS: dict[str, object] = {}


def _converter(config: str = "s2twp"):  # noqa: ANN202
    """OpenCC's convert for ``config``, built once (building one takes tens of milliseconds)."""
    if config not in _CONVERTERS:
        import opencc

        _CONVERTERS[config] = opencc.OpenCC(config).convert
    return _CONVERTERS[config]


_SCRIPTS: dict[str, _Script] = {}


def _scripts() -> dict[str, _Script]:
    if not _SCRIPTS:
        _SCRIPTS["simp"] = _Script(lambda s: s)
        _SCRIPTS["trad"] = _Script(_converter())
    return _SCRIPTS


def _pick(r: random.Random, seq):  # noqa: ANN001, ANN202
    """random.choice without its overhead (this is the generator's hot loop)."""
    return seq[int(r.random() * len(seq))]


def _other(r: random.Random, seq, not_this):  # noqa: ANN001, ANN202
    i = int(r.random() * (len(seq) - 1))
    return seq[i] if seq[i] != not_this else seq[-1]


class _Values(dict):
    """The article's fixed subjects; any other field is drawn afresh at each use (str.format_map
    does the template parsing in C, which keeps the generator fast)."""

    __slots__ = ("composer",)

    def __missing__(self, key: str) -> str:
        return _FIELDS[key](self.composer)


class _Composer:
    """Fills templates for one article: fixed subjects, fresh figures for each placeholder."""

    def __init__(self, rng: random.Random, sc: _Script, published: _dt.date) -> None:
        self.r, self.s, self.w, self.pub = rng, sc, sc.w, published
        r = rng
        company = _pick(r, sc.companies)
        country = _pick(r, sc.countries)
        unit, product = _pick(r, sc.products)
        self.fixed = vals = _Values({
            "company": company, "country": country, "region": _pick(r, sc.regions),
            "ministry": _pick(r, sc.ministries), "sector": _pick(r, sc.sectors),
            "institute": _pick(r, sc.institutes), "metric_money": _pick(r, sc.metrics_money),
            "metric_people": _pick(r, sc.metrics_people), "person": _pick(r, sc.people), "role": _pick(r, sc.roles),
            "company2": _other(r, sc.companies, company),
            "country2": _other(r, sc.countries, country),
            "ticker": sc.tickers.get(company) or f"{r.randint(600000, 603999)},{sc.countries[0]}",
            "product": product,
        })
        vals.composer = self
        self._unit = unit

    def fill(self, template: str) -> str:
        return template.format_map(self.fixed)

    # numbers -------------------------------------------------------------------------------
    def _num(self, lo: float, hi: float, decimals: int = 1, cn: bool = True) -> str:
        r = self.r
        v = lo + (hi - lo) * r.random()
        style = r.random()
        if cn and style < 0.12 and v >= 1:
            return _cn_int(max(1, int(v) % 10000))
        if style < 0.16:
            return (f"{v:.{decimals}f}" if decimals else str(int(v))).translate(_FULLWIDTH)
        if style < 0.30 and v >= 1000:
            return f"{int(v):,}"
        return f"{v:.{decimals}f}" if (decimals and r.random() < 0.6) else str(int(v) or 1)

    def _int(self, lo: int, hi: int) -> int:
        return lo + int(self.r.random() * (hi - lo + 1))

    def money(self) -> str:
        r, w = self.r, self.w
        cur = _pick(r, self.s.currencies)
        if w["万亿"] in cur:
            mag, lo, hi = "", 0.5, 30
        elif w["亿"] in cur or w["万"] in cur:
            mag, lo, hi = "", 1, 9999
        else:
            mag, lo, hi = _pick(r, self.s.magnitudes)
        return f"{_pick(r, self.s.approx)}{self._num(lo, hi, 1 if hi < 100 else self._int(0, 1))}{mag}{cur}"

    def money_range(self) -> str:
        w = self.w
        a = self._int(1, 50)
        return f"{a}{w['至']}{a + self._int(1, 50)}{_pick(self.r, (w['亿'], w['万亿']))}{_pick(self.r, self.s.currencies[3:5])}"

    def pct(self) -> str:
        if self.r.random() < 0.08:
            return f"{self.w['百分之']}{_cn_int(self._int(1, 60))}"
        return f"{self._num(0.5, 60, cn=False)}%"

    def pct_small(self) -> str:
        return f"{0.1 + 9.8 * self.r.random():.1f}%"

    def pct_share(self) -> str:
        if self.r.random() < 0.7:
            return f"{1 + 79 * self.r.random():.1f}%"
        return f"{self._int(1, 9)}{self.w['成']}"

    def pp(self) -> str:
        return f"{0.1 + 4.9 * self.r.random():.1f}{self.w['个百分点']}"

    def mult(self) -> str:
        r = self.r
        return f"{_pick(r, ('', self.w['近'], self.w['约']))}{_pick(r, ('1.5', '2', '3', '4.2', '9', '12'))}{self.w['倍']}"

    def fraction(self) -> str:
        d = self._int(2, 5)
        n = _pick(self.r, _COPRIME[d])
        if self.r.random() < 0.5:
            return f"{_cn_int(d)}{self.w['分之']}{_cn_int(n)}"
        return f"{n}/{d}"

    def people(self) -> str:
        return f"{10 + 989 * self.r.random():.1f}{self.w['万人']}"

    def people_small(self) -> str:
        return f"{0.5 + 9.4 * self.r.random():.1f}{self.w['万人']}"

    def count_firms(self) -> str:
        return f"{self._num(100, 99999, 0)}{self.w['家']}"

    def count_people(self) -> str:
        if self.r.random() < 0.5:
            return f"{self._num(100, 99999, 0)}{self.w['人']}"
        return f"{self._num(1, 99, 1)}{self.w['万人']}"

    def count_units(self) -> str:
        return f"{self._num(1, 9999, 0)}{_pick(self.r, ('', self.w['万']))}{self._unit}"

    def count_tons(self) -> str:
        return f"{self._num(1, 9999, 0)}{self.w['万']}{self.w['吨']}"

    def number(self) -> str:
        return f"{8 + 72 * self.r.random():.1f}"

    def approx(self) -> str:
        return _pick(self.r, self.s.approx)

    def up(self) -> str:
        return _pick(self.r, self.s.up)

    def down(self) -> str:
        return _pick(self.r, self.s.down)

    def rank(self) -> str:
        return _cn_int(self._int(1, 5))

    def n_small(self) -> str:
        return str(self._int(2, 12))

    def q(self) -> str:
        return _cn_int(self._int(1, 4))

    def year(self) -> str:
        return str(self.year_ - self._int(0, 1))

    def next_year(self) -> str:
        return self.w["明年"] if self.r.random() < 0.5 else f"{self.year_ + 1}{self.w['年']}"

    def future_year(self) -> str:
        return str(self.year_ + self._int(2, 10))

    def month(self) -> str:
        return str(self._int(1, 12))

    def date(self) -> str:
        w, p, k = self.w, self.pub, self._int(0, 2)
        if k == 0:
            return f"{w['今']}({p.day}){w['日']}"
        if k == 1:
            return f"{p.month}{w['月']}{p.day}{w['日']}"
        return f"{p.year}{w['年']}{p.month}{w['月']}{p.day}{w['日']}"

    def date_range(self) -> str:
        w, d = self.w, self._int(1, 25)
        return f"{self._int(1, 12)}{w['月']}{d}{w['日']}{w['至']}{d + self._int(1, 3)}{w['日']}"

    def period(self) -> str:
        w, y, k = self.w, self.year_, self._int(0, 5)
        if k == 0:
            return f"{w['今年']}{w['前']}{_cn_int(self._int(2, 11))}{w['个月']}"
        if k == 1:
            return f"{y}{w['年']}{w['第']}{_cn_int(self._int(1, 4))}{w['季度']}"
        if k == 2:
            return f"{w['今年']}{w['上半年']}"
        if k == 3:
            return f"{y - 1}{w['年']}"
        if k == 4:
            return w["去年同期"]
        return f"{y}{w['年']}{self._int(1, 12)}{w['月']}"

    def quarter(self) -> str:
        return f"{self.year_}{self.w['年']}{self.w['第']}{_cn_int(self._int(1, 4))}{self.w['季度']}"

    def year_range(self) -> str:
        a = self.year_ - self._int(3, 10)
        return f"{a}~{a + self._int(1, 3)}{self.w['年']}"

    def decade(self) -> str:
        return f"{_pick(self.r, (1970, 1980, 1990))}{self.w['年代']}"

    def duration(self) -> str:
        w = self.w
        if self.r.random() < 0.5:
            return f"{w['未来']}{_cn_int(self._int(3, 5))}{w['年']}"
        return f"{self._int(10, 15)}{w['年']}—{self._int(16, 20)}{w['年']}"

    def relative(self) -> str:
        w, k = self.w, self._int(0, 3)
        if k == 0:
            return f"{w['截至']}{w['上月']}{w['底']}"
        if k == 1:
            return f"{w['过去']}{self._int(2, 5)}{w['年来']}"
        if k == 2:
            return f"{w['近']}{_cn_int(10)}{w['年']}"
        return w["去年同期"]

    @property
    def year_(self) -> int:
        return self.pub.year


_COPRIME = {d: [n for n in range(1, d) if __import__("math").gcd(n, d) == 1] for d in range(2, 6)}
_FIXED = ("company", "country", "region", "ministry", "sector", "institute", "metric_money", "metric_people",
          "person", "role", "company2", "country2", "ticker", "product")
_FIELDS = {name: getattr(_Composer, name) for name in dir(_Composer)
           if not name.startswith("_") and name not in ("fill",) and callable(getattr(_Composer, name))}


def _tw(text: str) -> str:
    return _converter()(text)


def _repost(rng: random.Random, art: dict, outlets: dict[str, list[str]]) -> dict:
    """A near-duplicate of ``art``: the other script, or one figure changed, or one sentence dropped."""
    out = dict(art)
    kind = rng.random()
    if kind < 0.4:
        if art["script"] == "simp":
            out["title"], out["body"], out["script"] = _tw(art["title"]), _tw(art["body"]), "trad"
        else:
            conv = _converter("tw2sp")
            out["title"], out["body"], out["script"] = conv(art["title"]), conv(art["body"]), "simp"
    elif kind < 0.7:
        digits = [i for i, ch in enumerate(art["body"]) if ch.isdigit()]
        if digits:
            i = rng.choice(digits)
            out["body"] = art["body"][:i] + str((int(art["body"][i]) + 1) % 10) + art["body"][i + 1:]
    else:
        sents = [s for s in art["body"].split("。") if s]
        if len(sents) > 6:
            del sents[rng.randrange(1, len(sents))]
            out["body"] = "。".join(sents) + "。"
    out["source"] = rng.choice(outlets[out["script"]])
    return out


def generate(
    n: int,
    seed: int = 0,
    *,
    trad_share: float = 0.5,
    repost_rate: float = 0.02,
    dup_rate: float = 0.005,
    start: _dt.date = _dt.date(2024, 1, 1),
    days: int = 730,
) -> Iterator[dict]:
    """``n`` articles as dicts: title, body, source, tag, published (date), script ("simp"/"trad").

    Articles come in runs sharing a tag (as a digest section does).  Seeded: the same ``seed``
    gives the same articles.  Memory is constant: only the last 200 articles are kept, for reposts.
    """
    rng = random.Random(seed)
    scripts = _scripts()
    outlets = {k: v.outlets for k, v in scripts.items()}
    recent: deque[dict] = deque(maxlen=200)
    made, run_left, tag_idx = 0, 0, 0
    while made < n:
        if run_left <= 0:
            run_left, tag_idx = rng.randint(3, 12), rng.randrange(len(TAGS))
        run_left -= 1
        roll = rng.random()
        if recent and roll < dup_rate:
            art = dict(rng.choice(recent))
        elif recent and roll < dup_rate + repost_rate:
            art = _repost(rng, rng.choice(recent), outlets)
        else:
            sc = scripts["trad" if rng.random() < trad_share else "simp"]
            pub = start + _dt.timedelta(days=rng.randrange(days))
            comp = _Composer(rng, sc, pub)
            title = comp.fill(_pick(rng, sc.titles))
            k = rng.randint(6, 16)
            body = "".join(comp.fill(t) for t in rng.sample(sc.sentences, k))
            art = {"title": title, "body": body, "source": rng.choice(sc.outlets), "tag": sc.tags[tag_idx],
                   "published": pub, "script": sc.name}
            recent.append(art)
        made += 1
        yield art


# ---- writing -----------------------------------------------------------------------------------
def write_jsonl(articles, out) -> int:  # noqa: ANN001
    n = 0
    for a in articles:
        rec = {**a, "published": a["published"].isoformat() if a.get("published") else None}
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_digests(articles, folder: Path, per_file: int = 50) -> int:  # noqa: ANN001
    """Digest .txt files of ``per_file`` articles: a ``#tag`` line whenever the tag changes, then
    title and body lines, the body ending in ``(source)``."""
    folder.mkdir(parents=True, exist_ok=True)
    n, fh, tag = 0, None, None
    try:
        for a in articles:
            if n % per_file == 0:
                if fh:
                    fh.close()
                fh = (folder / f"digest_{n // per_file:05d}.txt").open("w", encoding="utf-8")
                tag = None
            if a["tag"] != tag:
                tag = a["tag"]
                fh.write(f"#{tag}\n")
            fh.write(f"{a['title']}\n{a['body']}{SOURCE_FMT.format(outlet=a['source'])}\n")
            n += 1
    finally:
        if fh:
            fh.close()
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="how many articles (default 1000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--format", choices=("jsonl", "digest"), default="jsonl")
    ap.add_argument("--per-file", type=int, default=50, help="articles per digest file")
    ap.add_argument("-o", "--out", default="-", help="a .jsonl file (or - for stdout), or a folder for digests")
    args = ap.parse_args(argv)
    t0, c0 = time.perf_counter(), time.process_time()
    arts = generate(args.n, args.seed)
    if args.format == "digest":
        if args.out == "-":
            ap.error("--format digest needs -o FOLDER")
        n = write_digests(arts, Path(args.out), args.per_file)
    elif args.out == "-":
        n = write_jsonl(arts, sys.stdout)
    else:
        with open(args.out, "w", encoding="utf-8") as fh:
            n = write_jsonl(arts, fh)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{n} articles in {dt:.2f} s wall, {cpu:.2f} s CPU ({n / cpu:,.0f} articles per CPU second)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
