-- The months the data answers (see etl/sql/marts/05_data_span.sql).
SELECT first_month, last_month, last_day, provisional_month, default_month, export_date,
       export_source
FROM marts.data_span
