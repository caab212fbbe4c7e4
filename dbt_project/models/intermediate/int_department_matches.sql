-- The departments a record's department (or unit worked in) names, in its years: one row per record
-- and field whose name is known. A name key matches a known name's key, or else begins with one
-- ('中文系85级'), the longest ('北京大学物理系' names no department of ours). Of the names matched,
-- those whose years of validity overlap the record's years win, then those within the tolerance
-- (period_tolerance_years: the years are often approximate), then any. The candidate units are those
-- of the winners: one decides the unit, several leave it to the major.
{%- set tolerance = var('period_tolerance_years') %}
with person_records as (

    select * from {{ ref('int_person_records') }}

),

department_names as (

    select * from {{ ref('int_department_names') }}

),

named_fields as (

    select record_id, 'department' as field, department_key as name_key,
           coalesce(enrol_year, grad_year) as first_year, coalesce(grad_year, enrol_year) as last_year
    from person_records
    where department_key is not null
    union all
    select record_id, 'work_unit', work_unit_key, work_start_year,
           coalesce(work_end_year, if(work_ongoing, year(current_date), work_start_year))
    from person_records
    where work_unit_key is not null

),

key_matches as (

    -- each distinct name key typed, and the longest known names it begins with: itself, if known
    select typed.name_key, department_names.*, typed.name_key = department_names.name_key as exact
    from (select distinct name_key from named_fields) as typed
    inner join department_names on starts_with(typed.name_key, department_names.name_key)
    qualify length(department_names.name_key) = max(length(department_names.name_key)) over (partition by typed.name_key)

),

candidates as (

    select
        named_fields.record_id,
        named_fields.field,
        key_matches.department_name,
        key_matches.candidate_units,
        key_matches.exact,
        case
            when named_fields.first_year is null or key_matches.valid_from is null then 0
            when named_fields.first_year <= coalesce(key_matches.valid_to, 9999)
                and named_fields.last_year >= key_matches.valid_from then 0
            when named_fields.first_year <= coalesce(key_matches.valid_to, 9999) + {{ tolerance }}
                and named_fields.last_year >= key_matches.valid_from - {{ tolerance }} then 1
            else 2
        end as period_rank
    from named_fields
    inner join key_matches on named_fields.name_key = key_matches.name_key

),

best_fit as (

    select *
    from candidates
    qualify period_rank = min(period_rank) over (partition by record_id, field)

),

grouped as (

    select
        record_id,
        field,
        list_sort(list_distinct(flatten(list(candidate_units)))) as candidate_units,
        string_agg(distinct department_name, ' / ' order by department_name) as department_names,
        any_value(exact) as exact,
        any_value(period_rank) as period_rank
    from best_fit
    group by record_id, field

),

final as (

    select
        record_id,
        field,
        if(len(candidate_units) = 1, candidate_units[1], null) as unit_code,
        candidate_units,
        department_names,
        if(exact, 'exact', 'prefix') as name_match,
        ['in_period', 'near_period', 'out_of_period'][period_rank + 1] as period_fit
    from grouped

)

select * from final
