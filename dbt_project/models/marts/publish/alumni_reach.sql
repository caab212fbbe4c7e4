-- One row per alumnus: whether the office can reach them and whether their record was updated in the
-- current collection cycle (1 August to 1 March, 1 March to 1 August, the cycle holding the as-of
-- date), the two rules every count of the plan's targets uses (kpi_units, region_alumni,
-- reunion_classes):
--   reachable  a valid mobile or email
--   updated    a unit update or a self-reported form dated in the cycle (one dated at month or year
--              precision counts from the first day it names)
with alumni as (

    select * from {{ ref('alumni') }}

),

xref as (

    select * from {{ ref('alumni_xref') }}

),

person_records as (

    select * from {{ ref('int_person_records') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

cycle as (

    select
        as_of_date,
        case
            when month(as_of_date) >= 8 then make_date(year(as_of_date), 8, 1)
            when month(as_of_date) >= 3 then make_date(year(as_of_date), 3, 1)
            else make_date(year(as_of_date) - 1, 8, 1)
        end as cycle_start
    from as_of

),

cycle_bounds as (

    select
        as_of_date,
        cycle_start,
        if(month(cycle_start) = 8, make_date(year(cycle_start) + 1, 3, 1), make_date(year(cycle_start), 8, 1)) as cycle_end
    from cycle

),

updates as (

    select
        xref.alumni_id,
        {{ first_day('person_records.update_date') }} as update_day
    from person_records
    inner join xref using (record_id)
    where person_records.source_system in ('unit_updates', 'self_reported')

),

updated_alumni as (

    select distinct updates.alumni_id
    from updates, cycle_bounds
    where updates.update_day >= cycle_bounds.cycle_start and updates.update_day < cycle_bounds.cycle_end

),

final as (

    select
        alumni.alumni_id,
        alumni.mobile is not null or alumni.email is not null as reachable,
        updated_alumni.alumni_id is not null as updated_in_cycle,
        cycle_bounds.cycle_start,
        cycle_bounds.cycle_end,
        cycle_bounds.as_of_date
    from alumni
    left join updated_alumni using (alumni_id)
    cross join cycle_bounds

)

select * from final
