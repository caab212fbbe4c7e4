"""Identity: weights estimated from the data, candidate pairs scored, stewards' decisions honoured,
records clustered into persons, and every person's alumni_id kept stable across runs."""

import dagster as dg

from alumni_pipeline.config import REVIEW_FOLDER
from alumni_pipeline.identity.decisions import steward_decisions
from alumni_pipeline.identity.resolve import resolve
from alumni_pipeline.identity.review import read_review_decisions, write_review_workbook
from alumni_pipeline.warehouse import connect
from orchestration.resources import FULL_TAG, OWNERS, POOL, REFIT_TAG, AlumniPaths, run_flag

MATCHING_MODELS = (
    "int_identity_records",
    "int_pair_comparisons",
    "int_training_patterns",
    "int_random_pair_levels",
    "int_blocking_rule_counts",
)


@dg.asset(
    key=["identity", "alumni_ids"],
    # int_person_records too: its blocking quality check keeps a bad drop from reaching the alumni_id registry
    deps=[dg.AssetKey(["matching", model]) for model in MATCHING_MODELS]
    + [dg.AssetKey(["reference", "steward_decisions"]), dg.AssetKey(["intermediate", "int_person_records"])],
    group_name="identity",
    kinds={"python", "duckdb"},
    pool=POOL,
    owners=OWNERS,
)
def alumni_ids(context: dg.AssetExecutionContext, alumni: AlumniPaths) -> dg.MaterializeResult:
    """Fellegi-Sunter weights by EM over the candidate pairs the blocking rules found (kept between
    runs, estimated again on a schedule or on demand: `identity.weight_sets`), every new or changed pair
    scored and explainable field by field, stewards' must-link and cannot-link decisions (the seed
    and filled-in review workbooks in `raw_drops/steward_review/`) applied first, records clustered
    so that no chain joins two valid ID numbers, and alumni_ids kept in `identity.alumni_id_registry`
    (merges keep the older id, splits give the larger part the id). Only the connected parts of the
    links that a drop touched are clustered again, unless the run is tagged alumni/full=true. Writes
    the review queue (pairs the evidence settles left out, one line per undecided person) and its
    workbook of the 200 decisions that matter most."""
    paths = alumni.paths()
    reviewed = read_review_decisions(paths.drops / REVIEW_FOLDER)
    with connect(paths.warehouse) as con:
        summary = resolve(
            con,
            context.run_id,
            steward_decisions(con, reviewed),
            full=run_flag(context, FULL_TAG),
            refit=run_flag(context, REFIT_TAG),
        )
        rules = con.sql(
            "select blocking_rule, pairs_found, pairs_first_found from matching.int_blocking_rule_counts "
            "order by rule_rank"
        ).df()
        weights = con.sql(
            "select comparison, level, round(m, 4) as m, round(u, 4) as u, round(weight, 2) as weight "
            "from identity.comparison_weights"
        ).df()
        methods = con.sql(
            "select match_method, count(*) as records from identity.clusters group by all order by records desc"
        ).df()
        workbook = paths.published.review_queue
        write_review_workbook(con, workbook)
    return dg.MaterializeResult(
        metadata={
            **{k: v for k, v in vars(summary).items()},
            "decisions_read_from_workbooks": len(reviewed),
            # the expected size of the stewards' work: undecided persons, as a share of the alumni
            "review_share_of_alumni": round(summary.review_persons / max(summary.persons, 1), 4),
            "review_workbook": dg.MetadataValue.path(str(workbook)),
            "blocking_rules": dg.MetadataValue.md(rules.to_markdown(index=False)),
            "comparison_weights": dg.MetadataValue.md(weights.to_markdown(index=False)),
            "match_methods": dg.MetadataValue.md(methods.to_markdown(index=False)),
        }
    )


identity_assets = [alumni_ids]
