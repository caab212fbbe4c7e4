"""The Dagster code location: every stage's assets, the quality gate's checks, the drop sensors, the
collection calendar and the shared resources."""

import dagster as dg

from orchestration.assets.conform import conform_assets, golden_models, matching_assets, office_models, publish_models
from orchestration.assets.identity import identity_assets
from orchestration.assets.ingest import ingest_assets
from orchestration.assets.publish import publish_assets
from orchestration.assets.quality import quality_assets, quality_checks
from orchestration.dbt import dbt_cli
from orchestration.resources import AlumniPaths
from orchestration.sensors import full_rebuild, republish, schedules, sensors

defs = dg.Definitions(
    assets=[
        *ingest_assets,
        *conform_assets,
        *quality_assets,
        *matching_assets,
        *identity_assets,
        golden_models,
        publish_models,
        office_models,
        *publish_assets,
    ],
    asset_checks=quality_checks,
    jobs=[republish, full_rebuild],
    sensors=sensors,
    schedules=schedules,
    resources={"alumni": AlumniPaths(), "dbt": dbt_cli},
    executor=dg.in_process_executor,  # steps share the one writer anyway: no process per step
)
