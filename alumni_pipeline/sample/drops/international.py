"""The International Office's files: guest and honorary professors, visiting scholars, foreign teachers
and students with Latin names and passports, and Chinese alumni under pinyin names; a workbook with
English headers and host schools, and an HTML page saved as .xls.
"""

from __future__ import annotations

from ..files import _html_bytes
from ..person import _Person, _Visit
from ..vocabulary import _COUNTRIES, _VISIT_ROLES, _VISIT_TITLES
from . import _Drops


def _visit_record(d: _Drops, p: _Person, v: _Visit, english: bool) -> dict:
    rng = d.rng
    country = next((c for c in _COUNTRIES if c[0] == v.nationality), None)
    nationality = ("China" if english else "中国") if country is None else country[1] if english else country[0]
    return {
        "name": v.name,
        "name_en": f"{p.surname.upper()}, {p.given}" if p.latin and rng.random() < 0.5 else None,
        "gender": p.gender,
        "birth_date": d.recorded_birth(p) if rng.random() < 0.8 else None,
        "nationality": nationality,
        "passport_number": v.passport,
        "role": _VISIT_ROLES[v.role] if english else v.role,
        "department": d.ref.en(v.unit) if english or rng.random() < 0.2 else d.ref.zh(v.unit),
        "title": _VISIT_TITLES.get(v.title, "") if english else v.title,
        "employer": v.home,
        "work_start": v.start,
        "work_end": v.end,
        "email": p.email,
        "mobile": p.mobile if p.mobile and rng.random() < 0.5 else None,
        "note": None,
    }


def _write_international(d: _Drops, people: list[_Person]) -> None:
    visits = sorted(((p, v) for p in people for v in p.visits), key=lambda pv: (pv[1].start, pv[0].pid))

    def records(roles, first=1900, last=2100, english=False):
        return [
            (p.pid, _visit_record(d, p, v, english), v.role)
            for p, v in visits
            if v.role in roles and first <= v.start.year <= last
        ]

    d.workbook(
        "international/客座教授名誉教授及访问学者名单.xlsx",
        "international",
        [
            (name, f"兰州大学{name}名单", rows)
            for name, rows in (
                ("客座教授", records(("客座教授",))),
                ("名誉教授", records(("名誉教授",))),
                ("访问学者（2000年以前）", records(("访问学者",), last=1999)),
            )
        ],
    )
    d.workbook(
        "international/Visiting Scholars 2000-2025.xlsx",
        "international",
        [
            (
                "Visiting Scholars",
                "Lanzhou University Visiting Scholars 2000-2025",
                records(("访问学者",), first=2000, english=True),
            )
        ],
        lang="en",
    )
    d.csv("international/外籍教师及留学生名单.csv", "international", records(("外籍教师", "留学生")))
    experts = [(p.pid, _visit_record(d, p, v, False), v.role) for p, v in visits if p.latin][:6]
    table = d.plain_table("international", "csv", "", experts)
    d.file(
        "international/2012年外国专家来访登记.xls",
        "international",
        _html_bytes(table),
        [table],
        reason="FILE_HTML_AS_XLS",
    )
