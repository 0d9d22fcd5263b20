"""Events: detection, non-events, arguments, attribution, claim groups, spans, exports."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from rasd.clean import split_articles
from rasd.evaluate import score_events
from rasd.events import extract_events
from rasd.events.decision import ModelDecision, RuleDecision
from rasd.export import article_records, event_rows, geojson_feature
from rasd.ingest import make_document

from conftest import GOLD, PAGES, ROOT, SEEDS, SHARED, load_jsonl

RULES = RuleDecision()
FLOOR = json.loads((ROOT / "tests" / "quality_floor.json").read_text("utf-8"))["events"]


def events_of(text: str, published: str | None = "2017-10-20", decision=None):
    """The events of one text. The tests of arguments, attribution and candidate types
    read what the rules propose (the ``rules`` decision keeps every candidate without a
    cue); what the learned decision keeps is tested in test_decision.py."""
    doc = make_document("t.txt", text, kind="text", source="t.txt", published=published)
    out = []
    for a in split_articles(doc):
        out.extend(extract_events(doc, a, decision=decision or RULES))
    return out


@pytest.fixture(scope="module")
def seed_events(seed_store):
    store, _, _ = seed_store
    return list(store.event_records())


# ------------------------------------------------------------------ quality gate

def test_seed_events_meet_the_floor(seed_events):
    res = score_events(load_jsonl(GOLD / "seeds.events.jsonl"), seed_events)
    assert res["f1"] >= FLOOR["f1"], res
    assert res["recall"] >= FLOOR["recall"] and res["precision"] >= FLOOR["precision"]
    assert res["strict_precision"] >= FLOOR["strict_precision"], res
    assert res["contradictions"]["found"] >= FLOOR["contradictions"]
    for name, floor in FLOOR["fields"].items():
        assert res["fields"][name]["acc"] >= floor, (name, res["fields"][name])


def test_our_event_scorer_agrees_with_the_shared_scorer(seed_events, tmp_path):
    score_py = SHARED / "eval" / "score.py"
    if not score_py.exists():
        pytest.skip("../shared/eval/score.py is not beside this checkout")
    pred = tmp_path / "events.jsonl"
    pred.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in seed_events), "utf-8")
    out = subprocess.run([sys.executable, str(score_py), "events", str(GOLD / "seeds.events.jsonl"), str(pred),
                          "--json"], capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    ours = score_events(load_jsonl(GOLD / "seeds.events.jsonl"), seed_events)
    for k in ("tp", "fp", "fn", "precision", "recall", "f1", "contradictions"):
        assert ours[k] == theirs[k], k
    assert {k: v["correct"] for k, v in ours["fields"].items()} == \
           {k: v["correct"] for k, v in theirs["fields"].items()}


def test_event_scorer_can_fail(seed_events):
    wrong = [dict(e, type="protests") for e in seed_events]
    assert score_events(load_jsonl(GOLD / "seeds.events.jsonl"), wrong)["tp"] == 0


def test_duplicate_articles_give_no_events_of_their_own(seed_store, seed_events):
    store, _, _ = seed_store
    dups = {a["id"] for a in article_records(store) if a["duplicate_of"]}
    assert dups and not any(e["article"] in dups for e in seed_events)


# ------------------------------------------------------------------ trigger words that are not events

NON_EVENTS = {
    "forecast": "يتوقع المتحدث باسم الجيش أن تنتهي عملية تحرير مدينة تلعفر من عناصر داعش خلال أسبوع واحد.",
    "future_window": "وتحدثت مصادر عن اقتحام مركز مدينة القائم من قبل القوات العراقية خلال 48 ساعة المقبلة.",
    "plan": "وتخطط القوات الحكومية لشن هجوم واسع على مواقع التنظيم في ريف دير الزور الشرقي الشهر المقبل.",
    "call": "دعا المجلس المحلي في محافظة الأنبار إلى إجلاء العائلات المحاصرة من مدينة الرمادي فوراً.",
    "threat": "وهدد قائد الفصيل المسلح بشن هجمات على القوات التركية في منطقة عفرين إذا استمر القصف.",
    "negation": "وقال مسؤول محلي إن طائرات التحالف لم تقصف القافلة التي تقل المدنيين قرب مدينة البوكمال.",
    "conditional": "وأضاف أنه إذا سيطر التنظيم على الطريق الدولي فإن آلاف المدنيين سيكونون في خطر كبير.",
    "question": "هل تنجح القوات العراقية في استعادة السيطرة على مدينة القائم من تنظيم داعش قبل نهاية العام؟",
    "standing": "ويسيطر تنظيم داعش على نحو 80 في المائة من مساحة محافظة دير الزور منذ عام 2014 بحسب التقديرات.",
    "metaphor": "وانتقد الكاتب ما وصفه بالهجوم على الحريات الصحافية في البلاد خلال الأشهر الأخيرة من العام.",
    "background": "وجاءت تصريحاته بعد تحرير مدينة الموصل بالكامل وعودة آلاف النازحين إلى منازلهم هناك أخيرا.",
    "purpose": "ونصبت القيادة جسوراً عائمة على النهر لاقتحام مدينة القائم الحدودية مع سوريا في وقت قريب.",
    "defused": "وتمكنت الفرق الهندسية من تفكيك عبوة ناسفة مزروعة على جانب الطريق الرئيسي جنوب كركوك صباح اليوم.",
    "opinion": "ويرى محللون أن انسحاب المقاتلين من المدينة قد يفتح الطريق أمام تسوية سياسية في المنطقة.",
    "relayed": "ونقلت رويترز عن مسؤول أميركي قوله إن القوات الأميركية باقية في سوريا.",
    "arms_transfer": "وتتهم واشنطن طهران بنقل أسلحة متطورة إلى حلفائها في المنطقة منذ سنوات.",
    "to_hospital": "وقال مسؤول في الصحة إن المصابين نقلوا إلى المستشفى الجمهوري لتلقي العلاج.",
    "return_as_topic": "وأكد الوزير أن الأولوية في المرحلة المقبلة هي لإعادة الإعمار وعودة اللاجئين إلى بلادهم.",
    "political_exit": "وقال مسؤولون إن انسحاب الولايات المتحدة من الاتفاق النووي الإيراني أثار غضب طهران.",
    "aid": "ودخلت قافلة مساعدات إنسانية تابعة للأمم المتحدة إلى مدينة دوما المحاصرة صباح اليوم.",
    "reported_by": "وأكد وزير الدفاع الروسي أن القوات الروسية باقية في قاعدة حميميم، وفقاً لما نقلته وكالة الأنباء الروسية الرسمية.",
}


@pytest.mark.parametrize("kind", sorted(NON_EVENTS))
def test_trigger_words_that_report_no_event(kind):
    assert events_of(NON_EVENTS[kind]) == [], kind


def test_the_learned_decision_on_the_same_lines():
    # one-sentence documents, written to test the rules' cues: the model, which weighs
    # the cues among other features and learned from whole articles, still stores an
    # event for 5 of them (plan, call, question, defused, aid: 2026-12-07); for 2 (question,
    # defused) since it reads one-sentence documents apart (stop 28, `1s:`); a floor
    kept = sorted(k for k, text in NON_EVENTS.items() if events_of(text, decision=ModelDecision()))
    assert len(kept) <= 2, kept


@pytest.mark.parametrize("text,type_,sub_type", [
    ("وأرسلت القيادة تعزيزات عسكرية كبيرة إلى مدينة القائم الحدودية مع سوريا مساء أمس.",
     "movement", "relocation"),
    ("أعلنت قيادة العمليات المشتركة أن القوات العراقية حررت مدينة تلعفر بالكامل من عناصر تنظيم داعش.",
     "battles", "government_regains_territory"),
    ("وقصفت طائرات التحالف الدولي مواقع لتنظيم داعش في مدينة البوكمال صباح أمس الأحد.",
     "explosions_remote_violence", "air_drone_strike"),
    ("وقال مصدر أمني إن قوة أمنية اعتقلت خمسة عناصر من تنظيم داعش في قضاء الحويجة جنوب كركوك.",
     "strategic_developments", "arrests"),
    ("وأفاد شهود بأن مسلحين مجهولين اختطفوا ثلاثة مدنيين من قرية قرب مدينة الرمادي مساء الجمعة.",
     "violence_against_civilians", "abduction_forced_disappearance"),
    ("ونزحت مئات العائلات المدنية من بلدة هجين باتجاه مخيمات شرق الفرات هرباً من المعارك الدائرة هناك.",
     "movement", "displacement"),
    ("وأكد المصدر أن القوات العراقية أجلت المدنيين من أحياء مدينة القائم إلى مخيمات في الرمادي.",
     "movement", "evacuation"),
    ("وشهدت مدينة القائم عودة 300 عائلة نازحة إلى منازلها أمس.", "movement", "relocation"),
])
def test_events_are_found_and_typed(text, type_, sub_type):
    evs = events_of(text)
    assert any(e.type == type_ and e.sub_type == sub_type for e in evs), [(e.type, e.sub_type) for e in evs]


# ------------------------------------------------------------------ arguments and attribution

def test_movement_origin_destination_via_count_actor_date():
    text = ("قال مصدر أمني عراقي أمس إن نحو 300 من مقاتلي تنظيم داعش هربوا من مدينة القائم باتجاه مدينة "
            "البوكمال السورية عبر منفذ حصيبة الحدودي.")
    [e] = [e for e in events_of(text) if e.type == "movement"]
    roles = {p.role: p.name for p in e.places}
    assert e.sub_type == "flight" and e.actor == "isis"
    assert roles.get("origin") == "القائم" and roles.get("destination", "").startswith("البوكمال")
    assert e.count.value == 300 and e.count.approx
    # «قال مصدر ... أمس إن»: yesterday is when the source spoke; the flight has no day of its
    # own and is dated by the report (labelling guidelines, arguments decision 5)
    assert e.date == "2017-10-20" and e.date_precision == "reported"
    assert e.sources and e.sources[0].name.startswith("مصدر أمني") and e.sources[0].stance == "assert"


def test_another_countrys_territory_in_the_sentence_is_the_origin_of_a_movement():
    [e] = events_of("نقل التنظيم مسلحيه وعائلاتهم إلى الموصل بعد تكثيف الغارات على مواقعه في الأراضي السورية.")
    roles = {p.role: (p.text, p.country) for p in e.places}
    assert roles["destination"] == ("الموصل", "IQ") and roles["origin"] == ("الأراضي السورية", "SY")
    # a bare country name talked about is no origin
    for text in ("نقل الجيش مئات العناصر إلى الموصل، فيما تتواصل المحادثات بشأن سوريا.",
                 "عاد رئيس الوزراء الإسرائيلي إلى تل أبيب بعد زيارة روسيا."):
        [e] = events_of(text)
        assert "origin" not in {p.role for p in e.places}
        assert "destination" in {p.role for p in e.places}


def test_the_object_of_a_verb_of_leaving_is_the_origin():
    [e] = events_of("غادر مئات المسلحين وعائلاتهم بلدة حرستا في الغوطة الشرقية أمس.")
    assert [(p.text, p.role) for p in e.places][0] == ("حرستا", "origin")
    [e] = events_of("وقال مصدر محلي إن المسلحين غادروا بلدة عربين إلى محافظة إدلب.")
    assert {p.text: p.role for p in e.places} == {"عربين": "origin", "إدلب": "destination"}
    # a place after a verb of arriving is where they arrive
    [e] = events_of("ودخلت القوات العراقية إلى بلدة القائم صباح اليوم بعد معارك مع داعش.")
    assert {p.text: p.role for p in e.places} == {"القائم": "destination"}


def test_a_village_the_gazetteer_lacks_is_put_at_the_known_place_named_with_it():
    from rasd.lang.normalize import normalize
    from rasd.places import find_places

    text = "وقال المرصد إن الطائرات الروسية قصفت بلدة كفرزيتون المجاورة لمدينة حماة."
    tagged = {p.text: p for p in find_places(normalize(text))}
    assert tagged["كفرزيتون"].lat is None              # the language layer says it does not know
    [e] = events_of(text)
    got = {p.text: p for p in e.places}
    village, town = got["كفرزيتون"], got["حماة"]
    assert (village.lat, village.lon, village.country) == (town.lat, town.lon, "SY")
    assert village.precision == "near" and town.precision == "town"
    # a village placed at a region takes the region's precision (مديرا: not in the gazetteer)
    [e] = events_of("قصفت قوات النظام السوري بلدة مديرا في ريف دمشق أمس.")
    assert {p.text: p.precision for p in e.places} == {"مديرا": "region", "ريف دمشق": "region"}


def test_a_restatement_naming_the_town_is_one_claim_placed_in_the_town():
    first = ("كشفت وزارة الخارجية الأردنية، أمس، عن تفاصيل تحرير الأردنيين الأربعة الذين اختطفوا في سوريا "
             "يوم الخميس الماضي، مشيرة إلى اعتقال اثنين من الخاطفين. ")
    evs = [e for e in events_of(first + "وجاء في البيان أن «عصابة اختطفت الأردنيين الأربعة لدى وصولهم إلى حمص».")
           if e.sub_type == "abduction_forced_disappearance"]
    [e] = evs                                    # the quoted statement restates the claim
    assert e.sources[0].name == "وزارة الخارجية الأردنية"
    assert [(p.text, p.precision) for p in e.places] == [("حمص", "town")]
    # other people taken (no count, or another one) is another happening
    evs = [e for e in events_of(first + "وجاء في البيان أن «عصابة اختطفت خمسة تجار لدى وصولهم إلى حمص».")
           if e.sub_type == "abduction_forced_disappearance"]
    assert len(evs) == 2 and {p.text for e in evs for p in e.places} == {"سوريا", "حمص"}


def test_speaker_introduced_in_one_sentence_is_the_source_of_the_next():
    text = ("وقال المتحدث باسم قيادة العمليات المشتركة العميد يحيى رسول الزبيدي إن العمليات مستمرة. "
            "وأضاف أن القوات العراقية حررت قرية البوسيف جنوب مدينة الموصل بعد معارك عنيفة مع داعش.")
    evs = [e for e in events_of(text) if e.type == "battles"]
    assert evs and evs[0].sources[0].name == "الزبيدي"


def test_a_denial_is_a_claim_in_the_group_of_what_it_denies():
    text = ("قال مصدر محلي إن مقاتلي تنظيم داعش وصلوا إلى مدينة البوكمال السورية قادمين من البادية. "
            "لكن التحالف الدولي نفى ذلك، مؤكداً أن القافلة ما زالت متوقفة في البادية السورية.")
    evs = events_of(text)
    claim = next(e for e in evs if e.stance == "assert" and e.type == "movement")
    denial = next(e for e in evs if e.stance == "deny")
    assert denial.sources[0].name.startswith("التحالف") and denial.sources[0].stance == "deny"
    assert denial.claim_group == claim.claim_group and denial.type == claim.type


def test_explicit_denial_of_an_event_has_deny_stance():
    text = "ونفى مراسلون في مدينة البوكمال وصول المقاتلين إلى المدينة السورية الحدودية مع العراق أمس."
    evs = [e for e in events_of(text) if e.type == "movement"]
    assert evs and evs[0].stance == "deny"


def test_fatalities_attach_to_the_event_of_their_sentence():
    text = ("وحررت قوات اللواء 44 التابع للحشد الشعبي قرية البريت جنوب الحضر، وقتلت خمسة دواعش بينهم قياديان "
            "في التنظيم.")
    evs = [e for e in events_of(text) if e.type == "battles"]
    assert evs and evs[0].fatalities == 5


def test_the_dead_are_the_people_counted_before_the_verb_not_what_follows():
    cases = [
        ("وأكد مصدر أمني أن 9 من مسلحي داعش لقوا مصرعهم ودمرت خمس عجلات في قصف جوي على وادي حوران.", 9),
        ("وقال ناشطون إن 27 مدنيا لقوا حتفهم وأصيب 60 آخرون جراء الغارات التي استهدفت مدينة معرة النعمان.", 27),
        ("وقتل 12 من عناصر الحشد الشعبي في معارك مع داعش قرب مدينة القائم.", 12),   # the count after the verb
    ]
    for text, dead in cases:
        [e] = events_of(text)
        assert e.fatalities == dead, text


def test_the_wounded_told_after_the_dead_are_no_fatalities():
    cases = [
        # «قتل وأصيب N»: the killed and the wounded together: no count of the dead
        "وقتل وأصيب 15 مدنيا في قصف مدفعي استهدف حيا سكنيا في مدينة حرستا.",
        # the number after the killing word is the wounded's
        "وقتل مدني وأصيب نحو 40 آخرين في قصف مدفعي استهدف حيا سكنيا في مدينة حرستا.",
        "وأسفر القصف المدفعي على حي سكني في مدينة حرستا عن مقتل امرأة وإصابة 7 مدنيين.",
    ]
    for text in cases:
        evs = [e for e in events_of(text) if e.type == "explosions_remote_violence"]
        assert evs and all(e.fatalities in (None, 1) for e in evs), (text, [e.fatalities for e in evs])


def test_a_toll_over_weeks_is_no_happening_s_dead():
    cases = [
        ("وقال المرصد إن القصف المدفعي على مدينة حرستا أدى إلى مقتل 1433 مدنيا في 34 يوما.", None),
        ("وقتل مئات الأشخاص خلال 12 يوما من القصف المدفعي على مدينة حرستا.", None),
        ("وأسفر القصف المدفعي المتواصل على مدينة حرستا منذ الاثنين الماضي عن مقتل 300 شخص.", None),
        ("وأسفر القصف المدفعي على المدن السورية عن مقتل 500 ألف شخص.", None),   # a war's toll
        # a superlative's «منذ», and a same-day one, say nothing of a toll
        ("وقتل خمسة مدنيين في قصف مدفعي على مدينة حرستا هو الأعنف منذ شهر.", 5),
        ("وقتل خمسة مدنيين في قصف مدفعي مستمر منذ صباح اليوم على مدينة حرستا.", 5),
    ]
    for text, dead in cases:
        evs = [e for e in events_of(text) if e.type == "explosions_remote_violence"]
        assert evs and [e.fatalities for e in evs] == [dead], (text, [e.fatalities for e in evs])


def test_a_state_named_as_the_subject_of_a_strike_is_its_doer():
    [e] = events_of("وشنت روسيا مساء السبت غارات على مناطق تسيطر عليها فصائل المعارضة المسلحة في جنوب سوريا.")
    assert (e.actor, e.actor2) == ("russia_forces", "syria_opposition")
    # a state that accuses is no doer, nor the states of another telling across a comma
    for text in ("ووجهت سوريا الاتهام إلى إسرائيل بتنفيذ هجمات صاروخية على قاعدة جوية.",
                 "وبحث رؤساء إيران وروسيا وتركيا، في طهران، هجوما عسكريا محتملا على إدلب."):
        assert all(e.actor != "syria_gov" and e.actor != "turkey_forces" for e in events_of(text)), text


def test_the_side_holding_a_gassed_town_is_not_the_doer():
    evs = events_of("وقتل عشرات المدنيين في هجوم كيميائي مزعوم على بلدة دوما في ريف دمشق التي كان يسيطر عليها "
                    "جيش الإسلام.", published="2018-04-10")
    chem = [e for e in evs if e.sub_type == "chemical_weapon"]
    assert chem and all(e.actor != "jaysh_al_islam" for e in chem), [(e.actor, e.actor2) for e in chem]


def test_a_nationality_adjective_on_the_event_noun_names_the_doer_not_the_target():
    [e] = events_of("ونقلت وكالة أنباء موالية للحكومة السورية تقارير تفيد بوقوع ضربات جوية إسرائيلية "
                    "على مطار المزة العسكري قرب دمشق.")
    assert e.actor == "israel_forces"                 # not the government named before the noun
    [e] = events_of("وقال المرصد إن الحكومة السورية دانت الهجوم التركي على مدينة عفرين أمس.")
    assert e.actor == "turkey_forces"
    # after «ضد», «على»: the adjective is the target's
    [e] = events_of("وأكد المرصد وقوع ضربة بصواريخ كروز ضد قاعدة جوية سورية قرب حمص فجر اليوم.")
    assert e.actor != "syria_gov"


def test_people_fleeing_their_homes_are_displaced_civilians_and_counted():
    [e] = events_of("وفر أكثر من 40 ألفا من منازلهم في ريف إدلب الجنوبي خلال أسبوع بسبب الغارات.")
    assert (e.type, e.sub_type, e.actor) == ("movement", "displacement", "civilians")
    assert e.count is not None and e.count.value == 40000 and e.count.approx


# ------------------------------------------------------------------ spans and exports

def test_every_event_span_round_trips(tmp_path):
    from rasd.pipeline import process
    from rasd.store import Store
    s = Store(tmp_path / "all.db")
    process([str(SEEDS), str(PAGES)], s)
    raws = {d: s.get_document(d).raw for d in {e["doc"] for e in s.event_records()}}
    n = 0
    for e in s.event_records():
        raw = raws[e["doc"]]
        ev = e["evidence"]
        assert raw[ev["start"]:ev["end"]] == ev["text"]
        for p in e["places"]:
            assert raw[p["start"]:p["end"]] == p["text"]
        if e["count"]:
            assert raw[e["count"]["start"]:e["count"]["end"]] == e["count"]["text"]
        for src in e["sources"]:
            if src["start"] is not None:
                assert src["end"] > src["start"] and raw[src["start"]:src["end"]].strip()
        if e["trigger"]:
            assert ev["start"] <= e["trigger"]["start"] and e["trigger"]["end"] <= ev["end"] or \
                e["sentence"]["start"] <= e["trigger"]["start"]
        n += 1
    assert n > 40


def test_csv_has_acled_columns_and_geojson_draws_movements(seed_events):
    rows = list(event_rows(seed_events))
    assert {"event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "admin1",
            "location", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities",
            "origin", "destination", "claim_group", "evidence"} <= set(rows[0])
    assert any(r["event_type"] == "Movement" and r["destination"] for r in rows)
    feats = [f for f in map(geojson_feature, seed_events) if f]
    lines = [f for f in feats if f["geometry"]["type"] == "LineString"]
    assert lines and all(f["properties"]["type"] == "movement" for f in lines)
    lon, lat = lines[0]["geometry"]["coordinates"][0]
    assert 25 < lon < 50 and 25 < lat < 40        # [lon, lat] order, in the Middle East


def test_export_events_cli_formats(seed_store, tmp_path):
    from click.testing import CliRunner
    from rasd.cli import main
    _, _, db = seed_store
    for fmt in ("jsonl", "csv", "geojson"):
        out = tmp_path / f"e.{fmt}"
        r = CliRunner().invoke(main, ["export", "events", "--db", str(db), "--format", fmt, "-o", str(out)])
        assert r.exit_code == 0, r.output
        text = out.read_text("utf-8-sig")   # the CSV starts with a BOM
        if fmt == "jsonl":
            assert all(json.loads(x)["evidence"]["text"] for x in text.splitlines())
        elif fmt == "csv":
            assert next(csv.reader(io.StringIO(text)))[0] == "event_id_cnty"
        else:
            assert json.loads(text)["type"] == "FeatureCollection"


def test_tag_command_jsonl(tmp_path):
    from click.testing import CliRunner
    from rasd.cli import main
    lines = [{"id": "a", "text": "وصل نحو 700 مقاتل من داعش إلى مدينة عانة أمس بحسب مصدر أمني.",
              "published": "2017-10-20"}, {"id": "b", "text": "لا شيء هنا"}]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n{broken\n", "utf-8")
    r = CliRunner().invoke(main, ["tag", str(src), "--format", "jsonl"])
    out = [json.loads(x) for x in r.output.splitlines() if x.startswith("{")]
    assert [o["id"] for o in out] == ["a", "b"]
    a = out[0]
    text = lines[0]["text"]
    for kind in ("places", "actors", "speakers", "quantities", "dates"):
        assert a[kind], kind
        for x in a[kind]:
            assert text[x["start"]:x["end"]] == x["text"]
    assert a["places"][0]["lat"] and a["quantities"][0]["value"] == 700 and a["dates"][0]["date"] == "2017-10-19"


def test_a_definite_place_noun_refers_to_the_place_named_before():
    text = ("قالت عضو المجلس المحلي إن سكان مدينة راوة أبلغوها بأن نحو 700 من مقاتلي داعش وأسرهم وصلوا "
            "إلى منازل فارغة في البلدة قادمين من سوريا.")
    [e] = [e for e in events_of(text) if e.type == "movement"]
    ref = [p for p in e.places if text[p.start:p.end].startswith("البلدة")]
    assert ref and ref[0].name.startswith("راو") and ref[0].lat is not None and ref[0].role == "destination"


def test_listed_deaths_are_counted():
    text = ("أعلنت خلية الإعلام الحربي مقتل قيادي بارز في تنظيم داعش مسؤول عن نقل الانتحاريين، وآخر مسؤول عن "
            "شؤون العشائر، بضربة جوية للقوة الجوية العراقية في مدينة القائم.")
    evs = [e for e in events_of(text) if e.type == "explosions_remote_violence"]
    assert evs and evs[0].fatalities == 2


def test_the_outlet_spoken_to_is_not_the_source():
    text = ("وأكد مسؤولان عراقيان لصحيفة «واشنطن بوست» الأميركية أن مقاتلي داعش وأسرهم وصلوا إلى مدينة راوة "
            "في الأيام الأخيرة.")
    [e] = [e for e in events_of(text) if e.type == "movement"]
    assert [s.name for s in e.sources] and "واشنطن" not in e.sources[0].name
