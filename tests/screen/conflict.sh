# Another operator changes the signal while this one looks at it: the change
# is refused with a clear message and the fresh signal is shown; nothing of
# the other operator's work is overwritten.
. tests/lib.sh
fresh_db
ID=$(sql "SELECT id FROM signals WHERE reg_no = 'СО26-КЦ-000109'")
steps <<KEYS
jj
<Enter>
:run psql -X -q -c "SELECT signaldesk.change_status($ID, 1, 'registered', NULL, false)" >/dev/null
s
1
:dump conflict
KEYS
run_console
check "exit code 0" test "$rc" = 0
check "exactly one status change happened" test "$(sql "SELECT count(*) FROM signal_events WHERE signal_id = $ID AND kind = 'status'")" = 1
check "the other operator's status stands" test "$(sql "SELECT status || ' ' || version FROM signals WHERE id = $ID")" = "registered 2"

expect --mask-times conflict <<'SCREEN'
 СО26-КЦ-000109 · регистриран · Животни › Мъртво животно на улицата · Кремиковци
 Подаден   dd.mm hh:mm 16:03, имейл
 Срок      dd.mm hh:mm (след 1503 дни)       Приоритет нормален
 Адрес     бул. „Витоша“ 112  (42.6620, 23.3450)
 Отговаря  Район „Лозенец“
 Поет от   —
 Подател   Елена Николова · 0888 118785 · иска известия
 Дупка на платното, колите я заобикалят в насрещното.
 ── История ───────────────────────────────────────────────────────────────────
 dd.mm hh:mm ivanova    подаден (имейл)
 dd.mm hh:mm postgres   статус нов → регистриран











Друг оператор промени сигнала междувременно; нищо не е записано.       ● връзка
1Помощ  2Нов    3       4Поеми  5Статус 6Насочи 7Дубли  8Слей   9       10Изход
SCREEN
