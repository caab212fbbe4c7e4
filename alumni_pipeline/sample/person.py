"""Who an invented alumnus is and what happened to them at the university: a `_Person` with the studies,
jobs, continuing-education courses, visits and contact updates that the offices' files record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


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
