-- One row per person record with the fields the golden record takes from it and what survivorship of the golden records needs: the record's place
-- (record_key), its source's trust (seeds/source_trust.csv: a lower rank is more trusted) and how fresh it
-- is (the update date it states, else the day it was loaded).
with records as (

    select * from {{ ref('int_person_records') }}

),

source_trust as (

    select * from {{ ref('source_trust') }}

),

final as (

    select
        records.record_id,
        {{ record_key('records') }} as record_key,
        records.source_system,
        records.name,
        records.name_script,
        records.name_en,
        records.gender,
        records.id_gender,
        records.birth_date,
        records.id_birth_date,
        records.id_number,
        records.native_province,
        records.native_city,
        records.nationality,
        records.mobile,
        records.email,
        records.address,
        records.postcode,
        records.employer,
        records.position,
        source_trust.person_trust,
        source_trust.programme_trust,
        source_trust.tells_current_contacts,
        coalesce(records.update_date, records.loaded_at::date::varchar) as freshness
    from records
    left join source_trust using (source_system)

)

select * from final
