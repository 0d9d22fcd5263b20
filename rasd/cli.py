"""The ``rasd`` command: a thin layer over the pipeline functions.

A user's mistake (a file or folder that is not there, a folder that cannot be written, a
file that is not a rasd store, a busy port) ends in one ``Error: ...`` line on standard
error and a non-zero exit, never a traceback (``-vv`` logs the traceback too), and
creates nothing: every command that reads or writes a store needs ``--db FILE``, and
inputs that do not exist are refused before any store is opened (see :func:`_guard`).
"""
from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sqlite3
import sys
from pathlib import Path

import click

from . import __version__

DEFAULT_DB = None    # no default store: every command that needs one takes --db (see _guard)
DB_OPTIONAL = {"eval"}   # commands whose --db is one of several sources (eval: --db or --pred)

log = logging.getLogger("rasd.cli")


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _os_message(e: OSError) -> str:
    if e.filename is not None and e.strerror:
        return f"{e.filename}: {e.strerror}"
    return str(e) or type(e).__name__


class _Commands(click.Group):
    """The top-level group: errors that come from what the user asked for (files,
    folders, stores, data files) become one ``Error:`` line and exit code 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            # the reader went away (``rasd export ... | head``): stop quietly
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(1) from None
        except OSError as e:
            log.debug("traceback", exc_info=True)
            raise click.ClickException(_os_message(e)) from None
        except Exception as e:
            if not _user_error(e):
                raise
            log.debug("traceback", exc_info=True)
            raise click.ClickException(str(e)) from None


# the errors of a user's mistake that are not OSErrors: (module, class); a module not
# imported by the command has raised none of them (so the command does not import it:
# `rasd process` starts without the export module)
_USER_ERRORS = (("store", "StoreError"), ("ingest", "DecodeError"), ("export", "DataFileError"))


def _user_error(e: Exception) -> bool:
    if isinstance(e, sqlite3.DatabaseError):
        return True
    for mod, name in _USER_ERRORS:
        m = sys.modules.get(f"{__package__}.{mod}")
        if m is not None and isinstance(e, getattr(m, name)):
            return True
    return False


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="rasd")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """rasd (رصد): Arabic conflict news → clean, de-duplicated, geocoded event claims."""
    _setup_logging(verbose)


def _open_store(db: str, *, readonly: bool = False):
    """The store at ``db``; read-only: it must exist (a clear error, and no empty file made)."""
    from .store import Store, StoreError
    if readonly and not Path(db).is_file():
        raise click.ClickException(f"no store at {db}: run 'rasd process ... --db {db}' first")
    if not readonly and Path(db).is_dir():
        raise click.ClickException(f"{db} is a folder, not a store file")
    try:
        return Store(db, readonly=readonly)
    except StoreError as e:
        raise click.ClickException(str(e)) from None
    except sqlite3.DatabaseError as e:
        raise click.ClickException(f"{db} is not a rasd database: {e}") from None


def _need(path: str, what: str, *, folder: bool = False) -> None:
    """A clear error unless ``path`` is an existing file (or folder)."""
    p = Path(path)
    if not p.exists():
        raise click.ClickException(f"{what} {path} does not exist")
    if folder and not p.is_dir():
        raise click.ClickException(f"{what} {path} is not a folder")
    if not folder and p.is_dir():
        raise click.ClickException(f"{what} {path} is a folder, not a file")


def _check_listen(host: str, port: int) -> None:
    """A clear error now, before anything says "serving", when ``host:port`` cannot be bound."""
    import socket
    if not 0 < port < 65536:
        raise click.ClickException(f"port {port} is not a port number (1-65535)")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise click.ClickException(f"cannot listen on {host}: {e.strerror}") from None
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as uvicorn does
        try:
            s.bind(addr)
        except OSError as e:
            raise click.ClickException(f"cannot listen on {host}:{port}: {e.strerror or e}") from None


def _inputs_exist(ctx: click.Context, param: click.Parameter, value):
    """Refuse inputs that are neither an existing file or folder nor a URL, before a store
    is opened (a mistyped path would otherwise leave a store holding one reject)."""
    missing = [v for v in value or () if "://" not in v and not Path(v).exists()]
    if missing:
        raise click.ClickException("no such file or folder: " + ", ".join(missing))
    return value


def _db_given(ctx: click.Context, param: click.Parameter, value):
    if value is None:       # (click ≥ 8.3 takes a default of None for a given value)
        raise click.MissingParameter(ctx=ctx, param=param)
    return value


def _guard(group: click.Group) -> None:
    """Rules every command follows, new ones included: an option ``--db`` that would fall
    back to a default store is required, except in DB_OPTIONAL (nothing writes ./rasd.db
    silently); an argument ``inputs`` must name existing files, folders or URLs."""
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            _guard(cmd)
            continue
        for p in cmd.params:
            if isinstance(p, click.Option) and p.name == "db" and p.default in (DEFAULT_DB, "rasd.db") \
                    and name not in DB_OPTIONAL:
                p.required, p.default, p.show_default = True, None, False
                p.callback = _db_given
            elif isinstance(p, click.Argument) and p.name == "inputs" and p.callback is None:
                p.callback = _inputs_exist


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

    from .ingest import DEFAULT_LIMITS
    from .pipeline import DOC_SECONDS
    from .pipeline import process as run
    from .store import StoreError

    limits = replace(DEFAULT_LIMITS, follow_links=follow_links,
                     **({"max_doc_bytes": max_doc_bytes} if max_doc_bytes else {}),
                     **({"read_seconds": read_seconds} if read_seconds else {}))
    store = _open_store(db)
    show = sys.stderr.isatty() if progress is None else progress
    if show:
        from tqdm import tqdm
        bar = tqdm(total=_estimate(inputs, follow_links), unit="doc", file=sys.stderr, dynamic_ncols=True)
    else:
        bar = _NoBar()

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


class _NoBar:
    """The progress bar when none is shown (tqdm is not even imported)."""

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


@main.group()
def export() -> None:
    """Export the store: JSONL, CSV (ACLED's columns, then rasd's) or GeoJSON. Every field
    is described in docs/output-format.md (in the rasd repository)."""


@contextlib.contextmanager
def _output(path: str | None):
    """A text stream for ``-o PATH`` (standard output for None or -): UTF-8 whatever the
    locale, no newline translation. A file is written beside its final name and renamed
    when complete, so a failed export leaves no half file."""
    if path in (None, "-"):
        sys.stdout.flush()
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
        try:
            yield out
        finally:
            out.flush()
            out.detach()        # standard output stays open
        return
    target = Path(path)
    if target.is_dir():
        raise click.ClickException(f"{path} is a folder: give a file name to write")
    if not target.parent.is_dir():
        raise click.ClickException(f"cannot write {path}: no folder {target.parent}")
    tmp = target.with_name(f".{target.name}.part")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


@export.command("events")
@click.option("--db", default=DEFAULT_DB, help="SQLite store to read.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson"]), default="jsonl", show_default=True)
@click.option("-o", "--output", default=None, help="Output file (default: standard output).")
@click.option("--bom/--no-bom", default=None,
              help="Start a CSV with a UTF-8 byte order mark, so that spreadsheet programs read the "
                   "Arabic (default: on for CSV).")
def export_events(db: str, fmt: str, output: str | None, bom: bool | None) -> None:
    """Event claims: JSONL (the record of each claim), CSV (ACLED's columns and values,
    then rasd's), or GeoJSON (movements as lines from origin to destination, other events
    as points; properties as in the CSV). Fields: docs/output-format.md."""
    from .export import ExportContext, with_links, write_csv, write_geojson, write_jsonl

    if bom and fmt != "csv":
        raise click.UsageError("--bom is for --format csv")
    store = _open_store(db, readonly=True)
    ctx = ExportContext(store.conn)
    with _output(output) as out:
        if fmt == "csv":
            n = write_csv(store.event_records(), out, context=ctx, bom=bom is not False)
        elif fmt == "geojson":
            n = write_geojson(store.event_records(), out, context=ctx)
        else:
            n = write_jsonl(with_links(store.event_records(), ctx), out)
    store.close()
    click.echo(f"{n} events" + (" with coordinates" if fmt == "geojson" else ""), err=True)


@export.command("articles")
@click.option("--db", default=DEFAULT_DB, help="SQLite store to read.")
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("-o", "--output", default=None, help="Output file (default: standard output).")
@click.option("--text", "with_text", is_flag=True, help="Add each paragraph's text.")
def export_articles(db: str, fmt: str, output: str | None, with_text: bool) -> None:
    """Articles: one JSON line each, paragraphs as raw offsets (docs/output-format.md)."""
    from .export import article_records, write_jsonl

    store = _open_store(db, readonly=True)
    with _output(output) as out:
        n = write_jsonl(article_records(store, with_text=with_text), out)
    store.close()
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

    SOURCE is a file or - for standard input. Prints one JSON line per text. With
    --format jsonl, lines are split on newline (\\n) only, as JSON Lines are: U+2028 and
    friends inside a string are text. A line that cannot be read is reported on standard
    error ("line N: ...") and skipped, the rest goes on, and the exit code is 1."""
    from .ingest import DecodeError, decode_bytes
    from .lang.analyse import tag_record

    if source != "-" and not Path(source).is_file():
        raise click.ClickException(f"{source}: no such file" if not Path(source).exists()
                                   else f"{source} is not a file")
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
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        rec, problem = _tag_line(line, published, tag_record)
        if rec is not None:
            click.echo(json.dumps(rec, ensure_ascii=False))
        if problem:
            click.echo(f"line {n}: {problem}", err=True)
            bad += rec is None
    if bad:
        click.echo(f"{bad} lines skipped", err=True)
        raise SystemExit(1)


def _tag_line(line: str, published: str | None, tag_record) -> tuple[dict | None, str | None]:
    """(the record of one JSON line, or None; what was wrong with it, or None)."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        return None, f"skipped (not JSON: {e.msg} at column {e.colno})"
    if not isinstance(obj, dict):
        return None, "skipped (not a JSON object)"
    if obj.get("id") is None or not isinstance(obj["id"], (str, int, float)):
        return None, "skipped (no 'id', or not a string or number)"
    if not isinstance(obj.get("text"), str):
        return None, "skipped ('text' missing or not a string)"
    problem = None
    pub = obj.get("published")
    if pub is not None and not isinstance(pub, str):
        problem = f"'published' is a {type(pub).__name__}, not an ISO date string: ignored"
        pub = None
    try:
        return tag_record(str(obj["id"]), obj["text"], published=pub or published), problem
    except Exception as e:  # one text never stops the stream
        log.debug("traceback", exc_info=True)
        return None, f"skipped ({type(e).__name__}: {e})"


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
    _need(gold, "gold file")
    if pred:
        _need(pred, "prediction file")
    if raw_dir is not None:
        _need(raw_dir, "folder of raw pages", folder=True)
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
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests for this host name (repeatable); besides 127.0.0.1, localhost, [::1] "
                   "and --host, every other Host header is refused (DNS rebinding).")
@click.option("--max-request-seconds", default=2.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="CPU seconds of work one request may do in the store; past them the answer is 503.")
def serve(db: str, host: str, port: int, allow_hosts: tuple[str, ...], max_request_seconds: float) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the web map at / over a store."""
    from .api import serve as run_server

    _open_store(db, readonly=True).close()
    _check_listen(host, port)
    run_server(db, host=host, port=port, allow_hosts=allow_hosts, max_request_seconds=max_request_seconds)


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
@click.option("--db", default=DEFAULT_DB, help="SQLite store to load into.")
def load(batch_dir: str, db: str) -> None:
    """Load the output of 'rasd batch' into a SQLite store (for the API and map)."""
    from .batch import MARKER, load_batch

    _need(batch_dir, "batch folder", folder=True)
    if not (Path(batch_dir) / MARKER).is_file():
        raise click.ClickException(f"{batch_dir} holds no rasd batch result ({MARKER} missing)")
    store = _open_store(db)
    try:
        summary = load_batch(batch_dir, store)
    except ValueError as e:     # an unfinished batch, another pipeline version
        raise click.ClickException(str(e)) from None
    finally:
        store.close()
    click.echo(json.dumps(summary, ensure_ascii=False))


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="FEED_OR_URL...")
@click.option("--db", default=DEFAULT_DB, help="SQLite store to write.")
@click.option("--every", default="10m", show_default=True,
              help="Time between two polls of a source: 30s, 10m, 1h (or seconds).")
@click.option("--once", is_flag=True, help="Poll every source once, then exit.")
@click.option("--max-polls", type=click.IntRange(min=1), default=None,
              help="Stop after this many rounds of polls.")
@click.option("--timeout", default=20.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds to wait for a server.")
def watch(inputs: tuple[str, ...], db: str, every: str, once: bool, max_polls: int | None,
          timeout: float) -> None:
    """Poll RSS/Atom feeds and pages (http(s) URLs, or local feed files) and process what
    is new or changed into the store, until Ctrl-C.

    URLs are fetched with a conditional GET (ETag / Last-Modified, kept per URL in the
    store), so an unchanged feed costs one short request; entries already stored with the
    same content are skipped. A source that is down is logged and tried again later
    (back-off: twice the wait after each failure, up to 6 h). One line per poll on
    standard error. Run 'rasd serve' on the same store to see the new events on the map."""
    import signal

    from .watch import Watcher, parse_duration

    try:
        interval = parse_duration(every)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--every") from None
    for src in inputs:
        if "://" in src and not src.lower().startswith(("http://", "https://")):
            raise click.BadParameter(f"{src}: only http(s) URLs can be watched", param_hint="FEED_OR_URL")
        if "://" not in src and not Path(src).is_file():
            raise click.ClickException(f"{src} is not a file: watch feed files and URLs, not folders")
    store = _open_store(db)
    w = Watcher(inputs, store, every=interval, timeout=timeout, echo=lambda line: click.echo(line, err=True))

    def stop(signum, frame):
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, stop)
    try:
        results = w.run(once=once, max_rounds=max_polls)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
        results = None
    finally:
        signal.signal(signal.SIGTERM, old)
        store.close()
    if results is not None and results and all(r.status == "failed" for r in results):
        raise SystemExit(1)


@main.command()
@click.option("-o", "--output", default=None,
              help="Model file to write (default: the package's rasd/events/model.json).")
@click.option("--test", "report_test", is_flag=True,
              help="Also score the test split (only for the final report: never choose anything on it).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--model", "which", type=click.Choice(["decision", "doer", "target"]), default="decision",
              show_default=True, help="Which model to rebuild: the decision (model.json), the doer chooser "
              "(doer.json) or the acted-on chooser (acted_on.json).")
def train(output: str | None, report_test: bool, as_json: bool, which: str) -> None:
    """Rebuild the decision model (or, with --model doer / target, the chooser of the doer /
    the one acted on) from the labels in labels/ (texts read from the shared corpora:
    $RASD_SHARED, else ../shared). Needs scikit-learn (pip install 'rasd[train]')."""
    from .events import dataset
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise click.ClickException("rasd train needs scikit-learn: pip install 'rasd[train]'") from None
    if which in ("doer", "target"):
        if report_test:
            raise click.ClickException("--test scores the decision model only (the argument choosers never read the test split)")
        _train_doer(output, as_json, which)
        return
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


def _train_doer(output: str | None, as_json: bool, role: str) -> None:
    from .events import dataset
    from .events.doer_train import LABELS
    from .events.doer_train import train as train_doer
    if not dataset.ant_path().exists():
        raise click.ClickException(f"the shared corpora are not under {dataset.shared_dir()} (set RASD_SHARED)")
    if not LABELS.exists():
        raise click.ClickException(f"no labels at {LABELS}")
    # (no --output: the packaged doer.json / acted_on.json, as doer_train.train chooses)
    figures = train_doer(Path(output) if output else None, echo=lambda m: click.echo(m, err=True), role=role)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    for k, v in figures.items():
        click.echo(f"{k}: {json.dumps(v, ensure_ascii=False)}")


_guard(main)


if __name__ == "__main__":  # pragma: no cover
    main()
