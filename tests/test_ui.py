"""The pipeline operated as the data engineers operate it: `alumni ui` (webserver and daemon), drop
sensors that start runs by themselves, runs that queue on the one-writer pool instead of failing on
DuckDB's lock, and the UI in a real headless Chromium launching a materialisation.

The browser test needs Debian's chromium (`.ci/run` installs it); it is skipped where it is missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
import requests
from conftest import pipeline_environment

from alumni_pipeline.sample import write_sample

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("ui")]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
RUNS = (
    "{ runsOrError { ... on Runs { results { runId status jobName creationTime startTime endTime "
    "tags { key value } } } } }"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ui(tmp_path_factory):
    """`alumni ui` after `alumni run` (what `make demo` does) on a small university's drops."""
    root = tmp_path_factory.mktemp("ui")
    shutil.copy(Path(__file__).resolve().parents[1] / "workspace.yaml", root)
    write_sample(root / "raw_drops", persons=120, seed=2)
    port = _free_port()
    env = pipeline_environment(root, ALUMNI_SENSOR_INTERVAL="5", ALUMNI_SETTLE_SECONDS="1").subprocess_env()
    alumni = str(Path(sys.executable).with_name("alumni"))
    subprocess.run([alumni, "run"], cwd=root, env=env, check=True, capture_output=True, timeout=900)
    with open(root / "ui.log", "w") as log:
        proc = subprocess.Popen(
            [alumni, "ui", "--port", str(port)],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait(lambda: requests.get(f"{url}/server_info", timeout=2).ok, 180, "the webserver to start")
            yield {"url": url, "root": root, "env": env}
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def _wait(condition, seconds: float, what: str):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            result = condition()
            if result:
                return result
        except requests.RequestException:
            pass
        time.sleep(2)
    raise AssertionError(f"timed out after {seconds}s waiting for {what}")


def runs(ui) -> list[dict]:
    data = requests.post(f"{ui['url']}/graphql", json={"query": RUNS}, timeout=10).json()
    return data["data"]["runsOrError"]["results"]


def _settled(ui, at_least: int) -> list[dict] | None:
    now = runs(ui)
    done = all(r["status"] in ("SUCCESS", "FAILURE", "CANCELED") for r in now)
    return now if len(now) >= at_least and done else None


SENSOR_TICKS = """
query ($name: String!) { sensorOrError(sensorSelector: {repositoryLocationName: "orchestration.definitions",
  repositoryName: "__repository__", sensorName: $name}) { ... on Sensor { sensorState { ticks(limit: 10) {
  status skipReason } } } } }"""


def ticks(ui, sensor: str) -> list[dict]:
    data = requests.post(
        f"{ui['url']}/graphql", json={"query": SENSOR_TICKS, "variables": {"name": sensor}}, timeout=10
    ).json()
    return data["data"]["sensorOrError"]["sensorState"]["ticks"]


def test_the_ui_shows_the_cli_run_and_the_sensors_leave_its_files_alone(ui):
    """The run `alumni run` made is in the UI (one Dagster instance), and the drop sensors, whose cursors
    are new, start nothing for the files it already loaded: no rebuild of unchanged files."""
    [cli_run] = runs(ui)
    assert (cli_run["jobName"], cli_run["status"]) == ("republish", "SUCCESS")
    assert {"key": "alumni/launched_by", "value": "cli"} in cli_run["tags"]
    for source in ("archives", "unit_updates"):
        _wait(lambda source=source: len(ticks(ui, f"{source}_drops")) >= 3, 180, f"three ticks of {source}_drops")
        assert {t["status"] for t in ticks(ui, f"{source}_drops")} == {"SKIPPED"}
    assert [r["runId"] for r in runs(ui)] == [cli_run["runId"]]


def test_two_runs_started_together_both_finish(ui):
    from dagster_graphql import DagsterGraphQLClient

    client = DagsterGraphQLClient("127.0.0.1", port_number=int(ui["url"].rsplit(":", 1)[1]))
    launched = {client.submit_job_execution("full_rebuild") for _ in range(2)}
    finished = _wait(
        lambda: [r for r in _settled(ui, 1) or [] if r["runId"] in launched] or None, 900, "both runs to finish"
    )
    assert len(finished) == 2 and {r["status"] for r in finished} == {"SUCCESS"}
    first, second = sorted(finished, key=lambda r: r["creationTime"])
    assert second["creationTime"] < first["endTime"]  # asked for while the first was under way


def test_copying_a_new_file_into_a_landing_folder_starts_a_run(ui):
    before = len(runs(ui))
    drop = ui["root"] / "raw_drops" / "unit_updates" / "2025年8月返校登记.csv"
    drop.write_text("姓名,毕业时间,毕业院系,手机\n欧阳新来,2024,文学院,13911112222\n", encoding="utf-8")
    finished = _wait(lambda: _settled(ui, before + 1), 900, "a run for the new file")
    new = [r for r in finished if any(t["value"] == "2025年8月返校登记.csv" for t in r["tags"])]
    assert [r["status"] for r in new] == ["SUCCESS"]
    with duckdb.connect(ui["env"]["ALUMNI_WAREHOUSE"], read_only=True) as con:
        assert con.execute(
            "select name from raw.unit_updates where source_file like '%2025年8月返校登记.csv'"
        ).fetchall() == [("欧阳新来",)]


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_the_ui_in_a_browser_shows_the_asset_graph_and_launches_a_materialisation(ui):
    from playwright.sync_api import sync_playwright

    _wait(lambda: _settled(ui, 1), 900, "earlier runs to finish")
    before = {r["runId"] for r in runs(ui)}
    cli_run = next(r for r in runs(ui) if {"key": "alumni/launched_by", "value": "cli"} in r["tags"])
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"{ui['url']}/runs")
        skip = page.get_by_role("button", name="Skip")
        with contextlib.suppress(Exception):
            skip.click(timeout=10_000)  # the community dialog on a new instance
        page.get_by_text(cli_run["runId"][:8]).first.wait_for(timeout=60_000)  # `alumni run`'s run is listed
        page.goto(f"{ui['url']}/asset-groups")
        for group in ("ingest", "conform", "identity"):
            page.get_by_text(group, exact=True).first.wait_for(timeout=60_000)
        page.get_by_role("button", name="Materialize all").click()
        launched = _wait(lambda: [r for r in runs(ui) if r["runId"] not in before], 60, "the launched run")
        page.screenshot(path=str(ui["root"] / "launched.png"))
        run_id = launched[0]["runId"]
        page.goto(f"{ui['url']}/runs/{run_id}")
        done = _wait(
            lambda: (
                next(r for r in runs(ui) if r["runId"] == run_id)["status"] in ("SUCCESS", "FAILURE", "CANCELED")
                and runs(ui)
            ),
            900,
            "the launched run to finish",
        )
        assert next(r for r in done if r["runId"] == run_id)["status"] == "SUCCESS"
        page.reload()
        page.get_by_text("Success").first.wait_for(timeout=60_000)  # what the engineer sees
        page.screenshot(path=str(ui["root"] / "finished.png"))
        browser.close()
