-- How many pairs each blocking rule finds (int_blocked_pairs), and how many it finds first (the pairs
-- it adds), and the blocks it skipped as oversized (int_oversized_blocks).
with blocked_pairs as (

    select * from {{ ref('int_blocked_pairs') }}

),

oversized as (

    select * from {{ ref('int_oversized_blocks') }}

),

pairs as (

    select * from {{ ref('int_candidate_pairs') }}

),

rules as (

    -- every rule, also one that finds no pair
    {% for rule in blocking_rules() %}
        select {{ loop.index }} as rule_rank, '{{ rule.name }}' as blocking_rule
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

found as (

    select
        rules.rule_rank,
        rules.blocking_rule,
        count(blocked_pairs.left_id) as pairs_found
    from rules
    left join blocked_pairs using (rule_rank)
    group by rules.rule_rank, rules.blocking_rule

),

skipped as (

    select
        blocking_rule,
        count(*) as oversized_blocks,
        sum(records)::bigint as oversized_records
    from oversized
    group by all

),

final as (

    select
        found.rule_rank,
        found.blocking_rule,
        found.pairs_found,
        count(pairs.left_id) as pairs_first_found,
        coalesce(any_value(skipped.oversized_blocks), 0) as oversized_blocks,
        coalesce(any_value(skipped.oversized_records), 0) as oversized_records
    from found
    left join pairs using (blocking_rule)
    left join skipped using (blocking_rule)
    group by found.rule_rank, found.blocking_rule, found.pairs_found
    order by found.rule_rank

)

select * from final
