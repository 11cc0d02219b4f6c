# SIGNALDESK_SCRIPT_TTY=1: a scripted run that draws on its terminal as an
# ordinary run does (make bench counts those bytes); the screens are the
# same as a headless run's, and without a terminal it says so.
. tests/lib.sh
fresh_db
command -v script > /dev/null || { fail "script (util-linux) is not installed"; exit 0; }
steps <<'KEYS'
7
<Down>
:dump queue
q
KEYS
run_console
mv "$T/queue" "$T/queue.headless"
check "headless: nothing on the terminal" test "$rc" = 0 -a ! -s "$T/stdout"

# on a pseudo-terminal of its own (util-linux script), the size from LINES/COLUMNS
rc=0
(cd "$T" && LANG=$CONSOLE_LANG SIGNALDESK_SCRIPT="$T/steps" SIGNALDESK_SCRIPT_TTY=1 \
    script -q -e -c "$BIN" "$T/typescript" < /dev/null > /dev/null 2> "$T/stderr") || rc=$?
check "on a terminal: ends as asked" test "$rc" = 0
check "the screen is drawn on the terminal" grep -qF "Рег. №" "$T/typescript"
check "in the terminal's alternate screen, given back at the end" \
    sh -c "grep -qF '$(printf '\033[?1049h')' '$T/typescript' && grep -qF '$(printf '\033[?1049l')' '$T/typescript'"
check "the same screen as a headless run" cmp "$T/queue.headless" "$T/queue"

# the switch needs a terminal
rc=0
(cd "$T" && LANG=C SIGNALDESK_SCRIPT="$T/steps" SIGNALDESK_SCRIPT_TTY=1 "$BIN" < /dev/null > "$T/notty" 2>&1) || rc=$?
check "without a terminal: refused with a sentence" \
    sh -c "test $rc != 0 && grep -qF 'signaldesk needs a terminal' '$T/notty'"
