"""Stories and corroboration (issue #13, "the same happening across outlets").

A *story* is the articles (from any outlet) that tell one happening: two articles belong
to one story when each tells the other's lead happening (the claim group of its first
claim; claim groups join claims across documents, :mod:`rasd.events.grouping`) — a
happening mentioned in the background does not chain two stories together. Stories are worked out
from the stored claim groups when the data changes (a union-find over articles and
groups, cached per state of the store); a story's id is the id of its earliest article.

*Corroboration* of a claim group: how many independent sources assert it and how many deny
it. A claim's source is its named source (two outlets quoting one observatory, or one wire
re-published, count once); a claim without a named source counts as its article's outlet
(the document's host), and copies of one article (one dedup cluster) count once.
"""
from __future__ import annotations

import json
import sqlite3
from urllib.parse import urlsplit

from .lang.normalize import norm_key


def outlet(url: str | None, source: str | None) -> str:
    """The outlet of a document: the host of its URL («www.» left out), else its source."""
    host = urlsplit(url).hostname if url else None
    if host:
        return host.removeprefix("www.")
    return source or "?"


def corroboration(claims: list[dict]) -> dict:
    """Figures of one claim group from its claims (exported dicts, each with ``outlet``
    and ``dedup_cluster``): independent asserting and denying sources, whether a party to
    the happening (its doer or acted-on) is among the sources, and the range of the
    numbers told (counts, fatalities)."""
    asserting: set[str] = set()
    denying: set[str] = set()
    parties = {x for c in claims for x in (c.get("actor"), c.get("actor2")) if x}
    party_sources: list[dict] = []
    for c in claims:
        keys = {"source:" + norm_key(s["name"]) for s in c.get("sources") or () if s.get("name") not in (None, "?")}
        if not keys:
            keys = {"outlet:" + (c.get("dedup_cluster") or c.get("outlet") or c["doc"])}
        (denying if c.get("stance") == "deny" else asserting).update(keys)
        for s in c.get("sources") or ():
            if s.get("actor") and s["actor"] in parties:
                party_sources.append({"name": s["name"], "actor": s["actor"], "stance": s.get("stance"),
                                      "event": c["id"]})
    counts = [c["count"]["value"] for c in claims if c.get("count") and c["count"].get("value") is not None]
    deaths = [c["fatalities"] for c in claims if c.get("fatalities") is not None]
    return {"asserting_sources": len(asserting), "denying_sources": len(denying),
            "outlets": sorted({c["outlet"] for c in claims if c.get("outlet")}),
            "party_among_sources": bool(party_sources), "party_sources": party_sources,
            "count_range": [min(counts), max(counts)] if counts else None,
            "fatalities_range": [min(deaths), max(deaths)] if deaths else None}


def group_claims(conn: sqlite3.Connection, where: str, args: tuple) -> list[dict]:
    """Claims (exported dicts with their article's title, outlet and dedup cluster) of the
    events matching ``where``, in the order they were stored."""
    out = []
    for data, title, cluster, url, source, published in conn.execute(
            f"""SELECT e.data, a.title, a.dedup_cluster, d.url, d.source, coalesce(a.published, d.published)
                FROM events e JOIN articles a ON a.id = e.article JOIN documents d ON d.id = e.doc
                WHERE {where} ORDER BY e.rowid""", args):
        ev = json.loads(data)
        ev.update(article_title=title, dedup_cluster=cluster, outlet=outlet(url, source), published=published)
        out.append(ev)
    return out


def build_stories(conn: sqlite3.Connection) -> dict:
    """``{"of_article": {article: story}, "stories": {story: {...summary...}}}`` from the
    stored claim groups (see the module)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    order: dict[str, int] = {}
    rows = conn.execute(
        """SELECT e.article, coalesce(e.claim_group, e.id), e.stance FROM events e
           JOIN documents d ON d.id = e.doc JOIN articles a ON a.id = e.article
           ORDER BY d.rowid, a.idx, e.ev_start, e.rowid""").fetchall()
    lead: dict[str, str] = {}
    groups_of: dict[str, set[str]] = {}
    arts_of: dict[str, list[str]] = {}
    for art, group, _ in rows:
        if art not in parent:
            parent[art] = art
            order[art] = len(order)
            lead[art] = group            # the article's first claim: what it is about
        if group not in groups_of.setdefault(art, set()):
            groups_of[art].add(group)
            arts_of.setdefault(group, []).append(art)
    for art in order:
        for other in arts_of[lead[art]]:
            # one story when both tell each other's lead happening (two articles about the
            # same happening; a background mention alone does not chain stories together)
            if other != art and lead[other] in groups_of[art]:
                ra, rb = find(art), find(other)
                if ra != rb:
                    # the earlier article names the story
                    if order[ra] < order[rb]:
                        parent[rb] = ra
                    else:
                        parent[ra] = rb
    of_article = {a: find(a) for a in parent}
    stories: dict[str, dict] = {}
    meta = {r[0]: r[1:] for r in conn.execute(
        """SELECT a.id, a.title, coalesce(a.published, d.published), d.url, d.source FROM articles a
           JOIN documents d ON d.id = a.doc WHERE a.id IN (SELECT DISTINCT article FROM events)""")}
    for art, group, stance in rows:
        sid = of_article[art]
        s = stories.setdefault(sid, {"id": sid, "title": None, "articles": set(), "groups": set(),
                                     "outlets": set(), "first_report": None, "last_report": None,
                                     "events": 0, "denials": 0})
        s["events"] += 1
        s["denials"] += stance == "deny"
        s["groups"].add(group)
        if art not in s["articles"]:
            s["articles"].add(art)
            title, published, url, source = meta.get(art, (None, None, None, None))
            if art == sid:
                s["title"] = title
            s["outlets"].add(outlet(url, source))
            if published:
                s["first_report"] = min(filter(None, (s["first_report"], published)))
                s["last_report"] = max(filter(None, (s["last_report"], published)))
    out = {}
    for sid, s in stories.items():
        out[sid] = {"id": sid, "title": s["title"], "first_report": s["first_report"],
                    "last_report": s["last_report"], "outlets": sorted(s["outlets"]),
                    "n_outlets": len(s["outlets"]), "n_articles": len(s["articles"]),
                    "n_claim_groups": len(s["groups"]), "n_events": s["events"], "n_denials": s["denials"],
                    "articles": sorted(s["articles"], key=order.__getitem__), "claim_groups": sorted(s["groups"])}
    return {"of_article": of_article, "stories": out}


def list_stories(index: dict, limit: int, offset: int, *, min_outlets: int = 1) -> tuple[int, list[dict]]:
    """Stories, the latest reported first (summaries: no article or group lists)."""
    items = [s for s in index["stories"].values() if s["n_outlets"] >= min_outlets]
    items.sort(key=lambda s: (s["last_report"] or "", s["id"]), reverse=True)
    return len(items), [{k: v for k, v in s.items() if k not in ("articles", "claim_groups")}
                        for s in items[offset:offset + limit]]


def story(conn: sqlite3.Connection, index: dict, story_id: str) -> dict | None:
    """A story with its claims side by side: per claim group, each claim with its source,
    outlet and stance, and the group's corroboration."""
    s = index["stories"].get(story_id)
    if s is None:
        return None
    groups = []
    for g in s["claim_groups"]:
        claims = group_claims(conn, "coalesce(e.claim_group, e.id) = ?", (g,))
        groups.append({"claim_group": g, "type": claims[0]["type"] if claims else None,
                       "claims": [{"id": c["id"], "article": c["article"], "article_title": c["article_title"],
                                   "outlet": c["outlet"], "published": c["published"], "stance": c.get("stance"),
                                   "sources": c.get("sources") or [], "type": c["type"],
                                   "sub_type": c.get("sub_type"), "actor": c.get("actor"),
                                   "actor2": c.get("actor2"), "date": c.get("date"), "count": c.get("count"),
                                   "fatalities": c.get("fatalities"),
                                   "evidence": (c.get("evidence") or {}).get("text")} for c in claims],
                       "corroboration": corroboration(claims)})
    return {**s, "groups": groups}
