-- Every candidate pair with the level each comparison gives it (macros/comparison_levels.sql), and
-- how many namesakes the archives list in the class both records name.
--
-- Incremental: a pair's row depends only on its two records (with their namesakes) and its blocking
-- rule, so a run compares again only the pairs that are new or whose records changed (`left_hash`,
-- `right_hash`: each record's row as compared), and drops the pairs no longer candidates. A full
-- rebuild (`alumni run --full`) compares every pair again.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['left_id', 'right_id'],
    on_schema_change='append_new_columns',
    post_hook="{{ drop_gone_pairs() }}",
) }}

{%- set carried = is_incremental() and 'left_hash' in (adapter.get_columns_in_relation(this) | map(attribute='name') | list) %}

with pairs as (

    select * from {{ ref('int_candidate_pairs') }}

),

records as (

    select * from {{ ref('int_identity_records') }}

),

class_namesakes as (

    -- two 李秀英 graduating from one unit in one year: a unit update or a form that names only the
    -- name and the class cannot say which of them it is
    select name_key, unit_code, grad_year, count(*) as namesakes
    from records
    where source_system = 'archives' and unit_code is not null and grad_year is not null
    group by all
    having count(*) > 1

),

records_with_namesakes as (

    -- joined record by record, not pair by pair: a join of every pair to the namesakes took 48 s at
    -- a million rows, this takes under 2
    select *, hash(with_namesakes) as record_hash
    from (
        select records.*, class_namesakes.namesakes
        from records
        left join class_namesakes using (name_key, unit_code, grad_year)
    ) as with_namesakes

),

final as (

    select
        pairs.left_id,
        pairs.right_id,
        pairs.blocking_rule,
        l.name_count,
        {{ comparison_levels('l', 'r') }},
        -- only between two records outside the archives: an archives record is one of the namesakes,
        -- and clustering already refuses a record that links as well to two of them
        case
            when l.source_system <> 'archives' and r.source_system <> 'archives' and l.name_key = r.name_key
                 and l.unit_code = r.unit_code and l.grad_year = r.grad_year then coalesce(l.namesakes, 1)
            else 1
        end as class_namesakes,
        l.record_hash as left_hash,
        r.record_hash as right_hash
    from pairs
    join records_with_namesakes as l on l.record_id = pairs.left_id
    join records_with_namesakes as r on r.record_id = pairs.right_id
    {% if carried %}
    where not exists (
        select 1 from {{ this }} as done
        where done.left_id = pairs.left_id and done.right_id = pairs.right_id and done.blocking_rule = pairs.blocking_rule
            and done.left_hash = l.record_hash and done.right_hash = r.record_hash
    )
    {% endif %}

)

select * from final
