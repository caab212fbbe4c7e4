"""The publishing and gate building blocks without a pipeline run: snapshots that switch LATEST only
when complete, the opt-out list, the record counts against the live snapshot, and how a failed
expectation is told."""

from __future__ import annotations

import hashlib
import json

import duckdb
import pandas as pd
import pytest
from openpyxl import Workbook

from alumni_pipeline.publish import wall as publish
from alumni_pipeline.quality import gx_suites as quality

KEY = b"a test key, not the installation's"


@pytest.fixture
def warehouse(tmp_path):
    """The three tables the wall reads, for three alumni."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("""
        create schema marts; create schema reference;
        create table marts.alumni as select * from (values ('LZU00000001', '张伟', 'M'), ('LZU00000002', '李娜', 'F'),
            ('LZU00000003', '王芳', 'F')) t(alumni_id, name, gender);
        create table marts.alumni_education as select * from (values
            ('LZU00000001', '本科', 2003, 2007, 'LIT', '中文系', '汉语言文学'),
            ('LZU00000001', '硕士', 2007, 2010, 'LIT', '文学院', '中国古代文学'),
            ('LZU00000002', '本科', 1985, 1989, 'PHY', '物理系', '物理学'),
            ('LZU00000003', '博士', 2010, 2014, 'CHE', '化学化工学院', '有机化学'))
            t(alumni_id, education_level, enrol_year, grad_year, unit_code, department_as_recorded, major);
        create table reference.units as select * from (values ('LIT', '文学院'), ('PHY', '物理科学与技术学院'),
            ('CHE', '化学化工学院')) t(unit_code, unit_name_zh);""")
    yield con
    con.close()


def test_each_snapshot_is_complete_before_latest_names_it_and_five_are_kept(warehouse, tmp_path):
    publish_dir = tmp_path / "published"
    made = [
        publish.publish_wall(
            warehouse, publish_dir, f"run{i:05d}-xyz", ["LZU00000002"], {"person_records": {}}, key=KEY
        )
        for i in range(7)
    ]
    wall = publish_dir / "alumni_wall"
    assert (wall / "LATEST").read_text(encoding="utf-8") == made[-1]["snapshot_id"] + "\n"
    assert sorted(p.name for p in wall.iterdir() if p.is_dir()) == [m["snapshot_id"] for m in made[-5:]]
    folder = wall / made[-1]["snapshot_id"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["row_count"] == 3 and manifest["run_id"] == "run00006-xyz" and manifest["schema_version"] == 2
    for name, info in manifest["files"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == info["sha256"]
    rows = duckdb.sql(f"select * from '{folder / 'alumni_wall.parquet'}'").fetchall()
    assert [r[1] for r in rows] == ["王芳", "张伟", "张伟"]  # 李娜 opted out
    assert publish.last_published(publish_dir)["snapshot_id"] == made[-1]["snapshot_id"]


def test_a_snapshot_that_fails_half_way_leaves_latest_alone(warehouse, tmp_path):
    publish_dir = tmp_path / "published"
    first = publish.publish_wall(warehouse, publish_dir, "run-one", [], {}, key=KEY)
    warehouse.execute("drop table reference.units")
    with pytest.raises(duckdb.Error):
        publish.publish_wall(warehouse, publish_dir, "run-two", [], {}, key=KEY)
    wall = publish_dir / "alumni_wall"
    assert (wall / "LATEST").read_text(encoding="utf-8").strip() == first["snapshot_id"]
    assert [p.name for p in wall.iterdir() if p.is_dir() and not p.name.startswith(".")] == [first["snapshot_id"]]


def test_the_opt_out_list_reads_alumni_ids_or_names_with_id_numbers(tmp_path):
    folder = tmp_path / "opt_out"
    folder.mkdir()
    (folder / "退出名单.csv").write_bytes(
        "校友编号,姓名,身份证号\nlzu00000001,,\n,李 娜,11010519491231002x\n".encode("gb18030")
    )
    book = Workbook()
    book.active.append(["姓名", "身份证号码", "备注"])
    book.active.append(["王芳", "110105194912310021", "本人来信"])
    book.save(folder / "2025.xlsx")
    book.save(folder / "_模板_template.xlsx")  # the template is not read
    rows = publish.read_opt_outs(folder).sort_values("file").to_dict("records")
    assert [(r["alumni_id"], r["name"], r["id_number"]) for r in rows] == [
        (None, "王芳", None),  # a wrong check digit identifies nobody
        ("LZU00000001", None, None),
        (None, "李娜", "11010519491231002X"),
    ]


def test_records_per_source_are_compared_with_the_live_snapshot():
    con = duckdb.connect()
    con.execute(
        "create schema intermediate; create table intermediate.int_person_records as "
        "select * from (values ('archives'), ('archives'), ('hr')) t(source_system)"
    )
    suite = quality.load_suite("person_record_counts")
    frame = quality.count_frame(con, suite, {"archives": 4, "hr": 1, "international": 3})
    assert dict(frame[["source_system", "share_of_last_published"]].itertuples(index=False)) == {
        "archives": 0.5,
        "hr": 1.0,
        "international": 0.0,
    }
    assert quality.count_frame(con, suite, None)["share_of_last_published"].isna().all()  # nothing published yet


def test_a_failed_expectation_says_what_on_which_table_and_shows_examples(tmp_path):
    frame = pd.DataFrame(
        {
            "alumni_id": ["LZU00000001", "LZU00000001", "LZU00000003"],
            "name": ["张伟", "李娜", "王芳"],
            "gender": ["M", "F", "F"],
            "birth_date": ["1985-09-12", None, "1990"],
            "birth_year": [1985, None, 1990],
            "mobile": ["13800001111", "12345", None],
            "email": [None, None, None],
        }
    )
    gate = quality.validate({"alumni": frame}, tmp_path / "docs")
    critical = [f.line() for f in gate.critical()]
    assert any(
        "alumni_id is unique" in line and "2 of 3 rows fail" in line and "e.g. LZU00000001; LZU00000001" in line
        for line in critical
    )
    warnings = {f.description: f for f in gate.warnings()}
    assert set(warnings) == {
        "Mobiles are Chinese mobile numbers.",
        "At least 80% of alumni have a birth date (completeness: a warning, never a block).",
    }
    assert "LZU00000001: mobile=12345" in warnings["Mobiles are Chinese mobile numbers."].line()
    assert (tmp_path / "docs" / "index.html").exists()
