"""The learned models, stored as JSON in the package (``model.json``), read with the
standard library only (no scikit-learn at run time): logistic regressions over hashed
string features, each with its threshold —

* ``decision``: is a candidate a reported happening (:mod:`.decision`);
* ``fold``: do two kept events of one article tell the same happening (:mod:`.grouping`).
"""
from __future__ import annotations

import gc
import hashlib
import json
import logging
import math
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..atomic import atomic_write

log = logging.getLogger(__name__)

MODEL_FILE = "model.json"


def feature_index(f: str, bits: int) -> int:
    return zlib.crc32(f.encode("utf-8")) & ((1 << bits) - 1)


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0


def feature_hashes(feats) -> set[int]:
    """The crc32 of each distinct feature (mask with a model's bits to index it). Computed
    in C for every feature, each time: a memo of the strings cost more (the features are
    new strings, hashed anew for the memo's lookup, and the memo grew to 400,000 entries
    whose lookups miss the CPU cache)."""
    return set(map(zlib.crc32, map(str.encode, feats)))


@dataclass
class Model:
    weights: dict[int, float]
    bias: float
    bits: int
    threshold: float
    meta: dict

    def score(self, feats: list[str]) -> float:
        return self.score_hashes(feature_hashes(feats))

    def score_hashes(self, hashes: set[int]) -> float:
        w, mask = self.weights, (1 << self.bits) - 1
        z = self.bias
        for h in hashes:
            z += w.get(h & mask, 0.0)
        return z

    def probability(self, feats: list[str]) -> float:
        return self.probability_hashes(feature_hashes(feats))

    def probability_hashes(self, hashes: set[int]) -> float:
        return sigmoid(self.score_hashes(hashes))

    def to_dict(self) -> dict:
        return {"bits": self.bits, "bias": round(self.bias, 4), "threshold": self.threshold, "meta": self.meta,
                "weights": {str(k): round(v, 4) for k, v in sorted(self.weights.items()) if v}}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Model":
        return cls.from_dict(json.loads(text))

    @classmethod
    def from_dict(cls, d: dict) -> "Model":
        w = d["weights"]
        return cls(dict(zip(map(int, w), w.values())), d["bias"], d["bits"], d["threshold"], d.get("meta", {}))


# the sub-type a candidate takes when the type model changes its type (decision._set_type)
DEFAULT_SUB = {"battles": "armed_clash", "violence_against_civilians": "attack", "protests": "peaceful_protest",
               "riots": "violent_demonstration", "strategic_developments": "other", "movement": "relocation"}

TYPE_MIN = 0.6     # a type model overrides the trigger's type only when this sure
SUB_MIN = 0.5      # a sub-type model overrides the rules' sub-type only when this sure


def _most_sure(models: dict[str, "Model"], feats, current, minimum: float):
    """The name of the one-vs-rest model most sure of ``feats`` (feature strings or their
    :func:`feature_hashes`) when it reaches ``minimum``, else ``current``."""
    hashes = feats if isinstance(feats, set) else feature_hashes(feats)
    best, best_p = current, 0.0
    for name, z in zip(models, _Stack.of(tuple(models.values())).scores(hashes)):
        p = sigmoid(z)
        if p > best_p:
            best, best_p = name, p
    return best if best_p >= minimum else current


class _Stack:
    """Models of one bit width scored together, so that the type and sub-type models read
    a kept candidate's features in one numpy gather instead of a Python loop each:
    ``rows`` maps a weight index to a row of ``weights``, one row per index that some
    model weighs (row 0: none does, all zeros), one column per model. ``scores`` adds the
    same numbers in the same order as :meth:`Model.score_hashes` (the bias, then each
    hash's weight, 0.0 where it has none, in the set's order; ``cumsum`` adds
    sequentially), so the floats are the same."""

    def __init__(self, models: tuple[Model, ...]) -> None:
        self.mask = (1 << models[0].bits) - 1
        keys = [np.fromiter(m.weights.keys(), dtype=np.int64, count=len(m.weights)) for m in models]
        if any(len(k) and (k.min() < 0 or k.max() > self.mask) for k in keys):
            raise ValueError("a weight index outside the model's width")
        used = np.unique(np.concatenate(keys)) if keys else np.zeros(0, dtype=np.int64)
        self.rows = np.zeros(self.mask + 1, dtype=np.int32)
        self.rows[used] = np.arange(1, len(used) + 1, dtype=np.int32)
        self.weights = np.zeros((len(used) + 1, len(models)), dtype=np.float64)
        for col, (m, k) in enumerate(zip(models, keys)):
            if len(k):
                self.weights[self.rows[k], col] = np.fromiter(m.weights.values(), dtype=np.float64, count=len(k))
        self.bias = np.array([[m.bias for m in models]], dtype=np.float64)

    @classmethod
    def of(cls, models: tuple[Model, ...]) -> _Stack | _Loop:
        key = tuple(map(id, models))
        got = _STACKS.get(key)
        if got is None:
            if len(_STACKS) >= 64:       # models made anew again and again (training)
                _STACKS.clear()
            stack: _Stack | _Loop = _Loop(models)
            if models and len({m.bits for m in models}) == 1:
                try:
                    stack = cls(models)
                except (ValueError, OverflowError):
                    pass                 # a weight beyond the width (never read): the loop
            # the models are kept with their stack, so that their ids stay theirs
            got = _STACKS[key] = (models, stack)
        return got[1]

    def scores(self, hashes: set[int]) -> list[float]:
        idx = np.fromiter(hashes, dtype=np.int64, count=len(hashes))
        idx &= self.mask
        terms = np.concatenate((self.bias, self.weights[self.rows[idx]]))
        return np.cumsum(terms, axis=0)[-1].tolist()


class _Loop:
    """Models of mixed widths: each scored on its own."""

    def __init__(self, models: tuple[Model, ...]) -> None:
        self.models = models

    def scores(self, hashes: set[int]) -> list[float]:
        return [m.score_hashes(hashes) for m in self.models]


def retype(models: dict[str, Model], feats, current: str) -> str:
    """The type the type models (``type:<type>``) are sure of, else ``current``."""
    mine = {k.split(":", 1)[1]: m for k, m in models.items() if k.startswith("type:")}
    return _most_sure(mine, feats, current, TYPE_MIN)


def resubtype(models: dict[str, Model], feats, typ: str, current: str | None) -> str | None:
    """The sub-type of ``typ`` its models (``sub:<type>:<sub_type>``) are sure of, else ``current``.
    A sub-type read from the trigger's own words that no model stands for (too rare in the
    labels to learn: :data:`WORDED_SUBS`, ``suicide_bomb`` from «تفجير انتحاري», «فجر
    نفسه») stays: the models cannot weigh it against the others."""
    prefix = f"sub:{typ}:"
    mine = {k[len(prefix):]: m for k, m in models.items() if k.startswith(prefix)}
    if not mine or current in WORDED_SUBS and current not in mine:
        return current
    return _most_sure(mine, feats, current, SUB_MIN)


WORDED_SUBS = frozenset({"suicide_bomb", "grenade"})
"""Sub-types the trigger words name outright (rasd/data/triggers.tsv), not read from the arguments."""


# the stacks made so far, by the ids of their models (kept with them, so that the ids stay theirs)
_STACKS: dict[tuple[int, ...], tuple[tuple[Model, ...], _Stack | _Loop]] = {}


def _path():
    return resources.files("rasd.events").joinpath(MODEL_FILE)


@lru_cache(maxsize=1)
def model_available() -> bool:
    return _path().is_file()


@lru_cache(maxsize=1)
def _models() -> dict[str, Model]:
    raw = _path().read_bytes()
    got = _read_cached(raw)
    if got is not None:
        return got
    d = json.loads(raw.decode("utf-8"))
    models = {k: Model.from_dict(v) for k, v in d.items()}
    _write_cached(raw, models)
    return models


# model.json (1.3 MB) read into Models once, then kept beside the gazetteer index
# (RASD_CACHE_DIR) as an .npz of plain arrays, read with ``allow_pickle=False``: a file
# there runs no code when read, whoever wrote it. The file is named by the sha1 of
# model.json (and holds its whole sha1), so a changed model is read anew. The header
# (``header``: JSON as bytes) lists each model's name, bias, bits, threshold, meta and
# number of weights; ``keys`` (int64) and ``values`` (float64) hold the weights of all
# models one after the other, in their order. A file that is missing is written; one
# that cannot be read or does not hold what it should (truncated, garbage, another
# format) is passed over with one line of log and written anew; a cache dir that cannot
# be written is passed over. Models whose numbers a float64 array would not keep as they
# are (an int weight, say) are not cached.
_CACHE_FORMAT = 2
_CACHE_MAGIC = "rasd-models"


@lru_cache(maxsize=2)
def _sha1(raw: bytes) -> str:
    """The sha1 of model.json (names its cache file and is checked in it: hashed once)."""
    return hashlib.sha1(raw).hexdigest()


def _cache_path(raw: bytes) -> Path:
    from ..places.gazetteer import cache_dir
    return cache_dir() / f"model-v{_CACHE_FORMAT}-{_sha1(raw)[:20]}.npz"


def _read_cached(raw: bytes) -> dict[str, Model] | None:
    path = _cache_path(raw)
    if not path.is_file():
        return None               # not written yet: model.json is read
    enabled = gc.isenabled()
    gc.disable()
    try:
        with open(path, "rb") as f, np.load(f, allow_pickle=False) as z:
            return _models_of(z, _sha1(raw))
    except Exception as exc:  # noqa: BLE001 - any broken file: read model.json, write it anew
        log.warning("model cache %s unreadable (%s): read model.json", path,
                    " ".join(str(exc).split())[:200] or type(exc).__name__)
        return None
    finally:
        if enabled:
            gc.enable()


def _models_of(z, sha1: str) -> dict[str, Model]:
    """The models held in an opened cache file; ValueError where it is not one of ours,
    not for this model.json, or not whole."""
    from ..places.gazetteer import npz_array, npz_header
    header = npz_header(z)
    if not (isinstance(header, dict) and header.get("format") == _CACHE_MAGIC
            and header.get("version") == _CACHE_FORMAT and header.get("source_sha1") == sha1):
        raise ValueError("not a model cache of this model.json")
    keys, values = npz_array(z, "keys", "int64"), npz_array(z, "values", "float64")
    rows = header.get("models")
    if not isinstance(rows, list) or len(keys) != len(values):
        raise ValueError("malformed")
    out: dict[str, Model] = {}
    keys_l, values_l = keys.tolist(), values.tolist()
    at = 0
    for row in rows:
        name, bias, bits, threshold, meta, n = row
        if not (isinstance(name, str) and type(bias) is float and type(bits) is int and 0 < bits <= 62
                and type(threshold) in (float, int) and isinstance(meta, dict) and type(n) is int and n >= 0):
            raise ValueError(f"malformed model {name!r}")
        ks = keys[at:at + n]
        if len(ks) != n or (n and (ks.min() < 0 or ks.max() >> bits)):
            raise ValueError(f"weights of {name!r} out of range")
        out[name] = Model(dict(zip(keys_l[at:at + n], values_l[at:at + n])), bias, bits, threshold, meta)
        at += n
    if at != len(keys):
        raise ValueError("weights left over")
    return out


def _cacheable(models: dict[str, Model]) -> bool:
    """Whether the arrays keep every number as it is (a float weight, an int index)."""
    for m in models.values():
        if type(m.bias) is not float or type(m.bits) is not int or type(m.threshold) not in (float, int):
            return False
        if not all(type(k) is int for k in m.weights) or not all(type(v) is float for v in m.weights.values()):
            return False
    return True


def _write_cached(raw: bytes, models: dict[str, Model]) -> None:
    if not _cacheable(models):
        return
    from ..places.gazetteer import header_array
    try:
        header = {"format": _CACHE_MAGIC, "version": _CACHE_FORMAT, "source_sha1": _sha1(raw),
                  "models": [[k, m.bias, m.bits, m.threshold, m.meta, len(m.weights)] for k, m in models.items()]}
        arrays = {
            "header": header_array(header),
            "keys": np.fromiter((k for m in models.values() for k in m.weights), dtype=np.int64),
            "values": np.fromiter((v for m in models.values() for v in m.weights.values()), dtype=np.float64),
        }
        with atomic_write(_cache_path(raw), prefix=".model-") as f:
            np.savez(f, **arrays)
    except (OSError, ValueError, OverflowError):
        pass


def load_all() -> dict[str, Model]:
    return dict(_models())


def load_model(name: str = "decision") -> Model:
    return _models()[name]


def has_model(name: str) -> bool:
    return model_available() and name in _models()


def save_models(models: dict[str, Model], path: Path) -> None:
    path.write_text(json.dumps({k: m.to_dict() for k, m in models.items()}, ensure_ascii=False,
                               sort_keys=True) + "\n", encoding="utf-8")
    _models.cache_clear()
    model_available.cache_clear()
