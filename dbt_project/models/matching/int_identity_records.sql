-- One row per person record with the fields identity resolution compares, and how many records carry its
-- name (for term-frequency adjustment: two 王伟 agreeing say less than two 欧阳修远).
with persons as (

    select * from {{ ref('int_person_records') }}

),

education as (

    select * from {{ ref('int_education_records') }}

),

employment as (

    select * from {{ ref('int_employment_records') }}

),

id_digits as (

    select
        *,
        regexp_replace(id_number_raw, '[^0-9]', '', 'g') as digits
    from persons

),

partial_ids as (

    -- an ID number Excel damaged or a unit mistyped still names a region and a birth date
    select
        *,
        case
            when length(digits) between 16 and 18 and try_strptime(substr(digits, 7, 8), '%Y%m%d') is not null
                then left(digits, 14)
        end as id_partial_raw
    from id_digits

),

joined as (

    select
        p.record_id,
        {{ record_key('p') }} as record_key,
        p.source_system,
        p.source_file,
        p.source_sheet,
        p.source_row,
        p.name,
        p.name_script,
        p.name_pinyin,
        p.name_key,
        coalesce(p.id_birth_date, p.birth_date,
                 strftime(try_strptime(substr(p.id_partial_raw, 7, 8), '%Y%m%d'), '%Y-%m-%d')) as birth_date,
        coalesce(p.id_gender, p.gender) as gender,
        p.id_gender is not null as gender_from_id,
        p.id_number,
        coalesce(left(p.id_number, 14), p.id_partial_raw) as id_partial,
        p.passport_number,
        p.postcode,
        p.student_number,
        p.mobile,
        p.email,
        p.native_province,
        p.native_city,
        coalesce(e.unit_code, w.unit_code) as unit_code,
        e.major_key,
        e.education_level,
        e.enrol_year,
        e.grad_year
    from partial_ids as p
    left join education as e using (record_id)
    left join employment as w using (record_id)

),

counted as (

    select *, count(*) over (partition by name_key) as name_records
    from joined

),

final as (

    select
        * exclude (name_records),
        case length(birth_date) when 10 then 'day' when 7 then 'month' when 4 then 'year' end as birth_precision,
        try_cast(left(birth_date, 4) as integer) as birth_year,
        -- a registry keeps the record from the person's file (the archives, HR, continuing education):
        -- its birth dates and programmes are facts; a unit's update, a form, or the International
        -- Office's guest list is typed from what a person said or sent, and may hold a slip anywhere
        source_system in ('archives', 'hr', 'continuing_ed') as from_registry,
        -- records carrying the name, to three significant binary digits above 15 (4,900 is 5,120):
        -- within a bucket the weight of agreeing on the name moves by under 0.1 bit, and a drop of a
        -- few hundred rows leaves nearly every name in its bucket, so its pairs keep their scores and
        -- an incremental run need not score them again (identity.pair_scores.pair_signature)
        {{ significant_count('name_records') }} as name_count
    from counted

)

select * from final
