-- Contact and career updates collected by each school's alumni secretary, one row per raw row.
{{ conform_raw_rows('unit_updates') }}
