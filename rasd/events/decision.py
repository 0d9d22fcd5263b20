"""Decision: is a candidate a reported happening?

The rules of :mod:`.candidates` propose; a decision takes or drops each candidate of a
sentence and says how sure it is (``Event.confidence``). Decisions are registered by name:

* ``rules`` — the hand-written vetoes alone (a candidate with any cue is dropped);
* ``model`` — the learned model shipped in the package (``model.json``, rebuilt by
  ``rasd train``): the vetoes are features among others, and the candidate is kept when
  its probability reaches the model's threshold (chosen on the dev split) and it carries
  none of the few cues that decide alone (``decisive_cues`` in words.tsv: cues no labelled
  train candidate carrying them is real, e.g. aid or weapons moving, «things_move»).

``RASD_DECISION=rules|model`` picks one; by default the model when one is shipped.
"""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Callable, Protocol

from ..lang.wordlists import word_set
from ..records import Event, Span
from .attribution import chemical_article
from .features import candidate_features, sentence_features
from .model import DEFAULT_SUB, feature_hashes, load_all, resubtype, retype, sigmoid


class Decision(Protocol):
    name: str
    keep_all: bool       # wants the candidates the rules would drop (with their cues)

    def __call__(self, ctx, sent: Span, cands: list[Event]) -> list[Event]: ...


DECISIONS: dict[str, Callable[[], Decision]] = {}


def register(name: str):
    def deco(factory):
        DECISIONS[name] = factory
        return factory
    return deco


@register("rules")
class RuleDecision:
    """The vetoes decide: what the rules proposed without a cue is kept."""
    name = "rules"
    keep_all = False

    def __call__(self, ctx, sent: Span, cands: list[Event]) -> list[Event]:
        return [e for e in cands if not e.cues]


@register("model")
class ModelDecision:
    """The shipped model decides over every candidate, cues included."""
    name = "model"
    keep_all = True

    def __init__(self, model=None, threshold: float | None = None):
        shipped = load_all() if model is None else {}
        self.model = model or shipped["decision"]
        self.threshold = self.model.threshold if threshold is None else threshold
        self.types = {k: m for k, m in shipped.items() if k.startswith("type:")}
        self.subs = {k: m for k, m in shipped.items() if k.startswith("sub:")}

    def __call__(self, ctx, sent: Span, cands: list[Event]) -> list[Event]:
        kept = []
        # the sentence's features are shared by its candidates: hashed and summed once
        sent_h = feature_hashes(sentence_features(ctx, sent))
        sent_z = self.model.score_hashes(sent_h) - self.model.bias
        for e in cands:
            own = feature_hashes(candidate_features(ctx, sent, e, cands, with_sentence=False))
            z = self.model.score_hashes(own) + sent_z
            e.confidence = round(sigmoid(z), 3)
            if e.confidence >= self.threshold and not decisive(e):
                self._type(ctx, sent, e, own | sent_h)
                kept.append(e)
        return kept

    def _type(self, ctx, sent: Span, e: Event, hashes) -> None:
        if self.types:
            _set_type(ctx, sent, e, retype(self.types, hashes, e.type))
        if self.subs:
            sub = resubtype(self.subs, hashes, e.type, e.sub_type)
            # a chemical attack is one the article calls chemical: the sub-type models, which
            # learned «الهجوم» from the many tellings of the Douma attack, do not make one
            if sub != "chemical_weapon" or sub == e.sub_type or chemical_article(ctx):
                e.sub_type = sub

    def type_dropped(self, ctx, sent: Span, cands: list[Event], e: Event) -> None:
        """Type a candidate the decision dropped as it types those it keeps (a denial of a
        happening told before is kept though dropped: :func:`.attribution.denials_of_dropped`)."""
        self._type(ctx, sent, e, feature_hashes(candidate_features(ctx, sent, e, cands)))




def decisive(e: Event) -> bool:
    """A cue that decides alone (``decisive_cues``): no candidate carrying it is kept."""
    return bool(_DECISIVE.intersection(e.cues))


_DECISIVE = word_set("decisive_cues")


def _set_type(ctx, sent: Span, e: Event, typ: str) -> None:
    if typ == e.type:
        return
    e.type = typ
    if typ == "explosions_remote_violence":
        from .candidates import air_told
        seg = ctx.norm[ctx.an.nt.norm_index(sent.start):ctx.an.nt.norm_index(sent.end)]
        e.sub_type = "air_drone_strike" if air_told(seg) else "shelling_artillery_missile_attack"
    else:
        e.sub_type = DEFAULT_SUB.get(typ)
    if typ == "battles" and e.actor2 is None and e.actor:
        from .arguments import other_side
        e.actor2 = other_side(ctx, sent, e.actor)


@lru_cache(maxsize=4)
def _named(name: str) -> Decision:
    if name not in DECISIONS:
        raise ValueError(f"unknown decision {name!r} (known: {', '.join(sorted(DECISIONS))})")
    return DECISIONS[name]()


def current_decision() -> Decision:
    """The decision in force: ``RASD_DECISION``, else the model when one is shipped."""
    return _current(os.environ.get("RASD_DECISION") or "")


@lru_cache(maxsize=4)
def _current(name: str) -> Decision:
    if not name:
        from .model import model_available
        name = "model" if model_available() else "rules"
    return _named(name)
