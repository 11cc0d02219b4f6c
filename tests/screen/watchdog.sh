# A scripted run that hangs (here: waiting for a change nobody makes) is
# ended by the watchdog with exit code 124, not left running.
. tests/lib.sh
fresh_db
steps <<'KEYS'
:wait-notify
q
KEYS
SIGNALDESK_SCRIPT_TIMEOUT=2 run_console
check "the watchdog ends a hung run (exit 124)" test "$rc" = 124
check "and says so" grep -q "watchdog" "$T/stderr"
