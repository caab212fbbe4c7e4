-- Every accepted raw row of every source appears exactly once in int_person_records, and nothing
-- else does: rows in one and not the other, or more than once, fail.
{%- set sources = ['archives', 'hr', 'continuing_ed', 'international', 'unit_updates', 'self_reported'] %}

with raw_rows as (

    {% for name in sources %}
    select source_system, source_file, source_sheet, source_row from {{ source('raw', name) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

raw_counts as (

    select source_system, source_file, source_sheet, source_row, count(*) as in_raw
    from raw_rows
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
