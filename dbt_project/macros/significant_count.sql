{#
    A count (at least 1) to three significant binary digits: exact up to 15, then rounded to the nearest
    multiple of the power of two an eighth of its size or less (16 to 31 by 2, 32 to 63 by 4, ...;
    4,900 is 5,120).
#}
{% macro significant_count(n) -%}
    (round({{ n }} / pow(2, greatest(floor(log2({{ n }})) - 3, 0))) * pow(2, greatest(floor(log2({{ n }})) - 3, 0)))::bigint
{%- endmacro %}
