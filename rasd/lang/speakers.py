"""Speakers: who says what a news text reports (spokesmen, officers, officials, anonymous
sources, institutions, outlets, monitors), with the short name the text uses for them.

The cue words live in ``rasd/data/speakers.tsv`` (its header documents the format); users
add their own file through ``RASD_SPEAKERS`` or ``load_speaker_cues(extra_path)``. Cues are
matched with :class:`~rasd.lang.lexicon.PhraseMatcher` on the normalised text; names and
organisation phrases that follow a cue are read word by word with a few rules of Arabic
noun phrases:

* a *title* («المتحدث باسم X», «عضو مجلس محافظة X», «وزير X») takes an organisation, then
  a rank and a person's name may follow; two titles may be joined by و;
* an organisation phrase is a construct chain: indefinite head nouns, then a definite
  noun (or a proper noun, or a «quoted» name), then definite adjectives; a second
  definite noun ends it («مديرية الاستخبارات العسكرية | الإطاحة»);
* a person's name is one to four name units (a unit is one word, or أبو/أبي/عبد/ابن/بن/آل
  and the next word); it never starts with a definite word, and a definite unit (a
  surname or nisba: «الزبيدي») ends it;
* the short name shown for a person is the last unit («الزبيدي», «أبو ليلى»); later uses of
  it, and generic back-references next to a speech verb («وقال المصدر», «وأضافت
  المديرية»), come back as Speakers carrying the antecedent's name, role and actor.

Every Speaker has raw offsets with ``raw[start:end] == text``.

    nt = normalize(raw)
    sps = find_speakers(nt)
    aliases = speaker_aliases(sps)     # {"الزبيدي": Speaker(...), "المصدر": ...}
"""
from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..records import ActorMention, Speaker
from .actors import ActorLexicon, actor_matches
from .lexicon import Match, PhraseMatcher, lexicon_files, word_positions
from .normalize import NormText, norm_key, normalize
from .tokenize import CONJUNCTIONS, Token, stems, words

DATA = Path(__file__).resolve().parent.parent / "data" / "speakers.tsv"
ENV = "RASD_SPEAKERS"

#: kinds whose phrases are matched with a PhraseMatcher (one matcher per kind)
PHRASE_KINDS = ("verb", "cue", "title", "rank", "source", "adj", "inst", "outlet_cue",
                "outlet", "ngo", "person", "ref", "name_cue", "skip")
#: kinds kept as sets of single normalised words
WORD_KINDS = ("construct", "rank_mod", "stop", "given")
KINDS = PHRASE_KINDS + WORD_KINDS
ROLES = ("spokesman", "official", "military_officer", "council_member", "mp", "source",
         "outlet", "institution", "expert", "ngo")

# name units made of two words: kunya, "servant of", "son of", family
_UNIT_HEADS = frozenset(norm_key(w) for w in ("أبو", "أبي", "أبا", "أم", "ابن", "بن", "بنت", "عبد", "آل", "ذو"))
# words that link a title to its organisation
# second halves of compound names («نصر الله», «نور الدين», «يار الله»)
_NAME_TAILS = frozenset(norm_key(w) for w in ("الله", "الدين", "الرحمن", "الإله"))
_LINKS = frozenset(norm_key(w) for w in ("باسم", "بلسان", "عن", "لدى"))
_IN = "في"
_PREPS = frozenset(norm_key(w) for w in ("في", "من", "داخل", "لدى"))
# words after which a clause begins (a subject may stand right after them)
_CONNECTIVES = frozenset(norm_key(w) for w in (
    "لكن", "ولكن", "لكنه", "بينما", "فيما", "كما", "اما", "وأما", "غير", "الا", "إلا", "بدوره",
    "بدورها", "كذلك", "ايضا", "و", "ف", "ثم", "حين", "عندما", "بعدما", "حيث"))
_HARD = set(".،,:;؛!?؟()[]{}-–—\n|/")
_NISBA_ENDS = ("ي", "يه", "يون", "يين", "يان", "يتان", "يات")
_NISBA_SG = ("ي", "يه")
_ADVERB_TANWIN = "ا"


@dataclass(slots=True, frozen=True)
class Cue:
    kind: str
    role: str | None = None
    flags: frozenset[str] = frozenset()
    head: str | None = None        # ref lines: head=W


@dataclass(slots=True)
class SpeakerCues:
    """Everything read from the speaker cue files."""

    matchers: dict[str, PhraseMatcher]
    words: dict[str, set[str]]
    refs: list[tuple[str, Cue]] = field(default_factory=list)   # (normalised phrase, cue)
    files: tuple[str, ...] = ()


def _files(extra_path: str | os.PathLike | None) -> tuple[str, ...]:
    return lexicon_files(DATA, ENV, extra_path)


_CACHE: dict[tuple[str, ...], SpeakerCues] = {}


def load_speaker_cues(extra_path: str | os.PathLike | None = None) -> SpeakerCues:
    """The speaker cues: the packaged file, ``$RASD_SPEAKERS`` files, then ``extra_path``
    (all lines add up). Cached per list of files."""
    files = _files(extra_path)
    cues = _CACHE.get(files)
    if cues is None:
        cues = _build(files)
        _CACHE[files] = cues
    return cues


def _build(files: tuple[str, ...]) -> SpeakerCues:
    matchers = {k: PhraseMatcher() for k in PHRASE_KINDS}
    wsets: dict[str, set[str]] = {k: set() for k in WORD_KINDS}
    refs: list[tuple[str, Cue]] = []
    for name in files:
        path = Path(name)
        if not path.is_file():
            raise FileNotFoundError(f"speaker cue file not found: {path}")
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\r\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                parts = [p.strip() for p in line.split("\t")]
                if len(parts) < 2 or not parts[1]:
                    raise ValueError(f"{path}:{n}: expected kind<TAB>phrase[<TAB>role<TAB>notes]")
                kind, phrase = parts[0], parts[1]
                if kind not in KINDS:
                    raise ValueError(f"{path}:{n}: unknown kind {kind!r}")
                role = parts[2] if len(parts) > 2 and parts[2] else None
                if role is not None and role not in ROLES:
                    raise ValueError(f"{path}:{n}: unknown role {role!r}")
                notes = parts[3].split() if len(parts) > 3 else []
                head = next((norm_key(x[5:]) for x in notes if x.startswith("head=")), None)
                flags = frozenset(x for x in notes if "=" not in x)
                if kind in WORD_KINDS:
                    wsets[kind].add(norm_key(phrase))
                else:
                    cue = Cue(kind, role, flags, head)
                    matchers[kind].add(phrase, cue)
                    if kind == "ref":
                        refs.append((norm_key(phrase), cue))
    return SpeakerCues(matchers, wsets, refs, files)


# ---------------------------------------------------------------- one document

@dataclass(slots=True)
class _Found:
    """A speaker found in the text, in word indexes (``a``..``b`` exclusive)."""

    a: int
    b: int
    name: str
    role: str | None
    actor: str | None
    person: bool = False
    short: tuple[int, int] | None = None    # norm span of the short name (persons)
    full: tuple[int, int] | None = None     # norm span of the full name (persons)
    ref: bool = False                       # a later reference to an earlier speaker
    ns: int | None = None                   # norm start, when not the start of word a


class _Doc:
    def __init__(self, nt: NormText, cues: SpeakerCues, actors: list[tuple[int, int, str]]):
        self.nt = nt
        self.text = nt.text
        self.W: list[Token] = words(nt)
        self.n = len(self.W)
        self.cues = cues
        self.at: dict[str, dict[int, Match]] = {}
        for kind, m in cues.matchers.items():
            self.at[kind] = {x.word_start: x for x in m.find(nt, overlapping=True)} if m.size else {}
        # actors: word start → (word end, key, norm start)
        self.actor_at: dict[int, tuple[int, str, int]] = {}
        self.actor_spans = actors
        starts = [w.start for w in self.W]
        for ns, ne, key in actors:
            i = bisect_right(starts, ns) - 1
            if i < 0:
                continue
            j = i
            while j < self.n and self.W[j].start < ne:
                j += 1
            if i not in self.actor_at or self.actor_at[i][0] < j:
                self.actor_at[i] = (j, key, ns)
        self.taken = [False] * self.n
        self.found: list[_Found] = []
        self.stop = cues.words["stop"]
        self.construct = cues.words["construct"]
        self.rank_mod = cues.words["rank_mod"]
        self.given = cues.words["given"]

    # ------------------------------------------------------------ word tests
    def w(self, i: int) -> str:
        return self.W[i].text

    def gap(self, i: int) -> str:
        if i <= 0:
            return self.text[:self.W[0].start] if self.n else ""
        if i >= self.n:
            return self.text[self.W[-1].end:]
        return self.text[self.W[i - 1].end:self.W[i].start]

    def hard(self, i: int) -> bool:
        """Punctuation (other than quotes) between word i-1 and word i."""
        return any(c in _HARD for c in self.gap(i))

    def quote(self, i: int) -> bool:
        return '"' in self.gap(i)

    def broken(self, i: int) -> bool:
        g = self.gap(i)
        return any(c in _HARD or c == '"' for c in g)

    def clause_start(self, i: int) -> bool:
        if i == 0:
            return True
        g = self.gap(i)
        if any(c in ".:;؛!?؟\n" for c in g):
            return True
        return self.w(i - 1) in _CONNECTIVES and (i - 1 == 0 or self.clause_start(i - 1) or "،" in self.gap(i - 1))

    def is_def(self, w: str) -> bool:
        return w.startswith("ال") and len(w) > 3

    def is_nisba(self, w: str, plural: bool = True) -> bool:
        """A nisba adjective («العراقية», «أمني»; with ``plural`` also «عسكريون»)."""
        s = w[2:] if self.is_def(w) else w
        ends = _NISBA_ENDS if plural else _NISBA_SG
        return len(s) >= 4 and s not in self.stop and s.endswith(ends)

    def is_adj(self, w: str, plural: bool = False) -> bool:
        if self.is_nisba(w, plural):
            return True
        s = w[2:] if self.is_def(w) else w
        return bool(self.cues.matchers["adj"].get(s)) or s in self.rank_mod or w in self.rank_mod

    def is_cue_word(self, i: int) -> bool:
        return any(i in self.at[k] for k in ("verb", "cue", "title", "rank", "source", "inst",
                                            "outlet_cue", "outlet", "ngo", "name_cue"))

    def conj_noun(self, w: str) -> bool:
        """A word with a conjunction glued on that starts a new phrase («والناطق», «وهو»)."""
        if len(w) < 3 or w[0] not in CONJUNCTIONS:
            return False
        rest = w[1:]
        return rest in self.stop or self.is_def(rest)

    def name_word(self, i: int) -> bool:
        w = self.w(i)
        if not w.isalpha() or len(w) < 2 or w in self.stop:
            return False
        if w[0] == "و" and w not in self.given:
            return False  # «و» is "and": «نائب الرئيس وتيار الحكمة»
        if w.startswith(("لل", "بال", "كال", "فال")) or (w[0] == "ل" and len(w) >= 5 and w[-1] == "ه"):
            return False  # a preposition glued on: «للصحفيين», «لمصالحة»
        if any(plen and (form in self.stop or form in self.construct) for plen, form in stems(w)[1:]):
            return False  # «بهذا», «لهم», «لشؤون»
        if not any("\u0621" <= c <= "\u064a" for c in w):
            return False
        if w[0] in "لب" and any("a" <= c.lower() <= "z" for c in w):
            return False  # «لـCNN»: a preposition on a Latin name, not part of a person's name
        if self.conj_noun(w) or self.is_cue_word(i) or i in self.at["skip"] or i in self.at["ref"]:
            return False
        return True

    def known_person(self, i: int) -> bool:
        return i in self.at["person"]

    # ------------------------------------------------------------ raw helpers
    def raw(self, ns: int, ne: int) -> tuple[int, int, str]:
        a, b = self.nt.raw_span(ns, ne)
        return a, b, self.nt.raw[a:b]

    def start_of(self, i: int) -> int:
        """Norm start of word i without a proclitic when a cue matched there."""
        for kind in ("title", "rank", "source", "inst", "outlet_cue", "outlet", "ngo", "ref",
                     "person"):
            m = self.at[kind].get(i)
            if m is not None:
                return m.norm_start
        if i in self.actor_at:
            return self.actor_at[i][2]
        return self.W[i].start

    def clitic_actor(self, j: int) -> bool:
        hit = self.actor_at.get(j)
        return bool(hit) and hit[2] > self.W[j].start

    def free(self, a: int, b: int) -> bool:
        return not any(self.taken[a:b])

    def take(self, f: _Found) -> None:
        for k in range(f.a, f.b):
            self.taken[k] = True
        self.found.append(f)

    def actor_in(self, a: int, b: int) -> str | None:
        """The actor an organisation phrase names: its longest mention (the last on ties);
        else an earlier mention that the phrase abbreviates («وزارة الخارجية» after
        «وزارة الخارجية الأميركية»)."""
        best = None
        for i in range(a, b):
            hit = self.actor_at.get(i)
            if hit and hit[0] <= b and hit[1] not in ("civilians",):
                size = self.W[hit[0] - 1].end - hit[2]
                if best is None or size >= best[0]:
                    best = (size, hit[1])
        if best:
            return best[1]
        if b - a < 2:
            return None
        phrase = self.text[self.W[a].start:self.W[b - 1].end]
        for ns, ne, key in reversed(self.actor_spans):
            if ne <= self.W[a].start and self.text[ns:ne].startswith(phrase) and key != "civilians":
                return key
        return None

    # ------------------------------------------------------------ names
    def parse_name(self, i: int, max_units: int = 4) -> tuple[int, list[tuple[int, int]]] | None:
        units: list[tuple[int, int]] = []
        j = i
        while j < self.n and len(units) < max_units:
            if j > i and self.broken(j):
                break
            if not self.name_word(j):
                break
            w = self.w(j)
            if w in _UNIT_HEADS and j + 1 < self.n and not self.broken(j + 1) and \
                    self.w(j + 1).isalpha() and self.w(j + 1) not in self.stop:
                unit = (j, j + 2)
            elif j + 1 < self.n and not self.broken(j + 1) and self.w(j + 1) in _NAME_TAILS and not self.is_def(w):
                unit = (j, j + 2)
            else:
                if self.is_def(w) and not units:
                    return None
                unit = (j, j + 1)
            units.append(unit)
            j = unit[1]
            if unit[1] - unit[0] == 1 and (self.is_def(w) or self.known_person(unit[0])):
                break  # a surname or nisba ends the name
            if len(units) > 1 and unit[1] - unit[0] == 2 and self.w(unit[1] - 1) in _NAME_TAILS:
                break  # «... يار الله»: a compound surname ends it too
        if not units:
            return None
        return j, units

    # ------------------------------------------------------------ organisation phrases
    def parse_org(self, i: int, limit: int = 8) -> int:
        """End (exclusive word index) of the organisation phrase starting at word i."""
        if i >= self.n:
            return i
        j = i
        state = "start"
        end_actor = self.actor_at.get(i)
        lex = None
        for kind in ("inst", "ngo", "outlet"):
            m = self.at[kind].get(i)
            if m is not None and (lex is None or m.word_end > lex.word_end):
                lex = m
        if end_actor and (lex is None or end_actor[0] >= lex.word_end):
            j = end_actor[0]
            state = "def"
        elif lex is not None:
            j = lex.word_end
            last = self.w(j - 1)
            state = "def" if self.is_def(last) else "construct"
            if state == "def" and "lgen" in lex.payloads[0].flags and j < self.n \
                    and not self.broken(j) and self.w(j).startswith("لل"):
                j += 1
        first_form = None
        if j == i:
            # the first word may carry the ل/ب of its link («لقيادة», «بوزارة», «للحشد»)
            w = self.w(i)
            for plen, form in stems(w):
                if plen and (form in self.construct or self.is_def(form)):
                    first_form = form
                    break
        closed = -1
        while j < self.n and j - i < limit:
            if j > i and self.hard(j):
                break
            if self.quote(j) and j != closed:
                if state not in ("start", "construct"):
                    break
                k = self._quoted(j)
                if k is None:
                    break
                j = closed = k
                state = "def"
                continue
            if state in ("start", "construct") and j in self.actor_at and (j > i or not first_form):
                j = self.actor_at[j][0]
                last = self.w(j - 1)
                state = "def" if self.is_def(last) else ("construct" if last in self.construct else "open")
                continue
            w = first_form if (j == i and first_form) else self.w(j)
            if j > i and (w in self.stop or self.conj_noun(w) or j in self.at["skip"]
                          or (self.is_cue_word(j) and not (state == "construct" and j in self.at["inst"]))):
                break
            if j == i and (w in self.stop or j in self.at["verb"]):
                break
            if j > i and (self.at["rank"].get(j) or self.at["title"].get(j)):
                break
            if not w.isalpha():
                if state in ("start", "construct") and w.isdigit():
                    j += 1
                    state = "def"
                    continue
                break
            if self.is_def(w):
                if state == "def" and not self.is_adj(w):
                    break
                state = "def"
                j += 1
                continue
            if state in ("def", "open"):
                break
            # an indefinite word: a head noun («مجلس») goes on with any genitive; another
            # word (a proper noun, a verbal noun) only with a definite one («تسيير الأعمال»),
            # so that «محافظ نينوى | نوفل العاكوب» stops before the name
            j += 1
            state = "construct" if w in self.construct else "open"
        return j

    def skip_mods(self, j: int, free_def: bool) -> int:
        """Adjectives after a title or rank («الرسمي», «الركن المتقاعد», «الأمني»)."""
        k = 0
        while j < self.n and k < 4 and not self.broken(j):
            w = self.w(j)
            if self.at["rank"].get(j) or self.at["title"].get(j) or w in _LINKS or w in self.stop:
                break
            if w in self.rank_mod or (self.is_def(w) and (free_def or self.is_adj(w))):
                j += 1
                k += 1
                continue
            break
        return j

    # ------------------------------------------------------------ titles
    def parse_title(self, i: int, depth: int = 0):
        """(end, name, role, actor, org) for a title at word i, or None."""
        m = self.at["title"].get(i)
        if m is None:
            return None
        cue: Cue = m.payloads[0]
        role = cue.role
        construct = "construct" in cue.flags
        j = m.word_end
        org = None
        actor = None
        free_def = not construct and self.is_def(self.w(m.word_end - 1))
        j = self.skip_mods(j, free_def and self.w(i) not in ("المتحدث", "الناطق", "المتحدثه", "الناطقه"))
        if j < self.n and not self.broken(j):
            w = self.w(j)
            k = j
            if w in _LINKS or (w == _IN and depth == 0):
                k = self.parse_org(j + 1)
                if k > j + 1:
                    org = (j + 1, k)
            elif construct and m.word_end == j:
                k = self.parse_org(j)
                if k > j:
                    org = (j, k)
            elif w[0] in "لب" and (self.clitic_actor(j) or any(
                    plen and (form in self.construct or self.is_def(form)) for plen, form in stems(w)[1:])):
                k = self.parse_org(j)
                if k > j:
                    org = (j, k)
            if org:
                j = org[1]
                actor = self.actor_in(org[0], org[1])
                j = self.skip_mods(j, False)
        # a second title joined by و: «المتحدث باسم ... والناطق باسم ...»
        if depth < 2 and j < self.n and not self.broken(j) and self.w(j)[0] == "و" and self.at["title"].get(j):
            sub = self.parse_title(j, depth + 1)
            if sub is not None:
                j2, name2, _, actor2, org2 = sub
                j = j2
                actor = actor or actor2
                org = org or org2
                if name2:
                    return j, name2, role, actor, org
        # «رئيس مركز المصالحة الروسي في سوريا، فلاديمير سافتشينكو،»: the title's place, then
        # the name between commas (without a name after it, the place is not the title's)
        if org and j + 1 < self.n and self.w(j) == _IN and not self.broken(j) and not self.broken(j + 1):
            k = j + 2
            while k < self.n and k - j <= 3 and not self.broken(k):
                k += 1
            if k < self.n and k - j <= 3 and "،" in self.gap(k):
                named = self._appositive_name(k)
                if named:
                    return named[0], named, role, actor, org
        # rank, then the name
        if j < self.n and not self.broken(j) and self.at["rank"].get(j):
            j = self.skip_mods(self.at["rank"][j].word_end, False)
        name = None
        if j < self.n and not self.broken(j):
            name = self.parse_name(j)
            if name and len(name[1]) < 2 and not self.known_person(name[1][0][0]):
                name = None
        elif j < self.n and "،" in self.gap(j) and (org or depth == 0):
            # «الخبير الأمني المتخصص، فاضل أبو رغيف، أن ...», «...، الدكتور محمد المومني،»
            name = self._appositive_name(j)
        if name:
            return name[0], name, role, actor, org
        return j, None, role, actor, org

    def _appositive_name(self, j: int):
        """A name (after an optional rank) that starts at word j, after a comma, and ends
        at punctuation or a stop word; or None."""
        k = j
        if self.at["rank"].get(k):
            k = self.skip_mods(self.at["rank"][k].word_end, False)
            if k >= self.n or self.broken(k):
                return None
        cand = self.parse_name(k)
        if cand and len(cand[1]) >= 2 and (cand[0] >= self.n or self.hard(cand[0])
                                           or self.w(cand[0]) in self.stop):
            return cand
        return None

    def left_name(self, i: int) -> tuple[int, tuple[int, list[tuple[int, int]]]] | None:
        """An appositive: the name before «، TITLE» or «وهو TITLE» at word i."""
        k = i
        if i > 0 and self.w(i - 1) in ("وهو", "وهي", "هو", "هي"):
            k = i - 1
        elif not ("،" in self.gap(i) or "," in self.gap(i)):
            return None
        # walk back over name words to a verb, a name cue or a clause start
        s = k - 1
        lo = max(0, k - 5)
        while s >= lo:
            if s < k - 1 and self.broken(s + 1):
                break
            if not self.name_word(s):
                break
            s -= 1
        s += 1
        for start in range(s, k):
            # a rank before the name («وأضاف القاضي عبد الستار بيرقدار وهو المتحدث») introduces it too
            cued = start > 0 and (self.at["name_cue"].get(start - 1) is not None
                                  or any(r.word_end == start for r in self.at["rank"].values()))
            if start > 0 and not (self.verb_before(start) or cued or self.clause_start(start)):
                continue
            cand = self.parse_name(start)
            if cand and cand[0] == k and (len(cand[1]) >= 2 or cued):
                return start, cand
        return None

    def person(self, a: int, name: tuple[int, list[tuple[int, int]]], end: int, role, actor) -> _Found:
        units = list(name[1])
        if len(units) >= 3 and units[-1][1] - units[-1][0] == 1 and not self.is_def(self.w(units[-1][0])):
            # three plain words: the last may be a verb that follows the name («سعد معن | توسط»);
            # keep it only when the text uses it again and not the word before it
            later = self.text[self.W[end - 1].end:]
            last = self.w(units[-1][0])
            prev = self.text[self.W[units[-2][0]].start:self.W[units[-2][1] - 1].end]
            if _has_word(later, prev) and not _has_word(later, last):
                units.pop()
                if end == name[0]:
                    end = units[-1][1]
        ua, ub = units[-1]
        short = (self.W[ua].start, self.W[ub - 1].end)
        full = (self.W[units[0][0]].start, self.W[units[-1][1] - 1].end)
        nm = self.nt.raw[slice(*self.nt.raw_span(*short))]
        return _Found(a, end, nm, role, actor, person=True, short=short, full=full)

    # ------------------------------------------------------------ passes
    def pass_titles(self) -> None:
        for i in sorted(self.at["title"]):
            if self.taken[i]:
                continue
            res = self.parse_title(i)
            if res is None:
                continue
            end, name, role, actor, org = res
            left = self.left_name(i) if name is None else None
            if left is not None:
                start, nm = left
                # the appositive runs to its closing comma when that comes soon
                e = end
                k = end
                while k < self.n and k - end < 6 and not self.hard(k) and not self.at["verb"].get(k):
                    k += 1
                if k < self.n and k - end < 6 and "،" in self.gap(k):
                    e = k
                if self.free(start, e):
                    f = self.person(start, nm, e, role, actor)
                    self.take(f)
                continue
            if name is not None:
                if self.free(i, end):
                    f = self.person(i, name, end, role, actor)
                    f.ns = self.start_of(i)
                    self.take(f)
                continue
            if org is not None and self.free(i, end) and (
                    role == "spokesman" or self.verb_before(i) or self.verb_after(end, reach=3)):
                ns = self.start_of(i)
                ne = self.W[end - 1].end
                _, _, txt = self.raw(ns, ne)
                f = _Found(i, end, txt, role, actor, ns=ns)
                # a spokesman named before for the same body
                for g in reversed(self.found):
                    if g.person and g.role == role and g.actor and g.actor == actor:
                        f.name, f.person, f.short, f.full = g.name, True, g.short, g.full
                        break
                self.take(f)

    def pass_ranks(self) -> None:
        for i in sorted(self.at["rank"]):
            if self.taken[i]:
                continue
            m = self.at["rank"][i]
            j = self.skip_mods(m.word_end, False)
            if j >= self.n or self.broken(j):
                continue
            nm = self.parse_name(j)
            if nm is None or not self.free(i, nm[0]):
                continue
            if len(nm[1]) < 2 and not self.known_person(nm[1][0][0]):
                continue  # «الفريق» is also "the team"
            f = self.person(i, nm, nm[0], m.payloads[0].role, None)
            f.ns = m.norm_start
            self.take(f)

    def verb_before(self, i: int, reach: int = 3) -> bool:
        """A speech verb or cue ends right before word i (skip words allowed between)."""
        j = i
        for _ in range(reach):
            if j <= 0 or self.hard(j):
                return False
            for kind in ("verb", "cue"):
                for k in range(max(0, j - 4), j):
                    mm = self.at[kind].get(k)
                    if mm is not None and mm.word_end == j:
                        return True
            moved = False
            for k in range(max(0, j - 3), j):
                mm = self.at["skip"].get(k)
                if mm is not None and mm.word_end == j:
                    j = k
                    moved = True
                    break
            if not moved:
                return False
        return False

    def verb_after(self, j: int, reach: int = 8) -> bool:
        """A speech verb follows word j within ``reach`` words of the same clause."""
        for k in range(j, min(self.n, j + reach)):
            if k > j and self.hard(k):
                return False
            if self.at["verb"].get(k):
                return True
        return False

    def pass_sources(self) -> None:
        for i in sorted(self.at["source"]):
            if self.taken[i]:
                continue
            m = self.at["source"][i]
            cue: Cue = m.payloads[0]
            j = m.word_end
            k = 0
            # adjectives agree in definiteness: «مصادر أمنية», «وسائل الإعلام الحكومية»
            definite = self.is_def(self.w(m.word_end - 1))
            while j < self.n and k < 3 and not self.broken(j):
                am = self.at["adj"].get(j)
                w = self.w(j)
                if w[0] in CONJUNCTIONS and not am:
                    break
                if am is not None:
                    j = am.word_end
                elif self.is_def(w) == definite and self.is_nisba(w) and w not in self.stop:
                    j += 1
                else:
                    break
                k += 1
            has_adj = j > m.word_end
            name_end = j
            actor = None
            linked = False
            if j < self.n and not self.broken(j):
                w = self.w(j)
                if w in _PREPS or w in ("مقرب", "مقربه", "مطلع", "مطلعه"):
                    p = j + 1
                    if w in ("مقرب", "مقربه", "مطلع", "مطلعه") and p < self.n and self.w(p) in ("من", "علي"):
                        p += 1
                    e = self.parse_org(p, limit=5)
                    if e > p:
                        linked = True
                        actor = self.actor_in(p, e)
                        j = e
                elif w[0] == "ب" and len(w) > 3 and (self.clitic_actor(j) or any(
                        plen and (self.is_def(form) or form in self.construct) for plen, form in stems(w)[1:])):
                    e = self.parse_org(j, limit=5)
                    if e > j:
                        linked = True
                        actor = self.actor_in(j, e)
                        j = e
            nxt_ok = j >= self.n or self.hard(j) or self.w(j) in ("ان", "بان", "انه", "بانه", "بانها", "قوله", "قولها", "قولهم", "لقد") \
                or self.w(j) == "ل" or self.at["verb"].get(j) is not None
            spoken = self.verb_before(i) or self.verb_after(j, reach=3) or nxt_ok and j < self.n and not self.hard(j)
            if "verb" in cue.flags and not spoken:
                continue  # «مقتل قيادي بارز في ...»: not a speaker
            if not (has_adj or linked or "alone" in cue.flags or nxt_ok and (self.verb_before(i) or self.at["verb"].get(j))):
                continue
            if not self.free(i, j):
                continue
            ns = m.norm_start
            _, _, nm = self.raw(ns, self.W[name_end - 1].end)
            self.take(_Found(i, j, nm, cue.role or "source", actor, ns=ns))

    def _quoted(self, i: int) -> int | None:
        """Words i.. up to the closing quote when a quote opens before word i."""
        if i >= self.n or not self.quote(i):
            return None
        k = i + 1
        while k < self.n and k - i < 7 and not self.quote(k) and not self.hard(k):
            k += 1
        if k < self.n and self.quote(k) or k >= self.n and self.text[self.W[-1].end:].lstrip().startswith('"'):
            return k
        return None

    def pass_outlets(self) -> None:
        known = self.cues.matchers["outlet"]
        # only words where one of the three cases below can start, in text order
        lam = word_positions(self.nt).get("ل", ())
        for i in sorted({*self.at["outlet_cue"], *self.at["outlet"], *lam}):
            if self.taken[i]:
                continue
            m = self.at["outlet_cue"].get(i)
            if m is not None and i not in self.actor_at:
                j = m.word_end
                q = self._quoted(j)
                if q is not None:
                    ne = self.W[q - 1].end
                    name = self.raw(self.W[j].start, ne)[2]
                    e = q        # the closing quote stands before word q
                    while e < self.n and not self.hard(e) and (e == q or not self.quote(e)) \
                            and self.is_def(self.w(e)) and self.is_nisba(self.w(e), plural=False):
                        e += 1       # «صحيفة "واشنطن بوست" الأميركية»
                    end = e
                elif self.at["outlet"].get(j):
                    o = self.at["outlet"][j]
                    name = o.text
                    end = o.word_end
                else:
                    if j >= self.n or self.broken(j) or "quoted" in m.payloads[0].flags:
                        continue
                    end = self.parse_org(j, limit=4)
                    if end == j:
                        continue
                    name = self.raw(m.norm_start, self.W[end - 1].end)[2]
                if self.free(i, end):
                    self.take(_Found(i, end, name, "outlet", None, ns=m.norm_start))
                continue
            o = self.at["outlet"].get(i)
            if o is not None and self.free(i, o.word_end):
                cue: Cue = o.payloads[0]
                quoted = self.quote(i) and (o.word_end >= self.n or self.quote(o.word_end))
                prefixed_l = i > 0 and self.w(i - 1) == "ل" and self.quote(i)
                if "bare" in cue.flags or quoted or prefixed_l:
                    self.take(_Found(i, o.word_end, o.text, "outlet", None, ns=o.norm_start))
                continue
            # لـ«X» after a speech verb: the outlet that was told
            if self.w(i) == "ل" and i + 1 < self.n:
                q = self._quoted(i + 1)
                if q is None or not self.free(i + 1, q):
                    continue
                inner_norm = self.text[self.W[i + 1].start:self.W[q - 1].end]
                if self.actor_at.get(i + 1) and self.actor_at[i + 1][0] >= q:
                    continue
                recent = any(self.at["verb"].get(k) or self.at["cue"].get(k)
                             or self.w(k) in ("حديث", "تصريح", "تصريحات", "مقابله")
                             for k in range(max(0, i - 6), i))
                if known.get(inner_norm) or recent:
                    name = self.raw(self.W[i + 1].start, self.W[q - 1].end)[2]
                    self.take(_Found(i + 1, q, name, "outlet", None))

    def pass_ngos(self) -> None:
        for i in sorted(self.at["ngo"]):
            if self.taken[i]:
                continue
            m = self.at["ngo"][i]
            cue: Cue = m.payloads[0]
            r = self.at["ref"].get(i)
            if r is not None and r.word_end >= m.word_end:
                ant = self.antecedent(r)
                if ant is not None:   # «وقال المرصد» after «المرصد السوري لحقوق الإنسان»
                    self.take(self.ref_to(ant, i, r.word_end, r.norm_start))
                    continue
            if "always" in cue.flags or self.verb_before(i) or (self.clause_start(i) and self.verb_after(m.word_end)):
                if self.free(i, m.word_end):
                    self.take(_Found(i, m.word_end, m.text, "ngo", None, ns=m.norm_start))

    def _subject(self, j: int) -> _Found | None:
        """The speaker that stands at word j (after a verb or cue), if any."""
        if j >= self.n or self.taken[j]:
            return None
        r = self.at["ref"].get(j)
        if r is not None:
            ant = self.antecedent(r)
            if ant is not None:
                return self.ref_to(ant, j, r.word_end, r.norm_start)
        act = self.actor_at.get(j)
        inst = self.at["inst"].get(j)
        ngo = self.at["ngo"].get(j)
        if act and act[1] in ("civilians",):
            act = None
        if act or inst or ngo:
            end = j
            role = "institution"
            if inst:
                end = max(end, self.parse_org(j))
                role = inst.payloads[0].role or "institution"
            if ngo:
                end = max(end, ngo.word_end)
                role = "ngo"
            if act:
                end = max(end, act[0])
                if end > j and not inst and not ngo:
                    role = "institution"
            if end <= j:
                return None
            ns = self.start_of(j)
            nm = self.display(j, ns, self.W[end - 1].end)
            return _Found(j, end, nm, role, self.actor_in(j, end), ns=ns)
        p = self.at["person"].get(j)
        if p is not None:
            return _Found(j, p.word_end, p.text, p.payloads[0].role, None, person=True,
                          short=(p.norm_start, p.norm_end), full=(p.norm_start, p.norm_end), ns=p.norm_start)
        nm = self.parse_name(j)
        if nm is None or len(nm[1]) < 2:
            return None
        e = nm[0]
        follows = e < self.n and (self.w(e) in ("ان", "بان", "انه", "انها") or ":" in self.gap(e)
                                  or (self.w(e) == _IN and e + 1 < self.n and self.w(e + 1) in ("تصريح", "حديث", "بيان", "مقابله")))
        last = nm[1][-1]
        surname = self.is_def(self.w(last[1] - 1)) or self.known_person(last[0]) or self.w(nm[1][0][0]) in self.given
        if not (follows and surname) or any(k in self.actor_at for k in range(j, e)):
            return None  # «دول غربية», «جماعة جيش الإسلام»: not a person
        return self.person(j, nm, e, None, None)

    def pass_verbs(self) -> None:
        for kind in ("verb", "cue"):
            for i in sorted(self.at[kind]):
                m = self.at[kind][i]
                j = m.word_end
                # skip words between the verb and its subject
                for _ in range(3):
                    s = self.at["skip"].get(j)
                    if s is None or self.broken(j):
                        break
                    j = s.word_end
                if j >= self.n or (self.broken(j) and not self.quote(j)):
                    continue
                f = self._subject(j)
                if f is not None and self.free(f.a, f.b):
                    self.take(f)

    def pass_svo(self) -> None:
        """An actor or institution at the start of a clause with a speech verb after it
        («لكن التحالف الذي تقوده أميركا ... نفى ذلك», «التحالف يؤكد أن»)."""
        for j in sorted(set(self.actor_at) | set(self.at["inst"])):
            if self.taken[j] or not self.clause_start(j):
                continue
            f = self._subject(j)
            if f is None or not self.free(f.a, f.b):
                continue
            if self.verb_after(f.b, reach=8):
                self.take(f)

    def pass_refs(self) -> None:
        """Later short references: a person's short name; «المصدر», «المتحدث» ... next to a
        speech verb or cue."""
        persons = [f for f in self.found if f.person and f.short and not f.ref]
        if persons:
            pm = PhraseMatcher(shared=False)   # this text's names only
            for f in persons:
                key = self.text[f.short[0]:f.short[1]]
                pm.add(key, f)
                if f.full and f.full != f.short:
                    pm.add(self.text[f.full[0]:f.full[1]], f)
            for m in pm.find(self.nt):
                i = m.word_start
                if not self.free(i, m.word_end):
                    continue
                intros = [f for f in m.payloads if f.short and f.short[1] <= m.norm_start]
                if not intros:
                    continue
                f = max(intros, key=lambda g: g.short[0])
                distinctive = " " in m.key or self.is_def(m.key)
                near = self.verb_before(i) or self.verb_after(m.word_end, reach=2) or self.at["verb"].get(i - 1) is not None
                if not (distinctive or near):
                    continue
                self.take(_Found(i, m.word_end, f.name, f.role, f.actor, person=True, short=f.short,
                                 full=f.full, ref=True, ns=m.norm_start))
        for i in sorted(self.at["ref"]):
            m = self.at["ref"][i]
            if not self.free(i, m.word_end):
                continue
            if not (self.verb_before(i) or (m.word_end < self.n and self.at["verb"].get(m.word_end)
                                            and not self.hard(m.word_end))):
                continue
            ant = self.antecedent(m)
            if ant is not None:
                self.take(self.ref_to(ant, i, m.word_end, m.norm_start))
        # a bare title or rank used again («ويرجح الفريق الركن المتقاعد أن»)
        for kind in ("title", "rank"):
            for i in sorted(self.at[kind]):
                m = self.at[kind][i]
                end = self.skip_mods(m.word_end, True)
                if not self.free(i, end) or not self.verb_before(i) and not self.verb_after(end, reach=2):
                    continue
                phrase = norm_key(self.text[m.norm_start:self.W[end - 1].end])
                for g in sorted(self.found, key=self._ns, reverse=True):
                    if self._ns(g) < m.norm_start and g.person and not g.ref and phrase in norm_key(self._text(g)):
                        self.take(self.ref_to(g, i, end, m.norm_start))
                        break

    def display(self, j: int, ns: int, ne: int) -> str:
        """The raw text of a name starting in word j; a «لل» taken off gives back its «ال»
        («للمكتب الإعلامي» → «المكتب الإعلامي»)."""
        txt = self.raw(ns, ne)[2]
        w = self.W[j]
        if w.text.startswith("لل") and ns == w.start + 2 or w.text[:3] in ("ولل", "فلل") and ns == w.start + 3:
            return "ال" + txt
        return txt

    def antecedent(self, m: Match) -> _Found | None:
        """The nearest earlier speaker that a generic reference («المصدر») stands for."""
        cue: Cue = m.payloads[0]
        for g in sorted(self.found, key=self._ns, reverse=True):
            if self._ns(g) >= m.norm_start or g.role != cue.role:
                continue
            if cue.head and cue.head not in norm_key(self._text(g)):
                continue
            return g
        return None

    def ref_to(self, ant: _Found, a: int, b: int, ns: int) -> _Found:
        return _Found(a, b, ant.name, ant.role, ant.actor, person=ant.person, short=ant.short,
                      full=ant.full, ref=True, ns=ns)

    def _ns(self, f: _Found) -> int:
        return f.ns if f.ns is not None else self.W[f.a].start

    def _text(self, f: _Found) -> str:
        return self.text[self._ns(f):self.W[f.b - 1].end]

    def speakers(self) -> list[Speaker]:
        out = []
        raw = self.nt.raw
        for f in sorted(self.found, key=self._ns):
            a, b = self.nt.raw_span(self._ns(f), self.W[f.b - 1].end)
            b = _close(raw, a, b)
            out.append(Speaker(a, b, raw[a:b], f.name, f.role, f.actor))
        return out


_PAIRS = {"«": "»", "(": ")", "“": "”", "[": "]"}


def _has_word(text: str, w: str) -> bool:
    """Whether normalised ``text`` contains ``w`` as whole words."""
    return re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text) is not None


def _close(raw: str, a: int, b: int) -> int:
    """Extend ``b`` over the closing quote or bracket of one opened inside ``raw[a:b]``."""
    seg = raw[a:b]
    for o, c in _PAIRS.items():
        if seg.count(o) > seg.count(c) and raw[b:b + 1] == c:
            return b + 1
    if seg.count('"') % 2 == 1 and raw[b:b + 1] == '"':
        return b + 1
    return b


def find_speakers(nt: NormText | str, actors: list[ActorMention] | None = None, *,
                  country_hint: str | None = None, cues: SpeakerCues | None = None,
                  lexicon: ActorLexicon | None = None) -> list[Speaker]:
    """Speakers in text order: introductions («المتحدث باسم قيادة العمليات المشتركة العميد
    يحيى رسول الزبيدي», «مصدر أمني», «وزارة الداخلية اللبنانية») and later references
    («الزبيدي», «المصدر»), each with the short ``name`` to show, its ``role``, and the
    ``actor`` key it speaks for when known. ``actors`` are the document's actor mentions
    (computed with ``find_actors(nt, country_hint=...)`` when not given)."""
    if not isinstance(nt, NormText):
        nt = normalize(nt)
    cues = cues or load_speaker_cues()
    if actors is None:
        spans = [(m.norm_start, m.norm_end, k)
                 for m, k in actor_matches(nt, country_hint=country_hint, lexicon=lexicon)]
    else:
        spans = _norm_spans(nt, actors)
    if not nt.text.strip():
        return []
    doc = _Doc(nt, cues, spans)
    if doc.n == 0:
        return []
    doc.pass_titles()
    doc.pass_ranks()
    doc.pass_sources()
    doc.pass_ngos()
    doc.pass_outlets()
    doc.pass_verbs()
    doc.pass_svo()
    doc.pass_refs()
    return doc.speakers()


def _norm_spans(nt: NormText, actors: Iterable[ActorMention]) -> list[tuple[int, int, str]]:
    """Normalised spans of actor mentions given with raw offsets."""
    out = []
    for a in actors:
        s = nt.norm_index(a.start)
        e = nt.norm_index(a.end)
        if s < e:
            out.append((s, e, a.key))
    return out


# ---------------------------------------------------------------- aliases

def speaker_aliases(speakers: Iterable[Speaker], *, cues: SpeakerCues | None = None) -> dict[str, Speaker]:
    """Normalised short references → the Speaker they stand for.

    Each speaker is known by its name («الزبيدي», «مصدر أمني», «وزارة الداخلية اللبنانية»)
    and by the phrase it was introduced with. Generic references («المتحدث», «المصدر»,
    «المصادر», «الوزارة», «المرصد» ...: the ``ref`` lines of the cue file) map to the last
    speaker in ``speakers`` with the matching role (and head word), so pass the speakers
    that come before the point of interest to get the nearest antecedent. Keys are
    normalised with :func:`~rasd.lang.normalize.norm_key`: look up ``norm_key(phrase)``.
    """
    cues = cues or load_speaker_cues()
    sps = list(speakers)
    out: dict[str, Speaker] = {}
    intro: dict[tuple, Speaker] = {}
    for s in sps:
        k = (norm_key(s.name), s.role, s.actor)
        intro.setdefault(k, s)
    for s in sps:
        first = intro[(norm_key(s.name), s.role, s.actor)]
        out.setdefault(norm_key(s.name), first)
        out.setdefault(norm_key(first.text), first)
        # a person's full name: the last words of the phrase, ending with the short name
        ft = norm_key(first.text)
        nm = norm_key(s.name)
        if ft.endswith(nm) and ft != nm:
            ws = ft.split()
            k = len(nm.split())
            for extra in (1, 2, 3):
                if len(ws) < k + extra or ws[-(k + extra)].startswith("ال"):
                    break
                out.setdefault(" ".join(ws[-(k + extra):]), first)
    # generic references: the last matching speaker wins
    for key, cue in cues.refs:
        for s in reversed(sps):
            if s.role != cue.role:
                continue
            if cue.head and cue.head not in norm_key(s.text) and cue.head not in norm_key(s.name):
                continue
            out[key] = intro[(norm_key(s.name), s.role, s.actor)]
            break
    return out



# ---------------------------------------------------------------- one source, several names

@lru_cache(maxsize=1)
def _source_names() -> dict[str, str]:
    """Normalised name → source key, from the word lists ``same_source_*`` (words.tsv: one
    list a source, each entry one of its names: «المرصد السوري لحقوق الإنسان», «المرصد السوري» …)."""
    from .wordlists import word_lists
    out: dict[str, str] = {}
    for name, names in word_lists().items():
        if name.startswith("same_source_"):
            for n in names:
                out.setdefault(norm_key(n), name[len("same_source_"):])
    return out


def source_key(name: str) -> str:
    """The key of the source a claim names: one key for every name of one source
    (``same_source_*`` lists: a wire and its acronym, an observatory and its short name), else
    the normalised name itself."""
    k = norm_key(name)
    names = _source_names()
    return "src:" + names[k] if k in names else k
