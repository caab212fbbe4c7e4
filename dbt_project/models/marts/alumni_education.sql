-- One row per alumnus and programme studied. A programme told by several records (the archives, a
-- unit's update, the alumnus's own form) is kept once, from the most trusted source. Its dates are
-- typed (macros/typed_date.sql): a DATE, the first day it names, and its precision.
with education as (

    select * from {{ ref('int_education_records') }}
    where record_kind = 'study'

),

xref as (

    select * from {{ ref('alumni_xref') }}

),

source_trust as (

    select * from {{ ref('source_trust') }}

),

ranked as (

    select
        xref.alumni_id,
        education.*,
        row_number() over (
            partition by xref.alumni_id, coalesce(education.grad_year, -1), coalesce(education.unit_code, education.record_id)
            order by
                source_trust.programme_trust,
                education.education_level is null, education.major_raw is null, education.record_id
        ) as rank_in_programme,
        count(*) over (
            partition by xref.alumni_id, coalesce(education.grad_year, -1), coalesce(education.unit_code, education.record_id)
        ) as records_telling
    from education
    inner join xref using (record_id)
    left join source_trust on education.source_system = source_trust.source_system

),

final as (

    select
        alumni_id,
        education_level,
        study_form,
        {{ typed_date('enrol_date', 'enrol_date') }},
        enrol_year,
        {{ typed_date('grad_date', 'grad_date') }},
        grad_year,
        department_raw as department_as_recorded,
        unit_code,
        attribution_method,
        major_raw as major,
        class_name,
        records_telling,
        source_system,
        source_file,
        source_sheet,
        source_row
    from ranked
    where rank_in_programme = 1

)

select * from final
