{#
    A date of mixed precision as the marts give it to analysts (one definition, used by every mart and
    by alumni_pipeline/staff_sheets.py's `typed_date` for workbooks): the conformed ISO text
    ('1957-07-21', '1955-06', '1961') as a DATE, the first day it names, and its precision.

    typed_date(expression, name) gives two columns: `<name>` (date) and `<name>_precision`
    ('day' | 'month' | 'year'; null when the date is). first_day(expression) gives the date alone.
#}
{% macro first_day(expression) -%}
    try_cast(case length({{ expression }})
        when 4 then {{ expression }} || '-01-01'
        when 7 then {{ expression }} || '-01'
        when 10 then {{ expression }}
    end as date)
{%- endmacro %}

{% macro date_precision(expression) -%}
    case when {{ first_day(expression) }} is not null then
        case length({{ expression }}) when 10 then 'day' when 7 then 'month' when 4 then 'year' end
    end
{%- endmacro %}

{% macro typed_date(expression, name) -%}
    {{ first_day(expression) }} as {{ name }},
    {{ date_precision(expression) }} as {{ name }}_precision
{%- endmacro %}
