"""Arabic normalisation for matching, with an offset map back to the raw text.

The raw text is never changed. ``normalize(raw)`` returns a :class:`NormText`: a
normalised copy plus a map so that any span of the copy can be turned back into a
span of the raw text (``NormText.raw_span``). Everything that searches text (dedup
shingles, gazetteer and lexicon matching, numbers) works on the copy and reports raw
offsets.

What is folded (for matching only):

* diacritics (harakat, shadda, sukun, superscript alef, Quranic marks) and tatweel:
  removed;
* invisible marks (ZWNJ, ZWJ, LRM, RLM, ALM, BOM, bidi embeddings and isolates): removed;
* alef forms أ إ آ ٱ → ا; ى → ي; ة → ه;
* Arabic-Indic ٠-٩ and Persian ۰-۹ digits → 0-9; Arabic decimal/thousands separators;
* «» “” „ → ``"``; Arabic comma/semicolon/question mark kept as they are;
* every white-space character → one space (one for one: runs are not collapsed, so
  line structure survives);
* Latin letters → lower case; Arabic presentation forms → their letters (NFKC, which
  may expand one raw character into several: the map handles it).
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

DIACRITICS = "\u0610\u0611\u0612\u0613\u0614\u0615\u0616\u0617\u0618\u0619\u061a" + "".join(
    chr(c) for c in range(0x064B, 0x0660)) + "\u0670" + "".join(chr(c) for c in range(0x06D6, 0x06EE))
TATWEEL = "\u0640"
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u061c\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad"
#: characters removed by normalisation; ``COMBINING`` are the ones that belong to the
#: preceding letter (so a span ending on a letter also takes its marks).
DELETED = DIACRITICS + TATWEEL + INVISIBLE
COMBINING = frozenset(DIACRITICS + TATWEEL)

_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ة": "ه",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"',
    "٫": ".", "٬": ",",
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)
    _MAP[chr(0x06F0 + _i)] = str(_i)

_TABLE: dict[int, str | None] = {ord(k): v for k, v in _MAP.items()}
for _c in DELETED:
    _TABLE[ord(_c)] = None
for _c in "\t\n\r\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\x85":
    _TABLE[ord(_c)] = " " if _c not in "\n\r" else "\n"
for _c in range(ord("A"), ord("Z") + 1):
    _TABLE[_c] = chr(_c + 32)

_DELETED_RE = re.compile("[" + re.escape(DELETED) + "]+")
# presentation forms and other compatibility characters that NFKC expands or changes
_COMPAT_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")


@dataclass(slots=True)
class NormText:
    """A normalised copy of ``raw`` with a piecewise map back to raw offsets.

    ``_bp`` are positions in ``text`` where the shift to raw changes, ``_shift`` the
    shift (raw index − norm index) from that position on. Identity when both are empty.
    """

    raw: str
    text: str
    _bp: list[int]
    _shift: list[int]
    _full: list[int] | None = None  # per-character map, only when NFKC expanded something
    _raw_bp: list[int] | None = None  # raw position of each breakpoint (for norm_index)
    words: list | None = None       # word tokens, computed once by rasd.lang.tokenize.words
    indexes: dict = field(default_factory=dict)  # rasd.lang.lexicon's indexes of this text, computed once

    def raw_index(self, i: int) -> int:
        """Raw index of the normalised character at ``i`` (``len(text)`` → ``len(raw)``)."""
        if i >= len(self.text):
            return len(self.raw)
        if self._full is not None:
            return self._full[i]
        k = bisect_right(self._bp, i) - 1
        return i + (self._shift[k] if k >= 0 else 0)

    def norm_index(self, raw_pos: int) -> int:
        """Index in ``text`` of the first normalised character read at or after ``raw_pos``."""
        if raw_pos >= len(self.raw):
            return len(self.text)
        if self._full is not None:
            from bisect import bisect_left
            return bisect_left(self._full, raw_pos)
        if not self._bp:
            return raw_pos
        if self._raw_bp is None:
            self._raw_bp = [b + s for b, s in zip(self._bp, self._shift)]
        rb = self._raw_bp
        k = bisect_right(rb, raw_pos) - 1
        s = self._shift[k] if k >= 0 else 0
        if k + 1 < len(rb) and raw_pos >= rb[k + 1] - (self._shift[k + 1] - s):
            return self._bp[k + 1]      # inside a deleted run: the character after it
        return raw_pos - s

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span ``[start, end)`` to the raw span that it was read from.

        The raw span starts at the first character and ends after the last one,
        including the diacritics and tatweel attached to it.
        """
        if end <= start:
            a = self.raw_index(start)
            return a, a
        a = self.raw_index(start)
        b = self.raw_index(end - 1) + 1
        if self._full is not None:
            # an expanded character: extend to the end of the raw character
            while b < len(self.raw) and end < len(self.text) and self._full[end] == b - 1:
                end += 1
        raw = self.raw
        n = len(raw)
        while b < n and raw[b] in COMBINING:
            b += 1
        return a, b


# str.translate looks every character up in the dict _TABLE (about 0.13 µs a character
# for Arabic); a whole text is folded faster through a table of the BMP's code points in numpy
# (about 0.03 µs). Short strings keep str.translate (the array's set-up, about 10 µs,
# costs more below some 150 characters).
_LONG = 200
_BMP_ONLY = max(_TABLE) < 0x10000     # the table below holds the BMP only
_GONE = 0xFFFFFFFF
_CODES = None


def _translate(s: str) -> str:
    """``s.translate(_TABLE)``: the same string."""
    global _CODES
    if len(s) < _LONG or not _BMP_ONLY:
        return s.translate(_TABLE)
    import numpy as np
    if _CODES is None:
        codes = np.arange(0x10000, dtype=np.uint32)     # the BMP (_TABLE folds nothing above it)
        for k, v in _TABLE.items():
            codes[k] = _GONE if v is None else ord(v)
        _CODES = codes
    a = np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if a.max() < 0x10000:
        a = _CODES[a]
    else:
        a = np.where(a < 0x10000, _CODES[np.minimum(a, 0xFFFF)], a)
    gone = a == _GONE
    if gone.any():
        a = a[~gone]
    return a.tobytes().decode("utf-32-le", "surrogatepass")


def normalize(raw: str) -> NormText:
    """Normalise ``raw`` for matching; see the module doc for what is folded."""
    if _COMPAT_RE.search(raw):
        return _normalize_slow(raw)
    text = _translate(raw)
    if len(text) == len(raw):
        return NormText(raw, text, [], [])
    bp: list[int] = []
    shift: list[int] = []
    removed = 0
    for m in _DELETED_RE.finditer(raw):
        removed += m.end() - m.start()
        bp.append(m.end() - removed)  # norm index of the first char after the run
        shift.append(removed)
    return NormText(raw, text, bp, shift)


def _normalize_slow(raw: str) -> NormText:
    out: list[str] = []
    full: list[int] = []
    for i, ch in enumerate(raw):
        if _COMPAT_RE.match(ch):
            rep = unicodedata.normalize("NFKC", ch).translate(_TABLE)
        else:
            rep = ch.translate(_TABLE)
        for c in rep:
            out.append(c)
            full.append(i)
    return NormText(raw, "".join(out), [], [], full)


def norm_key(s: str) -> str:
    """Normalised form of a short string (a lexicon entry, a name) for dictionary keys:
    folded like :func:`normalize`, then white space collapsed and trimmed."""
    t = unicodedata.normalize("NFKC", s) if _COMPAT_RE.search(s) else s
    return " ".join(_translate(t).split())


def norm_keys(texts: list[str]) -> list[str]:
    """``[norm_key(t) for t in texts]``, the strings folded together in one pass (the
    lines of a page: :func:`_translate` is faster over one long string)."""
    sep = "\x00"                          # folded to itself, and in no text (checked)
    joined = sep.join(texts)
    if len(joined) < _LONG or joined.count(sep) != len(texts) - 1 or _COMPAT_RE.search(joined):
        return [norm_key(t) for t in texts]
    return [" ".join(t.split()) for t in _translate(joined).split(sep)]


_ARABIC_LETTERS_RE = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]+")
_LETTERS_RE = re.compile(r"[^\W\d_]+")


def letter_count(s: str) -> int:
    return sum(map(len, _LETTERS_RE.findall(s)))


def arabic_ratio(s: str) -> float:
    """Share of letters in ``s`` that are Arabic (0 when ``s`` has no letters)."""
    if len(s) >= _LONG:
        letters, arabic = _counts(s)
    else:
        letters = letter_count(s)
        arabic = sum(map(len, _ARABIC_LETTERS_RE.findall(s))) if letters else 0
    if not letters:
        return 0.0
    return arabic / letters


_IS_LETTER = None     # code point below _TABLE_END → 1 where _LETTERS_RE matches it
_TABLE_END = 0x800    # Latin, Greek, Cyrillic, Hebrew, Arabic ...; the rest is rare in a page


def _counts(s: str) -> tuple[int, int]:
    """(letter_count(s), characters of s that _ARABIC_LETTERS_RE matches), counted in numpy
    through a table of the first code points (made by _LETTERS_RE itself, so the same
    letters; the others are counted by it): a page's sample is read several times faster
    than by the two regular expressions."""
    import numpy as np
    global _IS_LETTER
    if _IS_LETTER is None:
        table = np.zeros(_TABLE_END, dtype=np.int8)
        for m in _LETTERS_RE.finditer("".join(map(chr, range(_TABLE_END)))):
            table[m.start():m.end()] = 1
        _IS_LETTER = table
    c = np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    low = c < _TABLE_END
    letters = int(np.count_nonzero(_IS_LETTER[c[low]]))
    if not low.all():
        letters += letter_count("".join(map(chr, c[~low].tolist())))
    arabic = int(np.count_nonzero(((c >= 0x621) & (c <= 0x64A)) | ((c >= 0x671) & (c <= 0x6D3))
                                  | ((c >= 0x6FA) & (c <= 0x6FF))))
    return letters, arabic
