"""The dashboard's read-only queries over the corpus store, shaped for the JSON API.

Every value from a request travels as a bound parameter; the only SQL text assembled here is
fixed fragments chosen by code (column names, ``date_trunc`` units from a closed set). Events are
counted once per ``event_key`` (copies of one syndicated story collapse), matching the corpus
queries' rule of counting events, not mentions. The SQL is the subset DuckDB and PostgreSQL share.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from ..model import Analysis
from ..store import Store, open_store

Granularity = Literal["day", "week", "month"]
Level = Literal["country", "full"]
NAME_KIND_RANK = {"state": 3, "organisation": 3, "group": 3, "region": 3, "role": 2, "person": 0}

# Per-process index (temp tables; the store itself is never written). Order matters: later ones read earlier.
INDEX_TABLES = (
    "web_doc_themes", "web_doc_actors", "web_event_copies", "web_events", "web_docs",
    "web_actor_ids", "web_iso",
)  # fmt: skip
INDEX_SQL = (
    # Every actor code seen, its country (first three letters when they are an ISO 3166 code).
    "CREATE TEMP TABLE web_actor_ids AS "
    "SELECT c.code, CAST(ROW_NUMBER() OVER (ORDER BY c.code) AS INTEGER) AS id, "
    "CAST(DENSE_RANK() OVER (ORDER BY c.country) AS INTEGER) AS cid, c.country FROM ("
    "SELECT u.code, CASE WHEN length(u.code) > 3 AND substr(u.code, 1, 3) IN (SELECT code FROM web_iso) "
    "THEN substr(u.code, 1, 3) ELSE u.code END AS country FROM ("
    "SELECT source_code AS code FROM events WHERE source_code IS NOT NULL "
    "UNION SELECT target_code FROM events WHERE target_code IS NOT NULL "
    "UNION SELECT code FROM mentions UNION SELECT actor FROM stance) u "
    ") c",
    # Integer document ids with the date and outlet that every filter needs.
    "CREATE TEMP TABLE web_docs AS SELECT doc_id, CAST(ROW_NUMBER() OVER (ORDER BY doc_id) AS INTEGER) AS did, "
    "published, source FROM documents",
    # One row per story-level event: its earliest copy stands for it; multi marks events with copies.
    "CREATE TEMP TABLE web_events AS "
    "SELECT r.event_key, r.ek, r.did, r.source, r.multi, r.event_date AS day, "
    "CAST(date_trunc('week', r.event_date) AS DATE) AS week, CAST(date_trunc('month', r.event_date) AS DATE) AS month, "
    "s.id AS src, t.id AS tgt, s.cid AS srcc, "
    "t.cid AS tgtc, r.quad_class AS quad, r.goldstein AS g, r.plover_type AS plover, r.cameo_code AS cameo, "
    "COALESCE(r.negated, FALSE) AS negated FROM ("
    "SELECT e.event_key, CAST(DENSE_RANK() OVER (ORDER BY e.event_key) AS INTEGER) AS ek, dd.did, "
    "e.doc_source AS source, "
    "COUNT(*) OVER (PARTITION BY e.event_key) > 1 AS multi, e.event_date, e.source_code, e.target_code, "
    "e.quad_class, e.goldstein, e.plover_type, e.cameo_code, e.negated, ROW_NUMBER() OVER "
    "(PARTITION BY e.event_key ORDER BY e.event_date, e.doc_id, e.seq) AS rn "
    "FROM events e JOIN web_docs dd ON dd.doc_id = e.doc_id) r "
    "LEFT JOIN web_actor_ids s ON s.code = r.source_code "
    "LEFT JOIN web_actor_ids t ON t.code = r.target_code WHERE r.rn = 1",
    # Where the copies of multi-copy events appeared (outlet and document), for outlet and theme filters.
    "CREATE TEMP TABLE web_event_copies AS "
    "SELECT DISTINCT w.ek, dd.did, e.doc_source AS source FROM events e "
    "JOIN web_docs dd ON dd.doc_id = e.doc_id JOIN web_events w ON w.event_key = e.event_key WHERE w.multi",
    # Per document and actor: mentions, and the stance scores toward it (so one scan serves both).
    "CREATE TEMP TABLE web_doc_actors AS "
    "SELECT k.did, k.actor, a.cid, COALESCE(m.n, 0) AS n, st.stance_sum, COALESCE(st.stance_n, 0) AS stance_n, "
    "dd.published, dd.source FROM ("
    "SELECT dd.did, a.id AS actor FROM mentions m JOIN web_docs dd ON dd.doc_id = m.doc_id "
    "JOIN web_actor_ids a ON a.code = m.code "
    "UNION SELECT dd.did, a.id FROM stance s JOIN web_docs dd ON dd.doc_id = s.doc_id "
    "JOIN web_actor_ids a ON a.code = s.actor) k "
    "JOIN web_docs dd ON dd.did = k.did JOIN web_actor_ids a ON a.id = k.actor "
    "LEFT JOIN (SELECT dd.did, a.id AS actor, COUNT(*) AS n FROM mentions m "
    "JOIN web_docs dd ON dd.doc_id = m.doc_id JOIN web_actor_ids a ON a.code = m.code GROUP BY dd.did, a.id) m "
    "ON m.did = k.did AND m.actor = k.actor "
    "LEFT JOIN (SELECT dd.did, a.id AS actor, SUM(s.score) AS stance_sum, COUNT(*) AS stance_n FROM stance s "
    "JOIN web_docs dd ON dd.doc_id = s.doc_id JOIN web_actor_ids a ON a.code = s.actor GROUP BY dd.did, a.id) st "
    "ON st.did = k.did AND st.actor = k.actor",
    "CREATE TEMP TABLE web_doc_themes AS "
    "SELECT dd.did, t.theme, MIN(dd.published) AS published, MIN(dd.source) AS source, "
    "CAST(date_trunc('month', MIN(dd.published)) AS DATE) AS month "
    "FROM themes t JOIN web_docs dd ON dd.doc_id = t.doc_id GROUP BY dd.did, t.theme",
)


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries) | {"XKX", "KSV"}


SNIPPET_CHARS = 240


@dataclass(frozen=True)
class Filters:
    """The filters every view shares; all optional."""

    start: dt.date | None = None
    end: dt.date | None = None
    source: str | None = None
    theme: str | None = None
    quad_class: int | None = None
    plover: str | None = None
    event_type: str | None = None
    include_negated: bool = False


class _Where:
    """Collects WHERE fragments (fixed text) and their bound values, in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list[Any] = []

    def add(self, sql: str, *values: Any) -> None:
        self.parts.append(sql)
        self.params.extend(values)

    def sql(self, keyword: str = "WHERE") -> str:
        return f"{keyword} " + " AND ".join(self.parts) if self.parts else ""


def _event_where(f: Filters, alias: str = "e") -> _Where:
    w = _Where()
    if f.start:
        w.add(f"{alias}.event_date >= ?", f.start)
    if f.end:
        w.add(f"{alias}.event_date <= ?", f.end)
    if f.source:
        w.add(f"{alias}.doc_source = ?", f.source)
    if f.theme:
        w.add(f"{alias}.doc_id IN (SELECT doc_id FROM themes WHERE theme = ?)", f.theme)
    if f.quad_class:
        w.add(f"{alias}.quad_class = ?", f.quad_class)
    if f.plover:
        w.add(f"{alias}.plover_type = ?", f.plover)
    if f.event_type:
        if f.event_type.isdigit():
            w.add(f"starts_with({alias}.cameo_code, ?)", f.event_type)
        else:
            w.add(f"{alias}.plover_type = ?", f.event_type.upper())
    if not f.include_negated:
        w.add(f"({alias}.negated IS NULL OR {alias}.negated = FALSE)")
    return w


def _index_event_where(f: Filters) -> _Where:
    """Filters on web_events (alias w): the event's own fields directly, outlet and theme through its copies."""
    w = _Where()
    if f.start:
        w.add("w.day >= ?", f.start)
    if f.end:
        w.add("w.day <= ?", f.end)
    if f.source:
        w.add(
            "(w.source = ? OR (w.multi AND w.ek IN (SELECT ek FROM web_event_copies WHERE source = ?)))",
            f.source,
            f.source,
        )
    if f.theme:
        themed = "(SELECT did FROM web_doc_themes WHERE theme = ?)"
        w.add(
            f"(w.did IN {themed} OR (w.multi AND w.ek IN (SELECT ek FROM web_event_copies WHERE did IN {themed})))",
            f.theme,
            f.theme,
        )
    if f.quad_class:
        w.add("w.quad = ?", f.quad_class)
    if f.plover:
        w.add("w.plover = ?", f.plover)
    if f.event_type:
        if f.event_type.isdigit():
            w.add("starts_with(w.cameo, ?)", f.event_type)
        else:
            w.add("w.plover = ?", f.event_type.upper())
    if not f.include_negated:
        w.add("NOT w.negated")
    return w


def _index_doc_where(f: Filters, alias: str) -> _Where:
    """Filters on the per-document index tables (did, published, source columns)."""
    w = _Where()
    if f.start:
        w.add(f"{alias}.published >= ?", f.start)
    if f.end:
        w.add(f"{alias}.published <= ?", f.end)
    if f.source:
        w.add(f"{alias}.source = ?", f.source)
    if f.theme:
        w.add(f"{alias}.did IN (SELECT did FROM web_doc_themes WHERE theme = ?)", f.theme)
    return w


def _document_where(f: Filters, alias: str = "d") -> _Where:
    w = _Where()
    if f.start:
        w.add(f"{alias}.published >= ?", f.start)
    if f.end:
        w.add(f"{alias}.published <= ?", f.end)
    if f.source:
        w.add(f"{alias}.source = ?", f.source)
    if f.theme:
        w.add(f"{alias}.doc_id IN (SELECT doc_id FROM themes WHERE theme = ?)", f.theme)
    return w


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def period_label(day: dt.date, by: Granularity) -> str:
    if by == "month":
        return day.strftime("%Y-%m")
    if by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def period_bounds(first: dt.date, by: Granularity) -> tuple[dt.date, dt.date]:
    """Inclusive first and last day of the period starting at ``first``."""
    if by == "day":
        return first, first
    if by == "week":
        return first, first + dt.timedelta(days=6)
    nxt = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def _next_period(first: dt.date, by: Granularity) -> dt.date:
    return period_bounds(first, by)[1] + dt.timedelta(days=1)


MAX_CONTINUOUS_PERIODS = 400


class Corpus:
    """One open, read-only store, a small in-memory event index, and the dashboard's queries.

    The index (temp tables built once per process, rebuilt when the store changes) holds one row
    per story-level event with integer actor ids, plus per-document actor, stance and theme rows
    with the document's date and outlet copied in. The overview, network and dyad views then
    aggregate those directly instead of collapsing copies and joining documents on every request,
    which keeps them within the latency budget on 100k-document stores.

    DuckDB connections are not safe to share between threads, and FastAPI runs sync endpoints
    in a thread pool, so queries are serialized by a lock (they are short; the store is local).
    """

    REFRESH_SECONDS = 15.0

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.RLock()
        self._fingerprint: tuple[Any, ...] | None = None
        self._checked = 0.0
        self.codes: dict[int, str] = {}
        self.names: dict[str, str] = {}
        self.countries: dict[int, str] = {}
        self._ensure_index()

    @classmethod
    def open(cls, db: str | None) -> Corpus:
        return cls(open_store(db, read_only=True))

    @property
    def location(self) -> str:
        return str(self.store.backend.location)

    def close(self) -> None:
        self.store.close()

    def rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return self.store.rows(sql, params)

    # --- the index ----------------------------------------------------------------------------
    def _ensure_index(self) -> None:
        with self._lock:
            now = time.monotonic()
            if self._fingerprint is not None and now - self._checked < self.REFRESH_SECONDS:
                return
            self._checked = now
            fingerprint = tuple(
                self.store.query(
                    "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM events), "
                    "(SELECT MAX(run_id) FROM ingest_runs)"
                )[1][0]
            )
            if fingerprint != self._fingerprint:
                self._build_index()
                self._fingerprint = fingerprint

    def _build_index(self) -> None:
        backend = self.store.backend
        for table in INDEX_TABLES:
            backend.execute(f"DROP TABLE IF EXISTS {table}")
        backend.execute("CREATE TEMP TABLE web_iso (code TEXT)")
        iso = sorted(_countries())
        backend.execute("INSERT INTO web_iso (code) VALUES " + ", ".join("(?)" for _ in iso), iso)
        for statement in INDEX_SQL:
            backend.execute(statement)
        self.codes, self.names, self.countries = {}, {}, {}
        for code_id, code, cid, country in self.store.query("SELECT id, code, cid, country FROM web_actor_ids")[1]:
            self.codes[int(code_id)] = code
            self.countries[int(cid)] = country
        # A code's label: its most frequent name among mentions of entities rather than people, so
        # IGOUNO reads "United Nations", not the name of its Secretary-General.
        best: dict[str, tuple[int, int]] = {}
        for code, name, kind, n in self.store.query(
            "SELECT code, name, kind, COUNT(*) FROM mentions WHERE name IS NOT NULL GROUP BY code, name, kind"
        )[1]:
            rank = (NAME_KIND_RANK.get(kind, 1), int(n))
            if code not in best or rank > best[code]:
                best[code] = rank
                self.names[code] = name

    def _level_ids(self, level: Level) -> tuple[str, str, dict[int, str]]:
        """Columns of web_events for the level, and the id -> code map that decodes them."""
        if level == "country":
            return "srcc", "tgtc", self.countries
        return "src", "tgt", self.codes

    # --- facets -------------------------------------------------------------------------------
    def facets(self) -> dict[str, Any]:
        self._ensure_index()
        sources = [
            r["source"]
            for r in self.rows("SELECT source FROM documents WHERE source IS NOT NULL GROUP BY source ORDER BY source")
        ]
        themes = [r["theme"] for r in self.rows("SELECT theme FROM web_doc_themes GROUP BY theme ORDER BY theme")]
        plover = [
            r["plover"]
            for r in self.rows("SELECT plover FROM web_events WHERE plover IS NOT NULL GROUP BY plover ORDER BY plover")
        ]
        actors = self.rows(
            "SELECT actor, SUM(n) AS mentions FROM web_doc_actors GROUP BY actor ORDER BY mentions DESC, actor "
            "LIMIT 500"
        )
        return {
            "sources": sources,
            "themes": themes,
            "plover_types": plover,
            "actors": [
                {"code": self.codes[a["actor"]], "name": self.names.get(self.codes[a["actor"]])} for a in actors
            ],
        }

    # --- overview -----------------------------------------------------------------------------
    def overview(self, f: Filters, limit: int = 15) -> dict[str, Any]:
        self._ensure_index()
        dw = _index_doc_where(f, "d")
        size = self.rows(
            f"SELECT COUNT(*) AS n, MIN(published) AS first, MAX(published) AS last FROM web_docs d {dw.sql()}",
            dw.params,
        )[0]
        sources = self.rows(
            "SELECT COALESCE(source, '(unknown)') AS source, COUNT(*) AS documents "
            f"FROM web_docs d {dw.sql()} GROUP BY 1 ORDER BY documents DESC, source",
            dw.params,
        )
        aw = _index_doc_where(f, "a")
        top = self.rows(
            "SELECT a.actor, SUM(a.n) AS mentions, SUM(CASE WHEN a.n > 0 THEN 1 ELSE 0 END) AS documents, "
            "SUM(a.stance_sum) / NULLIF(SUM(a.stance_n), 0) AS mean_stance "
            f"FROM web_doc_actors a {aw.sql()} GROUP BY a.actor ORDER BY mentions DESC, a.actor LIMIT ?",
            [*aw.params, limit],
        )
        actors = [
            {
                "code": self.codes[r["actor"]],
                "name": self.names.get(self.codes[r["actor"]]),
                "mentions": int(r["mentions"]),
                "documents": int(r["documents"]),
                "mean_stance": None if r["mean_stance"] is None else float(r["mean_stance"]),
            }
            for r in top
        ]
        ew = _index_event_where(f)
        pairs = _Where()
        pairs.parts, pairs.params = [*ew.parts, "w.src IS NOT NULL", "w.tgt IS NOT NULL"], list(ew.params)
        dyads = [
            {
                "source": self.codes[r["src"]],
                "target": self.codes[r["tgt"]],
                "events": int(r["events"]),
                "mean_goldstein": r["mean_goldstein"],
            }
            for r in self.rows(
                "SELECT w.src, w.tgt, COUNT(*) AS events, AVG(w.g) AS mean_goldstein FROM web_events w "
                f"{pairs.sql()} GROUP BY w.src, w.tgt ORDER BY events DESC, w.src, w.tgt LIMIT ?",
                [*pairs.params, limit],
            )
        ]
        quads = self.rows(
            f"SELECT w.quad AS quad_class, COUNT(*) AS events FROM web_events w {ew.sql()} "
            "GROUP BY w.quad ORDER BY w.quad",
            ew.params,
        )
        tw = _index_doc_where(f, "t")
        tw.add("t.published IS NOT NULL")
        trends = self.rows(
            "SELECT t.theme, t.month AS period, COUNT(*) AS documents "
            f"FROM web_doc_themes t {tw.sql()} GROUP BY t.theme, t.month ORDER BY t.month, t.theme",
            tw.params,
        )
        return {
            "documents": int(size["n"]),
            "events": sum(int(q["events"]) for q in quads),
            "date_range": {"start": _as_date(size["first"]), "end": _as_date(size["last"])},
            "sources": sources,
            "top_actors": actors,
            "top_dyads": dyads,
            "quad_classes": [{"quad_class": int(q["quad_class"]), "events": int(q["events"])} for q in quads],
            "theme_trends": [
                {
                    "theme": t["theme"],
                    "period": period_label(_as_date(t["period"]) or dt.date.min, "month"),
                    "documents": int(t["documents"]),
                }
                for t in trends
            ],
        }

    # --- network ------------------------------------------------------------------------------
    def network(self, f: Filters, level: Level = "country", min_events: int = 1, limit: int = 300) -> dict[str, Any]:
        self._ensure_index()
        src, tgt, decode = self._level_ids(level)
        ew = _index_event_where(f)
        ew.add(f"w.{src} IS NOT NULL")
        ew.add(f"w.{tgt} IS NOT NULL")
        ew.add(f"w.{src} <> w.{tgt}")
        edges = [
            {
                "source": decode[r["s"]],
                "target": decode[r["t"]],
                "events": int(r["events"]),
                "mean_goldstein": r["mean_goldstein"],
            }
            for r in self.rows(
                f"SELECT w.{src} AS s, w.{tgt} AS t, COUNT(*) AS events, AVG(w.g) AS mean_goldstein "
                f"FROM web_events w {ew.sql()} GROUP BY w.{src}, w.{tgt} HAVING COUNT(*) >= ? "
                "ORDER BY events DESC, s, t LIMIT ?",
                [*ew.params, min_events, limit],
            )
        ]
        wanted = {e["source"] for e in edges} | {e["target"] for e in edges}
        mentions: dict[str, int] = {}
        if wanted:
            node = "cid" if level == "country" else "actor"
            aw = _index_doc_where(f, "a")
            for r in self.rows(
                f"SELECT a.{node} AS id, SUM(a.n) AS mentions FROM web_doc_actors a {aw.sql()} GROUP BY a.{node}",
                aw.params,
            ):
                code = decode[r["id"]]
                if code in wanted:
                    mentions[code] = int(r["mentions"])
        nodes = [{"id": c, "label": self.names.get(c) or c, "mentions": mentions.get(c, 0)} for c in sorted(wanted)]
        return {"level": level, "nodes": nodes, "edges": edges}

    # --- events (drill-down) ------------------------------------------------------------------
    def events(
        self,
        f: Filters,
        source_actor: str | None = None,
        target_actor: str | None = None,
        actor: str | None = None,
        doc_id: str | None = None,
        exact: bool = False,
        limit: int = 100,
        offset: int = 0,
    ) -> dict[str, Any]:
        ew = _event_where(f)
        match = "e.{} = ?" if exact else "starts_with(e.{}, ?)"
        if source_actor:
            ew.add(match.format("source_code"), source_actor)
        if target_actor:
            ew.add(match.format("target_code"), target_actor)
        if actor:
            ew.add("(starts_with(e.source_code, ?) OR starts_with(e.target_code, ?))", actor, actor)
        if doc_id:
            ew.add("e.doc_id = ?", doc_id)
        total = self.rows(
            f"SELECT COUNT(*) AS mentions, COUNT(DISTINCT e.event_key) AS events FROM events e {ew.sql()}",
            ew.params,
        )[0]
        rows = self.rows(
            "SELECT e.doc_id AS document_id, e.seq AS event_index, e.event_key, e.event_date, e.source_code, "
            "e.target_code, e.source_text, e.target_text, e.cameo_code, e.cameo_name, e.quad_class, "
            "e.goldstein, "
            "e.plover_type, e.trigger_text, e.rule_id AS rule, e.negated, e.modality, s.text AS "
            "sentence_text, "
            "d.title, d.path, d.url, d.source, d.published "
            "FROM events e JOIN documents d ON d.doc_id = e.doc_id "
            "LEFT JOIN sentences s ON s.doc_id = e.doc_id AND s.seq = e.sentence "
            f"{ew.sql()} ORDER BY e.event_date, e.event_key, e.doc_id, e.seq LIMIT ? OFFSET ?",
            [*ew.params, limit, offset],
        )
        for r in rows:
            r["event_key"] = str(r["event_key"])  # a 64-bit key would lose digits as a JSON number in JS
            r["event_date"] = _as_date(r["event_date"])
            r["published"] = _as_date(r["published"])
        return {"total": int(total["mentions"]), "distinct_events": int(total["events"]), "events": rows}

    # --- dyad timeline ------------------------------------------------------------------------
    def dyad(self, a: str, b: str, by: Granularity, f: Filters) -> dict[str, Any]:
        self._ensure_index()
        # Codes match by prefix (IND covers INDGOV); the ids are looked up here, not in SQL, so the
        # planner sees plain IN lists.
        ids_a = [i for i, code in self.codes.items() if code.startswith(a)] or [-1]
        ids_b = [i for i, code in self.codes.items() if code.startswith(b)] or [-1]
        in_a, in_b = ", ".join("?" for _ in ids_a), ", ".join("?" for _ in ids_b)
        column = {"day": "day", "week": "week", "month": "month"}[by]
        # Two conjunctive halves (A->B, B->A) rather than one OR: each is a plain filtered scan.
        forward, backward = _index_event_where(f), _index_event_where(f)
        for w, src_ids, tgt_ids, src_in, tgt_in in (
            (forward, ids_a, ids_b, in_a, in_b),
            (backward, ids_b, ids_a, in_b, in_a),
        ):
            w.add("w.day IS NOT NULL")
            w.add(f"w.src IN ({src_in})", *src_ids)
            w.add(f"w.tgt IN ({tgt_in})", *tgt_ids)
        halves = [
            f"SELECT {flag} AS forward, w.{column} AS period, w.quad AS quad_class, w.cameo AS cameo_code, "
            f"COUNT(*) AS events, SUM(w.g) AS goldstein FROM web_events w {where.sql()} "
            f"GROUP BY w.{column}, w.quad, w.cameo"
            for flag, where in ((1, forward), (0, backward))
        ]
        rows = self.rows(" UNION ALL ".join(halves), [*forward.params, *backward.params])
        series: dict[int, dict[dt.date, dict[str, Any]]] = {1: {}, 0: {}}
        for r in rows:
            first = _as_date(r["period"])
            if first is None:
                continue
            slot = series[int(r["forward"])].setdefault(
                first, {"events": 0, "goldstein": 0.0, "counts": defaultdict(int), "types": defaultdict(int)}
            )
            n = int(r["events"])
            slot["events"] += n
            slot["goldstein"] += float(r["goldstein"] or 0.0)
            slot["counts"][int(r["quad_class"])] += n
            slot["types"][r["cameo_code"]] += n
        firsts = sorted(set(series[1]) | set(series[0]))
        periods: list[dt.date] = []
        if firsts:
            day = firsts[0]
            while day <= firsts[-1] and len(periods) <= MAX_CONTINUOUS_PERIODS:
                periods.append(day)
                day = _next_period(day, by)
            if len(periods) > MAX_CONTINUOUS_PERIODS:
                periods = firsts  # too long to show empty periods: only those with events

        def shaped(points: dict[dt.date, dict[str, Any]]) -> list[dict[str, Any]]:
            out = []
            for first in sorted(points):
                p = points[first]
                start, end = period_bounds(first, by)
                top = sorted(p["types"].items(), key=lambda kv: (-kv[1], kv[0]))[:3]
                out.append(
                    {
                        "period": period_label(first, by),
                        "start": start,
                        "end": end,
                        "events": p["events"],
                        "counts": {str(q): p["counts"].get(q, 0) for q in (1, 2, 3, 4)},
                        "mean_goldstein": p["goldstein"] / p["events"] if p["events"] else None,
                        "top_event_types": [code for code, _ in top],
                    }
                )
            return out

        return {
            "a": a,
            "b": b,
            "by": by,
            "periods": [
                {
                    "period": period_label(p, by),
                    "start": period_bounds(p, by)[0],
                    "end": period_bounds(p, by)[1],
                }
                for p in periods
            ],
            "forward": shaped(series[1]),
            "backward": shaped(series[0]),
        }

    # --- compare sources ----------------------------------------------------------------------
    def compare(self, actor: str, f: Filters) -> dict[str, Any]:
        dw = _document_where(f)
        dw.add("d.doc_id IN (SELECT doc_id FROM mentions WHERE starts_with(code, ?))", actor)
        docs = {
            r["source"]: int(r["documents"])
            for r in self.rows(
                "SELECT COALESCE(d.source, '(unknown)') AS source, COUNT(*) AS documents FROM "
                f"documents d {dw.sql()} "
                "GROUP BY 1",
                dw.params,
            )
        }
        sw = _document_where(f)
        sw.add("starts_with(s.actor, ?)", actor)
        stance_rows = self.rows(
            "SELECT COALESCE(d.source, '(unknown)') AS source, s.label, COUNT(*) AS n, SUM(s.score) AS total "
            f"FROM stance s JOIN documents d ON d.doc_id = s.doc_id {sw.sql()} GROUP BY 1, s.label",
            sw.params,
        )
        ew = _event_where(f)
        ew.add("(starts_with(e.source_code, ?) OR starts_with(e.target_code, ?))", actor, actor)
        event_rows = self.rows(
            "SELECT source, quad_class, COUNT(*) AS events, SUM(goldstein) AS goldstein FROM ("
            "SELECT e.event_key, e.doc_source AS source, MIN(e.quad_class) AS quad_class, "
            "AVG(e.goldstein) AS goldstein "
            f"FROM events e {ew.sql()} GROUP BY e.event_key, e.doc_source) ev GROUP BY source, quad_class",
            ew.params,
        )
        outlets: dict[str, dict[str, Any]] = {}

        def outlet(name: str | None) -> dict[str, Any]:
            key = name or "(unknown)"
            return outlets.setdefault(
                key,
                {
                    "source": key,
                    "documents": docs.get(key, 0),
                    "stance_documents": 0,
                    "mean_stance": None,
                    "negative": 0,
                    "neutral": 0,
                    "positive": 0,
                    "events": 0,
                    "quad_classes": {"1": 0, "2": 0, "3": 0, "4": 0},
                    "mean_goldstein": None,
                    "_g": 0.0,
                    "_s": 0.0,
                },
            )

        for name in docs:
            outlet(name)
        for r in stance_rows:
            o = outlet(r["source"])
            if r["label"] in ("negative", "neutral", "positive"):
                o[r["label"]] += int(r["n"])
            o["stance_documents"] += int(r["n"])
            o["_s"] += float(r["total"] or 0.0)
        for r in event_rows:
            o = outlet(r["source"])
            o["events"] += int(r["events"])
            o["quad_classes"][str(r["quad_class"])] = o["quad_classes"].get(str(r["quad_class"]), 0) + int(r["events"])
            o["_g"] += float(r["goldstein"] or 0.0)
        for o in outlets.values():
            o["mean_stance"] = o["_s"] / o["stance_documents"] if o["stance_documents"] else None
            o["mean_goldstein"] = o["_g"] / o["events"] if o["events"] else None
            del o["_g"], o["_s"]
        ordered = sorted(outlets.values(), key=lambda o: (-o["documents"], o["source"]))
        return {"actor": actor, "outlets": ordered}

    # --- search -------------------------------------------------------------------------------
    def search(
        self, q: str | None, f: Filters, actor: str | None = None, limit: int = 50, offset: int = 0
    ) -> dict[str, Any]:
        dw = _document_where(f)
        words = [w for w in (q or "").split() if w][:8]
        for word in words:
            dw.add(
                "(strpos(lower(d.text), lower(?)) > 0 OR strpos(lower(COALESCE(d.title, '')), lower(?)) > 0)",
                word,
                word,
            )
        if actor:
            dw.add("d.doc_id IN (SELECT doc_id FROM mentions WHERE starts_with(code, ?))", actor)
        if f.event_type or f.quad_class or f.plover:
            ew = _event_where(
                Filters(
                    quad_class=f.quad_class,
                    plover=f.plover,
                    event_type=f.event_type,
                    include_negated=f.include_negated,
                )
            )
            dw.add(f"d.doc_id IN (SELECT e.doc_id FROM events e {ew.sql()})", *ew.params)
        total = int(self.rows(f"SELECT COUNT(*) AS n FROM documents d {dw.sql()}", dw.params)[0]["n"])
        rows = self.rows(
            "SELECT d.doc_id AS id, d.title, d.source, d.published, d.url, d.text FROM documents d "
            f"{dw.sql()} ORDER BY d.published DESC NULLS LAST, d.doc_id LIMIT ? OFFSET ?",
            [*dw.params, limit, offset],
        )
        results = []
        for r in rows:
            text = r.pop("text") or ""
            r["published"] = _as_date(r["published"])
            r["snippet"] = snippet(text, words)
            results.append(r)
        return {"total": total, "results": results}

    # --- one document -------------------------------------------------------------------------
    def analysis(self, doc_id: str) -> Analysis | None:
        with self._lock:
            return self.store.analysis(doc_id)

    def cluster(self, doc_id: str) -> list[dict[str, Any]]:
        """Other stored copies of the same story (near-duplicates), for the document view."""
        return self.rows(
            "SELECT d.doc_id AS id, d.title, d.source, d.published FROM documents d "
            "WHERE d.cluster_id = (SELECT cluster_id FROM documents WHERE doc_id = ?) AND d.doc_id <> ? "
            "ORDER BY d.published, d.doc_id LIMIT 50",
            [doc_id, doc_id],
        )


def snippet(text: str, words: list[str]) -> str:
    """A window of the text around the first query word (or its start)."""
    lower = text.lower()
    hits = [lower.find(w.lower()) for w in words]
    hits = [h for h in hits if h >= 0]
    at = min(hits) if hits else 0
    start = max(0, at - SNIPPET_CHARS // 3)
    piece = " ".join(text[start : start + SNIPPET_CHARS].split())
    return ("… " if start else "") + piece + (" …" if start + SNIPPET_CHARS < len(text) else "")
