"""Canonical fields, and the one alias table that maps what units type as headers onto them (the
landing sources and their template columns are in `alumni_pipeline.sources`).

A header cell is matched after `header_key` folds it: no BOM, zero-width or control characters, NFKC,
no spaces, no '*' or ':' marks, no bracketed notes such as '(必填)' or '（yyyy-mm-dd）', lower case.
"""

from __future__ import annotations

import re
import unicodedata

# canonical field -> (canonical Chinese header used in templates, aliases seen in real files)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": (
        "姓名",
        (
            "学生姓名",
            "校友姓名",
            "教职工姓名",
            "中文姓名",
            "名字",
            "name",
            "fullname",
            "姓 名",
            "联络人姓名",
            "班级联络人姓名",
            "liaisonname",
        ),
    ),
    "name_en": (
        "英文姓名",
        ("外文姓名", "英文名", "拼音姓名", "姓名拼音", "englishname", "nameinpinyin", "pinyinname"),
    ),
    # a name typed in two columns (a roster with 姓 and 名, a guest list with Surname and Given Name):
    # conform composes the whole name from them when there is no whole-name column
    "surname": ("姓", ("姓氏", "surname", "familyname", "lastname", "英文姓", "surnameinpinyin")),
    "given_name": (
        "名",
        ("givenname", "givennames", "firstname", "firstnames", "forename", "forenames", "christianname"),
    ),
    "former_name": ("曾用名", ("原名", "formername")),
    "gender": ("性别", ("性 别", "sex", "gender", "男/女")),
    "birth_date": (
        "出生日期",
        (
            "出生年月",
            "出生年月日",
            "生日",
            "出生时间",
            "出生日期(年月日)",
            "dateofbirth",
            "birthdate",
            "dob",
            "birthday",
        ),
    ),
    "id_number": (
        "身份证号",
        (
            "身份证号码",
            "公民身份号码",
            "身份证",
            "身份证件号",
            "身份证件号码",
            "证件号码",
            "居民身份证号",
            "idnumber",
            "idcard",
            "idno",
            "idcardno",
        ),
    ),
    "passport_number": ("护照号", ("护照号码", "护照", "passport", "passportno", "passportnumber")),
    "nationality": ("国籍", ("国家", "国家/地区", "nationality", "country", "citizenship")),
    "native_place": ("籍贯", ("生源地", "原籍", "出生地", "nativeplace", "hometown", "placeoforigin")),
    "ethnicity": ("民族", ("ethnicity",)),
    "student_number": ("学号", ("学籍号", "学生编号", "studentid", "studentnumber", "studentno")),
    "staff_number": ("工号", ("职工号", "教工号", "人事编号", "staffid", "staffnumber", "employeeid")),
    "education_level": (
        "学历",
        ("学历层次", "培养层次", "层次", "学位", "学历/学位", "degree", "educationlevel", "level"),
    ),
    "study_form": ("学习形式", ("办学形式", "培养方式", "学习方式", "教育形式", "studyform", "modeofstudy")),
    "enrol_date": (
        "入校时间",
        (
            "入学时间",
            "入学年份",
            "入学年月",
            "入学日期",
            "入校年份",
            "入学年级",
            "年级",
            "enrolment",
            "enrollment",
            "enrolmentdate",
            "enrollmentdate",
            "yearofentry",
            "entryyear",
        ),
    ),
    "grad_date": (
        "毕业时间",
        (
            "毕业年份",
            "毕业年月",
            "毕业日期",
            "毕业届别",
            "届别",
            "结业时间",
            "graduation",
            "graduationdate",
            "graduationyear",
            "yearofgraduation",
        ),
    ),
    "department": (
        "毕业院系",
        (
            "院系",
            "所在院系",
            "院系名称",
            "学院",
            "所在学院",
            "系别",
            "系",
            "院(系)",
            "院（系）",
            "培养单位",
            "departmentofstudy",
            "department",
            "school",
            "hostschool",
            "hostunit",
            "hostdepartment",
            "接待单位",
            "接待学院",
            "单位/毕业院系",
            "所属学院",
        ),
    ),
    "major": ("专业", ("所学专业", "专业名称", "毕业专业", "专业方向", "major", "specialty", "discipline", "subject")),
    "class_name": ("班级", ("所在班级", "班级名称", "class")),
    "work_unit": (
        "在校工作单位",
        ("工作部门", "所在部门", "所在单位", "校内工作单位", "原工作单位(校内)", "任职单位", "unitworkedin"),
    ),
    "work_period": (
        "在校工作时间",
        (
            "任职时间",
            "在校任职时间",
            "工作起止时间",
            "来访时间",
            "访问期间",
            "访问时间",
            "periodofservice",
            "visitperiod",
            "period",
        ),
    ),
    "work_start": (
        "入职时间",
        ("来校时间", "参加工作时间(来校)", "到校时间", "访问开始时间", "startdate", "visitstart", "from"),
    ),
    "work_end": ("离校时间", ("离职时间", "调离时间", "退休时间", "访问结束时间", "enddate", "visitend", "to")),
    "role": (
        "身份类别",
        ("人员类别", "人员类型", "身份", "类别", "聘任类型", "职位类别", "category", "role", "appointment", "type"),
    ),
    "title": ("职称", ("专业技术职务", "academictitle", "title")),
    "employer": (
        "现工作单位",
        (
            "工作单位",
            "现单位",
            "现任职单位",
            "工作单位名称",
            "currentemployer",
            "employer",
            "organization",
            "organisation",
            "institution",
            "affiliation",
            "homeinstitution",
        ),
    ),
    "position": ("职务", ("现任职务", "职位", "行政职务", "position", "jobtitle")),
    "mobile": (
        "手机",
        (
            "手机号",
            "手机号码",
            "移动电话",
            "联系电话",
            "电话",
            "联系方式",
            "mobile",
            "mobilephone",
            "cellphone",
            "phone",
            "tel",
            "联络人手机",
            "联络人电话",
        ),
    ),
    "landline": ("固定电话", ("座机", "办公电话", "家庭电话", "landline", "officephone")),
    "email": (
        "电子邮箱",
        ("邮箱", "电子邮件", "e-mail", "email", "emailaddress", "mail", "联络人邮箱", "联络人电子邮箱"),
    ),
    "wechat": ("微信", ("微信号", "wechat")),
    "address": ("通讯地址", ("联系地址", "地址", "家庭住址", "邮寄地址", "现住址", "address", "mailingaddress")),
    "postcode": ("邮政编码", ("邮编", "postcode", "zipcode", "postalcode")),
    "update_date": ("更新日期", ("填表日期", "填报日期", "更新时间", "提交时间", "dateupdated", "updated")),
    "channel": ("信息来源", ("来源", "收集渠道", "channel", "source")),
    "note": ("备注", ("说明", "remark", "remarks", "note", "notes", "comment")),
}

CANONICAL_COLUMNS: tuple[str, ...] = tuple(FIELDS)
# a header row names a person when it has one of these; a data row is a person's when one is filled in
NAME_FIELDS: frozenset[str] = frozenset({"name", "name_en", "surname", "given_name"})

_NOTE = re.compile(r"[(（\[【<《][^)）\]】>》]*[)）\]】>》]")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # BOM, zero-width, control
_MARKS = re.compile(r"[\s*:：_.\-·•#/\\]+")


def clean_header_text(text: object) -> str:
    """A header cell's text without the BOMs, zero-width and control characters copying leaves in it."""
    return _INVISIBLE.sub("", str(text or "")).strip()


def header_key(text: object) -> str:
    """Fold a header cell so that '学生姓名 *', '姓名（必填）' and 'Name:' compare by their words."""
    s = unicodedata.normalize("NFKC", clean_header_text(text)).lower()
    bare = _NOTE.sub("", s)
    return _MARKS.sub("", bare or s)


_ALIASES: dict[str, str] = {}
for _field, (_zh, _variants) in FIELDS.items():
    for _v in (_zh, _field, *_variants):
        _ALIASES.setdefault(header_key(_v), _field)


# header texts exactly as the alias table spells them: a cheap first test of whether a row repeats the header
HEADER_WORDS = frozenset(v for f, (zh, variants) in FIELDS.items() for v in (f, zh, *variants))


def canonical_field(header: object) -> str | None:
    """The canonical field a header cell names, or None for a column we keep as an extra."""
    return _ALIASES.get(header_key(header))
