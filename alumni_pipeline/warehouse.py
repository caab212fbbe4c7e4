"""The DuckDB warehouse: short-lived connections and the raw and audit tables ingest writes."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from .headers import CANONICAL_COLUMNS

LINEAGE = ("source_system", "source_file", "source_sheet", "source_row", "file_hash", "loaded_at")
RAW_COLUMNS = (*LINEAGE, *CANONICAL_COLUMNS, "extra_columns")

_AUDIT_DDL = """
create schema if not exists audit;
create table if not exists audit.files (
    source_system varchar, source_file varchar, file_hash varchar, size_bytes bigint,
    modified_at timestamp, status varchar, reason_code varchar, file_format varchar, encoding varchar,
    rows_loaded integer, rows_refused integer, rows_skipped integer, warnings integer,
    loaded_at timestamp, run_id varchar);
create table if not exists audit.file_events (
    run_id varchar, event_at timestamp, source_system varchar, source_file varchar, event varchar,
    reason_code varchar, file_hash varchar);
create table if not exists audit.refused_files (
    source_system varchar, source_file varchar, source_sheet varchar, reason_code varchar,
    message_zh varchar, message_en varchar, detail varchar, file_hash varchar, refused_at timestamp,
    run_id varchar);
create table if not exists audit.row_findings (
    kind varchar, source_system varchar, source_file varchar, source_sheet varchar, source_row integer,
    source_column varchar, reason_code varchar, message_zh varchar, message_en varchar, value varchar,
    row_values varchar, file_hash varchar, found_at timestamp, run_id varchar);
create or replace view audit.refused_rows as select * exclude (kind) from audit.row_findings where kind = 'refused';
create or replace view audit.skipped_rows as select * exclude (kind) from audit.row_findings where kind = 'skipped';
create or replace view audit.row_warnings as select * exclude (kind) from audit.row_findings where kind = 'warning';
create table if not exists audit.ingest_runs (
    run_id varchar, event_at timestamp, source_system varchar, files_seen integer, files_new integer,
    files_changed integer, files_unchanged integer, files_removed integer, files_refused integer,
    files_deferred integer, rows_loaded integer, rows_refused integer, rows_skipped integer,
    warnings integer);
"""


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection held only as long as the block: DuckDB allows one writing process at a time."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def ensure_raw_schema(con: duckdb.DuckDBPyConnection, source: str) -> None:
    con.execute(_AUDIT_DDL)
    con.execute("create schema if not exists raw")
    cols = ", ".join(f"{c} {'integer' if c == 'source_row' else 'timestamp' if c == 'loaded_at' else 'varchar'}"
                     for c in RAW_COLUMNS)
    con.execute(f"create table if not exists raw.{source} ({cols})")
    for c in RAW_COLUMNS:  # fields added to the alias table later appear as new columns
        con.execute(f"alter table raw.{source} add column if not exists {c} varchar")
