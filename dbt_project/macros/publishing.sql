{# The date KPIs are computed at: ALUMNI_AS_OF (YYYY-MM-DD) when set, else today. #}
{% macro as_of_date() -%}
    coalesce(try_cast(nullif('{{ env_var("ALUMNI_AS_OF", "") }}', '') as date), current_date)
{%- endmacro %}

{# An ID number as units may see it: region and the last four characters (620102********123X). #}
{% macro mask_id_number(column) -%}
    case when {{ column }} is not null then left({{ column }}, 6) || repeat('*', 8) || right({{ column }}, 4) end
{%- endmacro %}

{# One view per unit over a per-unit table (post-hook): marts.unit_lit holds only 文学院's rows. #}
{% macro unit_views(relation) %}
    {%- if execute -%}
        {%- set codes = run_query("select distinct unit_code from " ~ relation ~ " order by 1").columns[0].values() -%}
        {%- for code in codes %}
            create or replace view {{ relation.schema }}.unit_{{ code | lower }} as
                select * from {{ relation }} where unit_code = '{{ code }}';
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
