-- One row per alumnus: the province and city they are in, by the best current evidence their records
-- give (alumni_pipeline/conform/addresses.py reads it): a postal address first, then an employer's
-- name, then a postcode (a province only); within each, the record that tells current contacts and is
-- newest first, as the golden record's contact fields are chosen. Evidence that places no one
-- certainly (城关区 alone is in 兰州 and in 拉萨) is passed over; an alumnus with no placing evidence
-- has no place, never a guessed one. Each text is read once, however many records repeat it.
with alumni as (

    select alumni_id from {{ ref('alumni') }}

),

xref as (

    select * from {{ ref('alumni_xref') }}

),

records as (

    select * from {{ ref('int_ranked_records') }}

),

evidence as (

    select xref.alumni_id, records.record_key, records.freshness, records.tells_current_contacts,
           1 as basis_rank, 'address' as basis, records.address as evidence
    from records
    inner join xref using (record_id)
    where records.address is not null
    union all
    select xref.alumni_id, records.record_key, records.freshness, records.tells_current_contacts,
           2, 'employer', records.employer
    from records
    inner join xref using (record_id)
    where records.employer is not null
    union all
    select xref.alumni_id, records.record_key, records.freshness, records.tells_current_contacts,
           3, 'postcode', records.postcode
    from records
    inner join xref using (record_id)
    where records.postcode is not null

),

texts as (

    select distinct basis, evidence from evidence

),

placed_texts as (

    select
        basis,
        evidence,
        case basis
            when 'address' then address_place(evidence)
            when 'employer' then employer_place(evidence)
            else {'province': postcode_province(evidence), 'city': null::varchar}
        end as place
    from texts

),

best as (

    select
        evidence.alumni_id,
        struct_extract(placed_texts.place, 'province') as province,
        struct_extract(placed_texts.place, 'city') as city,
        evidence.basis,
        evidence.record_key,
        evidence.freshness
    from evidence
    inner join placed_texts using (basis, evidence)
    where placed_texts.place.province is not null
    qualify row_number() over (
        partition by evidence.alumni_id
        order by evidence.basis_rank, not evidence.tells_current_contacts, evidence.freshness desc, evidence.record_key
    ) = 1

),

final as (

    select
        alumni.alumni_id,
        best.province,
        best.city,
        best.basis as place_basis,
        best.record_key as place_source,
        {{ typed_date('best.freshness', 'place_as_of') }}
    from alumni
    left join best using (alumni_id)

)

select * from final
