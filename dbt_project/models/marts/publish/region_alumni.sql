-- Alumni per province and city (alumni_places), by unit and decade of graduation (alumni_education),
-- with how many the office can reach and how many were updated in the collection cycle
-- (alumni_reach). An alumnus counts once in each unit and decade they graduated in, so a region's
-- rows can add up to more than its alumni: kpi_regions counts each alumnus once. Alumni with no
-- programme on record (staff, guests) have no unit or decade; alumni with no place are not here.
with places as (

    select * from {{ ref('alumni_places') }}
    where province is not null

),

education as (

    select * from {{ ref('alumni_education') }}

),

reach as (

    select * from {{ ref('alumni_reach') }}

),

memberships as (

    select distinct
        places.alumni_id,
        places.province,
        places.city,
        education.unit_code,
        (education.grad_year // 10 * 10)::integer as grad_decade
    from places
    left join education using (alumni_id)

),

final as (

    select
        memberships.province,
        memberships.city,
        memberships.unit_code,
        memberships.grad_decade,
        count(*) as alumni,
        count(*) filter (where reach.reachable) as reachable,
        count(*) filter (where reach.updated_in_cycle) as updated
    from memberships
    inner join reach using (alumni_id)
    group by all

)

select * from final
