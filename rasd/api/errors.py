"""One JSON shape for every error the API returns:

    {"error": {"status": 400, "message": "bbox: ...", "param": "bbox"}}

``param`` is there when one query parameter is to blame. Bad parameters are 400s with a
message that says what is wrong; unknown ids and paths are 404s.
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param


def bad(param: str, message: str) -> ApiError:
    """A 400 about one query parameter."""
    return ApiError(400, f"{param}: {message}", param)


def not_found(message: str) -> ApiError:
    return ApiError(404, message)


def error_response(status: int, message: str, param: str | None = None,
                   headers: dict | None = None) -> JSONResponse:
    body: dict = {"status": status, "message": message}
    if param:
        body["param"] = param
    return JSONResponse({"error": body}, status_code=status, headers=headers)


ERROR_SCHEMA = {
    "description": "Error",
    "content": {"application/json": {"example": {"error": {"status": 400, "message": "bbox: ...", "param": "bbox"}}}},
}


def _shown(value, most: int = 40) -> str:
    s = repr(value)
    return s if len(s) <= most else s[:most] + "…"


def _bounds(dependant, name: str) -> tuple:
    """``(ge, le)`` of the query parameter ``name`` of a route (None where unbounded)."""
    for f in dependant.query_params:
        if f.alias == name:
            meta = f.field_info.metadata
            return (next((m.ge for m in meta if hasattr(m, "ge")), None),
                    next((m.le for m in meta if hasattr(m, "le")), None))
    for d in dependant.dependencies:
        found = _bounds(d, name)
        if found != (None, None):
            return found
    return None, None


def _validation_message(err: dict, dependant=None) -> tuple[str, str | None]:
    loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
    param = loc[0] if loc else None
    msg = err.get("msg", "invalid value")
    kind = err.get("type")
    if kind == "missing":
        msg = "is required"
    elif kind in ("greater_than_equal", "less_than_equal") and param and dependant is not None:
        ge, le = _bounds(dependant, param)
        bound = (f"between {ge} and {le}" if ge is not None and le is not None
                 else f"{ge} or more" if ge is not None else f"at most {le}")
        msg = f"must be {bound} (got {_shown(err.get('input'))})"
    elif "input" in err:
        msg = f"{msg[0].lower()}{msg[1:]} (got {_shown(err['input'])})"
    return (f"{param}: {msg}" if param else msg), param


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(exc.status, exc.message, exc.param)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        dependant = getattr(request.scope.get("route"), "dependant", None)
        msgs = [_validation_message(e, dependant) for e in errors] or [("invalid request", None)]
        return error_response(400, "; ".join(m for m, _ in msgs), msgs[0][1])

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"not found: {request.url.path}"
        elif exc.status_code == 405:
            message = f"method {request.method} not allowed on {request.url.path} (the API is read-only)"
        return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("error serving %s", request.url)
        return error_response(500, f"internal error: {type(exc).__name__}")
