"""The dashboard: a read-only FastAPI app over a stored corpus, HTML page shells plus the JSON API.

Pages are server-rendered shells (Jinja2, autoescaped) whose scripts fetch the API and build the
DOM with textContent only. A strict Content-Security-Policy (scripts from this origin only) is a
second line of defence should any untrusted article text ever slip through unescaped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .api import router
from .queries import Corpus

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"

NAV = [
    ("/", "overview", "Overview"),
    ("/network", "network", "Actor network"),
    ("/timeline", "timeline", "Dyad timeline"),
    ("/compare", "compare", "Compare sources"),
    ("/search", "search", "Search"),
]
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

_env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))


def _message(errors: list[Any]) -> str:
    """One readable line from pydantic's error list: which parameter, and what is wrong with it."""
    parts = []
    for error in errors:
        where = ".".join(str(x) for x in error.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def create_app(db: str | None = None, corpus: Corpus | None = None, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The app over ``corpus`` (or the store at ``db``, opened read-only).

    ``allowed_hosts`` limits the Host header (``communique serve`` on loopback passes the loopback
    names), so a web page elsewhere cannot read the corpus through DNS rebinding.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if corpus is None:
            app.state.corpus.close()

    app = FastAPI(
        title="communique dashboard API",
        version="1",
        description=(
            "Read-only JSON API over a communique corpus: the data behind every dashboard page. "
            "Dates are YYYY-MM-DD; events are counted once per story (near-duplicate copies collapse)."
        ),
        lifespan=lifespan,
    )
    app.state.corpus = corpus if corpus is not None else Corpus.open(db)
    app.include_router(router)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        return JSONResponse(
            status_code=422,
            content={
                "message": _message(errors),
                "detail": [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors],
            },
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail)
        if request.url.path.startswith("/api/") or exc.status_code != 404:
            return JSONResponse(status_code=exc.status_code, content={"message": message, "detail": message})
        return page(request, "notfound", "Not found", message, status_code=404)

    def page(
        request: Request, name: str, title: str, heading: str, status_code: int = 200, **extra: Any
    ) -> HTMLResponse:
        template = _env.get_template("notfound.html" if name == "notfound" else f"{name}.html")
        html = template.render(
            page=name,
            title=title,
            heading=heading,
            nav=NAV,
            corpus_label=Path(app.state.corpus.location).name,
            **extra,
        )
        return HTMLResponse(html, status_code=status_code)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request) -> HTMLResponse:
        return page(request, "overview", "Overview", "Corpus overview")

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    def network(request: Request) -> HTMLResponse:
        return page(request, "network", "Actor network", "Actor network")

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline(request: Request) -> HTMLResponse:
        return page(request, "timeline", "Dyad timeline", "Dyad timeline")

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare(request: Request) -> HTMLResponse:
        return page(request, "compare", "Compare sources", "Compare sources")

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(request: Request) -> HTMLResponse:
        return page(request, "search", "Search", "Search")

    @app.get("/documents/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def document(request: Request, doc_id: Annotated[str, PathParam(min_length=1, max_length=500)]) -> HTMLResponse:
        if app.state.corpus.analysis(doc_id) is None:
            raise HTTPException(404, detail=f"No document with id {doc_id!r} in this corpus.")
        return page(request, "document", "Document", "Document", page_data={"id": doc_id})

    return app
