# Ctrl-C cancels a statement that waits (here a status change blocked by a
# row another session holds), never the console: the server stops it, the
# signal is as it was, the status line says so, and the console works on.
# The statement_timeout of the INI stops such a wait by itself, and says so.
. tests/lib.sh
fresh_db
REG="СО26-КЦ-000100"
# another session holds the row until it is told to let go
cat > "$T/lock.sh" <<EOF2
psql -X -q -c "BEGIN; SELECT 1 FROM signaldesk.signals WHERE reg_no = '$REG' FOR UPDATE; SELECT pg_sleep(120);" >/dev/null 2>&1 &
i=0
until [ "\$(psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'
          AND query LIKE '%FOR UPDATE; SELECT pg_sleep(120)%' AND datname = current_database()")" = 1 ]; do
    i=\$((i + 1)); [ \$i -gt 600 ] && exit 1; sleep 0.05
done
EOF2
cat > "$T/unlock.sh" <<'EOF2'
psql -X -q -At -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE query LIKE '%FOR UPDATE; SELECT pg_sleep(120)%' AND pid <> pg_backend_pid()" >/dev/null
EOF2
# $1: the console; a Ctrl-C (SIGINT) once its statement waits for the lock
cat > "$T/interrupt.sh" <<'EOF2'
i=0
until [ "$(psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'signaldesk'
          AND datname = current_database() AND wait_event_type = 'Lock'")" = 1 ]; do
    i=$((i + 1)); [ $i -gt 600 ] && exit 1; sleep 0.05
done
kill -INT "$1"
EOF2
waiting() { # how many statements of the console wait on a lock
    sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'signaldesk'
         AND datname = current_database() AND wait_event_type = 'Lock'"
}
events() { sql "SELECT count(*) FROM signal_events e JOIN signals s ON s.id = e.signal_id WHERE s.reg_no = '$REG'"; }
before=$(sql "SELECT status || ' ' || version FROM signals WHERE reg_no = '$REG'")
events_before=$(events)

steps <<KEYS
:run sh "$T/lock.sh"
<F5>
:run sh "$T/interrupt.sh" \$PPID &
<Enter>
:dump cancelled
:run sh "$T/unlock.sh"
<C-c>
:dump idle
/дупка<C-c>
:dump prompt
<F5>
<Enter>
:dump changed
q
KEYS
run_console
sh "$T/unlock.sh"
check "exit code 0: Ctrl-C never ends the console" test "$rc" = 0
check "a waiting status change is cancelled, and says so" grep -q "Прекъснато: нищо не е променено." "$T/cancelled"
check "the cancel reached the server: nothing waits there" test "$(waiting)" = 0
after=$(sql "SELECT status || ' ' || version FROM signals WHERE reg_no = '$REG'")
check "the change was made afterwards, once" test "$after" = "registered $(( ${before#new } + 1 ))"
check "one event: the change made, none of the cancelled one" test "$(events)" = "$((events_before + 1))"

expect cancelled <<'SCREEN'
│Нови 18│Мои 6│Моят отдел 14│Просрочени 9│Чакат 6│Промени 3│Всички 60│ postgres
  Рег. №         ▲Възраст Статус       Категория    Район        Описание
▶!СО26-КЦ-000100  3 ч     нов          Замърсена у… Средец       Не свети лампа…
  СО26-КЦ-000101  10 ч    нов          Повредена н… Подуяне      Дупка на платн…
  СО26-КЦ-000109  2 д     нов          Мъртво живо… Кремиковци   Дупка на платн…
 !СО26-КЦ-000110  3 д     нов          Нерегламент… Възраждане   Контейнерите н…
 !СО26-КЦ-000111  3 д     нов          Липсващ или… Изгрев       Изоставен авто…
  СО26-КЦ-000119  5 д     нов          Плъхове и х… Банкя        Изоставен авто…
 !СО26-КЦ-000120  6 д     нов          Строителни … Сердика      Строителен шум…
  СО26-КЦ-000121  6 д     нов          Необходим р… Триадица     Паднал клон пр…
  СО26-КЦ-000129  8 д     нов          Въпрос за с… Красно село  Паднал клон пр…
 !СО26-КЦ-000130  9 д     нов          Неизметени … Слатина      Спукана водопр…
  СО26-КЦ-000131  9 д     нов          Повреден бо… Илинден      Счупена пейка …
  СО26-КЦ-000139  11 д    нов          Въпрос за м… Оборище      Счупена пейка …
 !СО26-КЦ-000140  12 д    нов          Графити и н… Лозенец      Не свети лампа…
  СО26-КЦ-000141  12 д    нов          Снегопочист… Искър        Дупка на платн…
  СО26-КЦ-000149  14 д    нов          Въпрос за р… Подуяне      Дупка на платн…
 !СО26-КЦ-000150  15 д    нов          Замърсяване… Красна поля… Контейнерите н…
  СО26-КЦ-000151  15 д    нов          Изоставен а… Студентски   Изоставен авто…
  СО26-КЦ-000159  17 д    нов          Предложение… Изгрев       Изоставен авто…


Прекъснато: нищо не е променено.                                1/18   ● връзка
1Помощ  2Нов    3Търси  4Поеми  5Статус 6Насочи 7Дубли  8Слей   9       10Изход
SCREEN
check "Ctrl-C with nothing running says how to quit" grep -q "Ctrl-C спира само бавна заявка; изход с F10." "$T/idle"
check "Ctrl-C leaves a prompt as Esc does" sh -c "grep -q ' status:new ' '$T/prompt' && ! grep -q 'дупка' '$T/prompt'"

# The INI's statement_timeout ends such a wait by itself.
cat > "$T/config/t.ini" <<'INI'
[database]
statement_timeout = 500
INI
# the first of the New queue now
REG="СО26-КЦ-000101"
before=$(sql "SELECT status || ' ' || version FROM signals WHERE reg_no = '$REG'")
sed -i "s/СО26-КЦ-000100/$REG/" "$T/lock.sh"
events_before=$(events)
steps <<KEYS
:run sh "$T/lock.sh"
<F5>
<Enter>
:dump timed_out
q
KEYS
run_console -c "$T/config/t.ini"
check "exit code 0 after a time-out" test "$rc" = 0
sh "$T/unlock.sh"
check "the time-out says so, with the limit" grep -q "Базата данни не отговори за 0.5 с; спряно, нищо не е променено." "$T/timed_out"
check "a timed-out change changed nothing" test "$(sql "SELECT status || ' ' || version FROM signals WHERE reg_no = '$REG'")" = "$before"
check "and wrote no event" test "$(events)" = "$events_before"

# A search waiting on the table (another session holds it whole): Ctrl-C
# stops it as a key press does, and the queue shows what it showed.
cat > "$T/lock_table.sh" <<'EOF2'
psql -X -q -c "BEGIN; LOCK TABLE signaldesk.signals IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120);" >/dev/null 2>&1 &
i=0
until [ "$(psql -X -At -c "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
          WHERE c.relname = 'signals' AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ]; do
    i=$((i + 1)); [ $i -gt 600 ] && exit 1; sleep 0.05
done
EOF2
cat > "$T/unlock_table.sh" <<'EOF2'
psql -X -q -At -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE query LIKE '%ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120)%' AND pid <> pg_backend_pid()" >/dev/null
EOF2
steps <<KEYS
:run sh "$T/lock_table.sh"
:run sh "$T/interrupt.sh" \$PPID &
/дупка
<Enter>
:dump search
:run sh "$T/unlock_table.sh"
q
KEYS
run_console
sh "$T/unlock_table.sh"
check "exit code 0 after a search stopped with Ctrl-C" test "$rc" = 0
check "Ctrl-C stops a search, and says so" grep -q "Търсенето е спряно." "$T/search"
check "and the server stopped it" test "$(waiting)" = 0
