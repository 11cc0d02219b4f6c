# Ctrl-C in a real terminal (cbreak mode: it comes as SIGINT): a status
# change waiting on a row another session holds says it is working, Ctrl-C
# cancels it on the server, the screen stays as it was with one sentence
# more, and the console works on.  With nothing running Ctrl-C ends nothing.
. tests/lib.sh
fresh_db
command -v tmux >/dev/null || { fail "tmux is not installed"; exit 0; }
SOCK="sd_ctrlc_$$"
REG="СО26-КЦ-000100"
tm() { tmux -L "$SOCK" "$@"; }
# poll: NAME COMMAND... until it succeeds (at most 30 s)
poll() {
    i=0
    while [ $i -lt 300 ]; do "$@" && return 0; i=$((i + 1)); sleep 0.1; done
    return 1
}
shows() { tm capture-pane -p -t sd > "$T/pane" 2>/dev/null && grep -qF -- "$1" "$T/pane"; }
wait_for() { poll shows "$1"; }
waiting_on_lock() {
    test "$(psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'signaldesk'
            AND datname = current_database() AND wait_event_type = 'Lock'")" = "$1"
}
row() { sql "SELECT status || ' ' || version FROM signals WHERE reg_no = '$REG'"; }
events() { sql "SELECT count(*) FROM signal_events e JOIN signals s ON s.id = e.signal_id WHERE s.reg_no = '$REG'"; }
lock_held() {
    test "$(psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'
            AND query LIKE '%FOR UPDATE; SELECT pg_sleep(120)%'")" = 1
}
unlock() {
    psql -X -q -At -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                       WHERE query LIKE '%FOR UPDATE; SELECT pg_sleep(120)%' AND pid <> pg_backend_pid()" >/dev/null
}

tm -f /dev/null new-session -d -s sd -x 80 -y 24 \
    "sh -c 'echo \$\$ > \"$T/pid\"; exec env LANG=$CONSOLE_LANG \"$BIN\"'; echo \"exit=\$?\" > '$T/exit'; sleep 30"
check "opens" wait_for "Рег. №"
cp "$T/pane" "$T/before"
before=$(row)
events_before=$(events)

psql -X -q -c "BEGIN; SELECT 1 FROM signaldesk.signals WHERE reg_no = '$REG' FOR UPDATE; SELECT pg_sleep(120);" \
    >/dev/null 2>&1 &
poll lock_held
tm send-keys -t sd F5
check "the status menu opens" wait_for "Статус нов →"
tm send-keys -t sd Enter
check "a slow change says it is working, and how to stop it" wait_for "Работя… Ctrl-C спира."
check "the change waits on the server" poll waiting_on_lock 1
tm send-keys -t sd C-c
check "Ctrl-C cancels it, and says so" wait_for "Прекъснато: нищо не е променено."
check "the server stopped it: nothing waits" poll waiting_on_lock 0
check "the console is still running" kill -0 "$(cat "$T/pid")"
check "the signal is as it was" test "$(row)" = "$before"
check "no event was written" test "$(events)" = "$events_before"
# the screen as before, with the sentence on the status line
head -21 "$T/pane" > "$T/after.rows"
head -21 "$T/before" > "$T/before.rows"
check "the screen is intact" cmp "$T/before.rows" "$T/after.rows"
check "the bar is intact" sh -c "tail -1 '$T/pane' | grep -q '5Статус 6Насочи'"

tm send-keys -t sd C-c
check "Ctrl-C with nothing running says how to quit" wait_for "Ctrl-C спира само бавна заявка; изход с F10."
check "and ends nothing" kill -0 "$(cat "$T/pid")"
tm send-keys -t sd / "дупка"
check "a prompt opens" wait_for "дупка"
tm send-keys -t sd C-c
check "Ctrl-C leaves the prompt" poll sh -c "! tmux -L '$SOCK' capture-pane -p -t sd | grep -q 'дупка'"

unlock
tm send-keys -t sd F5
wait_for "Статус нов →"
tm send-keys -t sd Enter
check "once the row is free the change goes through" wait_for "Статусът е сменен: нов → регистриран."
check "once" test "$(events)" = "$((events_before + 1))"
tm send-keys -t sd Q
poll test -s "$T/exit"
check "quits, exit code 0" grep -qx "exit=0" "$T/exit"
tm kill-server 2>/dev/null || true
unlock
