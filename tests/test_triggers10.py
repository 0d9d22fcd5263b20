"""Trigger words of branch trig10 (issue #11, candidate recall): agreements concluded that
no trigger word proposed before («صفقة إجلاء أبرموها مع الحكومة», «أبرمت روسيا اتفاقات
مصالحة», «توصلت لاتفاق مبدئي مع النظام»). Each sentence (written for these tests) must give
a candidate of the agreement type; one foreseen or supposed is vetoed by its cue."""
from __future__ import annotations

import pytest

from rasd.clean import split_articles
from rasd.events.candidates import propose
from rasd.ingest import make_document


def candidates(text: str, keep_all: bool = False) -> list[tuple[str, str, str]]:
    """(trigger as written, type, sub-type) of the candidates the rules propose (with
    ``keep_all`` also those they veto)."""
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-07-06")
    out = []
    for art in split_articles(doc):
        for ctx, _sent, cands, _kills, _atts in propose(doc, art, keep_all=keep_all):
            ctx.events.extend(cands)
            out += [(doc.raw[e.trigger.start:e.trigger.end], e.type, e.sub_type) for e in cands]
    return out


AGREEMENT = ("strategic_developments", "agreement")

CASES = [
    # agreements reached or signed
    ("أبرمت", AGREEMENT, "وقال المرصد إن روسيا أبرمت الجمعة اتفاق مصالحة مع فصائل بلدة بصرى الشام في ريف درعا."),
    ("أبرم", AGREEMENT, "وخرج المقاتلون من البلدة بموجب اتفاق أبرم يوم الاثنين بين الفصائل والجيش السوري."),
    ("أبرموا", AGREEMENT, "وذكر مصدر محلي أن وجهاء المدينة أبرموا أمس هدنة مع الجيش السوري في ريف حمص."),
    ("أبرموها", AGREEMENT, "وغادر عشرات المسلحين بلدة حرستا أمس في صفقة أبرموها مع الحكومة السورية."),
    ("توصلت لاتفاق", AGREEMENT, "وقالت مصادر إن لجنة المفاوضات في حرستا توصلت لاتفاق مع الجيش السوري يوم الأحد."),
    ("توصلوا لاتفاق", AGREEMENT, "وقال الوسطاء إن الطرفين توصلوا لاتفاق يوم الأحد على وقف القتال في مدينة دوما."),
]


@pytest.mark.parametrize("word,kind,text", CASES, ids=[c[0] for c in CASES])
def test_the_word_proposes_its_candidate(word, kind, text):
    got = candidates(text)
    assert any(w == word and (t, s) == kind for w, t, s in got), got


def _cues(text: str) -> list[tuple[str, tuple[str, ...]]]:
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-07-06")
    out = []
    for art in split_articles(doc):
        for ctx, _sent, cands, _kills, _atts in propose(doc, art, keep_all=True):
            ctx.events.extend(cands)
            out += [(doc.raw[e.trigger.start:e.trigger.end], e.cues) for e in cands]
    return out


@pytest.mark.parametrize("text,cue", [
    ("ومن المتوقع أن يكون الطرفان قد أبرموا اتفاقا قبل نهاية الشهر.", "forecast"),
    ("وإذا أبرمت الفصائل اتفاقا مع الجيش فسيخرج المقاتلون إلى إدلب.", "conditional"),
])
def test_an_agreement_foreseen_or_supposed_is_no_happening(text, cue):
    # the word is proposed, and the rules veto it for the cue that governs it
    assert not candidates(text)
    assert [cues for _w, cues in _cues(text)] == [(cue,)], _cues(text)
