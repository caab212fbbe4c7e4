-- One row per period a person worked at the university (HR and the hospitals, and the International
-- Office's foreign staff), attributed to the unit worked in:
--   decision      a registered decision on this row
--   work_unit     the unit worked in (在校工作单位), in its years, names one unit
--   host_school   no unit worked in, but the school that hosted a foreign staff member is known
--   unattributed  none of these: listed in int_unattributed for the alumni office
with person_records as (

    select * from {{ ref('int_person_records') }}

),

department_matches as (

    select * from {{ ref('int_department_matches') }}

),

decisions as (

    select * from {{ ref('attribution_decisions') }}

),

staff as (

    select *
    from person_records
    where record_kind = 'staff'

),

row_decisions as (

    {{ row_decisions('staff', 'decisions') }}

),

joined as (

    select
        staff.*,
        row_decisions.unit_code as decided_unit,
        work_units.unit_code as work_unit,
        work_units.department_names as matched_work_units,
        work_units.period_fit as work_unit_period_fit,
        if(staff.source_system = 'international', host_schools.unit_code, null) as host_school
    from staff
    left join row_decisions on staff.record_id = row_decisions.record_id
    left join department_matches as work_units
        on staff.record_id = work_units.record_id and work_units.field = 'work_unit'
    left join department_matches as host_schools
        on staff.record_id = host_schools.record_id and host_schools.field = 'department'

),

attributed as (

    select
        *,
        case
            when decided_unit is not null then 'decision'
            when work_unit is not null then 'work_unit'
            when host_school is not null then 'host_school'
            else 'unattributed'
        end as attribution_method
    from joined

),

final as (

    select
        record_id,
        source_system,
        source_file,
        source_sheet,
        source_row,
        staff_number,
        role_raw,
        role_kind,
        title,
        work_unit_raw,
        work_unit_key,
        work_start,
        work_start_year,
        work_end,
        work_end_year,
        work_ongoing,
        coalesce(decided_unit, work_unit, host_school) as unit_code,
        attribution_method,
        matched_work_units,
        work_unit_period_fit
    from attributed

)

select * from final
