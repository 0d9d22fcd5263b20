"""The phrase matcher: proclitics, pronoun suffixes, longest match, raw offsets; a matcher
made for one text (``shared=False``) finds what a long-lived one finds."""
from __future__ import annotations

import pytest

from rasd.lang.lexicon import PhraseMatcher
from rasd.lang.normalize import normalize

TEXT = ("قال الزبيدي للصحفيين إن قوات الحشد الشعبي وصلت إلى دير الزور، وأكد للزبيدي "
        "مسؤول أن وصولهم تم، وبالحشد الشعبي لا علاقة لهما بالزبيديين.")
PHRASES = ["الزبيدي", "الحشد الشعبي", "الحشد", "دير الزور", "وصول", "علاقه"]


def _matcher(shared: bool) -> PhraseMatcher:
    m = PhraseMatcher(suffixes=True, shared=shared)
    for p in PHRASES:
        m.add(p, p)
    return m


@pytest.mark.parametrize("shared", [True, False], ids=["shared", "one-text"])
def test_clitics_suffixes_and_longest_match(shared):
    nt = normalize(TEXT)
    got = [(m.text, m.key, m.prefix) for m in _matcher(shared).find(nt)]
    assert got == [
        ("الزبيدي", "الزبيدي", ""),
        ("الحشد الشعبي", "الحشد الشعبي", ""),       # the longest phrase, not «الحشد»
        ("دير الزور", "دير الزور", ""),
        ("زبيدي", "الزبيدي", "لل"),                 # «للزبيدي» is ل + «الزبيدي»
        ("وصولهم", "وصول", ""),                     # a pronoun suffix
        ("الحشد الشعبي", "الحشد الشعبي", "وب"),
        ("علاقة", "علاقه", ""),                      # ة folded; «بالزبيديين» is another word
    ]
    for m in _matcher(shared).find(nt):
        assert TEXT[m.start:m.end] == m.text       # offsets into the raw text


def test_one_text_matcher_equals_a_shared_one_on_every_window():
    nt = normalize(TEXT)
    a, b = _matcher(True), _matcher(False)
    for start in range(0, len(TEXT), 7):
        for end in (start + 20, start + 60, None):
            ra = [(m.start, m.end, m.key) for m in a.find(nt, start=start, end=end)]
            rb = [(m.start, m.end, m.key) for m in b.find(nt, start=start, end=end)]
            assert ra == rb


def test_no_first_word_in_the_text_finds_nothing():
    m = PhraseMatcher(shared=False)
    m.add("الموصل")
    assert m.find(normalize("لا شيء هنا عن المدن")) == []
    assert PhraseMatcher().find(normalize("نص")) == []


GROUP_TEXT = TEXT + (" وقال مصدر أمني إن الحشد قصف دير الزور الشرقي، ونفى مصدر أمني رفيع ذلك، "
                     "وأعلن الحشد الشعبي وصولهم إلى دير الزور.")


def _lexicons(grouped: bool) -> list[PhraseMatcher]:
    """Lexicons whose phrases share first words and prefixes across lexicons («الحشد»,
    «دير الزور», «مصدر أمني»), one of them with pronoun suffixes."""
    a = PhraseMatcher(suffixes=True, grouped=grouped)
    for p in PHRASES:
        a.add(p, ("a", p))
    b = PhraseMatcher(grouped=grouped)
    for p in ("الحشد الشعبي وصولهم", "دير الزور الشرقي", "مصدر أمني", "مصدر أمني رفيع", "قال"):
        b.add(p, ("b", p))
    c = PhraseMatcher(grouped=grouped)
    for p in ("الحشد", "وصول", "دير"):
        c.add(p, ("c", p))
    return [a, b, c]


@pytest.mark.parametrize("overlapping", [False, True], ids=["leftmost-longest", "overlapping"])
def test_grouped_lexicons_find_what_each_finds_alone(overlapping):
    nt_alone, nt_group = normalize(GROUP_TEXT), normalize(GROUP_TEXT)
    for alone, grouped in zip(_lexicons(False), _lexicons(True)):
        want = [(m.start, m.end, m.text, m.key, m.payloads, m.prefix, m.word_start, m.word_end)
                for m in alone.find(nt_alone, overlapping=overlapping)]
        got = [(m.start, m.end, m.text, m.key, m.payloads, m.prefix, m.word_start, m.word_end)
               for m in grouped.find(nt_group, overlapping=overlapping)]
        assert got == want and want


def test_grouped_lexicon_matches_its_own_phrases_only():
    _, b, c = _lexicons(True)
    nt = normalize(GROUP_TEXT)
    # «الحشد» is c's and a first word of b's «الحشد الشعبي وصولهم»: b ends only where its phrase does
    assert [m.text for m in b.find(nt)] == ["قال", "قال", "مصدر أمني", "دير الزور الشرقي", "مصدر أمني رفيع",
                                             "الحشد الشعبي وصولهم"]
    assert [m.text for m in c.find(nt)].count("الحشد") == 4
    assert all(m.payloads[0][0] == "c" for m in c.find(nt))


def test_a_grouped_lexicon_that_grows_finds_its_new_phrase():
    m = PhraseMatcher(grouped=True)
    m.add("دير الزور")
    nt = normalize(GROUP_TEXT)
    assert [x.text for x in m.find(nt)] == ["دير الزور"] * 3
    m.add("دير الزور الشرقي")
    assert [x.text for x in m.find(normalize(GROUP_TEXT))] == ["دير الزور", "دير الزور الشرقي", "دير الزور"]
