"""The two caches in the cache dir (RASD_CACHE_DIR): the decision models read from
model.json and the gazetteer index. Whoever can write that folder must not be able to run
code in rasd through them, and a broken or foreign file there is passed over and written
anew (one line of log), never trusted and never a crash."""
from __future__ import annotations

import ast
import json
import logging
import os
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import rasd.events.model as M
import rasd.places.gazetteer as G

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "seeds" / "000_958ecb03eb59d239.txt"


class _Evil:
    """A pickle that, when loaded, creates the file ``marker`` (any code could run there)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _evil_pickle(path: Path, marker: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(_Evil(marker)))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_in_member(path: Path, member: str) -> None:
    """Change one byte inside the data of one array of an .npz (the zip stays whole)."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(member)
    raw = bytearray(path.read_bytes())
    name_len = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    at = info.header_offset + 30 + name_len + extra_len + info.compress_size - 3
    raw[at] ^= 0x5A
    path.write_bytes(bytes(raw))


def _warnings(caplog, logger: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == logger and r.levelno >= logging.WARNING]


def test_no_unsafe_deserializer_in_the_cache_modules():
    """Neither module imports pickle (nor marshal, shelve, dill, joblib): nothing in them
    can turn a file into code."""
    unsafe = {"pickle", "_pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "joblib"}
    for mod in (M, G):
        tree = ast.parse(Path(mod.__file__).read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module.split(".")[0])
        assert not names & unsafe, (mod.__name__, names & unsafe)


# ------------------------------------------------------------------------------ the models

@pytest.fixture
def model_cache(tmp_path, monkeypatch):
    """A fresh cache dir for the models; the process-wide models read anew before and after."""
    d = tmp_path / "cache"
    monkeypatch.setenv("RASD_CACHE_DIR", str(d))
    M._models.cache_clear()
    raw = M._path().read_bytes()
    yield d, raw, M._cache_path(raw)
    M._models.cache_clear()


def _from_json(raw: bytes) -> dict[str, M.Model]:
    return {k: M.Model.from_dict(v) for k, v in json.loads(raw.decode("utf-8")).items()}


def _same_models(a: dict[str, M.Model], b: dict[str, M.Model]) -> None:
    assert list(a) == list(b)
    for k, x in a.items():
        y = b[k]
        assert list(x.weights.items()) == list(y.weights.items()), k      # same order too
        assert {type(v) for v in x.weights.values()} == {type(v) for v in y.weights.values()} == {float}
        assert (x.bias, x.bits, x.threshold, x.meta) == (y.bias, y.bits, y.threshold, y.meta), k
        assert (type(x.bias), type(x.bits), type(x.threshold)) == (type(y.bias), type(y.bits), type(y.threshold))


@pytest.mark.skipif(not M.model_available(), reason="no model.json in this checkout")
def test_model_cache_written_as_plain_arrays_and_read_back_exactly(model_cache):
    _, raw, path = model_cache
    first = M._models()                              # read from model.json, cache written
    assert path.is_file() and path.suffix == ".npz" and path.name.startswith("model-v2-")
    with np.load(path, allow_pickle=False) as z:     # nothing in it needs pickle
        assert {z[k].dtype.kind for k in z.files} <= {"u", "i", "f"}
    got = M._read_cached(raw)
    assert got is not None
    _same_models(got, _from_json(raw))
    _same_models(got, first)
    # a start that reads the cache scores as one that read model.json
    feats = ["w:قصف", "w:غارة", "t:attack", "x:1"]
    assert [m.score(feats) for m in got.values()] == [m.score(feats) for m in _from_json(raw).values()]


@pytest.mark.skipif(not M.model_available(), reason="no model.json in this checkout")
@pytest.mark.parametrize("damage", ["truncated", "garbage", "flipped byte", "other model.json", "object array"])
def test_broken_model_cache_is_passed_over_and_rewritten(model_cache, caplog, damage):
    _, raw, path = model_cache
    M._models()
    good = path.read_bytes()
    if damage == "truncated":
        _truncate(path)
    elif damage == "garbage":
        path.write_bytes(os.urandom(5000))
    elif damage == "flipped byte":
        _flip_in_member(path, "values.npy")
    elif damage == "other model.json":             # a whole file, of other models
        M._write_cached(raw + b" ", {"decision": M.Model({1: 2.0}, 0.5, 18, 0.5, {})})
        os.replace(M._cache_path(raw + b" "), path)
    else:                                            # an array numpy would unpickle
        np.savez(path.with_suffix(".tmp.npz"), header=np.array([{"x": 1}], dtype=object))
        os.replace(path.with_suffix(".tmp.npz"), path)
    assert path.read_bytes() != good
    M._models.cache_clear()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="rasd.events.model"):
        models = M._models()
    _same_models(models, _from_json(raw))            # read from model.json instead
    msgs = _warnings(caplog, "rasd.events.model")
    assert len(msgs) == 1 and str(path) in msgs[0] and "\n" not in msgs[0]
    got = M._read_cached(raw)                       # and written anew
    assert got is not None
    _same_models(got, models)


@pytest.mark.skipif(not M.model_available(), reason="no model.json in this checkout")
@pytest.mark.parametrize("where", ["old name", "new name"])
def test_malicious_pickle_in_the_model_cache_is_not_run(model_cache, tmp_path, where):
    d, raw, path = model_cache
    marker = tmp_path / "pwned"
    old = d / f"model-v1-{path.name.split('-')[2].split('.')[0]}.pkl"       # the name a pickle had
    _evil_pickle(old if where == "old name" else path, marker)
    models = M._models()
    assert not marker.exists()
    _same_models(models, _from_json(raw))
    assert M._read_cached(raw) is not None          # the new name holds plain arrays now


def test_models_numpy_would_change_are_not_cached(model_cache):
    _, raw, path = model_cache
    assert not M._cacheable({"m": M.Model({3: 1}, 0.0, 18, 0.5, {})})          # an int weight
    assert not M._cacheable({"m": M.Model({3: 1.0}, 0, 18, 0.5, {})})          # an int bias
    assert M._cacheable({"m": M.Model({3: 1.0}, 0.0, 18, 0.5, {})})
    M._write_cached(raw, {"m": M.Model({3: 1}, 0.0, 18, 0.5, {})})
    assert not path.exists()


# ------------------------------------------------------------------------------ the gazetteer

@pytest.fixture(scope="module")
def built_data(tmp_path_factory):
    """The index as built from the inputs (once for the module: about 5 s)."""
    old = os.environ.pop("RASD_OCHA_DIR", None)
    data = G._build(None)
    yield data
    if old is not None:
        os.environ["RASD_OCHA_DIR"] = old


@pytest.fixture
def gaz_cache(tmp_path, monkeypatch, built_data):
    """A fresh cache dir, the build replaced by the module's built data (counted)."""
    d = tmp_path / "cache"
    monkeypatch.setenv("RASD_CACHE_DIR", str(d))
    monkeypatch.delenv("RASD_OCHA_DIR", raising=False)
    builds = []

    def build(ocha):
        builds.append(ocha)
        return built_data

    monkeypatch.setattr(G, "_build", build)
    G.clear_cache()
    yield d, builds
    G.clear_cache()


def _same_index(got: dict, data: dict) -> None:
    assert len(got["entries"]) == len(data["entries"])
    got = {**got, "entries": list(got["entries"])}         # read back, entries are made when asked for
    assert set(got) == set(data)
    for k, v in data.items():
        assert got[k] == v, k
        assert type(got[k]) is type(v), k
        if isinstance(v, dict):
            assert list(got[k]) == list(v), k                               # same order
    for e, f in zip(got["entries"], data["entries"], strict=True):
        assert type(e) is tuple and [type(v) for v in e] == [type(v) for v in f], f
    for k in ("names", "phrases"):
        assert all(type(v) is tuple for v in got[k].values())


def test_index_round_trip_of_the_built_index(gaz_cache, built_data):
    _, builds = gaz_cache
    path = G.build_index()
    assert builds == [None] and path.suffix == ".npz" and path.name.startswith(f"gazetteer-v{G.FORMAT_VERSION}-")
    assert G.FORMAT_VERSION >= 6 and path == G.index_path()
    with np.load(path, allow_pickle=False) as z:
        assert {z[k].dtype.kind for k in z.files} <= {"u", "i", "f"}
    _same_index(G._read_index(path), built_data)


def test_index_round_trip_of_odd_values(tmp_path):
    """What the real inputs hardly hold: missing coordinates, country or admin1, empty
    strings, names with many entries, letters beyond the BMP, an empty set."""
    entries = [
        ("gn:1", "Zürich", "زيورخ", 47.36667, 8.55, "CH", "CH.25", 341730, "city", "town", 14.7, ""),
        ("sup:x", "", "a\0b", None, None, None, None, 0, "region", "region", 10.0, "cue"),
        ("cc:IQ", "Iraq 𝔘", "العراق", 33.0, None, "IQ", None, -1, "country", "country", 376.3, "ctx"),
        ("ocha:IQ01", "A", "ا", float("-0.0"), 1e-300, "IQ", "IQ01", 2**62, "admin1", "region", 100.0, ""),
    ]
    data = {"version": G.FORMAT_VERSION, "entries": entries,
            "names": {"زيورخ": (0,), "العراق": (2, 3, 1, 0), "ا": (3,), "": (1,)},
            "phrases": {"زيورخ": ("زيورخ",), "العراق": ("العراق",), "ا": ("ا", "")},
            "nisba": {"عراقي": "IQ", "": ""}, "countries": {"IQ": 2}, "capitals": {},
            "stop": set(), "common": {"العراق", "𝔘"}, "meta": {"built": "x", "ocha": None, "n": 4}}
    p = tmp_path / "i.npz"
    with open(p, "wb") as f:
        G._write_index(data, f)
    got = G._read_index(p)
    _same_index(got, data)
    assert str(got["entries"][3][3]) == "-0.0"
    assert got["entries"][-1] == entries[-1] and got["entries"][-4] == entries[0]
    for i in (4, -5):
        with pytest.raises(IndexError):
            got["entries"][i]


def test_index_refuses_what_it_would_not_keep(tmp_path):
    base = ("gn:1", "a", "ا", 1.0, 2.0, "IQ", None, 5, "city", "town", 3.0, "")
    for bad, names in ((base[:7] + (True,) + base[8:], {}),             # a bool population
                       (base[:10] + (3,) + base[11:], {}),             # an int radius
                       (base, {"a\0b": (0,)}),                          # the separator in a name key
                       (base[:1] + ("\ud83d\ude00",) + base[2:], {})):  # a surrogate pair as two letters
        data = {"entries": [bad], "names": names, "phrases": {}, "nisba": {}, "countries": {}, "capitals": {},
                "stop": set(), "common": set(), "meta": {}}
        with open(tmp_path / "i.npz", "wb") as f, pytest.raises(ValueError):
            G._write_index(data, f)


def _corrupt_index(path: Path, damage: str) -> None:
    if damage == "truncated":
        _truncate(path)
    elif damage == "garbage":
        path.write_bytes(os.urandom(200_000))
    elif damage == "flipped byte":
        _flip_in_member(path, "strings.npy")
    else:                                  # whole, but not consistent: an entry that is not there
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        arrays["name_ids"] = arrays["name_ids"].copy()
        arrays["name_ids"][0] = len(arrays["lat"]) + 7
        tmp = path.with_name("x.npz")
        np.savez(tmp, **arrays)
        os.replace(tmp, path)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "flipped byte", "index out of range"])
def test_broken_index_is_rebuilt_with_one_line_of_log(gaz_cache, built_data, caplog, damage):
    _, builds = gaz_cache
    path = G.build_index()
    good = path.read_bytes()
    _corrupt_index(path, damage)
    assert path.read_bytes() != good
    G.clear_cache()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="rasd.places.gazetteer"):
        g = G.load_gazetteer()
    assert len(builds) == 2                                          # rebuilt
    msgs = _warnings(caplog, "rasd.places.gazetteer")
    assert len(msgs) == 1 and str(path) in msgs[0] and "rebuilding" in msgs[0] and "\n" not in msgs[0]
    assert g.path == path and "gn:99072" in {e.id for e in g.lookup("الموصل")}
    _same_index(G._read_index(path), built_data)                    # the file is whole again


@pytest.mark.parametrize("where", ["old name", "new name"])
def test_malicious_pickle_in_the_gazetteer_cache_is_not_run(gaz_cache, tmp_path, where):
    _, builds = gaz_cache
    marker = tmp_path / "pwned"
    path = G.index_path()
    old = path.with_name(path.name.replace(f"-v{G.FORMAT_VERSION}-", "-v5-")).with_suffix(".pkl")
    _evil_pickle(old if where == "old name" else path, marker)
    g = G.load_gazetteer()
    assert not marker.exists()
    assert builds == [None] and g.path == path and g.lookup("الموصل")
    with np.load(path, allow_pickle=False) as z:       # the new name holds plain arrays now
        assert "strings" in z.files


def test_rasd_process_with_a_poisoned_cache_dir(tmp_path):
    """End to end: pickles with code in them and garbage under every cache name; `rasd
    process` runs none of it, stores its events, and leaves safe caches behind."""
    cache = tmp_path / "cache"
    marker = tmp_path / "pwned"
    env = {**os.environ, "RASD_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    env.pop("RASD_OCHA_DIR", None)
    code = ("import rasd.places.gazetteer as G, rasd.events.model as M;"
            "print(G.index_path()); print(M._cache_path(M._path().read_bytes()))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, timeout=120)
    gaz, mod = (Path(p) for p in out.stdout.split())
    _evil_pickle(gaz, marker)
    mod.parent.mkdir(parents=True, exist_ok=True)
    mod.write_bytes(b"PK\x03\x04" + os.urandom(3000))
    _evil_pickle(gaz.with_name(gaz.name.replace(f"-v{G.FORMAT_VERSION}-", "-v5-")).with_suffix(".pkl"), marker)
    db = tmp_path / "s.db"
    r = subprocess.run([sys.executable, "-m", "rasd.cli", "process", "--db", str(db), "--json", str(SEED)],
                       env=env, capture_output=True, text=True, timeout=300, check=False)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "Traceback" not in r.stderr
    assert not marker.exists()
    summary = json.loads(r.stdout)
    assert summary["run"]["articles"] > 0 and summary["store"]["events"] > 0
    assert sum("unreadable" in line for line in r.stderr.splitlines()) == 2     # one line each
    with np.load(gaz, allow_pickle=False), np.load(mod, allow_pickle=False):
        pass
