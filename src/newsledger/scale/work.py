"""Worker side of a batch: read pieces, extract their articles, compute their signatures.

:func:`run_partition` is the one function Dask runs per partition.  It returns, per piece, the
events an ingest of that input would meet, in order: record errors, articles (each with its
extraction or the error it raised, and its MinHash signature) and file failures.  It writes
nothing: the driver replays the events against the ledger and the near-duplicate index, in input
order (see :mod:`newsledger.scale.pipeline`).

Reading follows :mod:`newsledger.ingest` rule for rule (the same readers, limits, encodings and
error messages), but JSON lines are read from a byte range starting at any line, which ingest's
reader cannot do; their character offsets are counted from the range start and shifted by the
driver, which knows how many characters the earlier ranges held.

Articles are extracted as ingest extracts them: in batches of up to ``EXTRACT_BATCH`` with
``extract_many``, one by one when a batch fails (see :class:`_Batch`).
"""
from __future__ import annotations

import datetime as _dt
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from ..errors import DecodeError, FormatError, InputTooLarge, NewsledgerError, NotFound
from ..extract import ExtractOptions
from ..ingest import (MAX_ARTICLE_CHARS, MAX_FILE_BYTES, MAX_LINE_BYTES, IngestSummary, article_chars, batch_full,
                      bounded_lines, decode_line, extraction_text)
from ..model import Article
from .plan import Piece

__all__ = ["Context", "Err", "PieceResult", "run_partition"]


@dataclass(frozen=True, slots=True)
class Context:
    """What every task needs besides its pieces (small and picklable)."""

    published: _dt.date | None = None
    tag: str | None = None
    options: ExtractOptions = field(default_factory=ExtractOptions)
    cwd: str = "."  # relative input paths are resolved here (worker processes may start elsewhere)
    ledger_url: str | None = None  # to skip extracting articles already stored (an optimisation only)
    run_id: str = ""


@dataclass(frozen=True, slots=True)
class Err:
    """An exception as plain data (any exception pickles this way), shaped for IngestSummary.error."""

    code: str
    message: str
    detail: dict[str, Any]

    @classmethod
    def of(cls, exc: BaseException) -> Err:
        return cls(getattr(exc, "code", type(exc).__name__), getattr(exc, "message", None) or str(exc),
                   {k: v for k, v in (getattr(exc, "detail", {}) or {}).items() if isinstance(v, (str, int, float))})


@dataclass(slots=True)
class PieceResult:
    """Events of one piece, in input order, and the characters its JSON lines held.

    Events: ``("error", error dict, rejected increment)``; ``("article", Article, payload,
    signature bytes)`` with payload an Extraction, an :class:`Err` (extraction failed) or None
    (not extracted: already stored or too large); ``("fail", Err)`` the source could not be read.
    """

    piece: Piece
    events: list[tuple] = field(default_factory=list)
    chars: int = 0
    cpu: float = 0.0  # CPU seconds the worker spent on this piece (reported in the batch summary)


# ---- articles already in the ledger (loaded once per worker process and run) -----------------
_KNOWN: dict[tuple[str, str], frozenset[str]] = {}


def _known_ids(ctx: Context) -> frozenset[str]:
    if not ctx.ledger_url:
        return frozenset()
    key = (ctx.ledger_url, ctx.run_id)
    if key not in _KNOWN:
        try:
            from ..store import Ledger

            with Ledger(ctx.ledger_url) as led:
                ids = frozenset(aid for aid, _ in led.signatures())
        except Exception:  # noqa: BLE001 - unreachable ledger: extract everything, the driver decides
            ids = frozenset()
        _KNOWN.clear()
        _KNOWN[key] = ids
    return _KNOWN[key]


# ---- reading ---------------------------------------------------------------------------------------
def _scratch_error(exc: BaseException, file: str | None, **where: Any) -> dict[str, Any]:
    s = IngestSummary()
    s.error(exc, file, **where)
    return s.errors[0]


def _jsonl(piece: Piece, path: str, ctx: Context, out: PieceResult):  # noqa: ANN202
    from ..sources.jsonl import parse_line

    name = piece.src
    state: dict[str, str | None] = {}
    chars = 0
    with open(path, "rb") as fh:
        fh.seek(piece.start)
        end = piece.end if piece.end > piece.start else os.fstat(fh.fileno()).st_size
        for lineno, offset, raw, size in bounded_lines(fh, end, piece.first_line, fh.tell()):
            if raw is None:
                out.events.append(("error", _scratch_error(InputTooLarge(
                    f"{name}:{lineno}: a line of {size} bytes is over the {MAX_LINE_BYTES}-byte limit "
                    f"(articles are limited to {MAX_ARTICLE_CHARS} characters); line skipped"), name,
                    line=lineno, offset=offset), 1))
                continue
            try:
                text = decode_line(raw, state, name, lineno).rstrip("\r\n")
            except NewsledgerError as err:
                out.events.append(("error", _scratch_error(err, name, line=lineno, offset=offset), 1))
                chars += len(raw.decode("utf-8", "replace").rstrip("\r\n")) + 1
                continue
            art = None
            try:
                art = parse_line(text, lineno, origin=name, published=ctx.published, tag=ctx.tag, offset=chars)
            except NewsledgerError as err:
                out.events.append(("error", _scratch_error(err, name, line=lineno, offset=offset), 1))
            chars += len(text) + 1
            if art is not None:
                yield art
    out.chars = chars


def _whole(piece: Piece, path: str, ctx: Context, out: PieceResult) -> list[Article]:
    from ..sources import read_bytes

    name = piece.src
    fmt = None
    if piece.data is not None:
        data = piece.data
        if len(data) > MAX_FILE_BYTES:
            raise InputTooLarge(f"{name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it, or give it as "
                                "JSON lines (which are streamed)", origin=name)
    elif name.startswith(("http://", "https://")):
        from ..sources.feed import fetch, looks_like_feed

        data, ctype = fetch(name)
        head = data[:4096].decode("utf-8", "replace")
        fmt = "feed" if ("xml" in ctype or "rss" in ctype or "atom" in ctype or looks_like_feed(head)) else "html"
    else:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise InputTooLarge(f"{name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it, or give it as "
                                "JSON lines (which are streamed)", origin=name)
    errors: list[NewsledgerError] = []
    arts = read_bytes(data, name, published=ctx.published, tag=ctx.tag, fmt=fmt, errors=errors)
    if piece.kind == "slice":
        i, k = piece.start, piece.end
        n = len(arts)
        arts = arts[n * i // k : n * (i + 1) // k]
        if i > 0:
            errors = []  # the first slice reports the file's record problems, once
    for err in errors:
        # as ingest: readers say "skipped" of a record they dropped (rejected), else it is a warning
        out.events.append(("error", _scratch_error(err, name), int("skipped" in err.message)))
    return arts


def _articles(piece: Piece, ctx: Context, out: PieceResult):  # noqa: ANN202
    path = piece.src if os.path.isabs(piece.src) else os.path.join(ctx.cwd, piece.src)
    if piece.kind == "jsonl":
        yield from _jsonl(piece, path, ctx, out)
    else:
        yield from _whole(piece, path, ctx, out)


class _Batch:
    """Articles of a partition waiting to be extracted together, as ingest's ``flush`` does.

    Each article's event is reserved in its piece's event list when it is read (so record errors
    and file failures stay in input order) and filled in when its batch is extracted: up to
    :data:`~newsledger.ingest.EXTRACT_BATCH` articles (and about ``EXTRACT_BATCH_CHARS`` characters)
    in one :func:`~newsledger.extract.extract_many`
    pass (the NER model's per-step cost is shared, ≈5 CPU ms an article against ≈12 one by one).
    When the batch fails its articles are extracted one by one, so one bad article only costs
    itself and its error is reported on it alone (as ingest's ``_Extractor.many`` fallback).
    Batches span the pieces of a partition (several small files fill one batch); the results are
    the same as one by one whatever the batch holds (``extract_many``'s contract).
    """

    def __init__(self, ctx: Context, known: frozenset[str]) -> None:
        self.ctx, self.known = ctx, known
        self.todo: list[tuple[list[tuple], int, Article, bytes]] = []  # (events, slot, article, signature)
        self.chars = 0  # characters of title + body waiting in todo

    def add(self, art: Article, events: list[tuple]) -> None:
        """Reserve ``art``'s event; extract now when the batch is full."""
        from .. import dedup

        # not extracted, as ingest: over the size limit (rejected) or already stored (a duplicate)
        if len(art.title) + len(art.body) > MAX_ARTICLE_CHARS or art.id in self.known:
            events.append(("article", art, None, None))
            return
        sig = dedup.to_bytes(dedup.signature(art.title, art.body))
        events.append(("article", art, None, sig))  # placeholder, filled by flush()
        self.todo.append((events, len(events) - 1, art, sig))
        self.chars += article_chars(art)
        if batch_full(len(self.todo), self.chars):
            self.flush()

    def flush(self) -> None:
        """Extract the waiting articles (one pass, or one by one if it fails) and fill their events."""
        from .. import extract as ex

        todo, self.todo, self.chars = self.todo, [], 0
        if not todo:
            return
        opts = self.ctx.options
        exts: list[Any] | None = None
        if len(todo) > 1:
            try:
                exts = ex.extract_many([extraction_text(a) for _, _, a, _ in todo],
                                       ref_dates=[a.published for _, _, a, _ in todo], options=opts)
            except (KeyboardInterrupt, SystemExit, MemoryError):
                raise
            except Exception:  # noqa: BLE001 - retried one by one below, errors reported per article
                exts = None
        for i, (events, slot, art, sig) in enumerate(todo):
            if exts is not None:
                payload: Any = exts[i]
            else:
                try:
                    payload = ex.extract(extraction_text(art), ref_date=art.published, options=opts)
                except (KeyboardInterrupt, SystemExit, MemoryError):
                    raise
                except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch (as ingest)
                    payload = Err.of(exc)
            events[slot] = ("article", art, payload, sig)


def run_partition(pieces: list[Piece], ctx: Context) -> list[PieceResult]:
    """Read and extract one partition (runs on a worker; see the module docstring)."""
    batch = _Batch(ctx, _known_ids(ctx))
    results = []
    for piece in pieces:
        out = PieceResult(piece)
        cpu0 = time.process_time()
        try:
            for art in _articles(piece, ctx, out):
                batch.add(art, out.events)
        except (DecodeError, FormatError, InputTooLarge, NotFound) as err:
            out.events.append(("fail", Err.of(err)))
        except OSError as exc:
            out.events.append(("fail", Err.of(FormatError(f"{piece.src}: cannot read ({exc.strerror or exc})"))))
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except Exception as exc:  # noqa: BLE001 - a reader bug fails this source only, reported
            print(f"newsledger batch: {piece.src}: {type(exc).__name__}: {exc}", file=sys.stderr)
            out.events.append(("fail", Err.of(exc)))
        out.cpu = time.process_time() - cpu0
        results.append(out)
    if results:  # the partition's last batch (its CPU counted with the last piece)
        cpu0 = time.process_time()
        batch.flush()
        results[-1].cpu += time.process_time() - cpu0
    return results

