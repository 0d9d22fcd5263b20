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
