-- Staff records from HR and the hospitals' personnel offices, one row per raw row.
{{ conform_raw_rows('hr') }}
