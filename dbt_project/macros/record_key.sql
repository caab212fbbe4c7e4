{#- A record's place, readable by a person: source_file|source_sheet|source_row. `relation` is the alias
    of a relation with those columns (empty for none). -#}
{% macro record_key(relation='') %}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {{ prefix }}source_file || '|' || {{ prefix }}source_sheet || '|' || {{ prefix }}source_row
{%- endmacro %}
