"""Long documents: time and peak RSS of `rasd process` on one document each.

    python bench/bench_long.py [--sizes 256K,1M,5M] [--html 20M] [--doc-seconds 60]

Cases: one-paragraph text documents (Arabic news sentences run together, no line break)
of 256 KB, 1 MB and 5 MB, and an HTML page of 20 MB (many paragraphs and the usual
navigation blocks). Each case runs in a fresh subprocess (`rasd.pipeline.process` into a
temporary store, with the default limits and the given per-document time budget), which
reports its wall time, its peak RSS (ru_maxrss, the whole process: interpreter, lexicons
and gazetteer included) and what became of the document (stored with N events, or
rejected with its reason). Targets (issue #14): 1 MB within 10 s and 500 MB; 5 MB
processed or rejected by the budget within the budget; 20 MB HTML within 1 GB.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SENTENCES = [
    ("قصفت طائرات التحالف الدولي مواقع لتنظيم داعش في مدينة البوكمال شرق دير الزور فجر الثلاثاء، ما أسفر عن "
     "مقتل 12 عنصراً من التنظيم، بحسب المرصد السوري لحقوق الإنسان"),
    "وقال مصدر أمني إن نحو 700 من مقاتلي «داعش» وصلوا إلى مدينة عانة أمس قادمين من ريف حلب الشمالي",
    "ونزحت عشرات العائلات من الأحياء الشرقية لمدينة الموصل باتجاه الريف خوفاً من تجدد القصف",
    "واعتقلت القوات الأمنية العراقية خمسة مطلوبين في حي الزنجيلي غرب المدينة مساء الأحد",
    "وأكد المتحدث باسم التحالف أن العمليات ستتواصل حتى طرد التنظيم من آخر معاقله في وادي الفرات",
]


def _size(s: str) -> int:
    s = s.strip().upper()
    mult = {"K": 1000, "M": 1000 * 1000}.get(s[-1], 1)   # decimal: "20M" is 20,000,000 bytes
    return int(float(s.rstrip("KM")) * mult)


def one_paragraph(nbytes: int) -> str:
    out, n, i = [], 0, 0
    while n < nbytes:
        s = SENTENCES[i % len(SENTENCES)] + ("، " if i % 3 else "، و")
        out.append(s)
        n += len(s.encode("utf-8"))
        i += 1
    return "".join(out)


def html_page(nbytes: int) -> str:
    head = ("<!doctype html><html lang='ar' dir='rtl'><head><meta charset='utf-8'><title>أخبار</title></head>"
            "<body><nav><ul>" + "".join(f"<li><a href='/s/{i}'>قسم {i}</a></li>" for i in range(40)) + "</ul></nav>")
    parts, n, i = [head], len(head.encode()), 0
    while n < nbytes:
        block = (f"<div class='story' id='s{i}'><h2>خبر رقم {i}</h2>"
                 + "".join(f"<p>{SENTENCES[(i + k) % len(SENTENCES)]}.</p>" for k in range(5))
                 + "<div class='share'><a href='#'>شارك</a> <a href='#'>تعليق</a></div></div>")
        parts.append(block)
        n += len(block.encode())
        i += 1
    parts.append("<footer>جميع الحقوق محفوظة</footer></body></html>")
    return "".join(parts)


def child(path: str, db: str, doc_seconds: float) -> None:
    sys.path.insert(0, str(ROOT))
    from rasd.pipeline import process
    from rasd.store import Store
    store = Store(db)
    t0 = time.perf_counter()
    s = process([path], store, doc_seconds=doc_seconds or None)
    secs = time.perf_counter() - t0
    events = store.counts()["events"]
    rejects = [(r.reason, r.detail) for r in store.rejects()]
    store.close()
    print(json.dumps({"seconds": round(secs, 2), "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                      "stored": s.new, "events": events, "rejects": rejects}, ensure_ascii=False))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="256K,1M,5M", help="one-paragraph text sizes")
    ap.add_argument("--html", default="20M", help="HTML page size ('' for none)")
    ap.add_argument("--doc-seconds", type=float, default=60.0, help="per-document time budget (0: none)")
    ap.add_argument("--timeout", type=float, default=900.0, help="give a case up after this many seconds")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child, args.doc_seconds)
        return
    cases = [(f"text {s}", ".txt", one_paragraph(_size(s))) for s in args.sizes.split(",") if s]
    if args.html:
        cases.append((f"html {args.html}", ".html", html_page(_size(args.html))))
    print(f"{'case':12s} {'bytes':>10s} {'seconds':>8s} {'peak RSS MB':>11s}  result")
    with tempfile.TemporaryDirectory() as tmp:
        for name, suffix, text in cases:
            path = Path(tmp) / f"doc{suffix}"
            path.write_text(text, encoding="utf-8")
            db = Path(tmp) / f"{name.replace(' ', '_')}.db"
            t0 = time.perf_counter()
            try:
                r = subprocess.run([sys.executable, __file__, "--child", str(path), str(db),
                                    "--doc-seconds", str(args.doc_seconds)], capture_output=True, text=True,
                                   timeout=args.timeout, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
            except subprocess.TimeoutExpired:
                print(f"{name:12s} {path.stat().st_size:>10d} {'>' + str(int(args.timeout)):>8s} {'?':>11s}  "
                      "did not finish")
                continue
            wall = time.perf_counter() - t0
            if r.returncode != 0:
                print(f"{name:12s} failed ({r.returncode}): {r.stderr.strip().splitlines()[-1:]}")
                continue
            res = json.loads(r.stdout.strip().splitlines()[-1])
            what = (f"stored, {res['events']} events" if res["stored"] else
                    "rejected: " + "; ".join(f"{a} ({b})" for a, b in res["rejects"]))
            print(f"{name:12s} {path.stat().st_size:>10d} {res['seconds']:>8.1f} {res['rss_mb']:>11d}  {what}"
                  f"  [wall with start-up {wall:.1f} s]")


if __name__ == "__main__":
    main()
