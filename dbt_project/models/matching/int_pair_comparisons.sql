-- Every candidate pair with the level each comparison gives it (macros/comparison_levels.sql).
with pairs as (

    select * from {{ ref('int_candidate_pairs') }}

),

records as (

    select * from {{ ref('int_identity_records') }}

),

final as (

    select
        pairs.left_id,
        pairs.right_id,
        pairs.blocking_rule,
        l.name_frequency,
        {{ comparison_levels('l', 'r') }}
    from pairs
    join records as l on l.record_id = pairs.left_id
    join records as r on r.record_id = pairs.right_id

)

select * from final
