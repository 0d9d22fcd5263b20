"""Dates in Arabic news, resolved against the publication date.

``find_dates(nt, published)`` reads the normalised text of
:func:`rasd.lang.normalize.normalize` and returns :class:`rasd.records.DateRef` records
with raw offsets (``raw[d.start:d.end] == d.text``), in text order. ``date`` is an ISO
date ``YYYY-MM-DD``; ``precision`` says how much of it is meant:

* ``day``   — «أمس», «يوم الثلاثاء الماضي», «12 أكتوبر 2017», «15 رمضان 1438 هـ»;
* ``week``  — «الأسبوع الماضي»: ``date`` is the Monday of that (ISO) week;
* ``month`` — «الشهر الماضي», «حزيران 2014», «شهر أيار الماضي»: the first of the month;
* ``year``  — «عام 2014», «العام الماضي»: 1 January;
* ``unknown`` — a relative or year-less date and no publication date: ``date`` is None.
  Nothing is ever guessed from today's date.

What is read:

* relative days: أمس, أول من أمس, اليوم, الليلة الماضية, غدا (with «صباح», «مساء» … taken
  into the span); «قبل/منذ يومين», «قبل ثلاثة أيام», «منذ أسبوع»;
* weekdays: «يوم الجمعة», «الجمعة», «(الخميس)» → the latest such day on or before the
  publication date; with «الماضي» strictly before it; with «المقبل» strictly after;
* «الأسبوع/الشهر/العام الماضي» (and الحالي, الجاري, المقبل …);
* explicit dates with Gregorian (يناير … ديسمبر, Maghrebi and English names) and
  Levantine/Iraqi month names (كانون الثاني … كانون الأول), «7 أكتوبر (تشرين الأول) 2023»;
  without a year the year is that of the latest such date not after publication
  (with «المقبل» the earliest after it); a month name alone counts with a year, with
  «شهر» before it or «الماضي/المقبل» after it (not «مارس» the verb);
* numeric dates ``12/10/2017``, ``12-10-2017``, ``2017-10-12`` (day first unless the
  second number cannot be a month);
* Hijri dates «15 رمضان 1438 هـ» (without a year: the latest such day not after
  publication), converted with the *tabular* Islamic calendar (see :func:`hijri_to_gregorian`);
* a year «عام 2014» → precision ``year``.

``publication_date(raw)`` finds the date a page states for itself: after a cue such as
«نشر في» or «تاريخ النشر», else a date standing alone on a short line (a dateline).

The lexicon is data: ``rasd/data/dates.tsv`` (its header explains the columns), loaded once.
dateparser is not needed: it returns nothing for «يوم الثلاثاء الماضي» (tests show it).
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..records import DateRef
from .normalize import NormText, norm_key, normalize
from .tokenize import CONJUNCTIONS, near, proclitic_runs, whole_word_starts

__all__ = [
    "DateLexicon",
    "find_dates",
    "gregorian_to_hijri",
    "hijri_month_length",
    "hijri_to_gregorian",
    "lexicon",
    "publication_date",
]

# ------------------------------------------------------------------ Hijri calendar
#: Julian day number of 1 Muharram 1 AH in the civil ("Friday") epoch: 16 July 622 Julian
_HIJRI_EPOCH = 1948440
_JDN_ORDINAL = 1721425  # JDN − proleptic Gregorian ordinal (date.toordinal())


def _hijri_is_leap(year: int) -> bool:
    """Leap years of the tabular calendar: 2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29 of 30."""
    return (14 + 11 * year) % 30 < 11


def hijri_month_length(year: int, month: int) -> int:
    """Days in a month of the tabular Islamic calendar (29 or 30)."""
    if month % 2 == 1 or (month == 12 and _hijri_is_leap(year)):
        return 30
    return 29


def _hijri_to_jdn(year: int, month: int, day: int) -> int:
    return (day + (59 * (month - 1) + 1) // 2 + (year - 1) * 354
            + (3 + 11 * year) // 30 + _HIJRI_EPOCH - 1)


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """Gregorian date of a Hijri date in the tabular (arithmetic) Islamic calendar.

    This is the civil tabular calendar (epoch 16 July 622 Julian, the common 11-leap-year
    30-year cycle). The calendars in use (Umm al-Qura, or sighting of the moon) may differ
    from it by a day, occasionally two: treat the result as ±1 day.
    """
    if not (1 <= month <= 12 and 1 <= day <= hijri_month_length(year, month)):
        raise ValueError(f"no such Hijri date: {year}-{month}-{day}")
    return dt.date.fromordinal(_hijri_to_jdn(year, month, day) - _JDN_ORDINAL)


def gregorian_to_hijri(d: dt.date) -> tuple[int, int, int]:
    """(year, month, day) of ``d`` in the tabular Islamic calendar (see :func:`hijri_to_gregorian`)."""
    jdn = d.toordinal() + _JDN_ORDINAL
    year = (30 * (jdn - _HIJRI_EPOCH) + 10646) // 10631
    if _hijri_to_jdn(year, 1, 1) > jdn:
        year -= 1
    month = 12
    while month > 1 and _hijri_to_jdn(year, month, 1) > jdn:
        month -= 1
    return year, month, jdn - _hijri_to_jdn(year, month, 1) + 1


# ------------------------------------------------------------------ lexicon
@dataclass(slots=True)
class DateLexicon:
    """The lexicon of ``rasd/data/dates.tsv``, normalised."""

    months: dict[str, int]
    hijri: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, str]
    dayparts: list[str]
    past: list[str]
    next: list[str]
    hijri_marks: list[str]
    pubcues: list[str]
    notdate: list[str]
    ordinals: dict[str, int]
    notfuture: list[str]
    notordinal: list[str]


@lru_cache(maxsize=1)
def lexicon() -> DateLexicon:
    """Load ``dates.tsv`` once."""
    text = resources.files("rasd").joinpath("data", "dates.tsv").read_text("utf-8")
    lex = DateLexicon({}, {}, {}, {}, [], [], [], [], [], [], {}, [], [])
    lists = {"daypart": lex.dayparts, "past": lex.past, "next": lex.next,
             "hijri_mark": lex.hijri_marks, "pubcue": lex.pubcues, "notdate": lex.notdate,
             "notfuture": lex.notfuture, "notordinal": lex.notordinal}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        kind, phrase = cols[0], norm_key(cols[1])
        value = cols[2] if len(cols) > 2 else ""
        if kind == "month":
            lex.months[phrase] = int(value)
        elif kind == "hijri":
            lex.hijri[phrase] = int(value)
        elif kind == "weekday":
            lex.weekdays[phrase] = int(value)
        elif kind == "relative":
            lex.relative[phrase] = value
        elif kind == "ordinal":
            lex.ordinals[phrase] = int(value)
        elif kind in lists:
            lists[kind].append(phrase)
        else:
            raise ValueError(f"dates.tsv: unknown kind {kind!r}")
    return lex


def _alt(phrases) -> str:
    """Regex alternation of normalised phrases, longest first, blanks as ``\\s+``."""
    return "|".join(r"\s+".join(map(re.escape, p.split(" ")))
                    for p in sorted(set(phrases), key=len, reverse=True))


_L = r"(?<![^\W_])"          # no letter or digit before
_R = r"(?![^\W_])"           # no letter or digit after
_DATE_PREPS = ("ب", "ل")     # the prepositions a date word may carry (not ك)
_CL = f"(?:[{''.join(CONJUNCTIONS)}]?[{''.join(_DATE_PREPS)}]?)"      # proclitics before a date word: و ف ب ل
_YEAR_WORD = r"(?:عام|العام|سنه|السنه|لعام|لسنه)"


@dataclass(slots=True)
class _Patterns:
    explicit: re.Pattern[str]   # 12 أكتوبر (تشرين الأول) 2017, السابع من أبريل
    mdy: re.Pattern[str]        # October 12, 2017
    month: re.Pattern[str]      # حزيران 2014, شهر أيار الماضي
    numeric: re.Pattern[str]    # 12/10/2017
    iso: re.Pattern[str]        # 2017-10-12
    hijri: re.Pattern[str]      # 15 رمضان 1438 هـ
    year: re.Pattern[str]       # عام 2014
    weekday: re.Pattern[str]    # يوم الثلاثاء الماضي
    relative: re.Pattern[str]   # أول من أمس, الأسبوع الماضي
    ago: re.Pattern[str]        # قبل ثلاثة أيام
    notdate: re.Pattern[str]
    pubcue: re.Pattern[str]


@lru_cache(maxsize=2)
def _patterns(late: bool = False) -> _Patterns:
    """The patterns; ``late`` (the reading after the decision, :func:`find_dates`) also takes a
    day of the month written as an ordinal («السابع من أبريل»)."""
    lex = lexicon()
    day = (rf"(?:(?:ال)?(?P<d>\d{{1,2}})(?!\d)|(?P<od>{_alt(lex.ordinals)}){_R})" if late
           else r"(?:ال)?(?P<d>\d{1,2})(?!\d)")
    mon, hmon, wd = _alt(lex.months), _alt(lex.hijri), _alt(lex.weekdays)
    mod = rf"(?:\s+(?:(?P<past>{_alt(lex.past)})|(?P<next>{_alt(lex.next)})){_R})"
    dp = _alt(lex.dayparts)
    year_tail = (rf"(?:\s*[،,]?\s*(?:من\s+)?(?:{_YEAR_WORD}\s+)?(?P<y>\d{{4}})(?!\d)"
                 rf"(?:\s*(?:م|ميلادي|ميلاديه){_R})?)")
    mon2 = rf"(?:\s*[(/]\s*(?:{mon})\s*\)?)"
    flags = re.IGNORECASE
    return _Patterns(
        explicit=re.compile(
            rf"{_L}{_CL}(?P<s>(?:(?:(?:{dp})\s+)?(?:{wd})\s*[،,-]?\s*\(?\s*)?"
            rf"{day}\s*(?:من\s+)?(?:شهر\s+)?(?P<m>{mon}){_R}{mon2}?"
            rf"{year_tail}?{mod}?)", flags),
        mdy=re.compile(rf"{_L}(?P<s>(?P<m>{mon})\.?\s+(?P<d>\d{{1,2}})(?!\d)\s*[،,]?\s+(?P<y>\d{{4}})(?!\d))",
                       flags),
        month=re.compile(
            rf"{_L}{_CL}(?P<s>(?:(?P<shahr>شهر)\s+)?(?P<m>{mon}){_R}{mon2}?"
            rf"(?:{year_tail}|{mod})?)", flags),
        numeric=re.compile(r"(?<![\d/.\-])(?P<s>(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)"
                           r"(?P<y>\d{4}|\d{2}))(?![\d/\-]|\.\d)"),
        iso=re.compile(r"(?<![\d/.\-])(?P<s>(?P<y>\d{4})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)"
                       r"(?P<d>\d{1,2}))(?![\d/\-]|\.\d)"),
        hijri=re.compile(
            rf"{_L}{_CL}(?P<s>(?P<d>\d{{1,2}})(?!\d)\s*(?:من\s+)?(?:شهر\s+)?(?P<m>{hmon}){_R}"
            rf"(?:\s*[،,]?\s*(?:{_YEAR_WORD}\s+)?(?P<y>\d{{3,4}})(?!\d)"
            rf"(?:\s*(?:{_alt(lex.hijri_marks)}){_R})?)?)"),
        year=re.compile(rf"{_L}{_CL}(?P<s>{_YEAR_WORD}\s+(?P<y>\d{{4}}))(?!\d)"
                        rf"(?!\s*(?:{_alt(lex.hijri_marks)}){_R})"),
        weekday=re.compile(rf"{_L}{_CL}(?P<s>(?:(?:{dp})\s+)?(?P<w>{wd}){_R}{mod}?)"),
        relative=re.compile(rf"{_L}(?:[وف]?(?:[بل](?=ال))?|[وف])(?P<s>(?:(?:{dp})\s+)?"
                            rf"(?P<r>{_alt(lex.relative)}){_R})"),
        ago=re.compile(rf"{_L}{_CL}(?P<s>(?:قبل|منذ)\s+(?:(?P<n>\d{{1,3}}|[^\W\d_]+(?:\s+و?[^\W\d_]+)?)\s+"
                       rf"(?P<u>ايام|يوما|اسابيع|اسبوعا|اشهر|شهور|شهرا)"
                       rf"|(?P<du>يومين|اسبوعين|شهرين)|(?P<one>يوم|اسبوع|شهر)){_R})"),
        notdate=re.compile(rf"{_L}{_CL}(?:{_alt(lex.notdate + (lex.notordinal if late else []))}){_R}"),
        pubcue=re.compile(rf"{_L}(?:{_alt(lex.pubcues)}){_R}", flags),
    )


# ------------------------------------------------------------------ resolution helpers
def _month_start(year: int, month: int, shift: int = 0) -> dt.date:
    k = year * 12 + (month - 1) + shift
    return dt.date(k // 12, k % 12 + 1, 1)


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _year_for(month: int, day: int, pub: dt.date, direction: str | None) -> dt.date | None:
    """The day/month in the year that makes it the latest not after ``pub`` (the earliest
    after it for ``direction == "next"``; strictly before for ``"past"``)."""
    if direction == "next":
        for y in (pub.year, pub.year + 1):
            d = _safe_date(y, month, day)
            if d is not None and d > pub:
                return d
        return None
    for y in (pub.year, pub.year - 1, pub.year - 2, pub.year - 3, pub.year - 4):
        d = _safe_date(y, month, day)
        if d is not None and (d < pub if direction == "past" else d <= pub):
            return d
    return None


_REL_DAYS = {"today": 0, "yesterday": -1, "day_before_yesterday": -2, "last_night": -1,
             "tomorrow": 1, "day_after_tomorrow": 2}
_REL_SHIFT = {"this": 0, "last": -1, "next": 1}


def _relative(code: str, pub: dt.date) -> tuple[dt.date, str]:
    if code in _REL_DAYS:
        return pub + dt.timedelta(days=_REL_DAYS[code]), "day"
    which, unit = code.split("_")
    k = _REL_SHIFT[which]
    if unit == "week":
        return _monday(pub) + dt.timedelta(weeks=k), "week"
    if unit == "month":
        return _month_start(pub.year, pub.month, k), "month"
    if unit == "year":
        return dt.date(pub.year + k, 1, 1), "year"
    raise ValueError(f"dates.tsv: unknown relative code {code!r}")


def _words_number(s: str) -> int | None:
    """A small amount written in words or digits («ثلاثة», «عشرة», «3»)."""
    if s.isdigit():
        return int(s)
    from .quantities import parse_quantity  # quantities does not import this module
    q = parse_quantity(s)
    if q is None or not isinstance(q.value, int) or q.text.strip() != s.strip():
        return None
    return q.value


# ------------------------------------------------------------------ finding
@dataclass(slots=True)
class _Cand:
    ns: int
    ne: int
    prio: int
    date: dt.date | None
    precision: str


Resolver = Callable[[re.Match[str], "dt.date | None"], "tuple[dt.date | None, str] | None"]


def _direction(m: re.Match[str]) -> str | None:
    gd = m.groupdict()
    if gd.get("past"):
        return "past"
    if gd.get("next"):
        return "next"
    return None


def _r_explicit(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    lex = lexicon()
    month = lex.months[norm_key(m.group("m")).lower()]
    gd = m.groupdict()
    # «السابع من أبريل», «سابع يونيو»: a day written as an ordinal
    day = int(gd["d"]) if gd.get("d") else lex.ordinals[" ".join(norm_key(gd["od"]).split())]
    if not 1 <= day <= 31:
        return None
    if m.group("y"):
        d = _safe_date(int(m.group("y")), month, day)
        return (d, "day") if d else None
    if pub is None:
        return None, "unknown"
    d = _year_for(month, day, pub, _direction(m))
    return (d, "day") if d else None


def _r_month(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    month = lexicon().months[norm_key(m.group("m")).lower()]
    if m.group("y"):
        return _month_start(int(m.group("y")), month), "month"
    direction = _direction(m)
    if not (m.group("shahr") or direction):
        return None  # «مارس» alone may be the verb; «آب» may be «أب»
    if pub is None:
        return None, "unknown"
    y = pub.year
    if direction == "next":
        y += month <= pub.month
    elif direction == "past":
        y -= month >= pub.month
    else:
        y -= month > pub.month
    return dt.date(y, month, 1), "month"


def _two_digit_year(y: str) -> int:
    v = int(y)
    if len(y) == 4:
        return v
    return 2000 + v if v < 70 else 1900 + v


def _r_numeric(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    a, b, y = int(m.group("d")), int(m.group("m")), _two_digit_year(m.group("y"))
    if len(m.group("y")) == 2 and m.group("sep") == ".":
        return None  # 12.10.17 is more often a version or a score than a date
    d = _safe_date(y, b, a) or _safe_date(y, a, b)  # day first, month first if it must
    return (d, "day") if d and 1900 <= y <= 2100 else None


def _r_iso(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    y = int(m.group("y"))
    d = _safe_date(y, int(m.group("m")), int(m.group("d")))
    return (d, "day") if d and 1900 <= y <= 2100 else None


def _r_hijri(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    month = lexicon().hijri[norm_key(m.group("m"))]
    day = int(m.group("d"))
    if not 1 <= day <= 30:
        return None
    if m.group("y"):
        y = int(m.group("y"))
        if not 1 <= y <= 1600:
            return None
    elif pub is None:
        return None, "unknown"
    else:
        py, pm, pd = gregorian_to_hijri(pub)
        y = py if (month, day) <= (pm, pd) else py - 1
    if day > hijri_month_length(y, month):
        return None
    return hijri_to_gregorian(y, month, day), "day"


def _r_year(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    y = int(m.group("y"))
    return (dt.date(y, 1, 1), "year") if 1900 <= y <= 2100 else None


_FUTURE_VERB = re.compile(r"[وف]?س[يتن][^\W\d_]{2,}")


def _after_future_verb(m: re.Match[str]) -> bool:
    """«وسيبدأ السبت التحقيق», «ستبدأ يوم الأحد»: a weekday right after a verb in the future
    tense (سـ + the imperfect) is a coming day."""
    before = m.string[max(0, m.start("s") - 30):m.start("s")].split()
    if before and before[-1] == "يوم":
        before = before[:-1]
    w = before[-1].strip("،,") if before else ""
    return bool(_FUTURE_VERB.fullmatch(w)) and w.lstrip("وف") not in lexicon().notfuture


def _r_weekday(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    if pub is None:
        return None, "unknown"
    wd = lexicon().weekdays[norm_key(m.group("w"))]
    direction = _direction(m)
    if direction == "next":
        return pub + dt.timedelta(days=(wd - pub.weekday()) % 7 or 7), "day"
    back = (pub.weekday() - wd) % 7
    if direction == "past" and back == 0:
        back = 7
    return pub - dt.timedelta(days=back), "day"


def _r_weekday_late(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    """The weekday read after the decision: after a future-tense verb it is a coming day."""
    if pub is not None and not _direction(m) and _after_future_verb(m):
        wd = lexicon().weekdays[norm_key(m.group("w"))]
        return pub + dt.timedelta(days=(wd - pub.weekday()) % 7 or 7), "day"
    return _r_weekday(m, pub)


def _r_relative(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    if pub is None:
        return None, "unknown"
    return _relative(lexicon().relative[norm_key(m.group("r"))], pub)


def _r_ago(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    if m.group("du"):
        n, unit = 2, m.group("du")
    elif m.group("one"):
        n, unit = 1, m.group("one")
    else:
        v = _words_number(m.group("n"))
        if v is None:
            return None
        n, unit = v, m.group("u")
    if pub is None:
        return None, "unknown"
    if unit.startswith("يوم") or unit == "ايام":
        return pub - dt.timedelta(days=n), "day"
    if unit.startswith("اسبوع") or unit == "اسابيع":
        return _monday(pub - dt.timedelta(weeks=n)), "week"
    return _month_start(pub.year, pub.month, -n), "month"


# (pattern name, priority: lower wins a tie of length, resolver)
_RULES: list[tuple[str, int, Resolver]] = [
    ("explicit", 0, _r_explicit), ("mdy", 0, _r_explicit), ("hijri", 1, _r_hijri),
    ("iso", 2, _r_iso), ("numeric", 2, _r_numeric), ("month", 3, _r_month),
    ("year", 4, _r_year), ("ago", 5, _r_ago), ("weekday", 6, _r_weekday),
    ("relative", 7, _r_relative),
]
_RULES_LATE = [(n, p, _r_weekday_late if r is _r_weekday else r) for n, p, r in _RULES]


_WORD_RE = re.compile("[\u0621-\u064aa-z]+")
_NUMSEP_RE = re.compile(r"\d[/.\-]\d")
_STOP = frozenset({"من", "في", "هذا", "هذه", "بعد", "قبل", "منذ", "اول", "يوم"})
_BEFORE, _AFTER = 50, 90   # characters of context searched around an anchor word
_NEAR = 2 * _AFTER         # anchors this close to a range asked for are read (a date that
                           # starts in the range has its anchors within that distance)


@lru_cache(maxsize=1)
def _anchors() -> dict[str, frozenset[str]]:
    """Words whose presence makes a pattern worth running, with the proclitics they may
    carry: word -> names of the patterns (see ``_RULES``) that can match around it."""
    lex = lexicon()
    groups: dict[str, list[str]] = {
        "explicit": list(lex.months), "month": list(lex.months), "mdy": list(lex.months),
        "hijri": list(lex.hijri), "weekday": list(lex.weekdays),
        "year": ["عام", "العام", "سنه", "السنه"],
        "relative": list(lex.relative),
        "ago": ["ايام", "يوما", "اسابيع", "اسبوعا", "اشهر", "شهور", "شهرا", "يومين", "اسبوعين",
                "شهرين", "يوم", "اسبوع", "شهر"],
    }
    out: dict[str, set[str]] = {}
    for name, phrases in groups.items():
        for phrase in phrases:
            for w in phrase.split(" "):
                if w in _STOP and name != "ago":
                    continue
                forms = [w] + [p + w for p in proclitic_runs(_DATE_PREPS)]   # و ف ب ل وب ول فب فل
                if w.startswith("ال"):
                    forms += [p + w[1:] for p in proclitic_runs(_DATE_PREPS) if p.endswith("ل")]   # لل ولل فلل
                for f in forms:
                    out.setdefault(f, set()).add(name)
    return {k: frozenset(v) for k, v in out.items()}


_LAST_MARKS: tuple = (None, None, [])     # (text, anchors, marks)


def _marks(text: str) -> list[tuple[int, frozenset[str]]]:
    """(position, pattern names) of every anchor word and numeric date of ``text``. Kept
    for the last text read: an article is read once before the decision and again, a
    sentence at a time, after it (``late``), and each reading asks for the whole text's
    anchors (treat the list as read-only)."""
    global _LAST_MARKS
    anchors = _anchors()
    last = _LAST_MARKS
    if last[0] is text and last[1] is anchors:
        return last[2]
    found = anchors.keys() & set(_WORD_RE.findall(text))
    marks: list[tuple[int, frozenset[str]]] = []
    for w in found:
        names = anchors[w]
        marks += [(p, names) for p in whole_word_starts(text, (w,))]
    marks += [(m.start(), _NUMERIC) for m in _NUMSEP_RE.finditer(text)]
    _LAST_MARKS = (text, anchors, marks)
    return marks


def _segments(text: str, within: list[tuple[int, int]] | None = None) -> list[tuple[int, int, set[str]]]:
    """Stretches of ``text`` around anchor words and numeric dates, cut at white space,
    each with the names of the patterns worth running there (those of its anchors); with
    ``within``, only around the anchors near those ranges of ``text``."""
    marks = _marks(text)
    if within is not None:
        keep = set(near([p for p, _ in marks], within, _NEAR))
        marks = [m for m in marks if m[0] in keep]
    marks = sorted(marks, key=lambda m: m[0])
    n = len(text)
    segs: list[tuple[int, int, set[str]]] = []
    for p, names in marks:
        a, b = max(0, p - _BEFORE), min(n, p + _AFTER)
        if a > 0:
            a = max(text.rfind(" ", 0, a), text.rfind("\n", 0, a)) + 1
        if b < n:
            b = min(x for x in (text.find(" ", b), text.find("\n", b), n) if x != -1)
        if segs and a <= segs[-1][1]:
            last = segs[-1]
            segs[-1] = (last[0], max(b, last[1]), last[2] | names)
        else:
            segs.append((a, b, set(names)))
    return segs


_NUMERIC = frozenset({"numeric", "iso"})


def _candidates(text: str, pub: dt.date | None, within: list[tuple[int, int]] | None = None,
                late: bool = False) -> list[_Cand]:
    pats = _patterns(late)
    segs = _segments(text, within)
    blocked = [(m.start(), m.end()) for a, b, _ in segs for m in pats.notdate.finditer(text, a, b)]
    cands: list[_Cand] = []
    for name, prio, resolve in (_RULES_LATE if late else _RULES):
        pat = getattr(pats, name)
        # a pattern runs only where one of its anchor words is (a match holds its anchor)
        for a, b, names in segs:
            if name not in names:
                continue
            for m in pat.finditer(text, a, b):
                ns, ne = m.span("s")
                if blocked and any(x < ne and ns < y for x, y in blocked):
                    continue
                res = resolve(m, pub)
                if res is not None:
                    cands.append(_Cand(ns, ne, prio, res[0], res[1]))
    # the longest reading wins; an overlapped shorter one is dropped
    cands.sort(key=lambda c: (-(c.ne - c.ns), c.prio, c.ns))
    kept: list[_Cand] = []
    spans: list[tuple[int, int]] = []      # the kept ones, disjoint, by start (so by end too)
    for c in cands:
        i = bisect_left(spans, (c.ns, c.ne))
        if (i == 0 or spans[i - 1][1] <= c.ns) and (i == len(spans) or c.ne <= spans[i][0]):
            spans.insert(i, (c.ns, c.ne))
            kept.append(c)
    kept.sort(key=lambda c: c.ns)
    return _weekday_after_yesterday(text, kept)


_YESTERDAYS = ("yesterday", "day_before_yesterday")


def _weekday_after_yesterday(text: str, kept: list[_Cand]) -> list[_Cand]:
    """«أمس الجمعة», «يوم أمس السبت»: a relative day named with its weekday is one date, the
    weekday's (a report written the evening before it is published says «أمس» of the day
    before the writing); the two readings differ only then."""
    lex = lexicon()
    out: list[_Cand] = []
    for c in kept:
        if out and c.date is not None and not text[out[-1].ne:c.ns].strip():
            p = out[-1]
            first = text[p.ns:p.ne].split()
            if first and lex.relative.get(" ".join(first[-2:])) in _YESTERDAYS or \
                    first and lex.relative.get(first[-1]) in _YESTERDAYS:
                words = text[c.ns:c.ne].split()
                if any(w in lex.weekdays for w in words):
                    out[-1] = _Cand(p.ns, c.ne, c.prio, c.date, c.precision)
                    continue
        out.append(c)
    return out


def _as_date(published: dt.date | dt.datetime | str | None) -> dt.date | None:
    if published is None:
        return None
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    return dt.date.fromisoformat(str(published)[:10])


def find_dates(nt: NormText, published: dt.date | None, *,
               within: list[tuple[int, int]] | None = None, late: bool = False) -> list[DateRef]:
    """Date expressions of ``nt`` resolved against ``published`` (see the module doc).

    ``published`` may also be a datetime or an ISO string. Without it, relative and
    year-less dates come back with ``date=None`` and precision ``"unknown"``.
    ``within``: sorted normalised ranges of ``nt``; the dates that start in them are
    wanted (others near them may come back too), the rest of the text is not read.
    ``late``: the reading after the decision (the decision's features read the dates as found
    without it): a day of the month written as an ordinal («في السابع من أبريل»), and a
    weekday right after a future-tense verb read as a coming day («وسيبدأ السبت»).
    """
    pub = _as_date(published)
    out: list[DateRef] = []
    for c in _candidates(nt.text, pub, within, late):
        a, b = nt.raw_span(c.ns, c.ne)
        out.append(DateRef(a, b, nt.raw[a:b], c.date.isoformat() if c.date else None,
                           c.precision if c.date else "unknown"))
    return out


_DATELINE_MAX = 80      # a dateline is a short line …
_DATELINE_WORDS = 4     # … with at most this many words besides the date
_CUE_GAP = 40           # characters allowed between a cue and its date


def publication_date(raw: str) -> str | None:
    """The publication date a page states, as an ISO date, or None.

    A full date (day, month, year) right after a cue of ``dates.tsv`` («نشر في»,
    «تاريخ النشر», «آخر تحديث», «Published») wins; else the first full date that stands
    on a short line of its own («الخميس 12 أكتوبر 2017», «بغداد - 12/10/2017»).
    """
    nt = normalize(raw)
    text = nt.text
    full = [c for c in _candidates(text, None) if c.date is not None and c.precision == "day"]
    if not full:
        return None
    for m in _patterns().pubcue.finditer(text):
        for c in full:
            gap = text[m.end():c.ns]
            if c.ns >= m.end() and len(gap) <= _CUE_GAP and "\n" not in gap:
                return c.date.isoformat()
    for c in full:
        ls = text.rfind("\n", 0, c.ns) + 1
        le = text.find("\n", c.ne)
        le = len(text) if le == -1 else le
        if le - ls > _DATELINE_MAX:
            continue
        rest = text[ls:c.ns] + " " + text[c.ne:le]
        if len(re.findall(r"[^\W\d_]+", rest)) <= _DATELINE_WORDS:
            return c.date.isoformat()
    return None
