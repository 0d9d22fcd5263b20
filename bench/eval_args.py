"""Where / who / when of real events against the team's arguments set (issue #12):
``labels/args/ant.args.jsonl`` (guidelines: docs/labelling-guidelines.md, "Arguments").

For every labelled event (a real first telling, by its trigger's offsets), the event
rasd stores for that trigger (its trigger, or a telling folded into it) is compared
with the label:

* place: rasd's main place (location, else destination, else origin) has the labelled
  name (normalised; a leading proclitic and «ال» ignored) — `place_loose` also takes a
  name one word longer or shorter than the label («ريف درعا» for «ريف درعا الشرقي»);
  a label with no place is right when rasd gives none or only a country;
* admin1: rasd's admin1 of the main place against the label's (English name, spelling folded);
* doer / acted-on: rasd's ``actor`` / ``actor2`` key against the label (a key named in the
  label's note as another doer counts too); both empty is right;
* date: rasd's date equals the label's (a month label: the same month), and `dated` is
  the share with any date.

Per split (dev by default; the test split only with --split test, for the final report).
``sample5`` is the fifth sample (labels with ``"sample": 5``: 30 train-split articles
labelled after every rule so far was written, held out from them); ``sample6`` the sixth
(``"sample": 6``: 34 train-split articles, labelled after the learned place and doer
choosers were built, held out from them); ``train`` leaves both out.

Usage: .venv/bin/python bench/eval_args.py [--split dev|train|test|sample5|sample6|all] [--show N] [--errors]
       [--db FILE]

(``--db FILE`` scores the events stored in a store of the ANT articles — e.g. the one
``bench/eval_pairs.py --db FILE`` builds — instead of ``extract_events`` run per document:
what the store adds across documents, such as story dates from claim groups, is then
measured; the events are matched to the labels by trigger offsets in the same way.)

(``--errors`` prints every wrong field of the split with the event's sentence.)

Beside the shares of the events found, each field right out of *all* labelled events of the
split (``<field>_of_labelled`` in ``--json``): a decision that stores more labelled events
lowers a share when the added ones are harder, while more are right.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasd.events import extract_events
from rasd.events.dataset import ant_documents, split_of
from rasd.events.decision import ModelDecision
from rasd.lang.normalize import norm_key
from rasd.pipeline import prepare
from rasd.places.admin import canonical_admin1
from rasd.places.gazetteer import load_gazetteer
from rasd.records import Claim, Event, Place, Quantity, Span
from rasd.records import main_place as records_main_place

LABELS = ROOT / "labels" / "args" / "ant.args.jsonl"


# a generic head or an adjective of a site is no part of the name: «محافظة درعا» is «درعا»,
# «مطار التيفور العسكري» is «التيفور»
HEADS = {norm_key(w) for w in ["قضاء", "محافظة", "منطقة", "مدينة", "بلدة", "قرية", "حي", "مخيم", "ناحية", "مطار", "قاعدة", "معبر", "ريف"]}
ADJS = {norm_key(w) for w in ["العسكري", "العسكرية", "الجوية", "الجوي"]}


def name_words(s: str | None) -> tuple[str, ...]:
    if not s:
        return ()
    ws = norm_key(re.sub(r"[«»\"'()،,.]", " ", s)).split()
    while len(ws) > 1 and (ws[0] in HEADS or ws[0].lstrip("وفبل") in HEADS):
        ws = ws[1:]
    while len(ws) > 1 and ws[-1] in ADJS:
        ws = ws[:-1]
    out = []
    for i, w in enumerate(ws):
        if i == 0 and len(w) > 3 and w[0] in "وفبل" and not w.startswith("لل"):
            w = w[1:]
        if w.startswith("لل"):
            w = "ال" + w[2:]
        if w.startswith("ال") and len(w) > 4:
            w = w[2:]
        out.append(w)
    if out and out[0] in ("في", "الى", "من"):
        out = out[1:]
    return tuple(out)


def admin_key(s: str | None) -> str | None:
    return canonical_admin1(s) or (s.lower() if s else None)


def main_place(e):
    return records_main_place(e.places)


def covers(e, s: int, t: int) -> bool:
    spans = [(e.trigger.start, e.trigger.end)] if e.trigger else []
    spans += [(m["start"], m["end"]) for m in e.mentions if "start" in m]
    return any(a < t and s < b for a, b in spans)


def _only(cls, d: dict) -> dict:
    names = set(cls.__dataclass_fields__)
    return {k: v for k, v in d.items() if k in names}


def event_of_record(d: dict) -> Event:
    """An exported event dict (a store's ``event_records``) as an :class:`Event`."""
    def span(x):
        return Span(x["start"], x["end"]) if x else None
    return Event(
        id=d["id"], doc=d["doc"], article=d["article"], type=d["type"], sub_type=d.get("sub_type"),
        evidence=span(d["evidence"]), evidence_text=d["evidence"]["text"], trigger=span(d.get("trigger")),
        actor=d.get("actor"), actor2=d.get("actor2"),
        places=[Place(**_only(Place, p)) for p in d.get("places") or []],
        count=Quantity(**_only(Quantity, d["count"])) if d.get("count") else None,
        fatalities=d.get("fatalities"), date=d.get("date"), date_precision=d.get("date_precision") or "unknown",
        sources=[Claim(**_only(Claim, x)) for x in d.get("sources") or []], claim_group=d.get("claim_group"),
        stance=d.get("stance") or "assert", sentence=span(d.get("sentence")), confidence=d.get("confidence"),
        mentions=list(d.get("mentions") or []))


def stored_events(db: str, docs: set[str]) -> dict[str, list[Event]]:
    """The events a store holds for the documents ``docs``, by document."""
    from rasd.store import Store
    store = Store(db, readonly=True)
    out: dict[str, list[Event]] = defaultdict(list)
    for d in store.event_records():
        if d["doc"] in docs:
            out[d["doc"]].append(event_of_record(d))
    store.close()
    return out


def who_right(field: str, got_k: str | None, lab: dict, etype: str) -> bool:
    """rasd's ``actor`` (field "doer") or ``actor2`` ("target") key ``got_k`` against the
    label (also read by the doer's training, rasd/events/doer_train.py)."""
    want_k = lab.get(field)
    if want_k == "civilians" and got_k == "protesters" and etype in ("protests", "riots"):
        want_k = "protesters"        # (some labellers keyed protesters as civilians)
    return got_k == want_k or (field == "doer" and got_k is not None and re.search(
        rf"\b{re.escape(got_k)}\b", lab.get("note") or "") is not None)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev", choices=["dev", "train", "test", "sample5", "sample6", "all"])
    ap.add_argument("--show", type=int, default=0, help="print N wrong cases of each field")
    ap.add_argument("--candidates", action="store_true",
                    help="judge the arguments of every candidate (decision threshold 0), not only stored events")
    ap.add_argument("--errors", action="store_true",
                    help="print every wrong field with the sentence of the event")
    ap.add_argument("--json", action="store_true", help="also print the figures as one JSON line (last)")
    ap.add_argument("--db", help="score the events of this store of the ANT articles (bench/eval_pairs.py "
                                 "--db builds one) instead of extracting each document on its own")
    a = ap.parse_args()
    labels = [json.loads(x) for x in LABELS.read_text("utf-8").splitlines() if x.strip()]
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for lab in labels:
        doc = lab["id"].split("@")[0]
        split = f"sample{lab['sample']}" if lab.get("sample") else split_of(doc)
        if a.split in ("all", split):
            by_doc[doc].append(lab)
    gz = load_gazetteer()
    dec = ModelDecision(threshold=0.0) if a.candidates else None
    c: Counter = Counter()
    wrong: dict[str, list] = defaultdict(list)
    told: dict[str, str] = {}          # label id → the event's sentence (--errors)
    if a.db and a.candidates:
        ap.error("--db scores stored events: --candidates does not apply")
    stored = stored_events(a.db, set(by_doc)) if a.db else None
    for doc in ant_documents(set(by_doc)):
        if stored is not None:
            evs = stored.get(doc.id, [])
        else:
            evs = [e for art in prepare(doc).articles for e in extract_events(doc, art, decision=dec)]
        pub = (doc.published or "")[:10]
        for lab in by_doc[doc.id]:
            c["labelled"] += 1
            s, t = map(int, lab["id"].split("@")[1].split("-"))
            e = next((e for e in evs if covers(e, s, t)), None)
            if e is None:
                continue
            c["found"] += 1
            sent = e.sentence or e.evidence
            told[lab["id"]] = " ".join(doc.raw[sent.start:sent.end].split())
            p = main_place(e)
            want = name_words(lab["place"])
            got = name_words(p.name if p else None)
            if not want:
                ok = p is None or p.precision == "country"
                loose = ok
            else:
                # the same gazetteer record under another of its names counts («التيفور» for
                # «مطار التيفور العسكري»)
                ids = {x.id for n in {lab["place"], " ".join(want)} for x in gz.lookup(n)}
                ok = got == want or (p is not None and p.gazetteer_id in ids)
                loose = ok or (bool(got) and (set(got) <= set(want) or set(want) <= set(got))
                               and abs(len(got) - len(want)) <= 1)
            c["place"] += ok
            c["place_loose"] += loose
            if not ok:
                wrong["place"].append((lab["id"], lab["place"], p and (p.name, p.precision, p.country)))
            if lab.get("admin1"):
                c["admin1_n"] += 1
                c["admin1"] += admin_key(p.admin1 if p else None) == admin_key(lab["admin1"])
                if admin_key(p.admin1 if p else None) != admin_key(lab["admin1"]):
                    wrong["admin1"].append((lab["id"], lab["admin1"], p and p.admin1))
            for field, got_k in (("doer", e.actor), ("target", e.actor2)):
                ok = who_right(field, got_k, lab, e.type)
                c[field] += ok
                if not ok:
                    wrong[field].append((lab["id"], lab.get(field), got_k, e.evidence_text[:90]))
            want_d = lab.get("date") or pub
            c["dated"] += bool(e.date)
            ok = bool(e.date) and (e.date == want_d or (len(want_d) == 7 and e.date[:7] == want_d))
            c["date"] += ok
            if not ok:
                wrong["date"].append((lab["id"], want_d, e.date, e.date_precision, lab.get("date_basis")))
    n = c["found"] or 1
    print(f"split {a.split}: {c['labelled']} labelled events, {c['found']} found ({c['found'] / max(c['labelled'], 1):.0%})")
    for k in ("place", "place_loose", "doer", "target", "dated", "date"):
        print(f"  {k:12s} {c[k] / n:.3f}  ({c[k]}/{c['found']})")
    print(f"  {'admin1':12s} {c['admin1'] / max(c['admin1_n'], 1):.3f}  ({c['admin1']}/{c['admin1_n']})")
    # right out of every labelled event (an event not stored is not right): a decision that
    # stores more of the labelled events, the harder ones among them, lowers the shares above
    # while more are right
    print("  right of all labelled: " + ", ".join(
        f"{k} {c[k] / max(c['labelled'], 1):.3f} ({c[k]}/{c['labelled']})" for k in ("place", "doer", "target", "date")))
    for k, rows in wrong.items():
        for r in rows[:len(rows) if a.errors else a.show]:
            print(f"  ✗ {k}: {r}")
            if a.errors:
                print(f"      {told[r[0]]}")
    if a.json:
        fig = {k: round(c[k] / n, 4) for k in ("place", "place_loose", "doer", "target", "dated", "date")}
        fig["admin1"] = round(c["admin1"] / max(c["admin1_n"], 1), 4)
        fig["found"] = round(c["found"] / max(c["labelled"], 1), 4)
        fig.update({f"{k}_of_labelled": round(c[k] / max(c["labelled"], 1), 4) for k in ("place", "doer", "target", "date")})
        print(json.dumps(fig))


if __name__ == "__main__":
    main()
