"""Why identity resolution split true pairs and joined false ones, in a run's warehouse, against its
ground truth: every split pair gets one cause, counted and shown with its field values.

    .venv/bin/python bench/misses.py bench/work/febrl_febrl1            # a folder bench/accuracy.py left
    .venv/bin/python bench/misses.py WORK --examples 8 --json misses.json

Causes of a split (a true pair under two alumni_ids), the first that holds:
  never_compared/<what differs>   no blocking rule found the pair (and no chain of links joined them)
  hard_negative/<which>           compared, and kept apart by resolve.hard_negative
  low_score/<weakest comparison>  compared, match_weight below AUTO_LINK, no hard negative
  clustering                      compared, strong, not a hard negative: refused by clustering (a
                                  registry birth-date conflict or a valid ID elsewhere in the two
                                  clusters, or ambiguity)
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd

from alumni_pipeline.identity.resolve import AUTO_LINK

LINEAGE = ["source_system", "source_file", "source_sheet", "source_row"]
FIELDS = ["name", "name_key", "birth_date", "passport_number", "id_number", "gender", "record_key"]
COMPARISONS = ["name", "birth", "gender", "id", "study", "timeline", "native", "email", "mobile"]


def load(work: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    db = next(p for p in (work / "alumni.duckdb", work / "warehouse" / "alumni.duckdb") if p.exists())
    con = duckdb.connect(str(db), read_only=True)
    records = con.sql("""
        select r.*, c.alumni_id from matching.int_identity_records as r join identity.clusters as c using (record_id)
    """).df()
    truth = pd.read_csv(work / "raw_drops" / "ground_truth.csv", dtype=str, keep_default_na=False).astype(
        {"source_row": int}
    )
    records = records.merge(truth, on=LINEAGE, how="inner")
    scores = con.sql("select * from identity.pair_scores").df()
    queue = con.sql("select left_id, right_id, reason from identity.review_queue").df()
    con.close()
    scores = scores.merge(queue, on=["left_id", "right_id"], how="left")
    return records, scores


def _hard_negatives(p) -> list[str]:
    out = []
    if p.id_level == 2:
        out.append("id_level_2")
    if p.id_level != 0:
        out += [
            name
            for name, hit in (
                ("same_class_in_one_list", p.same_class_in_one_list),
                ("timeline_3_registries", p.timeline_level == 3 and p.both_registries),
                ("gender_1_from_ids", p.gender_level == 1 and p.genders_from_id),
                ("birth_4_registries", p.birth_level == 4 and p.both_registries),
            )
            if hit
        ]
    return out


def _differs(a, b) -> str:
    """What keeps a never-compared pair out of every blocking rule that could apply to FEBRL-like
    records (passport, name_key with birth year, birth date with surname)."""
    why = []
    if not (isinstance(a.passport_number, str) and a.passport_number == b.passport_number):
        why.append("passport")
    if not (isinstance(a.name_key, str) and a.name_key == b.name_key):
        why.append(
            "name_key_missing" if not (isinstance(a.name_key, str) and isinstance(b.name_key, str)) else "name_key"
        )
    if pd.isna(a.birth_year) or pd.isna(b.birth_year) or a.birth_year != b.birth_year:
        why.append("birth_year")
    return "+".join(why) or "none"


def classify(records: pd.DataFrame, scores: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    by_id = records.set_index("record_id")
    pair_of = {(r.left_id, r.right_id): r for r in scores.itertuples()}
    splits, false_links = [], []
    for _, group in records.groupby("person_id"):
        ids = list(group.record_id)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                ra, rb = by_id.loc[a], by_id.loc[b]
                if ra.alumni_id == rb.alumni_id:
                    continue
                p = pair_of.get((a, b)) or pair_of.get((b, a))
                if p is None:
                    cause = "never_compared/" + _differs(ra, rb)
                else:
                    hard = _hard_negatives(p)
                    if hard:
                        cause = "hard_negative/" + "+".join(hard)
                    elif p.match_weight < AUTO_LINK:
                        parts = {c: getattr(p, f"{c}_weight") for c in COMPARISONS}
                        cause = "low_score/" + min(parts, key=parts.get)
                    else:
                        cause = "clustering" + (f"/{p.reason}" if isinstance(p.reason, str) else "")
                splits.append(_example(cause, ra, rb, p))
    for _, group in records.groupby("alumni_id"):
        if group.person_id.nunique() < 2:
            continue
        for i, a in enumerate(group.itertuples()):
            for b in list(group.itertuples())[i + 1 :]:
                if a.person_id != b.person_id:
                    p = pair_of.get((a.record_id, b.record_id)) or pair_of.get((b.record_id, a.record_id))
                    false_links.append(
                        _example(
                            "linked" if p is not None and p.match_weight >= AUTO_LINK else "chained",
                            by_id.loc[a.record_id],
                            by_id.loc[b.record_id],
                            p,
                        )
                    )
    return splits, false_links


def _example(cause: str, a, b, p) -> dict:
    row = {"cause": cause, "persons": [a.person_id, b.person_id]}
    for f in FIELDS:
        row[f] = [None if pd.isna(a[f]) else a[f], None if pd.isna(b[f]) else b[f]]
    if p is not None:
        row["blocking_rule"] = p.blocking_rule
        row["match_weight"] = round(float(p.match_weight), 2)
        row["levels"] = {c: int(getattr(p, f"{c}_level")) for c in COMPARISONS if getattr(p, f"{c}_level") != -1}
        row["weights"] = {
            c: round(float(getattr(p, f"{c}_weight")), 2) for c in COMPARISONS if getattr(p, f"{c}_weight")
        }
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("work", type=Path, help="a folder with alumni.duckdb and raw_drops/ground_truth.csv")
    parser.add_argument("--examples", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    splits, false_links = classify(*load(args.work))
    for title, rows in (("split true pairs", splits), ("false links", false_links)):
        counts = Counter(r["cause"] for r in rows)
        print(f"{title}: {len(rows)}")
        for cause, n in counts.most_common():
            print(f"  {n:5d}  {cause}")
    shown = Counter()
    for r in splits + false_links:
        if shown[r["cause"]] < args.examples:
            shown[r["cause"]] += 1
            print(json.dumps(r, ensure_ascii=False, default=str))
    if args.json:
        args.json.write_text(
            json.dumps({"splits": splits, "false_links": false_links}, ensure_ascii=False, indent=1, default=str)
        )


if __name__ == "__main__":
    main()
