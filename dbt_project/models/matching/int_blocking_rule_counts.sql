-- How many pairs each blocking rule finds, and how many it finds first (the pairs it adds).
with records as (

    select * from {{ ref('int_identity_records') }}

),

pairs as (

    select * from {{ ref('int_candidate_pairs') }}

),

found as (

    {% for rule_name, condition in blocking_rules() %}
    select {{ loop.index }} as rule_rank, '{{ rule_name }}' as blocking_rule, count(*) as pairs_found
    from records as l
    join records as r on l.record_id < r.record_id and {{ condition }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select found.rule_rank, found.blocking_rule, found.pairs_found, count(pairs.left_id) as pairs_first_found
    from found
    left join pairs using (blocking_rule)
    group by all
    order by found.rule_rank

)

select * from final
