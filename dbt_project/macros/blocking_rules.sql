{#
    The blocking rules, in one place: which record pairs are compared at all. A pair found by several
    rules is counted under the first. `l` and `r` are two rows of int_identity_records.
    int_blocking_rule_counts reports how many pairs each rule finds.
#}
{% macro blocking_rules() %}
    {#- where both records have a birth year, name_birth_year already pairs them: a common name in one
        unit or class year would otherwise pair nearly everyone who bears it, growing with the square -#}
    {#- a document number, or the order-free key of a Latin-script name, typed with one slip keeps its
        beginning or its end (passport_start/_end, latin_name_start/_end) -#}
    {%- set no_birth_year = " and (l.birth_year is null or r.birth_year is null)" -%}
    {{ return([
        ("id_number", "l.id_number = r.id_number"),
        ("passport", "l.passport_number = r.passport_number"),
        ("id_region_birth_surname", "l.id_partial = r.id_partial and left(l.name_pinyin, 2) = left(r.name_pinyin, 2)"),
        ("name_birth_year", "l.name_key = r.name_key and l.birth_year = r.birth_year"),
        ("name_grad_year_unit", "l.name_key = r.name_key and l.grad_year = r.grad_year"
                                ~ " and coalesce(l.unit_code = r.unit_code, true)" ~ no_birth_year),
        ("name_unit", "l.name_key = r.name_key and l.unit_code = r.unit_code" ~ no_birth_year
                      ~ " and (l.grad_year is null or r.grad_year is null)"),
        ("mobile", "l.mobile = r.mobile"),
        ("email", "l.email = r.email"),
        ("name_prefix_class", "l.name_script = 'han' and left(l.name, 2) = left(r.name, 2) and l.unit_code = r.unit_code and l.grad_year = r.grad_year"),
        ("name_ends_class", "l.name_script = 'han' and left(l.name, 1) = left(r.name, 1) and right(l.name, 1) = right(r.name, 1) and length(l.name) = length(r.name) and l.unit_code = r.unit_code and l.grad_year = r.grad_year"),
        ("birth_date_surname", "l.birth_precision = 'day' and l.birth_date = r.birth_date and left(l.name_pinyin, 3) = left(r.name_pinyin, 3)"),
        ("birth_date_postcode", "l.birth_precision = 'day' and l.birth_date = r.birth_date and l.postcode = r.postcode"),
        ("passport_start", "left(l.passport_number, 4) = left(r.passport_number, 4) and length(l.passport_number) >= 6"),
        ("passport_end", "right(l.passport_number, 4) = right(r.passport_number, 4) and length(l.passport_number) >= 6"),
        ("latin_name_start", "l.name_script = 'latin' and r.name_script = 'latin' and left(l.name_key, 5) = left(r.name_key, 5)"),
        ("latin_name_end", "l.name_script = 'latin' and r.name_script = 'latin' and right(l.name_key, 5) = right(r.name_key, 5)"),
    ]) }}
{% endmacro %}
