{# Models land in the schema their folder names (staging, intermediate, reference), not in
   '<target schema>_<folder>': analysts query `intermediate.int_person_records`. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name else target.schema }}
{%- endmacro %}
