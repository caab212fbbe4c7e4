"""Reading a 200,000-row workbook: openpyxl against calamine, and our whole reader on top of calamine, as
.xlsx and as .ods (the same rows); and a small .xlsb saved by Excel, read many times over.

    .venv/bin/python bench/bench_reader.py [--rows 200000] [--repeat 2000]

Each reader runs in its own process so peak RSS is its own. Results go to bench/results/reader.{md,json}.

How the files are made: the .xlsx by openpyxl (write-only); the .ods by `write_ods` below, which streams
the same rows into content.xml typed as LibreOffice types them (odfpy, which the tests use, builds the
whole document in memory: about 20 s and 400 MB per 10,000 rows here, so hours and gigabytes at this
size). No Python library writes .xlsb, so its figures come from tests/fixtures/calamine_base.xlsb (a
2-row workbook saved by Excel, from python-calamine's tests) read `--repeat` times in one process, beside
an .xlsx of the same cells written by openpyxl read as often: they measure what opening a small file
costs, not the throughput on a large one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).parent
XLSB = HERE.parent / "tests" / "fixtures" / "calamine_base.xlsb"
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


def bench_rows(rows: int):
    """A title row, a blank row, the header and `rows` graduates: the same for every format."""
    rnd = random.Random(1909)
    yield ["兰州大学历届毕业生名单（基准测试）"]
    yield []
    yield HEADERS
    for i in range(rows):
        year = rnd.randint(1950, 2024)
        yield [
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


def make_workbook(path: Path, rows) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("毕业生")
    for row in rows:
        sheet.append(row)
    book.save(path)


_ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_ODS_MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)
_ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="{name}">'
)
_ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _ods_cell(value) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
        )
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def write_ods(path: Path, rows, sheet: str = "毕业生") -> None:
    """A one-sheet .ods, streamed: the mimetype entry first and stored, a manifest, content.xml."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        with z.open("content.xml", "w", force_zip64=True) as content:
            content.write(_ODS_HEAD.format(name=escape(sheet)).encode())
            for row in rows:
                cells = "".join(_ods_cell(v) for v in row) or "<table:table-cell/>"
                content.write(f"<table:table-row>{cells}</table:table-row>".encode())
            content.write(_ODS_TAIL.encode())


def small_xlsx_like_xlsb(path: Path) -> None:
    """The cells of the .xlsb fixture, sheet by sheet, written by openpyxl."""
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    source = CalamineWorkbook.from_path(str(XLSB))
    book = Workbook()
    book.remove(book.active)
    for name in source.sheet_names:
        sheet = book.create_sheet(name)
        for row in source.get_sheet_by_name(name).to_python(skip_empty_area=False):
            sheet.append([None if v == "" else v for v in row])
    book.save(path)


def run_reader(kind: str, path: Path, repeat: int = 1) -> dict:
    start = time.perf_counter()
    n, refused = 0, None
    for _ in range(repeat):
        if kind == "openpyxl":
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True, data_only=True)
            n += sum(1 for sheet in book for _ in sheet.iter_rows(values_only=True))
        elif kind == "calamine":
            from python_calamine import CalamineWorkbook

            book = CalamineWorkbook.from_path(str(path))
            n += sum(len(book.get_sheet_by_name(s).to_python(skip_empty_area=False)) for s in book.sheet_names)
        else:
            from alumni_pipeline.ingest import readers

            if kind.startswith("unlimited"):  # the speed past the expansion limit, for a file the limit refuses
                readers.MAX_WORKBOOK_BYTES = 2**31
            result = readers.read_bytes(path.read_bytes(), path.name)
            refused = result.refused_file.code if result.refused_file else None
            n += result.row_count
    seconds = time.perf_counter() - start
    return {
        "reader": kind,
        "rows": n,
        "seconds": round(seconds, 2),
        "rows_per_second": round(n / seconds) if n else None,
        "ms_per_file": round(1000 * seconds / repeat, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "refused": refused,
    }


OURS = "alumni_pipeline.ingest.readers (calamine + header, rows, findings)"
UNLIMITED = "unlimited (our reader, MAX_WORKBOOK_BYTES raised to 2 GiB in its process)"


def expanded(path: Path) -> int:
    """What a workbook's zip entries declare expanded: what MAX_WORKBOOK_BYTES is compared with."""
    return sum(e.file_size for e in zipfile.ZipFile(path).infolist())


def _per_second(r: dict) -> str:
    return f"{r['rows_per_second']:,}" if r["rows_per_second"] else "—"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_reader(args.child[0], Path(args.child[1]), int(args.child[2]))))
        return
    work = HERE / "work"
    work.mkdir(exist_ok=True)
    xlsx, ods, small = (
        work / f"reader_{args.rows}.xlsx",
        work / f"reader_{args.rows}.ods",
        work / "small_like_xlsb.xlsx",
    )
    if not xlsx.exists():
        make_workbook(xlsx, bench_rows(args.rows))
    if not ods.exists():
        write_ods(ods, bench_rows(args.rows))
    if not small.exists():
        small_xlsx_like_xlsb(small)
    runs = [
        ("openpyxl", xlsx, 1),
        ("calamine", xlsx, 1),
        (OURS, xlsx, 1),
        ("calamine", ods, 1),
        (OURS, ods, 1),
        (UNLIMITED, ods, 1),
        ("calamine", small, args.repeat),
        ("calamine", XLSB, args.repeat),
        (OURS, small, args.repeat),
        (OURS, XLSB, args.repeat),
    ]
    results = []
    for kind, path, repeat in runs:
        out = subprocess.run(
            [sys.executable, __file__, "--child", kind.split()[0], str(path), str(repeat)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        file = path.name if path.parent == work else str(path.relative_to(HERE.parent))
        results.append(
            {**json.loads(out), "reader": kind, "format": path.suffix[1:], "file": file, "times_read": repeat}
        )
    meta = {
        "rows": args.rows,
        "file_mb": {p.suffix[1:]: round(p.stat().st_size / 2**20, 1) for p in (xlsx, ods)},
        "expanded_mb": {p.suffix[1:]: round(expanded(p) / 2**20, 1) for p in (xlsx, ods)},
        "machine": "2 cores (shared), 24 GB",
        "load_average_at_start": [round(x, 1) for x in os.getloadavg()],
        "at": dt.datetime.now().isoformat(timespec="seconds"),
        "method": "each reader in its own process; the large files read once, the small ones `times_read` times "
        "in a row (their rows summed); rows per second = rows / seconds; the .ods written by write_ods "
        "(streamed content.xml, typed cells as LibreOffice writes them), not by LibreOffice",
    }
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "reader.json").write_text(json.dumps({**meta, "results": results}, indent=2))
    big = [r for r in results if r["times_read"] == 1]
    tiny = [r for r in results if r["times_read"] > 1]
    lines = [
        f"# Reading a {args.rows:,}-row workbook as .xlsx ({meta['file_mb']['xlsx']} MB) and as .ods "
        f"({meta['file_mb']['ods']} MB); a small .xlsb",
        "",
        f"{meta['machine']}, {meta['at']}, load average {meta['load_average_at_start'][0]} at the start (other",
        "work shares the cores: seconds vary by 2-3x between runs, their ratios less). Made by",
        "`bench/bench_reader.py`: each reader in its own process, so peak RSS is its own; rows per second =",
        "rows read / wall-clock seconds. Our reader is",
        "`read_bytes` in `alumni_pipeline/ingest/readers.py` (sniffing, the zip checks, calamine, the header",
        "search, every row sorted into loaded, skipped or refused); it counts loaded rows, calamine every row.",
        "",
        "| reader | format | rows | seconds | rows/s | peak RSS (MB) | refused |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    lines += [
        f"| {r['reader']} | .{r['format']} | {r['rows']:,} | {r['seconds']} | {_per_second(r)} "
        f"| {r['peak_rss_mb']} | {r['refused'] or ''} |"
        for r in big
    ]
    lines += [
        "",
        "The .ods holds the same rows as the .xlsx. It is written by `write_ods` in the bench (content.xml",
        "streamed, each cell typed as LibreOffice types it), not by LibreOffice, which this machine lacks;",
        "odfpy would need hours and gigabytes for this size.",
        "",
        f"Expanded, the .xlsx's zip entries declare {meta['expanded_mb']['xlsx']} MiB, the .ods's "
        f"{meta['expanded_mb']['ods']} MiB (ODF's XML is the wordier):",
        "a workbook declaring more than MAX_WORKBOOK_BYTES (256 MiB) is refused as FILE_TOO_LARGE before it is",
        "expanded, whatever its format; the `unlimited` row raises the limit in its own process to time the",
        "reading itself.",
        "",
        f"## A small workbook read {args.repeat:,} times: .xlsb saved by Excel, and .xlsx of the same cells",
        "",
        "No Python library writes .xlsb, so there is no 200,000-row .xlsb: `tests/fixtures/calamine_base.xlsb`",
        "(python-calamine's test workbook: 4 sheets, 2 rows on one and 4 on another) is read",
        f"{args.repeat:,} times in one process, beside `small_like_xlsb.xlsx` (its cells, written by openpyxl).",
        "These figures are what opening a small file costs, not throughput: the rows per second of a large",
        "file are the table above. Our reader loads no row of it (no 姓名 header: refused as",
        "`FILE_NO_NAME_COLUMN` after reading every sheet), so it has milliseconds per file only.",
        "",
        "| reader | format | times read | rows read | ms per file | rows/s | peak RSS (MB) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['reader']} | .{r['format']} | {r['times_read']:,} | {r['rows']:,} | {r['ms_per_file']} "
        f"| {_per_second(r)} | {r['peak_rss_mb']} |"
        for r in tiny
    ]
    (HERE / "results" / "reader.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
