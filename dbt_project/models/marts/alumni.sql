-- One row per alumnus: the golden record. Each field is taken from the record that is trusted most
-- for it, and says which source row it came from (`<field>_source`: source_system/source_file|sheet|row):
-- names and native places from the archives first; birth date and gender from a valid ID number,
-- then as typed by the archives; contact and career fields from the newest of unit updates,
-- self-reported forms and HR.
with records as (

    select * from {{ ref('int_person_records') }}

),

xref as (

    select * from {{ ref('alumni_xref') }}

),

identity_records as (

    select record_id, record_key from {{ ref('int_identity_records') }}

),

ranked as (

    select
        xref.alumni_id,
        identity_records.record_key,
        records.*,
        case records.source_system
            when 'archives' then 1 when 'hr' then 2 when 'self_reported' then 3 when 'continuing_ed' then 4
            when 'unit_updates' then 5 else 6 end as trust,
        coalesce(records.update_date, records.loaded_at::date::varchar) as freshness
    from records
    join xref using (record_id)
    join identity_records using (record_id)

),

golden as (

    select
        alumni_id,
        {{ survivor('name', "name_script = 'han' desc, trust") }},
        {{ survivor('name_en', "trust desc") }},
        {{ survivor('coalesce(id_gender, gender)', "id_gender is null, trust", 'gender') }},
        {{ survivor('coalesce(id_birth_date, birth_date)', "id_birth_date is null, length(birth_date) desc, trust", 'birth_date') }},
        {{ survivor('native_province', "trust") }},
        {{ survivor('native_city', "trust") }},
        {{ survivor('nationality', "trust") }},
        {{ survivor('mobile', "trust in (1, 4, 6), freshness desc") }},
        {{ survivor('email', "trust in (1, 4, 6), freshness desc") }},
        {{ survivor('address', "trust in (1, 4, 6), freshness desc") }},
        {{ survivor('postcode', "trust in (1, 4, 6), freshness desc") }},
        {{ survivor('employer', "trust in (1, 4, 6), freshness desc") }},
        {{ survivor('position', "trust in (1, 4, 6), freshness desc") }},
        max(id_number) is not null as has_valid_id_number,
        count(*) as source_records,
        list(distinct source_system order by source_system) as source_systems,
        max(freshness) as last_updated
    from ranked
    group by alumni_id

),

final as (

    select * from golden

)

select * from final
