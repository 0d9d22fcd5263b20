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

Every document is judged on its own: a JSONL file is decoded line by line and a feed
entry by entry, so one bad line or entry is a reject of its own and the rest is read. A
file that is UTF-8 except a few bytes stays UTF-8 (the documents holding those bytes are
rejected with reason ``encoding``); another code page is tried only when the whole file
reads as it. Strings are sanitised at this boundary (a lone surrogate, which no store,
Parquet file or terminal accepts, becomes U+FFFD: same length, so offsets hold).

Only regular files are read (a FIFO or a device is a reject, never a blocking read);
symbolic links are followed only inside the input folder unless ``follow_links``; every
read has a size cap and an overall deadline (:class:`Limits`).
"""
from __future__ import annotations

import codecs
import contextlib
import hashlib
import json
import logging
import os
import re
import stat
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Union
from urllib.parse import urlparse

from .lang.normalize import arabic_ratio
from .records import Document, Reject, clean_str

log = logging.getLogger(__name__)

Item = Union[Document, Reject]

TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
MAX_BYTES = 20 * 1024 * 1024  # one document larger than this is not news: reject it
URL_TIMEOUT = 20              # seconds for one network read (connect, each chunk)
READ_SECONDS = 120            # seconds for a whole file or URL read, at most
META_CHARS = 1_000_000         # HTML metadata is read from this many characters at most
FEED_FACTOR = 5               # a feed file (many entries) may be this many documents long


@dataclass(frozen=True)
class Limits:
    """Size caps and deadlines of reading (``rasd process --max-doc-bytes ...``)."""

    max_doc_bytes: int = MAX_BYTES       # one document: a file, a JSONL line, a feed entry, a page
    read_seconds: float = READ_SECONDS   # one whole read of a file or a URL
    url_timeout: float = URL_TIMEOUT     # one network read
    follow_links: bool = False           # follow symbolic links out of the input folder

    @property
    def max_feed_bytes(self) -> int:
        return self.max_doc_bytes * FEED_FACTOR


DEFAULT_LIMITS = Limits()


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


# A byte that is not UTF-8 inside text that otherwise is: feeds are decoded with this
# mark in its place (a private-use character XML accepts), and an entry that holds one
# is rejected (reason ``encoding``) while the other entries are read.
BAD_BYTE = "\U0010fffd"


def _mark_bad(e: UnicodeDecodeError) -> tuple[str, int]:
    return BAD_BYTE * (e.end - e.start), e.end


codecs.register_error("rasd-mark", _mark_bad)
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def mostly_utf8(data: bytes) -> int | None:
    """Offset of the first byte that is not UTF-8 when ``data`` is UTF-8 but for a few
    bytes (at most 1 in 20 of its non-ASCII bytes, and at least one valid multi-byte
    character), else None. Text in a legacy code page is almost never valid UTF-8: its
    non-ASCII bytes fail nearly all."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as e:
        first = e.start
    text = data.decode("utf-8", "rasd-mark")
    bad = text.count(BAD_BYTE)
    non_ascii = len(_NON_ASCII.findall(data))
    good = non_ascii - bad
    if good > 0 and bad * 20 <= non_ascii:
        return first
    return None


def decode_bytes(data: bytes, *, mark_bad: bool = False) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)`` or raise :class:`DecodeError`.

    ``mark_bad``: text that is UTF-8 but for a few bytes is decoded with
    :data:`BAD_BYTE` in their place (for a feed, judged entry by entry) instead of being
    rejected."""
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
    bad_at = mostly_utf8(data)
    if bad_at is not None:
        if mark_bad:
            text = data.decode("utf-8", "rasd-mark")
            if _plausible(text):
                return text, "utf-8"
        raise DecodeError("encoding", f"UTF-8 but for invalid bytes (the first at byte {bad_at})")
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

def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def expand(inputs: Iterable[str], *, follow_links: bool = False) -> Iterator[Item | tuple[Path, str]]:
    """Files (with their doc ids) of every argument, folders walked in sorted order
    (a folder's files first, then its sub-folders; hidden names skipped).

    Yields ``(path, doc_id)`` for regular files, a ``Reject`` for an argument that does
    not exist, for what is not a regular file (a FIFO, a device, a socket: reading one
    would block or never end) and for a symbolic link out of the input folder (unless
    ``follow_links``). A file named as an argument is read even through a link: the user
    named it. URLs are handled by :func:`read_inputs`."""
    for arg in inputs:
        p = Path(arg)
        if p.is_dir():
            yield from _walk(p, follow_links)
        elif p.is_file():
            yield p, p.name
        elif p.exists():
            yield Reject(arg, "not_file", "not a regular file (a FIFO, device or socket)", p.name)
        else:
            yield Reject(arg, "missing", "no such file or folder")


def _walk(root: Path, follow_links: bool) -> Iterator[Item | tuple[Path, str]]:
    real_root = os.path.realpath(root)
    seen = {real_root}

    def visit(d: Path) -> Iterator[Item | tuple[Path, str]]:
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as e:
            yield Reject(str(d), "unreadable", str(e), d.relative_to(root).as_posix())
            return
        files, dirs = [], []
        for e in entries:
            if e.name.startswith("."):
                continue
            try:
                is_dir = e.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            (dirs if is_dir else files).append(e)
        for e in files:
            f = Path(e.path)
            doc_id = f.relative_to(root).as_posix()
            if e.is_symlink():
                target = os.path.realpath(f)
                if not follow_links and not _inside(target, real_root):
                    yield Reject(str(f), "link", f"symbolic link out of the input folder (to {target}); "
                                 "--follow-links reads it", doc_id)
                    continue
            try:
                st = os.stat(f)
            except OSError as err:
                yield Reject(str(f), "missing" if e.is_symlink() else "unreadable", str(err), doc_id)
                continue
            if not stat.S_ISREG(st.st_mode):
                yield Reject(str(f), "not_file", "not a regular file (a FIFO, device or socket)", doc_id)
                continue
            yield f, doc_id
        for e in dirs:
            sub = Path(e.path)
            if e.is_symlink():
                target = os.path.realpath(sub)
                if not follow_links and not _inside(target, real_root):
                    yield Reject(str(sub), "link", f"symbolic link out of the input folder (to {target}); "
                                 "--follow-links reads it", sub.relative_to(root).as_posix())
                    continue
                if target in seen:      # a loop of links
                    continue
                seen.add(target)
            yield from visit(sub)

    yield from visit(root)


def read_inputs(inputs: Iterable[str], limits: Limits | None = None) -> Iterator[Item]:
    """Every document (or reject) of the given inputs, in a stable order."""
    limits = limits or DEFAULT_LIMITS
    for arg in inputs:
        if re.match(r"^https?://", arg, re.I):
            yield from read_url(arg, limits)
            continue
        for x in expand([arg], follow_links=limits.follow_links):
            if isinstance(x, Reject):
                x = _reject(x.source, x.reason, x.detail, x.doc)
                yield x
            else:
                yield from read_file(*x, limits=limits)


class _ReadError(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def _open_regular(path: Path):
    """A binary file object of ``path`` if it is a regular file (opened without blocking:
    a FIFO put there since the folder was listed does not hang the run)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise _ReadError("unreadable", str(e)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _ReadError("not_file", "not a regular file (a FIFO, device or socket)")
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def _read_capped(f, cap: int, deadline: float, what: str) -> bytes:
    """At most ``cap`` bytes of ``f`` (more is a ``too_large`` error), before ``deadline``."""
    chunks, n = [], 0
    while True:
        if time.monotonic() > deadline:
            raise _ReadError("timeout", f"{what}: not read within the deadline")
        b = f.read(min(1 << 20, cap + 1 - n))
        if not b:
            break
        chunks.append(b)
        n += len(b)
        if n > cap:
            raise _ReadError("too_large", f"more than {cap} bytes (limit {cap})")
    return b"".join(chunks)


def read_file(path: Path, doc_id: str, limits: Limits | None = None) -> Iterator[Item]:
    limits = limits or DEFAULT_LIMITS
    deadline = time.monotonic() + limits.read_seconds
    try:
        with _open_regular(path) as f:
            head = f.read(4096)
            suffix = path.suffix.lower()
            kind = sniff(head, suffix)
            if kind == "jsonl" and jsonl_streamable(head):
                f.seek(0)
                enc = jsonl_encoding(_lines(f, limits, deadline, str(path)))
                f.seek(0)
                yield from read_jsonl_lines(_lines(f, limits, deadline, str(path)), source=str(path),
                                            encoding=enc, limits=limits)
                return
            cap = limits.max_feed_bytes if kind in ("feed", "jsonl") else limits.max_doc_bytes
            size = os.fstat(f.fileno()).st_size
            if size > cap:
                yield _reject(str(path), "too_large", f"{size} bytes (limit {cap})", doc_id)
                return
            data = head + _read_capped(f, cap - len(head), deadline, str(path))
    except _ReadError as e:
        yield _reject(str(path), e.reason, e.detail, doc_id)
        return
    except OSError as e:
        yield _reject(str(path), "unreadable", str(e), doc_id)
        return
    yield from read_bytes(data, source=str(path), doc_id=doc_id, suffix=path.suffix.lower(), limits=limits)


def jsonl_streamable(head: bytes) -> bool:
    """A JSONL file read line by line (UTF-8 or a one-byte code page), not whole (UTF-16/32)."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:   # UTF-16 without BOM, when the whole file reads as it
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = head[: len(head) // 2 * 2].decode(enc)
            except UnicodeDecodeError:
                continue
            if _readable_share(text) >= 0.9:
                return False
    return True


class TooLong(bytes):
    """A line over the size cap: only its length (``n``) is kept."""

    n: int = 0


def _lines(f, limits: Limits, deadline: float, what: str) -> Iterator[bytes]:
    """The lines of ``f`` split at ``\\n`` (without it), a line over the cap as a
    :class:`TooLong` (the line is skipped, never held in memory). The deadline bounds the
    time spent reading: the time the consumer spends on a line (processing the documents of
    a long JSONL file) does not count, else a large file on a slow machine would be cut
    part-way and the rest rejected as a timeout."""
    cap = limits.max_doc_bytes
    budget = deadline - time.monotonic()
    while True:
        if budget < 0:
            raise _ReadError("timeout", f"{what}: not read within the deadline")
        t0 = time.monotonic()
        line = f.readline(cap + 5)
        budget -= time.monotonic() - t0
        if not line:
            return
        if line.endswith(b"\n"):
            line = line[:-1]
        elif len(line) > cap:
            n = len(line)
            t0 = time.monotonic()
            while True:
                more = f.readline(1 << 20)
                n += len(more)
                if not more or more.endswith(b"\n"):
                    n -= 1 if more.endswith(b"\n") else 0
                    break
            budget -= time.monotonic() - t0
            t = TooLong(b"")
            t.n = n
            yield t
            continue
        yield line


def jsonl_encoding(lines: Iterable[bytes]) -> str:
    """``utf-8`` unless the lines that are not UTF-8 are all there is (no line holds a
    valid non-ASCII UTF-8 character) and the whole reads as Arabic Windows-1256."""
    utf8_lines = bad = arabic = letters = 0
    bom = False
    legacy: list[bytes] = []
    for i, line in enumerate(lines):
        if isinstance(line, TooLong):
            continue
        if i == 0 and line.startswith(codecs.BOM_UTF8):
            line, bom = line[3:], True
        try:
            line.decode("utf-8")
            if _NON_ASCII.search(line):
                utf8_lines += 1
        except UnicodeDecodeError:
            bad += 1
            if len(legacy) < 200:
                legacy.append(line)
    if not bad or utf8_lines:
        return "utf-8-sig" if bom else "utf-8"
    text = b"\n".join(legacy).decode("cp1256", "replace")
    letters = len(re.findall(r"[^\W\d_]", text))
    arabic = arabic_ratio(text) * letters
    if letters and arabic / letters >= 0.5 and _plausible(text):
        return "cp1256"
    return "utf-8-sig" if bom else "utf-8"


def read_jsonl_lines(lines: Iterable[bytes], *, source: str, encoding: str, line0: int = 0,
                     limits: Limits | None = None) -> Iterator[Item]:
    """One document per line of bytes (line ``line0 + 1`` first), each line decoded and
    judged on its own: a line over the size cap, not in ``encoding``, binary, or not a
    JSON object is a reject of its own."""
    limits = limits or DEFAULT_LIMITS
    codec = "cp1256" if encoding == "cp1256" else "utf-8"
    for i, line in enumerate(lines):
        n = line0 + i + 1
        where = f"{source}:{n}"
        if isinstance(line, TooLong) or len(line) > limits.max_doc_bytes:
            size = line.n if isinstance(line, TooLong) else len(line)
            yield _reject(where, "too_large", f"line {n}: {size} bytes (limit {limits.max_doc_bytes})")
            continue
        if i == 0 and line0 == 0 and line.startswith(codecs.BOM_UTF8):
            line = line[3:]
        if not line.strip():
            continue
        try:
            text = line.decode(codec)
        except UnicodeDecodeError as e:
            yield _reject(where, "encoding", f"line {n}: not {codec} (byte {e.start}: {e.reason})")
            continue
        yield from _jsonl_line(text, n, where, encoding, limits)


def read_bytes(data: bytes, *, source: str, doc_id: str, suffix: str = "",
               url: str | None = None, limits: Limits | None = None) -> Iterator[Item]:
    limits = limits or DEFAULT_LIMITS
    kind = sniff(data, suffix)
    if kind == "jsonl" and not jsonl_streamable(data[:4096]):
        # UTF-16/32 when the whole file reads as it; else line by line after all (one
        # UTF-16 line in a UTF-8 file is a bad line, not a UTF-16 file)
        try:
            text, enc = decode_bytes(data)
        except DecodeError:
            text, enc = None, None
        if enc and enc.startswith(("utf-16", "utf-32")):
            yield from read_jsonl(text, source=source, encoding=enc, limits=limits)
            return
    if kind == "jsonl":
        lines = data.split(b"\n")
        yield from read_jsonl_lines(lines, source=source, encoding=jsonl_encoding(lines), limits=limits)
        return
    if kind in ("text", "html") and len(data) > limits.max_doc_bytes:
        yield _reject(source, "too_large", f"{len(data)} bytes (limit {limits.max_doc_bytes})", doc_id)
        return
    try:
        text, enc = decode_bytes(data, mark_bad=kind == "feed")
    except DecodeError as e:
        yield _reject(source, e.reason, e.detail, doc_id)
        return
    if kind == "feed":
        yield from read_feed(text, source=source, feed_id=doc_id, limits=limits)
    else:
        yield make_document(doc_id, text, kind=kind, source=source, encoding=enc, url=url)


def make_document(doc_id: str, raw: str, *, kind: str, source: str, encoding: str | None = None,
                  title: str | None = None, url: str | None = None, published: str | None = None,
                  author: str | None = None, meta: dict | None = None) -> Document:
    raw = clean_str(raw)
    doc = Document(id=clean_str(doc_id), raw=raw, kind=kind, source=clean_str(source),
                   content_hash=content_hash(raw), encoding=encoding, title=title, url=url,
                   published=published, author=author, fetched=now_iso(), meta=meta or {})
    if kind == "html":
        from .clean import html_metadata  # trafilatura is imported only when HTML is seen
        # the metadata (head, title, byline, date) stand at the top: a huge page is not
        # parsed whole for them (trafilatura took 48 s on a 20 MB page)
        md = html_metadata(raw if len(raw) <= META_CHARS else raw[:META_CHARS])
        doc.title = doc.title or _str(md.get("title"))
        doc.url = doc.url or _str(md.get("url"))
        doc.published = doc.published or _str(md.get("date"))
        doc.author = doc.author or _str(md.get("author"))
        if doc.author:
            from .clean import clean_author
            doc.author = clean_author(doc.author)
        if md.get("sitename"):
            doc.meta.setdefault("sitename", clean_str(str(md["sitename"])))
    return doc


def read_jsonl(text: str, *, source: str, encoding: str | None = None,
               limits: Limits | None = None) -> Iterator[Item]:
    """One document per line ``{id, text | html, title?, url?, published?, author?}`` of
    decoded text (each line judged on its own, as :func:`read_jsonl_lines` does)."""
    limits = limits or DEFAULT_LIMITS
    # JSON Lines are separated by "\n" only: U+2028, U+0085 and friends may stand inside
    # a JSON string (str.splitlines would cut the line there)
    for n, line in enumerate(text.split("\n"), 1):
        where = f"{source}:{n}"
        if len(line) * 4 > limits.max_doc_bytes:
            size = len(line.encode("utf-8", "surrogatepass"))
            if size > limits.max_doc_bytes:
                yield _reject(where, "too_large", f"line {n}: {size} bytes (limit {limits.max_doc_bytes})")
                continue
        yield from _jsonl_line(text=line, n=n, where=where, encoding=encoding, limits=limits)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _jsonl_line(text: str, n: int, where: str, encoding: str | None, limits: Limits) -> Iterator[Item]:
    if not text.strip():
        return
    if not _plausible(text):
        reason = "encoding" if text.count("\ufffd") > max(2, len(text) // 1000) else "binary"
        yield _reject(where, reason, f"line {n}: control characters or U+FFFD: not text")
        return
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        yield _reject(where, "json", f"line {n}: {e.msg} at column {e.colno}")
        return
    except RecursionError:
        yield _reject(where, "json", f"line {n}: nested too deeply")
        return
    if not isinstance(obj, dict):
        yield _reject(where, "json", f"line {n}: not an object")
        return
    doc_id = obj.get("id", obj.get("docno"))
    if doc_id is None or (isinstance(doc_id, str) and doc_id.strip() == ""):
        yield _reject(where, "no_id", f"line {n}: no 'id'")
        return
    if not isinstance(doc_id, str):
        yield _reject(where, "bad_id", f"line {n}: 'id' is a JSON {_json_type(doc_id)}, not a string")
        return
    if _SURROGATE.search(doc_id) or _CONTROL.search(doc_id):
        yield _reject(where, "bad_id", f"line {n}: 'id' holds a lone surrogate or a control character",
                      clean_str(doc_id))
        return
    if isinstance(obj.get("text"), str) and obj["text"].strip():
        raw, kind = obj["text"], "text"
    elif isinstance(obj.get("html"), str) and obj["html"].strip():
        raw, kind = obj["html"], "html"
    else:
        yield _reject(where, "empty", f"line {n}: no 'text' or 'html'", doc_id)
        return
    if len(raw) * 4 > limits.max_doc_bytes and len(raw.encode("utf-8", "surrogatepass")) > limits.max_doc_bytes:
        yield _reject(where, "too_large", f"line {n}: the {kind} is over {limits.max_doc_bytes} bytes", doc_id)
        return
    meta = {k: (clean_str(v) if isinstance(v, str) else v) for k, v in obj.items()
            if k not in {"id", "text", "html", "title", "url", "published", "author"}
            and isinstance(v, (str, int, float, bool)) and isinstance(k, str) and not _SURROGATE.search(k)}
    published = obj.get("published") or obj.get("time") or obj.get("date")
    yield make_document(doc_id, raw, kind=kind, source=where, encoding=encoding,
                        title=_str(obj.get("title")), url=_str(obj.get("url")),
                        published=normalize_date(_str(published)),
                        author=_str(obj.get("author")), meta=meta)


def _json_type(v) -> str:
    return {bool: "boolean", int: "number", float: "number", list: "array", dict: "object"}.get(type(v), "value")


# numeric character references that name no character (surrogates, beyond U+10FFFF, NUL):
# feedparser raises on them; they become U+FFFD before it reads the feed
_CHARREF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,12})|([0-9]{1,12}));")


def _charref(m: re.Match) -> str:
    v = int(m.group(1), 16) if m.group(1) else int(m.group(2))
    return m.group(0) if 0 < v <= 0x10FFFF and not 0xD800 <= v <= 0xDFFF else "&#xFFFD;"


def read_feed(text: str, *, source: str, feed_id: str, limits: Limits | None = None) -> Iterator[Item]:
    import feedparser

    limits = limits or DEFAULT_LIMITS
    try:
        parsed = feedparser.parse(_CHARREF.sub(_charref, text))
    except Exception as e:  # noqa: BLE001 - a feed that breaks the parser is a reject
        yield _reject(source, "feed", f"unreadable feed: {type(e).__name__}: {e}", feed_id)
        return
    if parsed.bozo and not parsed.entries:
        yield _reject(source, "feed", f"unreadable feed: {parsed.get('bozo_exception')}", feed_id)
        return
    if not parsed.entries:
        yield _reject(source, "empty", "feed has no entries", feed_id)
        return
    for n, e in enumerate(parsed.entries, 1):
        where = f"{source}#{n}"
        doc_id = _str(e.get("id")) or _str(e.get("link")) or f"{feed_id}#{n}"
        body = ""
        if e.get("content"):
            body = max((c.get("value", "") for c in e["content"]), key=len)
        body = body or e.get("summary", "") or e.get("description", "")
        if not isinstance(body, str) or not body.strip():
            yield _reject(where, "empty", "feed entry without content", doc_id.replace(BAD_BYTE, "\ufffd"))
            continue
        title = _str(e.get("title"))
        if BAD_BYTE in body or BAD_BYTE in (title or "") or BAD_BYTE in doc_id:
            yield _reject(where, "encoding", "entry holds bytes that are not UTF-8", doc_id.replace(BAD_BYTE, "\ufffd"))
            continue
        if len(body) * 4 > limits.max_doc_bytes and len(body.encode("utf-8", "surrogatepass")) > limits.max_doc_bytes:
            yield _reject(where, "too_large", f"entry over {limits.max_doc_bytes} bytes", doc_id)
            continue
        kind = "html" if re.search(r"<[a-zA-Z][^>]*>", body) else "text"
        published = None
        if e.get("published_parsed") or e.get("updated_parsed"):
            t = e.get("published_parsed") or e.get("updated_parsed")
            published = datetime(*t[:6], tzinfo=timezone.utc).isoformat()
        yield make_document(doc_id, body, kind=kind, source=where, title=title,
                            url=_str(e.get("link")), published=published,
                            author=_str(e.get("author")), meta={"feed": feed_id})


def read_url(url: str, limits: Limits | None = None) -> Iterator[Item]:
    """Fetch a page or feed over http(s): at most ``max_feed_bytes``, within
    ``read_seconds`` all told (a server that trickles bytes is given up)."""
    import urllib.request  # noqa: F401 - imported here, not in the fetch thread's time (see _fetch)

    limits = limits or DEFAULT_LIMITS
    box: dict = {}
    t = threading.Thread(target=_fetch, args=(url, limits, box), daemon=True, name="rasd-fetch")
    t.start()
    t.join(limits.read_seconds + 1)
    if t.is_alive():
        box["stop"] = True
        r = box.get("response")
        if r is not None:
            with contextlib.suppress(OSError, AttributeError):   # only to free the thread sooner
                r.close()
        yield _reject(url, "timeout", f"not fetched within {limits.read_seconds:g} s", url)
        return
    if "error" in box:
        reason, detail = box["error"]
        yield _reject(url, reason, detail, url)
        return
    data, ctype = box["data"], box["ctype"]
    suffix = Path(urlparse(url).path).suffix.lower()
    if "xml" in ctype or "rss" in ctype or "atom" in ctype:
        suffix = suffix if suffix in FEED_SUFFIXES else ".xml"
    elif "html" in ctype:
        suffix = ".html"
    yield from read_bytes(data, source=url, doc_id=url, suffix=suffix, url=url, limits=limits)


def _fetch(url: str, limits: Limits, box: dict) -> None:
    """Runs in a thread: ``box`` receives ``data`` and ``ctype``, or ``error``."""
    import urllib.request  # not at the top: runs without URLs do not import http.client, email ...

    deadline = time.monotonic() + limits.read_seconds
    cap = limits.max_feed_bytes
    req = urllib.request.Request(url, headers={"User-Agent": "rasd (+https://pypi.org/project/rasd)"})
    try:
        with urllib.request.urlopen(req, timeout=min(limits.url_timeout, limits.read_seconds)) as r:
            box["response"] = r
            ctype = r.headers.get("Content-Type", "")
            chunks, n = [], 0
            while True:
                if box.get("stop") or time.monotonic() > deadline:
                    box["error"] = ("timeout", f"not fetched within {limits.read_seconds:g} s")
                    return
                b = r.read1(65536)
                if not b:
                    break
                chunks.append(b)
                n += len(b)
                if n > cap:
                    box["error"] = ("too_large", f"more than {cap} bytes")
                    return
    except Exception as e:  # noqa: BLE001 - network errors of every kind: a reason, not a crash
        box["error"] = ("fetch", f"{type(e).__name__}: {e}")
        return
    box["data"], box["ctype"] = b"".join(chunks), ctype


# ------------------------------------------------------------------ helpers

def _str(v) -> str | None:
    """A metadata string, stripped and sanitised; None for what is not a string (or number)."""
    if v is None or isinstance(v, bool) or not isinstance(v, (str, int, float)):
        return None
    s = clean_str(str(v)).replace(BAD_BYTE, "\ufffd").strip()
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
    r = Reject(source=clean_str(source), reason=reason, detail=clean_str(detail),
               doc=clean_str(doc) if doc is not None else None)
    log.warning("rejected %s: %s (%s)", r.source, reason, r.detail)
    return r
