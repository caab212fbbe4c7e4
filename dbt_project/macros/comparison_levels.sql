{#
    The comparisons between two person records `l` and `r`, each a small set of ordered levels
    (0 = the strongest agreement; -1 = a value missing on either side, which says nothing).
    Weights for every level are estimated from the data (alumni_pipeline/identity/fellegi_sunter.py)
    and stored in identity.comparison_weights, so the score of any pair can be explained field by field.
#}
{% macro comparison_levels(l='l', r='r') %}
        -- name: 0 same name, 1 same pinyin (homophone, traditional form, pinyin name in either
        -- order), 2 close pinyin (one character off), 3 else
        case
            when {{ l }}.name_key is null or {{ r }}.name_key is null then -1
            when {{ l }}.name = {{ r }}.name then 0
            when {{ l }}.name_key = {{ r }}.name_key then 1
            when jaro_winkler_similarity({{ l }}.name_key, {{ r }}.name_key) >= 0.92 then 2
            else 3
        end as name_level,
        -- birth date: 0 same day, 1 same year and month (one of them without a day), 2 same year (one
        -- of them a year alone), 3 close (a typist's slip: one character wrong, two neighbours swapped,
        -- day and month swapped, or a few days off: identity/typos.py `dates_close`), 4 conflict
        case
            when {{ l }}.birth_date is null or {{ r }}.birth_date is null then -1
            when {{ l }}.birth_date = {{ r }}.birth_date and {{ l }}.birth_precision = 'day' then 0
            when left({{ l }}.birth_date, 7) = left({{ r }}.birth_date, 7) and least(length({{ l }}.birth_date), length({{ r }}.birth_date)) = 7 then 1
            when starts_with({{ l }}.birth_date, {{ r }}.birth_date) or starts_with({{ r }}.birth_date, {{ l }}.birth_date) then 2
            when {{ l }}.birth_precision = 'day' and {{ r }}.birth_precision = 'day'
                 and dates_close({{ l }}.birth_date, {{ r }}.birth_date) then 3
            else 4
        end as birth_level,
        -- gender: 0 same, 1 conflict
        case
            when {{ l }}.gender is null or {{ r }}.gender is null then -1
            when {{ l }}.gender = {{ r }}.gender then 0
            else 1
        end as gender_level,
        -- ID number: 0 the same valid number, 1 close: the same region and birth date in an invalid or
        -- damaged number, or two valid numbers a typist's slip apart (identity/typos.py
        -- `id_numbers_close`), 2 two different valid numbers (never one person), 3 different regions or dates
        case
            when {{ l }}.id_number = {{ r }}.id_number then 0
            when {{ l }}.id_number is not null and {{ r }}.id_number is not null
                 then if(id_numbers_close({{ l }}.id_number, {{ r }}.id_number), 1, 2)
            when {{ l }}.id_partial = {{ r }}.id_partial then 1
            when {{ l }}.id_partial is not null and {{ r }}.id_partial is not null then 3
            else -1
        end as id_level,
        -- document number (passport or other travel document): 0 the same, 1 a typist's slip apart,
        -- 2 different (a person may hold several in a lifetime, so evidence, not a hard negative)
        case
            when {{ l }}.passport_number is null or {{ r }}.passport_number is null then -1
            when {{ l }}.passport_number = {{ r }}.passport_number then 0
            when id_numbers_close({{ l }}.passport_number, {{ r }}.passport_number) then 1
            else 2
        end as document_level,
        -- study: 0 same unit and major, 1 same unit with a major on one side only, 2 same unit and
        -- different majors, 3 different units (whose majors then differ too: one comparison, not two)
        {{ two_part_level(l, r, 'unit_code', 'major_key') }} as study_level,
        -- timeline: 0 the same graduation year in the same programme, 1 one programme straight after
        -- the other (enrolled within a year of graduating), 2 one after the other with a gap,
        -- 3 two programmes at once (overlapping years in different units or majors), 4 years that do
        -- not line up (different graduation years of unknown overlap, or one graduation year with
        -- different enrolment years: two classes), 5 graduating younger than 17
        case
            when least({{ l }}.grad_year, {{ r }}.grad_year) - least({{ l }}.birth_year, {{ r }}.birth_year) < 17 then 5
            when {{ l }}.grad_year is null or {{ r }}.grad_year is null then -1
            when ({{ l }}.grad_year = {{ r }}.grad_year
                  or {{ l }}.enrol_year < {{ r }}.grad_year - 1 and {{ r }}.enrol_year < {{ l }}.grad_year - 1)
                 and ({{ l }}.unit_code <> {{ r }}.unit_code or {{ l }}.major_key <> {{ r }}.major_key) then 3
            when {{ l }}.grad_year = {{ r }}.grad_year and coalesce({{ l }}.enrol_year = {{ r }}.enrol_year, true) then 0
            when {{ l }}.enrol_year is null or {{ r }}.enrol_year is null or {{ l }}.grad_year = {{ r }}.grad_year then 4
            when abs({{ r }}.enrol_year - {{ l }}.grad_year) <= 1 or abs({{ l }}.enrol_year - {{ r }}.grad_year) <= 1 then 1
            else 2
        end as timeline_level,
        -- native place (籍贯): 0 same city, 1 same province with a city on one side only, 2 same province
        -- and different cities, 3 different provinces
        {{ two_part_level(l, r, 'native_province', 'native_city') }} as native_level,
        case
            when {{ l }}.email is null or {{ r }}.email is null then -1
            when {{ l }}.email = {{ r }}.email then 0
            else 1
        end as email_level,
        case
            when {{ l }}.mobile is null or {{ r }}.mobile is null then -1
            when {{ l }}.mobile = {{ r }}.mobile then 0
            else 1
        end as mobile_level,
        -- what the hard negatives (identity/resolve.py) read, facts the records state, never where a
        -- row sits. One class in one registry list: the archives list each person once per programme,
        -- so two rows of one list naming the same unit, level, enrolment and graduation year are two
        -- people (unless they hold the same ID number)
        {{ l }}.source_system = 'archives' and {{ r }}.source_system = 'archives'
            and {{ l }}.source_file = {{ r }}.source_file
            and {{ l }}.unit_code = {{ r }}.unit_code and {{ l }}.education_level = {{ r }}.education_level
            and {{ l }}.enrol_year = {{ r }}.enrol_year and {{ l }}.grad_year = {{ r }}.grad_year
            and not coalesce({{ l }}.id_number = {{ r }}.id_number, false)
            as same_class_in_one_list,
        {{ l }}.from_registry and {{ r }}.from_registry as both_registries,
        {{ l }}.gender_from_id and {{ r }}.gender_from_id as genders_from_id
{% endmacro %}


{#- A value of two parts, the inner one within the outer (a unit and its major, a province and its
    city): 0 both parts the same, 1 the same outer part and the inner on one side only, 2 the same
    outer part and different inner ones, 3 different outer parts; -1 the outer part missing. -#}
{% macro two_part_level(l, r, outer, inner) %}
        case
            when {{ l }}.{{ outer }} is null or {{ r }}.{{ outer }} is null then -1
            when {{ l }}.{{ outer }} <> {{ r }}.{{ outer }} then 3
            when {{ l }}.{{ inner }} = {{ r }}.{{ inner }} then 0
            when {{ l }}.{{ inner }} is null or {{ r }}.{{ inner }} is null then 1
            else 2
        end
{%- endmacro %}
