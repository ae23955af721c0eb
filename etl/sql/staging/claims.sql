-- Claims paid: clean and judge every row, in one pass.
-- Input : temp view clm_input (_row, desa_code_raw, kecamatan_raw, desa_raw, program_raw,
--         paid_on_raw, amount_raw, nik_raw, _number_cells); row_places (staging/places.sql);
--         per-distinct-text mappings done in Python: clm_programs (program_raw, program),
--         clm_amounts (amount_raw, amount); the macros of staging/macros.sql. Variable
--         nik_header.
-- Output: temp tables clm_checked (one row per input row, reason_code NULL when accepted) and
--         clm_accepted (accepted rows; the NIK only as person_key).

CREATE OR REPLACE TEMP TABLE clm_checked AS
WITH cleaned AS (
    SELECT
        i._row, i.program_raw, i.paid_on_raw, i.amount_raw, i.nik_raw,
        p.kecamatan_code, p.desa_code, p.place_reason,
        pr.program,
        parse_day(i.paid_on_raw) AS paid_on,
        TRY_CAST(a.amount AS BIGINT) AS amount,
        nullif(trim(i.nik_raw), '') IS NOT NULL AS nik_given,
        clean_id(i.nik_raw) AS nik,
        is_number_cell(i._number_cells, getvariable('nik_header')) AS nik_number_cell
    FROM clm_input AS i
    JOIN row_places AS p USING (_row)
    LEFT JOIN clm_programs AS pr ON pr.program_raw IS NOT DISTINCT FROM i.program_raw
    LEFT JOIN clm_amounts AS a ON a.amount_raw IS NOT DISTINCT FROM i.amount_raw
)
SELECT
    c.* EXCLUDE (nik),
    CASE WHEN nik_given THEN c.nik END AS nik,
    coalesce(
        place_reason,
        CASE
            WHEN program IS NULL THEN 'program_unknown'
            WHEN paid_on_raw IS NULL OR trim(paid_on_raw) = '' THEN 'date_missing'
            WHEN paid_on IS NULL THEN 'date_invalid'
            WHEN paid_on > current_date THEN 'date_future'
            WHEN amount IS NULL THEN 'amount_invalid'
            -- An empty NIK is fine (the column is optional); a wrong one is not.
            WHEN nik_given THEN nik_reason(nik_raw, c.nik, nik_number_cell)
        END) AS reason_code,
    CASE
        WHEN place_reason IS NOT NULL THEN NULL
        WHEN program IS NULL THEN 'PROGRAM: ' || coalesce(program_raw, '(kosong)')
        WHEN paid_on IS NULL OR paid_on > current_date THEN 'TANGGAL_BAYAR: ' || paid_on_raw
        WHEN amount IS NULL THEN 'NOMINAL: ' || coalesce(amount_raw, '(kosong)')
    END AS reason_detail
FROM cleaned AS c;

CREATE OR REPLACE TEMP TABLE clm_accepted AS
SELECT _row, desa_code, program, paid_on, amount,
       CASE WHEN nik IS NOT NULL THEN person_key(nik) END AS person_key
FROM clm_checked
WHERE reason_code IS NULL;
