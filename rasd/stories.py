"""Stories and corroboration (issue #13, "the same happening across outlets").

A *story* is the articles (from any outlet) that tell one happening: an article joins the
story of an earlier one when each tells the other's lead happening (the claim group of its
first claim, told in its title or first paragraphs; claim groups join claims across
documents, :mod:`rasd.events.grouping`) and the story was first reported at most a few
days before — a happening mentioned in the background does not chain two stories
together (:func:`build_stories`). Stories are worked out from the stored claim groups
when the data changes (cached per state of the store); a story's id is the id of its
first article.

*Corroboration* of a claim group: how many independent sources assert it and how many deny
it. A claim's source is its named source (two outlets quoting one observatory, or one wire
re-published, count once); a claim without a named source counts as its article (its
dedup cluster: copies of one article, in any outlet, count once).

The exports (:mod:`rasd.export`) carry both: every article's story
(:func:`story_of_articles`) and, on every claim, its story and its group's corroboration
(:func:`export_index`, one pass over the store's claims).
"""
from __future__ import annotations

import json
import math
import re
import sqlite3
from collections import Counter
from datetime import datetime, timezone
from functools import lru_cache
from urllib.parse import urlsplit

from .lang.normalize import norm_key
from .lang.speakers import source_key
from .lang.wordlists import alternation


def outlet(url: str | None, source: str | None) -> str:
    """The outlet of a document: the host of its URL («www.» left out), else its source."""
    host = urlsplit(url).hostname if url else None
    if host:
        return host.removeprefix("www.")
    return source or "?"


_source_key = lru_cache(maxsize=1 << 16)(source_key)   # one key a source (an export's claims name few sources, often)


class Tally:
    """The corroboration of one claim group, added up claim by claim (:func:`corroboration`;
    the exports add up every group of the store in one pass, :func:`export_index`)."""

    __slots__ = ("asserting", "counts", "deaths", "denying", "outlets", "parties", "spoken")

    def __init__(self) -> None:
        self.asserting: set[str] = set()
        self.denying: set[str] = set()
        self.parties: set[str] = set()
        self.spoken: list[tuple[dict, str]] = []     # (source with an actor, claim id)
        self.outlets: set[str] = set()
        self.counts: list = []
        self.deaths: list = []

    def add(self, claim_id: str, stance: str | None, actor: str | None, actor2: str | None, sources,
            count, fatalities, cluster: str | None, outlet_: str | None, doc: str | None) -> None:
        """One claim: its stance, doer and acted-on, sources (dicts), count value,
        fatalities, dedup cluster and outlet."""
        keys = {"source:" + _source_key(s["name"]) for s in sources if s.get("name") not in (None, "?")}
        if not keys:
            keys = {"outlet:" + (cluster or outlet_ or doc)}
        (self.denying if stance == "deny" else self.asserting).update(keys)
        if actor:
            self.parties.add(actor)
        if actor2:
            self.parties.add(actor2)
        self.spoken += [(s, claim_id) for s in sources if s.get("actor")]
        if outlet_:
            self.outlets.add(outlet_)
        if stance == "deny":
            return              # a denial's numbers are those of the claim it denies
        if count is not None:
            self.counts.append(count)
        if fatalities is not None:
            self.deaths.append(fatalities)

    def figures(self) -> dict:
        party_sources = [{"name": s["name"], "actor": s["actor"], "stance": s.get("stance"), "event": claim_id}
                         for s, claim_id in self.spoken if s["actor"] in self.parties]
        return {"asserting_sources": len(self.asserting), "denying_sources": len(self.denying),
                "outlets": sorted(self.outlets),
                "party_among_sources": bool(party_sources), "party_sources": party_sources,
                "count_range": [min(self.counts), max(self.counts)] if self.counts else None,
                "fatalities_range": [min(self.deaths), max(self.deaths)] if self.deaths else None}


def corroboration(claims: list[dict]) -> dict:
    """Figures of one claim group from its claims (exported dicts, each with ``outlet``
    and ``dedup_cluster``): independent asserting and denying sources, whether a party to
    the happening (its doer or acted-on) is among the sources, and the range of the
    numbers told by the claims that assert it (counts, fatalities; a denial's numbers are
    the ones it denies)."""
    t = Tally()
    for c in claims:
        t.add(c.get("id"), c.get("stance"), c.get("actor"), c.get("actor2"), c.get("sources") or (),
              (c.get("count") or {}).get("value"), c.get("fatalities"), c.get("dedup_cluster"), c.get("outlet"),
              c.get("doc"))
    return t.figures()


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


STORY_DAYS = 3       # an article joins a story first reported at most this many days before it
LEAD_PARAGRAPHS = 1  # what an article is about is told in its title or first paragraph
LEAD_CHARS = 400     # an article's opening: its title and the first 400 characters of its body
BODY_READ = 600      # characters of the normalised body read for it (white space is collapsed after)
LEAD_SIMILARITY = 0.10   # two articles of one story open alike: cosine of their openings' tf-idf


def lead_text(title: str | None, norm_body: str | None) -> str:
    """An article's opening, normalised: its title and the start of its body."""
    return norm_key(title or "") + " " + " ".join((norm_body or "").split())[:LEAD_CHARS]


def _grams(text: str) -> Counter:
    """Character 3- to 5-grams within words, each word padded with a space on both sides
    (scikit-learn's ``char_wb`` analyser: a word shorter than n counts once, whole)."""
    out: Counter = Counter()
    for w in text.lower().split():
        w = " " + w + " "
        for n in (3, 4, 5):
            if len(w) <= n:
                out[w] += 1
                break
            out.update(w[i:i + n] for i in range(len(w) - n + 1))
    return out


def opening_similarity(texts: dict[str, str]):
    """``similar(a, b)``: the cosine of the tf-idf vectors of two articles' openings
    (:func:`_grams`; sublinear counts, 1 + log; smoothed inverse document frequencies,
    1 + ln((1 + n) / (1 + df)), taken over ``texts``: the openings of the articles that
    may share a story) — scikit-learn's ``TfidfVectorizer(analyzer="char_wb",
    ngram_range=(3, 5), sublinear_tf=True)``, without importing it."""
    grams = {a: _grams(t) for a, t in texts.items()}
    df: Counter = Counter()
    for g in grams.values():
        df.update(g.keys())
    n = len(grams)
    idf = {k: 1.0 + math.log((1 + n) / (1 + v)) for k, v in df.items()}
    vecs: dict[str, dict[str, float]] = {}
    for a, g in grams.items():
        v = {k: (1.0 + math.log(c)) * idf[k] for k, c in g.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs[a] = {k: x / norm for k, x in v.items()}

    def similar(a: str, b: str) -> float:
        va, vb = vecs.get(a), vecs.get(b)
        if not va or not vb:
            return 0.0
        if len(vb) < len(va):
            va, vb = vb, va
        return sum(x * vb.get(k, 0.0) for k, x in va.items())
    return similar


STORY_ROWS = """SELECT e.article, coalesce(e.claim_group, e.id), e.stance, e.ev_start, e.date FROM events e
    JOIN documents d ON d.id = e.doc JOIN articles a ON a.id = e.article
    ORDER BY d.rowid, a.idx, e.ev_start, e.rowid"""
ARTICLE_ROWS = f"""SELECT a.id, a.title, coalesce(a.published, d.published), d.url, d.source, a.paragraphs,
    substr(a.norm_text, 1, {BODY_READ})
    FROM articles a JOIN documents d ON d.id = a.doc WHERE a.id IN (SELECT DISTINCT article FROM events)"""


@lru_cache(maxsize=1)
def _feature_opening() -> re.Pattern:
    return re.compile(r"(?:^|\.\.+|:)[\s\"'«“]*(?:" + alternation("feature_title") + r")(?=$|[\s.:،,؟?])")


def is_feature(title: str | None) -> bool:
    """Whether a title marks its article as a feature rather than a report of a happening:
    it opens (at its start, or after «..» or «:») with a word of ``feature_title`` (an
    explainer, infographic, video piece, interview, opinion, backgrounder), or it is a
    question. Such an article has no lead (:func:`link_stories`)."""
    t = norm_key(title or "").strip().rstrip("\"'»” ")
    return bool(t) and (t.endswith(("؟", "?")) or _feature_opening().search(t) is not None)


def _when(published: str | None) -> datetime | None:
    try:
        t = datetime.fromisoformat(published) if published else None
    except ValueError:
        return None
    if t is not None and t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t


def _link_articles(conn: sqlite3.Connection) -> tuple[dict[str, str], dict[str, int], list[tuple], dict]:
    """``({article: story}, {article: order}, claim rows, {article: (title, published,
    url, source, paragraphs, body)})`` for the stored articles with claims
    (:func:`link_stories`)."""
    rows = conn.execute(STORY_ROWS).fetchall()
    meta = {r[0]: r[1:] for r in conn.execute(ARTICLE_ROWS)}
    of_article, order = link_stories(rows, meta)
    return of_article, order, rows, meta


def link_stories(rows: list[tuple], meta: dict[str, tuple]) -> tuple[dict[str, str], dict[str, int]]:
    """``({article: story}, {article: order})`` from the claims ``rows`` — ``(article,
    claim group, stance, evidence start, date)`` in document order, then article, then
    evidence start — and ``meta`` — ``{article: (title, published, url, source,
    paragraphs, normalised body)}``, the paragraphs a JSON list of ``[start, end]`` (the
    body's first ``BODY_READ`` characters are enough).

    An article's *lead* is its first claim, when it is told in the title or the first
    paragraph (an article whose first claim comes later is a feature, an analysis or a
    reaction piece: it stands alone), and its title does not mark it as a feature
    (:func:`is_feature`: an explainer, infographic, interview, a question …).
    Articles are taken in the order they were
    published; one joins the story of an earlier article when each tells the other's
    lead happening (both leads among the other's claim groups), its lead happened on the
    day of the story's first lead, the story was first reported at most ``STORY_DAYS``
    before it — a background mention does not chain two stories, nor a campaign's days
    one after the other — and the two articles open alike (:func:`opening_similarity` at
    least ``LEAD_SIMILARITY``: two strikes, convoys or statements of one place and day
    that the claim groups took for one are told in other words). A story's id is its first
    article's id. Chosen on read samples of stories (the #13 notes)."""
    order: dict[str, int] = {}
    lead: dict[str, str | None] = {}
    day: dict[str, str | None] = {}
    groups_of: dict[str, set[str]] = {}
    arts_of: dict[str, list[str]] = {}
    for art, group, _, start, date in rows:
        if art not in order:
            order[art] = len(order)
            day[art] = date[:10] if date else None
            paras = json.loads(meta[art][4]) if art in meta else []
            told_by = paras[min(LEAD_PARAGRAPHS, len(paras)) - 1][1] if paras else 0
            feature = is_feature(meta[art][0]) if art in meta else False
            lead[art] = group if start is not None and start <= told_by and not feature else None
        if group not in groups_of.setdefault(art, set()):
            groups_of[art].add(group)
            arts_of.setdefault(group, []).append(art)
    when = {a: _when(meta[a][1]) if a in meta else None for a in order}
    # the articles that may share a story: a lead that another article tells too
    linkable = [a for a in order if lead[a] is not None and len(arts_of[lead[a]]) > 1]
    similar = opening_similarity({a: lead_text(meta[a][0], meta[a][5]) for a in linkable if a in meta})
    of_article: dict[str, str] = {}
    first: dict[str, datetime | None] = {}
    never = datetime.max.replace(tzinfo=timezone.utc)
    for art in sorted(order, key=lambda a: (when[a] or never, order[a])):
        sid = None
        if lead[art] is not None:
            for other in arts_of[lead[art]]:
                o_sid = of_article.get(other)
                if o_sid is None or other == art or lead[other] is None or lead[other] not in groups_of[art]:
                    continue
                t0, t = first[o_sid], when[art]
                if t0 is not None and t is not None and (t - t0).total_seconds() > STORY_DAYS * 86400:
                    continue
                if day[art] and day[o_sid] and day[art] != day[o_sid]:
                    continue        # another day's happening of the same thread
                if art in meta and other in meta and similar(art, other) < LEAD_SIMILARITY:
                    continue        # they open on different things: another happening of the topic
                if sid is None or (first[o_sid] or never, order[o_sid]) < (first[sid] or never, order[sid]):
                    sid = o_sid
        of_article[art] = sid or art
        first.setdefault(of_article[art], when[art])
    return of_article, order


def build_stories(conn: sqlite3.Connection) -> dict:
    """``{"of_article": {article: story}, "story_of": {article: story}, "stories": {story:
    {...summary...}}}`` from the stored claim groups (:func:`_link_articles`);
    ``of_article`` holds the articles with claims, ``story_of`` every stored article
    (:func:`story_of_articles`)."""
    of_article, order, rows, meta = _link_articles(conn)
    stories: dict[str, dict] = {}
    for art, group, stance, _, _ in rows:
        sid = of_article[art]
        s = stories.setdefault(sid, {"id": sid, "title": None, "articles": set(), "groups": set(),
                                     "outlets": set(), "first_report": None, "last_report": None,
                                     "events": 0, "denials": 0})
        s["events"] += 1
        s["denials"] += stance == "deny"
        s["groups"].add(group)
        if art not in s["articles"]:
            s["articles"].add(art)
            title, published, url, source = meta.get(art, (None, None, None, None))[:4]
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
    return {"of_article": of_article, "story_of": story_of_articles(conn, of_article), "stories": out}


def story_of_articles(conn: sqlite3.Connection, of_article: dict[str, str] | None = None) -> dict[str, str]:
    """The story of every stored article: an article with claims is in the story
    :func:`build_stories` gives it (``of_article``, worked out here when not given); an
    article without claims (a near-duplicate, whose claims are its original's, or an
    article that tells no event) takes the story of its dedup cluster's canonical article
    when that one has claims, else the cluster's id, else its own id — copies of an
    article always share its story."""
    if of_article is None:
        of_article = _link_articles(conn)[0]
    return stories_of(of_article, conn.execute("SELECT id, dedup_cluster FROM articles"))


def stories_of(of_article: dict[str, str], clusters) -> dict[str, str]:
    """``{article: story}`` for the ``(article, dedup cluster)`` pairs given, by the rule of
    :func:`story_of_articles`."""
    out = {}
    for art, cluster in clusters:
        story_id = of_article.get(art)
        if story_id is None:
            canonical = cluster or art
            story_id = of_article.get(canonical, canonical)
        out[art] = story_id
    return out


def export_corroboration(cor: dict) -> dict:
    """The fields of :func:`corroboration` that the exports carry (one claim group)."""
    return {"asserting_sources": cor["asserting_sources"], "denying_sources": cor["denying_sources"],
            "party_among_sources": cor["party_among_sources"], "count_range": cor["count_range"],
            "fatalities_range": cor["fatalities_range"], "n_outlets": len(cor["outlets"])}


GROUP_ROWS = """SELECT coalesce(e.claim_group, e.id) AS g, e.stance, e.id, e.doc, e.actor, e.actor2, e.fatalities,
    e.data ->> '$.count.value', CASE WHEN json_array_length(e.data, '$.sources') > 0 THEN e.data -> '$.sources' END,
    a.dedup_cluster, d.url, d.source FROM events e
    JOIN documents d ON d.id = e.doc JOIN articles a ON a.id = e.article
    ORDER BY g, e.rowid"""


def export_index(conn: sqlite3.Connection) -> dict:
    """What an export adds to the records, for the whole store: ``{"story": {article:
    story} (:func:`story_of_articles`), "corroboration": {claim group: export fields}
    (:func:`group_figures`)}``. Two passes over the store's claims, each streamed."""
    return {"story": story_of_articles(conn), "corroboration": group_figures(conn)}


def group_figures(conn: sqlite3.Connection) -> dict[str, dict]:
    """``{claim group: export fields (:func:`export_corroboration`)}`` for every group of
    the store: a group's figures are those of all its claims, whatever an export filters.
    One streamed pass over the claims, group by group (one group's tally at a time; groups
    with the same figures share one dict)."""
    figures: dict[str, dict] = {}
    shared: dict[tuple, dict] = {}
    outlets: dict[tuple, str] = {}

    def close(group: str, t: Tally) -> None:
        f = export_corroboration(t.figures())
        key = tuple(tuple(v) if isinstance(v, list) else v for v in f.values())
        figures[group] = shared.setdefault(key, f)

    current, t = None, None
    for group, stance, eid, doc, actor, actor2, deaths, count, sources, cluster, url, source in conn.execute(GROUP_ROWS):
        if group != current:
            if t is not None:
                close(current, t)
            current, t = group, Tally()
        where = outlets.get((url, source))
        if where is None:
            where = outlets[(url, source)] = outlet(url, source)
        t.add(eid, stance, actor, actor2, json.loads(sources) if sources else (), count, deaths, cluster, where, doc)
    if t is not None:
        close(current, t)
    return figures


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
