"""The learned decision: candidates keep the rules' vetoes as cues, the model decides and
gives a confidence, repeats fold into the first telling, exports and the API carry the
confidence, and `rasd train` rebuilds the shipped model from the labels."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import warnings

import pytest

from rasd import PIPELINE_VERSION
from rasd.clean import split_articles
from rasd.events import extract_events, propose
from rasd.events.decision import ModelDecision, RuleDecision, current_decision
from rasd.events.grouping import fold_repeats, pair_features
from rasd.events.model import Model, feature_hashes, feature_index, load_all, resubtype, retype
from rasd.export import geojson_feature
from rasd.ingest import make_document

from conftest import ROOT, SHARED

MODEL = ROOT / "rasd" / "events" / "model.json"


def doc_of(text: str, published: str = "2018-03-10"):
    return make_document("t.txt", text, kind="text", source="t.txt", published=published)


def events_of(text: str, decision=None, published: str = "2018-03-10"):
    doc = doc_of(text, published)
    return [e for a in split_articles(doc) for e in extract_events(doc, a, decision=decision)]


def candidates_of(text: str):
    doc = doc_of(text)
    return [e for a in split_articles(doc) for _, _, cands, _, _ in propose(doc, a, keep_all=True) for e in cands]


# ------------------------------------------------------------------ the model file


def test_the_shipped_model_is_small_and_part_of_the_pipeline_version():
    assert MODEL.stat().st_size < 2_000_000
    d = json.loads(MODEL.read_text("utf-8"))
    assert {"decision", "fold"} <= set(d) and any(k.startswith("type:") for k in d)
    assert 0.05 < d["decision"]["threshold"] < 0.95
    assert hashlib.sha1(MODEL.read_bytes()).hexdigest()[:10] in PIPELINE_VERSION


def test_the_model_is_the_default_decision(monkeypatch):
    assert current_decision().name == "model"
    monkeypatch.setenv("RASD_DECISION", "rules")
    assert current_decision().name == "rules"
    monkeypatch.setenv("RASD_DECISION", "oracle")
    with pytest.raises(ValueError, match="unknown decision"):
        current_decision()


def test_model_scores_hashed_features_like_a_logistic_regression():
    m = Model({feature_index("a", 8): 2.0, feature_index("b", 8): -1.0}, 0.5, 8, 0.5, {})
    assert m.score(["a", "b", "a"]) == pytest.approx(1.5)       # a feature counts once
    assert m.probability(["a"]) == pytest.approx(1 / (1 + 2.718281828 ** -2.5), rel=1e-6)
    assert m.score_hashes(feature_hashes(["a", "zzz"])) == pytest.approx(2.5)
    back = Model.from_json(m.to_json())
    assert back.score(["a", "b"]) == pytest.approx(m.score(["a", "b"]))


def test_type_models_scored_together_give_the_floats_of_each_model_alone():
    # retype and resubtype score the shipped one-vs-rest models in one numpy gather: the
    # same additions in the same order as Model.score_hashes, so the same floats
    models = load_all()
    feats = [w for w in STRIKE.split()] + ["bias_type=battles", "sub=armed_clash", "nocue", "actor=yes",
                                           "stance=assert", "sw=غارات", "sb=في_غارات", "tw=قتل"]
    hashes = feature_hashes(feats)
    from rasd.events.model import _Stack
    for prefix in ("type:", "sub:movement:", "sub:explosions_remote_violence:"):
        ms = tuple(m for k, m in models.items() if k.startswith(prefix))
        assert len(ms) > 1
        assert _Stack.of(ms).scores(hashes) == [m.score_hashes(hashes) for m in ms]
        assert _Stack.of(ms).scores(set()) == [m.bias for m in ms]

    def slow(ms, current, minimum):
        best, p = max(((n, m.probability_hashes(hashes)) for n, m in ms.items()), key=lambda x: x[1])
        return best if p >= minimum else current
    types = {k.split(":", 1)[1]: m for k, m in models.items() if k.startswith("type:")}
    assert retype(models, feats, "protests") == slow(types, "protests", 0.6)
    subs = {k.split(":")[2]: m for k, m in models.items() if k.startswith("sub:movement:")}
    assert resubtype(models, hashes, "movement", "x") == slow(subs, "x", 0.5)
    # models of different widths are scored one by one
    a = Model({3: 1.0}, 0.25, 4, 0.5, {})
    b = Model({300: -2.0}, 0.5, 10, 0.5, {})
    assert _Stack.of((a, b)).scores({3, 300, 19}) == [a.score_hashes({3, 300, 19}), b.score_hashes({3, 300, 19})]
    c = Model({3: 1.0, 5000: 9.0}, 0.25, 4, 0.5, {})     # a weight beyond its width counts for nothing
    assert _Stack.of((a, c)).scores({3, 5000}) == [a.score_hashes({3, 5000}), c.score_hashes({3, 5000})] == [1.25, 1.25]


# ------------------------------------------------------------------ candidates and the decision

BACKGROUND = "وكانت قوات سوريا الديمقراطية قد سيطرت على مدينة الرقة في أكتوبر من العام الماضي بعد معارك عنيفة."
PLAN = "وتتأهب قوات النظام لشن هجوم واسع على مواقع المعارضة في ريف درعا الشرقي خلال الأيام المقبلة."
STRIKE = ("قتل 12 مدنيا على الأقل، السبت، في غارات جوية شنتها طائرات حربية على بلدة حمورية في الغوطة الشرقية، "
          "بحسب المرصد السوري لحقوق الإنسان.")


def test_what_the_rules_veto_is_a_candidate_with_its_reasons():
    [cand] = candidates_of(PLAN)
    assert cand.type == "battles" and cand.cues == ("future",)       # «لشن هجوم ... خلال الأيام المقبلة»
    assert events_of(PLAN, decision=RuleDecision()) == []


ARTICLE = "\n".join([STRIKE, BACKGROUND, PLAN])


def test_in_an_article_the_model_keeps_the_strike_and_drops_background_and_plan():
    # «وكانت ... قد سيطرت ... في أكتوبر من العام الماضي»: no cue of the rules fires, they store it
    assert "battles" in [e.type for e in events_of(ARTICLE, decision=RuleDecision())]
    dec = ModelDecision()
    evs = events_of(ARTICLE, decision=dec)
    assert [e.type for e in evs] == ["explosions_remote_violence"], [(e.type, e.evidence_text) for e in evs]
    [e] = evs
    assert e.sub_type == "air_drone_strike" and e.fatalities == 12
    assert dec.threshold <= e.confidence <= 1.0


def test_a_lower_threshold_keeps_more_and_never_fewer():
    text = BACKGROUND + " " + PLAN + " " + STRIKE
    strict = events_of(text, decision=ModelDecision(threshold=0.9))
    loose = events_of(text, decision=ModelDecision(threshold=0.05))
    assert len(loose) > len(strict)
    assert {e.trigger.start for e in strict} <= {e.trigger.start for e in loose}


# ------------------------------------------------------------------ repeats fold into the first telling

TOLD_AGAIN = ("قتل 15 مدنيا في غارات جوية على بلدة كفربطنا في الغوطة الشرقية صباح اليوم. وقال المرصد إن الغارات "
              "استهدفت أحياء سكنية في كفربطنا وأدت إلى مقتل 15 مدنيا.")


def test_a_strike_told_again_is_stored_once():
    evs = events_of(TOLD_AGAIN)
    assert len(evs) == 1, [(e.type, e.evidence_text) for e in evs]
    [e] = evs
    assert e.type == "explosions_remote_violence" and e.fatalities == 15
    assert "المرصد" not in e.evidence_text                     # the first telling is the one kept
    raw = doc_of(TOLD_AGAIN).raw
    assert all(raw[m["start"]:m["end"]] == m["text"] for m in e.mentions)
    assert len(events_of(TOLD_AGAIN, decision=RuleDecision())) >= 2     # the rules stored it twice


def _ev(doc, start, typ="explosions_remote_violence", sources=(), places=(), fatalities=None):
    from rasd.records import Claim, Event, Span
    return Event(id=f"e{start}", doc=doc, article=doc, type=typ, sub_type=None, evidence=Span(start, start + 5),
                 evidence_text="xxxxx", trigger=Span(start, start + 3), sources=[Claim(s, "assert") for s in sources],
                 places=list(places), fatalities=fatalities, sentence=Span(start, start + 10))


class _Always:
    threshold = 0.5

    def probability(self, feats):
        return 1.0


def test_another_sources_retelling_is_a_claim_of_its_own_in_the_same_group_and_a_denial_never_folds():
    from rasd.events.grouping import assign_groups
    raw = "x" * 100
    a, b = _ev("d", 0, fatalities=5), _ev("d", 20, sources=["المرصد"], fatalities=9)
    c, d = _ev("d", 40, sources=["سانا"]), _ev("d", 60, sources=["وزارة الدفاع الروسية"])
    d.stance = "deny"
    out = fold_repeats([a, b, c, d], raw, [], model=_Always())
    assert [e.id for e in out] == ["e0", "e40", "e60"]          # b folded into a (a names no source)
    assert [s.name for s in a.sources] == ["المرصد"] and a.fatalities == 9 and len(a.mentions) == 1
    assert c.same_as == "e0" and d.same_as is None
    assign_groups(out, lambda *args: [])
    # the denial stays a claim of its own (not folded) in the group of the claim it answers
    assert c.claim_group == a.claim_group == d.claim_group == "e0"


def test_pair_features_see_type_place_and_source():
    from rasd.records import Place
    raw = "x" * 100
    p = Place(name="دوما", lat=33.57, lon=36.4, country="SY", precision="town", gazetteer_id="gn:1", start=0, end=4, text="دوما")
    a = _ev("d", 0, places=[p])
    b = _ev("d", 20, typ="battles", places=[p])
    f = pair_features(a, b, raw, {0: 0, 20: 1})
    assert "same_type=False" in f and "places=share" in f and "towns=share" in f and "sources=none" in f


# ------------------------------------------------------------------ exports and the API


def test_exports_carry_the_confidence(seed_store):
    store = seed_store[0]
    recs = list(store.event_records())
    assert recs and all(0 < r["confidence"] <= 1 for r in recs if r["trigger"] is not None)
    rows = list(csv.DictReader(io.StringIO(_csv(recs))))
    assert rows and all(row["confidence"] != "" for row, r in zip(rows, recs) if r["confidence"] is not None)
    feats = [geojson_feature(r) for r in recs]
    assert any(f and f["properties"]["confidence"] for f in feats)


def _csv(recs) -> str:
    from rasd.export import write_csv
    out = io.StringIO()
    write_csv(recs, out)
    return out.getvalue()


def test_api_filters_by_confidence(seed_store):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from rasd.api import create_app
    with TestClient(create_app(seed_store[2]), base_url="http://localhost") as c:
        everything = c.get("/api/events", params={"limit": 500}).json()
        confs = sorted(e["confidence"] for e in everything["items"] if e.get("confidence") is not None)
        cut = confs[len(confs) // 2]
        some = c.get("/api/events", params={"limit": 500, "min_confidence": cut}).json()
        assert 0 < some["total"] < everything["total"]
        assert all(e["confidence"] >= cut for e in some["items"])
        r = c.get("/api/events", params={"min_confidence": 1.5})
        assert r.status_code == 400 and r.json()["error"]["param"] == "min_confidence"


# ------------------------------------------------------------------ labels and training

LABELS = ROOT / "labels" / "ant.mentions.jsonl"
ANT = SHARED / "corpora" / "ant-news-syria-iraq" / "ant_v2.1_middleEast_syria_iraq.jsonl"


@pytest.mark.parametrize("path", [LABELS, ROOT / "labels" / "round2" / "ant.mentions.jsonl"], ids=["round1", "round2"])
def test_the_labels_hold_ids_and_offsets_only(path):
    rows = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    assert len(rows) >= 3000 and len({r["doc"] for r in rows}) >= 400
    for r in rows:
        assert r["id"] == f"{r['doc']}@{r['start']}-{r['end']}"
        assert set(r) <= {"id", "doc", "start", "end", "real", "reason", "type", "sub_type", "repeat_of",
                          "stance", "labeller"}
        assert r["real"] or r["reason"]
        if r["reason"] == "repeat":
            assert r["repeat_of"] is None or r["repeat_of"].startswith(r["doc"] + "@")


def test_the_third_round_holds_ids_and_offsets_and_its_second_reading_agrees():
    r3 = ROOT / "labels" / "round3"
    rows = [json.loads(x) for x in (r3 / "ant.mentions.jsonl").read_text("utf-8").splitlines() if x.strip()]
    assert len(rows) >= 1500 and len({r["doc"] for r in rows}) >= 200
    first = {r["id"]: r for r in rows}
    for r in rows:
        assert r["id"] == f"{r['doc']}@{r['start']}-{r['end']}"
        assert r["real"] or r["reason"]
        assert r["repeat_of"] is None or r["repeat_of"].startswith(r["doc"] + "@")
    double = [json.loads(x) for x in (r3 / "ant.double.jsonl").read_text("utf-8").splitlines() if x.strip()]
    pairs = [(first[d["id"]]["real"], d["real"]) for d in double]
    assert len(pairs) >= 100 and all(d["labeller"] != d["first_labeller"] for d in double)
    # Cohen's kappa on `real` between the two readings (labels/README.md reports it)
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    pa, pb = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    kappa = (po - (pa * pb + (1 - pa) * (1 - pb))) / (1 - (pa * pb + (1 - pa) * (1 - pb)))
    assert kappa >= 0.8
    # no article of the third round was labelled before
    before = {json.loads(x)["doc"] for p in (LABELS, ROOT / "labels" / "round2" / "ant.mentions.jsonl")
              for x in p.read_text("utf-8").splitlines() if x.strip()}
    assert not before & {r["doc"] for r in rows}


def test_splits_are_by_document_and_fixed():
    from rasd.events.dataset import split_of
    docs = sorted({json.loads(x)["doc"] for x in LABELS.read_text("utf-8").splitlines() if x.strip()})
    splits = [split_of(d) for d in docs]
    assert splits == [split_of(d) for d in docs]
    n = len(docs)
    assert 0.5 < splits.count("train") / n < 0.7 and 0.1 < splits.count("test") / n < 0.3


@pytest.mark.skipif(not ANT.exists(), reason="the ANT corpus is not in ../shared beside this checkout")
def test_rasd_train_rebuilds_the_shipped_model(tmp_path):
    pytest.importorskip("sklearn", reason="rasd train needs scikit-learn (pip install '.[train]')")
    import subprocess
    import sys
    out = tmp_path / "model.json"
    # a fresh interpreter, as a user runs it (other tests leave caches of their own behind)
    res = subprocess.run([sys.executable, "-m", "rasd.cli", "train", "-o", str(out), "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    figures = json.loads(res.stdout)
    assert figures["candidates"]["proposed_now"] >= 0.95 * figures["candidates"]["labelled"]
    assert figures["dev"]["strict_f1"] > figures["rules"]["dev"]["strict_f1"]
    # the precision-weighted rule is reported beside: on dev it is at least as good by F0.5
    from rasd.events.train import f_beta
    alt = figures["precision_rule"]
    assert f_beta(alt["dev"], 0.5) >= f_beta(figures["dev"], 0.5) - 1e-9 and 0.05 < alt["threshold"] < 0.95
    assert {"train_cv", "gsr_cv"} <= set(alt)
    # the same model (the last digits of a float may move with the machine's maths library)
    new, shipped = json.loads(out.read_text("utf-8")), json.loads(MODEL.read_text("utf-8"))
    assert set(new) == set(shipped)
    for name in shipped:
        a, b = new[name], shipped[name]
        assert a["threshold"] == b["threshold"] and abs(a["bias"] - b["bias"]) < 1e-3, name
        keys = set(a["weights"]) | set(b["weights"])
        assert len(set(a["weights"]) ^ set(b["weights"])) <= 0.002 * len(keys), name
        assert all(abs(a["weights"].get(k, 0) - b["weights"].get(k, 0)) < 0.03 for k in keys), name


def test_f_beta_weighs_precision_when_beta_is_below_one():
    from rasd.events.train import f_beta
    precise, broad = {"strict_precision": 0.8, "recall": 0.4}, {"strict_precision": 0.4, "recall": 0.8}
    assert f_beta(precise, 1.0) == pytest.approx(f_beta(broad, 1.0)) == pytest.approx(2 * 0.32 / 1.2)
    assert f_beta(precise, 0.5) > f_beta(broad, 0.5)
    assert f_beta({"strict_precision": 0.0, "recall": 0.0}, 0.5) == 0.0


def test_rasd_train_says_what_is_missing(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from rasd.cli import main
    monkeypatch.setenv("RASD_SHARED", str(tmp_path / "nowhere"))
    res = CliRunner().invoke(main, ["train", "-o", str(tmp_path / "m.json")])
    assert res.exit_code != 0 and "shared corpora" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "m.json").exists()


def test_no_event_names_one_side_as_both_doer_and_acted_on(seed_store):
    recs = list(seed_store[0].event_records())
    assert recs and not [r["id"] for r in recs if r["actor"] and r["actor"] == r["actor2"]]


# ------------------------------------------------------------------ the threshold rule, one-sentence documents


def _per(pooled: dict[float, tuple[int, int]], articles: int = 40) -> dict:
    """Per-article counts (found, stored, 5 happenings each) whose pooled (found, stored) at
    each threshold are ``pooled[t]``; the articles differ (a fixed draw, the same articles rich
    or poor at every threshold), as dev articles do."""
    import random
    weight = [random.Random(7 + i).random() + 0.2 for i in range(articles)]
    per = {}
    for t, (found, stored) in pooled.items():
        per[t] = {}
        rest_f, rest_s = found, stored
        for i in range(articles):
            share = weight[i] / sum(weight[i:])
            f = min(5, round(rest_f * share)) if i < articles - 1 else rest_f
            s_ = max(f, round(rest_s * share)) if i < articles - 1 else rest_s
            per[t][f"a{i}"] = (f, s_, 5)
            rest_f, rest_s = rest_f - f, rest_s - s_
    return per


def test_the_one_standard_error_rule_takes_the_highest_threshold_dev_cannot_tell_from_the_best():
    from rasd.events.train import one_se_threshold
    # 200 happenings: F1 0.595 at 0.2, 0.594 at 0.24, 0.576 at 0.3, then falling
    flat = {0.2: (110, 170), 0.24: (104, 150), 0.3: (98, 140), 0.4: (60, 80), 0.5: (30, 35)}
    rule = one_se_threshold(_per(flat), resamples=200, seed=1)
    assert rule["best_threshold"] == 0.2 and rule["se"] > 0.02
    assert rule["threshold"] == 0.3 and rule["f1"] >= rule["best_f1"] - rule["se"]
    # a sharp best: nothing else within one error
    sharp = {0.2: (150, 180), 0.3: (60, 80), 0.4: (30, 35)}
    assert one_se_threshold(_per(sharp), resamples=200, seed=1)["threshold"] == 0.2
    # the same counts give the same choice (a fixed seed)
    assert one_se_threshold(_per(flat), resamples=200, seed=1) == rule


def test_a_one_sentence_document_has_every_feature_twice_the_copy_apart():
    from rasd.events.dataset import doc_mentions
    from rasd.events.features import ONE_SENTENCE
    one = make_document("t.txt", "قصفت طائرات حربية بلدة كفرنبل في ريف إدلب أمس.", kind="text", source="t.txt",
                        published="2018-04-10")
    two = make_document("t.txt", "قصفت طائرات حربية بلدة كفرنبل في ريف إدلب أمس. وقال المرصد إن القصف أوقع قتلى.",
                        kind="text", source="t.txt", published="2018-04-10")
    [m] = [m for m in doc_mentions(one) if m.event.type == "explosions_remote_violence"]
    plain = [f for f in m.features if not f.startswith(ONE_SENTENCE)]
    assert plain and sorted(ONE_SENTENCE + f for f in plain) == sorted(f for f in m.features if f.startswith(ONE_SENTENCE))
    assert not any(f.startswith(ONE_SENTENCE) for m2 in doc_mentions(two) for f in m2.features)


def test_a_sub_type_model_makes_no_chemical_attack_in_an_article_that_names_none():
    # («الهجوم» was learned from the many tellings of the Douma attack)
    text = "أدانت فرنسا الهجوم الذي نفذه تنظيم داعش على مدينة الرقة. وقتل خمسة مدنيين في قصف على بلدة الميادين أمس."
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-07-01")
    evs = [e for a in split_articles(doc) for e in extract_events(doc, a, decision=ModelDecision(threshold=0.0))]
    assert evs and not any(e.sub_type == "chemical_weapon" for e in evs)
    # ... and keeps it where the article says so
    text = "قال ناشطون إن هجوما بغاز الكلور استهدف مدينة دوما مساء السبت. وأدانت فرنسا الهجوم بشدة."
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-04-09")
    evs = [e for a in split_articles(doc) for e in extract_events(doc, a, decision=ModelDecision(threshold=0.0))]
    assert any(e.sub_type == "chemical_weapon" for e in evs)
