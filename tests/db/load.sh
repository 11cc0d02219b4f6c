# The load tool (tests/bin/load) in short: ten operators working the
# fixture for a few seconds through the domain code, then its invariants
# checked against the database; the same with damage planted after the run,
# which every check must catch; and the same through PgBouncer in session
# pooling, as large deployments run the console.
. tests/lib.sh
fresh_db
LOAD="$TOP/tests/bin/load"
[ -x "$LOAD" ] || { fail "tests/bin/load is not built (make tests/bin/load)"; exit 0; }

# shows the run's report when a check about it failed
check_run() { # check_run NAME LOG COMMAND...
    _name=$1 _log=$2; shift 2
    if "$@" > "$T/check.log" 2>&1; then ok "$_name"; else fail "$_name"; sed 's/^/    /' "$_log" | head -40; fi
}
conflicts() { # the conflicts of a run's report, all actions together
    awk '$1 == "load:" && $3 ~ /^[0-9]+$/ { n += $5 } END { print n + 0 }' "$1"
}

rc=0
"$LOAD" --operators 10 --seconds 8 --seed 1 > "$T/run.log" 2>&1 || rc=$?
check_run "ten operators for 8 s: every invariant holds" "$T/run.log" \
    sh -c "[ $rc = 0 ] && grep -q '^load: all 7 invariants hold' '$T/run.log'"
check_run "it reports actions per second and percentiles per action" "$T/run.log" \
    sh -c "grep -q 'actions/s' '$T/run.log' && grep -Eq '^load: status +[0-9]+ .* [0-9.]+ +[0-9.]+ +[0-9.]+\$' '$T/run.log'"
check_run "operators met conflicts, counted as such" "$T/run.log" test "$(conflicts "$T/run.log")" -gt 0
check "every operator acted as their own role" test \
    "$(sql "SELECT count(DISTINCT actor) FROM signal_events WHERE actor LIKE 'load__'")" = 10

# Damage planted after a run: a signal taken by a second operator, a change
# without its event, a change from the same version over another one, a
# registration number lost.  Each has its own check that must fail.
rc=0
"$LOAD" --operators 4 --seconds 3 --think 100 --seed 2 \
    --plant take-twice,missing-event,lost-update,reg-gap > "$T/plant.log" 2>&1 || rc=$?
check_run "planted damage: the run fails" "$T/plant.log" test "$rc" = 1
for inv in taken_once one_event_per_change no_lost_update reg_no_unique_gapless; do
    check_run "planted damage: $inv catches it" "$T/plant.log" grep -q "^invariant $inv: FAILED" "$T/plant.log"
done

# Through PgBouncer, session pooling: every operator and the checks connect
# to the pooler, which knows their passwords.
if command -v pgbouncer > /dev/null; then
    for i in 01 02 03 04 05 06 07 08 09 10; do printf '"pool%s" "pw-pool%s"\n' $i $i; done > "$T/pool_users"
    bouncer_start 40 2 "$T/pool_users"
    rc=0
    PGHOST=127.0.0.1 PGPORT=$PORT "$LOAD" --operators 10 --seconds 5 --seed 3 --prefix pool \
        > "$T/bouncer.log" 2>&1 || rc=$?
    check_run "through pgbouncer: every invariant holds" "$T/bouncer.log" \
        sh -c "[ $rc = 0 ] && grep -q '^load: all 7 invariants hold' '$T/bouncer.log'"
    check "through pgbouncer: the operators logged in there" \
        test "$(grep -c 'login attempt: db=[^ ]* user=pool[0-9]*' "$B/pgbouncer.log")" -ge 10
    kill "$(cat "$B/pgbouncer.pid")" 2>/dev/null
else
    fail "pgbouncer is not installed (apt-get install pgbouncer)"
fi
