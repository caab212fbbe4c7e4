-- Every raw row the quality gate let through appears exactly once in int_person_records, and nothing
-- else does: a file's newest version unless the gate held the file back, then its last accepted
-- version; less the rows the gate held back. Rows in one and not the other, or more than once, fail.
{{ config(meta={'dagster': {'ref': {'name': 'int_person_records'}}}) }}  {# the check belongs to int_person_records in Dagster #}
{%- set sources = ['archives', 'hr', 'continuing_ed', 'international', 'unit_updates', 'self_reported'] %}

with holds as (

    select * from {{ source('audit', 'gate_holds') }}

),

raw_rows as (

    {% for name in sources %}
    select source_system, source_file, source_sheet, source_row, file_hash, false as last_accepted
    from {{ source('raw', name) }}
    union all
    select source_system, source_file, source_sheet, source_row, file_hash, true
    from {{ source('raw_last_accepted', name) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

rows_in_use as (

    select r.*
    from raw_rows as r
    where r.last_accepted = exists (
            select 1 from holds as h
            where h.scope = 'file' and (h.source_system, h.source_file) = (r.source_system, r.source_file))
        and not exists (
            select 1 from holds as h
            where h.scope = 'row' and (h.source_system, h.source_file, h.source_sheet, h.source_row, h.file_hash)
                = (r.source_system, r.source_file, r.source_sheet, r.source_row, r.file_hash))

),

raw_counts as (

    select source_system, source_file, source_sheet, source_row, count(*) as in_raw
    from rows_in_use
    group by all

),

person_counts as (

    select source_system, source_file, source_sheet, source_row, count(*) as in_person_records
    from {{ ref('int_person_records') }}
    group by all

),

final as (

    select *
    from raw_counts
    full outer join person_counts using (source_system, source_file, source_sheet, source_row)
    where in_raw is distinct from 1 or in_person_records is distinct from 1

)

select * from final
