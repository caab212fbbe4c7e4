"""The robustness matrix: one `alumni sample` drop set rewritten the ways other units write their files
(bench/perturb.py), each cell run through `alumni run` and `alumni evaluate` in a fresh folder.

Every cell must publish (exit 0); the table says, per cell, the exit code, the records scored,
pairwise precision, recall and F1, and the seconds the run took; a blocked run names the gate's
first failure. Results: bench/results/robustness.{md,json}.

    .venv/bin/python bench/robustness.py --small                 # 200 persons, every cell (about an hour)
    .venv/bin/python bench/robustness.py --persons 2000 --seed 3
    .venv/bin/python bench/robustness.py --small --cells original layout_per_era:archives
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))
from bench.perturb import CELLS, applicable, build_cell, load_drop  # noqa: E402

ALUMNI = str(Path(sys.executable).with_name("alumni"))
SMALL_PERSONS = 200
AS_OF = "2025-06-30"  # the sample's "now"


def cell_folder(work: Path, cell: str) -> Path:
    return work / re.sub(r"[^A-Za-z0-9_.-]+", "__", cell)


def _env(folder: Path) -> dict:
    return {
        **os.environ,
        "ALUMNI_DROPS": str(folder / "raw_drops"),
        "ALUMNI_WAREHOUSE": str(folder / "alumni.duckdb"),
        "ALUMNI_PUBLISH": str(folder / "published"),
        "ALUMNI_SETTLE_SECONDS": "0",
        "ALUMNI_AS_OF": AS_OF,
        "GX_ANALYTICS_ENABLED": "false",
    }


def gate_message(stderr: str) -> str:
    """The first line naming what blocked or failed the run, shortened."""
    for line in stderr.splitlines():
        if line.startswith("- [critical]") or line.startswith("FAILED "):
            return line[:400]
    blocked = next((line for line in stderr.splitlines() if line.startswith("BLOCKED BY")), "")
    return blocked or stderr.strip().splitlines()[-1][:400] if stderr.strip() else ""


def run_cell(folder: Path) -> dict:
    """`alumni run` then `alumni evaluate --truth` on the drops in folder/raw_drops."""
    env = _env(folder)
    start = time.perf_counter()
    run = subprocess.run([ALUMNI, "run", "--log-level", "WARNING"], env=env, capture_output=True, text=True)
    seconds = round(time.perf_counter() - start, 1)
    (folder / "run.stderr.txt").write_text(run.stderr[-200_000:])
    result = {
        "exit_code": run.returncode,
        "seconds": seconds,
        "message": "" if run.returncode == 0 else gate_message(run.stderr),
    }
    ev = subprocess.run(
        [ALUMNI, "evaluate", "--truth", str(folder / "raw_drops" / "ground_truth.csv")],
        env=env,
        capture_output=True,
        text=True,
    )
    if ev.returncode == 0:
        result.update(json.loads(ev.stdout))
    else:  # blocked before identity resolution: nothing to score
        result.update({"records": None, "pairwise_precision": None, "pairwise_recall": None, "pairwise_f1": None})
    return result


def done_rows(work: Path) -> list[dict]:
    """The cells already measured in `work` (one JSON line each, written as each finishes)."""
    path = work / "rows.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def measure(cells: list[str], persons: int, seed: int, work: Path, jobs: int = 1, resume: bool = False) -> list[dict]:
    """Run the cells; with `resume`, keep the sample and the cells already measured in `work`."""
    base = work / "sample"
    previous = [r for r in done_rows(work) if r["persons_sampled"] == persons and r["seed"] == seed] if resume else []
    if not previous:
        (work / "rows.jsonl").unlink(missing_ok=True)
        if base.exists():
            shutil.rmtree(base)
        subprocess.run(
            [ALUMNI, "sample", "--out", str(base), "--persons", str(persons), "--seed", str(seed)],
            check=True,
            capture_output=True,
        )
    drop = load_drop(base)
    cells = [c for c in cells if c not in {r["cell"] for r in previous}]

    def one(cell: str) -> dict:
        folder = cell_folder(work, cell)
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        built = build_cell(cell, base, folder / "raw_drops", seed, drop)
        row = {
            "cell": cell,
            "what": CELLS[cell][0],
            "persons_sampled": persons,
            "seed": seed,
            "notes": "; ".join(built.get("notes", [])),
            **run_cell(folder),
        }
        with open(work / "rows.jsonl", "a", encoding="utf-8") as fh:  # kept as the cells finish
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(
            f"{cell}: exit {row['exit_code']}, P {row['pairwise_precision']}, R {row['pairwise_recall']}, "
            f"{row['seconds']} s {row['message'][:160]}",
            flush=True,
        )
        return row

    todo = [c for c in cells if applicable(c, drop)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return previous + list(pool.map(one, todo))


def _fmt(v) -> str:
    if v is None:
        return "–"
    return f"{v:.4f}" if isinstance(v, float) else str(v)


def write_results(results: list[dict], persons: int, seed: int, name: str = "robustness") -> str:
    at = dt.datetime.now().isoformat(timespec="seconds")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / f"{name}.json").write_text(
        json.dumps({"at": at, "persons": persons, "seed": seed, "results": results}, ensure_ascii=False, indent=1)
    )
    published = sum(r["exit_code"] == 0 for r in results)
    lines = [
        f"# Robustness matrix: the sample ({persons} persons, seed {seed}) rewritten as other units write it",
        "",
        f"{at}, 2 cores, `bench/robustness.py`; each cell is `alumni run` in a fresh folder "
        f"(exit 0 = published) and `alumni evaluate --truth` on the rewritten ground truth. "
        f"{published} of {len(results)} cells published.",
        "",
        "| cell | exit code | records | precision | recall | F1 | seconds | what blocked it |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        msg = r["message"].replace("|", "/")[:220]
        lines.append(
            f"| {r['cell']} | {r['exit_code']} | {_fmt(r['records'])} | {_fmt(r['pairwise_precision'])} | "
            f"{_fmt(r['pairwise_recall'])} | {_fmt(r['pairwise_f1'])} | {r['seconds']} | {msg} |"
        )
    lines += ["", "Cells:", ""] + [
        f"- `{r['cell']}`: {r['what']}" + (f" ({r['notes']})" if r["notes"] else "") for r in results
    ]
    text = "\n".join(lines) + "\n"
    (HERE / "results" / f"{name}.md").write_text(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--cells", nargs="+", choices=list(CELLS), metavar="CELL", help="a subset of: " + ", ".join(CELLS)
    )
    parser.add_argument("--small", action="store_true", help=f"the CI size: {SMALL_PERSONS} persons")
    parser.add_argument("--jobs", type=int, default=1, help="cells run at once (each run uses two threads)")
    parser.add_argument("--work", default=str(HERE / "work" / "robustness"))
    parser.add_argument("--name", default="robustness", help="results file name under bench/results")
    parser.add_argument("--resume", action="store_true", help="keep the cells already measured in --work")
    parser.add_argument("--report-only", action="store_true", help="write the results of the cells measured so far")
    args = parser.parse_args()
    persons = SMALL_PERSONS if args.small else args.persons
    if args.report_only:
        results = [r for r in done_rows(Path(args.work)) if r["persons_sampled"] == persons and r["seed"] == args.seed]
        order = list(CELLS)
        results.sort(key=lambda r: order.index(r["cell"]))
    else:
        results = measure(args.cells or list(CELLS), persons, args.seed, Path(args.work), args.jobs, args.resume)
    print(write_results(results, persons, args.seed, args.name))
    if any(r["exit_code"] != 0 for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
