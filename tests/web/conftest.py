"""Fixtures for the in-process web tests: one ledger per session, the app over it, a client."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import fixture_ledger  # noqa: E402



@pytest.fixture(scope="session")
def ledger_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return fixture_ledger.build(tmp_path_factory.mktemp("web-ledger") / "ledger.db")


@pytest.fixture(scope="session")
def ledger(ledger_url: str):
    from newsledger.store import Ledger

    with Ledger(ledger_url) as led:
        yield led


@pytest.fixture(scope="session")
def app(ledger):
    from newsledger.web import create_app

    return create_app(ledger)


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def articles(ledger) -> list[dict]:
    return list(ledger.iter_articles())


@pytest.fixture(scope="session")
def hostile(articles) -> dict:
    return next(a for a in articles if a["source"] == fixture_ledger.HOSTILE["source"])
