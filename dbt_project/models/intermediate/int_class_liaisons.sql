-- The class-liaison register attributed to current units: a class is its unit, major and graduation
-- year. The unit is the one the typed unit or department names (the longest known name it begins
-- with); a name shared by several units (a split department) leaves it to the major, as for alumni.
with liaisons as (

    select * from {{ ref('stg_class_liaisons__liaisons') }}

),

department_names as (

    select * from {{ ref('int_department_names') }}

),

major_units as (

    select *, major_name_key(major_name) as major_key from {{ ref('major_units') }}

),

longest_names as (

    -- the known names the typed one begins with, the longest ('文学院2003级' is 文学院)
    select liaisons.liaison_row_id, department_names.candidate_units
    from liaisons
    inner join department_names on starts_with(liaisons.department_key, department_names.name_key)
    qualify length(department_names.name_key)
        = max(length(department_names.name_key)) over (partition by liaisons.liaison_row_id)

),

named_units as (

    select liaison_row_id, list_sort(list_distinct(flatten(list(candidate_units)))) as candidate_units
    from longest_names
    group by liaison_row_id

),

major_matches as (

    select liaisons.liaison_row_id, major_units.unit_code
    from liaisons
    inner join major_units on starts_with(liaisons.major_key, major_units.major_key)
    qualify row_number() over (partition by liaisons.liaison_row_id order by length(major_units.major_key) desc) = 1

),

final as (

    select
        liaisons.*,
        case
            when len(named_units.candidate_units) = 1 then named_units.candidate_units[1]
            when named_units.candidate_units is null or list_contains(named_units.candidate_units, major_matches.unit_code)
                then major_matches.unit_code
        end as unit_code
    from liaisons
    left join named_units using (liaison_row_id)
    left join major_matches using (liaison_row_id)

)

select * from final
