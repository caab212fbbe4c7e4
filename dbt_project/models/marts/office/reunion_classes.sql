-- The classes that come back for an anniversary (秩年返校) in the reunion year: those reaching 10, 20,
-- 30, 40, 50 or 60 years since graduation, a class being a unit, major and graduation year
-- (kpi_classes), with its liaisons, its size, how many of it the office can reach (alumni_reach) and
-- how many are on the alumni wall (everyone but those on the opt-out list, marts.wall_opt_outs).
-- The reunion year is the dbt variable `reunion_year`, by default the year after the as-of date: the
-- office plans next year's reunions.
{%- set anniversaries = [10, 20, 30, 40, 50, 60] %}
with classes as (

    select * from {{ ref('kpi_classes') }}

),

class_members as (

    select * from {{ ref('class_members') }}

),

reach as (

    select * from {{ ref('alumni_reach') }}

),

opted_out as (

    select distinct alumni_id from {{ source('wall', 'wall_opt_outs') }}
    where alumni_id is not null

),

units as (

    select * from {{ ref('units') }}

),

reunion as (

    select coalesce(
        try_cast(nullif('{{ var("reunion_year", "") }}', '') as integer),
        year({{ as_of_date() }}) + 1
    )::integer as reunion_year

),

reunion_classes as (

    select classes.*, reunion.reunion_year, (reunion.reunion_year - classes.grad_year)::integer as years_since
    from classes
    cross join reunion
    where reunion.reunion_year - classes.grad_year in ({{ anniversaries | join(', ') }})

),

members as (

    select distinct reunion_classes.unit_code, reunion_classes.major_key, reunion_classes.grad_year, class_members.alumni_id
    from reunion_classes
    inner join class_members using (unit_code, major_key, grad_year)

),

member_counts as (

    select
        members.unit_code,
        members.major_key,
        members.grad_year,
        count(*) filter (where reach.reachable) as reachable,
        count(*) filter (where opted_out.alumni_id is null) as on_wall
    from members
    inner join reach using (alumni_id)
    left join opted_out using (alumni_id)
    group by all

),

final as (

    select
        reunion_classes.reunion_year,
        reunion_classes.years_since,
        reunion_classes.unit_code,
        units.unit_name_zh as unit_name,
        reunion_classes.major,
        reunion_classes.major_key,
        reunion_classes.grad_year,
        reunion_classes.alumni,
        reunion_classes.liaison_names,
        reunion_classes.has_liaison,
        coalesce(member_counts.reachable, 0) as reachable,
        coalesce(member_counts.on_wall, 0) as on_wall
    from reunion_classes
    left join member_counts using (unit_code, major_key, grad_year)
    left join units using (unit_code)

)

select * from final
