"""The conform layer's own functions, and the normalisers as the SQL functions dbt models call."""

from __future__ import annotations

import duckdb
import pytest

from alumni_pipeline import conform as n
from alumni_pipeline.conform.chinese import education_level, native_place, study_form
from alumni_pipeline.conform.duckdb_functions import register
from alumni_pipeline.conform.periods import Period, split_period
from alumni_pipeline.conform.units import major_name_key, role_kind, unit_name_key


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    register(con)
    yield con
    con.close()


@pytest.mark.parametrize(
    "typed, key",
    [
        ("中文系", "中文系"),
        ("中　文 系", "中文系"),
        ("兰州大学文学院", "文学院"),
        ("蘭州大學 文學院", "文学院"),
        ("文学院（原中文系）", "文学院"),
        ("School of Literature", "schoolofliterature"),
        ("The First School of Clinical Medicine, Lanzhou University", "firstschoolofclinicalmedicine"),
        ("兰大", "兰大"),  # the university's name alone stays a name
        ("  ", None),
        (None, None),
    ],
)
def test_unit_name_key_folds_what_units_type(typed, key):
    assert unit_name_key(typed) == key


@pytest.mark.parametrize(
    "typed, key", [("汉语言文学专业", "汉语言文学"), ("临床医学（五年制）", "临床医学"), ("專業", None), ("", None)]
)
def test_major_name_key(typed, key):
    assert major_name_key(typed) == key


@pytest.mark.parametrize(
    "typed, kind",
    [
        ("客座教授", "guest_professor"),
        ("Guest Professor", "guest_professor"),
        ("名誉教授", "honorary_professor"),
        ("Visiting Scholar", "visiting_scholar"),
        ("访问学者", "visiting_scholar"),
        ("外籍教师", "foreign_staff"),
        ("International Student", "student"),
        ("留学生", "student"),
        ("兼职教师", "part_time_teacher"),
        ("专任教师", "staff"),
        ("医技人员", "staff"),
        ("博士后", "staff"),
        ("护士", "staff"),
        ("？", None),
        (None, None),
    ],
)
def test_role_kind(typed, kind):
    assert role_kind(typed) == kind


@pytest.mark.parametrize(
    "typed, period",
    [
        ("1985.9-1992.7", Period("1985.9", "1992.7", False)),
        ("1985年9月至1992年7月", Period("1985年9月", "1992年7月", False)),
        ("1985-09-1992-07", Period("1985-09", "1992-07", False)),
        ("19850901-19920701", Period("19850901", "19920701", False)),
        ("1985-09-01 ~ 1992-07-01", Period("1985-09-01", "1992-07-01", False)),
        ("2019.3—至今", Period("2019.3", None, True)),
        ("2019.03-present", Period("2019.03", None, True)),
        ("至今", Period(None, None, True)),
        ("2010", Period("2010", None, False)),
        ("1990-1995-2000", None),
        ("不详", None),
        (None, None),
    ],
)
def test_split_period(typed, period):
    assert split_period(typed) == period


def test_classifiers_read_traditional_characters():
    assert education_level("大專") == "专科"
    assert study_form("統招") == "全日制"
    assert native_place("山東濟南") == ("山东", "济南")


@pytest.mark.parametrize(
    "typed, form", [("成人脱产", "脱产"), ("继续教育", "继续教育"), ("函授", "函授"), ("非全日制", None), (None, None)]
)
def test_study_form_knows_the_continuing_education_forms(typed, form):
    assert study_form(typed) == form


def test_sql_functions_return_one_struct_per_value(con):
    date, id_, name = con.execute(
        "select conform_date('1985年9月'), conform_id('62010219850912123x'), conform_name('單 雄信')"
    ).fetchone()
    assert date == {"value": "1985-09", "precision": "month", "ambiguous": False, "year": 1985}
    assert id_["valid"] is False and id_["problem"] == "BAD_CHECK_DIGIT" and id_["value"] is None
    assert name == {"clean": "单雄信", "script": "han", "pinyin": "shan xiongxin", "pinyin_key": "shanxiongxin"}


def test_sql_functions_keep_the_year_of_a_class_or_cohort(con):
    assert con.execute("select conform_date('2003级').year, conform_date('2007届').value").fetchone() == (2003, None)


def test_sql_functions_give_null_for_null_and_for_what_cannot_be_cleaned(con):
    row = con.execute(
        "select conform_date(null), conform_id(null), clean_mobile(null), clean_mobile('无'), "
        "conform_name('13800001111'), conform_period('不详')"
    ).fetchone()
    assert row == (None,) * 6


def test_check_years_reads_missing_years(con):
    assert con.execute("select check_years(2005, 2003, null), check_years(null, 2003, 1980)").fetchone() == (
        ["GRAD_BEFORE_ENROL"],
        [],
    )


@pytest.mark.parametrize(
    "name", ["张伟", "欧阳修", "曾国藩", "阿依古丽·买买提", "ZHANG Wei", "Zhang, Weiming", "单雄信"]
)
def test_name_key_is_the_normalisers_pinyin_key(con, name):
    """conform_name takes the key from the pinyin it already has: it must stay pinyin_key's."""
    assert con.execute("select conform_name(?).pinyin_key", [name]).fetchone()[0] == n.pinyin_key(name)
