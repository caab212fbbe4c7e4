"""How good a run's identity resolution is, against the ground truth `alumni sample` writes.

Pairwise: of all pairs of records put under one alumni_id, the share that are truly one person
(precision), and of all pairs that are truly one person, the share put under one alumni_id (recall).
Cluster-level: the share of true persons whose records are exactly one alumnus.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

LINEAGE = ["source_system", "source_file", "source_sheet", "source_row"]


def _pairs(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def evaluate(con: duckdb.DuckDBPyConnection, truth_csv: Path) -> dict:
    assigned = con.sql("""
        select c.alumni_id, r.source_system, r.source_file, r.source_sheet, r.source_row
        from identity.clusters as c join matching.int_identity_records as r using (record_id)
    """).df()
    return score(assigned, truth_csv)


def score(assigned: pd.DataFrame, truth_csv: Path) -> dict:
    """Score any clustering of the records: `assigned` holds alumni_id (the cluster) and the lineage
    columns, one row per record; records missing from the ground truth are left out."""
    truth = pd.read_csv(truth_csv, dtype=str, keep_default_na=False).astype({"source_row": int})
    both = assigned.merge(truth, on=LINEAGE, how="inner")
    predicted = _pairs(both.groupby("alumni_id").size())
    true = _pairs(both.groupby("person_id").size())
    correct = _pairs(both.groupby(["alumni_id", "person_id"]).size())
    per_person = both.groupby("person_id").alumni_id.nunique()
    per_alumnus = both.groupby("alumni_id").person_id.nunique()
    exact = both.groupby("person_id").alumni_id.first().map(both.groupby("alumni_id").person_id.nunique())
    precision = correct / predicted if predicted else 1.0
    recall = correct / true if true else 1.0
    return {
        "records": len(both),
        "persons": int(both.person_id.nunique()),
        "alumni": int(both.alumni_id.nunique()),
        "true_pairs": true,
        "predicted_pairs": predicted,
        "pairwise_precision": round(precision, 5),
        "pairwise_recall": round(recall, 5),
        "pairwise_f1": round(2 * precision * recall / (precision + recall), 5) if precision + recall else 0.0,
        "persons_split": int((per_person > 1).sum()),
        "alumni_merging_persons": int((per_alumnus > 1).sum()),
        "persons_exact": round(float(((per_person == 1) & (exact == 1)).mean()), 5),
    }
