"""The quality gate's validation results as one self-contained HTML page, `quality/<check>/index.html`:
each suite, each expectation with its severity, passed or failed, what was observed and example rows,
and, for a suite whose rows name their landing folder (`source_system`), rows checked and failing per
source. It replaces GX Data Docs, whose pages load Bootstrap, jQuery and Vega from the internet and so
are blank offline; this one loads nothing (alumni_pipeline/html_page.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..html_page import page, text

SEVERITY_ZH = {"critical": "严重 critical", "warning": "警告 warning"}
CSS = """
section.suite { margin-top: 2em; }
td.status { white-space: nowrap; font-weight: bold; }
td code { font-size: 12px; word-break: break-all; }
.summary td { font-size: 14px; }
"""


def render_report(
    check: str, specs: dict[str, dict], frames: dict[str, pd.DataFrame], outcomes: dict[str, list], observed, example
) -> str:
    """The page of one check's validation. `observed(result)` says what GX observed, in words, and
    `example(suite, row)` names a failing row as the gate's messages do; each outcome is GX's
    ExpectationValidationResult."""
    every = [(name, r) for name, results in outcomes.items() for r in results]
    failed = [(n, r) for n, r in every if not r.success]
    critical = [r for _, r in failed if _severity(r) == "critical"]
    verdict = (
        '<span class="fail">未通过：有严重问题 Blocked: a critical expectation failed</span>'
        if critical
        else '<span class="warn">通过，有警告 Passed with warnings</span>'
        if failed
        else '<span class="pass">全部通过 Every expectation held</span>'
    )
    summary = f"""<table class="summary">
<tr><th>结论 Verdict</th><td>{verdict}</td></tr>
<tr><th>规则集 Suites</th><td class="num">{len(outcomes)}</td></tr>
<tr><th>检查项 Expectations</th><td class="num">{len(every)}</td></tr>
<tr><th>通过 Passed</th><td class="num">{len(every) - len(failed)}</td></tr>
<tr><th>严重 Critical failures</th><td class="num">{len(critical)}</td></tr>
<tr><th>警告 Warnings</th><td class="num">{len(failed) - len(critical)}</td></tr>
</table>"""
    sections = [
        _suite(name, specs[name], frames[name], outcomes.get(name, []), observed, lambda row, n=name: example(n, row))
        for name in frames
        if name in outcomes
    ]
    body = f"""<h1>数据质量检查 · Quality gate: {text(check)}</h1>
<p class="muted">生成 Made {dt.datetime.now():%Y-%m-%d %H:%M}. Suites: <code>expectations/&lt;suite&gt;.json</code>.</p>
{summary}
{"".join(sections)}"""
    return page(f"数据质量检查 · {check}", body, CSS)


def _severity(r) -> str:
    severity = r.expectation_config.severity
    return str(severity.value if severity else "critical")


def _suite(name: str, spec: dict, frame: pd.DataFrame, results: list, observed, example) -> str:
    rows = []
    for r in sorted(results, key=lambda r: (r.success, _severity(r) != "critical")):
        config, res = r.expectation_config, r.result or {}
        kwargs = ", ".join(
            f"{k}={v}" for k, v in config.kwargs.items() if k not in ("batch_id", "condition_parser", "row_condition")
        )
        status = (
            '<td class="status pass">通过 passed</td>'
            if r.success
            else f'<td class="status {"fail" if _severity(r) == "critical" else "warn"}">未通过 failed</td>'
        )
        examples = (res.get("partial_unexpected_index_list") or res.get("partial_unexpected_list") or [])[:5]
        rows.append(
            f"<tr>{status}<td>{text(SEVERITY_ZH.get(_severity(r), _severity(r)))}</td>"
            f"<td>{text(config.description or config.type)}</td>"
            f"<td><code>{text(config.type)}({text(kwargs)})</code></td>"
            f"<td>{text(observed(r))}</td>"
            f"<td>{'<br>'.join(text(example(e)) for e in examples)}</td></tr>"
        )
    table = (
        "<table><tr><th>结果 Result</th><th>级别 Severity</th><th>规则 Expectation</th><th>定义 Definition</th>"
        f"<th>观测值 Observed</th><th>示例 Examples</th></tr>{''.join(rows)}</table>"
    )
    meta = spec.get("meta", {})
    return f"""<section class="suite" id="{text(name)}"><h2>{text(name)}</h2>
<p>表 Table: <code>{text(meta.get("table", ""))}</code> · 检查行数 Rows checked: {len(frame):,}</p>
<p class="muted">{text(meta.get("about", ""))}</p>
{table}
{_per_source(frame, results, meta)}</section>"""


def _per_source(frame: pd.DataFrame, results: list, meta: dict) -> str:
    """Rows checked and failing per landing folder, when the rows name theirs (and GX listed every
    failing row, as it does for the per-file suites)."""
    if "source_system" not in frame or not len(frame):
        return ""
    checked = frame.groupby("source_system", dropna=False).size()
    columns = [*meta.get("row_key", []), meta.get("index")]
    failing = {}
    for r in results:
        listed = (r.result or {}).get("unexpected_index_list")
        if r.success or not listed or "source_system" not in columns or not isinstance(listed[0], dict):
            continue
        found = pd.DataFrame(listed)  # a dict per failing row, of the suite's key columns
        if "source_system" in found:
            failing[r.expectation_config.description or r.expectation_config.type] = found.groupby(
                "source_system"
            ).size()
    head = "".join(f"<th>{text(d)}</th>" for d in failing)
    body = "".join(
        f'<tr><td>{text(source)}</td><td class="num">{n:,}</td>'
        + "".join(f'<td class="num">{int(f.get(source, 0)):,}</td>' for f in failing.values())
        + "</tr>"
        for source, n in checked.items()
    )
    return (
        "<h3>按来源 Per source</h3>"
        f'<table><tr><th>来源 Source</th><th class="num">检查行数 Rows checked</th>{head}</tr>{body}</table>'
    )
