"""Names, places and other things people are made of: surnames and given names with their weights,
ethnicities, ID regions and native places, addresses, employers and positions, universities, foreign
countries with their passports and names, visit roles, levels and continuing-education forms, collection
channels and rounds; and the small draws that turn them into a day, a mobile number, an address, a
passport number, a pinyin or traditional-character name.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import cache
from itertools import accumulate

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
