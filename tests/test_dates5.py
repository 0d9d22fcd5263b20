"""When (issue #12, branch dates5): the day of a happening read after the decision, for
sentences written for each rule: a statement's or a reaction's day is not the happening's; a
telling with no day of its own takes the day another telling of the same happening gives.
Each row: the text, its publication day, the trigger of the event asked about, and the date
(with its precision) the pipeline must give it."""
from __future__ import annotations

import pytest

from rasd.clean import split_articles
from rasd.events import extract_events
from rasd.events.decision import ModelDecision, RuleDecision
from rasd.ingest import make_document

RULES = RuleDecision()


def events_of(text: str, published: str, decision=None):
    """The events of ``text`` as the pipeline stores them (the shipped model decides), or as
    the rules alone keep them."""
    doc = make_document("t.txt", text, kind="text", source="t.txt", published=published)
    return [e for a in split_articles(doc) for e in extract_events(doc, a, decision=decision)]


def day_of(text: str, published: str, trigger: str, decision=None) -> tuple[str | None, str]:
    evs = [e for e in events_of(text, published, decision) if e.trigger is not None
           and text[e.trigger.start:e.trigger.end] == trigger]
    assert evs, f"no event with the trigger «{trigger}»: {[e.evidence_text for e in events_of(text, published)]}"
    return evs[0].date, evs[0].date_precision


# (text, published, trigger, (date, precision)); the weekdays of 2018: 2018-07-05 a Thursday,
# 2018-07-09 a Monday, 2018-07-10 a Tuesday, 2018-06-10 a Sunday, 2018-04-10 a Tuesday,
# 2018-03-26 a Monday, 2018-02-14 a Wednesday
TABLE = [
    # --- a statement's day with no day of the happening: the report's day (decision 5)
    ("قال مصدر عسكري، الثلاثاء، إن الطائرات قصفت مواقع المسلحين في ريف حماة.", "2018-07-05",
     "قصفت", ("2018-07-05", "reported")),
    # ... and the happening's own day where the sentence gives one
    ("قال مصدر عسكري، الثلاثاء، إن الطائرات قصفت مواقع المسلحين في ريف حماة يوم الاثنين.", "2018-07-05",
     "قصفت", ("2018-07-02", "day")),
    # «والخميس، أعلنت ... أن»: the day put before the verb is the statement's too
    ("والخميس، أعلنت وزارة الدفاع أن طائراتها قصفت مواقع لتنظيم داعش في الصحراء.", "2018-06-09",
     "قصفت", ("2018-06-09", "reported")),
    # ... but not a day before a participle of saying, that goes on with the clause the day closes
    ("نفذت الطائرات الروسية غارات على مدينة إدلب، يوم الجمعة، مؤكدة أنها استهدفت مخازن أسلحة.", "2018-06-10",
     "غارات", ("2018-06-08", "day")),
    # --- «أعلن ... مسؤوليته عن»: the announcement's day, then the happening's (said_of)
    ("أعلن تنظيم داعش، الأحد، مسؤوليته عن تفجير سيارة مفخخة في مدينة القامشلي، السبت.", "2018-07-09",
     "تفجير", ("2018-07-07", "day")),
    ("أعلن تنظيم داعش، الأحد، مسؤوليته عن تفجير سيارة مفخخة في مدينة القامشلي.", "2018-07-09",
     "تفجير", ("2018-07-09", "reported")),
    # --- a verb of reaction: its day is the reaction's (reaction_verbs)
    ("أدانت تركيا الاثنين الهجوم الذي استهدف الخميس الماضي قرية في ريف عفرين.", "2018-07-10",
     "الهجوم", ("2018-07-05", "day")),
    ("نددت الحكومة السورية الأربعاء بالقصف الذي شنته طائرات التحالف على قرية في ريف دير الزور.", "2018-07-12",
     "القصف", ("2018-07-12", "reported")),
    # ... nor the day of a meeting held on it
    (("وقال البيت الأبيض إن الرئيس لم يتخذ قراره بشأن الرد على هجوم كيماوي في سوريا، بعد اجتماع عقده الخميس "
     "مع مستشاريه."), "2018-04-13", "هجوم كيماوي", ("2018-04-13", "reported")),
    # --- one chemical attack an article: a telling with no day of its own takes the day
    # another telling gives it ...
    (("قالت الخارجية الفرنسية، الثلاثاء، إن باريس سترد على هجوم كيماوي في سوريا.\n"
     "وكان الهجوم الكيماوي الذي وقع مساء السبت في مدينة دوما قد أودى بحياة عشرات المدنيين."), "2018-04-10",
     "هجوم كيماوي", ("2018-04-07", "day")),
    (("قالت الولايات المتحدة، الخميس، إنها تطالب بتحقيق جديد بعد تقارير عن تعرض الغوطة الشرقية لهجوم بغاز "
      "الكلور.\nوقال المرصد إن طفلا قتل في هجوم كيميائي استهدف بلدة الشيفونية في الغوطة الشرقية مساء الثلاثاء."),
     "2018-03-02", "هجوم", ("2018-02-27", "day")),
    # ... not attacks told in the plural (several, with no one day)
    (("قالت الولايات المتحدة، الخميس، إنها تطالب بتحقيق جديد بعد تقارير عن تعرض الغوطة الشرقية لهجمات بغاز "
      "الكلور.\nوقال المرصد إن طفلا قتل في هجوم كيميائي استهدف بلدة الشيفونية في الغوطة الشرقية مساء الثلاثاء."),
     "2018-03-02", "هجمات", ("2018-03-02", "reported")),
    # ... not an older one (background: more than a week before the report)
    (("قالت الخارجية الفرنسية، الثلاثاء، إن باريس سترد على هجوم كيماوي في سوريا.\n"
     "وكان هجوم كيماوي قد وقع في 22 يناير في مدينة دوما وأودى بحياة عشرات المدنيين."), "2018-04-10",
     "هجوم كيماوي", ("2018-04-10", "reported")),
    # ... not one told in another governorate
    (("قالت الخارجية الفرنسية، الثلاثاء، إن باريس سترد على هجوم كيماوي في مدينة سراقب بريف إدلب.\n"
     "وكان هجوم كيماوي وقع مساء السبت في مدينة دوما بريف دمشق قد أودى بحياة عشرات المدنيين."), "2018-04-10",
     "هجوم كيماوي", ("2018-04-10", "reported")),
    # --- an undated telling takes the day of the nearest telling of the same kind ...
    (("بدأت حافلات تقل مسلحين وعائلاتهم بمغادرة بلدة عربين في الغوطة الشرقية.\n"
     "وغادرت الدفعة الأولى من الحافلات البلدة مساء السبت."), "2018-03-26",
     "مغادرة", ("2018-03-24", "day")),
    # ... a day of the week before the report too
    (("بدأت حافلات تقل مسلحين وعائلاتهم بمغادرة بلدة عربين في الغوطة الشرقية.\n"
     "وغادرت الدفعة الأولى من الحافلات البلدة مساء الأربعاء."), "2018-03-26",
     "مغادرة", ("2018-03-21", "day")),
    # ... not a day more than a week before the report (another happening, or background)
    (("بدأت حافلات تقل مسلحين وعائلاتهم بمغادرة بلدة عربين في الغوطة الشرقية.\n"
     "وغادرت الدفعة الأولى من الحافلات البلدة في 16 مارس."), "2018-03-26",
     "مغادرة", ("2018-03-26", "reported")),
    # ... nor the day of a forecast
    (("بدأت حافلات تقل مسلحين وعائلاتهم بمغادرة بلدة عربين في الغوطة الشرقية.\n"
     "ومن المتوقع أن تغادر الدفعة الثانية البلدة يوم الثلاثاء."), "2018-03-26",
     "مغادرة", ("2018-03-26", "reported")),
    # --- a happening told in a week takes the day of that week another telling gives
    (("قتل عشرات المسلحين في غارات جوية على ريف دير الزور الأسبوع الماضي.\n"
     "وشنت الطائرات الأمريكية غارات على مواقعهم في 7 فبراير."), "2018-02-14",
     "غارات", ("2018-02-07", "day")),
    # --- a night told up to the morning of a day began the day before (decision 4)
    ("أفاد المرصد عن هدوء خلال الليل وحتى صباح الأربعاء تخلله سقوط قذائف على مدينة دوما.", "2018-02-28",
     "قذائف", ("2018-02-27", "day")),
    ("أفاد المرصد عن سقوط قذائف على مدينة دوما صباح الأربعاء.", "2018-02-28",
     "قذائف", ("2018-02-28", "day")),
]


IDS = ["statement-day-alone", "statement-and-own-day", "day-before-the-verb", "day-before-a-participle",
       "responsibility-then-day", "responsibility-alone", "reaction-and-own-day", "reaction-alone", "meeting",
       "chemical-told-again", "chemical-singular", "chemical-plural", "chemical-older", "chemical-other-governorate", "kind-later-day", "kind-day-of-the-week",
       "kind-day-too-old",
       "kind-forecast", "week-to-day", "night-until-morning", "morning-alone"]


# a reaction alone is no event the learned decision stores (a condemnation); what these rows ask
# is the day read for the happening reacted to: every candidate is kept
EVERY = ModelDecision(threshold=0.0)
KEEP_EVERY = {"reaction-and-own-day", "reaction-alone"}


@pytest.mark.parametrize(("text", "published", "trigger", "want"), TABLE, ids=IDS)
def test_the_day_of_the_happening(text, published, trigger, want, request):
    decision = EVERY if request.node.callspec.id in KEEP_EVERY else None
    assert day_of(text, published, trigger, decision) == want


def test_a_week_stays_a_week_without_a_day_of_it():
    text = ("قتل عشرات المسلحين في غارات جوية على ريف دير الزور الأسبوع الماضي.\n"
            "وشنت الطائرات الأمريكية غارات على مواقعهم في 20 يناير.")
    assert day_of(text, "2018-02-14", "غارات") == ("2018-02-05", "week")


def test_the_rules_alone_read_the_days_alike():
    # (the rules keep the second telling too: the denial of a chemical attack and the
    # activists' telling of it, each dated by the day the other gives)
    text = ("نفت دمشق، الثلاثاء، أن تكون قواتها نفذت هجوما كيماويا على مدينة دوما.\n"
            "وقال ناشطون إن الهجوم الكيماوي على دوما وقع مساء السبت وأودى بحياة عشرات المدنيين.")
    evs = events_of(text, "2018-04-10", RULES)
    assert [e.date for e in evs] == ["2018-04-07", "2018-04-07"]
    assert day_of(text, "2018-04-10", "هجوما", RULES) == ("2018-04-07", "day")


def test_a_day_before_the_verb_is_the_statements_also_after_another_happening():
    # «... الضربات على سوريا، فجر السبت، أعلن ... أن النظام شن هجوما كيماويا»: Saturday is the
    # strikes' and the statement's, not the chemical attack's (the rules keep that telling)
    text = ("وفي مؤتمر صحفي بعد ساعات من الضربات على سوريا، فجر السبت، أعلن وزير الدفاع أنه متأكد من أن "
            "النظام شن هجوما كيماويا على مدينة دوما.")
    assert day_of(text, "2018-04-18", "هجوما", RULES) == ("2018-04-18", "reported")
    assert day_of(text, "2018-04-18", "الضربات") == ("2018-04-14", "day")


@pytest.mark.parametrize("text,want", [
    # (published Sunday 2018-07-29) «أمس الجمعة»: the weekday named with «أمس» wins
    ("شهدت محافظة النجف أمس الجمعة تظاهرة كبيرة أمام مبنى مجلس المحافظة.", "2018-07-27"),
    ("قتل ثلاثة مدنيين يوم أمس الجمعة في قصف على بلدة حمورية.", "2018-07-27"),
    ("قتل ثلاثة مدنيين أول أمس الخميس في قصف على بلدة حمورية.", "2018-07-26"),
    # «أمس» alone, and «أمس السبت» that agrees with it
    ("قتل ثلاثة مدنيين أمس في قصف على بلدة حمورية.", "2018-07-28"),
    ("قتل ثلاثة مدنيين أمس السبت في قصف على بلدة حمورية.", "2018-07-28"),
])
def test_yesterday_named_with_its_weekday_is_the_weekday(text, want):
    from rasd.lang.dates import find_dates
    from rasd.lang.normalize import normalize
    nt = normalize(text)
    [d] = find_dates(nt, "2018-07-29")
    assert (d.date, d.precision) == (want, "day")
    assert text[d.start:d.end] == d.text
