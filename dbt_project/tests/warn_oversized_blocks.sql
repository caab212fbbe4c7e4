-- Warns with each block a blocking rule skipped as too large to pair all-to-all (int_oversized_blocks):
-- which rule, which key, how many records, and the first record's place.
{{ config(severity='warn') }}

select blocking_rule, block_key, records, pairs, first_record
from {{ ref('int_oversized_blocks') }}
