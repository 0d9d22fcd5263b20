"""Attribution: who says so. The reporting verbs of a sentence with their speakers
(before or after them, «بحسب/وفق/نقلاً عن X», the speaker of the sentences before for
«وأضاف»), denial verbs (stance ``deny``) and «نفى ذلك», a denial of the claim just made."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..lang.lexicon import Match, PhraseMatcher
from ..lang.tokenize import CONJUNCTIONS
from ..lang.wordlists import alternation, word_set, words
from ..records import Claim, Event, Span, Speaker
from .context import _Ctx, _NAQL, _data, _inside, _n, _words_between

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


_DENIED_BEFORE = re.compile(rf"(?:^|\s)[وف]?(?:{alternation('denied_before')})((?:\s+\S+){{0,3}})\s*\S*$")
_DENIED_AFTER = re.compile(rf"^\S*(?:\s+\S+){{0,2}}?\s+(?:{alternation('denied_after')})(?:\s|$)")


def settle_stance(ctx: _Ctx, events: list[Event]) -> list[Event]:
    """A claim a source makes that the happening did not take place, in a plain statement
    rather than with a verb of denial («مؤكدا إنه لم يقع هجوم كيميائي», «لم يعثروا على أي
    دليل على وقوع هجوم», «هذا الهجوم الذي نفته دمشق»), is a denial: its stance and its
    sources' become ``deny`` (it then joins the claim it answers, :mod:`.grouping`).
    After the decision: the decision reads the text's cues itself."""
    for ev in events:
        if ev.stance == "deny" or ev.trigger is None:
            continue
        sent = ev.sentence or ev.evidence
        before = ctx.norm[_n(ctx, sent.start):_n(ctx, ev.trigger.start)]
        after = ctx.norm[_n(ctx, ev.trigger.start):_n(ctx, sent.end)]
        if _DENIED_BEFORE.search(before[-120:]) or _DENIED_AFTER.search(after[:120]):
            ev.stance = "deny"
            ev.sources = [replace(c, stance="deny") for c in ev.sources] or [Claim("?", "deny")]
    return events
