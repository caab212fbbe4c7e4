-- Personal information forms (校友个人信息表) filled in by alumni themselves, one row per raw row.
{{ conform_raw_rows('self_reported') }}
