-- Every field of every record that needs a look: which row, which field, which rule (seeds/
-- field_issue_rules.csv), and the value as typed. A value is never dropped for an issue: its row stays
-- in int_person_records with the clean value null. Placeholders (无, 不详, '-') count as empty. What
-- counts as read is macros/field_checks.sql, shared with int_parse_rates.
{%- set checks = field_checks() | selectattr('rule') | list %}

with person_records as (

    select * from {{ ref('int_person_records') }}

),

education_records as (

    select * from {{ ref('int_education_records') }}

),

employment_records as (

    select * from {{ ref('int_employment_records') }}

),

rules as (

    select * from {{ ref('field_issue_rules') }}

),

unreadable_values as (

    {% for check in checks %}
    select record_id, '{{ check.field }}' as field, '{{ check.rule }}' as rule, {{ check.field }}_raw as value
    from person_records
    where {{ check.field }}_raw is not null
        and not ({{ check.read }})
        and not {{ is_placeholder(check.field ~ '_raw') }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

id_numbers as (

    select record_id, 'id_number' as field, 'ID_' || id_problem as rule, id_number_raw as value
    from person_records
    where id_problem is not null and id_problem <> 'EMPTY' and not {{ is_placeholder('id_number_raw') }}

),

id_conflicts as (

    select record_id, 'birth_date' as field, 'BIRTH_DATE_ID_CONFLICT' as rule, birth_date_raw as value
    from person_records
    where id_birth_date_conflict
    union all
    select record_id, 'gender', 'GENDER_ID_CONFLICT', gender_raw
    from person_records
    where id_gender_conflict

),

ambiguous_dates as (

    select record_id, 'birth_date' as field, 'DATE_AMBIGUOUS' as rule, birth_date_raw as value
    from person_records
    where birth_date_ambiguous

),

implausible_years as (

    select
        record_id,
        if(flag in ('GRAD_BEFORE_ENROL', 'STUDY_TOO_LONG'), 'grad_date', 'enrol_date') as field,
        flag as rule,
        concat_ws(' / ', enrol_date_raw, grad_date_raw, birth_date_raw) as value
    from (
        select *, unnest(check_years(enrol_year, grad_year, birth_year)) as flag
        from person_records
        where record_kind = 'study' and enrol_year is not null
    )

),

unknown_names as (

    select record_id, 'department' as field, 'DEPARTMENT_UNKNOWN' as rule, department_raw as value
    from education_records
    where department_key is not null and matched_departments is null
    union all
    select record_id, 'department', 'DEPARTMENT_OUT_OF_PERIOD', department_raw
    from education_records
    where department_period_fit = 'out_of_period'
    union all
    select record_id, 'major', 'MAJOR_UNKNOWN', major_raw
    from education_records
    where major_key is not null and major_unit is null and attribution_method <> 'continuing_ed'
    union all
    select record_id, 'work_unit', 'WORK_UNIT_UNKNOWN', work_unit_raw
    from employment_records
    where work_unit_key is not null and matched_work_units is null

),

issues as (

    select * from unreadable_values
    union all select * from id_numbers
    union all select * from id_conflicts
    union all select * from ambiguous_dates
    union all select * from implausible_years
    union all select * from unknown_names

),

final as (

    select
        issues.record_id,
        person_records.source_system,
        person_records.source_file,
        person_records.source_sheet,
        person_records.source_row,
        issues.field,
        issues.rule,
        issues.value,
        rules.message_zh,
        rules.message_en
    from issues
    inner join person_records on issues.record_id = person_records.record_id
    left join rules on issues.rule = rules.rule

)

select * from final
