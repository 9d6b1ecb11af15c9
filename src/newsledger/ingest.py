"""Ingest: read sources, extract every article, store it in the ledger, once.

``ingest(paths, ledger)`` takes files, folders (recursive), globs, http(s) URLs and ``-`` (stdin).
For each article:

1. too large (over :data:`MAX_ARTICLE_CHARS`) → rejected, reported;
2. already stored (same stable id) → counted as a duplicate, nothing written;
3. a near-duplicate of a stored article (MinHash + LSH, :mod:`newsledger.dedup`) → linked to it
   with ``ledger.add_duplicate`` and not stored again;
4. else ``extract(title + "\\n" + body, ref_date=published)`` (:func:`extraction_text`: figures in
   titles count too; the store maps their offsets to ``field="title"``) and store it.  Articles
   are extracted and stored a batch at a time (``ledger.add_many``: one transaction per batch of
   up to :data:`EXTRACT_BATCH` articles and about :data:`EXTRACT_BATCH_CHARS` characters, each
   article whole or absent, a bad one retried alone and reported), so a crash or Ctrl-C loses
   nothing committed and never leaves half an article.

A bad file or record is reported with its name and line (or byte offset / entry number), skipped
and counted as rejected; the rest goes on.  Memory stays flat: files are read one at a time and
JSON lines are streamed with a bounded line reader, so a 50 MB line is skipped, never held.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import glob
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .errors import DecodeError, FormatError, InputTooLarge, NewsledgerError, NotFound, StoreError
from .model import Article

__all__ = [
    "ingest", "extraction_text", "IngestSummary", "IngestInterrupted", "expand_paths",
    "MAX_ARTICLE_CHARS", "MAX_FILE_BYTES", "MAX_LINE_BYTES", "FOLDER_EXTENSIONS", "EXTRACT_BATCH",
    "EXTRACT_BATCH_CHARS", "batches",
]

#: Largest article accepted (title + body, in characters).  The longest digest article seen is
#: ~15,000 characters; 500,000 leaves room for very long reports while keeping one article's
#: extraction within a few hundred MB.  Larger articles are rejected with InputTooLarge (E103).
MAX_ARTICLE_CHARS = 500_000
# Articles extracted together: the NER model tags a batch in one pass (about twice the
# throughput on short articles), then stored together in one transaction (Ledger.add_many).
# Measured on 1,177 generated articles (one ingest() each, CPU seconds): 32 → 113,
# 128 → 124–126, 256 → 107–115 articles per CPU second.  A Ctrl-C loses at most the batch
# being extracted (nothing committed).
EXTRACT_BATCH = 128
#: ... and at most about this many characters (title + body): batched extraction holds about 180
#: bytes a character while it runs (measured: peak RSS +352 MB for 1.9 M characters), so a batch
#: of the largest articles stays near 200 MB, where 128 articles at the size limit would need ~11 GB.
EXTRACT_BATCH_CHARS = 1_000_000
#: Largest JSON line read (bytes): an article at the limit in UTF-8 (≤ 3 bytes a CJK character)
#: plus its metadata.  Longer lines are skipped in 1 MB chunks without being held in memory.
MAX_LINE_BYTES = 3 * MAX_ARTICLE_CHARS + 64 * 1024
#: Largest whole file read at once (digests, HTML pages, feeds): 64 MB.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Files taken from a folder (explicitly named files of any extension are always read).
FOLDER_EXTENSIONS = (".txt", ".md", ".digest", ".html", ".htm", ".xhtml", ".xml", ".rss", ".atom", ".jsonl", ".ndjson")
_JSONL_EXT = (".jsonl", ".ndjson")
_MAX_STORE_FAILURES = 20  # consecutive failed writes: the store itself is broken, stop


@dataclass
class IngestSummary:
    """What an ingest did; ``errors`` are dicts with file, line, offset, code and message."""

    new: int = 0
    duplicate: int = 0
    near_duplicate: int = 0
    rejected: int = 0
    figures: int = 0
    times: int = 0
    entities: int = 0
    files: int = 0
    files_failed: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    entity_model: bool = True  # False: entities from the gazetteer and patterns only (--no-model)
    stages_missing: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return self.new + self.duplicate + self.near_duplicate

    @property
    def nothing_read(self) -> bool:
        """True when no source could be read at all (the CLI then exits 2)."""
        return self.files == 0 and self.articles == 0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["articles"] = self.articles
        d["seconds"] = round(self.seconds, 3)
        return d

    def error(self, err: BaseException, file: str | None, **where: Any) -> None:
        detail = dict(getattr(err, "detail", {}) or {})
        self.errors.append({
            "file": file or detail.get("origin"),
            "line": where.get("line", detail.get("line")),
            "offset": where.get("offset", detail.get("offset")),
            "entry": where.get("entry", detail.get("entry")),
            "code": getattr(err, "code", type(err).__name__),
            "message": getattr(err, "message", None) or str(err),
        })


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C during an ingest; ``.summary`` says what was committed before it."""

    def __init__(self, summary: IngestSummary) -> None:
        super().__init__("ingest interrupted")
        self.summary = summary


# ---- finding the sources ---------------------------------------------------------------------
def _is_url(s: str) -> bool:
    return s.startswith(("http://", "https://"))


def expand_paths(paths: Iterable[str], summary: IngestSummary | None = None) -> list[str]:
    """Files, ``-`` and URLs named by ``paths``: folders are walked (files with a known extension,
    hidden ones skipped), globs expanded; a path matching nothing is reported in ``summary``."""
    out: list[str] = []
    seen: set[str] = set()

    def push(p: str) -> None:
        if p not in seen:
            seen.add(p)
            out.append(p)

    for raw in paths:
        p = str(raw)
        if p == "-" or _is_url(p):
            push(p)
            continue
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith(".") and f.lower().endswith(FOLDER_EXTENSIONS):
                        push(os.path.join(root, f))
            continue
        if os.path.exists(p):
            push(p)
            continue
        matches = sorted(glob.glob(p, recursive=True)) if glob.has_magic(p) else []
        files = [m for m in matches if os.path.isfile(m)]
        if files:
            for m in files:
                push(m)
        elif summary is not None:
            summary.files_failed += 1
            summary.error(NotFound(f"{p}: no such file, folder or match; check the path"), p)
    return out


# ---- reading one source ----------------------------------------------------------------------
def _read_capped(fh: BinaryIO, name: str) -> bytes:
    data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputTooLarge(
            f"{name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it, or give it as JSON lines "
            "(which are streamed)", origin=name)
    return data


def bounded_lines(
    fh: BinaryIO, end: int | None = None, first_line: int = 1, offset: int = 0,
) -> Iterator[tuple[int, int, bytes | None, int]]:
    """(line number, byte offset, line bytes or None when over MAX_LINE_BYTES, length in bytes).

    Reads from the current position (at byte ``offset``, line ``first_line``) up to byte ``end``
    (the end of the file when None): the Dask pipeline reads JSON-line ranges with it."""
    lineno = first_line - 1
    while end is None or offset < end:
        line = fh.readline(MAX_LINE_BYTES + 1 if end is None else min(MAX_LINE_BYTES + 1, end - offset))
        if not line:
            return
        lineno += 1
        size = len(line)
        if size > MAX_LINE_BYTES and not line.endswith(b"\n"):
            del line  # drop the head of the huge line now; skip the rest without keeping it
            while end is None or offset + size < end:
                chunk = fh.readline(1 << 20 if end is None else min(1 << 20, end - offset - size))
                size += len(chunk)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield lineno, offset, None, size
        else:
            yield lineno, offset, line, size
        offset += size


def decode_line(raw: bytes, state: dict[str, str | None], name: str, lineno: int) -> str:
    """UTF-8, else the encoding detected on the file's first non-UTF-8 line (GB18030, Big5…)."""
    if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw:
        raise DecodeError(f"{name}:{lineno}: NUL bytes in the line: binary data, not text", origin=name, line=lineno)
    enc = state.get("encoding")
    if enc is None:
        import charset_normalizer

        best = charset_normalizer.from_bytes(raw).best()
        enc = state["encoding"] = best.encoding if best is not None else "gb18030"
    try:
        return raw.decode(enc)
    except (UnicodeDecodeError, LookupError):
        from .sources.encoding import decode

        return decode(raw, f"{name}:{lineno}")


def _iter_jsonl_file(fh: BinaryIO, name: str, published, tag, summary: IngestSummary) -> Iterator[Article]:
    from .sources.jsonl import parse_line

    state: dict[str, str | None] = {}
    chars = 0
    for lineno, offset, raw, size in bounded_lines(fh):
        if raw is None:
            summary.rejected += 1
            summary.error(InputTooLarge(
                f"{name}:{lineno}: a line of {size} bytes is over the {MAX_LINE_BYTES}-byte limit "
                f"(articles are limited to {MAX_ARTICLE_CHARS} characters); line skipped"), name,
                line=lineno, offset=offset)
            continue
        art = None
        try:
            text = decode_line(raw, state, name, lineno).rstrip("\r\n")
        except NewsledgerError as err:
            summary.rejected += 1
            summary.error(err, name, line=lineno, offset=offset)
            chars += len(raw.decode("utf-8", "replace").rstrip("\r\n")) + 1  # best guess past the bad line
            continue
        try:
            art = parse_line(text, lineno, origin=name, published=published, tag=tag, offset=chars)
        except NewsledgerError as err:
            summary.rejected += 1
            summary.error(err, name, line=lineno, offset=offset)
        chars += len(text) + 1
        if art is not None:
            yield art


def _read_whole(data: bytes, name: str, published, tag, fmt: str | None, summary: IngestSummary) -> list[Article]:
    from .sources import read_bytes

    errors: list[NewsledgerError] = []
    arts = read_bytes(data, name, published=published, tag=tag, fmt=fmt, errors=errors)
    for err in errors:
        summary.error(err, name)
    # readers say "skipped" of a record they dropped (counted as rejected); other reports are
    # warnings about records they kept (a date left empty, a feed cut short after its entries)
    summary.rejected += sum(1 for e in errors if "skipped" in e.message)
    return arts


def _iter_source(src: str, published, tag, summary: IngestSummary) -> Iterator[Article]:
    """The articles of one source; raises NewsledgerError/OSError when the source is unreadable."""
    if src == "-":
        data = _read_capped(sys.stdin.buffer, "<stdin>")
        yield from _read_whole(data, "<stdin>", published, tag, None, summary)
        return
    if _is_url(src):
        from .sources.feed import fetch, looks_like_feed

        data, ctype = fetch(src)
        head = data[:4096].decode("utf-8", "replace")
        fmt = "feed" if ("xml" in ctype or "rss" in ctype or "atom" in ctype or looks_like_feed(head)) else "html"
        yield from _read_whole(data, src, published, tag, fmt, summary)
        return
    path = Path(src)
    with path.open("rb") as fh:
        if path.suffix.lower() in _JSONL_EXT:
            yield from _iter_jsonl_file(fh, src, published, tag, summary)
            return
        head = fh.read(1)
        fh.seek(0)
        if head == b"{" and path.suffix.lower() not in FOLDER_EXTENSIONS:  # JSON lines by content
            yield from _iter_jsonl_file(fh, src, published, tag, summary)
            return
        data = _read_capped(fh, src)
    yield from _read_whole(data, src, published, tag, None, summary)


# ---- extraction --------------------------------------------------------------------------------
def article_chars(art: Article) -> int:
    """Characters an article brings to a batch: title, newline, body."""
    return len(art.title) + 1 + len(art.body)


def batch_full(articles: int, chars: int) -> bool:
    """Whether a batch of ``articles`` holding ``chars`` characters is ready to extract."""
    return articles >= EXTRACT_BATCH or chars >= EXTRACT_BATCH_CHARS


def batches(articles: Iterable[Article]) -> Iterator[list[Article]]:
    """``articles`` in order, in the batches ingest extracts together (:func:`batch_full`)."""
    batch: list[Article] = []
    chars = 0
    for art in articles:
        batch.append(art)
        chars += article_chars(art)
        if batch_full(len(batch), chars):
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def extraction_text(art: Article) -> str:
    """The text ingest extracts from: ``title + "\\n" + body``, or the body alone when the article
    has no title of its own (none, or one read from the body's first sentence, as for plain text:
    extracting it again would count its figures twice).  The store accepts both and records which
    field each span is in; see ``newsledger.store.rows``."""
    return f"{art.title}\n{art.body}" if has_own_title(art) else art.body


def has_own_title(art: Article) -> bool:
    """Does the article have a title that is not read from its body (as plain text's first sentence is)?"""
    if not art.title:
        return False
    ts, bs, be = art.title_start, art.body_start, art.body_end
    if ts is not None and bs is not None and be is not None:
        return not bs <= ts < be  # the title's source offsets lie outside the body's
    return not art.body.startswith(art.title)


class _Extractor:
    """``newsledger.extract`` with the full pipeline; a stage whose module is not installed yet
    is switched off once, with a warning, and listed in the summary (never silently)."""

    def __init__(self, summary: IngestSummary, options: Any) -> None:
        from .extract import extract, extract_many

        self._extract = extract
        self._extract_many = extract_many
        self._options = options
        self._summary = summary

    def many(self, texts: list[str], ref_dates: list) -> list | None:
        """All texts in one batched pass (the NER model's per-step cost is shared), or None when
        the batch fails: the caller then extracts one by one, so one bad article only costs
        itself, and a missing stage is handled by ``__call__``."""
        try:
            return self._extract_many(texts, ref_dates=ref_dates, options=self._options)
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except Exception:  # noqa: BLE001 - retried one by one, where errors are reported per article
            return None

    def __call__(self, text: str, ref_date: _dt.date | None):
        import dataclasses

        while True:
            try:
                return self._extract(text, ref_date=ref_date, options=self._options)
            except ModuleNotFoundError as exc:
                stage = (exc.name or "").rsplit(".", 1)[-1]
                if not (exc.name or "").startswith("newsledger.") or not getattr(self._options, stage, False):
                    raise
                warnings.warn(f"extraction stage {stage!r} is not available ({exc}); ingesting without it",
                              stacklevel=2)
                self._summary.stages_missing.append(stage)
                self._options = dataclasses.replace(self._options, **{stage: False})


# ---- the ingest loop -----------------------------------------------------------------------
_EMPTY_INDEX: dict[float, Any] = {}


def _pending_index(index):  # noqa: ANN001, ANN202
    """An empty near-duplicate index like ``index``, for the articles waiting to be stored.

    Building one computes its LSH parameters (tens of ms); a copy of an empty one costs ~0.1 ms.
    """
    import copy

    from . import dedup

    if index.threshold not in _EMPTY_INDEX:
        _EMPTY_INDEX[index.threshold] = dedup.NearDuplicateIndex(index.threshold)
    return copy.deepcopy(_EMPTY_INDEX[index.threshold])


def _progress(enabled: bool):
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[info]}"), TimeElapsedColumn(),
        console=Console(stderr=True), transient=False,
    )


def as_date(value: _dt.date | str | None) -> _dt.date | None:
    """A ``published`` option as a date (ConfigError when it is not YYYY-MM-DD)."""
    if value is None or isinstance(value, _dt.date):
        return value.date() if isinstance(value, _dt.datetime) else value
    from .sources.jsonl import parse_date

    try:
        return parse_date(value)
    except ValueError:
        from .errors import ConfigError

        raise ConfigError(f"published date {value!r} is not YYYY-MM-DD", published=str(value)) from None


@contextlib.contextmanager
def interrupts_held():
    """Hold a Ctrl-C (SIGINT) until the block ends, then raise it.

    Around a batch's commit and its counting: a Ctrl-C between the two would leave committed
    articles out of the summary.  Only the main thread receives signals; elsewhere, or when the
    handler is not Python's default one (someone else handles SIGINT), the block runs as is.
    """
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    held: list = []
    signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if held:
        raise KeyboardInterrupt


def count_stored(summary: IngestSummary, art: Article, ext: Any, status: Any, failures: int) -> int:
    """Count one ``Ledger.add_many`` result ("new", "exists" or the exception that kept the article
    out) in ``summary``; returns the run of store failures in a row, and raises StoreError when
    that run reaches _MAX_STORE_FAILURES (a broken store stops the ingest).  Ingest and the Dask
    writer both count through here, so their summaries agree."""
    if isinstance(status, BaseException):
        failures += 1
        summary.rejected += 1
        summary.error(status, art.origin, offset=art.body_start or None)
        if failures >= _MAX_STORE_FAILURES:
            raise StoreError(f"{failures} articles in a row could not be stored; last error: {status}") from status
        return failures
    if status == "exists":
        summary.duplicate += 1
    else:
        summary.new += 1
        summary.figures += len(ext.figures)
        summary.times += len(ext.times)
        summary.entities += len(ext.entities)
    return 0


def ingest(
    paths: Iterable[str],
    ledger,  # noqa: ANN001 - newsledger.store.Ledger (kept untyped to avoid importing SQLAlchemy here)
    *,
    tag: str | None = None,
    published: _dt.date | str | None = None,
    progress: bool = True,
    options: Any = None,
) -> IngestSummary:
    """Read every source in ``paths`` into ``ledger``; see the module docstring.

    ``tag`` labels every article; ``published`` dates articles whose source gives no date.
    ``options`` (an :class:`~newsledger.extract.ExtractOptions`) chooses the extraction stages:
    the default is the full pipeline; ``ExtractOptions(model=False)`` skips the statistical NER
    model (names from the gazetteer and patterns only: faster, fewer names found).
    Raises :class:`IngestInterrupted` (a KeyboardInterrupt carrying the summary) on Ctrl-C.
    """
    from . import dedup

    t0 = time.perf_counter()
    summary = IngestSummary()
    pub = as_date(published)
    sources = expand_paths(paths, summary)
    if options is None:
        from .extract import ExtractOptions

        options = ExtractOptions()
    extractor = _Extractor(summary, options)
    summary.entity_model = options.entity_model
    index = dedup.NearDuplicateIndex.from_ledger(ledger)
    bar = _progress(progress)
    store_failures = 0

    # Articles ready to store wait in ``queue`` (in input order) and are written together by
    # ``commit`` with ``ledger.add_many``: one transaction for the batch, each article still whole
    # or absent.  Anything whose outcome depends on what is stored before it (a repeated id, a
    # near-duplicate of a queued article) or that reports an error commits the queue first, so
    # decisions, counts and the order of reported errors are those of storing one by one.
    queue: list[tuple[Article, Any, Any]] = []  # (article, extraction, MinHash)
    queued = _pending_index(index)

    def commit() -> None:
        nonlocal store_failures, queued
        if not queue:
            return
        items = list(queue)
        queue.clear()
        queued = _pending_index(index)
        with interrupts_held():  # what is committed is counted, even when Ctrl-C comes in between
            results = ledger.add_many([(a, e, dedup.to_bytes(mh)) for a, e, mh in items])
            for (art, ext, mh), status in zip(items, results):
                store_failures = count_stored(summary, art, ext, status, store_failures)
                if status == "new":
                    index.add(art.id, mh)

    def store(art: Article, pre: Any = None) -> None:
        if len(art.title) + len(art.body) > MAX_ARTICLE_CHARS:
            commit()
            summary.rejected += 1
            summary.error(InputTooLarge(
                f"{art.origin}: article {art.title[:30]!r} has {len(art.title) + len(art.body)} characters, over the "
                f"{MAX_ARTICLE_CHARS} limit; split it"), art.origin, offset=art.body_start or None)
            return
        if art.id in queued:
            commit()
        if art.id in index:  # stored before (with its signature): no database round trip needed;
            summary.duplicate += 1  # an article stored without one is caught by add_many() → "exists"
            return
        mh = dedup.signature(art.title, art.body)
        if queue and queued.find(mh, exclude=art.id) is not None:
            commit()  # near a queued article: decide against the ledger once it is stored
        near = index.find(mh, exclude=art.id)
        if near is not None:
            commit()  # a queued article may be nearer (and must be stored before the link)
            near = index.find(mh, exclude=art.id)
            ledger.add_duplicate(art, near[0], near[1])
            summary.near_duplicate += 1
            return
        try:
            ext = pre if pre is not None else extractor(extraction_text(art), art.published)
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the ingest
            commit()
            summary.rejected += 1
            summary.error(exc, art.origin, offset=art.body_start or None)
            summary.errors[-1]["message"] = f"extraction failed on {art.title[:30]!r}: {summary.errors[-1]['message']}"
            return
        queue.append((art, ext, mh))
        queued.add(art.id, mh)

    def flush(batch: list[Article]) -> None:
        """Extract a batch of articles in one pass, then store them in order, together (see
        ``commit``).  Articles already in the ledger or too large are not extracted; a
        near-duplicate (rare) is extracted and then not stored, which only costs time."""
        todo = [a for a in batch if a.id not in index and len(a.title) + len(a.body) <= MAX_ARTICLE_CHARS]
        pre: dict[int, Any] = {}
        if len(todo) > 1:
            exts = extractor.many([extraction_text(a) for a in todo], [a.published for a in todo])
            if exts is not None:
                pre = {id(a): e for a, e in zip(todo, exts)}
        for art in batch:
            store(art, pre.get(id(art)))
        commit()
        if bar is not None:
            bar.update(arts_task, advance=len(batch),
                       info=f"new {summary.new} dup {summary.duplicate + summary.near_duplicate} "
                            f"rejected {summary.rejected}")
        batch.clear()

    try:
        if bar is not None:
            bar.start()
            files_task = bar.add_task("files", total=len(sources), info="")
            arts_task = bar.add_task("articles", total=None, info="")
        for src in sources:
            if bar is not None:
                bar.update(files_task, info=os.path.basename(src) or src)
            batch: list[Article] = []
            chars = 0
            failure: Exception | None = None
            try:
                for art in _iter_source(src, pub, tag, summary):
                    batch.append(art)
                    chars += article_chars(art)
                    if batch_full(len(batch), chars):
                        flush(batch)
                        chars = 0
            except (DecodeError, FormatError, InputTooLarge, NotFound) as err:
                failure = err
            except OSError as exc:
                failure = FormatError(f"{src}: cannot read ({exc.strerror or exc})")
            flush(batch)  # articles read before a failure are stored, not dropped with the file
            if failure is None:
                summary.files += 1
            else:
                summary.files_failed += 1
                summary.error(failure, src)
            if bar is not None:
                bar.update(files_task, advance=1)
    except KeyboardInterrupt:
        summary.interrupted = True
        summary.seconds = time.perf_counter() - t0
        raise IngestInterrupted(summary) from None
    finally:
        if bar is not None:
            bar.stop()
    summary.seconds = time.perf_counter() - t0
    return summary


def summary_table(summary: IngestSummary):
    """The end-of-ingest table (rich)."""
    from rich.table import Table

    t = Table(title="ingest" + (" (interrupted)" if summary.interrupted else ""), show_header=True)
    t.add_column("")
    t.add_column("count", justify="right")
    rows = [
        ("articles new", summary.new), ("duplicate", summary.duplicate),
        ("near-duplicate", summary.near_duplicate), ("rejected", summary.rejected),
        ("figures", summary.figures), ("times", summary.times), ("entities", summary.entities),
        ("files read", summary.files), ("files failed", summary.files_failed),
    ]
    for name, n in rows:
        t.add_row(name, f"{n:,}")
    if not summary.entity_model:
        t.add_row("entities from", "gazetteer and patterns (no NER model)")
    rate = summary.articles / summary.seconds if summary.seconds else 0.0
    t.add_row("seconds", f"{summary.seconds:.1f} ({rate:.0f} articles/s)")
    return t
