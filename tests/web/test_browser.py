"""Each page in headless Chromium over the analyzed demo corpus + example op-ed + hostile documents.

They check what a user sees, that no injected script runs (no dialog, window.__pwned unset), that
no request leaves the machine, and save a screenshot of each page to artifacts/screenshots/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import Watched

pytestmark = pytest.mark.browser


def _loaded(page: Any) -> None:
    """Waits for the page's status line to settle: every in-progress message ("Loading…",
    "Searching…") ends with an ellipsis, every final one does not."""
    page.wait_for_function(
        "() => document.getElementById('status').textContent.length > 0"
        " && !document.getElementById('status').textContent.endsWith('\u2026')"
    )


def test_overview(page: Watched) -> None:
    page.page.goto("/")
    _loaded(page.page)
    cards = page.page.locator("#cards").inner_text()
    assert re.search(r"Documents\s+\d{2,}", cards), cards
    actors = page.page.locator("#actors").inner_text()
    for code in ("PAK", "IND", "USA"):
        assert code in actors
    assert page.page.locator("#quad .bar span").count() >= 2
    assert "Communique Wire" in page.page.locator("#sources").inner_text()
    page.screenshot("overview")
    page.assert_clean()


def test_network_shows_pak_ind_usa_with_edges(page: Watched) -> None:
    from communique.web.app import STATIC

    assert (STATIC / "dist" / "vendor.js").exists(), "graph library not bundled: run scripts/build_web.sh (needs npm)"
    page.page.goto("/network")
    page.page.wait_for_function("() => document.body.dataset.loaded === 'network'")
    graph = page.page.evaluate(
        "() => ({nodes: communiqueGraph.nodes().map(n => n.id()),"
        " edges: communiqueGraph.edges().map(e => [e.data('source'), e.data('target')])})"
    )
    for code in ("PAK", "IND", "USA"):
        assert code in graph["nodes"], graph["nodes"]
        assert any(code in edge for edge in graph["edges"]), (code, graph["edges"])
    assert page.page.locator("#graph canvas").count() >= 1
    # Clicking an edge (here: its keyboard-reachable twin in the table) lists events with sentences and links.
    row = page.page.locator("#edges tbody tr", has_text=re.compile(r"(PAK|IND|USA) → (PAK|IND|USA)")).first
    row.get_by_role("button").click()
    page.page.wait_for_selector("#edge-events li a[href^='/documents/']")
    assert page.page.locator("#edge-events .sentence").first.inner_text().strip()
    page.screenshot("network")
    # A tap on a graph edge does the same.
    page.page.evaluate("() => communiqueGraph.edges()[0].emit('tap')")
    page.page.wait_for_function("() => document.querySelector('#edge-events p strong') !== null")
    page.assert_clean()


def test_document_highlights_the_mediation_offer(page: Watched, server: str) -> None:
    import httpx

    hits = httpx.get(f"{server}/api/search", params={"q": "offer to mediate Kashmir"}).json()["results"]
    analyses = [httpx.get(f"{server}/api/documents/{h['id']}").json() for h in hits]
    analysis = next(a for a in analyses if (a["document"]["path"] or "").endswith("op-ed-us-pakistan-2025.txt"))
    op_ed = {"id": analysis["document"]["id"]}
    mediation = [
        i for i, e in enumerate(analysis["events"]) if "mediat" in (e["trigger"]["text"] + e["cameo"]["name"]).lower()
    ]
    assert mediation, [(e["trigger"]["text"], e["cameo"]["code"]) for e in analysis["events"]]
    page.page.goto(f"/documents/{op_ed['id']}")
    _loaded(page.page)
    trigger = page.page.locator(
        f"#doctext .ann-trigger[data-events~='{mediation[0]}'], #doctext .ann-trigger[data-events^='{mediation[0]},']"
    ).first
    assert "mediat" in trigger.inner_text().lower() or "offer" in trigger.inner_text().lower()
    event = analysis["events"][mediation[0]]
    assert f"q{event['quad_class']}" in (trigger.get_attribute("class") or "")
    trigger.focus()
    page.page.keyboard.press("Enter")  # keyboard reaches the coding too
    detail = page.page.locator("#event-detail").inner_text()
    assert event["cameo"]["code"] in detail and event["rule"] in detail
    assert "Goldstein" in detail and "PLOVER" in detail
    assert page.page.locator("#doctext sup.code", has_text="PAK").count() >= 1
    page.screenshot("document")
    page.assert_clean()


def test_timeline_renders_data_points(page: Watched) -> None:
    page.page.goto("/timeline?a=IND&b=PAK&by=month")
    page.page.wait_for_function("() => document.body.dataset.loaded === 'timeline'")
    assert page.page.locator("svg.chart circle.point").count() >= 2
    assert page.page.locator("svg.chart rect.tbar").count() >= 2
    period = page.page.locator("svg.chart g.period[role='button']").first
    period.focus()
    page.page.keyboard.press("Enter")
    page.page.wait_for_selector("#period-events li a[href^='/documents/']")
    page.screenshot("timeline")
    # Without a chosen dyad the page starts from the corpus's busiest one.
    page.page.goto("/timeline")
    page.page.wait_for_function("() => document.body.dataset.loaded === 'timeline'")
    assert page.page.locator("svg.chart circle.point").count() >= 1
    page.assert_clean()


def test_compare_sources(page: Watched) -> None:
    page.page.goto("/compare?actor=USA")
    _loaded(page.page)
    rows = page.page.locator("#stance tbody tr")
    assert rows.count() >= 2
    assert page.page.locator("#mix .bar").count() >= 1
    page.screenshot("compare")
    page.assert_clean()


def test_search_and_hostile_documents_stay_text(page: Watched) -> None:
    page.page.goto("/search?q=Geneva")
    _loaded(page.page)
    results = page.page.locator("#results li")
    assert results.count() >= 1
    title_link = page.page.locator("#results li a").first
    assert "<script>" in title_link.inner_text()  # the payload is shown as text
    assert page.page.locator("#results mark", has_text=re.compile("geneva", re.I)).count() >= 1
    page.screenshot("search")
    title_link.click()
    _loaded(page.page)
    assert "<script>window.__pwned" in page.page.locator("#doctext").inner_text()
    assert page.page.locator("#docmeta a").count() == 0  # the javascript: URL did not become a link
    page.page.locator("#doctext").hover()
    page.screenshot("document-hostile")
    page.assert_clean()
    page.page.goto("/documents/payload-attr")
    _loaded(page.page)
    assert page.page.locator("#doctext a, #doctext script, #doctext img").count() == 0
    href = page.page.locator("#docmeta a").get_attribute("href")
    assert href is None or href.startswith("https://example.invalid/")
    page.assert_clean()


def test_real_feed_scripts_do_not_run(page: Watched, server: str) -> None:
    import httpx

    hits = httpx.get(f"{server}/api/search", params={"q": "Secretary"}).json()["results"]
    assert hits, "the State Department feed items were not ingested"
    for hit in hits[:5]:
        page.page.goto(f"/documents/{hit['id']}")
        _loaded(page.page)
    page.page.goto("/search?q=Secretary")
    _loaded(page.page)
    page.assert_clean()


def test_keyboard_navigation_reaches_the_pages(page: Watched) -> None:
    page.page.goto("/")
    _loaded(page.page)
    page.page.keyboard.press("Tab")
    assert page.page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    labels = []
    for _ in range(7):
        page.page.keyboard.press("Tab")
        labels.append(page.page.evaluate("() => document.activeElement.textContent"))
    assert {"Actor network", "Dyad timeline", "Compare sources", "Search"} <= set(labels)
