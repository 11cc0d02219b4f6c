# Shared by the database, screen and tmux tests.  Each test is a shell script
# run inside the throwaway cluster by tests/run-cluster; it prints one line
# "ok NAME" or "FAIL NAME" per check.
set -u

TOP=$(pwd)
BIN="$TOP/src/signaldesk"
TEST=$(basename "$0" .sh)
T="$TOP/tests/out/$TEST"
rm -rf "$T"
mkdir -p "$T/config"

# A person's environment, pinned so screens compare exactly.
export TERM=xterm LINES=24 COLUMNS=80 TZ=Europe/Sofia HOME="$T"
export LC_ALL= LANGUAGE=
CONSOLE_LANG=bg_BG.UTF-8    # the console's language; tools keep theirs
export XDG_CONFIG_HOME="$T/config" XDG_STATE_HOME="$T/state"
export SIGNALDESK_NOW="2026-11-20 12:00"
export SIGNALDESK_SCRIPT_TIMEOUT=${SD_SCRIPT_TIMEOUT:-30}    # the script watchdog (src/script.c)
unset NO_COLOR

# make check SAN=1: this test's sanitizer reports go to its own directory
# (tests/run fails on any of them); the last log_path given wins.
if [ -n "${ASAN_OPTIONS:-}" ]; then export ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$T/asan"; fi
if [ -n "${UBSAN_OPTIONS:-}" ]; then export UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$T/ubsan"; fi
# make valgrind: run_console runs the console under valgrind, one log per
# run in $T (tests/run fails on any error or definite or indirect leak).
WRAP=
if [ "${SD_VALGRIND:-}" = 1 ]; then
    WRAP="valgrind --child-silent-after-fork=yes --leak-check=full --show-leak-kinds=definite,indirect
          --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --track-origins=yes
          --num-callers=30 --suppressions=$TOP/tests/valgrind.supp --log-file=$T/valgrind.%p"
fi

ok() { echo "ok $TEST: $1"; }
fail() { echo "FAIL $TEST: $1"; }
check() { # check NAME COMMAND...: passes when the command succeeds
    name=$1; shift
    if "$@" >"$T/check.log" 2>&1; then ok "$name"; else fail "$name"; sed 's/^/    /' "$T/check.log" | head -20; fi
}

# A database of its own for this test, copied from the fixture template.
fresh_db() {
    export PGDATABASE="t_$(echo "$TEST" | tr -c 'a-z0-9_\n' '_')"
    dropdb --if-exists "$PGDATABASE"
    createdb -T sd_fixture "$PGDATABASE"
}

sql() { PGOPTIONS="-c search_path=signaldesk,public" psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

# PgBouncer in session pooling in front of this test's database, as large
# deployments run it: bouncer_start [MAX_CLIENTS [POOL_SIZE [USERS_FILE]]]
# writes $B (its settings, log and pid file), lets in $PGUSER and the
# '"user" "password"' lines of USERS_FILE, listens on 127.0.0.1:$PORT and
# starts it through $B/start.sh (to start it again from a helper script);
# checks it came up.  It will not run as root: the postgres account runs it
# then.  Whatever happens, none is left behind (a stopped one ignores TERM).
bouncer_start() {
    PORT=$((20000 + $$ % 10000))
    B="$T/bouncer"
    mkdir -p "$B"
    _run=""
    if [ "$(id -u)" = 0 ]; then _run="runuser -u postgres --"; chown postgres "$B"; fi
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
max_client_conn = ${1:-20}
default_pool_size = ${2:-5}
logfile = $B/pgbouncer.log
pidfile = $B/pgbouncer.pid
ignore_startup_parameters = extra_float_digits,options
INI
    printf '"%s" "%s"\n' "$PGUSER" "$PGPASSWORD" > "$B/users.txt"
    [ -n "${3:-}" ] && cat "$3" >> "$B/users.txt"
    [ -n "$_run" ] && chown postgres "$B"/*
    # it takes connections once its pid file is written
    cat > "$B/start.sh" <<SH
rm -f "$B/pgbouncer.pid"
$_run pgbouncer -d "$B/pgbouncer.ini" > "$B/start.log" 2>&1
i=0
while [ ! -s "$B/pgbouncer.pid" ] && [ \$i -lt 100 ]; do i=\$((i + 1)); sleep 0.05; done
SH
    sh "$B/start.sh"
    trap 'kill -KILL $(cat "$B/pgbouncer.pid" 2>/dev/null) 2>/dev/null' EXIT
    check "pgbouncer started" test -s "$B/pgbouncer.pid"
}

# steps: the keys and commands, one per line (see include/script.h).
steps() { cat > "$T/steps"; }

# run_console [ARGS...]: runs the console on the steps; exit code in $rc.
run_console() {
    rc=0
    (cd "$T" && LANG=$CONSOLE_LANG SIGNALDESK_SCRIPT="$T/steps" exec $WRAP "$BIN" "$@") >"$T/stdout" 2>"$T/stderr" || rc=$?
}

# Times written during the test are "now": the same text whatever the day.
mask_times() { sed -E 's/[0-9]{2}\.[0-9]{2}(\.[0-9]{4}| [0-9]{2}:[0-9]{2})/dd.mm hh:mm/g'; }

# expect NAME: compares the dump $T/NAME with the expected text on stdin.
# With --mask-times, times of day written during the test are masked.
expect() {
    mask=cat
    if [ "$1" = --mask-times ]; then mask=mask_times; shift; fi
    cat > "$T/$1.expected"
    if [ ! -f "$T/$1" ]; then
        fail "$1 (no screen was dumped; stderr: $(head -c 300 "$T/stderr" 2>/dev/null))"
        return
    fi
    $mask < "$T/$1" > "$T/$1.got"
    if diff -u "$T/$1.expected" "$T/$1.got" > "$T/$1.diff"; then
        ok "$1"
    else
        fail "$1"
        sed 's/^/    /' "$T/$1.diff" | head -60
    fi
}

# Signals made during a test carry the real time, not the pinned one:
# mask_now NAME... hides, in those dumps, the dates, times and day counts
# that follow from it (run before expect, without --mask-times).
mask_now() {
    for f in "$@"; do
        [ -f "$T/$f" ] || continue
        sed -i -E -e 's/[0-9]{2}\.[0-9]{2}\.[0-9]{4}( [0-9]{2}:[0-9]{2})?/dd.mm.yyyy/g' \
                  -e 's/[0-9]{2}\.[0-9]{2} [0-9]{2}:[0-9]{2}/dd.mm hh:mm/g' \
                  -e 's/\((след|просрочен с) [0-9]+ (дни|ден)\)/(\1 N дни)/g' "$T/$f"
    done
}

# person LOGIN LEVEL [UNIT]: a person of that level (operator, supervisor,
# admin) in that unit, who logs in with the password "pw-LOGIN".  Roles
# belong to the cluster: made by the first test, taken over by the next.
person() {
    sql "SELECT create_operator('$1', 'Тест ' || '$1',
         (SELECT id FROM units WHERE name = '${3:-Район „Лозенец“}'), '$2', 'pw-$1')" > /dev/null
}

# as LOGIN COMMAND...: runs the command logged in as that person.  $OWNER
# runs what follows as the owner who ran db init (e.g. in :run).
OWNER="PGUSER=$PGUSER PGPASSWORD=$PGPASSWORD"
as() {
    _user=$PGUSER _password=$PGPASSWORD
    PGUSER=$1 PGPASSWORD=pw-$1
    export PGUSER PGPASSWORD
    shift
    _rc=0
    "$@" || _rc=$?
    PGUSER=$_user PGPASSWORD=$_password
    return $_rc
}
