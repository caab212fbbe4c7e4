-- The plan's targets per unit and for the university (unit_code 'ALL'), in the current collection
-- cycle (1 August to 1 March, 1 March to 1 August, the cycle holding the as-of date):
--   updated    alumni with a unit update or a self-reported form dated in the cycle (target 80%)
--   reachable  alumni with a valid mobile or email (target 50%)
--   classes    graduated classes (unit, major, year) with a liaison in the register (target: all)
{%- set updated_target = 0.8 %}
{%- set reachable_target = 0.5 %}
with unit_alumni as (

    select * from {{ ref('unit_alumni') }}

),

alumni as (

    select * from {{ ref('alumni') }}

),

xref as (

    select * from {{ ref('alumni_xref') }}

),

person_records as (

    select * from {{ ref('int_person_records') }}

),

classes as (

    select * from {{ ref('kpi_classes') }}

),

units as (

    select * from {{ ref('units') }}

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

    -- an update dated at month or year precision counts from the first day it names
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

memberships as (

    select unit_code, alumni_id, mobile, email from unit_alumni
    union all
    select 'ALL', alumni_id, mobile, email from alumni

),

alumni_counts as (

    select
        memberships.unit_code,
        count(*) as alumni,
        count(updated_alumni.alumni_id) as updated,
        count(*) filter (where memberships.mobile is not null or memberships.email is not null) as reachable
    from memberships
    left join updated_alumni using (alumni_id)
    group by memberships.unit_code

),

class_counts as (

    select unit_code, count(*) as classes, count(*) filter (where has_liaison) as classes_with_liaison
    from classes
    group by unit_code
    union all
    select 'ALL', count(*), count(*) filter (where has_liaison)
    from classes

),

final as (

    select
        alumni_counts.unit_code,
        coalesce(units.unit_name_zh, '全校') as unit_name,
        alumni_counts.alumni,
        alumni_counts.updated,
        round(alumni_counts.updated / alumni_counts.alumni, 4) as updated_share,
        {{ updated_target }} as updated_target,
        alumni_counts.reachable,
        round(alumni_counts.reachable / alumni_counts.alumni, 4) as reachable_share,
        {{ reachable_target }} as reachable_target,
        coalesce(class_counts.classes, 0) as classes,
        coalesce(class_counts.classes_with_liaison, 0) as classes_with_liaison,
        coalesce(class_counts.classes, 0) - coalesce(class_counts.classes_with_liaison, 0) as classes_without_liaison,
        round(class_counts.classes_with_liaison / nullif(class_counts.classes, 0), 4) as liaison_share,
        cycle_bounds.cycle_start,
        cycle_bounds.cycle_end,
        cycle_bounds.as_of_date
    from alumni_counts
    left join class_counts using (unit_code)
    left join units using (unit_code)
    cross join cycle_bounds

)

select * from final
