# The database connection is killed in the middle of a session: the console
# notices, connects again by itself, listens again and reloads the screen.
. tests/lib.sh
fresh_db
KILL="psql -X -q -At -c \"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'signaldesk' AND datname = current_database()\" > /dev/null"
CHANGE="psql -X -q -c \"SELECT signaldesk.change_status(id, version, 'registered', NULL, false) FROM signaldesk.signals WHERE reg_no = 'СО26-КЦ-000100'\" > /dev/null"
steps <<KEYS
j
:run $KILL
:wait-notify
:dump back
:run $CHANGE
:wait-notify
:dump heard
KEYS
run_console
check "exit code 0" test "$rc" = 0
check "connected again, and says so" grep -q "Връзката с базата данни е възстановена" "$T/back"
check "connected again, the cursor where it was" grep -q "2/18   ● връзка" "$T/back"
check "listens again after reconnecting" grep -q " 1/17 " "$T/heard"
check "and the signal left the New queue" sh -c "! grep -q 'СО26-КЦ-000100' '$T/heard'"
