"""The office's own lists, published once the quality gate has passed, in Chinese, for the office only
(`office/`, beside and apart from the units' folders):

- `office/chapters/<province>_地方校友名单.xlsx`: the alumni placed in a province (marts.alumni_places),
  city by city, with their contact fields and where the place comes from; the chapters of the
  province and their councils on the 说明 sheet. For founding and running regional chapters.
- `office/reunions/<year>/<unit_code>_<year>年秩年返校班级.xlsx`: a unit's classes reaching 10 to 60
  years since graduation in the reunion year (marts.reunion_classes), with liaisons and counts, and
  the classes' members with their contact fields: only that unit's alumni.

Each set is written into a hidden folder that replaces the live one at the end (as the units'
workbooks are); a workbook that fails keeps its previous version and stops no other. Every value
leaves through `cell_safety.safe_row`; no ID number is in either list.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import duckdb

from ..config import CHAPTER_WORKBOOK, REUNION_WORKBOOK, Published
from ..progress import progress
from ..staff_sheets import ASK, PRECISION_ZH
from .unit_workbooks import (
    CONTACT_HEADERS,
    Sheet,
    carry_over,
    read_manifest,
    recover_folder,
    replace_folder,
    write_book,
    write_manifest,
    writer_fingerprint,
)

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"  # in a set's live folder: each workbook's content digest, rows and the run that wrote it

BASIS_ZH = {"address": "通讯地址", "employer": "工作单位", "postcode": "邮政编码"}
_YES_NO = "case {} when true then '是' when false then '否' end"
_PRECISION = "case {} " + " ".join(f"when '{code}' then '{zh}'" for code, zh in PRECISION_ZH.items()) + " end"
_BASIS = "case {} " + " ".join(f"when '{code}' then '{zh}'" for code, zh in BASIS_ZH.items()) + " end"
_GENDER = "case {} when 'M' then '男' when 'F' then '女' end"

CHAPTER_COLUMNS = {  # column of the query below -> the header the office reads
    "city": "所在城市",
    "alumni_id": "校友编号",
    "name": "姓名",
    "gender": "性别",
    "programmes": "学习经历",
    **CONTACT_HEADERS,
    "place_basis": "所在地依据",
    "place_as_of": "依据日期",
    "place_as_of_precision": "依据日期精度",
    "reachable": "可联系",
    "updated_in_cycle": "本轮已更新",
}
_CHAPTER_ROWS = f"""
    with programmes as (
        select e.alumni_id,
               string_agg(concat_ws(' ', u.unit_name_zh, e.major, e.grad_year::varchar || '届'), '；'
                          order by e.grad_year, e.unit_code) as programmes
        from marts.alumni_education as e
        left join reference.units as u using (unit_code)
        group by e.alumni_id
    )
    select p.province, p.city, a.alumni_id, a.name, {_GENDER.format("a.gender")} as gender, g.programmes,
           a.employer, a.position, a.mobile, a.email, a.address, a.postcode,
           {_BASIS.format("p.place_basis")} as place_basis, p.place_as_of,
           {_PRECISION.format("p.place_as_of_precision")} as place_as_of_precision,
           {_YES_NO.format("r.reachable")} as reachable, {_YES_NO.format("r.updated_in_cycle")} as updated_in_cycle
    from marts.alumni_places as p
    inner join marts.alumni as a using (alumni_id)
    inner join marts.alumni_reach as r using (alumni_id)
    left join programmes as g using (alumni_id)
    where p.province is not null
"""
_CHAPTER_QUERY = f"""
    select * exclude (province) from ({_CHAPTER_ROWS}) where province = ?
    order by city nulls last, name, alumni_id
"""
_CHAPTERS = """
    select province, chapter_name, coalesce(city, '全省'), strftime(council_elected_on, '%Y-%m-%d'),
           strftime(council_term_ends, '%Y-%m-%d'), council_renewal_due
    from marts.chapter_councils
"""
# each province's workbook as content: its rows and chapters, in an order that does not depend on the build
_CHAPTER_DIGESTS = f"""
    with rows as (
        select province, md5(string_agg(md5(to_json(c)), '' order by md5(to_json(c)))) as rows_md5, count(*) as n
        from ({_CHAPTER_ROWS}) as c group by province
    ),
    chapters as (
        select province, md5(string_agg(md5(to_json(c)), '' order by md5(to_json(c)))) as chapters_md5
        from ({_CHAPTERS}) as c group by province
    )
    select province, md5(concat_ws('|', ?, n, rows_md5, chapters_md5)) as digest
    from rows left join chapters using (province)
    order by province
"""

REUNION_CLASS_COLUMNS = {
    "years_since": "返校周年",
    "major": "专业",
    "grad_year": "毕业年份",
    "alumni": "班级人数",
    "liaison_names": "班级联络人",
    "reachable": "可联系人数",
    "on_wall": "校友墙上人数",
}
_REUNION_CLASS_QUERY = f"""
    select {", ".join(REUNION_CLASS_COLUMNS)} from marts.reunion_classes
    where unit_code = ?
    order by years_since desc, major, grad_year
"""
REUNION_MEMBER_COLUMNS = {
    "years_since": "返校周年",
    "major": "专业",
    "grad_year": "毕业年份",
    "alumni_id": "校友编号",
    "name": "姓名",
    "gender": "性别",
    "mobile": "手机",
    "email": "电子邮箱",
    "employer": "现工作单位",
    "position": "职务",
    "province": "所在省份",
    "city": "所在城市",
    "on_wall": "在校友墙上",
}
_REUNION_MEMBER_QUERY = f"""
    select c.years_since, c.major, c.grad_year, a.alumni_id, a.name, {_GENDER.format("a.gender")} as gender,
           a.mobile, a.email, a.employer, a.position, p.province, p.city,
           {_YES_NO.format("o.alumni_id is null")} as on_wall
    from marts.reunion_classes as c
    inner join marts.class_members as m using (unit_code, major_key, grad_year)
    inner join marts.alumni as a using (alumni_id)
    left join marts.alumni_places as p using (alumni_id)
    left join (select distinct alumni_id from marts.wall_opt_outs) as o using (alumni_id)
    where c.unit_code = ?
    order by c.years_since desc, c.major, c.grad_year, a.name, a.alumni_id
"""
_BATCH_ROWS = 10_000


@dataclass
class OfficeWorkbooks:
    """What a run published: rows per workbook written, and the workbooks that failed (kept as they were)."""

    written: dict[str, int] = dataclass_field(default_factory=dict)
    failed: dict[str, str] = dataclass_field(default_factory=dict)
    reunion_year: int | None = None
    carried_over: dict[str, int] = dataclass_field(default_factory=dict)


def write_chapter_workbooks(con: duckdb.DuckDBPyConnection, publish: Path, run_id: str) -> OfficeWorkbooks:
    """`office/chapters/<province>_地方校友名单.xlsx` for each province with placed alumni, the set
    replacing the live folder whole; a province whose content digest is the published one
    (`office/chapters/manifest.json`) has its workbook carried over, not rewritten."""
    writer = writer_fingerprint() + hashlib.md5(Path(__file__).read_bytes()).hexdigest()
    provinces = con.execute(_CHAPTER_DIGESTS, [writer]).fetchall()
    books = {
        CHAPTER_WORKBOOK.format(province=p): (digest, lambda path, p=p: _chapter_book(con, p, path))
        for p, digest in provinces
    }
    return _write_set(Published(publish).chapters, run_id, books)


def write_reunion_workbooks(con: duckdb.DuckDBPyConnection, publish: Path, run_id: str) -> OfficeWorkbooks:
    """`office/reunions/<year>/<unit_code>_<year>年秩年返校班级.xlsx` for each unit with reunion classes
    in the reunion year, the set replacing the live folder whole."""
    years = con.execute("select distinct reunion_year from marts.reunion_classes").fetchall()
    year = years[0][0] if years else None
    units = con.execute(_REUNION_UNITS).fetchall()
    books = {
        f"{year}/{REUNION_WORKBOOK.format(unit=u, year=year)}": (
            None,
            lambda path, u=u, n=n: _reunion_book(con, u, n, year, path),
        )
        for u, n in units
    }
    result = _write_set(Published(publish).reunions, run_id, books)
    result.reunion_year = year
    return result


_PROVINCES = "select distinct province from marts.alumni_places where province is not null order by province"
_REUNION_UNITS = """
    select r.unit_code, min(r.unit_name) from marts.reunion_classes as r
    where r.unit_code is not null group by r.unit_code order by r.unit_code
"""


def _write_set(live: Path, run_id: str, books: dict[str, tuple[str | None, Callable[[Path], int]]]) -> OfficeWorkbooks:
    """Each workbook `books` names (its path under `live` -> its content digest, or None, and its writer,
    given where to write it and returning the rows it wrote) into a hidden folder that then replaces
    `live`. A workbook whose digest is the one in the live folder's manifest is carried over as it is."""
    result = OfficeWorkbooks()
    recover_folder(live)
    previous = read_manifest(live / MANIFEST, "workbooks")
    incoming = live.with_name(f".{live.name}-incoming-{run_id[:8]}")
    shutil.rmtree(incoming, ignore_errors=True)
    incoming.mkdir(parents=True)
    manifest = {}
    for name, (digest, book) in progress(books.items(), f"writing {live.name} workbooks", "workbooks"):
        before = previous.get(name, {})
        try:
            if digest and before.get("digest") == digest and (live / name).is_file():
                carry_over(live / name, incoming / name)
                result.carried_over[name] = before.get("rows", 0)
                manifest[name] = before
                continue
            result.written[name] = book(incoming / name)
            if digest:
                manifest[name] = {"digest": digest, "rows": result.written[name], "run_id": run_id}
        except Exception as exc:
            log.exception("%s: the workbook could not be written; the previous one stays", name)
            result.failed[name] = f"{type(exc).__name__}: {exc}"[:300]
            if (live / name).is_file():
                carry_over(live / name, incoming / name)
                if before:
                    manifest[name] = before
    if any(digest for digest, _ in books.values()):
        write_manifest(incoming / MANIFEST, manifest, run_id, "workbooks")
    replace_folder(incoming, live)
    return result


def _batches(con: duckdb.DuckDBPyConnection, query: str, params: list) -> Iterator[tuple]:
    cursor = con.cursor().execute(query, params)
    while batch := cursor.fetchmany(_BATCH_ROWS):
        yield from batch


def _chapter_book(con: duckdb.DuckDBPyConnection, province: str, path: Path) -> int:
    chapters = con.execute(
        f"select * exclude (province) from ({_CHAPTERS}) where province = ? order by chapter_name", [province]
    ).fetchall()
    rows = _batches(con, _CHAPTER_QUERY, [province])
    sheet = Sheet("校友名单", CHAPTER_COLUMNS, rows, {"programmes": 36, "place_basis": 12})
    return write_book(path, [sheet], lambda n: _chapter_notes(province, n[0], chapters))[0]


def _chapter_notes(province: str, rows: int, chapters: list[tuple]) -> list[tuple[str, str]]:
    lines = [
        ("地区", province),
        ("校友人数", str(rows)),
        (
            "本表内容",
            "本表列出根据通讯地址、工作单位或邮政编码判断现在位于本省的校友，按城市排列，供校友总会办公室筹建、"
            "联络地方校友会使用。“所在地依据”说明判断所根据的信息，“依据日期”是该信息的日期；"
            "地址不能确定到省的校友不列入任何地区。只能确定到省的校友“所在城市”为空。",
        ),
        ("联系状态", "“可联系”指有有效手机或电子邮箱；“本轮已更新”指本收集周期内有单位更新或校友本人填表。"),
    ]
    for name, city, elected, term_ends, due in chapters:
        status = "，需计划换届" if due else ""
        lines.append(("已有校友会", f"{name}（{city}）：本届理事会 {elected} 产生，任期至 {term_ends}{status}。"))
    if not chapters:
        lines.append(("已有校友会", "本省尚无登记的地方校友会。"))
    lines += [
        ("保密", "本表含校友个人联系方式，仅供校友总会办公室使用，不得外传，不得转给校友会以外的人员。"),
        ("联系", ASK),
    ]
    return lines


def _reunion_book(con: duckdb.DuckDBPyConnection, unit: str, unit_name: str | None, year: int, path: Path) -> int:
    classes = Sheet("返校班级", REUNION_CLASS_COLUMNS, _batches(con, _REUNION_CLASS_QUERY, [unit]))
    members = Sheet("班级校友", REUNION_MEMBER_COLUMNS, _batches(con, _REUNION_MEMBER_QUERY, [unit]))
    return write_book(path, [classes, members], lambda n: _reunion_notes(unit, unit_name, year, n))[0]


def _reunion_notes(unit: str, unit_name: str | None, year: int, written: list[int]) -> list[tuple[str, str]]:
    return [
        ("单位", f"{unit_name or unit}（{unit}）"),
        ("返校年份", f"{year}年"),
        ("班级数", str(written[0])),
        ("校友人数", str(written[1])),
        (
            "本表内容",
            f"{year}年毕业满10、20、30、40、50、60周年的班级（班级按专业和毕业年份划分），供接待秩年返校、"
            "提前与班级联络人沟通使用。“班级联络人”来自各单位报送的班级联络人名册，为空的班级请尽快确定联络人。",
        ),
        (
            "人数",
            "“可联系人数”指有有效手机或电子邮箱的校友；“校友墙上人数”不含申请不在校友墙上显示的校友。",
        ),
        ("保密", "本表含校友个人信息，仅供本单位校友工作使用，请妥善保管，不得外传。"),
        ("联系", ASK),
    ]
