{#
    The comparisons between two person records `l` and `r`: every comparison's level (0 = the
    strongest agreement; -1 = a value missing on either side, which says nothing) and, with
    facts=true, the facts the hard negatives read.

    The levels are defined once, in alumni_pipeline/identity/comparisons.py (each level with its SQL
    condition, labels, fixed m and hard negative), and the SQL is taken from there through the DuckDB
    function `comparison_levels_sql` the dbt plugin registers: scoring, hard negatives, the stewards'
    workbook and this SQL can never disagree. While dbt only parses the project (no query can run) the
    macro gives a placeholder.
#}
{% macro comparison_levels(l='l', r='r', facts=true) %}
    {%- if execute -%}
        {%- set query = "select comparison_levels_sql('" ~ l ~ "', '" ~ r ~ "', " ~ (facts | string | lower) ~ ")" -%}
        {{ run_query(query).columns[0].values()[0] }}
    {%- else -%}
        null as name_level
    {%- endif -%}
{% endmacro %}
