"""Ingest: encodings, input kinds, doc ids and rejects."""
from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path

import pytest

from rasd.ingest import decode_bytes, DecodeError, read_inputs
from rasd.records import Document, Reject

from conftest import PAGES

ARABIC = "قال مصدر أمني إن نحو 700 مقاتل وصلوا إلى مدينة القائم، أمس الأحد.\nوأضاف أن القوافل عبرت الحدود."


def _docs(items):
    return [x for x in items if isinstance(x, Document)]


def _rejects(items):
    return [x for x in items if isinstance(x, Reject)]


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1256", b""),
    ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b""),
])
def test_encodings_decode_to_the_same_text(tmp_path, encoding, prefix):
    f = tmp_path / "page.txt"
    f.write_bytes(prefix + ARABIC.encode(encoding))
    docs = _docs(read_inputs([str(f)]))
    assert len(docs) == 1
    assert docs[0].raw == ARABIC
    assert docs[0].encoding


def test_cp1256_is_not_mistaken_for_garbage():
    text, enc = decode_bytes(ARABIC.encode("cp1256"))
    assert enc == "cp1256" and text == ARABIC


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"), (b"   \n\n ", "empty"), (b"\x00\x01\x02\x03\xff\xfe\x00\x00" * 50, "binary"),
    (bytes(range(256)) * 4, "binary"),
])
def test_bad_bytes_are_rejected_with_a_reason(data, reason):
    with pytest.raises(DecodeError) as e:
        decode_bytes(data)
    assert e.value.reason == reason


def test_ambiguous_legacy_bytes_are_rejected_not_garbled():
    # Latin-1 French is not Arabic: Windows-1256 or -1250 would decode it to other letters
    with pytest.raises(DecodeError) as e:
        decode_bytes("Déclaration du ministère à Paris, élevée".encode("latin-1"))
    assert e.value.reason == "encoding" and "UTF-8" in e.value.detail


def test_folder_ids_are_relative_paths_and_bad_files_do_not_stop_the_batch(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "two.txt").write_bytes(ARABIC.encode("cp1256"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.bin").write_bytes(b"\x00\xff" * 1000 + b"\x00\x00\x00")
    items = list(read_inputs([str(tmp_path)]))
    assert sorted(d.id for d in _docs(items)) == ["a/one.txt", "two.txt"]
    assert sorted(r.reason for r in _rejects(items)) == ["binary", "empty"]
    single = _docs(read_inputs([str(tmp_path / "a" / "one.txt")]))
    assert single[0].id == "one.txt"


def test_missing_input_is_a_reject(tmp_path):
    items = list(read_inputs([str(tmp_path / "nope")]))
    assert _rejects(items)[0].reason == "missing"


def test_jsonl_lines_with_text_or_html_and_broken_lines(tmp_path):
    f = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "n1", "text": ARABIC, "title": "عنوان", "url": "https://x.example/1",
                    "published": "2018-02-16T10:00:00Z"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "n2", "html": "<html><body><p>" + ARABIC + "</p></body></html>"}, ensure_ascii=False),
        json.dumps({"text": "no id"}),
        json.dumps({"id": "n3"}),
        "[1, 2]",
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_inputs([str(f)]))
    docs = _docs(items)
    assert [d.id for d in docs] == ["n1", "n2"]
    assert docs[0].raw == ARABIC and docs[0].kind == "text"
    assert docs[0].title == "عنوان" and docs[0].published.startswith("2018-02-16T10:00")
    assert docs[1].kind == "html"
    reasons = sorted(r.reason for r in _rejects(items))
    assert reasons == ["empty", "json", "json", "no_id"]
    assert any(":2" in r.source for r in _rejects(items))  # the line number is kept


def test_html_page_metadata_and_main_text(tmp_path):
    docs = _docs(read_inputs([str(PAGES / "variant_html.html")]))
    d = docs[0]
    assert d.kind == "html"
    assert d.title.startswith("مقتل ثلاثة مدنيين")
    assert d.published.startswith("2018-03-15")
    assert d.url == "https://news.example.org/2018/03/idlib"


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>أخبار</title>
<item><title>غارات على دير الزور</title><link>https://news.example.org/a1</link>
<guid>https://news.example.org/a1</guid><pubDate>Tue, 20 Feb 2018 08:00:00 GMT</pubDate>
<description>&lt;p&gt;نفذت طائرات التحالف الدولي غارات على مواقع تنظيم داعش في ريف دير الزور الشرقي، بحسب مصادر محلية.&lt;/p&gt;</description></item>
<item><title>فارغ</title><link>https://news.example.org/a2</link><description></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>موجز</title><id>urn:feed</id><updated>2018-02-20T00:00:00Z</updated>
<entry><id>urn:e1</id><title>اشتباكات في هجين</title><updated>2018-02-21T09:00:00Z</updated>
<link href="https://news.example.org/e1"/>
<content type="text">اندلعت اشتباكات بين قوات سوريا الديمقراطية وعناصر تنظيم داعش في بلدة هجين.</content></entry>
</feed>"""


def test_rss_and_atom_feed_files(tmp_path):
    (tmp_path / "news.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "brief.xml").write_text(ATOM, encoding="utf-8")
    items = list(read_inputs([str(tmp_path)]))
    docs = {d.id: d for d in _docs(items)}
    assert set(docs) == {"https://news.example.org/a1", "urn:e1"}
    a1 = docs["https://news.example.org/a1"]
    assert a1.kind == "html" and "غارات" in a1.raw and a1.published.startswith("2018-02-20")
    assert docs["urn:e1"].kind == "text" and docs["urn:e1"].url == "https://news.example.org/e1"
    assert [r.reason for r in _rejects(items)] == ["empty"]


@pytest.fixture
def local_server(tmp_path):
    (tmp_path / "feed.xml").write_text(RSS, encoding="utf-8")
    (tmp_path / "page.html").write_text((PAGES / "variant_html.html").read_text("utf-8"), encoding="utf-8")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(tmp_path), **kw)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_feed_and_page_over_http(local_server):
    items = list(read_inputs([local_server + "/feed.xml", local_server + "/page.html",
                              local_server + "/missing.xml"]))
    ids = [d.id for d in _docs(items)]
    assert ids == ["https://news.example.org/a1", local_server + "/page.html"]
    assert [r.reason for r in _rejects(items)] == ["empty", "fetch"]


def test_jsonl_line_separators_inside_strings_do_not_split_a_line(tmp_path):
    text = "قال مصدر أمني\u2028إن الاشتباكات\u0085 مستمرة في المدينة منذ الصباح."
    f = tmp_path / "odd.jsonl"
    f.write_text(json.dumps({"id": "x", "text": text}, ensure_ascii=False) + "\r\n", encoding="utf-8")
    items = list(read_inputs([str(f)]))
    assert [d.raw for d in _docs(items)] == [text] and not _rejects(items)


def test_a_long_jsonl_file_is_not_cut_by_the_time_spent_processing_it(tmp_path):
    # the read deadline bounds reading; the time the pipeline spends on each document of a
    # large JSONL file (here 0.05 s each, 0.6 s in all against a 0.2 s deadline) does not
    # count: before, a big file on a slow machine was cut part-way and the rest rejected
    import time

    from rasd.ingest import Limits, read_file
    f = tmp_path / "many.jsonl"
    f.write_text("".join(json.dumps({"id": f"d{i}", "text": "قصف على مدينة دوما"}, ensure_ascii=False) + "\n"
                         for i in range(12)), "utf-8")
    docs, rejects = [], []
    for item in read_file(f, "many.jsonl", Limits(read_seconds=0.2)):
        (rejects if isinstance(item, Reject) else docs).append(item)
        time.sleep(0.05)
    assert rejects == [] and [d.id for d in docs] == [f"d{i}" for i in range(12)]
