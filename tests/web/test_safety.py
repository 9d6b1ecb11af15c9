"""Untrusted text stays text; one error shape everywhere; the server is read-only unless a token
was set; the CLI binds to loopback by default."""
from __future__ import annotations

import json

import pytest
from fixture_ledger import HOSTILE, soup

TOKEN = "test-token-0123456789"


def _no_injected_markup(page):
    assert not [a for a in page.find_all(href=True) if a["href"].strip().lower().startswith(("javascript:", "data:"))]
    assert not [s for s in page.find_all("script") if "alert" in (s.string or "") or not s.get("src")]
    assert page.find("img") is None
    assert not [t for t in page.find_all(True) if any(a.startswith("on") for a in t.attrs)]


def test_article_with_script_shows_it_as_text(client, hostile):
    page = soup(client.get(f"/article/{hostile['id']}"))
    _no_injected_markup(page)
    body = page.select_one("div.body").get_text()
    assert "<script>alert(1)</script>" in body and "<img src=x onerror=alert(2)>" in body
    assert "<script>alert(1)</script>" in page.h1.get_text()
    assert page.select_one("a.original") is None, "a javascript: URL is shown as text, never linked"
    for script in ("simp", "trad"):
        _no_injected_markup(soup(client.get(f"/article/{hostile['id']}", params={"script": script})))


def test_pages_forbid_inline_scripts(client, hostile):
    for url in ("/", f"/article/{hostile['id']}", "/api/home"):
        resp = client.get(url)
        csp = resp.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert resp.headers["x-content-type-options"] == "nosniff"
    page = soup(client.get("/"))
    assert not [s for s in page.find_all("script") if not s.get("src")], "no inline script of our own either"
    assert not page.find_all(style=True)


def test_hostile_title_escaped_on_home_search_figures(client, hostile):
    for url, params in (("/", {}), ("/search", {"q": "營收"}), ("/figures", {"source": HOSTILE["source"]})):
        page = soup(client.get(url, params=params))
        _no_injected_markup(page)
    page = soup(client.get("/", params={}))
    assert any("<script>alert(1)</script>" in a.get_text() for a in page.select("section.latest a"))


def test_hostile_query_is_echoed_as_text(client):
    q = '"><script>alert(3)</script>'
    page = soup(client.get("/search", params={"q": q}))
    _no_injected_markup(page)
    assert page.select_one('form.filters input[name="q"]')["value"] == q


def test_sql_in_a_query_is_just_text(client, ledger):
    before = ledger.stats()["articles"]
    for q in ("'; DROP TABLE articles; --", '" OR 1=1 --', "公司 OR *", "NEAR(a b)"):
        resp = client.get("/api/search", params={"q": q})
        assert resp.status_code == 200, resp.text
    assert client.get("/api/figures", params={"unit": "' OR '1'='1"}).json()["rows"] == []
    assert ledger.stats()["articles"] == before


# ---- one error shape --------------------------------------------------------------------------

def _assert_error(resp, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "detail"}
    assert isinstance(body["error"]["message"], str) and len(body["error"]["message"]) > 10
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def _bad_request(route) -> tuple[str, str, dict]:
    """A request to ``route`` that must fail, and how: wrong path values, bad query values."""
    path = route.path
    for name in route.param_convertors:
        path = path.replace("{" + name + "}", "no-such-thing-\u00e9")
    return path, "GET" if "GET" in route.methods else sorted(route.methods)[0], {"page": "0", "per_page": "x", "latest": "0", "script": "klingon", "kind": "weight"}


def test_every_api_route_answers_errors_in_one_shape(client):
    from newsledger.web.api import router

    routes = [r for r in router.routes if r.path.startswith("/api/")]
    documented = {p for p in client.get("/openapi.json").json()["paths"] if p.startswith("/api/")}
    assert {r.path for r in routes} == documented and len(routes) >= 7
    for route in routes:
        path, method, params = _bad_request(route)
        resp = client.request(method, path, params=params)
        assert 400 <= resp.status_code < 500, (route.path, resp.status_code)
        err = _assert_error(resp, resp.status_code)
        assert err["code"] == f"E{resp.status_code}" or err["code"].startswith("E")
        # the wrong method on every route is a 405 in the same shape
        other = "POST" if "GET" in route.methods else "GET"
        _assert_error(client.request(other, route.path.replace("{", "").replace("}", "")), 405, "E405")


def test_validation_errors_name_the_parameter(client):
    err = _assert_error(client.get("/api/figures", params={"value_min": "lots"}), 422, "E422")
    assert "value_min" in err["message"] and err["detail"]["errors"][0]["got"] == "lots"
    err = _assert_error(client.get("/api/search", params={"q": "x", "date_from": "2025-13-01"}), 422)
    assert "date_from" in err["message"]
    err = _assert_error(client.get("/api/figures", params={"kind": "weight"}), 422)
    assert "kind" in err["message"]
    err = _assert_error(client.get("/api/figures", params={"value_min": 5, "value_max": 1}), 400)
    assert "value_min" in err["message"]


def test_unknown_route_and_article(client):
    err = _assert_error(client.get("/api/nothing/here"), 404, "E404")
    assert "/api/nothing/here" in err["message"]
    err = _assert_error(client.get("/api/article/ffffffffffffffff"), 404, "E404")
    assert "ffffffffffffffff" in err["message"]
    _assert_error(client.get("/api/entity/沒有這個實體"), 404, "E404")


def test_crash_is_a_500_in_the_same_shape(ledger):
    from fastapi.testclient import TestClient
    from newsledger.web import create_app

    class Broken:
        def __getattr__(self, name):
            raise RuntimeError("disk on fire")

    with TestClient(create_app(Broken()), raise_server_exceptions=False) as c:
        err = _assert_error(c.get("/api/home"), 500, "E500")
        assert "RuntimeError" in err["message"] and "disk on fire" not in err["message"]
        page = c.get("/")
        assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")


# ---- ingest: token, size limit --------------------------------------------------------------

@pytest.fixture()
def writable(tmp_path):
    from fastapi.testclient import TestClient
    from newsledger.store import Ledger
    from newsledger.web import create_app

    with Ledger(f"sqlite:///{tmp_path / 'w.db'}") as led:
        with TestClient(create_app(led, ingest_token=TOKEN, max_upload_bytes=4096),
                        raise_server_exceptions=False) as c:
            yield c, led


def _jsonl(n: int = 2) -> bytes:
    lines = [{"title": f"第{i}篇測試新聞", "body": f"測試公司今年營收達到{i + 2}億元,同比成長{10 + i}%。",
              "source": "測試社", "published": "2026-01-0{}".format(i + 1), "tag": "測試"} for i in range(n)]
    return "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode()


def test_ingest_disabled_without_token(client):
    err = _assert_error(client.post("/api/ingest", content=_jsonl(), headers={"Authorization": "Bearer x"}), 403, "E403")
    assert "--ingest-token" in err["message"]


def test_ingest_needs_the_right_token(writable):
    c, led = writable
    _assert_error(c.post("/api/ingest", content=_jsonl()), 401, "E401")
    err = _assert_error(c.post("/api/ingest", content=_jsonl(), headers={"Authorization": "Bearer wrong"}), 401)
    assert "wrong" in err["message"]
    assert led.stats()["articles"] == 0


def test_ingest_json_lines_then_read_them(writable):
    c, led = writable
    assert c.get("/api/home").json()["totals"]["articles"] == 0  # (cached for a moment)
    resp = c.post("/api/ingest", content=_jsonl(2), headers={"Authorization": f"Bearer {TOKEN}",
                                                            "Content-Type": "application/x-ndjson"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["new"] == 2
    assert led.stats()["articles"] == 2
    assert c.get("/api/home").json()["totals"]["articles"] == 2, "ingest clears the cached totals"
    hits = c.get("/api/search", params={"q": "營收"}).json()
    assert hits["total"] == 2
    again = c.post("/api/ingest", content=_jsonl(2), headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert again["new"] == 0


def test_ingest_file_upload(writable):
    c, led = writable
    resp = c.post("/api/ingest", files={"file": ("batch.jsonl", _jsonl(1), "application/octet-stream")},
                  headers={"Authorization": f"Bearer {TOKEN}"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["new"] == 1 and led.stats()["articles"] == 1


def test_ingest_size_limit(writable):
    c, led = writable
    big = _jsonl(1) + b"\n" + b" " * 5000
    err = _assert_error(c.post("/api/ingest", content=big, headers={"Authorization": f"Bearer {TOKEN}"}), 413, "E103")
    assert "4096" in err["message"]

    def chunks():  # no Content-Length: the limit is enforced while reading
        for _ in range(10):
            yield b"x" * 1000

    _assert_error(c.post("/api/ingest", content=chunks(), headers={"Authorization": f"Bearer {TOKEN}"}), 413)
    files = {"file": ("big.jsonl", big, "application/octet-stream")}
    _assert_error(c.post("/api/ingest", files=files, headers={"Authorization": f"Bearer {TOKEN}"}), 413)
    assert led.stats()["articles"] == 0


def test_ingest_rejects_unknown_content_type(writable):
    c, _ = writable
    _assert_error(c.post("/api/ingest", content=b"x", headers={"Authorization": f"Bearer {TOKEN}",
                                                              "Content-Type": "image/png"}), 415, "E415")


def test_serve_binds_loopback_by_default():
    import typer.main
    from newsledger.cli import app

    cmd = typer.main.get_command(app).commands["serve"]
    opts = {p.name: p for p in cmd.params}
    assert opts["host"].default == "127.0.0.1"
    assert opts["ingest_token"].default is None


def test_slow_query_stops_at_the_time_limit(ledger, monkeypatch):
    from fastapi.testclient import TestClient
    from newsledger.web import create_app, timelimit

    monkeypatch.setattr(timelimit, "CHECK_EVERY", 1)  # check at every SQLite step: a tiny ledger is slow enough
    with TestClient(create_app(ledger, time_limit_ms=0.001), raise_server_exceptions=True) as c:
        err = _assert_error(c.get("/api/figures", params={"sort": "-value"}), 503, "E503")
        assert "limit" in err["message"] and err["detail"]["limit_ms"] == 0.001
        assert c.get("/figures.csv").status_code == 200, "CSV exports are not time-limited"
    # the handler stays on the shared ledger's engine: a generous limit never trips
    with TestClient(create_app(ledger, time_limit_ms=60_000)) as c:
        assert c.get("/api/figures", params={"sort": "-value"}).status_code == 200
