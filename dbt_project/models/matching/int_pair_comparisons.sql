-- Every candidate pair with the level each comparison gives it (macros/comparison_levels.sql), and
-- how many namesakes the archives list in the class both records name.
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

final as (

    select
        pairs.left_id,
        pairs.right_id,
        pairs.blocking_rule,
        l.name_frequency,
        {{ comparison_levels('l', 'r') }},
        -- only between two records outside the archives: an archives record is one of the namesakes,
        -- and clustering already refuses a record that links as well to two of them
        coalesce(ns.namesakes, 1) as class_namesakes
    from pairs
    join records as l on l.record_id = pairs.left_id
    join records as r on r.record_id = pairs.right_id
    left join class_namesakes as ns
        on l.source_system <> 'archives' and r.source_system <> 'archives'
        and l.name_key = ns.name_key and l.unit_code = ns.unit_code and l.grad_year = ns.grad_year
        and r.name_key = ns.name_key and r.unit_code = ns.unit_code and r.grad_year = ns.grad_year

)

select * from final
