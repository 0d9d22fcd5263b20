"""Grouping: one claim per happening within an article, claim groups across documents.

Within an article, a happening is often told several times: the lead, then the details,
a toll update («وأوضح المرصد أن 23 مسلحا قتلوا»), «الهجوم» referring back. The learned
``fold`` model (:mod:`.model`, trained on the labellers' ``repeat_of`` links) says
whether a later kept event tells the same happening as an earlier one; a repeat joins
the first telling — its words are added to the event's ``mentions``, a larger count or
toll replaces the smaller one — and no new event is stored. The same happening in the
words of another named source is a claim of its own (one event per happening, per
source, per article: the export contract) and joins the first telling's claim group; a
denial is never folded.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from ..lang.normalize import norm_key
from ..lang.speakers import source_key
from ..lang.wordlists import word_set
from ..records import Event, Span
from .attribution import mark_denied
from .features import bucket
from .pairs import km

_DEF_ANAPHOR = re.compile(r"(^|\s)(هذا|هذه|ذلك|تلك)\s*$")


def pair_features(a: Event, b: Event, raw: str, sent_index: dict[int, int]) -> list[str]:
    """Does ``b`` (told later) tell the same happening as ``a``? What the fold model reads."""
    f = [f"types={a.type}|{b.type}", "same_type=" + str(a.type == b.type),
         "same_sub=" + str(a.sub_type == b.sub_type)]
    sa = sent_index.get(a.sentence.start if a.sentence else -1, -1)
    sb = sent_index.get(b.sentence.start if b.sentence else -1, -1)
    f.append("sent_gap=" + bucket(max(0, sb - sa), (0, 1, 2, 4, 8)))
    for name, x, y in (("actor", a.actor, b.actor), ("actor2", a.actor2, b.actor2)):
        f.append(f"{name}=" + ("both_none" if not x and not y else "one" if not (x and y)
                               else "same" if x == y else "differ"))
    pa = {p.gazetteer_id or norm_key(p.name) for p in a.places}
    pb = {p.gazetteer_id or norm_key(p.name) for p in b.places}
    f.append("places=" + ("none" if not pa or not pb else "share" if pa & pb else "differ"))
    ta = {p.gazetteer_id for p in a.places if p.precision in ("town", "near") and p.gazetteer_id}
    tb = {p.gazetteer_id for p in b.places if p.precision in ("town", "near") and p.gazetteer_id}
    if ta and tb:
        f.append("towns=" + ("share" if ta & tb else "differ"))
    ca = a.count.value if a.count and a.count.value else None
    cb = b.count.value if b.count and b.count.value else None
    f.append("count=" + ("none" if ca is None or cb is None else "same" if ca == cb else "b_more" if cb > ca
                         else "b_less"))
    fa, fb = a.fatalities, b.fatalities
    f.append("fat=" + ("none" if fa is None or fb is None else "same" if fa == fb else "b_more" if fb > fa
                       else "b_less"))
    f.append("date=" + ("none" if not a.date or not b.date else "same" if a.date[:10] == b.date[:10] else "differ"))
    na = {s.name for s in a.sources}
    nb = {s.name for s in b.sources}
    f.append("sources=" + ("none" if not na and not nb else "one" if not (na and nb)
                           else "same" if na & nb else "differ"))
    wa = norm_key(raw[a.trigger.start:a.trigger.end]) if a.trigger else ""
    wb = norm_key(raw[b.trigger.start:b.trigger.end]) if b.trigger else ""
    f.append("same_word=" + str(wa == wb))
    f.append("b_word=" + wb)
    f.append("b_def=" + str(wb.startswith(("ال", "وال", "بال", "لل"))))
    if b.trigger is not None and _DEF_ANAPHOR.search(norm_key(raw[max(0, b.trigger.start - 10):b.trigger.start])):
        f.append("b_anaphor")
    f.append("b_kill_only=" + str(b.kill_only))
    f.append("a_first_sentence=" + str(sa == 0))
    f.append("type_gap=" + a.type + "|" + bucket(max(0, sb - sa), (0, 1, 3)))
    return f


def _fold_into(first: Event, rep: Event) -> None:
    """``rep`` tells ``first`` again: its words join the event, a larger toll or count
    replaces the smaller one, its sources are added."""
    first.mentions.append({"start": rep.evidence.start, "end": rep.evidence.end, "text": rep.evidence_text})
    if rep.fatalities is not None and (first.fatalities is None or rep.fatalities > first.fatalities):
        first.fatalities = rep.fatalities
    if rep.count is not None and rep.count.value is not None and (
            first.count is None or first.count.value is None or rep.count.value > first.count.value):
        first.count = rep.count
    names = {s.name for s in first.sources}
    first.sources.extend(s for s in rep.sources if s.name not in names)
    _take_places(first, rep)
    first.actor = first.actor or rep.actor
    if first.actor2 is None and rep.actor2 != first.actor:
        first.actor2 = rep.actor2
    if first.date is None and rep.date is not None:
        first.date, first.date_precision = rep.date, rep.date_precision


def _shipped_fold():
    from .model import has_model, load_model
    return load_model("fold") if has_model("fold") else None


FOLD_WINDOW = 12    # a telling is compared with the 12 events kept before it (an ANT article keeps at most 8)


def fold_repeats(events: list[Event], raw: str, sents: list[Span], model=None,
                 denied: Callable[[Event], bool] | None = None,
                 chemical: Callable[[Event], bool] | None = None) -> list[Event]:
    """Fold the later tellings of a happening into its first telling (see the module). A
    later telling that says the happening did not take place (``denied``: «لم يقع هجوم
    كيميائي», «ما يتردد عن هجوم … مجرد خدعة») is not a repeat but the denial of it: it is
    kept as a claim of its own, with stance ``deny``, in the claim group of the first. A
    telling of a chemical attack (``chemical``) and one of another kind never fold into each
    other («ضربات ... ردا على هجوم كيماوي على دوما», «هجوم بغاز الكلور ... وشنت طائرات غارات»:
    two happenings, as :func:`kinds_apart` keeps them across outlets)."""
    if model is None:
        model = _shipped_fold()
        if model is None:
            return events
    sent_index = {s.start: i for i, s in enumerate(sents)}
    out: list[Event] = []
    told_chemical: dict[int, bool] = {}    # each telling's words read once (``chemical``)
    for e in events:
        if e.trigger is None or e.stance == "deny":
            out.append(e)
            continue
        best, best_p = None, model.threshold
        chem = chemical is not None and chemical(e)
        # a denial of a happening far from the one told before answers another one
        denial = denied is not None and any(
            p.lat is not None and p.precision != "country" for p in e.places) and denied(e)
        if chemical is not None:
            told_chemical[id(e)] = chem
        for o in out[-FOLD_WINDOW:]:
            if o.trigger is None or o.stance == "deny":
                continue
            if chemical is not None and told_chemical.get(id(o), False) != chem:
                continue      # a chemical attack is not the strikes told with it (:func:`kinds_apart`)
            if denial and places_apart(o, e):
                continue      # «ضربات روسيا في الغوطة الشرقية» denied: not the shelling of Afrin
            p = model.probability(pair_features(o, e, raw, sent_index))
            if p >= best_p:
                best, best_p = o, p
        if best is None:
            out.append(e)
        elif kinds_apart(best.sub_type, e.sub_type) and (denied is not None and denied(e) or two_sources(best, e)):
            # a claim of its own about another happening (a chemical attack after the air
            # strikes, told by another source; a denial of air strikes after a chemical attack)
            out.append(e)
        elif denied is not None and denied(e):
            mark_denied(e, best)
            e.same_as = best.same_as or best.id
            out.append(e)
        elif denied is not None and denied(best):
            # the denial was told first and this is the claim it answers («قالت وزارة الدفاع
            # الروسية إنها لم تنفذ أي غارات ...», then «ويأتي النفي الروسي عقب إعلان المرصد أن
            # غارات ... أوقعت 44 قتيلا»): a claim of its own, in the denial's group, not a
            # telling of the denial (its stance is settled after the fold); the denial takes
            # the town it names, as it would have from a telling folded into it
            e.same_as = best.same_as or best.id
            _take_places(best, e, ahead=True)
            out.append(e)
        elif two_sources(best, e):
            # the same happening in another named source's words: a claim of its own
            # (the export contract), in the claim group of the first telling
            e.same_as = best.same_as or best.id
            out.append(e)
        elif _surer(e, best):
            # the later telling is the one the decision is surer of: it stands for the
            # happening, the first one's words join it («المظاهرات المطردة» then «انطلقت
            # صباح السبت مظاهرة جديدة»: the dated, placed telling is the happening)
            e.same_as = best.same_as
            out[next(i for i, o in enumerate(out) if o is best)] = e
            for o in out:
                if o.same_as == best.id:
                    o.same_as = e.id      # the claims told in its group follow it
            _fold_into(e, best)
        else:
            _fold_into(best, e)
    return out


SURER_BY = 0.2
"""A later telling stands for the happening instead of the first when the decision's
confidence in it is higher by this much (chosen on round-1 train: margins 0, 0.2, 0.4 give
strict F1 0.812, 0.815, 0.814; the first telling always, 0.811)."""


def _surer(later: Event, first: Event) -> bool:
    return later.confidence is not None and first.confidence is not None and \
        later.confidence > first.confidence + SURER_BY


def _take_places(first: Event, other: Event, *, ahead: bool = False) -> None:
    """``first``, placed no finer than a region, takes the places ``other`` tells of the
    same happening (``ahead``: before its own, so that the finer one is its main place)."""
    have = {(p.start, p.role) for p in first.places}
    if not any(p.lat is not None and p.precision in ("town", "near") for p in first.places):
        more = [p for p in other.places if (p.start, p.role) not in have]
        at = 0 if ahead else len(first.places)
        first.places[at:at] = more


def two_sources(a: Event, b: Event) -> bool:
    """Both claims name their sources, and no source is common: two claims. One source's
    names are one source (:func:`rasd.lang.speakers.source_key`: «سانا», «وكالة الأنباء
    السورية الرسمية»), and a name is the same source as a longer name it begins («المرصد
    السوري» and «المرصد السوري لحقوق الإنسان», «مرصد السوري ...»): two words at least, the
    article «ال» aside. An unknown denier («?») names no source. Two sources of one party
    («الحكومة العراقية», its spokesman) are two claims, as the seed pages' gold has them."""
    na, nb = {s.name for s in a.sources} - {"?"}, {s.name for s in b.sources} - {"?"}
    if not (na and nb) or na & nb or {source_key(n) for n in na} & {source_key(n) for n in nb}:
        return False
    ka, kb = [_name_words(n) for n in na], [_name_words(n) for n in nb]
    return not any(_same_source(x, y) for x in ka for y in kb)


def _name_words(name: str) -> tuple[str, ...]:
    return tuple(w[2:] if w.startswith("ال") and len(w) > 4 else w for w in norm_key(name).split())


def _same_source(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    return short == long_ or len(short) >= 2 and long_[:len(short)] == short


def _place_keys(e: Event, role: str | None = None) -> set[str]:
    """Places that can tell one happening from another: towns and spots, not countries or
    provinces (two claims about «Syria» are not thereby about the same event); with ``role``,
    those of that role only."""
    return {p.gazetteer_id or p.name for p in e.places
            if p.precision in ("town", "near") and (role is None or p.role == role)}


def _source_key(e: Event) -> str:
    return "|".join(sorted(s.name for s in e.sources))


def collapse_restatements(events: list[Event]) -> list[Event]:
    """A claim restated later in the same article by the same source is one claim. So is
    a restatement with no source of its own that names the place more precisely: the
    Lebanese told «kidnapped in Iraq», then, in the statement quoted, «on arriving in
    Baghdad»; the claim keeps its source and takes the town."""
    out: list[Event] = []
    for e in events:
        same = next((o for o in out if o.type == e.type and o.sub_type == e.sub_type and o.actor == e.actor
                     and o.stance == e.stance and _source_key(e) and _source_key(o) == _source_key(e)
                     and _place_keys(e) and _place_keys(e) <= _place_keys(o)
                     and o.sentence != e.sentence), None)
        if same is not None:
            continue
        finer = next((o for o in out if _refines(e, o)), None)
        if finer is not None:
            finer.places = [replace(p) for p in e.places]
            continue
        out.append(e)
    return out


def merge_same_sentence(events: list[Event]) -> list[Event]:
    """Two events of one kind read from one sentence are one happening told with two words
    («اقتحم متظاهرون مكاتب ... وأحرقوها» after both were typed riots, «غادروا القنيطرة ... وصلوا
    إدلب»: one movement from A to B), unless the sentence tells them apart: towns that differ
    (two strikes on two towns are two events), sides that differ, another named source, another
    day, another stance. Run last, on the final types and stances: the later event joins the
    first (:func:`_fold_into`; a movement takes the other's origin or destination)."""
    out: list[Event] = []
    moved: dict[str, str] = {}
    for e in events:
        o = next((o for o in out if _same_sentence_telling(o, e)), None)
        if o is None:
            out.append(e)
            continue
        if e.type == "movement":
            roles = {p.role for p in o.places}
            o.places.extend(p for p in e.places if p.role in ("origin", "destination") and p.role not in roles)
        _fold_into(o, e)
        moved[e.id] = o.id
    for e in out:
        if e.same_as in moved:
            e.same_as = moved[e.same_as]
    return out


def _same_sentence_telling(o: Event, e: Event) -> bool:
    if o.sentence is None or o.sentence != e.sentence or o.trigger is None or e.trigger is None:
        return False
    if (o.type, o.sub_type, o.stance, o.same_as) != (e.type, e.sub_type, e.stance, e.same_as) or two_sources(o, e):
        return False
    if o.date and e.date and o.date[:10] != e.date[:10] and "reported" not in (o.date_precision, e.date_precision):
        return False
    sides_o, sides_e = {o.actor, o.actor2} - {None}, {e.actor, e.actor2} - {None}
    if o.actor and e.actor and o.actor != e.actor and not (o.type == "battles" and sides_o == sides_e):
        return False
    if e.type == "movement":
        ro = {p.role: _place_keys(o, p.role) for p in o.places}
        re_ = {p.role: _place_keys(e, p.role) for p in e.places}
        return all(not (ro[r] and re_[r]) or ro[r] & re_[r] for r in ro.keys() & re_.keys())
    a, b = _place_keys(o), _place_keys(e)
    return not (a and b) or bool(a & b)


def _refines(e: Event, o: Event) -> bool:
    """``e`` restates ``o`` without a source: same kind, same parties, the same number of
    people (a count, both times: what makes two mentions one happening rather than two
    of a kind), placed in a town of the country ``o`` was placed in."""
    if (e.type, e.sub_type, e.actor, e.actor2, e.stance) != (o.type, o.sub_type, o.actor, o.actor2, o.stance):
        return False
    if e.sources or o.sentence == e.sentence or not o.places:
        return False
    if e.count is None or o.count is None or e.count.value is None or e.count.value != o.count.value:
        return False
    if any(p.precision not in ("country", "region") for p in o.places):
        return False
    towns = [p for p in e.places if p.precision in ("town", "near")]
    if not towns or len(towns) != len(e.places):
        return False
    within = {p.country for p in o.places if p.precision == "country" and p.country} | \
        {p.admin1 for p in o.places if p.precision == "region" and p.admin1}
    return all(p.country in within or p.admin1 in within for p in towns)


# ------------------------------------------------------------------ claim groups across documents


def group_window_days() -> int:
    return 3


# A telling joins an earlier claim group from another document when its best pair with a
# claim of that group is at least JOIN_BEST and its pairs with that group's claims in the
# candidate window average at least JOIN_MEAN (:mod:`.pairs` probabilities). The best pair
# alone chains neighbouring happenings into one group (A like B, B like C …); the mean
# keeps a group to one happening. Chosen on the train split of the labelled pairs
# (``bench/eval_pairs.py``): train P 0.913 R 0.724 (0.8 / 0.4 scores 0.92 / 0.79 there, but
# leaves two outlets telling one strike with tolls of 12 and 15 apart; tests/test_stories.py).
JOIN_BEST = 0.7
JOIN_MEAN = 0.4


def _local_groups(events: list[Event]) -> list[int]:
    """For each event, the index of the first event of its group within the document:
    claims the extraction already put in one group (a denial of the claim just made),
    another source's words for a happening told before (``same_as``), and a movement told
    again (same kind, same doer, a shared place, a destination)."""
    index = {e.id: i for i, e in enumerate(events)}
    root = list(range(len(events)))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            root[max(a, b)] = min(a, b)     # the earlier telling names the group
    preset: dict[str, int] = {}
    for i, e in enumerate(events):
        if e.claim_group:
            union(i, preset.setdefault(e.claim_group, i))
        if e.same_as and e.same_as in index:
            union(i, index[e.same_as])
            continue
        if any(p.role == "destination" for p in e.places):
            keys = _place_keys(e)
            for j, o in enumerate(events[:i]):
                if o.type == e.type and o.actor == e.actor and keys & _place_keys(o):
                    union(i, j)
                    break
    return [find(i) for i in range(len(events))]


def _link_denials(events: list[Event], alone: set[int]) -> None:
    """A denial told apart from what it denies («بيد أنهما نفيا قصف القاعدة» after the
    strike on the base, «وتنفي سوريا …» after the drone's interception) that found no
    claim to answer elsewhere (``alone``: the indexes of such denials) joins the claim of
    its article it answers: one of the same kind and sub-type, else of the same kind
    sharing a party or a place, else of the same kind told before it («ووصفت موسكو
    التقارير التي تحدثت عن قصف البلدة بأنها روايات زائفة» after the air strike) — the
    nearest, an earlier one first."""
    for i in sorted(alone):
        e = events[i]
        best, best_key = None, None
        for j, o in enumerate(events):
            if o.stance == "deny" or o.type != e.type or o.article != e.article or kinds_apart(
                    e.sub_type, o.sub_type) or places_apart(e, o):
                continue
            same_sub, shares = answer_fit(e, o)
            if not (same_sub or shares) and j > i:
                continue          # of the same kind only: it answers a claim told before it
            key = (same_sub, shares, j < i, -abs(i - j))
            if best_key is None or key > best_key:
                best, best_key = j, key
        if best is not None:
            old = e.claim_group
            for d in events:
                if d.claim_group == old:
                    d.claim_group = events[best].claim_group


DISTINCT_SUB_TYPES = frozenset(word_set("distinct_sub_types"))


def kinds_apart(a: str | None, b: str | None) -> bool:
    """Sub-types ``a`` and ``b`` never tell one happening: they differ and one of them is
    a kind of its own (``distinct_sub_types``: a chemical attack is not the air strikes
    told beside it, nor the strikes in response to it). An unknown sub-type says nothing."""
    return bool(a and b and a != b and (a in DISTINCT_SUB_TYPES or b in DISTINCT_SUB_TYPES))


APART_KM = 100.0   # two tellings whose places finer than a country are all this far apart tell two happenings


def places_apart(a: Event, b: Event) -> bool:
    """``a`` and ``b`` both name located places finer than a country (their locations, or
    destinations) and no two of them lie within APART_KM of each other. Capitals do not count:
    one often stands for its government («ووصفت موسكو التقارير ... عن قصف البلدة»)."""
    pa = [p for p in a.places if p.lat is not None and p.precision != "country" and p.role != "origin"
          and p.feature != "capital"]
    pb = [p for p in b.places if p.lat is not None and p.precision != "country" and p.role != "origin"
          and p.feature != "capital"]
    if not pa or not pb:
        return False
    return all(km({"lat": x.lat, "lon": x.lon}, {"lat": y.lat, "lon": y.lon}) > APART_KM for x in pa for y in pb)


STRIKE_SUB_TYPES = frozenset({"air_drone_strike", "shelling_artillery_missile_attack"})


def same_kind(a: str | None, b: str | None) -> bool:
    """Two sub-types that may tell one happening: the same, or air strikes and shelling
    («قصفا بريا وجويا», then «القصف»: the sub-type a telling gets from its words varies)."""
    return a == b or (a in STRIKE_SUB_TYPES and b in STRIKE_SUB_TYPES)


def answer_fit(denial: Event, claim: Event) -> tuple[bool, bool]:
    """How well ``claim`` (of the denial's kind) is what ``denial`` answers: (of its
    sub-type — air strikes and shelling count as one: a denial of «القصف» answers «غارات» —,
    sharing a party or a place)."""
    parties = {x for x in (denial.actor, denial.actor2) if x}
    return (same_kind(claim.sub_type, denial.sub_type),
            bool(parties & {x for x in (claim.actor, claim.actor2) if x}) or bool(_place_keys(denial) & _place_keys(claim)))


def _best_group(mine: dict, rows: list[dict]) -> str | None:
    """The claim group among ``rows`` (earlier claims from other documents) that ``mine``
    tells: the best pair ≥ JOIN_BEST and the group's mean ≥ JOIN_MEAN over its claims of a
    kind that may be ``mine``'s; None if none."""
    from .pairs import probabilities
    by_group: dict[str, list[float]] = {}
    denials: dict[str, list[float]] = {}
    # a chemical attack and the strikes told beside it, or planned in answer to it, are
    # never one happening, in one article or across outlets (:func:`kinds_apart`)
    rows = [r for r in rows if not kinds_apart(mine.get("sub_type"), r["data"].get("sub_type"))]
    if not rows:
        return None
    for row, p in zip(rows, probabilities(mine, [row["data"] for row in rows])):
        # a group is measured by the claims that assert it: its denials answer it, they do
        # not tell it (a group of a disputed attack is no less that attack for its denials)
        into = denials if row["data"].get("stance") == "deny" else by_group
        into.setdefault(row["claim_group"] or row["id"], []).append(p)
    for g, ps in denials.items():
        by_group.setdefault(g, ps)      # a group of denials only: measured by them
    best, best_key = None, (JOIN_BEST, 0.0)
    for g, ps in by_group.items():
        key = (max(ps), sum(ps) / len(ps))
        if key[1] >= JOIN_MEAN and key >= best_key and (best is None or key > best_key):
            best, best_key = g, key
    return best


def assign_groups(events: list[Event], stored) -> None:
    """Give each event a claim group. Within the document, tellings of one happening form
    a group (:func:`_local_groups`); the group joins the earlier claim group from another
    document that its first telling able to is most likely to tell (:func:`_best_group`
    over the claims of the same type, dates within a few days, places within a few hundred
    km that ``stored(event)`` gives: rows with ``id``, ``claim_group`` and ``data``, the
    exported dict), else it is a new group named by its first telling's id."""
    roots = _local_groups(events)
    joined: dict[int, str] = {}
    for i, e in enumerate(events):
        r = roots[i]
        if r in joined:
            continue
        rows = stored(e)
        if rows:
            g = _best_group(e.as_export(), rows)
            if g is not None:
                joined[r] = g
    for i, e in enumerate(events):
        e.claim_group = joined.get(roots[i]) or events[roots[i]].id
    asserted = {roots[i] for i, e in enumerate(events) if e.stance != "deny"}
    _link_denials(events, {i for i, e in enumerate(events)
                           if e.stance == "deny" and roots[i] not in asserted and roots[i] not in joined})


def candidate_window(e: Event) -> tuple[str, str, tuple[float, float, float, float] | None] | None:
    """Where earlier claims that may tell the same happening as ``e`` are looked for:
    (first day, last day, (lat min, lat max, lon min, lon max) around its first located
    place or None). None when ``e`` has no day (no candidates)."""
    if not e.date or len(e.date) != 10:
        return None
    d = date.fromisoformat(e.date)
    w = timedelta(days=group_window_days())
    first = next((p for p in e.places if p.lat is not None), None)
    box = None
    if first is not None:
        box = (first.lat - GROUP_BOX_DEG[0], first.lat + GROUP_BOX_DEG[0],
               first.lon - GROUP_BOX_DEG[1], first.lon + GROUP_BOX_DEG[1])
    return (d - w).isoformat(), (d + w).isoformat(), box


GROUP_BOX_DEG = (2.7, 3.3)   # about 300 km each way at these latitudes (the labelled pairs' reach)
GROUP_CANDIDATES = 200
