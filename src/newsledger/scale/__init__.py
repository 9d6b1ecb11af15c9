"""Large batch runs on Dask: the ingest pipeline partitioned across workers.

``run_batch(paths, ledger_url, scheduler="local", workers=2, ...)`` stores the same articles,
figures, entities and duplicates as ``newsledger.ingest.ingest`` of the same input; workers read and
extract, the driver writes.  See :mod:`newsledger.scale.pipeline` for why, and ``newsledger batch``.
"""
from __future__ import annotations

from .pipeline import DEFAULT_PARTITION_SIZE, BatchSummary, run_batch

__all__ = ["run_batch", "BatchSummary", "DEFAULT_PARTITION_SIZE"]
