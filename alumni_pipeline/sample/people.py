"""Inventing the people: `_People(rng, ref).make(n)` draws graduates, lifelong members of the university,
lost graduates, staff who studied elsewhere, continuing-education graduates and foreigners, each with an
identity (namesakes on purpose), an ID number, contacts, and what happened to them: studies, jobs,
courses, visits and updates. Every draw comes from the one `random.Random` the sample is seeded with.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from itertools import accumulate

from alumni_pipeline.conform.idcard import id_check_digit

from .person import _Course, _Job, _Person, _Study, _Update, _Visit
from .reference import _TODAY, _Reference
from .vocabulary import (
    _CE_FORMS,
    _CE_MAJORS,
    _CHANNELS,
    _COMMON_NAMES,
    _COUNTRIES,
    _ELSEWHERE,
    _EMPLOYERS,
    _ETHNICITIES,
    _FIVE_YEAR,
    _GANSU,
    _GIVEN,
    _HOSPITAL_OF,
    _LEVEL_START,
    _NEXT_LEVEL,
    _OTHER_DEPTS,
    _POSITIONS,
    _ROUNDS,
    _SURNAME_CUM,
    _SURNAME_POOL,
    _TRAINING_COURSES,
    _UNIVERSITIES,
    _VISIT_ROLES,
    _VISIT_TITLES,
    _address,
    _mobile,
    _passport,
    _pinyin_name,
    _pinyin_parts,
    _random_day,
)


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
