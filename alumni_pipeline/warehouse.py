"""The DuckDB warehouse: short-lived connections and the raw and audit tables ingest writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from .config import duckdb_memory_limit
from .ingest.headers import CANONICAL_COLUMNS

LINEAGE = ("source_system", "source_file", "source_sheet", "source_row", "file_hash", "loaded_at")
RAW_COLUMNS = (*LINEAGE, *CANONICAL_COLUMNS, "extra_columns")
RAW_SCHEMAS = ("raw", "raw_last_accepted")

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
create table if not exists audit.gate_findings (
    source_system varchar, source_file varchar, file_hash varchar, source_sheet varchar, source_row integer,
    scope varchar, severity varchar, held boolean, expectation varchar, field varchar, description varchar,
    message_zh varchar, failing_rows integer, checked_rows integer, examples varchar, run_id varchar,
    found_at timestamp);
create or replace view audit.gate_holds as select * from audit.gate_findings where held;
create table if not exists audit.gate_judged (
    source_system varchar, source_file varchar, signature varchar, suite varchar, judged_at timestamp);
create table if not exists audit.unit_reports (
    source_system varchar, source_file varchar, report_path varchar, content_hash varchar, lines integer,
    written_at timestamp, run_id varchar);
"""


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection held only as long as the block: DuckDB allows one writing process at a time."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only, config={"memory_limit": duckdb_memory_limit()})
    try:
        yield con
    finally:
        con.close()


def ensure_raw_schema(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """The audit tables, and `raw.<source>` with `raw_last_accepted.<source>` beside it: the rows of a
    file's last version the quality gate accepted, kept while its newest version is not accepted."""
    con.execute(_AUDIT_DDL)
    cols = ", ".join(
        f"{c} {'integer' if c == 'source_row' else 'timestamp' if c == 'loaded_at' else 'varchar'}" for c in RAW_COLUMNS
    )
    for schema in RAW_SCHEMAS:
        con.execute(f"create schema if not exists {schema}")
        con.execute(f"create table if not exists {schema}.{source} ({cols})")
        for c in RAW_COLUMNS:  # fields added to the alias table later appear as new columns
            con.execute(f"alter table {schema}.{source} add column if not exists {c} varchar")
