-- Comparison levels of randomly drawn record pairs, nearly all of them two different people: how
-- often different people agree at each level (the u of Fellegi-Sunter). The sample is drawn by a hash
-- of the record id, so it is the same whatever order the records were written in.
-- Drawn only when the run estimates new weights (identity/weights.py `due`, asked before this step
-- runs: ALUMNI_WEIGHTS_DUE); a run that keeps the weights keeps what they were learnt from.
{% if env_var('ALUMNI_WEIGHTS_DUE', 'yes') == 'no' and load_relation(this) is not none %}

select * from {{ this }}

{% else %}

with records as (

    select * from {{ ref('int_identity_records') }}

),

lefts as (

    select * from records order by hash(record_id, 1909) limit 3000

),

rights as (

    select * from records order by hash(record_id, 2002) limit 3000

),

levels as (

    select {{ comparison_levels('l', 'r', facts=false) }}
    from lefts as l
    join rights as r on l.record_id <> r.record_id

),

final as (

    select *, count(*) as pairs
    from levels
    group by all

)

select * from final

{% endif %}
