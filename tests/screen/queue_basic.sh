# The queue opens on the "New" tab, moves, pages, switches tabs.
. tests/lib.sh
fresh_db
steps <<'KEYS'
:dump first
jj
:dump down2
<PgDn>
:dump pagedown
<End>
:dump end
<Home>
5
:dump all
q
KEYS
run_console
check "exit code 0" test "$rc" = 0
