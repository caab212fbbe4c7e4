"""The Dagster code location: every stage's assets and the one shared resource."""
import dagster as dg

from orchestration.assets.ingest import ingest_assets
from orchestration.resources import AlumniPaths

defs = dg.Definitions(
    assets=[*ingest_assets],
    resources={"alumni": AlumniPaths()},
)
