"""Web fixtures: a hand-built store for the API tests, and a real analyzed corpus served over HTTP
for the browser tests (built once per session; the browser tests skip when Debian chromium is absent)."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from communique.web import create_app

from . import factory

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = REPO / "artifacts" / "screenshots"

# Hostile documents for the browser: scripts and attribute breakouts in every stored field.
PAYLOADS = [
    {
        "id": "payload-script",
        "title": '<script>window.__pwned="title"</script><img src=x onerror="window.__pwned=\'title-img\'">',
        "published": "2025-06-02",
        "source": "<svg onload=\"window.__pwned='source'\">Hostile Wire",
        "url": "javascript:window.__pwned='url'",
        "text": (
            "Pakistan and India agreed to talks in Geneva, the foreign ministry said on Monday. "
            "<script>window.__pwned = 'body'; alert('body')</script> "
            '"><img src=x onerror="window.__pwned=\'attr\';alert(1)"> '
            "India's foreign minister said the United States had urged both sides to show restraint."
        ),
    },
    {
        "id": "payload-attr",
        "title": "' onmouseover='window.__pwned=1' x='",
        "published": "2025-06-03",
        "source": "Hostile Wire",
        "url": "https://example.invalid/\"><script>window.__pwned='href'</script>",
        "text": (
            "The United States criticized Pakistan over the border clashes, an official said. "
            "</textarea></title></script><script>window.__pwned='close'</script>"
            "<a href=\"javascript:window.__pwned='link'\">click</a> Pakistan rejected the criticism."
        ),
    },
]


@pytest.fixture(scope="session")
def api_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("webapi") / "corpus.duckdb"
    factory.build(db)
    return db


@pytest.fixture(scope="session")
def client(api_db: Path) -> Iterator[TestClient]:
    app = create_app(str(api_db))
    with TestClient(app) as test_client:
        yield test_client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory, shared: Path, analyzer: Any) -> Path:
    """The demo corpus, the example op-ed, hostile payloads and one real State Dept RSS file, ingested."""
    from communique.corpus.ingest import Ingestor, read_all
    from communique.ingest import ReadOptions
    from communique.store import open_store

    work = tmp_path_factory.mktemp("webdemo")
    payloads = work / "payloads.jsonl"
    payloads.write_text("".join(json.dumps(p) + "\n" for p in PAYLOADS), encoding="utf-8")
    feeds = sorted((shared / "corpus" / "state-dept-rss-2021").glob("*.xml"))[:1]
    sources = [
        str(REPO / "demo" / "corpus.jsonl"),
        str(shared / "examples" / "op-ed-us-pakistan-2025.txt"),
        str(payloads),
        *map(str, feeds),
    ]
    db = work / "demo.duckdb"
    with open_store(str(db)) as store:
        summary = Ingestor(store, analyzer).run(sources, read_all(sources, ReadOptions()))
    assert summary.added > 30, summary.as_dict()
    return db


@pytest.fixture(scope="session")
def server(demo_db: Path) -> Iterator[str]:
    """The dashboard over the demo corpus on a free loopback port, in a background thread."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(create_app(str(demo_db)), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "dashboard server did not start"
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("COMMUNIQUE_REQUIRE_BROWSER"):
            pytest.fail("Debian chromium required (COMMUNIQUE_REQUIRE_BROWSER) but /usr/bin/chromium is absent")
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install -y chromium; CI has it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class Watched:
    """A page that records script errors, dialogs and requests leaving loopback."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.external: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("request", self._request)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request: Any) -> None:
        url = request.url
        if not url.startswith(("http://127.0.0.1", "data:", "about:")):
            self.external.append(url)

    def assert_clean(self) -> None:
        assert self.page.evaluate("() => window.__pwned") is None, "an injected script ran"
        assert self.dialogs == [], f"an injected script opened a dialog: {self.dialogs}"
        assert self.errors == [], f"script errors: {self.errors}"
        assert self.external == [], f"requests left the machine: {self.external}"

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture()
def page(browser: Any, server: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1300, "height": 900}, base_url=server)
    watched = Watched(context.new_page())
    yield watched
    context.close()
