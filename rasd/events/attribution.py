"""Attribution: who says so. The reporting verbs of a sentence with their speakers
(before or after them, «بحسب/وفق/نقلاً عن X», the speaker of the sentences before for
«وأضاف»), denial verbs (stance ``deny``) and «نفى ذلك», a denial of the claim just made."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from ..lang.lexicon import Match, PhraseMatcher
from ..lang.tokenize import CONJUNCTIONS
from ..lang.wordlists import alternation, word_set, words
from ..records import Claim, Event, Span, Speaker
from .context import _NAQL, _Ctx, _data, _inside, _n, _words_between


@lru_cache(maxsize=1)
def reporting_matcher() -> PhraseMatcher:
    m = PhraseMatcher()
    for row in _data("reporting.tsv"):
        form, stance, kind = (c.strip() for c in row[:3])
        m.add(form, (stance, kind))
    return m


@dataclass
class _Attribution:
    speaker: Speaker | None
    stance: str
    verb_start: int


_RELAYED_FROM = word_set("relayed_from")   # «نقلت سانا عن مسؤول», «على لسان»
_FROM_WHOM = word_set("from_whom")         # عن, عنه, عنها
_RELAY_RELATIVE = re.compile(rf"({alternation('relay_relatives')})\s*$")   # «لما نقلته», «كما نقلت»
_OUTLET_STEMS = words("outlet_stems")      # وكالة, صحيفة, مصدر ... (prefixes)


def _reports(ctx: _Ctx, t: Match, reporting: list[Match]) -> bool:
    """«ونقلت الوكالة عن ...», «وفقاً لما نقلته»: the word reports, it moves nothing."""
    if t.payloads[0].form.startswith(_NAQL):
        if _RELAY_RELATIVE.search(ctx.norm[max(0, t.norm_start - 8):t.norm_start]):
            return True                   # «(وفقاً) لما نقلته وكالة ...», «كما نقلت»
        after = ctx.norm[t.norm_end:t.norm_end + 80].split()[:6]
        if any(w in _RELAYED_FROM for w in after):
            return True                   # «نقلت سانا عن مسؤول», «ونقلت الإذاعة على لسان ليبرمان»
    if not any(r.start <= t.start < r.end for r in reporting):
        return False
    nxt = ctx.norm[t.norm_end:t.norm_end + 40].split()[:2]
    return bool(nxt) and (nxt[0] in _FROM_WHOM or nxt[0].lstrip("ال").startswith(_OUTLET_STEMS))


def _attributions(ctx: _Ctx, sent: Span, reporting: list[Match]) -> list[_Attribution]:
    """The reporting verbs of a sentence with their speakers, in order."""
    out: list[_Attribution] = []
    spk = ctx.an.between("speakers", sent.start, sent.end)
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
    for a in ctx.an.between("actors", sent.start, sent.end):
        if a.start >= r.end and _words_between(text, r.norm_end, _n(ctx, a.start)) == 0:
            return Speaker(a.start, a.end, a.text, a.text, "actor", a.key)
        if a.end <= r.start and _words_between(text, _n(ctx, a.end), r.norm_start) <= 1:
            return Speaker(a.start, a.end, a.text, a.text, "actor", a.key)
    return None


_TO_OUTLET = re.compile(rf"(^|\s)[{''.join(CONJUNCTIONS)}]?ل({alternation('outlet_nouns')})\W*$")   # outlet_nouns: صحيفة, وكالة ...


def _glued_lam(raw: str, i: int) -> bool:
    """A «لـ» glued to the word at ``i`` («لصحيفة», «لـ«الشرق الأوسط»»)."""
    j = i - 1
    while j >= 0 and raw[j] in "«\"“":
        j -= 1
    while j >= 0 and raw[j] == "ـ":
        j -= 1
    if j >= 0 and raw[j] == "ل" and (j == 0 or not raw[j - 1].isalpha() or raw[j - 1] in CONJUNCTIONS):
        return True
    # «لصحيفة «واشنطن بوست»»: the outlet's name after a word for outlets with «ل»
    return bool(_TO_OUTLET.search(raw[max(0, i - 14):i]))


def _claim_of(att: _Attribution | None) -> list[Claim]:
    if att is None or att.speaker is None:
        return []
    s = att.speaker
    return [Claim(s.name, att.stance, s.start, s.end, s.role, s.actor)]


# «نفى ذلك», «كذّب الأنباء» (denial_verbs, denied_things)
_THAT = re.compile(rf"({alternation('denial_verbs')})\s+({alternation('denied_things')})")


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
               if speaker else [Claim("?", "deny")], stance="deny", sentence=sent,
               confidence=prev.confidence)        # as sure as the claim it denies was told
    prev.claim_group = prev.claim_group or prev.id
    ev.claim_group = prev.claim_group
    # places named in the denial itself («ما زالت متوقفة في البادية») are where it says they are
    for p in ctx.an.between("places", sent.start, sent.end):
        ev.places.append(replace(p, role="location"))
    ctx.events.append(ev)


# a cue opens at the start of a word, or after a quotation mark or a bracket («مؤكدا إنه "لم يقع هجوم"»)
_DENIED_BEFORE = re.compile(rf"(?:^|[\s\"«“'(])[وف]?(?:{alternation('denied_before')})((?:\s+[^\s,،؛]+){{0,3}})\s*\S*$")
_DENIED_AFTER = re.compile(rf"^\S*(?:\s+\S+){{0,2}}?\s+(?:{alternation('denied_after')})(?:\s|$)")
_ALLEGED = re.compile(rf"(?:^|[\s\"«“'(])[وف]?(?:{alternation('alleged_before')})(?:\s+\S+){{0,10}}\s*\S*$")
_DISMISSED = re.compile(rf"(?:^|[\s\"«“'(])[وب]?(?:ال)?(?:{alternation('dismissals')})(?=[\s\"»”'),.،؛:!?]|$)")


def denies(ctx: _Ctx, ev: Event) -> bool:
    """Does the sentence of ``ev`` say its happening did not take place, without a verb of
    denial? A plain statement («مؤكدا إنه "لم يقع هجوم كيميائي"», «لم يعثروا على أي دليل
    على وقوع هجوم», «هذا الهجوم الذي نفته دمشق»), or a telling named as an allegation and
    then dismissed («وصفت التقارير التي تحدثت عن هجوم كيميائي … بأنها روايات زائفة»,
    «ما يتردد عن هجوم … مجرد خدعة»). Word lists ``denied_before``, ``denied_after``,
    ``alleged_before``, ``dismissals``."""
    if ev.trigger is None:
        return False
    sent = ev.sentence or ev.evidence
    before = ctx.norm[_n(ctx, sent.start):_n(ctx, ev.trigger.start)]
    after = ctx.norm[_n(ctx, ev.trigger.start):_n(ctx, sent.end)]
    if _DENIED_BEFORE.search(before[-120:]) or _DENIED_AFTER.search(after[:120]):
        return True
    return bool(_ALLEGED.search(before[-160:]) and _DISMISSED.search(after[:300]))


DENIAL_REACH = 9       # a verb of denial governs a trigger at most this many words on, in one clause
_CLAUSE_BREAK = re.compile(r"[,،؛;:]")


def _denying_verb(ctx: _Ctx, c: Event, atts: list[_Attribution]) -> _Attribution | None:
    """The verb of denial of the sentence that governs ``c``: shortly before the trigger,
    with no clause break between («نفت فرنسا أيضا مسؤوليتها عن هذه الضربات»; not «ونفت
    روسيا، الخميس، اتفاقا … بهدف … إجلاء الجرحى», nor a verb after the trigger)."""
    t = c.trigger.start
    return next((a for a in atts if a.stance == "deny" and a.verb_start < t
                 and not _CLAUSE_BREAK.search(ctx.raw, a.verb_start, t)
                 and _words_between(ctx.norm, _n(ctx, a.verb_start), _n(ctx, t)) <= DENIAL_REACH), None)


def denials_of_dropped(ctx: _Ctx, cands: list[Event], kept: list[Event], atts: list[_Attribution],
                       typed: Callable[[Event], None] | None = None) -> list[Event]:
    """Candidates the decision dropped that deny a happening the article has already told
    («كما نفت فرنسا أيضا مسؤوليتها عن هذه الضربات», «مثل هذا الهجوم الذي نفته دمشق»,
    «الاتهامات … بشأن الهجوم … "اسطوانة مملة"»): the decision asks whether a happening is
    reported, and a back-reference is not a new one; but a denial of it is a claim of its
    own. Such a candidate — with a verb of denial just before it or a cue of :func:`denies`,
    typed as the decision types what it keeps (``typed``), of a kind no kept event of its sentence has
    and of the kind of an asserted event told before it — is kept as a denial, as sure as
    that event (its claim group is settled by :mod:`.grouping`, which links a lone denial
    to the claim of its article it answers)."""
    out: list[Event] = []
    # the kinds of the sentence's kept events (:func:`_kind`): a chemical attack apart from the
    # strikes told with it («نفى البنتاغون أن تكون الولايات المتحدة قد نفذت هذه الغارات التي تأتي بعد
    # "هجوم كيميائي"»: the chemical attack kept does not stand for the strikes denied)
    have = {_kind(e) for e in kept}
    kept_ids = {id(e) for e in kept}
    for c in cands:
        if id(c) in kept_ids or c.trigger is None or c.kill_only:
            continue
        verb = _denying_verb(ctx, c, atts)
        if verb is None and not denies(ctx, c):
            continue
        # a copy: the candidate itself stays as proposed (later sentences' features read it)
        c = replace(c, sources=list(c.sources), places=list(c.places))
        if typed is not None:
            typed(c)
        _chemical(ctx, c)
        told = _answered(ctx, c)
        if told is None or _kind(c) in have:
            continue
        c.confidence = told.confidence
        out.append(mark_denied(c, told))
        ctx.answers.append((c, told, verb and _denier(ctx, c, verb)))
        have.add(_kind(c))
    return out


def _kind(e: Event) -> tuple[str, str | None]:
    """An event's kind: its type, and its sub-type when that is a kind of its own
    (``distinct_sub_types``, as :func:`.grouping.kinds_apart` reads them)."""
    from .grouping import DISTINCT_SUB_TYPES
    return e.type, e.sub_type if e.sub_type in DISTINCT_SUB_TYPES else None


def settle_answers(ctx: _Ctx, events: list[Event]) -> list[Event]:
    """The denials of back-references (:func:`denials_of_dropped`) once the claims they
    answer have their arguments (after the where/who rules): each takes what it leaves
    unsaid from that claim — the claim it answers, or the first telling it was folded into
    (:func:`_answering`). Their claim groups are settled by :mod:`.grouping` (a lone
    denial joins the claim of its article it answers)."""
    if not ctx.answers:
        return events
    kept = {id(e) for e in events}
    for c, told, denier in ctx.answers:
        if id(c) not in kept:
            continue
        if id(told) not in kept:
            told = next((e for e in events if e.stance != "deny" and any(
                m["start"] == told.evidence.start for m in e.mentions)), None)
            if told is None:
                continue
        _answering(ctx, c, told, denier)
    return events


_CHEMICAL_WORDS = tuple(words("chemical_words"))


def told_chemical(ctx: _Ctx, c: Event) -> bool:
    """The trigger of ``c`` or one of the two words after it is a chemical word
    («الهجوم الكيميائي المفترض», «هجوم بغاز الكلور»: chemical_words)."""
    return chemical_words_at(ctx, c.trigger.start, c.trigger.end, (c.sentence or c.evidence).end)


def chemical_words_at(ctx: _Ctx, start: int, end: int, limit: int, since: int | None = None) -> bool:
    """The words of ``raw[start:end]`` or the two after it (before ``limit``) hold a
    chemical word (chemical_words); with ``since``, the three before it (after ``since``)
    too («استخدام الكيماوي في هجوم بدوما»)."""
    after = ctx.norm[_n(ctx, end):_n(ctx, max(end, limit))].split()[:2]
    ws = ctx.norm[_n(ctx, start):_n(ctx, end)].split() + after
    if since is not None:
        ws += ctx.norm[_n(ctx, since):_n(ctx, max(since, start))].split()[-3:]
    return any(map(_chemical_word, ws))


def _chemical_word(w: str) -> bool:
    return w.lstrip("وبال").startswith(_CHEMICAL_WORDS) or w.startswith(_CHEMICAL_WORDS)


def chemical_article(ctx: _Ctx) -> bool:
    """Whether the article calls anything chemical (a word of chemical_words anywhere in it):
    a chemical attack is one the text calls so (read once per article)."""
    if ctx.chemical_told is None:
        ctx.chemical_told = any(map(_chemical_word, ctx.norm.split()))
    return ctx.chemical_told


def _chemical(ctx: _Ctx, c: Event) -> None:
    """«الهجوم الكيميائي»: the definite noun with a chemical word after it is a chemical attack."""
    if c.type == "explosions_remote_violence" and told_chemical(ctx, c):
        c.sub_type = "chemical_weapon"


def _answered(ctx: _Ctx, c: Event) -> Event | None:
    """The asserted claim told before ``c`` in its article that ``c`` answers: of the same
    kind; one of the same sub-type first, then one sharing a party or a place, then the
    latest (:func:`.grouping.answer_fit`, as a denial left alone is linked); never one told
    of a place far from the one the denial names (:func:`.grouping.places_apart`: «ضربات روسيا
    في الغوطة الشرقية» does not answer the shelling of Afrin), unless a demonstrative points
    back to it («هذه الغارات»)."""
    from .grouping import answer_fit, places_apart
    best, best_key = None, None
    # («هذه الغارات»: a demonstrative points back to a happening told, whatever other places its
    # sentence names — «... التي تأتي بعد "هجوم كيميائي" في دوما»)
    pointed = "anaphor" in c.cues
    for i, e in enumerate(ctx.events):
        if e.type == c.type and e.stance != "deny" and (pointed or not places_apart(c, e)):
            key = (*answer_fit(c, e), i)
            if best_key is None or key > best_key:
                best, best_key = e, key
    return best


_OWN_PART = re.compile(rf"(?:^|[\s\"«“'(])[وب]?(?:{alternation('denied_own_part')})(?=\s|$)")


def _denier(ctx: _Ctx, c: Event, verb: _Attribution) -> Claim | None:
    """Who denies ``c`` by ``verb``, as a claim: the state named right after the verb («نفت
    فرنسا», «ونفت دمشق»: a country or a capital, with its forces' key), else the verb's
    speaker when it is an actor named beside the verb."""
    from .arguments import forces_of_country
    for p in ctx.an.between("places", verb.verb_start, c.trigger.start):
        if _words_between(ctx.norm, _n(ctx, verb.verb_start), _n(ctx, p.start)) <= 1 and (
                p.precision == "country" or p.feature == "capital") and forces_of_country(p.country):
            return Claim(p.text, "deny", p.start, p.end, "state", forces_of_country(p.country))
    s = verb.speaker
    if s is not None and s.actor and s.start < c.trigger.start and abs(s.start - verb.verb_start) < 40:
        return Claim(s.name, "deny", s.start, s.end, s.role, s.actor)
    return None


def _answering(ctx: _Ctx, c: Event, told: Event, denier: Claim | None = None) -> Event:
    """A denial of a happening told before («… هذه الضربات», «مثل هذا الهجوم الذي نفته
    دمشق») says little of it: who did it, to whom, when and where are those of the claim it
    answers, save where the denial itself names them. The doer is the party said to have
    done it: the denying party when it denies its own part («نفت فرنسا مسؤوليتها عن هذه
    الضربات»: words ``denied_own_part`` between the sentence's start and the trigger), else
    the doer of the claim answered. The denying party (``denier``) is the source of a
    denial that has none, and a state named as the denier is not its place."""
    sent = c.sentence or c.evidence
    own = _OWN_PART.search(ctx.norm[_n(ctx, sent.start):_n(ctx, c.trigger.start)])
    if denier is not None:
        if not c.sources or all(x.name == "?" for x in c.sources):
            c.sources = [denier]          # «نفت فرنسا …»: France says so
        c.places = [p for p in c.places if p.start != denier.start]   # «ونفت دمشق»: who, not where
    if own and denier is not None and denier.actor:
        from .arguments import forces_of
        c.actor = forces_of(denier.actor)
    else:
        c.actor = told.actor or c.actor
    c.actor2 = told.actor2 if told.actor2 and told.actor2 != c.actor else c.actor2
    if told.date and (c.date is None or c.date_precision == "reported"):
        c.date, c.date_precision = told.date, told.date_precision
    if told.places and not any(p.precision in ("town", "near", "region") and p.lat is not None
                               and p.role != "origin" for p in c.places):
        c.places = [replace(p) for p in told.places]
    return c


def mark_denied(ev: Event, answers: Event | None = None) -> Event:
    """``ev`` becomes a denial: its stance and its sources'. A denial of ``answers`` whose
    sources are all among those that assert it took them from the sentences before («ونفت
    موسكو …» after «بحسب المرصد», the speaker of the sentence not being recognised): it
    is told with an unknown source rather than one that says the opposite."""
    if answers is not None and ev.sources and {c.name for c in ev.sources} <= {c.name for c in answers.sources}:
        ev.sources = []
    ev.stance = "deny"
    ev.sources = [replace(c, stance="deny") for c in ev.sources] or [Claim("?", "deny")]
    return ev


def settle_stance(ctx: _Ctx, events: list[Event]) -> list[Event]:
    """A claim a source makes that the happening did not take place, in a plain statement
    rather than with a verb of denial (:func:`denies`), is a denial: its stance and its
    sources' become ``deny`` (it then joins the claim it answers, :mod:`.grouping`).
    After the decision: the decision reads the text's cues itself."""
    for ev in events:
        if ev.stance != "deny" and denies(ctx, ev):
            mark_denied(ev)
    return events
