"""Fetching over a local HTTP server on loopback: limits, redirects, address checks, URL ingest."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from communique.corpus.ingest import Ingestor, read_all
from communique.ingest import Failure, ReadOptions
from communique.ingest import fetch as fetch_module
from communique.ingest.errors import BadInput
from communique.ingest.fetch import USER_AGENT, Fetcher, FetchOptions, refused_reason
from communique.store import open_store
from synthetic_corpus import RuleAnalyzer

ARTICLE = (
    "<html><head><title>Border talks resume</title></head><body><nav>Home | World</nav><article>"
    "<h1>Border talks resume</h1>"
    "<p>IND meets PAK in the capital on Monday as officials from both governments resume the long stalled "
    "talks over water sharing and trade across the frontier.</p>"
    "<p>USA is admirable for backing the process, a regional diplomat said in a statement to reporters, "
    "adding that further meetings are planned for the coming weeks.</p></article></body></html>"
)
FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title>'
    "<item><title>Teaser</title><link>{base}/article</link><description>Short teaser.</description></item>"
    "</channel></rss>"
)


class Handler(http.server.BaseHTTPRequestHandler):
    seen_agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Handler.seen_agents.append(self.headers.get("User-Agent", ""))
        base = f"http://{self.headers['Host']}"
        if self.path.startswith("/hop"):
            number = int(self.path[4:])
            self._redirect(f"/hop{number + 1}" if number < 9 else "/article")
        elif self.path == "/two-hops":
            self._redirect("/hop8")
        elif self.path == "/to-other-loopback":
            port = self.server.server_address[1]
            self._redirect(f"http://127.0.0.2:{port}/article")
        elif self.path == "/to-file":
            self._redirect("file:///etc/passwd")
        elif self.path == "/big":
            self._send(b"<html><body>" + b"x" * 50_000 + b"</body></html>", "text/html")
        elif self.path == "/feed":
            self._send(FEED.format(base=base).encode(), "application/rss+xml")
        elif self.path == "/article":
            self._send(ARTICLE.encode(), "text/html; charset=utf-8")
        else:
            self.send_error(404)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.end_headers()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def fetch(url: str, **options: object) -> bytes:
    with Fetcher(FetchOptions(**options)) as fetcher:  # type: ignore[arg-type]
        return fetcher.fetch(url).content


def test_loopback_is_refused_by_default(base: str) -> None:
    with pytest.raises(BadInput, match="loopback address"):
        fetch(f"{base}/article")
    with pytest.raises(BadInput, match="loopback address"):
        fetch(base.replace("127.0.0.1", "localhost") + "/article")


def test_allowed_with_the_flag_and_sends_a_clear_user_agent(base: str) -> None:
    assert b"Border talks resume" in fetch(f"{base}/article", allow_private=True)
    assert Handler.seen_agents[-1] == USER_AGENT and "communique" in USER_AGENT


def test_redirects_are_limited_and_rechecked(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert b"Border" in fetch(f"{base}/two-hops", allow_private=True)  # 3 redirects: fine
    with pytest.raises(BadInput, match="too many redirects"):
        fetch(f"{base}/hop0", allow_private=True)
    with pytest.raises(BadInput, match="only http"):
        fetch(f"{base}/to-file", allow_private=True)
    # Treat 127.0.0.1 as public: the redirect target 127.0.0.2 must still be refused at connect time.
    monkeypatch.setattr(
        fetch_module, "refused_reason", lambda address: None if address == "127.0.0.1" else "a loopback address"
    )
    with pytest.raises(BadInput, match=r"127\.0\.0\.2.*loopback"):
        fetch(f"{base}/to-other-loopback")


def test_size_limit_and_http_errors(base: str) -> None:
    with pytest.raises(BadInput, match="too large"):
        fetch(f"{base}/big", allow_private=True, max_bytes=10_000)
    with pytest.raises(BadInput, match="HTTP 404"):
        fetch(f"{base}/missing", allow_private=True)
    with pytest.raises(BadInput, match="only http"):
        fetch("ftp://example.invalid/file")


def test_timeouts_are_reported() -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection but never answers
    try:
        with pytest.raises(BadInput, match="timed out"):
            fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/", allow_private=True, read_timeout=0.5)
    finally:
        listener.close()


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("127.0.0.1", True), ("10.1.2.3", True), ("192.168.0.1", True), ("172.16.5.5", True),
        ("169.254.169.254", True), ("::1", True), ("fe80::1", True), ("::ffff:127.0.0.1", True),
        ("100.100.100.200", True), ("0.0.0.0", True), ("8.8.8.8", False), ("2001:4860:4860::8888", False),
    ],
)  # fmt: skip
def test_address_policy(address: str, refused: bool) -> None:
    assert (refused_reason(address) is not None) == refused


def test_ingest_urls_article_and_feed_with_teaser_links(base: str, tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "web.duckdb"))
    sources = [f"{base}/article", f"{base}/feed", f"{base}/missing"]
    options = ReadOptions(check_language=False)
    items = list(read_all(sources, options, FetchOptions(allow_private=True)))
    failures = [i for i in items if isinstance(i, Failure)]
    assert len(failures) == 1 and "HTTP 404" in str(failures[0])
    run = Ingestor(store, RuleAnalyzer()).run(sources, iter(items))
    assert (run.added, run.unchanged, run.failed) == (1, 1, 1), "feed teaser links to the same article"
    row = store.rows("SELECT title, url, text FROM documents")[0]
    assert row["title"] == "Border talks resume" and row["url"].endswith("/article")
    assert "Home | World" not in row["text"]
    refused = list(read_all([f"{base}/article"], options))
    assert len(refused) == 1 and isinstance(refused[0], Failure) and "allow-private" in refused[0].reason
    store.close()
