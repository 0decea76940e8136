-- The reports benchmark's synthetic history for PostgreSQL, run by `run.sh` (BACKEND=postgres)
-- with `psql -v ON_ERROR_STOP=1` on a database made by `baqylau demo-data` (without its own
-- history). Placeholders: @START@ and @END@ (five years, YYYY-MM-DD), @RECENT@ (checks and a
-- published plan from then on).
--
-- It is `history.sql` (the SQLite one, which says what the history is) statement for statement,
-- in PostgreSQL's words: julian days become dates, datetime() an interval, printf() to_hex(), the
-- draws the same integer arithmetic. On a database made by `demo-data` with the same seed and day
-- it makes the same rows as `history.sql` does on SQLite, ids included. One difference of the two
-- calendars is written out: SQLite takes 29 February back a year to 1 March, PostgreSQL to
-- 28 February; the offences copied from 2024 follow SQLite.

SET work_mem = '256MB';
SET temp_buffers = '1GB';
SET synchronous_commit = off;
-- Without the row triggers while loading: the foreign keys' checks (the sqlite3 shell does not
-- check them either; every row's references are made from the tables they refer to) and the
-- stale marks of coverage_months, which are set for every stored month at the end instead (at
-- 100,000 persons the load took 28 minutes with them, about half of it the triggers' queue).
SET session_replication_role = replica;

CREATE TEMP TABLE group_of AS
SELECT district_id AS did, min(mobile_group_id) AS gid FROM mobile_group_districts GROUP BY district_id;
CREATE TEMP TABLE officer_of AS
SELECT mobile_group_id AS gid, min(user_id) AS uid FROM mobile_group_members GROUP BY mobile_group_id;

CREATE TEMP TABLE person_kinds AS
SELECT n, pid, did, kind, step, lat, lon, r,
       greatest(sup, DATE '@START@') + ((r * r % 2147483647) % step)::int AS first
FROM (SELECT row_number() OVER (ORDER BY p.id, k.kind) AS n, p.id AS pid, p.district_id AS did,
             k.kind AS kind, s.max_interval_days AS step, p.home_lat AS lat, p.home_lon AS lon,
             p.supervision_start AS sup,
             (row_number() OVER (ORDER BY p.id, k.kind) * 1103515245 + 12345) % 2147483646 + 1 AS r
      FROM persons p
      JOIN (SELECT 'home' AS kind UNION ALL SELECT 'work') k ON k.kind = 'home' OR p.work_lat IS NOT NULL
      JOIN contact_standards s ON s.risk_tier = p.risk_tier AND s.check_kind = k.kind
      WHERE p.status = 'active') pk;

CREATE TEMP TABLE made AS
WITH RECURSIVE v(n, pid, did, kind, step, lat, lon, j, r, d) AS (
    SELECT n, pid, did, kind, step, lat, lon, 0, r, first FROM person_kinds
    WHERE first <= DATE '@END@'
    UNION ALL
    SELECT n, pid, did, kind, step, lat, lon, j + 1, (r * 48271) % 2147483647,
           d + greatest(1, step - ((r * 48271) % 2147483647)::int % 3)
    FROM v
    WHERE d + greatest(1, step - 2) <= DATE '@END@'
)
SELECT lpad(to_hex(v.n), 24, '0') || lpad(to_hex(v.j), 8, '0') AS id, v.pid, v.kind, v.did, v.lat, v.lon,
       v.d + interval '5 hours' + (((v.r * 16807) % 2147483647) % 480) * interval '1 minute' AS at,
       CASE WHEN ((v.r * 69621) % 2147483647) % 10 = 0 THEN 'absent' ELSE 'present' END AS outcome,
       ((v.r * 630360016) % 2147483647) % 40 = 0 AS far,
       CASE WHEN ((v.r * 742938285) % 2147483647) % 30 = 0 THEN 'poor' ELSE 'good' END AS evidence
FROM v
WHERE v.d <= DATE '@END@';

INSERT INTO plans (id, from_date, days, group_ids, status, seed, version, created_by, created_at, updated_at, published_at)
VALUES ('bench-plan', '@RECENT@', 14, '[]', 'published', 1, 1, NULL, '@RECENT@ 00:00:00', '@RECENT@ 00:00:00', '@RECENT@ 00:00:00');

INSERT INTO checks (id, plan_id, person_id, kind, address, lat, lon, district_id, due_date, allowed_days,
                    window_start_min, window_end_min, service_min, priority, status, mobile_group_id,
                    planned_date, position, planned_arrival_min, unplaced_reason, pinned, created_at, updated_at)
SELECT 'c' || m.id, 'bench-plan', m.pid, m.kind, '', m.lat, m.lon, m.did, (m.at + interval '5 hours')::date, '[]',
       600, 1080, 15, 0, CASE m.outcome WHEN 'present' THEN 'done' ELSE 'missed' END, g.gid,
       (m.at + interval '5 hours')::date,
       row_number() OVER (PARTITION BY g.gid, (m.at + interval '5 hours')::date ORDER BY m.at, m.id),
       NULL, NULL, FALSE, m.at, m.at
FROM made m JOIN group_of g ON g.did = m.did
WHERE m.at >= DATE '@RECENT@';

INSERT INTO visits (id, check_id, person_id, kind, officer_id, mobile_group_id, outcome, violation_kind,
                    notes, device_at, server_at, lat, lon, accuracy_m, distance_m, far_from_address,
                    evidence, check_was_cancelled, ad_hoc, payload)
SELECT m.id, CASE WHEN m.at >= DATE '@RECENT@' THEN 'c' || m.id END, m.pid, m.kind,
       coalesce(o.uid, (SELECT min(id) FROM users WHERE role = 'officer')), g.gid, m.outcome, NULL,
       NULL, m.at, m.at, m.lat, m.lon, 10.0, 20.0, m.far, m.evidence, FALSE, m.at < DATE '@RECENT@', '{}'
FROM made m
JOIN group_of g ON g.did = m.did
LEFT JOIN officer_of o ON o.gid = g.gid;

INSERT INTO offences (id, offence_date, district_id, lat, lon, article, severity, offence_type, place, suspect_iin, created_at)
SELECT o.id || '-' || y.back,
       (o.offence_date - make_interval(years => y.back))::date
           + CASE WHEN to_char(o.offence_date, 'MM-DD') = '02-29' THEN 1 ELSE 0 END,
       o.district_id, o.lat, o.lon, o.article, o.severity, o.offence_type, o.place, o.suspect_iin, o.created_at
FROM offences o, (SELECT 1 AS back UNION ALL SELECT 2 UNION ALL SELECT 3) y
WHERE o.offence_date < DATE '2025-01-01';

SET session_replication_role = DEFAULT;
UPDATE coverage_months SET stale = TRUE, version = version + 1;

-- The statistics, and the visibility map that index-only scans need (autovacuum would make both
-- in time on a server; a benchmark run right after the load must not wait for it).
VACUUM (ANALYZE);
SELECT 'visits', count(*) FROM visits;
SELECT 'checks', count(*) FROM checks;
SELECT 'offences', count(*) FROM offences;
