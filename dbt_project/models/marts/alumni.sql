-- One row per alumnus: the golden record. Each field is taken from the record that is trusted most
-- for it, and says which source row it came from (`<field>_source`: source_system/source_file|sheet|row):
-- names and native places from the archives first; birth date and gender from a valid ID number,
-- then as typed by the archives; contact and career fields from the newest of unit updates,
-- self-reported forms and HR (seeds/source_trust.csv ranks the sources). Dates are typed at the end
-- (macros/typed_date.sql): a DATE, the first day it names, and its precision.
with records as (

    select * from {{ ref('int_ranked_records') }}

),

xref as (

    select * from {{ ref('alumni_xref') }}

),

ranked as (

    select
        xref.alumni_id,
        records.*
    from records
    inner join xref using (record_id)

),

golden as (

    select
        alumni_id,
        {{ survivor('name', "name_script = 'han' desc, person_trust") }},
        {{ survivor('name_en', "person_trust desc") }},
        {{ survivor('coalesce(id_gender, gender)', "id_gender is null, person_trust", 'gender') }},
        {{ survivor('coalesce(id_birth_date, birth_date)', "id_birth_date is null, length(birth_date) desc, person_trust", 'birth_date') }},
        {{ survivor('native_province', "person_trust") }},
        {{ survivor('native_city', "person_trust") }},
        {{ survivor('nationality', "person_trust") }},
        {{ survivor('mobile', "not tells_current_contacts, freshness desc") }},
        {{ survivor('email', "not tells_current_contacts, freshness desc") }},
        {{ survivor('address', "not tells_current_contacts, freshness desc") }},
        {{ survivor('postcode', "not tells_current_contacts, freshness desc") }},
        {{ survivor('employer', "not tells_current_contacts, freshness desc") }},
        {{ survivor('position', "not tells_current_contacts, freshness desc") }},
        max(id_number) is not null as has_valid_id_number,
        count(*) as source_records,
        list(distinct source_system order by source_system) as source_systems,
        max(freshness) as last_updated
    from ranked
    group by alumni_id

),

final as (

    -- the columns in the contract's order (alumni.yml)
    select
        * exclude (birth_date, last_updated),
        {{ typed_date('birth_date', 'birth_date') }},
        {{ typed_date('last_updated', 'last_updated') }}
    from golden

)

select * from final
