# With report_conninfo the reports read from another database (a read
# replica) over a connection of their own; when it cannot be reached they
# say so and read from the main database.
. tests/lib.sh
fresh_db
REPLICA=t_reports_replica_other
dropdb --if-exists "$REPLICA"
createdb -T sd_fixture "$REPLICA"
(export PGDATABASE=$REPLICA; sql "
    INSERT INTO signals (reg_no, created_at, description, unit_id)
    SELECT 'РЕП-' || i, '2026-11-19 10:00+02', 'реплика', (SELECT id FROM units WHERE name = 'Район „Лозенец“')
      FROM generate_series(1, 3) i;
    INSERT INTO signal_events (signal_id, at, actor, kind, new_value)
    SELECT id, created_at, 'ivanova', 'created', 'phone' FROM signals WHERE reg_no LIKE 'РЕП-%';")
cat > "$T/config/replica.ini" <<INI
[database]
report_conninfo = dbname=$REPLICA
INI
cat > "$T/config/down.ini" <<'INI'
[database]
report_conninfo = host=/nonexistent dbname=nothing connect_timeout=2
INI
steps <<'KEYS'
S
:dump replica
KEYS
run_console -c "$T/config/replica.ini"
check "exit code 0" test "$rc" = 0
steps <<'KEYS'
S
:dump down
KEYS
run_console -c "$T/config/down.ini"
check "exit code 0 with the replica down" test "$rc" = 0
dropdb --if-exists "$REPLICA"

expect replica <<'SCREEN'
 Отчети │Натоварване│Поток│Възраст│Срокове│Времена│Райони│Застояли│    postgres
 Период 22.10.2026 – 20.11.2026 (30 дни)
  Отворени сигнали по отдели и оператори: начало, постъпили, излезли, край
 ── Отдели ────────────────────────────────────────────────────────────────────
  Отдел или оператор             Начало Постъпили   Излезли Затворени      Край
  Столичен инспекторат                0        40        12        12        28
  Район „Лозенец“                     0        23         6         6        17
  Общо                                0        63        18        18        45
 ── Оператори ─────────────────────────────────────────────────────────────────
  Отдел или оператор             Начало Постъпили   Излезли Затворени      Край
  Мария Иванова (ivanova)             0         6         0         0         6
  Петър Петров (petrov)               0         6         0         0         6
  Тестов Оператор (postgres)          0         6         0         0         6
  Общо                                0        18         0         0        18








 реплика: report workload --from 2026-10-22 --to 2026-11-20            ● връзка
1Помощ  2Нов    3Период 4Запиши 5       6Групи  7       8       9       10Изход
SCREEN

expect down <<'SCREEN'
 Отчети │Натоварване│Поток│Възраст│Срокове│Времена│Райони│Застояли│    postgres
 Период 22.10.2026 – 20.11.2026 (30 дни)
  Отворени сигнали по отдели и оператори: начало, постъпили, излезли, край
 ── Отдели ────────────────────────────────────────────────────────────────────
  Отдел или оператор             Начало Постъпили   Излезли Затворени      Край
  Столичен инспекторат                0        40        12        12        28
  Район „Лозенец“                     0        20         6         6        14
  Общо                                0        60        18        18        42
 ── Оператори ─────────────────────────────────────────────────────────────────
  Отдел или оператор             Начало Постъпили   Излезли Затворени      Край
  Мария Иванова (ivanova)             0         6         0         0         6
  Петър Петров (petrov)               0         6         0         0         6
  Тестов Оператор (postgres)          0         6         0         0         6
  Общо                                0        18         0         0        18








Базата за отчети не отговаря; четем от основната (connection to ser    ● връзка
1Помощ  2Нов    3Период 4Запиши 5       6Групи  7       8       9       10Изход
SCREEN
