-- One row per accepted source row: where it came from and the alumnus it belongs to.
with clusters as (

    select * from {{ source('identity', 'clusters') }}

),

records as (

    select * from {{ ref('int_person_records') }}

),

final as (

    select
        records.source_system,
        records.source_file,
        records.source_sheet,
        records.source_row,
        clusters.alumni_id,
        clusters.match_method,
        clusters.cluster_size as records_of_alumnus,
        records.record_id,
        records.record_kind
    from records
    join clusters using (record_id)

)

select * from final
