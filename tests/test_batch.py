"""Batch mode on Dask: the same output as `rasd process`, global dedup across partitions,
bad lines as rejects, Parquet in and out, an idempotent load into the store.

One LocalCluster of 2 worker processes (no dashboard) serves the tests through its
address (tcp://...); the equality test starts its own with ``scheduler="local"``.
"""
from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rasd.batch import load_batch, run_batch
from rasd.export import article_records
from rasd.pipeline import process
from rasd.store import Store

from conftest import PAGES, SEEDS

STRIKE = [
    "قصفت طائرات التحالف الدولي مواقع لتنظيم داعش في مدينة البوكمال شرق دير الزور فجر الثلاثاء، ما أسفر "
    "عن مقتل 12 عنصراً من التنظيم وتدمير آليات عسكرية، بحسب المرصد السوري لحقوق الإنسان.",
    "وقال المرصد إن الغارات استهدفت مقرات للتنظيم في حي الجمعيات وعلى الطريق الواصل إلى الحدود العراقية، "
    "وإن أصوات الانفجارات سمعت في أرجاء المدينة حتى ساعات الصباح الأولى.",
    "وأضاف أن عشرات العائلات نزحت من الأحياء الشرقية للمدينة باتجاه الريف خوفاً من تجدد القصف، في وقت "
    "يعاني فيه السكان من نقص حاد في المواد الغذائية والأدوية منذ أسابيع.",
    "ولم يصدر عن التنظيم أي تعليق على الغارات، فيما أكد التحالف في بيان مقتضب أنه نفذ سلسلة ضربات "
    "في منطقة البوكمال خلال الأيام الماضية ضمن عملياته المستمرة ضد التنظيم.",
]
# the same article re-published by another site: new headline, one sentence reworded
STRIKE_COPY = [STRIKE[0], STRIKE[1].replace("وإن أصوات الانفجارات سمعت", "مشيراً إلى أن دوي الانفجارات سُمع"),
               STRIKE[2], STRIKE[3]]
# another outlet's own words about the same strike (a claim, not a copy)
STRIKE_OTHER = [
    "أعلن التحالف الدولي أن طائراته قصفت مواقع لتنظيم داعش في البوكمال، وقال متحدث باسم التحالف إن "
    "الضربات دمرت مستودعاً للأسلحة ومركزاً للقيادة تابعين للتنظيم على أطراف المدينة.",
    "وأوضح المتحدث أن العمليات ستتواصل حتى طرد التنظيم من آخر معاقله في وادي الفرات، داعياً المدنيين "
    "إلى الابتعاد عن مواقع المسلحين ومقراتهم.",
]
# a third outlet's report of the strike, the same day: the same story as strike-1's
STRIKE_SAME_DAY = [
    "قتل 12 عنصرا من تنظيم داعش في غارات جوية شنتها طائرات التحالف الدولي على مدينة البوكمال شرق "
    "دير الزور فجر الثلاثاء، وفق ما أفاد المرصد السوري لحقوق الإنسان.",
]
ARREST = [
    "اعتقلت القوات الأمنية العراقية خمسة مطلوبين بتهم إرهابية في عملية دهم نفذتها في حي الزنجيلي غرب "
    "مدينة الموصل مساء الأحد، وفق بيان لقيادة العمليات المشتركة.",
    "وذكر البيان أن المعتقلين كانوا ينتمون إلى خلية تابعة لتنظيم داعش مسؤولة عن تفجيرات استهدفت الأسواق "
    "الشعبية في المدينة خلال الأشهر الماضية، وأنهم أحيلوا إلى القضاء لاستكمال التحقيقات.",
]


def page(title: str, paras: list[str]) -> str:
    return "\n\n".join([title, *paras]) + "\n"


def _line(doc_id, text=None, html=None, **kw):
    obj = {"id": doc_id, **({"text": text} if text is not None else {}), **({"html": html} if html else {}), **kw}
    return json.dumps(obj, ensure_ascii=False)


def build_jsonl(path):
    """News lines: the test pages, an original, a near copy (in a later partition at
    partition_size 3), another outlet on the same strike, a document id repeated with the
    same content (skipped) and with new content (replaces the first version)."""
    pages = {p.name: p.read_text("utf-8") for p in sorted(PAGES.iterdir())}
    lines = [
        _line("strike-1", page("غارات للتحالف على البوكمال", STRIKE), published="2018-02-13T08:00:00+00:00",
              title="غارات للتحالف على البوكمال", url="https://a.example.org/1"),
        _line("continued", pages["variant_continued.txt"], published="2018-02-15"),
        _line("boiler", pages["variant_english_boilerplate.txt"]),
        _line("html", html=pages["variant_html.html"]),
        _line("arrest", page("اعتقال خلية في الموصل", ARREST), published="2018-02-12"),
        _line("no-title", pages["variant_no_title.txt"], published="2018-02-14"),
        _line("strike-copy", page("مقتل 12 من داعش بغارات على البوكمال", STRIKE_COPY),
              published="2018-02-13T12:00:00+00:00", url="https://b.example.org/9"),
        _line("other", pages["variant_other_outlet.txt"]),
        _line("strike-same-day", page("قتلى من داعش في غارات على البوكمال", STRIKE_SAME_DAY),
              published="2018-02-13T16:00:00+00:00", url="https://c.example.org/3"),
        _line("strike-other", page("التحالف: دمرنا مستودعاً لداعش في البوكمال", STRIKE_OTHER),
              published="2018-02-14"),
        _line("no-title", pages["variant_no_title.txt"], published="2018-02-14"),       # unchanged: skipped
        _line("arrest", page("اعتقال خلية في الموصل", ARREST[:1]), published="2018-02-12"),  # changed: replaces
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def exports(store: Store) -> tuple[list[dict], list[dict]]:
    return list(article_records(store, with_text=True)), list(store.event_records())


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("in")
    return [str(SEEDS), str(build_jsonl(d / "news.jsonl"))]


@pytest.fixture(scope="module")
def single(inputs, tmp_path_factory):
    """What `rasd process` makes of the inputs (store, then export)."""
    store = Store(tmp_path_factory.mktemp("single") / "s.db")
    summary = process(inputs, store)
    out = exports(store)
    store.close()
    return summary, out


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import LocalCluster
    c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    yield c.scheduler_address
    c.close()


@pytest.fixture(scope="module")
def batch(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("batch") / "out"
    summary = run_batch(inputs, out, scheduler="local", workers=2, partition_size=3)
    return summary, out


def test_batch_equals_single_process(single, batch, tmp_path):
    (s_summary, (s_arts, s_evs)), (b_summary, out) = single, batch
    assert b_summary["partitions"] >= 5 and b_summary["workers"] == 2
    store = Store(tmp_path / "b.db")
    loaded = load_batch(out, store)
    b_arts, b_evs = exports(store)
    store.close()
    assert loaded["documents"] == loaded["new"] == len({a["doc"] for a in s_arts})
    # same articles (ids, paragraphs, duplicates, clusters, everything exported), same order
    assert [a["id"] for a in b_arts] == [a["id"] for a in s_arts]
    assert b_arts == s_arts
    dups = [(a["id"], a["duplicate_of"]) for a in s_arts if a["duplicate_of"]]
    assert dups == [(a["id"], a["duplicate_of"]) for a in b_arts if a["duplicate_of"]]
    assert ("strike-copy#1", "strike-1#1") in dups and len(dups) >= 3
    # same events, every export field including claim_group
    assert len(s_evs) > 20 and b_evs == s_evs
    assert b_summary["articles"] == len(s_arts) and b_summary["events"] == len(s_evs)
    assert b_summary["duplicates"] == len(dups)
    assert s_summary.unchanged == 1 and s_summary.updated == 1
    assert b_summary["unchanged"] == 1 and b_summary["updated"] == 1


def test_parquet_output_is_the_export_contract(single, batch):
    (_, (s_arts, s_evs)), (_, out) = single, batch
    arts = pq.read_table(out / "articles").to_pylist()
    evs = pq.read_table(out / "events").to_pylist()
    by_id = {a["id"]: a for a in arts}
    assert set(by_id) == {a["id"] for a in s_arts}
    for a in s_arts:
        b = by_id[a["id"]]
        assert (b["doc"], b["title"], b["duplicate_of"], b["dedup_cluster"]) == \
               (a["doc"], a["title"], a["duplicate_of"], a["dedup_cluster"])
        # the cross-outlet story, worked out over the whole batch: as the store's export gives it
        assert b["story"] == a["story"]
        assert b["paragraphs"] == [{"start": p["start"], "end": p["end"]} for p in a["paragraphs"]]
    ev_by_id = {e["id"]: e for e in evs}
    story_of = {a["id"]: a["story"] for a in s_arts}
    assert set(ev_by_id) == {e["id"] for e in s_evs}
    for e in s_evs:
        b = ev_by_id[e["id"]]
        for k in ("doc", "article", "type", "sub_type", "actor", "actor2", "fatalities", "date",
                  "date_precision", "claim_group"):
            assert b[k] == e[k], k
        assert json.loads(b["places"]) == e["places"]
        assert json.loads(b["sources"]) == e["sources"]
        assert (json.loads(b["count"]) if b["count"] else None) == e["count"]
        assert b["evidence"] == e["evidence"]
        assert b["story"] == story_of[e["article"]]
    assert story_of["strike-same-day#1"] == story_of["strike-1#1"] == "strike-1#1"   # two outlets, one story


def test_duplicate_pair_split_across_partitions_is_found(batch):
    _, out = batch
    where = {}
    for f in sorted((out / "documents").glob("part-*.parquet")):
        for d in pq.read_table(f, columns=["id"])["id"].to_pylist():
            where[d] = f.name
    assert where["strike-1"] != where["strike-copy"]
    arts = {a["id"]: a for a in pq.read_table(out / "articles").to_pylist()}
    assert arts["strike-copy#1"]["duplicate_of"] == "strike-1#1"
    assert arts["002_108b317acc99efb6.txt#2"]["duplicate_of"] == "000_958ecb03eb59d239.txt#2"
    # a duplicate's events are the original's: none of its own
    evs = pq.read_table(out / "events", columns=["article"])["article"].to_pylist()
    assert "strike-copy#1" not in evs and "strike-1#1" in evs


def test_load_is_idempotent(batch, tmp_path):
    _, out = batch
    store = Store(tmp_path / "b.db")
    first = load_batch(out, store)
    counts = store.counts()
    again = load_batch(out, store)
    assert again["new"] == again["updated"] == 0 and again["unchanged"] == first["documents"]
    assert store.counts() == counts
    store.close()


def test_bad_lines_are_rejects_and_the_partition_goes_on(tmp_path, cluster):
    good = page("اعتقال خلية في الموصل", ARREST)
    raw = b"\n".join([
        _line("ok-1", good).encode(),
        b'{"id": "broken", "text": "\xd9\x82\xd8\xb5\xd9\x81',          # cut short: not JSON
        _line("empty", "   ").encode(),                                    # no text
        b'{"id": "latin", "text": "caf\xe9 \xe0 la cr\xe8me \xff\xfe"}',    # not UTF-8
        b"[1, 2, 3]",                                                      # not an object
        _line("ok-2", page("غارات للتحالف على البوكمال", STRIKE)).encode(),
    ]) + b"\n"
    (tmp_path / "bad.jsonl").write_bytes(raw)
    s = run_batch([str(tmp_path / "bad.jsonl"), str(tmp_path / "missing.jsonl")], tmp_path / "out",
                  scheduler=cluster, partition_size=50)
    assert s["partitions"] == 1 and s["documents"] == 2 and s["articles"] == 2 and s["events"] > 0
    assert s["reject_reasons"] == {"json": 2, "empty": 1, "encoding": 1, "missing": 1}
    rejects = pq.read_table(tmp_path / "out" / "rejects").to_pylist()
    assert {(r["source"].rsplit("/", 1)[-1], r["reason"]) for r in rejects} == {
        ("bad.jsonl:2", "json"), ("bad.jsonl:3", "empty"), ("bad.jsonl:4", "encoding"),
        ("bad.jsonl:5", "json"), ("missing.jsonl", "missing")}
    assert all(r["detail"] for r in rejects)


def test_a_document_that_raises_is_a_reject(tmp_path, cluster, monkeypatch):
    """A failure inside the pipeline (here: on the driver, linking) rejects one document."""
    import rasd.batch as batch_mod

    real = batch_mod.link_articles

    def flaky(p, index):
        if p.doc.id == "boom":
            raise RuntimeError("kaboom")
        return real(p, index)

    monkeypatch.setattr(batch_mod, "link_articles", flaky)
    lines = [_line("a", page("اعتقال خلية في الموصل", ARREST)), _line("boom", page("غارات", STRIKE)),
             _line("c", page("غارات", STRIKE_OTHER))]
    (tmp_path / "x.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = run_batch([str(tmp_path / "x.jsonl")], tmp_path / "out", scheduler=cluster, partition_size=2)
    assert s["documents"] == 3 and s["reject_reasons"] == {"error": 1}
    r = pq.read_table(tmp_path / "out" / "rejects").to_pylist()
    assert r[0]["doc"] == "boom" and r[0]["detail"] == "RuntimeError: kaboom"
    assert sorted(pq.read_table(tmp_path / "out" / "documents")["id"].to_pylist()) == ["a", "c"]


def test_parquet_input_gives_the_same_articles_and_events(inputs, tmp_path, cluster):
    rows = [json.loads(x) for x in open(inputs[1], encoding="utf-8") if x.strip()]
    cols = ["id", "text", "html", "title", "url", "published"]
    table = pa.table({c: [r.get(c) for r in rows] for c in cols}, schema=pa.schema([(c, pa.string()) for c in cols]))
    pq.write_table(table, tmp_path / "news.parquet", row_group_size=4)
    a = run_batch([inputs[1]], tmp_path / "from_jsonl", scheduler=cluster, partition_size=3)
    b = run_batch([str(tmp_path / "news.parquet")], tmp_path / "from_parquet", scheduler=cluster,
                  partition_size=3)
    assert a["partitions"] == b["partitions"] == 4
    for t in ("articles", "events"):
        ta = pq.read_table(tmp_path / "from_jsonl" / t).to_pylist()
        tb = pq.read_table(tmp_path / "from_parquet" / t).to_pylist()
        assert ta == tb and ta
    docs = pq.read_table(tmp_path / "from_parquet" / "documents").to_pylist()
    assert {d["source"].rsplit("/", 1)[-1] for d in docs} >= {"news.parquet:1", "news.parquet:9"}


def test_out_dir_that_is_not_a_batch_is_refused(tmp_path, cluster):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "precious.txt").write_text("x")
    with pytest.raises(FileExistsError):
        run_batch([str(SEEDS)], tmp_path / "out", scheduler=cluster)
    assert (tmp_path / "out" / "precious.txt").exists()


def test_jsonl_cut_into_partitions_reads_as_the_whole_file(tmp_path):
    """Line ranges give the documents and rejects (sources, line numbers) of the whole
    file: blank lines, CRLF, a broken line, a raw U+2028 inside a JSON string."""
    from rasd.batch import plan, read_partition
    from rasd.ingest import read_inputs

    lines = [_line(f"d{i}", page(f"خبر {i}", [STRIKE[i % 4]])) for i in range(6)]
    lines[2] = lines[2].replace("،", "،\u2028", 1)
    text = lines[0] + "\n\n" + lines[1] + "\r\n" + lines[2] + "\n{bad\n" + "\n".join(lines[3:]) + "\n"
    (tmp_path / "x.jsonl").write_text(text, encoding="utf-8")

    def key(items):
        return [(type(i).__name__, i.source, getattr(i, "id", None), getattr(i, "reason", None),
                 getattr(i, "detail", None), getattr(i, "raw", None)) for i in items]

    whole = key(read_inputs([str(tmp_path / "x.jsonl")]))
    for size in (1, 2, 3):
        parts = plan([str(tmp_path / "x.jsonl")], size)
        assert len(parts) > 1
        assert key(i for p in parts for i in read_partition(p)) == whole


def test_few_partitions_are_evened_out_over_the_workers(tmp_path):
    """3 partitions on 2 workers leave one worker alone for a third of the run: 4 smaller
    ones read as the same documents; a count the workers share, or one that no size
    evens out, stays."""
    from rasd.batch import balanced, plan, read_partition

    lines = [_line(f"d{i}", page(f"خبر {i}", [STRIKE[i % 4]])) for i in range(11)]
    (tmp_path / "x.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    inputs = [str(tmp_path / "x.jsonl")]
    counts: list[int] = []
    parts = plan(inputs, 4, counts)
    assert counts == [4, 4, 3]
    even = balanced(inputs, parts, counts, 2)
    assert len(even) == 4
    ids = [d.id for p in even for d in read_partition(p)]
    assert ids == [d.id for p in parts for d in read_partition(p)] and len(ids) == 11
    assert balanced(inputs, parts, counts, 3) is parts          # 3 workers share 3 partitions
    many = plan(inputs, 1, [])
    assert balanced(inputs, many, [1] * 11, 2) is many           # 11 single documents: no size evens them
