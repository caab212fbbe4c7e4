-- Guest and honorary professors, visiting scholars, foreign staff and students (国际合作与交流处), one row per raw row.
{{ conform_raw_rows('international') }}
