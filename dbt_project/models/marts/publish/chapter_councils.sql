-- One row per chapter of the register (seeds/chapters.csv): the region it serves, its alumni there
-- now (alumni_places), and its council's term. A council serves three years and its renewal is
-- planned a year ahead (the chapters' rules: 任期3年, 提前1年计划换届), so a council whose term ends
-- within a year of the as-of date, or has ended, is due for renewal. A chapter serves a province
-- (region_level 'province') or one city ('city').
{%- set council_years = 3 %}
{%- set plan_ahead_years = 1 %}
with chapters as (

    select * from {{ ref('chapters') }}

),

places as (

    select * from {{ ref('alumni_places') }}
    where province is not null

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

members as (

    select chapters.chapter_name, count(places.alumni_id) as alumni_in_region
    from chapters
    left join places
        on places.province = chapters.province and (chapters.city is null or places.city = chapters.city)
    group by chapters.chapter_name

),

final as (

    select
        chapters.chapter_name,
        chapters.unit_code,
        chapters.province,
        chapters.city,
        -- a chapter of 北京市 serves all of 北京: a municipality is a province and a city at once
        if(chapters.city is null or chapters.city = chapters.province || '市', 'province', 'city') as region_level,
        members.alumni_in_region,
        chapters.founded_on,
        coalesce(chapters.council_elected_on, chapters.founded_on) as council_elected_on,
        (coalesce(chapters.council_elected_on, chapters.founded_on) + interval {{ council_years }} year)::date
            as council_term_ends,
        (coalesce(chapters.council_elected_on, chapters.founded_on) + interval {{ council_years }} year)::date
            <= (as_of.as_of_date + interval {{ plan_ahead_years }} year)::date as council_renewal_due,
        as_of.as_of_date
    from chapters
    inner join members using (chapter_name)
    cross join as_of

)

select * from final
