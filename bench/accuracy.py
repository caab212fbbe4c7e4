"""Identity resolution accuracy at several sizes: for each, `alumni sample`, `alumni run` and
`alumni evaluate` in a fresh folder; results to bench/results/accuracy.{md,json}.

    .venv/bin/python bench/accuracy.py --persons 2000 20000 --seeds 3 11
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
ALUMNI = str(Path(sys.executable).with_name("alumni"))


def measure(persons: int, seed: int) -> dict:
    work = HERE / "work" / f"accuracy_{persons}_{seed}"
    subprocess.run(["rm", "-rf", str(work)], check=True)
    work.mkdir(parents=True)
    env = {**os.environ, "ALUMNI_DROPS": str(work / "raw_drops"), "ALUMNI_WAREHOUSE": str(work / "alumni.duckdb"),
           "ALUMNI_PUBLISH": str(work / "published"), "ALUMNI_SETTLE_SECONDS": "0"}
    subprocess.run([ALUMNI, "sample", "--out", env["ALUMNI_DROPS"], "--persons", str(persons), "--seed", str(seed)],
                   env=env, check=True, capture_output=True)
    start = time.perf_counter()
    run = subprocess.run([ALUMNI, "run"], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if run.returncode not in (0, 3):
        sys.exit(f"alumni run failed at {persons} persons:\n{run.stderr[-3000:]}")
    out = subprocess.run([ALUMNI, "evaluate"], env=env, check=True, capture_output=True, text=True).stdout
    return {"persons_sampled": persons, "seed": seed, "run_seconds": round(seconds, 1), **json.loads(out)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[3])
    args = parser.parse_args()
    results = [measure(n, seed) for seed in args.seeds for n in args.persons]
    at = dt.datetime.now().isoformat(timespec="seconds")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "accuracy.json").write_text(json.dumps({"at": at, "results": results}, indent=2))
    cols = ["seed", "persons_sampled", "records", "persons", "alumni", "pairwise_precision", "pairwise_recall", "pairwise_f1",
            "persons_split", "alumni_merging_persons", "persons_exact", "run_seconds"]
    lines = [f"# Identity resolution against the sample's ground truth ({at}, 2 cores)", "",
             "| " + " | ".join(cols) + " |", "|" + " ---: |" * len(cols)]
    lines += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in results]
    (HERE / "results" / "accuracy.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
