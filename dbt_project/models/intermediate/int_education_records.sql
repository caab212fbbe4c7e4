-- One row per programme of study (and per guest professorship or visit, whose host school owns it),
-- attributed to the current unit that owns its alumni. The first rule that decides wins:
--   decision         a registered decision on this row, or on its department and/or major
--   continuing_ed    the School of Online and Continuing Education's graduates, and every
--                    non-full-time study form, belong to it (ECE)
--   host_school      a visitor of the International Office belongs to the school that hosted them
--   department       the department name, in its years, names one unit
--   department+major the department names several units (split or dissolved): the major's is one of them
--   major            the department is unknown, or the major's unit is not among its candidates
--   unattributed     none of these: listed in int_unattributed for the alumni office
with person_records as (

    select * from {{ ref('int_person_records') }}

),

department_matches as (

    select * from {{ ref('int_department_matches') }}
    where field = 'department'

),

major_units as (

    select *, major_name_key(major_name) as major_key from {{ ref('major_units') }}

),

decisions as (

    select
        *,
        unit_name_key(department) as department_key,
        major_name_key(major) as major_key
    from {{ ref('attribution_decisions') }}

),

programmes as (

    select *
    from person_records
    where record_kind in ('study', 'visit')

),

row_decisions as (

    {{ row_decisions('programmes', 'decisions') }}

),

rule_decisions as (

    -- a decision on a department and a major beats one on the department or the major alone; of two
    -- as specific, the later
    select
        programmes.record_id,
        decisions.unit_code
    from programmes
    inner join decisions
        on decisions.source_row is null
        and (decisions.department_key is null or decisions.department_key = programmes.department_key)
        and (decisions.major_key is null or decisions.major_key = programmes.major_key)
    qualify row_number() over (
        partition by programmes.record_id
        order by (decisions.department_key is not null)::int + (decisions.major_key is not null)::int desc,
            decisions.decided_on desc
    ) = 1

),

major_matches as (

    -- the major's name, or the longest known major it starts with ('临床医学五年制' is 临床医学)
    select
        programmes.record_id,
        major_units.unit_code
    from programmes
    inner join major_units on starts_with(programmes.major_key, major_units.major_key)
    qualify row_number() over (partition by programmes.record_id order by length(major_units.major_key) desc) = 1

),

joined as (

    select
        programmes.*,
        coalesce(row_decisions.unit_code, rule_decisions.unit_code) as decided_unit,
        department_matches.unit_code as department_unit,
        department_matches.candidate_units as department_candidates,
        department_matches.department_names as matched_departments,
        department_matches.period_fit as department_period_fit,
        major_matches.unit_code as major_unit
    from programmes
    left join row_decisions on programmes.record_id = row_decisions.record_id
    left join rule_decisions on programmes.record_id = rule_decisions.record_id
    left join department_matches on programmes.record_id = department_matches.record_id
    left join major_matches on programmes.record_id = major_matches.record_id

),

attributed as (

    select
        *,
        case
            when decided_unit is not null then 'decision'
            when source_system = 'continuing_ed'
                or study_form in ('函授', '业余', '夜大', '电大', '网络教育', '研修班', '自考', '脱产', '继续教育')
                then 'continuing_ed'
            when department_unit is not null and record_kind = 'visit' then 'host_school'
            when department_unit is not null then 'department'
            when list_contains(department_candidates, major_unit) then 'department+major'
            when major_unit is not null then 'major'
            else 'unattributed'
        end as attribution_method
    from joined

),

final as (

    select
        record_id,
        source_system,
        source_file,
        source_sheet,
        source_row,
        record_kind,
        role_kind,
        education_level,
        study_form,
        enrol_date,
        enrol_year,
        grad_date,
        grad_year,
        department_raw,
        department_key,
        major_raw,
        major_key,
        class_name,
        student_number,
        work_start as visit_start,
        work_end as visit_end,
        case
            when attribution_method = 'decision' then decided_unit
            when attribution_method = 'continuing_ed' then 'ECE'
            when attribution_method in ('host_school', 'department') then department_unit
            else major_unit
        end as unit_code,
        attribution_method,
        matched_departments,
        department_candidates,
        department_period_fit,
        major_unit
    from attributed

)

select * from final
