"""Text queries: Arabic-normalised words, found with SQLite FTS5 and marked in the text.

A query is folded like the stored text (``rasd.lang.normalize.norm_key``: diacritics and
tatweel removed, أ/إ/آ → ا, ى → ي, ة → ه, Arabic-Indic digits → ASCII), then read as:

* words: every word must occur in the article (AND), as a whole word that may carry
  proclitics (و ف ب ل ك س, the article ال and their combinations: «الرمادي» also
  finds «والرمادي» and «للرمادي»);
* ``"a phrase"`` (or «a phrase»): the words next to each other;
* ``word*``: any word that starts with it (suffixes: «قافل*» finds «قافلتهم»).

The articles table's full-text index (``articles_fts``, over the normalised bodies) finds
the articles (each word's variants cut down to the forms the index holds); the same
reading over each block's normalised text finds the words to mark, and the
normalisation's offset map takes them back to the text as written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lang.normalize import _COMPAT_RE, DELETED, norm_key, normalize
from .errors import bad
from .limits import MAX_QUERY_CHARS, MAX_QUERY_WORDS, MAX_TERMS
from .text import Block

# proclitics a word may carry in front (normalised forms)
_PROCLITICS = ("و", "ف", "ب", "ل", "ك", "س", "وب", "ول", "وك", "وس", "فب", "فل", "فس", "فك")
# the article with what may come before it; ل + ال is written لل
_ARTICLE = ("ال", "وال", "فال", "بال", "كال", "وبال", "وكال", "فبال", "لل", "ولل", "فلل")
_WORD_RE = re.compile(r"[^\W_]+")


def _is_word(ch: str) -> bool:
    return ch.isalnum()


@dataclass(slots=True, frozen=True)
class Term:
    words: tuple[str, ...]          # normalised words (more than one: a phrase)
    prefix: bool = False            # the last word may go on (word*)
    forms: tuple[str, ...] | None = None  # the variants the index holds (None: not looked up)

    def _core(self) -> tuple[str, tuple[str, ...]]:
        """The first word without its article, and the proclitics it may be written with."""
        w = self.words[0]
        if w.startswith("ال") and len(w) > 3:
            return w[2:], _ARTICLE
        return w, ("",) + _PROCLITICS + _ARTICLE

    def variants(self) -> list[str]:
        """The first word with every proclitic it may carry."""
        core, prefixes = self._core()
        return [p + core for p in prefixes]

    def fts(self) -> str:
        rest = " ".join(self.words[1:])
        star = " *" if self.prefix else ""
        alts = []
        for v in (self.forms if self.forms else self.variants()):
            phrase = f"{v} {rest}" if rest else v
            alts.append('"' + phrase.replace('"', '""') + '"' + star)
        return "(" + " OR ".join(alts) + ")"

    def find(self, text: str):
        """``(start, end)`` of every word (or phrase) of normalised ``text`` that the term
        matches, proclitics included."""
        core, prefixes = self._core()
        rx = _compiled(re.escape(core) + "".join(r"[\W_]+" + re.escape(w) for w in self.words[1:])
                       + (r"[^\W_]*" if self.prefix else ""))
        n = len(text)
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            ws = s
            while ws > 0 and _is_word(text[ws - 1]):
                ws -= 1
            if text[ws:s] not in prefixes or (e < n and _is_word(text[e])):
                continue
            yield ws, e


@dataclass(slots=True, frozen=True)
class Query:
    text: str
    terms: tuple[Term, ...]

    def fts(self) -> str:
        return " AND ".join(t.fts() for t in self.terms)

    def matches(self, text: str) -> bool:
        """Every term occurs in normalised ``text``."""
        return all(next(t.find(text), None) is not None for t in self.terms)

    def as_dict(self) -> dict:
        return {"q": self.text, "terms": [" ".join(t.words) + ("*" if t.prefix else "") for t in self.terms]}


def parse_query(q: str | None, param: str = "q") -> Query:
    if q is None or not q.strip():
        raise bad(param, "is empty: give one or more words to search for")
    if len(q) > MAX_QUERY_CHARS:
        raise bad(param, f"is {len(q)} characters long; at most {MAX_QUERY_CHARS}")
    folded = norm_key(q)
    terms: list[Term] = []
    for phrase in re.findall(r'"([^"]*)"', folded):
        words = tuple(_WORD_RE.findall(phrase))
        if words:
            terms.append(Term(words))
    rest = re.sub(r'"[^"]*"', " ", folded).replace('"', " ")
    for chunk in rest.split():
        words = tuple(_WORD_RE.findall(chunk))
        if words:
            terms.append(Term(words, prefix=chunk.endswith("*")))
    if not terms:
        raise bad(param, f"has no words to search for (got {q!r})")
    if len(terms) > MAX_TERMS:
        raise bad(param, f"has {len(terms)} words and phrases; at most {MAX_TERMS}")
    n_words = sum(len(t.words) for t in terms)
    if n_words > MAX_QUERY_WORDS:
        raise bad(param, f"has {n_words} words (phrases' words counted); at most {MAX_QUERY_WORDS}")
    return Query(q, tuple(dict.fromkeys(terms)))


def in_index(conn, query: Query) -> Query:
    """The query with each word's variants cut down to the forms the full-text index holds
    (a handful instead of two dozen: ranking gets much cheaper)."""
    terms = []
    for t in query.terms:
        if t.prefix and len(t.words) == 1:
            terms.append(t)
            continue
        v = t.variants()
        found = {r[0] for r in conn.execute(
            f"SELECT term FROM articles_fts_vocab WHERE term IN ({','.join('?' * len(v))})", v)}
        terms.append(Term(t.words, t.prefix, tuple(x for x in v if x in found) or (t.words[0],)))
    return Query(query.text, tuple(terms))


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@lru_cache(maxsize=64)
def _parsed(q: str) -> Query:
    return parse_query(q)


@lru_cache(maxsize=1)
def _folds_to() -> dict[str, str]:
    """For each normalised character, a regex class of the characters that fold to it."""
    chars = [chr(c) for r in ((0x20, 0x250), (0x600, 0x700), (0x2000, 0x2070)) for c in range(*r)]
    inverse: dict[str, set[str]] = {}
    for ch in chars:
        n = norm_key(ch)
        if len(n) == 1:
            inverse.setdefault(n, {n}).add(ch)
    return {k: "[" + "".join(re.escape(c) for c in sorted(v)) + "]" for k, v in inverse.items()}


def _raw_word(w: str) -> str:
    folds = _folds_to()
    marks = "[" + re.escape(DELETED) + "]*"
    return marks.join(folds.get(c, re.escape(c)) for c in w)


@lru_cache(maxsize=256)
def _raw_pattern(term: Term) -> re.Pattern:
    """A pattern that raw text matches whenever its normalised copy holds the term's core
    (a quick test before normalising: letters as any of their raw forms, marks between)."""
    core, _ = term._core()
    return re.compile(_raw_word(core) + "".join(r"[\W_]+" + _raw_word(w) for w in term.words[1:]))


@lru_cache(maxsize=64)
def _raw_substring(needle: str) -> re.Pattern:
    return re.compile(r"[\W_]+".join(_raw_word(w) for w in needle.split()))


def contains(name: str | None, needle: str) -> bool:
    """SQL function ``rasd_contains(name, needle)``: normalised ``name`` contains
    ``needle`` (already normalised)."""
    if not name:
        return False
    if not _COMPAT_RE.search(name) and not _raw_substring(needle).search(name):
        return False
    return needle in norm_key(name)


def match_all(text: str | None, q: str) -> bool:
    """SQL function ``rasd_match(text, q)``: every word or phrase of the query ``q``
    occurs in ``text`` (both normalised)."""
    if not text:
        return False
    query = _parsed(q)
    if not _COMPAT_RE.search(text) and not all(_raw_pattern(t).search(text) for t in query.terms):
        return False                # (a quick test on the raw text first)
    return query.matches(norm_key(text))


def mark(blocks: list[Block], query: Query, folded: list[str | None] | None = None,
         max_blocks: int | None = None) -> list[dict]:
    """Highlights of the query's words in the blocks (kind ``hit``), in text order.

    ``folded``: the blocks' normalised text where it is at hand (the stored
    ``articles.norm_text`` has one line per paragraph): blocks without a match are skipped
    without normalising them again. ``max_blocks``: stop after this many blocks with a
    match (snippets)."""
    out = []
    seen = 0
    for i, b in enumerate(blocks):
        if max_blocks is not None and seen >= max_blocks:
            break
        if folded is not None and folded[i] is not None and not any(
                next(t.find(folded[i]), None) is not None for t in query.terms):
            continue
        n = len(out)
        nt = normalize(b.text)
        spans = sorted({span for t in query.terms for span in t.find(nt.text)})
        last = -1
        for s, e in spans:
            if s < last:                # overlapping terms: keep the first
                continue
            a, z = nt.raw_span(s, e)
            out.append(b.highlight(a, z, "hit"))
            last = e
        seen += len(out) > n
    return out


def count_hits(folded: list[str], query: Query) -> int:
    """How many words and phrases of the query the normalised lines hold."""
    return sum(1 for line in folded for t in query.terms for _ in t.find(line))
