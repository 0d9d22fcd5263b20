#!/usr/bin/env python3
"""Loader for the ANT line-level gold (ant.lines.jsonl, ant.events.jsonl).

The ANT corpus may not be republished, so the gold stores only document ids, line
numbers, character offsets, hashes and labels. This module rebuilds the texts from a
local copy of the corpus and checks every hash:

    docs, gold = load(corpus_path)
    write_score_inputs(corpus_path, out_dir)   # ant.input.jsonl + ant.gold.events.jsonl

A unit is one line of an article's ``text`` field: id ``<docno>#L<n>``, text
``text.split("\\n")[n - 1]`` (no stripping). Anchor offsets are character offsets into
that line. ``ant.gold.events.jsonl`` is in the format ``shared/eval/score.py events``
reads; ``ant.input.jsonl`` is rasd JSONL input (``id``, ``text``, ``published``).

usage: python ant_gold.py [CORPUS_PATH] [--write OUT_DIR]
Standard library only.
"""
import hashlib
import json
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
LINES_PATH = os.path.join(HERE, "ant.lines.jsonl")
EVENTS_PATH = os.path.join(HERE, "ant.events.jsonl")
DEFAULT_CORPUS = "/work/shared/corpora/ant-news-syria-iraq/ant_v2.1_middleEast_syria_iraq.jsonl"


class GoldMismatch(ValueError):
    """The corpus copy does not match the text the gold was annotated on."""


def sha12(s):
    return hashlib.sha1(s.encode("utf-8")).hexdigest()[:12]


def _read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _corpus_docs(corpus_path, wanted):
    found = {}
    with open(corpus_path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            if d.get("docno") in wanted:
                found[d["docno"]] = d
    return found


def load(corpus_path=DEFAULT_CORPUS):
    """Return (docs, gold_events).

    docs: [{"id": "<docno>#L<n>", "text": line, "published": time}] in gold order.
    gold_events: the events of ant.events.jsonl with each anchor's "text" filled in.
    Raises GoldMismatch when a document or line is missing or a hash differs.
    """
    units = _read_jsonl(LINES_PATH)
    events = _read_jsonl(EVENTS_PATH)
    corpus = _corpus_docs(corpus_path, {u["docno"] for u in units})
    docs, texts, problems = [], {}, []
    for u in units:
        d = corpus.get(u["docno"])
        if d is None:
            problems.append(f"{u['file']}: document {u['docno']} not found in {corpus_path}")
            continue
        lines = d["text"].split("\n")
        if not 1 <= u["line"] <= len(lines):
            problems.append(f"{u['file']}: line {u['line']} out of range (document has {len(lines)} lines)")
            continue
        text = lines[u["line"] - 1]
        if sha12(text) != u["sha1"]:
            problems.append(f"{u['file']}: line sha1 {sha12(text)} != gold {u['sha1']} (corpus text changed?)")
            continue
        texts[u["file"]] = text
        docs.append({"id": u["file"], "text": text, "published": u["published"]})
    gold = []
    for e in events:
        text = texts.get(e["file"])
        if text is None:
            if e["file"] not in {u["file"] for u in units}:
                problems.append(f"{e['id']}: unit {e['file']} is not in ant.lines.jsonl")
            continue
        ev = dict(e)
        anchors = []
        for a in e["anchors"]:
            span = text[a["start"]:a["end"]]
            if not (0 <= a["start"] < a["end"] <= len(text)) or sha12(span) != a["sha1"]:
                problems.append(f"{e['id']}: anchor {a['start']}-{a['end']} sha1 {sha12(span)} != gold {a['sha1']}")
            anchors.append(dict(a, text=span))
        ev["anchors"] = anchors
        gold.append(ev)
    if problems:
        raise GoldMismatch("ANT gold does not match the corpus copy:\n  " + "\n  ".join(problems))
    return docs, gold


def write_score_inputs(corpus_path, out_dir):
    """Write ant.input.jsonl (rasd input) and ant.gold.events.jsonl (score.py gold) to out_dir."""
    docs, gold = load(corpus_path)
    os.makedirs(out_dir, exist_ok=True)
    inp = os.path.join(out_dir, "ant.input.jsonl")
    gp = os.path.join(out_dir, "ant.gold.events.jsonl")
    with open(inp, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open(gp, "w", encoding="utf-8") as f:
        for e in gold:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    return inp, gp


def main(argv):
    out_dir = None
    if "--write" in argv:
        i = argv.index("--write")
        out_dir = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    corpus = argv[0] if argv else DEFAULT_CORPUS
    docs, gold = load(corpus)
    units = _read_jsonl(LINES_PATH)
    print(f"all hashes verified: {len(docs)} lines, {len(gold)} events, "
          f"{sum(len(e['anchors']) for e in gold)} anchors")
    print("lines by class:", dict(Counter(u["class"] for u in units)))
    print("non-event lines by why:", dict(Counter(u["why"] for u in units if u["class"] == "non_event").most_common()))
    print("lines by source:", dict(Counter(u["docno"][:2] for u in units)))
    req = [e for e in gold if not e["optional"]]
    print(f"events: {len(gold)} ({len(req)} required, {len(gold) - len(req)} optional)")
    print("required events by type:", dict(Counter(e["type"] for e in req).most_common()))
    print("optional events by type:", dict(Counter(e["type"] for e in gold if e["optional"]).most_common()))
    print("required events by sub_type:", dict(Counter(e["sub_type"] for e in req).most_common()))
    print("stance:", dict(Counter(e["stance"] for e in gold)))
    if out_dir:
        for p in write_score_inputs(corpus, out_dir):
            print("wrote", p)


if __name__ == "__main__":
    main(sys.argv[1:])
