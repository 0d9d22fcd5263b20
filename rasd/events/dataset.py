"""Labelled mentions: the candidates the rules propose in whole articles, read from the
team's shared corpora (never copied into the repository), and the labels the team gave
them (``labels/mentions.jsonl``: ids and offsets only).

A mention is identified by its document and its trigger's raw offsets
(``"{doc}@{start}-{end}"``); the split (train / dev / test) is by document, from a hash
of its id, so every mention of one article falls in one split.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..records import Document, Event, Span

REPO = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    """The team's shared folder: ``$RASD_SHARED``, else ``../shared`` beside the repository."""
    env = os.environ.get("RASD_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def ant_path() -> Path:
    return shared_dir() / "corpora" / "ant-news-syria-iraq" / "ant_v2.1_middleEast_syria_iraq.jsonl"


def gsr_path() -> Path:
    return shared_dir() / "corpora" / "arabic-event-gsr-assault-dev" / "assault_dev.jsonl"


def labels_dir() -> Path:
    return REPO / "labels"


def split_of(doc_id: str) -> str:
    """train (60 %), dev (20 %) or test (20 %), fixed by the document id."""
    h = int(hashlib.sha1(("rasd-split-" + doc_id).encode("utf-8")).hexdigest(), 16) % 10
    return "train" if h < 6 else "dev" if h < 8 else "test"


def ant_documents(ids: set[str] | None = None) -> Iterator[Document]:
    """ANT articles as rasd documents (raw = the corpus's ``text``, unchanged)."""
    from ..ingest import make_document, normalize_date
    with open(ant_path(), encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            if ids is not None and d["docno"] not in ids:
                continue
            yield make_document(d["docno"], d["text"], kind="text", source="ant", title=d.get("title"),
                                url=d.get("url"), published=normalize_date(d.get("time")))


def gsr_documents() -> Iterator[tuple[Document, str]]:
    """GSR sentences as one-sentence documents, with their human label."""
    from ..ingest import make_document
    with open(gsr_path(), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                yield make_document("gsr-" + d["id"], d["text"], kind="text", source="gsr"), d["label"]


def mention_id(doc: str, trigger: Span) -> str:
    return f"{doc}@{trigger.start}-{trigger.end}"


@dataclass
class Mention:
    """A candidate with what the decision reads about it."""
    id: str
    doc: str
    event: Event
    features: list[str]
    sentence: Span
    raw: str = ""                  # the document's raw text
    sentences: tuple = ()          # the article's sentences
    chemical: bool = False         # told in chemical words (the fold never joins it to another kind)


def article_mentions(doc: Document) -> Iterator[tuple[tuple[Span, ...], list[Mention]]]:
    """``(sentences, mentions)`` of each article of a document: every candidate the rules
    propose (the cues kept), with its features."""
    from ..pipeline import prepare
    from .attribution import told_chemical
    from .candidates import propose
    from .features import candidate_features
    for art in prepare(doc).articles:
        ms: list[Mention] = []
        sents: tuple[Span, ...] = ()
        for ctx, sent, cands, _kills, _atts in propose(doc, art, keep_all=True):
            sents = tuple(ctx.sents)
            ms.extend(Mention(mention_id(doc.id, e.trigger), doc.id, e, candidate_features(ctx, sent, e, cands), sent,
                              doc.raw, sents, told_chemical(ctx, e)) for e in cands)
        yield sents, ms


def doc_mentions(doc: Document) -> Iterator[Mention]:
    """The mentions of all articles of a document (:func:`article_mentions`)."""
    for _, ms in article_mentions(doc):
        yield from ms


def write_batches(out: Path, n_batches: int, per_batch: int, seed: int = 11, exclude: set[str] = frozenset(),
                  first: int = 1) -> dict:
    """Labelling batches of whole ANT articles (texts stay outside the repository):
    ``batch_K.md`` to read, ``batch_K.map.json`` from the batch's mention numbers to ids.
    Articles in ``exclude`` (already labelled) are skipped; batches are numbered from ``first``."""
    import random
    out.mkdir(parents=True, exist_ok=True)
    docs = list(ant_documents())
    random.Random(seed).shuffle(docs)
    chosen = []
    for d in docs:
        if d.id in exclude:
            continue
        arts = [(s, ms) for s, ms in article_mentions(d) if ms]
        if arts:
            chosen.append((d, arts))
        if len(chosen) >= n_batches * per_batch:
            break
    stats = {"articles": len(chosen), "mentions": 0}
    for b in range(n_batches):
        part = chosen[b * per_batch:(b + 1) * per_batch]
        name = b + first
        lines, mp, k = [], {}, 0
        for d, arts in part:
            lines.append(f"\n\n======== ARTICLE {d.id} | published {d.published} ========")
            lines.append(f"TITLE: {d.title}")
            for sents, ms in arts:
                for i, s in enumerate(sents, 1):
                    lines.append(f"[S{i}] {d.raw[s.start:s.end].strip()}")
                lines.append("-- candidates --")
                idx = {s.start: i for i, s in enumerate(sents, 1)}
                for m in ms:
                    k += 1
                    mp[f"M{k}"] = m.id
                    e = m.event
                    lines.append(f"M{k} | S{idx.get(m.sentence.start, '?')} | «{d.raw[e.trigger.start:e.trigger.end]}»"
                                 f" | rules' guess: {e.type}/{e.sub_type}")
        stats["mentions"] += len(mp)
        (out / f"batch_{name}.md").write_text("\n".join(lines).strip() + "\n", encoding="utf-8")
        (out / f"batch_{name}.map.json").write_text(json.dumps(mp, indent=0), encoding="utf-8")
    return stats


def import_batch_labels(batches: Path, labels: Path, out: Path, *, names: list[str]) -> dict:
    """Turn labellers' files (``labels/batch_K.jsonl``: batch mention numbers) into the
    repository's form (mention ids and offsets): ``ant.mentions.jsonl`` and
    ``ant.missed.jsonl`` (a quoted missed happening located in its article's raw text)."""
    out.mkdir(parents=True, exist_ok=True)
    rows, missed, problems = [], [], Counter()
    raws = {}
    for name in names:
        mp = json.loads((batches / f"batch_{name}.map.json").read_text(encoding="utf-8"))
        path = labels / f"batch_{name}.jsonl"
        if not path.exists():
            problems["missing_file"] += 1
            continue
        seen = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError:
                problems["bad_json"] += 1
                continue
            if "m" in d:
                mid = mp.get(d["m"])
                if mid is None or d["m"] in seen:
                    problems["unknown_or_repeated"] += 1
                    continue
                seen.add(d["m"])
                doc, span = mid.rsplit("@", 1)
                start, end = (int(x) for x in span.split("-"))
                rep = mp.get(d.get("repeat_of") or "")
                rows.append({"id": mid, "doc": doc, "start": start, "end": end, "real": bool(d.get("real")),
                             "reason": None if d.get("real") else (d.get("reason") or "other"),
                             "type": d.get("type"), "sub_type": d.get("sub_type"),
                             "repeat_of": rep, "stance": d.get("stance") or "assert", "labeller": name})
            elif "doc" in d:
                for q in d.get("missed") or []:
                    missed.append((name, d["doc"], q))
        problems["unlabelled"] += len(set(mp) - seen)
    need = {doc for _, doc, _ in missed}
    if need:
        raws = {doc.id: doc.raw for doc in ant_documents(need)}
    located = []
    for name, doc, q in missed:
        q = (q or "").strip().strip("«»\"").strip(". …")
        i = raws.get(doc, "").find(q) if q else -1
        if i < 0:
            problems["missed_not_found"] += 1
            continue
        located.append({"doc": doc, "start": i, "end": i + len(q), "labeller": name})
    return {"rows": rows, "missed": located, "problems": dict(problems)}


def write_jsonl(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for r in sorted(rows, key=lambda r: (r.get("doc", ""), r.get("start", 0), r.get("id", ""))):
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
