-- What expectation-maximisation learns from: the level patterns of pairs that share a name (they
-- teach how often one person's records agree on everything but the name) and of pairs that share a
-- full birth date (they teach the name), counted.
with records as (

    select * from {{ ref('int_identity_records') }}

),

same_name as (

    select 'name' as fixed_comparison, {{ comparison_levels('l', 'r') }}
    from records as l
    join records as r on l.record_id < r.record_id and l.name_key = r.name_key

),

same_birth_date as (

    select 'birth' as fixed_comparison, {{ comparison_levels('l', 'r') }}
    from records as l
    join records as r on l.record_id < r.record_id and l.birth_precision = 'day' and l.birth_date = r.birth_date

),

final as (

    select * exclude (same_class_list, both_registries), count(*) as pairs
    from (select * from same_name union all select * from same_birth_date)
    group by all

)

select * from final
