-- One row per alumnus and period worked at the university (staff of the university and its
-- hospitals from HR; guest and honorary professors and visiting scholars from the International
-- Office), with the unit. Its dates are typed (macros/typed_date.sql): a DATE, the first day it
-- names, and its precision.
with employment as (

    select * from {{ ref('int_employment_records') }}

),

visits as (

    select * from {{ ref('int_education_records') }}
    where record_kind = 'visit'

),

xref as (

    select * from {{ ref('alumni_xref') }}

),

periods as (

    select
        record_id, role_kind, role_raw, title, work_unit_raw as unit_as_recorded, unit_code, attribution_method,
        work_start as period_start, work_end as period_end, work_ongoing as ongoing,
        source_system, source_file, source_sheet, source_row
    from employment
    union all
    select
        record_id, role_kind, null, null, department_raw, unit_code, attribution_method,
        visit_start, visit_end, false,
        source_system, source_file, source_sheet, source_row
    from visits

),

final as (

    select
        xref.alumni_id,
        periods.* exclude (record_id, period_start, period_end),
        {{ typed_date('periods.period_start', 'period_start') }},
        {{ typed_date('periods.period_end', 'period_end') }}
    from periods
    join xref using (record_id)

)

select * from final
