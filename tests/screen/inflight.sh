# A change the connection drops under: the console cannot know at that
# moment whether the server made it.  Once connected again it asks the
# history and says which: not saved (the server stopped it with the
# connection), or saved (the server made it, the answer was lost on the
# way: here PgBouncer is killed after the server answered it).
. tests/lib.sh
fresh_db
REG="СО26-КЦ-000100"
REG2="СО26-КЦ-000101"
# another session holds a row until it is told to let go
cat > "$T/lock.sh" <<'EOF2'
psql -X -q -c "BEGIN; SELECT 1 FROM signaldesk.signals WHERE reg_no = '$1' FOR UPDATE; SELECT pg_sleep(120);" >/dev/null 2>&1 &
i=0
until [ "$(psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'
          AND query LIKE '%FOR UPDATE; SELECT pg_sleep(120)%' AND datname = current_database()")" = 1 ]; do
    i=$((i + 1)); [ $i -gt 600 ] && exit 1; sleep 0.05
done
EOF2
cat > "$T/unlock.sh" <<'EOF2'
psql -X -q -At -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE query LIKE '%FOR UPDATE; SELECT pg_sleep(120)%' AND pid <> pg_backend_pid()" >/dev/null
EOF2
# waits until the console's statement waits for the lock
cat > "$T/until_waiting.sh" <<'EOF2'
i=0
until [ "$(psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'signaldesk'
          AND datname = current_database() AND wait_event_type = 'Lock'")" = 1 ]; do
    i=$((i + 1)); [ $i -gt 600 ] && exit 1; sleep 0.05
done
EOF2
# the connection dies while the change waits: the server never makes it
cat > "$T/kill_waiting.sh" <<EOF2
sh "$T/until_waiting.sh" || exit 1
psql -X -q -At -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'signaldesk'
                    AND datname = current_database()" >/dev/null
sh "$T/unlock.sh"
EOF2
state() { sql "SELECT status || ' ' || version FROM signals WHERE reg_no = '$1'"; }
events() { sql "SELECT count(*) FROM signal_events e JOIN signals s ON s.id = e.signal_id WHERE s.reg_no = '$1'"; }
before=$(state $REG)
events_before=$(events $REG)

steps <<KEYS
:run sh "$T/lock.sh" $REG
<F5>
:run sh "$T/kill_waiting.sh" &
<Enter>
:dump lost
j
:dump not_saved
KEYS
run_console
sh "$T/unlock.sh"
check "exit code 0" test "$rc" = 0
check "the connection was lost in the middle of the change" grep -q "Връзката с базата данни прекъсна" "$T/lost"
check "the signal is as it was" test "$(state $REG)" = "$before"
check "no event" test "$(events $REG)" = "$events_before"
check "once back, the console says the change was not saved" \
    grep -q "промяната НЕ е записана" "$T/not_saved"

# The answer lost on the way: through PgBouncer, stopped while the change
# waits; the server makes the change and answers into the stopped bouncer,
# which is then killed and started again.
command -v pgbouncer > /dev/null || { fail "pgbouncer is not installed (apt-get install pgbouncer)"; exit 0; }
bouncer_start
cat > "$T/lose_answer.sh" <<EOF2
sh "$T/until_waiting.sh" || exit 1
kill -STOP \$(cat "$B/pgbouncer.pid")
sh "$T/unlock.sh"
# the server has made the change once the console's session is idle again
i=0
until [ "\$(psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'signaldesk'
          AND datname = current_database() AND state = 'idle'")" = 1 ]; do
    i=\$((i + 1)); [ \$i -gt 600 ] && exit 1; sleep 0.05
done
kill -KILL \$(cat "$B/pgbouncer.pid")
sh "$B/start.sh"
touch "$T/bouncer_back"
EOF2
# the helpers talk to the server itself, not through the bouncer
DIRECT="PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-5432}"
before2=$(state $REG2)
steps <<KEYS
j
:run env $DIRECT sh "$T/lock.sh" $REG2
<F5>
:run env $DIRECT sh "$T/lose_answer.sh" &
<Enter>
:dump lost2
:run i=0; until [ -e "$T/bouncer_back" ] || [ \$i -gt 600 ]; do i=\$((i + 1)); sleep 0.05; done
k
:dump saved
KEYS
PGHOST=127.0.0.1 PGPORT=$PORT run_console
sh "$T/unlock.sh"
check "exit code 0 (through pgbouncer)" test "$rc" = 0
check "the answer was lost on the way" grep -q "Връзката с базата данни прекъсна" "$T/lost2"
check "the server made the change, once" test "$(state $REG2)" = "registered $(( ${before2#new } + 1 ))"
check "once back, the console says the change was saved, and which" \
    grep -q "промяната е записана ($REG2)" "$T/saved"


# The server's side stops answering (PgBouncer stopped) while a change
# waits, so a Ctrl-C's cancel request cannot get through either.  The
# console does not hang on it: a second Ctrl-C gives the connection up (and
# once connected again it tells of the change like any other the connection
# dropped under), and SIGTERM ends it within two seconds.
REG3="СО26-КЦ-000109"
PORTHEX=$(printf '%04X' "$PORT")
# waiting.sh N: until N connections wait for the stopped bouncer to accept
# them (the length of its listening socket's queue)
cat > "$T/waiting.sh" <<EOF2
i=0
while :; do
    q=\$(awk 'NR > 1 && \$2 ~ /:$PORTHEX\$/ && \$4 == "0A" { split(\$5, x, ":"); print x[2] }' /proc/net/tcp)
    [ "\$((0x\${q:-0}))" -ge "\$1" ] && exit 0
    i=\$((i + 1)); [ \$i -gt 600 ] && exit 1; sleep 0.05
done
EOF2
# the console's statement no longer waits for the lock (the cancel got through)
cat > "$T/until_not_waiting.sh" <<EOF2
i=0
until [ "\$(psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'signaldesk'
          AND datname = current_database() AND wait_event_type = 'Lock'")" = 0 ]; do
    i=\$((i + 1)); [ \$i -gt 600 ] && exit 1; sleep 0.05
done
EOF2
cat > "$T/freeze_twice.sh" <<EOF2
sh "$T/until_waiting.sh" || exit 1
kill -STOP \$(cat "$B/pgbouncer.pid")
kill -INT \$(cat "$T/console.pid")
# the cancel request waits for the bouncer: again
sh "$T/waiting.sh" 1 || exit 1
kill -INT \$(cat "$T/console.pid")
# given up, and a new connection tried: let the bouncer go on
sh "$T/waiting.sh" 2 || exit 1
kill -CONT \$(cat "$B/pgbouncer.pid")
EOF2
before3=$(state $REG3)
events_before3=$(events $REG3)
steps <<KEYS
:run echo \$PPID > "$T/console.pid"
j
:run env $DIRECT sh "$T/lock.sh" $REG3
<F5>
:run env $DIRECT sh "$T/freeze_twice.sh" &
<Enter>
:dump given_up
k
:dump told
KEYS
PGHOST=127.0.0.1 PGPORT=$PORT run_console
env $DIRECT sh "$T/unlock.sh"
check "exit code 0 (Ctrl-C twice)" test "$rc" = 0
check "the second Ctrl-C gave the connection up" grep -q "Връзката с базата данни прекъсна" "$T/given_up"
check "once back, the console says the change was not saved" grep -q "промяната НЕ е записана" "$T/told"
check "and it was not" test "$(state $REG3)" = "$before3"
check "no event" test "$(events $REG3)" = "$events_before3"

cat > "$T/freeze_term.sh" <<EOF2
sh "$T/until_waiting.sh" || exit 1
kill -STOP \$(cat "$B/pgbouncer.pid")
kill -INT \$(cat "$T/console.pid")
sh "$T/waiting.sh" 1 || exit 1
kill -TERM \$(cat "$T/console.pid")
EOF2
steps <<KEYS
:run echo \$PPID > "$T/console.pid"
j
:run env $DIRECT sh "$T/lock.sh" $REG3
<F5>
:run env $DIRECT sh "$T/freeze_term.sh" &
<Enter>
:dump not_reached
KEYS
start=$(date +%s)
PGHOST=127.0.0.1 PGPORT=$PORT SIGNALDESK_SCRIPT_TIMEOUT=60 run_console
took=$(( $(date +%s) - start ))
kill -CONT "$(cat "$B/pgbouncer.pid")"
check "SIGTERM with the cancel stuck: ends by the signal (143), not by the script's time limit" test "$rc" = 143
check "within seconds (took ${took} s)" test "$took" -le 10
# the bouncer, going on, passes the cancel: the change never happens
env $DIRECT sh "$T/until_not_waiting.sh"
env $DIRECT sh "$T/unlock.sh"
check "the change was not made" test "$(state $REG3)" = "$before3"
