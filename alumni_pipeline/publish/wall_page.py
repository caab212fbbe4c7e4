"""`alumni_wall/<snapshot>/index.html`: the wall as a person walks along it, unit by unit, and in each
unit class by class (graduation year, newest first), the names of a class in the order the snapshot
holds them, each with its level and major. One self-contained page (alumni_pipeline/html_page.py):
nothing loaded from elsewhere, every value escaped, and only the wall's own columns, so no contact
data or ID number can appear on it."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..html_page import page, text

NO_UNIT, NO_YEAR = "单位待确认 Unit not yet known", "年份不详 Year not known"
CSS = """
nav a { margin-right: .8em; white-space: nowrap; }
section.unit { margin-top: 2.2em; border-top: 3px solid #8b1a1a; }
section.unit > h2 { color: #8b1a1a; }
.class { margin: .6em 0 1.2em; }
.class h3 { margin: .3em 0; font-size: 1.05em; }
ul.names { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .3em 1.4em; }
ul.names li { min-width: 8em; }
ul.names small { color: #777; margin-left: .3em; }
"""


def render_wall_page(wall: pd.DataFrame, snapshot_id: str, made: dt.datetime) -> str:
    """The page for a snapshot's rows (the wall's columns, WALL_COLUMNS)."""
    wall = wall.assign(
        unit_sort=wall.unit_code.isna(),  # alumni of no known unit come last
        year_sort=-pd.to_numeric(wall.grad_year, errors="coerce").fillna(-99999),
    )
    units, nav = [], []
    for n, ((_, unit_code), rows) in enumerate(wall.groupby(["unit_sort", "unit_code"], dropna=False, sort=True)):
        if pd.isna(unit_code):
            title = NO_UNIT
        else:
            title = f"{rows.unit_name.dropna().iloc[0] if rows.unit_name.notna().any() else unit_code}（{unit_code}）"
        anchor = f"unit-{n}"
        people = rows.wall_id.nunique()
        nav.append(f'<a href="#{anchor}">{text(title)}</a>')
        classes = []
        for (_, grad_year), members in rows.groupby(["year_sort", "grad_year"], dropna=False, sort=True):
            year = NO_YEAR if pd.isna(grad_year) else f"{int(grad_year)} 届"
            names = "".join(
                f'<li data-wall-id="{text(r.wall_id)}">{text(r.name)}'
                f"<small>{text(' · '.join(str(v) for v in (r.education_level, r.major) if pd.notna(v)))}</small></li>"
                for r in members.itertuples(index=False)
            )
            classes.append(
                f'<div class="class"><h3>{text(year)} <span class="muted">{len(members)} 人</span></h3>'
                f'<ul class="names">{names}</ul></div>'
            )
        units.append(
            f'<section class="unit" id="{anchor}"><h2>{text(title)} <span class="muted">{people} 位校友</span></h2>'
            f"{''.join(classes)}</section>"
        )
    body = f"""<h1>兰州大学校友墙 · Alumni wall</h1>
<p class="muted">快照 Snapshot {text(snapshot_id)} · 生成 Made {made:%Y-%m-%d %H:%M} UTC ·
{wall.wall_id.nunique()} 位校友，{len(wall)} 条学历 alumni, programmes.
按单位、届别排列 By unit, then class (graduation year, newest first).</p>
<nav>{"".join(nav)}</nav>
{"".join(units) or '<p class="muted">暂无 Nobody on the wall yet.</p>'}"""
    return page("兰州大学校友墙 · Alumni wall", body, CSS)
