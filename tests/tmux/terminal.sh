# The real terminal path: the console in tmux, keys sent with send-keys,
# the screen read with capture-pane, windows resized with resize-window.
. tests/lib.sh
fresh_db
command -v tmux >/dev/null || { fail "tmux is not installed"; exit 0; }
SOCK="sd_test_$$"
tm() { tmux -L "$SOCK" "$@"; }

# wait_for_in SESSION TEXT: polls the pane until TEXT shows (at most 30 s);
# the condition, not a fixed delay, ends the wait.
wait_for_in() {
    i=0
    while [ $i -lt 300 ]; do
        tm capture-pane -p -t "$1" > "$T/pane" 2>/dev/null
        grep -qF -- "$2" "$T/pane" && return 0
        i=$((i + 1))
        sleep 0.1
    done
    return 1
}

wait_for() { wait_for_in sd "$1"; }

# wait_for_row N TEXT: like wait_for, for TEXT on row N.
wait_for_row() {
    i=0
    while [ $i -lt 300 ]; do
        tm capture-pane -p -t sd > "$T/pane" 2>/dev/null
        sed -n "$1p" "$T/pane" | grep -qF -- "$2" && return 0
        i=$((i + 1))
        sleep 0.1
    done
    return 1
}

tm -f /dev/null new-session -d -s sd -x 80 -y 24 \
    "LANG=$CONSOLE_LANG $BIN; echo \"exit=\$?\" > '$T/exit'; sleep 30"

check "opens at 80x24" wait_for "Рег. №"
check "shows the first signal" grep -qF "СО26-КЦ-000100" "$T/pane"
tm send-keys -t sd j j
check "the cursor moves down" wait_for "3/18"

tm resize-window -t sd -x 120 -y 40; tm display -p -t sd "#{window_width}x#{window_height}" > "$T/size1"
# the function-key bar moves to the new last row
check "redraws at 120x40" wait_for_row 40 "Изход"
check "keeps the cursor on its signal" grep -qF "3/18" "$T/pane"

tm resize-window -t sd -x 60 -y 20
check "says when the terminal is too small" wait_for "60x20"
tm resize-window -t sd -x 80 -y 24
check "recovers after growing again" wait_for "Рег. №"

tm send-keys -t sd Enter
check "opens the signal" wait_for "История"
tm send-keys -t sd q
check "goes back to the queue" wait_for "Рег. №"
tm send-keys -t sd q
i=0
while [ ! -s "$T/exit" ] && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
check "quits with q, exit code 0" grep -qx "exit=0" "$T/exit"
tm kill-server 2>/dev/null || true

# Started in a terminal smaller than 80x24: one sentence and exit code 3.
rm -f "$T/exit"
tm -f /dev/null new-session -d -s small -x 60 -y 20 \
    "LANG=$CONSOLE_LANG $BIN; echo \"exit=\$?\" > '$T/exit'; sleep 30"
i=0
while [ ! -s "$T/exit" ] && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
tm capture-pane -p -t small > "$T/small"
check "too small at start: exit code 3" grep -qx "exit=3" "$T/exit"
tr -d "\n" < "$T/small" > "$T/small.joined"
check "too small at start: says what is needed" grep -q "60x20.*80x24" "$T/small.joined"
tm kill-server 2>/dev/null || true

# A server that wants a password none of the usual places gives: the console
# asks for it on the terminal before it starts.
sql "CREATE ROLE sd_prompt LOGIN PASSWORD 'тайна-парола'; GRANT pg_read_all_data TO sd_prompt"
rm -f "$T/exit"
tm -f /dev/null new-session -d -s pw -x 80 -y 24 \
    "PGUSER=sd_prompt PGPASSWORD= PGPASSFILE=/nonexistent LANG=$CONSOLE_LANG $BIN; echo \"exit=\$?\" > '$T/exit'; sleep 30"
check "asks for the password" wait_for_in pw "Парола:"
tm send-keys -t pw "тайна-парола" Enter
check "opens after the right password" wait_for_in pw "Рег. №"
tm send-keys -t pw q
i=0
while [ ! -s "$T/exit" ] && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
check "password session quits cleanly" grep -qx "exit=0" "$T/exit"
tm kill-server 2>/dev/null || true
