"""The Splink side of the scale benchmark (issue #7): Splink's DuckDB backend on the same conformed
person records our identity resolution sees (matching.int_identity_records), configured as its
documentation recommends for deduplicating people, and scored by our own evaluate.score.

Fair to Splink, not tuned to the ground truth: the threshold is fixed in advance (other thresholds
are reported beside it, labelled). Three modelling mistakes were corrected after reading false links
at 20k and 41k persons, each by Splink's own rule that comparisons be independent: name and pinyin
are one comparison, not two; an ID number's first 14 digits count only when a number is damaged;
e-mail is compared whole, as its username is mostly the pinyin name again.

    .venv/bin/python bench/splink_side.py WAREHOUSE GROUND_TRUTH_CSV [OUT_JSON]

The warehouse is only read (attached read-only to a separate in-memory DuckDB that Splink works in).
Nothing is downloaded at run time. Needs the `bench` extra (pip install -e '.[bench]').
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

import duckdb
import splink
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from alumni_pipeline.identity.evaluate import LINEAGE, score

# Chosen before looking at the ground truth: Splink's documented example threshold.
THRESHOLD = 0.95
# Also reported, clearly labelled, to show how sensitive the result is to the threshold.
OTHER_THRESHOLDS = (0.5, 0.99)

COLUMNS = [
    *LINEAGE,
    "record_id",
    "name",
    "name_key",
    "birth_date",
    "birth_year",
    "gender",
    "id_number",
    "id_partial",
    "passport_number",
    "student_number",
    "mobile",
    "email",
    "unit_code",
    "major_key",
    "grad_year",
    "native_province",
    "native_city",
]


def _name() -> cl.CustomComparison:
    """One comparison for the name, so the same evidence is not counted twice: the name as typed (Han
    or Latin), then its pinyin key (pinyin, given-name order normalised), each exact match
    term-frequency adjusted, then Jaro-Winkler on the key."""
    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name_key"),
            cll.ExactMatchLevel("name").configure(tf_adjustment_column="name"),
            cll.ExactMatchLevel("name_key").configure(tf_adjustment_column="name_key"),
            *[cll.JaroWinklerLevel("name_key", t) for t in (0.92, 0.88, 0.7)],
            cll.ElseLevel(),
        ],
    )


def _birth_date() -> cl.CustomComparison:
    """Birth dates typed to the day, the month or the year alone ('YYYY-MM-DD', 'YYYY-MM', 'YYYY')."""
    both_days = "length(birth_date_l) = 10 and length(birth_date_r) = 10"
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.CustomLevel(f"birth_date_l = birth_date_r and {both_days}", "same day"),
            cll.CustomLevel(
                "left(birth_date_l, 7) = left(birth_date_r, 7) "
                "and least(length(birth_date_l), length(birth_date_r)) >= 7",
                "same year and month",
            ),
            cll.CustomLevel(f"levenshtein(birth_date_l, birth_date_r) = 1 and {both_days}", "one-character typo"),
            cll.CustomLevel("birth_year_l = birth_year_r", "same year"),
            cll.ElseLevel(),
        ],
    )


def _id_number() -> cl.CustomComparison:
    """ID numbers. id_partial (the first 14 digits: region and birth date) is also kept for damaged
    numbers; it only counts when one side has no valid number, as two valid numbers that differ are
    two people born the same day in the same region."""
    return cl.CustomComparison(
        output_column_name="id_number",
        comparison_levels=[
            cll.NullLevel("id_partial"),
            cll.ExactMatchLevel("id_number"),
            cll.CustomLevel(
                "id_partial_l = id_partial_r and (id_number_l is null or id_number_r is null)",
                "same first 14 digits, one number damaged",
            ),
            cll.ElseLevel(),
        ],
    )


def _native_place() -> cl.CustomComparison:
    """Native place (籍贯), as ours compares it: the same city, the same province, or else."""
    return cl.CustomComparison(
        output_column_name="native_place",
        comparison_levels=[
            cll.NullLevel("native_province"),
            cll.ExactMatchLevel("native_city"),
            cll.ExactMatchLevel("native_province"),
            cll.ElseLevel(),
        ],
    )


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=[
            _name(),
            _birth_date(),
            cl.ExactMatch("gender"),
            _id_number(),
            cl.ExactMatch("passport_number"),
            cl.ExactMatch("student_number"),
            cl.ExactMatch("mobile").configure(term_frequency_adjustments=True),
            # Not EmailComparison: its username levels would count the name again (wangjing98).
            cl.ExactMatch("email").configure(term_frequency_adjustments=True),
            cl.ExactMatch("unit_code").configure(term_frequency_adjustments=True),
            cl.ExactMatch("major_key").configure(term_frequency_adjustments=True),
            cl.ExactMatch("grad_year"),
            _native_place(),
        ],
        blocking_rules_to_generate_predictions=[
            # the same candidate pairs ours considers (dbt_project/macros/blocking_rules.sql)
            block_on("name_key", "birth_year"),
            block_on("name_key", "grad_year"),
            block_on("name_key", "unit_code"),
            block_on("id_partial"),
            block_on("passport_number"),
            block_on("email"),
            block_on("mobile"),
        ],
        retain_intermediate_calculation_columns=False,
    )


def _load(warehouse: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"attach '{warehouse}' as warehouse (read_only)")
    con.execute(f"create table records as select {', '.join(COLUMNS)} from warehouse.matching.int_identity_records")
    con.execute("detach warehouse")
    return con


def _score(con: duckdb.DuckDBPyConnection, clusters, truth_csv: Path) -> dict:
    """Splink's clusters scored exactly as `alumni evaluate` scores ours."""
    assigned = con.sql(f"""
        select c.cluster_id as alumni_id, {", ".join("r." + c for c in LINEAGE)}
        from {clusters.physical_name} as c join records as r using (record_id)
    """).df()
    return score(assigned, truth_csv)


def run_splink(warehouse: Path, truth_csv: Path) -> dict:
    con = _load(warehouse)
    db_api = DuckDBAPI(con)
    linker = Linker(db_api.register("records"), settings(), log_level=logging.WARNING)
    cluster = linker.clustering.cluster_pairwise_predictions_at_threshold

    start = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        [block_on("id_number"), block_on("passport_number"), block_on("name", "birth_date")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=7)
    # Each session trains the comparisons its rule does not fix; between them, all of them.
    for rule in (block_on("name_key", "birth_year"), block_on("id_partial"), block_on("mobile")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    training = time.perf_counter() - start

    start = time.perf_counter()
    predictions = linker.inference.predict()  # every candidate pair, scored
    clusters = cluster(predictions, THRESHOLD)  # connected components of pairs at or above it
    prediction = time.perf_counter() - start

    pairs = con.sql(f"select count(*) from {predictions.physical_name}").fetchone()[0]
    others = {}
    for t in OTHER_THRESHOLDS:
        at_t = _score(con, cluster(predictions, t), truth_csv)
        others[str(t)] = {k: at_t[k] for k in ("pairwise_precision", "pairwise_recall", "pairwise_f1")}
    return {
        "system": "splink",
        "splink_version": splink.__version__,
        "threshold_match_probability": THRESHOLD,
        "training_seconds": round(training, 1),
        "prediction_seconds": round(prediction, 1),
        "candidate_pairs": pairs,
        "prior": linker.misc.save_model_to_json()["probability_two_random_records_match"],
        **_score(con, clusters, truth_csv),
        "at_other_thresholds": others,
    }


if __name__ == "__main__":  # warehouse, ground truth, and where to write the JSON (default: print it)
    result = json.dumps(run_splink(Path(sys.argv[1]), Path(sys.argv[2])), indent=2)
    Path(sys.argv[3]).write_text(result) if len(sys.argv) > 3 else print(result)
