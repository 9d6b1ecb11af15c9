"""Real-browser fixtures: Debian's Chromium driven by Playwright, the app served by uvicorn.

Never ``playwright install``: the browser is the system's /usr/bin/chromium (scripts/setup.sh
installs it with a CJK font).  Without it the tests FAIL, unless NEWSLEDGER_SKIP_BROWSER=1.
"""
from __future__ import annotations

import os
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
import fixture_ledger  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("NEWSLEDGER_SKIP_BROWSER") == "1":
        pytest.skip("NEWSLEDGER_SKIP_BROWSER=1 and no /usr/bin/chromium")
    pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/setup.sh` (installs Debian's chromium and "
                "fonts-wqy-microhei), or set NEWSLEDGER_SKIP_BROWSER=1 to skip the browser tests")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    _require_chromium()
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "accept_downloads": True, "viewport": {"width": 1100, "height": 900},
            "locale": "zh-TW"}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory):
    """The app over the fixture ledger, served by uvicorn on a free 127.0.0.1 port in a thread."""
    import uvicorn

    from newsledger.web import create_app

    url = fixture_ledger.build(tmp_path_factory.mktemp("e2e-ledger") / "ledger.db")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # the OS picks a free port; no race between choosing and binding
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(url), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    return live_server
