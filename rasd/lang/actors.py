"""Actor mentions: dictionary aliases → canonical actor keys, and back-references.

The aliases live in ``rasd/data/actors.tsv`` (its header documents the format); users add
their own file through ``RASD_ACTORS`` or ``load_actors(extra_path)``. Matching is done by
:class:`~rasd.lang.lexicon.PhraseMatcher` on the normalised text; every mention carries raw
offsets with ``raw[start:end] == text``.

Country context. Generic phrases («القوات الأمنية», «القوات الحكومية», «الجيش») have one
reading per country (``context=IQ`` lines). ``find_actors(nt, country_hint="IQ")`` picks
the Iraqi reading; without a hint the reading is taken from the document itself: the
nearest country-specific mention of one of the candidate keys (before the phrase, else
after it), else the line marked ``default``, else no mention.

Back-references. ``resolve_references(nt, mentions)`` adds mentions for anaphoric phrases
(«التنظيم», «عناصره», «هؤلاء», «القوات» ...: ``@ref`` lines) resolved to the most recent
compatible actor named before them within a window.

    nt = normalize(raw)
    ms = resolve_references(nt, find_actors(nt, country_hint="IQ"))
    [(m.text, m.key) for m in ms]
"""
from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..records import ActorMention
from .lexicon import Match, PhraseMatcher, lexicon_files
from .normalize import NormText, norm_key, normalize

DATA = Path(__file__).resolve().parent.parent / "data" / "actors.tsv"
ENV = "RASD_ACTORS"
DEFAULT_WINDOW = 1500
KINDS = ("group", "movement", "militia", "state", "coalition", "government", "civilians", "unknown")
SIDES = ("state", "non_state", "civilian")

_SETTING_RE = re.compile(r'(\w+)=("[^"]*"|\S+)|(\S+)')
_NEXT_WORD_RE = re.compile(r"[ \t]+(\w+)")


@dataclass(slots=True, frozen=True)
class Reading:
    """One reading of an alias: the key, and the country it holds in (None: anywhere)."""

    key: str
    context: str | None = None
    default: bool = False


@dataclass(slots=True, frozen=True)
class RefRule:
    """An anaphoric phrase: what it may refer to and how far back."""

    targets: frozenset[str]     # kinds and/or keys
    window: int = DEFAULT_WINDOW
    adjective: bool = False     # right after a mention it only describes that mention
    heads: tuple[str, ...] = ()  # normalised words one of which the antecedent must contain


@dataclass(slots=True)
class ActorLexicon:
    """Everything read from the actor files."""

    matcher: PhraseMatcher                      # alias → [Reading]; key "-" blocks
    refs: PhraseMatcher                         # anaphor → [RefRule]
    kinds: dict[str, str] = field(default_factory=dict)    # key → kind
    labels: dict[str, str] = field(default_factory=dict)   # key → label
    aliases: dict[str, list[str]] = field(default_factory=dict)  # key → aliases as written
    neutral: frozenset[str] = frozenset()       # normalised adjectives that keep a context reading
    files: tuple[str, ...] = ()
    sides: dict[str, str] = field(default_factory=dict)       # key → state | non_state | civilian
    by_country: dict[str, str] = field(default_factory=dict)  # country code → the key its nisba names
    parents: dict[str, str] = field(default_factory=dict)     # key → the wider key it is part of (part_of=)

    def within(self, key: str | None, wider: str | None) -> bool:
        """``key`` is ``wider`` or a part of it (jaysh_al_islam within syria_opposition)."""
        seen = 0
        while key is not None and seen < 10:
            if key == wider:
                return True
            key, seen = self.parents.get(key), seen + 1
        return False

    def side(self, key: str) -> str | None:
        return self.sides.get(key)

    def with_side(self, side: str) -> frozenset[str]:
        """The keys of one side («state»: the state forces)."""
        return frozenset(k for k, s in self.sides.items() if s == side)

    def kind(self, key: str) -> str | None:
        return self.kinds.get(key)

    @property
    def keys(self) -> list[str]:
        return sorted(set(self.kinds) | set(self.aliases))


def _parse_notes(notes: str) -> tuple[dict[str, str], set[str]]:
    settings: dict[str, str] = {}
    flags: set[str] = set()
    for m in _SETTING_RE.finditer(notes):
        if m.group(1):
            settings[m.group(1)] = m.group(2).strip('"')
        elif m.group(3) in ("default", "adjective"):
            flags.add(m.group(3))
        else:
            break  # free text from here on
    return settings, flags


def _read_rows(path: Path) -> Iterable[tuple[int, str, str, str]]:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 2 or not parts[0].strip() or not parts[1].strip():
                raise ValueError(f"{path}:{n}: expected key<TAB>alias[<TAB>notes]")
            yield n, parts[0].strip(), parts[1].strip(), (parts[2].strip() if len(parts) > 2 else "")


def _files(extra_path: str | os.PathLike | None) -> tuple[str, ...]:
    return lexicon_files(DATA, ENV, extra_path)


_CACHE: dict[tuple[str, ...], ActorLexicon] = {}


def load_actors(extra_path: str | os.PathLike | None = None) -> ActorLexicon:
    """The actor lexicon: the packaged file, then ``$RASD_ACTORS`` files, then ``extra_path``.

    Cached per list of files (process-wide). A line of a later file replaces every line
    of an earlier file with the same alias.
    """
    files = _files(extra_path)
    lex = _CACHE.get(files)
    if lex is None:
        lex = _build(files)
        _CACHE[files] = lex
    return lex


def _build(files: tuple[str, ...]) -> ActorLexicon:
    readings: dict[str, tuple[int, str, list[Reading]]] = {}   # norm alias → (file, alias, readings)
    refs: dict[str, tuple[int, str, RefRule]] = {}
    kinds: dict[str, str] = {}
    labels: dict[str, str] = {}
    neutral: set[str] = set()
    sides: dict[str, str] = {}
    by_country: dict[str, str] = {}
    parents: dict[str, str] = {}
    for fi, name in enumerate(files):
        path = Path(name)
        if not path.is_file():
            raise FileNotFoundError(f"actor file not found: {path}")
        for n, key, alias, notes in _read_rows(path):
            settings, flags = _parse_notes(notes)
            if alias == "*":
                for setting, allowed, into in (("kind", KINDS, kinds), ("side", SIDES, sides)):
                    value = settings.get(setting)
                    if value:
                        if value not in allowed:
                            raise ValueError(f"{path}:{n}: unknown {setting} {value!r} (one of {', '.join(allowed)})")
                        into[key] = value
                if "label" in settings:
                    labels[key] = settings["label"]
                if "country" in settings:
                    by_country[settings["country"].upper()] = key
                if "part_of" in settings:
                    parents[key] = settings["part_of"]
                continue
            nk = norm_key(alias)
            if key == "@neutral":
                neutral.add(nk)
                continue
            if key == "@ref":
                targets = frozenset(t for t in settings.get("targets", "").split(",") if t)
                if not targets:
                    raise ValueError(f"{path}:{n}: an @ref line needs targets=...")
                window = int(settings.get("window", DEFAULT_WINDOW))
                heads = tuple(norm_key(h) for h in settings.get("heads", "").split(",") if h.strip())
                refs[nk] = (fi, alias, RefRule(targets, window, "adjective" in flags, heads))
                continue
            r = Reading(key, settings.get("context") or None, "default" in flags)
            prev = readings.get(nk)
            if prev is None or prev[0] != fi:
                readings[nk] = (fi, alias, [r])       # a later file replaces earlier lines
            elif r not in prev[2]:
                prev[2].append(r)
    matcher = PhraseMatcher()
    aliases: dict[str, list[str]] = {}
    for nk, (_, alias, rs) in readings.items():
        for r in rs:
            matcher.add(alias, r)
            if r.key != "-":
                aliases.setdefault(r.key, []).append(alias)
    ref_matcher = PhraseMatcher()
    for nk, (_, alias, rule) in refs.items():
        ref_matcher.add(alias, rule)
    return ActorLexicon(matcher, ref_matcher, kinds, labels, aliases, frozenset(neutral), files, sides, by_country, parents)


# ---------------------------------------------------------------- finding mentions

def _as_nt(nt: NormText | str) -> NormText:
    return nt if isinstance(nt, NormText) else normalize(nt)


def actor_matches(nt: NormText | str, *, country_hint: str | None = None,
                  lexicon: ActorLexicon | None = None) -> list[tuple[Match, str]]:
    """Matches with their resolved key, in text order (for callers that need word indexes)."""
    nt = _as_nt(nt)
    lex = lexicon or load_actors()
    hint = country_hint.upper() if country_hint else None
    found = lex.matcher.find(nt)
    out: list[tuple[Match, str | None]] = []
    for m in found:
        rs: list[Reading] = m.payloads
        if any(r.key == "-" for r in rs):
            continue
        plain = [r for r in rs if r.context is None]
        ctx = [r for r in rs if r.context is not None]
        if not ctx:
            out.append((m, plain[0].key))
            continue
        if _foreign_qualifier(nt.text, m.norm_end, lex.neutral):
            continue  # «الجيش الفرنسي»: a country the lexicon does not know
        if hint:
            pick = [r for r in ctx if r.context == hint] or plain
            if pick:
                out.append((m, pick[0].key))
            continue
        out.append((m, None))  # decided below from the document
    if hint is None and any(k is None for _, k in out):
        out = _resolve_context(out, lex)
    return [(m, k) for m, k in out if k]


def _foreign_qualifier(text: str, end: int, neutral: frozenset[str]) -> bool:
    """Whether a definite nationality-form adjective that is not neutral follows ``end``."""
    m = _NEXT_WORD_RE.match(text, end)
    if not m:
        return False
    w = m.group(1)
    return w.startswith("ال") and len(w) >= 6 and w.endswith(("ي", "يه")) and w not in neutral


def _resolve_context(out: list[tuple[Match, str | None]], lex: ActorLexicon) -> list[tuple[Match, str | None]]:
    """Give each context-dependent match the key of the nearest firm mention among its
    candidate readings (before it first, then after), else its default reading."""
    firm = [(i, k) for i, (_, k) in enumerate(out) if k]
    res: list[tuple[Match, str | None]] = []
    for i, (m, k) in enumerate(out):
        if k is not None:
            res.append((m, k))
            continue
        rs: list[Reading] = m.payloads
        cands = {r.key for r in rs}
        key = None
        before = [kk for j, kk in firm if j < i and kk in cands]
        if before:
            key = before[-1]
        else:
            after = [kk for j, kk in firm if j > i and kk in cands]
            if after:
                key = after[0]
        if key is None:
            defaults = [r.key for r in rs if r.default]
            plain = [r.key for r in rs if r.context is None]
            key = (defaults or plain or [None])[0]
        res.append((m, key))
    return res


def find_actors(nt: NormText | str, *, country_hint: str | None = None,
                lexicon: ActorLexicon | None = None) -> list[ActorMention]:
    """Actor mentions in text order. ``country_hint`` ("IQ", "SY", "LB" ...) picks the
    reading of generic phrases such as «القوات الأمنية»; see the module doc."""
    return [ActorMention(m.start, m.end, m.text, k)
            for m, k in actor_matches(nt, country_hint=country_hint, lexicon=lexicon)]


def resolve_references(nt: NormText | str, mentions: list[ActorMention], *,
                       lexicon: ActorLexicon | None = None) -> list[ActorMention]:
    """``mentions`` plus one mention per anaphoric phrase that could be resolved, in text
    order. An anaphor takes the key of the most recent earlier mention (resolved anaphors
    included) whose kind or key is among its targets, if that mention ends no more than
    the anaphor's window before it. Phrases inside a mention are skipped, and so are
    ``adjective`` phrases right after one («داعش الإرهابي»: it describes that mention)."""
    nt = _as_nt(nt)
    lex = lexicon or load_actors()
    base = sorted(mentions, key=lambda a: (a.start, a.end))
    # (indexes, not scans: a long text has thousands of mentions and phrases)
    starts = [a.start for a in base]
    reach, far = [], -1                    # reach[i]: the furthest end among base[:i + 1]
    for a in base:
        far = max(far, a.end)
        reach.append(far)

    def inside_mention(m) -> bool:
        i = bisect_left(starts, m.end) - 1
        return i >= 0 and reach[i] > m.start

    refs = [m for m in lex.refs.find(nt) if not inside_mention(m)]
    if not refs:
        return base
    raw = nt.raw
    out = list(base)
    by_end = sorted(base, key=lambda a: a.end)     # the mentions so far, by end (stable: text order)
    ends = [a.end for a in by_end]
    for m in refs:
        rule: RefRule = m.payloads[0]
        k = bisect_right(ends, m.start)
        if rule.adjective and k and not raw[by_end[k - 1].end:m.start].strip():
            continue  # an attribute of the mention right before it
        for i in range(k - 1, -1, -1):
            a = by_end[i]
            if m.start - a.end > rule.window:
                break
            if rule.heads and not any(h in norm_key(a.text) for h in rule.heads):
                continue
            if a.key in rule.targets or lex.kinds.get(a.key) in rule.targets:
                new = ActorMention(m.start, m.end, m.text, a.key)
                out.append(new)
                j = bisect_right(ends, new.end)
                by_end.insert(j, new)
                ends.insert(j, new.end)
                break
    return sorted(out, key=lambda a: (a.start, a.end))
