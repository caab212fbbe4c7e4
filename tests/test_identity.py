"""Identity resolution end to end: accuracy against the sample's ground truth, alumni_ids that
survive new drops, and stewards' decisions that beat the matcher."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from conftest import pipeline_environment
from openpyxl import load_workbook

from alumni_pipeline.identity.evaluate import evaluate
from alumni_pipeline.identity.review import (
    DIFFERENT,
    EXPLAIN_COLUMN,
    HEADERS,
    SAME,
    SHEET,
    WORKBOOK_PERSONS,
    read_review_decisions,
    write_review_workbook,
)
from orchestration.cli import main

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("pipeline")]


def query(paths, sql, *params):
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_accuracy_against_ground_truth(sample_run):
    paths = sample_run["paths"]
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        result = evaluate(con, paths.drops / "ground_truth.csv")
    assert result["records"] > 800
    assert result["pairwise_precision"] >= 0.998, result
    assert result["pairwise_recall"] >= 0.98, result


def test_golden_tables_cover_every_record_once(sample_run):
    paths = sample_run["paths"]
    assert query(paths, "select count(*) from marts.alumni_xref") == query(
        paths, "select count(*) from intermediate.int_person_records"
    )
    assert (
        query(paths, "select count(*), count(distinct alumni_id) from marts.alumni")[0][0]
        == query(paths, "select count(distinct alumni_id) from marts.alumni_xref")[0][0]
    )
    # no alumnus holds two different valid ID numbers
    assert query(
        paths,
        """select count(*) from (select x.alumni_id from marts.alumni_xref x
        join matching.int_identity_records r using (record_id) where r.id_number is not null
        group by x.alumni_id having count(distinct r.id_number) > 1)""",
    ) == [(0,)]


@pytest.fixture(scope="module")
def evolving(tmp_path_factory):
    """A project of its own, run again after each change: it is changed by the tests below, in order."""
    env = pipeline_environment(tmp_path_factory.mktemp("evolving"))
    with env.applied():  # for the whole module: its tests run the pipeline again
        assert main(["sample", "--out", str(env.drops), "--persons", "250", "--seed", "5"]) == 0
        assert main(["run"]) == 0
        yield env.paths


def registry(paths):
    return dict(query(paths, "select record_key, alumni_id from identity.clusters"))


def test_every_person_keeps_their_alumni_id_when_new_drops_arrive(evolving):
    before = registry(evolving)
    people = query(
        evolving,
        """select name, grad_year, unit_code from matching.int_identity_records
        where source_system = 'archives' and grad_year is not null and unit_code is not null
        order by record_key limit 5""",
    )
    units = dict(query(evolving, "select unit_code, unit_name_zh from reference.units"))
    lines = ["姓名,毕业时间,毕业院系,手机,信息来源"]
    lines += [
        f"{name},{year},{units[unit]},1390000{i:04d},2025年8月返校" for i, (name, year, unit) in enumerate(people)
    ]
    lines += ["欧阳新来,2024,文学院,13911112222,校友卡办理"]  # someone nobody has seen before
    (evolving.drops / "unit_updates" / "2025年8月返校登记.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["run"]) == 0
    after = registry(evolving)
    assert len(after) == len(before) + len(people) + 1
    assert {k: after[k] for k in before} == before  # nobody's alumni_id changed
    assert after[next(k for k in after if "2025年8月返校登记.csv" in k and k.endswith("|7"))] not in before.values()


def _decide(paths, rows):
    """Fill in a review workbook the way a steward would, and drop it in steward_review/."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "待审核"
    sheet.append(HEADERS)
    left, right = HEADERS.index("左：来源（文件|工作表|行）"), HEADERS.index("右：来源（文件|工作表|行）")
    for n, (a, b, decision) in enumerate(rows, 1):
        line = [None] * len(HEADERS)
        line[0], line[1], line[2], line[left], line[right] = n, decision, "李老师", a, b
        sheet.append(line)
    folder = paths.drops / "steward_review"
    folder.mkdir(exist_ok=True)
    book.save(folder / "review_queue_已审核.xlsx")


def test_steward_decisions_beat_the_matcher(evolving):
    ids = registry(evolving)
    by_alumnus: dict[str, list[str]] = {}
    for key, alumni_id in sorted(ids.items()):
        by_alumnus.setdefault(alumni_id, []).append(key)
    together = next(keys for keys in by_alumnus.values() if len(keys) >= 2)  # the matcher joined these
    singles = [keys[0] for keys in by_alumnus.values() if len(keys) == 1][:2]  # the matcher kept these apart
    _decide(evolving, [(together[0], together[1], DIFFERENT), (singles[0], singles[1], SAME)])
    assert main(["run"]) == 0
    after = registry(evolving)
    assert after[together[0]] != after[together[1]]
    assert after[singles[0]] == after[singles[1]]
    assert query(evolving, "select count(*) from identity.steward_decisions") == [(2,)]
    assert main(["run"]) == 0  # decisions hold on every later run, recorded once
    again = registry(evolving)
    assert again[together[0]] != again[together[1]] and again[singles[0]] == again[singles[1]]
    assert query(evolving, "select count(*) from identity.steward_decisions") == [(2,)]


def test_at_most_one_alumnus_in_a_hundred_waits_for_a_steward(sample_run):
    """Pairs the evidence settles never reach a person: what is left is one line per undecided
    person, at most 1% of the alumni, and each run says how many."""
    paths = sample_run["paths"]
    [(alumni, persons, reported)] = query(
        paths,
        """select (select count(distinct alumni_id) from identity.clusters),
                  (select count(*) from identity.review_persons),
                  (select review_persons from identity.runs order by recorded_at desc limit 1)""",
    )
    assert reported == persons <= 0.01 * alumni, (persons, alumni)
    # every pair a steward sees belongs to one line, and no two lines ask about the same two persons
    assert query(paths, "select count(*) from identity.review_queue where person_number is null") == [(0,)]
    assert query(
        paths,
        """select count(*) from (select least(l.cluster_key, r.cluster_key), greatest(l.cluster_key, r.cluster_key)
        from identity.review_queue as q join identity.clusters as l on l.record_id = q.left_id
        join identity.clusters as r on r.record_id = q.right_id group by all having count(*) > 1)""",
    ) == [(0,)]


def test_review_queue_workbook_shows_one_line_per_person(sample_run, tmp_path):
    """The published workbook: a frozen, filtered header, one line per person in queue order, each
    explained; a steward's decision in it reads back as a decision on its two records."""
    paths = sample_run["paths"]
    book = load_workbook(paths.publish / "review" / "review_queue.xlsx")
    sheet = book[SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref.startswith("A1:")
    persons = query(paths, "select count(*) from identity.review_persons")[0][0]
    assert len(rows) - 1 == min(persons, WORKBOOK_PERSONS) > 0
    assert [r[0] for r in rows[1:]] == list(range(1, len(rows)))
    assert all("姓名" in row[EXPLAIN_COLUMN] and "出生日期" in row[EXPLAIN_COLUMN] for row in rows[1:])
    sheet["B2"], sheet["C2"] = SAME, "李老师"
    folder = tmp_path / "steward_review"
    folder.mkdir()
    book.save(folder / "review_queue.xlsx")
    decided = read_review_decisions(folder)
    left, right = HEADERS.index("左：来源（文件|工作表|行）"), HEADERS.index("右：来源（文件|工作表|行）")
    assert decided[["left_ref", "right_ref", "decision"]].values.tolist() == [
        [rows[1][left], rows[1][right], "must_link"]
    ]


def test_review_workbook_holds_the_decisions_that_settle_most_first(sample_run, tmp_path):
    paths = sample_run["paths"]
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        queued = con.sql("select count(*) from identity.review_persons").fetchone()[0]
        assert write_review_workbook(con, tmp_path / "queue.xlsx", limit=1) == 1 <= queued
        settled = con.sql(
            "select records_settled from identity.review_persons where reason <> 'same_id_apart' order by person_number"
        ).fetchall()
    assert settled == sorted(settled, reverse=True)
    book = load_workbook(tmp_path / "queue.xlsx")
    rows = list(book[SHEET].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [1]
    assert f"待审核共 {queued} 人" in book["说明"]["B2"].value
    assert book[SHEET].freeze_panes == "C2" and book["说明"].freeze_panes == "A2"  # header rows frozen
    assert book[SHEET].auto_filter.ref and book["说明"].auto_filter.ref
    formats = {"日": "yyyy-mm-dd", "月": "yyyy-mm", "年": "yyyy"}
    for side in ("左：", "右："):
        column = HEADERS.index(f"{side}出生日期") + 1
        for row in book[SHEET].iter_rows(min_row=2):
            date, precision = row[column - 1], row[column].value
            assert (date.value is None) == (precision is None), date.coordinate
            if date.value is not None:
                assert isinstance(date.value, dt.datetime) and date.number_format == formats[precision]
