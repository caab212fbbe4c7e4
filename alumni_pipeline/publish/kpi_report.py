"""The KPI report for the alumni office, `kpi/kpi_report.html`: each unit's shares against the plan's
targets (records updated in the collection cycle, alumni reachable, classes with a liaison) and a
data-health score, units ranked by how far they are from the targets, worst first; a chart with an
axis, a unit filter (inline script, no library), Chinese headers. One self-contained page
(alumni_pipeline/html_page.py), readable offline. The same chart as text bars for the Dagster UI.

Below the units, where alumni are: the provinces by their placed alumni (marts.kpi_regions) as a
table with a bar each, their chapters, councils due for renewal and, for those without a chapter, their
rank as a place to found one; then the cities likewise.

The numbers are marts.kpi_units as they are; the report adds, per unit, the share of complete records
(marts.unit_alumni.is_complete), the health score, the distance to the targets, and the units of
reference.units that have no alumni at all (shown last, as having no data)."""

from __future__ import annotations

import datetime as dt
import numbers
import os
from pathlib import Path

import duckdb
import pandas as pd

from ..html_page import page, text

# (share column, target column, label); the liaison target is every class
METRICS = (
    ("updated_share", "updated_target", "本周期已更新 updated"),
    ("reachable_share", "reachable_target", "可联络 reachable"),
    ("liaison_share", None, "班级有联络人 liaison"),
)
# the data-health score: the mean of these shares of a unit's records
HEALTH = ("complete_share", "reachable_share", "updated_share")
# the table's columns and their headers, in the words of the alumni office
HEADERS = {
    "rank": "排名",
    "unit_code": "单位代码",
    "unit_name": "单位名称",
    "alumni": "校友人数",
    "gap": "距目标差距（百分点）",
    "health": "数据健康度",
    "complete": "信息完整人数",
    "complete_share": "信息完整率",
    "updated": "本周期已更新人数",
    "updated_share": "本周期更新率",
    "reachable": "可联络人数",
    "reachable_share": "可联络率",
    "classes": "班级数",
    "classes_with_liaison": "有联络人班级数",
    "classes_without_liaison": "无联络人班级数",
    "liaison_share": "班级联络人覆盖率",
}
SHARES = {"gap", "health", "complete_share", "updated_share", "reachable_share", "liaison_share"}
REGION_HEADERS = {
    "place": "地区",
    "alumni": "校友人数",
    "bar": "分布",
    "reachable_share": "可联络率",
    "updated_share": "本周期更新率",
    "chapters": "已有校友会",
    "councils_due": "需计划换届",
    "chapter_rank": "筹建校友会排名",
}
REGIONS_SHOWN = 60  # cities shown, most alumni first
CLASS_HEADERS = {"unit_code": "单位代码", "major": "专业", "grad_year": "毕业年份", "alumni": "校友人数"}
_MET, _BELOW, _HEALTH = "#2f855a", "#dd6b20", "#3182ce"
_LABEL, _BAR, _RIGHT, _ROW, _TITLE, _AXIS = 230, 640, 60, 16, 20, 34

KPI_QUERY = """
with complete as (
    select unit_code, count(*) filter (where is_complete) as complete from marts.unit_alumni group by unit_code
    union all
    select 'ALL', count(distinct alumni_id) filter (where is_complete) from marts.unit_alumni
),
silent as (  -- units that hold no alumni at all: shown, with no data
    select unit_code, unit_name_zh as unit_name, 0 as alumni from reference.units
    where unit_code not in (select unit_code from marts.kpi_units)
)
select k.*, coalesce(c.complete, 0) as complete
from marts.kpi_units as k left join complete as c using (unit_code)
union all by name
select * from silent
"""


def read_kpis(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """marts.kpi_units with the complete records, the health score and the distance to the targets:
    the university first, then the units ranked worst first (units without alumni last)."""
    return rank(con.sql(KPI_QUERY).df())


def target(row, target_column: str | None) -> float:
    return float(row[target_column]) if target_column else 1.0


def rank(kpis: pd.DataFrame) -> pd.DataFrame:
    """Add `complete_share`, `health` (the mean of HEALTH) and `gap` (how far below the targets, summed
    over METRICS: 0 when every target is met), and order: the university, then the largest gap first,
    the lowest health next; units without alumni have neither and come last."""
    kpis = kpis.copy()
    alumni = pd.to_numeric(kpis.alumni, errors="coerce").astype("float64")
    kpis["complete_share"] = (pd.to_numeric(kpis.complete, errors="coerce") / alumni.where(alumni > 0)).round(4)
    kpis["health"] = kpis[list(HEALTH)].astype("float64").mean(axis=1, skipna=False).round(4)
    gaps = [
        ((kpis[t].astype("float64") if t else 1.0) - kpis[s].astype("float64")).clip(lower=0) for s, t, _ in METRICS
    ]
    summed = pd.concat(gaps, axis=1).sum(axis=1, min_count=1)  # a share still unknown adds nothing
    kpis["gap"] = summed.where(alumni > 0).round(4)
    university = kpis.unit_code == "ALL"
    kpis = pd.concat(
        [
            kpis[university],
            kpis[~university].sort_values(
                ["gap", "health", "unit_code"], ascending=[False, True, True], na_position="last"
            ),
        ]
    )
    kpis["rank"] = [None if u == "ALL" else n for n, u in enumerate(kpis.unit_code)]
    return kpis.reset_index(drop=True)


def write_kpi_report(con: duckdb.DuckDBPyConnection, path: Path) -> pd.DataFrame:
    """Write the report and return the KPIs it shows, in its order."""
    kpis = read_kpis(con)
    without = con.sql("""select unit_code, major, grad_year, alumni from marts.kpi_classes
                         where not has_liaison order by unit_code, grad_year desc, major""").df()
    regions = con.sql("select * from marts.kpi_regions order by region_level desc, alumni desc, province, city").df()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(render_html(kpis, without, regions), encoding="utf-8")
    os.replace(tmp, path)
    return kpis


def _cell(column: str, value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return '<td class="muted">–</td>'
    if column == "gap":  # shortfalls added up, in percentage points
        return f'<td class="num">{value * 100:.1f}</td>'
    if column in SHARES:
        return f'<td class="num">{value:.1%}</td>'
    if column == "grad_year":
        return f'<td class="num">{int(value)}</td>'
    if isinstance(value, numbers.Number):
        return f'<td class="num">{int(value):,}</td>'
    return f"<td>{text(value)}</td>"


def _name(row) -> str:
    """The unit's name, or its code when the name is unknown."""
    name = row.get("unit_name")
    return row["unit_code"] if name is None or pd.isna(name) or not str(name).strip() else str(name)


def _unit(row) -> str:
    return "ALL" if row["unit_code"] == "ALL" else text(row["unit_code"])


def render_table(kpis: pd.DataFrame) -> str:
    head = "".join(f"<th>{text(h)}</th>" for h in HEADERS.values())
    rows = []
    for row in kpis.to_dict("records"):
        cells = []
        for column in HEADERS:
            cell = _cell(column, row.get(column))
            for share, goal, _ in METRICS:  # a share below its target in orange
                if column == share and pd.notna(row.get(share)) and row[share] < target(row, goal):
                    cell = cell.replace('class="num"', 'class="num below"')
            cells.append(cell)
        rows.append(f'<tr data-unit="{_unit(row)}">{"".join(cells)}</tr>')
    return f'<table id="kpi-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def render_regions(regions: pd.DataFrame, level: str) -> str:
    """The provinces (or the cities, most alumni first) as a table with a bar each, scaled to the
    largest: a map read as a list."""
    shown = regions[regions.region_level == level]
    shown = shown if level == "province" else shown.head(REGIONS_SHOWN)
    widest = max(int(shown.alumni.max()), 1) if len(shown) else 1
    head = "".join(f"<th>{h}</th>" for h in REGION_HEADERS.values())
    rows = []
    for r in shown.to_dict("records"):
        place = r["province"] if level == "province" else f"{r['province']} · {r['city']}"
        chapters = r.get("chapters") if isinstance(r.get("chapters"), str) else r.get("province_chapters")
        bar = f'<td><div class="bar" style="width:{200 * int(r["alumni"]) / widest:.0f}px"></div></td>'
        cells = {"place": _cell("place", place), "bar": bar, "chapters": _cell("chapters", chapters)}
        rows.append("<tr>" + "".join(cells.get(c) or _cell(c, r.get(c)) for c in REGION_HEADERS) + "</tr>")
    return f'<table class="regions"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def render_classes(without: pd.DataFrame) -> str:
    head = "".join(f"<th>{h}</th>" for h in CLASS_HEADERS.values())
    rows = "".join(
        f'<tr data-unit="{text(r["unit_code"])}">{"".join(_cell(c, r.get(c)) for c in CLASS_HEADERS)}</tr>'
        for r in without.head(500).to_dict("records")
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def render_svg(kpis: pd.DataFrame) -> str:
    """One block per unit, in the report's order: a bar per metric (green at or above its target,
    orange below, a black line at the target) and the health score in blue, on a 0–100% axis drawn
    at the top with gridlines. The filter script moves the blocks it keeps together."""
    group = _TITLE + _ROW * (len(METRICS) + 1) + 10
    width, height = _LABEL + _BAR + _RIGHT, _AXIS + group * len(kpis) + 4
    parts = [
        f'<svg id="kpi-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width * 1.4:.0f}px" font-size="11" role="img" '
        'aria-label="各单位目标完成情况 each unit against the targets">',
        f'<rect x="0" y="0" width="10" height="10" fill="{_MET}"/><text x="14" y="9">达到目标 at or above target</text>',
        f'<rect x="190" y="0" width="10" height="10" fill="{_BELOW}"/><text x="204" y="9">未达目标 below target</text>',
        f'<rect x="350" y="0" width="10" height="10" fill="{_HEALTH}"/><text x="364" y="9">数据健康度 health</text>',
        '<line x1="480" x2="480" y1="0" y2="10" stroke="#000" stroke-width="2"/><text x="486" y="9">目标 target</text>',
        '<g id="kpi-axis">',
    ]
    for tick in range(0, 101, 20):  # the axis: ticks, labels and a gridline across every block
        x = _LABEL + tick / 100 * _BAR
        parts.append(
            f'<text x="{x:.1f}" y="{_AXIS - 8}" text-anchor="middle" fill="#444">{tick}%</text>'
            f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{_AXIS - 4}" y2="{height}" stroke="#ddd"/>'
        )
    parts.append(f'<line x1="{_LABEL}" x2="{_LABEL + _BAR}" y1="{_AXIS - 4}" y2="{_AXIS - 4}" stroke="#444"/></g>')
    for n, row in enumerate(kpis.to_dict("records")):
        top = _AXIS + n * group
        people = f"{int(row['alumni']):,} 人" if pd.notna(row["alumni"]) else ""
        title = text(f"{_name(row)}（{row['unit_code']}）· {people}")
        parts.append(f'<g class="unit" data-unit="{_unit(row)}" data-height="{group}" transform="translate(0,{top})">')
        parts.append(f'<text x="0" y="13" font-weight="bold">{title}</text>')
        bars = [*METRICS, ("health", None, "数据健康度 health")]
        for i, (share_col, target_col, label) in enumerate(bars):
            share, y = row.get(share_col), _TITLE + i * _ROW
            parts.append(f'<text x="12" y="{y + 10}" fill="#555">{label}</text>')
            if share is None or pd.isna(share):
                parts.append(f'<text x="{_LABEL + 4}" y="{y + 10}" fill="#888">无数据 no data</text>')
                continue
            goal = target(row, target_col)
            colour = _HEALTH if share_col == "health" else _MET if share >= goal else _BELOW
            parts.append(f'<rect x="{_LABEL}" y="{y}" width="{share * _BAR:.1f}" height="{_ROW - 4}" fill="{colour}"/>')
            if share_col != "health":
                x = _LABEL + goal * _BAR
                parts.append(
                    f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 1}" y2="{y + _ROW - 3}" stroke="#000" stroke-width="2"/>'
                )
            parts.append(f'<text x="{_LABEL + _BAR + 8}" y="{y + 10}">{share:.0%}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


# The unit filter: show the chosen unit (and the university beside it), or every unit; the chart's
# blocks kept are moved up together and the chart's height follows.
FILTER_SCRIPT = """
(function () {
  var select = document.getElementById('unit-filter');
  var chart = document.getElementById('kpi-chart');
  function apply() {
    var chosen = select.value;
    document.querySelectorAll('tr[data-unit]').forEach(function (row) {
      var unit = row.getAttribute('data-unit');
      row.hidden = !(chosen === '' || unit === chosen || unit === 'ALL');
    });
    var y = %(axis)d;
    chart.querySelectorAll('g.unit').forEach(function (g) {
      var unit = g.getAttribute('data-unit');
      var shown = chosen === '' || unit === chosen || unit === 'ALL';
      g.style.display = shown ? '' : 'none';
      if (shown) { g.setAttribute('transform', 'translate(0,' + y + ')'); y += +g.getAttribute('data-height'); }
    });
    var box = chart.viewBox.baseVal;
    chart.setAttribute('viewBox', '0 0 ' + box.width + ' ' + (y + 4));
    chart.querySelectorAll('line.grid').forEach(function (line) { line.setAttribute('y2', y); });
  }
  select.addEventListener('change', apply);
  apply();
})();
"""
CSS = """
td.below { color: #c05621; font-weight: bold; }
#kpi-table th { position: sticky; top: 0; background: #f7f7f7; }
.regions .bar { height: 12px; background: #3182ce; }
.filter { margin: 1em 0; font-size: 15px; }
"""


def render_html(kpis: pd.DataFrame, without: pd.DataFrame, regions: pd.DataFrame) -> str:
    first = kpis.iloc[0] if len(kpis) else None
    cycle = (
        ""
        if first is None or pd.isna(first.get("cycle_start"))
        else f"{first.cycle_start:%Y-%m-%d} – {first.cycle_end:%Y-%m-%d}（截至 as of {first.as_of_date:%Y-%m-%d}）"
    )
    options = "".join(
        f'<option value="{text(r["unit_code"])}">{text(_name(r))}（{text(r["unit_code"])}）</option>'
        for r in kpis.to_dict("records")
        if r["unit_code"] != "ALL"
    )
    body = f"""<h1>校友工作目标完成情况 · Alumni KPIs against the plan's targets</h1>
<p>收集周期 Collection cycle: {text(cycle)}. 生成 Made {dt.datetime.now():%Y-%m-%d %H:%M}.</p>
<p>目标 Targets: 本周期更新 80% of records updated in the cycle; 可联络 50% of alumni reachable by a valid
mobile or email; 每个班级都有联络人 a liaison for every class. 单位按距目标差距排序，差距最大者在前 Units are
ranked by how far they are below the targets (the shortfalls added up), worst first; units with no
alumni come last. 数据健康度 Data health is the mean of three shares of a unit's records: complete,
reachable, updated in this cycle.</p>
<p class="filter"><label>单位筛选 Unit: <select id="unit-filter"><option value="">全部单位 All units</option>{options}</select></label></p>
<h2>各单位完成情况 Each unit against the targets</h2>
{render_svg(kpis)}
<h2>各单位数据 Per unit</h2>
{render_table(kpis)}
<h2>没有班级联络人的班级 Classes without a liaison ({len(without):,}{"，显示前 500 个 first 500 shown" if len(without) > 500 else ""})</h2>
{render_classes(without)}
<h2>校友地域分布 Where alumni are, by province</h2>
<p>按通讯地址、工作单位或邮政编码判断的所在地（不能确定的不计入）。“已有校友会”含服务全省的校友会；
“需计划换届”为理事会任期（3年）一年内届满或已届满的校友会；“筹建校友会排名”只排尚无校友会的地区，校友越多越靠前。
Placed by address, employer or postcode (alumni who cannot be placed are not counted). Councils serve three
years and are due when their term ends within a year; regions without a chapter are ranked by alumni.</p>
{render_regions(regions, "province")}
<h2>各城市 By city (前 {REGIONS_SHOWN} 个 the first {REGIONS_SHOWN})</h2>
{render_regions(regions, "city")}"""
    return page("校友工作目标完成情况 · Alumni KPIs", body, CSS, FILTER_SCRIPT % {"axis": _AXIS})


def markdown_bars(kpis: pd.DataFrame) -> str:
    """The same chart as text, for the Dagster UI: ✓ at or above target, ✗ below."""

    def bar(share, goal) -> str:
        if share is None or pd.isna(share):
            return "–"
        filled = round(share * 20)
        return f"`{'█' * filled}{'░' * (20 - filled)}` {share:.0%} {'✓' if share >= goal else '✗'}"

    lines = [
        "| unit | alumni | updated (target 80%) | reachable (target 50%) | classes with a liaison | health |",
        "| --- | ---: | --- | --- | --- | ---: |",
    ]
    for row in kpis.to_dict("records"):
        bars = [bar(row[s], target(row, t)) for s, t, _ in METRICS]
        health = "–" if pd.isna(row.get("health")) else f"{row['health']:.0%}"
        lines.append(f"| {_name(row)} ({row['unit_code']}) | {row['alumni']} | {' | '.join(bars)} | {health} |")
    return "\n".join(lines)
