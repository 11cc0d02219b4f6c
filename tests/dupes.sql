-- Signals for the duplicate tests, loaded over the fixture in a test's own
-- database: one street light reported several ways, with near misses, and a
-- group of uncollected bins.  Fixed times; registration numbers after the
-- fixture's.
SET search_path = signaldesk, public;

CREATE TEMP TABLE dx (n int, reg text, cat text, district text, created timestamptz, lon float8, lat float8,
                      address text, description text, status text, closed timestamptz, priority int,
                      reporter text, phone text);
INSERT INTO dx VALUES
 -- the street light in front of бул. „Черни връх“ 45 and its re-reports
 (1, 'СО26-КЦ-000160', 'Не свети лампа', 'Лозенец', '2026-11-20 11:50+02', 23.3140, 42.6712,
  'бул. „Черни връх“ 45', 'Не свети лампата пред входа на блока от три дни.', 'new', NULL, 1,
  'Мария Петрова', '0888 123 456'),
 (2, 'СО26-КЦ-000161', 'Не свети лампа', 'Лозенец', '2026-11-20 11:20+02', 23.3144, 42.6713,
  'бул. „Черни връх“ 47', 'Лампата пред входа не свети, тъмно е вечер.', 'new', NULL, 2,
  'Георги Стоянов', '0899 555 111'),
 (3, 'СО26-КЦ-000162', 'Свети през деня', 'Лозенец', '2026-11-20 10:45+02', 23.3153, 42.6714,
  'бул. „Черни връх“ 51', 'Уличната лампа пред блока свети и през деня.', 'registered', NULL, 1,
  'Мария Петрова', '+359 888 123 456'),
 -- near misses: far away; another kind of problem at the same spot; closed long ago
 (4, 'СО26-КЦ-000163', 'Не свети лампа', 'Лозенец', '2026-11-20 10:10+02', 23.3380, 42.6800,
  'ул. „Кричим“ 12', 'Не свети лампата на ъгъла.', 'new', NULL, 1, 'Иван Иванов', '0877 000 001'),
 (5, 'СО26-КЦ-000164', 'Дупка на пътното платно', 'Лозенец', '2026-11-20 10:30+02', 23.3140, 42.6712,
  'бул. „Черни връх“ 45', 'Дупка на платното пред входа.', 'new', NULL, 1, 'Петя Колева', '0877 000 002'),
 (6, 'СО26-КЦ-000165', 'Не свети лампа', 'Лозенец', '2026-09-01 09:00+03', 23.3141, 42.6712,
  'бул. „Черни връх“ 45', 'Не свети лампата пред входа.', 'closed', '2026-09-05 12:00+03', 1,
  'Мария Петрова', '0888 123 456'),
 -- closed five days ago: still a candidate
 (7, 'СО26-КЦ-000166', 'Не свети лампа', 'Лозенец', '2026-11-10 18:00+02', 23.3142, 42.6711,
  'бул. „Черни връх“ 45', 'Не свети уличната лампа пред входа.', 'closed', '2026-11-15 12:00+02', 1,
  'Стоян Стоянов', '0888 777 888'),
 -- no coordinates, the same address
 (8, 'СО26-КЦ-000167', 'Не свети лампа', 'Лозенец', '2026-11-20 11:00+02', NULL, NULL,
  'бул. „Черни връх“ 45', 'Пред блока не свети лампата.', 'new', NULL, 1, 'Анна Маринова', '0878 111 222'),
 -- uncollected bins in Люлин: three reports within a hundred metres
 (9, 'СО26-КЦ-000168', 'Неизвозени контейнери за смет', 'Люлин', '2026-11-20 08:10+02', 23.2470, 42.7150,
  'ж.к. Люлин 5, бл. 512', 'Контейнерите до блока не са извозвани от седмица.', 'new', NULL, 1,
  'Христо Христов', '0888 300 001'),
 (10, 'СО26-КЦ-000169', 'Неизвозени контейнери за смет', 'Люлин', '2026-11-20 08:40+02', 23.2474, 42.7152,
  'ж.к. Люлин 5, бл. 512, вх. Б', 'Контейнерите пред блока не са извозвани от десет дни.', 'new', NULL, 1,
  'Елена Христова', '0888 300 002'),
 (11, 'СО26-КЦ-000170', 'Неизвозени контейнери за смет', 'Люлин', '2026-11-20 08:55+02', 23.2478, 42.7149,
  'ж.к. Люлин 5, бл. 514', 'Контейнерите до блока не са извозвани, мирише.', 'new', NULL, 1,
  '', '');

INSERT INTO signals (reg_no, created_at, channel, category_id, district_id, address, location, description,
                     status, unit_id, priority, due_at, version, updated_at, closed_at)
SELECT dx.reg, dx.created, 'phone', c.id, d.id, dx.address,
       CASE WHEN dx.lon IS NOT NULL THEN point(dx.lon, dx.lat) END, dx.description, dx.status,
       route_unit(c.id, d.id), dx.priority, due_at(c.id, dx.created), 1, dx.created, dx.closed
  FROM dx JOIN categories c ON c.name = dx.cat AND c.parent_id IS NOT NULL
  JOIN districts d ON d.name = dx.district
 ORDER BY dx.n;

INSERT INTO signal_events (signal_id, at, actor, kind, new_value)
SELECT s.id, s.created_at, 'ivanova', 'created', 'phone' FROM signals s JOIN dx ON dx.reg = s.reg_no;

INSERT INTO reporters (signal_id, name, phone, wants_updates)
SELECT s.id, dx.reporter, dx.phone, dx.phone <> '' FROM signals s JOIN dx ON dx.reg = s.reg_no ORDER BY dx.n;

INSERT INTO reg_counters (year, last) VALUES (2026, 170) ON CONFLICT (year) DO UPDATE SET last = 170;
ANALYZE;
