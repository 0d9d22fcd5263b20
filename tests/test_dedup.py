"""Dedup: exact and near-duplicate articles, across documents and across runs."""
from __future__ import annotations

from rasd.dedup import is_duplicate, shingles, similar
from rasd.export import article_records
from rasd.lang.normalize import norm_key
from rasd.pipeline import process
from rasd.store import Store

from conftest import SEEDS

P1 = ("وصل وزير الخارجية إلى عمّان صباح الخميس في مستهل جولة إقليمية تشمل تركيا والعراق لبحث الأوضاع في "
      "سوريا بعد التطورات الأخيرة، وفق ما أفاد مسؤولون للصحافيين المرافقين له في الطائرة.")
P2 = ("وقال المسؤولون إن الوزير سيلتقي العاهل الأردني ووزير خارجيته في مدينة العقبة، قبل أن يتوجه في وقت "
      "لاحق من اليوم إلى أنقرة للقاء نظيره التركي وبحث ملف المقاتلين الأجانب والحدود المشتركة.")
P3 = ("ودعا الوزير إلى عملية سياسية شاملة لتشكيل حكومة انتقالية تضمن حماية الأقليات وتمنع عودة الفوضى، "
      "مؤكداً أن بلاده ستعمل مع الشركاء في المنطقة على دعم الاستقرار ومكافحة الإرهاب.")
P4 = ("وانتهت جولة الوزير السابقة من دون التوصل إلى اتفاق بشأن وقف إطلاق النار، في حين تستمر المحادثات "
      "بين الأطراف المعنية بوساطة إقليمية ودولية لم تسفر حتى الآن عن نتائج ملموسة.")
OTHER = ("قتل خمسة عناصر من الشرطة العراقية وأصيب ثلاثة آخرون مساء السبت بانفجار عبوة ناسفة استهدفت دوريتهم "
         "على الطريق الرابط بين كركوك وتكريت، بحسب مصدر أمني، فيما طوقت قوة أمنية المنطقة وبدأت عمليات تفتيش.")


def page(title, *paras):
    return "\n\n".join([title, *paras]) + "\n"


def run(tmp_path, files: dict[str, str]):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = Store(tmp_path / "t.db")
    process([str(folder)], store)
    arts = {a["doc"]: a for a in article_records(store)}
    store.close()
    return arts


def test_exact_copy_with_changed_headline_is_linked(tmp_path):
    arts = run(tmp_path, {"a.txt": page("الوزير في عمّان", P1, P2, P3, P4),
                          "b.txt": page("جولة الوزير تبدأ من الأردن", P1, P2, P3, P4)})
    assert arts["b.txt"]["duplicate_of"] == arts["a.txt"]["id"]
    assert arts["b.txt"]["dedup_cluster"] == arts["a.txt"]["dedup_cluster"] == arts["a.txt"]["id"]
    assert arts["a.txt"]["duplicate_of"] is None


def test_edited_sentence_and_diacritics_are_still_a_duplicate(tmp_path):
    edited = P2.replace("في مدينة العقبة", "في العاصمة الأردنية").replace("التركي", "التركيّ")
    arts = run(tmp_path, {"a.txt": page("الوزير في عمّان", P1, P2, P3, P4),
                          "b.txt": page("الوزير في عمّان", P1.replace("الخميس", "الخميس الماضي"), edited, P3,
                                        P4 + " وأضاف مسؤول أن الجولة ستستمر ثلاثة أيام.")})
    assert arts["b.txt"]["duplicate_of"] == arts["a.txt"]["id"]


def test_truncated_republication_is_a_duplicate(tmp_path):
    arts = run(tmp_path, {"a.txt": page("الوزير في عمّان", P1, P2, P3, P4),
                          "b.txt": page("الوزير في عمّان", P1, P2, P3)})
    assert arts["b.txt"]["duplicate_of"] == arts["a.txt"]["id"]


def test_different_articles_are_not_linked(tmp_path):
    arts = run(tmp_path, {"a.txt": page("الوزير في عمّان", P1, P2, P3, P4),
                          "b.txt": page("انفجار في كركوك", OTHER, P4)})
    assert arts["b.txt"]["duplicate_of"] is None
    assert arts["b.txt"]["dedup_cluster"] != arts["a.txt"]["dedup_cluster"]


def test_duplicates_are_found_across_runs_against_the_store(tmp_path):
    db = tmp_path / "x.db"
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "a.txt").write_text(page("الوزير في عمّان", P1, P2, P3, P4), encoding="utf-8")
    (tmp_path / "two" / "b.txt").write_text(page("الوزير", P1, P2, P3, P4.replace("الأطراف", "الجهات")),
                                            encoding="utf-8")
    s = Store(db)
    process([str(tmp_path / "one")], s)
    s.close()
    s = Store(db)
    summary = process([str(tmp_path / "two")], s)
    arts = {a["doc"]: a for a in article_records(s)}
    assert summary.duplicates == 1
    assert arts["b.txt"]["duplicate_of"] == arts["a.txt"]["id"]


def test_thresholds_on_shingles():
    a = shingles(norm_key(" ".join([P1, P2, P3, P4])))
    b = shingles(norm_key(" ".join([P1, P2, P3])))
    c = shingles(norm_key(" ".join([OTHER, P4])))
    assert is_duplicate(a, b)
    j, cont = similar(a, c)
    assert not is_duplicate(a, c) and j < 0.6 and cont < 0.8
    # two short briefs that share a sentence are not collapsed unless identical
    assert not is_duplicate(shingles("قتل خمسة"), shingles("قتل ستة"))


def test_seed_blinken_article_is_one_cluster_with_two_links(seed_articles):
    blinken = [a for a in seed_articles if a["title"] and a["title"].startswith("بلينكن في الأردن")]
    assert len(blinken) == 3
    assert len({a["dedup_cluster"] for a in blinken}) == 1
    first = min(blinken, key=lambda a: a["doc"])
    assert first["duplicate_of"] is None
    assert sorted(a["duplicate_of"] for a in blinken if a is not first) == [first["id"]] * 2
    others = [a for a in seed_articles if a not in blinken]
    assert all(a["duplicate_of"] is None for a in others)


# ---- MinHash and LSH: written out in rasd.dedup, checked against datasketch (a test
# dependency only: importing it costs 0.8 s of scipy at start-up)

def _shingle_sets():
    import numpy as np
    rng = np.random.RandomState(7)
    yield np.zeros(0, dtype=np.uint64)
    yield np.array([5], dtype=np.uint64)
    yield shingles(norm_key((SEEDS / "004_dc33664b38d03477.txt").read_text(encoding="utf-8")))
    yield np.unique(rng.randint(0, 1 << 32, 9000, dtype=np.uint64))   # more than one block


def test_signature_is_datasketch_affine32_bit_for_bit():
    import numpy as np
    from datasketch import MinHash
    from rasd.dedup import NUM_PERM, SCHEME, SEED, signature
    for sh in _shingle_sets():
        m = MinHash(num_perm=NUM_PERM, scheme=SCHEME, seed=SEED, hashfunc=int)
        m.update_batch(sh.tolist())
        ours = signature(sh)
        assert ours.shape == (NUM_PERM,)
        assert np.array_equal(ours.astype(np.uint64), m.hashvalues.astype(np.uint64))


def test_lsh_bands_are_datasketch_optimum_and_candidates_agree():
    import numpy as np
    from datasketch import MinHash, MinHashLSH as DSLSH
    from rasd.dedup import BANDS, LSH_THRESHOLD, NUM_PERM, ROWS, SCHEME, MinHashLSH, signature
    ds = DSLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert (ds.b, ds.r) == (BANDS, ROWS)
    rng = np.random.RandomState(3)
    base = np.unique(rng.randint(0, 1 << 32, 400, dtype=np.uint64))
    ours = MinHashLSH()
    sigs = {}
    # variants of one set at falling overlap, and unrelated sets
    for k in range(12):
        keep = base[: len(base) - 30 * k]
        extra = rng.randint(0, 1 << 32, 30 * k, dtype=np.uint64)
        sigs[f"v{k}"] = signature(np.unique(np.concatenate([keep, extra])))
    for k in range(5):
        sigs[f"u{k}"] = signature(np.unique(rng.randint(0, 1 << 32, 400, dtype=np.uint64)))
    for key, hv in sigs.items():
        ours.insert(key, hv)
        ds.insert(key, MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashvalues=hv))
    q = signature(base)
    got = ours.query(q)
    assert set(got) == set(ds.query(MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashvalues=q)))
    assert "v0" in got and "v1" in got and not any(k.startswith("u") for k in got)
    assert got == sorted(got, key=list(sigs).index)      # in insertion order
    assert "v0" in ours and len(ours) == len(sigs)
