-- A registered decision names either one source row (all four lineage columns but the sheet, empty
-- for CSV) or a department and/or major, never both or neither.
with decisions as (

    select * from {{ ref('attribution_decisions') }}

),

final as (

    select *
    from decisions
    where (source_system is not null and source_file is not null and source_row is not null)
        = (department is not null or major is not null)
        or (source_row is null and (source_system is not null or source_file is not null or source_sheet is not null))

)

select * from final
