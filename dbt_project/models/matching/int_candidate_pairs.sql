-- The record pairs worth comparing: those at least one blocking rule (macros/blocking_rules.sql)
-- finds, each pair once, under the first rule that found it.
with records as (

    select * from {{ ref('int_identity_records') }}

),

found as (

    {% for rule_name, condition in blocking_rules() %}
    select l.record_id as left_id, r.record_id as right_id, {{ loop.index }} as rule_rank, '{{ rule_name }}' as blocking_rule
    from records as l
    join records as r on l.record_id < r.record_id and {{ condition }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select left_id, right_id, arg_min(blocking_rule, rule_rank) as blocking_rule
    from found
    group by left_id, right_id

)

select * from final
