"""Ingest: raw inputs → :class:`Document` records (or :class:`Reject` records).

Inputs are files, folders (recursive), JSONL files (one document per line:
``{id, text | html, title?, url?, published?}``), HTML pages, RSS/Atom feeds, and
http(s) URLs of pages or feeds. A file's doc id is its path relative to the input root
given (a folder argument is its own root; a file argument's root is its folder).

Bytes are decoded without ever garbling silently: BOMs first (UTF-8, UTF-16, UTF-32),
then strict UTF-8, then UTF-16 without BOM (detected from NUL patterns), then
Windows-1256 when the result reads as Arabic, then charset-normalizer's best guess when
it is coherent. Anything else, and empty or binary input, is a :class:`Reject` with its
reason; the rest of the batch goes on.
"""
from __future__ import annotations

import codecs
import hashlib
import json
import logging
import os
import re
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Union

from .lang.normalize import arabic_ratio
from .records import Document, Reject

log = logging.getLogger(__name__)

Item = Union[Document, Reject]

TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
MAX_BYTES = 20 * 1024 * 1024  # one page larger than this is not news: reject it
URL_TIMEOUT = 20


class DecodeError(ValueError):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def content_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


# ------------------------------------------------------------------ decoding

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


def _plausible(text: str) -> bool:
    """Decoded text that a person could read: few control characters, no U+FFFD."""
    if not text.strip():
        return False
    return len(_CONTROL.findall(text)) <= max(2, len(text) // 1000)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)`` or raise :class:`DecodeError`."""
    if not data or not data.strip():
        raise DecodeError("empty", "no content")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as e:
                raise DecodeError("encoding", f"{enc} BOM but invalid {enc}: {e}") from None
            if not text.strip():
                raise DecodeError("empty", "only a byte-order mark")
            return text, enc
    # UTF-16 without BOM: NUL bytes (spaces, digits, Latin) in every other position
    if b"\x00" in data[:4096]:
        best = None
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            score = _readable_share(text)
            if _plausible(text) and score >= 0.9 and (best is None or score > best[0]):
                best = (score, text, enc)
        if best:
            return best[1], best[2]
        raise DecodeError("binary", "binary content (NUL bytes)")
    try:
        text = data.decode("utf-8")
        if _plausible(text):
            return text, "utf-8"
        raise DecodeError("binary", "control characters: not text")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1256")
        if _plausible(text) and arabic_ratio(text) >= 0.5:
            return text, "cp1256"
    except UnicodeDecodeError:
        pass
    # Anything else is ambiguous (Latin-1, Windows-1250 and 1252 decode the same bytes to
    # different letters): say so rather than guess and garble.
    guess = ""
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(data[:65536]).best()
        guess = f" (looks like {best.encoding})" if best is not None else ""
    except Exception:  # pragma: no cover - the hint is optional
        pass
    raise DecodeError("encoding", "not UTF-8, UTF-16/32 or Arabic Windows-1256" + guess
                      + "; convert it to UTF-8 first")


_READABLE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff\x20-\x7e\s\u00a0-\u00ff«»“”‘’–—…\u200c-\u200f]")


def _readable_share(text: str) -> float:
    """Share of characters that are Arabic, Latin or common punctuation."""
    sample = text[:4000]
    return len(_READABLE.findall(sample)) / max(1, len(sample))


# ------------------------------------------------------------------ sniffing

_HTML_RE = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html|<head|<body|<meta|<div|<p[\s>])", re.I | re.S)
_FEED_RE = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)[\s>]", re.I | re.S)


def sniff(data: bytes, suffix: str) -> str:
    """``text``, ``html``, ``jsonl`` or ``feed`` from the content first, the suffix second."""
    head = data[:2048].lstrip(codecs.BOM_UTF8)
    if _FEED_RE.match(head):
        return "feed"
    if _HTML_RE.match(head):
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in FEED_SUFFIXES:
        return "feed"
    return "text"


# ------------------------------------------------------------------ readers

def expand(inputs: Iterable[str]) -> Iterator[Item | tuple[Path, str]]:
    """Files (with their doc ids) of every argument, folders walked in sorted order.

    Yields ``(path, doc_id)`` for files, ``Reject`` for arguments that do not exist;
    URLs are yielded as ``(None, url)`` markers by :func:`read_inputs` instead.
    """
    for arg in inputs:
        p = Path(arg)
        if p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith("."):
                        continue
                    f = Path(dirpath) / name
                    yield f, f.relative_to(p).as_posix()
        elif p.is_file():
            yield p, p.name
        else:
            yield Reject(arg, "missing", "no such file or folder")


def read_inputs(inputs: Iterable[str]) -> Iterator[Item]:
    """Every document (or reject) of the given inputs, in a stable order."""
    for arg in inputs:
        if re.match(r"^https?://", arg, re.I):
            yield from read_url(arg)
            continue
        for x in expand([arg]):
            if isinstance(x, Reject):
                log.warning("%s: %s", x.source, x.detail)
                yield x
            else:
                yield from read_file(*x)


def read_file(path: Path, doc_id: str) -> Iterator[Item]:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            yield _reject(str(path), "too_large", f"{size} bytes (limit {MAX_BYTES})", doc_id)
            return
        data = path.read_bytes()
    except OSError as e:
        yield _reject(str(path), "unreadable", str(e), doc_id)
        return
    yield from read_bytes(data, source=str(path), doc_id=doc_id, suffix=path.suffix.lower())


def read_bytes(data: bytes, *, source: str, doc_id: str, suffix: str = "",
               url: str | None = None) -> Iterator[Item]:
    kind = sniff(data, suffix)
    try:
        text, enc = decode_bytes(data)
    except DecodeError as e:
        yield _reject(source, e.reason, e.detail, doc_id)
        return
    if kind == "jsonl":
        yield from read_jsonl(text, source=source, encoding=enc)
    elif kind == "feed":
        yield from read_feed(text, source=source, feed_id=doc_id)
    else:
        yield make_document(doc_id, text, kind=kind, source=source, encoding=enc, url=url)


def make_document(doc_id: str, raw: str, *, kind: str, source: str, encoding: str | None = None,
                  title: str | None = None, url: str | None = None, published: str | None = None,
                  author: str | None = None, meta: dict | None = None) -> Document:
    doc = Document(id=doc_id, raw=raw, kind=kind, source=source, content_hash=content_hash(raw),
                   encoding=encoding, title=title, url=url, published=published, author=author,
                   fetched=now_iso(), meta=meta or {})
    if kind == "html":
        from .clean import html_metadata  # trafilatura is imported only when HTML is seen
        md = html_metadata(raw)
        doc.title = doc.title or md.get("title")
        doc.url = doc.url or md.get("url")
        doc.published = doc.published or md.get("date")
        doc.author = doc.author or md.get("author")
        if doc.author:
            from .clean import clean_author
            doc.author = clean_author(doc.author)
        if md.get("sitename"):
            doc.meta.setdefault("sitename", md["sitename"])
    return doc


def read_jsonl(text: str, *, source: str, encoding: str | None = None) -> Iterator[Item]:
    """One document per line ``{id, text | html, title?, url?, published?, author?}``."""
    # JSON Lines are separated by "\n" only: U+2028, U+0085 and friends may stand inside
    # a JSON string (str.splitlines would cut the line there)
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{source}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield _reject(where, "json", f"line {n}: {e.msg} at column {e.colno}")
            continue
        if not isinstance(obj, dict):
            yield _reject(where, "json", f"line {n}: not an object")
            continue
        doc_id = obj.get("id", obj.get("docno"))
        if doc_id is None or str(doc_id).strip() == "":
            yield _reject(where, "no_id", f"line {n}: no 'id'")
            continue
        doc_id = str(doc_id)
        if isinstance(obj.get("text"), str) and obj["text"].strip():
            raw, kind = obj["text"], "text"
        elif isinstance(obj.get("html"), str) and obj["html"].strip():
            raw, kind = obj["html"], "html"
        else:
            yield _reject(where, "empty", f"line {n}: no 'text' or 'html'", doc_id)
            continue
        meta = {k: v for k, v in obj.items()
                if k not in {"id", "text", "html", "title", "url", "published", "author"}
                and isinstance(v, (str, int, float, bool))}
        published = obj.get("published") or obj.get("time") or obj.get("date")
        yield make_document(doc_id, raw, kind=kind, source=where, encoding=encoding,
                            title=_str(obj.get("title")), url=_str(obj.get("url")),
                            published=normalize_date(_str(published)),
                            author=_str(obj.get("author")), meta=meta)


def read_feed(text: str, *, source: str, feed_id: str) -> Iterator[Item]:
    import feedparser

    parsed = feedparser.parse(text)
    if parsed.bozo and not parsed.entries:
        yield _reject(source, "feed", f"unreadable feed: {parsed.get('bozo_exception')}", feed_id)
        return
    if not parsed.entries:
        yield _reject(source, "empty", "feed has no entries", feed_id)
        return
    for n, e in enumerate(parsed.entries, 1):
        where = f"{source}#{n}"
        doc_id = e.get("id") or e.get("link") or f"{feed_id}#{n}"
        body = ""
        if e.get("content"):
            body = max((c.get("value", "") for c in e["content"]), key=len)
        body = body or e.get("summary", "") or e.get("description", "")
        if not body.strip():
            yield _reject(where, "empty", "feed entry without content", doc_id)
            continue
        kind = "html" if re.search(r"<[a-zA-Z][^>]*>", body) else "text"
        published = None
        if e.get("published_parsed") or e.get("updated_parsed"):
            t = e.get("published_parsed") or e.get("updated_parsed")
            published = datetime(*t[:6], tzinfo=timezone.utc).isoformat()
        yield make_document(doc_id, body, kind=kind, source=where, title=_str(e.get("title")),
                            url=_str(e.get("link")), published=published,
                            author=_str(e.get("author")), meta={"feed": feed_id})


def read_url(url: str) -> Iterator[Item]:
    """Fetch a page or feed over http(s)."""
    req = urllib.request.Request(url, headers={"User-Agent": "rasd (+https://pypi.org/project/rasd)"})
    try:
        with urllib.request.urlopen(req, timeout=URL_TIMEOUT) as r:
            data = r.read(MAX_BYTES + 1)
            ctype = r.headers.get("Content-Type", "")
    except Exception as e:  # network errors of every kind: a reason, not a crash
        yield _reject(url, "fetch", f"{type(e).__name__}: {e}", url)
        return
    if len(data) > MAX_BYTES:
        yield _reject(url, "too_large", f"more than {MAX_BYTES} bytes", url)
        return
    suffix = Path(urllib.request.urlparse(url).path).suffix.lower()
    if "xml" in ctype or "rss" in ctype or "atom" in ctype:
        suffix = suffix if suffix in FEED_SUFFIXES else ".xml"
    elif "html" in ctype:
        suffix = ".html"
    yield from read_bytes(data, source=url, doc_id=url, suffix=suffix, url=url)


# ------------------------------------------------------------------ helpers

def _str(v) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def normalize_date(s: str | None) -> str | None:
    """ISO form of a publication date given in metadata (ISO or RFC 822), else as given."""
    if not s:
        return None
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime
        return parsedate_to_datetime(s).isoformat()
    except (TypeError, ValueError, IndexError):
        return s


def _reject(source: str, reason: str, detail: str, doc: str | None = None) -> Reject:
    log.warning("rejected %s: %s (%s)", source, reason, detail)
    return Reject(source=source, reason=reason, detail=detail, doc=doc)
