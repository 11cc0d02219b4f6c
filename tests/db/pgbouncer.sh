# Behind PgBouncer in session pooling, as large deployments run it: the
# console connects, changes a signal, and still hears other consoles'
# changes (LISTEN needs a session of its own; transaction pooling would
# break it, see the README).
. tests/lib.sh
fresh_db
command -v pgbouncer > /dev/null || { fail "pgbouncer is not installed (apt-get install pgbouncer)"; exit 0; }
bouncer_start

ID=$(sql "SELECT id FROM signals WHERE reg_no = 'СО26-КЦ-000109'")
steps <<KEYS
7
jjjjjjjjj
s
1
:run PGHOST=127.0.0.1 PGPORT=$PORT psql -X -q -c "SELECT signaldesk.change_status($ID, 2, 'in_progress', NULL, false)" > /dev/null
:wait-notify
:dump after
KEYS
PGHOST=127.0.0.1 PGPORT=$PORT run_console
check "console works through pgbouncer" test "$rc" = 0
check "its change went through" test "$(sql "SELECT count(*) FROM signal_events WHERE signal_id = $ID AND actor = current_user AND new_value = 'registered'")" = 1
check "it heard the other console's change" grep -q "СО26-КЦ-000109 .* в работа" "$T/after"
kill "$(cat "$B/pgbouncer.pid")" 2>/dev/null
