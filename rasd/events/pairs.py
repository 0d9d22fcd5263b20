"""Two claims from different documents: the same happening? (issue #13, claim groups
across outlets).

:func:`cross_features` reads two exported event dicts (the export contract: what the
store keeps in ``events.data``) and gives named features — same kind, the parties, how
far apart their places are, the days between them, the words they share. A logistic
regression over them (``pairs.json``: weights learned from the train split of
``labels/pairs/ant.pairs.jsonl`` by ``bench/train_pairs.py``) gives the probability that
both tell one happening; :func:`same_happening` applies it. Only the stdlib at run time.
"""
from __future__ import annotations

import json
import math
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..lang.normalize import norm_key
from ..records import main_place as _main_place

WEIGHTS = Path(__file__).with_name("pairs.json")
PRECISE = ("town", "near")


def main_place(e: dict) -> dict | None:
    return _main_place(e.get("places"))


def first_located(e: dict) -> dict | None:
    """The first place with coordinates (the store's lat/lon columns)."""
    return next((p for p in e.get("places") or () if p.get("lat") is not None), None)


def km(a: dict, b: dict) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _words(e: dict) -> frozenset[str]:
    texts = [(e.get("evidence") or {}).get("text") or ""]
    texts += [m.get("text") or "" for m in e.get("mentions") or ()]
    return _text_words(" ".join(texts))


@lru_cache(maxsize=8192)
def _text_words(text: str) -> frozenset[str]:
    """The normalised words of ``text`` longer than two letters (a claim's words, read
    again for every pair it is in: memoised)."""
    return frozenset(w for w in norm_key(text).split() if len(w) > 2)


_key = lru_cache(maxsize=16384)(norm_key)   # trigger words and source names repeat across pairs


def _trigger_word(e: dict) -> str:
    ev, tr = e.get("evidence") or {}, e.get("trigger")
    if not tr or not ev.get("text") or not (ev["start"] <= tr["start"] <= tr["end"] <= ev["end"]):
        return ""
    return _key(ev["text"][tr["start"] - ev["start"]:tr["end"] - ev["start"]])


def _bucket(x: float, edges: tuple) -> str:
    for e in edges:
        if x <= e:
            return f"<={e}"
    return f">{edges[-1]}"


def _rel(x, y) -> str:
    return "none" if not x and not y else "one" if not (x and y) else "same" if x == y else "differ"


def _side(e: dict) -> tuple:
    """What :func:`cross_features` reads of one claim, read once (a new claim is paired
    with up to 200 stored ones)."""
    sources = {_key(x["name"]) for x in e.get("sources") or () if x.get("name") not in (None, "?")}
    return (e.get("sub_type"), e.get("actor"), e.get("actor2"),
            {x for x in (e.get("actor"), e.get("actor2")) if x}, main_place(e), e.get("date"),
            e.get("stance") == "deny", _trigger_word(e), _words(e), sources,
            (e.get("count") or {}).get("value"), e.get("fatalities"))


def cross_features(a: dict, b: dict) -> list[str]:
    """Named features of two claims (exported dicts) of one type from different documents."""
    return _cross(_side(a), _side(b))


def _cross(a: tuple, b: tuple) -> list[str]:
    sub_a, actor_a, actor2_a, pa, ma, date_a, deny_a, wa, ta, sa, ca, fa = a
    sub_b, actor_b, actor2_b, pb, mb, date_b, deny_b, wb, tb, sb, cb, fb = b
    f = ["bias", "same_sub=" + str(sub_a == sub_b)]
    if sub_a == sub_b:
        f.append("sub=" + str(sub_a))
    f.append("actor=" + _rel(actor_a, actor_b))
    f.append("actor2=" + _rel(actor2_a, actor2_b))
    f.append("parties=" + ("none" if not pa or not pb else "share" if pa & pb else "differ"))
    if ma and mb:
        d = km(ma, mb)
        f.append("km=" + _bucket(d, (1, 15, 40, 100)))
        precise = (ma.get("precision") in PRECISE) + (mb.get("precision") in PRECISE)
        f.append(f"precise={precise}")
        if precise == 2:
            f.append("towns_km=" + _bucket(d, (1, 15)))
        f.append("admin1=" + ("same" if ma.get("admin1") and ma.get("admin1") == mb.get("admin1")
                              else "none" if not ma.get("admin1") or not mb.get("admin1") else "differ"))
    else:
        f.append("km=unknown")
    if date_a and date_b:
        gap = abs((date.fromisoformat(date_a[:10]) - date.fromisoformat(date_b[:10])).days)
        f.append("days=" + _bucket(gap, (0, 1, 2)))
    else:
        f.append("days=unknown")
    f.append("deny=" + str(deny_a + deny_b))
    f.append("same_word=" + str(bool(wa) and wa == wb))
    j = len(ta & tb) / max(1, len(ta | tb))
    f.append("overlap=" + _bucket(j, (0.05, 0.1, 0.2, 0.35)))
    f.append("sources=" + ("none" if not sa or not sb else "share" if sa & sb else "differ"))
    if ca is not None and cb is not None:
        f.append("count=" + ("same" if ca == cb else "differ"))
    if fa is not None and fb is not None:
        f.append("fat=" + ("same" if fa == fb else "differ"))
    return f


@lru_cache(maxsize=1)
def _weights() -> tuple[dict[str, float], float]:
    data = json.loads(WEIGHTS.read_text("utf-8"))
    return data["weights"], float(data["threshold"])


def threshold() -> float:
    return _weights()[1]


def probability(a: dict, b: dict) -> float:
    return _probability(_side(a), _side(b))


def _probability(a: tuple, b: tuple) -> float:
    w, _ = _weights()
    z = sum(w.get(f, 0.0) for f in _cross(a, b))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def probabilities(mine: dict, others: list[dict]) -> list[float]:
    """``[probability(mine, o) for o in others]``, ``mine`` read once and each of ``others``
    read once while it is kept (the stored claims come back for many new ones: they are
    shared and read-only, :meth:`rasd.store.Store.claim_candidates`)."""
    a = _side(mine)
    return [_probability(a, _side_of(o)) for o in others]


_SIDES: dict[int, tuple[dict, tuple]] = {}   # id → (the claim, kept so that its id stays its own; its side)


def _side_of(e: dict) -> tuple:
    got = _SIDES.get(id(e))
    if got is None or got[0] is not e:
        if len(_SIDES) >= 8192:
            _SIDES.clear()
        got = _SIDES[id(e)] = (e, _side(e))
    return got[1]


def same_happening(a: dict, b: dict) -> bool:
    return a.get("type") == b.get("type") and probability(a, b) >= threshold()
