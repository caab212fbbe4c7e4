{#
    The blocking rules, in one place: which record pairs are compared at all. A pair found by several
    rules is counted under the first. Each rule has
      - key: its block, an expression over one row of int_identity_records that two records share
        whenever the rule pairs them (records sharing a key are a block);
      - condition: when the rule pairs two records `l` and `r` of one block;
      - sparse (optional): a test on one record that one side of every pair the rule finds passes
        (the rule's restriction), so a block's pairs are counted for what the rule really compares.
    A block that would pair more records than `blocking_block_cap` records paired all-to-all is
    skipped for that rule and listed in int_oversized_blocks, so candidate pairs grow linearly with
    the records whatever the input. int_blocking_rule_counts reports how many pairs each rule finds.
#}
{% macro blocking_rules() %}
    {#- where both records have a birth year, name_birth_year already pairs them: a common name in one
        unit or class year would otherwise pair nearly everyone who bears it, growing with the square -#}
    {#- a document number, or the order-free key of a Latin-script name, typed with one slip keeps its
        beginning or its end (passport_start/_end, latin_name_start/_end) -#}
    {%- set no_birth_year = " and (l.birth_year is null or r.birth_year is null)" -%}
    {{ return([
        {"name": "id_number", "key": "id_number", "condition": "l.id_number = r.id_number"},
        {"name": "passport", "key": "passport_number", "condition": "l.passport_number = r.passport_number"},
        {"name": "id_region_birth_surname", "key": "id_partial || '|' || left(name_pinyin, 2)",
         "condition": "l.id_partial = r.id_partial and left(l.name_pinyin, 2) = left(r.name_pinyin, 2)"},
        {"name": "name_birth_year", "key": "name_key || '|' || cast(birth_year as varchar)",
         "condition": "l.name_key = r.name_key and l.birth_year = r.birth_year"},
        {"name": "name_grad_year_unit", "key": "name_key || '|' || cast(grad_year as varchar)",
         "sparse": "birth_year is null",
         "condition": "l.name_key = r.name_key and l.grad_year = r.grad_year"
                      ~ " and coalesce(l.unit_code = r.unit_code, true)" ~ no_birth_year},
        {"name": "name_unit", "key": "name_key || '|' || unit_code", "sparse": "birth_year is null",
         "condition": "l.name_key = r.name_key and l.unit_code = r.unit_code" ~ no_birth_year
                      ~ " and (l.grad_year is null or r.grad_year is null)"},
        {"name": "mobile", "key": "mobile", "condition": "l.mobile = r.mobile"},
        {"name": "email", "key": "email", "condition": "l.email = r.email"},
        {"name": "name_prefix_class", "key": "left(name, 2) || '|' || unit_code || '|' || cast(grad_year as varchar)",
         "condition": "l.name_script = 'han' and left(l.name, 2) = left(r.name, 2) and l.unit_code = r.unit_code and l.grad_year = r.grad_year"},
        {"name": "name_ends_class",
         "key": "left(name, 1) || right(name, 1) || '|' || cast(length(name) as varchar) || '|' || unit_code || '|' || cast(grad_year as varchar)",
         "condition": "l.name_script = 'han' and left(l.name, 1) = left(r.name, 1) and right(l.name, 1) = right(r.name, 1) and length(l.name) = length(r.name) and l.unit_code = r.unit_code and l.grad_year = r.grad_year"},
        {"name": "birth_date_surname", "key": "cast(birth_date as varchar) || '|' || left(name_pinyin, 3)",
         "condition": "l.birth_precision = 'day' and l.birth_date = r.birth_date and left(l.name_pinyin, 3) = left(r.name_pinyin, 3)"},
        {"name": "birth_date_postcode", "key": "cast(birth_date as varchar) || '|' || postcode",
         "condition": "l.birth_precision = 'day' and l.birth_date = r.birth_date and l.postcode = r.postcode"},
        {"name": "passport_start", "key": "if(length(passport_number) >= 6, left(passport_number, 4), null)",
         "condition": "left(l.passport_number, 4) = left(r.passport_number, 4) and length(l.passport_number) >= 6"},
        {"name": "passport_end", "key": "if(length(passport_number) >= 6, right(passport_number, 4), null)",
         "condition": "right(l.passport_number, 4) = right(r.passport_number, 4) and length(l.passport_number) >= 6"},
        {"name": "latin_name_start", "key": "if(name_script = 'latin', left(name_key, 5), null)",
         "condition": "l.name_script = 'latin' and r.name_script = 'latin' and left(l.name_key, 5) = left(r.name_key, 5)"},
        {"name": "latin_name_end", "key": "if(name_script = 'latin', right(name_key, 5), null)",
         "condition": "l.name_script = 'latin' and r.name_script = 'latin' and right(l.name_key, 5) = right(r.name_key, 5)"},
    ]) }}
{% endmacro %}


{#- The records a rule may pair: those with a key, less the members of its oversized blocks. `records`
    and `oversized` are the calling model's CTEs of int_identity_records and int_oversized_blocks. -#}
{% macro blockable_records(rule, records="records", oversized="oversized") %}
    (select * from {{ records }}
     where ({{ rule.key }}) is not null
       and ({{ rule.key }}) not in (select block_key from {{ oversized }} where blocking_rule = '{{ rule.name }}'))
{% endmacro %}

{# Post-hook of the incremental int_pair_comparisons: drop the pairs that are no longer candidates. #}
{% macro drop_gone_pairs() %}
{% if is_incremental() %}
delete from {{ this }} as done
where not exists (
    select 1 from {{ ref('int_candidate_pairs') }} as c where c.left_id = done.left_id and c.right_id = done.right_id
)
{% else %}
select 1
{% endif %}
{% endmacro %}
