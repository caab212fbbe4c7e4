"""How two person records are compared: the one definition of every comparison, read by everything
that needs it.

A comparison is a small set of ordered levels (Splink's model): each level carries its SQL condition
on two records `{l}` and `{r}`, its label in English and in Chinese (the stewards' workbook), and,
where policy sets it, a fixed m or a hard negative. Levels are listed in the order SQL evaluates them;
`value` is the number a pair is given (0 the strongest agreement; NULL_VALUE, -1, a value missing,
which says nothing). From this spec come:

- the SQL of the levels, which dbt's macro `comparison_levels` reads through the DuckDB function
  `comparison_levels_sql` (registered by the dbt plugin), so SQL and Python never disagree;
- the number of levels and the fixed m the weights are estimated with (identity/resolve.py);
- the hard negatives (pairs that stay apart whatever their score) and what settles them;
- the labels the review workbook explains a score with (identity/review.py).

Adding a level is one edit here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

NULL_VALUE = -1
ALWAYS = "always"  # a hard negative no other evidence overrides


@dataclass(frozen=True)
class Level:
    value: int  # the number pairs at this level get: 0 strongest, NULL_VALUE missing
    label: str
    label_zh: str
    when: str | None  # SQL condition on {l} and {r}; None: every pair no earlier level took
    m: float | None = None  # fixed by policy; otherwise estimated from the data
    # a pair at this level stays apart: ALWAYS, or when the named fact holds for the pair
    hard_negative: str | None = None
    settles: bool = False  # one person whatever soft conflict (a hard negative that is not ALWAYS) says
    term_frequency: bool = False  # the weight is the name's own: agreeing on a rare name says more


@dataclass(frozen=True)
class Comparison:
    name: str
    label_zh: str
    levels: tuple[Level, ...]  # in the order SQL evaluates them
    class_evidence: bool = False  # what an archives class list says of its namesakes (resolve.score_pairs)

    def __post_init__(self):
        values = sorted(lv.value for lv in self.levels if lv.value != NULL_VALUE)
        if values != list(range(len(values))):
            raise ValueError(f"comparison {self.name}: level values {values} are not 0..{len(values) - 1}")
        if any(lv.when is None for lv in self.levels[:-1]):
            raise ValueError(f"comparison {self.name}: only its last level may take every pair left")

    @property
    def size(self) -> int:
        """How many levels carry a weight (the null level carries none)."""
        return sum(lv.value != NULL_VALUE for lv in self.levels)

    def by_value(self) -> list[Level]:
        return sorted((lv for lv in self.levels if lv.value != NULL_VALUE), key=lambda lv: lv.value)

    def value(self, label: str) -> int:
        """The value of the level with this English label."""
        return next(lv.value for lv in self.levels if lv.label == label)

    def sql(self, left: str = "l", right: str = "r") -> str:
        clauses = [f"when {_bind(lv.when, left, right)} then {lv.value}" for lv in self.levels if lv.when is not None]
        last = self.levels[-1]
        otherwise = NULL_VALUE if last.when is not None else last.value
        return "case " + " ".join(clauses) + f" else {otherwise} end as {self.name}_level"


@dataclass(frozen=True)
class Fact:
    """A fact about a pair the hard negatives read, from what the records state, never where a row sits."""

    name: str
    when: str
    hard_negative: bool = False  # a soft conflict by itself: settled by a level that settles


@dataclass(frozen=True)
class Spec:
    comparisons: tuple[Comparison, ...]
    facts: tuple[Fact, ...] = field(default=())

    def __getitem__(self, name: str) -> Comparison:
        return next(c for c in self.comparisons if c.name == name)

    @property
    def sizes(self) -> dict[str, int]:
        return {c.name: c.size for c in self.comparisons}

    @property
    def fixed_m(self) -> dict[str, list[float]]:
        """The comparisons whose m policy sets, level by level."""
        return {
            c.name: [lv.m for lv in c.by_value()]
            for c in self.comparisons
            if all(lv.m is not None for lv in c.by_value())
        }

    def select_sql(self, left: str = "l", right: str = "r", facts: bool = True) -> str:
        """The select list giving a pair of records `left` and `right` every level (and the facts)."""
        parts = [c.sql(left, right) for c in self.comparisons]
        if facts:
            parts += [f"({_bind(f.when, left, right)}) as {f.name}" for f in self.facts]
        return ",\n        ".join(parts)

    def hard_negative(self, pairs: pd.DataFrame) -> pd.Series:
        """Pairs that must stay apart whatever their score: a level that is always a hard negative, or
        a soft conflict (a level whose fact holds, or a fact that is one) that no settling level
        overrides."""
        firm = pd.Series(False, index=pairs.index)
        soft, settled = firm.copy(), firm.copy()
        for c in self.comparisons:
            if not any(lv.hard_negative or lv.settles for lv in c.levels):
                continue
            level = pairs[f"{c.name}_level"]
            for lv in c.levels:
                if lv.hard_negative == ALWAYS:
                    firm |= level == lv.value
                elif lv.hard_negative:
                    soft |= (level == lv.value) & pairs[lv.hard_negative].eq(True)
                if lv.settles:
                    settled |= level == lv.value
        for f in self.facts:
            if f.hard_negative:
                soft |= pairs[f.name].eq(True)
        return firm | soft & ~settled

    def explain_zh(self, pair) -> str:
        """'姓名 相同 +10.6；出生日期 缺失 +0.0；…': what each comparison said of a scored pair and what
        it weighed."""
        parts = []
        for c in self.comparisons:
            value = int(pair[f"{c.name}_level"])
            said = next(lv.label_zh for lv in c.levels if lv.value == value)
            parts.append(f"{c.label_zh} {said} {pair[f'{c.name}_weight']:+.1f}")
        return "；".join(parts)


def _bind(condition: str, left: str, right: str) -> str:
    return " ".join(condition.replace("{l}", left).replace("{r}", right).split())


def _missing(*columns: str) -> Level:
    """The null level: a value missing on either side."""
    return Level(NULL_VALUE, "missing", "缺失", " or ".join(f"{{l}}.{c} is null or {{r}}.{c} is null" for c in columns))


def _two_part(outer: str, inner: str, labels: list[tuple[str, str]]) -> tuple[Level, ...]:
    """A value of two parts, the inner one within the outer (a unit and its major, a province and its
    city): both parts the same, the same outer part with the inner on one side only, the same outer
    part and different inner ones, different outer parts."""
    same = f"{{l}}.{outer} = {{r}}.{outer}"
    (l0, z0), (l1, z1), (l2, z2), (l3, z3) = labels
    return (
        _missing(outer),
        Level(0, l0, z0, f"{same} and {{l}}.{inner} = {{r}}.{inner}"),
        Level(1, l1, z1, f"{same} and ({{l}}.{inner} is null or {{r}}.{inner} is null)"),
        Level(2, l2, z2, same),
        Level(3, l3, z3, None),
    )


def _equal(column: str) -> tuple[Level, ...]:
    return (
        _missing(column),
        Level(0, "same", "相同", f"{{l}}.{column} = {{r}}.{column}"),
        Level(1, "different", "不同", None),
    )


# Both sides' graduation year within two programmes at once: the same year, or overlapping years, in
# different units or majors.
_AT_ONCE = """({l}.grad_year = {r}.grad_year
    or {l}.enrol_year < {r}.grad_year - 1 and {r}.enrol_year < {l}.grad_year - 1)
    and ({l}.unit_code <> {r}.unit_code or {l}.major_key <> {r}.major_key)"""

SPEC = Spec(
    comparisons=(
        Comparison(
            "name",
            "姓名",
            (
                _missing("name_key"),
                Level(0, "same name", "相同", "{l}.name = {r}.name", term_frequency=True),
                # a homophone, the traditional form, a pinyin name in either order
                Level(1, "same pinyin", "拼音相同", "{l}.name_key = {r}.name_key", term_frequency=True),
                Level(2, "close pinyin", "拼音相近", "jaro_winkler_similarity({l}.name_key, {r}.name_key) >= 0.92"),
                Level(3, "different", "不同", None),
            ),
            class_evidence=True,
        ),
        Comparison(
            "birth",
            "出生日期",
            (
                _missing("birth_date"),
                Level(0, "same day", "相同", "{l}.birth_date = {r}.birth_date and {l}.birth_precision = 'day'"),
                Level(
                    1,
                    "same month",  # one of them without a day
                    "年月相同",
                    """left({l}.birth_date, 7) = left({r}.birth_date, 7)
                       and least(length({l}.birth_date), length({r}.birth_date)) = 7""",
                ),
                Level(
                    2,
                    "same year",  # one of them a year alone
                    "年份相同",
                    "starts_with({l}.birth_date, {r}.birth_date) or starts_with({r}.birth_date, {l}.birth_date)",
                ),
                # a typist's slip: one character wrong, two neighbours swapped, day and month swapped,
                # or a few days off (identity/typos.py `dates_close`, also what clustering keeps apart)
                Level(
                    3,
                    "close",
                    "相近",
                    """{l}.birth_precision = 'day' and {r}.birth_precision = 'day'
                       and dates_close({l}.birth_date, {r}.birth_date)""",
                ),
                Level(4, "conflict", "不同", None, hard_negative="both_registries"),
            ),
        ),
        Comparison(
            "gender",
            "性别",
            (
                _missing("gender"),
                Level(0, "same", "相同", "{l}.gender = {r}.gender"),
                Level(1, "conflict", "不同", None, hard_negative="genders_from_id"),
            ),
        ),
        # Policy, not data: two different valid ID numbers are never one person; the same region and
        # birth date in a damaged number is weaker evidence than the whole number.
        Comparison(
            "id",
            "身份证号",
            (
                Level(0, "same valid number", "相同", "{l}.id_number = {r}.id_number", m=0.9, settles=True),
                # two valid numbers a typist's slip apart (identity/typos.py `id_numbers_close`), or the
                # same region and birth date in an invalid or damaged number
                Level(
                    1,
                    "close",
                    "相近（地区和生日相同，或仅差一位）",
                    """{l}.id_number is not null and {r}.id_number is not null
                       and id_numbers_close({l}.id_number, {r}.id_number)
                       or ({l}.id_number is null or {r}.id_number is null) and {l}.id_partial = {r}.id_partial""",
                    m=0.09,
                ),
                Level(
                    2,
                    "two valid numbers",
                    "不同",
                    "{l}.id_number is not null and {r}.id_number is not null",
                    m=0.001,
                    hard_negative=ALWAYS,
                ),
                Level(
                    3,
                    "different region or date",
                    "地区或生日不同",
                    "{l}.id_partial is not null and {r}.id_partial is not null",
                    m=0.009,
                ),
                Level(NULL_VALUE, "missing", "缺失", None),
            ),
        ),
        # A passport or other travel document: most often the same, sometimes mistyped, and now and
        # then another passport of the same person (evidence, not a hard negative).
        Comparison(
            "document",
            "护照号",
            (
                _missing("passport_number"),
                Level(0, "same", "相同", "{l}.passport_number = {r}.passport_number", m=0.85, settles=True),
                Level(
                    1,
                    "one slip apart",
                    "仅差一位",
                    "id_numbers_close({l}.passport_number, {r}.passport_number)",
                    m=0.1,
                ),
                Level(2, "different", "不同", None, m=0.05),
            ),
        ),
        # different units: their majors then differ too (one comparison, not two)
        Comparison(
            "study",
            "单位和专业",
            _two_part(
                "unit_code",
                "major_key",
                [
                    ("same unit and major", "单位和专业相同"),
                    ("same unit, major on one side", "单位相同（一方无专业）"),
                    ("same unit, different majors", "单位相同、专业不同"),
                    ("different units", "单位不同"),
                ],
            ),
            class_evidence=True,
        ),
        Comparison(
            "timeline",
            "在校时间",
            (
                Level(
                    5,
                    "graduating younger than 17",
                    "毕业年龄不合理",
                    "least({l}.grad_year, {r}.grad_year) - least({l}.birth_year, {r}.birth_year) < 17",
                ),
                _missing("grad_year"),
                Level(3, "two programmes at once", "同时在读", _AT_ONCE, hard_negative="both_registries"),
                Level(
                    0,
                    "same graduation",  # the same graduation year in the same programme
                    "同年毕业",
                    "{l}.grad_year = {r}.grad_year and coalesce({l}.enrol_year = {r}.enrol_year, true)",
                ),
                # different graduation years of unknown overlap, or one graduation year with different
                # enrolment years: two classes
                Level(
                    4,
                    "years that do not line up",
                    "年份对不上",
                    "{l}.enrol_year is null or {r}.enrol_year is null or {l}.grad_year = {r}.grad_year",
                ),
                Level(
                    1,
                    "one straight after the other",  # enrolled within a year of graduating
                    "毕业后紧接着就读",
                    "abs({r}.enrol_year - {l}.grad_year) <= 1 or abs({l}.enrol_year - {r}.grad_year) <= 1",
                ),
                Level(2, "one after the other", "先后就读", None),
            ),
            class_evidence=True,
        ),
        Comparison(  # 籍贯
            "native",
            "籍贯",
            _two_part(
                "native_province",
                "native_city",
                [
                    ("same city", "同一城市"),
                    ("same province, city on one side", "同省（一方无城市）"),
                    ("same province, different cities", "同省不同城市"),
                    ("different provinces", "不同省份"),
                ],
            ),
        ),
        Comparison("email", "邮箱", _equal("email")),
        Comparison("mobile", "手机", _equal("mobile")),
    ),
    facts=(
        # One class in one registry list: the archives list each person once per programme, so two rows
        # of one list naming the same unit, level, enrolment and graduation year are two people (unless
        # they hold the same ID number).
        Fact(
            "same_class_in_one_list",
            """{l}.source_system = 'archives' and {r}.source_system = 'archives'
               and {l}.source_file = {r}.source_file
               and {l}.unit_code = {r}.unit_code and {l}.education_level = {r}.education_level
               and {l}.enrol_year = {r}.enrol_year and {l}.grad_year = {r}.grad_year
               and not coalesce({l}.id_number = {r}.id_number, false)""",
            hard_negative=True,
        ),
        Fact("both_registries", "{l}.from_registry and {r}.from_registry"),
        Fact("genders_from_id", "{l}.gender_from_id and {r}.gender_from_id"),
    ),
)
