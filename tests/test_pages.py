"""The published pages from small warehouses made here, on hostile and messy input: the alumni wall
(wall_id, the CSV's BOM, index.html by unit and class), the KPI report (ranked worst first, Chinese
headers, a health score, a unit with no rows, a unit without classes) and the quality gate's report.
Every page is self-contained (nothing loaded from elsewhere) and shows hostile text as text."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import stat
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from alumni_pipeline.config import wall_key
from alumni_pipeline.publish import kpi_report
from alumni_pipeline.publish.wall import WALL_COLUMNS, publish_wall, wall_id
from alumni_pipeline.quality import gx_suites

KEY = b"0123456789abcdef0123456789abcdef-test"
SCRIPT = "<script>document.title='pwned'</script>"
IMG = "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
HOSTILE_NAMES = [
    SCRIPT,
    IMG,
    '=HYPERLINK("http://x","点我")',
    "王伟",
    "王伟",
    "欧阳&nbsp;娜",
]
CONTACTS = ["13912345678", "wang@example.com", "62010219850912123X", "天水路222号"]


def wall_warehouse() -> duckdb.DuckDBPyConnection:
    """The wall's tables: hostile names, two 王伟 of one class, a programme of no known unit and one of
    no known year, and contact data in marts.alumni that must never reach the wall."""
    con = duckdb.connect()
    con.execute("create schema marts; create schema reference")
    con.execute(
        "create table marts.alumni (alumni_id varchar, name varchar, gender varchar, mobile varchar, "
        "email varchar, id_number varchar, address varchar)"
    )
    for n, name in enumerate(HOSTILE_NAMES, start=1):
        con.execute("insert into marts.alumni values (?, ?, 'M', ?, ?, ?, ?)", [f"LZU{n:08d}", name, *CONTACTS])
    con.execute("""
        create table marts.alumni_education as select * from (values
            ('LZU00000001', '本科', 2010, 2014, 'LIT', '中文系', '汉语言文学'),
            ('LZU00000002', '硕士', 2014, 2017, 'LIT', '文学院', '<b>古代文学</b>'),
            ('LZU00000003', '本科', 1985, 1989, 'PHY', '物理系', '物理学'),
            ('LZU00000004', '本科', 2010, 2014, 'LIT', '中文系', '汉语言文学'),
            ('LZU00000005', '本科', 2010, 2014, 'LIT', '中文系', '汉语言文学'),
            ('LZU00000006', '本科', 2001, null, null, '國文', null))
            t(alumni_id, education_level, enrol_year, grad_year, unit_code, department_as_recorded, major)""")
    _kpi_regions(con)
    con.execute("""create table reference.units as select * from (values ('LIT', '文学院'),
        ('PHY', '物理科学与技术学院'), ('ZER', '空单位学院')) t(unit_code, unit_name_zh)""")
    return con


def _kpi_regions(con):
    """marts.kpi_regions as the KPI page reads it: two provinces, a hostile name, a city."""
    regions = pd.DataFrame(
        [
            ("province", "甘肃", None, 30, 0.9, 0.2, None, None, 1),
            ("province", "北京", None, 12, 0.5, 0.1, "兰州大学北京校友会", "兰州大学北京校友会", None),
            ("province", SCRIPT, None, 2, 0.0, 0.0, None, None, 2),
            ("city", "甘肃", "兰州市", 20, 0.9, 0.2, None, None, 1),
        ],
        columns=[
            "region_level",
            "province",
            "city",
            "alumni",
            "reachable_share",
            "updated_share",
            "chapters",
            "councils_due",
            "chapter_rank",
        ],
    )
    con.register("regions", regions)
    con.execute("create table marts.kpi_regions as select *, null::varchar as province_chapters from regions")
    con.unregister("regions")


@pytest.fixture
def wall(tmp_path):
    con = wall_warehouse()
    manifest = publish_wall(con, tmp_path, "run-00001", [], {}, key=KEY)
    yield con, tmp_path / "alumni_wall" / manifest["snapshot_id"], manifest
    con.close()


def test_wall_id_is_a_keyed_hash_stable_across_snapshots_and_telling_namesakes_apart(wall, tmp_path):
    con, folder, _ = wall
    again = publish_wall(con, tmp_path / "later", "run-00002", [], {}, key=KEY)
    other = publish_wall(con, tmp_path / "other", "run-00003", [], {}, key=b"another installation's secret key")

    def ids(path):
        return duckdb.sql(f"select wall_id, name from '{path / 'alumni_wall.parquet'}' order by all").fetchall()

    first = ids(folder)
    assert first == ids(tmp_path / "later" / "alumni_wall" / again["snapshot_id"])
    assert {i for i, _ in first}.isdisjoint(
        i for i, _ in ids(tmp_path / "other" / "alumni_wall" / other["snapshot_id"])
    )
    assert all(re.fullmatch(r"[0-9a-f]{16}", i) for i, _ in first)
    namesakes = {i for i, name in first if name == "王伟"}
    assert len(namesakes) == 2  # two 王伟 of one class, two keys
    # nothing guessable from public data: not a plain hash of the id, and the id itself appears nowhere
    plain = {hashlib.sha256(f"LZU{n:08d}".encode()).hexdigest()[:16] for n in range(1, 7)}
    assert not plain & {i for i, _ in first}
    assert wall_id(KEY, "LZU00000001") != wall_id(KEY, "LZU00000002")
    for path in folder.iterdir():
        assert b"LZU0000" not in path.read_bytes(), path.name


def test_the_installation_key_is_made_once_private_and_an_env_key_must_be_long(tmp_path, monkeypatch):
    monkeypatch.delenv("ALUMNI_WALL_KEY", raising=False)
    path = tmp_path / "warehouse" / "wall_key"
    first = wall_key(path)
    assert len(first) == 64 and wall_key(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert wall_key(tmp_path / "elsewhere" / "wall_key") != first  # another installation, another key
    monkeypatch.setenv("ALUMNI_WALL_KEY", "x" * 40)
    assert wall_key(path) == b"x" * 40
    monkeypatch.setenv("ALUMNI_WALL_KEY", "short")
    with pytest.raises(ValueError, match="at least 32"):
        wall_key(path)


def test_the_wall_csv_is_utf8_with_bom_and_keeps_its_chinese(wall):
    _, folder, manifest = wall
    raw = (folder / "alumni_wall.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and not raw[3:].startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == WALL_COLUMNS and len(rows) == 1 + manifest["row_count"] == 7
    assert sum(r[1] == "王伟" for r in rows) == 2 and any(r[8] == "國文" for r in rows)
    assert any(r[1].startswith("'=HYPERLINK") for r in rows)  # still no formula
    assert hashlib.sha256(raw).hexdigest() == manifest["files"]["alumni_wall.csv"]["sha256"]


class Page(HTMLParser):
    """What a browser would build: tags with their attributes, headings, and the text shown."""

    def __init__(self, source: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.headings: list[str] = []
        self._heading: list[str] | None = None
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("h1", "h2", "h3", "th"):
            self._heading = []

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3", "th") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)


def self_contained(source: str) -> Page:
    """The page parsed, after checking it loads nothing: no external script, stylesheet, image, font
    or frame, and no address to fetch."""
    page = Page(source)
    for tag, attrs in page.tags:
        assert not attrs.get("src") and not (tag == "link" and attrs.get("href")), (tag, attrs)
        assert tag not in ("iframe", "img", "object", "embed"), tag
        addresses = [v for k, v in attrs.items() if k != "xmlns" and v and re.search(r"https?:|//", v)]
        assert not addresses, (tag, attrs)
    assert not re.search(r"url\(|@import", source)
    assert "Noto Sans CJK SC" in source and "Microsoft YaHei" in source  # the CJK font stack
    return page


def test_the_wall_page_walks_by_unit_and_class_and_shows_hostile_names_as_text(wall):
    _, folder, manifest = wall
    source = (folder / "index.html").read_text(encoding="utf-8")
    page = self_contained(source)
    assert [t for t, _ in page.tags].count("script") == 0 and "<b>" not in source
    shown = "".join(page.text)
    for name in HOSTILE_NAMES:  # every name shown as typed, none of it markup
        assert name in shown
    units = [h for h in page.headings if "位校友" in h]
    assert units[0].startswith("文学院（LIT）") and units[1].startswith("物理科学与技术学院（PHY）")
    assert units[-1].startswith("单位待确认")  # no known unit: at the end of the walk
    lit = page.headings[page.headings.index(units[0]) + 1 : page.headings.index(units[1])]
    assert [h.split()[0] for h in lit] == ["2017", "2014"]  # newest class first
    assert "年份不详" in shown and "空单位学院" not in shown  # a unit with nobody has no section
    for value in [*CONTACTS, "LZU00000001"]:
        assert value not in source
    ids = [a["data-wall-id"] for t, a in page.tags if t == "li"]
    assert len(ids) == manifest["row_count"] and len(set(ids)) == 6
    assert manifest["files"]["index.html"]["bytes"] == (folder / "index.html").stat().st_size


UNIT_ROWS = [  # unit, name, alumni, updated, reachable, classes, with liaison, complete
    ("ALL", "全校", 100, 40, 55, 20, 12, 50),
    ("LIT", "文学院" + SCRIPT, 30, 27, 20, 6, 6, 24),  # meets every target
    ("PHY", "物理科学与技术学院", 40, 4, 10, 10, 2, 10),  # furthest from them
    ("CHE", "化学化工学院", 25, 8, 25, 4, 4, 15),
    ("MED", None, 5, 1, 0, 0, 0, 1),  # no classes, no unit name: liaison share unknown
]


def kpi_warehouse() -> duckdb.DuckDBPyConnection:
    """The KPI marts of four units and the university, and a unit of the reference with no rows."""
    con = duckdb.connect()
    con.execute("create schema marts; create schema reference")
    rows = pd.DataFrame(
        UNIT_ROWS, columns=["unit_code", "unit_name", "alumni", "updated", "reachable", "classes", "with", "complete"]
    )
    con.register("rows", rows)
    con.execute("""
        create table marts.kpi_units as select unit_code, unit_name, alumni, updated,
            round(updated / alumni, 4) as updated_share, 0.8 as updated_target, reachable,
            round(reachable / alumni, 4) as reachable_share, 0.5 as reachable_target, classes,
            "with" as classes_with_liaison, classes - "with" as classes_without_liaison,
            round("with" / nullif(classes, 0), 4) as liaison_share, date '2025-03-01' as cycle_start,
            date '2025-08-01' as cycle_end, date '2025-06-30' as as_of_date
        from rows""")
    con.execute("""
        create table marts.unit_alumni as
        select unit_code, unit_code || lpad(i::varchar, 5, '0') as alumni_id, i <= complete as is_complete
        from rows, range(1, 41) t(i) where unit_code <> 'ALL' and i <= alumni""")
    con.execute("""
        create table marts.kpi_classes as select * from (values
            ('PHY', '物理学', 2014, 12, false), ('PHY', '<i>理论物理</i>', 2010, 3, false), ('LIT', '汉语言文学', 2014, 9, true))
            t(unit_code, major, grad_year, alumni, has_liaison)""")
    _kpi_regions(con)
    con.execute("""create table reference.units as select * from (values ('LIT', '文学院'), ('PHY', '物理科学与技术学院'),
        ('CHE', '化学化工学院'), ('MED', '医学院'), ('ZER', '空单位学院')) t(unit_code, unit_name_zh)""")
    con.unregister("rows")
    return con


@pytest.fixture
def kpis():
    con = kpi_warehouse()
    yield con
    con.close()


def test_kpis_are_ranked_by_distance_to_the_targets_worst_first(kpis):
    ranked = kpi_report.read_kpis(kpis)
    assert list(ranked.unit_code) == ["ALL", "PHY", "MED", "CHE", "LIT", "ZER"]
    gap = dict(zip(ranked.unit_code, ranked.gap))
    assert gap["LIT"] == 0 and gap["PHY"] == pytest.approx((0.8 - 0.1) + (0.5 - 0.25) + (1 - 0.2))
    assert gap["MED"] == pytest.approx((0.8 - 0.2) + 0.5)  # no classes: the liaison share adds nothing
    assert pd.isna(gap["ZER"]) and ranked.set_index("unit_code").alumni["ZER"] == 0
    health = dict(zip(ranked.unit_code, ranked.health))
    assert health["CHE"] == pytest.approx((15 / 25 + 25 / 25 + 8 / 25) / 3, abs=1e-4)
    assert health["ALL"] == pytest.approx((0.5 + 0.55 + 0.4) / 3, abs=1e-4)
    assert list(ranked["rank"][1:]) == [1, 2, 3, 4, 5]


def test_the_kpi_page_has_chinese_headers_an_axis_a_filter_and_inert_names(kpis, tmp_path):
    shown = kpi_report.write_kpi_report(kpis, tmp_path / "kpi" / "kpi_report.html")
    source = (tmp_path / "kpi" / "kpi_report.html").read_text(encoding="utf-8")
    page = self_contained(source)
    header = page.headings[page.headings.index(kpi_report.HEADERS["rank"]) :][: len(kpi_report.HEADERS)]
    assert header == list(kpi_report.HEADERS.values())
    assert not [h for h in page.headings if re.fullmatch(r"[a-z]+(_[a-z]+)+", h)]  # no snake_case header
    assert [t for t, _ in page.tags].count("script") == 1  # our filter, and nothing a name brought
    assert "文学院" + SCRIPT in "".join(page.text) and "<i>" not in source
    rows = [a["data-unit"] for t, a in page.tags if t == "tr" and "data-unit" in a]
    assert rows[:6] == list(shown.unit_code) == ["ALL", "PHY", "MED", "CHE", "LIT", "ZER"]
    assert {a.get("value") for t, a in page.tags if t == "option"} == {"", "PHY", "MED", "CHE", "LIT", "ZER"}
    ticks = [t for t in page.text if re.fullmatch(r"\d+%", t)]
    assert ticks[:6] == ["0%", "20%", "40%", "60%", "80%", "100%"]  # the axis
    assert "无数据 no data" in "".join(page.text) and "没有班级联络人的班级" in "".join(page.text)
    regions = page.headings[page.headings.index(kpi_report.REGION_HEADERS["place"]) :][: len(kpi_report.REGION_HEADERS)]
    assert regions == list(kpi_report.REGION_HEADERS.values())  # where alumni are, by province
    assert "兰州大学北京校友会" in page.text and "甘肃 · 兰州市" in page.text and SCRIPT in page.text
    assert "2,014" not in source and "2014" in source
    assert "| MED (MED) |" in kpi_report.markdown_bars(shown)  # no name: its code, never "None"


def test_the_quality_report_is_our_own_page_with_results_per_suite_and_source(tmp_path):
    counts = pd.DataFrame(  # archives arrive with a quarter of what was published; hr as before
        {
            "source_system": ["archives", "hr", "unit_updates"],
            "records": [10, 5, 3],
            "last_published": [40, 5, None],
            "share_of_last_published": [0.25, 1.0, None],
        }
    )
    alumni = pd.DataFrame(
        {
            "alumni_id": ["LZU00000001", "LZU00000001", "LZU00000003"],
            "name": [SCRIPT, "李娜", "王芳"],
            "gender": ["M", "F", "F"],
            "birth_date": ["1985-09-12", None, "1990"],
            "birth_year": [1985, None, 1990],
            "mobile": ["13800001111", "12345", None],
            "email": [None, None, None],
        }
    )
    gate = gx_suites.validate({"alumni": alumni, "person_record_counts": counts}, tmp_path / "golden_tables")
    assert gate.docs == tmp_path / "golden_tables" / "index.html"
    assert sorted(p.name for p in (tmp_path / "golden_tables").iterdir()) == ["index.html"]
    source = gate.docs.read_text(encoding="utf-8")
    page = self_contained(source)
    assert [t for t, _ in page.tags].count("script") == 0
    text = "".join(page.text)
    assert "未通过：有严重问题" in text and "alumni_id is unique" in text.replace("Alumni", "alumni")
    assert "2 of 3 rows fail" in text and "通过 passed" in text and "未通过 failed" in text
    assert "LZU00000001: mobile=12345" in text and "&#x27;alumni_id&#x27;" not in source  # examples as the gate says
    assert {"alumni", "person_record_counts", "按来源 Per source"} <= set(page.headings)
    per_source = page.headings.index("按来源 Per source")
    assert page.headings[per_source + 1 : per_source + 3] == ["来源 Source", "检查行数 Rows checked"]
    assert "archives" in text and "unit_updates" in text


# ---------------------------------------------------------------------------------------------
# in a real browser: Debian's chromium headless (`.ci/run` installs it and fonts-noto-cjk), skipped
# only where chromium is missing, as tests/test_ui.py is

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]
BROWSER_FLAGS += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
in_a_browser = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def chromium(page: Path, *args: str) -> str:
    """Run chromium headless on a local page (a fresh profile, no network needed) and return stdout."""
    profile = page.parent / f".chromium-{page.stem}"
    done = subprocess.run(
        [CHROMIUM, *BROWSER_FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of pixels (bytes per pixel as the PNG stores them) of an 8-bit RGB or
    RGBA PNG, as chromium writes: read here with zlib, so the test needs no imaging library."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks, pos = {}, 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunks.setdefault(kind, []).append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][0][:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, previous = zlib.decompress(b"".join(chunks[b"IDAT"])), width * bpp, [], bytes(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):  # undo the PNG filter of the row
            a, b = line[i - bpp] if i >= bpp else 0, previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, [bytes(r[i : i + bpp]) for r in rows for i in range(0, stride, bpp)]


def screenshot_and_dom(page: Path, width: int = 1280, height: int = 1600) -> tuple[Path, str]:
    shot = page.with_suffix(".png")
    chromium(page, f"--screenshot={shot}", f"--window-size={width},{height}")
    dom = chromium(page, "--dump-dom", "--virtual-time-budget=2000")
    return shot, dom


def assert_not_blank(shot: Path) -> None:
    assert shot.exists() and shot.stat().st_size > 1000, "no screenshot"
    width, height, pixels = png_pixels(shot)
    colours = set(pixels)
    assert width >= 800 and height >= 600 and len(colours) > 50, f"{len(colours)} colours: a blank page"
    dark = sum(1 for p in pixels if p[0] < 100 and p[1] < 100 and p[2] < 100)
    assert dark > 0.002 * len(pixels), "hardly any text drawn"


def cjk_font_installed() -> bool:
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def assert_inert(dom: str, title: str) -> None:
    """Nothing a hostile name brought ran: the title is ours and no element was changed by a script."""
    assert f"<title>{title}</title>" in dom and "pwned</title>" not in dom
    assert not re.search(r"<body[^>]*data-pwned", dom) and "<img" not in dom


@pytest.mark.e2e
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_the_wall_page_renders_offline_in_chromium_with_hostile_names_inert(wall):
    _, folder, _ = wall
    shot, dom = screenshot_and_dom(folder / "index.html")
    assert_not_blank(shot)
    assert_inert(dom, "兰州大学校友墙 · Alumni wall")
    for shown in ("兰州大学校友墙", "文学院（LIT）", "2014 届", "单位待确认", "&lt;script&gt;document.title"):
        assert shown in dom, shown


@pytest.mark.e2e
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_the_quality_report_renders_offline_in_chromium(tmp_path):
    alumni = pd.DataFrame(
        {
            "alumni_id": ["LZU00000001", "LZU00000001", "LZU00000003"],
            "name": [SCRIPT, IMG, "王芳"],
            "gender": ["M", "F", "F"],
            "birth_date": ["1985-09-12", None, "1990"],
            "birth_year": [1985, None, 1990],
            "mobile": ["13800001111", "12345", None],
            "email": [None, None, None],
        }
    )
    gate = gx_suites.validate({"alumni": alumni}, tmp_path / "golden_tables")
    shot, dom = screenshot_and_dom(gate.docs)
    assert_not_blank(shot)
    assert_inert(dom, "数据质量检查 · golden_tables")
    for shown in ("数据质量检查", "未通过：有严重问题", "观测值 Observed", "2 of 3 rows fail", "未通过 failed"):
        assert shown in dom, shown


@pytest.mark.e2e
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_the_kpi_page_renders_offline_in_chromium_with_cjk_and_its_filter_works(kpis, tmp_path):
    report = tmp_path / "kpi" / "kpi_report.html"
    kpi_report.write_kpi_report(kpis, report)
    shot, dom = screenshot_and_dom(report)
    assert_not_blank(shot)
    assert_inert(dom, "校友工作目标完成情况 · Alumni KPIs")
    for shown in (
        "校友工作目标完成情况",
        "单位名称",
        "数据健康度",
        "距目标差距",
        "物理科学与技术学院",
        "空单位学院",
        "100%",
    ):
        assert shown in dom, shown
    assert dom.index("物理科学与技术学院") < dom.index("化学化工学院")  # worst first

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(report.as_uri())
        cjk = "16px 'Noto Sans CJK SC'"
        assert page.evaluate(f"document.fonts.check(\"{cjk}\", '校友')"), "no CJK font: install fonts-noto-cjk"
        assert page.locator("#kpi-table tbody tr:visible").count() == 6
        page.select_option("#unit-filter", "PHY")
        shown = page.locator("#kpi-table tbody tr:visible").evaluate_all("rows => rows.map(r => r.dataset.unit)")
        assert shown == ["ALL", "PHY"]
        blocks = page.locator("#kpi-chart g.unit").evaluate_all(
            "gs => gs.filter(g => g.style.display !== 'none').map(g => g.dataset.unit)"
        )
        assert blocks == ["ALL", "PHY"]
        assert page.evaluate("document.getElementById('kpi-chart').viewBox.baseVal.height") < 300
        page.screenshot(path=str(tmp_path / "kpi_filtered.png"), full_page=True)
        browser.close()
    assert_not_blank(tmp_path / "kpi_filtered.png")


def test_the_file_gates_report_counts_failing_rows_per_landing_folder(tmp_path):
    """conformed_records, as the file gate runs it (every failing row listed): rows without a name, per
    source, beside the rows each source brought."""
    spec = gx_suites.load_suite("conformed_records")
    columns = {
        e["kwargs"][k] for e in spec["expectations"] for k in ("column", "column_A", "column_B") if k in e["kwargs"]
    }
    frame = pd.DataFrame({c: [None] * 6 for c in sorted(columns)}).assign(
        record_key=[f"r{i}" for i in range(6)],
        source_system=["archives"] * 4 + ["hr"] * 2,
        source_file=["archives/名单.xlsx"] * 4 + ["hr/在职.xlsx"] * 2,
        source_sheet="Sheet1",
        source_row=range(2, 8),
        file_hash="h",
        from_last_accepted=False,
        name=["张伟", None, SCRIPT, None, None, "王芳"],
    )
    gate = gx_suites.validate({"conformed_records": frame}, tmp_path / "conformed_records")
    page = self_contained(gate.docs.read_text(encoding="utf-8"))
    per_source = page.headings.index("按来源 Per source")
    assert page.headings[per_source + 3] == "Every record has a name."
    cells = [t.strip() for t in page.text if t.strip()]
    archives, hr = (
        cells.index("archives", cells.index("按来源 Per source")),
        cells.index("hr", cells.index("按来源 Per source")),
    )
    assert cells[archives + 1 : archives + 3] == ["4", "2"] and cells[hr + 1 : hr + 3] == ["2", "1"]
