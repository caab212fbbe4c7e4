{#
    A date of mixed precision as the marts give it to analysts: the conformed ISO text ('1957-07-21',
    '1955-06', '1961') as a DATE, the first day it names, and its precision.

    typed_date(expression, name) gives two columns, `<name>` (date) and `<name>_precision` ('day' |
    'month' | 'year'; null when the date is); first_day(expression) gives the date alone.

    The rule is defined once, in alumni_pipeline/conform/dates.py (`typed_date_sql`, `first_day_sql`),
    and the SQL is taken from there through the DuckDB functions the dbt plugin registers, as
    comparison_levels does: the marts and the stewards' workbook can never disagree. While dbt only
    parses the project (no query can run) the macros give placeholders.
#}
{% macro typed_date(expression, name) -%}
    {%- if execute -%}
        {{ run_query("select typed_date_sql('" ~ expression ~ "', '" ~ name ~ "')").columns[0].values()[0] }}
    {%- else -%}
        null::date as {{ name }}, null::varchar as {{ name }}_precision
    {%- endif -%}
{%- endmacro %}

{% macro first_day(expression) -%}
    {%- if execute -%}
        {{ run_query("select first_day_sql('" ~ expression ~ "')").columns[0].values()[0] }}
    {%- else -%}
        null::date
    {%- endif -%}
{%- endmacro %}
