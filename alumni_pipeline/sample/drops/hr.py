"""The human-resources files: staff of the university and its three hospitals with their periods of
service, from the personnel office and each hospital, with ID columns stored as numbers or as
"6.20102E+17" text; a password-protected list of senior staff and a truncated workbook beside them.
"""

from __future__ import annotations

from ..files import _encrypted, _xlsx_bytes
from ..person import _Job, _Person
from ..reference import _TODAY
from ..vocabulary import _DEGREE_WORDS, _HOSPITAL_OF
from . import _Drops


def _alma(d: _Drops, p: _Person) -> tuple[str, str, str]:
    if not p.studies:
        return p.alma or ("", "", "")
    s = p.studies[-1]
    return _DEGREE_WORDS[s.level], ("兰州大学" if d.rng.random() < 0.5 else "") + s.dept, s.major


def _hr_record(d: _Drops, p: _Person, job: _Job) -> dict:
    rng = d.rng
    degree, school, major = _alma(d, p)
    unit = d.ref.zh(job.unit)
    employer = {"current": "兰州大学", "retired": "兰州大学（已退休）"}.get(job.status, p.employer)
    return {
        "staff_number": job.number,
        "name": d.typed_name(p),
        "gender": p.gender,
        "birth_date": d.recorded_birth(p),
        "id_number": d.recorded_id(p, (job.end or _TODAY).year, 0.97),
        "native_place": p.native,
        "education_level": degree,
        "department": school,
        "major": major,
        "title": job.title,
        "role": job.role,
        "work_unit": (
            "兰州大学" + unit if job.unit in _HOSPITAL_OF.values() and rng.random() < 0.3 else d.typed_dept(unit)
        ),
        "work_start": job.start,
        "work_end": job.end,
        "employer": employer,
        "position": p.position,
        "mobile": p.landline if p.landline and rng.random() < 0.5 else p.mobile,
        "email": p.work_email if rng.random() < 0.6 else p.email,
        "address": p.address,
        "postcode": p.postcode,
        "note": {"retired": "退休", "left": "调离"}.get(job.status) if rng.random() < 0.5 else None,
    }


def _write_hr(d: _Drops, people: list[_Person]) -> None:
    jobs = sorted(((p, j) for p in people for j in p.jobs), key=lambda pj: (pj[1].unit, pj[1].start, pj[0].pid))

    def records(unit=None, status=None):
        return [
            (p.pid, _hr_record(d, p, j), j.unit)
            for p, j in jobs
            if (j.unit == unit if unit else j.unit not in _HOSPITAL_OF.values()) and status in (None, j.status)
        ]

    d.workbook(
        "hr/人事处_教职工名册.xlsx",
        "hr",
        [
            (name, f"兰州大学{name}名册（截至2025年3月）", records(status=status))
            for name, status in (("在职教职工", "current"), ("离退休人员", "retired"))
        ],
    )
    d.csv("hr/人事处_调出及离职人员.csv", "hr", records(status="left"), "utf-8-sig")
    d.workbook(
        "hr/第一医院_职工花名册.xlsx", "hr", [("职工花名册", "兰州大学第一医院职工花名册", records("H1"))], ids="number"
    )
    d.csv("hr/第二医院_职工名册.csv", "hr", records("H2"), "gb18030")
    d.workbook("hr/口腔医院_人事科名单.xlsx", "hr", [("Sheet1", "", records("HS"))], ids="sci")
    senior = [pj for pj in jobs if pj[1].status == "current" and pj[1].title in ("教授", "研究员", "主任医师")] or jobs
    table = d.plain_table("hr", "xlsx", "高层次人才", [(p.pid, _hr_record(d, p, j), None) for p, j in senior[:5]])
    d.file(
        "hr/人事处_高层次人才名单.xlsx",
        "hr",
        _encrypted(_xlsx_bytes([table]), "rsc2024"),
        [table],
        reason="FILE_ENCRYPTED",
    )
    newcomers = [pj for pj in jobs if pj[1].unit == "H2"] or jobs
    table = d.plain_table("hr", "xlsx", "Sheet1", [(p.pid, _hr_record(d, p, j), None) for p, j in newcomers[-8:]])
    data = _xlsx_bytes([table])
    d.file("hr/第二医院_2019年新进人员.xlsx", "hr", data[: len(data) * 3 // 5], [table], reason="FILE_CORRUPT")
