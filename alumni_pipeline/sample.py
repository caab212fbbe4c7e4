"""A realistic set of landing drops for Lanzhou University, 1950–2025, with the answers beside it.

`write_sample(out, persons, seed)` invents `persons` people, decides what happened to each of them at
the university, and writes what every office would send about them, the way offices send it:

- archives: full-time students (专科, 本科, 硕士, 博士), one workbook per level and cohort range, one
  sheet per department as it was named at graduation; files before 1980 in traditional characters and
  without ID numbers; an old registrar export as a GBK CSV; an Excel lock file beside one workbook.
- hr: staff of the university and its three hospitals, many of them its own graduates, with their
  periods of service; ID columns stored as numbers or as "6.20102E+17" text; a password-protected and
  a truncated workbook.
- continuing_ed: online, correspondence (函授), night-school (夜大), TV-university (电大), adult and
  training-course (研修班) graduates, with a real .xls from the old system and a CSV whose encoding
  cannot be told.
- international: guest and honorary professors, visiting scholars, foreign teachers and students with
  Latin names and passports; Chinese alumni under pinyin names in either order; a workbook with English
  headers and host schools; an HTML page saved as .xls.
- unit_updates: contact and career updates from each school's alumni secretary, without ID numbers;
  an empty CSV, a Word notice and a statistics table without a name column beside them.
- self_reported: personal information forms, collected per discipline and a few single forms; the
  blank template and a photo of a paper form beside them.
- class_liaisons: half the schools' registers of class liaisons, one alumnus of the class each, for
  most of their graduated classes.

Layouts vary by seed (`sample_layouts.LayoutPlan`): an archives workbook has one sheet per department,
per class or per graduation year, or one sheet for all; one or two schools send their whole 1950–1999
era as one CSV of every level (a bachelor's and a master's of one person in one list); the continuing-
education roster of 2001–2025 now and then has no birth-date or gender column (its ID numbers hold
both); a school's updates come in one sheet for every round; header words are drawn now and then from
the whole alias table.

People share common names and birth years on purpose. Their records differ by homophone typos,
traditional characters, padded names, a dozen date formats, gender codes, 15- and 18-digit ID numbers
(some mistyped), phone formats and header variants. Sheets carry title rows, merged titles, blank,
totals, repeated-header and footer rows, and person rows the pipeline must refuse.

Beside the drops: `ground_truth.csv` (every person row written, with the true person) and
`sample_manifest.json` (per file: person rows, expected refusals, warnings and skipped rows).
Everything random comes from one `random.Random(seed)`: the same arguments give the same CSV bytes
and the same workbook cells.

Units, departments as named over the years, their aliases and the majors come from the dbt seeds.
"""

from __future__ import annotations

import csv
import html
import io
import json
import random
import struct
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from alumni_pipeline.conform.idcard import id_check_digit
from alumni_pipeline.ingest.headers import canonical_field
from alumni_pipeline.sample_layouts import ERA, LayoutPlan
from alumni_pipeline.sources import SOURCES

__all__ = ["write_sample"]

_TODAY = date(2025, 6, 30)  # the sample's "now"
MIN_PERSONS = 50
_FIXED_TIME = datetime(2025, 3, 1, 9, 0)
_EXCEL_EPOCH = date(1899, 12, 30)
_ROW_REFUSALS = ("ROW_NO_NAME", "ROW_NAME_INVALID")
_WARNINGS = ("ID_SCIENTIFIC", "ID_PRECISION_LOST")
_DECORATIONS = ("ROW_TOTALS", "ROW_FOOTER", "ROW_BLANK", "ROW_REPEATED_HEADER")

# ---------------------------------------------------------------------------------------------
# reference data


_SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True, slots=True)
class _Dept:
    name: str
    start: int
    end: int
    units: tuple[str, ...]


class _Reference:
    """Units, departments as named in each year, what people call them, and the majors each unit teaches."""

    def __init__(self, folder: Path = _SEEDS):
        self.units = {r["unit_code"]: r for r in _read_csv(folder / "units.csv")}
        self.majors: dict[str, list[str]] = {}
        for r in _read_csv(folder / "major_units.csv"):
            self.majors.setdefault(r["unit_code"], []).append(r["major_name"])
        self.depts = [
            _Dept(
                r["department_name"],
                int(r["valid_from"]),
                int(r["valid_to"] or _TODAY.year),
                tuple((r["unit_code"] or r["candidate_units"]).split()),
            )
            for r in _read_csv(folder / "department_history.csv")
        ]
        self.aliases: dict[str, list[str]] = {}  # official name -> what people write instead ('兰医', '物理学院')
        for r in _read_csv(folder / "department_aliases.csv"):
            self.aliases.setdefault(r["department_name"], []).append(r["alias"])
        self.schools = [u for u, r in self.units.items() if r["kind"] == "school" and u in self.majors]
        self.staff_units = [u for u, r in self.units.items() if r["kind"] in ("school", "hospital", "admin")]
        self.all_majors = [m for unit in self.schools for m in self.majors[unit]]
        self._names: dict[tuple[str, int], list[str]] = {}
        self._open: dict[int, list[str]] = {}

    def departments(self, unit: str, year: int) -> list[str]:
        key = (unit, year)
        if key not in self._names:
            self._names[key] = [d.name for d in self.depts if unit in d.units and d.start <= year <= d.end]
        return self._names[key]

    def schools_in(self, year: int) -> list[str]:
        if year not in self._open:
            self._open[year] = [u for u in self.schools if self.departments(u, year)]
        return self._open[year]

    def zh(self, unit: str) -> str:
        return self.units[unit]["unit_name_zh"]

    def en(self, unit: str) -> str:
        return self.units[unit]["unit_name_en"]


# ---------------------------------------------------------------------------------------------
# names, places and other things people are made of

_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
    "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹易常武乔"
    "贺赖龚文牛安"
)
_RARE_SURNAMES = ("单", "仇", "解", "区", "欧阳", "司马", "诸葛", "上官")
_SURNAME_POOL = tuple(_SURNAMES) + _RARE_SURNAMES
_SURNAME_CUM = list(accumulate([1 / (i + 8) for i in range(len(_SURNAMES))] + [0.008] * len(_RARE_SURNAMES)))
# readings lazy_pinyin gets wrong for surnames, and the spelling passports use for 吕
_SURNAME_READINGS = {
    "单": "Shan",
    "曾": "Zeng",
    "仇": "Qiu",
    "解": "Xie",
    "区": "Ou",
    "吕": "Lyu",
    "欧阳": "Ouyang",
    "司马": "Sima",
    "诸葛": "Zhuge",
    "上官": "Shangguan",
}
_GIVEN = {
    "M": "伟强军磊勇杰涛明斌峰刚建国华平辉鹏超波宇浩飞林东海文志晓新俊龙成亮凯振春兵健智",
    "F": "静丽娜芳敏燕玲娟红霞英萍秀梅雪慧颖晶婷洁琴兰倩佳欣悦玉丹蓉晓华",
}
_COMMON_NAMES = {
    "M": ("王伟", "张伟", "李伟", "刘伟", "王磊", "李强", "王军", "张勇", "李军", "王勇", "刘洋", "张杰"),
    "F": ("李娜", "王芳", "张敏", "王静", "李静", "张静", "王丽", "李秀英", "王秀英", "张丽", "刘芳", "陈静"),
}
_LOOKALIKES = dict(
    pair
    for a, b in (
        "伟玮",
        "静婧",
        "丽莉",
        "军君",
        "明鸣",
        "华桦",
        "峰锋",
        "斌彬",
        "燕艳",
        "玲琳",
        "娟鹃",
        "红虹",
        "英瑛",
        "建健",
        "志智",
        "晶菁",
        "慧惠",
    )
    for pair in ((a, b), (b, a))
)
_ETHNICITIES = ("汉族",) * 40 + ("回族",) * 3 + ("藏族", "东乡族", "蒙古族", "满族", "土族", "裕固族")

# (ID region code, native place, postcode)
_GANSU = (
    ("620102", "甘肃兰州", "730030"),
    ("620103", "甘肃兰州", "730050"),
    ("620104", "甘肃兰州", "730060"),
    ("620105", "甘肃兰州", "730070"),
    ("620121", "甘肃永登", "730300"),
    ("620123", "甘肃榆中", "730100"),
    ("620402", "甘肃白银", "730900"),
    ("620502", "甘肃天水", "741000"),
    ("620602", "甘肃武威", "733000"),
    ("620702", "甘肃张掖", "734000"),
    ("620802", "甘肃平凉", "744000"),
    ("620902", "甘肃酒泉", "735000"),
    ("621002", "甘肃庆阳", "745000"),
    ("621102", "甘肃定西", "743000"),
    ("621202", "甘肃陇南", "746000"),
    ("622901", "甘肃临夏", "731100"),
    ("623001", "甘肃合作", "747000"),
)
_ELSEWHERE = (
    ("610102", "陕西西安", "710001"),
    ("640104", "宁夏银川", "750001"),
    ("630102", "青海西宁", "810000"),
    ("410102", "河南郑州", "450000"),
    ("370102", "山东济南", "250000"),
    ("510104", "四川成都", "610000"),
    ("130102", "河北石家庄", "050000"),
    ("140105", "山西太原", "030000"),
    ("650102", "新疆乌鲁木齐", "830000"),
    ("150102", "内蒙古呼和浩特", "010000"),
    ("320102", "江苏南京", "210000"),
    ("420102", "湖北武汉", "430000"),
    ("430102", "湖南长沙", "410000"),
    ("220102", "吉林长春", "130000"),
    ("330102", "浙江杭州", "310000"),
)
_CITIES = (
    ("甘肃省兰州市城关区", "730000"),
    ("甘肃省兰州市城关区", "730000"),
    ("甘肃省兰州市七里河区", "730050"),
    ("甘肃省兰州市安宁区", "730070"),
    ("甘肃省天水市秦州区", "741000"),
    ("甘肃省酒泉市肃州区", "735000"),
    ("北京市海淀区", "100080"),
    ("上海市浦东新区", "200120"),
    ("广东省深圳市南山区", "518057"),
    ("陕西省西安市雁塔区", "710061"),
    ("四川省成都市武侯区", "610041"),
    ("江苏省南京市鼓楼区", "210008"),
    ("新疆维吾尔自治区乌鲁木齐市天山区", "830002"),
)
_STREETS = (
    "天水南路",
    "东岗西路",
    "盘旋路",
    "南昌路",
    "建宁路",
    "中关村大街",
    "世纪大道",
    "科技园路",
    "长安南路",
    "人民南路",
    "中山路",
    "解放路",
)
_EMPLOYERS = (
    "甘肃省人民医院",
    "中国科学院西北生态环境资源研究院",
    "中国石油兰州石化公司",
    "甘肃省教育厅",
    "西北师范大学",
    "中国石油长庆油田分公司",
    "兰州银行",
    "华为技术有限公司",
    "腾讯科技（深圳）有限公司",
    "中国移动甘肃分公司",
    "甘肃省气象局",
    "国网甘肃省电力公司",
    "兰州市第一中学",
    "金川集团股份有限公司",
    "酒泉钢铁（集团）有限责任公司",
    "中国农业银行甘肃省分行",
    "新华社甘肃分社",
    "甘肃日报社",
    "中国科学院近代物理研究所",
    "北京大学",
    "复旦大学",
    "阿里巴巴集团",
    "兰州市城关区人民政府",
    "甘肃省疾病预防控制中心",
    "中国航天科技集团",
)
_POSITIONS = (
    "教师",
    "工程师",
    "高级工程师",
    "副教授",
    "教授",
    "主任医师",
    "处长",
    "科长",
    "部门经理",
    "总经理",
    "研究员",
    "副研究员",
    "记者",
    "律师",
    "公务员",
    "会计师",
    "董事长",
    "退休",
)
_UNIVERSITIES = (
    "北京大学",
    "清华大学",
    "复旦大学",
    "南京大学",
    "西北师范大学",
    "西安交通大学",
    "四川大学",
    "中国科学院大学",
    "武汉大学",
    "吉林大学",
)
_OTHER_DEPTS = ("物理系", "化学系", "数学系", "中文系", "历史系", "生物系", "经济学院", "医学院")
_TEACHERS = ("张老师", "李老师", "王老师", "刘老师", "陈老师", "马老师", "赵主任", "杨主任")

# nationality (zh, en), passport pattern ('A' letter, '9' digit), male and female given names, family names,
# home institutions
_COUNTRIES = (
    (
        "美国",
        "United States",
        "999999999",
        ("John", "Michael", "David", "Robert", "James"),
        ("Mary", "Susan", "Emily", "Sarah"),
        ("Smith", "Johnson", "Brown", "Miller", "Davis", "Wilson"),
        ("University of Colorado Boulder", "University of Arizona", "Ohio State University"),
    ),
    (
        "英国",
        "United Kingdom",
        "999999999",
        ("Andrew", "Richard", "Peter", "Thomas"),
        ("Helen", "Catherine", "Alice"),
        ("Taylor", "Evans", "Roberts", "Walker"),
        ("University of Cambridge", "University of Leeds"),
    ),
    (
        "德国",
        "Germany",
        "C9AA9AA99",
        ("Klaus", "Stefan", "Jürgen", "Markus"),
        ("Anna", "Katrin", "Ursula"),
        ("Müller", "Schmidt", "Schneider", "Fischer"),
        ("Max Planck Institute for Chemistry", "University of Göttingen"),
    ),
    (
        "法国",
        "France",
        "99AA99999",
        ("Jean-Pierre", "Pierre", "Michel", "Laurent"),
        ("Marie", "Sophie", "Claire"),
        ("Dubois", "Martin", "Bernard", "Lefèvre"),
        ("Sorbonne Université", "Université Grenoble Alpes"),
    ),
    (
        "日本",
        "Japan",
        "AA9999999",
        ("Hiroshi", "Takashi", "Kenji", "Satoshi"),
        ("Yuko", "Keiko", "Naoko"),
        ("Tanaka", "Suzuki", "Takahashi", "Watanabe"),
        ("Kyoto University", "Hokkaido University", "Tohoku University"),
    ),
    (
        "俄罗斯",
        "Russia",
        "999999999",
        ("Ivan", "Sergei", "Dmitry", "Alexei"),
        ("Olga", "Natalia", "Elena"),
        ("Petrov", "Ivanov", "Smirnov", "Volkov"),
        ("Lomonosov Moscow State University", "Novosibirsk State University"),
    ),
    (
        "澳大利亚",
        "Australia",
        "A9999999",
        ("Daniel", "Matthew", "Luke"),
        ("Jessica", "Rachel", "Hannah"),
        ("Murphy", "Kelly", "Campbell"),
        ("Australian National University", "University of Melbourne"),
    ),
    (
        "巴基斯坦",
        "Pakistan",
        "AA9999999",
        ("Muhammad", "Ali", "Imran", "Usman"),
        ("Ayesha", "Fatima", "Sana"),
        ("Khan", "Ahmed", "Hussain", "Malik"),
        ("Quaid-i-Azam University", "University of Karachi"),
    ),
    (
        "哈萨克斯坦",
        "Kazakhstan",
        "N99999999",
        ("Nursultan", "Askar", "Yerlan"),
        ("Aigerim", "Dana", "Saule"),
        ("Nurlanov", "Abenov", "Seitkali"),
        ("Al-Farabi Kazakh National University", "Nazarbayev University"),
    ),
)
_VISIT_ROLES = {
    "客座教授": "Guest Professor",
    "名誉教授": "Honorary Professor",
    "访问学者": "Visiting Scholar",
    "外籍教师": "Foreign Teacher",
    "留学生": "International Student",
}
_VISIT_TITLES = {
    "教授": "Professor",
    "副教授": "Associate Professor",
    "研究员": "Research Fellow",
    "讲师": "Lecturer",
    "博士": "Dr.",
}

_LEVEL_WORDS = {
    "本科": ("本科", "大学本科", "本科生"),
    "专科": ("专科", "大专", "专科生"),
    "硕士": ("硕士", "硕士研究生", "研究生"),
    "博士": ("博士", "博士研究生"),
    "专升本": ("专升本", "本科（专升本）"),
    "高起本": ("高起本", "本科"),
}
_DEGREE_WORDS = {"本科": "大学本科", "专科": "大学专科", "硕士": "硕士研究生", "博士": "博士研究生"}
_LEVEL_START = {"专科": 1950, "本科": 1950, "硕士": 1978, "博士": 1982}
_NEXT_LEVEL = {"本科": "硕士", "硕士": "博士"}
_FIVE_YEAR = ("BAS", "CL1", "CL2", "STO", "PUB")  # five-year medical bachelors
_HOSPITAL_OF = {"CL1": "H1", "CL2": "H2", "STO": "HS"}

# form, first and last year of enrolment, weight
_CE_FORMS = (
    ("网络教育", 2001, 2024, 5),
    ("函授", 1985, 2024, 3),
    ("夜大", 1985, 2015, 2),
    ("电大", 1979, 2005, 2),
    ("继续教育", 1990, 2024, 2),
    ("研修班", 1995, 2025, 2),
)
_CE_FORM_WORDS = {
    "网络教育": ("网络教育", "远程教育"),
    "函授": ("函授",),
    "夜大": ("夜大", "夜大学", "业余"),
    "电大": ("电大", "广播电视大学"),
    "继续教育": ("成人脱产", "继续教育"),
    "研修班": ("研修班", "培训"),
}
_CE_MAJORS = (
    "法学",
    "工商管理",
    "会计学",
    "汉语言文学",
    "行政管理",
    "护理学",
    "临床医学",
    "药学",
    "计算机科学与技术",
    "英语",
    "土木工程",
    "金融学",
    "市场营销",
    "预防医学",
)
_TRAINING_COURSES = (
    "企业管理高级研修班",
    "县域经济发展研修班",
    "医院管理研修班",
    "基层干部能力提升研修班",
    "中小学校长研修班",
    "财务管理研修班",
)
_CHANNELS = ("班级联络人", "地方校友会", "返校活动", "校友卡办理", "校友墙反馈", "校友网注册")
_ROUNDS = (date(2022, 8, 1), date(2023, 3, 1), date(2023, 8, 1), date(2024, 3, 1), date(2024, 8, 1), date(2025, 3, 1))
_SENTENCES = (
    "该生学籍档案已于毕业当年转至研究生院统一管理如需查询请与档案馆学籍科联系并办理相关手续谢谢配合",
    "此处信息由班级联络人根据毕业合影照片回忆整理可能存在错误请校友本人核实后反馈至学院校友工作办公室",
    "以下人员为转专业学生其原始学籍记录保存在原所在院系请联系原院系教学秘书核对后再行补充完整相关信息",
)


def _random_day(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def _mobile(rng: random.Random) -> str:
    return rng.choice(("13", "15", "18", "17", "19")) + str(rng.randint(0, 9)) + f"{rng.randrange(10**8):08d}"


def _address(rng: random.Random) -> tuple[str, str]:
    city, postcode = rng.choice(_CITIES)
    return f"{city}{rng.choice(_STREETS)}{rng.randint(1, 400)}号", postcode


def _passport(rng: random.Random, pattern: str) -> str:
    return "".join(
        rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") if c == "A" else str(rng.randint(0, 9)) if c == "9" else c
        for c in pattern
    )


@cache
def _syllable(char: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(char, style=Style.NORMAL)[0]


def _pinyin_parts(surname: str, given: str) -> tuple[str, list[str]]:
    """The surname as a passport spells it, and the given name's syllables."""
    sur = _SURNAME_READINGS.get(surname) or "".join(_syllable(c) for c in surname).capitalize()
    return sur, [_syllable(c) for c in given]


def _pinyin_name(rng: random.Random, surname: str, given: str) -> str:
    """A Chinese name as the International Office writes it: 'ZHANG Wei', 'Wei-Ming Zhang', 'Zhang, Weiming' ..."""
    sur, syllables = _pinyin_parts(surname, given)
    joined = "".join(syllables).capitalize()
    hyphened = "-".join(s.capitalize() for s in syllables)
    return rng.choice(
        (f"{sur.upper()} {joined}", f"{joined} {sur}", f"{sur}, {joined}", f"{hyphened} {sur}", f"{sur} {joined}")
    )


@cache
def _converter():
    import opencc

    return opencc.OpenCC("s2t")


@cache
def _trad(text: str) -> str:
    return _converter().convert(text)


# ---------------------------------------------------------------------------------------------
# ID numbers (GB 11643-1999)


def _old_id(id18: str) -> str:
    """The 15-digit number issued before 1999: no century, no check digit."""
    return id18[:6] + id18[8:17]


def _mistype(rng: random.Random, number: str) -> str:
    i = rng.randrange(len(number) - 1)
    return number[:i] + str((int(number[i]) + rng.randint(1, 9)) % 10) + number[i + 1 :]


# ---------------------------------------------------------------------------------------------
# people and what happened to them


@dataclass(slots=True)
class _Study:
    level: str
    enrol: date
    grad: date
    unit: str
    dept: str  # the department as named at graduation
    major: str
    klass: str
    number: str
    archived: bool = True


@dataclass(slots=True)
class _Job:
    unit: str
    start: date
    end: date | None
    status: str  # current | retired | left
    role: str
    title: str
    number: str


@dataclass(slots=True)
class _Course:
    form: str
    level: str | None
    enrol: date
    grad: date
    major: str
    klass: str
    number: str


@dataclass(slots=True)
class _Visit:
    role: str
    unit: str
    start: date
    end: date | None
    title: str
    home: str
    name: str  # as the International Office wrote it
    nationality: str
    passport: str


@dataclass(slots=True)
class _Update:
    study: _Study
    when: date
    channel: str
    mobile: str
    email: str | None
    employer: str
    position: str


@dataclass(slots=True)
class _Person:
    pid: str
    surname: str
    given: str
    gender: str  # M | F
    birth: date
    latin: bool = False
    id18: str | None = None
    former: str | None = None
    native: str = ""
    ethnicity: str = "汉族"
    mobile: str = ""
    landline: str | None = None
    email: str = ""
    work_email: str = ""  # the university's address, for staff
    employer: str = ""
    position: str = ""
    address: str = ""
    postcode: str = ""
    nationality: str = "中国"
    alma: tuple[str, str, str] | None = None  # degree, school and major of studies elsewhere
    studies: list[_Study] = field(default_factory=list)
    jobs: list[_Job] = field(default_factory=list)
    courses: list[_Course] = field(default_factory=list)
    visits: list[_Visit] = field(default_factory=list)
    updates: list[_Update] = field(default_factory=list)
    self_report: date | None = None

    @property
    def name(self) -> str:
        return f"{self.given} {self.surname}" if self.latin else self.surname + self.given


def _cohort_weight(year: int) -> float:
    if 1966 <= year <= 1971:  # no admissions during the Cultural Revolution
        return 0.0
    if year < 1966:
        return 1.0
    if year < 1977:
        return 0.5
    if year < 1999:
        return 1.5 + 0.1 * (year - 1977)
    return 4.0 + 0.2 * (year - 1999)


_COHORTS = tuple(range(1950, 2022))
_COHORT_CUM = list(accumulate(_cohort_weight(y) for y in _COHORTS))


def _open_year(year: int) -> int:
    year = min(max(year, 1950), 2021)
    return 1972 if 1966 <= year <= 1971 else year


class _People:
    """Invents persons and what happened to them. Kinds: graduates (most); lifelong ones (bachelor's,
    master's, doctorate, staff, guest professor, updates, a form); lost graduates the archive never had
    (known from updates and forms only); staff who studied elsewhere; continuing-education graduates;
    foreigners."""

    SHARES = (
        ("foreign", 0.03, 4),
        ("continuing", 0.16, 8),
        ("staff", 0.05, 3),
        ("lost", 0.02, 2),
        ("lifelong", 0.01, 3),
    )

    def __init__(self, rng: random.Random, ref: _Reference):
        self.rng, self.ref = rng, ref
        self.issued: set[str] = set()  # membership only
        self.mailboxes: set[str] = set()  # a mail provider gives each address to one person only
        self.earlier: dict[str, list[tuple[str, str, str, date]]] = {}
        self.serial: Counter = Counter()

    def make(self, n: int) -> list[_Person]:
        counts = {kind: max(least, round(n * share)) for kind, share, least in self.SHARES}
        kinds = [kind for kind, c in counts.items() for _ in range(c)]
        kinds += ["graduate"] * (n - len(kinds))
        self.rng.shuffle(kinds)
        return [self._person(f"P{i + 1:06d}", kind) for i, kind in enumerate(kinds)]

    def _person(self, pid: str, kind: str) -> _Person:
        if kind == "foreign":
            return self._foreigner(pid)
        p = self._chinese(pid, kind)
        rng = self.rng
        if kind == "continuing":
            self._courses(p)
        elif kind == "staff":
            p.alma = (
                rng.choice(("博士研究生", "硕士研究生", "大学本科", "大学专科")),
                rng.choice(_UNIVERSITIES) + rng.choice(_OTHER_DEPTS),
                rng.choice(self.ref.all_majors),
            )
            self._employ(p, date(min(max(p.birth.year + rng.randint(23, 32), 1952), 2024), rng.randint(7, 9), 1), None)
        else:
            lifelong = kind == "lifelong"  # bachelor, master, doctor, staff, guest professor, updates, a form
            self._studies(p, lifelong, archived=kind != "lost")  # "lost": the archive never had them
            last = p.studies[-1]
            staff = {"博士": 0.25, "硕士": 0.1}.get(last.level, 0.03)
            if lifelong or rng.random() < staff:
                self._employ(p, last.grad + timedelta(days=rng.randint(20, 120)), last.unit)
            if lifelong or (last.level == "博士" and rng.random() < 0.08):
                self._alumnus_visit(p)
            if lifelong or rng.random() < 0.6:
                self._updates(p, 1 + sum(rng.random() < 0.5 for _ in range(3)))
            if lifelong or kind == "lost" or rng.random() < 0.03:
                p.self_report = min(_random_day(rng, rng.randint(2023, 2025)), _TODAY)
        return p

    # identity -----------------------------------------------------------------------------

    def _birth_year(self, kind: str) -> int:
        rng = self.rng
        if kind == "staff":
            return rng.randint(1925, 1996)
        if kind == "continuing":
            return rng.randint(1940, 2003)
        low, high = {"lost": (1950, 1995), "lifelong": (1975, 2012)}.get(kind, (1950, 2021))
        while True:
            cohort = rng.choices(_COHORTS, cum_weights=_COHORT_CUM)[0]
            if low <= cohort <= high:
                return cohort - 18

    def _chinese(self, pid: str, kind: str) -> _Person:
        rng = self.rng
        earlier = self.earlier.setdefault(kind, [])
        if earlier and rng.random() < 0.04:  # a namesake born the same year, sometimes the same day
            surname, given, gender, born = rng.choice(earlier)
            if rng.random() < 0.9:
                born = _random_day(rng, born.year)
        else:
            gender = "M" if rng.random() < 0.55 else "F"
            if rng.random() < 0.1:
                common = rng.choice(_COMMON_NAMES[gender])
                surname, given = common[0], common[1:]
            else:
                surname = rng.choices(_SURNAME_POOL, cum_weights=_SURNAME_CUM)[0]
                pool = _GIVEN[gender]
                given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.6 else "")
            born = _random_day(rng, self._birth_year(kind))
        earlier.append((surname, given, gender, born))
        p = _Person(pid, surname, given, gender, born)
        region, p.native, _ = rng.choice(_GANSU if rng.random() < 0.7 else _ELSEWHERE)
        p.id18 = self._issue_id(region, born, gender)
        p.ethnicity = rng.choice(_ETHNICITIES)
        if rng.random() < 0.015:
            p.former = surname + rng.choice(_GIVEN[gender]) + rng.choice(_GIVEN[gender])
        self._contact(p)
        return p

    def _issue_id(self, region: str, born: date, gender: str) -> str:
        while True:
            body = f"{region}{born:%Y%m%d}{self.rng.randrange(500) * 2 + (gender == 'M'):03d}"
            if body not in self.issued:
                self.issued.add(body)
                return body + id_check_digit(body)

    def _contact(self, p: _Person) -> None:
        rng = self.rng
        sur, syllables = _pinyin_parts(p.surname, p.given)
        user = (sur + "".join(syllables)).lower()
        p.mobile = _mobile(rng)
        domain = rng.choice(("163.com", "126.com", "sina.com", "gmail.com", "hotmail.com", "foxmail.com"))
        p.email = self._mailbox(
            f"{rng.randint(10000, 2999999999)}@qq.com"
            if rng.random() < 0.3
            else f"{user}{p.birth.year % 100:02d}@{domain}"
        )
        p.work_email = self._mailbox(f"{user}@lzu.edu.cn")
        p.employer, p.position = rng.choice(_EMPLOYERS), rng.choice(_POSITIONS)
        p.address, p.postcode = _address(rng)
        if p.birth.year < 1975 and rng.random() < 0.3:
            p.landline = f"0931-{rng.randint(2000000, 8999999)}"

    def _mailbox(self, address: str) -> str:
        """The address, or with a number added when someone already has it (zhangwei85.2@163.com)."""
        user, domain = address.split("@")
        n = 1
        while address in self.mailboxes:
            n += 1
            address = f"{user}.{n}@{domain}"
        self.mailboxes.add(address)
        return address

    def _foreigner(self, pid: str) -> _Person:
        rng = self.rng
        zh, _, pattern, male, female, families, homes = rng.choice(_COUNTRIES)
        gender = "M" if rng.random() < 0.6 else "F"
        p = _Person(
            pid,
            rng.choice(families),
            rng.choice(male if gender == "M" else female),
            gender,
            _random_day(rng, rng.randint(1935, 1995)),
            latin=True,
            nationality=zh,
        )
        p.email = self._mailbox(
            f"{p.given}.{p.surname}@{rng.choice(('gmail.com', 'outlook.com', 'yahoo.com'))}".lower()
        )
        p.employer = rng.choice(homes)
        passport = _passport(rng, pattern)
        for _ in range(1 + (rng.random() < 0.15)):
            role = rng.choices(tuple(_VISIT_ROLES), weights=(35, 10, 30, 15, 10))[0]
            earliest = max(1980, p.birth.year + (19 if role == "留学生" else 30))
            self._visit(p, role, earliest, None, p.name, zh, passport)
        if any(v.role in ("外籍教师", "留学生") for v in p.visits):
            p.mobile = _mobile(rng)
        return p

    # what happened ------------------------------------------------------------------------

    def _studies(self, p: _Person, lifelong: bool, archived: bool) -> None:
        """A first degree, then perhaps a master's and a doctorate; `lifelong` people take all three."""
        rng = self.rng
        enrol = _open_year(p.birth.year + rng.choice((17, 18, 18, 19)))
        if lifelong:
            enrol = min(enrol, 2014)
        draw = rng.random()
        if draw < 0.08 and enrol <= 2002:
            s = self._study("专科", enrol, None)
        elif draw < 0.15:  # a bachelor's elsewhere
            s = self._study("硕士", enrol + 4, None)
        else:
            s = None
        s = s or self._study("本科", enrol, None)
        chance = 1.0 if lifelong else 0.25
        while s:
            s.archived = archived
            p.studies.append(s)
            level = _NEXT_LEVEL.get(s.level)
            if not level or rng.random() >= chance:
                return
            later = 0 if lifelong or rng.random() < 0.7 else rng.randint(1, 4)
            s = self._study(level, s.grad.year + later, s.unit if rng.random() < 0.7 else None)

    def _study(self, level: str, enrol_year: int, unit: str | None) -> _Study | None:
        rng, ref = self.rng, self.ref
        years = {
            "专科": 3,
            "本科": 3 if 1972 <= enrol_year <= 1976 else 4,
            "硕士": rng.choice((2, 3, 3)),
            "博士": rng.choice((3, 3, 4)),
        }[level]
        grad_year = enrol_year + years
        if enrol_year < _LEVEL_START[level] or grad_year > _TODAY.year:
            return None
        schools = ref.schools_in(grad_year)
        if unit not in schools:
            unit = rng.choice(schools)
        if level == "本科" and unit in _FIVE_YEAR and grad_year < _TODAY.year and ref.departments(unit, grad_year + 1):
            grad_year += 1
        major = rng.choice(ref.majors[unit])
        klass = (
            f"{enrol_year}级{major}{rng.randint(1, 3)}班"
            if level in ("本科", "专科")
            else f"{enrol_year}级{level}研究生"
        )
        self.serial[level, enrol_year] += 1
        number = f"{'专本硕博'.index(level[0]) + 1}{enrol_year}{self.serial[level, enrol_year]:05d}"
        return _Study(
            level,
            date(enrol_year, 9, rng.randint(1, 10)),
            date(grad_year, rng.choice((6, 7)), rng.randint(1, 30)),
            unit,
            rng.choice(ref.departments(unit, grad_year)),
            major,
            klass,
            number,
        )

    def _employ(self, p: _Person, start: date, unit: str | None) -> None:
        rng = self.rng
        if start >= _TODAY:
            return
        if unit in _HOSPITAL_OF and rng.random() < 0.6:
            unit = _HOSPITAL_OF[unit]
        elif unit is None or rng.random() < 0.1:
            unit = rng.choice(self.ref.staff_units)
        retire = date(p.birth.year + (60 if p.gender == "M" else 55), p.birth.month, 1)
        end, status = (retire, "retired") if retire <= _TODAY else (None, "current")
        if status == "current" and rng.random() < 0.15:
            end, status = min(start + timedelta(days=rng.randint(700, 6000)), _TODAY), "left"
        if rng.random() < 0.15 and ((end or _TODAY) - start).days > 2000:  # a transfer splits the service
            middle = start + ((end or _TODAY) - start) // 2
            p.jobs.append(self._job(unit, start, middle, "left"))
            start, unit = middle + timedelta(days=1), rng.choice(self.ref.staff_units)
        p.jobs.append(self._job(unit, start, end, status))

    def _job(self, unit: str, start: date, end: date | None, status: str) -> _Job:
        rng = self.rng
        kind = self.ref.units[unit]["kind"]
        if kind == "hospital":
            role = rng.choice(("医生", "医生", "护士", "医技人员", "管理人员"))
        elif kind == "admin":
            role = rng.choice(("管理人员", "管理人员", "工勤人员"))
        else:
            role = rng.choice(("专任教师", "专任教师", "专任教师", "实验技术人员", "管理人员", "博士后", "兼职教师"))
        title = rng.choice(
            {
                "医生": ("主任医师", "副主任医师", "主治医师", "住院医师"),
                "护士": ("主任护师", "主管护师", "护师"),
                "专任教师": ("教授", "副教授", "讲师", "助教"),
                "兼职教师": ("教授", "副教授"),
                "实验技术人员": ("高级实验师", "实验师"),
                "管理人员": ("研究员", "副研究员", "助理研究员", ""),
            }.get(role, ("",))
        )
        self.serial["staff", start.year] += 1
        return _Job(unit, start, end, status, role, title, f"{start.year}{self.serial['staff', start.year]:04d}")

    def _courses(self, p: _Person) -> None:
        course = self._course(p, p.birth.year + 19)
        if course:
            p.courses.append(course)
            if self.rng.random() < 0.08 and (second := self._course(p, course.grad.year)):
                p.courses.append(second)

    def _course(self, p: _Person, earliest: int) -> _Course | None:
        rng = self.rng
        level = rng.choice(("专科", "专升本", "高起本"))
        years = 5 if level == "高起本" else 3
        latest = min(p.birth.year + 50, _TODAY.year - 1)
        options = [
            (form, max(earliest, first), min(latest, last, latest if form == "研修班" else latest - years), w)
            for form, first, last, w in _CE_FORMS
        ]
        options = [o for o in options if o[1] <= o[2]]
        if not options:
            return None
        form, low, high, _ = rng.choices(options, weights=[o[3] for o in options])[0]
        year = rng.randint(low, high)
        if form == "研修班":
            enrol = date(year, rng.randint(3, 11), rng.randint(1, 28))
            grad, level, major = enrol + timedelta(weeks=rng.randint(1, 16)), None, rng.choice(_TRAINING_COURSES)
            klass = f"{year}年{major}第{rng.randint(1, 6)}期"
        else:
            enrol = date(year, rng.choice((3, 9)), rng.randint(1, 15))
            grad = date(year + years, enrol.month - 2, rng.randint(1, 28))
            major = rng.choice(_CE_MAJORS)
            klass = f"{year}级{form}{major}{level}班"
        self.serial[form, year] += 1
        return _Course(form, level, enrol, grad, major, klass, f"C{year}{self.serial[form, year]:05d}")

    def _visit(
        self, p: _Person, role: str, earliest: int, unit: str | None, name: str, nationality: str, passport: str
    ) -> None:
        rng = self.rng
        if earliest > _TODAY.year:
            return
        start = min(
            date(rng.randint(earliest, _TODAY.year), rng.randint(1, 12), rng.randint(1, 28)),
            _TODAY - timedelta(days=rng.randint(1, 150)),
        )
        days = {
            "访问学者": rng.randint(90, 365),
            "客座教授": 3 * 365,
            "名誉教授": None,
            "外籍教师": rng.randint(1, 3) * 365,
            "留学生": 4 * 365,
        }[role]
        title = "" if role == "留学生" else rng.choice(tuple(_VISIT_TITLES))
        p.visits.append(
            _Visit(
                role,
                unit or rng.choice(self.ref.schools),
                start,
                start + timedelta(days=days) if days else None,
                title,
                p.employer,
                name,
                nationality,
                passport,
            )
        )

    def _alumnus_visit(self, p: _Person) -> None:
        """A graduate who went abroad comes back as a guest professor or visiting scholar, under pinyin."""
        rng = self.rng
        last = p.studies[-1]
        country = rng.choice(_COUNTRIES)
        nationality = "中国" if rng.random() < 0.6 else country[0]
        p.employer = rng.choice(country[6])
        role = rng.choices(("客座教授", "名誉教授", "访问学者"), weights=(6, 1, 3))[0]
        self._visit(
            p,
            role,
            min(last.grad.year + rng.randint(3, 20), _TODAY.year),
            last.unit,
            _pinyin_name(rng, p.surname, p.given),
            nationality,
            _passport(rng, "E99999999" if nationality == "中国" else country[2]),
        )

    def _updates(self, p: _Person, count: int) -> None:
        rng = self.rng
        studies = [s for s in p.studies if s.grad < _ROUNDS[-1]]
        for _ in range(count if studies else 0):
            s = rng.choice(studies)
            when = rng.choice([r for r in _ROUNDS if r > s.grad]) + timedelta(days=rng.randint(0, 27))
            email = (
                p.email
                if rng.random() < 0.4
                else None
                if rng.random() < 0.5
                else f"{rng.randint(10000, 2999999999)}@qq.com"
            )
            p.updates.append(
                _Update(
                    s,
                    when,
                    rng.choice(_CHANNELS),
                    _mobile(rng) if rng.random() < 0.6 else p.mobile,
                    email,
                    rng.choice(_EMPLOYERS) if rng.random() < 0.4 else p.employer,
                    rng.choice(_POSITIONS),
                )
            )


# ---------------------------------------------------------------------------------------------
# how offices write a record: columns, headers and cell habits

_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "姓 名"),
    "name_en": ("英文姓名", "外文姓名", "拼音姓名"),
    "former_name": ("曾用名", "原名"),
    "gender": ("性别", "性 别"),
    "birth_date": ("出生日期", "出生年月", "出生年月日"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证件号码"),
    "passport_number": ("护照号", "护照号码"),
    "nationality": ("国籍", "国家/地区"),
    "native_place": ("籍贯", "生源地"),
    "ethnicity": ("民族",),
    "student_number": ("学号",),
    "staff_number": ("工号", "职工号", "人事编号"),
    "education_level": ("学历", "学历层次", "培养层次"),
    "study_form": ("学习形式", "办学形式", "学习方式"),
    "enrol_date": ("入校时间", "入学时间", "入学年份", "入学年月"),
    "grad_date": ("毕业时间", "毕业年份", "毕业年月", "毕业届别"),
    "department": ("毕业院系", "院系", "所在院系", "系别"),
    "major": ("专业", "所学专业", "专业名称"),
    "class_name": ("班级", "班级名称"),
    "work_unit": ("在校工作单位", "所在单位", "工作部门"),
    "work_start": ("入职时间", "来校时间"),
    "work_end": ("离校时间", "离职时间"),
    "role": ("身份类别", "人员类别"),
    "title": ("职称", "专业技术职务"),
    "employer": ("现工作单位", "工作单位", "现单位"),
    "position": ("职务", "现任职务"),
    "mobile": ("手机", "手机号码", "联系电话"),
    "email": ("电子邮箱", "邮箱", "E-mail"),
    "address": ("通讯地址", "联系地址"),
    "postcode": ("邮政编码", "邮编"),
    "update_date": ("更新日期", "填报日期"),
    "channel": ("信息来源", "收集渠道"),
    "note": ("备注", "说明"),
}
_SOURCE_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "archives": {"name": ("姓名", "学生姓名", "姓 名")},
    "hr": {"name": ("姓名", "教职工姓名")},
    "continuing_ed": {"name": ("姓名", "学生姓名")},
    "international": {
        "department": ("接待单位", "接待学院"),
        "work_start": ("来校时间", "访问开始时间"),
        "work_end": ("离校时间", "访问结束时间"),
    },
    "unit_updates": {"name": ("姓名", "校友姓名")},
    "self_reported": {"update_date": ("填表日期",)},
}
_ENGLISH = {
    "name": "Name",
    "gender": "Gender",
    "birth_date": "Date of Birth",
    "nationality": "Nationality",
    "passport_number": "Passport No.",
    "role": "Category",
    "department": "Host School",
    "title": "Title",
    "employer": "Home Institution",
    "work_start": "Start Date",
    "work_end": "End Date",
    "email": "Email",
    "mobile": "Mobile",
    "note": "Remarks",
}
_YEAR_HEADERS = ("入学年份", "毕业年份")
_JIE_HEADERS = ("毕业届别",)
_MONTH_HEADERS = ("出生年月", "入学年月", "毕业年月")
_ESSENTIAL = {
    "archives": ("name", "gender", "birth_date", "enrol_date", "grad_date", "department", "major", "education_level"),
    "hr": ("name", "gender", "birth_date", "id_number", "work_unit", "work_start"),
    "continuing_ed": ("name", "birth_date", "study_form", "grad_date", "major"),
    "international": ("name", "gender", "birth_date", "nationality", "passport_number", "role", "department"),
    "unit_updates": ("name", "grad_date", "department", "mobile"),
    "self_reported": ("name", "gender", "birth_date", "id_number", "grad_date", "department"),
}
# columns no alias names: the pipeline keeps them as extras
_EXTRAS = {
    "政治面貌": lambda rng: rng.choice(("群众", "共青团员", "中共党员", "中共预备党员")),
    "宿舍号": lambda rng: f"{rng.randint(1, 24)}号楼{rng.randint(1, 6)}{rng.randint(1, 30):02d}",
    "是否在编": lambda rng: rng.choice(("是", "否")),
    "班级联络人": lambda rng: rng.choice(_SURNAMES[:20]) + rng.choice(_GIVEN["M"] + _GIVEN["F"]),
}
_SOURCE_EXTRAS = {
    "archives": ("政治面貌", "宿舍号"),
    "hr": ("政治面貌", "是否在编"),
    "continuing_ed": ("政治面貌",),
    "international": (),
    "unit_updates": ("班级联络人",),
    "self_reported": ("政治面貌",),
}

_FULL_ZH = ("cell", "iso", "dot", "cn", "compact", "slash", "serial")
_FULL_EN = ("dmy", "mdy", "iso", "cell")
_MONTHS_STYLES = ("cell", "iso", "dot_month", "cn_month", "year")
_GENDER_WORDS = {"zh": ("男", "女"), "mf": ("M", "F"), "num": (1, 2), "en": ("Male", "Female")}
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


_DATE_TEXT = {
    "iso": lambda d: f"{d:%Y-%m-%d}",
    "dot": lambda d: f"{d.year}.{d.month}.{d.day}",
    "cn": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "compact": lambda d: f"{d:%Y%m%d}",
    "slash": lambda d: f"{d.year}/{d.month}/{d.day}",
    "dmy": lambda d: f"{d:%d/%m/%Y}",
    "mdy": lambda d: f"{_MONTH_ABBR[d.month - 1]} {d.day}, {d.year}",
    "dot_month": lambda d: f"{d.year}.{d.month:02d}",
    "cn_month": lambda d: f"{d.year}年{d.month}月",
    "year": lambda d: str(d.year),
    "jie": lambda d: f"{d.year}届",
}


@dataclass(frozen=True, slots=True)
class _Col:
    header: str
    field: str | None  # None: an extra column, or the row number (序号)
    kind: str  # name text gender date month year jie id phone seq, or extra


def _kind(field_: str, header: str) -> str:
    if field_ in ("enrol_date", "grad_date"):
        return "jie" if header in _JIE_HEADERS else "year" if header in _YEAR_HEADERS else "month"
    if field_ == "birth_date":
        return "month" if header in _MONTH_HEADERS else "date"
    return {
        "name": "name",
        "gender": "gender",
        "id_number": "id",
        "mobile": "phone",
        "work_start": "date",
        "work_end": "date",
        "update_date": "date",
    }.get(field_, "text")


def _columns(rng: random.Random, source: str, lang: str, omit: tuple[str, ...]) -> list[_Col]:
    """The template's columns as one office types them: some left out, headers varied, extras added."""
    cols = [_Col("序号", None, "seq")] if lang == "zh" and rng.random() < 0.5 else []
    for header in SOURCES[source]["columns"]:
        f = canonical_field(header)
        if f in omit or (lang == "en" and f not in _ENGLISH) or (f not in _ESSENTIAL[source] and rng.random() < 0.15):
            continue
        if lang == "en":
            text = _ENGLISH[f]
        else:
            variants = _SOURCE_HEADERS.get(source, {}).get(f) or _HEADERS[f]
            text = variants[0] if rng.random() < 0.6 else rng.choice(variants)
        cols.append(_Col(text, f, _kind(f, text)))
    for extra in _SOURCE_EXTRAS[source]:
        if lang == "zh" and rng.random() < 0.3:
            cols.insert(rng.randint(len(cols) // 2, len(cols)), _Col(extra, None, "extra"))
    return cols


@dataclass(slots=True)
class _Style:
    """One file's habits."""

    excel: bool
    date: str
    month: str
    dates: tuple[str, ...]  # what another typist might use instead
    months: tuple[str, ...]
    gender: str
    phone: str
    ids: str  # text | number (xlsx cells) | sci ("6.20102E+17" text)
    traditional: bool
    spaced: str  # what pads a two-character name ('' for nothing)


def _style(rng: random.Random, excel: bool, lang: str, ids: str, traditional: bool) -> _Style:
    family = tuple(s for s in (_FULL_ZH if lang == "zh" else _FULL_EN) if excel or s != "cell")
    months = tuple(s for s in _MONTHS_STYLES if excel or s != "cell")
    genders = ("zh", "zh", "zh", "mf", "num", "en") if lang == "zh" else ("en", "en", "mf")
    phones = ("plain", "plain", "intl", "spaced", "number" if excel else "float")
    spaced = rng.choice(("  ", "\u3000")) if lang == "zh" and rng.random() < 0.25 else ""
    return _Style(
        excel,
        rng.choice(family),
        rng.choice(months),
        family,
        months,
        rng.choice(genders),
        rng.choice(phones),
        ids,
        traditional,
        spaced,
    )


@dataclass(slots=True)
class _Table:
    """One sheet (or a whole CSV) as written: every row, which rows hold persons, what else is there."""

    name: str
    rows: list[list] = field(default_factory=list)
    truth: list[tuple[int, str]] = field(default_factory=list)  # (row number, person id)
    merges: list[tuple[int, int]] = field(default_factory=list)  # (row number, width) of merged title rows
    counts: Counter = field(default_factory=Counter)

    def skip(self, row: list, reason: str) -> None:
        self.rows.append(row)
        self.counts[reason] += 1


class _Renderer:
    """Turns records (canonical field -> value) into one file's cells and lays out its sheets."""

    def __init__(self, rng: random.Random, cols: list[_Col], style: _Style):
        self.rng, self.cols, self.style = rng, cols, style
        self.header = [c.header for c in cols]
        self.name_at = next(i for i, c in enumerate(cols) if c.field == "name")
        self._cells = [getattr(self, "_" + c.kind) for c in cols]

    def table(
        self,
        name: str,
        titles: list[str],
        records: list[tuple[str, dict, object]],
        *,
        bad: tuple[str, ...] = (),
        messy: bool = True,
    ) -> _Table:
        """A sheet of person rows; `bad` forces rows to refuse, else a messy sheet sometimes gets one."""
        rng, n = self.rng, len(records)
        if not bad and messy and n >= 8 and rng.random() < 0.12:
            bad = (rng.choice(_ROW_REFUSALS),)
        bad_at = dict(zip(rng.sample(range(n), min(len(bad), n)), bad))
        counts: Counter = Counter()
        body = []
        for i, (pid, rec, group) in enumerate(records):
            reason = bad_at.get(i)
            cells = [
                cell(rec.get(col.field), col, i + 1, None if reason else counts)
                for col, cell in zip(self.cols, self._cells)
            ]
            if reason:
                cells[self.name_at] = self._bad_name(reason, rec)
                counts[reason] += 1
            body.append((pid, cells, group))
        table = _layout(rng, name, titles, self.header, body, messy)
        table.counts.update(counts)
        return table

    def _bad_name(self, reason: str, rec: dict):
        if reason == "ROW_NO_NAME":
            return None
        if self.rng.random() < 0.5:
            return self.rng.choice(_SENTENCES)
        number = rec.get("student_number") or rec.get("mobile") or "2003"
        return int(number) if self.style.excel and number.isdigit() else number

    def _seq(self, value, col, seq, counts):
        return seq if self.style.excel else str(seq)

    def _extra(self, value, col, seq, counts):
        return _EXTRAS[col.header](self.rng)

    def _text(self, value, col, seq, counts):
        return _trad(value) if value and self.style.traditional else value

    def _name(self, value, col, seq, counts):
        if value and self.style.traditional:
            value = _trad(value)
        if value and self.style.spaced and len(value) == 2:
            value = value[0] + self.style.spaced + value[1]
        return value

    def _gender(self, value, col, seq, counts):
        if value is None:
            return None
        style = self.style.gender if self.rng.random() > 0.03 else self.rng.choice(tuple(_GENDER_WORDS))
        word = _GENDER_WORDS[style][value == "F"]
        return word if self.style.excel or isinstance(word, str) else str(word)

    def _date(self, value, col, seq, counts):
        return self._dated(value, self.style.date, self.style.dates)

    def _month(self, value, col, seq, counts):
        return self._dated(value, self.style.month, self.style.months)

    def _year(self, value, col, seq, counts):
        return self._dated(value, "year", ())

    def _jie(self, value, col, seq, counts):
        return self._dated(value, "jie", ())

    def _dated(self, d: date | None, style: str, family: tuple[str, ...]):
        if d is None:
            return None
        if family and self.rng.random() < 0.04:  # a row typed by someone else
            style = self.rng.choice(family)
        if style == "cell":
            return d
        if style == "serial":
            serial = (d - _EXCEL_EPOCH).days
            return serial if self.style.excel else str(serial)
        if style == "year" and self.style.excel:
            return d.year
        return _DATE_TEXT[style](d)

    def _id(self, value, col, seq, counts):
        if not value:
            return None
        if self.style.ids == "number" and value.isdigit():
            if len(value) == 15:
                return int(value)  # fifteen digits survive as a number
            if counts is not None:
                counts["ID_PRECISION_LOST"] += 1
            return float(int(value[:15]) * 1000)
        if self.style.ids == "sci" and value.isdigit():
            if counts is not None:
                counts["ID_SCIENTIFIC"] += 1
            return f"{int(value):.5E}"
        draw = self.rng.random()
        if value[-1] == "X" and draw < 0.3:
            return value[:-1] + "x"
        if draw > 0.97:
            return f"{value[:6]} {value[6:-4]} {value[-4:]}"
        return value

    def _phone(self, value, col, seq, counts):
        if not value or not (len(value) == 11 and value.isdigit()):
            return value  # landlines stay as typed
        style = self.style.phone if self.rng.random() > 0.05 else self.rng.choice(("plain", "intl", "spaced"))
        if style == "intl":
            return f"+86 {value[:3]}-{value[3:7]}-{value[7:]}"
        if style == "spaced":
            return f"{value[:3]} {value[3:7]} {value[7:]}"
        if style == "float":
            return f"{value}.0"
        return int(value) if style == "number" else value


def _layout(
    rng: random.Random,
    name: str,
    titles: list[str],
    header: list[str],
    body: list[tuple[str, list, object]],
    messy: bool,
) -> _Table:
    """Title rows, the header, person rows with blank and repeated-header rows between, totals, footers."""
    width, n = len(header), len(body)
    t = _Table(name)
    for title in titles:
        t.rows.append([title] + [None] * (width - 1))
        t.merges.append((len(t.rows), width))
    t.rows.append(list(header))
    breaks = [i for i in range(1, n) if body[i][2] != body[i - 1][2]] if messy else []
    repeat = set(breaks[:6]) if breaks and rng.random() < 0.3 else set()
    if messy and not repeat and n >= 20 and rng.random() < 0.1:
        repeat = {rng.randrange(1, n)}
    blanks = set()
    if messy and n > 1 and rng.random() < 0.3:
        blanks = set(rng.sample(range(1, n), min(n - 1, rng.randint(1, 3))))
    for i, (pid, cells, _) in enumerate(body):
        if i in blanks:
            t.skip([None] * width, "ROW_BLANK")
        if i in repeat:
            t.skip(list(header), "ROW_REPEATED_HEADER")
        t.rows.append(cells)
        t.truth.append((len(t.rows), pid))
    if messy and rng.random() < 0.3:
        t.skip(_totals_row(rng, width, n), "ROW_TOTALS")
    if messy and rng.random() < 0.35:
        if rng.random() < 0.5:
            t.skip([None] * width, "ROW_BLANK")
        for text in _footer_texts(rng):
            t.skip([text] + [None] * (width - 1), "ROW_FOOTER")
    return t


def _totals_row(rng: random.Random, width: int, n: int) -> list:
    row = [None] * width
    form = rng.randrange(3)
    if form == 0:
        row[0], row[min(1, width - 1)] = "合计", f"{n}人"
    elif form == 1:
        row[0] = f"总计：{n}人"
    else:
        row[0], row[min(2, width - 1)] = "共计", str(n)
    return row


def _footer_texts(rng: random.Random) -> list[str]:
    day = _random_day(rng, rng.randint(2015, 2025))
    a, b = rng.sample(_TEACHERS, 2)
    options = [
        f"制表人：{a}",
        f"填表人：{a}",
        f"审核人：{b}",
        f"日期：{day.year}年{day.month}月{day.day}日",
        f"填表人：{a}　　审核人：{b}　　日期：{day:%Y.%m.%d}",
    ]
    return rng.sample(options, rng.randint(1, 2))


# ---------------------------------------------------------------------------------------------
# files


def _xlsx_bytes(tables: list[_Table]) -> bytes:
    wb = Workbook(write_only=True)
    wb.properties.creator = "兰州大学"
    wb.properties.created = _FIXED_TIME  # openpyxl stamps `modified` itself when saving
    for t in tables:
        ws = wb.create_sheet(t.name or "Sheet1")
        for row, width in t.merges:
            if width > 1:
                ws.merged_cells.add(f"A{row}:{get_column_letter(width)}{row}")
        for row in t.rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xls_bytes(tables: list[_Table]) -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    dated = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for t in tables:
        ws = wb.add_sheet(t.name)
        merged = dict(t.merges)
        for r, row in enumerate(t.rows, start=1):
            if merged.get(r, 1) > 1:
                ws.write_merge(r - 1, r - 1, 0, merged[r] - 1, row[0])
                continue
            for c, value in enumerate(row):
                if isinstance(value, date):
                    ws.write(r - 1, c, value, dated)
                elif value is not None:
                    ws.write(r - 1, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv_text(table: _Table, newline: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline)
    for row in table.rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def _html_bytes(table: _Table) -> bytes:
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v)) if v is not None else ''}</td>" for v in row) + "</tr>\n"
        for row in table.rows
    )
    return (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">\n<head><meta http-equiv="Content-Type" '
        f'content="text/html; charset=utf-8"></head>\n<body>\n<table border="1">\n{rows}</table>\n</body>\n'
        "</html>\n"
    ).encode()


def _mixed_encoding_bytes(table: _Table) -> bytes:
    """Two exports pasted together, one GBK and one UTF-8, with a byte lost in the copy."""
    lines = _csv_text(table, "\r\n").split("\r\n")
    half = max(2, len(lines) // 2)
    first, second = "\r\n".join(lines[:half]) + "\r\n", "\r\n".join(lines[half:])
    return first.encode("gb18030") + b"\x81\xff" + second.encode("utf-8")


def _encrypted(xlsx: bytes, password: str) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx)).encrypt(password, out)
    return out.getvalue()


def _docx_bytes(paragraphs: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{html.escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    parts = {
        "[Content_Types].xml": head + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": head + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": head + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
        f'main"><w:body>{body}</w:body></w:document>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            z.writestr(zipfile.ZipInfo(name, _FIXED_TIME.timetuple()[:6]), xml, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _png_bytes(width: int = 48, height: int = 32) -> bytes:
    raw = b"".join(b"\x00" + bytes(((x * 5) ^ (y * 7)) & 0xFF for x in range(width)) for y in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _owner_file(user: str) -> bytes:
    """What Excel leaves as ~$name.xlsx while the workbook is open: the user's name, twice."""
    name = user.encode("ascii")
    return (bytes([len(name)]) + name).ljust(54, b" ") + user.encode("utf-16-le").ljust(108, b"\x00")


class _Drops:
    """Writes the files under `out` and keeps the ground truth and the manifest in step with them."""

    def __init__(self, out: Path, truth, rng: random.Random, ref: _Reference, plan: LayoutPlan):
        self.out, self.rng, self.ref, self.plan = out, rng, ref, plan
        self.files: list[dict] = []
        self._truth = csv.writer(truth, lineterminator="\n")
        self._truth.writerow(["source_system", "source_file", "source_sheet", "source_row", "person_id"])

    def renderer(
        self,
        source: str,
        fmt: str,
        *,
        lang: str = "zh",
        ids: str = "text",
        traditional: bool = False,
        omit: tuple[str, ...] = (),
    ) -> _Renderer:
        excel = fmt in ("xlsx", "xls")
        cols = [
            c if c.field is None else _Col(h, c.field, _kind(c.field, h))
            for c in _columns(self.rng, source, lang, omit)
            for h in (c.header if c.field is None else self.plan.header_word(source, c.field, c.header),)
        ]
        return _Renderer(self.rng, cols, _style(self.rng, excel, lang, ids if excel else "text", traditional))

    def csv(self, rel: str, source: str, records: list, encoding: str = "utf-8") -> None:
        """An export from a system: the header on line 1, no title rows."""
        if records:
            self.write(rel, source, [self.renderer(source, "csv").table("", [], records)], encoding)

    def workbook(self, rel: str, source: str, sheets: list[tuple[str, str, list]], **habits) -> None:
        """One sheet per (name, title, records) that has records."""
        sheets = [s for s in sheets if s[2]]
        if sheets:
            r = self.renderer(source, rel.rsplit(".", 1)[1], **habits)
            self.write(
                rel, source, [r.table(name, [title] if title else [], records) for name, title, records in sheets]
            )

    def plain_table(self, source: str, fmt: str, name: str, records: list) -> _Table:
        """A sheet without decorations or bad rows, for the files refused whole."""
        return self.renderer(source, fmt).table(name, [], records, messy=False)

    def write(self, rel: str, source: str, tables: list[_Table], encoding: str = "utf-8") -> None:
        if rel.endswith(".xlsx"):
            data = _xlsx_bytes(tables)
        elif rel.endswith(".xls"):
            data = _xls_bytes(tables)
        else:
            data = _csv_text(tables[0], "\n" if encoding == "utf-8" else "\r\n").encode(encoding)
        self.file(rel, source, data, tables)

    def file(self, rel: str, source: str, data: bytes, tables: list[_Table] = (), reason: str | None = None) -> None:
        """Write a file and account for it; `reason` is what the pipeline must refuse (or defer) the whole file for."""
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        counts: Counter = Counter()
        for t in tables:
            for row, pid in t.truth:
                self._truth.writerow([source, rel, t.name, row, pid])
            counts.update(t.counts)

        def expected(codes: tuple[str, ...]) -> dict[str, int]:
            return {} if reason else {c: counts[c] for c in codes if counts[c]}

        self.files.append(
            {
                "path": rel,
                "source": source,
                "data_rows": sum(len(t.truth) for t in tables),
                "expect_file_reason": reason,
                "expect_row_reasons": expected(_ROW_REFUSALS),
                "expect_warnings": expected(_WARNINGS),
                "decorations": expected(_DECORATIONS),
            }
        )

    # record-level habits shared by the sources

    def typed_name(self, p: _Person, typo: float = 0.03) -> str:
        name = p.name
        if not p.latin and self.rng.random() < typo:
            spots = [i for i, c in enumerate(name) if c in _LOOKALIKES and i >= len(p.surname)]
            if spots:
                i = self.rng.choice(spots)
                name = name[:i] + _LOOKALIKES[name[i]] + name[i + 1 :]
        return name

    def recorded_id(self, p: _Person, year: int, presence: float) -> str | None:
        """The ID number as an office of that year had it: none before 1986, often 15 digits before 2000."""
        rng = self.rng
        if p.id18 is None or year < 1986 or rng.random() > presence:
            return None
        number = _old_id(p.id18) if year < 2000 and rng.random() < 0.6 else p.id18
        return _mistype(rng, number) if rng.random() < 0.015 else number

    def recorded_birth(self, p: _Person) -> date:
        if self.rng.random() < 0.015:  # a slip of the pen
            return p.birth + timedelta(days=self.rng.choice((-31, -2, -1, 1, 2, 365)))
        return p.birth

    def typed_dept(self, name: str) -> str:
        """A department or unit as people write it: now and then a short name ('兰医', '物理学院', '一附院')."""
        aliases = self.ref.aliases.get(name)
        return self.rng.choice(aliases) if aliases and self.rng.random() < 0.1 else name

    def level_word(self, level: str) -> str:
        return self.rng.choice(_LEVEL_WORDS[level])


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# ---------------------------------------------------------------------------------------------
# archives

_ARCHIVE_PERIODS = {
    "本科": (
        (1950, 1965),
        (1966, 1979),
        (1980, 1989),
        (1990, 1999),
        (2000, 2004),
        (2005, 2009),
        (2010, 2014),
        (2015, 2019),
        (2020, 2025),
    ),
    "专科": ((1950, 1979), (1980, 2005)),
    "硕士": ((1978, 1995), (1996, 2005), (2006, 2015), (2016, 2025)),
    "博士": ((1982, 2005), (2006, 2025)),
}
_ARCHIVE_CSV = {("专科", (1980, 2005)): "gb18030", ("本科", (2020, 2025)): "utf-8", ("硕士", (2016, 2025)): "utf-8-sig"}
_ARCHIVE_IDS = {("本科", (1990, 1999)): "number", ("硕士", (2006, 2015)): "sci", ("博士", (2006, 2025)): "number"}


def _archive_record(d: _Drops, p: _Person, s: _Study) -> dict:
    rng = d.rng
    early_name = p.former and s.grad.year < 1990
    return {
        "student_number": s.number if s.grad.year >= 1980 or rng.random() < 0.5 else None,
        "name": p.former if early_name else d.typed_name(p),
        "former_name": None if early_name else p.former,
        "gender": p.gender,
        "birth_date": d.recorded_birth(p),
        "id_number": d.recorded_id(p, s.grad.year, 0.95),
        "ethnicity": p.ethnicity,
        "native_place": p.native,
        "education_level": d.level_word(s.level),
        "study_form": rng.choice(("全日制", "普通全日制", "统招")),
        "enrol_date": s.enrol,
        "grad_date": s.grad,
        "department": d.typed_dept(s.dept),
        "major": s.major,
        "class_name": s.klass,
        "note": rng.choice(("结业", "肄业", "延期毕业", "转专业")) if rng.random() < 0.02 else None,
    }


def _write_archives(d: _Drops, people: list[_Person]) -> None:
    groups: dict[tuple[str, tuple[int, int]], list[tuple[_Person, _Study]]] = {}
    era_units = d.plan.era_units([u for u in d.ref.schools if d.ref.departments(u, ERA[1])])
    eras: dict[str, list[tuple[_Person, _Study]]] = {}  # a school's whole era, every level, in one CSV
    for p in people:
        for s in p.studies:
            if s.archived and s.unit in era_units and ERA[0] <= s.grad.year <= ERA[1]:
                eras.setdefault(s.unit, []).append((p, s))
            elif s.archived:
                period = next(pr for pr in _ARCHIVE_PERIODS[s.level] if pr[0] <= s.enrol.year <= pr[1])
                groups.setdefault((s.level, period), []).append((p, s))
    forced = locked = False
    for level, periods in _ARCHIVE_PERIODS.items():
        for period in periods:
            items = sorted(
                groups.get((level, period), ()),
                key=lambda ps: (ps[1].dept, ps[1].enrol, ps[1].major, ps[1].klass, ps[1].number),
            )
            a, b = period
            name = f"archives/{level}/{a}-{b}级{level}毕业生名册"
            if encoding := _ARCHIVE_CSV.get((level, period)):
                d.csv(
                    f"{name}.csv", "archives", [(p.pid, _archive_record(d, p, s), s.klass) for p, s in items], encoding
                )
                continue
            if not items:
                continue
            old = b < 1980  # digitised from paper in traditional characters, before ID numbers
            r = d.renderer(
                "archives",
                "xlsx",
                ids=_ARCHIVE_IDS.get((level, period), "text"),
                traditional=old,
                omit=("id_number",) if old else (),
            )
            tables = []
            sheets = d.plan.archive_sheets(
                d.plan.archive_layout(level, period),
                items,
                dept=lambda ps: ps[1].dept,
                klass=lambda ps: ps[1].klass,
                grad_year=lambda ps: ps[1].grad.year,
            )
            for sheet, group in sheets:
                records = [(p.pid, _archive_record(d, p, s), s.klass) for p, s in group]
                title = f"兰州大学{a}—{b}级{level}毕业生名单（{sheet}）"
                bad = _ROW_REFUSALS if not forced and len(records) >= 3 else ()
                forced = forced or bool(bad)
                tables.append(
                    r.table(_trad(sheet) if old else sheet, [_trad(title) if old else title], records, bad=bad)
                )
            d.write(f"{name}.xlsx", "archives", tables)
            if not locked:  # someone still has this workbook open
                d.file(
                    f"archives/{level}/~${a}-{b}级{level}毕业生名册.xlsx",
                    "archives",
                    _owner_file("dangan"),
                    reason="FILE_IN_PROGRESS",
                )
                locked = True
    levels = list(_ARCHIVE_PERIODS)
    for unit, items in sorted(eras.items()):
        items.sort(key=lambda ps: (ps[1].enrol, levels.index(ps[1].level), ps[1].major, ps[1].klass, ps[1].number))
        d.csv(
            f"archives/{d.ref.zh(unit)}_{ERA[0]}-{ERA[1]}届毕业生名册.csv",
            "archives",
            [(p.pid, _archive_record(d, p, s), s.klass) for p, s in items],
            d.plan.rng.choice(("gb18030", "utf-8-sig")),
        )


# ---------------------------------------------------------------------------------------------
# hr


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


# ---------------------------------------------------------------------------------------------
# continuing education


def _course_record(d: _Drops, p: _Person, c: _Course) -> dict:
    rng = d.rng
    return {
        "student_number": c.number,
        "name": d.typed_name(p),
        "gender": p.gender,
        "birth_date": d.recorded_birth(p),
        "id_number": d.recorded_id(p, c.grad.year, 0.9),
        "native_place": p.native,
        "education_level": d.level_word(c.level) if c.level else rng.choice(("结业", None)),
        "study_form": rng.choice(_CE_FORM_WORDS[c.form]),
        "enrol_date": c.enrol,
        "grad_date": c.grad,
        "major": c.major,
        "class_name": c.klass,
        "employer": p.employer,
        "mobile": p.landline if p.landline and rng.random() < 0.5 else p.mobile,
        "email": p.email if rng.random() < 0.6 else None,
        "address": p.address,
        "postcode": p.postcode,
        "note": None,
    }


def _write_continuing_ed(d: _Drops, people: list[_Person]) -> None:
    courses = sorted(((p, c) for p in people for c in p.courses), key=lambda pc: (pc[1].grad, pc[1].klass, pc[0].pid))

    def records(forms, first=1900, last=2100):
        return [
            (p.pid, _course_record(d, p, c), c.klass)
            for p, c in courses
            if c.form in forms and first <= c.grad.year <= last
        ]

    adult = ("函授", "夜大", "继续教育")
    d.csv("continuing_ed/电大/电大毕业生名册_1980-2005.csv", "continuing_ed", records(("电大",)), "gb18030")
    d.workbook(
        "continuing_ed/成人教育学院_函授夜大毕业生_1986-2000届.xls",
        "continuing_ed",  # the old system's export
        [
            (form if i == 0 else f"{form}({i + 1})", f"兰州大学成人教育学院{form}毕业生名册", chunk)
            for form in adult
            for i, chunk in enumerate(_chunks(records((form,), last=2000), 60000))
        ],
    )
    d.workbook(
        "continuing_ed/函授夜大及成人脱产_2001-2025届.xlsx",
        "continuing_ed",
        [(form, f"{form}毕业生名单", records((form,), first=2001)) for form in adult],
        omit=d.plan.omitted("continuing_ed"),
    )  # now and then without birth date and gender: the IDs hold both
    d.csv(
        "continuing_ed/网络教育/网络教育毕业生_2003-2012届.csv",
        "continuing_ed",
        records(("网络教育",), last=2012),
        "utf-8-sig",
    )
    d.workbook(
        "continuing_ed/网络教育/网络教育毕业生_2013-2025届.xlsx",
        "continuing_ed",
        [
            (f"{year}届", f"兰州大学网络教育{year}届毕业生名单", records(("网络教育",), year, year))
            for year in range(2013, _TODAY.year + 1)
        ],
        ids="sci",
    )
    training = records(("研修班",))
    d.workbook(
        "continuing_ed/研修班/研修班结业学员名单.xlsx",
        "continuing_ed",
        [
            (course, f"{course}结业学员名单", [r for r in training if r[1]["major"] == course])
            for course in _TRAINING_COURSES
        ],
        omit=("education_level",),
    )
    merged = [pc for pc in courses if pc[1].form == "网络教育"][:12] or courses[:12]
    table = d.plain_table("continuing_ed", "csv", "", [(p.pid, _course_record(d, p, c), None) for p, c in merged])
    d.file(
        "continuing_ed/网络教育/网络教育学籍_合并导出.csv",
        "continuing_ed",
        _mixed_encoding_bytes(table),
        [table],
        reason="FILE_ENCODING_UNKNOWN",
    )


# ---------------------------------------------------------------------------------------------
# international


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


# ---------------------------------------------------------------------------------------------
# unit updates


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


# ---------------------------------------------------------------------------------------------
# self-reported forms

_DISCIPLINES = {
    "人文社科": ("LIT", "HIS", "PHS", "ECO", "MGT", "LAW", "PIR", "MAR", "JOU", "FLL", "ART"),
    "理工": ("MAT", "PHY", "CHE", "LIF", "RES", "GEO", "ATM", "PAS", "NUC", "INF", "CIV", "MAE"),
    "医学": ("BAS", "CL1", "CL2", "STO", "PUB", "PHA", "NUR"),
}


def _self_record(d: _Drops, p: _Person) -> dict:
    rng, s = d.rng, p.studies[-1]
    return {
        "name": p.name,
        "gender": p.gender,
        "birth_date": p.birth,
        "id_number": d.recorded_id(p, 2025, 0.9),
        "native_place": p.native,
        "education_level": d.level_word(s.level),
        "enrol_date": s.enrol,
        "grad_date": s.grad,
        "department": s.dept if rng.random() < 0.5 else d.ref.zh(s.unit),
        "major": s.major,
        "employer": p.employer,
        "position": p.position,
        "mobile": p.mobile,
        "email": p.email,
        "address": p.address,
        "postcode": p.postcode,
        "update_date": p.self_report,
    }


def _write_self_reported(d: _Drops, people: list[_Person]) -> None:
    reporters = [p for p in people if p.self_report]
    singles: dict[str, _Person] = {}  # a few forms arrive one by one
    for p in reporters:
        if len(singles) < 3 and p.name not in singles:
            singles[p.name] = p
    for name, p in singles.items():
        table = d.renderer("self_reported", "xlsx").table(
            "Sheet1", ["兰州大学校友个人信息表"], [(p.pid, _self_record(d, p), None)], messy=False
        )
        d.write(f"self_reported/校友个人信息表_{name}.xlsx", "self_reported", [table])
    rest = [p for p in reporters if singles.get(p.name) is not p]
    for group, units in _DISCIPLINES.items():
        d.workbook(
            f"self_reported/校友个人信息表汇总_{group}.xlsx",
            "self_reported",
            [
                (
                    d.ref.zh(unit),
                    f"{d.ref.zh(unit)}校友个人信息表汇总",
                    [(p.pid, _self_record(d, p), None) for p in rest if p.studies[-1].unit == unit],
                )
                for unit in units
            ],
            ids="number" if group == "医学" else "text",
        )
    template = _Table("Sheet1", rows=[list(SOURCES["self_reported"]["columns"])])
    d.file("self_reported/校友个人信息表（模板）.xlsx", "self_reported", _xlsx_bytes([template]), reason="FILE_EMPTY")
    d.file("self_reported/校友个人信息表_手机拍照.png", "self_reported", _png_bytes(), reason="FILE_NOT_SPREADSHEET")


# ---------------------------------------------------------------------------------------------
# class-liaison register


def _write_class_liaisons(d: _Drops, people: list[_Person]) -> None:
    """Half the schools send their register: most of their graduated classes (unit, major, year), each
    with one of its own alumni as liaison; the other classes have none yet."""
    classes: dict[tuple[str, str, int], list[_Person]] = {}
    for p in people:
        for s in p.studies:
            if s.grad <= _TODAY and not p.latin:
                classes.setdefault((s.unit, s.major, s.grad.year), []).append(p)
    for unit in d.ref.schools[::2]:
        zh = d.ref.zh(unit)
        t = _Table("联络人", rows=[[f"{zh}毕业班级联络人名册"], list(SOURCES["class_liaisons"]["columns"])])
        for (_, major, year), members in sorted((k, v) for k, v in classes.items() if k[0] == unit):
            if d.rng.random() < 0.7:
                p = d.rng.choice(members)
                t.rows.append([zh, major, year, f"{year}届{major}", p.name, p.mobile, p.email or None, None])
                t.truth.append((len(t.rows), p.pid))
        if t.truth:
            d.file(f"class_liaisons/{zh}_班级联络人名册.xlsx", "class_liaisons", _xlsx_bytes([t]), [t])


# ---------------------------------------------------------------------------------------------


def _invent(persons: int, seed: int) -> tuple[random.Random, _Reference, list[_Person]]:
    rng = random.Random(seed)
    ref = _Reference()
    return rng, ref, _People(rng, ref).make(persons)


def write_sample(out: Path, persons: int, seed: int) -> dict:
    """Write a sample of every landing source for `persons` invented people under `out`; return the manifest.

    Files listed by an earlier sample's manifest in `out` are removed first; nothing else is touched.
    """
    if persons < MIN_PERSONS:
        raise ValueError(f"persons must be at least {MIN_PERSONS}, got {persons}")
    out = Path(out)
    previous = out / "sample_manifest.json"
    if previous.exists():
        for f in json.loads(previous.read_text(encoding="utf-8"))["files"]:
            (out / f["path"]).unlink(missing_ok=True)
    rng, ref, people = _invent(persons, seed)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "ground_truth.csv", "w", encoding="utf-8", newline="") as truth:
        drops = _Drops(out, truth, rng, ref, LayoutPlan(seed))
        for write in (
            _write_archives,
            _write_hr,
            _write_continuing_ed,
            _write_international,
            _write_unit_updates,
            _write_self_reported,
            _write_class_liaisons,
        ):
            write(drops, people)
    manifest = {"persons": persons, "seed": seed, "files": drops.files}
    previous.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest
