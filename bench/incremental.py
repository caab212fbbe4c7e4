"""A unit's drop of about 1,000 rows into warehouses of 100k, 300k and 1M source rows: the
republishing run (incremental) against a full rebuild of the same drops with the same weights.

    .venv/bin/python bench/incremental.py [--rows 100000 300000 1000000] [--seed 3] [--drop-rows 1000]

For each size, in bench/work/incremental_<rows>/: `alumni sample` writes the drops and `alumni run`
builds the warehouse (weights estimated); a unit then drops a file of `--drop-rows` rows (rows of one
of its earlier update files, a month later: people the warehouse already knows, as a monthly update
is) and `alumni run` republishes; a copy of that warehouse is rebuilt with `alumni run --full` (the
same weights). Timed: each run's wall seconds and peak memory of its process tree. Compared: the
persons of the two (pairwise agreement: record pairs put together by both over pairs put together by
either), their alumni_ids, and the alumni_ids of the first build that the republishing run kept.
Results: bench/results/incremental.{md,json,png}.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from scale import BIN, HERE, ROWS_PER_PERSON, STAGES, measured, peak_gb, stage

TARGET_SECONDS = 30  # a 1,000-row drop into a million rows, new snapshot live
TARGET_SHARE = 0.25  # of the full rebuild's time, at every size


def _env(work: Path, warehouse: Path, publish: Path) -> dict:
    import os

    return {
        **os.environ,
        "ALUMNI_DROPS": str(work / "raw_drops"),
        "ALUMNI_WAREHOUSE": str(warehouse),
        "ALUMNI_PUBLISH": str(publish),
        "ALUMNI_SETTLE_SECONDS": "0",
        "GX_ANALYTICS_ENABLED": "false",
    }


def _run(env: dict, log: Path, *flags: str) -> dict:
    timings = log.with_suffix(".timings.json")
    cmd = [str(BIN / "alumni"), "run", "--log-level", "WARNING", "--timings", str(timings), *flags]
    seconds, series, code = measured(cmd, env, log)
    if code != 0:
        sys.exit(f"alumni run {' '.join(flags)} exited {code}; see {log}")
    with duckdb.connect(env["ALUMNI_WAREHOUSE"], read_only=True) as con:
        last = con.sql(
            "select mode, records, candidate_pairs, pairs_scored, records_reclustered from identity.runs "
            "order by recorded_at desc limit 1"
        ).df()
    steps = {s["step"]: s["seconds"] for s in json.loads(timings.read_text())}
    by_stage = {}
    for step, took in steps.items():
        by_stage[stage(step)] = round(by_stage.get(stage(step), 0) + took, 1)
    return {"seconds": round(seconds, 1), "peak_rss_gb": peak_gb(series), "stages": by_stage, **last.iloc[0].to_dict()}


def unit_drop(drops: Path, rows: int) -> Path:
    """A monthly update of `rows` rows: people the warehouse knows, each once, taken from the units'
    earlier update files (the columns they share), sent again as one new file."""
    by_layout: dict[tuple, list[pd.DataFrame]] = {}
    for source in sorted((drops / "unit_updates").glob("*.xlsx")):
        cells = pd.read_excel(source, dtype=str, header=None)  # title rows may stand above the header
        header = next((i for i, row in cells.iterrows() if "姓名" in row.str.strip().tolist()), None)
        if header is not None:
            frame = cells.iloc[header + 1 :].set_axis(cells.iloc[header].str.strip().tolist(), axis=1)
            frame = frame.loc[:, ~frame.columns.duplicated()].dropna(how="all")
            by_layout.setdefault(tuple(frame.columns), []).append(frame)
    if not by_layout:
        sys.exit("no unit update file with a 姓名 header to copy rows from")
    # the layout most rows were sent in, so that the drop carries every column those files have
    frames = max(by_layout.values(), key=lambda fs: sum(map(len, fs)))
    frame = pd.concat(frames, ignore_index=True).drop_duplicates().head(rows)
    target = drops / "unit_updates" / f"各学院_校友信息更新_{dt.date.today():%Y%m}.xlsx"
    frame.to_excel(target, index=False)
    return target


def agreement(left: Path, right: Path) -> dict:
    """How far two warehouses' persons and alumni_ids agree, over the records both hold."""
    con = duckdb.connect()
    con.execute(f"attach '{left}' as a (read_only); attach '{right}' as b (read_only)")
    together = """select x.record_id as l, y.record_id as r from {db}.identity.clusters as x
        join {db}.identity.clusters as y on x.alumni_id = y.alumni_id and x.record_id < y.record_id"""
    both, either = con.sql(f"""
        with pa as ({together.format(db="a")}), pb as ({together.format(db="b")})
        select (select count(*) from (select * from pa intersect select * from pb)),
               (select count(*) from (select * from pa union select * from pb))""").fetchone()
    same_id, records = con.sql("""select count(*) filter (where x.alumni_id = y.alumni_id), count(*)
        from a.identity.clusters as x join b.identity.clusters as y using (record_id)""").fetchone()
    return {
        "pairwise_agreement": round(both / either, 6) if either else 1.0,
        "same_alumni_id": round(same_id / records, 6),
    }


def ids_kept(before: dict, warehouse: Path) -> float:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        now = dict(con.sql("select record_key, alumni_id from identity.clusters").fetchall())
    common = [k for k in before if k in now]
    return round(sum(before[k] == now[k] for k in common) / len(common), 6)


def run_size(rows: int, seed: int, drop_rows: int) -> dict:
    work = HERE / "work" / f"incremental_{rows}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = _env(work, work / "warehouse" / "alumni.duckdb", work / "published")
    persons = round(rows / ROWS_PER_PERSON)
    print(f"{rows:,} rows: sample of {persons:,} persons", flush=True)
    subprocess.run(
        [BIN / "alumni", "sample", "--out", env["ALUMNI_DROPS"], "--persons", str(persons), "--seed", str(seed)],
        env=env,
        check=True,
        capture_output=True,
    )
    print(f"{rows:,} rows: first build", flush=True)
    first = _run(env, work / "first.log")
    with duckdb.connect(env["ALUMNI_WAREHOUSE"], read_only=True) as con:
        before = dict(con.sql("select record_key, alumni_id from identity.clusters").fetchall())
    drop = unit_drop(Path(env["ALUMNI_DROPS"]), drop_rows)
    print(f"{rows:,} rows: republish after {drop.name}", flush=True)
    rebuilt = work / "rebuilt"
    shutil.copytree(work / "warehouse", rebuilt)  # the warehouse as the drop found it
    republish = _run(env, work / "republish.log")
    print(f"{rows:,} rows: full rebuild", flush=True)
    full_env = _env(work, rebuilt / "alumni.duckdb", work / "published_full")
    full = _run(full_env, work / "full.log", "--full")
    return {
        "rows": rows,
        "drop_rows": drop_rows,
        "first_build": first,
        "republish": republish,
        "full_rebuild": full,
        "republish_share": round(republish["seconds"] / full["seconds"], 3),
        **agreement(Path(env["ALUMNI_WAREHOUSE"]), Path(full_env["ALUMNI_WAREHOUSE"])),
        "earlier_ids_kept": ids_kept(before, Path(env["ALUMNI_WAREHOUSE"])),
    }


def report(results: list[dict], seed: int) -> None:
    out = HERE / "results"
    (out / "incremental.json").write_text(json.dumps(results, indent=1, default=str))
    lines = [
        "# A unit's drop into a big warehouse: republishing against a full rebuild",
        "",
        f"{dt.datetime.now():%Y-%m-%dT%H:%M}, `bench/incremental.py --seed {seed}`, 2 cores. Wall seconds of"
        " `alumni run` (ingest to published snapshot), peak RSS of its process tree.",
        "",
        "| source rows | drop rows | first build s | republish s | full rebuild s | republish / full | "
        "republish GB | full GB | pairs scored | records reclustered | pairwise agreement | same alumni_id | "
        "earlier ids kept |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        inc, full = r["republish"], r["full_rebuild"]
        lines.append(
            f"| {r['rows']:,} | {r['drop_rows']:,} | {r['first_build']['seconds']} | {inc['seconds']} | "
            f"{full['seconds']} | {r['republish_share']:.0%} | {inc['peak_rss_gb']} | {full['peak_rss_gb']} | "
            f"{inc['pairs_scored']:,} of {inc['candidate_pairs']:,} | {inc['records_reclustered']:,} of "
            f"{inc['records']:,} | {r['pairwise_agreement']} | {r['same_alumni_id']} | {r['earlier_ids_kept']} |"
        )
    lines += [
        "",
        "Where the time goes, seconds by stage (republish / full rebuild):",
        "",
        "| source rows | " + " | ".join(STAGES) + " |",
        "| ---: |" + " ---: |" * len(STAGES),
    ]
    for r in results:
        inc, full = r["republish"]["stages"], r["full_rebuild"]["stages"]
        lines.append(f"| {r['rows']:,} | " + " | ".join(f"{inc.get(s, 0)} / {full.get(s, 0)}" for s in STAGES) + " |")
    lines += [
        "",
        f"Targets: republishing ≤ {TARGET_SECONDS} s at 1,000,000 rows and ≤ {TARGET_SHARE:.0%} of the full "
        "rebuild at every size; agreement 1.0 (≥ 0.999); earlier ids kept ≥ 0.999.",
        "",
        "![republish and full rebuild against size](incremental.png)",
    ]
    (out / "incremental.md").write_text("\n".join(lines) + "\n")
    plot(results, out / "incremental.png")


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r["rows"] for r in results]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(rows, [r["full_rebuild"]["seconds"] for r in results], "o-", label="full rebuild")
    ax.plot(rows, [r["republish"]["seconds"] for r in results], "s-", label="republish after a 1,000-row drop")
    ax.axhline(TARGET_SECONDS, ls=":", color="grey", label=f"{TARGET_SECONDS} s")
    ax.set(xscale="log", xlabel="source rows", ylabel="wall seconds", title="Incremental against full (2 cores)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--drop-rows", type=int, default=1000)
    args = parser.parse_args()
    (HERE / "results").mkdir(exist_ok=True)
    report([run_size(n, args.seed, args.drop_rows) for n in sorted(args.rows)], args.seed)


if __name__ == "__main__":
    main()
