"""Events: who did what to whom, where, when, how many, and who says so.

For each article (duplicates excluded: their events are the original's):

1. the language layer (:func:`rasd.lang.analyse.analyse`) finds places, actors,
   speakers, quantities and dates, with raw offsets;
2. trigger words and phrases (``data/triggers.tsv``) are found in each sentence; a
   trigger is *not* an event when a cue of ``data/modality.tsv`` governs it (forecasts,
   plans, calls, threats, negation, conditionals, questions, opinion, standing
   situations, metaphors, history), when it serves as a purpose («لاقتحام»), when it
   sits inside a name, or when the arguments its frame needs are missing (a movement
   needs someone who moves, an arrest someone arrested ...);
3. arguments are read from the trigger's clause and sentence: the actor and the one
   acted on from the actor mentions around the trigger, places with their role from the
   preposition before them (من → origin, إلى/باتجاه/نحو → destination, عبر → via,
   otherwise location), the count from the nearest quantity of people or things,
   fatalities from killing words, the date from the nearest date expression;
4. attribution: the reporting verb governing the trigger and its speaker (before or
   after it), «بحسب/وفق/نقلاً عن X», or — for «وأضاف»/«وأوضح» without a subject — the
   speaker of the sentences before; denial verbs (نفى, كذّب) make the stance ``deny``,
   and «نفى ذلك» denies the claim just made;
5. claims about the same happening share a ``claim_group``: within an article a denial
   joins the claim it denies and a restatement by the same source is dropped; across
   articles and outlets claims of the same type, actor and place within a few days join.
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator

from ..lang.analyse import Analysis, analyse, view
from ..lang.normalize import norm_key
from ..lang.lexicon import Match, PhraseMatcher
from ..lang.sentences import clauses, sentences
from ..lang.tokenize import stems
from ..records import Article, Claim, Document, Event, Place, Quantity, Span, Speaker

log = logging.getLogger(__name__)

# actors that are states or fight for one: their taking territory is «government regains»
STATE_FORCES = {"iraq_forces", "syria_gov", "coalition", "russia_forces", "turkey_forces", "israel_forces",
                "lebanon_forces", "us_gov", "pmf", "peshmerga", "hashd_watani", "iran_forces", "jordan_forces",
                "us_forces"}
PEOPLE_UNITS = {"fighters", "families", "civilians", "people", "soldiers", "police", "children", "women",
                "vehicles", "buses", "villages", "strikes", "dead", "killed", "members", "leaders", "persons",
                "prisoners", "displaced", "militants", "troops", "convoys", "cars", "trucks"}
# units that count people (the dead are people; vehicles and villages are not)
PERSON_UNITS = PEOPLE_UNITS - {"vehicles", "buses", "villages", "strikes", "convoys", "cars", "trucks"}
AIR_CUES = ("طائرات", "طائره", "طيران", "جويه", "جوي", "الجو", "مقاتلات", "مروحيه", "مروحيات", "مسيره", "مسيرات",
            "غاره", "غارات")
# words naming people who can move, be arrested or killed, when no actor is named
PERSON_NOUNS = ("عناصر", "عنصر", "مقاتل", "مسلح", "مدني", "عائل", "اسر", "نازح", "سكان", "اهالي", "قياد", "مسؤول",
                "ارهابي", "متهم", "مطلوب", "خلي", "شخص", "اشخاص", "جنود", "جندي", "قوات", "قافل", "حافل", "عجلات",
                "سيارات", "مواطن", "لاجئ", "اطفال", "نساء", "دواعش", "متشدد", "انتحاري", "خاطف", "معتقل", "اسير",
                "الالاف", "المئات", "العشرات", "مئات", "عشرات")
ARMED_NOUNS = ("مسلح", "عناصر", "عنصر", "جنود", "جندي", "مقاتل", "دواعش", "عسكري", "ضابط", "متشدد", "ارهابي", "افراد")
CIVILIAN_NOUNS = ("مدني", "مدنيين", "مواطن", "اطفال", "نساء", "سكان", "اهالي", "عائلات", "لاجئ", "نازح", "صحفي",
                  "ناشط", "رهائن", "مختطف", "متظاهر", "محتج", "طفل", "امراه", "طلاب")
CONTROL_OBJECTS = ("قري", "قريه", "مدين", "بلد", "منطق", "مناطق", "حي", "احياء", "كيلومتر", "كم", "مساح", "مواقع",
                   "موقع", "جسر", "مطار", "تل", "سد", "معبر", "منفذ", "طريق", "مركز", "قضاء", "ناحيه", "الاراضي",
                   "اراضي", "المربع", "معاقل", "معقل", "الساحل", "الضفه", "محافظ")
ORIGIN_PREPS = {"من", "عن"}
DEST_PREPS = {"الي", "باتجاه", "اتجاه", "نحو", "صوب", "حتي", "وصولا", "لجهه", "تجاه"}
VIA_PREPS = {"عبر", "مرورا"}
LOC_PREPS = {"في", "قرب", "داخل", "على", "علي", "بالقرب", "عند", "حول", "محيط", "اطراف", "مشارف"}
# words that may stand between a preposition and the place it governs
PLACE_HEADS = {"مدينه", "بلده", "قريه", "قري", "منطقه", "مناطق", "محافظه", "قضاء", "ناحيه", "الاراضي", "اراضي",
               "داخل", "عمق", "حدود", "الحدود", "مخيم", "ريف", "اطراف", "شرق", "غرب", "شمال", "جنوب", "شرقي",
               "غربي", "شمالي", "جنوبي", "مدن", "البلده", "العاصمه", "مشارف", "محيط", "وسط", "مركز", "مدينتي",
               "القريتين", "بلدتي", "منازل", "مقرات", "صحراء", "الصحراء", "باديه", "الباديه", "عمق", "مداخل",
               "مدخل", "ضواحي", "احياء", "حي", "قرب", "بالقرب", "اطراف", "محيط", "مشارف", "تخوم", "منطقتي"}
# movement triggers that end somewhere: a place near them is where they arrive
ARRIVAL = ("وصل", "وصو", "يصل", "تصل", "دخل", "دخو", "عاد", "عود", "تعود", "يعود", "أتو", "قدمو", "ظهرو")
# verbs whose object is the place left: «غادروا الغوطة الشرقية», «مغادرة ... مخيم اليرموك»
DEPARTURE = ("غادر", "يغادر", "تغادر", "مغادر", "المغادر")
# place words that also locate on their own («في محيط القائم»: near it, «من محيط القائم»: from near it)
NEAR_WORDS = {"قرب", "بالقرب", "اطراف", "محيط", "مشارف", "داخل", "عند", "حول", "تخوم", "مداخل"}
# words of fighting: a state force's arrival in a sentence with one of these is a battle
COMBAT_WORDS = ("دفاعات", "اشتباك", "معارك", "معركه", "مواجهات", "تحرير", "اقتحام", "عمليه عسكريه", "العمليات العسكريه",
                "قصف", "هجوم", "الطوق", "محاور")
KILL_SINGULAR = re.compile(r"^(قيادي|مسؤول|عنصر|جندي|مدني|شخص|ضابط|مقاتل|طفل|امراه|احد|ارهابي|انتحاري|امير|والي)")


@dataclass(frozen=True)
class Trigger:
    form: str
    type: str
    sub_type: str
    frame: str
    pos: str = "verb"           # verb | noun (a verbal noun)
    flags: str = ""             # "specific": an event only with a count or a date


def _data(name: str) -> list[list[str]]:
    text = resources.files("rasd").joinpath(f"data/{name}").read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def trigger_matcher() -> PhraseMatcher:
    m = PhraseMatcher(suffixes=True)
    for row in _data("triggers.tsv"):
        form, typ, sub, frame = (c.strip() for c in row[:4])
        pos = row[4].strip() if len(row) > 4 else "verb"
        flags = row[5].strip() if len(row) > 5 else ""
        m.add(form, Trigger(form, typ, sub, frame, pos, flags))
        if pos == "noun":          # «غارة» also as «الغارة», «الغارات» also as «غارات»
            other = form[2:] if form.startswith("ال") else "ال" + form
            if len(other) >= 3 and not m.get(other):
                m.add(other, Trigger(form, typ, sub, frame, pos, flags))
    return m


@lru_cache(maxsize=1)
def modality_matcher() -> PhraseMatcher:
    m = PhraseMatcher(suffixes=True)
    for row in _data("modality.tsv"):
        cue, cls, scope = (c.strip() for c in row[:3])
        m.add(cue, (cls, scope))
    return m


@lru_cache(maxsize=1)
def reporting_matcher() -> PhraseMatcher:
    m = PhraseMatcher()
    for row in _data("reporting.tsv"):
        form, stance, kind = (c.strip() for c in row[:3])
        m.add(form, (stance, kind))
    return m


# ------------------------------------------------------------------ helpers


_WORD_RUN = re.compile(r"[^\W_]+")
_AID = re.compile(r"^(ال|لل|بال|و|وال)?(مساعدات|اغاثه|معونات)")


def _aid_moves(ctx: _Ctx, t: Match) -> bool:
    """What moves is aid: «قافلة مساعدات», «وصول المساعدات», «دخول المساعدات الإنسانية»
    (within three words on either side of the trigger)."""
    around = ctx.norm[max(0, t.norm_start - 40):t.norm_start].split()[-3:] + \
        ctx.norm[t.norm_end:t.norm_end + 40].split()[:3]
    return any(_AID.match(w) for w in around)


# what «نقل» carries when it moves no one: a message, pictures, weapons; the wounded to hospital
_CARRIED = re.compile(r"^(ال|ب|و)?(رساله|رسائل|صور|صورا|بث|بثا|احداث|معاناه|اسلحه|اسلحت|مواد|متفجرات|صوت|"
                      r"تعازي|تحيات|ملف|اموال|معدات|ذخائر|ذخيره|مشاهد|اخبار|وجهه|موقف|رغبه|تهاني)")
_TO_HOSPITAL = re.compile(r"(مستشفي|مستشفيات|مراكز (ال)?طبيه|مشفي)")   # normalised text: ى is ي, ة is ه
_NAQL = ("نقل", "ينقل", "تنقل")   # the verb «نقل» (carry, relay) in its trigger forms


def _carries_things(ctx: _Ctx, t: Match) -> bool:
    """«نقل الرسالة», «نقل أسلحة إلى حزب الله», «نقلوا إلى المستشفى»: things carried, or
    casualties taken for care; not a movement of people or forces."""
    if not t.payloads[0].form.startswith(_NAQL):
        return False
    after = ctx.norm[t.norm_end:t.norm_end + 60].split()[:3]
    if any(_CARRIED.match(w) for w in after[:2]):
        return True
    return bool(_TO_HOSPITAL.search(" ".join(after + ctx.norm[t.norm_end:t.norm_end + 80].split()[3:5])))


_POLITICAL_EXIT = re.compile(r"(^|\s)من\s+(ال)?(اتفاق|اتفاقيه|معاهده|حكومه|انتخابات|مفاوضات|محادثات|"
                             r"عمليه السياسيه|حرب|ائتلاف|سباق|منصب|منظمه|برلمان)")


def _leaves_an_agreement(ctx: _Ctx, t: Match) -> bool:
    """«انسحاب ترامب من الاتفاق النووي», «خروج الولايات المتحدة من الحرب»: leaving a deal,
    a war or a body is politics, not forces moving."""
    return bool(_POLITICAL_EXIT.search(" ".join(ctx.norm[t.norm_end:t.norm_end + 90].split()[:4])))


_HOMES = re.compile(r"من\s+(منازلهم|ديارهم|بيوتهم|مساكنهم|منازلها|بيوتها)")


def _words_between(nt_text: str, a: int, b: int) -> int:
    return len(_WORD_RUN.findall(nt_text, a, b)) if a < b else 0


@dataclass
class _Ctx:
    """One article being read: its analysis and what the discourse has established."""

    doc: Document
    art: Article
    an: Analysis
    raw: str
    norm: str                      # normalised working copy (same offsets as raw only via nt)
    last_speaker: Speaker | None = None
    last_group: str | None = None  # the non-state group the article is about
    events: list[Event] = field(default_factory=list)
    cues_in_names: set[int] = field(default_factory=set)  # starts of modality cues inside names
    sides: "Counter | None" = None  # how often each actor is named in the article
    gz: Any = None                  # the gazetteer (looked up once per article)
    sents: list[Span] = field(default_factory=list)   # the article's sentences
    propose: bool = False          # keep candidates the rules would drop, with their reasons (cues)
    proposed: list[Event] = field(default_factory=list)   # the candidates of the sentences so far


def _veto(ctx: _Ctx, vetoes: list[str], reason: str) -> bool:
    """Note why the rules would not take a candidate; True when it is dropped here (the
    rules decide alone) rather than passed on, with its reasons, to the decision."""
    vetoes.append(reason)
    return not ctx.propose


def _n(ctx: _Ctx, raw_pos: int) -> int:
    """Normalised offset of a raw offset (first normalised char at or after it)."""
    return ctx.an.nt.norm_index(raw_pos)


def _within(a: int, b: int, sorted_spans: list[tuple[int, int]]) -> bool:
    """[a, b) lies inside one of the (start-sorted) spans."""
    from bisect import bisect_right
    i = bisect_right(sorted_spans, (a, float("inf"))) - 1
    while i >= 0 and sorted_spans[i][0] <= a:
        if b <= sorted_spans[i][1]:
            return True
        if a - sorted_spans[i][0] > 200:
            break
        i -= 1
    return False


def _inside(a: int, b: int, spans) -> bool:
    return any(s.start <= a and b <= s.end for s in spans)


# ------------------------------------------------------------------ filters


# how many words may stand between a cue and the trigger it governs
_REACH = {"negation": 1, "future": 3, "standing": 2, "forecast": 12, "plan": 10, "call": 12, "threat": 10,
          "conditional": 10, "question": 14, "opinion": 10, "history": 8, "purpose": 4, "metaphor": 3,
          "background": 2, "defused": 3, "habitual": 4, "operation": 1, "future_after": 8, "cessation": 2,
          "visit": 3, "humanitarian": 6}
# a cue of these classes also holds the triggers coordinated after it in its clause
_SPREADS = {"future", "forecast", "plan", "call", "threat", "conditional", "purpose", "question", "opinion"}
_DURATION = ("ساع", "يوم", "ايام", "اليوم", "اسبوع", "الاسبوع", "شهر", "الشهر", "الساع", "الايام", "الاسابيع",
             "الاشهر", "اشهر", "اسابيع")
_PAST_WORDS = {"الماضي", "الماضيه", "المنصرم", "الاخيره", "السابق", "السابقه", "الفائت", "الفائته"}


def _future_window(after: str) -> bool:
    """«... خلال 48 ساعة», «خلال الأيام المقبلة» within a few words after a verbal noun
    (but not «خلال الأيام الماضية»)."""
    ws = after.split()[:12]
    for i, w in enumerate(ws[:9]):
        if w.strip('"«»()،,.') != "خلال":
            continue
        rest = [x.strip('"«»()،,.') for x in ws[i + 1:i + 4]]
        if rest and rest[0].isdigit():
            rest = rest[1:]
        if rest and rest[0].startswith(_DURATION):
            return not (len(rest) > 1 and rest[1] in _PAST_WORDS)
        return False
    return False
_AUX = {"يتم", "تتم", "يكن", "تكن", "يعد", "تعد", "يستطيع", "يستطيعون", "تستطيع", "يمكن", "يمكنهم", "يمكنها",
        "نستطيع", "يتمكن", "يتمكنون", "تتمكن"}
# «دفعت 45 ألف شخص للنزوح»: a caused event, not a purpose
_CAUSATIVE = re.compile(r"(دفع|دفعت|يدفع|تدفع|اجبر|اجبرت|يجبر|اضطر|اضطرت|ارغم|ارغمت)\S*(\s+\S+){0,10}\s*$")
# a weapon is an event when something is done with it
_WEAPON_ACTION = re.compile(r"(اطلق|اطلاق|سقط|سقوط|سقطت|استهدف|استهداف|اعتراض|اعترض|انفجر|انفجار|اصاب|طالت|"
                            r"قصف|ضرب|تعرض|اسقط|امطر|دك|يستهدف|تستهدف)")


def _may(text: str, m: Match) -> bool:
    """«قد» + imperfect is «may» («قد يكون», «قد تصل»); «قد» + perfect is «had/has»
    («كانت الحافلات قد توجهت», «قد وصلت»)."""
    nxt = text[m.norm_end:].split()[:1]
    if not nxt:
        return False
    w = nxt[0]
    if re.search(r"(كان|كانت|كانوا)\s+\S*\s*\S*\s*$", text[max(0, m.norm_start - 40):m.norm_start]):
        return False
    if w.startswith("ي"):
        return True
    return w.startswith("ت") and not w.endswith("ت")


def _blocked(ctx: _Ctx, trig: Match, clause: Span, sent: Span, modal: list[Match]) -> str | None:
    """Why this trigger does not report an event (None when it does)."""
    text = ctx.norm
    t: Trigger = trig.payloads[0]
    for m in modal:
        if not (sent.start <= m.start < sent.end):
            continue                      # (both cases below want a cue of this sentence)
        cls, scope = m.payloads[0]
        if m.start in ctx.cues_in_names:
            continue                      # «قوات سوريا الديمقراطية»: a cue word inside a name
        if scope == "noun" and not norm_key(m.text).endswith(m.key):
            continue                      # «خلالها»: with a pronoun it governs nothing after it
        if scope in ("before", "noun", "ied", "control") and sent.start <= m.start and m.end <= trig.start:
            if scope == "noun" and t.pos != "noun":
                continue
            if scope == "noun" and trig.prefix.startswith("و") and \
                    _words_between(text, m.norm_end, trig.norm_start) <= 5:
                return cls                # «بعد الحملات العسكرية المحلية والغارات»: coordinated
            if scope == "ied" and t.sub_type != "remote_explosive_landmine_ied":
                continue
            if scope == "control" and (t.frame != "control" or t.pos != "noun"):
                continue
            between = text[m.norm_end:trig.norm_start].split()
            dist = len(between)
            if cls == "negation" and dist <= 2 and (dist == 0 or between[0] in _AUX):
                return cls
            if cls == "negation":
                continue
            if m.key == "قد" and not _may(text, m):
                continue
            if dist <= _REACH.get(cls, 6):
                return cls
        elif scope == "after" and trig.end <= m.start < sent.end:
            reach = {"future": _REACH["future_after"], "history": 4}.get(cls, _REACH.get(cls, 3))
            if _words_between(text, trig.norm_end, m.norm_start) <= reach:
                return cls
            # «... هو ما ذبح العراق سابقا»: at the very end, the cue dates the whole sentence
            if cls == "history" and not re.search(r"[^\W_]", text[m.norm_end:_n(ctx, sent.end)]):
                return cls
    if t.pos == "noun" and re.search(r"(^|\s)(هذا|هذه|ذلك|تلك|هذين|هاتين)\s*$",
                                     text[max(0, trig.norm_start - 12):trig.norm_start]):
        return "anaphor"          # «هذا الهجوم»: an event already told, not a new claim
    if t.frame == "weapon":
        for m in modal:
            if clause.start <= m.start < clause.end and m.payloads[0][0] in ("call", "forecast", "plan",
                                                                               "threat", "negation"):
                return m.payloads[0][0]   # «صواريخ ترامب يجب أن تستهدف ...»
    if t.pos == "noun" and _future_window(text[trig.norm_end:trig.norm_end + 160]):
        return "future"           # «اقتحام المركز خلال 48 ساعة»
    if text[_n(ctx, sent.start):_n(ctx, sent.end)].rstrip().rstrip('"»').endswith(("?", "؟")):
        return "question"
    if trig.prefix.endswith("ل") and t.frame != "kill" and not _CAUSATIVE.search(
            text[max(0, trig.norm_start - 50):trig.norm_start]):
        return "purpose"          # «لاقتحام مدينة القائم»: in order to storm
    if t.frame == "weapon" and not _WEAPON_ACTION.search(text[_n(ctx, clause.start):_n(ctx, clause.end)]):
        return "weapons"          # «صواريخ مضادة للطيران»: weapons talked about
    return None


# ------------------------------------------------------------------ arguments


def _prep_role(ctx: _Ctx, p: Place) -> str | None:
    """The role the preposition governing this place gives it, if one is in reach."""
    from ..lang.normalize import norm_key
    raw = ctx.raw
    before = raw[max(0, p.start - 3):p.start]
    glued = re.search(r"(\S+)$", before)
    if glued and not before.endswith((" ", "\n")):
        g = glued.group(1).replace("ـ", "")
        if g.endswith("ل"):
            return "destination"          # «لدمشق», «للموصل»
        if g.endswith("ب"):
            return "location"             # «بالموصل»
    ws = [w.strip('"()«»،,.') for w in norm_key(raw[max(0, p.start - 80):p.start]).split()][-7:]
    steps = 0
    default = None
    for i in range(len(ws) - 1, -1, -1):
        w = ws[i]
        core = w[1:] if w[:1] in "وف" and len(w) > 2 else w
        if core in NEAR_WORDS or core.lstrip("ب") in NEAR_WORDS:
            default = "location"          # «قرب/محيط/أطراف X»: look further for «من»/«إلى»
            steps += 1
            continue
        if w in ORIGIN_PREPS or core in ORIGIN_PREPS:
            return "origin"
        if w in DEST_PREPS or core in DEST_PREPS:
            return "destination"
        if w in VIA_PREPS or core in VIA_PREPS:
            return "via"
        if w in LOC_PREPS or core in LOC_PREPS:
            # «إلى مناطق في غرب الأنبار»: «في» inside the destination's own phrase
            left = ws[i - 1] if i else ""
            if left in PLACE_HEADS or left.lstrip("ال") in PLACE_HEADS or left.startswith("ال") and \
                    left[2:] in PLACE_HEADS:
                continue
            return "location"
        bare = w[2:] if w.startswith("ال") else w
        if w in PLACE_HEADS or bare in PLACE_HEADS or w.endswith(("يه", "ين", "يتين", "يين")) or w in ("امنه",):
            steps += 1                    # a place word or an adjective: keep looking left
            if steps > 4:
                return default
            continue
        return default
    return default


def _place_roles(ctx: _Ctx, places: list[Place], frame: str, trig: Match) -> None:
    """Set each place's role in place: by its preposition, by coordination with the place
    before it («إلى مدينة عانة وقرية رواة»), and for a movement by its side of the trigger."""
    prev: Place | None = None
    for p in sorted(places, key=lambda x: x.start):
        role = _prep_role(ctx, p) if frame == "move" else "location"
        if frame == "move" and role is None and prev is not None:
            link = ctx.raw[prev.end:p.start]
            if re.fullmatch(r"[\s»\"]*(و|أو|او)\s*(\S+\s+){0,2}", link + " ") and len(link) < 30:
                role = prev.role
        p.role = role or "location"
        prev = p
    if frame != "move":
        return
    has_dest = any(p.role == "destination" for p in places)
    has_origin = any(p.role == "origin" for p in places)
    t: Trigger = trig.payloads[0]
    arrival = t.form.startswith(ARRIVAL)
    leaving = t.sub_type in ("flight", "evacuation", "displacement") or t.form.startswith(DEPARTURE)
    for p in places:
        if p.role != "location":
            continue
        if p.end <= trig.start:
            if has_dest:
                p.role = "origin"         # «حافلات متوقفة شرق السخنة عادت إلى تدمر»
            elif arrival:
                p.role = "destination"
        elif arrival and not has_dest:
            p.role = "destination"        # «وصول قواتها قرب مداخل القائم»
            has_dest = True
        elif leaving and not has_origin:
            p.role = "origin"             # «إجلاء المدنيين في القائم»: where they left
            has_origin = True


def _pick_actor(ctx: _Ctx, trig: Match, clause: Span, sent: Span, frame: str) -> tuple[str | None, str | None]:
    """(actor, actor2) from the actor mentions around the trigger."""
    acts = [a for a in ctx.an.actors if sent.start <= a.start < sent.end
            and not any(s.start <= a.start and a.end <= s.end for s in ctx.an.speakers)
            and not _OWNER.search(ctx.norm[max(0, _n(ctx, a.start) - 25):_n(ctx, a.start)])]
    after = [a for a in acts if a.start >= trig.end and a.start < clause.end + 80]
    before = [a for a in acts if a.end <= trig.start and a.start >= clause.start]
    before_sent = [a for a in acts if a.end <= trig.start]
    text = ctx.norm
    near_after = [a for a in after if _words_between(text, trig.norm_end, _n(ctx, a.start)) <= 5]

    def key(a):
        return a.key

    # an institution announcing its own arrest or evacuation is its doer
    # («أعلن جهاز مكافحة الإرهاب اعتقال ...»), although it is named as the speaker
    announcers = [a for a in ctx.an.actors if sent.start <= a.start < trig.start and a.key in STATE_FORCES
                  and any(s.start <= a.start and a.end <= s.end for s in ctx.an.speakers)]
    if frame == "move" and trig.payloads[0].sub_type == "evacuation":
        # the one who evacuates stands before («أجلى اللواء ...», «نجحت القوات في إجلاء»)
        doers = [a for a in before_sent if a.key != "civilians"] or announcers
        if doers:
            return doers[-1].key, None
        spk = ctx.last_speaker
        return (spk.actor if spk is not None and spk.actor in STATE_FORCES else None), None
    if frame in ("move", "kill"):
        near_before = [a for a in before if _words_between(text, _n(ctx, a.end), trig.norm_start) <= 8]
        close_before = [a for a in near_before if _words_between(text, _n(ctx, a.end), trig.norm_start) <= 3]
        if trig.payloads[0].pos == "noun":      # «تحركات لتنظيم داعش»: the mover follows the noun
            cand = near_after or close_before[-1:] or near_before[-1:]
        else:                                   # «مقاتلو داعش وصلوا», «وصل مقاتلو داعش»
            cand = close_before[-1:] or near_after or near_before[-1:] or before_sent[-1:]
        actor = key(cand[0]) if cand else None
        if frame == "move" and actor is None:
            seg = ctx.norm[_n(ctx, clause.start):_n(ctx, clause.end)]
            movers = [q for q in ctx.an.quantities if clause.start <= q.start < clause.end]
            if trig.payloads[0].sub_type == "displacement" or any(w in seg for w in CIVILIAN_NOUNS) or any(
                    q.unit_class in ("civilians", "families", "people", "children", "women") for q in movers):
                actor = "civilians"       # «نزح 12 ألف شخص»: the people who move
            elif ctx.last_group and _has_person(ctx, trig, clause):
                actor = ctx.last_group
        return actor, None
    if frame == "arrest":
        # the arrested come after the trigger; the one arresting before it, or the speaker's body
        done_to = next((a.key for a in near_after + after if a.key not in STATE_FORCES), None)
        doer = next((a.key for a in reversed(before_sent + announcers) if a.key in STATE_FORCES), None)
        if doer is None and ctx.last_speaker is not None and ctx.last_speaker.actor in STATE_FORCES:
            doer = ctx.last_speaker.actor
        if done_to is None and doer and ctx.last_group and ctx.last_group != doer:
            done_to = ctx.last_group
        return doer, done_to
    # attacks, strikes, clashes, control: the doer, then the one done to
    actor = actor2 = None
    between = _between_pair(ctx, trig, after)
    if between:
        actor, actor2 = between                     # «اشتباكات بين قوات النظام وتنظيم داعش»
    else:
        subj = [a for a in before if _words_between(text, _n(ctx, a.end), trig.norm_start) <= 8]
        nisba = _nisba_actor(ctx, trig)
        if not subj and not nisba and trig.payloads[0].pos == "noun":
            # «قبل أن يعرقل التحالف طريقهم، بتنفيذ غارات»: the doer of the verb the noun serves
            # (but «تقارير ... عن ضربات جوية إسرائيلية»: the noun's own adjective names it)
            subj = [a for a in before_sent if _words_between(text, _n(ctx, a.end), trig.norm_start) <= 14
                    and a.key != "civilians"]
        agents = [a for a in after if not _is_target(ctx, a)]
        targets = [a for a in after if _is_target(ctx, a)]
        if nisba and trig.payloads[0].pos == "noun":
            actor = nisba                           # «غارة تركية»: the noun's own adjective says whose
        elif subj:
            actor = subj[-1].key                    # «تنظيم داعش استهدف تجمعا لقوات النظام»
        elif nisba:
            actor = nisba
        elif agents:
            actor = agents[0].key                   # «قصفت طائرات التحالف»
        elif before_sent and trig.payloads[0].pos == "verb":
            actor = before_sent[-1].key
        rest = [a.key for a in targets if a.key != actor]
        actor2 = rest[0] if rest else None
        if actor is None and targets and not agents and frame == "control":
            actor = targets[0].key                  # «سيطرة داعش على ...»: the genitive is the doer
            actor2 = None
    if actor2 is None and actor and frame in ("strike", "control", "arrest", "clash"):
        actor2 = _opponent(ctx, actor)
    if actor2 is None and frame in ("strike", "clash", "attack"):
        seg_after = " ".join(ctx.norm[trig.norm_end:_n(ctx, sent.end)].split()[:6])
        victims = [q for q in ctx.an.quantities if sent.start <= q.start < sent.end
                   and q.unit_class in ("civilians", "children", "women")]
        if victims or any(w in seg_after for w in CIVILIAN_NOUNS):
            actor2 = "civilians"
    if frame == "strike" and actor in ("us_gov", "us_forces"):
        actor = "coalition"   # US air strikes in Iraq and Syria are the coalition's (ACLED's usage)
    return actor, actor2


_TARGET_BEFORE = re.compile(r"(علي|ضد|مواقع|موقع|تجمع|تجمعا|تجمعات|مقر|مقرات|معاقل|معقل|عناصر|مسلحي|مقاتلي|"
                            r"دوريه|رتل|ارتال|مخازن|مستودعات|قاعده|اهداف|هدف|لقوات|قوات|جنود|نقاط)\s*\"?\s*$")
_AGENT_BEFORE = re.compile(r"(طائرات|طائره|طيران|مقاتلات|مقاتله|مدفعيه|قوات|من قبل|بواسطه|نفذتها|شنتها|"
                           r"وحدات|سلاح|قصف|التابع ل|التابعه ل|التابعين ل|التابعه|التابع)\s*\"?\s*$")


def _is_target(ctx: _Ctx, a) -> bool:
    """An actor named after the trigger is its target when a target word leads to it
    («على مواقع داعش», «تجمعا لقوات النظام»), its doer when an agent word does
    («طائرات التحالف», «من قبل القوات التركية»)."""
    left = ctx.norm[max(0, _n(ctx, a.start) - 30):_n(ctx, a.start)]
    if re.search(r"(\s|^)و\s*$", left):
        return False      # «القوة الجوية العراقية والتحالف»: coordinated with the doer
    if re.search(r"التابع\S*\s+\S{0,2}$", left):
        return False      # «قوات اللواء 44 (التابع للحشد)»: whose forces they are
    if _AGENT_BEFORE.search(left) and not re.search(r"(علي|ضد|لقوات)\s*\S*\s*$", left):
        return False
    return bool(_TARGET_BEFORE.search(left)) or left.rstrip().endswith(("ل", "لل"))


def _between_pair(ctx: _Ctx, trig: Match, after) -> tuple[str, str] | None:
    """«بين X و Y» right after a clash word: the two sides."""
    seg = ctx.norm[trig.norm_end:trig.norm_end + 30]
    if not re.match(r"^\s*(\S+\s+){0,3}?بين\s", seg):
        return None
    keys = []
    for a in after:
        if a.key not in keys:
            keys.append(a.key)
    return (keys[0], keys[1]) if len(keys) >= 2 else None


_NISBA_ACTORS = {"TR": "turkey_forces", "RU": "russia_forces", "IL": "israel_forces", "US": "us_forces",
                 "IQ": "iraq_forces", "SY": "syria_gov", "IR": "iran_forces", "LB": "lebanon_forces",
                 "JO": "jordan_forces", "FR": "france_forces", "GB": "uk_forces", "SA": "saudi_forces"}


_AGENT_WORDS = ("طيران", "الطيران", "للطيران", "طائرات", "الطائرات", "مقاتلات", "المقاتلات", "قوات", "القوات",
                "الجيش", "للجيش", "البحريه", "مدفعيه", "المدفعيه", "سلاح", "بوارج", "مروحيات", "طائره")


_TARGET_LINKS = frozenset(("علي", "على", "ضد", "في", "الي", "إلى", "من", "عن", "باتجاه", "نحو", "تابع", "تابعه",
                           "لمواقع", "لموقع", "مواقع", "موقع"))


def _nisba_actor(ctx: _Ctx, trig: Match) -> str | None:
    """«غارة تركية», «غارات جوية للطيران الروسي», «مقاتلات بريطانية»: a nationality
    adjective right after the trigger, or after a word for armed forces that follows it."""
    ws = ctx.norm[trig.norm_end:trig.norm_end + 80].split()[:7]
    before = ctx.norm[max(0, trig.norm_start - 30):trig.norm_start].split()[-2:]
    gz = ctx.gz
    for i, w in enumerate(ws):
        if w in _TARGET_LINKS:
            break                 # «هجوم على القوات الحكومية», «غارة على موقع تابع للجيش السوري»: the target's
        cc = gz.nisba(w)
        if cc and (i == 0 or ws[i - 1] in _AGENT_WORDS or ws[i - 1] in ("جويه", "جوي", "صاروخيه")):
            return _NISBA_ACTORS.get(cc)
    if before and before[-1] in _AGENT_WORDS[:10]:
        return None
    return None


@lru_cache(maxsize=1)
def alliances() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for row in _data("alliances.tsv"):
        keys = " ".join(row).split()
        for k in keys:
            out.setdefault(k, set()).update(keys)
    return {k: frozenset(v) for k, v in out.items()}


_NOT_SIDES = {"civilians", "us_gov", "unidentified_armed_group"}


def _opponent(ctx: _Ctx, actor: str) -> str | None:
    """The actor the article talks about most that is neither the doer nor its ally;
    else the group named last."""
    if ctx.sides is None:
        from collections import Counter
        ctx.sides = Counter(a.key for a in ctx.an.actors if a.key not in _NOT_SIDES)
    friends = alliances().get(actor, frozenset()) | {actor}
    for key, _ in ctx.sides.most_common():
        if key not in friends:
            return key
    return ctx.last_group if ctx.last_group not in friends else None


def _has_person(ctx: _Ctx, trig: Match, clause: Span) -> bool:
    seg = ctx.norm[_n(ctx, clause.start):_n(ctx, clause.end)]
    return any(w in seg for w in PERSON_NOUNS)


def _nearest_quantity(ctx: _Ctx, trig: Match, sent: Span, frame: str) -> Quantity | None:
    qs = [q for q in ctx.an.quantities if sent.start <= q.start < sent.end
          and (q.unit_class in PEOPLE_UNITS or (q.unit_class is None and q.value is None)
               # «فر أكثر من 120 ألفا»: a bare number right after a verb of moving counts people
               or (q.unit_class is None and frame == "move" and trig.payloads[0].pos == "verb"
                   and q.start >= trig.end and _words_between(ctx.norm, trig.norm_end, _n(ctx, q.start)) <= 1))]
    if frame == "control":
        qs = [q for q in qs if q.unit_class in ("villages", None)] or qs
    if not qs:
        return None
    return min(qs, key=lambda q: (abs(q.start - trig.start) + (0 if q.start >= trig.start else 10)))


def _fatalities(ctx: _Ctx, kills: list[Match], sent: Span) -> int | None:
    total = None
    for k in kills:
        if not (sent.start <= k.start < sent.end):
            continue
        after = [q for q in ctx.an.quantities if k.end <= q.start <= k.end + 25 and q.value is not None
                 and q.unit_class not in ("percent", "km", "km2")]
        before = [q for q in ctx.an.quantities if k.start - 25 <= q.end <= k.start and q.value is not None
                  and q.unit_class not in ("percent", "km", "km2")]
        n = None
        lead = [q for q in ctx.an.quantities if k.start - 30 <= q.end <= k.start and q.value is not None
                and q.unit_class in PERSON_UNITS]
        verb = k.payloads[0].pos == "verb"
        if after and after[0].unit_class not in PERSON_UNITS and lead and verb and \
                _words_between(ctx.norm, k.norm_end, _n(ctx, after[0].start)) > 0:
            n = int(lead[-1].value)       # «14 من عناصر التنظيم لقوا مصرعهم، ودمرت ثلاث مضافات»
        elif after:
            n = int(after[0].value)
            # «قتل 15 طفلا وامرأتان»: coordinated counts add up
            for q in ctx.an.quantities:
                if q.start > after[0].end and q.value is not None and \
                        re.fullmatch(r"\s*و\s*", ctx.raw[after[-1].end:q.start]) and q.unit_class in PEOPLE_UNITS:
                    n += int(q.value)
                    after.append(q)
        elif lead and verb:
            n = int(lead[-1].value)       # «16 مدنيا قتلوا»
        elif before and k.payloads[0].form in ("قتلى", "قتيلا", "قتيل"):
            n = int(before[-1].value)
        else:
            nxt = ctx.norm[k.norm_end:k.norm_end + 140].split()
            if nxt and KILL_SINGULAR.match(nxt[0].lstrip("ال")):
                n = 1
                if any(w.startswith(("واخر", "وآخر")) for w in nxt[1:18]):
                    n = 2
            elif nxt and nxt[0] in ("احدهم", "احدهما", "احد"):
                n = 1
        if n is not None:
            total = (total or 0) + n
    return total


def _date_of(ctx: _Ctx, trig: Match, sent: Span) -> tuple[str | None, str]:
    ds = [d for d in ctx.an.dates if sent.start <= d.start < sent.end and d.date and d.precision != "year"]
    if not ds:
        return None, "unknown"
    d = min(ds, key=lambda d: abs(d.start - trig.start))
    return d.date, d.precision


# ------------------------------------------------------------------ attribution


@dataclass
class _Attribution:
    speaker: Speaker | None
    stance: str
    verb_start: int


def _reports(ctx: _Ctx, t: Match, reporting: list[Match]) -> bool:
    """«ونقلت الوكالة عن ...», «وفقاً لما نقلته»: the word reports, it moves nothing."""
    if t.payloads[0].form.startswith(_NAQL):
        if re.search(r"(لما|ما|كما)\s*$", ctx.norm[max(0, t.norm_start - 8):t.norm_start]):
            return True                   # «(وفقاً) لما نقلته وكالة ...», «كما نقلت»
        after = ctx.norm[t.norm_end:t.norm_end + 80].split()[:6]
        if any(w in ("عن", "عنه", "عنها", "لسان", "قوله", "قولها") for w in after):
            return True                   # «نقلت سانا عن مسؤول», «ونقلت الإذاعة على لسان ليبرمان»
    if not any(r.start <= t.start < r.end for r in reporting):
        return False
    nxt = ctx.norm[t.norm_end:t.norm_end + 40].split()[:2]
    return bool(nxt) and (nxt[0] in ("عن", "عنه", "عنها") or nxt[0].lstrip("ال").startswith(
        ("وكال", "صحيف", "مصدر", "مصادر", "قناه", "موقع", "شبكه", "تلفزيون", "اذاع")))


def _attributions(ctx: _Ctx, sent: Span, reporting: list[Match]) -> list[_Attribution]:
    """The reporting verbs of a sentence with their speakers, in order."""
    out: list[_Attribution] = []
    spk = [s for s in ctx.an.speakers if sent.start <= s.start < sent.end]
    # «قال مسؤولان لصحيفة واشنطن بوست»: the outlet spoken to is not who speaks
    told = [s for s in spk if s.role == "outlet" and _glued_lam(ctx.raw, s.start)]
    sources = [s for s in spk if s not in told]
    text = ctx.norm
    for r in reporting:
        if not (sent.start <= r.start < sent.end) or _inside(r.start, r.end, spk):
            continue
        stance, kind = r.payloads[0]
        speaker = None
        after = [s for s in sources if s.start >= r.end and _words_between(text, r.norm_end, _n(ctx, s.start)) <= 10]
        before = [s for s in sources if s.end <= r.start and _words_between(text, _n(ctx, s.end), r.norm_start) <= 10]
        if kind == "according":
            speaker = after[0] if after else None
            if speaker is None:
                continue
        else:
            speaker = (after or before[-1:] or [None])[0]
            if speaker is None:
                speaker = _actor_speaker(ctx, r, sent)   # «ونفت سوريا», «وكانت إسرائيل قد قالت»
            if speaker is None:
                # «وأضاف أن ...», «... موضحاً أن»: the speaker of the sentence, or of before
                earlier = [a.speaker for a in out if a.speaker is not None]
                speaker = earlier[-1] if earlier else ctx.last_speaker
        out.append(_Attribution(speaker, stance, r.start))
    return out


def _actor_speaker(ctx: _Ctx, r: Match, sent: Span) -> Speaker | None:
    """A state or group named as the subject of a reporting verb speaks for itself."""
    text = ctx.norm
    for a in ctx.an.actors:
        if not (sent.start <= a.start < sent.end):
            continue
        if a.start >= r.end and _words_between(text, r.norm_end, _n(ctx, a.start)) == 0:
            return Speaker(a.start, a.end, a.text, a.text, "actor", a.key)
        if a.end <= r.start and _words_between(text, _n(ctx, a.end), r.norm_start) <= 1:
            return Speaker(a.start, a.end, a.text, a.text, "actor", a.key)
    return None


def _glued_lam(raw: str, i: int) -> bool:
    """A «لـ» glued to the word at ``i`` («لصحيفة», «لـ«الشرق الأوسط»»)."""
    j = i - 1
    while j >= 0 and raw[j] in "«\"“":
        j -= 1
    while j >= 0 and raw[j] == "ـ":
        j -= 1
    if j >= 0 and raw[j] == "ل" and (j == 0 or not raw[j - 1].isalpha() or raw[j - 1] in "وف"):
        return True
    # «لصحيفة «واشنطن بوست»»: the outlet's name after a word for outlets with «ل»
    return bool(re.search(r"(^|\s)[وف]?ل(صحيفه|صحيفة|وكاله|وكالة|قناه|قناة|موقع|شبكه|شبكة|تلفزيون|اذاعه|إذاعة)\W*$",
                          raw[max(0, i - 14):i]))


def _claim_of(att: _Attribution | None) -> list[Claim]:
    if att is None or att.speaker is None:
        return []
    s = att.speaker
    return [Claim(s.name, att.stance, s.start, s.end, s.role, s.actor)]


# ------------------------------------------------------------------ extraction


def propose(doc: Document, art: Article, *, analysis: Analysis | None = None,
            keep_all: bool = True) -> Iterator[tuple[_Ctx, Span, list[Event], list[Match], list[_Attribution]]]:
    """The candidates of one article, sentence by sentence: ``(ctx, sentence, candidates,
    killing words, attributions)``. With ``keep_all`` the candidates the rules would drop
    are kept too, each with its reasons in ``cues`` (what the learned decision reads);
    without it, the rules alone decide (cues are then always empty).
    The caller appends what it keeps to ``ctx.events`` before asking for the next sentence:
    later sentences read the discourse (denials of the claim just made)."""
    if not art.paragraphs:
        return
    an = analysis
    sents = [sent for para in art.paragraphs for sent in sentences(doc.raw, para.start, para.end)]
    if an is None:
        nt = view(doc.raw, art.paragraphs, html=doc.kind == "html")
        triggers = trigger_matcher().find(nt)
        if not triggers:
            return            # no trigger word, no event: the rest of the analysis is not needed
        # counts and dates are read in the sentences of triggers only: not searched elsewhere
        starts = [t.start for t in triggers]
        with_trigger = [s for s in sents if bisect_left(starts, s.start) < bisect_left(starts, s.end)]
        an = analyse(doc.raw, art.paragraphs, published=doc.published, html=doc.kind == "html", nt=nt,
                     amounts_in=with_trigger)
    else:
        triggers = trigger_matcher().find(an.nt)
    ctx = _Ctx(doc, art, an, doc.raw, an.nt.text)
    ctx.sents = sents
    ctx.propose = keep_all
    from ..places.gazetteer import load_gazetteer
    ctx.gz = load_gazetteer()
    modal = modality_matcher().find(an.nt, overlapping=True)
    names = sorted((x.start, x.end) for x in (*an.actors, *an.places) if x.end > x.start)
    ctx.cues_in_names = {m.start for m in modal if _within(m.start, m.end, names)}
    reporting = reporting_matcher().find(an.nt)
    blockers = [*an.places, *an.actors, *an.speakers]
    # both in text order (actors by start, then end): a sentence's share is a slice
    t_starts = [t.start for t in triggers]
    a_starts = [a.start for a in an.actors]
    for sent in sents:
        atts = _attributions(ctx, sent, reporting)
        for a in atts:
            if a.speaker is not None:
                ctx.last_speaker = a.speaker
        groups = [a for a in an.actors[bisect_left(a_starts, sent.start):bisect_left(a_starts, sent.end)]
                  if a.key not in STATE_FORCES and a.key not in ("civilians",)]
        st = [t for t in triggers[bisect_left(t_starts, sent.start):bisect_left(t_starts, sent.end)]
              if not _inside(t.start, t.end, blockers) and not _reports(ctx, t, reporting)]
        kills = [t for t in st if t.payloads[0].frame == "kill"]
        cands = _candidates(ctx, sent, st, modal, atts, kills)
        yield ctx, sent, cands, kills, atts
        ctx.proposed.extend(cands)
        if groups:
            ctx.last_group = groups[-1].key


def _candidates(ctx: _Ctx, sent: Span, trigs: list[Match], modal: list[Match], atts: list[_Attribution],
                kills: list[Match]) -> list[Event]:
    if not trigs:
        return []
    cls = clauses(ctx.raw, sent)
    out: list[Event] = []
    by_clause: dict[tuple[int, str], Event] = {}
    clause_of = {id(t): next((c for c in cls if c.start <= t.start < c.end), sent) for t in trigs}
    held: dict[int, str] = {}          # clauses under a cue that spreads to coordinated triggers
    for t in trigs:
        trig: Trigger = t.payloads[0]
        clause = next((c for c in cls if c.start <= t.start < c.end), sent)
        why = _blocked(ctx, t, clause, sent, modal)
        h = held.get(clause.start)
        if not why and h and (h in _SPREADS or trig.pos == "noun" and (t.prefix.startswith("و") or re.search(
                r"(^|\s)و\S*\s*$", ctx.norm[max(0, t.norm_start - 12):t.norm_start]))):
            why = "coordinated"           # «بعد تحرير الموصل وعودة النازحين»: both background
        vetoes: list[str] = []
        if why:
            if why in _SPREADS or why == "background":
                held.setdefault(clause.start, why)
            log.debug("not an event (%s): %s", why, t.text)
            if _veto(ctx, vetoes, why):
                continue
        if trig.frame == "kill":
            continue
        frame = "strike" if trig.frame == "weapon" else trig.frame   # a weapon used is a strike
        typ, sub = trig.type, trig.sub_type
        actor, actor2 = _pick_actor(ctx, t, clause, sent, frame)
        seg = ctx.norm[_n(ctx, clause.start):_n(ctx, clause.end)]
        if frame == "move":
            if _aid_moves(ctx, t) or _carries_things(ctx, t) or _leaves_an_agreement(ctx, t):
                if _veto(ctx, vetoes, "things_move"):
                    continue              # «دخلت قافلة مساعدات الغوطة»: aid delivered, nobody armed moves
            homes = sub == "flight" and actor in (None, "civilians") and _HOMES.search(seg)
            if homes:
                actor = "civilians"       # «فر أكثر من 120 ألفا من ديارهم»: people leaving their homes
            if not (actor or _has_person(ctx, t, clause)) and _veto(ctx, vetoes, "no_mover"):
                continue
            if sub == "flight" and actor in (None, "civilians") and (homes or any(w in seg for w in CIVILIAN_NOUNS)):
                sub = "displacement"
        elif frame == "strike":
            if sub in ("air_drone_strike", "shelling_artillery_missile_attack"):
                ctx_seg = ctx.norm[_n(ctx, sent.start):_n(ctx, sent.end)]
                sub = "air_drone_strike" if any(c in ctx_seg for c in AIR_CUES) else "shelling_artillery_missile_attack"
            seg_s = ctx.norm[_n(ctx, sent.start):_n(ctx, sent.end)]
            if not (actor or actor2 or any(p for p in ctx.an.places if sent.start <= p.start < sent.end)
                    or any(w in seg_s for w in ("قاعده", "مطار", "مواقع", "موقع", "مقر", "مستودع"))) \
                    and _veto(ctx, vetoes, "no_target"):
                continue
        elif frame == "control":
            # the territory taken comes right after the trigger: a place, or a word for one
            nxt = [w[2:] if w.startswith("ال") else w for w in ctx.norm[t.norm_end:].split()[:8]]
            near_place = any(p for p in ctx.an.places if t.end <= p.start < clause.end
                             and _words_between(ctx.norm, t.norm_end, _n(ctx, p.start)) <= 7)
            if nxt and nxt[0].endswith(("يين", "ين")) and _veto(ctx, vetoes, "people_freed"):
                continue          # «تحرير اللبنانيين»: people freed, not territory taken
            if nxt and nxt[0] in ("عليها", "عليه", "عليهما") and any(
                    p for p in ctx.an.places if sent.start <= p.start < t.start):
                near_place = True     # «... الباغوز، وسيطرت عليها»: the place named before
            if not any(w.startswith(CONTROL_OBJECTS) for w in nxt) and not near_place \
                    and _veto(ctx, vetoes, "no_territory"):
                continue
            if actor and actor not in STATE_FORCES:
                sub = "non_state_actor_overtakes_territory"
        elif frame == "arrest":
            if not (actor2 or _has_person(ctx, t, clause) or actor) and _veto(ctx, vetoes, "no_arrested"):
                continue
        elif frame in ("clash", "attack", "loot"):
            if not (actor or actor2 or _has_person(ctx, t, clause) or
                    (frame == "clash" and any(p for p in ctx.an.places if sent.start <= p.start < sent.end))) \
                    and _veto(ctx, vetoes, "no_party"):
                continue
            if sub == "abduction_forced_disappearance" and actor2 is None:
                actor2 = "civilians" if actor != "civilians" else None
        elif frame == "other":
            continue   # bare «اتفاق», destruction, seizures: too often talked about; not reported
        key = (clause.start, typ, tuple(vetoes))
        later = [clause_of[id(o)].start for o in trigs if clause_of[id(o)].start > clause.start
                 and o.payloads[0].frame != "kill"]
        stop = min(later) if later else sent.end
        places = _places_for(ctx, clause, stop, frame, t)
        if not places:
            places = _fallback_place(ctx, sent, t.start)
            if frame == "move" and trig.sub_type in ("flight", "evacuation", "displacement"):
                for p in places:
                    p.role = "origin"
        if key in by_clause:
            ev = by_clause[key]
            _merge_places(ev, places)
            ev.actor = ev.actor or actor
            ev.actor2 = ev.actor2 or actor2
            continue
        att = None
        preceding = [a for a in atts if a.verb_start <= t.start]
        if preceding:
            att = preceding[-1]
        elif atts:
            att = atts[0]
        date_, prec = _date_of(ctx, t, sent)
        count = _nearest_quantity(ctx, t, sent, frame)
        if "specific" in trig.flags and count is None and date_ is None and _veto(ctx, vetoes, "topic"):
            # «تسهيل عودة اللاجئين», «ملف عودة اللاجئين»: the return as a topic; a return
            # that happened is told with its numbers or its day (data/triggers.tsv)
            continue
        ev_span = _evidence(ctx, t, clause, places, count)
        ev = Event(id="", doc=ctx.doc.id, article=ctx.art.id, type=typ, sub_type=sub,
                   evidence=ev_span, evidence_text=ctx.raw[ev_span.start:ev_span.end],
                   trigger=Span(t.start, t.end), actor=actor, actor2=actor2, places=places,
                   count=count, date=date_, date_precision=prec,
                   sources=_claim_of(att), stance=att.stance if att else "assert", sentence=sent,
                   cues=tuple(vetoes))
        if frame == "move":
            _origin_elsewhere(ctx, ev, sent)
        by_clause[key] = ev
        out.append(ev)
    if kills:
        out.append(_kill_candidate(ctx, sent, cls, kills, modal, atts))
    return out


def _kill_candidate(ctx: _Ctx, sent: Span, cls: list[Span], kills: list[Match], modal: list[Match],
                    atts: list[_Attribution]) -> Event:
    """Killing words of a sentence: the fatalities of the sentence's event, or, when no
    other event of the sentence is kept, an event of their own (an attack on civilians,
    or a clash when armed men die)."""
    seg = ctx.norm[_n(ctx, sent.start):_n(ctx, sent.end)]
    civilian = any(w in seg for w in CIVILIAN_NOUNS)
    armed = any(w in seg for w in ARMED_NOUNS)
    vetoes: list[str] = []
    why = _blocked(ctx, kills[0], sent, sent, modal)
    if why:
        vetoes.append(why)
    if not (civilian or armed):
        vetoes.append("no_people")
    k = kills[0]
    clause = next((c for c in cls if c.start <= k.start < c.end), sent)
    att = atts[0] if atts else None
    actor, actor2 = _pick_actor(ctx, k, clause, sent, "clash")
    typ, sub = ("violence_against_civilians", "attack") if civilian else ("battles", "armed_clash")
    if actor and k.payloads[0].pos == "noun" and _victims_named_after(ctx, k, clause, actor):
        # «مقتل قيادي بارز في تنظيم داعش»: the dead are the group's; a state force announcing
        # it («أعلنت خلية الإعلام الحربي مقتل ...») is the side that killed
        announcer = next((a.key for a in ctx.an.actors if sent.start <= a.start < k.start
                          and a.key in STATE_FORCES and a.key != actor
                          and any(sp.start <= a.start and a.end <= sp.end for sp in ctx.an.speakers)), None)
        actor, actor2 = announcer, actor
    return Event(id="", doc=ctx.doc.id, article=ctx.art.id, type=typ,
                 sub_type=sub, evidence=clause,
                 evidence_text=ctx.raw[clause.start:clause.end], trigger=Span(k.start, k.end),
                 actor=actor if actor != "civilians" else None,
                 actor2="civilians" if civilian else actor2 if actor2 != actor else None,
                 places=_places_for(ctx, clause, sent.end, "attack", k), fatalities=_fatalities(ctx, kills, sent),
                 sources=_claim_of(att), stance=att.stance if att else "assert",
                 sentence=sent, cues=tuple(vetoes), kill_only=True)


def _victims_named_after(ctx: _Ctx, k: Match, clause: Span, actor: str) -> bool:
    """The actor of a killing noun is named only after it, close by: those killed belong
    to it («مقتل قيادي بارز في تنظيم داعش», «مقتل عناصر من الحشد»), nobody is said to kill."""
    before = [a for a in ctx.an.actors if clause.start <= a.start and a.end <= k.start
              and not any(s.start <= a.start and a.end <= s.end for s in ctx.an.speakers)]
    after = [a for a in ctx.an.actors if a.key == actor and k.end <= a.start < clause.end
             and _words_between(ctx.norm, k.norm_end, _n(ctx, a.start)) <= 6]
    return not before and bool(after)


def finish(ctx: _Ctx, sent: Span, kept: list[Event], kills: list[Match]) -> list[Event]:
    """The events of a sentence once decided: one per clause and kind, an attack made by a
    strike is that strike, forces reaching a place in fighting are a battle, the killing
    words give the fatalities of the nearest event."""
    cls = clauses(ctx.raw, sent)
    kill_ev = next((e for e in kept if e.kill_only), None)
    out: list[Event] = []
    for e in kept:
        if e.kill_only:
            continue
        same = next((o for o in out if o.type == e.type and _same_clause(cls, o, e)), None)
        if same is not None:          # two triggers of one kind in one clause: one event
            _merge_places(same, e.places)
            same.actor = same.actor or e.actor
            same.actor2 = same.actor2 or e.actor2
            continue
        out.append(e)
    # «هجمات تفجيرية», «هجومه بتفجير أربعة انتحاريين»: an attack made by a strike is that strike
    strikes = [e for e in out if e.type == "explosions_remote_violence"]
    if strikes:
        out = [e for e in out if not (e.type == "battles" and e.sub_type == "armed_clash" and any(
            _same_clause(cls, e, s_) for s_ in strikes))]
    # forces reaching a place in fighting («وصول قواتها قرب مداخل القائم بعد تدمير دفاعات
    # التنظيم»): a battle, and one with the battle of the same clause if there is one
    seg = ctx.norm[_n(ctx, sent.start):_n(ctx, sent.end)]
    fighting = any(e.type == "battles" for e in out) or (
        any(w in seg for w in COMBAT_WORDS) and any(w in seg for w in NEAR_WORDS | {"مداخل", "بعد"}))
    kept: list[Event] = []
    for e in out:
        if e.type == "movement" and e.actor in STATE_FORCES and e.sub_type == "relocation" and fighting:
            same = next((b for b in out if b.type == "battles" and b.evidence.start <= e.evidence.start
                         < b.evidence.end), None)
            if same is not None:
                _merge_places(same, e.places)
                continue
            e.type, e.sub_type = "battles", "armed_clash"
            if e.actor2 is None:
                opp = [a.key for a in ctx.an.actors if sent.start <= a.start < sent.end and a.key not in STATE_FORCES
                       and a.key != "civilians"]
                e.actor2 = opp[0] if opp else ctx.last_group
        kept.append(e)
    out = kept
    # killings: fatalities of the sentence's event; alone, an attack on civilians
    if kills:
        fat = _fatalities(ctx, kills, sent)
        if out:
            target = min(out, key=lambda e: abs(e.evidence.start - kills[0].start))
            target.fatalities = fat
            k = min(kills, key=lambda k: abs(k.start - target.evidence.start))
            kc = next((c for c in cls if c.start <= k.start < c.end), sent)
            if kc.start == next((c for c in cls if c.start <= target.evidence.start < c.end), sent).start or \
                    k.start < target.evidence.start:
                a, b = min(target.evidence.start, k.start), max(target.evidence.end, k.end)
                target.evidence = Span(a, b)
                target.evidence_text = ctx.raw[a:b]
        elif kill_ev is not None:
            out.append(kill_ev)
    return out


def _evidence(ctx: _Ctx, t: Match, clause: Span, places: list[Place], count: Quantity | None) -> Span:
    """The words that state the event: its subject (when just before), the trigger and the
    arguments that follow it in its clause."""
    start, end = t.start, t.end
    before = [a for a in ctx.an.actors if clause.start <= a.start and a.end <= t.start
              and _words_between(ctx.norm, _n(ctx, a.end), t.norm_start) <= 4]
    if before:
        start = before[-1].start
    for x in [*places, *([count] if count else [])]:
        if clause.start <= x.start and x.end <= clause.end:
            start, end = min(start, x.start) if x.start < t.start and \
                _words_between(ctx.norm, _n(ctx, x.start), t.norm_start) <= 6 else start, max(end, x.end)
    if _words_between(ctx.norm, _n(ctx, end), _n(ctx, clause.end)) <= 4:
        end = clause.end
    if _words_between(ctx.norm, _n(ctx, start), _n(ctx, end)) < 3:
        start, end = min(start, clause.start), max(end, clause.end)
    while end > start and ctx.raw[end - 1] in " \n،,":
        end -= 1
    return Span(start, end)


def _same_clause(cls: list[Span], a: Event, b: Event) -> bool:
    ca = next((c for c in cls if c.start <= a.trigger.start < c.end), None) if a.trigger else None
    cb = next((c for c in cls if c.start <= b.trigger.start < c.end), None) if b.trigger else None
    return ca is not None and ca == cb


def _free_places(ctx: _Ctx, start: int, end: int) -> list[Place]:
    """The places named in raw ``[start, end)`` that are no speaker's title or actor's name
    («مصدر سوري في دير الزور»)."""
    skip = [*ctx.an.speakers, *ctx.an.actors]
    return [p for p in ctx.an.places if start <= p.start < end
            and not any(s.start <= p.start and p.end <= s.end for s in skip)]


_TERRITORY_HEADS = frozenset(("الاراضي", "اراضي", "الحدود", "حدود", "المناطق", "مناطق", "المدن", "مدن"))


def _territory(p: Place) -> bool:
    """«الأراضي السورية», «الحدود العراقية», «المدن السورية»: a country's territory."""
    first = norm_key(p.text).split()[:1]
    return bool(first) and any(f in _TERRITORY_HEADS for _, f in stems(first[0]))


def _origin_elsewhere(ctx: _Ctx, ev: Event, sent: Span) -> None:
    """A movement into one country with no origin, in a sentence that also names another
    country's territory: that territory is where the movers come from — «عبر الحدود
    العراقية مع سورية، يحاول عناصر داعش الهروب إلى البلد الأخيرة», «نقل قياداته إلى غرب
    الأنبار بعد تكثيف الضربات على معاقل المسلحين في الأراضي السورية». A bare country name
    is not enough («عودة رئيس الوزراء الإسرائيلي من موسكو ... سوريا»: talked about)."""
    dest_cc = {p.country for p in ev.places if p.role == "destination" and p.country}
    if not dest_cc or any(p.role == "origin" for p in ev.places):
        return
    loc = [p for p in ev.places if p.role == "location" and p.country and p.country not in dest_cc
           and _territory(p)]
    if loc:
        for p in loc:
            p.role = "origin"
        return
    t = ev.trigger.start if ev.trigger else ev.evidence.start
    cands = [p for p in _free_places(ctx, sent.start, sent.end)
             if p.lat is not None and p.country and p.country not in dest_cc and _territory(p)]
    if len({p.country for p in cands}) == 1:
        ev.places.append(replace(min(cands, key=lambda p: abs(p.start - t)), role="origin"))
        ev.places.sort(key=lambda p: p.start)


def _places_for(ctx: _Ctx, clause: Span, stop: int, frame: str, trig: Match | None = None) -> list[Place]:
    """Places of the trigger's clause and of the clauses after it, up to ``stop`` (the
    clause of the next trigger). A country named as the one acting («إسرائيل التي نفذت»)
    or a place inside a speaker's title («مصدر سوري في دير الزور») is no place of the event."""
    out = [replace(p, role="location") for p in _free_places(ctx, clause.start, max(stop, clause.end))]
    out.extend(_anaphoric_places(ctx, clause.start, max(stop, clause.end), out))
    out.sort(key=lambda p: p.start)
    if trig is not None:
        _place_roles(ctx, out, frame, trig)
    for p in out:
        if p.lat is None:
            _locate_near(ctx, p)
    return out


def _locate_near(ctx: _Ctx, p: Place) -> None:
    """A village or quarter the gazetteer lacks («بلدة النعيمة», «حي القدم») is put at the
    nearest place named with it that is known: in its sentence, else earlier in its
    paragraph (ACLED's practice: the nearest larger place, with a lower precision)."""
    sent = next((s for s in ctx.sents if s.start <= p.start < s.end), None)
    if sent is None:
        return
    known = [q for q in _free_places(ctx, sent.start, sent.end)
             if q.lat is not None and q.precision in ("town", "near", "region") and q.start != p.start]
    if not known:
        para = next((a for a in ctx.art.paragraphs if a.start <= p.start < a.end), None)
        known = [q for q in _free_places(ctx, para.start, p.start)
                 if q.lat is not None and q.precision in ("town", "near", "region")][-1:] if para else []
    if not known:
        return
    q = min(known, key=lambda q: abs(q.start - p.start))
    p.lat, p.lon, p.country, p.admin1 = q.lat, q.lon, q.country, q.admin1
    p.precision = "region" if q.precision == "region" else "near"


_PLACE_ANAPHOR = re.compile(r"(?:^|\s)[وفبلك]{0,2}(ال(مدينه|بلده|قريه|قريتين|منطقه|بلد|محافظه|قضاء|ناحيه|مخيم|عاصمه))"
                            r"(?=\s|$|[\W])((?:\s+ال[^\s\d\W]+){0,3})")
_TOWNISH = ("city", "town", "village", "admin3", "camp", "crossing", "point", "locality", "district")


def _anaphoric_places(ctx: _Ctx, start: int, stop: int, have: list[Place]) -> list[Place]:
    """«في البلدة», «إلى المدينة السورية الحدودية», «البلد المجاور»: a definite place noun
    with no name after it stands for the latest compatible place named before it."""
    nt = ctx.an.nt
    a, b = _n(ctx, start), _n(ctx, stop)
    out: list[Place] = []
    for m in _PLACE_ANAPHOR.finditer(nt.text, a, b):
        head = m.group(2)
        hs, he = m.start(1), m.end(1)
        rs, re_ = nt.raw_span(hs, he)
        if any(p.start <= rs < p.end or rs <= p.start < re_ + 2 for p in ctx.an.places):
            continue                      # «مدينة القائم»: a named place, not a reference
        adjs = m.group(3).split()
        cc = None
        gz = ctx.gz
        for w in adjs:
            cc = cc or gz.nisba(w)
        actor_spans = [(x.start, x.end) for x in ctx.an.actors]
        cands = [p for p in ctx.an.places if p.end <= rs and p.lat is not None
                 and not any(x <= p.start < y for x, y in actor_spans)
                 and (cc is None or p.country == cc)]
        if head == "بلد":
            if "المجاور" in adjs or "المجاوره" in adjs:
                main = ctx.an.country
                cands = [p for p in cands if p.precision == "country" and p.country == main] or \
                    [p for p in ctx.an.places if p.precision == "country" and p.country == main and p.lat is not None]
            else:
                cands = [p for p in cands if p.precision == "country"]
        elif head in ("محافظه", "منطقه"):
            cands = [p for p in cands if p.precision != "country"]
        else:
            cands = [p for p in cands if p.precision in ("town", "near") or (p.feature or "") in _TOWNISH]
        if not cands:
            continue
        p = cands[-1]
        ea, eb = nt.raw_span(hs, m.end(3) if adjs else he)
        out.append(replace(p, start=ea, end=eb, text=ctx.raw[ea:eb], role="location"))
    return out


def _fallback_place(ctx: _Ctx, sent: Span, before: int) -> list[Place]:
    """No place in the event's clauses: the last place named before it in its paragraph."""
    paras = ctx.art.paragraphs
    k = next((i for i, p in enumerate(paras) if p.start <= sent.start < p.end), None)
    if k is None:
        return []
    lo = paras[k].start
    # a paragraph that goes on from the one before («وأضاف أبو ليلى: ...») shares its places
    if k > 0 and re.match(r"^\W*(و|ف)?(اضاف|اوضح|تابع|قال|اكد|اشار|ذكر|بين|لفت)", ctx.norm[_n(ctx, paras[k].start):
                                                                                        _n(ctx, paras[k].start) + 30]):
        lo = paras[k - 1].start
    cands = [p for p in _free_places(ctx, lo, before) if p.lat is not None]
    return [replace(cands[-1], role="location")] if cands else []


def _merge_places(ev: Event, places: list[Place]) -> None:
    have = {(p.start, p.role) for p in ev.places}
    ev.places.extend(p for p in places if (p.start, p.role) not in have)


# «مناطق سيطرة النظام», «الخاضعة لسيطرة داعش»: the actor owns the place, it does not act
_OWNER = re.compile(r"(سيطره|لسيطره|نفوذ|قبضه)\s*\"?\s*$")
_THEN = re.compile(r"(^|\s)(ثم|ومن ثم|من ثم|وصولا)\s*$")
_THAT = re.compile(r"(نفي|نفت|نفوا|ينفي|تنفي|كذب|كذبت)\s+(ذلك|هذا|هذه|تلك|صحه|الانباء|الخبر|الامر|المعلومات|التقارير)")


def denial_of_previous(ctx: _Ctx, sent: Span, atts: list[_Attribution]) -> None:
    """«نفى ذلك»: a denial of the claim just made, as a claim of its own."""
    seg = ctx.norm[_n(ctx, sent.start):_n(ctx, sent.end)]
    m = _THAT.search(seg)
    if not m or not ctx.events:
        return
    prev = ctx.events[-1]
    if prev.evidence.start >= sent.start:
        return
    deny = next((a for a in atts if a.stance == "deny"), None)
    speaker = deny.speaker if deny else None
    ev = Event(id=f"{prev.id}:denied", doc=prev.doc, article=prev.article, type=prev.type, sub_type=prev.sub_type,
               evidence=sent, evidence_text=ctx.raw[sent.start:sent.end], trigger=None, actor=prev.actor,
               actor2=prev.actor2,
               places=[replace(p) for p in prev.places],
               count=prev.count, date=prev.date, date_precision=prev.date_precision,
               sources=[Claim(speaker.name, "deny", speaker.start, speaker.end, speaker.role, speaker.actor)]
               if speaker else [Claim("?", "deny")], stance="deny", sentence=sent)
    prev.claim_group = prev.claim_group or prev.id
    ev.claim_group = prev.claim_group
    # places named in the denial itself («ما زالت متوقفة في البادية») are where it says they are
    for p in ctx.an.places:
        if sent.start <= p.start < sent.end:
            ev.places.append(replace(p, role="location"))
    ctx.events.append(ev)
