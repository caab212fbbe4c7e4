-- Every alias names a department of department_history or a unit of units.
{{ config(meta={'dagster': {'ref': {'name': 'department_aliases'}}}) }}  {# the check belongs to department_aliases in Dagster #}
with aliases as (

    select * from {{ ref('department_aliases') }}

),

known_names as (

    select department_name as name from {{ ref('department_history') }}
    union all
    select unit_name_zh from {{ ref('units') }}

),

final as (

    select aliases.*
    from aliases
    left join known_names on aliases.department_name = known_names.name
    where known_names.name is null

)

select * from final
