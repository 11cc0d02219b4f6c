# In a real terminal a search that waits on the database does not freeze the
# screen: a key press stops it (the query is cancelled on the server).
. tests/lib.sh
fresh_db
command -v tmux >/dev/null || { fail "tmux is not installed"; exit 0; }
SOCK="sd_cancel_$$"
tm() { tmux -L "$SOCK" "$@"; }
wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        tm capture-pane -p -t sd > "$T/pane" 2>/dev/null
        grep -qF -- "$1" "$T/pane" && return 0
        i=$((i + 1))
        sleep 0.1
    done
    return 1
}
running() { # the console's search is running on the server
    test "$(psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'
                            AND query LIKE '%search_latin LIKE%' AND pid <> pg_backend_pid()")" = "$1"
}
wait_running() {
    i=0
    while [ $i -lt 100 ]; do running "$1" && return 0; i=$((i + 1)); sleep 0.1; done
    return 1
}

tm -f /dev/null new-session -d -s sd -x 80 -y 24 \
    "LANG=$CONSOLE_LANG $BIN; echo \"exit=\$?\" > '$T/exit'; sleep 30"
check "opens" wait_for "Рег. №"
psql -X -q -c "BEGIN; LOCK TABLE signaldesk.signals IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120);" >/dev/null 2>&1 &
until [ "$(psql -X -At -c "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
          WHERE c.relname = 'signals' AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ]; do sleep 0.05; done
tm send-keys -t sd / "дупка" Enter
check "shows that it is searching" wait_for "Търся…"
check "the search waits on the server" wait_running 1
tm send-keys -t sd j
check "a key stops the search" wait_for "Търсенето е спряно."
check "and cancels it on the server" wait_running 0
psql -X -q -At -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()" >/dev/null
tm send-keys -t sd 1
check "works on after it" wait_for "1/18"
tm send-keys -t sd Q
i=0
while [ ! -s "$T/exit" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
check "quits, exit code 0" grep -qx "exit=0" "$T/exit"
tm kill-server 2>/dev/null || true
