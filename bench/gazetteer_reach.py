"""Gazetteer reach for the towns and villages of the news (issue #12, "Where").

Reads the articles of a doc list (``--docs FILE``: a JSON list of ANT docnos, or one docno
a line) and finds every name written after a place cue word — «بلدة زملكا», «قرية "كفر
بطيخ"», «وبلدتي زملكا وعربين», «قرى أ، ب و ج» — then asks the gazetteer
(``load_gazetteer().lookup``) for it. Prints:

* how many cue-word names there are and how many the gazetteer resolves (occurrences and
  distinct names) — run it before and after a change of the gazetteer to measure it;
* with ``--top N``, the names it does not resolve, ranked by the number of articles naming
  them, with the cue word seen most and one line of context — candidates for
  ``rasd/data/places_supplement.tsv`` (judge each one: many are ordinary words).

A name: a quoted text right after the cue («قرية "كفر بطيخ"»), else up to three words
that are not one of the words that end a name (``not_name``, direction and cue words of
``rasd/data/words.tsv``). It is resolved when its longest prefix the gazetteer knows is a
whole name (a name head such as كفر / تل / دير alone does not count). A cue word with the
article («المدينة», «البلدة») points back to a place named before and is skipped, and so
is one after a number («77 قرية»).

Usage: PYTHONPATH=. RASD_CACHE_DIR=... .venv/bin/python bench/gazetteer_reach.py --docs FILE [--top N] [--context]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasd.events.dataset import ant_path
from rasd.lang.normalize import normalize
from rasd.lang.tokenize import Token, stems, tokens
from rasd.lang.wordlists import words as word_list
from rasd.places.gazetteer import load_gazetteer, name_key

# the recogniser's own cue lists, and the cue words of features it has no list for
_CUE_LISTS = ("place_cues_town_strong", "place_cues_town", "place_cues_area", "place_cues_area_strong",
              "place_cues_crossing_strong")
_EXTRA_CUES = ("قاعدة", "حقل", "جبل", "سد", "أحياء", "مخيمات", "بلدتي", "ناحيتي", "حيي",
               "مطاري", "معابر", "جبال", "قاعدتي", "ضاحية")
# cue words of the recogniser's lists that head other things more often than places here
# («وسط مخاوف», «مركز الدراسات»)
_NOT_CUES = ("وسط", "مركز")
# cues that name more than one place: the names after them are split at «و» and «،»
_PLURAL = ("مدن", "بلدات", "قرى", "مدينتي", "قريتي", "بلدتي", "مناطق", "محافظات", "أحياء", "مخيمات",
           "ناحيتي", "حيي", "مطاري", "معابر", "قاعدتي")
_QUOTES = {'"', "'", "«", "»", "“", "”"}
MAX_WORDS = 3


def _keys(ws) -> set[str]:
    return {name_key(w) for w in ws}


CUES = (_keys(w for lst in _CUE_LISTS for w in word_list(lst, ())) | _keys(_EXTRA_CUES)) - _keys(_NOT_CUES)
PLURAL = _keys(_PLURAL)
STOP = (_keys(word_list("not_name")) | _keys(word_list("direction_nouns")) |
        _keys(word_list("direction_adjectives")) | _keys(word_list("place_cues_near")) | CUES)
HEADS = _keys(word_list("name_heads"))


def _cue(word: str) -> str | None:
    """The cue a word is, proclitics off (و ف ب ل), or None; «المدينة» is not one."""
    for _, form in stems(word):
        if form in CUES and not form.startswith("ال"):
            return form
    return None


def _stop(word: str) -> bool:
    return any(form in STOP for _, form in stems(word))


def _name_at(toks, i: int) -> tuple[list[str], int]:
    """Words of the name starting at token ``i`` and the index after it."""
    if i < len(toks) and toks[i].text in _QUOTES:
        j = i + 1
        out = []
        while j < len(toks) and toks[j].is_word and len(out) < 5:
            out.append(toks[j].text)
            j += 1
        if out and j < len(toks) and toks[j].text in _QUOTES:
            return out, j + 1
        return [], i + 1
    out = []
    j = i
    while j < len(toks) and len(out) < MAX_WORDS and toks[j].is_word and not toks[j].text.isdigit():
        w = toks[j].text
        if _stop(w) or (out and w.startswith("و") and len(w) > 2) or (not out and _cue(w)):
            break
        if not out and (w.startswith(("ي", "سي")) or w.endswith(("ها", "هم", "هما"))):
            break           # a verb or a pronoun («قرية يسيطر», «مدينتها»)
        out.append(w)
        j += 1
    return out, j


def cue_names(raw: str):
    """(cue, name words, normalised context) for every name after a cue word in ``raw``."""
    nt = normalize(raw)
    toks = list(tokens(nt))
    text = nt.text
    for i, t in enumerate(toks):
        if not t.is_word:
            continue
        cue = _cue(t.text)
        if cue is None or (i > 0 and toks[i - 1].text.isdigit()):
            continue
        j = i + 1
        for _ in range(8 if cue in PLURAL else 1):
            name, j = _name_at(toks, j)
            if not name:
                break
            yield cue, name, text[max(0, t.start - 40):toks[j - 1].end + 40].replace("\n", " ")
            # «بلدتي أ وب»: the next name after «و» / «،»
            if j >= len(toks):
                break
            if toks[j].text in ("،", ",", "و"):
                j += 1
            elif not toks[j].text.startswith("و"):
                break
            # «وعربين» → عربين («وادي» stays)
            if j < len(toks) and toks[j].text.startswith("و") and len(toks[j].text) > 3 and \
                    toks[j].text not in HEADS and not _stop(toks[j].text[1:]):
                toks[j] = Token(toks[j].text[1:], toks[j].start + 1, toks[j].end)


def resolve(gz, cue: str, name: list[str]) -> str | None:
    """The longest prefix of ``name`` the gazetteer knows, with its cue word («مطار المزة»,
    «سد الموصل») or without (a name head such as كفر alone does not count)."""
    lo = 2 if name[0] in HEADS and len(name) > 1 else 1
    for n in range(len(name), lo - 1, -1):
        s = " ".join(name[:n])
        for form in (f"{cue} {s}", s):
            if gz.lookup(form):
                return form
    return None


def head(name: list[str]) -> str:
    """What a miss is counted under: its first word (two after a name head: «كفر بطيخ»);
    the words after it are often not the name («مطار المزة العسكري»)."""
    return " ".join(name[:2] if name[0] in HEADS and len(name) > 1 else name[:1])


def read_docs(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8").strip()
    if text.startswith("["):
        return {str(x) for x in json.loads(text)}
    return {line.strip() for line in text.splitlines() if line.strip()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", required=True, help="JSON list of ANT docnos (or one a line)")
    ap.add_argument("--top", type=int, default=0, help="print the N most frequent unresolved names")
    ap.add_argument("--context", action="store_true", help="with --top: one line of context per name")
    ap.add_argument("--min-docs", type=int, default=2, help="with --top: names in at least this many articles")
    a = ap.parse_args(argv)
    try:
        ids = read_docs(Path(a.docs))
    except (OSError, ValueError) as e:
        print(f"Error: cannot read the doc list {a.docs}: {e}", file=sys.stderr)
        return 2
    t0 = time.time()
    gz = load_gazetteer()
    n_docs = 0
    occ = res = 0
    distinct: dict[str, bool] = {}
    miss_docs: dict[str, set[str]] = defaultdict(set)
    miss_cue: dict[str, Counter] = defaultdict(Counter)
    miss_ctx: dict[str, str] = {}
    miss_forms: dict[str, Counter] = defaultdict(Counter)
    with open(ant_path(), encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            if d.get("docno") not in ids:
                continue
            n_docs += 1
            for cue, name, ctx in cue_names(d.get("text") or ""):
                occ += 1
                key = " ".join(name)
                hit = resolve(gz, cue, name)
                if hit is not None:
                    res += 1
                    distinct[key] = True
                else:
                    distinct.setdefault(key, False)
                    h = head(name)
                    miss_docs[h].add(d["docno"])
                    miss_cue[h][cue] += 1
                    miss_forms[h][key] += 1
                    miss_ctx.setdefault(h, ctx)
    if n_docs == 0:
        print(f"Error: none of the {len(ids)} docnos of {a.docs} is in {ant_path()}", file=sys.stderr)
        return 2
    nd = len(distinct)
    nr = sum(distinct.values())
    print(f"articles {n_docs} (of {len(ids)} listed), gazetteer {gz.path.name if gz.path else '-'}")
    print(f"cue-word names: {occ} occurrences, resolved {res} ({res / max(occ, 1):.3f}); "
          f"distinct {nd}, resolved {nr} ({nr / max(nd, 1):.3f})")
    if a.top:
        ranked = sorted(miss_docs, key=lambda k: (-len(miss_docs[k]), k))
        ranked = [k for k in ranked if len(miss_docs[k]) >= a.min_docs][:a.top]
        print(f"\nunresolved names in >= {a.min_docs} articles (top {len(ranked)}): "
              "docs  cue  name  [most common form as written after the cue]")
        for k in ranked:
            cue = miss_cue[k].most_common(1)[0][0]
            form = miss_forms[k].most_common(1)[0][0]
            line = f"{len(miss_docs[k]):4d}  {cue:8s} {k}" + (f"  [{form}]" if form != k else "")
            if a.context:
                line += f"    | {miss_ctx[k]}"
            print(line)
    print(f"({time.time() - t0:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
