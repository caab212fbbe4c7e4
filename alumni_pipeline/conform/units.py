"""Names of departments, units and majors as comparison keys, and the kind of role a staff member or
visitor held: what attribution to a unit needs beyond the field normalisers."""

from __future__ import annotations

import re

from .chinese import simplified

_NOTE = re.compile(r"[(\[【][^)\]】]*[)\]】]")  # '文学院(原中文系)', '临床医学(五年制)'
_NOT_WORD = re.compile(r"[\W_]+")
_UNIVERSITY = re.compile(r"^(?:国立)?(?:兰州大学|兰大|lanzhouuniversity|lzu)(?=.)|(?<=.)(?:lanzhouuniversity|lzu)$")
_MAJOR_SUFFIX = re.compile(r"(?:专业|方向)$")


def unit_name_key(s: object) -> str | None:
    """A department or unit name as a comparison key: bracketed notes, spaces and punctuation gone,
    simplified characters, lower case, without the university's name ('兰州大学 文學院' -> '文学院',
    'School of Literature, Lanzhou University' -> 'schoolofliterature'). None when nothing is left."""
    t = _NOT_WORD.sub("", _NOTE.sub("", simplified(s)).lower())
    t = _UNIVERSITY.sub("", t)
    t = re.sub(r"^the(?=[a-z])", "", t)
    return t or None


def major_name_key(s: object) -> str | None:
    """A major as a comparison key: as unit_name_key, without a trailing '专业' ('汉语言文学专业' -> '汉语言文学')."""
    key = unit_name_key(s)
    return (_MAJOR_SUFFIX.sub("", key) or None) if key else None


# (kind, fragments found anywhere in the lower-cased value), checked in order: the more specific first.
_ROLES = (
    ("honorary_professor", ("名誉教授", "荣誉教授", "honorary")),
    ("guest_professor", ("客座教授", "讲座教授", "guest", "visiting professor", "chair professor")),
    (
        "visiting_scholar",
        (
            "访问学者",
            "访学",
            "进修教师",
            "visiting scholar",
            "visiting researcher",
            "visiting fellow",
            "research fellow",
        ),
    ),
    (
        "foreign_staff",
        (
            "外籍教师",
            "外籍专家",
            "外国专家",
            "外教",
            "foreign teacher",
            "foreign expert",
            "foreign lecturer",
            "language teacher",
        ),
    ),
    ("student", ("留学生", "交换生", "进修生", "student")),
    ("part_time_teacher", ("兼职", "外聘", "part-time", "part time", "adjunct")),
    (
        "staff",
        (
            "教师",
            "教授",
            "讲师",
            "助教",
            "专任",
            "行政",
            "管理",
            "教辅",
            "工勤",
            "职工",
            "职员",
            "干部",
            "博士后",
            "医生",
            "医师",
            "医技",
            "护士",
            "护师",
            "技师",
            "药师",
            "研究员",
            "实验",
            "辅导员",
            "工程师",
            "退休",
            "在编",
            "合同",
            "staff",
            "faculty",
            "professor",
            "lecturer",
            "employee",
        ),
    ),
)


def role_kind(s: object) -> str | None:
    """What a role cell says a person was here: one of the kinds of _ROLES ('客座教授' -> 'guest_professor',
    'Visiting Scholar' -> 'visiting_scholar', '专任教师' -> 'staff'); None when unknown."""
    t = " ".join(simplified(s).lower().split())
    return next((kind for kind, fragments in _ROLES if any(f in t for f in fragments)), None) if t else None
