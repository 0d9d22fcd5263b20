"""rasd (رصد): Arabic conflict news pages → clean, de-duplicated, geocoded event claims.

Pipeline stages, one module each:
    ingest  → raw inputs (files, folders, JSONL, HTML, feeds) to Documents
    clean   → a Document's raw text split into Articles (paragraph spans)
    dedup   → exact and near-duplicate articles across the whole store
    lang    → Arabic normalisation with offset maps, tokens, numbers, dates
    store   → SQLite (WAL, versioned schema)
    export  → JSONL per the export contract
    pipeline→ the one function the CLI, API and batch mode call
"""

from hashlib import sha1 as _sha1
from pathlib import Path as _Path

__version__ = "0.1.0"
# Bumped whenever a change alters what the pipeline extracts; stored with every document.
# The shipped models' hashes are part of it: a retrained model re-processes stores.
# 3: where/who/when settled after the decision, dates "reported", admin1, cross-outlet claim groups.
_MODELS = [_Path(__file__).parent / "events" / n for n in ("model.json", "pairs.json")]
PIPELINE_VERSION = "3" + "".join("+" + _sha1(m.read_bytes()).hexdigest()[:10] for m in _MODELS if m.is_file())
