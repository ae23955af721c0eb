-- Every decision of plan.decisions with its measured figures at the month $as_of (DATE, first of
-- the month): the one definition behind the Rapat page, the minutes, the RM's Target page and
-- `python -m etl decisions list` (etl/decisions.py measure).
-- Parameters: $as_of; $min_comparison (setting decision_min_comparison).
-- Input: temp table decision_categories (month DATE, desa_code, category INTEGER): the priority
-- category of every desa at each decision's baseline month (etl.priority, docs/rules.md §5).
--
-- active counts are marts.monthly's (marts.is_active, summed as etl/sql/queries/coverage.sql
-- sums them), so a decision's active_now is `export coverage` of its place and month:
--   active_base  active in the place (and sector) at the end of baseline_month;
--   active_now   at the end of the measure month: $as_of, or the month it was closed when
--                earlier (a closed decision is judged where it was closed);
--   gain         active_now - active_base.
-- Comparison places, so that a rise everywhere is not credited to the action:
--   desa decision      the other desa of the same priority category at the baseline month with
--                      no desa decision of their own; when fewer than $min_comparison, the other
--                      desa of the same kecamatan with no decision (comparison_basis says which);
--   kecamatan decision the other kecamatan with no kecamatan decision;
--   kabupaten decision none (the kabupaten has nothing to compare with).
--   comparison_gain = mean over those places of (active_now - active_base), same months and
--   sector; net_gain = gain - comparison_gain (gain when there is no comparison).
-- Status at $as_of (the rule of etl/decisions.py STATUS_LABELS):
--   achieved     net_gain >= expected_gain;
--   late         not achieved and the measure month is after due_month;
--   on_track     net_gain > 0 and at least the expected gain pro rata to the months elapsed
--                from baseline_month to due_month;
--   no_effect    otherwise (no net gain yet, or less than pro rata).
WITH dec AS (
    SELECT d.*, m.held_on,
           greatest(d.baseline_month,
                    least(coalesce(d.closed_month, $as_of::DATE), $as_of::DATE)) AS measure_month
    FROM plan.decisions AS d JOIN plan.meetings AS m USING (meeting_id)
),
decided_desa AS (
    SELECT DISTINCT place_code AS code FROM plan.decisions WHERE place_level = 'desa'
),
decided_kecamatan AS (
    SELECT DISTINCT place_code AS code FROM plan.decisions WHERE place_level = 'kecamatan'
),
spans AS (
    SELECT DISTINCT baseline_month, measure_month, sector FROM dec
),
-- Every desa's active at the two months of each span (zeros where it has none).
desa_gain AS (
    SELECT s.baseline_month, s.measure_month, s.sector, r.code AS desa_code,
           r.parent_code AS kecamatan_code,
           coalesce(sum(x.active) FILTER (WHERE x.month = s.baseline_month), 0) AS active_base,
           coalesce(sum(x.active) FILTER (WHERE x.month = s.measure_month), 0) AS active_now
    FROM spans AS s
    CROSS JOIN (SELECT code, parent_code FROM core.regions WHERE level = 'desa') AS r
    LEFT JOIN marts.monthly AS x
           ON x.desa_code = r.code AND x.month IN (s.baseline_month, s.measure_month)
          AND (s.sector IS NULL OR x.sector = s.sector)
    GROUP BY ALL
),
kecamatan_gain AS (
    SELECT s.baseline_month, s.measure_month, s.sector, r.code AS kecamatan_code,
           coalesce(sum(x.active) FILTER (WHERE x.month = s.baseline_month), 0) AS active_base,
           coalesce(sum(x.active) FILTER (WHERE x.month = s.measure_month), 0) AS active_now
    FROM spans AS s
    CROSS JOIN (SELECT code FROM core.regions WHERE level = 'kecamatan') AS r
    LEFT JOIN marts.monthly AS x
           ON x.kecamatan_code = r.code AND x.month IN (s.baseline_month, s.measure_month)
          AND (s.sector IS NULL OR x.sector = s.sector)
    GROUP BY ALL
),
-- The kabupaten's row counts everyone, people whose desa is unknown included (coverage.sql).
kabupaten_gain AS (
    SELECT s.baseline_month, s.measure_month, s.sector,
           coalesce(sum(x.active) FILTER (WHERE x.month = s.baseline_month), 0) AS active_base,
           coalesce(sum(x.active) FILTER (WHERE x.month = s.measure_month), 0) AS active_now
    FROM spans AS s
    LEFT JOIN marts.monthly AS x
           ON x.month IN (s.baseline_month, s.measure_month)
          AND (s.sector IS NULL OR x.sector = s.sector)
    GROUP BY ALL
),
own AS (
    SELECT d.decision_id,
           coalesce(g.active_base, k.active_base, b.active_base) AS active_base,
           coalesce(g.active_now, k.active_now, b.active_now) AS active_now,
           g.kecamatan_code AS desa_kecamatan,
           c.category
    FROM dec AS d
    LEFT JOIN desa_gain AS g
           ON d.place_level = 'desa' AND g.desa_code = d.place_code
          AND g.baseline_month = d.baseline_month AND g.measure_month = d.measure_month
          AND g.sector IS NOT DISTINCT FROM d.sector
    LEFT JOIN kecamatan_gain AS k
           ON d.place_level = 'kecamatan' AND k.kecamatan_code = d.place_code
          AND k.baseline_month = d.baseline_month AND k.measure_month = d.measure_month
          AND k.sector IS NOT DISTINCT FROM d.sector
    LEFT JOIN kabupaten_gain AS b
           ON d.place_level = 'kabupaten'
          AND b.baseline_month = d.baseline_month AND b.measure_month = d.measure_month
          AND b.sector IS NOT DISTINCT FROM d.sector
    LEFT JOIN decision_categories AS c
           ON d.place_level = 'desa' AND c.month = d.baseline_month AND c.desa_code = d.place_code
),
same_category AS (
    SELECT d.decision_id, count(*) AS places, avg(g.active_now - g.active_base) AS mean_gain
    FROM dec AS d JOIN own AS o USING (decision_id)
    JOIN decision_categories AS c ON c.month = d.baseline_month AND c.category = o.category
    JOIN desa_gain AS g
      ON g.desa_code = c.desa_code AND g.baseline_month = d.baseline_month
     AND g.measure_month = d.measure_month AND g.sector IS NOT DISTINCT FROM d.sector
    WHERE d.place_level = 'desa' AND g.desa_code NOT IN (SELECT code FROM decided_desa)
    GROUP BY d.decision_id
),
same_kecamatan AS (
    SELECT d.decision_id, count(*) AS places, avg(g.active_now - g.active_base) AS mean_gain
    FROM dec AS d JOIN own AS o USING (decision_id)
    JOIN desa_gain AS g
      ON g.kecamatan_code = o.desa_kecamatan AND g.baseline_month = d.baseline_month
     AND g.measure_month = d.measure_month AND g.sector IS NOT DISTINCT FROM d.sector
    WHERE d.place_level = 'desa' AND g.desa_code NOT IN (SELECT code FROM decided_desa)
    GROUP BY d.decision_id
),
other_kecamatan AS (
    SELECT d.decision_id, count(*) AS places, avg(k.active_now - k.active_base) AS mean_gain
    FROM dec AS d
    JOIN kecamatan_gain AS k
      ON k.baseline_month = d.baseline_month AND k.measure_month = d.measure_month
     AND k.sector IS NOT DISTINCT FROM d.sector
    WHERE d.place_level = 'kecamatan'
      AND k.kecamatan_code NOT IN (SELECT code FROM decided_kecamatan)
    GROUP BY d.decision_id
),
compared AS (
    SELECT d.decision_id,
           CASE WHEN d.place_level = 'desa' AND coalesce(sc.places, 0) >= $min_comparison
                     THEN 'kategori'
                WHEN d.place_level = 'desa' AND coalesce(sk.places, 0) > 0 THEN 'kecamatan'
                WHEN d.place_level = 'kecamatan' AND coalesce(ok.places, 0) > 0
                     THEN 'kecamatan_lain'
                END AS comparison_basis,
           CASE WHEN d.place_level = 'desa' AND coalesce(sc.places, 0) >= $min_comparison
                     THEN sc.places
                WHEN d.place_level = 'desa' THEN sk.places
                WHEN d.place_level = 'kecamatan' THEN ok.places END AS comparison_places,
           CASE WHEN d.place_level = 'desa' AND coalesce(sc.places, 0) >= $min_comparison
                     THEN sc.mean_gain
                WHEN d.place_level = 'desa' THEN sk.mean_gain
                WHEN d.place_level = 'kecamatan' THEN ok.mean_gain END AS comparison_gain
    FROM dec AS d
    LEFT JOIN same_category AS sc USING (decision_id)
    LEFT JOIN same_kecamatan AS sk USING (decision_id)
    LEFT JOIN other_kecamatan AS ok USING (decision_id)
),
measured AS (
    SELECT d.*, o.category, o.active_base::BIGINT AS active_base,
           o.active_now::BIGINT AS active_now,
           (o.active_now - o.active_base)::BIGINT AS gain,
           c.comparison_basis, coalesce(c.comparison_places, 0)::BIGINT AS comparison_places,
           round(c.comparison_gain, 1) AS comparison_gain,
           round((o.active_now - o.active_base) - coalesce(c.comparison_gain, 0), 1) AS net_gain,
           -- months elapsed and planned, from the baseline month (0 elapsed at the meeting)
           datediff('month', d.baseline_month, d.measure_month) AS months_elapsed,
           greatest(datediff('month', d.baseline_month, d.due_month), 1) AS months_planned
    FROM dec AS d JOIN own AS o USING (decision_id) JOIN compared AS c USING (decision_id)
)
SELECT decision_id, meeting_id, held_on, place_level, place_code, sector, action, detail,
       owner_kind, owner, due_month, expected_gain, baseline_month, measure_month, state,
       closed_month, closed_meeting_id, carried_from, source, category,
       active_base, active_now, gain, comparison_basis, comparison_places, comparison_gain,
       net_gain,
       round(100.0 * net_gain / nullif(expected_gain, 0), 1) AS net_gain_pct,
       CASE WHEN net_gain >= expected_gain THEN 'achieved'
            WHEN measure_month > due_month THEN 'late'
            WHEN net_gain > 0
                 AND net_gain >= expected_gain * least(months_elapsed, months_planned)
                                 / months_planned THEN 'on_track'
            ELSE 'no_effect' END AS status
FROM measured
ORDER BY held_on, meeting_id, decision_id
