"""The learned doer chooser (rasd/events/doer.py, issue #12): its candidates and their
features on constructed sentences; weight files chosen here make it pick a given candidate;
the rules' answer stands without a file, with a disabled one, or under the margin."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rasd.clean import split_articles
from rasd.cli import main
from rasd.events import doer as D
from rasd.events import extract_events
from rasd.events.decision import RuleDecision
from rasd.ingest import make_document

# the rules decide which candidates are events: what is read here is the doer chooser, not
# which sentences the learned decision keeps
RULES = RuleDecision()

# the coalition strikes (the rules' doer, before the trigger), ISIS is hit (after it, «على مواقع»)
STRIKE = "شنت طائرات التحالف الدولي غارات جوية على مواقع تنظيم داعش في مدينة الرقة."
# the doer is named in the sentence before the shelling only: the rules leave it empty
BEFORE = "أدانت فرنسا الهجوم الذي نفذه تنظيم داعش على مدينة الرقة. وقتل خمسة مدنيين في قصف على بلدة الميادين أمس."


def _doc(text: str):
    return make_document("t.txt", text, kind="text", source="t.txt", published="2018-07-01")


def candidates(text: str) -> list[tuple[object, str | None, str | None, dict[str, list[str]]]]:
    """(event, the rules' doer, the rules' acted-on, {candidate: features}) of each event."""
    doc, rec = _doc(text), []
    D._RECORD, D._FORCED = rec, D.OFF
    try:
        [e for a in split_articles(doc) for e in extract_events(doc, a, decision=RULES)]
    finally:
        D._RECORD = D._FORCED = None
    return [(e, a1, a2, dict(c)) for e, a1, a2, c in rec]


def events(text: str) -> list:
    doc = _doc(text)
    return [e for a in split_articles(doc) for e in extract_events(doc, a, decision=RULES)]


@pytest.fixture
def weights(tmp_path, monkeypatch):
    """Write a weight file and make it the packaged one (``None``: no file at all); the
    other role's file is missing."""
    paths = {"doer": tmp_path / "doer.json", "target": tmp_path / "acted_on.json"}
    monkeypatch.setattr(D, "WEIGHTS", paths["doer"])
    monkeypatch.setattr(D, "TARGET_WEIGHTS", paths["target"])

    def use(w: dict | None, margin: float = 0.0, enabled: bool = True, role: str = "doer", fill_only: bool = False):
        path = paths[role]
        if w is not None:
            path.write_text(json.dumps({"weights": w, "margin": margin, "enabled": enabled,
                                        "fill_only": fill_only}), "utf-8")
        elif path.exists():
            path.unlink()
        D._load.cache_clear()
    yield use
    D._load.cache_clear()


def target_candidates(text: str) -> list[tuple[object, str | None, str | None, dict[str, list[str]]]]:
    doc, rec = _doc(text), []
    D._RECORD_TARGET, D._FORCED, D._FORCED_TARGET = rec, D.OFF, D.OFF
    try:
        [e for a in split_articles(doc) for e in extract_events(doc, a, decision=RULES)]
    finally:
        D._RECORD_TARGET = D._FORCED = D._FORCED_TARGET = None
    return [(e, a1, a2, dict(c)) for e, a1, a2, c in rec]


def test_features_of_the_doer_and_the_one_hit_in_one_sentence():
    [(e, doer, hit, c)] = candidates(STRIKE)
    assert (e.type, doer, hit) == ("explosions_remote_violence", "coalition", "isis")
    assert list(c)[-1] == D.NONE
    assert {"rule", "before", "clause", "sd=0"} <= set(c["coalition"])
    assert "target_word" not in c["coalition"]
    assert {"rule2", "after", "target_word", "clause", "sd=0"} <= set(c["isis"])
    assert "rule" not in c["isis"]
    assert "none&nsent=2" in c[D.NONE] and "none&rule" not in c[D.NONE]


def test_a_doer_named_only_in_the_sentence_before_is_a_candidate():
    [(_, doer, _, c)] = [x for x in candidates(BEFORE) if x[0].sub_type == "shelling_artillery_missile_attack"]
    assert doer is None
    assert {"sd=-1", "sd=-1&rule_none"} <= set(c["isis"])
    assert "clause" not in c["isis"]
    assert {"none&rule", "none&nsent=0"} <= set(c[D.NONE])


def test_victims_and_a_speaker_alone_are_never_candidates():
    [(_, doer, _, c)] = candidates("قصفت قوات النظام السوري المدنيين في بلدة الميادين أمس.")
    assert doer == "syria_gov" and "civilians" not in c
    # the ministry only says it; the drones' owner is not named
    [(_, doer, _, c)] = candidates("قالت وزارة الدفاع الروسية إنها رصدت طائرات مسيرة استهدفت قاعدة حميميم.")
    assert doer is None and set(c) == {D.NONE}


def test_a_weight_file_makes_the_chooser_take_its_best_candidate(weights):
    weights({"sd=-1&rule_none": 3.0})
    [e] = [e for e in events(BEFORE) if e.sub_type == "shelling_artillery_missile_attack"]
    assert e.actor == "isis"
    assert e.actor2 == "civilians"            # the one it acted on stays


def test_taking_the_one_hit_for_the_doer_swaps_them(weights):
    weights({"target_word": 3.0})
    [e] = events(STRIKE)
    assert (e.actor, e.actor2) == ("isis", "coalition")


def test_none_can_win(weights):
    weights({"none": 3.0})
    [e] = events(STRIKE)
    assert e.actor is None and e.actor2 == "isis"


def test_the_rules_answer_stands_under_the_margin_when_disabled_and_without_a_file(weights):
    weights({"target_word": 1.0}, margin=2.0)          # 1.0 over the rules' 0: not enough
    assert [(e.actor, e.actor2) for e in events(STRIKE)] == [("coalition", "isis")]
    weights({"target_word": 3.0}, enabled=False)
    assert [(e.actor, e.actor2) for e in events(STRIKE)] == [("coalition", "isis")]
    weights(None)
    assert D.load_model() is None
    assert [(e.actor, e.actor2) for e in events(STRIKE)] == [("coalition", "isis")]
    [e] = [e for e in events(BEFORE) if e.sub_type == "shelling_artillery_missile_attack"]
    assert e.actor is None


def test_fill_only_keeps_the_rules_doer_and_fills_only_an_empty_one(weights):
    # the same weights that swap the strike's explicit doer for the one it hit
    weights({"target_word": 3.0, "sd=-1&rule_none": 3.0}, fill_only=True)
    assert [(e.actor, e.actor2) for e in events(STRIKE)] == [("coalition", "isis")]
    [e] = [e for e in events(BEFORE) if e.sub_type == "shelling_artillery_missile_attack"]
    assert e.actor == "isis"                  # the rules named none: the chooser's answer
    assert D.DoerModel.from_dict(D.load_model().to_dict()).fill_only


def test_the_acted_on_candidates_leave_out_the_doer_and_add_the_victims():
    [(_, doer, hit, c)] = target_candidates(STRIKE)
    assert (doer, hit) == ("coalition", "isis")
    assert "coalition" not in c
    assert {"rule", "after", "target_word", "other_side"} <= set(c["isis"])
    assert "victim&t=explosions_remote_violence" in c["civilians"]      # not named, still a candidate
    assert "victims_named" not in c["civilians"]
    [(_, _, _, c)] = target_candidates("قتل خمسة مدنيين في غارة جوية روسية على بلدة خان شيخون أمس.")
    assert "victims_named" in c["civilians"]


def test_an_acted_on_weight_file_makes_the_chooser_take_its_best_candidate(weights):
    weights({"victim&t=explosions_remote_violence": 3.0}, role="target")
    [e] = events(STRIKE)
    assert (e.actor, e.actor2) == ("coalition", "civilians")
    weights({"victim&t=explosions_remote_violence": 3.0}, role="target", enabled=False)
    assert [(e.actor, e.actor2) for e in events(STRIKE)] == [("coalition", "isis")]


def test_the_weights_round_trip():
    m = D.DoerModel({"rule": 1.23456, "zero": 0.0}, bias=0.5, margin=0.5, meta={"C": 0.1})
    back = D.DoerModel.from_dict(json.loads(json.dumps(m.to_dict())))
    assert back.weights == {"rule": 1.2346} and back.margin == 0.5 and back.enabled
    assert back.score(["rule", "unknown"]) == pytest.approx(0.5 + 1.2346)


@pytest.mark.parametrize("path", [D.WEIGHTS, D.TARGET_WEIGHTS])
def test_the_packaged_models_are_small_and_say_how_they_were_chosen(path):
    d = json.loads(path.read_text("utf-8"))
    assert path.stat().st_size < 20_000
    assert {"weights", "margin", "enabled", "meta"} <= set(d)
    assert d["meta"]["cv"]["n"] > 100 and d["meta"]["dev"]["n"] > 50
    assert not d["enabled"] or d["meta"]["passes_rule"]


def test_train_doer_refuses_the_test_split():
    pytest.importorskip("sklearn")            # (the train command asks for it first)
    r = CliRunner().invoke(main, ["train", "--model", "doer", "--test"])
    assert r.exit_code != 0
    assert "Error:" in r.output and "test" in r.output
    assert "Traceback" not in r.output
