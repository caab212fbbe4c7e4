-- One row per graduated class, a class being a unit, major and graduation year, with its liaison
-- from the class-liaison register, if any: the plan wants a liaison for every class that ever graduated.
with members as (

    select * from {{ ref('class_members') }}

),

liaisons as (

    select * from {{ ref('int_class_liaisons') }}
    where unit_code is not null and major_key is not null and grad_year is not null

),

classes as (

    select
        unit_code,
        major_key,
        grad_year,
        mode(major) as major,
        count(distinct alumni_id) as alumni
    from members
    group by unit_code, major_key, grad_year

),

class_liaisons as (

    select
        unit_code,
        major_key,
        grad_year,
        string_agg(distinct liaison_name, '、' order by liaison_name) as liaison_names
    from liaisons
    group by all

),

final as (

    select
        classes.unit_code,
        classes.major,
        classes.major_key,
        classes.grad_year,
        classes.alumni,
        class_liaisons.liaison_names,
        class_liaisons.unit_code is not null as has_liaison
    from classes
    left join class_liaisons using (unit_code, major_key, grad_year)

)

select * from final
