"""Clean: split a document into articles whose paragraphs are raw-offset spans.

A page is read as a sequence of *lines* (for text, the raw lines; for HTML, the
paragraphs that trafilatura keeps, aligned back onto the raw HTML). Each line is judged
by what it is, never by the strings of a particular site:

* its shape: length in words, final punctuation, share of letters, whether it carries
  Arabic at all on an Arabic page;
* credits: a short trailing «(رويترز)», «/وكالة ...» or «| أ ب» marks a caption, a
  «Name (City)» line is a signature;
* repetition within the page: a headline printed again is a page head, a line repeated
  right after itself is a caption;
* position: headings before the first paragraph are the head (title, standfirst),
  between paragraphs they are crossheads;
* cue phrases kept as data (``rasd/data/boilerplate.tsv``): «مقالات ذات صلة» opens a
  teaser block, «يمكنكم التواصل معنا» a footer, «TT» or «الحجم الطبيعي» is a widget.

Lines then form *runs* of paragraphs. A page head (a repeated headline) or a teaser
block starts a new run; so does a separator line («3», «***»), but then the new run is
only a new article when its words have little in common with the run before
(lexical cohesion, as in TextTiling). Runs inside a teaser block need three paragraphs
and 100 words to count as an article (teasers have one) unless their head carries the
page widgets of a full article; other runs after the first need two paragraphs or 60
words.
"""
from __future__ import annotations

import hashlib
import logging
import re
from array import array
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .lang.normalize import arabic_ratio, letter_count, norm_key, norm_keys
from .records import Article, Document, Span

log = logging.getLogger(__name__)

# ------------------------------------------------------------------ lexicons


@lru_cache(maxsize=1)
def cues() -> dict[str, frozenset[str]]:
    """Cue phrases by kind from ``rasd/data/boilerplate.tsv`` (normalised)."""
    out: dict[str, list[str]] = {}
    text = resources.files("rasd").joinpath("data/boilerplate.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, phrase = line.partition("\t")
        out.setdefault(kind.strip(), []).append(norm_key(phrase))
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = resources.files("rasd").joinpath("data/stopwords.txt").read_text("utf-8")
    return frozenset(norm_key(w) for w in text.splitlines() if w.strip() and not w.startswith("#"))


# ------------------------------------------------------------------ lines

TERMINAL = ".!?؟…"
CLOSERS = "»\"”')’"
_CREDIT_PAREN = re.compile(r"\(([^()]{1,40})\)\s*$")
_CREDIT_SLASH = re.compile(r"[/|]\s*([^/|.!?؟]{1,40})$")
_WORD = re.compile(r"[^\W_]+")
_LETTER = re.compile(r"[^\W\d_]")
# «علي بردى (واشنطن)»: a name of one to four words, then a place in parentheses
_SIGNATURE = re.compile(r"^[«\"]?[^\W\d_]+(?:\s+[^\W\d_]+){0,3}[»\"]?\s*\([^()]{2,30}\)$")


@dataclass(slots=True)
class Line:
    start: int          # raw span of the line's content
    end: int
    text: str           # the line as a reader sees it (for HTML: without tags)
    key: str = ""       # normalised, for comparisons
    words: int = 0
    kind: str = ""      # para | heading | caption | byline | widget | separator | related | footer
    author: str | None = None


def text_lines(raw: str) -> list[Line]:
    """Non-blank lines of a plain-text page, spans trimmed of surrounding white space."""
    out = []
    pos = 0
    for part in raw.splitlines(keepends=True):
        body = part.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            s = pos + lead
            out.append(Line(s, s + len(stripped), stripped))
        pos += len(part)
    return out


def _ends_sentence(t: str) -> bool:
    t = t.rstrip()
    while t and t[-1] in CLOSERS:
        t = t[:-1].rstrip()
    return bool(t) and t[-1] in TERMINAL


def _matches(key: str, phrases: frozenset[str], *, prefix: bool = False) -> bool:
    """``key`` is one of ``phrases`` (or, with ``prefix``, starts with one as whole words)."""
    k = key.rstrip(" :：-–—.")
    if k in phrases:
        return True
    if prefix:
        ws = k.replace(":", " ").split()
        return any(" ".join(ws[:i]) in phrases for i in range(1, min(len(ws), 5)))
    return False


def clean_author(t: str) -> str:
    """«بقلم علي قيس:» → «علي قيس»."""
    t = t.strip(" :：-–—")
    key = norm_key(t)
    for p in sorted(cues().get("byline", ()), key=len, reverse=True):
        if key.startswith(p + " "):
            return " ".join(t.split()[len(p.split()):]).strip(" :：-–—") or t
    return t


def classify(line: Line, *, arabic_page: bool, key: str | None = None) -> str:
    """The kind of one line; see the module doc (``key``: ``norm_key(line.text)`` when
    the caller has it)."""
    t = line.text
    key = line.key = norm_key(t) if key is None else key
    ws = _WORD.findall(t)
    n = line.words = len(ws)
    c = cues()
    if n <= 6 and _matches(key, c.get("related", frozenset())):
        return "related"
    if n <= 30 and (_matches(key, c.get("footer", frozenset()), prefix=True) or "©" in t):
        return "footer"
    if n <= 8:
        toks = key.split()
        widgets = c.get("widget", frozenset())
        if _matches(key, widgets) or (toks and all(x in widgets or not _LETTER.search(x) for x in toks)
                                      and any(x in widgets for x in toks)):
            return "widget"
    if n > 8:      # long lines: only whether there are letters at all matters
        letters = 1 if any(not w.isdigit() for w in ws) else 0
    else:
        letters = letter_count(t)
    if letters == 0:
        return "separator"
    if arabic_page and n <= 6 and arabic_ratio(t) < 0.2:
        return "widget"       # "Accessibility links", "Email" on an Arabic page
    if n <= 8 and letters < 0.5 * len(t.replace(" ", "")):
        return "widget"       # "ت + ت -", "A+ A-"
    if n <= 10 and not any(ch.isdigit() for ch in key):
        for p in c.get("byline", ()):
            if key.startswith(p + " ") and len(key.split()) <= 6:
                line.author = clean_author(t)
                return "byline"
    if _SIGNATURE.match(t):
        return "byline"       # «علي بردى (واشنطن)», «"الشرق الأوسط" (دمشق)»
    for p in c.get("caption", ()):
        if key.startswith(p) and n <= 40 and not _ends_sentence(t):
            return "caption"
    if n <= 40:
        m = _CREDIT_PAREN.search(t) or _CREDIT_SLASH.search(t)
        if m and len(_WORD.findall(m.group(1))) <= 4 and not _ends_sentence(t[:m.start()]):
            return "caption"  # "... على أطراف الرمادي (أ.ب)", ".../وكالة الصحافة الفرنسية"
    if n >= 25 or (_ends_sentence(t) and n >= 6):
        return "para"
    if n <= 20:
        return "heading"
    return "para"


# ------------------------------------------------------------------ runs → articles


@dataclass
class Run:
    title: Line | None = None
    subtitle: Line | None = None
    author: str | None = None
    paras: list[Line] = field(default_factory=list)
    headings: list[Line] = field(default_factory=list)
    related: bool = False       # began inside a teaser block
    soft: bool = False          # began after a separator, not after a page head
    framed: bool = False        # its head carries page widgets (share, font size): a full article
    soft_related: bool = False  # the text right after a teaser list, with no signature between

    @property
    def words(self) -> int:
        return sum(p.words for p in self.paras)


MIN_FIRST_WORDS = 8
MIN_PARAS, MIN_WORDS = 2, 60
MIN_RELATED_PARAS, MIN_RELATED_WORDS = 3, 100
COHESION = 0.3


@lru_cache(maxsize=1)
def connectives() -> frozenset[str]:
    """Paragraph openings that continue the text before (``rasd/data/connectives.txt``)."""
    text = resources.files("rasd").joinpath("data/connectives.txt").read_text("utf-8")
    return frozenset(norm_key(w) for w in text.splitlines() if w.strip() and not w.startswith("#"))


def opens_with_connective(para: Line) -> bool:
    ws = _WORD.findall(para.key[:60])
    conn = connectives()
    return any(" ".join(ws[:k]) in conn for k in (1, 2, 3))


def _content(run: Run) -> set[str]:
    sw = stopwords()
    out = set()
    for p in run.paras:
        for w in _WORD.findall(p.key):
            if w.startswith("ال") and len(w) > 4:
                w = w[2:]
            elif w[:1] in "وفبل" and w[1:3] == "ال" and len(w) > 5:
                w = w[3:]
            if len(w) >= 3 and w not in sw and not w.isdigit():
                out.add(w)
    return out


def cohesion(a: Run, b: Run) -> float:
    """Share of the smaller run's content words that the other run also uses."""
    wa, wb = _content(a), _content(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def segment(lines: list[Line], *, arabic_page: bool = True) -> list[Run]:
    """Group classified lines into runs (candidate articles)."""
    for ln, key in zip(lines, norm_keys([ln.text for ln in lines])):
        ln.kind = classify(ln, arabic_page=arabic_page, key=key)
    # Separators that recur divide sections of one text (a timeline: "- 2013 -", "- 2014 -");
    # a lone one may end the article and start a brief.
    splitting_separators = sum(1 for ln in lines if ln.kind == "separator") < 2
    runs: list[Run] = []
    cur = Run()
    mode = "head"            # head | body | related | footer
    zone_keys: set[str] = set()
    crosshead: Line | None = None
    prev_key = None

    def close(**kw) -> Run:
        nonlocal cur, crosshead
        if cur.paras:
            runs.append(cur)
        crosshead = None
        cur = Run(**kw)
        return cur

    for i, ln in enumerate(lines):
        kind = ln.kind
        if ln.key == prev_key:
            continue                      # a line printed twice in a row: caption, widget
        prev_key = ln.key
        if kind == "related":
            close(related=True, soft_related=True)
            mode = "related"
            continue
        if kind == "footer":
            close(related=True)
            mode = "footer"
            continue
        if kind in ("widget", "separator"):
            if kind == "widget" and cur.title is not None and not cur.paras:
                cur.framed = True
            if mode == "body" and kind == "separator" and splitting_separators:
                close(soft=True)
                mode = "head"
            continue
        if kind == "caption":
            continue
        if kind == "byline":
            if cur.paras:                 # a signature after the text ends it
                close(related=mode in ("related", "footer"), soft=True)
            elif ln.author and not cur.author:
                cur.author = ln.author
            continue
        if kind == "heading":
            if ln.key in zone_keys:
                continue                  # the headline printed again in its page head
            headline = _repeated_in_head(lines, i) or _widget_follows(lines, i)
            if headline and cur.title is not None and not cur.paras and mode == "head":
                headline = False          # a second head line before any text: the standfirst
            if headline or not runs and not cur.paras and cur.title is None:
                in_teasers = mode in ("related", "footer")
                close(related=in_teasers)
                cur.title = ln
                zone_keys = {ln.key}
                mode = "related" if in_teasers else "head"
                continue
            if cur.paras and mode == "body":
                crosshead = ln            # kept when a paragraph follows
            elif cur.title is not None and cur.subtitle is None and not cur.paras:
                cur.subtitle = ln
            elif cur.title is None and not cur.paras:
                cur.title = ln
            continue
        # a paragraph
        if ln.key in zone_keys:
            continue
        if crosshead is not None:
            cur.headings.append(crosshead)
            crosshead = None
        cur.paras.append(ln)
        if mode in ("head",):
            mode = "body"
        elif mode in ("related", "footer"):
            cur.related = True
    close()
    return runs


def _repeated_in_head(lines: list[Line], i: int) -> bool:
    """The line is printed again before any paragraph: a page head («title, caption, TT,
    title»), not an inline «read also» link that recurs between paragraphs."""
    key = lines[i].key
    for ln in lines[i + 1:]:
        if ln.key == key:
            return True
        if ln.kind == "para":
            return False
    return False


def _widget_follows(lines: list[Line], i: int, window: int = 4) -> bool:
    for ln in lines[i + 1:i + 1 + window]:
        if ln.kind == "widget":
            return True
        if ln.kind == "para":
            return False
    return False


def accept(runs: list[Run]) -> list[Run]:
    """Runs that are articles: teasers and fragments go, separated runs that continue
    the text before them are merged back into it."""
    out: list[Run] = []

    def continues(r: Run) -> bool:
        return bool(out) and (opens_with_connective(r.paras[0]) or cohesion(out[-1], r) >= COHESION)

    for r in runs:
        if r.related and not r.framed:
            if r.soft_related and continues(r):
                # an inline «read also» box: the text after it goes on with the article
                out[-1].paras.extend(r.paras)
                out[-1].headings.extend(r.headings)
            elif len(r.paras) >= MIN_RELATED_PARAS and r.words >= MIN_RELATED_WORDS:
                out.append(r)
            continue
        if r.soft and r.title is None and continues(r):
            out[-1].paras.extend(r.paras)
            out[-1].headings.extend(r.headings)
            continue
        if not out:
            if r.words >= MIN_FIRST_WORDS:
                out.append(r)
            continue
        if len(r.paras) >= MIN_PARAS or r.words >= MIN_WORDS:
            out.append(r)
    return out


# ------------------------------------------------------------------ documents


def split_articles(doc: Document) -> list[Article]:
    """The articles of one document, paragraphs as raw spans."""
    if doc.kind == "html":
        lines = html_lines(doc.raw)
    else:
        lines = text_lines(doc.raw)
    if not lines:
        return []
    sample = " ".join(ln.text for ln in lines[:50])[:3000]
    runs = accept(segment(lines, arabic_page=arabic_ratio(sample) >= 0.3))
    arts = []
    for n, r in enumerate(runs, 1):
        title = r.title.text if r.title else None
        if title is None and n == 1 and doc.title:
            title = doc.title
        body_key = "\n".join(p.key for p in r.paras)
        arts.append(Article(
            id=f"{doc.id}#{n}", doc=doc.id, index=n,
            paragraphs=[Span(p.start, p.end) for p in r.paras],
            title=title,
            title_span=Span(r.title.start, r.title.end) if r.title and doc.kind == "text" else None,
            subtitle_span=Span(r.subtitle.start, r.subtitle.end) if r.subtitle and doc.kind == "text" else None,
            headings=[Span(h.start, h.end) for h in r.headings],
            author=r.author or (doc.author if n == 1 else None),
            published=doc.published,
            text_hash=hashlib.sha1(body_key.encode("utf-8")).hexdigest(),
            n_words=r.words,
            norm_text=body_key,
        ))
    return arts


def article_lines(doc: Document, art: Article) -> list[str]:
    """Readable text of an article's paragraphs (tags removed for HTML)."""
    if doc.kind != "html":
        return [doc.raw[p.start:p.end] for p in art.paragraphs]
    view = _html_view(doc.raw)
    return [view.text_of(p.start, p.end) for p in art.paragraphs]


# ------------------------------------------------------------------ HTML


@dataclass
class _HtmlView:
    """Visible text of an HTML page with, for every character, its raw span."""

    text: str
    starts: array   # of int (compact: a 20 MB page would take gigabytes as lists of int objects)
    ends: array

    def text_of(self, start: int, end: int) -> str:
        import bisect
        i = bisect.bisect_left(self.starts, start)
        j = bisect.bisect_left(self.starts, end)
        return " ".join(self.text[i:j].split())


_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
          "header", "footer", "nav", "aside", "figure", "figcaption", "blockquote", "table", "tr", "td",
          "th", "main", "title", "pre", "hr", "dd", "dt", "form"}
_SKIP = {"script", "style", "noscript", "template", "svg", "head"}


@lru_cache(maxsize=8)
def _html_view(raw: str) -> _HtmlView:
    from html import unescape
    from html.parser import HTMLParser

    line_starts = [0]
    for m in re.finditer("\n", raw):
        line_starts.append(m.end())
    chars: list[str] = []     # pieces of the visible text
    code = "i" if len(raw) < 2**31 else "q"
    starts, ends = array(code), array(code)

    class P(HTMLParser):
        skip = 0

        def _pos(self) -> int:
            ln, col = self.getpos()
            return line_starts[ln - 1] + col

        def _newline(self) -> None:
            p = self._pos()
            chars.append("\n")
            starts.append(p)
            ends.append(p)

        def handle_starttag(self, tag, attrs):
            if tag in _SKIP:
                self.skip += 1
            elif tag in _BLOCK:
                self._newline()

        def handle_startendtag(self, tag, attrs):
            if tag in _BLOCK:
                self._newline()

        def handle_endtag(self, tag):
            if tag in _SKIP:
                self.skip = max(0, self.skip - 1)
            elif tag in _BLOCK:
                self._newline()

        def handle_data(self, data):
            if self.skip:
                return
            p = self._pos()
            # with convert_charrefs=False, data is a verbatim slice of raw at p
            chars.append(data)
            starts.extend(range(p, p + len(data)))
            ends.extend(range(p + 1, p + len(data) + 1))

        def _ref(self, text: str) -> None:
            if self.skip:
                return
            p = self._pos()
            n = len(text)
            u = unescape(text)
            chars.append(u)
            starts.extend([p] * len(u))
            ends.extend([p + n] * len(u))

        def handle_entityref(self, name):
            self._ref(f"&{name};" if raw.startswith(f"&{name};", self._pos()) else f"&{name}")

        def handle_charref(self, name):
            self._ref(f"&#{name};" if raw.startswith(f"&#{name};", self._pos()) else f"&#{name}")

    parser = P(convert_charrefs=False)
    try:
        parser.feed(raw)
        parser.close()
    except Exception as e:  # malformed beyond what html.parser tolerates
        log.warning("HTML parse stopped early: %s", e)
    return _HtmlView("".join(chars), starts, ends)


def html_metadata(raw: str) -> dict:
    """Title, date, url, author and site name of an HTML page (trafilatura)."""
    try:
        from trafilatura.metadata import extract_metadata
        md = extract_metadata(raw)
    except Exception as e:
        log.warning("no HTML metadata: %s", e)
        return {}
    if md is None:
        return {}
    d = md.as_dict() if hasattr(md, "as_dict") else dict(md)
    return {k: d.get(k) for k in ("title", "date", "url", "author", "sitename") if d.get(k)}


_SPACES = re.compile(r"\s+")


def _squeeze(s: str) -> tuple[str, array]:
    """``s`` with white-space runs as one space (none at the start), and each kept
    character's index in ``s`` (the first of a run for its space)."""
    out: list[str] = []
    idx = array("i" if len(s) < 2**31 else "q")
    pos = 0
    for m in _SPACES.finditer(s):
        a, b = m.span()
        if a > pos:
            out.append(s[pos:a])
            idx.extend(range(pos, a))
        if out:   # a space for the run, unless it leads
            out.append(" ")
            idx.append(a)
        pos = b
    if pos < len(s):
        out.append(s[pos:])
        idx.extend(range(pos, len(s)))
    return "".join(out), idx


def html_lines(raw: str) -> list[Line]:
    """trafilatura's main-text paragraphs (precision settings), aligned onto raw HTML."""
    import trafilatura

    try:
        extracted = trafilatura.extract(raw, favor_precision=True, include_comments=False,
                                        include_tables=False, include_images=False,
                                        deduplicate=False, output_format="txt") or ""
    except Exception as e:
        log.warning("trafilatura failed: %s", e)
        extracted = ""
    view = _html_view(raw)
    flat, idx = _squeeze(view.text)
    out: list[Line] = []
    pos = 0
    for para in extracted.split("\n"):
        p = " ".join(para.split())
        if not p:
            continue
        k = flat.find(p, pos)
        if k < 0:
            k = flat.find(p)
        if k < 0:
            log.debug("paragraph not found in HTML view: %.60s", p)
            continue
        a = view.starts[idx[k]]
        b = view.ends[idx[k + len(p) - 1]]
        out.append(Line(a, b, p))
        pos = k + len(p)
    return out
