-- Graduates per unit, major, level and year: the table each unit makes every graduation season
-- (应届毕业生各专业人数统计表), for every year.
with education as (

    select *, major_name_key(major) as major_key from {{ ref('alumni_education') }}

),

alumni as (

    select alumni_id, gender from {{ ref('alumni') }}

),

final as (

    select
        education.unit_code,
        mode(education.major) as major,
        education.major_key,
        education.education_level,
        education.grad_year,
        count(distinct education.alumni_id) as graduates,
        count(distinct education.alumni_id) filter (where alumni.gender = 'M') as male,
        count(distinct education.alumni_id) filter (where alumni.gender = 'F') as female
    from education
    inner join alumni using (alumni_id)
    where education.grad_year is not null and education.grad_year <= year({{ as_of_date() }})
    group by education.unit_code, education.major_key, education.education_level, education.grad_year

)

select * from final
