"""The JSON API over a hand-built store whose counts are known."""

from __future__ import annotations

from fastapi.testclient import TestClient

from . import factory


def test_overview_counts_events_once_per_story(client: TestClient) -> None:
    data = client.get("/api/overview").json()
    assert data["documents"] == 6
    # 8 coded event rows; d3copy's strike is d3's story again, so it counts once.
    assert data["events"] == 7
    assert data["date_range"] == {"start": "2025-01-05", "end": "2025-03-12"}
    dyads = {(d["source"], d["target"]): d for d in data["top_dyads"]}
    assert dyads[("IND", "PAK")]["events"] == 3  # rejected (d2, evil) + one strike (d3 and its copy)
    assert dyads[("USA", "PAK")]["mean_goldstein"] == (5.0 + 7.4) / 2
    quads = {q["quad_class"]: q["events"] for q in data["quad_classes"]}
    assert quads == {1: 3, 2: 1, 3: 2, 4: 1}
    assert {"theme": "security", "period": "2025-02", "documents": 2} in data["theme_trends"]
    actors = {a["code"]: a for a in data["top_actors"]}
    assert actors["USA"]["mean_stance"] == (0.6 + 0.8) / 2


def test_overview_filters_by_date_and_source(client: TestClient) -> None:
    data = client.get("/api/overview", params={"start": "2025-02-01", "end": "2025-02-28"}).json()
    assert data["documents"] == 2
    assert [q["quad_class"] for q in data["quad_classes"]] == [4]
    data = client.get("/api/overview", params={"source": "Meridian Review"}).json()
    assert data["documents"] == 1 and data["events"] == 1


def test_network_edges_and_nodes(client: TestClient) -> None:
    data = client.get("/api/network").json()
    assert {n["id"] for n in data["nodes"]} == {"PAK", "IND", "USA"}
    edges = {(e["source"], e["target"]): e["events"] for e in data["edges"]}
    assert edges == {("IND", "PAK"): 3, ("PAK", "IND"): 2, ("USA", "PAK"): 2}
    mentions = {n["id"]: n["mentions"] for n in data["nodes"]}
    assert mentions["PAK"] > mentions["USA"]


def test_network_filters(client: TestClient) -> None:
    only_conflict = client.get("/api/network", params={"quad_class": 4}).json()
    assert [(e["source"], e["target"]) for e in only_conflict["edges"]] == [("IND", "PAK")]
    aid = client.get("/api/network", params={"plover": "aid"}).json()
    assert [(e["source"], e["target"]) for e in aid["edges"]] == [("USA", "PAK")]
    security = client.get("/api/network", params={"theme": "security"}).json()
    assert [e["events"] for e in security["edges"]] == [1]
    by_cameo = client.get("/api/network", params={"event_type": "03"}).json()
    assert {(e["source"], e["target"]) for e in by_cameo["edges"]} == {("PAK", "IND"), ("USA", "PAK")}


def test_edge_events_carry_sentences_and_documents(client: TestClient) -> None:
    data = client.get("/api/events", params={"source_actor": "usa", "target_actor": "PAK"}).json()
    assert data["total"] == 2
    first = data["events"][0]
    assert first["document_id"] == "d1"
    assert first["sentence_text"].startswith("Washington offered to mediate")
    assert first["cameo_code"] == "039" and first["plover_type"] == "CONSULT"
    assert first["url"] == "https://example.invalid/d1"


def test_dyad_timeline_both_directions(client: TestClient) -> None:
    data = client.get("/api/dyad", params={"a": "PAK", "b": "IND", "by": "month"}).json()
    assert [p["period"] for p in data["periods"]] == ["2025-01", "2025-02", "2025-03"]
    backward = {p["period"]: p for p in data["backward"]}
    assert backward["2025-02"]["counts"]["4"] == 1 and backward["2025-02"]["events"] == 1
    assert backward["2025-02"]["mean_goldstein"] == -10.0
    assert backward["2025-02"]["start"] == "2025-02-01" and backward["2025-02"]["end"] == "2025-02-28"
    forward = {p["period"]: p for p in data["forward"]}
    assert set(forward) == {"2025-01", "2025-03"}
    weekly = client.get("/api/dyad", params={"a": "IND", "b": "PAK", "by": "week"}).json()
    assert weekly["forward"][0]["period"] == "2025-W04"


def test_dyad_drill_down_matches_period(client: TestClient) -> None:
    data = client.get(
        "/api/events", params={"source_actor": "IND", "target_actor": "PAK", "start": "2025-02-01", "end": "2025-02-28"}
    ).json()
    assert data["distinct_events"] == 1
    assert {e["document_id"] for e in data["events"]} == {"d3", "d3copy"}


def test_compare_per_outlet(client: TestClient) -> None:
    data = client.get("/api/compare", params={"actor": "USA"}).json()
    outlets = {o["source"]: o for o in data["outlets"]}
    assert outlets["Harbor Desk"]["positive"] == 1
    assert outlets["Meridian Review"]["mean_stance"] == 0.8
    assert outlets["Meridian Review"]["quad_classes"]["2"] == 1
    ind = client.get("/api/compare", params={"actor": "IND"}).json()
    lantern = next(o for o in ind["outlets"] if o["source"] == "Lantern Post")
    assert lantern["negative"] == 1 and lantern["events"] == 3


def test_search_text_and_filters(client: TestClient) -> None:
    assert {r["id"] for r in client.get("/api/search", params={"q": "offered talks"}).json()["results"]} == {
        "d2",
        "evil",
    }
    assert client.get("/api/search", params={"q": "TRADE fell"}).json()["total"] == 1
    assert {r["id"] for r in client.get("/api/search", params={"actor": "USA"}).json()["results"]} == {"d1", "d4"}
    assert client.get("/api/search", params={"theme": "humanitarian"}).json()["results"][0]["id"] == "d4"
    assert {r["id"] for r in client.get("/api/search", params={"event_type": "195"}).json()["results"]} == {
        "d3",
        "d3copy",
    }
    # LIKE wildcards in the query are text, not patterns.
    assert client.get("/api/search", params={"q": "%"}).json()["total"] == 0


def test_document_and_duplicates(client: TestClient) -> None:
    data = client.get("/api/documents/d3").json()
    assert data["document"]["title"] == "Air strikes"
    assert data["events"][0]["cameo"]["code"] == "195"
    assert [d["id"] for d in data["duplicates"]] == ["d3copy"]
    missing = client.get("/api/documents/nope")
    assert missing.status_code == 404 and "nope" in missing.json()["message"]


def test_facets(client: TestClient) -> None:
    data = client.get("/api/facets").json()
    assert "Harbor Desk" in data["sources"]
    assert data["themes"] == ["diplomacy", "humanitarian", "security", "trade"]
    assert "AID" in data["plover_types"]
    assert data["actors"][0]["code"] == "PAK"


BAD_REQUESTS = [
    ("/api/overview", {"start": "2025-13-01"}, "start"),
    ("/api/overview", {"start": "2025-03-01", "end": "2025-01-01"}, "after"),
    ("/api/network", {"quad_class": "9"}, "quad_class"),
    ("/api/network", {"quad_class": "x"}, "quad_class"),
    ("/api/network", {"level": "planet"}, "level"),
    ("/api/network", {"plover": "A;DROP TABLE events"}, "plover"),
    ("/api/dyad", {"a": "PAK"}, "b"),
    ("/api/dyad", {"a": "PAK", "b": "IND", "by": "year"}, "by"),
    ("/api/dyad", {"a": "P'K", "b": "IND"}, "a"),
    ("/api/compare", {}, "actor"),
    ("/api/events", {"limit": "0"}, "limit"),
    ("/api/events", {"limit": "100000"}, "limit"),
    ("/api/search", {"q": "x" * 500}, "q"),
    ("/api/search", {"event_type": "1 OR 1=1"}, "event_type"),
]


def test_bad_parameters_are_4xx_with_a_message(client: TestClient) -> None:
    for path, params, word in BAD_REQUESTS:
        response = client.get(path, params=params)
        assert 400 <= response.status_code < 500, (path, params, response.status_code)
        assert word in response.json()["message"], (path, params, response.json())


def test_injection_attempts_are_only_values(client: TestClient) -> None:
    sneaky = "x' OR '1'='1"
    assert client.get("/api/overview", params={"source": sneaky}).json()["documents"] == 0
    assert client.get("/api/search", params={"q": sneaky}).json()["total"] == 0
    assert client.get("/api/network", params={"theme": "'; DROP TABLE events; --"}).json()["edges"] == []
    assert client.get("/api/overview").json()["documents"] == 6  # nothing was dropped


def test_pages_render_and_escape(client: TestClient) -> None:
    for path in ("/", "/network", "/timeline", "/compare", "/search", "/documents/d1"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "<nav" in response.text
        assert "script-src 'self'" in response.headers["content-security-policy"]
    evil = client.get("/documents/evil").text
    assert "__pwned" not in evil  # the page shell carries only the id; the text arrives as JSON data
    weird = client.get("/documents/</script><script>alert(1)</script>")
    assert weird.status_code == 404
    assert "<script>alert(1)" not in weird.text and "&lt;/script&gt;" in weird.text


def test_document_page_embeds_its_id_safely(api_db: object, tmp_path: object) -> None:
    """An id containing </script> must not end the JSON island it is embedded in."""
    from pathlib import Path

    db = Path(str(tmp_path)) / "ids.duckdb"
    spec = factory.specs()[0]
    spec.doc_id = "a</script><script>window.__pwned=1</script>"
    factory.write(db, [spec])
    from communique.web import create_app

    with TestClient(create_app(str(db))) as c:
        html = c.get("/documents/" + spec.doc_id).text
    island = html.split('id="page-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in island and "\\u003c/script\\u003e" in island


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/overview",
        "/api/network",
        "/api/events",
        "/api/dyad",
        "/api/compare",
        "/api/search",
        "/api/documents/{doc_id}",
        "/api/facets",
    ):
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/api/network"]["get"]["parameters"]}
    assert {"start", "end", "source", "theme", "quad_class", "plover"} <= params
    assert client.get("/docs").status_code == 200


def test_read_only(client: TestClient) -> None:
    assert client.post("/api/overview").status_code == 405
    assert client.delete("/api/documents/d1").status_code == 405


def test_same_numbers_as_the_corpus_queries(api_db: object) -> None:
    """The dashboard's index must agree with communique.corpus.query on the same store."""
    from communique.corpus import query
    from communique.store import open_store
    from communique.web.queries import Corpus, Filters

    with open_store(str(api_db), read_only=True) as store:
        reference = query.network(store)
        dyads = query.dyads(store, "IND", "PAK", by="month")
    corpus = Corpus.open(str(api_db))
    try:
        ours = corpus.network(Filters(), level="full")
        timeline = corpus.dyad("IND", "PAK", "month", Filters())
    finally:
        corpus.close()
    assert {(e["source"], e["target"]): (e["events"], round(e["mean_goldstein"], 4)) for e in ours["edges"]} == {
        (e["source"], e["target"]): (e["events"], round(e["mean_goldstein"], 4)) for e in reference
    }
    forward = {p["period"]: p["events"] for p in timeline["forward"]}
    assert forward == {r["period"][:7]: r["events"] for r in dyads if r["direction"] == "IND->PAK"}


def test_serve_command_fails_cleanly_without_a_store(tmp_path: object) -> None:
    import subprocess
    import sys
    from pathlib import Path

    missing = Path(str(tmp_path)) / "nothing.duckdb"
    result = subprocess.run(
        [sys.executable, "-c", "from communique.cli import main; main()", "serve", "--db", str(missing)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "nothing.duckdb" in result.stderr
    assert not missing.exists()  # read-only: serving never creates a database


def test_serve_command_serves_on_loopback(api_db: object) -> None:
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-c", "from communique.cli import main; main()", "serve", "--db", str(api_db),
               "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/overview", timeout=5)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read() if process.stderr else "serve exited"
                time.sleep(0.3)
        else:
            raise AssertionError("communique serve did not answer")
        assert response.status_code == 200 and response.json()["documents"] == 6
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in err  # the URL is printed for the user


def test_events_match_codes_by_prefix_or_exactly(client: TestClient) -> None:
    prefix = client.get("/api/events", params={"source_actor": "IN", "target_actor": "PA"}).json()
    exact = client.get("/api/events", params={"source_actor": "IN", "target_actor": "PA", "exact": "true"}).json()
    assert prefix["total"] == 4 and exact["total"] == 0


def test_host_header_is_checked_when_asked(api_db: object) -> None:
    """DNS rebinding: a page on another origin resolving to 127.0.0.1 must not read the corpus."""
    from communique.web import create_app

    app = create_app(str(api_db), allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as local:
        assert local.get("/api/overview").status_code == 200
        assert local.get("/api/overview", headers={"host": "evil.example:8000"}).status_code == 400


def test_fast_endpoints_keep_their_documented_shapes(client: TestClient) -> None:
    """overview, network and dyad skip FastAPI's response validation for speed; check it here."""
    from communique.web import api

    api.Overview.model_validate(client.get("/api/overview").json())
    api.Network.model_validate(client.get("/api/network", params={"level": "full"}).json())
    api.Dyad.model_validate(client.get("/api/dyad", params={"a": "PAK", "b": "IND", "by": "day"}).json())
    assert client.get("/api/overview").headers["content-type"] == "application/json"
