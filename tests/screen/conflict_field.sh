# Another operator changes the signal while this one chooses its category:
# the change is refused with a clear message, the signal is shown as it now
# is, and the other operator's work stands (no silent overwrite).
. tests/lib.sh
fresh_db
ID=$(sql "SELECT id FROM signals WHERE reg_no = 'СО26-КЦ-000109'")
sql "DO \$\$ BEGIN CREATE ROLE petrov SUPERUSER; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$"
steps <<KEYS
jj
<Enter>
c
lampa
:run psql -X -q -c "SET SESSION AUTHORIZATION petrov" -c "SELECT signaldesk.set_signal_field($ID, 1, 'category', (SELECT id::text FROM signaldesk.categories WHERE name = 'Бездомни кучета'))" >/dev/null
<Enter>
:dump conflict
q
KEYS
run_console
check "exit code 0" test "$rc" = 0
check "the other operator's category stands, with one event" test "$(sql "
    SELECT c.name || ' ' || (SELECT count(*) FROM signal_events WHERE signal_id = $ID AND kind = 'category')
      FROM signals s JOIN categories c ON c.id = s.category_id WHERE s.id = $ID")" = "Бездомни кучета 1"

mask_now conflict

expect conflict <<'SCREEN'
 СО26-КЦ-000109 · нов · Животни › Бездомни кучета · Кремиковци
 Подаден   dd.mm.yyyy, имейл
 Срок      dd.mm.yyyy (след N дни)          Приоритет нормален
 Адрес     бул. „Витоша“ 112  (42.6620, 23.3450)
 Отговаря  Район „Лозенец“
 Поет от   —
 Подател   Елена Николова · 0888 118785 · иска известия
 Дупка на платното, колите я заобикалят в насрещното.
 ── История ───────────────────────────────────────────────────────────────────
 dd.mm hh:mm ivanova    подаден (имейл)
 dd.mm hh:mm petrov     категория Мъртво животно на улицата → Бездомни кучета
 dd.mm hh:mm petrov     срок dd.mm.yyyy → dd.mm.yyyy










Друг оператор промени сигнала междувременно; нищо не е записано.       ● връзка
1Помощ  2Нов    3       4Поеми  5Статус 6Насочи 7Дубли  8Слей   9       10Изход
SCREEN
