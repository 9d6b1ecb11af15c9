"""Planning a batch: which pieces of which sources go into which Dask partition.

Runs on the driver and reads no article: it only lists files (with :func:`newsledger.ingest.expand_paths`,
so a batch sees exactly the sources an ingest would), looks at sizes, and finds line ends in
JSON-lines files.  A *piece* is a unit of input a worker can read on its own:

- ``jsonl``: a run of whole lines of a JSON-lines file (byte range + first line number), at most
  ``partition_size`` lines, so one big file spreads over all workers;
- ``whole``: a digest, HTML page or feed read in one go (as ingest reads it);
- ``slice``: slice *i* of *k* of a big digest: each worker reads the whole file (≈0.3 ms an article,
  against ≈5 ms to extract one in a batch) and keeps its share of the articles; *k* is capped at
  :data:`MAX_SLICES`, so re-reading costs at most k × 0.3 ms an article of the file.

Consecutive pieces are grouped into partitions of about ``partition_size`` articles, in input
order, so that committing partitions in order reproduces an ingest's order exactly.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from ..ingest import FOLDER_EXTENSIONS, IngestSummary, expand_paths

__all__ = ["Piece", "plan", "BYTES_PER_ARTICLE", "MAX_SLICES"]

#: Rough size of one article in a digest file (UTF-8, ~600 CJK characters with its title): only used
#: to size partitions of whole files, never to decide what is read.
BYTES_PER_ARTICLE = 1000
#: At most this many slices of one big digest (each slice re-reads the file).
MAX_SLICES = 8
_JSONL_EXT = (".jsonl", ".ndjson")
_DIGEST_EXT = (".txt", ".md", ".digest")
_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class Piece:
    """One unit of input for a worker (picklable, small: stdin is the only piece carrying data)."""

    src: str  # the name ingest would report (path as given, URL, or <stdin>)
    kind: str  # "jsonl" | "whole" | "slice"
    file_no: int  # index of the source in the expanded list
    last: bool  # the last piece of its source
    start: int = 0  # jsonl: first byte; slice: slice index
    end: int = 0  # jsonl: byte after the last line; slice: number of slices
    first_line: int = 1  # jsonl: line number of the first line
    est: int = 1  # estimated articles (for sizing partitions)
    data: bytes | None = None  # standard input, read by the driver


def _is_url(s: str) -> bool:
    return s.startswith(("http://", "https://"))


def _is_jsonl(path: str) -> bool:
    """The same rule as ingest: a JSON-lines extension, or a first byte ``{`` in a file whose
    extension is not one of the known formats."""
    suffix = Path(path).suffix.lower()
    if suffix in _JSONL_EXT:
        return True
    if suffix in FOLDER_EXTENSIONS:
        return False
    try:
        with open(path, "rb") as fh:
            return fh.read(1) == b"{"
    except OSError:
        return False  # the worker reports it, as ingest would


def _line_ranges(path: str, lines_per_piece: int) -> list[tuple[int, int, int, int]]:
    """(first byte, end byte, first line number, lines) of runs of ``lines_per_piece`` lines."""
    out: list[tuple[int, int, int, int]] = []
    start, line, count, pos, last = 0, 1, 0, 0, b"\n"
    with open(path, "rb") as fh:
        while True:
            block = fh.read(_BLOCK)
            if not block:
                break
            i = block.find(b"\n")
            while i != -1:
                count += 1
                if count == lines_per_piece:
                    end = pos + i + 1
                    out.append((start, end, line, count))
                    start, line, count = end, line + count, 0
                i = block.find(b"\n", i + 1)
            pos += len(block)
            last = block[-1:]
    if pos > start:  # lines after the last cut (the final one may lack its newline)
        out.append((start, pos, line, count + (last != b"\n")))
    return out


def _pieces_of(src: str, file_no: int, partition_size: int, stdin: bytes | None) -> list[Piece]:
    if src == "-":
        return [Piece("<stdin>", "whole", file_no, True, est=max(1, len(stdin or b"") // BYTES_PER_ARTICLE),
                      data=stdin or b"")]
    if _is_url(src) or not os.path.isfile(src):
        return [Piece(src, "whole", file_no, True)]
    if _is_jsonl(src):
        try:
            ranges = _line_ranges(src, partition_size)
        except OSError:
            ranges = []
        if not ranges:  # empty or unreadable: one piece, the worker reports what ingest would
            return [Piece(src, "jsonl", file_no, True, 0, 0, 1, 1)]
        return [Piece(src, "jsonl", file_no, i == len(ranges) - 1, s, e, line, max(1, n))
                for i, (s, e, line, n) in enumerate(ranges)]
    size = os.path.getsize(src)
    est = max(1, size // BYTES_PER_ARTICLE)
    suffix = Path(src).suffix.lower()
    if suffix in _DIGEST_EXT and est > 2 * partition_size:
        k = min(MAX_SLICES, math.ceil(est / partition_size))
        return [Piece(src, "slice", file_no, i == k - 1, i, k, est=max(1, est // k)) for i in range(k)]
    return [Piece(src, "whole", file_no, True, est=est)]


def plan(paths, summary: IngestSummary, partition_size: int, stdin: bytes | None = None) -> tuple[list[str], list[list[Piece]]]:
    """The expanded sources and their pieces grouped into partitions (lists of pieces), in order.

    Paths matching nothing are reported in ``summary`` (as ingest does).
    """
    if partition_size < 1:
        from ..errors import ConfigError

        raise ConfigError(f"partition size must be at least 1 article, got {partition_size}")
    sources = expand_paths(paths, summary)
    groups: list[list[Piece]] = []
    current: list[Piece] = []
    weight = 0
    for file_no, src in enumerate(sources):
        for piece in _pieces_of(src, file_no, partition_size, stdin):
            if current and weight + piece.est > partition_size:
                groups.append(current)
                current, weight = [], 0
            current.append(piece)
            weight += piece.est
    if current:
        groups.append(current)
    return sources, groups
