"""Dates: relative expressions, weekdays, month names, Hijri, publication dates, offsets."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from rasd.lang.dates import (
    find_dates,
    gregorian_to_hijri,
    hijri_month_length,
    hijri_to_gregorian,
    lexicon,
    publication_date,
)
from rasd.lang.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "samples" / "seeds"

PUB = dt.date(2017, 10, 12)  # a Thursday


def dates(text: str, pub: dt.date | None = PUB) -> list[tuple[str, str | None, str]]:
    out = find_dates(normalize(text), pub)
    for d in out:
        assert text[d.start:d.end] == d.text
    return [(d.text, d.date, d.precision) for d in out]


def one(text: str, pub: dt.date | None = PUB) -> tuple[str | None, str]:
    got = dates(text, pub)
    assert len(got) == 1, got
    return got[0][1], got[0][2]


# ------------------------------------------------------------------ relative days
@pytest.mark.parametrize("text, expected", [
    ("أمس", ("2017-10-11", "day")),
    ("وقال أمس إن", ("2017-10-11", "day")),
    ("بالأمس", ("2017-10-11", "day")),
    ("صباح أمس", ("2017-10-11", "day")),
    ("يوم أمس", ("2017-10-11", "day")),
    ("أول من أمس", ("2017-10-10", "day")),
    ("أول أمس", ("2017-10-10", "day")),
    ("اليوم", ("2017-10-12", "day")),
    ("مساء اليوم", ("2017-10-12", "day")),
    ("الليلة الماضية", ("2017-10-11", "day")),
    ("غداً", ("2017-10-13", "day")),
    ("الأسبوع الماضي", ("2017-10-02", "week")),
    ("الأسبوع المقبل", ("2017-10-16", "week")),
    ("الشهر الماضي", ("2017-09-01", "month")),
    ("الشهر الجاري", ("2017-10-01", "month")),
    ("العام الماضي", ("2016-01-01", "year")),
    ("قبل ثلاثة أيام", ("2017-10-09", "day")),
    ("منذ يومين", ("2017-10-10", "day")),
    ("قبل 10 أيام", ("2017-10-02", "day")),
])
def test_relative(text, expected):
    assert one(text) == expected


def test_relative_span_takes_the_longest_reading():
    assert dates("عنصران أمنيان خلال مواجهة أول من أمس (أ.ب)") == [("أول من أمس", "2017-10-10", "day")]


def test_last_month_across_a_year():
    assert one("الشهر الماضي", dt.date(2018, 1, 5)) == ("2017-12-01", "month")
    assert one("الأسبوع الماضي", dt.date(2018, 1, 3)) == ("2017-12-25", "week")


def test_not_dates():
    assert dates("في اليوم التالي") == []
    assert dates("قالت قناة روسيا اليوم") == []
    assert dates("لامس الحدود") == []
    assert dates("مارس الضغط على الحكومة") == []


# ------------------------------------------------------------------ weekdays
@pytest.mark.parametrize("text, expected", [
    ("يوم الجمعة", "2017-10-06"),
    ("الجمعة", "2017-10-06"),
    ("وصل بلينكن (الخميس) إلى الأردن", "2017-10-12"),    # the publication day itself
    ("الخميس", "2017-10-12"),
    ("الخميس الماضي", "2017-10-05"),                     # «الماضي»: strictly before
    ("يوم الخميس الماضي", "2017-10-05"),
    ("يوم الثلاثاء الماضي", "2017-10-10"),
    ("الثلاثاء الماضي", "2017-10-10"),
    ("الأربعاء", "2017-10-11"),
    ("يوم الأحد الماضي", "2017-10-08"),
    ("مساء السبت", "2017-10-07"),
    ("الإثنين", "2017-10-09"),
    ("الجمعة المقبل", "2017-10-13"),                      # «المقبل»: strictly after
    ("الخميس المقبل", "2017-10-19"),
])
def test_weekday(text, expected):
    assert one(text) == (expected, "day")


def late(text: str, pub: dt.date | None = PUB) -> list[tuple[str, str | None, str]]:
    """The reading after the decision (find_dates late=True)."""
    nt = normalize(text)
    return [(d.text, d.date, d.precision) for d in find_dates(nt, pub, late=True)]


def test_a_weekday_after_a_future_verb_is_a_coming_day_when_read_late():
    # PUB is a Thursday: «وسيبدأ السبت» is the Saturday after it, «ستبدأ يوم الأحد» the Sunday
    assert late("وسيبدأ السبت التحقيق") == [("السبت", "2017-10-14", "day")]
    assert late("ستبدأ يوم الأحد المفاوضات") == [("يوم الأحد", "2017-10-15", "day")]
    # a noun of that form is no verb: the Saturday before
    assert late("انفجرت سيارة السبت في السوق") == [("السبت", "2017-10-07", "day")]
    # the reading the decision's features saw is unchanged
    assert dates("وسيبدأ السبت التحقيق") == [("السبت", "2017-10-07", "day")]


@pytest.mark.parametrize("text, pub, expected", [
    ("في السابع من أبريل 2018", PUB, "2018-04-07"),
    ("في الرابع عشر من أبريل/نيسان 2018", PUB, "2018-04-14"),
    ("الحادي والعشرين من شهر مارس 2018", PUB, "2018-03-21"),
    ("في الأول من كانون الثاني 2018", PUB, "2018-01-01"),
    ("يوم الجمعة سابع يونيو 2018", PUB, "2018-06-07"),
    ("في الثاني من يونيو", dt.date(2018, 7, 25), "2018-06-02"),
    ("الثلاثين من أكتوبر", PUB, "2016-10-30"),
])
def test_a_day_written_as_an_ordinal_is_read_late(text, pub, expected):
    got = late(text, pub)
    assert len(got) == 1 and got[0][1:] == (expected, "day"), got


def test_a_part_of_a_month_is_no_ordinal_day_of_it():
    assert late("في الأسبوع الأول من مارس") == []
    assert late("خلال النصف الثاني من يونيو") == []


def test_weekday_every_day_of_the_week():
    names = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
    for pub in (dt.date(2017, 10, 9) + dt.timedelta(days=k) for k in range(7)):
        for wd, name in enumerate(names):
            got = dt.date.fromisoformat(one(f"يوم {name}", pub)[0])
            assert got.weekday() == wd and 0 <= (pub - got).days <= 6
            past = dt.date.fromisoformat(one(f"يوم {name} الماضي", pub)[0])
            assert past.weekday() == wd and 1 <= (pub - past).days <= 7


def test_weekday_is_not_the_number():
    assert one("يوم الاثنين") == ("2017-10-09", "day")


# ------------------------------------------------------------------ explicit dates
@pytest.mark.parametrize("text, expected", [
    ("12 أكتوبر 2017", ("2017-10-12", "day")),
    ("12 اكتوبر 2017", ("2017-10-12", "day")),
    ("12 أوكتوبر 2017", ("2017-10-12", "day")),
    ("12 تشرين الأول 2017", ("2017-10-12", "day")),
    ("12 تشرين الاول 2017", ("2017-10-12", "day")),
    ("3 كانون الثاني 2016", ("2016-01-03", "day")),
    ("3 كانون الأول 2016", ("2016-12-03", "day")),
    ("1 شباط 2015", ("2015-02-01", "day")),
    ("21 آذار 2015", ("2015-03-21", "day")),
    ("9 نيسان 2003", ("2003-04-09", "day")),
    ("15 أيار 2016", ("2016-05-15", "day")),
    ("10 حزيران 2014", ("2014-06-10", "day")),
    ("14 تموز 2017", ("2017-07-14", "day")),
    ("3 آب 2014", ("2014-08-03", "day")),
    ("11 أيلول 2001", ("2001-09-11", "day")),
    ("5 تشرين الثاني 2016", ("2016-11-05", "day")),
    ("2 يناير 2017", ("2017-01-02", "day")),
    ("2 فبراير 2017", ("2017-02-02", "day")),
    ("2 مارس 2017", ("2017-03-02", "day")),
    ("2 أبريل 2017", ("2017-04-02", "day")),
    ("2 إبريل 2017", ("2017-04-02", "day")),
    ("2 مايو 2017", ("2017-05-02", "day")),
    ("2 يونيو 2017", ("2017-06-02", "day")),
    ("2 يوليو 2017", ("2017-07-02", "day")),
    ("2 أغسطس 2017", ("2017-08-02", "day")),
    ("2 سبتمبر 2017", ("2017-09-02", "day")),
    ("2 نوفمبر 2017", ("2017-11-02", "day")),
    ("2 ديسمبر 2017", ("2017-12-02", "day")),
    ("في الـ12 من شهر أكتوبر عام 2017", ("2017-10-12", "day")),
    ("منذ 7 أكتوبر (تشرين الأول) 2023", ("2023-10-07", "day")),
    ("الجمعة 13 أكتوبر 2017", ("2017-10-13", "day")),
    ("12/10/2017", ("2017-10-12", "day")),
    ("12-10-2017", ("2017-10-12", "day")),
    ("2017-10-12", ("2017-10-12", "day")),
    ("2017/10/12", ("2017-10-12", "day")),
    ("10/25/2017", ("2017-10-25", "day")),     # month first only when it must be
    ("October 12, 2017", ("2017-10-12", "day")),
    ("حزيران 2014", ("2014-06-01", "month")),
    ("في شهر أيار من عام 2016", ("2016-05-01", "month")),
])
def test_explicit(text, expected):
    assert one(text) == expected


def test_explicit_span_includes_the_levantine_name():
    text = "منذ 7 أكتوبر (تشرين الأول) 2023، وهجوم حركة"
    assert dates(text) == [("7 أكتوبر (تشرين الأول) 2023", "2023-10-07", "day")]


@pytest.mark.parametrize("text, pub, expected", [
    ("5 تشرين الثاني", PUB, "2016-11-05"),        # the latest not after publication
    ("5 تشرين الأول", PUB, "2017-10-05"),
    ("12 أكتوبر", PUB, "2017-10-12"),
    ("13 أكتوبر", PUB, "2016-10-13"),
    ("20 يناير (كانون الثاني) المقبل", dt.date(2024, 12, 12), "2025-01-20"),
    ("10 أيلول", dt.date(2018, 1, 2), "2017-09-10"),
])
def test_year_inferred_from_publication(text, pub, expected):
    assert one(text, pub) == (expected, "day")


@pytest.mark.parametrize("text, expected", [
    ("شهر أيار الماضي", "2017-05-01"),
    ("تموز الماضي", "2017-07-01"),
    ("أكتوبر الماضي", "2016-10-01"),     # the publication month is not «الماضي»
    ("شهر تشرين الأول", "2017-10-01"),
    ("نوفمبر المقبل", "2017-11-01"),
])
def test_month_with_modifier(text, expected):
    assert one(text) == (expected, "month")


def test_year():
    assert one("منذ عام 2014") == ("2014-01-01", "year")
    assert dates("منذ عام 1438 هـ") == []


# ------------------------------------------------------------------ no publication date
@pytest.mark.parametrize("text", [
    "أمس", "أول من أمس", "اليوم", "يوم الجمعة", "الثلاثاء الماضي", "الأسبوع الماضي",
    "الشهر الماضي", "12 أكتوبر", "شهر أيار الماضي", "15 رمضان", "منذ يومين",
])
def test_no_publication_date_never_invents(text):
    assert one(text, None) == (None, "unknown")


def test_no_publication_date_keeps_explicit_dates():
    assert one("12 أكتوبر 2017", None) == ("2017-10-12", "day")
    assert one("15 رمضان 1438 هـ", None) == ("2017-06-10", "day")


def test_publication_may_be_a_datetime_or_string():
    assert one("أمس", dt.datetime(2017, 10, 12, 23, 0)) == ("2017-10-11", "day")
    assert one("أمس", "2017-10-12T08:00:00") == ("2017-10-11", "day")


# ------------------------------------------------------------------ Hijri
def _reference_hijri_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """The tabular calendar by counting months from the epoch (a second, independent
    implementation): 30/29-day months, Dhu al-Hijjah 30 days in the 11 leap years of
    each 30-year cycle (2 5 7 10 13 16 18 21 24 26 29)."""
    leap = {2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29}
    days = 0
    for y in range(1, year):
        days += 355 if (y % 30 or 30) in leap else 354
    for m in range(1, month):
        days += 30 if m % 2 else 29
    return dt.date(622, 7, 19) + dt.timedelta(days=days + day - 1)  # 16 July 622 Julian


@pytest.mark.parametrize("hijri, known", [
    ((1438, 9, 1), "2017-05-27"),    # Ramadan 1438
    ((1438, 9, 15), "2017-06-10"),
    ((1440, 1, 1), "2018-09-11"),
    ((1444, 12, 10), "2023-06-28"),  # Eid al-Adha 1444
    ((1445, 9, 1), "2024-03-11"),
    ((1445, 10, 1), "2024-04-10"),   # Eid al-Fitr 1445
    ((1446, 1, 1), "2024-07-07"),
    ((1400, 1, 1), "1979-11-20"),
    ((1421, 1, 1), "2000-04-06"),
])
def test_hijri_known_dates_within_a_day(hijri, known):
    got = hijri_to_gregorian(*hijri)
    assert abs((got - dt.date.fromisoformat(known)).days) <= 1


def test_hijri_exact_tabular():
    assert hijri_to_gregorian(1, 1, 1) == dt.date(622, 7, 19)
    assert hijri_to_gregorian(1438, 9, 1) == dt.date(2017, 5, 27)
    for y in (1, 2, 29, 30, 31, 1000, 1399, 1400, 1438, 1445, 1446, 1500):
        for m in range(1, 13):
            for d in (1, hijri_month_length(y, m)):
                assert hijri_to_gregorian(y, m, d) == _reference_hijri_to_gregorian(y, m, d)


def test_hijri_cycle_and_round_trip():
    # a 30-year cycle has 10631 days
    assert (hijri_to_gregorian(1470, 9, 1) - hijri_to_gregorian(1440, 9, 1)).days == 10631
    d = dt.date(1990, 1, 1)
    while d < dt.date(2031, 1, 1):
        assert hijri_to_gregorian(*gregorian_to_hijri(d)) == d
        d += dt.timedelta(days=13)
    with pytest.raises(ValueError):
        hijri_to_gregorian(1438, 2, 30)   # Safar has 29 days


def test_hijri_in_text():
    assert one("15 رمضان 1438 هـ") == ("2017-06-10", "day")
    assert one("في 1 رمضان 1438 للهجرة") == ("2017-05-27", "day")
    assert one("10 ذو الحجة 1444") == ("2023-06-29", "day")
    # no year: the latest such day not after publication (12 Oct 2017 = 21 Muharram 1439
    # in the tabular calendar, 22 in Umm al-Qura)
    assert gregorian_to_hijri(PUB) == (1439, 1, 21)
    assert _reference_hijri_to_gregorian(1439, 1, 21) == PUB
    assert one("15 رمضان") == ("2017-06-10", "day")                               # 1438
    assert one("21 محرم") == ("2017-10-12", "day")                                # 1439
    assert one("22 محرم") == (_reference_hijri_to_gregorian(1438, 1, 22).isoformat(), "day")


# ------------------------------------------------------------------ dateparser is not enough
def test_dateparser_fails_on_last_tuesday():
    dateparser = pytest.importorskip("dateparser")
    settings = {"RELATIVE_BASE": dt.datetime(2017, 10, 12)}
    assert dateparser.parse("يوم الثلاثاء الماضي", languages=["ar"], settings=settings) is None
    assert one("يوم الثلاثاء الماضي") == ("2017-10-10", "day")


# ------------------------------------------------------------------ publication date
@pytest.mark.parametrize("raw, expected", [
    ("عنوان الخبر\nنشر في 12 أكتوبر 2017\nقال مصدر أمس إن", "2017-10-12"),
    ("تاريخ النشر: 2017-10-12 08:30\nنص", "2017-10-12"),
    ("آخر تحديث: الخميس 12 تشرين الأول 2017 - 10:40", "2017-10-12"),
    ("Published: October 12, 2017\nنص", "2017-10-12"),
    ("عنوان\nبغداد - 12/10/2017\n\nقال مصدر أمني", "2017-10-12"),
    ("عنوان\nالخميس 12 أكتوبر 2017\nنص الخبر", "2017-10-12"),
    ("وقعت الهجمات في 12 أكتوبر 2017 حين كانت القوات العراقية تتقدم نحو القائم في عملية واسعة", None),
    ("قال مصدر أمس إن القوات وصلت يوم الثلاثاء الماضي", None),
])
def test_publication_date(raw, expected):
    assert publication_date(raw) == expected


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_seeds_state_no_publication_date(path):
    assert publication_date(path.read_text(encoding="utf-8")) is None


# ------------------------------------------------------------------ offsets, speed, data
@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_seed_round_trip(path):
    raw = path.read_text(encoding="utf-8")
    found = find_dates(normalize(raw), PUB)
    assert found
    last = -1
    for d in found:
        assert raw[d.start:d.end] == d.text
        assert d.start >= last
        last = d.end
        assert d.date is not None and d.precision in ("day", "week", "month", "year")


def test_seed_expressions():
    raw = (SEEDS / "001_0f6a368dce576d34.txt").read_text(encoding="utf-8")
    got = {(d.text, d.date) for d in find_dates(normalize(raw), PUB)}
    assert ("يوم الثلاثاء الماضي", "2017-10-10") in got
    assert ("السبت الماضي", "2017-10-07") in got
    assert ("7 أكتوبر (تشرين الأول) 2023", "2023-10-07") in got


def test_round_trip_with_diacritics_and_tatweel():
    raw = "وَقَالَ أَمْسِ إنَّ الـهُجومَ وَقَعَ يَوْمَ الثُّلاثاءِ المـاضِي فِي ١٢ تِشْرينَ الأَوَّلِ ٢٠١٧."
    got = dates(raw)
    assert [g[1:] for g in got] == [("2017-10-11", "day"), ("2017-10-10", "day"), ("2017-10-12", "day")]
    assert got[1][0] == "يَوْمَ الثُّلاثاءِ المـاضِي"


def test_lexicon_loaded_once():
    lex = lexicon()
    assert lexicon() is lex
    assert lex.months["كانون الثاني"] == 1 and lex.months["تشرين الاول"] == 10
    assert lex.hijri["رمضان"] == 9
    assert set(lex.weekdays.values()) == set(range(7))


def test_speed():
    raw = (SEEDS / "001_0f6a368dce576d34.txt").read_text(encoding="utf-8")[:5000]
    nt = normalize(raw)
    find_dates(nt, PUB)
    best = 1.0
    for _ in range(5):
        t = time.perf_counter()
        find_dates(nt, PUB)
        best = min(best, time.perf_counter() - t)
    assert best < 0.025  # a few ms on a laptop; generous for slow CI machines


@pytest.mark.parametrize("page", sorted((ROOT / "samples" / "seeds").glob("*.txt")), ids=lambda p: p.name[:3])
def test_dates_searched_within_sentences_are_those_of_the_whole_page(page):
    """``within`` (what event extraction asks for: the sentences of its triggers) finds
    exactly the dates the full search finds there, and does not read the whole page."""
    from rasd.lang.sentences import sentences

    raw = page.read_text("utf-8")
    nt = normalize(raw)
    pub = dt.date(2017, 10, 12)

    def rows(ds):
        return [(d.start, d.end, d.date, d.precision) for d in ds]

    full = rows(find_dates(nt, pub))
    assert full
    fewer = 0
    for s in sentences(raw):
        part = rows(find_dates(nt, pub, within=[(nt.norm_index(s.start), nt.norm_index(s.end))]))
        assert set(part) <= set(full)
        assert [x for x in part if s.start <= x[0] < s.end] == [x for x in full if s.start <= x[0] < s.end]
        fewer += len(part) < len(full)
    assert fewer
