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
