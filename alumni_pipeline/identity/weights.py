"""The weights a run scores pairs with: estimated from the warehouse's records on a schedule and on
demand, not on every drop, and kept in `identity.weight_sets` so that every run says which ones it
used (`identity.runs.weights_id`) and a run with the same weights gives the same scores.

New weights are estimated when none are kept yet, when asked (`alumni run --refit`, and the end of each
collection cycle), when the records have grown or shrunk by more than `REFIT_SHARE` since the kept
ones were estimated (a first drop of one source teaches little about the next), when they are
older than `REFIT_DAYS`, or when the comparisons' levels changed. A unit's monthly drop of a few hundred rows changes none of that, so it is
scored with the weights the full build used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from .comparisons import SPEC, Spec
from .fellegi_sunter import Model, estimate

MIN_ID_HOLDERS = 100  # records with a valid ID number needed to estimate the prior from them
REFIT_SHARE = 0.10
REFIT_DAYS = 92

_DDL = """
create schema if not exists identity;
create table if not exists identity.weight_sets (
    weights_id varchar primary key, fitted_at timestamp, run_id varchar, records integer, reason varchar,
    model varchar);
"""


@dataclass(frozen=True)
class Weights:
    weights_id: str
    model: Model
    records: int  # records in the warehouse when they were estimated (a value's frequency is at least 1/records)
    fitted_now: bool
    reason: str


def _levels(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns=lambda c: c.removesuffix("_level"))


def fit(con: duckdb.DuckDBPyConnection, spec: Spec = SPEC) -> Model:
    """Weights from this warehouse's records: u from random pairs, m by EM sessions (the levels the
    spec gives no fixed m), and the prior from the share of ID-holding record pairs that hold the same
    number."""
    patterns = _levels(con.sql("select * from matching.int_training_patterns").df())
    sessions = [(patterns[patterns.fixed_comparison == c], {c}) for c in ("name", "birth")]
    random_pairs = _levels(con.sql("select * from matching.int_random_pair_levels").df())
    holders, same = con.sql("""
        select sum(n), sum(n * (n - 1) / 2)
        from (select count(*) as n from matching.int_identity_records where id_number is not null group by id_number)
    """).fetchone()
    holders, same = holders or 0, same or 0
    records = con.sql("select count(*) from matching.int_identity_records").fetchone()[0]
    if holders >= MIN_ID_HOLDERS:
        prior = min(max(same, 1) / (holders * (holders - 1) / 2), 0.5)
    else:  # too few ID numbers to learn from (a guest list): about one other record per person
        prior = 1 / max(records, 2)
    return estimate(sessions, random_pairs, spec.sizes, prior, fixed_m=spec.fixed_m)


def refit_reason(kept: tuple | None, records: int, now: dt.datetime, asked: bool) -> str | None:
    """Why this run estimates new weights, or None to keep `kept` (fitted_at, records)."""
    if asked:
        return "asked"
    if kept is None:
        return "none kept"
    fitted_at, fitted_records = kept
    if abs(records - fitted_records) > REFIT_SHARE * max(fitted_records, 1):
        return f"records {fitted_records} -> {records}"
    if now - fitted_at > dt.timedelta(days=REFIT_DAYS):
        return f"older than {REFIT_DAYS} days"
    return None


def _kept(con: duckdb.DuckDBPyConnection) -> tuple | None:
    """The newest weight set (weights_id, fitted_at, records, model), if any."""
    if not con.sql(
        "select 1 from information_schema.tables where table_schema = 'identity' and table_name = 'weight_sets'"
    ).fetchone():
        return None
    return con.sql(
        "select weights_id, fitted_at, records, model from identity.weight_sets order by fitted_at desc limit 1"
    ).fetchone()


def due(con: duckdb.DuckDBPyConnection, records: int, now: dt.datetime, asked: bool) -> str | None:
    """Why a run over `records` records estimates new weights, or None when it keeps the newest set.
    Asked before the matching models are built too (orchestration/assets/conform.py): they draw what
    the estimate learns from (int_training_patterns, int_random_pair_levels) only when it is due."""
    kept = _kept(con)
    reason = refit_reason(kept and (kept[1], kept[2]), records, now, asked)
    if reason is None and Model.from_json(kept[3]).levels != SPEC.sizes:
        reason = "comparisons changed"  # the spec gained or lost a level since (identity/comparisons.py)
    return reason


def weights_for_run(con: duckdb.DuckDBPyConnection, run_id: str, now: dt.datetime, refit: bool) -> Weights:
    """The kept weights, or new ones when a refit is due (and then kept)."""
    con.execute(_DDL)
    records = con.sql("select count(*) from matching.int_identity_records").fetchone()[0]
    reason = due(con, records, now, refit)
    if reason is None:
        kept = _kept(con)
        return Weights(kept[0], Model.from_json(kept[3]), kept[2], False, "kept")
    model = fit(con)
    weights_id = f"W{now:%Y%m%dT%H%M%S}-{run_id[:8]}"
    con.execute(
        "insert into identity.weight_sets values (?, ?, ?, ?, ?, ?)",
        [weights_id, now, run_id, records, reason, model.to_json()],
    )
    return Weights(weights_id, model, records, True, reason)
