"""Stewards' decisions: the must-link and cannot-link pairs that beat the matcher on every run, from
the seed (`reference.steward_decisions`) and from filled-in review workbooks, as one frame."""

from __future__ import annotations

import duckdb
import pandas as pd


def steward_decisions(con: duckdb.DuckDBPyConnection, reviewed: pd.DataFrame) -> pd.DataFrame:
    """The seed's decisions, then those read from review workbooks (`review.read_review_decisions`):
    left_ref, right_ref, decision, origin, decided_by, note."""
    seed = con.sql(
        "select left_ref, right_ref, decision, 'seed' as origin, decided_by, note from reference.steward_decisions"
    ).df()
    return pd.concat([seed, reviewed], ignore_index=True)
