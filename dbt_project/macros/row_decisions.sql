{#
    The registered attribution decisions (seed attribution_decisions) that name one source row: each
    record of `records` a decision names, with the unit it was given. One rule for how a decision
    names a row, for education and employment records alike.
#}
{% macro row_decisions(records, decisions) %}
    select
        {{ records }}.record_id,
        {{ decisions }}.unit_code
    from {{ records }}
    inner join {{ decisions }}
        on {{ records }}.source_system = {{ decisions }}.source_system
        and {{ records }}.source_file = {{ decisions }}.source_file
        and {{ records }}.source_sheet = coalesce({{ decisions }}.source_sheet, '')
        and {{ records }}.source_row = {{ decisions }}.source_row
{% endmacro %}
