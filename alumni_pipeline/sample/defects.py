"""The deliberate messiness of the sample, and the accounting codes the manifest expects for it: rows
the pipeline must refuse and the sentences typed into name cells, decorations around the person rows
(title, blank, repeated-header, totals and footer rows), and the record-level habits every source shares
(`_Habits`): homophone typos in names, ID numbers missing, in their old 15-digit form or mistyped, a slip
of the pen in a birth date, short names for departments, level words.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .files import _Table
from .person import _Person
from .reference import _Reference
from .vocabulary import _LEVEL_WORDS, _random_day

# the codes the manifest counts per file
_ROW_REFUSALS = ("ROW_NO_NAME", "ROW_NAME_INVALID")
_WARNINGS = ("ID_SCIENTIFIC", "ID_PRECISION_LOST")
_DECORATIONS = ("ROW_TOTALS", "ROW_FOOTER", "ROW_BLANK", "ROW_REPEATED_HEADER")

# homophone typos in given names
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
# who signs a footer row
_TEACHERS = ("张老师", "李老师", "王老师", "刘老师", "陈老师", "马老师", "赵主任", "杨主任")
# sentences typed into a name cell (ROW_NAME_INVALID)
_SENTENCES = (
    "该生学籍档案已于毕业当年转至研究生院统一管理如需查询请与档案馆学籍科联系并办理相关手续谢谢配合",
    "此处信息由班级联络人根据毕业合影照片回忆整理可能存在错误请校友本人核实后反馈至学院校友工作办公室",
    "以下人员为转专业学生其原始学籍记录保存在原所在院系请联系原院系教学秘书核对后再行补充完整相关信息",
)


# ID numbers (GB 11643-1999) as offices have them


def _old_id(id18: str) -> str:
    """The 15-digit number issued before 1999: no century, no check digit."""
    return id18[:6] + id18[8:17]


def _mistype(rng: random.Random, number: str) -> str:
    i = rng.randrange(len(number) - 1)
    return number[:i] + str((int(number[i]) + rng.randint(1, 9)) % 10) + number[i + 1 :]


# rows around the person rows


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


# record-level habits


class _Habits:
    """Record-level habits shared by the sources; mixed into `_Drops`, which holds `rng` and `ref`."""

    rng: random.Random
    ref: _Reference

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
