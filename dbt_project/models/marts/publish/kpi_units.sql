-- The plan's targets per unit and for the university (unit_code 'ALL'), in the current collection
-- cycle (alumni_reach defines the cycle and both rules):
--   updated    alumni with a unit update or a self-reported form dated in the cycle (target 80%)
--   reachable  alumni with a valid mobile or email (target 50%)
--   classes    graduated classes (unit, major, year) with a liaison in the register (target: all)
{%- set updated_target = 0.8 %}
{%- set reachable_target = 0.5 %}
with unit_alumni as (

    select * from {{ ref('unit_alumni') }}

),

reach as (

    select * from {{ ref('alumni_reach') }}

),

classes as (

    select * from {{ ref('kpi_classes') }}

),

units as (

    select * from {{ ref('units') }}

),

cycle_bounds as (

    select distinct cycle_start, cycle_end, as_of_date from reach

),

memberships as (

    select unit_code, alumni_id from unit_alumni
    union all
    select 'ALL', alumni_id from reach

),

alumni_counts as (

    select
        memberships.unit_code,
        count(*) as alumni,
        count(*) filter (where reach.updated_in_cycle) as updated,
        count(*) filter (where reach.reachable) as reachable
    from memberships
    inner join reach using (alumni_id)
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
