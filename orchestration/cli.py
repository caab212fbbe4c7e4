"""`alumni`: run the pipeline, write sample drops, start the Dagster UI."""

# It sits beside the code location it loads (orchestration.definitions), so that the library,
# alumni_pipeline, never imports Dagster.

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from alumni_pipeline.config import Paths

EXIT_GATE_BLOCKED = 3
LAUNCHED_BY = "alumni/launched_by"  # "cli" on the runs `alumni run` starts
WAITING = "waiting for another run to finish…"


@contextlib.contextmanager
def single_writer(warehouse: Path) -> Iterator[None]:
    """Hold `<warehouse>.lock` for the duration: DuckDB allows one writing process, so a second run
    waits here (saying so once) instead of failing on the warehouse's lock. The OS releases the lock
    when the process ends, however it ends."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with open(warehouse.with_name(warehouse.name + ".lock"), "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(WAITING, file=sys.stderr, flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def run(args: argparse.Namespace) -> int:
    """Materialise every asset once, in process: the same definitions the Dagster UI loads, one run at a
    time (see `single_writer`). Exit 3 when a critical quality check blocked publishing (the live
    snapshot stays), 1 on any other failure."""
    with single_writer(Paths.from_env().warehouse):
        return _run(args)


def dagster_home() -> Path:
    """The one Dagster instance (DAGSTER_HOME, default `.dagster_home` in the project) that `alumni run`
    records into and `alumni ui` shows: the UI lists the CLI's runs, materialisations and check results.
    Its dagster.yaml is written on first use: one step at a time in the warehouse pool, no telemetry."""
    home = Path(os.environ.get("DAGSTER_HOME", ".dagster_home")).absolute()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("concurrency:\n  pools:\n    default_limit: 1\ntelemetry:\n  enabled: false\n")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def release_abandoned_runs(instance) -> list[str]:
    """Runs this CLI started that a killed process left "started", holding their pool slot: with the
    warehouse lock ours (`single_writer`), no CLI run is alive, so they are marked failed and their
    slots freed; otherwise the next run would wait for the slot forever."""
    import dagster as dg

    alive = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.NOT_STARTED]
    stale = instance.get_run_records(dg.RunsFilter(statuses=alive, tags={LAUNCHED_BY: "cli"}))
    for record in stale:
        run = record.dagster_run
        instance.report_run_failed(run, "abandoned: the `alumni run` that started it ended without finishing")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
    return [r.dagster_run.run_id for r in stale]


def _run(args: argparse.Namespace) -> int:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import dagster as dg

    from alumni_pipeline.publish.wall import last_published
    from orchestration.definitions import defs
    from orchestration.resources import DBT_OUTPUT_TAG, FULL_TAG, REFIT_TAG
    from orchestration.summary import run_counts, summary_lines

    paths = Paths.from_env()
    instance = dg.DagsterInstance.from_config(str(dagster_home()))
    release_abandoned_runs(instance)
    job = defs.resolve_job_def("full_rebuild" if args.full else "republish")
    tags = {LAUNCHED_BY: "cli", DBT_OUTPUT_TAG: "full" if args.log_level == "DEBUG" else "summary"}
    tags[REFIT_TAG] = str(args.refit).lower()  # the run's word wins over the job's: --full alone keeps the weights
    tags[FULL_TAG] = str(args.full).lower()
    result = job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        tags=tags,
        run_config={"loggers": {"console": {"config": {"log_level": args.log_level}}}},
    )
    if args.timings:  # each step's start and end (Unix time) and seconds, in the order the steps ran
        stats = sorted(instance.get_run_step_stats(result.run_id), key=lambda s: s.start_time or 0)
        Path(args.timings).write_text(
            json.dumps(
                [
                    {
                        "step": s.step_key,
                        "start": s.start_time,
                        "end": s.end_time,
                        "seconds": round(s.end_time - s.start_time, 2),
                    }
                    for s in stats
                    if s.start_time and s.end_time
                ],
                indent=1,
            )
        )
    failed_checks = [c for c in result.get_asset_check_evaluations() if not c.passed]
    blocking = [c for c in failed_checks if c.blocking and c.severity == dg.AssetCheckSeverity.ERROR]
    errors = [
        e
        for e in result.get_step_failure_events()
        if e.event_specific_data.error.cls_name != "DagsterAssetCheckFailedError"
    ]
    for event in errors:
        print(f"FAILED {event.step_key}: {event.event_specific_data.error.message.strip()}", file=sys.stderr)
    for check in failed_checks:
        kind = "BLOCKED BY" if check in blocking else "WARNING from"
        print(f"{kind} {check.asset_key.to_user_string()} {check.check_name}:", file=sys.stderr)
        for key, label in (("failures", ""), ("quality_report", "  report: ")):  # the gate's checks have both
            if key in check.metadata:
                print(f"{label}{check.metadata[key].value}", file=sys.stderr)
    if errors or (not result.success and not blocking):
        return 1
    live = (last_published(paths.publish) or {}).get("snapshot_id", "none yet")
    evaluations = result.get_asset_check_evaluations()
    checks = {
        "passed": sum(c.passed for c in evaluations),
        "warned": sum(not c.passed and c.severity == dg.AssetCheckSeverity.WARN for c in evaluations),
        "failed": sum(not c.passed and c.severity == dg.AssetCheckSeverity.ERROR for c in evaluations),
    }
    counts = summary_lines(run_counts(paths.warehouse, result.run_id), checks)
    if blocking:
        print(
            f"Run {result.run_id}: the quality gate blocked publishing; the alumni wall still shows snapshot {live}.",
            *counts,
            sep="\n",
            file=sys.stderr,
        )
        return EXIT_GATE_BLOCKED
    print(f"Run {result.run_id} finished and published snapshot {live}.", *counts, sep="\n")
    print(f"  warehouse:        {paths.warehouse}")
    print("                    golden tables marts.alumni, alumni_xref, alumni_education, alumni_employment;")
    print("                    per-unit marts marts.unit_alumni and marts.unit_<code>; marts.kpi_*;")
    print("                    regions and reunions marts.alumni_places, region_alumni, reunion_classes;")
    print("                    raw.*, staging.*, intermediate.*, matching.*, identity.*, audit.*")
    published = paths.published
    print(f"  alumni wall:      {published.wall / live}  (named by alumni_wall/LATEST)")
    print(f"  unit workbooks:   {published.units}")
    print(f"  KPI report:       {published.kpi_report}")
    print(f"  quality reports:  {published.quality}  (one page per check, readable offline)")
    print(f"  refusal reports:  {published.refusals}  (one per dropped file with something to fix)")
    print(f"  review queue:     {published.review_queue}")
    print(f"  office lists:     {published.chapters}, {published.reunions}  (for the office only)")
    return 0


def sample(args: argparse.Namespace) -> int:
    from alumni_pipeline.sample import write_sample

    manifest = write_sample(Path(args.out), persons=args.persons, seed=args.seed)
    rows = sum(f["data_rows"] for f in manifest["files"])
    print(f"Wrote {len(manifest['files'])} files with {rows} data rows for {args.persons} persons to {args.out}")
    return 0


def ui(args: argparse.Namespace) -> int:
    """Start the Dagster webserver and daemon on the instance `alumni run` records into."""
    home = dagster_home()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "GX_ANALYTICS_ENABLED": "false",
        # `dg dev` needs the dagster-dg-cli package and a dg project layout; `dagster dev` is what it runs
        "PYTHONWARNINGS": "ignore:Function `dev_command` is superseded:FutureWarning",
    }
    dagster = Path(sys.executable).with_name("dagster")  # the one beside this Python: no venv activation needed
    cmd = [
        str(dagster if dagster.exists() else "dagster"),
        "dev",
        "-w",
        "workspace.yaml",
        "-h",
        args.host,
        "-p",
        str(args.port),
    ]
    return subprocess.call(cmd, env=env)


def evaluate(args: argparse.Namespace) -> int:
    """Score the last run's identity resolution against a sample's ground truth; exit 4 below the bar."""
    import json

    from alumni_pipeline.identity.evaluate import evaluate as score
    from alumni_pipeline.warehouse import connect

    paths = Paths.from_env()
    truth = Path(args.truth) if args.truth else paths.drops / "ground_truth.csv"
    with connect(paths.warehouse, read_only=True) as con:
        result = score(con, truth)
    print(json.dumps(result, indent=2))
    if result["pairwise_precision"] < args.min_precision or result["pairwise_recall"] < args.min_recall:
        print(f"Below the bar: precision {args.min_precision}, recall {args.min_recall}", file=sys.stderr)
        return 4
    return 0


def templates(args: argparse.Namespace) -> int:
    from alumni_pipeline.publish.templates import write_templates

    for path in write_templates(Path(args.out)):
        print(path)
    return 0


ENVIRONMENT = """environment variables (relative paths are taken from the current directory):
  ALUMNI_DROPS            the landing root, one folder per source (default raw_drops/)
  ALUMNI_WAREHOUSE        the DuckDB file (default warehouse/alumni.duckdb)
  ALUMNI_PUBLISH          where published files go (default published/)
  ALUMNI_AS_OF            the date KPIs are computed at, YYYY-MM-DD (default: the sample's "now" when the
                          landing root holds `alumni sample`'s drops, else today)
  ALUMNI_SETTLE_SECONDS   a file must stay unchanged this long before it is read (default 2)
  ALUMNI_SENSOR_INTERVAL  seconds between two ticks of a drop sensor (default 30)
  ALUMNI_DUCKDB_MEMORY    the most memory DuckDB may take in each process that opens the warehouse, e.g.
                          8GB (default 4GB); past it DuckDB spills to disk beside the warehouse
  ALUMNI_WALL_KEY         the secret behind the wall's wall_id, at least 32 characters (default: the
                          file wall_key beside the warehouse, made on first use; set it in production)
  DAGSTER_HOME            the Dagster instance `alumni run` records into and `alumni ui` shows
                          (default .dagster_home/)"""
RUN_EXIT_CODES = """exit codes:
  0  the run finished and published a new snapshot
  1  a step failed (its error is printed); the last published snapshot stays live
  2  the command line was wrong
  3  a critical quality check blocked publishing (which, and example rows, are printed); the last
     published snapshot stays live"""


def main(argv: list[str] | None = None) -> int:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(prog="alumni", description=__doc__, epilog=ENVIRONMENT, formatter_class=formatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser(
        "run",
        help="materialise every asset once, in process",
        description="Ingest the landing folders, conform, resolve identities, check quality and publish: the "
        "same definitions the Dagster UI loads, recorded in the same instance. A second run waits for the first.",
        epilog=f"{RUN_EXIT_CODES}\n\n{ENVIRONMENT}",
        formatter_class=formatter,
    )
    p.add_argument(
        "--log-level",
        default="INFO",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="of Dagster's event log on the console (default INFO; DEBUG also shows dbt's line per model and test)",
    )
    p.add_argument("--timings", metavar="FILE", help="write each step's wall time in seconds to FILE as JSON")
    p.add_argument(
        "--full",
        action="store_true",
        help="rebuild from scratch: conform every row, score every pair and cluster everyone again "
        "(by default a run works on the files that changed)",
    )
    p.add_argument(
        "--refit",
        action="store_true",
        help="estimate new weights now (by default they are kept until the records change by a tenth, "
        "or for three months)",
    )
    p.set_defaults(func=run)
    p = sub.add_parser("sample", help="write realistic sample drops with their ground truth")
    p.add_argument(
        "--out", required=True, help="the landing root to write into (files of an earlier sample there are replaced)"
    )
    p.add_argument("--persons", type=int, default=2000, help="invented alumni to write rows for (default 2000)")
    p.add_argument("--seed", type=int, default=7, help="the same seed writes the same files (default 7)")
    p.set_defaults(func=sample)
    p = sub.add_parser(
        "ui", help="start the Dagster UI and daemon on workspace.yaml", epilog=ENVIRONMENT, formatter_class=formatter
    )
    p.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=3000, help="port to serve on (default 3000)")
    p.set_defaults(func=ui)
    p = sub.add_parser("evaluate", help="pairwise precision and recall of identity resolution against ground truth")
    p.add_argument("--truth", help="ground_truth.csv (default: the one `alumni sample` wrote in ALUMNI_DROPS)")
    p.add_argument("--min-precision", type=float, default=0.0, help="exit 4 below this pairwise precision")
    p.add_argument("--min-recall", type=float, default=0.0, help="exit 4 below this pairwise recall")
    p.set_defaults(func=evaluate)
    p = sub.add_parser("templates", help="write the Excel template of each landing folder")
    p.add_argument("--out", default="raw_drops", help="the landing root (default raw_drops)")
    p.set_defaults(func=templates)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
