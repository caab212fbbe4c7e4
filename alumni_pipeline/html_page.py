"""What every published HTML page shares: one self-contained file (no external stylesheet, script, font
or image, so it reads the same offline), a CJK font stack so Chinese never shows as boxes where the
fonts exist, and every value escaped (`text`), so a name like `<script>` is shown, never run."""

from __future__ import annotations

import html

# Chinese first, in the order the machines we meet have them: Linux (Noto, Source Han, WenQuanYi),
# Windows (Microsoft YaHei), macOS (PingFang)
FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif'
)
BASE_CSS = f"""
body {{ font-family: {FONT_STACK}; margin: 2em; color: #222; line-height: 1.45; }}
table {{ border-collapse: collapse; font-size: 13px; }}
td, th {{ border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.pass {{ color: #2f855a; }} .fail {{ color: #c53030; }} .warn {{ color: #b7791f; }} .muted {{ color: #777; }}
"""


def text(value: object) -> str:
    """A value as inert HTML text: markup escaped, quotes too (safe inside attributes); None as ''."""
    if value is None:
        return ""
    try:
        if value != value:  # NaN, pandas' NA
            return ""
    except (TypeError, ValueError):  # pd.NA compares to NA
        return ""
    return html.escape(str(value), quote=True)


def page(title: str, body: str, css: str = "", script: str = "") -> str:
    """A whole page: `title` is escaped here, `body` and `css` are markup the caller built with `text`.
    `script` is inline JavaScript the caller wrote (never data): no page loads anything else."""
    script_tag = f"<script>\n{script}\n</script>" if script else ""
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{text(title)}</title>
<style>{BASE_CSS}{css}</style></head>
<body>
{body}
{script_tag}
</body></html>
"""
