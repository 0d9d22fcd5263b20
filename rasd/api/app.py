"""The FastAPI app: read-only JSON over a store, CSV/GeoJSON exports, and the map page.

``create_app(db)`` builds it (usable in-process: ``httpx``/``TestClient``); ``serve``
runs it with uvicorn. Every error has one JSON shape (``rasd.api.errors``). What one
request may ask for (integers, sizes, words, seconds of work) and which ``Host`` names it
may use are bounded in ``rasd.api.limits``.
"""
from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from contextlib import ExitStack, asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from .. import stories as st
from ..export import ExportContext, RowBuilder, csv_chunks, geojson_feature
from . import articles as arts
from . import events as ev
from .db import Database
from .errors import ERROR_SCHEMA, bad, install, not_found
from .limits import (
    DEFAULT_MAX_SECONDS,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_ROWS,
    MAX_SEARCH_LIMIT,
    RequestGuard,
    allowed_hosts,
)
from .search import in_index, parse_query

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
ERRORS = {400: ERROR_SCHEMA, 404: ERROR_SCHEMA, 503: ERROR_SCHEMA}
RANK_WINDOW = 2000
SNIPPETS = 3        # paragraphs shown (and marked) per search hit
# the page loads nothing from anywhere but this server, and runs no inline script
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


class _SecurityHeaders:
    """ASGI middleware: nosniff everywhere, a strict CSP on everything but /docs."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        csp = not scope["path"].startswith("/docs")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                if csp:
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _query_names(dependant) -> set[str]:
    names = {f.alias for f in dependant.query_params}
    for d in dependant.dependencies:
        names |= _query_names(d)
    return names


def reject_unknown_params(request: Request) -> None:
    """A misspelt parameter is an error, not a silently ignored filter."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _query_names(dependant)
    for name in request.query_params:
        if name not in known and not name.startswith("_"):
            raise bad(name, f"unknown parameter; this endpoint takes {', '.join(sorted(known)) or 'none'}")


def event_filter(
    type: Annotated[list[str] | None, Query(description="Event type(s) (taxonomy keys); repeat or comma-separate.")] = None,
    sub_type: Annotated[list[str] | None, Query(description="Sub-type(s); repeat or comma-separate.")] = None,
    actor: Annotated[list[str] | None, Query(description="Actor key(s), matched against actor or actor2.")] = None,
    place: Annotated[str | None, Query(description="A place name (Arabic-normalised, with or without ال) or gazetteer id; any role.")] = None,
    admin1: Annotated[list[str] | None, Query(description=(
        "Governorate(s) (first-level unit, e.g. Al Anbar, Dar'a, Rural Damascus; any spelling "
        "data/admin1.tsv lists, Arabic too) of the event's main place: its first located place of "
        "role location, else destination, else origin, else via (the CSV's admin1 column); repeat or "
        "comma-separate."))] = None,
    bbox: Annotated[str | None, Query(description="minLon,minLat,maxLon,maxLat around the event's point.")] = None,
    date_from: Annotated[str | None, Query(description="Earliest date, YYYY-MM-DD (or YYYY-MM, YYYY).")] = None,
    date_to: Annotated[str | None, Query(description="Latest date, YYYY-MM-DD (or YYYY-MM, YYYY), inclusive.")] = None,
    undated: Annotated[bool, Query(description="With a date range: keep events with no date as well.")] = False,
    source: Annotated[str | None, Query(description="Part of a source's name (Arabic-normalised).")] = None,
    stance: Annotated[list[str] | None, Query(description="assert or deny.")] = None,
    claim_group: Annotated[str | None, Query(description="Claims about the same happening.")] = None,
    q: Annotated[str | None, Query(description="Words of the evidence (Arabic-normalised, proclitics allowed, \"phrases\", prefix*).")] = None,
    min_confidence: Annotated[float | None, Query(ge=0.0, le=1.0, description="Only events whose decision confidence is at least this (0-1); events stored without one (rules decision) are left out.")] = None,
) -> ev.EventFilter:
    return ev.EventFilter.parse(type=type, sub_type=sub_type, actor=actor, place=place, admin1=admin1, bbox=bbox,
                                date_from=date_from, date_to=date_to, undated=undated, source=source,
                                stance=stance, claim_group=claim_group, q=q, min_confidence=min_confidence)


Filter = Annotated[ev.EventFilter, Depends(event_filter)]
Sort = Annotated[str, Query(description="date, type or id; a leading - reverses (-date).")]
Order = Annotated[str | None, Query(description="asc or desc (overrides a leading -).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]
ExportLimit = Annotated[int | None, Query(ge=1, le=MAX_ROWS, description="At most this many rows.")]


def _story_summary(index: dict, article: str) -> dict | None:
    """The summary of the story ``article`` belongs to (as /api/stories lists it), or None."""
    s = index["stories"].get(index["of_article"].get(article))
    return None if s is None else {k: v for k, v in s.items() if k not in ("articles", "claim_groups")}


def create_app(db_path: str | Path, *, allow_hosts: Iterable[str] = (),
               max_request_seconds: float | None = DEFAULT_MAX_SECONDS) -> FastAPI:
    """The API and map page over the store at ``db_path``, opened read-only.

    ``allow_hosts``: names (or addresses) a request's ``Host`` header may give besides
    127.0.0.1, localhost and [::1]; any other is a 400. ``max_request_seconds``: the work
    (CPU seconds) one request may do in the store (past it: 503; None: no limit)."""
    db = Database(db_path, max_seconds=max_request_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        db.close()

    app = FastAPI(
        title="rasd API", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
        description="Read-only access to a rasd store: event claims (filters, exports), claim groups, "
                    "articles and full-text search with Arabic normalisation. Every error is "
                    '`{"error": {"status", "message", "param"?}}`.',
        dependencies=[Depends(reject_unknown_params)])
    app.state.db = db
    # the place index (names → places) reads every event once: build it before anyone asks
    threading.Thread(target=ev.places, args=(db,), name="rasd-places", daemon=True).start()
    install(app)
    app.add_middleware(RequestGuard, hosts=allowed_hosts(extra=allow_hosts))
    app.add_middleware(_SecurityHeaders)           # (the outer one: on refusals too)

    def json_response(obj, status: int = 200) -> JSONResponse:
        return JSONResponse(obj, status_code=status)

    def stories() -> dict:
        """The stories of the store as it is now (:func:`rasd.stories.build_stories`: every
        article's story and each story's summary), worked out once per state of the data."""
        return db.cached("stories", st.build_stories)

    def export_index() -> dict:
        """What an export adds to each claim: its story (from :func:`stories`) and its
        group's corroboration (once per state of the data)."""
        return {"story": stories()["story_of"], "corroboration": db.cached("corroboration", st.group_figures)}

    # ------------------------------------------------------------------ events

    @app.get("/api/events", tags=["events"], responses=ERRORS,
             summary="Event claims, filtered, sorted and paged")
    def list_events(f: Filter, sort: Sort = "-date", order: Order = None,
                    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")] = 50,
                    offset: Offset = 0) -> Response:
        """`{total, limit, offset, items}`; items are the exported event dicts
        (docs/export-format.md)."""
        order_sql = ev.order_by(sort, order)
        where, args = f.where(db)
        with db.connection() as conn:
            total = ev.count(conn, where, args)
            items = ev.page_json(conn, where, args, order_sql, limit, offset) if offset < total else []
        body = f'{{"total":{total},"limit":{limit},"offset":{offset},"items":[{",".join(items)}]}}'
        return Response(body, media_type="application/json")

    def _export(f: ev.EventFilter, sort: str, order: str | None, limit: int | None, offset: int):
        """The event dicts of an export. Its query runs to its first row before the stream
        starts (filtering, sorting: the work that comes before a first row), so bad
        parameters and a query past a request's budget are errors with a status of their
        own, never a stream cut short; each row after it has a request's budget again."""
        order_sql = ev.order_by(sort, order)
        where, args = f.where(db)
        stack = ExitStack()
        conn = stack.enter_context(db.connection())
        records = ev.iter_records(conn, where, args, order_sql, limit, offset)
        stack.callback(records.close)       # (its statement ends before the connection goes back)
        try:
            first = next(records, None)
        except BaseException as e:
            stack.__exit__(type(e), e, e.__traceback__)     # (TooCostly from here)
            raise

        def stream():
            with stack:
                e = first
                while e is not None:
                    yield e
                    db.renew(conn)
                    e = next(records, None)
        return stream()

    @app.get("/api/events.csv", tags=["events"], responses=ERRORS, response_class=StreamingResponse,
             summary="Event claims as CSV (ACLED's columns, then rasd's)")
    def events_csv(f: Filter, sort: Sort = "id", order: Order = None,
                   limit: ExportLimit = None, offset: Offset = 0) -> StreamingResponse:
        # each claim's story and its group's corroboration: one index per state of the store,
        # built before the export's query and stream start (their connections have a budget)
        index = export_index()
        records = _export(f, sort, order, limit, offset)

        def rows():
            # the same writer as `rasd export --format csv`: stable event_id_cnty, the outlet,
            # every field quoted as needed, a BOM for spreadsheet programs
            with db.connection() as conn:
                yield from csv_chunks(records, context=ExportContext(conn, index=index))

        return StreamingResponse(rows(), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="events.csv"'})

    @app.get("/api/events.geojson", tags=["events"], responses=ERRORS, response_class=StreamingResponse,
             summary="Event claims as a GeoJSON FeatureCollection")
    def events_geojson(f: Filter, sort: Sort = "id", order: Order = None,
                       limit: ExportLimit = None, offset: Offset = 0) -> StreamingResponse:
        """Movements with an origin and a destination are LineStrings from one to the other;
        other located events are Points; events without coordinates are left out."""
        index = export_index()     # (as for the CSV)
        records = _export(f, sort, order, limit, offset)

        def features():
            chunk = ['{"type":"FeatureCollection","features":[']
            sep = ""
            with db.connection() as conn:
                builder = RowBuilder(ExportContext(conn, index=index))     # the same fields as the CSV
                for e in records:
                    feat = geojson_feature(e, builder)
                    if feat is None:
                        continue
                    feat["properties"]["stance"] = e.get("stance", "assert")
                    # how exact each of the feature's points is (town, near, region, country)
                    precision = {(p.get("lon"), p.get("lat")): p.get("precision") for p in e.get("places") or []}
                    coords = feat["geometry"]["coordinates"]
                    feat["properties"]["precision"] = [precision.get(tuple(c)) for c in
                                                       (coords if feat["geometry"]["type"] == "LineString" else [coords])]
                    chunk.append(sep + json.dumps(feat, ensure_ascii=False))
                    sep = ","
                    if len(chunk) >= 200:
                        yield "".join(chunk)
                        chunk = []
            chunk.append("]}")
            yield "".join(chunk)

        return StreamingResponse(features(), media_type="application/geo+json")

    @app.get("/api/facets", tags=["events"], responses=ERRORS, summary="Counts for the filters")
    def facets(f: Filter) -> JSONResponse:
        """`{total, located, fatalities, types, sub_types, actors, admin1, sources, stances,
        confidence, unscored, admin1_ar}`: each facet counted under every filter but its own
        (`admin1`: by the governorate of the event's main place; `admin1_ar`: their Arabic names); `total`,
        `located` (events with coordinates) and `fatalities` (their sum) under all of them."""
        with db.connection() as conn:
            return json_response(ev.facets(conn, db, f))

    @app.get("/api/events/{event_id:path}", tags=["events"], responses=ERRORS,
             summary="One event claim with its article and evidence")
    def get_event(event_id: str) -> JSONResponse:
        """The event, its article (paragraphs with text) and `highlights`: where its evidence
        (and the naming of its sources) stands, as offsets into a block's text (`block`:
        `title` or a paragraph index) and as raw offsets into the document; `story`: the
        story its article belongs to (the articles of all outlets about one happening) as
        `/api/stories` lists it (`id`, `title`, `outlets`, `n_outlets`, `n_articles`,
        `n_claim_groups`, `n_events`, `n_denials`, `first_report`, `last_report`), which
        `/api/stories/{id}` opens; an article alone in its story is a story of one outlet."""
        index = stories()
        with db.connection() as conn:
            e = ev.get_event(conn, event_id)
            if e is None:
                raise not_found(f"no event with id {event_id!r}")
            view = arts.ArticleView(conn, e["article"])
            group_size = conn.execute("SELECT count(*) FROM events WHERE claim_group = ?",
                                      (e["claim_group"],)).fetchone()[0] if e.get("claim_group") else 1
        out = {"event": e, "article": None, "highlights": [], "evidence": dict(e["evidence"]),
               "claim_group_size": group_size, "story": _story_summary(index, e["article"])}
        if view.found:
            out["article"] = view.payload()
            out["highlights"] = view.evidence(e)
            first = next((h for h in out["highlights"] if h["kind"] == "evidence"), None)
            if first:
                out["evidence"].update(block=first["block"], block_start=first["start"], block_end=first["end"])
        return json_response(out)

    @app.get("/api/timeline", tags=["events"], responses=ERRORS, summary="Events per day, month or year")
    def timeline(f: Filter,
                 interval: Annotated[str, Query(description="day, month, year, or auto (days up to about a "
                                                            "year, months up to 15 years, then years).")] = "auto",
                 ) -> JSONResponse:
        """`{interval, bins: [{date, count, types}], dated, undated, min, max}` over the
        filtered events; a bin's `date` is YYYY-MM-DD, YYYY-MM or YYYY (which date_from and
        date_to take as they are)."""
        if interval not in ("auto", "day", "month", "year"):
            raise bad("interval", f"must be day, month, year or auto (got {interval!r})")
        where, args = f.where(db)
        with db.connection() as conn:
            lo, hi, dated = conn.execute(f"SELECT min(e.date), max(e.date), count(e.date) FROM events e WHERE {where}",
                                         args).fetchone()
            undated = ev.count(conn, where + " AND e.date IS NULL", args)
            if interval == "auto":
                interval = "day"
                try:
                    span = (date.fromisoformat(hi[:10]) - date.fromisoformat(lo[:10])).days if lo and hi else 0
                except ValueError:          # not a full date: months, to be safe
                    span = 401
                interval = "day" if span <= 400 else "month" if span <= 15 * 366 else "year"
            width = {"day": 10, "month": 7, "year": 4}[interval]
            bins: dict[str, dict] = {}
            for d, t, n in conn.execute(
                    f"SELECT substr(e.date, 1, {width}), e.type, count(*) FROM events e "
                    f"WHERE ({where}) AND e.date IS NOT NULL GROUP BY 1, 2 ORDER BY 1", args):
                b = bins.setdefault(d, {"date": d, "count": 0, "types": {}})
                b["count"] += n
                b["types"][t] = n
        return json_response({"interval": interval, "bins": list(bins.values()), "dated": dated,
                              "undated": undated, "min": lo, "max": hi})

    @app.get("/api/claims/{group:path}", tags=["events"], responses=ERRORS,
             summary="All claims of a claim group, side by side")
    def get_claims(group: str) -> JSONResponse:
        """`{claim_group, total, asserts, denials, sources}`: every claim about the same
        happening (each with its article's title), assertions and denials apart, and
        who says what."""
        with db.connection() as conn:
            out = arts.claims(conn, group)
            if out is not None:
                out["corroboration"] = st.corroboration(st.group_claims(conn, "e.claim_group = ?", (group,)))
        if out is None:
            raise not_found(f"no claim group {group!r}")
        return json_response(out)

    # ------------------------------------------------------------------ stories

    @app.get("/api/stories", tags=["stories"], responses=ERRORS,
             summary="Stories: the articles of all outlets about one happening, the latest first")
    def list_stories(limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")] = 50,
                     offset: Offset = 0,
                     min_outlets: Annotated[int, Query(ge=1, le=1000, description="Only stories told by at least this many outlets.")] = 1,
                     ) -> JSONResponse:
        """`{total, limit, offset, items}`; each story: `id`, `title` (its first article's),
        `first_report`, `last_report`, `outlets`, and counts of outlets, articles, claim
        groups, events and denials."""
        index = stories()
        total, items = st.list_stories(index, limit, offset, min_outlets=min_outlets)
        return json_response({"total": total, "limit": limit, "offset": offset, "items": items})

    @app.get("/api/stories/{story_id:path}", tags=["stories"], responses=ERRORS,
             summary="One story: its claims side by side, with source, outlet and stance, per claim group")
    def get_story(story_id: str) -> JSONResponse:
        index = stories()
        with db.connection() as conn:
            out = st.story(conn, index, story_id)
        if out is None:
            raise not_found(f"no story {story_id!r}")
        return json_response(out)

    # ------------------------------------------------------------------ articles

    @app.get("/api/articles", tags=["articles"], responses=ERRORS, summary="Articles, paged")
    def list_articles(limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")] = 50,
                      offset: Offset = 0,
                      duplicates: Annotated[bool, Query(description="Include articles that copy another.")] = True,
                      doc: Annotated[str | None, Query(description="Only the articles of this document.")] = None,
                      story: Annotated[str | None, Query(description="Only the articles of this story (the articles of all outlets about one happening, `/api/stories`).")] = None,
                      ) -> JSONResponse:
        with db.connection() as conn:
            total, items = arts.list_articles(conn, limit, offset, duplicates=duplicates, doc=doc, story=story,
                                              story_of=stories()["story_of"])
        return json_response({"total": total, "limit": limit, "offset": offset, "items": items})

    @app.get("/api/articles/{article_id:path}", tags=["articles"], responses=ERRORS,
             summary="One article: clean paragraphs with text, its copies, its story, its events")
    def get_article(article_id: str,
                    q: Annotated[str | None, Query(description="Also mark these words (as /api/search does).")] = None,
                    ) -> JSONResponse:
        query = parse_query(q) if q is not None else None
        with db.connection() as conn:
            view = arts.ArticleView(conn, article_id)
            if not view.found:
                raise not_found(f"no article with id {article_id!r}")
            story_of = stories()["story_of"]
            out = view.payload(story_of)
            out.update(arts.related(conn, view.row, story_of))
            out["events"] = arts.article_events(conn, article_id)
        if query is not None:
            out["highlights"] = view.hits(query)
        return json_response(out)

    @app.get("/api/places", tags=["places"], responses=ERRORS, summary="Places events name, with counts")
    def list_places(limit: Annotated[int | None, Query(ge=1, le=MAX_ROWS,
                                                       description="At most this many (most named first).")] = None,
                    ) -> JSONResponse:
        """`{total, items: [{key, name, names, lat, lon, country, precision, count}]}`:
        `count` is the number of events that name the place (in any role)."""
        items = ev.places(db)
        return json_response({"total": len(items), "items": items[:limit] if limit else items})

    @app.get("/api/search", tags=["articles"], responses=ERRORS,
             summary="Full-text search over articles (Arabic-normalised)")
    def search(q: Annotated[str, Query(description="Words (all must occur; proclitics allowed), \"phrases\", prefix*.")],
               limit: Annotated[int, Query(ge=1, le=MAX_SEARCH_LIMIT,
                                           description=f"Page size, 1 to {MAX_SEARCH_LIMIT}.")] = 20,
               offset: Offset = 0,
               duplicates: Annotated[bool, Query(description="Include articles that copy another.")] = False,
               ) -> JSONResponse:
        """`{q, terms, total, limit, offset, ranked, items}`, best first (bm25; when more than
        2000 articles match, among the `ranked` newest of them). Each item has the article's
        summary, `n_hits`, the text of the first three paragraphs that match and
        `highlights` in them and in the title (offsets into a block's text, and raw offsets:
        raw[raw_start:raw_end] is the word as written). `/api/articles/{id}?q=` marks the
        whole article."""
        query = parse_query(q)
        cond = "" if duplicates else \
            " AND articles_fts.rowid NOT IN (SELECT rowid FROM articles WHERE duplicate_of IS NOT NULL)"
        with db.connection() as conn:
            fts = in_index(conn, query).fts()
            total = conn.execute(f"SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?{cond}",
                                 (fts,)).fetchone()[0]
            # bm25 over the newest RANK_WINDOW matches (all of them, mostly): ranking every
            # article that holds a very common word costs more than it tells
            window = max(RANK_WINDOW, offset + limit)
            rows = conn.execute(
                f"""SELECT a.id, page.score FROM (
                        SELECT rid, score FROM (
                            SELECT articles_fts.rowid AS rid, bm25(articles_fts) AS score FROM articles_fts
                            WHERE articles_fts MATCH ?{cond} ORDER BY articles_fts.rowid DESC LIMIT ?)
                        ORDER BY score, rid DESC LIMIT ? OFFSET ?) AS page
                    JOIN articles a ON a.rowid = page.rid ORDER BY page.score, page.rid DESC""",
                (fts, window, limit, offset)).fetchall() if offset < total else []
            items = []
            story_of = stories()["story_of"] if rows else None
            for r in rows:
                view = arts.ArticleView(conn, r["id"])
                hl = view.hits(query, max_blocks=SNIPPETS)
                hit_blocks = {h["block"] for h in hl}
                summ = arts.summary(view.row, story_of)
                summ["n_copies"] = conn.execute("SELECT count(*) FROM articles WHERE duplicate_of = ?",
                                                (r["id"],)).fetchone()[0]
                items.append({"article": summ, "score": r["score"], "n_hits": view.count_hits(query),
                              "highlights": hl,
                              "paragraphs": [b.as_dict() for b in view.paragraphs if b.index in hit_blocks]})
        return json_response({**query.as_dict(), "total": total, "limit": limit, "offset": offset,
                              "ranked": min(total, window), "items": items})

    # ------------------------------------------------------------------ about

    @app.get("/api/changes", tags=["about"], summary="A cheap token that changes when events are added or replaced")
    def changes() -> JSONResponse:
        """`{events, last}`: the number of stored events and the newest event row. The map
        polls it and reloads its views when it changes (new documents from `rasd process`
        or `rasd watch` on the same store)."""
        with db.connection() as conn:
            n, last = conn.execute("SELECT count(*), coalesce(max(rowid), 0) FROM events").fetchone()
        return json_response({"events": n, "last": last})

    @app.get("/api", tags=["about"], summary="What the store holds, and the endpoints")
    def about() -> JSONResponse:
        with db.connection() as conn:
            q = conn.execute
            counts = {
                "documents": q("SELECT count(*) FROM documents").fetchone()[0],
                "articles": q("SELECT count(*) FROM articles").fetchone()[0],
                "events": q("SELECT count(*) FROM events").fetchone()[0],
                "claim_groups": q("SELECT count(DISTINCT claim_group) FROM events").fetchone()[0],
                "types": {t: n for t, n in q("SELECT type, count(*) FROM events GROUP BY type")},
            }
        paths = sorted({r.path for r in app.routes if r.path.startswith("/api")})
        return json_response({"rasd": __version__, "store": db.path.name, "counts": counts,
                              "endpoints": paths, "docs": "/docs"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="rasd API",
                                   swagger_js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/vendor/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/vendor/swagger-ui/favicon-32x32.png")

    app.mount("/", StaticFiles(directory=WEB_DIR, html=True), name="web")
    return app


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8000, *, allow_hosts: Iterable[str] = (),
          max_request_seconds: float | None = DEFAULT_MAX_SECONDS) -> None:
    """Run the app with uvicorn (blocks until interrupted). It answers requests whose
    ``Host`` is a loopback name, ``host`` (unless a wildcard such as 0.0.0.0) or one of
    ``allow_hosts``."""
    import uvicorn

    app = create_app(db, allow_hosts=allowed_hosts(host, allow_hosts), max_request_seconds=max_request_seconds)
    shown = f"[{host}]" if ":" in host else host
    print(f"rasd: serving {db} on http://{shown}:{port}/  (API docs: http://{shown}:{port}/docs)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
