-- The record pairs worth comparing: those at least one blocking rule (macros/blocking_rules.sql)
-- finds (int_blocked_pairs), each pair once, under the first rule that found it.
with blocked_pairs as (

    select * from {{ ref('int_blocked_pairs') }}

),

final as (

    select
        left_id,
        right_id,
        arg_min(blocking_rule, rule_rank) as blocking_rule
    from blocked_pairs
    group by left_id, right_id

)

select * from final
