-- Cleaning and judging rules shared by every loader, as DuckDB macros, so that an NIK is judged
-- by the same SQL whether it comes from the form, the verification list, the BPJS export or a
-- claims file (docs/rules.md §3).
-- Installed as TEMP MACROs on the write connection by etl.loaders.common.install_macros, which
-- first creates the table nik_provinces (code): the province codes an NIK may start with.

-- An identifier (NIK, KK, KPJ) as typed, cleaned: leading apostrophe, trailing ".0" (a float
-- printed as text), then spaces, no-break spaces, zero-width spaces, dots and dashes removed.
-- Most cells are already 16 clean digits: they skip the three replacements (4x faster).
CREATE OR REPLACE TEMP MACRO clean_id(raw) AS
    CASE WHEN regexp_full_match(raw, '[0-9]{16}') THEN raw
         ELSE regexp_replace(regexp_replace(regexp_replace(trim(raw), '^''', ''), '\.0+$', ''),
                             '[[:space:]\x{00A0}\x{200B}.\-]', '', 'g') END;

-- "6.31109E+15": digits lost for good; detected on the raw text, never repaired.
CREATE OR REPLACE TEMP MACRO id_scientific(raw) AS
    regexp_full_match(trim(raw), '''?[0-9]+([.,][0-9]+)?[eE][+]?[0-9]+');

-- Whether the cell of column `header` was an Excel number cell (etl.readers: _number_cells).
CREATE OR REPLACE TEMP MACRO is_number_cell(number_cells, header) AS
    number_cells IS NOT NULL AND list_contains(string_split(number_cells, chr(31)), header);

-- The birth date inside a clean NIK (digits 7-12, DDMMYY, day + 40 for women); NULL when the
-- NIK is not 16 digits or the date does not exist. Two-digit years up to this year's are 20xx.
-- Macros are expanded inline, so `nik` is written out where it is used: each use is a plain
-- substring, and the date is parsed once (an earlier struct-based version repeated its
-- argument a dozen times and was slower, not faster).
CREATE OR REPLACE TEMP MACRO nik_birth_date(nik) AS
    CASE WHEN regexp_full_match(nik, '[0-9]{16}') THEN
        try_strptime(
            CASE WHEN substr(nik, 11, 2) <= strftime(current_date, '%y') THEN '20' ELSE '19' END
            || substr(nik, 11, 2) || substr(nik, 9, 2)
            || CASE WHEN substr(nik, 7, 2) > '40'
                    THEN lpad((CAST(substr(nik, 7, 2) AS INTEGER) - 40)::VARCHAR, 2, '0')
                    ELSE substr(nik, 7, 2) END,
            '%Y%m%d')::DATE
    END;

CREATE OR REPLACE TEMP MACRO nik_sex(nik) AS
    CASE WHEN regexp_full_match(nik, '[0-9]{16}') THEN
        CASE WHEN CAST(substr(nik, 7, 2) AS INTEGER) > 40 THEN 'P' ELSE 'L' END
    END;

-- Why an NIK is rejected (a reason code of etl/reasons.py), NULL when it is acceptable.
-- raw: the cell as read; nik: clean_id(raw), computed once by the caller; number_cell: whether
-- the cell was an Excel number. The first failing rule is the reason, in the order a person
-- fixes them. Another kabupaten's NIK is NOT a reason (NIK is for life): callers may flag it.
CREATE OR REPLACE TEMP MACRO nik_reason(raw, nik, number_cell) AS
    CASE
        -- Fast path, nearly every row: 16 digits after cleaning. Such a cell is not missing and
        -- not in scientific notation (the "E" would remain), so only the later rules apply.
        WHEN regexp_full_match(nik, '[0-9]{16}') AND NOT coalesce(number_cell, false) THEN
            CASE
                WHEN substr(nik, 1, 2) NOT IN (SELECT code FROM nik_provinces)
                     OR substr(nik, 3, 2) = '00' OR substr(nik, 5, 2) = '00' THEN 'nik_region'
                WHEN substr(nik, 7, 2) IN ('00', '40') OR nik_birth_date(nik) IS NULL
                    THEN 'nik_birth_date'
                WHEN substr(nik, 13, 4) = '0000' THEN 'nik_serial'
            END
        WHEN raw IS NULL OR trim(raw) = '' THEN 'nik_missing'
        WHEN id_scientific(raw) THEN 'nik_scientific'
        WHEN number_cell THEN 'nik_excel_number'
        ELSE 'nik_format'
    END;

-- Why a KK (family card number) is rejected, NULL when acceptable; same cleaning as the NIK.
CREATE OR REPLACE TEMP MACRO kk_reason(raw, kk, number_cell) AS
    CASE
        WHEN regexp_full_match(kk, '[0-9]{16}') AND NOT coalesce(number_cell, false) THEN NULL
        WHEN raw IS NULL OR trim(raw) = '' THEN 'kk_missing'
        WHEN id_scientific(raw) THEN 'kk_scientific'
        WHEN number_cell THEN 'kk_excel_number'
        ELSE 'kk_format'
    END;

-- Dates and times as the spreadsheets of Indonesian and English locales write them (Google
-- Sheets, Google Forms, Excel): dd/mm/yyyy or mm/dd/yyyy with '/', '-' or '.', a time with ':'
-- or '.' between its parts (Indonesian locale: 23/08/2025 21.27.13), unpadded (1/5/2025 9:05),
-- AM/PM; ISO 2025-08-23 (also how etl.readers writes an Excel date or datetime cell); month
-- names in Indonesian or English (23 Agustus 2025, 23-Agu-2025, 23 Aug 25, August 23, 2025);
-- a time zone suffix (GMT+7, WIB, WITA, WIT, UTC) ignored. NULL when not a real date.
-- One day/month order per file, decided from all its date columns together
-- (staging/date_order.sql, etl.loaders.common.decide_date_order), in the variable date_order.
-- Years must have four digits (a named month may have two): strptime's %Y would read "25" as
-- the year 25, so years before 1900 are NULL, as are texts that are not dates.

-- A month name (Indonesian or English, full or short, lower case) as 1..12, else NULL. The
-- variables month_names / month_numbers come from etl.loaders.common.MONTHS (one list).
CREATE OR REPLACE TEMP MACRO month_of_name(word) AS
    getvariable('month_numbers')[list_position(getvariable('month_names'), word)];

-- A two-digit year of a named-month date: up to this year's is 20xx, else 19xx.
CREATE OR REPLACE TEMP MACRO full_year(y) AS
    CASE WHEN length(y) = 4 THEN y
         WHEN y <= strftime(current_date, '%y') THEN '20' || y ELSE '19' || y END;

-- "23 agustus 2025 ...", "23-agu-2025", "23 aug. 25", "august 23, 2025" -> "2025-8-23 ...";
-- any other text unchanged. A name that is not a month gives NULL.
CREATE OR REPLACE TEMP MACRO named_month_iso(t) AS
    CASE
        WHEN regexp_matches(t, '^[0-9]{1,2}[ ./-]*[a-z]{3,}') THEN
            full_year(regexp_extract(
                t, '^[0-9]{1,2}[ ./-]*[a-z]+\.?[ ./,-]*([0-9]{4}|[0-9]{2})\b', 1))
            || '-' || month_of_name(regexp_extract(t, '^[0-9]{1,2}[ ./-]*([a-z]+)', 1))::VARCHAR
            || '-' || regexp_extract(t, '^([0-9]{1,2})', 1)
            || regexp_extract(t, '^[0-9]{1,2}[ ./-]*[a-z]+\.?[ ./,-]*([0-9]{4}|[0-9]{2})\b(.*)$', 2)
        WHEN regexp_matches(t, '^[a-z]{3,}\.? [0-9]{1,2},? [0-9]{4}') THEN
            regexp_extract(t, '^[a-z]+\.? [0-9]{1,2},? ([0-9]{4})', 1)
            || '-' || month_of_name(regexp_extract(t, '^([a-z]+)', 1))::VARCHAR
            || '-' || regexp_extract(t, '^[a-z]+\.? ([0-9]{1,2})', 1)
            || regexp_extract(t, '^[a-z]+\.? [0-9]{1,2},? [0-9]{4}(.*)$', 1)
        ELSE t
    END;

-- The text lower-cased, trimmed, single-spaced, without a time zone suffix or ISO's "T", and
-- a named-month date rewritten as ISO (yyyy-m-d and the rest), so that one list of formats
-- reads it.
CREATE OR REPLACE TEMP MACRO moment_text(text) AS
    named_month_iso(regexp_replace(regexp_replace(regexp_replace(
        lower(trim(text)), '\s+', ' ', 'g'),
        '^([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})t', '\1 '),
        '([0-9][:.][0-9]{2}([:.][0-9]{2})?(\.[0-9]+)?( ?[ap]m)?) ?(gmt|utc|wib|wita|wit)? ?'
        || '([+-][0-9]{1,2}(:?[0-9]{2})?)? ?(gmt|utc|wib|wita|wit|z)?$', '\1'));

-- The parse itself. The first try is the common case of a file (the slash form in its order,
-- as typed), which is all most rows need; only what fails it is normalised and tried against
-- every form. A CASE, not coalesce: DuckDB evaluates every argument of coalesce on every row,
-- and the normalising regexes would then cost seconds on millions of rows; a CASE evaluates
-- its ELSE only for the rows that reach it. Years before 1900 (a two-digit year read by %Y)
-- become NULL.
CREATE OR REPLACE TEMP MACRO parse_file_order(text) AS
    CASE WHEN getvariable('date_order') = 'mdy'
         THEN try_strptime(text, ['%m/%d/%Y %H:%M:%S', '%m/%d/%Y'])
         ELSE try_strptime(text, ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H.%M.%S', '%d/%m/%Y']) END;

-- Every form, on normalised text (moment_text).
CREATE OR REPLACE TEMP MACRO parse_any_form(t) AS
    coalesce(
        try_strptime(t, [
            '%Y-%m-%d', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%d %H:%M',
            '%Y-%m-%d %H.%M.%S', '%Y-%m-%d %H.%M',
            '%Y/%m/%d', '%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y/%m/%d %I:%M:%S %p',
            '%Y/%m/%d %I:%M %p']),
        CASE WHEN getvariable('date_order') = 'mdy'
             THEN try_strptime(t, [
                 '%m/%d/%Y', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H.%M.%S', '%m/%d/%Y %H:%M',
                 '%m/%d/%Y %H.%M', '%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %I:%M %p',
                 '%m/%d/%Y %H:%M:%S.%f',
                 '%m-%d-%Y', '%m-%d-%Y %H:%M:%S', '%m-%d-%Y %H.%M.%S', '%m-%d-%Y %H:%M',
                 '%m-%d-%Y %H.%M', '%m-%d-%Y %I:%M:%S %p', '%m-%d-%Y %I:%M %p',
                 '%m-%d-%Y %H:%M:%S.%f',
                 '%m.%d.%Y', '%m.%d.%Y %H:%M:%S', '%m.%d.%Y %H:%M', '%m.%d.%Y %I:%M:%S %p',
                 '%m.%d.%Y %I:%M %p'])
             ELSE try_strptime(t, [
                 '%d/%m/%Y', '%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H.%M.%S', '%d/%m/%Y %H:%M',
                 '%d/%m/%Y %H.%M', '%d/%m/%Y %I:%M:%S %p', '%d/%m/%Y %I:%M %p',
                 '%d/%m/%Y %H:%M:%S.%f',
                 '%d-%m-%Y', '%d-%m-%Y %H:%M:%S', '%d-%m-%Y %H.%M.%S', '%d-%m-%Y %H:%M',
                 '%d-%m-%Y %H.%M', '%d-%m-%Y %I:%M:%S %p', '%d-%m-%Y %I:%M %p',
                 '%d-%m-%Y %H:%M:%S.%f',
                 '%d.%m.%Y', '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M', '%d.%m.%Y %I:%M:%S %p',
                 '%d.%m.%Y %I:%M %p']) END
    );

CREATE OR REPLACE TEMP MACRO parse_moment(text) AS
    nullif(greatest(CASE WHEN parse_file_order(text) IS NOT NULL THEN parse_file_order(text)
                         ELSE parse_any_form(moment_text(text)) END,
                    TIMESTAMP '1900-01-01'), TIMESTAMP '1900-01-01');

-- A calendar date (verification, membership, claims): parse_moment without its time.
CREATE OR REPLACE TEMP MACRO parse_day(text) AS parse_moment(text)::DATE;

-- A Kemendagri region code as typed ("63.11.04.2005", "6311042005", " 63.11.04.2005 ") in its
-- dotted form; other text is returned trimmed so that it fails the lookup in core.regions.
CREATE OR REPLACE TEMP MACRO region_code(raw) AS
    CASE
        WHEN regexp_full_match(trim(raw), '[0-9]{10}') THEN
            substr(trim(raw), 1, 2) || '.' || substr(trim(raw), 3, 2) || '.'
            || substr(trim(raw), 5, 2) || '.' || substr(trim(raw), 7, 4)
        WHEN regexp_full_match(trim(raw), '[0-9]{6}') THEN
            substr(trim(raw), 1, 2) || '.' || substr(trim(raw), 3, 2) || '.'
            || substr(trim(raw), 5, 2)
        WHEN regexp_full_match(trim(raw), '[0-9]{4}') THEN
            substr(trim(raw), 1, 2) || '.' || substr(trim(raw), 3, 2)
        ELSE nullif(trim(raw), '')
    END;

-- A whole count as typed in a spreadsheet: "812", "1.460" or "1,460" (thousands separators),
-- "812.0" (a float printed as text; one zero only, since "1.000" is a thousand). NULL when it
-- is not a whole number >= 0.
CREATE OR REPLACE TEMP MACRO parse_count(raw) AS
    CASE
        WHEN regexp_full_match(trim(raw), '[0-9]+(\.0)?')
            THEN CAST(regexp_replace(trim(raw), '\.0$', '') AS BIGINT)
        WHEN regexp_full_match(trim(raw), '[0-9]{1,3}(\.[0-9]{3})+')
            OR regexp_full_match(trim(raw), '[0-9]{1,3}(,[0-9]{3})+')
            THEN CAST(regexp_replace(trim(raw), '[.,]', '', 'g') AS BIGINT)
    END;

-- An RM identifier as compared everywhere: trimmed, upper case, single spaces ("rm-01" = "RM-01").
CREATE OR REPLACE TEMP MACRO rm_key(raw) AS
    nullif(upper(regexp_replace(trim(raw), '\s+', ' ', 'g')), '');
