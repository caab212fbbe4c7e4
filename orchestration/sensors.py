"""Drop sensors and the collection calendar.

A sensor per landing folder starts a run of the whole pipeline when a file there is new, changed or
removed (ingest skips unchanged files, and every model downstream reads every source, so a partial
run would build on whatever the other sources last left). A file counts only once it has stopped changing: the same size and
modification time on two ticks in a row, and older than ALUMNI_SETTLE_SECONDS (copy tools that keep
the original modification time are caught by the first test). The cursor remembers every file it
has acted on and is merged on each tick, never replaced by the latest batch; a sensor's first cursor
starts from what the warehouse already loaded (`starting_cursor`).
"""

from __future__ import annotations

import hashlib
import json
import os
import time

import dagster as dg
import duckdb

from alumni_pipeline.config import Paths, settle_seconds
from alumni_pipeline.ingest.landing import in_progress, list_drops
from alumni_pipeline.ingest.load import loaded_files
from alumni_pipeline.sources import SOURCES
from alumni_pipeline.warehouse import connect
from orchestration.resources import FULL_TAG, REFIT_TAG, AlumniPaths

TZ = "Asia/Shanghai"


def sensor_interval() -> int:
    return int(os.environ.get("ALUMNI_SENSOR_INTERVAL", "30"))


def scan(folder) -> dict[str, list[int]]:
    """Size and modification time of every file in a landing folder, by path within it."""
    stats = {p.relative_to(folder).as_posix(): p.lstat() for p in list_drops(folder) if not in_progress(p)}
    return {rel: [st.st_size, st.st_mtime_ns] for rel, st in stats.items()}


def decide(
    cursor: dict, current: dict[str, list[int]], now_ns: int, settle_ns: int
) -> tuple[list[str], list[str], dict]:
    """Which files to act on this tick, and the merged cursor: `files` holds what runs were started
    for, `pending` what was seen last tick and has not yet settled."""
    acted, pending = dict(cursor.get("files", {})), cursor.get("pending", {})
    settled = {rel: st for rel, st in current.items() if pending.get(rel) == st and now_ns - st[1] >= settle_ns}
    changed = sorted(rel for rel, st in settled.items() if acted.get(rel) != st)
    removed = sorted(set(acted) - set(current))
    acted.update({rel: settled[rel] for rel in changed})
    for rel in removed:
        del acted[rel]
    still_pending = {rel: st for rel, st in current.items() if acted.get(rel) != st}
    return changed, removed, {"files": acted, "pending": still_pending}


def warehouse_files(paths: Paths, source: str) -> dict[str, str] | None:
    """`ingest.load.loaded_files` by path within the landing folder ({} for a new warehouse); None while
    another process is writing the warehouse."""
    if not paths.warehouse.exists():
        return {}
    try:
        with connect(paths.warehouse, read_only=True) as con:
            loaded = loaded_files(con, source)
    except duckdb.CatalogException:
        return {}
    except duckdb.Error:
        return None
    return {rel.removeprefix(f"{source}/"): digest for rel, digest in loaded.items()}


def starting_cursor(folder, current: dict[str, list[int]], loaded: dict[str, str]) -> dict:
    """A sensor's first cursor (a new Dagster instance, or sensors reset): the files whose content the
    warehouse already holds count as acted on, so `alumni ui` after `alumni run` starts nothing for
    unchanged files; files it holds that are gone count as acted on too, so their removal starts a run."""
    files = {
        rel: st
        for rel, st in current.items()
        if rel in loaded and hashlib.sha256((folder / rel).read_bytes()).hexdigest() == loaded[rel]
    }
    files.update({rel: [-1, -1] for rel in loaded.keys() - current.keys()})
    return {"files": files, "pending": {}}


def _queued(instance: dg.DagsterInstance, job_name: str) -> bool:
    """Whether a run of the job is waiting to start: it will ingest whatever is in the folders then."""
    waiting = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING]
    return bool(instance.get_run_records(dg.RunsFilter(job_name=job_name, statuses=waiting), limit=1))


def drop_sensor(source: str, job) -> dg.SensorDefinition:
    @dg.sensor(
        name=f"{source}_drops",
        job=job,
        minimum_interval_seconds=sensor_interval(),
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"Starts {job.name} when a file in raw_drops/{source}/ is new, changed or removed "
        "and has stopped changing.",
    )
    def _sensor(context: dg.SensorEvaluationContext, alumni: AlumniPaths) -> dg.SensorResult:
        paths = alumni.paths()
        current = scan(paths.drops / source)
        if context.cursor:
            cursor = json.loads(context.cursor)
        elif (loaded := warehouse_files(paths, source)) is not None:
            cursor = starting_cursor(paths.drops / source, current, loaded)
        else:
            return dg.SensorResult(skip_reason="the warehouse is being written: the first look waits for the next tick")
        changed, removed, merged = decide(cursor, current, time.time_ns(), int(settle_seconds() * 1e9))
        requests = []
        if (changed or removed) and _queued(context.instance, job.name):
            context.log.info(f"{job.name} is already queued: it will read {changed + removed}")
        elif changed or removed:
            key = hashlib.sha256(
                json.dumps([changed, removed, [merged["files"].get(r) for r in changed]]).encode()
            ).hexdigest()[:16]
            requests.append(
                dg.RunRequest(
                    run_key=f"{source}-{key}",
                    tags={
                        "alumni/source": source,
                        "alumni/changed": ",".join(changed)[:500],
                        "alumni/removed": ",".join(removed)[:500],
                    },
                )
            )
        return dg.SensorResult(
            run_requests=requests,
            cursor=json.dumps(merged, sort_keys=True),
            skip_reason=None if requests else "no settled change",
        )

    return _sensor


republish = dg.define_asset_job(
    "republish",
    selection=dg.AssetSelection.all(),
    description="Every asset, working on what changed: the new, changed and removed files' rows are conformed, "
    "their pairs scored and the persons they touch clustered again, with the kept weights; then gate and publish.",
)
full_rebuild = dg.define_asset_job(
    "full_rebuild",
    selection=dg.AssetSelection.all(),
    tags={FULL_TAG: "true", REFIT_TAG: "true"},
    description="Every asset from scratch: every row conformed, new weights estimated, every pair scored and "
    "every person clustered again; then gate and publish.",
)
sensors = [drop_sensor(source, republish) for source in SOURCES]
schedules = [
    dg.ScheduleDefinition(
        name="august_collection",
        job=full_rebuild,
        cron_schedule="0 2 31 8 *",
        execution_timezone=TZ,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="End of the August collection cycle: full rebuild, KPIs and publishing.",
    ),
    dg.ScheduleDefinition(
        name="march_collection",
        job=full_rebuild,
        cron_schedule="0 2 31 3 *",
        execution_timezone=TZ,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="End of the March collection cycle: full rebuild, KPIs and publishing.",
    ),
    dg.ScheduleDefinition(
        name="monthly_unit_updates",
        job=republish,
        cron_schedule="0 3 1 * *",
        execution_timezone=TZ,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Units update online every month: ingest their updates and republish.",
    ),
]
