"""The JSON API behind every dashboard view (documented in OpenAPI at /docs and /openapi.json).

Query parameters are validated by FastAPI/pydantic, so a bad one is a 422 with a message naming
the parameter, never a 500. All values reach SQL as bound parameters (see queries.py).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from pydantic import BaseModel, Field

from .queries import Corpus, Filters

ACTOR_PATTERN = r"^[A-Za-z0-9]{2,24}$"
EVENT_TYPE_PATTERN = r"^([0-9]{2,4}|[A-Za-z_]{3,24})$"
TEXT_MAX = 200

router = APIRouter(prefix="/api", tags=["corpus"])


def _encode(value: object) -> str | float:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):  # PostgreSQL's SUM over bigint
        return float(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def fast_json(data: dict[str, Any]) -> Response:
    """Encode the hot endpoints directly: their shapes are the response models below (tests check
    that), and skipping per-object re-validation keeps them inside the latency budget."""
    return Response(json.dumps(data, default=_encode, separators=(",", ":")), media_type="application/json")


def corpus(request: Request) -> Corpus:
    return request.app.state.corpus


def _actor(value: str | None) -> str | None:
    return value.upper() if value else None


def filters(
    start: Annotated[dt.date | None, Query(description="First day (YYYY-MM-DD), inclusive.")] = None,
    end: Annotated[dt.date | None, Query(description="Last day (YYYY-MM-DD), inclusive.")] = None,
    source: Annotated[str | None, Query(max_length=TEXT_MAX, description="Outlet name, exactly.")] = None,
    theme: Annotated[str | None, Query(max_length=TEXT_MAX, description="Theme id.")] = None,
    quad_class: Annotated[int | None, Query(ge=1, le=4, description="QuadClass 1-4.")] = None,
    plover: Annotated[
        str | None,
        Query(max_length=40, pattern=r"^[A-Za-z_]+$", description="PLOVER event type, e.g. AGREE."),
    ] = None,
    event_type: Annotated[
        str | None,
        Query(pattern=EVENT_TYPE_PATTERN, description="CAMEO code prefix (e.g. 04, 057) or PLOVER type."),
    ] = None,
    include_negated: Annotated[bool, Query(description="Count negated events too.")] = False,
) -> Filters:
    if start and end and start > end:
        raise HTTPException(422, detail=f"start ({start}) is after end ({end})")
    return Filters(
        start=start or None,
        end=end or None,
        source=source or None,
        theme=theme or None,
        quad_class=quad_class,
        plover=plover.upper() if plover else None,
        event_type=event_type or None,
        include_negated=include_negated,
    )


CorpusDep = Annotated[Corpus, Depends(corpus)]
FiltersDep = Annotated[Filters, Depends(filters)]
Limit = Annotated[int, Query(ge=1, le=1000, description="Rows to return.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip.")]
ActorCode = Annotated[str, Query(pattern=ACTOR_PATTERN, description="Actor code or code prefix, e.g. PAK, USAGOV.")]
OptionalActor = Annotated[str | None, Query(pattern=ACTOR_PATTERN, description="Actor code or code prefix.")]


# --- response models (for the OpenAPI documentation) -------------------------------------------
class _Out(BaseModel):
    model_config = {"extra": "allow"}


class DateRange(_Out):
    start: dt.date | None
    end: dt.date | None


class SourceCount(_Out):
    source: str
    documents: int


class ActorRow(_Out):
    code: str
    name: str | None
    mentions: int
    documents: int
    mean_stance: float | None = None


class DyadRow(_Out):
    source: str
    target: str
    events: int = Field(description="Distinct events (copies of one story count once).")
    mean_goldstein: float | None


class QuadCount(_Out):
    quad_class: int
    events: int


class ThemeTrend(_Out):
    theme: str
    period: str = Field(description="YYYY-MM")
    documents: int


class Overview(_Out):
    documents: int
    events: int
    date_range: DateRange
    sources: list[SourceCount]
    top_actors: list[ActorRow]
    top_dyads: list[DyadRow]
    quad_classes: list[QuadCount]
    theme_trends: list[ThemeTrend]


class Facets(_Out):
    sources: list[str]
    themes: list[str]
    plover_types: list[str]
    actors: list[dict[str, Any]]


class Node(_Out):
    id: str = Field(description="Actor code (country level: first three letters, organisations whole).")
    label: str
    mentions: int


class Network(_Out):
    level: str
    nodes: list[Node]
    edges: list[DyadRow]


class EventRow(_Out):
    document_id: str
    event_index: int = Field(description="Index of the event in the document's analysis.events.")
    event_key: str
    event_date: dt.date | None
    source_code: str | None
    target_code: str | None
    cameo_code: str
    cameo_name: str | None
    quad_class: int
    goldstein: float | None
    plover_type: str | None
    trigger_text: str | None
    rule: str | None
    sentence_text: str | None
    title: str | None
    url: str | None
    source: str | None
    published: dt.date | None


class Events(_Out):
    total: int = Field(description="Event rows (mentions) matching.")
    distinct_events: int = Field(description="Distinct events after collapsing copies of one story.")
    events: list[EventRow]


class Period(_Out):
    period: str
    start: dt.date
    end: dt.date


class DyadPoint(Period):
    events: int
    counts: dict[str, int] = Field(description="Events per QuadClass ('1'..'4').")
    mean_goldstein: float | None
    top_event_types: list[str]


class Dyad(_Out):
    a: str
    b: str
    by: str
    periods: list[Period]
    forward: list[DyadPoint] = Field(description="A → B")
    backward: list[DyadPoint] = Field(description="B → A")


class Outlet(_Out):
    source: str
    documents: int
    stance_documents: int
    mean_stance: float | None
    negative: int
    neutral: int
    positive: int
    events: int
    quad_classes: dict[str, int]
    mean_goldstein: float | None


class Compare(_Out):
    actor: str
    outlets: list[Outlet]


class Hit(_Out):
    id: str
    title: str | None
    source: str | None
    published: dt.date | None
    url: str | None
    snippet: str


class Search(_Out):
    total: int
    results: list[Hit]


# --- endpoints ---------------------------------------------------------------------------------
@router.get("/overview", response_model=Overview, summary="Corpus size, sources, top actors and dyads, event mix")
def get_overview(c: CorpusDep, f: FiltersDep, limit: Annotated[int, Query(ge=1, le=100)] = 15) -> Any:
    return fast_json(c.overview(f, limit=limit))


@router.get("/facets", response_model=Facets, summary="Values for the filter menus")
def get_facets(c: CorpusDep) -> Any:
    return c.facets()


@router.get("/network", response_model=Network, summary="Directed actor graph with event counts and mean Goldstein")
def get_network(
    c: CorpusDep,
    f: FiltersDep,
    level: Annotated[Literal["country", "full"], Query(description="Collapse codes to countries, or not.")] = "country",
    min_events: Annotated[int, Query(ge=1, le=100_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=2000, description="Most edges returned.")] = 300,
) -> Any:
    return fast_json(c.network(f, level=level, min_events=min_events, limit=limit))


@router.get("/events", response_model=Events, summary="Coded events with their sentences and documents")
def get_events(
    c: CorpusDep,
    f: FiltersDep,
    source_actor: OptionalActor = None,
    target_actor: OptionalActor = None,
    actor: OptionalActor = None,
    exact: Annotated[bool, Query(description="Match source/target codes exactly, not as prefixes.")] = False,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Any:
    return c.events(
        f,
        source_actor=_actor(source_actor),
        target_actor=_actor(target_actor),
        actor=_actor(actor),
        exact=exact,
        limit=limit,
        offset=offset,
    )


@router.get("/dyad", response_model=Dyad, summary="A→B and B→A over time: QuadClass counts and mean Goldstein")
def get_dyad(
    c: CorpusDep,
    f: FiltersDep,
    a: ActorCode,
    b: ActorCode,
    by: Annotated[Literal["day", "week", "month"], Query(description="Period length.")] = "month",
) -> Any:
    return fast_json(c.dyad(a.upper(), b.upper(), by, f))


@router.get("/compare", response_model=Compare, summary="Stance toward an actor and event mix, per outlet")
def get_compare(c: CorpusDep, f: FiltersDep, actor: ActorCode) -> Any:
    return c.compare(actor.upper(), f)


@router.get("/search", response_model=Search, summary="Full-text search with actor, theme and event-type filters")
def get_search(
    c: CorpusDep,
    f: FiltersDep,
    q: Annotated[str | None, Query(max_length=TEXT_MAX, description="Words that must all occur.")] = None,
    actor: OptionalActor = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return c.search(q, f, actor=_actor(actor), limit=limit, offset=offset)


DocId = Annotated[str, Path(min_length=1, max_length=500, description="Document id as stored.")]


@router.get("/documents/{doc_id:path}", summary="One stored analysis (the Analysis JSON) plus its near-duplicates")
def get_document(c: CorpusDep, doc_id: DocId) -> dict[str, Any]:
    analysis = c.analysis(doc_id)
    if analysis is None:
        raise HTTPException(404, detail=f"no document {doc_id!r}")
    data = analysis.to_dict()
    data["duplicates"] = c.cluster(doc_id)
    return data
