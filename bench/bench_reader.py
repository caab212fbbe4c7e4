"""Reading a 200,000-row workbook: openpyxl against calamine, and our whole reader on top of calamine.

    .venv/bin/python bench/bench_reader.py [--rows 200000]

Each reader runs in its own process so peak RSS is its own. Results go to bench/results/reader.{md,json}.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
HEADERS = [
    "序号",
    "学号",
    "学生姓名",
    "性别",
    "出生年月",
    "身份证号码",
    "民族",
    "籍贯",
    "学历",
    "入学年份",
    "毕业时间",
    "所在院系",
    "专业",
    "班级",
    "手机",
    "电子邮箱",
]


def make_workbook(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    rnd = random.Random(1909)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("毕业生")
    sheet.append(["兰州大学历届毕业生名单（基准测试）"])
    sheet.append([])
    sheet.append(HEADERS)
    for i in range(rows):
        year = rnd.randint(1950, 2024)
        sheet.append(
            [
                i + 1,
                f"{year}{i:07d}",
                rnd.choice("王李张刘陈杨赵黄周吴") + rnd.choice("伟芳娜敏静丽强磊军洋"),
                rnd.choice("男女"),
                dt.date(year - 22, rnd.randint(1, 12), rnd.randint(1, 28)),
                f"62010{rnd.randint(0, 9)}{year - 22}"
                f"{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}{rnd.randint(100, 999)}X",
                "汉族",
                "甘肃兰州",
                "本科",
                year - 4,
                f"{year}.7",
                "文学院",
                "汉语言文学",
                f"{year}级1班",
                13800000000 + i,
                f"a{i}@lzu.edu.cn",
            ]
        )
    book.save(path)


def run_reader(kind: str, path: Path) -> dict:
    start = time.perf_counter()
    if kind == "openpyxl":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        n = sum(1 for sheet in book for _ in sheet.iter_rows(values_only=True))
    elif kind == "calamine":
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        n = sum(len(book.get_sheet_by_name(s).to_python(skip_empty_area=False)) for s in book.sheet_names)
    else:
        from alumni_pipeline.ingest.readers import read_bytes

        n = read_bytes(path.read_bytes(), path.name).row_count
    seconds = time.perf_counter() - start
    return {
        "reader": kind,
        "rows": n,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_reader(args.child[0], Path(args.child[1]))))
        return
    work = HERE / "work"
    work.mkdir(exist_ok=True)
    path = work / f"reader_{args.rows}.xlsx"
    if not path.exists():
        make_workbook(path, args.rows)
    results = []
    for kind in ("openpyxl", "calamine", "alumni_pipeline.ingest.readers (calamine + header, rows, findings)"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", kind.split()[0], str(path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results.append({**json.loads(out), "reader": kind})
    meta = {
        "rows": args.rows,
        "file_mb": round(path.stat().st_size / 2**20, 1),
        "machine": "2 cores, 24 GB",
        "at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "reader.json").write_text(json.dumps({**meta, "results": results}, indent=2))
    lines = [
        f"# Reading a {args.rows:,}-row workbook ({meta['file_mb']} MB, {meta['machine']}, {meta['at']})",
        "",
        "| reader | rows | seconds | peak RSS (MB) |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {r['reader']} | {r['rows']:,} | {r['seconds']} | {r['peak_rss_mb']} |" for r in results]
    (HERE / "results" / "reader.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
