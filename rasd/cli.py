"""The ``rasd`` command: a thin layer over the pipeline functions."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from . import __version__

DEFAULT_DB = "rasd.db"


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="rasd")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """rasd (رصد): Arabic conflict news → clean, de-duplicated, geocoded event claims."""
    _setup_logging(verbose)


def _open_store(db: str, *, readonly: bool = False):
    from .store import Store, StoreError
    try:
        return Store(db, readonly=readonly)
    except StoreError as e:
        raise click.ClickException(str(e)) from None


def _estimate(inputs: tuple[str, ...], follow_links: bool = False) -> int | None:
    """Documents to expect, for the progress bar (JSONL lines counted, URLs unknown)."""
    from .ingest import JSONL_SUFFIXES, expand
    total = 0
    for x in expand([i for i in inputs if "://" not in i], follow_links=follow_links):
        if isinstance(x, tuple):
            path, _ = x
            if path.suffix.lower() in JSONL_SUFFIXES:
                try:
                    with open(path, "rb") as f:
                        total += sum(1 for line in f if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total or None


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite store to write.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--max-doc-bytes", type=click.IntRange(min=1), default=None,
              help="Largest document (file, JSONL line, feed entry, page) read  [default: 20 MB].")
@click.option("--doc-seconds", type=click.FloatRange(min=0), default=None,
              help="Time budget of one document; 0: none  [default: 60].")
@click.option("--read-seconds", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Deadline of one whole file or URL read  [default: 120].")
@click.option("--follow-links", is_flag=True, help="Follow symbolic links out of input folders.")
def process(inputs: tuple[str, ...], db: str, progress: bool | None, as_json: bool,
            max_doc_bytes: int | None, doc_seconds: float | None, read_seconds: float | None,
            follow_links: bool) -> None:
    """Ingest INPUTS (files, folders, JSONL, HTML, feeds, http(s) URLs) into the store.

    Idempotent: a document already stored with the same content is skipped. A document
    over --max-doc-bytes or --doc-seconds is rejected and the run goes on. Exits
    non-zero only when nothing at all could be processed.
    """
    from dataclasses import replace

    from tqdm import tqdm

    from .ingest import DEFAULT_LIMITS
    from .pipeline import DOC_SECONDS
    from .pipeline import process as run
    from .store import StoreError

    limits = replace(DEFAULT_LIMITS, follow_links=follow_links,
                     **({"max_doc_bytes": max_doc_bytes} if max_doc_bytes else {}),
                     **({"read_seconds": read_seconds} if read_seconds else {}))
    store = _open_store(db)
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=_estimate(inputs, follow_links), unit="doc", disable=not show, file=sys.stderr,
               dynamic_ncols=True)

    def tick(item, status):
        bar.update(1)

    try:
        s = run(inputs, store, on_item=tick, limits=limits,
                doc_seconds=DOC_SECONDS if doc_seconds is None else (doc_seconds or None))
    except StoreError as e:   # another writer kept the store locked: what was committed stays
        raise click.ClickException(str(e)) from None
    finally:
        bar.close()
    counts = store.counts()
    store.close()
    if as_json:
        click.echo(json.dumps({"run": s.as_dict(), "store": counts}, ensure_ascii=False))
    else:
        click.echo(f"documents: {s.documents} read — {s.new} new, {s.updated} updated, {s.unchanged} unchanged")
        click.echo(f"articles:  {s.articles} written, {s.duplicates} duplicates linked")
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(s.rejects.items()))
        click.echo(f"rejects:   {sum(s.rejects.values())}" + (f" ({reasons})" if reasons else ""))
        if s.repeated:
            ids = ", ".join(list(s.repeated)[:5]) + (" …" if len(s.repeated) > 5 else "")
            click.echo(f"repeated:  {sum(s.repeated.values())} documents had an id seen earlier in this run "
                       f"(the later version replaced the earlier): {ids}")
        click.echo(f"store {db}: {counts['documents']} documents, {counts['articles']} articles, "
                   f"{counts['duplicates']} duplicates, {counts['events']} events, {counts['rejects']} rejects")
    if s.processed == 0:
        raise SystemExit(1)


@main.group()
def export() -> None:
    """Export the store (formats of docs/export-format.md)."""


def _output(path: str | None):
    if path in (None, "-"):
        return click.get_text_stream("stdout")
    return open(path, "w", encoding="utf-8")


@export.command("events")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite store to read.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson"]), default="jsonl", show_default=True)
@click.option("-o", "--output", default=None, help="Output file (default: standard output).")
def export_events(db: str, fmt: str, output: str | None) -> None:
    """Event claims: JSONL (the contract), CSV (ACLED's columns plus rasd's), or GeoJSON
    (movements as lines from origin to destination, other events as points)."""
    from .export import write_csv, write_geojson, write_jsonl

    if not Path(db).exists():
        raise click.ClickException(f"no store at {db}: run 'rasd process ... --db {db}' first")
    store = _open_store(db, readonly=True)
    out = _output(output)
    writer = {"jsonl": write_jsonl, "csv": write_csv, "geojson": write_geojson}[fmt]
    try:
        n = writer(store.event_records(), out)
    finally:
        if out is not sys.stdout:
            out.close()
    click.echo(f"{n} events" + (" with coordinates" if fmt == "geojson" else ""), err=True)


@export.command("articles")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite store to read.")
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("-o", "--output", default=None, help="Output file (default: standard output).")
@click.option("--text", "with_text", is_flag=True, help="Add each paragraph's text.")
def export_articles(db: str, fmt: str, output: str | None, with_text: bool) -> None:
    """Articles: one JSON line each, paragraphs as raw offsets."""
    from .export import article_records, write_jsonl

    if not Path(db).exists():
        raise click.ClickException(f"no store at {db}: run 'rasd process ... --db {db}' first")
    store = _open_store(db, readonly=True)
    out = _output(output)
    try:
        n = write_jsonl(article_records(store, with_text=with_text), out)
    finally:
        if out is not sys.stdout:
            out.close()
    click.echo(f"{n} articles", err=True)


@main.command()
@click.argument("source", default="-")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="text: SOURCE is one text; jsonl: one {id, text[, published]} object per line.")
@click.option("--published", default=None, help="Publication date (ISO) for relative dates such as «أمس».")
@click.option("--pretty", is_flag=True, help="Indented JSON (one text only).")
def tag(source: str, fmt: str, published: str | None, pretty: bool) -> None:
    """Show what the language layer finds in a text: places (with coordinates and
    precision), actors, speakers, quantities and dates, as raw offsets.

    SOURCE is a file or - for standard input. Prints one JSON line per text."""
    from .ingest import DecodeError, decode_bytes
    from .lang.analyse import tag_record

    data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    try:
        text, _ = decode_bytes(data)
    except DecodeError as e:
        raise click.ClickException(f"{source}: {e.detail}") from None
    if fmt == "text":
        rec = tag_record(Path(source).name if source != "-" else "-", text, published=published)
        click.echo(json.dumps(rec, ensure_ascii=False, indent=1 if pretty else None))
        return
    bad = 0
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            doc_id, raw = str(obj["id"]), obj["text"]
            if not isinstance(raw, str):
                raise TypeError("'text' is not a string")
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            click.echo(f"line {n}: skipped ({type(e).__name__}: {e})", err=True)
            bad += 1
            continue
        rec = tag_record(doc_id, raw, published=obj.get("published") or published)
        click.echo(json.dumps(rec, ensure_ascii=False))
    if bad:
        click.echo(f"{bad} lines skipped", err=True)


@main.command("eval")
@click.argument("what", type=click.Choice(["articles", "events"]))
@click.option("--db", default=None, help="Store to export and score (instead of --pred).")
@click.option("--pred", default=None, help="An exported JSONL file to score.")
@click.option("--gold", required=True, help="Gold JSONL (tests/gold/seeds.articles.jsonl or seeds.events.jsonl).")
@click.option("--raw", "raw_dir", default=None, help="Folder of the raw pages (articles only).")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
def eval_cmd(what: str, db: str | None, pred: str | None, gold: str, raw_dir: str | None,
             as_json: bool) -> None:
    """Score an export (or a store) against gold annotations."""
    from .evaluate import load_jsonl, score_articles, score_events

    if (db is None) == (pred is None):
        raise click.UsageError("give exactly one of --db and --pred")
    if pred:
        preds = load_jsonl(pred)
    elif what == "articles":
        from .export import article_records
        preds = list(article_records(_open_store(db, readonly=True)))
    else:
        preds = list(_open_store(db, readonly=True).event_records())
    if what == "articles":
        if raw_dir is None:
            raise click.UsageError("articles need --raw (the folder of raw pages)")
        res = score_articles(load_jsonl(gold), preds, raw_dir)
    else:
        res = score_events(load_jsonl(gold), preds)
    if as_json:
        click.echo(json.dumps(res, ensure_ascii=False, indent=1))
        return
    for k, v in res.items():
        if k == "fields":
            for name, d in v.items():
                click.echo(f"  {name:28s} {d['correct']}/{d['total']}  acc={d['acc']}")
        elif k in ("missed", "false_positives"):
            click.echo(f"{k}: {len(v)}")
            for x in v:
                click.echo("    " + json.dumps(x, ensure_ascii=False))
        else:
            click.echo(f"{k}: {v}")


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite store to serve (read-only).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback unless told).")
@click.option("--port", default=8000, show_default=True, type=int)
def serve(db: str, host: str, port: int) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the web map at / over a store."""
    from .api import serve as run_server

    if not Path(db).exists():
        raise click.ClickException(f"no store at {db}: run 'rasd process ... --db {db}' first")
    run_server(db, host=host, port=port)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, help="Folder for the Parquet partitions.")
@click.option("--scheduler", default="local", show_default=True,
              help="'local' starts a LocalCluster in-process; tcp://HOST:PORT uses a running Dask cluster.")
@click.option("--workers", default=2, show_default=True, type=int, help="Worker processes of a local cluster.")
@click.option("--partition-size", default=200, show_default=True, type=int, help="Documents per partition.")
def batch(inputs: tuple[str, ...], out_dir: str, scheduler: str, workers: int, partition_size: int) -> None:
    """Run the pipeline on Dask over INPUTS and write articles and events as Parquet."""
    from .batch import run_batch

    summary = run_batch(list(inputs), out_dir, scheduler=scheduler, workers=workers,
                        partition_size=partition_size)
    click.echo(json.dumps(summary, ensure_ascii=False))


@main.command()
@click.argument("batch_dir")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite store to load into.")
def load(batch_dir: str, db: str) -> None:
    """Load the output of 'rasd batch' into a SQLite store (for the API and map)."""
    from .batch import load_batch

    summary = load_batch(batch_dir, _open_store(db))
    click.echo(json.dumps(summary, ensure_ascii=False))


@main.command()
@click.option("-o", "--output", default=None,
              help="Model file to write (default: the package's rasd/events/model.json).")
@click.option("--test", "report_test", is_flag=True,
              help="Also score the test split (only for the final report: never choose anything on it).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def train(output: str | None, report_test: bool, as_json: bool) -> None:
    """Rebuild the decision model from the labels in labels/ (texts read from the shared
    corpora: $RASD_SHARED, else ../shared). Needs scikit-learn (pip install 'rasd[train]')."""
    from .events import dataset
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise click.ClickException("rasd train needs scikit-learn: pip install 'rasd[train]'") from None
    if not dataset.ant_path().exists() or not dataset.gsr_path().exists():
        raise click.ClickException(f"the shared corpora are not under {dataset.shared_dir()} (set RASD_SHARED)")
    if not (dataset.labels_dir() / "ant.mentions.jsonl").exists():
        raise click.ClickException(f"no labels at {dataset.labels_dir() / 'ant.mentions.jsonl'}")
    from .events.train import train as run_train
    out = Path(output) if output else Path(__file__).resolve().parent / "events" / "model.json"
    figures = run_train(out, report_test=report_test, echo=lambda m: click.echo(m, err=True))
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    for k, v in figures.items():
        click.echo(f"{k}: {json.dumps(v, ensure_ascii=False)}")
    click.echo(f"model written to {out}")


if __name__ == "__main__":  # pragma: no cover
    main()
