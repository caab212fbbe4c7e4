"""The KPI report for the alumni office: each unit's shares against the plan's targets (records updated
in the collection cycle, alumni reachable, classes with a liaison), drawn as an HTML page with an
inline SVG chart, and as text bars for the Dagster UI. The numbers are marts.kpi_units as they are."""

from __future__ import annotations

import datetime as dt
import html
import os
from pathlib import Path

import duckdb
import pandas as pd

# (share column, target column, label); the liaison target is every class
METRICS = (
    ("updated_share", "updated_target", "本周期已更新 updated"),
    ("reachable_share", "reachable_target", "可联络 reachable"),
    ("liaison_share", None, "班级有联络人 liaison"),
)
_BAR, _ROW, _LABEL, _TITLE = 400, 15, 170, 18
_MET, _BELOW = "#2f855a", "#dd6b20"


def read_kpis(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """marts.kpi_units, the university first, then the units by code."""
    return con.sql("select * from marts.kpi_units order by unit_code <> 'ALL', unit_code").df()


def target(row, target_column: str | None) -> float:
    return float(row[target_column]) if target_column else 1.0


def write_kpi_report(con: duckdb.DuckDBPyConnection, path: Path) -> pd.DataFrame:
    """Write the report and return the KPIs it shows."""
    kpis = read_kpis(con)
    without = con.sql("""select unit_code, major, grad_year, alumni from marts.kpi_classes
                         where not has_liaison order by unit_code, grad_year desc, major""").df()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(render_html(kpis, without), encoding="utf-8")
    os.replace(tmp, path)
    return kpis


def render_html(kpis: pd.DataFrame, without: pd.DataFrame) -> str:
    first = kpis.iloc[0] if len(kpis) else None
    cycle = (
        ""
        if first is None
        else f"{first.cycle_start:%Y-%m-%d} – {first.cycle_end:%Y-%m-%d}（截至 as of {first.as_of_date:%Y-%m-%d}）"
    )
    table = kpis[
        [
            "unit_code",
            "unit_name",
            "alumni",
            "updated",
            "updated_share",
            "reachable",
            "reachable_share",
            "classes",
            "classes_with_liaison",
            "classes_without_liaison",
            "liaison_share",
        ]
    ]
    return f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>校友工作目标完成情况 · Alumni KPIs</title>
<style>body{{font-family:sans-serif;margin:2em;color:#222}} table{{border-collapse:collapse;font-size:13px}}
td,th{{border:1px solid #ccc;padding:3px 6px;text-align:right}} td:nth-child(-n+2),th{{text-align:left}}</style></head>
<body><h1>校友工作目标完成情况 · Alumni KPIs against the plan's targets</h1>
<p>收集周期 Collection cycle: {html.escape(cycle)}. 生成 Made {dt.datetime.now():%Y-%m-%d %H:%M}.
Targets: 80% of records updated in the cycle, 50% of alumni reachable by a valid mobile or email,
a liaison for every class.
Bars below target are orange; the black line is the target.</p>
{render_svg(kpis)}
<h2>各单位数据 Per unit</h2>{table.to_html(index=False, na_rep="", float_format=lambda v: f"{v:.1%}")}
<h2>没有班级联络人的班级 Classes without a liaison ({len(without)})</h2>
{without.head(500).to_html(index=False, na_rep="")}
</body></html>
"""


def render_svg(kpis: pd.DataFrame) -> str:
    """One block per unit: a bar per metric, green at or above its target, orange below, and a black
    line at the target."""
    group = _TITLE + _ROW * len(METRICS) + 8
    width, height = _LABEL + _BAR + 60, 34 + group * len(kpis)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-size="11">',
        f'<rect x="0" y="6" width="10" height="10" fill="{_MET}"/>',
        '<text x="14" y="15">达到目标 at or above target</text>',
        f'<rect x="190" y="6" width="10" height="10" fill="{_BELOW}"/>',
        '<text x="204" y="15">未达目标 below target</text>',
        '<line x1="380" x2="380" y1="4" y2="18" stroke="#000" stroke-width="2"/>',
        '<text x="386" y="15">目标 target</text>',
    ]
    for n, row in enumerate(kpis.to_dict("records")):
        top = 30 + n * group
        title = html.escape(f"{row['unit_name']}（{row['unit_code']}）· {row['alumni']} 人")
        parts.append(f'<text x="0" y="{top + 13}" font-weight="bold">{title}</text>')
        for i, (share_col, target_col, label) in enumerate(METRICS):
            share, goal, y = row[share_col], target(row, target_col), top + _TITLE + i * _ROW
            parts.append(f'<text x="12" y="{y + 10}" fill="#555">{label}</text>')
            if pd.isna(share):
                parts.append(f'<text x="{_LABEL}" y="{y + 10}" fill="#888">无 none</text>')
                continue
            parts.append(
                f'<rect x="{_LABEL}" y="{y}" width="{share * _BAR:.1f}" height="{_ROW - 4}" '
                f'fill="{_MET if share >= goal else _BELOW}"/>'
            )
            parts.append(
                f'<line x1="{_LABEL + goal * _BAR:.1f}" x2="{_LABEL + goal * _BAR:.1f}" y1="{y - 1}" '
                f'y2="{y + _ROW - 3}" stroke="#000" stroke-width="2"/>'
            )
            parts.append(f'<text x="{_LABEL + _BAR + 8}" y="{y + 10}">{share:.0%}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def markdown_bars(kpis: pd.DataFrame) -> str:
    """The same chart as text, for the Dagster UI: ✓ at or above target, ✗ below."""

    def bar(share, goal) -> str:
        if pd.isna(share):
            return "–"
        filled = round(share * 20)
        return f"`{'█' * filled}{'░' * (20 - filled)}` {share:.0%} {'✓' if share >= goal else '✗'}"

    lines = [
        "| unit | alumni | updated (target 80%) | reachable (target 50%) | classes with a liaison |",
        "| --- | ---: | --- | --- | --- |",
    ]
    for row in kpis.to_dict("records"):
        bars = [bar(row[s], target(row, t)) for s, t, _ in METRICS]
        lines.append(f"| {row['unit_name']} ({row['unit_code']}) | {row['alumni']} | {' | '.join(bars)} |")
    return "\n".join(lines)
