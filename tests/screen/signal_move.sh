# Moving the one signal that is open: its timeline shows the move with
# the reason, as an internal note.
. tests/lib.sh
fresh_db
steps <<'KEYS'
2
<Enter>
m
3
Връща се за преразпределение
<Enter>
:dump moved
KEYS
run_console
check "exit code 0" test "$rc" = 0
check "nobody has it now, version one up" test "$(sql "SELECT coalesce(assignee, '-') || ' ' || version FROM signals WHERE reg_no = 'СО26-КЦ-000103'")" = "- 2"

expect --mask-times moved <<'SCREEN'
 СО26-КЦ-000103 · възложен · Шум › Шум от заведение · Студентски
 Подаден   dd.mm hh:mm 11:21, имейл
 Срок      dd.mm hh:mm (след 1503 дни)       Приоритет нормален
 Адрес     ул. „Шипка“ 6  (42.6680, 23.3150)
 Отговаря  Район „Лозенец“
 Поет от   —
 Подател   Мария Петрова · 0888 253408 · user32@example.bg
 Изоставен автомобил без номера от месеци.
 Заема две места за паркиране.
 ── История ───────────────────────────────────────────────────────────────────
 dd.mm hh:mm ivanova    подаден (имейл)
 dd.mm hh:mm ivanova    статус нов → възложен
 dd.mm hh:mm postgres   поет от postgres → —
             [вътрешен] Връща се за преразпределение








1 сигнал вече не е поет от никого.                                     ● връзка
1Помощ  2Нов    3       4Поеми  5Статус 6Насочи 7Дубли  8Слей   9       10Изход
SCREEN
