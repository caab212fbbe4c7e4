-- One row per accepted raw row of every source, every field conformed, keyed by its lineage: the
-- six staging models, which share their columns (models/_conformed_records.yml), less what the
-- quality gate held back (audit.gate_holds): a file held back is used as its last accepted version
-- (or not at all when it has none), a row held back is left out.
with archives as (

    select * from {{ ref('stg_archives__students') }}

),

hr as (

    select * from {{ ref('stg_hr__staff') }}

),

continuing_ed as (

    select * from {{ ref('stg_continuing_ed__students') }}

),

international as (

    select * from {{ ref('stg_international__visitors') }}

),

unit_updates as (

    select * from {{ ref('stg_unit_updates__alumni_updates') }}

),

self_reported as (

    select * from {{ ref('stg_self_reported__alumni_forms') }}

),

holds as (

    select * from {{ source('audit', 'gate_holds') }}

),

staged as (

    select * from archives
    union all by name select * from hr
    union all by name select * from continuing_ed
    union all by name select * from international
    union all by name select * from unit_updates
    union all by name select * from self_reported

),

held_files as (

    select distinct source_system, source_file from holds where scope = 'file'

),

held_rows as (

    select distinct source_system, source_file, source_sheet, source_row, file_hash from holds where scope = 'row'

),

final as (

    select staged.*
    from staged
    left join held_files using (source_system, source_file)
    where (staged.from_last_accepted = (held_files.source_file is not null))
        and not exists (
            select 1 from held_rows as h
            where (h.source_system, h.source_file, h.source_sheet, h.source_row, h.file_hash)
                = (staged.source_system, staged.source_file, staged.source_sheet, staged.source_row, staged.file_hash)
        )

)

select * from final
