-- Verification decisions: clean and judge every row of a verification list, in one pass.
-- Input : temp view ver_input (_row, nik_raw, status_raw, reason_raw, date_raw, _number_cells),
--         the macros of staging/macros.sql; variable nik_header (the NIK column's header).
-- Output: temp table ver_checked (one row per input row, reason_code NULL when accepted) and
--         ver_accepted (the accepted rows, keyed by person_key).
--
-- STATUS, compared in upper case with punctuation as spaces:
--   verified : TERVERIFIKASI, VERIFIKASI, DIVERIFIKASI, SUDAH DIVERIFIKASI, VERIFIED, VALID,
--              DITERIMA, DISETUJUI, LOLOS, LOLOS VERIFIKASI, MEMENUHI SYARAT, MS, LAYAK,
--              SESUAI, OK, ACCEPTED, APPROVED
--   rejected : DITOLAK, TOLAK, TERTOLAK, REJECTED, REJECT, TIDAK VALID, INVALID, NOT VALID,
--              TIDAK LOLOS, TIDAK MEMENUHI SYARAT, TMS, TIDAK LAYAK, TIDAK SESUAI, GAGAL,
--              DECLINED, FAILED
--   pending  : empty, MENUNGGU, PROSES, DALAM PROSES, DIPROSES, BELUM, BELUM DIVERIFIKASI,
--              PENDING, IN PROGRESS: quarantined as status_pending (not a decision yet)
--   anything else is status_unknown.
-- TANGGAL: parse_day (ISO, Excel date cells, or day first dd/mm/yyyy); a future date is
-- rejected.

CREATE OR REPLACE TEMP TABLE ver_checked AS
WITH cleaned AS (
    SELECT
        i.*,
        clean_id(nik_raw) AS nik,
        trim(regexp_replace(upper(coalesce(status_raw, '')), '[^A-Z]+', ' ', 'g')) AS status_key,
        parse_day(date_raw) AS decided_on,
        nullif(regexp_replace(trim(reason_raw), '\s+', ' ', 'g'), '') AS reason
    FROM ver_input AS i
),
judged AS (
    SELECT
        c.*,
        CASE
            WHEN status_key IN ('TERVERIFIKASI', 'VERIFIKASI', 'DIVERIFIKASI',
                                'SUDAH DIVERIFIKASI', 'VERIFIED', 'VALID', 'DITERIMA',
                                'DISETUJUI', 'LOLOS', 'LOLOS VERIFIKASI', 'MEMENUHI SYARAT', 'MS',
                                'LAYAK', 'SESUAI', 'OK', 'ACCEPTED', 'APPROVED') THEN 'verified'
            WHEN status_key IN ('DITOLAK', 'TOLAK', 'TERTOLAK', 'REJECTED', 'REJECT',
                                'TIDAK VALID', 'INVALID', 'NOT VALID', 'TIDAK LOLOS',
                                'TIDAK MEMENUHI SYARAT', 'TMS', 'TIDAK LAYAK', 'TIDAK SESUAI',
                                'GAGAL', 'DECLINED', 'FAILED') THEN 'rejected'
        END AS status,
        coalesce(
            nik_reason(nik_raw, nik, is_number_cell(_number_cells, getvariable('nik_header'))),
            CASE
                WHEN status_key IN ('', 'MENUNGGU', 'PROSES', 'DALAM PROSES', 'DIPROSES',
                                    'BELUM', 'BELUM DIVERIFIKASI', 'PENDING', 'IN PROGRESS')
                    THEN 'status_pending'
            END) AS early_reason
    FROM cleaned AS c
)
SELECT
    j.*,
    coalesce(early_reason, CASE
        WHEN status IS NULL THEN 'status_unknown'
        WHEN date_raw IS NULL OR trim(date_raw) = '' THEN 'date_missing'
        WHEN decided_on IS NULL THEN 'date_invalid'
        WHEN decided_on > current_date THEN 'date_future'
    END) AS reason_code,
    CASE
        WHEN early_reason IS NOT NULL THEN NULL
        WHEN status IS NULL THEN 'STATUS: ' || status_raw
        WHEN decided_on IS NULL OR decided_on > current_date THEN 'TANGGAL: ' || date_raw
    END AS reason_detail,
    NULL::VARCHAR AS kecamatan_code,
    NULL::VARCHAR AS desa_code
FROM judged AS j;

CREATE OR REPLACE TEMP TABLE ver_accepted AS
SELECT _row, person_key(nik) AS person_key, mask_nik(nik) AS nik_masked, status, reason,
       decided_on
FROM ver_checked
WHERE reason_code IS NULL;
