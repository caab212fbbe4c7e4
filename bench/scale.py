"""The whole pipeline at the university's scale, side by side with Splink.

    .venv/bin/pip install -c constraints.txt -e ".[bench]"
    .venv/bin/python bench/scale.py [--rows 100000 300000 1000000] [--seed 3]
    .venv/bin/python bench/scale.py --profile 1000000

For each size, in a fresh folder under bench/work/: `alumni sample` writes drops of about that many
source rows; `alumni run` runs the whole pipeline (ingest, dbt, identity, quality gate, publish) while
the memory of its process tree (dbt runs as a child) is sampled; `alumni evaluate` scores identity
against the sample's ground truth; then Splink deduplicates the same conformed person records
(bench/splink_side.py), again with its memory sampled. Results: bench/results/scale.{md,json,png}.

`--profile ROWS` instead runs that one size under py-spy (which slows it down) and writes the
functions that took the most time to bench/results/profile.md.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import itertools
import json
import math
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import psutil

HERE = Path(__file__).parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
ROWS_PER_PERSON = 2.40  # source rows the sample writes per person, measured
STAGES = ("ingest", "conform", "identity", "golden", "gate", "publish")
DOUBLING_LIMIT = 2.2  # the target: doubling the rows costs at most 2.2 times the time


def stage(step: str) -> str:
    if step.startswith("raw__"):
        return "ingest"
    if step.endswith("gate"):
        return "gate"
    if step.startswith("publish__"):
        return "publish"
    return {
        "staging_models": "conform",
        "conform_models": "conform",
        "matching_models": "conform",
        "conform_report": "conform",
        "identity__alumni_ids": "identity",
        "golden_models": "golden",
        "publish_models": "publish",
        "marts__wall_opt_outs": "publish",
        "office_models": "publish",
    }[step]


def measured(cmd: list[str], env: dict, log: Path) -> tuple[float, list[tuple[float, int]], int]:
    """Run cmd: its wall seconds, the memory (RSS bytes) of it and all its children together every
    0.2 s as (Unix time, bytes), and its exit code."""
    start = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    series, parent = [], psutil.Process(proc.pid)

    def sample() -> None:
        while proc.poll() is None:
            with contextlib.suppress(psutil.Error):
                series.append(
                    (time.time(), sum(p.memory_info().rss for p in [parent, *parent.children(recursive=True)]))
                )
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    code = proc.wait()
    sampler.join()
    return time.perf_counter() - start, series, code


def peak_gb(series: list[tuple[float, int]], start: float = 0, end: float = math.inf) -> float:
    return round(max((rss for t, rss in series if start <= t <= end), default=0) / 1e9, 2)


def matching_seconds(since: float) -> float:
    """dbt's time on the matching models after the records are prepared (blocking, comparison levels,
    training patterns, random pairs): with the identity step, what Splink's training and prediction
    stand for. Summed over models, from the run_results.json of the matching step since `since`."""
    runs = [
        p
        for p in (ROOT / "dbt_project" / "target").glob("matching_models-*/run_results.json")
        if p.stat().st_mtime >= since
    ]
    results = json.loads(max(runs, key=lambda p: p.stat().st_mtime).read_text())["results"]
    return round(
        sum(
            r["execution_time"]
            for r in results
            if '"matching"' in (r.get("relation_name") or "") and not r["unique_id"].endswith(".int_identity_records")
        ),
        1,
    )


def pipeline(rows: int, seed: int, pyspy: bool = False) -> tuple[Path, dict, float, list]:
    """A fresh sample of about `rows` source rows and one `alumni run` on it: the folder, the
    environment, wall seconds and the memory series."""
    work = HERE / "work" / f"scale_{rows}"
    subprocess.run(["rm", "-rf", str(work)], check=True)
    work.mkdir(parents=True)
    env = {
        **os.environ,
        "ALUMNI_DROPS": str(work / "raw_drops"),
        "ALUMNI_WAREHOUSE": str(work / "alumni.duckdb"),
        "ALUMNI_PUBLISH": str(work / "published"),
        "ALUMNI_SETTLE_SECONDS": "0",
        "GX_ANALYTICS_ENABLED": "false",
    }
    persons = round(rows / ROWS_PER_PERSON)
    print(f"{rows:,} rows: sample of {persons:,} persons", flush=True)
    subprocess.run(
        [BIN / "alumni", "sample", "--out", env["ALUMNI_DROPS"], "--persons", str(persons), "--seed", str(seed)],
        env=env,
        check=True,
        capture_output=True,
    )
    cmd = [str(BIN / "alumni"), "run", "--log-level", "WARNING", "--timings", str(work / "timings.json")]
    if pyspy:
        cmd = [
            str(BIN / "py-spy"),
            "record",
            "--subprocesses",
            "--nonblocking",
            "-r",
            "20",
            "-f",
            "raw",
            "-o",
            str(work / "profile.txt"),
            "--",
            *cmd,
        ]
    print(f"{rows:,} rows: alumni run{' under py-spy' if pyspy else ''}", flush=True)
    seconds, series, code = measured(cmd, env, work / "run.log")
    if code != 0:
        sys.exit(f"alumni run exited {code} at {rows:,} rows; see {work / 'run.log'}")
    return work, env, seconds, series


def run_size(rows: int, seed: int) -> dict:
    started = time.time()
    work, env, seconds, series = pipeline(rows, seed)
    steps = json.loads((work / "timings.json").read_text())
    stages = {k: {"seconds": 0.0, "peak_rss_gb": 0.0} for k in STAGES}
    for step in steps:
        at = stages[stage(step["step"])]
        at["seconds"] = round(at["seconds"] + step["seconds"], 1)
        at["peak_rss_gb"] = max(at["peak_rss_gb"], peak_gb(series, step["start"], step["end"]))
    accuracy = json.loads(
        subprocess.run([BIN / "alumni", "evaluate"], env=env, check=True, capture_output=True, text=True).stdout
    )
    with (work / "raw_drops" / "ground_truth.csv").open() as truth:
        source_rows = sum(1 for _ in truth) - 1  # one line per data row written
    with duckdb.connect(env["ALUMNI_WAREHOUSE"], read_only=True) as con:
        pairs, links = con.sql(
            "select candidate_pairs, links from identity.runs order by recorded_at desc limit 1"
        ).fetchone()
        rules = dict(
            con.sql(
                "select blocking_rule, pairs_first_found from matching.int_blocking_rule_counts order by rule_rank"
            ).fetchall()
        )
    print(f"{rows:,} rows: Splink", flush=True)
    splink_out = work / "splink.json"
    s_seconds, s_series, code = measured(
        [
            sys.executable,
            str(HERE / "splink_side.py"),
            env["ALUMNI_WAREHOUSE"],
            str(work / "raw_drops" / "ground_truth.csv"),
            str(splink_out),
        ],
        env,
        work / "splink.log",
    )
    if code != 0:
        sys.exit(f"Splink exited {code} at {rows:,} rows; see {work / 'splink.log'}")
    return {
        "rows": rows,
        "source_rows": source_rows,
        "seconds": round(seconds, 1),
        "peak_rss_gb": peak_gb(series),
        "stages": stages,
        "identity_seconds": round(matching_seconds(started) + stages["identity"]["seconds"], 1),
        "steps": steps,
        "candidate_pairs": pairs,
        "links": links,
        "blocking_rules": rules,
        "ours": accuracy,
        "splink": {
            **json.loads(splink_out.read_text()),
            "peak_rss_gb": peak_gb(s_series),
            "process_seconds": round(s_seconds, 1),
        },
    }


def profile(rows: int, seed: int) -> None:
    work, _, seconds, _ = pipeline(rows, seed, pyspy=True)
    lines = [
        f"# Where the time goes at {rows:,} source rows",
        "",
        f"`alumni run` under py-spy (20 Hz, with subprocesses; {seconds:.0f} s with the profiler on). "
        "Seconds spent in each function including its callees (a process adds up its threads, so it "
        "can exceed the wall time); our code, each process, and dbt's model and test runs.",
        "",
        "| seconds | function |",
        "| ---: | --- |",
    ]
    lines += [f"| {s} | `{f}` |" for s, f in hottest(work / "profile.txt")]
    (HERE / "results" / "profile.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def hottest(raw: Path, top: int = 30) -> list[tuple[float, str]]:
    """Seconds spent inside each function (with its callees), from py-spy's collapsed stacks at 20 Hz;
    our code and dbt's model runs only, the frames a hot spot can be named by."""
    inclusive = collections.Counter()
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        for frame in {re.sub(r":\d+\)$", ")", f) for f in stack.split(";")}:
            inclusive[frame] += int(n)
    ours = [
        (n / 20, f)
        for f, n in inclusive.most_common()
        if re.search(r"\((alumni_pipeline|orchestration)/|^process \d+:|ModelRunner.execute|TestRunner.execute", f)
    ]
    return [(round(s, 1), f) for s, f in ours[:top]]


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + " ---: |" * len(head), *("| " + " | ".join(r) + " |" for r in rows)]


def report(results: list[dict], seed: int) -> None:
    at = dt.datetime.now().isoformat(timespec="seconds")
    out = HERE / "results"
    (out / "scale.json").write_text(
        json.dumps({"at": at, "seed": seed, "cores": os.cpu_count(), "results": results}, indent=1, ensure_ascii=False)
    )
    acc = ("pairwise_precision", "pairwise_recall", "pairwise_f1")
    lines = [
        "# The whole pipeline at three sizes, with Splink beside it",
        "",
        f"{at}, `bench/scale.py --seed {seed}`, {os.cpu_count()} cores. Seconds of wall time.",
        "",
        "## The whole run",
        "",
    ]
    lines += _table(
        ["source rows", "persons", "records", *STAGES, "total s", "peak RSS GB", "candidate pairs"],
        [
            [
                f"{r['source_rows']:,}",
                f"{r['ours']['persons']:,}",
                f"{r['ours']['records']:,}",
                *(f"{r['stages'][k]['seconds']:.0f}" for k in STAGES),
                f"{r['seconds']:.0f}",
                f"{r['peak_rss_gb']:.2f}",
                f"{r['candidate_pairs']:,}",
            ]
            for r in results
        ],
    )
    lines += ["", "Peak RSS (GB) of the run's processes together, by stage:", ""]
    lines += _table(
        ["source rows", *STAGES],
        [[f"{r['source_rows']:,}", *(f"{r['stages'][k]['peak_rss_gb']:.2f}" for k in STAGES)] for r in results],
    )
    lines += [
        "",
        "## Identity resolution: ours and Splink's on the same conformed records",
        "",
        "Ours: the matching models (blocking, comparison levels, training patterns, random pairs) plus the "
        "identity step (weights, scores, clustering, alumni ids, review queue). Splink: training (prior, u, m "
        "by EM) plus prediction and clustering (bench/splink_side.py).",
        "",
    ]
    lines += _table(
        [
            "source rows",
            "ours s",
            "ours pairs",
            "ours P",
            "ours R",
            "ours F1",
            "Splink train s",
            "Splink predict s",
            "Splink s",
            "Splink peak GB",
            "Splink pairs",
            "Splink P",
            "Splink R",
            "Splink F1",
        ],
        [
            [
                f"{r['source_rows']:,}",
                f"{r['identity_seconds']:.0f}",
                f"{r['candidate_pairs']:,}",
                *(f"{r['ours'][k]:.4f}" for k in acc),
                f"{r['splink']['training_seconds']:.0f}",
                f"{r['splink']['prediction_seconds']:.0f}",
                f"{r['splink']['training_seconds'] + r['splink']['prediction_seconds']:.0f}",
                f"{r['splink']['peak_rss_gb']:.2f}",
                f"{r['splink']['candidate_pairs']:,}",
                *(f"{r['splink'][k]:.4f}" for k in acc),
            ]
            for r in results
        ],
    )
    lines += ["", "## Scaling", ""]
    for a, b in itertools.pairwise(results):
        factor = b["seconds"] / a["seconds"]
        per_doubling = factor ** (math.log(2) / math.log(b["source_rows"] / a["source_rows"]))
        lines.append(
            f"- {a['source_rows']:,} → {b['source_rows']:,} rows: time × {factor:.2f}, that is × "
            f"{per_doubling:.2f} per doubling (target ≤ {DOUBLING_LIMIT})."
        )
    lines += ["", "![time against size](scale.png)"]
    (out / "scale.md").write_text("\n".join(lines) + "\n")
    plot(results, out / "scale.png")
    print("\n".join(lines))


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r["source_rows"] for r in results]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(rows, [r["seconds"] for r in results], "o-", label="whole pipeline (ours)")
    ax.plot(rows, [r["identity_seconds"] for r in results], "s-", label="identity resolution (ours)")
    ax.plot(
        rows,
        [r["splink"]["training_seconds"] + r["splink"]["prediction_seconds"] for r in results],
        "^-",
        label="Splink training + prediction",
    )
    ax.plot(rows, [600 * r / 1e6 for r in rows], ":", color="grey", label="linear, 10 min at 1M rows")
    ax.set(xscale="log", yscale="log", xlabel="source rows", ylabel="wall seconds", title="Time against size (2 cores)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--profile", type=int, metavar="ROWS", help="only profile one size, under py-spy")
    args = parser.parse_args()
    (HERE / "results").mkdir(exist_ok=True)
    if args.profile:
        profile(args.profile, args.seed)
    else:
        report([run_size(n, args.seed) for n in sorted(args.rows)], args.seed)


if __name__ == "__main__":
    main()
