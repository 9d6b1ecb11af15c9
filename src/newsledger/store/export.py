"""Exports of ledger rows as JSON lines, CSV or Parquet, streamed in constant memory.

Rows come from ``Ledger.iter_rows`` (server-side cursors / ``yield_per``); JSON lines and CSV are
written row by row, Parquet in row groups of ``batch_size`` rows with a schema derived from the
SQL column types (so an all-null first batch cannot fix a column to the wrong type).
"""
from __future__ import annotations

import csv
import datetime as _dt
import json
from collections.abc import Iterable
from typing import IO, Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, LargeBinary

from ..errors import ConfigError
from .filters import Filters
from .queries import KINDS

FORMATS = ("jsonl", "csv", "parquet")


def _json_default(v: Any) -> Any:
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    raise TypeError(f"cannot write {type(v).__name__} as JSON")


def _flat(v: Any) -> Any:
    """A value for a CSV cell: dates as ISO, lists as JSON, None as empty."""
    if v is None:
        return ""
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    if isinstance(v, (list, tuple, dict)):
        return json.dumps(v, ensure_ascii=False)
    return v


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for r in rows:
        out.write(json.dumps(r, ensure_ascii=False, default=_json_default))
        out.write("\n")
        n += 1
    return n


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str], columns: list[str]) -> int:
    w = csv.writer(out)
    w.writerow(columns)
    n = 0
    for r in rows:
        w.writerow([_flat(r.get(c)) for c in columns])
        n += 1
    return n


def arrow_schema(columns: list[tuple[str, Any]]):  # noqa: ANN201
    import pyarrow as pa

    def typ(t: Any):  # noqa: ANN202
        if isinstance(t, Boolean):
            return pa.bool_()
        if isinstance(t, Integer):
            return pa.int64()
        if isinstance(t, Float):
            return pa.float64()
        if isinstance(t, DateTime):
            return pa.timestamp("us")
        if isinstance(t, Date):
            return pa.date32()
        if isinstance(t, LargeBinary):
            return pa.binary()
        return pa.string()  # text, JSON (written as JSON text), computed columns

    return pa.schema([pa.field(name, typ(t)) for name, t in columns])


def write_parquet(rows: Iterable[dict[str, Any]], out: Any, columns: list[tuple[str, Any]],
                  batch_size: int = 5000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(columns)
    json_cols = [name for name, t in columns if isinstance(t, JSON)]
    n = 0
    batch: list[dict[str, Any]] = []
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        def flush() -> None:
            if batch:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema), row_group_size=len(batch))
                batch.clear()

        for r in rows:
            for c in json_cols:
                if r.get(c) is not None:
                    r[c] = json.dumps(r[c], ensure_ascii=False)
            batch.append(r)
            n += 1
            if len(batch) >= batch_size:
                flush()
        flush()
    return n


def export(ledger: Any, what: str, fmt: str, out: Any, filters: Filters | None = None,
           batch_size: int = 5000) -> int:
    """Write the ``what`` rows of ``ledger`` matching ``filters`` to ``out`` in ``fmt``; returns the row count.

    ``out`` is a text stream for jsonl/csv, a path or binary stream for parquet.
    """
    if what not in KINDS:
        raise ConfigError(f"cannot export {what!r}: use --what {'|'.join(KINDS)}", what=what)
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}: use --format {'|'.join(FORMATS)}", format=fmt)
    rows = ledger.iter_rows(what, filters)
    if fmt == "jsonl":
        return write_jsonl(rows, out)
    columns = ledger.columns(what)
    if fmt == "csv":
        return write_csv(rows, out, [c for c, _ in columns])
    return write_parquet(rows, out, columns, batch_size=batch_size)


__all__ = ["FORMATS", "export", "write_jsonl", "write_csv", "write_parquet", "arrow_schema"]
