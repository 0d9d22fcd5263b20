"""Every exported span is a view onto the unchanged raw text."""
from __future__ import annotations

from rasd.export import article_records
from rasd.pipeline import process
from rasd.store import Store

from conftest import PAGES, SEEDS


def test_every_exported_span_round_trips_for_every_input(tmp_path):
    s = Store(tmp_path / "all.db")
    process([str(SEEDS), str(PAGES)], s)
    n = 0
    for rec in article_records(s, with_text=True):
        doc = s.get_document(rec["doc"])
        raw = doc.raw
        spans = rec["paragraphs"] + rec["headings"] + ([rec["title_span"]] if "title_span" in rec else [])
        for sp in spans:
            assert 0 <= sp["start"] < sp["end"] <= len(raw)
            chunk = raw[sp["start"]:sp["end"]]
            assert chunk == chunk.strip() and chunk
            n += 1
        for p in rec["paragraphs"]:
            chunk = raw[p["start"]:p["end"]]
            if doc.kind == "text":
                assert chunk == p["text"]
            else:  # HTML: the span covers the paragraph's markup; its words are the text's
                assert chunk.startswith(p["text"][:5]) or chunk.startswith("<")
        if "title_span" in rec:
            assert raw[rec["title_span"]["start"]:rec["title_span"]["end"]] == rec["title"]
    assert n > 80
