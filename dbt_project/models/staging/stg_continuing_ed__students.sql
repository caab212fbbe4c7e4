-- Online, continuing, correspondence, night-school, TV-university and training-course graduates
-- (网络与继续教育学院), one row per raw row.
{{ conform_raw_rows('continuing_ed') }}
