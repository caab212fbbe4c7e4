{#
    The staging of one raw table: every row kept, every field renamed to `<field>_raw` as the unit typed
    it and cleaned beside it by the normalisers of alumni_pipeline (SQL functions registered by
    alumni_pipeline/conform/duckdb_functions.py). A clean value is null when the typed one could not be cleaned.
    A record carries what it implies: a valid ID number gives the birth date and gender a row leaves
    empty (`<field>_source` says 'typed' or 'id_number'); a typed value that contradicts the number is
    kept and flagged. Each row also says what kind of record it is. Every raw table carries every
    canonical field, so every staging model has the same columns (models/_conformed_records.yml).

    The rows are those of each file's newest version (`raw.<source>`) and, flagged
    `from_last_accepted`, those of the last version the quality gate accepted where a newer one has
    not been accepted yet (`raw_last_accepted.<source>`): the gate decides which of the two is used
    (int_person_records).

    Incremental: a run conforms only the rows of file versions it has not conformed yet (a file
    version is its path and content hash, in `raw` or in `raw_last_accepted`) and drops the rows of
    versions no longer there (a removed or replaced file). The normalisers are the costly part, and a
    unit's monthly drop is a few hundred rows among a million. Every row is cleaned on its own, so this
    gives the rows a full rebuild gives; after a change to the normalisers or the reference data,
    `alumni run --full` (dbt's --full-refresh) conforms everything again.
#}
{% macro conform_raw_rows(source_name) %}

{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook=[
        "{{ drop_gone_file_versions('raw', '" ~ source_name ~ "', false) }}",
        "{{ drop_gone_file_versions('raw_last_accepted', '" ~ source_name ~ "', true) }}",
    ],
) }}

with source as (

    select *, false as from_last_accepted from {{ source('raw', source_name) }} as r
    {% if is_incremental() %}where not {{ _version_conformed('r', false) }}{% endif %}
    union all by name
    select *, true as from_last_accepted from {{ source('raw_last_accepted', source_name) }} as r
    {% if is_incremental() %}where not {{ _version_conformed('r', true) }}{% endif %}

),

parsed as (

    select
        *,
        -- the whole name; else one typed in two columns (姓 then 名 with no space in Chinese, given name
        -- then surname in Latin script; either alone is still a name); else a guest's English name
        conform_name(coalesce(
            name,
            if(regexp_matches(concat(surname, given_name), '\p{Han}'), concat(trim(surname), trim(given_name)),
               nullif(concat_ws(' ', trim(given_name), trim(surname)), '')),
            name_en)) as name_parts,
        conform_name(name_en) as name_en_parts,
        conform_date(birth_date) as birth_date_parts,
        conform_id(id_number) as id_parts,
        conform_native_place(native_place) as native_place_parts,
        conform_date(enrol_date) as enrol_date_parts,
        conform_date(grad_date) as grad_date_parts,
        conform_period(work_period) as work_period_parts,
        conform_date(update_date) as update_date_parts
    from source

),

work_dates as (

    -- a separate start or end date wins over the period written in one cell
    select
        *,
        conform_date(coalesce(work_start, work_period_parts.start_text)) as work_start_parts,
        conform_date(coalesce(work_end, work_period_parts.end_text)) as work_end_parts
    from parsed

),

cleaned as (

    select
        md5(concat_ws('|', source_system, source_file, source_sheet, source_row)) as record_id,
        source_system,
        source_file,
        source_sheet,
        source_row::integer as source_row,
        file_hash,
        loaded_at::timestamp as loaded_at,

        name as name_raw,
        name_parts.clean as name,
        name_parts.script as name_script,
        name_parts.pinyin as name_pinyin,
        coalesce(name_parts.pinyin_key, name_en_parts.pinyin_key) as name_key,
        name_en as name_en_raw,
        name_en_parts.clean as name_en,
        former_name as former_name_raw,
        conform_name(former_name).clean as former_name,

        gender as gender_raw,
        coalesce(clean_gender(gender), id_parts.gender) as gender,
        case when clean_gender(gender) is not null then 'typed' when id_parts.gender is not null then 'id_number'
        end as gender_source,
        birth_date as birth_date_raw,
        coalesce(birth_date_parts.value, if(birth_date_parts.year is null, id_parts.birth_date, null)) as birth_date,
        case when birth_date_parts.year is not null then birth_date_parts.precision
             when id_parts.birth_date is not null then 'day' end as birth_date_precision,
        coalesce(birth_date_parts.ambiguous, false) as birth_date_ambiguous,
        coalesce(birth_date_parts.year, year(id_parts.birth_date::date)::integer) as birth_year,
        case when birth_date_parts.year is not null then 'typed' when id_parts.birth_date is not null then 'id_number'
        end as birth_date_source,

        id_number as id_number_raw,
        id_parts.value as id_number,
        id_parts.problem as id_problem,
        id_parts.birth_date as id_birth_date,
        id_parts.gender as id_gender,
        id_parts.province as id_province,
        nullif(trim(passport_number), '') as passport_number,
        nullif(trim(nationality), '') as nationality,
        nullif(trim(ethnicity), '') as ethnicity,
        native_place as native_place_raw,
        native_place_parts.province as native_province,
        native_place_parts.city as native_city,

        nullif(trim(student_number), '') as student_number,
        nullif(trim(staff_number), '') as staff_number,
        education_level as education_level_raw,
        education_level(education_level) as education_level,
        study_form as study_form_raw,
        study_form(study_form) as study_form,
        enrol_date as enrol_date_raw,
        enrol_date_parts.value as enrol_date,
        enrol_date_parts.year as enrol_year,
        grad_date as grad_date_raw,
        grad_date_parts.value as grad_date,
        grad_date_parts.year as grad_year,
        department as department_raw,
        unit_name_key(department) as department_key,
        major as major_raw,
        major_name_key(major) as major_key,
        nullif(trim(class_name), '') as class_name,

        role as role_raw,
        role_kind(role) as role_kind,
        nullif(trim(title), '') as title,
        work_unit as work_unit_raw,
        unit_name_key(work_unit) as work_unit_key,
        work_period as work_period_raw,
        work_start as work_start_raw,
        work_start_parts.value as work_start,
        work_start_parts.year as work_start_year,
        work_end as work_end_raw,
        work_end_parts.value as work_end,
        work_end_parts.year as work_end_year,
        coalesce(work_period_parts.ongoing or conform_period(work_end).ongoing, false) as work_ongoing,

        nullif(trim(employer), '') as employer,
        nullif(trim(position), '') as position,
        mobile as mobile_raw,
        clean_mobile(mobile) as mobile,
        landline as landline_raw,
        -- '联系电话' is read as mobile: a fixed-line number typed there is kept as the landline
        coalesce(clean_landline(landline), if(clean_mobile(mobile) is null, clean_landline(mobile), null)) as landline,
        email as email_raw,
        clean_email(email) as email,
        nullif(trim(wechat), '') as wechat,
        nullif(trim(address), '') as address,
        postcode as postcode_raw,
        clean_postcode(postcode) as postcode,

        update_date as update_date_raw,
        update_date_parts.value as update_date,
        nullif(trim(channel), '') as channel,
        nullif(trim(note), '') as note,
        extra_columns,
        from_last_accepted
    from work_dates

),

final as (

    -- what a typed value says against the ID number (the one definition: its Python twin is gone): a birth date typed at
    -- any precision must begin the ID's
    select
        *,
        case
            when source_system = 'hr' or role_kind = 'foreign_staff' then 'staff'
            when source_system = 'international' and coalesce(role_kind <> 'student', true) then 'visit'
            when coalesce(education_level_raw, study_form_raw, enrol_date_raw, grad_date_raw, department_raw,
                          major_raw) is not null then 'study'
            else 'contact'
        end as record_kind,
        coalesce(birth_date_source = 'typed' and not starts_with(id_birth_date, birth_date), false)
            as id_birth_date_conflict,
        coalesce(gender_source = 'typed' and gender <> id_gender, false) as id_gender_conflict
    from cleaned

)

select * from final

{% endmacro %}


{# Whether the staging table already holds the rows of this raw row's file version. #}
{% macro _version_conformed(alias, last_accepted) %}
exists (
    select 1 from {{ this }} as done
    where done.source_file = {{ alias }}.source_file and done.file_hash = {{ alias }}.file_hash
        and done.from_last_accepted = {{ last_accepted }}
)
{% endmacro %}

{# Pre-hook of an incremental staging model: drop the rows of file versions no longer in `schema`. #}
{% macro drop_gone_file_versions(schema, source_name, last_accepted) %}
{% if is_incremental() %}
delete from {{ this }} as done
where done.from_last_accepted = {{ last_accepted }} and not exists (
    select 1 from {{ source(schema, source_name) }} as r
    where r.source_file = done.source_file and r.file_hash = done.file_hash
)
{% else %}
select 1
{% endif %}
{% endmacro %}
