"""Word lists are data (rasd/data/words.tsv): users add words through RASD_WORDS files."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from rasd.lang import wordlists
from rasd.lang.actors import load_actors
from rasd.lang.tokenize import definite_forms, proclitic_runs

from conftest import ROOT

# the rules bind their word lists when their modules are imported: a user file is tried in
# a fresh interpreter, as it would be given to `rasd process`
_EVENTS = """
import sys
from rasd.clean import split_articles
from rasd.events import extract_events
from rasd.events.decision import RuleDecision
from rasd.ingest import make_document
doc = make_document("t.txt", sys.argv[1], kind="text", source="t.txt", published="2017-10-20")
for a in split_articles(doc):
    for e in extract_events(doc, a, decision=RuleDecision()):
        print(e.type, e.sub_type, e.actor2, e.fatalities)
"""


def _run(code: str, *args: str, words_files: list[str] | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("RASD_WORDS", None)
    if words_files:
        env["RASD_WORDS"] = os.pathsep.join(words_files)
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_every_list_the_rules_read_is_in_the_packaged_file():
    lists = wordlists.word_lists()
    for name in ("air_cues", "civilian_nouns", "armed_nouns", "person_nouns", "origin_preps", "dest_preps",
                 "place_heads", "kill_singular", "target_before", "agent_before", "org_heads", "not_name",
                 "place_cues_town_strong", "nisba_heads_country"):
        assert lists[name], name
    assert "طائرات" in lists["air_cues"]
    assert wordlists.alternation("owner").split("|")[0] == "سيطره"


def test_a_civilian_noun_added_by_a_user_file_makes_a_killing_an_attack_on_civilians(tmp_path):
    text = "قتل ثلاثة رعاة قرب بلدة القائم غربي الأنبار."
    before = _run(_EVENTS, text)
    assert before.returncode == 0, before.stderr
    assert "violence_against_civilians" not in before.stdout     # shepherds: nobody the rules know
    user = tmp_path / "my_words.tsv"
    user.write_text("# shepherds are civilians\ncivilian_nouns\tرعاه\n", encoding="utf-8")
    after = _run(_EVENTS, text, words_files=[str(user)])
    assert after.returncode == 0, after.stderr
    assert after.stdout.split()[:3] == ["violence_against_civilians", "attack", "civilians"]


def test_a_user_file_adds_to_a_list_and_keeps_the_packaged_words(tmp_path):
    user = tmp_path / "w.tsv"
    user.write_text("air_cues\tدرون\tدرونات\n", encoding="utf-8")
    code = "from rasd.lang.wordlists import words; print(' '.join(words('air_cues')))"
    out = _run(code, words_files=[str(user)])
    assert out.returncode == 0, out.stderr
    ws = out.stdout.split()
    assert ws[-2:] == ["درون", "درونات"] and ws[0] == "طائرات"


@pytest.mark.parametrize("line, why", [
    ("civilian_nouns رعاه\n", "expected name<TAB>word"),          # no tab
    ("civilian_nouns\t\n", "expected name<TAB>word"),             # no word
    ("Civilian Nouns\tرعاه\n", "expected name<TAB>word"),         # not a list name
    ("civilians_nouns\tرعاه\n", "unknown word list 'civilians_nouns'"),   # a typo
])
def test_a_malformed_user_file_is_rejected_with_the_file_and_line(tmp_path, line, why):
    user = tmp_path / "bad.tsv"
    user.write_text("# my words\n" + line, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        wordlists.word_lists(user)
    assert f"{user}:2:" in str(err.value) and why in str(err.value)
    out = _run("import rasd.events", words_files=[str(user)])
    assert out.returncode != 0 and why in out.stderr


def test_a_missing_user_file_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        wordlists.word_lists(tmp_path / "nowhere.tsv")


def test_state_forces_and_nationalities_come_from_the_actor_file():
    from rasd.events.candidates import STATE_FORCES
    lex = load_actors()
    assert STATE_FORCES == lex.with_side("state")
    assert {"iraq_forces", "syria_gov", "coalition", "pmf", "us_gov"} <= STATE_FORCES
    assert "isis" not in STATE_FORCES and lex.side("isis") == "non_state" and lex.side("civilians") == "civilian"
    assert lex.by_country["TR"] == "turkey_forces" and lex.by_country["GB"] == "uk_forces"


def test_the_proclitics_are_declared_once():
    assert proclitic_runs(("ب", "ل")) == ("و", "ف", "ب", "ل", "وب", "ول", "فب", "فل")
    assert set(definite_forms(("ب", "ل"))) == {"ال", "وال", "فال", "بال", "لل", "وبال", "ولل", "فبال", "فلل"}
