-- One row per alumnus and graduated class they belong to, a class being a unit, major and graduation
-- year (the major as a comparison key, so 汉语言文学 and 漢語言文學 are one class): the one definition
-- of a class, read by kpi_classes and reunion_classes.
with education as (

    select *, major_name_key(major) as major_key from {{ ref('alumni_education') }}

),

final as (

    select alumni_id, unit_code, major_key, grad_year, mode(major) as major
    from education
    where unit_code is not null and major_key is not null and grad_year <= year({{ as_of_date() }})
    group by alumni_id, unit_code, major_key, grad_year

)

select * from final
