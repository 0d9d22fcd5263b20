"""`rasd train` chooses the decision's threshold by simulating what the pipeline stores
(train.simulate): the decision, then the fold. The simulation must fold as the pipeline
folds, or the threshold is chosen for another pipeline than the one shipped."""
from __future__ import annotations

from rasd.events.dataset import article_mentions
from rasd.events.train import Example, simulate
from rasd.ingest import make_document


class _SameFold:
    """A fold model that finds every pair the same happening."""
    threshold = 0.5

    def probability(self, features) -> float:
        return 1.0


def _examples(text: str) -> list[Example]:
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-04-10")
    ms = [m for _, mentions in article_mentions(doc) for m in mentions
          if m.event.type == "explosions_remote_violence"]
    return [Example(m, 1, doc.id, "ant") for m in ms]


def _stored(exs: list[Example]) -> list[bool]:
    raws = {e.group: e.mention.raw for e in exs}
    sents = {e.group: {s.start: i for i, s in enumerate(e.mention.sentences)} for e in exs}
    return simulate(exs, [1.0] * len(exs), 0.5, _SameFold(), raws, sents)


def test_the_simulated_fold_keeps_a_chemical_attack_apart_from_the_strikes_told_with_it():
    exs = _examples("قتل 40 مدنيا في هجوم بغاز الكلور على مدينة دوما في الغوطة الشرقية، بحسب مسعفين. "
                    "وشنت طائرات حربية غارات على دوما، حسبما أفاد المرصد السوري.")
    assert [e.mention.chemical for e in exs] == [True, False], [(e.mention.event.trigger.text, e.mention.chemical)
                                                               for e in exs]
    assert _stored(exs) == [True, True]


def test_the_simulated_fold_still_folds_two_strikes_of_one_kind():
    exs = _examples("شنت طائرات حربية غارات على مدينة دوما في الغوطة الشرقية. "
                    "وقال المرصد السوري إن الغارات على دوما أودت بحياة 10 مدنيين.")
    assert len(exs) == 2 and not any(e.mention.chemical for e in exs)
    assert _stored(exs) == [True, False]
