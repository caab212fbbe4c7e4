-- How many typed values of each field each source's normalisers read: typed (not empty, not a
-- placeholder such as 无 or 不详), readable (what a person could read: not an ID number whose digits
-- Excel lost), parsed (read by the normaliser, macros/field_checks.sql; for a department, major or
-- unit worked in, a name that matched a known one). One row per source and field with values.
{%- set checks = field_checks() %}

with person_records as (

    select * from {{ ref('int_person_records') }}

),

education_records as (

    select * from {{ ref('int_education_records') }}

),

employment_records as (

    select * from {{ ref('int_employment_records') }}

),

fields_read as (

    {% for check in checks %}
    select
        source_system,
        '{{ check.field }}' as field,
        count(*) as typed,
        count(*) filter (where {{ check.get('readable', 'true') }}) as readable,
        count(*) filter (where {{ check.get('readable', 'true') }} and ({{ check.read }})) as parsed
    from person_records
    where {{ check.field }}_raw is not null and not {{ is_placeholder(check.field ~ '_raw') }}
    group by source_system
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

names_matched as (

    -- the majors of continuing education (and its training courses) decide nothing, so are not matched
    select source_system, 'department' as field, count(*) as typed, count(*) as readable,
           count(matched_departments) as parsed
    from education_records
    where department_key is not null
    group by source_system
    union all
    select source_system, 'major', count(*), count(*), count(major_unit)
    from education_records
    where major_key is not null and attribution_method <> 'continuing_ed'
    group by source_system
    union all
    select source_system, 'work_unit', count(*), count(*), count(matched_work_units)
    from employment_records
    where work_unit_key is not null
    group by source_system

),

final as (

    select
        *,
        round(parsed / nullif(readable, 0), 4) as parse_rate
    from (select * from fields_read union all select * from names_matched)

)

select * from final
