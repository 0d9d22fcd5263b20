"""Actor mentions: aliases, country context, back-references, user lexicons, seed recall."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd.lang.actors import find_actors, load_actors, resolve_references
from rasd.lang.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "samples" / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds.events.jsonl"

CONTRACT_KEYS = {"isis", "iraq_forces", "pmf", "hashd_watani", "peshmerga", "coalition",
                 "russia_forces", "syria_gov", "hezbollah", "hts", "sdf", "sna", "israel_forces",
                 "turkey_forces", "lebanon_forces", "us_gov", "civilians", "unidentified_armed_group"}


def mentions(raw, hint=None, refs=True):
    nt = normalize(raw)
    ms = find_actors(nt, country_hint=hint)
    if refs:
        ms = resolve_references(nt, ms)
    for m in ms:
        assert raw[m.start:m.end] == m.text
    return ms


def keys(raw, hint=None, refs=True):
    return [m.key for m in mentions(raw, hint, refs)]


def pairs(raw, hint=None, refs=True):
    return [(m.text, m.key) for m in mentions(raw, hint, refs)]


# ---------------------------------------------------------------- aliases

@pytest.mark.parametrize("sentence, expected", [
    ("أعلن الجيش العراقي تحرير ثلاث قرى شمال المدينة.", ["iraq_forces"]),
    ("شنت طائرات التحالف الدولي غارات على مواقع لتنظيم الدولة الإسلامية.", ["coalition", "isis"]),
    ("هاجم مسلحو داعش نقطة تفتيش قرب الطريق الدولي.", ["isis"]),
    ("قصف الطيران الروسي بلدات في الريف الجنوبي.", ["russia_forces"]),
    ("تقدمت قوات النظام السوري نحو التلال المطلة على البلدة.", ["syria_gov"]),
    ("سيطرت هيئة تحرير الشام على المعبر بعد اشتباكات مع فصائل المعارضة.", ["hts", "syria_opposition"]),
    ("قتل عنصران من حزب الله اللبناني في كمين.", ["hezbollah"]),
    ("أطلق مسلحون مجهولون النار على سيارة مدنية.", ["unidentified_armed_group"]),
    ("فر آلاف المدنيين من القرى الحدودية.", ["civilians"]),
    ("قصفت المدفعية التركية مواقع لوحدات حماية الشعب الكردية.", ["turkey_forces", "sdf"]),
    ("دخلت قوات البيشمركة الكردية البلدة بعد انسحاب الحشد الشعبي منها.", ["peshmerga", "pmf"]),
    ("أعلن قائد في الحشد الوطني وآخر من الحشد العشائري وصول تعزيزات.", ["hashd_watani", "hashd_ashairi"]),
    ("دخلت فصائل الجيش الوطني السوري البلدة بدعم من الجيش التركي.", ["sna", "turkey_forces"]),
    ("استهدفت الطائرات الإسرائيلية مخزنا للسلاح.", ["israel_forces"]),
    ("نفذت قوى الأمن الداخلي وشعبة المعلومات عملية دهم.", ["lebanon_forces", "lebanon_forces"]),
    ("قالت الإدارة الأمريكية إنها ستواصل دعم الشركاء.", ["us_gov"]),
    ("وصلت تعزيزات من الحرس الثوري الإيراني إلى المطار.", ["iran_forces"]),
    ("نشر الجيش الأردني وحدات إضافية على الحدود.", ["jordan_forces"]),
])
def test_aliases_give_their_key(sentence, expected):
    assert keys(sentence, refs=False) == expected


def test_longest_alias_wins_and_spelling_variants_fold():
    ms = mentions("لكن التحالف الذي تقوده أمريكا نفى ذلك.", refs=False)
    assert [(m.text, m.key) for m in ms] == [("التحالف الذي تقوده أمريكا", "coalition")]
    # hamza/alef, ta marbuta and alef maqsura forms are folded
    assert keys("قالت القوات الامنية العراقيه", refs=False) == ["iraq_forces"]


def test_proclitics_and_diacritics_keep_raw_offsets():
    raw = "وانسحبت وحدات تابعة للحشد الشعبي، وبالجَيْشِ العراقـــي ولداعش."
    ms = mentions(raw, refs=False)
    assert [m.key for m in ms] == ["pmf", "iraq_forces", "isis"]
    assert ms[0].text == "حشد الشعبي"          # «لل» is ل + the article: raw starts after it
    assert ms[1].text == "الجَيْشِ العراقـــي"   # diacritics and tatweel stay in the raw text
    assert ms[2].text == "داعش"


def test_blockers_hide_shorter_aliases():
    assert keys("يتواصل الحشد العسكري على الحدود.", refs=False) == []
    assert keys("اجتمع قادة التحالف الوطني في بغداد.", refs=False) == []
    assert keys("تقدم الحشد نحو القرية.", refs=False) == ["pmf"]


# ---------------------------------------------------------------- country context

@pytest.mark.parametrize("hint, key", [("IQ", "iraq_forces"), ("SY", "syria_gov"),
                                       ("LB", "lebanon_forces"), ("JO", "jordan_forces")])
def test_generic_forces_follow_the_country_hint(hint, key):
    assert keys("انتشرت القوات الأمنية في أحياء المدينة.", hint, refs=False) == [key]
    assert keys("طوقت القوات الحكومية الحي", hint, refs=False) == ([] if hint == "JO" else [key])


def test_pro_government_forces_are_the_government_side_in_syria():
    assert keys("واستعادت القوات الموالية للحكومة عشرة في المائة من الغوطة.", "SY", refs=False) == ["syria_gov"]
    assert keys("واستعادت القوات الموالية للحكومة السورية بلدة حمورية.", refs=False) == ["syria_gov"]
    assert keys("واستعادت القوات الموالية للحكومة بلدة في الشمال.", "LB", refs=False) == []


def test_context_without_hint_comes_from_the_document():
    raw = "أوقف الجيش اللبناني مطلوبين. وقال الجيش في بيان إن الدورية تعرضت لإطلاق نار."
    assert keys(raw, refs=False) == ["lebanon_forces", "lebanon_forces"]
    # the evidence may come after the generic phrase
    raw = "انتشرت القوات الأمنية في الأحياء، فيما دفعت القوات العراقية بتعزيزات."
    assert keys(raw, refs=False) == ["iraq_forces", "iraq_forces"]


def test_context_without_evidence_uses_default_or_nothing():
    assert keys("انتشرت القوات الأمنية في الأحياء.", refs=False) == []
    assert keys("أعلنت الاستخبارات العسكرية اعتقال مطلوب.", refs=False) == ["iraq_forces"]
    # an explicit hint beats the default
    assert keys("أعلنت الاستخبارات العسكرية اعتقال مطلوب.", "SY", refs=False) == ["syria_gov"]


def test_regime_and_coalition_readings_depend_on_country():
    assert keys("قصف النظام الأحياء الشرقية", "SY", refs=False) == ["syria_gov"]
    assert keys("أعاد النظام ترتيب صفوفه", "IQ", refs=False) == []
    assert keys("شن التحالف غارات على صنعاء", "YE", refs=False) == ["arab_coalition"]
    assert keys("شن التحالف غارات على البلدة", "SY", refs=False) == ["coalition"]


def test_a_foreign_nationality_adjective_cancels_a_generic_phrase():
    assert keys("قال قائد الجيش الفرنسي إن المهمة مستمرة", "IQ", refs=False) == []
    assert keys("انتشرت القوات الأمنية المحلية في الشوارع", "IQ", refs=False) == ["iraq_forces"]


# ---------------------------------------------------------------- back-references

def test_the_organisation_refers_back_to_the_group():
    ms = mentions("سيطر تنظيم داعش على القرية، ثم انسحب التنظيم منها تحت القصف.")
    assert [(m.text, m.key) for m in ms] == [("تنظيم داعش", "isis"), ("التنظيم", "isis")]


def test_the_organisation_skips_movements_and_armies():
    raw = "جرت صفقة بين حزب الله والتنظيم المتطرف برعاية الجيش السوري، ونقل التنظيم قافلته."
    assert keys(raw) == ["hezbollah", "syria_gov"]          # no group named: nothing resolved
    raw = "هاجم داعش مواقع حزب الله والجيش السوري، ثم أعلن التنظيم مسؤوليته."
    assert pairs(raw)[-1] == ("التنظيم", "isis")


def test_possessives_and_demonstratives_resolve_to_the_latest_compatible_actor():
    raw = "حاصر حزب الله البلدة، ونشر الحزب عناصره على التلال."
    assert pairs(raw) == [("حزب الله", "hezbollah"), ("الحزب", "hezbollah"), ("عناصره", "hezbollah")]
    raw = "وصل مقاتلو داعش إلى البلدة، وأكد السكان أن هؤلاء كانوا مسلحين."
    ms = pairs(raw)
    assert ("هؤلاء", "civilians") in ms   # the nearest actor before «هؤلاء» are the residents


def test_aircraft_reference_needs_an_aircraft_antecedent():
    raw = ("نفذت طائرات التحالف الدولي ضربات، بحسب الجيش العراقي، "
           "واستهدفت تلك الطائرات مخابئ للتنظيم.")
    ms = pairs(raw)
    assert ("تلك الطائرات", "coalition") in ms


def test_references_stay_within_their_window():
    filler = " وتابعت العائلات حياتها اليومية في الأسواق والمدارس." * 40
    raw = "انسحب تنظيم داعش من البلدة." + filler + " وقال إن التنظيم سيعود."
    assert keys(raw) == ["isis"]


def test_an_adjective_after_a_mention_is_not_a_new_mention():
    assert pairs("وأعلن حزب الله الإرهابي مسؤوليته") == [("حزب الله", "hezbollah")]


def test_resolve_references_keeps_the_given_mentions():
    nt = normalize("هاجم داعش القرية ثم فر التنظيم.")
    base = find_actors(nt)
    out = resolve_references(nt, base)
    assert all(b in out for b in base) and len(out) == len(base) + 1


# ---------------------------------------------------------------- the data files

def test_packaged_lexicon_covers_the_contract_and_every_key_has_a_kind():
    lex = load_actors()
    assert CONTRACT_KEYS <= set(lex.aliases)
    assert set(lex.aliases) <= set(lex.kinds)


def test_user_lexicon_adds_overrides_and_blocks(tmp_path, monkeypatch):
    user = tmp_path / "my_actors.tsv"
    user.write_text("# my additions\n"
                    "mahdi_army\t*\tkind=militia\n"
                    "mahdi_army\tجيش المهدي\n"
                    "ypg\t*\tkind=militia\n"
                    "ypg\tوحدات حماية الشعب\tre-mapped away from sdf\n"
                    "-\tالحشد\tplain crowds in my corpus\n", encoding="utf-8")
    raw = "اشتبك جيش المهدي مع وحدات حماية الشعب قرب الحشد."
    nt = normalize(raw)
    lex = load_actors(user)
    assert [m.key for m in find_actors(nt, lexicon=lex)] == ["mahdi_army", "ypg"]
    # the packaged lexicon is unchanged
    assert [m.key for m in find_actors(nt)] == ["sdf", "pmf"]
    # the same file through the environment
    monkeypatch.setenv("RASD_ACTORS", str(user))
    assert [m.key for m in find_actors(nt, lexicon=load_actors())] == ["mahdi_army", "ypg"]


def test_bad_lexicon_lines_are_reported(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("isis\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_actors(bad)
    bad.write_text("x\t*\tkind=nonsense\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_actors(bad)


# ---------------------------------------------------------------- seeds

def _lines(raw):
    offs = [0]
    for line in raw.split("\n"):
        offs.append(offs[-1] + len(line) + 1)
    return offs


def test_seed_gold_actor_recall():
    """Every actor/actor2 of a required gold event should be among the mentions of its
    anchor lines (find_actors + resolve_references)."""
    gold = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    cache = {}
    total = hit = 0
    misses = []
    for g in gold:
        if g["optional"]:
            continue
        raw = (SEEDS / g["file"]).read_text(encoding="utf-8")
        if g["file"] not in cache:
            cache[g["file"]] = mentions(raw)
        offs = _lines(raw)
        lines = {a["line"] for a in g["anchors"]}
        found = {m.key for m in cache[g["file"]] for ln in lines if offs[ln - 1] <= m.start < offs[ln]}
        for field in ("actor", "actor2"):
            if not g[field]:
                continue
            total += 1
            if g[field] in found:
                hit += 1
            else:
                misses.append((g["id"], field, g[field], sorted(found)))
    for m in misses:
        print("actor miss:", *m)
    print(f"actor recall {hit}/{total} = {hit / total:.2%}")
    assert hit / total >= 0.90


def test_seed_mentions_round_trip():
    n = 0
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        for hint in (None, "IQ"):
            for m in mentions(raw, hint):
                assert raw[m.start:m.end] == m.text and m.start < m.end
                n += 1
    assert n > 300


def test_an_air_force_named_with_its_nationality_is_its_state_s_forces():
    from rasd.lang.actors import find_actors
    cases = {"أعلن أن القوات الجوية العراقية شنت غارات على مواقع التنظيم": "iraq_forces",
             "وقالت القوات الجوية الأمريكية إنها نفذت ضربات": "us_forces",
             "ونفذت القوات الجوية التركية غارات": "turkey_forces"}
    for text, key in cases.items():
        assert [a.key for a in find_actors(text)] == [key], text
