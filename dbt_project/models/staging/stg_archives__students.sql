-- Full-time students' records from the archives (档案馆, registrar), one row per raw row.
{{ conform_raw_rows('archives') }}
