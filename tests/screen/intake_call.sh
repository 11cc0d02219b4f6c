# A whole phone call: F2 from the queue, the fields filled with the fewest
# keys (type-ahead category, the district found from the address, Tab on),
# saved in one transaction, the number shown big, then the new signal in
# the queue with its number.
. tests/lib.sh
fresh_db
steps <<'KEYS'
<F2>
:dump empty
lampa
:dump picker
<Enter>
ж.к. Люлин, бл. 312
<Tab>
Не свети лампата пред входа от три дни.
<Tab>
Мария Петрова
<Tab>
0888 123 456
:dump filled
<F2>
:dump saved
<Esc>
:dump queue
q
KEYS
run_console
check "exit code 0" test "$rc" = 0
cat "$T/stderr"
for f in empty picker filled saved queue; do echo "== $f"; cat "$T/$f"; done
