"""Word lists: the Arabic words the rules look for, kept as data.

The words live in ``rasd/data/words.tsv`` (its header documents the format): each
list has a name («air_cues», «civilian_nouns» ...) and its words in order. The code keeps
the mechanism (a prefix test, a set lookup, a regex built around the words); the words
are read here. Users add words to a list with a file of the same format named in
``RASD_WORDS`` (several files: separated by the OS path separator); its entries are
appended to the packaged lists of the same name. The files are read once per process, when
a module that uses them is first imported.

    from rasd.lang.wordlists import words, alternation
    AIR_CUES = words("air_cues")                     # ("طائرات", "طائره", ...)
    _AID = re.compile(rf"^(ال|لل|بال|و|وال)?({alternation('aid')})")
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from .lexicon import lexicon_files

DATA = Path(__file__).resolve().parent.parent / "data" / "words.tsv"
ENV = "RASD_WORDS"

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _read(path: Path, out: dict[str, list[str]], packaged: bool) -> None:
    if not path.is_file():
        raise FileNotFoundError(f"word list file not found: {path}")
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            name, sep, rest = line.partition("\t")
            name = name.strip()
            entries = [e.strip() for e in rest.split("\t") if e.strip()]
            if not sep or not _NAME.match(name) or not entries:
                raise ValueError(f"{path}:{n}: expected name<TAB>word[<TAB>word ...] "
                                 f"(a lower-case list name, then at least one word), got {line!r}")
            if not packaged and name not in out:
                raise ValueError(f"{path}:{n}: unknown word list {name!r} "
                                 f"(the lists are those of {DATA.name})")
            out.setdefault(name, []).extend(entries)


@lru_cache(maxsize=8)
def _load(files: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for i, name in enumerate(files):
        _read(Path(name), out, packaged=i == 0)
    return {k: tuple(v) for k, v in out.items()}


def word_lists(extra_path: str | os.PathLike | None = None) -> dict[str, tuple[str, ...]]:
    """All lists: the packaged file, then ``$RASD_WORDS`` files, then ``extra_path``;
    a later file's words are appended to the list of the same name."""
    return _load(lexicon_files(DATA, ENV, extra_path))


def words(name: str, default: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The words of one list, in file order (the packaged words first); ``default`` (when
    given) for a list the files do not have."""
    lists = word_lists()
    if name in lists:
        return lists[name]
    if default is not None:
        return default
    raise KeyError(f"no word list {name!r} in {DATA}")


def word_set(name: str) -> frozenset[str]:
    return frozenset(words(name))


def alternation(name: str) -> str:
    """The words of a list as a regex alternation («a|b|c», each escaped), in file order,
    to be put into a pattern by the code that uses it."""
    return "|".join(re.escape(w) for w in words(name))
