"""Drops written by hand the way other units write them, not by `alumni sample`, with their truth.

`write_other_layouts(root)` writes, under `root/<source>/`:

- continuing_ed: a roster with ID numbers but no birth-date or gender column (the ID numbers hold both);
- archives: one CSV holding the physics department's whole 1950–1999 era, where 周建华 has a
  bachelor's (1980–1984) and a master's (1984–1987) row, and two other people (陈晓燕, 马文) have
  two programmes each;
- hr: a sheet under a two-line title, with other header words (教职工姓名, 性 别, 出生年月日,
  公民身份号码, 所在部门, 来校时间);
- unit_updates: a GBK CSV from an old system, no ID numbers;
- self_reported: one form laid out vertically (field in column A, value in column B), as a Word-like
  form typed into Excel.

and `ground_truth.csv` beside them (source_system, source_file, source_sheet, source_row, person_id).
Every ID number is a valid 18-digit number whose birth date and gender agree with the person.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from alumni_pipeline.conform.idcard import id_check_digit


@dataclass(frozen=True)
class Person:
    pid: str
    name: str
    gender: str  # M/F
    birth: dt.date
    seq: int  # the ID number's sequence digits, odd for men

    @property
    def id_number(self) -> str:
        first17 = f"620102{self.birth:%Y%m%d}{self.seq:03d}"
        return first17 + id_check_digit(first17)


def _p(pid, name, gender, birth, seq):
    return Person(pid, name, gender, dt.date.fromisoformat(birth), seq + (1 if gender == "M" else 0) - seq % 2)


PEOPLE = {
    p.pid: p
    for p in [
        _p("P01", "周建华", "M", "1962-04-17", 11),
        _p("P02", "陈晓燕", "F", "1965-11-03", 22),
        _p("P03", "马文", "M", "1958-02-09", 31),
        _p("P04", "杨丽", "F", "1971-07-21", 42),
        _p("P05", "刘志强", "M", "1969-09-30", 51),
        _p("P06", "何静", "F", "1975-03-14", 62),
        _p("P07", "王海涛", "M", "1977-12-01", 71),
        _p("P08", "赵红梅", "F", "1980-05-26", 82),
        _p("P09", "孙斌", "M", "1983-08-08", 91),
        _p("P10", "郭婷", "F", "1986-01-19", 102),
        _p("P11", "林东", "M", "1979-06-05", 111),
        _p("P12", "马秀兰", "F", "1981-10-12", 122),
        _p("P13", "黄鹏", "M", "1984-02-28", 131),
        _p("P14", "宋佳", "F", "1988-04-04", 142),
        _p("P15", "徐明", "M", "1990-09-09", 151),
        _p("P16", "韩雪", "F", "1992-12-24", 162),
    ]
}
BACHELOR_AND_MASTER = "P01"  # 周建华: two rows of one archives CSV, one person


class _Truth:
    def __init__(self):
        self.rows: list[list] = []

    def add(self, source, file, sheet, row, pid):
        self.rows.append([source, file, sheet, row, pid])


def _zh_gender(g):
    return "男" if g == "M" else "女"


def _archives(root: Path, truth: _Truth) -> None:
    """物理系 1950–1999 in one CSV: every level, every class, one header."""
    rel = "archives/物理系_1950-1999届毕业生.csv"
    header = ["姓名", "性别", "出生日期", "身份证号", "学历", "入学年份", "毕业年份", "院系", "专业"]
    rows = [  # pid, level, enrol, grad, major
        ("P03", "本科", 1976, 1980, "物理学"),
        ("P01", "本科", 1980, 1984, "物理学"),
        ("P02", "本科", 1983, 1987, "物理学"),
        ("P01", "硕士", 1984, 1987, "理论物理"),
        ("P05", "本科", 1987, 1991, "物理学"),
        ("P03", "硕士", 1980, 1983, "凝聚态物理"),
        ("P02", "硕士", 1987, 1990, "光学"),
        ("P04", "本科", 1989, 1993, "物理学"),
        ("P06", "本科", 1993, 1997, "物理学"),
        ("P07", "本科", 1995, 1999, "物理学"),
    ]
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(header)
        for n, (pid, level, enrol, grad, major) in enumerate(rows, start=2):
            p = PEOPLE[pid]
            w.writerow(
                [
                    p.name,
                    _zh_gender(p.gender),
                    f"{p.birth:%Y.%m.%d}",
                    p.id_number if grad >= 1986 else "",
                    level,
                    enrol,
                    grad,
                    "物理系",
                    major,
                ]
            )
            truth.add("archives", rel, "", n, pid)


def _continuing_ed(root: Path, truth: _Truth) -> None:
    """A roster with ID numbers and no birth-date or gender column."""
    rel = "continuing_ed/网络教育2015届毕业生花名册.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "花名册"
    ws.append(["兰州大学网络教育2015届毕业生花名册"])
    ws.append(["学号", "姓名", "身份证号码", "学习形式", "层次", "专业", "入学时间", "毕业时间", "联系电话"])
    for n, (pid, major) in enumerate(
        [
            ("P08", "法学"),
            ("P09", "会计学"),
            ("P10", "工商管理"),
            ("P11", "法学"),
            ("P12", "护理学"),
            ("P13", "会计学"),
        ],
        start=3,
    ):
        p = PEOPLE[pid]
        ws.append(
            [
                f"1320{n:04d}",
                p.name,
                p.id_number,
                "网络教育",
                "专科起点本科",
                major,
                "2013-03",
                "2015-07",
                f"1390931{n:04d}",
            ]
        )
        truth.add("continuing_ed", rel, "花名册", n, pid)
    (root / "continuing_ed").mkdir(parents=True, exist_ok=True)
    book.save(root / rel)


def _hr(root: Path, truth: _Truth) -> None:
    """A sheet under a two-line title, with the header words HR's own system uses."""
    rel = "hr/人事处_在职人员信息.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "在职人员"
    ws.append(["兰州大学在职教职工基本信息表"])
    ws.append(["（人事处 2025年3月导出，仅供校友工作使用）"])
    ws.merge_cells("A1:H1")
    ws.merge_cells("A2:H2")
    ws.append(["职工号", "教职工姓名", "性 别", "出生年月日", "公民身份号码", "所在部门", "来校时间", "职称"])
    for n, (pid, unit, start, title) in enumerate(
        [
            ("P01", "物理科学与技术学院", "1987-07-01", "教授"),
            ("P04", "化学化工学院", "1999-09-01", "副教授"),
            ("P14", "文学院", "2014-07-01", "讲师"),
            ("P15", "物理科学与技术学院", "2018-09-01", "讲师"),
        ],
        start=4,
    ):
        p = PEOPLE[pid]
        ws.append(
            [
                f"1988{n:03d}",
                p.name,
                _zh_gender(p.gender),
                p.birth,
                p.id_number,
                unit,
                dt.date.fromisoformat(start),
                title,
            ]
        )
        truth.add("hr", rel, "在职人员", n, pid)
    (root / "hr").mkdir(parents=True, exist_ok=True)
    book.save(root / rel)


def _unit_updates(root: Path, truth: _Truth) -> None:
    """An old system's GBK export: no ID numbers, its own header words."""
    rel = "unit_updates/物理学院校友信息更新_2024.csv"
    rows = [
        ("P01", "1984届", "物理系", "物理学", "13809310001", "zhoujh@example.cn"),
        ("P02", "1987届", "物理系", "物理学", "13909310002", ""),
        ("P05", "1991届", "物理系", "物理学", "13609310005", "lzq1969@example.cn"),
        ("P06", "1997届", "物理学院", "物理学", "", "hejing@example.cn"),
        ("P16", "2014届", "物理科学与技术学院", "物理学", "18809310016", ""),
    ]
    lines = [["校友姓名", "毕业届别", "所在学院", "专业名称", "联系电话", "邮箱", "填报日期"]]
    for pid, jie, dept, major, mobile, email in rows:
        lines.append([PEOPLE[pid].name, jie, dept, major, mobile, email, "2024-09-15"])
    (root / "unit_updates").mkdir(parents=True, exist_ok=True)
    with open(root / rel, "w", encoding="gbk", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(lines)
    for n, (pid, *_) in enumerate(rows, start=2):
        truth.add("unit_updates", rel, "", n, pid)


def _self_reported(root: Path, truth: _Truth) -> None:
    """One personal information form, field names down column A and values in column B."""
    rel = "self_reported/校友个人信息表_宋佳.xlsx"
    p = PEOPLE["P14"]
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "个人信息表"
    ws.append(["兰州大学校友个人信息表"])
    for key, value in [
        ("姓名", p.name),
        ("性别", "女"),
        ("出生日期", p.birth),
        ("身份证号", p.id_number),
        ("学历", "本科"),
        ("入校时间", "2006-09"),
        ("毕业时间", "2010-07"),
        ("毕业院系", "文学院"),
        ("专业", "汉语言文学"),
        ("手机", "18609310014"),
        ("电子邮箱", "songjia@example.cn"),
    ]:
        ws.append([key, value])
    (root / "self_reported").mkdir(parents=True, exist_ok=True)
    book.save(root / rel)
    truth.add("self_reported", rel, "个人信息表", 2, "P14")  # the form is one record; its first row names it


VERTICAL_FORM = "self_reported/校友个人信息表_宋佳.xlsx"


def write_other_layouts(root: Path, *, vertical_form: bool = True) -> Path:
    """Write the drops and ground_truth.csv under `root`; return the truth file."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    truth = _Truth()
    for write in (_archives, _continuing_ed, _hr, _unit_updates):
        write(root, truth)
    if vertical_form:
        _self_reported(root, truth)
    path = root / "ground_truth.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["source_system", "source_file", "source_sheet", "source_row", "person_id"])
        w.writerows(truth.rows)
    return path
