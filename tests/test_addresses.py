"""Where alumni are (alumni_pipeline/conform/addresses.py), on addresses, employers and postcodes as
people really write them: hand-written here, not drawn from the sample's vocabulary. A place is right
or left empty, never wrong by province."""

from __future__ import annotations

import sys
import threading

import pytest

from alumni_pipeline.conform.addresses import Place, address_place, employer_place, postcode_province
from alumni_pipeline.conform.duckdb_functions import register

# (address as typed, the province and city it is in, what it must give: a Place, or None to leave it empty)
ADDRESSES = [
    ("甘肃省兰州市城关区天水南路222号", "甘肃", Place("甘肃", "兰州市")),
    ("兰州市城关区天水南路222号兰州大学", "甘肃", Place("甘肃", "兰州市")),  # no province: the city names it
    ("七里河区西津西路16号", "甘肃", Place("甘肃", "兰州市")),  # a district found in one city only
    ("城关区东岗西路199号", "甘肃", None),  # 城关区 is in 兰州 and in 拉萨: not placed
    ("朝阳区建国路88号", "北京", None),  # 朝阳区 is in 北京 and in 长春
    ("鼓楼区中山路1号", "江苏", None),  # a 鼓楼区 in 南京, 福州, 开封, 徐州
    ("山东省青岛市市南区香港中路10号", "山东", Place("山东", "青岛市")),
    ("青岛市崂山区海尔路1号", "山东", Place("山东", "青岛市")),
    ("青海省西宁市城西区五四西路", "青海", Place("青海", "西宁市")),
    ("青海西宁城中区", "青海", Place("青海", "西宁市")),  # no 省, no 市
    ("陕西西安雁塔区长安南路", "陕西", Place("陕西", "西安市")),
    ("西安市长安区", "陕西", Place("陕西", "西安市")),
    ("上海浦东新区张江路1号", "上海", Place("上海", "上海市")),
    ("上海市静安区陕西北路100号", "上海", Place("上海", "上海市")),  # a street named after a province
    ("青岛市市北区兰州路5号", "山东", Place("山东", "青岛市")),  # ... and one after a city
    ("北京市海淀区中关村大街1号", "北京", Place("北京", "北京市")),
    ("新疆维吾尔自治区乌鲁木齐市天山区", "新疆", Place("新疆", "乌鲁木齐市")),
    ("新疆乌鲁木齐", "新疆", Place("新疆", "乌鲁木齐市")),
    ("内蒙古呼和浩特市赛罕区", "内蒙古", Place("内蒙古", "呼和浩特市")),
    ("青海省海西州德令哈市", "青海", Place("青海", "海西蒙古族藏族自治州")),
    ("甘肃省临夏州临夏市", "甘肃", Place("甘肃", "临夏回族自治州")),
    ("甘肅省蘭州市城關區", "甘肃", Place("甘肃", "兰州市")),  # traditional characters
    ("中国甘肃兰州", "甘肃", Place("甘肃", "兰州市")),
    ("广东省深圳市南山区科技园路１２号", "广东", Place("广东", "深圳市")),  # full-width digits
    (" 四川省 成都市 武侯区 人民南路 ", "四川", Place("四川", "成都市")),  # spaces
    ("甘肃省", "甘肃", Place("甘肃", None)),  # a province alone: no city
    ("天水", "甘肃", Place("甘肃", "天水市")),
    ("平安大街5号", "北京", None),  # 平安 is a district of 海东 (青海) only by its short name
    ("人民路1号", None, None),
    ("", None, None),
    ("不详", None, None),
]

# (employer as typed, the province it is in, what it must give)
EMPLOYERS = [
    ("中国石油兰州石化公司", "甘肃", Place("甘肃", "兰州市")),
    ("国网甘肃省电力公司", "甘肃", Place("甘肃", None)),
    ("腾讯科技（深圳）有限公司", "广东", Place("广东", "深圳市")),
    ("中国银行青岛分行", "山东", Place("山东", "青岛市")),
    ("兰州大学第一医院", "甘肃", Place("甘肃", "兰州市")),
    ("华为技术有限公司", "广东", None),  # a company name with no place in it
    ("西北师范大学", "甘肃", None),
    ("中国科学院近代物理研究所", "甘肃", None),
    ("平安银行", "广东", None),  # not 青海's 平安区
    ("东方电气集团", "四川", None),  # not 海南's 东方市
    ("北京师范大学珠海校区", "广东", None),  # names two provinces: the campus is in 珠海
    ("兰州银行上海分行", "上海", None),  # a branch: where the second name says, not the first
    ("阿里巴巴集团", "浙江", None),
]

POSTCODES = [
    ("730000", "甘肃"),
    ("741000", "甘肃"),
    ("266071", "山东"),
    ("810000", "青海"),
    ("710061", "陕西"),
    ("100080", "北京"),
    ("010010", "内蒙古"),
    ("999077", None),  # Hong Kong and Macao share 99
    ("7300", None),
    ("abcdef", None),
    (None, None),
]


@pytest.mark.parametrize(("typed", "truth", "expected"), ADDRESSES)
def test_an_address_is_placed_as_far_as_it_says_and_no_further(typed, truth, expected):
    placed = address_place(typed)
    assert placed == expected
    assert placed is None or placed.province == truth  # never wrong by province


@pytest.mark.parametrize(("typed", "truth", "expected"), EMPLOYERS)
def test_an_employer_places_only_by_a_place_its_name_says_once(typed, truth, expected):
    placed = employer_place(typed)
    assert placed == expected
    assert placed is None or placed.province == truth


@pytest.mark.parametrize(("typed", "province"), POSTCODES)
def test_a_postcode_places_a_province_by_its_first_two_digits(typed, province):
    assert postcode_province(typed) == province


def test_sql_gives_the_same_places_as_python():
    import duckdb

    con = duckdb.connect()
    register(con)
    got = con.execute(
        "select address_place(a), employer_place(a), postcode_province(a) from (values (?), (?), (?), (null)) t(a)",
        ["兰州市七里河区", "国网甘肃省电力公司", "730000"],
    ).fetchall()
    assert got == [
        ({"province": "甘肃", "city": "兰州市"}, {"province": "甘肃", "city": "兰州市"}, None),
        ({"province": "甘肃", "city": None}, {"province": "甘肃", "city": None}, None),
        (None, None, "甘肃"),
        (None, None, None),
    ]


def test_places_read_in_two_threads_at_once_are_the_places_read_one_at_a_time():
    """DuckDB may call the address and employer functions from two threads (dbt builds two models at a
    time): the parser keeps state between calls, and two calls at once must not garble each other."""
    from alumni_pipeline.conform import addresses

    cities = ["上海市浦东新区", "北京市海淀区", "甘肃省兰州市城关区", "广东省深圳市南山区", "四川省成都市武侯区"]
    streets = "东西南北中长平安和兴华建"
    texts = [f"{c}{a}{b}路" for c in cities for a in streets for b in streets]
    employers = [f"{c.removesuffix('区')[:5]}{a}{b}科技有限公司" for c in cities for a in streets for b in streets]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads far more often than usual
    try:
        addresses._parse.cache_clear()
        found: dict[str, list] = {}
        threads = [
            threading.Thread(target=lambda: found.update(a=[address_place(t) for t in texts])),
            threading.Thread(target=lambda: found.update(e=[employer_place(t) for t in employers])),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    addresses._parse.cache_clear()
    assert found["a"] == [address_place(t) for t in texts]
    assert found["e"] == [employer_place(t) for t in employers]
    assert all(p and p.province in ("上海", "北京", "甘肃", "广东", "四川") for p in found["a"])
