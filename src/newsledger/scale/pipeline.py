"""Large batches on Dask: the ingest pipeline, partitioned across workers, one writer.

Workers read their partition's pieces (:mod:`.plan`), extract every article (in ingest's batches
with ``extract_many``) and compute its MinHash signature (the CPU-bound part).  The driver consumes partitions as they
complete (``distributed.as_completed``) and writes while the workers keep extracting.

Why the driver is the only writer:

- SQLite allows one writer at a time; workers writing would queue on the database lock (or fail
  with "database is locked") and gain nothing.
- PostgreSQL could take writes from every worker, but duplicate decisions need one view of what is
  stored: two workers could each store one of a pair of near-duplicates (the exact-id case is
  caught by the unique key, the near-duplicate case is not), and which of two copies is kept would
  depend on timing.  One writer with one :class:`~newsledger.dedup.NearDuplicateIndex` is simple
  and correct, and writing is far cheaper than extracting.
- Partitions are committed **in input order** (a small reorder buffer holds the ones that finish
  early), so the result is identical to ``newsledger ingest`` of the same input: the same articles
  stored, the same duplicates linked to the same originals, the same errors.  Submissions are
  limited to a window of ``3 × workers`` partitions ahead of the last commit, so memory stays
  bounded however large the input.

The writer stores as ingest does: in ingest's batches (up to ``EXTRACT_BATCH`` articles of a
source) with ``Ledger.add_many``, one transaction a batch, each article whole or absent, a bad one
retried alone and reported; whatever depends on storing order commits the batch so far first (see
:class:`_Writer`).  Ctrl-C or a crash loses at most the batch being written, nothing committed, and
never leaves half an article; the cluster and client are context managers and shut down on the way
out, also on Ctrl-C (:class:`~newsledger.ingest.IngestInterrupted`).
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as _dt
import logging
import os
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError, InputTooLarge
from ..extract import ExtractOptions
from ..ingest import (EXTRACT_BATCH, MAX_ARTICLE_CHARS, MAX_FILE_BYTES, IngestInterrupted, IngestSummary, as_date,
                      count_stored, extraction_text, interrupts_held)
from ..model import Article
from .plan import Piece, plan
from .work import Context, Err, PieceResult, run_partition

__all__ = ["run_batch", "BatchSummary", "DEFAULT_PARTITION_SIZE"]

#: Articles a partition: ≈1 s of extraction, so the 3–5 ms a task costs in Dask is under 1%,
#: while a 2,000-article batch still makes 20 partitions to balance across workers.
DEFAULT_PARTITION_SIZE = 100
_SCHEDULERS = ("local", "threads", "sync")


@dataclass
class BatchSummary(IngestSummary):
    """An :class:`~newsledger.ingest.IngestSummary` plus how the batch ran."""

    scheduler: str = ""
    workers: int = 0
    partitions: int = 0
    startup_seconds: float = 0.0  # cluster start (included in seconds)
    worker_cpu_seconds: float = 0.0  # CPU the tasks spent reading and extracting (all workers)
    writer_seconds: float = 0.0  # wall time the driver spent writing to the ledger
    writer_cpu_seconds: float = 0.0  # CPU time of the writing thread (time.thread_time: Dask's own threads excluded)


def _worker_url(ledger) -> str | None:  # noqa: ANN001
    """The ledger URL as a worker process can open it (absolute SQLite path), or None."""
    url = ledger.engine.url
    if ledger.dialect == "sqlite":
        db = url.database
        if not db or db == ":memory:":
            return None
        return "sqlite:///" + os.path.abspath(db)
    return url.render_as_string(hide_password=False)


# ---- the writer: replays worker events exactly as ingest's loop would -------------------------
class _Writer:
    """ingest's loop, fed with worker events instead of reading and extracting.

    Articles are taken in ingest's batches (:data:`~newsledger.ingest.EXTRACT_BATCH` articles of
    one source, and what is left at its end) and stored with ``Ledger.add_many``, one transaction a
    batch, as ingest's ``flush``/``commit`` do: articles ready to store wait in ``queue`` (in input
    order) and anything whose outcome depends on what is stored before it (a repeated id, a
    near-duplicate of a queued article) or that reports an error commits the queue first, so
    decisions, counts and the order of reported errors are those of storing one by one.  Record
    errors are reported when met, before the articles read ahead of them in the same batch are
    stored: ingest reports them while reading, before its batch is flushed.
    """

    def __init__(self, ledger, summary: BatchSummary, options: ExtractOptions) -> None:  # noqa: ANN001
        from .. import dedup

        self.ledger, self.summary, self.options = ledger, summary, options
        self.index = dedup.NearDuplicateIndex.from_ledger(ledger)
        # building an index computes its LSH parameters (tens of ms); copying an empty one is cheap
        self._empty = dedup.NearDuplicateIndex(self.index.threshold)
        self.queued = copy.deepcopy(self._empty)  # the queue's signatures (same-batch near-duplicates)
        self.queue: list[tuple[Article, Any, Any, bytes]] = []  # (article, extraction, MinHash, its bytes)
        self.pending: list[tuple[Article, Any, bytes | None]] = []  # read, not yet through store()
        self.store_failures = 0
        self.chars: dict[int, int] = {}  # JSON-lines characters read so far, per source
        self.failed: set[int] = set()

    def commit(self, result: PieceResult) -> None:
        """Replay one piece's events: record errors now, articles in ingest's batches."""
        piece, s = result.piece, self.summary
        s.worker_cpu_seconds += result.cpu
        base = self.chars.get(piece.file_no, 0)
        for ev in result.events:
            if ev[0] == "error":
                s.errors.append(ev[1])
                s.rejected += ev[2]
            elif ev[0] == "fail":
                # what was read of the source before it failed is stored, as before the change
                # (a slice or JSON-lines range after good ones; ingest reads a file in one go)
                self.flush()
                if piece.file_no not in self.failed:
                    self.failed.add(piece.file_no)
                    s.error(ev[1], piece.src)
            else:
                art = ev[1]
                if base and piece.kind == "jsonl":
                    art = dataclasses.replace(art, title_start=art.title_start + base, title_end=art.title_end + base,
                                              body_start=art.body_start + base, body_end=art.body_end + base)
                self.pending.append((art, ev[2], ev[3]))
                if len(self.pending) >= EXTRACT_BATCH:
                    self.flush()
        if piece.kind == "jsonl":
            self.chars[piece.file_no] = base + result.chars
        if piece.last:
            self.flush()
            if piece.file_no in self.failed:
                s.files_failed += 1
            else:
                s.files += 1

    def flush(self) -> None:
        """ingest's ``flush``: every pending article through :meth:`store`, then one write."""
        pending, self.pending = self.pending, []
        for art, payload, sig in pending:
            self.store(art, payload, sig)
        self.write()

    def write(self) -> None:
        """Store the queue with ``Ledger.add_many`` (one transaction) and count the outcome."""
        if not self.queue:
            return
        items, self.queue = self.queue, []
        self.queued = copy.deepcopy(self._empty)
        s = self.summary
        with interrupts_held():  # what is committed is counted (see ingest.interrupts_held)
            results = self.ledger.add_many([(a, e, sig) for a, e, _, sig in items])
            for (art, ext, mh, _), status in zip(items, results):
                self.store_failures = count_stored(s, art, ext, status, self.store_failures)
                if status == "new":
                    self.index.add(art.id, mh)

    def store(self, art: Article, payload: Any, sig: bytes | None) -> None:
        """ingest's per-article steps: size limit, exact id, near-duplicate, extraction, queue."""
        from .. import dedup

        s = self.summary
        if len(art.title) + len(art.body) > MAX_ARTICLE_CHARS:
            self.write()
            s.rejected += 1
            s.error(InputTooLarge(
                f"{art.origin}: article {art.title[:30]!r} has {len(art.title) + len(art.body)} characters, over the "
                f"{MAX_ARTICLE_CHARS} limit; split it"), art.origin, offset=art.body_start or None)
            return
        if art.id in self.queued:
            self.write()
        if art.id in self.index:
            s.duplicate += 1
            return
        mh = dedup.from_bytes(sig) if sig is not None else dedup.signature(art.title, art.body)
        if self.queue and self.queued.find(mh, exclude=art.id) is not None:
            self.write()  # near a queued article: decide against the ledger once it is stored
        near = self.index.find(mh, exclude=art.id)
        if near is not None:
            self.write()  # a queued article may be nearer (and must be stored before the link)
            near = self.index.find(mh, exclude=art.id)
            self.ledger.add_duplicate(art, near[0], near[1])
            s.near_duplicate += 1
            return
        if payload is None:  # the worker saw it stored (by another writer) and skipped it: extract here
            from ..extract import extract

            try:
                payload = extract(extraction_text(art), ref_date=art.published, options=self.options)
            except (KeyboardInterrupt, SystemExit, MemoryError):
                raise
            except Exception as exc:  # noqa: BLE001
                payload = Err.of(exc)
        if isinstance(payload, Err):
            self.write()
            s.rejected += 1
            s.error(payload, art.origin, offset=art.body_start or None)
            s.errors[-1]["message"] = f"extraction failed on {art.title[:30]!r}: {s.errors[-1]['message']}"
            return
        self.queue.append((art, payload, mh, sig if sig is not None else dedup.to_bytes(mh)))
        self.queued.add(art.id, mh)


# ---- running partitions ------------------------------------------------------------------------
def _bag_partition(part: list[list[Piece]], ctx: Context) -> list[PieceResult]:
    return run_partition([p for group in part for p in group], ctx)


@contextmanager
def _client(scheduler: str, workers: int):  # noqa: ANN202
    """None for "sync", else a distributed Client (and its LocalCluster), closed on the way out."""
    if scheduler == "sync":
        yield None
        return
    from distributed import Client, LocalCluster

    if scheduler in ("local", "threads"):
        procs = scheduler == "local"
        with LocalCluster(n_workers=workers if procs else 1, threads_per_worker=1 if procs else workers,
                          processes=procs, dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
                Client(cluster) as client:
            yield client
    else:
        with Client(scheduler, timeout="20s") as client:
            yield client


def _failed_partition(group: list[Piece], exc: BaseException) -> list[PieceResult]:
    """A partition whose task failed (a worker died twice): every source in it reported, none lost."""
    return [PieceResult(p, [("fail", Err("E102", f"{p.src}: the Dask task reading it failed ({type(exc).__name__}: "
                                                 f"{exc}); run the batch again for this file", {}))]) for p in group]


def _results(delayeds: list, groups: list[list[Piece]], client, window: int) -> Iterator[list[PieceResult]]:  # noqa: ANN001
    """Partition results in input order, computed ahead in a window of ``window`` partitions."""
    if client is None:
        for d in delayeds:
            yield d.compute(scheduler="sync")
        return
    from distributed import as_completed

    index: dict[Any, int] = {}
    ready: dict[int, list[PieceResult]] = {}
    nxt_submit = nxt_commit = 0
    ac = as_completed()

    def submit() -> None:
        nonlocal nxt_submit
        while nxt_submit < len(delayeds) and nxt_submit - nxt_commit < window:
            fut = client.compute(delayeds[nxt_submit], retries=1)
            index[fut] = nxt_submit
            ac.add(fut)
            nxt_submit += 1

    submit()
    try:
        for fut in ac:
            i = index.pop(fut)
            try:
                ready[i] = fut.result()
            except Exception as exc:  # noqa: BLE001 - reported per source, the batch goes on
                ready[i] = _failed_partition(groups[i], exc)
            del fut
            while nxt_commit in ready:
                yield ready.pop(nxt_commit)
                nxt_commit += 1
            submit()
    finally:
        for fut in list(index):
            fut.cancel()


def _progress(enabled: bool):  # noqa: ANN202
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[info]}"), TimeElapsedColumn(), console=Console(stderr=True))


def run_batch(
    paths: Iterable[str],
    ledger_url: Any = None,
    *,
    scheduler: str = "local",
    workers: int = 2,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    tag: str | None = None,
    published: _dt.date | str | None = None,
    options: ExtractOptions = ExtractOptions(),
    progress: bool = False,
) -> BatchSummary:
    """Ingest ``paths`` (files, folders, globs, URLs, ``-``) into the ledger at ``ledger_url`` on Dask.

    ``scheduler``: ``"local"`` (a LocalCluster of ``workers`` processes), ``"threads"`` (one
    in-process worker with ``workers`` threads: extraction holds the GIL, so this is for debugging),
    ``"sync"`` (no cluster: partitions run one after another in this process), or the address of a
    running ``dask.distributed`` scheduler (``tcp://host:8786``; its workers must see the same
    files and ledger).  ``ledger_url`` may also be an open :class:`~newsledger.store.Ledger`.
    Returns a :class:`BatchSummary`; raises :class:`~newsledger.ingest.IngestInterrupted` on Ctrl-C.
    """
    import dask.bag as db

    from ..store import Ledger

    if not (scheduler in _SCHEDULERS or "://" in scheduler):
        raise ConfigError(f"unknown scheduler {scheduler!r}: use local, threads, sync or a scheduler address "
                          "such as tcp://127.0.0.1:8786", scheduler=scheduler)
    if workers < 1:
        raise ConfigError(f"workers must be at least 1, got {workers}", workers=workers)
    t0 = time.perf_counter()
    summary = BatchSummary(scheduler=scheduler, workers=workers, entity_model=options.entity_model)
    pub = as_date(published)
    paths = [str(p) for p in paths]
    stdin = sys.stdin.buffer.read(MAX_FILE_BYTES + 1) if "-" in paths else None
    _, groups = plan(paths, summary, partition_size, stdin)
    summary.partitions = len(groups)

    owned = not isinstance(ledger_url, Ledger)
    ledger = Ledger(ledger_url) if owned else ledger_url
    bar = _progress(progress)
    try:
        writer = _Writer(ledger, summary, options)
        ctx = Context(published=pub, tag=tag, options=options, cwd=os.getcwd(), ledger_url=_worker_url(ledger),
                      run_id=uuid.uuid4().hex)
        if not groups:
            return summary
        # one bag partition per planned group (partition_size=1 element, the group): one task each
        bag = db.from_sequence(groups, partition_size=1).map_partitions(_bag_partition, ctx)
        delayeds = bag.to_delayed()
        assert len(delayeds) == len(groups)
        t_start = time.perf_counter()
        with _client(scheduler, workers) as client:
            summary.startup_seconds = time.perf_counter() - t_start
            n_workers = workers
            if client is not None and scheduler not in _SCHEDULERS:
                n_workers = max(1, len(client.scheduler_info().get("workers", {})))
                summary.workers = n_workers
            if bar is not None:
                bar.start()
                task = bar.add_task("partitions", total=len(groups), info="")
            stream = _results(delayeds, groups, client, window=max(2, 3 * n_workers))
            with closing(stream):
                for results in stream:
                    tw, cw = time.perf_counter(), time.thread_time()
                    for r in results:
                        writer.commit(r)
                    summary.writer_seconds += time.perf_counter() - tw
                    summary.writer_cpu_seconds += time.thread_time() - cw
                    if bar is not None:
                        bar.update(task, advance=1, info=f"new {summary.new} dup "
                                   f"{summary.duplicate + summary.near_duplicate} rejected {summary.rejected}")
    except KeyboardInterrupt:
        summary.interrupted = True
        summary.seconds = time.perf_counter() - t0
        raise IngestInterrupted(summary) from None
    finally:
        if bar is not None:
            bar.stop()
        if owned:
            ledger.close()
        summary.seconds = time.perf_counter() - t0
    return summary
