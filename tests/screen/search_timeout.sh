# A search that cannot finish (another session holds the table) is stopped
# by the [search] timeout and says so; the console goes on working.
. tests/lib.sh
fresh_db
cat > "$T/config/t.ini" <<'INI'
[search]
timeout = 1000
INI
cat > "$T/lock.sh" <<EOF2
psql -X -q -c "BEGIN; LOCK TABLE signaldesk.signals IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120);" >/dev/null 2>&1 &
# until the lock is held
until [ "\$(psql -X -At -c "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
          WHERE c.relname = 'signals' AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ]; do sleep 0.05; done
EOF2
cat > "$T/unlock.sh" <<'EOF2'
psql -X -q -At -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()" >/dev/null
EOF2
steps <<KEYS
:run sh "$T/lock.sh"
/дупка
<Enter>
:dump timed_out
:run sh "$T/unlock.sh"
/<C-a><C-k>дупка status:new
<Enter>
:dump after
q
KEYS
run_console -c "$T/config/t.ini"
sh "$T/unlock.sh"
check "exit code 0" test "$rc" = 0
check "says the search took too long" grep -q "Търсенето отне твърде много време; стеснете го, напр. since:30d" "$T/timed_out"
check "the next search works" grep -q "СО26-КЦ-000101" "$T/after"

expect after <<'SCREEN'
‹│Моят отдел 14│Просрочени 9│Чакат 6│Промени 3│Всички 60│Търсене 4│    postgres
  Рег. №         ▲Възраст Статус       Категория    Район        Описание
▶ СО26-КЦ-000101  10 ч    нов          Повредена н… Подуяне      Дупка на платн…
  СО26-КЦ-000109  2 д     нов          Мъртво живо… Кремиковци   Дупка на платн…
  СО26-КЦ-000141  12 д    нов          Снегопочист… Искър        Дупка на платн…
  СО26-КЦ-000149  14 д    нов          Въпрос за р… Подуяне      Дупка на платн…
















 дупка status:new                                                1/4   ● връзка
1Помощ  2Нов    3Търси  4Поеми  5Статус 6Насочи 7Дубли  8Слей   9       10Изход
SCREEN
