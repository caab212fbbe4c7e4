-- How many pairs each blocking rule finds, and how many it finds first (the pairs it adds), and the
-- blocks it skipped as oversized (int_oversized_blocks).
with records as (

    select * from {{ ref('int_identity_records') }}

),

oversized as (

    select * from {{ ref('int_oversized_blocks') }}

),

pairs as (

    select * from {{ ref('int_candidate_pairs') }}

),

found as (

    {% for rule in blocking_rules() %}
    select {{ loop.index }} as rule_rank, '{{ rule.name }}' as blocking_rule, count(*) as pairs_found
    from {{ blockable_records(rule) }} as l
    join {{ blockable_records(rule) }} as r on l.record_id < r.record_id and {{ rule.condition }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

skipped as (

    select blocking_rule, count(*) as oversized_blocks, sum(records)::bigint as oversized_records
    from oversized
    group by all

),

final as (

    select found.rule_rank, found.blocking_rule, found.pairs_found, count(pairs.left_id) as pairs_first_found,
           coalesce(any_value(skipped.oversized_blocks), 0) as oversized_blocks,
           coalesce(any_value(skipped.oversized_records), 0) as oversized_records
    from found
    left join pairs using (blocking_rule)
    left join skipped using (blocking_rule)
    group by found.rule_rank, found.blocking_rule, found.pairs_found
    order by found.rule_rank

)

select * from final
