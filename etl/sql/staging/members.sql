-- BPJS membership export: clean and judge every row, in one pass.
-- Input : temp view mem_input (_row, nik_raw, kpj_raw, enrolled_raw, programs_raw, funding_raw,
--         paid_through_raw, desa_code_raw, name_raw, _number_cells); the macros of
--         staging/macros.sql; temp tables computed once per distinct text in Python
--         (etl/loaders/common.py): mem_programs (programs_raw, programs 'JKK,JKM' or NULL,
--         bad_part), mem_funding (funding_raw, funding_source), mem_months (paid_through_raw,
--         paid_through ISO date of the month's first day or NULL). Variable nik_header.
-- Output: temp tables mem_checked (one row per input row, reason_code NULL when accepted) and
--         mem_accepted (accepted rows keyed by person_key).

CREATE OR REPLACE TEMP TABLE mem_checked AS
WITH cleaned AS (
    SELECT
        i.*,
        clean_id(nik_raw) AS nik,
        nullif(clean_id(kpj_raw), '') AS kpj,
        parse_day(enrolled_raw) AS enrolled_on,
        pg.programs AS programs_text,
        pg.bad_part,
        coalesce(f.funding_source, 'LAINNYA') AS funding_source,
        CAST(m.paid_through AS DATE) AS paid_through,
        region_code(desa_code_raw) AS desa_code_typed,
        nullif(regexp_replace(trim(name_raw), '\s+', ' ', 'g'), '') AS full_name
    FROM mem_input AS i
    LEFT JOIN mem_programs AS pg ON pg.programs_raw IS NOT DISTINCT FROM i.programs_raw
    LEFT JOIN mem_funding AS f ON f.funding_raw IS NOT DISTINCT FROM i.funding_raw
    LEFT JOIN mem_months AS m ON m.paid_through_raw IS NOT DISTINCT FROM i.paid_through_raw
),
judged AS (
    SELECT
        c.*,
        r.code AS desa_code,
        r.parent_code AS kecamatan_code,
        -- The first failing rule is the row's reason, in the order a person fixes them in.
        coalesce(
            nik_reason(nik_raw, nik, is_number_cell(_number_cells, getvariable('nik_header'))),
            CASE
                WHEN kpj IS NULL THEN 'kpj_missing'
                WHEN enrolled_raw IS NULL OR trim(enrolled_raw) = '' THEN 'date_missing'
                WHEN enrolled_on IS NULL THEN 'date_invalid'
                WHEN enrolled_on > current_date THEN 'date_future'
                WHEN programs_text IS NULL THEN 'program_unknown'
                WHEN paid_through IS NULL THEN 'month_invalid'
                WHEN desa_code_typed IS NOT NULL AND r.code IS NULL THEN 'desa_code_unknown'
            END) AS reason_code
    FROM cleaned AS c
    LEFT JOIN core.regions AS r ON r.code = c.desa_code_typed AND r.level = 'desa'
)
SELECT
    j.* EXCLUDE (kecamatan_code),
    CASE reason_code
        WHEN 'date_invalid' THEN 'TGL_KEPESERTAAN: ' || enrolled_raw
        WHEN 'date_future' THEN 'TGL_KEPESERTAAN: ' || enrolled_raw
        WHEN 'program_unknown' THEN 'PROGRAM: ' || coalesce(nullif(bad_part, ''), '(kosong)')
        WHEN 'month_invalid' THEN 'IURAN_SAMPAI: ' || coalesce(paid_through_raw, '(kosong)')
        WHEN 'desa_code_unknown' THEN 'KODE_DESA: ' || desa_code_raw
    END AS reason_detail,
    kecamatan_code
FROM judged AS j;

CREATE OR REPLACE TEMP TABLE mem_accepted AS
SELECT
    _row, person_key(nik) AS person_key, mask_nik(nik) AS nik_masked, nik, full_name, kpj,
    enrolled_on, string_split(programs_text, ',') AS programs, funding_source, funding_raw,
    paid_through, desa_code
FROM mem_checked
WHERE reason_code IS NULL;
