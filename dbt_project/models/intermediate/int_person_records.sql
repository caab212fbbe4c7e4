-- One row per accepted raw row of every source, every field conformed, keyed by its lineage: the
-- six staging models, which share their columns (models/_conformed_records.yml).
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

final as (

    select * from archives
    union all by name select * from hr
    union all by name select * from continuing_ed
    union all by name select * from international
    union all by name select * from unit_updates
    union all by name select * from self_reported

)

select * from final
