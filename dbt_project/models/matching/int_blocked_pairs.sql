-- Every record pair each blocking rule (macros/blocking_rules.sql) finds, once per rule that finds it:
-- the blocking self-joins run here and only here. Oversized blocks (int_oversized_blocks) are left out
-- of their rule. int_candidate_pairs keeps each pair once; int_blocking_rule_counts counts from here.
with records as (

    select * from {{ ref('int_identity_records') }}

),

oversized as (

    select * from {{ ref('int_oversized_blocks') }}

),

found as (

    {% for rule in blocking_rules() %}
        select
            l.record_id as left_id,
            r.record_id as right_id,
            {{ loop.index }} as rule_rank,
            '{{ rule.name }}' as blocking_rule
        from {{ blockable_records(rule) }} as l
        inner join {{ blockable_records(rule) }} as r on l.record_id < r.record_id and {{ rule.condition }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select * from found

)

select * from final
