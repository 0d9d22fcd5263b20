"""Decision: is a candidate a reported happening?

The rules of :mod:`.candidates` propose; a decision takes or drops each candidate of a
sentence and says how sure it is (``Event.confidence``). Decisions are registered by name:

* ``rules`` — the hand-written vetoes alone (a candidate with any cue is dropped);
* ``model`` — the learned model shipped in the package (``model.json``, rebuilt by
  ``rasd train``): the vetoes are features among others, and the candidate is kept when
  its probability reaches the model's threshold (chosen on the dev split).

``RASD_DECISION=rules|model`` picks one; by default the model when one is shipped.
"""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Callable, Protocol

from ..records import Event, Span


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
        from .model import load_model
        self.model = model or load_model()
        self.threshold = self.model.threshold if threshold is None else threshold

    def __call__(self, ctx, sent: Span, cands: list[Event]) -> list[Event]:
        from .features import candidate_features
        kept = []
        for e in cands:
            e.confidence = round(self.model.probability(candidate_features(ctx, sent, e, cands)), 3)
            if e.confidence >= self.threshold:
                kept.append(e)
        return kept


@lru_cache(maxsize=4)
def _named(name: str) -> Decision:
    if name not in DECISIONS:
        raise ValueError(f"unknown decision {name!r} (known: {', '.join(sorted(DECISIONS))})")
    return DECISIONS[name]()


def current_decision() -> Decision:
    """The decision in force: ``RASD_DECISION``, else the model when one is shipped."""
    name = os.environ.get("RASD_DECISION")
    if not name:
        from .model import model_available
        name = "model" if model_available() else "rules"
    return _named(name)
