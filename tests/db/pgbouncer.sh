# Behind PgBouncer in session pooling, as large deployments run it: the
# console connects, changes a signal, and still hears other consoles'
# changes (LISTEN needs a session of its own; transaction pooling would
# break it, see the README).
. tests/lib.sh
fresh_db
command -v pgbouncer > /dev/null || { fail "pgbouncer is not installed (apt-get install pgbouncer)"; exit 0; }
PORT=$((20000 + $$ % 10000))
B="$T/bouncer"
mkdir -p "$B"
# PgBouncer will not run as root; the postgres account runs it then.
RUN=""
if [ "$(id -u)" = 0 ]; then RUN="runuser -u postgres --"; chown postgres "$B"; fi
cat > "$B/pgbouncer.ini" <<INI
[databases]
$PGDATABASE = host=${PGHOST:-localhost} port=${PGPORT:-5432} dbname=$PGDATABASE
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = plain
auth_file = $B/users.txt
pool_mode = session
max_client_conn = 20
default_pool_size = 5
logfile = $B/pgbouncer.log
pidfile = $B/pgbouncer.pid
ignore_startup_parameters = extra_float_digits,options
INI
printf '"%s" "%s"\n' "$PGUSER" "$PGPASSWORD" > "$B/users.txt"
[ -n "$RUN" ] && chown postgres "$B"/*
$RUN pgbouncer -d "$B/pgbouncer.ini" > "$B/start.log" 2>&1
# PgBouncer accepts connections once its pid file is written; poll for it
i=0
while [ ! -s "$B/pgbouncer.pid" ] && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
check "pgbouncer started" test -s "$B/pgbouncer.pid"

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
