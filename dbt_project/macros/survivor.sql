{#
    Survivorship for one field of the golden record: the non-null value of the first record in
    `order_by`, and the source row it came from as `<name>_source`.
#}
{% macro survivor(expression, order_by, name=none) %}
    {%- set name = name or expression -%}
    first({{ expression }} order by {{ order_by }}, record_key) filter (where {{ expression }} is not null) as {{ name }},
    first(record_key order by {{ order_by }}, record_key) filter (where {{ expression }} is not null) as {{ name }}_source
{%- endmacro %}
