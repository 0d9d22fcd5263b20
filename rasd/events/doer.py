"""The doer of an event (its ``actor``) chosen by a small learned model, after the hand
rules of :func:`.arguments.settle_who` (issue #12).

For each event with a trigger, every actor the article's analysis recognised is a
candidate answer (those of the event's sentence, the sentences around it, the headline
and first sentence, anywhere in the article), with the rules' own choice, the rules'
acted-on, the speakers' bodies, and "none". Each candidate gets a few dozen named
features (:func:`candidate_features`: where it is named from the trigger, the words
before it, whether it is the speaker or a condemner, its side against the event's kind,
whether the rules chose it ...); a logistic regression (``doer.json``: named weights,
rebuilt by ``rasd train --model doer``, :mod:`.doer_train`) scores them. The event takes
the best candidate when its score beats the rules' choice by the learned ``margin``;
else the rules' answer stands. Without ``doer.json`` (or with ``"enabled": false`` in it)
nothing changes. Only the standard library at run time.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..lang.actors import load_actors
from ..lang.speakers import load_speaker_cues
from ..lang.wordlists import alternation, word_set
from ..records import Event, main_place
from .arguments import _AGENT_BEFORE, _HOLDER, _is_target, _nisba_actor, alliances
from .context import _Ctx, _n, _words_between

WEIGHTS = Path(__file__).with_name("doer.json")
TARGET_WEIGHTS = Path(__file__).with_name("acted_on.json")   # the same kind of model for ``actor2``
NONE = "none"          # the candidate "no doer"

_ACTORS = load_actors()
_AGENT_MARK = re.compile(rf"({alternation('agent_markers')})\s*\"?\s*$")    # من قبل, على يد
_STATEMENT = word_set("statement_verbs")         # ادان, ندد, حذر ... (the condemner)
_SPEECH = load_speaker_cues().matchers["verb"]      # قال, أكد, تحدث ... (speakers.tsv)
_DOING = word_set("self_claim_verbs") | word_set("done_it_verbs")   # شن, نفذ; شنها, نفذته
_COORD = re.compile(r"(\s|^)و\s*$")            # «... والتحالف»: named with another
_VICTIMS = ("civilians", "protesters")
_STRIKES = ("battles", "explosions_remote_violence")
_HARM = (*_STRIKES, "violence_against_civilians")   # civilians are a candidate for what they suffer
_VICTIM_UNITS = ("civilians", "children", "women", "people", "families")
_OWN_DOERS = ("protests", "riots")     # coded by their protesters (settle_who): left as they are

# set by the training (doer_train.py): the hook records each event's candidates instead
# of choosing
_RECORD: list | None = None
_RECORD_TARGET: list | None = None      # (the same for the acted-on)
_FORCED_TARGET: DoerModel | None = None
_FORCED: DoerModel | None = None      # (and the model it tries in place of doer.json; OFF: none)


@dataclass
class DoerModel:
    weights: dict[str, float]
    bias: float = 0.0
    margin: float = 0.0
    enabled: bool = True
    meta: dict | None = None
    fill_only: bool = False      # only where the rules name none (an explicit rules' answer stands)

    def score(self, feats: list[str]) -> float:
        w = self.weights
        return self.bias + sum(w.get(f, 0.0) for f in feats)

    @classmethod
    def from_dict(cls, d: dict) -> DoerModel:
        return cls({str(k): float(v) for k, v in d["weights"].items()}, float(d.get("bias", 0.0)),
                   float(d.get("margin", 0.0)), bool(d.get("enabled", True)), d.get("meta"),
                   bool(d.get("fill_only", False)))

    def to_dict(self) -> dict:
        return {"enabled": self.enabled, "bias": round(self.bias, 4), "margin": self.margin,
                **({"fill_only": True} if self.fill_only else {}), "meta": self.meta,
                "weights": {k: round(v, 4) for k, v in sorted(self.weights.items()) if round(v, 4)}}


OFF = DoerModel({}, enabled=False)      # the rules' answers alone


@lru_cache(maxsize=4)
def _load(path: str) -> DoerModel | None:
    p = Path(path)
    if not p.exists():
        return None
    return DoerModel.from_dict(json.loads(p.read_text("utf-8")))


def load_model(path: Path | None = None) -> DoerModel | None:
    """The packaged model (``doer.json``), None when the file is missing."""
    return _load(str(path or WEIGHTS))


# ------------------------------------------------------------------ the article, read once


@dataclass
class _Mention:
    key: str
    start: int
    end: int
    sent: int                 # index of its sentence in ctx.sents
    speaker: bool             # inside a speaker's words


class _Article:
    """The actor mentions of one article by key, with their sentences (read once for all
    its events)."""

    def __init__(self, ctx: _Ctx) -> None:
        self.starts = [s.start for s in ctx.sents]
        self.by_key: dict[str, list[_Mention]] = {}
        for a in ctx.an.actors:
            m = _Mention(a.key, a.start, a.end, self.sent_of(a.start), ctx.an.in_speaker(a))
            self.by_key.setdefault(a.key, []).append(m)
        self.count = Counter({k: len(v) for k, v in self.by_key.items()})
        sides = [k for k, _ in self.count.most_common() if k not in _VICTIMS]
        self.top = sides[0] if sides else None
        ts = ctx.art.title_span
        self.head = {k for k, ms in self.by_key.items()
                     if any(m.sent == 0 or (ts is not None and ts.start <= m.start < ts.end) for m in ms)}

    def sent_of(self, pos: int) -> int:
        return max(0, bisect_right(self.starts, pos) - 1)


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return f"<={e}"
    return f">{edges[-1]}"


def _trigger_match(ctx: _Ctx, ev: Event):
    t = ev.trigger
    return next((m for m in ctx.triggers if m.start == t.start and m.end == t.end), None)


def candidate_features(ctx: _Ctx, art: _Article, ev: Event, peers: list[Event] = (),
                       role: str = "doer") -> list[tuple[str, list[str]]]:
    """``(key, features)`` of each candidate doer of ``ev`` (an event with a trigger), or
    with ``role="target"`` of each candidate for the one it acted on; the answer "none"
    (:data:`NONE`) last. ``peers``: the article's other events (the answers the rules gave
    to events of the same kind)."""
    doer = role == "doer"
    rule_k = ev.actor if doer else ev.actor2
    other_k = ev.actor2 if doer else ev.actor
    t = ev.trigger
    typ, sub = ev.type, ev.sub_type
    si = art.sent_of(t.start)
    clause = ev.evidence
    tm = _trigger_match(ctx, ev)
    pos = tm.payloads[0].pos if tm is not None and tm.payloads else "?"
    tn0, tn1 = _n(ctx, t.start), _n(ctx, t.end)
    nisba = _nisba_actor(ctx, tm) if tm is not None else None
    sources = {c.actor for c in ev.sources if c.actor}
    sent_speakers = {s.actor for s in ctx.an.speakers if s.actor and art.sent_of(s.start) == si}
    p = main_place(ev.places)
    home = _ACTORS.by_country.get(p.country or "") if p is not None else None
    friends = (alliances().get(ev.actor, frozenset()) | {ev.actor}) if ev.actor else frozenset()
    attr = "actor" if doer else "actor2"
    same_sub = Counter(getattr(e, attr) for e in peers if e is not ev and getattr(e, attr) and e.sub_type == sub)
    same_type = Counter(getattr(e, attr) for e in peers if e is not ev and getattr(e, attr) and e.type == typ)
    keys = list(art.by_key)
    for k in (rule_k, other_k, *sorted(sources), *(() if doer or typ not in _HARM else ("civilians",))):
        if k and k not in keys:
            keys.append(k)
    victims = not doer and _victims_in(ctx, ev.sentence or ev.evidence)
    doer_side = _ACTORS.side(ev.actor) if ev.actor else None
    out: list[tuple[str, list[str]]] = []
    in_sent_keys = 0
    for k in keys:
        if doer and k != ev.actor and ((k in _VICTIMS and typ in _STRIKES) or (ev.actor is None and k == ev.actor2)):
            continue          # victims never did a strike or a battle; the one the rules took as
            #                   hit, with no doer, is not made its doer
        if not doer and k == ev.actor:
            continue          # the doer is not what it acted on
        ms = art.by_key.get(k, [])
        here = [m for m in ms if m.sent == si]
        if k != rule_k and (_holder(ctx, here, tn1) or (
                here and all(m.speaker or _says_it(ctx, m, tn0) for m in here))):
            continue          # the one who says it (the announcer, the condemner) or holds the
            #                   place named is not made its doer: the rules' reading stands
        f = [f"t={typ}", f"kind={_ACTORS.kind(k)}&t={typ}"]
        rule = k == rule_k
        if rule:
            f += ["rule", f"rule&t={typ}", f"rule&st={sub}"]
        if k == other_k:
            f.append("rule2")
        elif k in friends and not rule:
            f.append("ally_of_rule")      # (of the rules' doer, for either role)
        side = _ACTORS.side(k) or "other"
        f.append(f"side={side}&t={typ}")
        if not doer and doer_side and side != "other" and side != doer_side:
            f.append("other_side")
        if k in _VICTIMS:
            f.append(f"victim&t={typ}")
            if victims:
                f.append("victims_named")
        if k in sources:
            f.append("source")
        if k in sent_speakers:
            f.append("speaker_sent")
        if k == nisba:
            f.append("nisba")
        if k == home:
            f += [f"home_state&t={typ}", f"home_state&st={sub}"]
        if k == ctx.last_group:
            f.append("last_group")
        if same_sub[k]:
            f += ["peer_sub", f"peer_sub&t={typ}"]
            if same_sub[k] == max(same_sub.values()):
                f.append("peer_sub_most")
        elif same_type[k]:
            f.append("peer_type")
        if k == art.top:
            f += ["top", f"top&st={sub}"]
        if k in art.head:
            f.append("head")
        f.append("n=" + _bucket(len(ms), (0, 1, 3)))
        if not ms:
            out.append((k, f))
            continue
        # the nearest sentence that names it (before the event's preferred on a tie)
        d = min((m.sent - si for m in ms), key=lambda x: (abs(x), x > 0))
        f.append("sd=" + (str(d) if -2 <= d <= 1 else "far-" if d < 0 else "far+"))
        f.append(f"sd={d if -2 <= d <= 1 else 'far'}&t={typ}")
        if rule_k is None:
            f.append(f"sd={d if -2 <= d <= 1 else 'far'}&rule_none")
        if not here:
            out.append((k, f))
            continue
        in_sent_keys += 1
        if any(clause.start <= m.start < clause.end for m in here):
            f.append("clause")
        # the nearest mention in the sentence: side, words apart, the words before it
        m = min(here, key=lambda m: abs(m.start - t.start))
        before = m.end <= t.start
        a0, a1 = _n(ctx, m.start), _n(ctx, m.end)
        gap = _words_between(ctx.norm, a1, tn0) if before else _words_between(ctx.norm, tn1, a0)
        where = "before" if before else "after"
        f += [where, f"{where}{_bucket(gap, (0, 3, 8, 15))}", f"{where}&t={typ}"]
        left = ctx.norm[max(0, a0 - 30):a0]
        lw = left.split()[-2:]
        right = ctx.norm[a1:a1 + 40].split()[:2]
        if _AGENT_MARK.search(left):
            f.append("agent_mark")
        elif _AGENT_BEFORE.search(left):
            f.append("agent_before")
        if not before and _is_target(ctx, m):
            f.append("target_word")
        if _COORD.search(left):
            f.append("coord")
        if any(w in _STATEMENT for w in lw + right):
            f.append("condemner")
        if right and right[0] in _DOING:
            f.append("does_verb")
        if before and gap <= 3 and pos == "verb":
            f.append("subj_verb")
        if not before and gap <= 1 and pos == "noun":
            f.append("genitive")
        if len(here) > 1:
            f.append("twice_in_sent")
        out.append((k, f))
    nf = [NONE, f"{NONE}&t={ev.type}", f"{NONE}&st={sub}", f"{NONE}&nsent={min(in_sent_keys, 2)}"]
    if rule_k is None:
        nf.append(f"{NONE}&rule")
    out.append((NONE, nf))
    return out


def _speech_verb(w: str) -> bool:
    forms = {w, w[1:] if w[:1] in ("و", "ف") else w}
    forms |= {f[:-2] for f in forms if f.endswith(("وا", "ون")) and len(f) > 4}
    return any(f in _SPEECH for f in forms)


def _says_it(ctx: _Ctx, m: _Mention, trig_start: int) -> bool:
    """A speech verb stands between the mention and the trigger after it («مقاتلو المعارضة
    ... تحدثوا عن الانسحاب»): it names who speaks of the event."""
    a1 = _n(ctx, m.end)
    return a1 <= trig_start and any(_speech_verb(w) for w in ctx.norm[a1:trig_start].split()[:30])


def _victims_in(ctx: _Ctx, sent) -> bool:
    """The sentence counts civilians («خمسة مدنيين», «عشرات الأطفال»)."""
    return any(q.unit_class in _VICTIM_UNITS for q in ctx.an.between("quantities", sent.start, sent.end))


def _holder(ctx: _Ctx, here: list[_Mention], trig_end: int) -> bool:
    """Every mention of the sentence names the side holding a place («إلى مناطق سيطرة قوات
    النظام», «الخاضعة لسيطرة المعارضة»), not one right after the trigger («سيطرة داعش على»)."""
    if not here:
        return False
    for m in here:
        a0 = _n(ctx, m.start)
        if a0 <= trig_end + 2 or not _HOLDER.search(ctx.norm[max(0, a0 - 30):a0]):
            return False
    return True


def choose_doers(ctx: _Ctx, events: list[Event], model: DoerModel | None = None,
                 target_model: DoerModel | None = None) -> list[Event]:
    """The hook at the end of :func:`.arguments.settle_who`: each event with a trigger takes
    the best-scored candidate doer when it beats the rules' answer by the model's margin;
    then, with the acted-on model (``acted_on.json``), the best candidate it acted on."""
    rec = _RECORD is not None or _RECORD_TARGET is not None
    model = model or _FORCED or (None if rec else load_model())
    target_model = target_model or _FORCED_TARGET or (None if rec else load_model(TARGET_WEIGHTS))
    on, on2 = model is not None and model.enabled, target_model is not None and target_model.enabled
    if not (rec or on or on2):
        return events
    todo = [ev for ev in events if ev.trigger is not None and ev.type not in _OWN_DOERS]
    if not todo or not ctx.sents:
        return events
    art = _Article(ctx)
    if on or _RECORD is not None:
        # every event's candidates read before any doer changes (the peers' doers are the rules')
        for ev, cands in [(ev, candidate_features(ctx, art, ev, todo)) for ev in todo]:
            if _RECORD is not None:
                _RECORD.append((ev, ev.actor, ev.actor2, cands))
            if on:
                _apply(ev, cands, model)
    if on2 or _RECORD_TARGET is not None:
        for ev, cands in [(ev, candidate_features(ctx, art, ev, todo, role="target")) for ev in todo]:
            if _RECORD_TARGET is not None:
                _RECORD_TARGET.append((ev, ev.actor, ev.actor2, cands))
            if on2:
                _apply(ev, cands, target_model, role="target")
    return events


def _apply(ev: Event, cands: list[tuple[str, list[str]]], model: DoerModel, role: str = "doer") -> None:
    rules = (ev.actor if role == "doer" else ev.actor2) or NONE
    if model.fill_only and rules != NONE:
        return
    scores = {k: model.score(f) for k, f in cands}
    best = max(scores, key=lambda k: scores[k])
    if best == rules or scores[best] - scores.get(rules, float("-inf")) <= model.margin:
        return
    if role == "doer":
        set_doer(ev, None if best == NONE else best)
    else:
        ev.actor2 = None if best == NONE else best


def set_doer(ev: Event, doer: str | None) -> None:
    """``ev`` done by ``doer``; the one it acted on stays, unless it is the new doer: then
    the old doer is what it acted on."""
    old = ev.actor
    ev.actor = doer
    if doer is not None and ev.actor2 == doer:
        ev.actor2 = old
