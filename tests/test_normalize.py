"""Field normalisers on values as units really type them, the ugly ones included."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from alumni_pipeline.conform import (
    CITY_PROVINCE,
    PROVINCE_CODES,
    check_years,
    clean_email,
    clean_gender,
    clean_id,
    clean_landline,
    clean_mobile,
    clean_name,
    clean_postcode,
    education_level,
    latin_name_parts,
    name_pinyin,
    name_script,
    native_place,
    parse_date,
    pinyin_key,
    split_han_name,
    study_form,
    year_of,
)

ALL_CLEANERS = [
    clean_name,
    name_script,
    latin_name_parts,
    name_pinyin,
    split_han_name,
    pinyin_key,
    clean_gender,
    parse_date,
    year_of,
    clean_id,
    clean_mobile,
    clean_landline,
    clean_email,
    clean_postcode,
    native_place,
    education_level,
    study_form,
]
GARBAGE = [
    None,
    "",
    "   ",
    float("nan"),
    pd.NA,
    pd.NaT,
    0,
    -1,
    3.5,
    "nan",
    "#N/A",
    "—",
    "（空）",
    "\u3000",
    "\ufeff",
    "9" * 40,
    "E+",
    ".",
    "a@b@c",
    "1985-",
    "-2003",
    ["张伟"],
    b"\xe5\xbc\xa0",
    object(),
]


@pytest.mark.parametrize("fn", ALL_CLEANERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("value", GARBAGE, ids=[f"garbage{i}" for i in range(len(GARBAGE))])
def test_cleaners_never_raise(fn, value):
    fn(value)


@pytest.mark.parametrize("fn", [f for f in ALL_CLEANERS if f is not clean_id], ids=lambda f: f.__name__)
@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, pd.NaT, "", " "], ids=repr)
def test_missing_values_clean_to_none(fn, missing):
    assert fn(missing) is None


# names


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("王　伟", "王伟"),  # U+3000 ideographic space
        (" 張偉 ", "张伟"),  # traditional characters
        ("單 雄 信", "单雄信"),
        ("\ufeff李娜\u200b", "李娜"),
        ("张伟(已故)", "张伟"),
        ("张伟（女）", "张伟"),
        ("张伟2", "张伟"),  # same-name mark
        ("张伟A", "张伟"),
        ("张 Wei", "张Wei"),
        ("阿依古丽・买买提", "阿依古丽·买买提"),
        ("阿依古丽.买买提", "阿依古丽·买买提"),
        ("  ZHANG,   Wei-Ming ", "ZHANG, Wei-Ming"),
        ("John  SMITH", "John SMITH"),
        ("Ｚｈａｎｇ Ｗｅｉ", "Zhang Wei"),
        ("13800001111", None),
        ("", None),
        ("-", None),
        (None, None),
    ],
)
def test_clean_name(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    "raw, script",
    [
        ("王　伟", "han"),
        ("阿依古丽·买买提", "han"),
        ("Zhang Wei", "latin"),
        ("Zhāng Wěi", "latin"),
        ("张Wei", "mixed"),
        ("Иванов", "mixed"),
        ("123", None),
        ("", None),
    ],
)
def test_name_script(raw, script):
    assert name_script(raw) == script


@pytest.mark.parametrize(
    "raw, parts",
    [
        ("张伟", ("张", "伟")),
        ("欧阳修", ("欧阳", "修")),
        ("歐陽娜娜", ("欧阳", "娜娜")),
        ("司马光", ("司马", "光")),
        ("诸葛亮", ("诸葛", "亮")),
        ("上官婉儿", ("上官", "婉儿")),
        ("欧阳", ("欧", "阳")),  # two characters: one surname character and a given name
        ("阿依古丽·买买提", None),
        ("Zhang Wei", None),
    ],
)
def test_split_han_name(raw, parts):
    assert split_han_name(raw) == parts


@pytest.mark.parametrize(
    "raw, pinyin",
    [
        ("张伟明", "zhang weiming"),
        ("單雄信", "shan xiongxin"),
        ("单雄信", "shan xiongxin"),
        ("曾国藩", "zeng guofan"),
        ("仇英", "qiu ying"),
        ("解缙", "xie jin"),
        ("区永", "ou yong"),
        ("查良镛", "zha liangyong"),
        ("朴树", "piao shu"),
        ("盖叫天", "ge jiaotian"),
        ("缪平", "miao ping"),
        ("覃雪", "qin xue"),
        ("翟志刚", "zhai zhigang"),
        ("黑明", "he ming"),
        ("尉迟恭", "yuchi gong"),
        ("长孙无忌", "zhangsun wuji"),
        ("长江", "chang jiang"),
        ("欧阳修", "ouyang xiu"),
        ("令狐冲", "linghu chong"),
        ("澹台灭明", "tantai mieming"),
        ("慕容复", "murong fu"),
        ("吕布", "lu bu"),
        ("王　伟", "wang wei"),
        ("阿依古丽·买买提", "ayiguli maimaiti"),
        ("Zhang Wei", None),
        ("", None),
    ],
)
def test_name_pinyin(raw, pinyin):
    assert name_pinyin(raw) == pinyin


@pytest.mark.parametrize(
    "raw, parts",
    [
        ("ZHANG, Wei-Ming", ("zhang", "weiming")),
        ("Zhang,Wei", ("zhang", "wei")),
        ("Wei-Ming ZHANG", ("zhang", "weiming")),
        ("ZHANG Wei Ming", ("zhang", "weiming")),
        ("Zhang Weiming", ("zhang", "weiming")),
        ("Ouyang Xiu", ("ouyang", "xiu")),
        ("Zhāng Wěi", ("zhang", "wei")),
        ("John Smith", ("smith", "john")),
        ("Mary Ann SMITH", ("smith", "maryann")),
        ("Smith, John", ("smith", "john")),
        ("Zhang", None),
        ("张伟", None),
    ],
)
def test_latin_name_parts(raw, parts):
    assert latin_name_parts(raw) == parts


@pytest.mark.parametrize("raw", ["ZHANG Wei", "Wei Zhang", "Zhang, Wei", "张伟", "張偉", "zhang  wei", "WEI Zhang"])
def test_pinyin_key_is_order_free(raw):
    assert pinyin_key(raw) == pinyin_key("张伟") == "weizhang"


@pytest.mark.parametrize(
    "a, b",
    [
        ("张伟明", "Wei-Ming ZHANG"),
        ("欧阳修", "OUYANG Xiu"),
        ("单雄信", "Shan Xiongxin"),
        ("阿依古丽·买买提", "Ayiguli Maimaiti"),
        ("曾国藩", "Guofan Zeng"),
    ],
)
def test_pinyin_key_matches_han_and_latin(a, b):
    assert pinyin_key(a) == pinyin_key(b)


def test_pinyin_key_tells_different_people_apart():
    assert pinyin_key("张伟") != pinyin_key("张伟明")
    assert pinyin_key("") is None
    assert pinyin_key("Zhang") == "zhang" != pinyin_key("张伟")  # a guest known by one word keeps that word


# gender


@pytest.mark.parametrize("raw", ["男", "男性", " 男 ", "M", "m.", "Male", "MALE", "1", "1.0", 1, "先生"])
def test_clean_gender_male(raw):
    assert clean_gender(raw) == "M"


@pytest.mark.parametrize("raw", ["女", "女性", "F", "f", "F.", "Female", "2", 2.0, "女士"])
def test_clean_gender_female(raw):
    assert clean_gender(raw) == "F"


@pytest.mark.parametrize("raw", ["", None, "0", "未知", "x", "男女", "3"])
def test_clean_gender_unknown(raw):
    assert clean_gender(raw) is None


# dates


@pytest.mark.parametrize(
    "raw, value, precision",
    [
        ("1985-09-12", "1985-09-12", "day"),
        ("1985-9-12", "1985-09-12", "day"),
        ("1985.9.12", "1985-09-12", "day"),
        ("1985. 9. 12", "1985-09-12", "day"),
        ("1985年9月12日", "1985-09-12", "day"),
        ("1985年09月12号", "1985-09-12", "day"),
        ("19850912", "1985-09-12", "day"),
        ("19850912.0", "1985-09-12", "day"),
        ("1985/9/12", "1985-09-12", "day"),
        ("１９８５－０９－１２", "1985-09-12", "day"),
        ("1985-09-12 00:00:00", "1985-09-12", "day"),
        ("1985-09-12T00:00:00", "1985-09-12", "day"),
        ("25/12/1985", "1985-12-25", "day"),
        ("25.12.1985", "1985-12-25", "day"),
        ("10/25/1995", "1995-10-25", "day"),  # day first impossible: month first
        ("Oct 25, 1995", "1995-10-25", "day"),
        ("October 25 1995", "1995-10-25", "day"),
        ("Sept. 3rd, 2001", "2001-09-03", "day"),
        ("25 Oct 1995", "1995-10-25", "day"),
        ("25-Oct-1995", "1995-10-25", "day"),
        ("31302", "1985-09-12", "day"),  # Excel serial
        ("31302.0", "1985-09-12", "day"),
        (31302.0, "1985-09-12", "day"),
        (dt.date(1985, 9, 12), "1985-09-12", "day"),
        (dt.datetime(1985, 9, 12, 8, 30), "1985-09-12", "day"),
        ("October 1995", "1995-10", "month"),
        ("1985.09", "1985-09", "month"),
        ("1985年9月", "1985-09", "month"),
        ("1985-9", "1985-09", "month"),
        ("1985/09", "1985-09", "month"),
        ("198509", "1985-09", "month"),
        ("198509.0", "1985-09", "month"),
        ("1985", "1985", "year"),
        ("1985年", "1985", "year"),
        ("1985.0", "1985", "year"),
        (1985, "1985", "year"),
    ],
)
def test_parse_date(raw, value, precision):
    parsed = parse_date(raw)
    assert (parsed.value, parsed.precision, parsed.ambiguous) == (value, precision, False)


@pytest.mark.parametrize(
    "raw, value",
    [
        ("12/09/1985", "1985-09-12"),  # day first; could be 9 December
        ("05/06/1990", "1990-06-05"),
        ("05-06-1990", "1990-06-05"),
        ("1985.1", "1985-01"),  # Excel shows 1985.10 typed as a number as 1985.1
    ],
)
def test_parse_date_ambiguous(raw, value):
    parsed = parse_date(raw)
    assert parsed.value == value and parsed.ambiguous


def test_parse_date_same_day_and_month_is_not_ambiguous():
    assert not parse_date("05/05/1990").ambiguous


@pytest.mark.parametrize(
    "raw",
    [
        "1985-02-30",
        "1985-13",
        "1985-00",
        "19851301",
        "31/02/1990",
        "13/13/1990",
        "1879",
        "1879-01-01",
        "2101",
        "2101-01-01",
        "9999",
        "99999",
        "1234567",
        "85.9.12",
        "2003-2007",
        "marching 1995",
        "abc",
        "",
        "不详",
        "1985年秋",
    ],
)
def test_parse_date_rejects(raw):
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    "raw, year",
    [
        ("2003级", 2003),
        ("2003 级", 2003),
        ("2003届", 2003),
        ("2003年秋", 2003),
        ("2003年秋季", 2003),
        ("2003年级", 2003),
        ("2003-09", 2003),
        ("2003.9", 2003),
        ("2003", 2003),
        ("2003.0", 2003),
        (2003, 2003),
        ("37865", 2003),
        ("85级", None),
        ("1850级", None),
        ("", None),
        ("不详", None),
    ],
)
def test_year_of(raw, year):
    assert year_of(raw) == year


# ID numbers: valid examples are computed here from GB 11643-1999, not typed by hand


def check_digit(first17: str) -> str:
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def valid_id(first17: str) -> str:
    return first17 + check_digit(first17)


def with_check(first17: str, want: str) -> str:
    """The first ID from first17 (sequence digits counted up) whose check character is want."""
    n = int(first17)
    while check_digit(str(n)) != want:
        n += 10
    return str(n) + want


def test_check_digit_helper_matches_the_standard_example():
    assert valid_id("11010519491231002") == "11010519491231002X"  # the standard's own example


@pytest.mark.parametrize(
    "raw",
    [
        valid_id("62010219850912123"),
        " " + valid_id("62010219850912123") + " ",
        valid_id("62010219850912123") + ".0",
        "620102 19850912 123" + check_digit("62010219850912123"),
        "620102-19850912-123" + check_digit("62010219850912123"),
        "".join(chr(ord(c) + 0xFEE0) for c in valid_id("62010219850912123")),  # full-width digits
    ],
)
def test_clean_id_valid(raw):
    info = clean_id(raw)
    assert info.valid and info.problem is None
    assert info.value == valid_id("62010219850912123")
    assert (info.birth_date, info.gender, info.province) == ("1985-09-12", "M", "甘肃")


def test_clean_id_lower_case_x():
    upper = with_check("62010219850912120", "X")
    info = clean_id(upper.lower())
    assert info.valid and info.value == upper and info.value.endswith("X")


def test_clean_id_female_and_other_province():
    info = clean_id(valid_id("11010519491231002"))
    assert (info.valid, info.gender, info.province, info.birth_date) == (True, "F", "北京", "1949-12-31")


@pytest.mark.parametrize("raw", ["620102850912123", 620102850912123, "620102850912123.0"])
def test_clean_id_converts_15_digits(raw):
    info = clean_id(raw)
    assert info.valid and info.value == valid_id("62010219850912123")
    assert (info.birth_date, info.gender) == ("1985-09-12", "M")


def _wrong_check(first17: str) -> str:
    return first17 + ("1" if check_digit(first17) != "1" else "2")


@pytest.mark.parametrize(
    "raw, problem",
    [
        ("", "EMPTY"),
        (None, "EMPTY"),
        (pd.NA, "EMPTY"),
        ("  ", "EMPTY"),
        ("6.20102E+17", "SCIENTIFIC"),
        ("6.20102198509121E+17", "SCIENTIFIC"),
        (_wrong_check("62010219850912123"), "BAD_CHECK_DIGIT"),
        ("620102198509121000", "PRECISION_LOST"),  # an 18-digit number Excel kept to 15 significant digits
        ("6201021985091212", "BAD_LENGTH"),
        ("62010219850912", "BAD_LENGTH"),
        ("6201021985O912123X", "BAD_CHARS"),
        ("62010219850912X236", "BAD_CHARS"),
        ("身份证丢失", "BAD_CHARS"),
        (valid_id("99010219850912123"), "BAD_REGION"),
        (valid_id("00010219850912123"), "BAD_REGION"),
        (valid_id("62010219850230123"), "BAD_BIRTH_DATE"),
        (valid_id("62010218500101123"), "BAD_BIRTH_DATE"),
        (valid_id("62010230000101123"), "BAD_BIRTH_DATE"),
        ("620102851312123", "BAD_BIRTH_DATE"),
    ],
)
def test_clean_id_invalid_never_gets_a_value(raw, problem):
    info = clean_id(raw)
    assert (info.valid, info.problem) == (False, problem)
    assert info.value is info.birth_date is info.gender is info.province is None


def test_clean_id_keeps_raw():
    assert clean_id(" 6.20102E+17 ").raw == " 6.20102E+17 "


def test_province_table_has_the_34_divisions():
    assert len(PROVINCE_CODES) == 34 and PROVINCE_CODES["62"] == "甘肃" and PROVINCE_CODES["82"] == "澳门"


# contact


@pytest.mark.parametrize(
    "raw, mobile",
    [
        ("+86 138-1234-5678", "13812345678"),
        ("13812345678.0", "13812345678"),
        (13812345678.0, "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("８６１３８１２３４５６７８", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("手机：13812345678", "13812345678"),
        ("13812345678/13987654321", "13812345678"),
        ("13812345678；0931-8912345", "13812345678"),
        ("0931-8912345", None),
        ("1.38123E+10", None),
        ("12812345678", None),
        ("1381234567", None),
        ("138123456789", None),
        ("无", None),
    ],
)
def test_clean_mobile(raw, mobile):
    assert clean_mobile(raw) == mobile


@pytest.mark.parametrize(
    "raw, landline",
    [
        ("0931-8912345", "0931-8912345"),
        ("(0931)8912345", "0931-8912345"),
        ("（0931）8912345", "0931-8912345"),
        ("09318912345", "0931-8912345"),
        ("0931 891 2345", "0931-8912345"),
        ("+86 931 8912345", "0931-8912345"),
        ("0931-8912345转8001", "0931-8912345"),
        ("010-62751234", "010-62751234"),
        ("02087654321", "020-87654321"),
        ("8912345", None),
        ("13812345678", None),
        ("0931-123", None),
    ],
)
def test_clean_landline(raw, landline):
    assert clean_landline(raw) == landline


@pytest.mark.parametrize(
    "raw, email",
    [
        ("Li.Na＠QQ.com", "li.na@qq.com"),
        ("zhangwei＠lzu。edu。cn", "zhangwei@lzu.edu.cn"),
        ("  Zhang_Wei@LZU.EDU.CN ", "zhang_wei@lzu.edu.cn"),
        ("mailto:abc@163.com", "abc@163.com"),
        ("邮箱：abc@163.com", "abc@163.com"),
        ("abc@qq.com; def@163.com", "abc@qq.com"),
        ("abc@qq", None),
        ("abc.qq.com", None),
        ("abc@@qq.com", None),
        ("abc@-qq.com", None),
        ("", None),
    ],
)
def test_clean_email(raw, email):
    assert clean_email(raw) == email


@pytest.mark.parametrize(
    "raw, postcode",
    [
        ("730000", "730000"),
        ("730000.0", "730000"),
        (730000, "730000"),
        ("７３００００", "730000"),
        (" 730 000 ", "730000"),
        ("10010", "010010"),
        ("73000", None),
        ("7300001", None),
        ("000000", None),
        ("邮编", None),
    ],
)
def test_clean_postcode(raw, postcode):
    assert clean_postcode(raw) == postcode


@pytest.mark.parametrize(
    "raw, place",
    [
        ("甘肃兰州", ("甘肃", "兰州")),
        ("甘肃省兰州市", ("甘肃", "兰州")),
        ("甘肃 天水", ("甘肃", "天水")),
        ("中国甘肃省庆阳市", ("甘肃", "庆阳")),
        ("兰州", ("甘肃", "兰州")),
        ("嘉峪关市", ("甘肃", "嘉峪关")),
        ("临夏回族自治州", ("甘肃", "临夏")),
        ("陕西西安", ("陕西", "西安")),
        ("内蒙古赤峰", ("内蒙古", "赤峰")),
        ("内蒙古自治区赤峰市", ("内蒙古", "赤峰")),
        ("新疆维吾尔自治区乌鲁木齐市", ("新疆", "乌鲁木齐")),
        ("吉林省吉林市", ("吉林", "吉林")),
        ("吉林", ("吉林", None)),
        ("北京市海淀区", ("北京", None)),
        ("甘肃省榆中县", ("甘肃", None)),
        ("甘肃西安", ("甘肃", None)),  # the city is not in that province
        ("美国", None),
        ("", None),
    ],
)
def test_native_place(raw, place):
    assert native_place(raw) == place


def test_every_province_has_a_code():
    assert set(CITY_PROVINCE.values()) <= set(PROVINCE_CODES.values())


# education


@pytest.mark.parametrize(
    "raw, level",
    [
        ("本科", "本科"),
        ("大学本科", "本科"),
        ("学士", "本科"),
        ("大学", "本科"),
        ("Bachelor", "本科"),
        ("Bachelor of Arts", "本科"),
        ("B.A.", "本科"),
        ("BSc", "本科"),
        ("硕士", "硕士"),
        ("硕士研究生", "硕士"),
        ("研究生", "硕士"),
        ("Master", "硕士"),
        ("Master's degree", "硕士"),
        ("MSc", "硕士"),
        ("M.Sc.", "硕士"),
        ("MBA", "硕士"),
        ("博士", "博士"),
        ("博士研究生", "博士"),
        ("PhD", "博士"),
        ("Ph.D.", "博士"),
        ("Doctor of Philosophy", "博士"),
        ("大专", "专科"),
        ("专科", "专科"),
        ("大学专科", "专科"),
        ("专升本", "专升本"),
        ("本科（专升本）", "专升本"),
        ("高起本", "高起本"),
        ("高中起点本科", "高起本"),
        ("高起专", "高起专"),
        ("研修", "研修"),
        ("进修", "研修"),
        ("博士后", "博士后"),
        ("Post-doctoral", "博士后"),
        ("postdoc", "博士后"),
        ("中专", None),
        ("高中", None),
        ("", None),
        ("其他", None),
    ],
)
def test_education_level(raw, level):
    assert education_level(raw) == level


@pytest.mark.parametrize(
    "raw, form",
    [
        ("全日制", "全日制"),
        ("普通全日制", "全日制"),
        ("统招", "全日制"),
        ("Full-time", "全日制"),
        ("函授", "函授"),
        ("业余", "业余"),
        ("夜大", "夜大"),
        ("夜大学", "夜大"),
        ("电大", "电大"),
        ("广播电视大学", "电大"),
        ("网络教育", "网络教育"),
        ("现代远程教育", "网络教育"),
        ("研修班", "研修班"),
        ("高级研修班", "研修班"),
        ("自考", "自考"),
        ("高等教育自学考试", "自考"),
        ("非全日制", None),
        ("part time", None),
        ("成人教育", None),
        ("", None),
    ],
)
def test_study_form(raw, form):
    assert study_form(raw) == form


@pytest.mark.parametrize(
    "enrol, grad, birth, flags",
    [
        (2003, 2007, 1985, []),
        (2007, 2003, 1985, ["GRAD_BEFORE_ENROL"]),
        (2003, 2003, 1985, []),
        (1990, 2007, 1970, ["STUDY_TOO_LONG"]),
        (2003, 2007, 1992, ["ENROL_TOO_YOUNG"]),
        (2003, 2007, 1930, ["ENROL_TOO_OLD"]),
        (2003, 2001, 1995, ["GRAD_BEFORE_ENROL", "ENROL_TOO_YOUNG"]),
        (None, 2007, 1985, []),
        (2003, None, None, []),
    ],
)
def test_check_years(enrol, grad, birth, flags):
    assert check_years(enrol, grad, birth) == flags
