"""Education level, study form, and plausibility of enrolment and graduation years."""

from __future__ import annotations

import re

from ._text import text

# (label, fragments found anywhere, whole words or whole values), checked in order: the more specific first.
_LEVELS = (
    ("博士后", ("博士后",), ("postdoc", "postdoctoral")),
    ("专升本", ("专升本", "专科起点本科"), ()),
    ("高起本", ("高起本", "高中起点本科"), ()),
    ("高起专", ("高起专", "高中起点专科"), ()),
    ("研修", ("研修", "进修"), ("training",)),
    ("博士", ("博士",), ("phd", "dphil", "doctor", "doctoral", "doctorate")),
    ("硕士", ("硕士", "研究生"), ("master", "masters", "msc", "ma", "ms", "mphil", "meng", "mba", "mpa", "llm")),
    ("专科", ("专科", "大专", "高职"), ("associate", "diploma")),
    ("本科", ("本科", "学士"), ("大学", "bachelor", "bachelors", "ba", "bs", "bsc", "beng", "llb", "undergraduate")),
)

_FORMS = (
    (None, ("非全日制",), ("parttime",)),
    ("全日制", ("全日制", "统招", "普通高等教育"), ("fulltime",)),
    ("网络教育", ("网络", "远程", "网教"), ("online", "distance")),
    ("电大", ("电大", "电视大学", "开放大学"), ()),
    ("夜大", ("夜大",), ("evening", "night")),
    ("函授", ("函授",), ("correspondence",)),
    ("业余", ("业余",), ()),
    ("研修班", ("研修", "进修", "培训"), ("training",)),
    ("自考", ("自考", "自学考试"), ("selfstudy",)),
)


def _lookup(s: object, table: tuple) -> str | None:
    t = text(s).lower()
    bare = re.sub(r"['’.\-]", "", t)  # 'Ph.D.' -> 'phd', "Master's" -> 'masters', 'Full-time' -> 'fulltime'
    words = set(bare.split()) | {"".join(bare.split())}
    for label, fragments, whole in table:
        if any(f in t for f in fragments) or words.intersection(whole):
            return label
    return None


def education_level(s: object) -> str | None:
    """One of 专科 本科 硕士 博士 专升本 高起本 高起专 研修 博士后, from what files say
    ('大学本科', '学士', '硕士研究生', 'MSc', 'Ph.D.', '大专' ...); None when unknown."""
    return _lookup(s, _LEVELS)


def study_form(s: object) -> str | None:
    """One of 全日制 函授 业余 夜大 电大 网络教育 研修班 自考; None when unknown or only '非全日制'."""
    return _lookup(s, _FORMS)


def check_years(enrol_year: int | None, grad_year: int | None, birth_year: int | None) -> list[str]:
    """Implausible combinations: GRAD_BEFORE_ENROL, STUDY_TOO_LONG (over 12 years), ENROL_TOO_YOUNG
    (under 14), ENROL_TOO_OLD (over 70). Missing years are not checked."""
    flags = []
    if enrol_year and grad_year:
        if grad_year < enrol_year:
            flags.append("GRAD_BEFORE_ENROL")
        elif grad_year - enrol_year > 12:
            flags.append("STUDY_TOO_LONG")
    if enrol_year and birth_year:
        if enrol_year - birth_year < 14:
            flags.append("ENROL_TOO_YOUNG")
        elif enrol_year - birth_year > 70:
            flags.append("ENROL_TOO_OLD")
    return flags
