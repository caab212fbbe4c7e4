-- Every name a department or unit goes by, as a name key: each historical department name with its
-- years of validity, each current unit by its Chinese and English names (in any year), and each alias
-- as the department or unit it names. A name of a split or dissolved department carries the
-- candidate units between which the major decides.
with department_history as (

    select * from {{ ref('department_history') }}

),

units as (

    select * from {{ ref('units') }}

),

aliases as (

    select * from {{ ref('department_aliases') }}

),

departments as (

    select
        department_name,
        valid_from,
        valid_to,
        if(unit_code is null, string_split(candidate_units, ' '), [unit_code]) as candidate_units
    from department_history

),

unit_names as (

    -- every current unit by its Chinese name and by the English name the International Office
    -- writes, in any year: units' staff name their alumni by the unit's name today
    select unit_name_zh as department_name, unit_name_zh as name, [unit_code] as candidate_units
    from units
    union all
    select unit_name_zh, unit_name_en, [unit_code]
    from units

),

named as (

    select department_name as name, department_name, valid_from, valid_to, candidate_units, 'history' as named_by
    from departments
    union all
    select name, department_name, null, null, candidate_units, 'unit'
    from unit_names
    union all
    select aliases.alias, departments.department_name, departments.valid_from, departments.valid_to,
           departments.candidate_units, 'alias'
    from aliases
    inner join departments on aliases.department_name = departments.department_name
    union all
    select aliases.alias, units.unit_name_zh, null, null, [units.unit_code], 'alias'
    from aliases
    inner join units on aliases.department_name = units.unit_name_zh
    where aliases.department_name not in (select department_name from departments)

),

final as (

    select
        unit_name_key(name) as name_key,
        name,
        department_name,
        valid_from,
        valid_to,
        candidate_units,
        named_by
    from named

)

select * from final
