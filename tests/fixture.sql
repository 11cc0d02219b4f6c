-- A small, fully deterministic data set for the screen and database tests:
-- fixed timestamps (no now(), no random()), Cyrillic throughout.
-- Loaded after `signaldesk db init` (so the Sofia reference data is there).
SET search_path = signaldesk, public;

INSERT INTO operators (login, name, unit_id, level) VALUES
    (current_user, 'Тестов Оператор', (SELECT id FROM units WHERE name = 'Район „Лозенец“'), 'supervisor'),
    ('ivanova', 'Мария Иванова', (SELECT id FROM units WHERE name = 'Район „Лозенец“'), 'operator'),
    ('petrov', 'Петър Петров', (SELECT id FROM units WHERE name = 'Столичен инспекторат'), 'operator')
ON CONFLICT (login) DO NOTHING;

CREATE TEMP TABLE fx_text (n int, description text, address text);
INSERT INTO fx_text VALUES
    (0, 'Не свети лампата пред входа от три дни.', 'ул. „Черни връх“ 45'),
    (1, 'Дупка на платното, колите я заобикалят в насрещното.', 'бул. „Витоша“ 112'),
    (2, 'Контейнерите не са извозвани от седмица, мирише ужасно.', 'ж.к. Люлин, бл. 312'),
    (3, E'Изоставен автомобил без номера от месеци.\nЗаема две места за паркиране.', 'ул. „Шипка“ 6'),
    (4, 'Строителен шум след 22 часа всяка вечер.', 'ул. „Бяла черква“ 12'),
    (5, 'Паднал клон препречва тротоара.', 'бул. „Цар Борис III“ 90'),
    (6, 'Спукана водопроводна тръба, тече вода по улицата.', 'ул. „Оборище“ 18'),
    (7, 'Счупена пейка в градинката.', 'ж.к. Младост 1, до бл. 23');

CREATE TEMP TABLE fx_leaf AS
    SELECT row_number() OVER (ORDER BY id) - 1 AS n, id
      FROM categories WHERE parent_id IS NOT NULL;
CREATE TEMP TABLE fx_district AS
    SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM districts;

INSERT INTO signals (reg_no, kind, created_at, channel, category_id, district_id, address, location,
                     description, status, unit_id, assignee, priority, due_at, version, updated_at)
SELECT 'СО26-КЦ-' || lpad((100 + i)::text, 6, '0'),
       'problem',
       timestamptz '2026-11-20 09:00:00+02' - i * interval '7 hours 13 minutes',
       (ARRAY['phone', 'web', 'app', 'email', 'phone', 'walkin'])[1 + i % 6],
       (SELECT id FROM fx_leaf WHERE n = (i * 7) % (SELECT count(*) FROM fx_leaf)),
       (SELECT id FROM fx_district WHERE n = (i * 5) % 24),
       t.address,
       point(23.30 + (i % 10) * 0.005, 42.65 + (i % 7) * 0.006),
       t.description,
       (ARRAY['new', 'new', 'registered', 'assigned', 'in_progress', 'waiting', 'resolved', 'closed',
              'rejected', 'new'])[1 + i % 10],
       (SELECT id FROM units WHERE name = CASE WHEN i % 3 = 0 THEN 'Район „Лозенец“' ELSE 'Столичен инспекторат' END),
       CASE WHEN i % 10 IN (3, 4, 5) THEN (ARRAY[current_user::text, 'ivanova', 'petrov'])[1 + i % 3] END,
       CASE WHEN i % 11 = 0 THEN 3 WHEN i % 5 = 0 THEN 2 ELSE 1 END,
       CASE WHEN i % 4 = 0 THEN timestamptz '2025-01-10 12:00:00+02' ELSE timestamptz '2031-01-01 12:00:00+02' END,
       1, timestamptz '2026-11-20 09:00:00+02' - i * interval '7 hours 13 minutes'
  FROM generate_series(0, 59) AS i
  JOIN fx_text t ON t.n = i % 8;

INSERT INTO signal_events (signal_id, at, actor, kind, new_value)
SELECT id, created_at, 'ivanova', 'created', channel FROM signals;

INSERT INTO signal_events (signal_id, at, actor, kind, old_value, new_value, comment, public)
SELECT id, created_at + interval '20 minutes', 'ivanova', 'status', 'new', status,
       CASE WHEN status IN ('resolved', 'rejected') THEN 'Отговор към гражданина: сигналът е обработен.' END,
       status IN ('resolved', 'rejected')
  FROM signals WHERE status <> 'new';

INSERT INTO reporters (signal_id, name, phone, email, wants_updates)
SELECT id, (ARRAY['Мария Петрова', 'Георги Стоянов', '', 'Елена Николова'])[1 + id % 4],
       '0888 ' || lpad((id * 7919 % 1000000)::text, 6, '0'),
       CASE WHEN id % 2 = 0 THEN 'user' || id || '@example.bg' ELSE '' END,
       id % 3 = 0
  FROM signals;

SELECT setval(pg_get_serial_sequence('signaldesk.signals', 'id'), (SELECT max(id) FROM signals));
INSERT INTO reg_counters (year, last) VALUES (2026, 159) ON CONFLICT (year) DO UPDATE SET last = 159;
ANALYZE;
