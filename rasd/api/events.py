"""Event queries: the filters every event endpoint shares, turned into indexed SQL.

Filters combine with AND; a filter given several values (``type=a,b`` or ``type=a&type=b``)
matches any of them. The columns the filters use are the ``events`` table's own (type,
sub_type, actor, actor2, stance, claim_group, date, lat/lon: the event's first located
place, admin1: the governorate of its main place), which its indexes cover; place names go through ``event_places``, text through the
articles' full-text index, sources through the stored event dict.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..export import ACLED_TYPES
from ..lang.normalize import norm_key
from ..places.admin import admin1_table, canonical_admin1
from .db import Database
from .errors import bad
from .search import Query, parse_query

TYPES = tuple(ACLED_TYPES)
STANCES = ("assert", "deny")
SORTS = {  # (ascending, descending): undated events last both ways; ties keep a fixed order,
    # so pages never overlap. Newest first reads straight off the indexes' date order.
    "date": ("e.date IS NULL, e.date, e.rowid", "e.date DESC, e.rowid DESC"),
    "type": ("e.type, e.sub_type, e.rowid", "e.type DESC, e.sub_type DESC, e.rowid"),
    "id": ("e.id", "e.id DESC"),
}


def split_values(values: list[str] | None) -> list[str]:
    """``["a,b", "c"]`` → ``["a", "b", "c"]`` (repeated and comma-separated both work)."""
    out: list[str] = []
    for v in values or ():
        out += [x.strip() for x in v.split(",") if x.strip()]
    return list(dict.fromkeys(out))


def parse_bbox(s: str | None) -> tuple[float, float, float, float] | None:
    if s is None:
        return None
    parts = s.split(",")
    try:
        if len(parts) != 4:
            raise ValueError
        x0, y0, x1, y1 = (float(p) for p in parts)
    except ValueError:
        raise bad("bbox", f"must be four numbers minLon,minLat,maxLon,maxLat (got {s!r})") from None
    if not (-180 <= x0 <= 180 and -180 <= x1 <= 180):
        raise bad("bbox", f"longitudes must be between -180 and 180 (got {s!r})")
    if not (-90 <= y0 <= 90 and -90 <= y1 <= 90):
        raise bad("bbox", f"latitudes must be between -90 and 90 (got {s!r})")
    if x0 > x1 or y0 > y1:
        raise bad("bbox", f"minLon must not exceed maxLon nor minLat maxLat (got {s!r})")
    return x0, y0, x1, y1


def parse_date(s: str | None, param: str, *, end: bool) -> str | None:
    """ISO date ``YYYY-MM-DD``; ``YYYY-MM`` and ``YYYY`` stand for their first day (a
    start) or last day (an end)."""
    if s is None or not s.strip():
        return None
    s = s.strip()
    try:
        if len(s) == 4:
            d = date(int(s), 12, 31) if end else date(int(s), 1, 1)
        elif len(s) == 7 and s[4] == "-":
            y, m = int(s[:4]), int(s[5:])
            d = date(y, m, 1)
            if end:
                d = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
        else:
            d = date.fromisoformat(s)
            if len(s) != 10:
                raise ValueError
    except ValueError:
        raise bad(param, f"must be an ISO date YYYY-MM-DD (or YYYY-MM, YYYY), got {s!r}") from None
    return d.isoformat()


@dataclass
class EventFilter:
    types: list[str] = field(default_factory=list)
    sub_types: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    place: str | None = None
    admin1: list[str] = field(default_factory=list)
    bbox: tuple[float, float, float, float] | None = None
    date_from: str | None = None
    date_to: str | None = None
    undated: bool = False
    source: str | None = None
    stances: list[str] = field(default_factory=list)
    claim_group: str | None = None
    q: Query | None = None
    min_confidence: float | None = None

    @classmethod
    def parse(cls, *, type=None, sub_type=None, actor=None, place=None, admin1=None, bbox=None, date_from=None,
              date_to=None, undated=False, source=None, stance=None, claim_group=None, q=None,
              min_confidence=None) -> "EventFilter":
        types = split_values(type)
        for t in types:
            if t not in TYPES:
                raise bad("type", f"unknown event type {t!r}; one of {', '.join(TYPES)}")
        stances = split_values(stance)
        for s in stances:
            if s not in STANCES:
                raise bad("stance", f"must be assert or deny (got {s!r})")
        f = cls(types=types, sub_types=split_values(sub_type), actors=split_values(actor),
                place=place.strip() if place and place.strip() else None,
                admin1=list(dict.fromkeys(canonical_admin1(v) or v for v in split_values(admin1))),
                bbox=parse_bbox(bbox),
                date_from=parse_date(date_from, "date_from", end=False),
                date_to=parse_date(date_to, "date_to", end=True), undated=undated,
                source=norm_key(source) if source and source.strip() else None, stances=stances,
                claim_group=claim_group or None, q=parse_query(q) if q is not None else None,
                min_confidence=min_confidence)
        if f.date_from and f.date_to and f.date_from > f.date_to:
            raise bad("date_to", f"is before date_from ({f.date_to} < {f.date_from})")
        return f

    def where(self, db: Database) -> tuple[str, list]:
        """SQL condition over ``events e`` and its arguments."""
        c: list[str] = []
        a: list = []

        def any_of(col: str, values: list[str]) -> None:
            if len(values) == 1:
                c.append(f"{col} = ?")
            else:
                c.append(f"{col} IN ({','.join('?' * len(values))})")
            a.extend(values)

        if self.types:
            any_of("e.type", self.types)
        if self.sub_types:
            any_of("e.sub_type", self.sub_types)
        if self.actors:
            marks = ",".join("?" * len(self.actors))
            c.append(f"(e.actor IN ({marks}) OR e.actor2 IN ({marks}))")
            a += self.actors * 2
        if self.admin1:
            any_of("e.admin1", self.admin1)
        if self.stances:
            any_of("e.stance", self.stances)
        if self.claim_group:
            any_of("e.claim_group", [self.claim_group])
        if self.min_confidence is not None:
            c.append("e.data ->> '$.confidence' >= ?")
            a.append(self.min_confidence)
        if self.bbox:
            x0, y0, x1, y1 = self.bbox
            c.append("e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ?")
            a += [y0, y1, x0, x1]
        if self.date_from or self.date_to:
            parts = []
            if self.date_from:
                parts.append("e.date >= ?")
                a.append(self.date_from)
            if self.date_to:
                parts.append("e.date <= ?")
                a.append(self.date_to + "\uffff")     # a date with a time still counts
            cond = " AND ".join(parts)
            c.append(f"(({cond}) OR e.date IS NULL)" if self.undated else cond)
        if self.place:
            keys = resolve_place(db, self.place)
            if not keys:
                c.append("0")
            else:
                c.append(f"e.id IN (SELECT event FROM event_places WHERE key IN ({','.join('?' * len(keys))}))")
                a += keys
        if self.source:
            c.append("EXISTS (SELECT 1 FROM json_each(e.data, '$.sources') s "
                     "WHERE rasd_contains(s.value ->> '$.name', ?))")
            a.append(self.source)
        if self.q:
            c.append("e.article IN (SELECT a.id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                     "WHERE articles_fts MATCH ?) AND rasd_match(e.data ->> '$.evidence.text', ?)")
            a += [self.q.fts(), self.q.text]
        return (" AND ".join(c) or "1"), a


def order_by(sort: str, order: str | None) -> str:
    key, desc = sort, False
    if key.startswith("-"):
        key, desc = key[1:], True
    if key not in SORTS:
        raise bad("sort", f"unknown sort field {sort!r}; one of {', '.join(SORTS)} (prefix - or order=desc to reverse)")
    if order is not None:
        if order not in ("asc", "desc"):
            raise bad("order", f"must be asc or desc (got {order!r})")
        desc = order == "desc"
    return SORTS[key][desc]


def count(conn: sqlite3.Connection, where: str, args: list) -> int:
    return conn.execute(f"SELECT count(*) FROM events e WHERE {where}", args).fetchone()[0]


def page_json(conn: sqlite3.Connection, where: str, args: list, order: str, limit: int, offset: int) -> list[str]:
    """The stored event dicts (JSON text, as stored) of one page.

    The page is chosen first (its rowids, which the covering indexes give without reading
    the rows), then only its rows are read: sorting never carries the event dicts along."""
    ids = [r[0] for r in conn.execute(f"SELECT e.rowid FROM events e WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                                      [*args, limit, offset])]
    if not ids:
        return []
    data = dict(conn.execute(f"SELECT rowid, data FROM events WHERE rowid IN ({','.join('?' * len(ids))})", ids))
    return [data[i] for i in ids]


def iter_records(conn: sqlite3.Connection, where: str, args: list, order: str,
                 limit: int | None = None, offset: int = 0):
    sql = f"SELECT e.data FROM events e WHERE {where} ORDER BY {order}"
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        args = [*args, -1 if limit is None else limit, offset]
    for (data,) in conn.execute(sql, args):
        yield json.loads(data)


def get_event(conn: sqlite3.Connection, event_id: str) -> dict | None:
    row = conn.execute("SELECT data FROM events WHERE id = ?", (event_id,)).fetchone()
    return json.loads(row[0]) if row else None


# ------------------------------------------------------------------ places

def _places(conn: sqlite3.Connection) -> dict:
    """Every place events name: key (gazetteer id, else the name) → its names, coordinates
    and the number of events that name it."""
    places: dict[str, dict] = {}
    for r in conn.execute(
            """SELECT coalesce(nullif(p.value ->> '$.gazetteer_id', ''), p.value ->> '$.name') AS place_key,
                      p.value ->> '$.name' AS place_name, p.value ->> '$.lat' AS lat, p.value ->> '$.lon' AS lon,
                      p.value ->> '$.country' AS country, p.value ->> '$.precision' AS precision,
                      count(*) AS n
               FROM events e, json_each(e.data, '$.places') p
               GROUP BY place_key, place_name ORDER BY n DESC"""):     # (json_each has a column "key")
        pl = places.get(r["place_key"])
        if pl is None:
            pl = places[r["place_key"]] = {"key": r["place_key"], "name": r["place_name"], "names": [],
                                           "lat": r["lat"], "lon": r["lon"], "country": r["country"],
                                           "precision": r["precision"], "count": 0}
        if r["place_name"] not in pl["names"]:
            pl["names"].append(r["place_name"])
    for key, n in conn.execute("SELECT key, count(*) FROM event_places GROUP BY key"):
        if key in places:
            places[key]["count"] = n
    by_name: dict[str, set[str]] = {}
    for key, pl in places.items():
        for name in [key, *pl["names"]]:
            for k in _name_keys(name):
                by_name.setdefault(k, set()).add(key)
    ranked = sorted(places.values(), key=lambda p: (-p["count"], p["name"] or ""))
    return {"list": ranked, "by_name": by_name}


def _name_keys(name: str | None) -> set[str]:
    if not name:
        return set()
    k = norm_key(name)
    out = {k}
    if k.startswith("ال") and len(k) > 3:
        out.add(k[2:])
    return out


def places(db: Database) -> list[dict]:
    return db.cached("places", _places)["list"]


def resolve_place(db: Database, name: str) -> list[str]:
    """Keys of the places called ``name`` (normalised; with or without the article ال)."""
    by_name = db.cached("places", _places)["by_name"]
    keys: set[str] = set()
    for k in _name_keys(name):
        keys |= by_name.get(k, set())
    return sorted(keys)


# ------------------------------------------------------------------ facets

FACET_LIMIT = 60        # values listed per facet (most frequent first)


def facets(conn: sqlite3.Connection, db: Database, f: EventFilter) -> dict:
    """Counts for the map's filters. Each facet is counted under every filter but its own
    (the types under all filters except ``type``, and so on), so that a choice shows what
    picking another value would give; ``total`` and ``fatalities`` follow every filter.

    ``{total, located, fatalities, types: {type: n}, sub_types, actors, admin1, sources:
    [[value, n], ...], stances, confidence: {"0".."9": n}, unscored, admin1_ar}``: actors count an
    event under both its actor and actor2; confidence buckets are tenths (``"7"``: 0.7 to
    0.8); ``unscored`` events have no confidence (rules decision); ``admin1`` counts events
    by the governorate of their main place, and ``admin1_ar`` gives those governorates'
    Arabic names (data/admin1.tsv)."""
    from dataclasses import replace

    def where_without(**cleared) -> tuple[str, list]:
        return replace(f, **cleared).where(db)

    def grouped(sql: str, where: str, args: list) -> list[list]:
        return [[v, n] for v, n in conn.execute(sql.format(where=where), args) if v is not None]

    where, args = f.where(db)
    total, located, fatalities = conn.execute(
        f"SELECT count(*), count(e.lat), coalesce(sum(e.fatalities), 0) FROM events e WHERE {where}",
        args).fetchone()
    w, a = where_without(types=[])
    types = grouped("SELECT e.type, count(*) FROM events e WHERE {where} GROUP BY 1 ORDER BY 2 DESC", w, a)
    w, a = where_without(sub_types=[])
    subs = grouped("SELECT e.sub_type, count(*) FROM events e WHERE {where} GROUP BY 1 ORDER BY 2 DESC", w, a)
    w, a = where_without(actors=[])
    actors = grouped("SELECT x, count(*) FROM (SELECT e.actor AS x FROM events e WHERE {where} UNION ALL "
                     "SELECT e.actor2 FROM events e WHERE {where} AND e.actor2 IS NOT e.actor) "
                     f"GROUP BY 1 ORDER BY 2 DESC LIMIT {FACET_LIMIT}", w, a * 2)
    w, a = where_without(admin1=[])
    arabic = {name: ar for name, ar, _ in admin1_table().values()}
    admin1 = grouped("SELECT e.admin1, count(*) FROM events e WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1 "
                     f"LIMIT {FACET_LIMIT}", w, a)
    w, a = where_without(source=None)
    sources = grouped("SELECT s.value ->> '$.name', count(DISTINCT e.rowid) FROM events e, "
                      "json_each(e.data, '$.sources') s WHERE {where} "
                      f"GROUP BY 1 ORDER BY 2 DESC LIMIT {FACET_LIMIT}", w, a)
    w, a = where_without(stances=[])
    stances = grouped("SELECT e.stance, count(*) FROM events e WHERE {where} GROUP BY 1", w, a)
    w, a = where_without(min_confidence=None)
    conf = grouped("SELECT min(9, CAST((e.data ->> '$.confidence') * 10 AS INTEGER)), count(*) FROM events e "
                   "WHERE {where} AND e.data ->> '$.confidence' IS NOT NULL GROUP BY 1", w, a)
    unscored = count(conn, w + " AND e.data ->> '$.confidence' IS NULL", a)
    return {"total": total, "located": located, "fatalities": fatalities,
            "types": dict(types), "sub_types": dict(subs), "actors": dict(actors), "admin1": dict(admin1),
            "sources": sources,
            "stances": dict(stances), "confidence": {str(b): n for b, n in conf}, "unscored": unscored,
            "admin1_ar": {g: arabic[g] for g, _ in admin1 if arabic.get(g)}}
