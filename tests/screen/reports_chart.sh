. tests/lib.sh
fresh_db
steps <<'KEYS'
O
:dump workload
2
:dump flow
3
:dump age
4
:dump sla
5
:dump times
6
:dump districts
7
:dump stalled
KEYS
run_console
check "exit code 0" test "$rc" = 0
