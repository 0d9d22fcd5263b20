"""What one request may ask for, and who may ask.

Every bound the API puts on a request is here: integer parameters (page sizes, offsets:
an offset past SQLite's 64-bit integers is a 400, not a crash), the size of a request
(its path, its query string, each value), the words of a text query, and the work one
request may do in the store (``Database``'s budget: a 503 past it).

``RequestGuard`` is the ASGI middleware that refuses, before any routing or work:

* a request whose ``Host`` header is not one of the names the server answers to
  (127.0.0.1, localhost and [::1] unless told more): a page elsewhere that points a name
  of its own at 127.0.0.1 (DNS rebinding) cannot read the API;
* a request too big to be a query of this API (path, query string, number or length of
  values).

Both answer 400 with the API's error shape (``rasd.api.errors``).
"""
from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl

from .errors import error_response

# integer parameters
MAX_LIMIT = 500                 # page size of /api/events and /api/articles
MAX_SEARCH_LIMIT = 100          # page size of /api/search
MAX_OFFSET = 1_000_000_000      # rows skipped (any page, any export)
MAX_ROWS = 1_000_000_000        # `limit` of the exports and /api/places (no page size there)

# the size of a request
MAX_PATH_CHARS = 4096
MAX_QUERY_STRING = 16_384       # bytes of the (percent-encoded) query string
MAX_PARAMS = 100                # name=value pairs
MAX_VALUE_CHARS = 1000          # one decoded value

# a text query (q)
MAX_QUERY_CHARS = 500
MAX_TERMS = 12                  # words and phrases
MAX_QUERY_WORDS = 32            # words in all, phrases' words counted

# work in the store
DEFAULT_MAX_SECONDS = 2.0       # CPU seconds of one request (rasd serve --max-request-seconds)
WALL_FACTOR = 5                 # ... and at most this many times as long on the clock (a busy machine)
PROGRESS_STEPS = 2000           # SQLite virtual machine steps between two looks at the clock

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
WILDCARD_ADDRESSES = ("", "0.0.0.0", "::")


def host_name(header: str) -> str | None:
    """The name (or address, IPv6 without brackets) a ``Host`` header gives, lower case;
    None when it is not of the form ``name``, ``name:port``, ``[v6]`` or ``[v6]:port``."""
    h = header.strip().lower()
    if h.startswith("["):
        end = h.find("]")
        if end < 0:
            return None
        name, rest = h[1:end], h[end + 1:]
    else:
        name, colon, port = h.partition(":")
        rest = colon + port
    if rest and not (rest[0] == ":" and rest[1:].isascii() and rest[1:].isdigit()):
        return None
    return name or None


def allowed_hosts(bind: str | None = None, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The loopback names, the address or name the server binds (unless a wildcard) and
    ``extra`` (``--allow-host``), normalised as ``host_name`` gives them."""
    out = list(LOOPBACK_HOSTS)
    for h in ([bind] if bind is not None and bind.strip() not in WILDCARD_ADDRESSES else []) + list(extra):
        h = h.strip().lower()
        h = h[1:-1] if h.startswith("[") and h.endswith("]") else h
        if h and h not in out:
            out.append(h)
    return tuple(out)


class RequestGuard:
    """ASGI middleware: a foreign ``Host`` header or an oversized request is a 400."""

    def __init__(self, app, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(hosts)

    def refusal(self, scope) -> tuple[str, str | None] | None:
        """``(message, param)`` when the request is refused, else None."""
        host = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"host"), None)
        if host is None:
            return "the request has no Host header", None
        if host_name(host) not in self.hosts:
            shown = host if len(host) <= 80 else host[:80] + "…"
            return (f"Host {shown!r} is not one this server answers to "
                    f"({', '.join(sorted(self.hosts))}; rasd serve --allow-host NAME adds one)"), None
        path = scope.get("path", "")
        if len(path) > MAX_PATH_CHARS:
            return f"the path is {len(path)} characters long; at most {MAX_PATH_CHARS}", None
        qs = scope.get("query_string", b"")
        if len(qs) > MAX_QUERY_STRING:
            return f"the query string is {len(qs)} bytes long; at most {MAX_QUERY_STRING}", None
        if qs:
            pairs = parse_qsl(qs.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="replace")
            if len(pairs) > MAX_PARAMS:
                return f"{len(pairs)} query parameters; at most {MAX_PARAMS}", None
            for name, value in pairs:
                if len(value) > MAX_VALUE_CHARS:
                    return f"{name}: is {len(value)} characters long; at most {MAX_VALUE_CHARS}", name
        return None

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            refused = self.refusal(scope)
            if refused is not None:
                response = error_response(400, *refused)
                return await response(scope, receive, send)
        return await self.app(scope, receive, send)
