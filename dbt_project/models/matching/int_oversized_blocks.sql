-- Blocks too large to pair all-to-all: records sharing one rule's key (macros/blocking_rules.sql) whose
-- pairs would outnumber those of `blocking_block_cap` records paired all-to-all. The rule skips them
-- (other rules still pair their records), so candidate pairs grow linearly with the records on any
-- input: 5,000 copies of one row would otherwise make 12.5 million pairs. A warning test lists them.
{%- set cap = var('blocking_block_cap') %}
with records as (

    select * from {{ ref('int_identity_records') }}

),

keyed as (

    {% for rule in blocking_rules() %}
    select {{ loop.index }} as rule_rank, '{{ rule.name }}' as blocking_rule, {{ rule.key }} as block_key,
           {{ rule.sparse or 'true' }} as sparse, record_key
    from records
    where ({{ rule.key }}) is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

blocks as (

    select rule_rank, blocking_rule, block_key, count(*) as records, count(*) filter (where sparse) as sparse_records,
           min(record_key) as first_record
    from keyed
    group by all

),

final as (

    -- every pair has a sparse side: sparse x other records, plus sparse x sparse
    select rule_rank, blocking_rule, block_key, records,
           sparse_records * (records - sparse_records) + sparse_records * (sparse_records - 1) // 2 as pairs,
           first_record
    from blocks
    where sparse_records * (records - sparse_records) + sparse_records * (sparse_records - 1) // 2
          > {{ cap }} * ({{ cap }} - 1) // 2

)

select * from final
order by rule_rank, records desc, block_key
