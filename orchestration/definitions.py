"""The Dagster code location: every stage's assets, the drop sensors, the collection calendar and the
shared resources."""
import dagster as dg

from orchestration.assets.conform import conform_assets, golden_models
from orchestration.assets.identity import identity_assets
from orchestration.assets.ingest import ingest_assets
from orchestration.dbt import dbt_cli
from orchestration.resources import AlumniPaths
from orchestration.sensors import full_rebuild, schedules, sensors, source_jobs

defs = dg.Definitions(
    assets=[*ingest_assets, *conform_assets, *identity_assets, golden_models],
    jobs=[full_rebuild, *source_jobs.values()],
    sensors=sensors,
    schedules=schedules,
    resources={"alumni": AlumniPaths(), "dbt": dbt_cli},
)
