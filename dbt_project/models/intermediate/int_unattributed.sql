-- The education and employment records no rule could attribute to a unit, with what was typed and a
-- reason (a stable code, what to do in Chinese for the alumni office, and in English), for the office
-- to settle with the units and register in seeds/attribution_decisions.csv.
with education_records as (

    select * from {{ ref('int_education_records') }}
    where attribution_method = 'unattributed'

),

employment_records as (

    select * from {{ ref('int_employment_records') }}
    where attribution_method = 'unattributed'

),

person_records as (

    select * from {{ ref('int_person_records') }}

),

reasons as (

    select * from (values
        ('DEPARTMENT_SPLIT_NO_MAJOR', '该院系已拆分或撤销，专业为空或无法确定归属，请与相关学院商定后登记归属决定。',
         'The department was split or dissolved, and the major does not decide between its units.'),
        ('DEPARTMENT_UNKNOWN_NO_MAJOR', '院系名称无法识别，专业也无法确定归属，请核对院系名称，或登记归属决定。',
         'The department is unknown, and the major does not decide.'),
        ('NO_DEPARTMENT_NO_MAJOR', '没有院系，专业也无法确定归属，请向报送单位补充院系或专业。',
         'No department, and the major does not decide.'),
        ('WORK_UNIT_UNKNOWN', '在校工作单位无法识别，请核对单位名称，或登记归属决定。',
         'The unit worked in is unknown.'),
        ('NO_WORK_UNIT', '没有在校工作单位，请向人事部门补充。', 'No unit worked in.')
    ) as reasons(reason_code, message_zh, message_en)

),

unattributed as (

    select
        record_id,
        'education' as record_type,
        case
            when department_candidates is not null then 'DEPARTMENT_SPLIT_NO_MAJOR'
            when department_raw is not null then 'DEPARTMENT_UNKNOWN_NO_MAJOR'
            else 'NO_DEPARTMENT_NO_MAJOR'
        end as reason_code
    from education_records
    union all
    select
        record_id,
        'employment',
        if(work_unit_raw is null, 'NO_WORK_UNIT', 'WORK_UNIT_UNKNOWN')
    from employment_records

),

final as (

    select
        unattributed.record_id,
        person_records.source_system,
        person_records.source_file,
        person_records.source_sheet,
        person_records.source_row,
        unattributed.record_type,
        unattributed.reason_code,
        reasons.message_zh,
        reasons.message_en,
        person_records.name,
        person_records.education_level_raw,
        person_records.enrol_date_raw,
        person_records.grad_date_raw,
        person_records.department_raw,
        person_records.major_raw,
        person_records.role_raw,
        person_records.work_unit_raw,
        person_records.work_start_raw,
        person_records.work_end_raw,
        person_records.work_period_raw
    from unattributed
    inner join person_records on unattributed.record_id = person_records.record_id
    inner join reasons on unattributed.reason_code = reasons.reason_code

)

select * from final
