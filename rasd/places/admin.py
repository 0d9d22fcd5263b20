"""Names of first-level administrative units (governorates) for a gazetteer entry's
admin1 code, from ``data/admin1.tsv`` (users may add lines)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def admin1_table() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """code → (name, Arabic name, other spellings)."""
    out = {}
    text = resources.files("rasd").joinpath("data/admin1.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + ["", "", ""]
        out[cols[0].strip()] = (cols[1].strip(), cols[2].strip(),
                                tuple(x.strip() for x in cols[3].split("|") if x.strip()))
    return out


def admin1_name(code: str | None) -> str | None:
    """The governorate's name for a GeoNames admin1 code ("IQ.01" → "Al Anbar"); None when
    the code is unknown to the table."""
    row = admin1_table().get(code or "")
    return row[0] if row else None


@lru_cache(maxsize=1)
def _spellings() -> dict[str, str]:
    out = {}
    for name, ar, alts in admin1_table().values():
        for s in (name, ar, *alts):
            out[_fold(s)] = name
    return out


def _fold(s: str) -> str:
    return "".join(ch for ch in s.lower() if ch.isalnum())


def canonical_admin1(name: str | None) -> str | None:
    """A governorate's name in any listed spelling («Idlib», «إدلب») → the table's name."""
    if not name:
        return None
    return _spellings().get(_fold(name))
