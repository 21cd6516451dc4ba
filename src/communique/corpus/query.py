"""Corpus queries, the same on DuckDB and PostgreSQL: dyads, actors, network, compare, search, show.

Events are counted once per story by default: mentions of one event in one article, and in the
syndicated copies of that article (same near-duplicate cluster), share an ``event_key`` and are
collapsed into one event that carries GDELT-style mention, source and article counts. Negated
events ("did not attack") are left out of counts unless asked for.

Every value reaches the SQL as a parameter; only fixed fragments chosen from whitelists are
composed into the SQL text. Results are plain dicts with rounded floats and ISO dates, so both
engines give identical output.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..actors.labels import code_label
from ..model import Analysis
from ..store import Store

PERIODS = ("day", "week", "month", "year", "all")
COMPARE_BY = ("source", *PERIODS)
QUAD_NAMES = {1: "verbal_coop", 2: "material_coop", 3: "verbal_conflict", 4: "material_conflict"}
_CODE = re.compile(r"^[A-Z0-9]{2,32}$")


class QueryError(ValueError):
    """Bad query arguments; the message is one line for the user."""


@dataclass(frozen=True)
class Filters:
    """Restrictions every query accepts. Empty tuples mean no restriction."""

    since: dt.date | None = None
    until: dt.date | None = None
    sources: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()


def actor_code(value: str) -> str:
    code = value.strip().upper()
    if not _CODE.match(code):
        raise QueryError(f"not an actor code: {value!r} (letters and digits, e.g. IND, USAGOV, IGOUNO)")
    return code


def _placeholders(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join("?" for _ in values)


def _event_type_condition(types: tuple[str, ...], code_column: str, plover_column: str) -> tuple[str, list[Any]]:
    """CAMEO codes match by prefix ('19' is every fight event), other values are PLOVER types."""
    parts, params = [], []
    for value in types:
        value = value.strip()
        if value.isdigit():
            parts.append(f"starts_with({code_column}, ?)")
            params.append(value)
        else:
            parts.append(f"upper({plover_column}) = ?")
            params.append(value.upper())
    return "(" + " OR ".join(parts) + ")", params


def _document_conditions(filters: Filters, doc: str = "d") -> tuple[list[str], list[Any]]:
    """Filters on documents (alias ``doc``): publication date, outlet, theme, event type present."""
    where: list[str] = []
    params: list[Any] = []
    if filters.since:
        where.append(f"{doc}.published >= ?")
        params.append(filters.since)
    if filters.until:
        where.append(f"{doc}.published <= ?")
        params.append(filters.until)
    if filters.sources:
        where.append(f"{doc}.source IN ({_placeholders(filters.sources)})")
        params += list(filters.sources)
    if filters.themes:
        where.append(f"{doc}.doc_id IN (SELECT doc_id FROM themes WHERE theme IN ({_placeholders(filters.themes)}))")
        params += list(filters.themes)
    if filters.event_types:
        condition, extra = _event_type_condition(filters.event_types, "x.cameo_code", "x.plover_type")
        where.append(f"{doc}.doc_id IN (SELECT x.doc_id FROM events x WHERE {condition})")
        params += extra
    return where, params


def _event_conditions(filters: Filters, include_negated: bool) -> tuple[list[str], list[Any]]:
    """Filters on event mentions (alias e), using the columns copied onto each event row."""
    where: list[str] = []
    params: list[Any] = []
    if not include_negated:
        where.append("NOT e.negated")
    if filters.since:
        where.append("e.event_date >= ?")
        params.append(filters.since)
    if filters.until:
        where.append("e.event_date <= ?")
        params.append(filters.until)
    if filters.sources:
        where.append(f"e.doc_source IN ({_placeholders(filters.sources)})")
        params += list(filters.sources)
    if filters.themes:
        where.append(f"e.doc_id IN (SELECT doc_id FROM themes WHERE theme IN ({_placeholders(filters.themes)}))")
        params += list(filters.themes)
    if filters.event_types:
        condition, extra = _event_type_condition(filters.event_types, "e.cameo_code", "e.plover_type")
        where.append(condition)
        params += extra
    return where, params


def _where(conditions: list[str]) -> str:
    return ("WHERE " + " AND ".join(conditions)) if conditions else ""


def _period_sql(period: str, column: str) -> str:
    if period not in PERIODS:
        raise QueryError(f"--by must be one of {', '.join(PERIODS)}, not {period!r}")
    if period == "day":
        return column
    if period == "all":
        return "CAST(NULL AS DATE)"
    return f"CAST(date_trunc('{period}', CAST({column} AS TIMESTAMP)) AS DATE)"


def collapsed_events_sql(
    filters: Filters,
    include_negated: bool = False,
    extra: tuple[str, list[Any]] | None = None,
    with_counts: bool = True,
) -> tuple[str, list[Any]]:
    """One row per event (story-level), with GDELT-style counts; used by every event query.

    ``extra`` is a further mention-level condition (e.g. the dyad), applied before collapsing:
    actors and code are part of the event key, so this selects whole events and is much faster.
    """
    where, params = _event_conditions(filters, include_negated)
    if extra:
        where.append(extra[0])
        params += extra[1]
    counts = (
        ", COUNT(DISTINCT e.doc_source) AS num_sources, COUNT(DISTINCT e.doc_id) AS num_articles"
        if with_counts
        else ""
    )
    sql = f"""
        SELECT e.event_key,
               MIN(e.event_date) AS event_date,
               MIN(e.source_code) AS source_code,
               MIN(e.target_code) AS target_code,
               MIN(e.cameo_code) AS cameo_code,
               AVG(e.goldstein) AS goldstein,
               MIN(e.quad_class) AS quad_class,
               COUNT(*) AS num_mentions{counts}
        FROM events e
        {_where(where)}
        GROUP BY e.event_key"""
    return sql, params


def _mention_scoped(filters: Filters) -> bool:
    """True when a filter can keep some mentions of an event and drop others (dates, outlets, themes)."""
    return bool(filters.since or filters.until or filters.sources or filters.themes)


def clean(value: Any) -> Any:
    """Engine-neutral values: floats rounded, decimals as floats, dates as ISO strings."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _records(store: Store, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    names, rows = store.query(sql, params)
    return [{name: clean(value) for name, value in zip(names, row, strict=True)} for row in rows]


# --- dyads ----------------------------------------------------------------------------------


def dyads(
    store: Store,
    actor_a: str,
    actor_b: str,
    *,
    by: str = "month",
    filters: Filters | None = None,
    include_negated: bool = False,
    top_types: int = 3,
) -> list[dict[str, Any]]:
    """Events between A and B per period and direction (codes match by prefix: IND covers INDGOV)."""
    a, b = actor_code(actor_a), actor_code(actor_b)
    filters = filters or Filters()
    pushdown = (
        "((starts_with(e.source_code, ?) AND starts_with(e.target_code, ?)) OR "
        "(starts_with(e.source_code, ?) AND starts_with(e.target_code, ?)))"
    )
    events_sql, params = collapsed_events_sql(filters, include_negated, (pushdown, [a, b, b, a]), with_counts=False)
    period = _period_sql(by, "ev.event_date")
    direction = "CASE WHEN starts_with(ev.source_code, ?) AND starts_with(ev.target_code, ?) THEN ? ELSE ? END"
    # One pass at (period, direction, code) grain; window sums give the period totals and a rank
    # keeps only each period's top codes, so few rows come back.
    quads = ", ".join(
        f"SUM(CASE WHEN ev.quad_class = {number} THEN 1 ELSE 0 END) AS {name}" for number, name in QUAD_NAMES.items()
    )
    totals = ", ".join(f"SUM(t.{name}) OVER w AS {name}" for name in QUAD_NAMES.values())
    sql = f"""WITH ev AS ({events_sql}),
        typed AS (
            SELECT {period} AS period, {direction} AS direction, ev.cameo_code,
                   COUNT(*) AS n, SUM(ev.num_mentions) AS mentions, SUM(ev.goldstein) AS goldstein, {quads}
            FROM ev GROUP BY 1, 2, 3),
        ranked AS (
            SELECT t.period, t.direction, t.cameo_code, t.n,
                   SUM(t.n) OVER w AS events, SUM(t.mentions) OVER w AS mentions, {totals},
                   SUM(t.goldstein) OVER w AS goldstein,
                   ROW_NUMBER() OVER (PARTITION BY t.period, t.direction ORDER BY t.n DESC, t.cameo_code) AS rank
            FROM typed t
            WINDOW w AS (PARTITION BY t.period, t.direction))
        SELECT * FROM ranked WHERE rank <= ? ORDER BY period NULLS FIRST, direction, rank"""
    grouped: dict[tuple[Any, Any], dict[str, Any]] = {}
    for row in _records(store, sql, [*params, a, b, f"{a}->{b}", f"{b}->{a}", top_types]):
        key = (row["period"], row["direction"])
        if key not in grouped:
            events = int(row["events"])
            grouped[key] = {
                "period": row["period"],
                "direction": row["direction"],
                "events": events,
                "mentions": int(row["mentions"]),
                **{name: int(row[name]) for name in QUAD_NAMES.values()},
                "mean_goldstein": round(float(row["goldstein"] or 0.0) / events, 4) if events else None,
                "top_event_types": [],
            }
        grouped[key]["top_event_types"].append(f"{row['cameo_code']}×{row['n']}")
    for out in grouped.values():
        out["top_event_types"] = ", ".join(out["top_event_types"])
    return list(grouped.values())


# --- network --------------------------------------------------------------------------------


def network(
    store: Store,
    *,
    filters: Filters | None = None,
    include_negated: bool = False,
    min_events: int = 1,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Directed actor graph: one edge per (source, target) with event count and mean Goldstein.

    Without date/outlet/theme filters every event is counted at its first stored mention (flagged at
    ingest), a single pass; with them, mentions are filtered first and then collapsed into events.
    An event's Goldstein value is its first mention's on the fast path and its mentions' mean
    otherwise; the two agree whenever the coder gives all mentions of an event the same value.
    """
    filters = filters or Filters()
    if _mention_scoped(filters):
        events_sql, params = collapsed_events_sql(filters, include_negated, with_counts=False)
        edges = f"""SELECT ev.source_code AS source, ev.target_code AS target,
                   COUNT(*) AS events,
                   SUM(ev.num_mentions) AS mentions,
                   AVG(ev.goldstein) AS mean_goldstein,
                   COUNT(*) FILTER (WHERE ev.quad_class IN (1, 2)) AS cooperation,
                   COUNT(*) FILTER (WHERE ev.quad_class IN (3, 4)) AS conflict
            FROM ({events_sql}) ev
            GROUP BY 1, 2"""
    else:
        where, params = _event_conditions(filters, include_negated)
        edges = f"""SELECT e.source_code AS source, e.target_code AS target,
                   COUNT(*) FILTER (WHERE e.first_mention) AS events,
                   COUNT(*) AS mentions,
                   AVG(e.goldstein) FILTER (WHERE e.first_mention) AS mean_goldstein,
                   COUNT(*) FILTER (WHERE e.first_mention AND e.quad_class IN (1, 2)) AS cooperation,
                   COUNT(*) FILTER (WHERE e.first_mention AND e.quad_class IN (3, 4)) AS conflict
            FROM events e
            {_where(where)}
            GROUP BY 1, 2"""
    # Self-loops and half-coded events are dropped per edge, after grouping: far fewer rows to test.
    sql = f"""SELECT * FROM ({edges}) edges
        WHERE edges.source IS NOT NULL AND edges.target IS NOT NULL AND edges.source <> edges.target
              AND edges.events >= ?
        ORDER BY edges.events DESC, edges.source, edges.target"""
    params = [*params, min_events]
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    return _records(store, sql, params)


def network_graph(edges: list[dict[str, Any]], names: dict[str, str] | None = None) -> Any:
    """A networkx DiGraph of the edges (weights: events), for GraphML or further analysis."""
    import networkx as nx

    graph = nx.DiGraph()
    for edge in edges:
        for code in (edge["source"], edge["target"]):
            if code not in graph:
                graph.add_node(code, label=(names or {}).get(code, code))
        graph.add_edge(
            edge["source"],
            edge["target"],
            weight=int(edge["events"]),
            events=int(edge["events"]),
            mentions=int(edge["mentions"]),
            mean_goldstein=float(edge["mean_goldstein"] or 0.0),
            cooperation=int(edge["cooperation"]),
            conflict=int(edge["conflict"]),
        )
    return graph


# --- actors and stance ----------------------------------------------------------------------


def actors(store: Store, *, filters: Filters | None = None, limit: int = 25) -> list[dict[str, Any]]:
    """Top actors by mentions, with documents, stories (near-duplicate clusters) and mean stance."""
    filters = filters or Filters()
    where, params = _document_conditions(filters)
    sql = f"""SELECT m.code AS code, MIN(COALESCE(m.name, m.text)) AS name,
               COUNT(*) AS mentions,
               COUNT(DISTINCT m.doc_id) AS documents,
               COUNT(DISTINCT d.cluster_id) AS stories
        FROM mentions m JOIN documents d ON d.doc_id = m.doc_id
        {_where(where)}
        GROUP BY m.code
        ORDER BY 3 DESC, 1
        LIMIT ?"""
    rows = _records(store, sql, [*params, limit])
    if not rows:
        return rows
    for row in rows:
        row["name"] = code_label(row["code"])
    codes = [row["code"] for row in rows]
    stance_where = [*where, f"s.actor IN ({_placeholders(codes)})"]
    stance_sql = f"""SELECT s.actor AS code, AVG(s.score) AS mean_stance, COUNT(*) AS stance_documents
        FROM stance s JOIN documents d ON d.doc_id = s.doc_id
        {_where(stance_where)}
        GROUP BY s.actor"""
    stance = {row["code"]: row for row in _records(store, stance_sql, [*params, *codes])}
    for row in rows:
        found = stance.get(row["code"], {})
        row["mean_stance"] = found.get("mean_stance")
        row["stance_documents"] = found.get("stance_documents", 0)
    return rows


def compare(
    store: Store, actor: str, *, by: str = "source", filters: Filters | None = None
) -> list[dict[str, Any]]:
    """Stance toward one actor (code prefix) per outlet or per period."""
    code = actor_code(actor)
    if by not in COMPARE_BY:
        raise QueryError(f"--by must be one of {', '.join(COMPARE_BY)}, not {by!r}")
    filters = filters or Filters()
    where, params = _document_conditions(filters)
    group = "COALESCE(d.source, '(unknown)')" if by == "source" else _period_sql(by, "d.published")
    sql = f"""SELECT {group} AS {"source" if by == "source" else "period"},
               COUNT(DISTINCT d.doc_id) AS documents,
               AVG(s.score) AS mean_stance,
               SUM(CASE WHEN s.label = 'positive' THEN 1 ELSE 0 END) AS positive,
               SUM(CASE WHEN s.label = 'neutral' THEN 1 ELSE 0 END) AS neutral,
               SUM(CASE WHEN s.label = 'negative' THEN 1 ELSE 0 END) AS negative
        FROM stance s JOIN documents d ON d.doc_id = s.doc_id
        {_where([*where, "starts_with(s.actor, ?)"])}
        GROUP BY 1 ORDER BY 1 NULLS FIRST"""
    return _records(store, sql, [*params, code])


# --- documents ------------------------------------------------------------------------------


def search(store: Store, text: str, *, filters: Filters | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Documents whose title or text contains ``text`` (case-insensitive), newest first."""
    if not text.strip():
        raise QueryError("search text is empty")
    filters = filters or Filters()
    where, params = _document_conditions(filters)
    needle = text.strip().lower()
    sql = f"""SELECT d.doc_id, d.published, d.source, d.title, d.cluster_id,
               substr(d.text, GREATEST(strpos(lower(d.text), ?) - 80, 1), 200) AS snippet
        FROM documents d
        {_where([*where, "(strpos(lower(d.text), ?) > 0 OR strpos(lower(COALESCE(d.title, '')), ?) > 0)"])}
        ORDER BY d.published DESC NULLS LAST, d.doc_id
        LIMIT ?"""
    rows = _records(store, sql, [needle, *params, needle, needle, limit])
    for row in rows:
        row["snippet"] = " ".join(str(row["snippet"] or "").split())
    return rows


def show(store: Store, doc_id: str) -> Analysis:
    """The stored analysis, exactly as produced; a unique id prefix is accepted."""
    analysis = store.analysis(doc_id)
    if analysis is not None:
        return analysis
    candidates = store.doc_ids_with_prefix(doc_id)
    if len(candidates) == 1:
        found = store.analysis(candidates[0])
        if found is not None:
            return found
    if candidates:
        raise QueryError(f"document id {doc_id!r} is ambiguous: {', '.join(candidates)} ...")
    raise QueryError(f"no document {doc_id!r} in the store")


def summary(store: Store) -> dict[str, Any]:
    """Corpus size at a glance: documents, stories, event mentions and story-level events."""
    _, rows = store.query(
        "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(DISTINCT cluster_id) FROM documents), "
        "(SELECT COUNT(*) FROM events), (SELECT COUNT(DISTINCT event_key) FROM events)"
    )
    documents, stories, mentions, events = rows[0]
    return {"documents": documents, "stories": stories, "event_mentions": mentions, "events": events}
