-- Comparison levels of randomly drawn record pairs, nearly all of them two different people: how
-- often different people agree at each level (the u of Fellegi-Sunter). The sample is repeatable.
with records as (

    select * from {{ ref('int_identity_records') }}

),

lefts as (

    select * from records using sample reservoir(3000 rows) repeatable (1909)

),

rights as (

    select * from records using sample reservoir(3000 rows) repeatable (2002)

),

levels as (

    select {{ comparison_levels('l', 'r') }}
    from lefts as l
    join rights as r on l.record_id <> r.record_id

),

final as (

    select * exclude (same_class_in_one_list, both_registries, genders_from_id), count(*) as pairs
    from levels
    group by all

)

select * from final
