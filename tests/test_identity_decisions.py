"""Stewards' decisions as identity resolution reads them: the seed's first, then the review workbooks'."""

from __future__ import annotations

import duckdb
import pandas as pd

from alumni_pipeline.identity.decisions import steward_decisions

COLUMNS = ["left_ref", "right_ref", "decision", "origin", "decided_by", "note"]


def test_the_seed_comes_first_and_the_workbooks_after_it():
    con = duckdb.connect()
    con.execute("""
        create schema reference;
        create table reference.steward_decisions as select * from (values
            ('archives|a.xlsx|S|2', 'hr|h.xlsx|S|3', 'must_link', '王芳', 'same ID on paper')
        ) t(left_ref, right_ref, decision, decided_by, note)""")
    reviewed = pd.DataFrame(
        [["archives|a.xlsx|S|4", "unit_updates|u.csv||2", "cannot_link", "review_queue.xlsx", "李娜", None]],
        columns=COLUMNS,
    )
    decisions = steward_decisions(con, reviewed)
    assert list(decisions.columns) == COLUMNS
    assert decisions.origin.tolist() == ["seed", "review_queue.xlsx"]
    assert decisions.decision.tolist() == ["must_link", "cannot_link"]
