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

__version__ = "0.1.0"
# Bumped whenever a change alters what the pipeline extracts; stored with every document.
PIPELINE_VERSION = "1"
