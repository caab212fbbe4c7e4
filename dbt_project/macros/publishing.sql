{# The date KPIs are computed at: ALUMNI_AS_OF (YYYY-MM-DD) when set, else today. #}
{% macro as_of_date() -%}
    coalesce(try_cast(nullif('{{ env_var("ALUMNI_AS_OF", "") }}', '') as date), current_date)
{%- endmacro %}

{# An ID number as units may see it: region and the last four characters (620102********123X). The rule
   is alumni_pipeline/conform/idcard.py's masked_id_sql, read through the DuckDB function the dbt plugin
   registers (as typed_date does); while dbt only parses, a placeholder. #}
{% macro mask_id_number(column) -%}
    {%- if execute -%}
        {{ run_query("select masked_id_sql('" ~ column ~ "')").columns[0].values()[0] }}
    {%- else -%}
        null::varchar
    {%- endif -%}
{%- endmacro %}

{# One view per unit over a per-unit table (post-hook): marts.unit_lit holds only 文学院's rows. Each
   view's columns carry the table's descriptions as comments, as persist_docs gives the table's. #}
{% macro unit_views(relation) %}
    {%- if execute -%}
        {%- set codes = run_query("select distinct unit_code from " ~ relation ~ " order by 1").columns[0].values() -%}
        {%- for code in codes %}
            {%- set view = relation.schema ~ ".unit_" ~ (code | lower) %}
            create or replace view {{ view }} as
                select * from {{ relation }} where unit_code = '{{ code }}';
            comment on view {{ view }} is {{ duckdb_escape_comment("The rows of unit " ~ code ~ " in " ~ relation.identifier ~ ".") }};
            {%- for column in model.columns.values() if column.description %}
            comment on column {{ view }}.{{ column.name }} is {{ duckdb_escape_comment(column.description | trim) }};
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
