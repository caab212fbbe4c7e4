{# What units type when they have no value: such a cell is empty, not a value that failed to parse. #}
{% macro is_placeholder(column) -%}
    (lower(trim({{ column }})) in (
        '', '无', '暂无', '没有', '不详', '未知', '不清楚', '空', '（空）', '(空)', '-', '--', '—', '/', '\',
        '?', '？', 'n/a', 'na', 'none', 'null', 'nil', '#n/a', 'nan', 'unknown', 'x', '0'
    ))
{%- endmacro %}
