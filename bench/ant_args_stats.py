"""Where / who / when over the whole ANT corpus (issue #12), through the pipeline as
`rasd process` runs it. Prints, over all stored events:

* events placed outside Syria, Iraq and their neighbours, as a share of the events of
  articles about Syria/Iraq (an article is "about" the country most of its places name);
* events whose main place is at country precision; events with no located place;
* located events with an admin1;
* strikes and battles whose doer is ``civilians``; events with no doer;
* events with a date, and by date precision.

Usage: .venv/bin/python bench/ant_args_stats.py [--limit N] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasd.events import extract_events  # noqa: E402
from rasd.events.dataset import ant_documents  # noqa: E402
from rasd.pipeline import prepare  # noqa: E402
from rasd.records import main_place as records_main_place  # noqa: E402

REGION = {"SY", "IQ", "TR", "LB", "JO", "IL", "PS", "IR", "SA", "KW"}
VIOLENT = {"battles", "explosions_remote_violence"}


def main_place(e):
    return records_main_place(e.places)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--json", help="write every event's fields here (for diffs)")
    a = ap.parse_args()
    t0 = time.perf_counter()
    n_art = 0
    c: Counter = Counter()
    rows = []
    for i, doc in enumerate(ant_documents()):
        if a.limit and i >= a.limit:
            break
        p = prepare(doc)
        for art in p.articles:
            n_art += 1
            evs = extract_events(doc, art)
            countries = Counter(pl.country for e in evs for pl in e.places if pl.country)
            about = countries.most_common(1)[0][0] if countries else None
            for e in evs:
                c["events"] += 1
                mp = main_place(e)
                if about in ("SY", "IQ"):
                    c["in_sy_iq_articles"] += 1
                    if mp is not None and mp.country not in REGION:
                        c["outside_region"] += 1
                if mp is None:
                    c["no_place"] += 1
                else:
                    c["located"] += 1
                    c["prec_" + mp.precision] += 1
                    if mp.admin1:
                        c["admin1"] += 1
                if e.type in VIOLENT and e.actor == "civilians":
                    c["civilians_doer_violent"] += 1
                if e.actor is None:
                    c["no_actor"] += 1
                if e.date:
                    c["dated"] += 1
                c["dp_" + (e.date_precision or "none")] += 1
                if a.json:
                    rows.append({"id": e.id, "type": e.type, "sub": e.sub_type, "actor": e.actor,
                                 "actor2": e.actor2, "date": e.date, "dp": e.date_precision,
                                 "place": mp and [mp.name, mp.country, mp.precision, mp.admin1],
                                 "ev": e.evidence_text[:200]})
    n = c["events"] or 1
    print(f"articles {n_art}  events {c['events']}  ({c['events'] / max(n_art, 1):.2f}/article)  "
          f"{time.perf_counter() - t0:.0f} s")
    print(f"outside SY/IQ+neighbours: {c['outside_region']} of {c['in_sy_iq_articles']} events of SY/IQ articles "
          f"= {c['outside_region'] / max(c['in_sy_iq_articles'], 1):.1%}")
    print(f"no located place: {c['no_place'] / n:.1%}   located: {c['located']}")
    for k in sorted(k for k in c if k.startswith("prec_")):
        print(f"  main place precision {k[5:]}: {c[k] / n:.1%} of all events")
    print(f"located with admin1: {c['admin1'] / max(c['located'], 1):.1%}")
    print(f"civilians as doer of a strike/battle: {c['civilians_doer_violent']}")
    print(f"no doer: {c['no_actor'] / n:.1%}")
    print(f"dated: {c['dated'] / n:.1%}   " + "  ".join(f"{k[3:]} {c[k]}" for k in sorted(c) if k.startswith("dp_")))
    if a.json:
        Path(a.json).write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
