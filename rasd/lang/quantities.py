"""Amounts in Arabic news: «308 عناصر», «نحو 700 من مقاتلي داعش», «المئات من العجلات».

``find_quantities(nt)`` reads the normalised text of :func:`rasd.lang.normalize.normalize`
and returns :class:`rasd.records.Quantity` records with raw offsets
(``raw[q.start:q.end] == q.text``). Each record is one amount:

* ``value`` — the number (``int``, or ``float`` for «2.5»), or ``None`` for a vague
  amount (عشرات, المئات, آلاف, بضعة, عدد من);
* ``approx`` — set for vague amounts and after an approximator (نحو, قرابة, أكثر من,
  ما لا يقل عن, أقل من …) or before «تقريبا»;
* ``unit`` / ``unit_class`` — the counted noun as written and its class from the lexicon
  (``fighters``, ``families``, ``vehicles``, ``km``, ``percent`` …). Classes that count
  persons are in :data:`PERSON_CLASSES`.

The span covers approximator + number + counted noun («نحو 700 من مقاتلي»). What is
read:

* digits (Arabic-Indic digits are folded by ``normalize``), digit groups «1,500»,
  «1.500», «٥٬٠٠٠», decimals «2.5», and digits with a scale word «3 آلاف», «2.5 مليون»;
* number words in both genders and the cases of news prose, with compounds: units,
  teens «سبعة عشر», «إحدى عشرة», tens «خمسة وعشرين», hundreds «ثلاثمائة وثمانية»,
  «ثلاث مئة», «مئتي», thousands and millions «أربعة آلاف», «ألفين», «مليون»;
* a definite number after its noun: «اللبنانيين الثلاثة» = 3 (the noun's class comes
  from the lexicon, a nisba plural in -يين is ``people``);
* «أحد/إحدى» before a counted noun («أحد الإرهابيين» = 1), «أحدهم», «واحد» after one;
* a dual noun alone: «عنصران», «حافلتين» = 2;
* the counted noun after the number, or after «من» / «من بين» («المئات من العجلات»).

Not amounts, and so not returned: labels (``اللواء 44``, ``المادة 4``, ``عام 2014``: see
the ``blocker`` words), days of months and years next to a month name (``7 أكتوبر``,
``أيار 2014``, ``15 رمضان``), bare years (a number 1900-2100 with no counted noun),
ordinals (``الثانية عشرة``), dates and times written with ``/ - :``, phone numbers and
model numbers (``F-16``). Percentages, distances and areas are returned with their
class (``percent``, ``km``, ``km2``), never as counts of persons.

The lexicon is data: ``rasd/data/quantities.tsv`` (its header explains the columns),
loaded once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..records import Quantity
from .normalize import NormText, norm_key, normalize
from .tokenize import CONJUNCTIONS, PREPOSITIONS, definite_forms, near, proclitic_runs, whole_word_starts

__all__ = ["PERSON_CLASSES", "find_quantities", "parse_quantity", "lexicon", "QuantityLexicon"]

#: unit classes that count persons (a quantity with one of these is a count of people)
PERSON_CLASSES = frozenset({
    "fighters", "leaders", "soldiers", "police", "civilians", "people", "men", "women",
    "children", "displaced", "refugees", "detainees", "suspects", "wanted", "hostages",
    "killed", "wounded",
})

# proclitics that may be glued to the first word of a phrase
_PREFIXES = ("", *proclitic_runs())   # و ف ب ل ك وب ول وك فب فل فك
# tokens: a number with separators, a run of letters, a percent sign
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|%")
# digit runs that are not amounts: dates, times, ratios, phone and model numbers
_SKIP_RE = re.compile(
    r"\d+(?:\s?[/:]\s?\d+)+"            # 12/10/2017, 10:30
    r"|\d+-\d+-\d+"                     # 2017-10-12
    r"|(?:\+|(?<!\d)00)\d[\d ]{5,}\d"    # +964 770..., 00964...
    r"|(?<![\d.,])\d{8,}"               # long digit runs
    r"|(?<![\d.,])0\d+"                 # leading zero
    r"|[a-z]+-?\d+|\d+-?[a-z]+"         # f-16, m16, 4x4, 2nd
)


@dataclass(frozen=True, slots=True)
class NumberWord:
    value: int | float
    kind: str  # unit | one | pron | two | ten10 | ten | hundred | scale | scale2 | fraction


@dataclass(frozen=True, slots=True)
class Unit:
    cls: str
    number: str  # sg | pl


@dataclass(slots=True)
class QuantityLexicon:
    """The lexicon of ``rasd/data/quantities.tsv``, normalised and indexed."""

    numbers: dict[str, NumberWord]
    vague: dict[tuple[str, ...], bool]          # phrase -> strict
    approx_pre: dict[tuple[str, ...], str]
    approx_post: dict[tuple[str, ...], str]
    units: dict[tuple[str, ...], Unit]
    duals: dict[str, str]                       # dual form -> singular key
    blockers: frozenset[str]
    ordinals: frozenset[str]
    markers: frozenset[str]
    months: frozenset[str]                      # first words of month names (dates.tsv)
    triggers: dict[str, tuple[int, str]]        # word as written -> (clitic length, base)
    trigger_set: frozenset[str]
    first_words: frozenset[str]                 # first words of vague and approximator phrases
    vague_max: int
    approx_max: int
    units_max: int


def _read_tsv(name: str) -> list[list[str]]:
    text = resources.files("rasd").joinpath("data", name).read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append([c.strip() for c in line.split("\t")])
    return rows


def _number(s: str) -> int | float:
    """A value of the lexicon: ``12``, ``0.5`` or ``2/3``."""
    if "/" in s:
        a, b = s.split("/")
        return int(a) / int(b)
    return float(s) if "." in s else int(s)


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(norm_key(phrase).split(" "))


@lru_cache(maxsize=1)
def lexicon() -> QuantityLexicon:
    """Load ``quantities.tsv`` (and the month names of ``dates.tsv``) once."""
    numbers: dict[str, NumberWord] = {}
    vague: dict[tuple[str, ...], bool] = {}
    approx_pre: dict[tuple[str, ...], str] = {}
    approx_post: dict[tuple[str, ...], str] = {}
    units: dict[tuple[str, ...], Unit] = {}
    blockers: set[str] = set()
    ordinals: set[str] = set()
    markers: set[str] = set()
    for row in _read_tsv("quantities.tsv"):
        kind, phrase = row[0], row[1]
        value = row[2] if len(row) > 2 else ""
        extra = row[3] if len(row) > 3 else ""
        key = _words(phrase)
        if kind == "number":
            numbers[key[0]] = NumberWord(_number(value), extra or "unit")
        elif kind == "vague":
            vague[key] = extra == "strict"
        elif kind == "approx":
            (approx_post if extra == "post" else approx_pre)[key] = value or "about"
        elif kind == "unit":
            units[key] = Unit(value, extra or "pl")
        elif kind == "blocker":
            blockers.add(key[0])
        elif kind == "ordinal":
            ordinals.add(key[0])
        elif kind == "marker":
            markers.add(key[0])
        else:
            raise ValueError(f"quantities.tsv: unknown kind {kind!r}")
    months = {_words(r[1])[0] for r in _read_tsv("dates.tsv") if r[0] in ("month", "hijri")}

    # dual nouns from singular one-word units: عنصر → عنصران/عنصرين, حافلة → حافلتان/حافلتين.
    # The -ين form is also the sound plural of participles (مسلحين) and nisbas (مدنيين):
    # it is only a dual for other nouns, and never when the lexicon lists it as a plural.
    duals: dict[str, str] = {}
    for key, u in units.items():
        w = key[0]
        if len(key) != 1 or u.number != "sg" or len(w) < 3 or not w.isalpha():
            continue
        stem = w[:-1] + "ت" if w.endswith("ه") else w
        forms = [stem + "ان"]
        if w.endswith("ه") or not (w.startswith("م") or w.endswith("ي")
                                   or (w + "ون",) in units or (w + "ين",) in units):
            forms.append(stem + "ين")
        for f in forms:
            if (f,) not in units:
                duals[f] = w
                duals["ال" + f] = w

    # every word that can start a quantity, with the proclitics it may carry
    bases: set[str] = set(numbers) | {k[0] for k in vague} | set(duals)
    bases |= {"ال" + w for w, n in numbers.items() if n.kind in ("unit", "ten10", "ten", "hundred")}
    triggers: dict[str, tuple[int, str]] = {}
    for b in bases:
        triggers.setdefault(b, (0, b))
    for b in bases:
        if len(b) < 3:
            continue
        for p in _PREFIXES[1:]:
            triggers.setdefault(p + b, (len(p), b))
            if b.startswith("ال") and p.endswith("ل"):
                triggers.setdefault(p + b[1:], (len(p), b))  # لل = ل + ال
    return QuantityLexicon(
        numbers, vague, approx_pre, approx_post, units, duals, frozenset(blockers),
        frozenset(ordinals), frozenset(markers), frozenset(months), triggers, frozenset(triggers),
        frozenset(k[0] for k in (*vague, *approx_pre, *approx_post)),
        max(map(len, vague)), max(map(len, approx_pre)), max(map(len, units)))


def _strip_clitic(w: str) -> list[str]:
    """``w`` and its readings without a proclitic (و ف, then ب ل ك; لل → ال)."""
    out = [w]
    if len(w) > 3 and w[0] in CONJUNCTIONS:
        out.append(w[1:])
    for v in list(out):
        if len(v) > 4 and v.startswith("لل"):
            out.append("ال" + v[2:])
        elif len(v) > 3 and v[0] in PREPOSITIONS:
            out.append(v[1:])
    return out


def _clen(word: str, reading: str) -> int:
    """Length of the proclitics of ``word`` read as ``reading`` (see :func:`_strip_clitic`)."""
    if word.endswith(reading):
        return len(word) - len(reading)
    return len(word) - len(reading) + 1  # لل → ال: the first ل is the clitic


def _unit_forms(w: str) -> list[str]:
    """Dictionary forms to try for a counted noun as written.

    The word itself; without the article (العجلات); without the alef of the accusative
    tanween (عنصراً → عنصر); a construct plural in -ي with its ن back (مقاتلي → مقاتلين).
    """
    out = [w]
    if len(w) > 4 and w.startswith("ال"):
        out.append(w[2:])
    for v in list(out):
        if len(v) > 3 and v.endswith("ا"):
            out.append(v[:-1])
        elif len(v) > 3 and v.endswith("ي"):
            out.append(v + "ن")
    return out


_ARABIC_WORD_RE = re.compile("[\u0621-\u064a]+")
_DIGIT_RE = re.compile(r"\d+")
_BEFORE, _AFTER = 60, 110  # characters of context read around a candidate
_NEAR = 2 * _AFTER         # anchors this close to a range asked for are read


def _segments(text: str, lex: QuantityLexicon, within: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Stretches of ``text`` worth tokenising: the context of every digit run and every
    word that can start a quantity (near ``within`` only, when given), cut at white
    space. Most of a news page holds no amount; this keeps the per-token work to a few
    hundred tokens a page."""
    found = lex.trigger_set.intersection(_ARABIC_WORD_RE.findall(text))
    pos = [m.start() for m in _DIGIT_RE.finditer(text)]
    n = len(text)
    pos += whole_word_starts(text, found)
    pos = near(pos, within, _NEAR)
    if not pos:
        return []
    pos.sort()
    segs: list[tuple[int, int]] = []
    for p in pos:
        a, b = max(0, p - _BEFORE), min(n, p + _AFTER)
        if segs and a <= segs[-1][1]:
            segs[-1] = (segs[-1][0], b)
        else:
            segs.append((a, b))
    out = []
    for a, b in segs:
        if a > 0:
            a = max(text.rfind(" ", 0, a), text.rfind("\n", 0, a)) + 1
        if b < n:
            e1, e2 = text.find(" ", b), text.find("\n", b)
            b = min(x for x in (e1, e2, n) if x != -1)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


_NONE = NumberWord(0, "")
_DUAL_TWO = frozenset({"اثنان", "اثنين", "اثنتان", "اثنتين"})
_DEF_ARTICLE = definite_forms(("ب", "ل"))   # ال وال فال بال لل وبال ولل فبال فلل


class _Reader:
    """One left-to-right pass over the tokens of a normalised text.

    Token offsets are into ``nt.text``; ``emit`` maps them to raw offsets. ``floor`` is
    the first token not used by a quantity already emitted (an approximator or a noun
    before a number is never taken from an earlier quantity).
    """

    def __init__(self, nt: NormText, lex: QuantityLexicon, within: list[tuple[int, int]] | None = None) -> None:
        self.nt = nt
        self.text = text = nt.text
        self.lex = lex
        segs = _segments(text, lex, within)
        ms = [m for a, b in segs for m in _TOKEN_RE.finditer(text, a, b)]
        self.tok: list[str] = list(map(re.Match.group, ms))
        self.start: list[int] = list(map(re.Match.start, ms))
        self.end: list[int] = list(map(re.Match.end, ms))
        # "d" digits, "w" word, "p" percent sign
        self.kind: list[str] = ["d" if t[0].isdecimal() else ("p" if t == "%" else "w") for t in self.tok]
        self.n = len(self.tok)
        self.out: list[Quantity] = []
        self.floor = 0

    # ------------------------------------------------------------------ token helpers
    def adj(self, i: int) -> bool:
        """Tokens ``i`` and ``i + 1`` are separated by spaces only (same phrase)."""
        if i < 0 or i + 1 >= self.n:
            return False
        gap = self.text[self.end[i]:self.start[i + 1]]
        return not gap or (gap.isspace() and "\n" not in gap)

    def word(self, i: int) -> str | None:
        return self.tok[i] if 0 <= i < self.n and self.kind[i] == "w" else None

    def skipped(self, i: int) -> bool:
        """The digits at token ``i`` belong to a date, a time, a phone or model number."""
        s = self.start[i]
        for m in _SKIP_RE.finditer(self.text, max(0, s - 24), self.end[i] + 24):
            if m.start() <= s < m.end():
                return True
        return False

    def emit(self, ns: int, ne: int, value: int | float | None, approx: bool,
             unit: tuple[int, int] | None, cls: str | None) -> None:
        """Record a quantity over normalised ``[ns, ne)``; ``unit`` = normalised span of the noun."""
        nt = self.nt
        a, b = nt.raw_span(ns, ne)
        unit_text = None
        if unit is not None:
            ua, ub = nt.raw_span(*unit)
            unit_text = nt.raw[ua:ub]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        self.out.append(Quantity(a, b, nt.raw[a:b], value, approx, unit_text, cls))

    # ------------------------------------------------------------------ lexicon look-ups
    def phrase_at(self, table: dict, maxlen: int, i: int) -> tuple[int, int, tuple[str, ...]] | None:
        """Longest phrase of ``table`` at token ``i``, the first word with proclitics:
        (tokens, clitic length, key)."""
        firsts = self.lex.first_words
        if not any(f in firsts for f in _strip_clitic(self.tok[i])):
            return None
        for length in range(min(maxlen, self.n - i), 0, -1):
            if any(self.kind[k] != "w" for k in range(i, i + length)):
                continue
            if not all(self.adj(k) for k in range(i, i + length - 1)):
                continue
            rest = tuple(self.tok[i + 1:i + length])
            for f in _strip_clitic(self.tok[i]):
                key = (f, *rest)
                if key in table:
                    return length, _clen(self.tok[i], f), key
        return None

    def unit_at(self, i: int) -> tuple[int, Unit] | None:
        """The counted noun at token ``i``: (tokens, unit); multi-word nouns first."""
        if i >= self.n or self.kind[i] == "d":
            return None
        units = self.lex.units
        for length in range(min(self.lex.units_max, self.n - i), 0, -1):
            if not all(self.adj(k) for k in range(i, i + length - 1)):
                continue
            keys: list[tuple[str, ...]] = [()]
            for w in self.tok[i:i + length]:
                keys = [k + (f,) for k in keys for f in _unit_forms(w)]
            for k in keys:
                u = units.get(k)
                if u is not None:
                    return length, u
        return None

    def unit_after(self, j: int) -> tuple[int, int, Unit] | None:
        """Counted noun after a number that ends before token ``j``: (first, end, unit).

        Directly («308 عناصر») or after «من» / «من بين» («المئات من العجلات»).
        """
        if not self.adj(j - 1):
            return None
        hit = self.unit_at(j)
        if hit:
            return j, j + hit[0], hit[1]
        if self.word(j) == "من" and self.adj(j):
            k = j + 1
            if self.word(k) == "بين" and self.adj(k):
                k += 1
            hit = self.unit_at(k)
            if hit:
                return k, k + hit[0], hit[1]
        return None

    def approx_before(self, i: int) -> tuple[int, int] | None:
        """An approximator ending right before token ``i``: (first token, clitic length)."""
        lex = self.lex
        for length in range(min(lex.approx_max, i - self.floor), 0, -1):
            a = i - length
            if not self.adj(i - 1):
                return None
            hit = self.phrase_at(lex.approx_pre, length, a)
            if hit is not None and hit[0] == length:
                return a, hit[1]
        return None

    def is_label(self, i: int, j: int) -> bool:
        """The number over tokens ``[i, j)`` is a label, a date part or part of an ordinal."""
        lex = self.lex
        if self.adj(i - 1):
            prev = self.word(i - 1)
            if prev is not None and any(f in lex.blockers or f in lex.months or f in lex.ordinals
                                        for f in _strip_clitic(prev)):
                return True
        nxt = self.word(j) if self.adj(j - 1) else None
        if nxt is None:
            return False
        # «1438 هـ», «2014م»: a year (a marker after a short number may be a unit: «300 م»)
        return nxt in lex.months or (nxt in lex.markers and len(self.tok[j - 1]) == 4)

    # ------------------------------------------------------------------ numbers
    @staticmethod
    def digits_value(s: str) -> int | float:
        parts = re.split(r"[.,]", s)
        if len(parts) == 1:
            return int(s)
        if len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:]):
            return int("".join(parts))                            # 1,500  1.500  5,000,000
        if len(parts) == 2:
            return float(parts[0] + "." + parts[1])               # 2.5  2,5
        return float("".join(parts[:-1]) + "." + parts[-1])       # 1,500.5

    def number_words(self, i: int) -> tuple[int | float, int, list[str]] | None:
        """Number words from token ``i``: (value, end token, kinds of the words).

        Arabic order: units before tens joined by و (خمسة وعشرون), a unit before عشر
        (سبعة عشر) or مئة (ثلاث مئة), a multiplier after its count (أربعة آلاف), a
        fraction before a multiplier (ربع مليون) or after it with و (مليون ونصف).
        """
        numbers = self.lex.numbers
        total: int | float = 0
        cur: int | float = 0
        scale = 1
        last: NumberWord | None = None
        kinds: list[str] = []
        j = i
        while j < self.n:
            conj = False
            if j == i:
                b = self.lex.triggers.get(self.tok[i])
                w = b[1] if b else ""
                if w not in numbers and w.startswith("ال"):
                    w = w[2:]   # a definite number («الثلاثة») is one word
                    num = numbers.get(w)
                    if num is None:
                        return None
                    return num.value, i + 1, [num.kind]
            else:
                if not self.adj(j - 1) or self.word(j) is None:
                    break
                w = self.tok[j]
                if w == "و" and self.adj(j) and self.word(j + 1) in numbers:
                    j += 1
                    w, conj = self.tok[j], True
                elif w.startswith("و") and w[1:] in numbers:
                    w, conj = w[1:], True
            num = numbers.get(w)
            if num is None:
                break
            k = num.kind
            if j == i and k == "fraction":
                nxt = self.word(j + 1) if self.adj(j) else None
                if nxt is None or numbers.get(nxt, _NONE).kind != "scale":
                    return None     # «نصف المقاتلين» is not an amount
            if j > i:
                if conj and k == "fraction":     # مليون ونصف
                    ok = last.kind in ("scale", "scale2")
                elif conj:              # ثلاثمائة وثمانية, خمسة وعشرين; not «عشرين وثلاثين»
                    ok = k not in ("pron", "scale", "ten10", "fraction") and (
                        num.value < last.value or (k == "ten" and last.kind in ("unit", "two", "one")))
                elif k == "ten10":      # سبعة عشر, إحدى عشرة
                    ok = last.kind in ("unit", "two", "one") and cur < 10
                elif k == "hundred":    # ثلاث مئة
                    ok = num.value == 100 and last.kind == "unit"
                elif k == "scale":      # أربعة آلاف, مائة ألف, ربع مليون
                    ok = last.kind not in ("scale", "scale2", "pron")
                else:
                    ok = False
                if not ok:
                    if conj and self.tok[j - 1] == "و":
                        j -= 1
                    break
            if k == "hundred" and j > i and not conj:
                cur += last.value * 99
            elif k == "scale":
                total += (cur or 1) * num.value
                cur, scale = 0, num.value
            elif k == "scale2":
                total += num.value
                scale = num.value // 2
            else:
                cur += num.value
            kinds.append(k)
            last = num
            j += 1
            if k == "pron":
                break
        if not kinds:
            return None
        if kinds[-1] == "fraction":          # «مليون ونصف»: half of the multiplier
            total, cur = total + cur * scale, 0
        value = total + cur
        if isinstance(value, float):
            value = round(value)
        return value, j, kinds

    def noun_before(self, i: int, definite: bool) -> tuple[int, str | None] | None:
        """The noun a number follows («اللبنانيين الثلاثة», «قيادي واحد»): (clitic, class)."""
        if i - 1 < self.floor or not self.adj(i - 1):
            return None
        prev = self.word(i - 1)
        if prev is None:
            return None
        for r in _strip_clitic(prev):
            if definite and not r.startswith("ال"):
                continue
            for f in _unit_forms(r):
                u = self.lex.units.get((f,))
                if u is not None:
                    return _clen(prev, r), u.cls
            if definite and (r.endswith("يين") or r.endswith("يون")):
                return _clen(prev, r), "people"  # a nisba plural: اللبنانيين
            sg = self.lex.duals.get(r) if not definite else None
            if sg is None and not definite and r.endswith("يين"):
                sg = r[:-2] if (r[:-2],) in self.lex.units else None   # جنديين اثنين
            if sg is not None:
                return _clen(prev, r), self.lex.units[(sg,)].cls
        return None

    def take_number(self, i: int) -> int:
        """Read a number at token ``i``; returns the next token to look at."""
        lex = self.lex
        if self.kind[i] == "d":
            if self.skipped(i):
                return i + 1
            value: int | float = self.digits_value(self.tok[i])
            j = i + 1
            if self.adj(i) and self.word(j):
                sc = lex.numbers.get(self.tok[j])
                if sc is not None and sc.kind == "scale":       # 3 آلاف, 2.5 مليون
                    value = value * sc.value
                    j += 1
            kinds = ["digits"]
            first, ns = i, self.start[i]
            prev = self.word(i - 1) if i > self.floor else None
            if prev in _DEF_ARTICLE and self.end[i - 1] == self.start[i]:   # «الـ700»
                first = i - 1
                ns = self.start[i - 1] + (len(prev) - 2 if prev != "لل" else 1)
        else:
            parsed = self.number_words(i)
            if parsed is None:
                return i + 1
            value, j, kinds = parsed
            first = i
            ns = self.start[i] + lex.triggers[self.tok[i]][0]
        if self.is_label(first, j):
            return j
        ne = self.end[j - 1]
        single = len(kinds) == 1
        if kinds[0] != "digits":
            base = lex.triggers[self.tok[i]][1]
            if base not in lex.numbers:
                # a definite number stands after its noun: «اللبنانيين الثلاثة»; else not an amount
                if not single:
                    return j
                noun = self.noun_before(i, definite=True)
                if noun is None:
                    return j
                ns0 = self.start[i - 1] + noun[0]
                self.emit(ns0, ne, value, False, (ns0, self.end[i - 1]), noun[1])
                return j
            if single and kinds[0] == "pron":                   # أحدهم
                self.emit(ns, ne, value, False, None, None)
                return j
            if single and kinds[0] in ("one", "two"):
                noun = self.noun_before(i, definite=False)       # «قيادي واحد»
                if noun is not None:
                    ns0 = self.start[i - 1] + noun[0]
                    self.emit(ns0, ne, value, False, (ns0, self.end[i - 1]), noun[1])
                    return j
            if single and kinds[0] == "one":                     # «أحد الإرهابيين»
                hit = self.unit_at(j) if self.adj(j - 1) else None
                if hit is None:
                    return j
                ue = self.end[j + hit[0] - 1]
                self.emit(ns, ue, 1, False, (self.start[j], ue), hit[1].cls)
                return j + hit[0]
        approx = False
        hit_a = self.approx_before(first)
        if hit_a is not None:
            approx = True
            ns = self.start[hit_a[0]] + hit_a[1]
        end_tok = j
        cls: str | None = None
        unit: tuple[int, int] | None = None
        found = self.unit_after(j)
        if found is not None:
            uf, ue, u = found
            cls, unit, end_tok = u.cls, (self.start[uf], self.end[ue - 1]), ue
            ne = self.end[ue - 1]
        elif first > self.floor and self.kind[first - 1] == "p" and self.end[first - 1] == self.start[first]:
            cls, unit = "percent", (self.start[first - 1], self.end[first - 1])      # «%80»
            ns = min(ns, self.start[first - 1])
        if self.adj(end_tok - 1):
            post = self.phrase_at(lex.approx_post, 2, end_tok)
            if post is not None:
                approx = True
                end_tok += post[0]
                ne = self.end[end_tok - 1]
        if cls is None and not approx and kinds == ["digits"] and isinstance(value, int) \
                and 1900 <= value <= 2100:
            return end_tok                                       # a bare year
        self.emit(ns, ne, value, approx, unit, cls)
        return end_tok

    def take_vague(self, i: int) -> int:
        """Read a vague amount at token ``i``; returns the next token (``i``: none)."""
        lex = self.lex
        hit = self.phrase_at(lex.vague, lex.vague_max, i)
        if hit is None:
            return i
        length, clen, key = hit
        j = i + length
        while self.adj(j - 1) and self.word(j):               # «عشرات الآلاف», «بضعة آلاف»
            w = self.tok[j]
            sc = lex.numbers.get(w[2:] if w.startswith("ال") and w not in lex.numbers else w)
            if (sc is not None and sc.kind == "scale") or (w,) in lex.vague:
                j += 1
            else:
                break
        ns, ne = self.start[i] + clen, self.end[j - 1]
        found = self.unit_after(j)
        if found is None:
            if lex.vague[key]:
                return i
            self.emit(ns, ne, None, True, None, None)
            return j
        uf, ue, u = found
        self.emit(ns, self.end[ue - 1], None, True, (self.start[uf], self.end[ue - 1]), u.cls)
        return ue

    def take_dual(self, i: int) -> int:
        """A dual noun alone is two: «عنصران», «حافلتين» (and «جنديين اثنين»)."""
        clen, base = self.lex.triggers[self.tok[i]]
        sg = self.lex.duals.get(base)
        if sg is None:
            return i
        ns, ne = self.start[i] + clen, self.end[i]
        j = i + 1
        if self.adj(i) and self.word(j) in _DUAL_TWO:
            ne = self.end[j]
            j += 1
        self.emit(ns, ne, 2, False, (ns, self.end[i]), self.lex.units[(sg,)].cls)
        return j

    def run(self) -> list[Quantity]:
        kind, tok, triggers = self.kind, self.tok, self.lex.triggers
        i = 0
        for c in [k for k in range(self.n) if kind[k] == "d" or tok[k] in triggers]:
            if c < i:
                continue
            i = c
            emitted = len(self.out)
            if kind[i] == "d":
                nxt = self.take_number(i)
            elif kind[i] == "w" and tok[i] in triggers:
                nxt = self.take_vague(i)
                if nxt == i:
                    nxt = self.take_number(i)
                    if len(self.out) == emitted and nxt == i + 1:
                        nxt = self.take_dual(i)
            else:
                nxt = i + 1
            nxt = max(nxt, i + 1)
            if len(self.out) > emitted:
                self.floor = nxt
            i = nxt
        return self.out


def find_quantities(nt: NormText, *, within: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """All amounts in ``nt`` (see the module doc), in text order, with raw offsets.
    ``within``: sorted normalised ranges of ``nt``; the amounts that start in them are
    wanted (others near them may come back too), the rest of the text is not read."""
    return _Reader(nt, lexicon(), within).run()


def parse_quantity(text: str) -> Quantity | None:
    """The first amount in ``text`` (offsets into ``text``), or ``None``."""
    qs = find_quantities(normalize(text))
    return qs[0] if qs else None
