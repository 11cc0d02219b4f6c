# The console ended from outside: SIGTERM (a shutdown), SIGHUP (kill -HUP,
# or the terminal itself going away as a dropped SSH session does).  The
# terminal is given back as it was, the process ends at once by the signal,
# a change waiting on the server is not left to happen later, and a call
# being typed in is kept on this machine (never half-saved in the database)
# until F2 brings it back.
. tests/lib.sh
fresh_db
command -v tmux >/dev/null || { fail "tmux is not installed"; exit 0; }
SOCK="sd_end_$$"
tm() { tmux -L "$SOCK" "$@"; }
poll() {
    i=0
    while [ $i -lt 300 ]; do "$@" && return 0; i=$((i + 1)); sleep 0.1; done
    return 1
}
shows() { tm capture-pane -p -t "$1" > "$T/pane" 2>/dev/null && grep -qF -- "$2" "$T/pane"; }
gone() { ! kill -0 "$1" 2>/dev/null; }
# start NAME [SHELL-PREFIX [TEXT]]: the console in a session of its own,
# until TEXT shows; when it ends, the pane's shell writes its exit status and
# the terminal's modes, and stays for a look at the pane
start() {
    rm -f "$T/$1.exit" "$T/$1.stty" "$T/$1.pid"
    tm new-session -d -s "$1" -x 80 -y 24 \
        "${2:-} sh -c 'echo \$\$ > \"$T/$1.pid\"; exec env LANG=$CONSOLE_LANG \"$BIN\"'; echo \"exit=\$?\" > '$T/$1.exit'; stty -a > '$T/$1.stty' 2>&1; ${4:-sleep 60}"
    poll shows "$1" "${3:-Рег. №}"
}
ended() { # NAME CODE: ended with that status, the terminal back in its usual modes
    poll test -s "$T/$1.exit" && grep -qx "exit=$2" "$T/$1.exit" &&
        grep -q " icanon " "$T/$1.stty" && grep -q " echo " "$T/$1.stty" && grep -q " icrnl " "$T/$1.stty" &&
        test "$(tm display -p -t "$1" '#{alternate_on}')" = 0
}
lock_held() {
    test "$(psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'
            AND query LIKE '%FOR UPDATE; SELECT pg_sleep(120)%'")" = 1
}
unlock() {
    psql -X -q -At -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                       WHERE query LIKE '%FOR UPDATE; SELECT pg_sleep(120)%' AND pid <> pg_backend_pid()" >/dev/null
}
consoles() { # connections of consoles to this database
    psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'signaldesk'
                    AND datname = current_database()"
}
no_console() { test "$(consoles)" = 0; }
waiting_on_lock() {
    test "$(psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'signaldesk'
            AND datname = current_database() AND wait_event_type = 'Lock'")" = 1
}
signals() { sql "SELECT count(*) || ' ' || sum(version) FROM signals"; }
drafts() { ls "$T/state/signaldesk/" 2>/dev/null | grep -c '^intake-draft-'; }

tm -f /dev/null start-server \; set -g exit-empty off
all_before=$(signals)

# SIGTERM at the queue
check "opens (SIGTERM)" start term
kill -TERM "$(cat "$T/term.pid")"
check "SIGTERM: ends by the signal (143), terminal modes and main screen back" ended term 143
check "SIGTERM: the connection is closed" poll no_console

# SIGTERM and Ctrl-C while the password is typed (no echo then)
check "asks for the password" start pw "env -u PGPASSWORD" "Парола:"
tm send-keys -t pw "half a pass"
kill -TERM "$(cat "$T/pw.pid")"
check "SIGTERM at the password: ends (143), the terminal echoes again" ended pw 143
# (the pane's shell ignores the interrupt, to live and tell)
check "asks for the password (Ctrl-C)" start pwc "trap '' INT; env -u PGPASSWORD" "Парола:"
tm send-keys -t pwc C-c
check "Ctrl-C at the password: ends (130), the terminal echoes again" ended pwc 130

# SIGTERM while a status change waits on a row another session holds
REG="СО26-КЦ-000100"
psql -X -q -c "BEGIN; SELECT 1 FROM signaldesk.signals WHERE reg_no = '$REG' FOR UPDATE; SELECT pg_sleep(120);" \
    >/dev/null 2>&1 &
poll lock_held
check "opens (SIGTERM while waiting)" start wait
tm send-keys -t wait F5
poll shows wait "Статус нов →"
tm send-keys -t wait Enter
check "the change waits on the server" poll waiting_on_lock
kill -TERM "$(cat "$T/wait.pid")"
check "SIGTERM while waiting: ends at once (143), terminal back" ended wait 143
check "without waiting for the lock" lock_held
check "and its change is not left to happen later" poll no_console
unlock
check "nothing was changed" test "$(signals)" = "$all_before"

# SIGHUP in the middle of a call: the form is kept, nothing is saved
check "opens (SIGHUP)" start hup
tm send-keys -t hup F2
poll shows hup "Нов сигнал"
tm send-keys -t hup "paten znak" Enter
poll shows hup "Повреден или липсващ пътен знак"
tm send-keys -t hup "ж.к. Младост 1, бл. 23" Tab "Паднал знак на кръстовището."
check "typing the call" poll shows hup "Паднал знак на кръстовището."
kill -HUP "$(cat "$T/hup.pid")"
check "SIGHUP: ends by the signal (129), terminal back" ended hup 129
check "SIGHUP: nothing half-saved in the database" test "$(signals)" = "$all_before"
check "SIGHUP: the form is kept, for its owner only" sh -c \
    "test \"\$(stat -c %a '$T'/state/signaldesk/intake-draft-*)\" = 600"

# started again: it says so, and F2 brings the call back to finish
check "started again, it says a call is kept" start again "" "Незаписан сигнал от миналия път е запазен: F2 го връща."
tm send-keys -t again F2
check "F2 brings the form back as it was" poll shows again "Паднал знак на кръстовището."
check "with the category and the address" sh -c "grep -q 'Повреден или липсващ пътен знак' '$T/pane' &&
                                                 grep -q 'ж.к. Младост 1, бл. 23' '$T/pane'"
check "and says so" grep -q "Незаписаният сигнал от миналия път е върнат: проверете и запишете." "$T/pane"
check "the kept copy is taken" test "$(drafts)" = 0
tm send-keys -t again F2
check "saves it" poll shows again "Записан като"
check "once, as typed" test "$(sql "SELECT count(*) FROM signals WHERE description = 'Паднал знак на кръстовището.'
                                    AND address = 'ж.к. Младост 1, бл. 23'")" = 1
tm send-keys -t again Escape Q
check "quits, exit code 0" ended again 0

# The terminal itself goes away (the SSH session drops): tmux closes the
# pane's terminal under it.  The pane's shell ignores the hang-up to tell.
check "opens (terminal gone)" start drop "trap '' HUP;" "Рег. №" true
tm send-keys -t drop F2
poll shows drop "Нов сигнал"
tm send-keys -t drop "paten znak" Enter
poll shows drop "Повреден или липсващ пътен знак"
tm send-keys -t drop "ул. „Шипка“ 66, вх. Г"
poll shows drop "ул. „Шипка“ 66, вх. Г"
pid=$(cat "$T/drop.pid")
tm kill-session -t drop
check "terminal gone: the console ends at once" poll gone "$pid"
check "terminal gone: as by SIGHUP (129)" sh -c "i=0; until [ -s '$T/drop.exit' ] || [ \$i -gt 100 ]; do i=\$((i + 1)); sleep 0.1; done; grep -qx 'exit=129' '$T/drop.exit'"
check "terminal gone: its connection is closed" poll no_console
check "terminal gone: the call typed is kept" test "$(drafts)" = 1
check "terminal gone: nothing half-saved" test "$(sql "SELECT count(*) FROM signals WHERE address = 'ул. „Шипка“ 66, вх. Г'")" = 0
tm kill-server 2>/dev/null || true
