# Opening a signal, its fields and timeline; changing its status through the
# menu, with the public comment the workflow asks for.
. tests/lib.sh
fresh_db
steps <<'KEYS'
jj
<Enter>
:dump signal
s
:dump menu
4
:dump comment
Не е в правомощията на общината; препратен към Софийска вода.
:dump typed
<Enter>
:dump rejected
q
:dump queue
KEYS
run_console
check "exit code 0" test "$rc" = 0
check "one status event, public, with the comment" test "$(sql "SELECT count(*) FROM signal_events
    WHERE kind = 'status' AND new_value = 'rejected' AND public AND actor = current_user
      AND comment LIKE 'Не е в правомощията%'")" = 1
