"""Article and claim payloads: clean paragraphs with their text, copies, events, claims."""
from __future__ import annotations

import json
import sqlite3

from ..lang.normalize import norm_key
from .search import Query, count_hits, mark
from .text import Block, article_blocks, highlights_for_span

SUMMARY_COLS = ("a.id, a.doc, a.idx, a.title, a.published, a.author, a.n_words, a.duplicate_of, "
                "a.dedup_cluster, a.story")


def summary(row: sqlite3.Row, story_of: dict[str, str] | None = None) -> dict:
    """The short form of an article (lists, search hits, copies). ``story_of``: every
    article's cross-outlet story (:func:`rasd.stories.story_of_articles`)."""
    out = {"id": row["id"], "doc": row["doc"], "index": row["idx"], "title": row["title"],
           "published": row["published"], "author": row["author"], "n_words": row["n_words"],
           "duplicate_of": row["duplicate_of"], "dedup_cluster": row["dedup_cluster"],
           "story": _story(row, story_of)}
    if "n_events" in row.keys():
        out["n_events"] = row["n_events"]
    return out


def _story(row: sqlite3.Row, story_of: dict[str, str] | None) -> str | None:
    return story_of.get(row["id"], row["story"]) if story_of is not None else row["story"]


def story_members(story_of: dict[str, str], story: str) -> str:
    """The articles of a story, as a JSON list (for ``IN (SELECT value FROM json_each(?))``)."""
    return json.dumps([a for a, s in story_of.items() if s == story], ensure_ascii=False)


def list_articles(conn: sqlite3.Connection, limit: int, offset: int, *, duplicates: bool = True,
                  doc: str | None = None, story: str | None = None,
                  story_of: dict[str, str] | None = None) -> tuple[int, list[dict]]:
    cond, args = [], []
    if not duplicates:
        cond.append("a.duplicate_of IS NULL")
    if doc:
        cond.append("a.doc = ?")
        args.append(doc)
    if story and story_of is not None:
        cond.append("a.id IN (SELECT value FROM json_each(?))")
        args.append(story_members(story_of, story))
    elif story:
        cond.append("a.story = ?")
        args.append(story)
    where = " AND ".join(cond) or "1"
    total = conn.execute(f"SELECT count(*) FROM articles a WHERE {where}", args).fetchone()[0]
    rows = conn.execute(
        f"""SELECT {SUMMARY_COLS}, (SELECT count(*) FROM events e WHERE e.article = a.id) AS n_events
            FROM articles a JOIN documents d ON d.id = a.doc WHERE {where}
            ORDER BY d.rowid, a.idx LIMIT ? OFFSET ?""", [*args, limit, offset]).fetchall()
    return total, [summary(r, story_of) for r in rows]


class ArticleView:
    """One stored article with its document: blocks of text and raw-offset maps."""

    def __init__(self, conn: sqlite3.Connection, art_id: str) -> None:
        self.row = conn.execute(
            """SELECT a.*, d.kind, d.raw, d.url, d.source, d.published AS doc_published, d.title AS doc_title
               FROM articles a JOIN documents d ON d.id = a.doc WHERE a.id = ?""", (art_id,)).fetchone()
        if self.row is None:
            return
        self.title_block, self.paragraphs = article_blocks(self.row["raw"], self.row["kind"], self.row)

    @property
    def found(self) -> bool:
        return self.row is not None

    @property
    def blocks(self) -> list[Block]:
        return ([self.title_block] if self.title_block else []) + self.paragraphs

    def payload(self, story_of: dict[str, str] | None = None) -> dict:
        r = self.row
        tb = self.title_block
        return {
            "id": r["id"], "doc": r["doc"], "index": r["idx"], "title": r["title"],
            "title_span": {"start": tb.start, "end": tb.end} if tb and tb.start is not None else None,
            "published": r["published"] or r["doc_published"], "author": r["author"],
            "url": r["url"], "source": r["source"], "kind": r["kind"], "n_words": r["n_words"],
            "paragraphs": [b.as_dict() for b in self.paragraphs],
            "duplicate_of": r["duplicate_of"], "dedup_cluster": r["dedup_cluster"], "story": _story(r, story_of),
        }

    def evidence(self, event: dict) -> list[dict]:
        """Highlights of an event's evidence, and of where its sources are named."""
        ev = event["evidence"]
        out = highlights_for_span(self.blocks, ev["start"], ev["end"], "evidence")
        for s in event.get("sources") or []:
            if s.get("start") is not None and s.get("end") is not None:
                for h in highlights_for_span(self.blocks, s["start"], s["end"], "source"):
                    h["stance"] = s.get("stance")
                    out.append(h)
        return out

    def _folded(self) -> list[str] | None:
        lines = (self.row["norm_text"] or "").split("\n")
        return lines if len(lines) == len(self.paragraphs) else None   # one line per paragraph

    def hits(self, query: Query, max_blocks: int | None = None) -> list[dict]:
        """Where the query's words stand (the title, then at most ``max_blocks`` paragraphs)."""
        lines = self._folded()
        folded = None if lines is None else ([None] if self.title_block else []) + lines
        return mark(self.blocks, query, folded, max_blocks)

    def count_hits(self, query: Query) -> int:
        lines = self._folded()
        if lines is None:
            return len(mark(self.blocks, query))
        title = self.title_block
        return count_hits(lines + ([norm_key(title.text)] if title else []), query)


def related(conn: sqlite3.Connection, row: sqlite3.Row, story_of: dict[str, str] | None = None) -> dict:
    """Copies of an article (exact or near duplicates), its cluster and the other articles
    of its story (from every outlet)."""
    def q(where: str, *args) -> list[dict]:
        return [summary(r, story_of) for r in conn.execute(
            f"""SELECT {SUMMARY_COLS} FROM articles a JOIN documents d ON d.id = a.doc
                WHERE {where} AND a.id <> ? ORDER BY d.rowid, a.idx""", (*args, row["id"]))]

    return {
        "duplicates": q("a.duplicate_of = ?", row["id"]),
        "cluster": q("a.dedup_cluster = ?", row["dedup_cluster"]) if row["dedup_cluster"] else [],
        "story_articles": (q("a.id IN (SELECT value FROM json_each(?))", story_members(story_of, story))
                           if story_of is not None and (story := _story(row, story_of))
                           else q("a.story = ?", row["story"]) if row["story"] else []),
    }


def article_events(conn: sqlite3.Connection, art_id: str) -> list[dict]:
    return [json.loads(r[0]) for r in conn.execute(
        "SELECT data FROM events WHERE article = ? ORDER BY ev_start, rowid", (art_id,))]


def claims(conn: sqlite3.Connection, group: str) -> dict | None:
    """All claims of a claim group, assertions and denials apart, each with its article."""
    rows = conn.execute(
        """SELECT e.data, a.title, a.doc FROM events e JOIN articles a ON a.id = e.article
           WHERE e.claim_group = ? ORDER BY e.rowid""", (group,)).fetchall()
    if not rows:
        return None
    asserts, denials, sources = [], [], []
    for data, title, doc in rows:
        ev = json.loads(data)
        ev["article_title"] = title
        (denials if ev.get("stance") == "deny" else asserts).append(ev)
        for s in ev.get("sources") or []:
            sources.append({"name": s["name"], "stance": s["stance"], "role": s.get("role"),
                            "actor": s.get("actor"), "event": ev["id"], "doc": doc})
        if not ev.get("sources"):
            sources.append({"name": doc, "stance": ev.get("stance", "assert"), "role": "outlet",
                            "actor": None, "event": ev["id"], "doc": doc})
    return {"claim_group": group, "total": len(rows), "asserts": asserts, "denials": denials,
            "sources": sources}
