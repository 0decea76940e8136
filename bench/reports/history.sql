-- A synthetic history for the reports benchmark, run by `run.sh` in the sqlite3 shell on a
-- database made by `baqylau demo-data` (without its own history). Placeholders: @START@ and @END@
-- (five years, YYYY-MM-DD), @RECENT@ (checks and a published plan from then on).
-- `history.pg.sql` is the same history for PostgreSQL, statement for statement: on a database
-- made by `demo-data` with the same seed and day it makes the same rows (ids included).
--
-- Visits: every active person's home, and an employed person's work, checked about as often as
-- the contact standard of their tier asks (each next visit 0-2 days early, a first phase drawn
-- within the first interval), by an officer of the first group covering the home district,
-- between 10:00 and 18:00 local time (UTC+5); one visit in ten fails (absent). Visits since
-- @RECENT@ are made on checks of one published plan (done or missed, their route order that of
-- the visits' times); older ones are ad hoc. Offences: the demo's 2024 copied to 2021, 2022 and
-- 2023 (the demo holds 2024 to today).
--
-- The draws are not random(): each person-kind (numbered in the order of person id and kind)
-- has a Park-Miller generator (r := r * 48271 mod 2^31-1) seeded from its number and stepped once
-- per visit; a visit's draws are r times other multipliers mod 2^31-1, so that both backends
-- compute the same integers (every product stays under 2^63).

PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -400000;
PRAGMA temp_store = FILE;

CREATE TEMP TABLE group_of AS
SELECT district_id AS did, min(mobile_group_id) AS gid FROM mobile_group_districts GROUP BY district_id;
CREATE TEMP TABLE officer_of AS
SELECT mobile_group_id AS gid, min(user_id) AS uid FROM mobile_group_members GROUP BY mobile_group_id;

CREATE TEMP TABLE person_kinds AS
SELECT n, pid, did, kind, step, lat, lon, r,
       max(julianday(sup), julianday('@START@')) + (r * r % 2147483647) % step AS first
FROM (SELECT row_number() OVER (ORDER BY p.id, k.kind) AS n, p.id AS pid, p.district_id AS did,
             k.kind AS kind, s.max_interval_days AS step, p.home_lat AS lat, p.home_lon AS lon,
             p.supervision_start AS sup,
             (row_number() OVER (ORDER BY p.id, k.kind) * 1103515245 + 12345) % 2147483646 + 1 AS r
      FROM persons p
      JOIN (SELECT 'home' AS kind UNION ALL SELECT 'work') k ON k.kind = 'home' OR p.work_lat IS NOT NULL
      JOIN contact_standards s ON s.risk_tier = p.risk_tier AND s.check_kind = k.kind
      WHERE p.status = 'active');

CREATE TEMP TABLE made AS
WITH RECURSIVE v(n, pid, did, kind, step, lat, lon, j, r, jd) AS (
    SELECT n, pid, did, kind, step, lat, lon, 0, r, first FROM person_kinds
    WHERE first <= julianday('@END@')
    UNION ALL
    SELECT n, pid, did, kind, step, lat, lon, j + 1, (r * 48271) % 2147483647,
           jd + max(1, step - ((r * 48271) % 2147483647) % 3)
    FROM v
    WHERE jd + max(1, step - 2) <= julianday('@END@')
)
SELECT printf('%024x%08x', v.n, v.j) AS id, v.pid, v.kind, v.did, v.lat, v.lon,
       datetime(v.jd, '+5 hours', '+' || (((v.r * 16807) % 2147483647) % 480) || ' minutes') AS at,
       CASE WHEN ((v.r * 69621) % 2147483647) % 10 = 0 THEN 'absent' ELSE 'present' END AS outcome,
       ((v.r * 630360016) % 2147483647) % 40 = 0 AS far,
       CASE WHEN ((v.r * 742938285) % 2147483647) % 30 = 0 THEN 'poor' ELSE 'good' END AS evidence
FROM v
WHERE v.jd <= julianday('@END@');

INSERT INTO plans (id, from_date, days, group_ids, status, seed, version, created_by, created_at, updated_at, published_at)
VALUES ('bench-plan', '@RECENT@', 14, '[]', 'published', 1, 1, NULL, '@RECENT@ 00:00:00', '@RECENT@ 00:00:00', '@RECENT@ 00:00:00');

INSERT INTO checks (id, plan_id, person_id, kind, address, lat, lon, district_id, due_date, allowed_days,
                    window_start_min, window_end_min, service_min, priority, status, mobile_group_id,
                    planned_date, position, planned_arrival_min, unplaced_reason, pinned, created_at, updated_at)
SELECT 'c' || m.id, 'bench-plan', m.pid, m.kind, '', m.lat, m.lon, m.did, date(m.at, '+5 hours'), '[]',
       600, 1080, 15, 0, CASE m.outcome WHEN 'present' THEN 'done' ELSE 'missed' END, g.gid,
       date(m.at, '+5 hours'),
       row_number() OVER (PARTITION BY g.gid, date(m.at, '+5 hours') ORDER BY m.at, m.id),
       NULL, NULL, 0, m.at, m.at
FROM made m JOIN group_of g ON g.did = m.did
WHERE m.at >= '@RECENT@';

INSERT INTO visits (id, check_id, person_id, kind, officer_id, mobile_group_id, outcome, violation_kind,
                    notes, device_at, server_at, lat, lon, accuracy_m, distance_m, far_from_address,
                    evidence, check_was_cancelled, ad_hoc, payload)
SELECT m.id, CASE WHEN m.at >= '@RECENT@' THEN 'c' || m.id END, m.pid, m.kind,
       coalesce(o.uid, (SELECT min(id) FROM users WHERE role = 'officer')), g.gid, m.outcome, NULL,
       NULL, m.at, m.at, m.lat, m.lon, 10.0, 20.0, m.far, m.evidence, 0, m.at < '@RECENT@', '{}'
FROM made m
JOIN group_of g ON g.did = m.did
LEFT JOIN officer_of o ON o.gid = g.gid;

INSERT INTO offences (id, offence_date, district_id, lat, lon, article, severity, offence_type, place, suspect_iin, created_at)
SELECT o.id || '-' || y.back, date(o.offence_date, '-' || y.back || ' years'), o.district_id, o.lat, o.lon,
       o.article, o.severity, o.offence_type, o.place, o.suspect_iin, o.created_at
FROM offences o, (SELECT 1 AS back UNION ALL SELECT 2 UNION ALL SELECT 3) y
WHERE o.offence_date < '2025-01-01';

ANALYZE;
SELECT 'visits', count(*) FROM visits;
SELECT 'checks', count(*) FROM checks;
SELECT 'offences', count(*) FROM offences;
