# The supervisor's assignment screen: units by status, operators by load,
# unassigned and overdue per unit; a row opens its signals in the queue.
. tests/lib.sh
fresh_db
steps <<'KEYS'
A
:dump units
2
:dump operators
3
:dump unassigned
4
:dump overdue
1
<Enter>
:dump unit_queue
KEYS
run_console
check "exit code 0" test "$rc" = 0
