"""Characters per second of find_figures on one core, over a large news-like text.

The text is composed from sentences written for this benchmark (both scripts, prose with and
without figures), with the numbers varied by a seeded RNG so the memoised numeral parse does not
see one repeated string.  The machine is shared, so CPU time (process_time) is the measure; wall
clock is printed beside it.  A second run over figure-only sentences shows the worst case.  Usage: ``.venv/bin/python benchmarks/bench_figures_speed.py [MB]``.
"""
from __future__ import annotations

import random
import sys
import time

from newsledger.extract.figures import find_figures

TEMPLATES = [
    "財政部資料顯示，前{m}個月全國一般公共預算支出{a}億元，同比增長{p}%，增速比上年同期提高{q}個百分點。",
    "财政部数据显示，前{m}个月全国一般公共预算支出{a}亿元，同比增长{p}%，增速比上年同期提高{q}个百分点。",
    "會議指出，明年要繼續實施更加積極的財政政策，擴大有效投資，加快建設現代化產業體系，穩住就業基本盤。",
    "会议指出，明年要继续实施更加积极的财政政策，扩大有效投资，加快建设现代化产业体系，稳住就业基本盘。",
    "該公司第三季度營收{b}億元，年增{p}%，其中海外市場貢獻超過{r}%，經營現金流為-{c}億元。",
    "该公司第三季度营收{b}亿元，同比增长{p}%，其中海外市场贡献超过{r}%，经营现金流为-{c}亿元。",
    "經濟部表示，今年已協助{n:,}家中小企業導入數位工具，累計創造逾新臺幣{c}億元產值，吸引逾{k}人參與。",
    "報告認為，人工智慧與機器人產業的融合正在加速，一批龍頭企業在各自的領域形成了明顯的優勢。",
    "报告认为，人工智能与机器人产业的融合正在加速，一批龙头企业在各自的领域形成了明显的优势。",
    "全球約有{r}%的產能集中在亞洲，近三成的訂單來自北美，電網支出是對手的近{x}倍。",
    "预计{y}年新增政府债务规模在{t}万亿元至{u}万亿元之间，赤字率维持在{p}%左右。",
    "日本{y}年出生人數預計降至{h}萬人左右，結婚數約為{h}萬對，比上年減少{q}%。",
    "截至{y}年{m}月{d}日，該基金已投資{k}個項目，總規模達到{t}兆元，其中約{s}的資金投向早期企業。",
    "市場人士指出，政策效果需要時間顯現，投資者應保持耐心，關注企業基本面的變化和長期的成長潛力。",
    "他說，過去{m}年裡公司經歷了兩次大的調整，每一次都讓團隊對市場有了更深的理解。",
    "安克創新召回的行動電源約{h}萬台以上，為此計提預計負債{c}億元，股價在不到四個月內下跌近三成。",
    "该市今年引进项目{k}个，总投资{a}亿元，带动就业{n:,}人，人均年收入{c}万元。",
    "美國擁有{r}%的算力，中國佔{q}%，兩國在AI基礎設施上的累計投資將超過{t}兆美元。",
]
# Prose without figures (or with only times), as most of a news article is.
PROSE = [
    "業內專家認為，隨著新技術不斷成熟，相關產業鏈上下游企業的協同創新能力將進一步增強。",
    "业内专家认为，随着新技术不断成熟，相关产业链上下游企业的协同创新能力将进一步增强。",
    "{y}年{m}月{d}日，這場以科技創新為主題的大會在南京舉行，吸引了眾多企業和科研院所參加。",
    "{y}年{m}月{d}日，这场以科技创新为主题的大会在南京举行，吸引了众多企业和科研院所参加。",
    "地方政府表示，將繼續優化營商環境，完善要素保障，支持民營企業參與重大項目建設。",
    "地方政府表示，将继续优化营商环境，完善要素保障，支持民营企业参与重大项目建设。",
    "公司創始人在接受採訪時說，品牌的長期價值來自產品品質，而不是一時的流量和熱度。",
    "公司创始人在接受采访时说，品牌的长期价值来自产品质量，而不是一时的流量和热度。",
    "分析師提醒，外部環境的不確定性仍然較大，企業需要在擴張和穩健之間找到平衡。",
    "分析师提醒，外部环境的不确定性仍然较大，企业需要在扩张和稳健之间找到平衡。",
    "會議強調，要堅持問題導向，把各項政策落到實處，讓群眾切實感受到改革帶來的變化。",
    "会议强调，要坚持问题导向，把各项政策落到实处，让群众切实感受到改革带来的变化。",
    "從產業佈局來看，東部沿海地區依然是創新資源最集中的區域，中西部地區正在加快追趕。",
    "从产业布局来看，东部沿海地区依然是创新资源最集中的区域，中西部地区正在加快追赶。",
    "他回憶說，創業初期團隊只有幾個人，辦公室設在一間租來的小屋裡，每天都在為生存奔波。",
    "报道指出，消费者对智能产品的接受程度明显提高，线上线下融合的新零售模式正在普及。",
]


def compose(size: int, seed: int = 7, figure_share: float = 0.35) -> str:
    """About ``size`` characters; ``figure_share`` of the sentences carry figures."""
    rng = random.Random(seed)
    parts, total = [], 0
    while total < size:
        t = rng.choice(TEMPLATES) if rng.random() < figure_share else rng.choice(PROSE)
        s = t.format(
            m=rng.randint(2, 11), a=rng.randint(1000, 400000), p=round(rng.uniform(0.1, 30), 1),
            q=round(rng.uniform(0.1, 5), 1), b=round(rng.uniform(1, 200), 2), r=rng.randint(10, 99),
            c=round(rng.uniform(0.5, 50), 2), n=rng.randint(100, 9000), k=rng.randint(20, 900),
            x=rng.randint(2, 12), y=rng.randint(2018, 2030), t=rng.randint(2, 15), u=rng.randint(16, 30),
            h=round(rng.uniform(40, 80), 1), d=rng.randint(1, 28), s=rng.choice(["三分之一", "2/3", "四分之一"]),
        )
        parts.append(s)
        total += len(s)
        if rng.random() < 0.1:
            parts.append("\n")
    return "".join(parts)


def run(label: str, text: str) -> None:
    find_figures(text[:10000])  # warm-up
    cpu = wall = float("inf")
    for _ in range(3):
        c0, w0 = time.process_time(), time.perf_counter()
        figs = find_figures(text)
        cpu, wall = min(cpu, time.process_time() - c0), min(wall, time.perf_counter() - w0)
    print(f"{label}: {len(text):,} chars, {len(figs):,} figures ({len(figs) / len(text) * 1000:.1f} per 1000 chars); "
          f"best of 3: {len(text) / cpu:,.0f} chars/s CPU time on one core, {len(text) / wall:,.0f} chars/s wall clock")


def main() -> None:
    mb = float(sys.argv[1]) if len(sys.argv) > 1 else 4.0
    run("news-like (35% of sentences with figures)", compose(int(mb * 1_000_000)))
    run("figure-dense stress (every sentence)", compose(int(mb * 1_000_000 / 4), figure_share=1.0))


if __name__ == "__main__":
    main()
