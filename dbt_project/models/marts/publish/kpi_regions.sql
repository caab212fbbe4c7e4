-- Where alumni are and where a chapter would gather the most of them: one row per province and one per
-- city with placed alumni (alumni_places) or a chapter (chapter_councils), with how many alumni the
-- office can reach and how many were updated in the cycle (alumni_reach). A region is covered when it
-- has a chapter of its own, or, for a city, when its province's chapter serves it. The regions with
-- no chapter are ranked by their alumni, most first (chapter_rank): where to found the next one.
with places as (

    select * from {{ ref('alumni_places') }}
    where province is not null

),

reach as (

    select * from {{ ref('alumni_reach') }}

),

councils as (

    select * from {{ ref('chapter_councils') }}

),

regions as (

    select 'province' as region_level, province, null::varchar as city, alumni_id from places
    union all
    select 'city', province, city, alumni_id from places
    where city is not null

),

region_counts as (

    select
        regions.region_level,
        regions.province,
        regions.city,
        count(*) as alumni,
        count(*) filter (where reach.reachable) as reachable,
        count(*) filter (where reach.updated_in_cycle) as updated
    from regions
    inner join reach using (alumni_id)
    group by all

),

region_chapters as (

    select
        region_level,
        province,
        if(region_level = 'province', null, city) as city,
        string_agg(chapter_name, '、' order by chapter_name) as chapters,
        string_agg(chapter_name, '、' order by chapter_name) filter (where council_renewal_due) as councils_due
    from councils
    group by all

),

province_chapters as (

    select province, chapters as province_chapters
    from region_chapters
    where region_level = 'province'

),

joined as (

    -- a province's row has no city: matched with `is not distinct from`, as a null never equals a null
    select
        coalesce(region_counts.region_level, region_chapters.region_level) as region_level,
        coalesce(region_counts.province, region_chapters.province) as province,
        coalesce(region_counts.city, region_chapters.city) as city,
        coalesce(region_counts.alumni, 0) as alumni,
        coalesce(region_counts.reachable, 0) as reachable,
        coalesce(region_counts.updated, 0) as updated,
        region_chapters.chapters,
        region_chapters.councils_due
    from region_counts
    full outer join region_chapters
        on region_counts.region_level = region_chapters.region_level
        and region_counts.province = region_chapters.province
        and region_counts.city is not distinct from region_chapters.city

),

covered as (

    select
        joined.*,
        if(joined.region_level = 'city', province_chapters.province_chapters, null) as province_chapters,
        joined.chapters is not null
        or (joined.region_level = 'city' and province_chapters.province_chapters is not null) as has_chapter
    from joined
    left join province_chapters using (province)

),

final as (

    select
        region_level,
        province,
        city,
        alumni,
        reachable,
        round(reachable / nullif(alumni, 0), 4) as reachable_share,
        updated,
        round(updated / nullif(alumni, 0), 4) as updated_share,
        chapters,
        province_chapters,
        has_chapter,
        councils_due,
        rank() over (partition by region_level order by alumni desc) as alumni_rank,
        if(has_chapter, null, rank() over (partition by region_level, has_chapter order by alumni desc)) as chapter_rank
    from covered

)

select * from final
