-- The record pairs worth comparing: those at least one blocking rule (macros/blocking_rules.sql)
-- finds, each pair once, under the first rule that found it. Oversized blocks (int_oversized_blocks)
-- are left out of their rule.
with records as (

    select * from {{ ref('int_identity_records') }}

),

oversized as (

    select * from {{ ref('int_oversized_blocks') }}

),

found as (

    {% for rule in blocking_rules() %}
    select l.record_id as left_id, r.record_id as right_id, {{ loop.index }} as rule_rank, '{{ rule.name }}' as blocking_rule
    from {{ blockable_records(rule) }} as l
    join {{ blockable_records(rule) }} as r on l.record_id < r.record_id and {{ rule.condition }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select left_id, right_id, arg_min(blocking_rule, rule_rank) as blocking_rule
    from found
    group by left_id, right_id

)

select * from final
