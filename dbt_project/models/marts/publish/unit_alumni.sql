-- One row per alumnus and unit: every unit sees its own alumni (those who studied in it, by the
-- programme's current unit, and those who worked in it or were hosted by it), with their newest
-- programme in that unit, contact and career fields, the ID number masked, and what is missing for
-- the record to be complete (the fields of the collection plan). A view per unit (marts.unit_<code>)
-- is made after the table.
{{ config(post_hook="{{ unit_views(this) }}") }}

with alumni as (

    select * from {{ ref('alumni') }}

),

education as (

    select * from {{ ref('alumni_education') }}
    where unit_code is not null

),

employment as (

    select * from {{ ref('alumni_employment') }}
    where unit_code is not null

),

xref as (

    select * from {{ ref('alumni_xref') }}

),

records as (

    select record_id, id_number from {{ ref('int_ranked_records') }}

),

units as (

    select * from {{ ref('units') }}

),

newest_programmes as (

    select
        *,
        count(*) over (partition by alumni_id, unit_code) as programmes_in_unit
    from education
    qualify row_number() over (
        partition by alumni_id, unit_code
        order by grad_year desc nulls last, enrol_year desc nulls last, source_file, source_row
    ) = 1

),

periods_worked as (

    select alumni_id, unit_code, count(*) as periods_in_unit
    from employment
    group by all

),

memberships as (

    select
        alumni_id,
        unit_code,
        newest_programmes.alumni_id is not null as studied_here,
        periods_worked.alumni_id is not null as worked_here
    from newest_programmes
    full outer join periods_worked using (alumni_id, unit_code)

),

id_numbers as (

    select xref.alumni_id, max(records.id_number) as id_number
    from xref
    inner join records using (record_id)
    where records.id_number is not null
    group by xref.alumni_id

),

joined as (

    select
        memberships.alumni_id,
        memberships.unit_code,
        units.unit_name_zh as unit_name,
        memberships.studied_here,
        memberships.worked_here,
        alumni.name,
        alumni.gender,
        alumni.birth_date,
        alumni.birth_date_precision,
        programme.education_level,
        programme.study_form,
        programme.enrol_date,
        programme.enrol_date_precision,
        programme.grad_date,
        programme.grad_date_precision,
        programme.department_as_recorded,
        programme.major,
        coalesce(programme.programmes_in_unit, 0) as programmes_in_unit,
        alumni.employer,
        alumni.position,
        alumni.mobile,
        alumni.email,
        alumni.address,
        alumni.postcode,
        {{ mask_id_number('id_numbers.id_number') }} as id_number_masked
    from memberships
    inner join alumni using (alumni_id)
    left join newest_programmes as programme using (alumni_id, unit_code)
    left join id_numbers using (alumni_id)
    left join units using (unit_code)

),

missing as (

    select
        *,
        list_filter([
            if(name is null, '姓名', null),
            if(gender is null, '性别', null),
            if(birth_date is null, '出生日期', null),
            if(studied_here and education_level is null, '学历', null),
            if(studied_here and enrol_date is null, '入校时间', null),
            if(studied_here and grad_date is null, '毕业时间', null),
            if(studied_here and department_as_recorded is null, '毕业院系', null),
            if(studied_here and major is null, '专业', null),
            if(employer is null, '现工作单位', null),
            if(position is null, '职务', null),
            if(mobile is null, '手机', null),
            if(email is null, '电子邮箱', null),
            if(address is null, '通讯地址', null),
            if(postcode is null, '邮政编码', null)
        ], field -> field is not null) as missing_fields
    from joined

),

final as (

    select
        * exclude (missing_fields),
        len(missing_fields) = 0 as is_complete,
        array_to_string(missing_fields, '、') as missing_fields
    from missing

)

select * from final
