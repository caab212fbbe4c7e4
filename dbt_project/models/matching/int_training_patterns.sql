-- What expectation-maximisation learns from: the level patterns of pairs that share a name (they
-- teach how often one person's records agree on everything but the name) and of pairs that share a
-- full birth date (they teach the name), counted. A block learns from at most {{ var('training_block_records') }}
-- of its records, drawn by a hash of the record id: the pairs of a common name or birth date would
-- otherwise grow with the square of the records and teach nothing more.
-- Drawn only when the run estimates new weights (identity/weights.py `due`, asked before this step
-- runs: ALUMNI_WEIGHTS_DUE); a run that keeps the weights keeps what they were learnt from.
{% if env_var('ALUMNI_WEIGHTS_DUE', 'yes') == 'no' and load_relation(this) is not none %}

select * from {{ this }}

{% else %}

with records as (

    select * from {{ ref('int_identity_records') }}

),

by_name as (

    select * from records
    where name_key is not null
    qualify row_number() over (partition by name_key order by hash(record_id)) <= {{ var('training_block_records') }}

),

by_birth_date as (

    select * from records
    where birth_precision = 'day'
    qualify row_number() over (partition by birth_date order by hash(record_id)) <= {{ var('training_block_records') }}

),

same_name as (

    select 'name' as fixed_comparison, {{ comparison_levels('l', 'r', facts=false) }}
    from by_name as l
    join by_name as r on l.record_id < r.record_id and l.name_key = r.name_key

),

same_birth_date as (

    select 'birth' as fixed_comparison, {{ comparison_levels('l', 'r', facts=false) }}
    from by_birth_date as l
    join by_birth_date as r on l.record_id < r.record_id and l.birth_date = r.birth_date

),

final as (

    select *, count(*) as pairs
    from (select * from same_name union all select * from same_birth_date)
    group by all

)

select * from final

{% endif %}
