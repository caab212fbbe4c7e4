"""Drop sensors: a new file, the same file again, a changed file, a half-copied file, a removed file;
and a cursor that is merged, never replaced by the latest batch."""

from __future__ import annotations

import json
import os
import time

import dagster as dg

from alumni_pipeline.sources import SOURCES
from orchestration.resources import FULL_TAG, REFIT_TAG, AlumniPaths
from orchestration.sensors import decide, full_rebuild, republish, schedules, sensors


def tick(sensor, project, cursor):
    context = dg.build_sensor_context(
        cursor=cursor,
        instance=dg.DagsterInstance.ephemeral(),
        resources={
            "alumni": AlumniPaths(
                drops=str(project.drops), warehouse=str(project.warehouse), publish=str(project.publish)
            )
        },
    )
    result = sensor(context)
    return result.run_requests, result.cursor


def age(path, seconds=60):
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_sensor_waits_for_settled_files_and_acts_once_per_change(project):
    sensor = next(s for s in sensors if s.name == "archives_drops")
    folder = project.drops / "archives"
    folder.mkdir()
    drop = folder / "2003届.csv"
    drop.write_text("姓名\n张伟\n", encoding="utf-8")
    age(drop)
    requests, cursor = tick(sensor, project, None)
    assert requests == []  # seen once: not yet known to have stopped changing
    requests, cursor = tick(sensor, project, cursor)
    assert len(requests) == 1 and requests[0].tags["alumni/changed"] == "2003届.csv"
    assert tick(sensor, project, cursor)[0] == []  # the same file again: nothing

    with drop.open("a", encoding="utf-8") as f:  # a unit still copying a new version in
        f.write("李娜\n")
    requests, cursor = tick(sensor, project, cursor)
    assert requests == []
    with drop.open("a", encoding="utf-8") as f:
        f.write("王芳\n")
    age(drop)
    requests, cursor = tick(sensor, project, cursor)
    assert requests == []  # it changed since the last tick: still copying
    requests, cursor = tick(sensor, project, cursor)
    assert len(requests) == 1  # settled: one run for the changed file

    (folder / "~$2003届.xlsx").write_bytes(b"lock")  # Excel's lock file never starts a run
    drop.unlink()
    requests, cursor = tick(sensor, project, cursor)
    assert len(requests) == 1 and requests[0].tags["alumni/removed"] == "2003届.csv"
    assert json.loads(cursor)["files"] == {}


def test_cursor_is_merged_not_replaced():
    now = 10**18
    st = [10, now - 10**11]
    cursor = {"files": {"a.xlsx": st}, "pending": {"b.xlsx": st}}
    changed, removed, merged = decide(cursor, {"a.xlsx": st, "b.xlsx": st}, now, 10**9)
    assert (changed, removed) == (["b.xlsx"], [])
    assert merged["files"] == {"a.xlsx": st, "b.xlsx": st}  # a.xlsx is still remembered


def test_jobs_and_schedules_follow_the_collection_calendar():
    by_name = {s.name: s for s in schedules}
    assert by_name["august_collection"].cron_schedule == "0 2 31 8 *"
    assert by_name["march_collection"].cron_schedule == "0 2 31 3 *"
    assert {s.execution_timezone for s in schedules} == {"Asia/Shanghai"}
    # the end of a collection cycle rebuilds from scratch with new weights; a month's updates and a
    # dropped file are worked on incrementally
    assert by_name["august_collection"].job_name == by_name["march_collection"].job_name == full_rebuild.name
    assert full_rebuild.tags == {FULL_TAG: "true", REFIT_TAG: "true"}
    assert by_name["monthly_unit_updates"].job_name == republish.name
    assert not republish.tags
    assert {s.job_name for s in sensors} == {republish.name}
    assert {s.name for s in sensors} == {f"{src}_drops" for src in SOURCES}


def test_a_first_tick_acts_on_what_the_warehouse_has_not_loaded_and_nothing_else(project):
    """`alumni ui` after `alumni run`: the sensors' cursors are new, but the warehouse already holds the
    files; only a file changed, added or removed since then starts a run."""
    from alumni_pipeline.ingest.load import ingest_source

    sensor = next(s for s in sensors if s.name == "unit_updates_drops")
    folder = project.drops / "unit_updates"
    folder.mkdir()
    header = "姓名,毕业时间,毕业院系,手机\n"
    files = {
        "kept.csv": "欧阳明,2004,文学院,13911112222\n",
        "edited.csv": "王芳,1998,化学系,13800001111\n",
        "gone.csv": "李强,2010,物理学院,13700002222\n",
    }
    for name, row in files.items():
        (folder / name).write_text(header + row, encoding="utf-8")
        age(folder / name)
    ingest_source(project, "unit_updates", "run-1")

    requests, cursor = tick(sensor, project, None)
    assert requests == [] and sorted(json.loads(cursor)["files"]) == ["edited.csv", "gone.csv", "kept.csv"]
    requests, cursor = tick(sensor, project, cursor)
    assert requests == []  # everything on disk is what the warehouse holds

    (folder / "edited.csv").write_text(header + "王芳,1999,化学系,13800001111\n", encoding="utf-8")
    (folder / "new.csv").write_text(header + "赵敏,2015,历史文化学院,\n", encoding="utf-8")
    (folder / "gone.csv").unlink()
    for name in ("edited.csv", "new.csv"):
        age(folder / name)
    requests, cursor = tick(sensor, project, None)  # a new instance: no cursor
    # a removal acts at once; changed and new files are looked at twice before they count
    assert [(r.tags["alumni/changed"], r.tags["alumni/removed"]) for r in requests] == [("", "gone.csv")]
    requests, cursor = tick(sensor, project, cursor)
    assert [(r.tags["alumni/changed"], r.tags["alumni/removed"]) for r in requests] == [("edited.csv,new.csv", "")]
    requests, cursor = tick(sensor, project, cursor)
    assert requests == []
