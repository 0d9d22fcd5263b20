"""Features of a candidate for the learned decision (:mod:`.decision`).

Strings, hashed by the model. What they describe:

* the rules' own view: each cue that would veto the candidate (modality class, purpose,
  anaphor, a missing argument ...), the frame, type and sub-type, a candidate made of
  killing words alone;
* the trigger's form: its normalised word, definite «ال», a «و»/«ب»/«ل» proclitic, an
  imperfective prefix, a pronoun suffix, character n-grams;
* the words around it: the three before and after one by one, bags of six each side,
  the sentence's words and word pairs (tense and aspect markers such as «كان», «قد»,
  «منذ», «ما زال», «الدائرة», the reporting verb, quotation);
* the arguments found: a doer, one acted on, places and their precision, a count,
  fatalities, a date and how long before publication it lies, sources and stance;
* the discourse: position of the sentence in the article, how many candidates of the
  same kind came before in the article and in the sentence;
* a document of one sentence (a wire line, a headline, a GSR sentence: no article around
  the mention) has every feature twice, the copy under ``1s:``, so that its weights may
  differ from an article's (domain adaptation by copying features, Daumé 2007; measured in
  bench/exp_decision.md, "All rounds' labels").

Measured and NOT in the shipped feature set (bench/exp_decision.py, issue #11 notes):
cue words around the trigger by kind and distance (:func:`cue_word_features`, the
``feat_*`` lists of ``rasd/data/words.tsv``): no clear gain on dev and GSR cross-validation.
"""
from __future__ import annotations

import re
from datetime import date

from ..lang.normalize import norm_key
from ..lang.wordlists import word_lists
from ..records import Event, Span

_WORD = re.compile(r"[^\W\d_]+|\d+")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _days_before(published: str | None, d: str | None) -> int | None:
    if not published or not d or not _DAY.match(published) or not _DAY.match(d):
        return None
    try:
        return (date.fromisoformat(published[:10]) - date.fromisoformat(d[:10])).days
    except ValueError:
        return None


_CUE_KINDS: dict[str, frozenset[str]] | None = None


def cue_kinds() -> dict[str, frozenset[str]]:
    """The ``feat_<kind>`` word lists, normalised: kind → words."""
    global _CUE_KINDS
    if _CUE_KINDS is None:
        _CUE_KINDS = {k[5:]: frozenset(norm_key(w) for w in v) for k, v in word_lists().items()
                      if k.startswith("feat_")}
    return _CUE_KINDS


def _cue_in(w: str, ws: frozenset[str]) -> bool:
    return w in ws or (len(w) > 3 and w[0] in "وفبل" and w[1:] in ws)


def cue_word_features(before: list[str], after: list[str]) -> list[str]:
    """``cw=<kind>|<side><distance>`` for each cue word of the sentence before (``b``) or
    after (``a``) the trigger, 1-3 words away, 4-8, or further (``far``)."""
    out = []
    for kind, ws in cue_kinds().items():
        for k, w in enumerate(reversed(before), 1):
            if _cue_in(w, ws):
                out.append(f"cw={kind}|b" + ("3" if k <= 3 else "8" if k <= 8 else "far"))
        for k, w in enumerate(after, 1):
            if _cue_in(w, ws):
                out.append(f"cw={kind}|a" + ("3" if k <= 3 else "8" if k <= 8 else "far"))
    return out


def bucket(n: int, edges=(0, 1, 2, 4, 8)) -> str:
    """``n`` as the first edge it does not exceed (a feature value), or ``>last``."""
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


def sentence_features(ctx, sent: Span) -> list[str]:
    """Features of the sentence (shared by its candidates; cached on the context)."""
    cache = ctx.sentence_features
    got = cache.get(sent.start)
    if got is not None:
        return got
    nt = ctx.an.nt
    if nt._full is None and ctx.doc.kind != "html":
        # the working copy holds the sentence already folded (a text page's paragraphs are
        # raw there, and without NFKC characters folding is character by character): the
        # same words as norm_key of the raw sentence (white space is no part of a word)
        words = _WORD.findall(ctx.norm, nt.norm_index(sent.start), nt.norm_index(sent.end))
    else:
        words = _WORD.findall(norm_key(ctx.raw[sent.start:sent.end]))
    out = ["sw=" + w for w in words]
    out += ["sb=" + a + "_" + b for a, b in zip(words, words[1:])]
    i = next((k for k, s in enumerate(ctx.sents) if s.start == sent.start), 0)
    out.append("sent_pos=" + bucket(i, (0, 1, 3, 7, 15)))
    out.append("sent_len=" + bucket(len(words), (8, 15, 25, 40, 60)))
    raw = ctx.raw[sent.start:sent.end]
    if raw.count('"') + raw.count("«") >= 2:
        out.append("quoted_sentence")
    for d in ctx.an.dates:
        if sent.start <= d.start < sent.end and d.date:
            back = _days_before(ctx.doc.published, d.date)
            if back is not None:
                out.append("sdate_back=" + bucket(back, (-1, 1, 3, 7, 31, 365)))
            if d.precision == "year":
                out.append("sdate_year")
    if len(ctx.sents) == 1:
        out += [ONE_SENTENCE + x for x in out]
    cache[sent.start] = out
    return out


ONE_SENTENCE = "1s:"      # the copy of a feature of a one-sentence document


def candidate_features(ctx, sent: Span, e: Event, cands: list[Event], *, with_sentence: bool = True) -> list[str]:
    """The features of candidate ``e`` of sentence ``sent`` (``cands``: all of its candidates);
    without ``with_sentence``, those of the candidate alone (the sentence's own
    features, :func:`sentence_features`, never share a name with them)."""
    f = ["bias_type=" + e.type, "sub=" + (e.sub_type or "-"), "kill_only=" + str(e.kill_only)]
    f += ["cue=" + c for c in e.cues] or ["nocue"]
    f += ["cue_type=" + c + "|" + e.type for c in e.cues]
    t = e.trigger or e.evidence
    tw = norm_key(ctx.raw[t.start:t.end])
    f.append("tw=" + tw)
    f.append("tw_type=" + tw + "|" + e.type)
    first = tw.split()[0] if tw else ""
    if first.startswith(("ال", "وال", "بال", "لل", "فال")):
        f.append("tw_def")
    if first[:1] in ("و", "ف"):
        f.append("tw_conj")
    if first[:1] in ("ي", "ت", "ن") and not first.startswith(("تم", "ت ")):
        f.append("tw_imperf")
    raw_first = ctx.raw[t.start:t.end].split()[:1]
    if raw_first and raw_first[0].rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652").endswith(
            ("ه", "ها", "هم", "هما")):
        f.append("tw_suffix")          # a pronoun suffix (not a ta marbuta, which normalises to ه)
    padded = f"#{first}#"
    f += ["tc=" + padded[i:i + 3] for i in range(len(padded) - 2)]
    nt = ctx.an.nt
    a, b = nt.norm_index(t.start), nt.norm_index(t.end)
    s0, s1 = nt.norm_index(sent.start), nt.norm_index(sent.end)
    before = _WORD.findall(ctx.norm[max(s0, a - 80):a])[-6:]
    after = _WORD.findall(ctx.norm[b:min(s1, b + 80)])[:6]
    for k, w in enumerate(reversed(before[-3:]), 1):
        f.append(f"p{k}={w}")
    for k, w in enumerate(after[:3], 1):
        f.append(f"n{k}={w}")
    f += ["pb=" + w for w in before] + ["nb=" + w for w in after]
    if before:
        f.append("p1_tw=" + before[-1] + "|" + first)
    quotes = ctx.raw[sent.start:t.start].count('"') + ctx.raw[sent.start:t.start].count("«")
    if quotes % 2:
        f.append("in_quote")
    # arguments
    f.append("actor=" + ("yes" if e.actor else "no"))
    f.append("actor2=" + ("yes" if e.actor2 else "no"))
    if e.actor:
        f.append("actor_key=" + e.actor)
    precs = {p.precision for p in e.places if p.lat is not None}
    f.append("places=" + bucket(len(e.places), (0, 1, 2)))
    f += ["place_prec=" + (p or "-") for p in precs] or ["place_prec=none"]
    f.append("count=" + ("yes" if e.count else "no"))
    if e.count is not None and e.count.value:
        f.append("count_size=" + bucket(int(min(e.count.value, 10 ** 7)), (1, 10, 100, 1000, 10000)))
    if e.fatalities is not None:
        f.append("fat=" + bucket(e.fatalities, (0, 1, 10, 100, 1000)))
    f.append("date=" + (e.date_precision if e.date else "none"))
    back = _days_before(ctx.doc.published, e.date)
    if back is not None:
        f.append("date_back=" + bucket(back, (-1, 1, 3, 7, 31, 365)))
    f.append("source=" + ("yes" if e.sources else "no"))
    f.append("stance=" + e.stance)
    # discourse
    # (ctx.proposed holds the candidates of the sentences before this one: all earlier)
    same_before = ctx.proposed_types.get(e.type, 0)
    f.append("prev_same=" + bucket(same_before, (0, 1, 3)))
    f.append("sent_same=" + bucket(sum(1 for o in cands if o.type == e.type) - 1, (0, 1)))
    f.append("sent_cands=" + bucket(len(cands), (1, 2, 4)))
    if len(ctx.sents) == 1:
        f += [ONE_SENTENCE + x for x in f]
    if with_sentence:
        f += sentence_features(ctx, sent)
    return f
