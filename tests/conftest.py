"""Shared fixtures: messy files built the way units really make them, a throwaway project, and the
`fast` marker on every test not marked `e2e` (`pytest -m fast` runs in under a minute on two cores)."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(config, items):
    """Everything not marked e2e (whole runs, dbt builds, the UI, the browser) is fast."""
    for item in items:
        if item.get_closest_marker("e2e") is None:
            item.add_marker(pytest.mark.fast)


def messy_workbook(path: Path, sheets: dict[str, list[list]] | None = None) -> Path:
    """A class list as a school sends it: a merged title, a unit line, a numbered header with variant
    names and an unknown column, Excel dates and numbers, a blank row, a repeated header, a row with
    no name, totals and footer rows."""
    sheets = sheets or {"2003级1班": MESSY_ROWS}
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet["A1"] = "兰州大学2003届本科毕业生名单"
        sheet.merge_cells("A1:H1")
        sheet["A2"] = "学院：中文系"
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


MESSY_ROWS = [
    ["序号", "学生姓名", "性别", "出生年月", "身份证号码", "入学年份", "所在院系", "政治面貌"],  # row 3
    [1, "张伟", "男", dt.date(1985, 9, 12), "620102198509121236", 2003, "中文系", "团员"],  # 4
    [2, "李娜", "女", "1985.9", 620102198509121000.0, 2003.0, "中文系", None],  # 5: ID kept as a number
    [3, "王　伟", "1", "1985年9月", "6.20102E+17", "2003", "中文系", None],  # 6: ID in scientific notation
    [None] * 8,  # 7
    [4, None, "女", "1986-01-02", None, 2003, "中文系", None],  # 8: no name
    ["序号", "姓名", "性别", "出生日期", "身份证号", "入学时间", "院系", "政治面貌"],  # 9
    [5, "單雄信", "M", "19850101", 620102850101123, 2003, "中文系", None],  # 10: 15-digit ID as number
    [6, "13800001111", "男", None, None, 2003, "中文系", None],  # 11: a phone in the name column
    ["合计", "5人"],  # 12
    ["制表人：张老师", None, None, "日期：2003-07-01"],  # 13
]
MESSY_LOADED_ROWS = [4, 5, 6, 10]


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><w:body><w:p>校友名单见附件</w:p></w:body></w:document>")
    return buf.getvalue()


PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@dataclass(frozen=True)
class PipelineEnv:
    """A project of its own under `root`: the contract's variables (README, Environment variables)
    pointing into it. `paths` is what the pipeline reads them as."""

    root: Path
    variables: dict[str, str]

    @property
    def drops(self) -> Path:
        return Path(self.variables["ALUMNI_DROPS"])

    @property
    def warehouse(self) -> Path:
        return Path(self.variables["ALUMNI_WAREHOUSE"])

    @property
    def publish(self) -> Path:
        return Path(self.variables["ALUMNI_PUBLISH"])

    @property
    def paths(self):
        from alumni_pipeline.config import Paths

        return Paths(drops=self.drops, warehouse=self.warehouse, publish=self.publish)

    def subprocess_env(self) -> dict[str, str]:
        """The environment for an `alumni` started as a process."""
        return {**os.environ, **self.variables}

    @contextmanager
    def applied(self) -> Iterator[PipelineEnv]:
        """The variables set in this process (for module- and session-scoped fixtures, which cannot use
        monkeypatch), the earlier values restored afterwards."""
        saved = {k: os.environ.get(k) for k in self.variables}
        os.environ.update(self.variables)
        try:
            yield self
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def pipeline_environment(root: Path, *, as_of: str | None = None, **extra: str) -> PipelineEnv:
    """The test set-up of a project under `root`: landing root, warehouse, publish folder and Dagster home
    inside it, files read as soon as they land, no analytics; `as_of` fixes the KPIs' "now"; `extra`
    adds or overrides variables (ALUMNI_SETTLE_SECONDS="1", ALUMNI_SENSOR_INTERVAL="5")."""
    variables = {
        "ALUMNI_DROPS": str(root / "raw_drops"),
        "ALUMNI_WAREHOUSE": str(root / "warehouse" / "alumni.duckdb"),
        "ALUMNI_PUBLISH": str(root / "published"),
        "DAGSTER_HOME": str(root / ".dagster_home"),
        "ALUMNI_SETTLE_SECONDS": "0",
        "GX_ANALYTICS_ENABLED": "false",
    }
    if as_of is not None:
        variables["ALUMNI_AS_OF"] = as_of
    variables.update(extra)
    return PipelineEnv(root=root, variables=variables)


@pytest.fixture
def pipeline_env(tmp_path, monkeypatch) -> PipelineEnv:
    """A fresh project in tmp_path with its variables set for this test, and an empty landing root."""
    env = pipeline_environment(tmp_path)
    for name, value in env.variables.items():
        monkeypatch.setenv(name, value)
    env.drops.mkdir()
    return env


@pytest.fixture
def project(pipeline_env):
    """A fresh landing root, warehouse and publish folder, wired through the contract's variables."""
    return pipeline_env.paths


SAMPLE_AS_OF = "2025-06-30"  # the sample's "now": its last collection round is March 2025


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """One whole run on sample data, shared by the end-to-end tests of every stage (they carry the
    xdist group 'pipeline' so one worker makes it): `alumni sample` then `alumni run`."""
    import json

    from orchestration.cli import main

    env = pipeline_environment(tmp_path_factory.mktemp("pipeline"), as_of=SAMPLE_AS_OF)
    with env.applied():
        assert main(["sample", "--out", str(env.drops), "--persons", "400", "--seed", "7"]) == 0
        exit_code = main(["run"])
    paths = env.paths
    manifest = json.loads((paths.drops / "sample_manifest.json").read_text(encoding="utf-8"))
    return {"paths": paths, "exit_code": exit_code, "manifest": manifest, "root": env.root}
