"""The schools' contact and career updates from their alumni secretaries, without ID numbers: one file
per school, a sheet per collection round, one sheet for all rounds, or a CSV; beside them an empty CSV, a
Word notice and a statistics table without a name column.
"""

from __future__ import annotations

from collections import Counter

from ..files import _docx_bytes, _Table, _xlsx_bytes
from ..person import _Person, _Update
from ..vocabulary import _ROUNDS
from . import _Drops


def _update_record(d: _Drops, p: _Person, u: _Update) -> dict:
    rng, s = d.rng, u.study
    return {
        "name": d.typed_name(p, 0.05),
        "gender": p.gender if rng.random() < 0.7 else None,
        "birth_date": d.recorded_birth(p) if rng.random() < 0.3 else None,
        "education_level": d.level_word(s.level),
        "enrol_date": s.enrol,
        "grad_date": s.grad,
        "department": d.ref.zh(s.unit) if rng.random() < 0.7 else d.typed_dept(s.dept),
        "major": s.major,
        "class_name": s.klass if rng.random() < 0.6 else None,
        "employer": u.employer,
        "position": u.position,
        "mobile": u.mobile,
        "email": u.email,
        "address": p.address if rng.random() < 0.4 else None,
        "postcode": p.postcode if rng.random() < 0.3 else None,
        "channel": u.channel,
        "update_date": u.when,
        "note": "新手机号" if u.mobile != p.mobile and rng.random() < 0.3 else None,
    }


def _write_unit_updates(d: _Drops, people: list[_Person]) -> None:
    """One file per school, as its alumni secretary keeps it: a sheet per collection round, or one CSV."""
    by_unit: dict[str, list[tuple[_Person, _Update]]] = {}
    for p in people:
        for u in p.updates:
            by_unit.setdefault(u.study.unit, []).append((p, u))
    for i, unit in enumerate(d.ref.schools):
        items = sorted(by_unit.get(unit, ()), key=lambda pu: (pu[1].when, pu[0].pid))
        zh = d.ref.zh(unit)
        if i % 4 == 3:
            d.csv(
                f"unit_updates/{zh}_校友信息更新.csv",
                "unit_updates",
                [(p.pid, _update_record(d, p, u), u.when) for p, u in items],
                "gb18030" if i % 8 == 7 else "utf-8-sig",
            )
            continue
        if d.plan.one_sheet():  # every collection round in one sheet
            d.workbook(
                f"unit_updates/{zh}_校友信息更新.xlsx",
                "unit_updates",
                [
                    (
                        "汇总",
                        f"{zh}校友信息更新汇总（2022—2025年）",
                        [(p.pid, _update_record(d, p, u), u.when) for p, u in items],
                    )
                ],
            )
            continue
        d.workbook(
            f"unit_updates/{zh}_校友信息更新.xlsx",
            "unit_updates",
            [
                (
                    f"{r.year}年{r.month}月",
                    f"{zh}校友信息更新汇总（{r.year}年{r.month}月）",
                    [
                        (p.pid, _update_record(d, p, u), u.channel)
                        for p, u in items
                        if (u.when.year, u.when.month) == (r.year, r.month)
                    ],
                )
                for r in _ROUNDS
            ],
        )
    d.file("unit_updates/历史文化学院_返校校友登记.csv", "unit_updates", b"", reason="FILE_EMPTY")
    d.file(
        "unit_updates/管理学院_关于开展校友信息收集工作的通知.docx",
        "unit_updates",
        _docx_bytes(
            [
                "关于开展2024年校友信息收集工作的通知",
                "各班级联络人：",
                "请于9月30日前将本班校友的最新联系方式填入附件表格，发送至学院校友工作邮箱。",
            ]
        ),
        reason="FILE_NOT_SPREADSHEET",
    )
    d.file(
        "unit_updates/管理学院_2024届各专业毕业生人数统计表.xlsx",
        "unit_updates",
        _xlsx_bytes([_graduate_counts(d, people, "MGT", 2024)]),
        reason="FILE_NO_NAME_COLUMN",
    )


def _graduate_counts(d: _Drops, people: list[_Person], unit: str, year: int) -> _Table:
    """The statistics table a secretary makes each graduation season: numbers per major, no names."""
    counts = Counter((s.major, p.gender) for p in people for s in p.studies if s.unit == unit and s.grad.year == year)
    t = _Table(
        "统计表",
        rows=[
            [f"{d.ref.zh(unit)}{year}届毕业生各专业人数统计表", None, None, None, None],
            ["序号", "专业", "毕业生人数", "男", "女"],
        ],
        merges=[(1, 5)],
    )
    for i, major in enumerate(d.ref.majors[unit], start=1):
        male, female = counts[major, "M"], counts[major, "F"]
        t.rows.append([i, major, male + female, male, female])
    t.rows.append(["合计", None, sum(counts.values()), None, None])
    return t
