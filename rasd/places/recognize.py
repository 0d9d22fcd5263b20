"""Find place mentions in Arabic text and geocode them against the gazetteer.

``find_places(nt)`` works on a :class:`NormText` and returns :class:`Place` records with
raw offsets (``raw[start:end] == text``): ``text``/``name`` are the name as written,
without proclitics («وبالموصل» → الموصل) and without cue words («شرق مدينة السخنة» →
السخنة, precision ``near``).

How a mention is found:

* gazetteer match (all names, multi-word, leftmost-longest, proclitics allowed);
* cue words before a name: مدينة, بلدة, قرية, قضاء, ناحية, محافظة, مخيم, منفذ, معبر,
  منطقة ... (kind), ريف, أطراف, ضواحي, محيط, قرب ... (near) and directions شرق/غرب/
  شمال/جنوب(ي), جنوب شرقي, إلى الغرب من ... (offset); after a strong cue (مدينة, بلدة,
  قرية, مخيم, حي, منفذ, معبر) a name the gazetteer lacks is kept without coordinates;
* «الأراضي السورية», «الحدود العراقية», «العاصمة السورية»: a country (or its capital) from
  a nisba adjective; «الحدود السورية - العراقية»: the border region;
* «الصحراء» alone: the desert named earlier in the text.

How a candidate is chosen: population / kind prior, the article's countries (the hint,
countries named, nisba adjectives, unambiguous places), a nisba right after the name
(«الرقة السورية»), distance to the other places of the text, coordinated countries, and
what the cue word asks for (منفذ → crossing, محافظة → province, سلطنة → country).

Common-word guards: names in ``places_stoplist.txt`` and cue/direction words need a cue;
small places (population < ``POP_FREE``) need a cue or their country in context; a
definite single word right after a definite noun is read as an adjective («الوضع
القائم»); names right after media/organisation heads (صحيفة, قناة, جامعة ...) or
alone inside quotes («الشرق الأوسط») are titles, not places.
"""
from __future__ import annotations

import math
from bisect import bisect_left
import re
from collections import Counter
from dataclasses import dataclass, field

from ..lang.lexicon import PhraseMatcher, word_positions
from ..lang.normalize import NormText, normalize
from ..lang.tokenize import CONJUNCTIONS, Token, definite_forms, stems, words
from ..lang.wordlists import words as word_list
from ..records import Place
from .admin import admin1_name
from .gazetteer import Entry, Gazetteer, load_gazetteer, name_key

POP_FREE = 20_000        # a multi-word name of a smaller place needs a cue or context
POP_FREE_SINGLE = 50_000 # the same for a single-word name
POP_SHORT = 300_000      # a name of three letters or less: only big cities without context
NEAR_OFFSET_MIN_KM = 8.0

# cue words (data: rasd/data/words.tsv, lists place_cues_<kind>[_strong])
# kind: t town, a admin/area, x crossing, r natural region, n near, d direction,
#       c country, k capital; strong = a name the gazetteer lacks is kept after it
_CUE_LISTS = {"town": "t", "area": "a", "region": "r", "crossing": "x", "country": "c", "capital": "k", "near": "n"}
_CUES: list[tuple[str, str, bool, str | None]] = [
    # (phrase, kind, strong, direction)
    (_w, _kind, _strong, None)
    for _name, _kind in _CUE_LISTS.items() for _strong in (True, False)
    for _w in word_list(f"place_cues_{_name}{'_strong' if _strong else ''}", ())
]
_DIRS = {"شرق": 90.0, "غرب": 270.0, "شمال": 0.0, "جنوب": 180.0,
         "الشرق": 90.0, "الغرب": 270.0, "الشمال": 0.0, "الجنوب": 180.0}
for _w, _b in list(_DIRS.items()):
    if not _w.startswith("ال"):
        _CUES.append((_w, "d", False, _w))
        _CUES.append((_w + "ي", "d", False, _w))
        _CUES.append(("الى ال" + _w + " من", "d", False, _w))
for _a in ("شمال", "جنوب"):
    for _b2 in ("شرق", "غرب"):
        for _s1 in ("", "ي"):
            for _s2 in ("", "ي"):
                _CUES.append((f"{_a}{_s1} {_b2}{_s2}", "d", False, f"{_a} {_b2}"))
_BEARING = {"شرق": 90.0, "غرب": 270.0, "شمال": 0.0, "جنوب": 180.0,
            "شمال شرق": 45.0, "شمال غرب": 315.0, "جنوب شرق": 135.0, "جنوب غرب": 225.0}

# words after which a name is part of an organisation / title / person, not a place
_ORG_HEADS = {name_key(w) for w in word_list("org_heads")}
_ORG_TAILS = {name_key(w) for w in word_list("org_tails")}
# «الضفة الغربية، لنهر الفرات»: a river's bank (the bank names before a river's genitive)
_BANK_HEADS = tuple(name_key(w) for w in word_list("river_bank_heads"))
_BANK_TAILS = {name_key(w) for w in word_list("river_bank_tails")}
# sports vocabulary: two of these on a line make it a sports line
_SPORTS = {name_key(w) for w in word_list("sports_words")}
_PLACE_PREPS = {name_key(w) for w in word_list("place_preps_places")}
# titles before a person's name
_TITLES = {name_key(w) for w in word_list("titles")}
# definite words that may precede a definite place name without making it an adjective
_DEF_OK = {name_key(w) for w in word_list("def_ok")}
# heads of nisba phrases: «الأراضي السورية» → SY (data: nisba_heads_country/capital/direction)
_NISBA_HEADS = {name_key(w): k for k, name in (("c", "country"), ("k", "capital"), ("d", "direction"))
                for w in word_list(f"nisba_heads_{name}")}
# heads of multi-word names: a name after a strong cue takes the next word too
_NAME_HEADS = {name_key(w) for w in word_list("name_heads")}
# words that end a name after a cue / are not names
_NOT_NAME = {name_key(w) for w in word_list("not_name")}
# bodies named as a genitive after a noun: «سفيرة الأمم المتحدة» (a title, not the town السفيرة)
_GENITIVE_BODIES = tuple(sorted({name_key(w) for w in word_list("genitive_bodies")}, key=len, reverse=True))


_NISBA_ENDS = ("ي", "يه", "ين", "ون", "ان", "ات")
_NISBA_CLITICS = (*CONJUNCTIONS, "ب", "ل")   # proclitics before a nisba: و ف ب ل
_DEFINITE = definite_forms(("ب", "ل"))   # ال وال فال بال لل وبال ولل فبال فلل
_BORDER_PAIR = re.compile(r"(?<!\w)(?:[وفبل]|بال|وال|فال|لل)?ال(حدود)\s+(ال\w+)\s*[-–—/]\s*(ال\w+)")


_UNLOCK = {name_key(w) for w in word_list("unlock_cues")}


@dataclass(slots=True)
class _Cue:
    kind: str
    strong: bool
    direction: str | None
    w0: int   # word indices [w0, w1)
    w1: int
    unlock: bool = False   # lets a common word / a small place through («قرية X», «دولة X»)


@dataclass(slots=True)
class _Mention:
    ns: int                  # normalised offsets of the name
    ne: int
    w0: int
    w1: int
    key: str
    cands: list[Entry]
    cues: list[_Cue] = field(default_factory=list)
    kind: str = "gaz"        # gaz | unknown | nisba | ana | border
    nisba_cc: str | None = None
    common: bool = False     # also a frequent Arabic word
    chosen: Entry | None = None
    precision: str | None = None
    name: str | None = None
    lat: float | None = None
    lon: float | None = None


_CUE_WORDS: set[str] = set()
_CUE_KIND: dict[str, tuple[str, bool, str | None]] = {}
for _phrase, _kind, _strong, _d in _CUES:
    _k = name_key(_phrase)
    _CUE_KIND.setdefault(_k, (_kind, _strong, _d))
    if " " not in _k:
        _CUE_WORDS.add(_k)


def _matcher(gz: Gazetteer) -> PhraseMatcher:
    """The gazetteer's matcher with the cue phrases added (payload: a tuple), so that one
    pass over the text finds both."""
    if not getattr(gz, "_cues_added", False):
        for phrase, kind, strong, d in _CUES:
            gz.matcher.add(phrase, (kind, strong, d))
        gz._cues_added = True
    return gz.matcher


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _offset(lat: float, lon: float, bearing: float, km: float) -> tuple[float, float]:
    dlat = km * math.cos(math.radians(bearing)) / 111.0
    dlon = km * math.sin(math.radians(bearing)) / (111.0 * max(0.2, math.cos(math.radians(lat))))
    return round(lat + dlat, 5), round(lon + dlon, 5)


_OPEN_QUOTES = ('"', "«", "“")


def _blank(text: str, a: int, b: int) -> bool:
    gap = text[a:b]
    return not gap.strip() and "\n" not in gap


_PRON_PREP = {name_key(w) for w in word_list("pron_preps")}


def _name_like(nt: NormText, ws: list[Token], i: int, text: str) -> bool:
    """Could the word at ``i`` (after a strong cue) start a name the gazetteer lacks?"""
    w = ws[i].text
    if w.startswith(("ي", "سي", "ست", "سن", "ل")) or w.endswith(("ها", "هم", "هما", "كم")) or \
            (w.startswith("ت") and w.endswith("ت") and len(w) >= 4):
        return False   # verbs («قرية تسيطر عليها»), «لخروج», pronoun suffixes
    if any(f in _NOT_NAME or f in _CUE_KIND for f in _strip_clitics(w)):
        return False
    a, b = nt.raw_span(ws[i].start, ws[i].end)
    if "\u064b" in nt.raw[a:b]:
        return False   # tanween fath: an adverb or indefinite accusative («مؤخراً»)
    j = i + 1
    if j < len(ws) and ws[j].text in _PRON_PREP and _blank(text, ws[i].end, ws[j].start):
        return False
    return True


def _construct_noun(text: str, ws: list[Token], x: _Mention, nxt: _Mention | None, gz: Gazetteer) -> bool:
    """«سفيرة الولايات المتحدة», «سلوك إيران», «سفير الأمم المتحدة»: a one-word town name
    written without the article and followed at once by a country's name or a body's
    (genitive_bodies) is a noun in the construct state with its genitive — an ambassador, a
    behaviour — not the town (a noun in construct takes no «ال»; Arabic does not put a
    country's name right after a town's without a comma or a preposition). A capital stays
    («تتهم دمشق إسرائيل»: a party, settled later), and so does a country's name that is also
    a nisba adjective («لكون عفرين سورية»)."""
    if x.ns != ws[x.w0].start and ws[x.w0].text[: x.ns - ws[x.w0].start] not in CONJUNCTIONS:
        return False                      # («بسفيرة»: a glued preposition reads as a place)
    if text.startswith("ال", x.ns) or any(e.feature == "capital" for e in x.cands) or x.w1 >= len(ws):
        return False
    after = ws[x.w1]
    if not _blank(text, ws[x.w1 - 1].end, after.start):
        return False
    if nxt is not None and nxt.kind == "gaz" and nxt.ns == after.start and \
            any(e.feature == "country" for e in nxt.cands) and gz.nisba(nxt.key) is None:
        return True
    rest = text[after.start:after.start + 40]
    return any(rest.startswith(b) and (len(rest) == len(b) or not rest[len(b)].isalpha()) for b in _GENITIVE_BODIES)


def _strip_clitics(w: str) -> list[str]:
    return [f for _, f in stems(w)]


def find_places(nt: NormText | str, *, country_hint: str | None = None,
                gazetteer: Gazetteer | None = None) -> list[Place]:
    """Place mentions of ``nt`` (a :class:`NormText`, or raw text), in text order."""
    if isinstance(nt, str):
        nt = normalize(nt)
    gz = gazetteer or load_gazetteer()
    text = nt.text
    ws = words(nt)
    if not ws:
        return []
    hint = country_hint.upper() if country_hint else None

    # ---- one pass: cue phrases (tuple payloads) and names (str payloads)
    cue_at: dict[int, _Cue] = {}
    found = []
    for m in _matcher(gz).find(nt):
        cue = next((p for p in m.payloads if isinstance(p, tuple)), None)
        if cue is not None:
            cue_at[m.word_end] = _Cue(cue[0], cue[1], cue[2], m.word_start, m.word_end,
                                      cue[1] or m.key in _UNLOCK)
            continue
        key = m.key
        ns, ne, w0, w1 = m.norm_start, m.norm_end, m.word_start, m.word_end
        # a name stored with its cue word («مدينة عنة الجديدة»): keep the cue apart
        first, _, rest = key.partition(" ")
        if rest and first in _CUE_KIND and _CUE_KIND[first][0] in "tan" and not m.prefix \
                and rest in gz.names and all(e.id.startswith(("gn:", "ocha:")) for e in gz.entries_for_key(key)):
            kind, strong, d = _CUE_KIND[first]
            cue_at[w0 + 1] = _Cue(kind, strong, d, w0, w0 + 1, strong or first in _UNLOCK)
            key = rest
            w0 += 1
            ns = ws[w0].start
        found.append((key, ns, ne, w0, w1, m.prefix))

    def cues_before(w0: int) -> list[_Cue]:
        out: list[_Cue] = []
        i = w0
        while len(out) < 3:
            c = cue_at.get(i)
            if c is None:
                break
            gap = text[ws[c.w1 - 1].end:ws[i].start if i < len(ws) else len(text)]
            if "\n" in gap or gap.strip() and not (i == w0 and gap.strip() in _OPEN_QUOTES):
                break             # (an opening quote before the name: «قاعدة "التيفور"»)
            out.append(c)
            i = c.w0
        return out

    mentions: list[_Mention] = []
    taken: set[int] = set()   # word indices covered by a mention
    for key, ns, ne, w0, w1, prefix in found:
        ents = gz.entries_for_key(key)
        if "ك" in prefix and not any(e.feature == "country" for e in ents):
            continue   # «كبيرا» is not ك + بيرا
        if ents:
            mentions.append(_Mention(ns, ne, w0, w1, key, ents, cues_before(w0)))

    # ---- «الحدود السورية - العراقية»
    for mm in (_BORDER_PAIR.finditer(text) if "حدود" in text else ()):
        k = name_key(f"الحدود {mm.group(2)} {mm.group(3)}")
        ents = gz.entries_for_key(k)
        if not ents:
            continue
        ns = mm.start(1) - 2
        ne = mm.end(3)
        w0 = next((i for i, w in enumerate(ws) if w.end > ns), 0)
        w1 = next((i for i, w in enumerate(ws) if w.start >= ne), len(ws))
        mentions = [x for x in mentions if x.w1 <= w0 or x.w0 >= w1]
        mentions.append(_Mention(ns, ne, w0, w1, k, ents, [], "border"))
    mentions.sort(key=lambda x: x.w0)
    for x in mentions:
        taken.update(range(x.w0, x.w1))

    # ---- nisba adjectives: context, adjacency, «الأراضي السورية»
    ctx: Counter[str] = Counter()
    nisba_at: dict[int, str] = {}
    positions = word_positions(nt)
    for wt, idx in positions.items():       # each distinct word once
        if not wt.endswith(_NISBA_ENDS):
            continue
        cc = gz.nisba(wt)
        if cc is None and wt[:1] in _NISBA_CLITICS:
            for f in _strip_clitics(wt)[1:]:
                cc = gz.nisba(f)
                if cc:
                    break
        if cc:
            for i in idx:
                nisba_at[i] = cc
            ctx[cc] += len(idx)
    nisba_at = dict(sorted(nisba_at.items()))     # in text order: the loop below takes words
    for i, cc in nisba_at.items():
        if i in taken or i == 0:
            continue
        head = ws[i - 1]
        hk = None
        for f in _strip_clitics(head.text):
            if f in _NISBA_HEADS:
                hk = _NISBA_HEADS[f]
                break
        if hk is None or (i - 1) in taken or not _blank(text, head.end, ws[i].start):
            continue
        if not ws[i].text.startswith("ال"):
            continue
        country = gz.country(cc)
        if country is None:
            continue
        plen = next((p for p, f in stems(head.text) if f in _NISBA_HEADS), 0)
        mt = _Mention(head.start + plen, ws[i].end, i - 1, i + 1, head.text[plen:] + " " + ws[i].text,
                      [country], [], "nisba")
        mt.name = country.name_ar
        if hk == "k":
            if i + 1 < len(ws) and (i + 1) in taken:
                continue   # «العاصمة الفلبينية مانيلا»: the name follows
            cap = gz.capital(cc)
            if cap is None:
                continue
            mt.cands = [cap]
            mt.name = cap.name_ar
        elif hk == "d":
            d = head.text[plen + 2:]
            mt.cues = [_Cue("d", False, d if d in _BEARING else None, i - 1, i)]
        mentions.append(mt)
        taken.update((i - 1, i))
    mentions.sort(key=lambda x: x.w0)

    # adjacency nisba: «الرقة السورية», «عانة وقرية رواة العراقيتين»
    for x in mentions:
        if x.kind != "gaz":
            continue
        j = x.w1
        if j < len(ws) and j in nisba_at and _blank(text, ws[j - 1].end, ws[j].start):
            x.nisba_cc = nisba_at[j]
    for a, b in zip(mentions, mentions[1:]):
        if b.nisba_cc and not a.nisba_cc and b.w0 - a.w1 <= 2 and a.kind == "gaz" \
                and _blank(text, ws[a.w1 - 1].end, ws[b.w0].start):
            a.nisba_cc = b.nisba_cc

    # sports lines: a bare city name there is usually a club
    sports_lines: set[int] = set()
    line_of = None
    if not _SPORTS.isdisjoint(positions):
        nl = [m.start() for m in re.finditer("\n", text)]
        from bisect import bisect_right as _br

        def line_of(pos: int) -> int:
            return _br(nl, pos)
        cnt: Counter[int] = Counter(line_of(w.start) for w in ws if w.text in _SPORTS)
        sports_lines = {ln for ln, c in cnt.items() if c >= 2}

    # ---- guards (common words, titles, adjectives) and candidate filters
    kept: list[_Mention] = []
    stop = gz.stoplist
    at_word = {x.w0: x for x in mentions}
    for x in mentions:
        if x.kind != "gaz":
            kept.append(x)
            continue
        kind_cue = any(c.kind in "taxrck" for c in x.cues)      # enough for curated cue-only names
        has_cue = any(c.unlock for c in x.cues)                  # enough for common words
        any_cue = bool(x.cues)
        prev = ws[x.w0 - 1] if x.w0 > 0 else None
        nxt = ws[x.w1] if x.w1 < len(ws) else None
        prev_adj = prev is not None and _blank(text, prev.end, x.ns if x.ns >= prev.end else prev.end)
        prev_forms = _strip_clitics(prev.text) if prev is not None else []
        # titles and organisations
        if prev_adj and any(f in _ORG_HEADS for f in prev_forms[:1] + prev_forms[1:2]):
            continue
        if nxt is not None and _blank(text, ws[x.w1 - 1].end, nxt.start) and nxt.text in _ORG_TAILS:
            continue
        if nxt is not None and x.key.startswith(_BANK_HEADS) and nxt.text in _BANK_TAILS and \
                text[ws[x.w1 - 1].end:nxt.start].strip() in ("", "،", ","):
            continue   # «الضفة الغربية، لنهر الفرات»: the river's bank, not the West Bank
        if x.ns > 0 and text[x.ns - 1] == '"' and not kind_cue:
            after = text[x.ne:x.ne + 8].lstrip(" 0123456789")
            if after.startswith('"'):
                continue   # a quoted name («"الدولة الإسلامية"»), unless a place word names it («قاعدة "التيفور"»)
        if x.key in _CUE_WORDS or x.key in _NOT_NAME or x.key in _ORG_TAILS:
            continue
        if not has_cue and ws[x.w0].text in stop and ws[x.w0].start < x.ns:
            continue   # «ورقة» is not و + رقة
        if not has_cue and (x.key in stop or (gz.nisba(x.key) and not any(
                e.feature == "country" or e.id.startswith("sup:") for e in x.cands))):
            continue
        if x.key in _NAME_HEADS and nxt is not None and _blank(text, ws[x.w1 - 1].end, nxt.start):
            continue   # «تل قرمزي»: the head of a longer name the gazetteer lacks
        if prev_adj and nxt is not None and f"{x.key} {nxt.text}" in stop:
            continue   # «القائم بالأعمال»
        if prev_adj and f"{prev.text} {x.key}" in stop:
            continue
        single = " " not in x.key and not any(e.feature == "country" or e.id.startswith("sup:")
                                              for e in x.cands)
        if single and not any_cue and _construct_noun(text, ws, x, at_word.get(x.w1), gz):
            continue   # «سفيرة الولايات المتحدة», «سلوك إيران»: a noun with its genitive, not a town
        if single and prev_adj and not any_cue:
            # «الرئيس بوش», «الوزيرة الأميركية رايس»: a person, not a place
            pk = prev_forms[0] if prev_forms else ""
            if pk in _TITLES or any(f in _TITLES for f in prev_forms[1:2]):
                continue
            if gz.nisba(pk) and pk.startswith("ال") and not (
                    x.w0 >= 2 and any(f in _DEF_OK or f in _CUE_WORDS for f in _strip_clitics(ws[x.w0 - 2].text))):
                continue
        if single and sports_lines and not any_cue and line_of(x.ns) in sports_lines and \
                not any(e.feature == "country" or e.precision == "region" for e in x.cands):
            pv = prev.text if prev_adj else ""
            if pv not in _PLACE_PREPS and not (ws[x.w0].start < x.ns):   # «في برشلونة», «ببرشلونة»
                continue
        if single and not has_cue and x.key in gz.common:
            x.common = True
        if not any_cue:
            # «الوضع القائم»: a definite word after a definite noun is an adjective
            if " " not in x.key and x.key.startswith("ال") and prev_adj and ws[x.w0].start == x.ns:
                pf = prev_forms[-1] if prev_forms else ""
                if prev.text.startswith(_DEFINITE) and \
                        prev.text not in _DEF_OK and not any(f in _DEF_OK for f in prev_forms) and \
                        (x.w0 - 1) not in taken:
                    continue
        ents = []
        for e in x.cands:
            if "cue" in e.flags and not kind_cue:
                continue
            # «القريتين العراقيتين»: a nisba of another country rules a place out
            if x.nisba_cc and e.country and e.country != x.nisba_cc and e.feature != "country":
                continue
            ents.append(e)
        if not ents:
            continue
        x.cands = ents
        kept.append(x)
    mentions = kept

    # context from countries and unambiguous big places
    own: dict[str, Counter] = {}   # what each name itself added (not evidence for itself)
    for x in mentions:
        if x.kind in ("gaz", "nisba") and len({e.country for e in x.cands}) == 1:
            e = x.cands[0]
            if e.country and (e.feature == "country" or e.population >= POP_FREE_SINGLE
                              or e.id.startswith("sup:")):
                w = 2 if e.feature == "country" else 1
                ctx[e.country] += w
                own.setdefault(x.key, Counter())[e.country] += w
    if hint:
        ctx[hint] += 5

    # low-population / context-only candidates
    total_ctx = sum(ctx.values()) or 1
    kept = []
    for x in mentions:
        if x.kind != "gaz":
            kept.append(x)
            continue
        any_cue = any(c.unlock for c in x.cues)
        multi = " " in x.key
        ents = []
        for e in x.cands:
            if "ana" in e.flags:
                ents.append(e)
                continue
            if "ctx" in e.flags and not (
                    ctx.get(e.country, 0) - own.get(x.key, Counter()).get(e.country, 0) > 0
                    or x.nisba_cc == e.country):
                continue
            if any_cue or e.feature in ("country", "continent") or not e.id.startswith("gn:"):
                ents.append(e)
                continue
            in_ctx = bool(e.country) and (
                ctx.get(e.country, 0) - own.get(x.key, Counter()).get(e.country, 0) > 0
                or x.nisba_cc == e.country)
            if x.common and e.population < 1_000_000 and e.feature != "capital" and not (e.country == hint or x.nisba_cc == e.country or (
                    in_ctx and e.population >= 100_000 and
                    ctx.get(e.country, 0) / total_ctx >= 0.3)):
                continue   # «سنة», «طراز», «ميدان»: a frequent word unless the context says otherwise
            if len(x.key.replace(" ", "")) <= 3 and not in_ctx and e.population < POP_SHORT:
                continue   # «له», «اب»: too short to trust without context
            if e.population >= (POP_FREE if multi else POP_FREE_SINGLE):
                ents.append(e)
                continue
            if not in_ctx:
                continue
            share = (ctx.get(e.country, 0) - own.get(x.key, Counter()).get(e.country, 0)) / total_ctx
            if multi or e.country == hint or x.nisba_cc == e.country or \
                    share >= 0.2:
                ents.append(e)
        if not ents and " " in x.key and x.key.split(" ", 1)[0] in _CUE_KIND:
            # «مطار جنيف» outside Iraq: not the Iraqi airstrip, so the cue + Geneva
            first, rest = x.key.split(" ", 1)
            cands = [e for e in gz.entries_for_key(rest) if not e.flags]
            if cands:
                k, st, d = _CUE_KIND[first]
                x.cues = [_Cue(k, st, d, x.w0, x.w0 + 1, st or first in _UNLOCK)]
                x.key, x.w0, x.ns, x.cands = rest, x.w0 + 1, ws[x.w0 + 1].start, cands
                kept.append(x)
            continue
        if ents:
            x.cands = ents
            kept.append(x)
    mentions = kept

    # ---- choose a candidate
    total = sum(ctx.values()) or 1
    # the unambiguous towns of the text, once each, with where they are named
    by_key: dict[str, tuple[float, float, list[int]]] = {}
    for x in mentions:
        if x.kind == "gaz" and len(x.cands) == 1 and x.cands[0].lat is not None \
                and x.cands[0].precision == "town":
            by_key.setdefault(x.key, (x.cands[0].lat, x.cands[0].lon, []))[2].append(x.ns)
    anchors = [(k, lat, lon, pos) for k, (lat, lon, pos) in by_key.items()]
    dists: dict[tuple[str, str], float] = {}
    for idx, x in enumerate(mentions):
        if x.kind in ("nisba", "border"):
            x.chosen = x.cands[0]
            continue
        countries = {e.country for e in x.cands if e.feature == "country"}
        if countries and len(x.cands) > 1 and not any(c.kind in "tk" for c in x.cues):
            # «الكويت», «الجزائر»: the country, not its capital; «الأردن», «لبنان»: not a
            # small namesake abroad
            x.cands = [e for e in x.cands if e.feature == "country" or not e.id.startswith("gn:") or (
                e.country not in countries and e.population >= 100_000)]
        if len(x.cands) == 1:
            x.chosen = x.cands[0]
            continue
        best, best_s = None, -1e9
        for e in x.cands:
            if "ana" in e.flags:
                continue
            s = _score(e, x, ctx, total, hint, anchors, mentions, idx, dists)
            if s > best_s:
                best, best_s = e, s
        x.chosen = best if best is not None else x.cands[0]

    # ---- «الصحراء»: the desert named before
    kept = []
    for idx, x in enumerate(mentions):
        if x.chosen is not None and "ana" in x.chosen.flags:
            ref = None
            for y in reversed(mentions[:idx]):
                if y.kind == "gaz" and y.chosen is not None and not y.cues and \
                        y.chosen.feature == x.chosen.feature and "ana" not in y.chosen.flags:
                    ref = y.chosen
                    break
            if ref is None:
                continue
            x.chosen = ref
        kept.append(x)
    mentions = kept

    # ---- names after strong cues that the gazetteer lacks
    covered = set()
    for x in mentions:
        covered.update(range(x.w0, x.w1))
    for end, c in cue_at.items():
        if not c.strong or end >= len(ws) or end in covered:
            continue
        # the cue word must be indefinite (construct state): «مدينة X», not «المدينة»
        cw = ws[c.w0].text
        if cw.startswith(_DEFINITE):
            continue
        if c.w0 > 0 and ws[c.w0 - 1].text.isdigit():   # «77 قرية»: a count
            continue
        if not _blank(text, ws[end - 1].end, ws[end].start):
            continue
        w = ws[end]
        if not w.text[0].isalpha() or w.text in _NOT_NAME or w.text in _CUE_WORDS or \
                gz.nisba(w.text) or len(w.text) < 2 or (w.text in stop and w.text not in _NAME_HEADS):
            continue
        if not re.match(r"[\u0621-\u064a]", w.text) or not _name_like(nt, ws, end, text):
            continue
        j = end + 1
        if w.text in _NAME_HEADS and j < len(ws) and _blank(text, w.end, ws[j].start) \
                and ws[j].text not in _NOT_NAME and j not in covered:
            j += 1
            if ws[j - 1].text in _NAME_HEADS and j < len(ws) and _blank(text, ws[j - 1].end, ws[j].start) \
                    and ws[j].text not in _NOT_NAME and j not in covered:
                j += 1
        elif w.text in _NAME_HEADS:
            continue
        ns, ne = w.start, ws[j - 1].end
        mt = _Mention(ns, ne, end, j, " ".join(t.text for t in ws[end:j]), [], cues_before(end), "unknown")
        mentions.append(mt)
        covered.update(range(end, j))
    mentions.sort(key=lambda x: x.ns)

    # ---- build the Place records
    out: list[Place] = []
    for x in mentions:
        try:
            place = _place(nt, x)
            district = gz.admin2(place.gazetteer_id) if place.feature != "country" else None
            if district is not None:
                place.admin2, place.admin2_ar = district
            out.append(place)
        except Exception:  # one bad mention never blanks the others
            continue
    return out


def _score(e: Entry, x: _Mention, ctx: Counter, total: int, hint: str | None,
           anchors: list, mentions: list, idx: int, dists: dict) -> float:
    if e.feature == "country":
        s = 4.0 + 0.3 * math.log10(e.population + 1)
    elif e.id.startswith("gn:"):
        s = 0.8 * math.log10(max(e.population, 500))   # cities500: 0 means unknown, not none
    elif e.population:
        s = 0.8 * math.log10(e.population + 1) + 1.0
    else:
        s = 3.0 if e.precision == "region" else 1.5
    if e.feature in ("admin1", "capital"):
        s += 0.5
    cc = e.country
    if cc:
        s += min(3.0, 5.0 * ctx.get(cc, 0) / total)
        if cc == hint:
            s += 3.0
        if x.nisba_cc:
            s += 5.0 if cc == x.nisba_cc else -2.0
    # distance to the unambiguous places of the text
    if e.lat is not None and anchors:
        best = 0.0
        for key, alat, alon, pos in anchors:
            if key == x.key:
                continue
            d = dists.get((e.id, key))
            if d is None:
                d = dists[(e.id, key)] = _haversine(e.lat, e.lon, alat, alon)
            v = 3.0 if d < 30 else 2.5 if d < 100 else 1.5 if d < 200 else 1.0 if d < 300 else 0.0
            if v <= best:
                continue
            i = bisect_left(pos, x.ns - 600)
            if not (i < len(pos) and pos[i] <= x.ns + 600):   # a place far away in the text counts for less
                v *= 0.5
            best = max(best, v)
        s += best
    # what the cue asks for
    for c in x.cues[:2]:
        if c.kind == "x":
            s += 4.0 if e.feature == "crossing" else 0.0
        elif c.kind == "a":
            s += 3.0 if e.feature.startswith("admin") or e.precision == "region" else 0.0
        elif c.kind == "t":
            s += 1.5 if e.feature in ("city", "town", "village", "capital") else 0.0
            s -= 3.0 if e.feature == "country" else 0.0
        elif c.kind == "c":
            s += 5.0 if e.feature == "country" else 0.0
        elif c.kind == "k":
            s += 3.0 if e.feature in ("capital", "city") else 0.0
        elif c.kind == "r":
            s += 2.0 if e.precision == "region" else 0.0
    # coordinated with a country («السعودية والإمارات وعمان»)
    for j in (idx - 1, idx + 1):
        if 0 <= j < len(mentions):
            y = mentions[j]
            if abs((y.w0 if j > idx else y.w1) - (x.w1 if j > idx else x.w0)) <= 1 and len(y.cands) == 1:
                if y.cands[0].feature == "country" and e.feature == "country":
                    s += 2.0
    return s


def _place(nt: NormText, x: _Mention) -> Place:
    a, b = nt.raw_span(x.ns, x.ne)
    raw_text = nt.raw[a:b]
    e = x.chosen
    name = x.name or raw_text
    if e is None:
        prec = "region" if any(c.kind in "ar" for c in x.cues[:1]) else "town"
        if any(c.kind in "nd" for c in x.cues):
            prec = "near"
        return Place(a, b, raw_text, name, None, None, None, prec, None, admin1=None,
                     feature=None)
    lat, lon = e.lat, e.lon
    prec = e.precision
    direction = next((c.direction for c in x.cues if c.kind == "d" and c.direction), None)
    near = any(c.kind == "n" for c in x.cues) or direction is not None
    if near:
        prec = "near" if e.precision == "town" else "region"
    if direction and lat is not None:
        bearing = _BEARING.get(direction)
        if bearing is not None:
            if e.precision == "town":
                km = max(NEAR_OFFSET_MIN_KM, e.radius_km)
            else:
                km = 0.6 * e.radius_km
            lat, lon = _offset(lat, lon, bearing, km)
    return Place(a, b, raw_text, name, lat, lon, e.country, prec, e.id,
                 admin1=admin1_name(e.admin1) if e.feature != "country" else None, feature=e.feature)
