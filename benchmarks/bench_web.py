"""Web latency under loopback load: p50/p95 per page and API route, plus an article screenshot.

    .venv/bin/python benchmarks/bench_web.py --db sqlite:///newsledger.db [--clients 20] [--seconds 30]
    .venv/bin/python benchmarks/bench_web.py --db sqlite:///newsledger.db --screenshot docs/screenshots/article.png

Starts ``newsledger serve`` in a child process on a free 127.0.0.1 port (so the load generator
does not share its interpreter), then runs N concurrent clients (asyncio + httpx, keep-alive) for
a bounded time over a mix of URLs drawn from the ledger itself (articles, entities, queries in
both scripts).  Loopback only: the target is always the child server on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote

MAX_CLIENTS, MAX_SECONDS = 64, 300
# generic news words of our own, in both scripts (a query in either finds both)
QUERIES = ["公司", "人工智慧", "人工智能", "數據", "数据", "投資", "投资", "成長", "增长", "市場", "市场",
           "營收", "营收", "網際網路", "互联网", "晶片", "芯片", "能源", "政策", "出口"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int, time_limit_ms: float = 1000) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "newsledger.cli", "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port),
           "--time-limit-ms", str(time_limit_ms)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/home", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not answer within 60 s")


def url_mix(db: str, sample: int = 200) -> dict[str, list[str]]:
    """Route name → candidate URLs, drawn from the ledger (first ``sample`` articles, top entities)."""
    from newsledger.store import Ledger

    with Ledger(db) as led:
        ids = [a["id"] for a in itertools.islice(led.iter_articles(), sample)]
        ents = Counter(e["canonical"] for e in itertools.islice(led.iter_entities(), 5000))
        units = Counter(f["unit"] for f in itertools.islice(led.iter_figures(), 5000) if f["unit"])
    if not ids:
        raise SystemExit(f"the ledger {db} is empty: ingest something first")
    top = [quote(c, safe="") for c, _ in ents.most_common(20)] or ["-"]
    qs = [quote(q) for q in QUERIES]
    unit = quote(units.most_common(1)[0][0]) if units else "%25"
    return {
        "page /": ["/"],
        "api /api/home": ["/api/home"],
        "page /article/{id}": [f"/article/{i}" for i in ids],
        "page /article/{id}?script=simp": [f"/article/{i}?script=simp" for i in ids],
        "api /api/article/{id}": [f"/api/article/{i}" for i in ids],
        "page /search?q=": [f"/search?q={q}" for q in qs],
        "api /api/search?q=": [f"/api/search?q={q}" for q in qs],
        "api /api/search?q=&kind=money": [f"/api/search?q={q}&kind=money" for q in qs],
        "page /figures": ["/figures", f"/figures?unit={unit}", "/figures?kind=percent&page=2"],
        "api /api/figures?sort=-value": [f"/api/figures?sort=-value&unit={unit}", "/api/figures?sort=-value&kind=money"],
        "page /entity/{c}": [f"/entity/{c}" for c in top],
        "api /api/entity/{c}": [f"/api/entity/{c}" for c in top],
    }


async def load(base: str, mix: dict[str, list[str]], clients: int, seconds: float) -> tuple[dict, dict, dict, float]:
    import httpx

    lat: dict[str, list[float]] = defaultdict(list)
    server: dict[str, list[float]] = defaultdict(list)
    errors: Counter = Counter()
    names = list(mix)
    stop = time.monotonic() + seconds

    async def worker(seed: int) -> None:
        rnd = random.Random(seed)
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            while time.monotonic() < stop:
                name = rnd.choice(names)
                url = rnd.choice(mix[name])
                t0 = time.perf_counter()
                try:
                    r = await client.get(url)
                    timing = r.headers.get("server-timing", "")
                    if "dur=" in timing:
                        server[name].append(float(timing.split("dur=")[1]))
                    ok = r.status_code == 200 or (r.status_code == 404 and "entity" in name)
                    if r.status_code == 503:  # stopped by the server's time limit: counted apart
                        errors[name + " 503"] += 1
                        ok = True
                except httpx.HTTPError:
                    ok = False
                lat[name].append((time.perf_counter() - t0) * 1000)
                if not ok:
                    errors[name] += 1

    t0 = time.monotonic()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    return lat, server, errors, time.monotonic() - t0


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def report(lat: dict, server: dict, errors: Counter, wall: float, clients: int) -> None:
    """Client-side latency (what a user waits, queueing included) and server time (Server-Timing)."""
    total = sum(len(v) for v in lat.values())
    n503 = sum(v for k, v in errors.items() if k.endswith(" 503"))
    print(f"\n{clients} clients, {wall:.1f} s, {total} requests, {total / wall:.1f} req/s, "
          f"{sum(errors.values()) - n503} errors, {n503} stopped by the time limit (503)")
    print(f"{'route':34} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'srv p50':>8} {'srv p95':>8} {'err':>4} {'503':>4}")
    for name in sorted(lat):
        xs, sv = lat[name], server.get(name) or [float("nan")]
        print(f"{name:34} {len(xs):6d} {statistics.median(xs):8.1f} {pct(xs, 95):8.1f} {max(xs):8.1f} "
              f"{statistics.median(sv):8.1f} {pct(sv, 95):8.1f} {errors[name]:4d} {errors[name + ' 503']:4d}")
    every = [x for v in lat.values() for x in v]
    sv_all = [x for v in server.values() for x in v] or [float("nan")]
    print(f"{'ALL':34} {len(every):6d} {statistics.median(every):8.1f} {pct(every, 95):8.1f} {max(every):8.1f} "
          f"{statistics.median(sv_all):8.1f} {pct(sv_all, 95):8.1f}")


def screenshot(base: str, db: str, path: Path) -> None:
    """The article with the most figures among the latest ones, a figure hovered, as a PNG."""
    import httpx
    from playwright.sync_api import sync_playwright

    latest = httpx.get(f"{base}/api/home", params={"latest": 50}, timeout=30).json()["latest"]
    best = max(latest, key=lambda a: len(httpx.get(f"{base}/api/article/{a['id']}", timeout=30).json()["figures"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1100, "height": 1000})
        page.goto(f"{base}/article/{best['id']}")
        marks = page.locator("div.body mark.fig[data-high]")  # a range shows value and bounds
        if not marks.count():
            marks = page.locator("div.body mark.fig")
        if marks.count():
            marks.first.hover()
            page.locator("#tip").wait_for(state="visible")
        page.screenshot(path=str(path), full_page=False)
        browser.close()
    print(f"screenshot: {path} (article {best['id']})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="ledger URL or SQLite path")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--screenshot", type=Path, help="save a PNG of an article page here (and skip the load unless --load)")
    ap.add_argument("--load", action="store_true", help="with --screenshot: run the load test too")
    ap.add_argument("--routes", help="only the routes whose name matches this regular expression")
    ap.add_argument("--skip", help="leave out the routes whose name matches this regular expression")
    ap.add_argument("--time-limit-ms", type=float, default=1000, help="the server's query time limit (0 = none)")
    args = ap.parse_args()
    clients, seconds = min(max(1, args.clients), MAX_CLIENTS), min(max(1.0, args.seconds), MAX_SECONDS)
    port = free_port()
    proc = start_server(args.db, port, args.time_limit_ms)
    base = f"http://127.0.0.1:{port}"
    try:
        if args.screenshot:
            screenshot(base, args.db, args.screenshot)
        if not args.screenshot or args.load:
            import re

            mix = {k: v for k, v in url_mix(args.db).items()
                   if (not args.routes or re.search(args.routes, k)) and not (args.skip and re.search(args.skip, k))}
            print(f"ledger {args.db}; server pid {proc.pid} on {base}; warming up")
            asyncio.run(load(base, mix, 2, 2.0))
            report(*asyncio.run(load(base, mix, clients, seconds)), clients)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
