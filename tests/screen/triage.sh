# Triage of one signal from the queue with the fewest keys: F4 takes the
# next free one (the most urgent, the oldest) and opens it; c finds the
# category by typing; F6 offers the routing table's unit first; s registers
# it; F4 again takes the next.  Every change is an event with old and new.
. tests/lib.sh
fresh_db
steps <<'KEYS'
<F4>
:dump taken
c
dupka
:dump category_picker
<Enter>
:dump category_set
<F6>
:dump route
<Enter>
s
1
:dump registered
<F4>
:dump next
q
q
KEYS
run_console
check "exit code 0" test "$rc" = 0
# the keys beyond the typed text up to the registered signal: lines of one key
check "triage with routing by hand takes 7 keys" \
    test "$(sed '/^:dump registered/q' "$T/steps" | grep -cE '^(<[A-Za-z0-9-]+>|.)$')" = 7
ID=$(sql "SELECT id FROM signals WHERE reg_no = 'СО26-КЦ-000111'")
check "taken by me: the most urgent, oldest free one" test "$(sql "SELECT assignee FROM signals WHERE id = $ID")" = postgres
check "each change an event with old and new value" test "$(sql "
    SELECT string_agg(kind || ':' || coalesce(old_value, '—') || '→' || coalesce(new_value, '—'), ' | ' ORDER BY id)
      FROM signal_events WHERE signal_id = $ID AND kind NOT IN ('created', 'due')")" \
    = "assignee:—→postgres | category:Липсващ или повреден капак на шахта→Дупка на пътното платно | unit:Столичен инспекторат→Дирекция „Инженерна инфраструктура“ | status:new→registered"
check "the new category brought its due date" test "$(sql "
    SELECT count(*) FROM signals WHERE id = $ID AND due_at = due_at(category_id, created_at)")" = 1
check "F4 on the signal took the next one" test "$(sql "SELECT assignee FROM signals WHERE reg_no = 'СО26-КЦ-000100'")" = postgres

mask_now taken category_set route registered next

expect taken <<'SCREEN'
 СО26-КЦ-000111 · нов · Пътна инфраструктура › Липсващ или повреден капак на шах
 Подаден   dd.mm.yyyy, на място
 Срок      dd.mm.yyyy (след N дни)       Приоритет спешен
 Адрес     ул. „Шипка“ 6  (42.6740, 23.3050)
 Отговаря  Столичен инспекторат
 Поет от   Тестов Оператор
 Подател   Елена Николова · 0888 245489
 Изоставен автомобил без номера от месеци.
 Заема две места за паркиране.
 ── История ───────────────────────────────────────────────────────────────────
 dd.mm hh:mm ivanova    подаден (на място)
 dd.mm hh:mm postgres   поет от — → postgres










СО26-КЦ-000111 вече е ваш.                                             ● връзка
1Помощ  2Нов    3       4Поеми  5Статус 6Насочи 7Дубли  8Слей   9       10Изход
SCREEN

expect category_picker <<'SCREEN'
 СО26-КЦ-000111 · нов · Пътна инфраструктура › Липсващ или повреден капак на шах
 Подаден   17.11.2026 01:37, на място
 Срок      01.01.2031 (след 1503 дни)       Приоритет спешен
 А┌ Категория ───────────────────────────────────────────────────────────────┐
 О│ Търсене: dupka                                                   1 от 83 │
 П│ Дупка на пътното платно                             Пътна инфраструктура │
 П│                                                                          │
 И│                                                                          │
 З│                                                                          │
 ─│                                                                          │─
 1│                                                                          │
 2│                                                                          │
  │                                                                          │
  │                                                                          │
  │                                                                          │
  │                                                                          │
  │                                                                          │
  └──────────────────────────────────────────────────────────────────────────┘




 СО26-КЦ-000111                                                        ● връзка
1Помощ  2Нов    3       4Поеми  5Статус 6Насочи 7Дубли  8Слей   9       10Изход
SCREEN

expect category_set <<'SCREEN'
 СО26-КЦ-000111 · нов · Пътна инфраструктура › Дупка на пътното платно · Изгрев
 Подаден   dd.mm.yyyy, на място
 Срок      dd.mm.yyyy (след N дни)          Приоритет спешен
 Адрес     ул. „Шипка“ 6  (42.6740, 23.3050)
 Отговаря  Столичен инспекторат
 Поет от   Тестов Оператор
 Подател   Елена Николова · 0888 245489
 Изоставен автомобил без номера от месеци.
 Заема две места за паркиране.
 ── История ───────────────────────────────────────────────────────────────────
 dd.mm hh:mm ivanova    подаден (на място)
 dd.mm hh:mm postgres   поет от — → postgres
 dd.mm hh:mm postgres   категория Липсващ или повреден капак на шахта → Дупка
 на пътното платно
 dd.mm hh:mm postgres   срок dd.mm.yyyy → dd.mm.yyyy







Категорията е сменена.                                                 ● връзка
1Помощ  2Нов    3       4Поеми  5Статус 6Насочи 7Дубли  8Слей   9       10Изход
SCREEN

expect route <<'SCREEN'
 СО26-КЦ-000111 · нов · Пътна инфраструктура › Дупка на пътното платно · Изгрев
 Подаден   dd.mm.yyyy, на място
 Срок      dd.mm.yyyy (след N дни)          Приоритет спешен
 А┌ Отговорна структура ─────────────────────────────────────────────────────┐
 О│ Търсене:                                                        44 от 44 │
 П│ Дирекция „Инженерна инфраструктура“                         по таблицата │
 П│ Столичен инспекторат                                                сега │
 И│ Агенция „Пътна инфраструктура“                                           │
 З│ Дирекция за национален строителен контрол                                │
 ─│ Дирекция „Архитектура и градоустройство“                                 │─
 1│ Дирекция „Зелена система“                                                │
 2│ Дирекция „Общински приходи“                                              │
 2│ Дирекция „Чистота“                                                       │
 н│ Електроразпределителни мрежи Запад                                       │
 2│ Контактен център на Столична община                                      │
  │ Общинско предприятие „Екоравновесие“                                     │
  │ Общинско предприятие „Софияплан“                                         │
  └──────────────────────────────────────────────────────────────────────────┘




 СО26-КЦ-000111                                                        ● връзка
1Помощ  2Нов    3       4Поеми  5Статус 6Насочи 7Дубли  8Слей   9       10Изход
SCREEN

expect registered <<'SCREEN'
 СО26-КЦ-000111 · регистриран · Пътна инфраструктура › Дупка на пътното платно ·
 Подаден   dd.mm.yyyy, на място
 Срок      dd.mm.yyyy (след N дни)          Приоритет спешен
 Адрес     ул. „Шипка“ 6  (42.6740, 23.3050)
 Отговаря  Дирекция „Инженерна инфраструктура“
 Поет от   Тестов Оператор
 Подател   Елена Николова · 0888 245489
 Изоставен автомобил без номера от месеци.
 Заема две места за паркиране.
 ── История ───────────────────────────────────────────────────────────────────
 dd.mm hh:mm ivanova    подаден (на място)
 dd.mm hh:mm postgres   поет от — → postgres
 dd.mm hh:mm postgres   категория Липсващ или повреден капак на шахта → Дупка
 на пътното платно
 dd.mm hh:mm postgres   срок dd.mm.yyyy → dd.mm.yyyy
 dd.mm hh:mm postgres   отговорна структура Столичен инспекторат → Дирекция
 „Инженерна инфраструктура“
 dd.mm hh:mm postgres   статус нов → регистриран




Статусът е сменен: нов → регистриран.                                  ● връзка
1Помощ  2Нов    3       4Поеми  5Статус 6Насочи 7Дубли  8Слей   9       10Изход
SCREEN

expect next <<'SCREEN'
 СО26-КЦ-000100 · нов · Замърсяване на обществени площи › Замърсена улица или тр
 Подаден   dd.mm.yyyy, телефон
 Срок      dd.mm.yyyy (просрочен с N дни) Приоритет спешен
 Адрес     ул. „Черни връх“ 45  (42.6500, 23.3000)
 Отговаря  Район „Лозенец“
 Поет от   Тестов Оператор
 Подател   Мария Петрова · 0888 063352 · user8@example.bg
 Не свети лампата пред входа от три дни.
 ── История ───────────────────────────────────────────────────────────────────
 dd.mm hh:mm ivanova    подаден (телефон)
 dd.mm hh:mm postgres   поет от — → postgres











СО26-КЦ-000100 вече е ваш.                                             ● връзка
1Помощ  2Нов    3       4Поеми  5Статус 6Насочи 7Дубли  8Слей   9       10Изход
SCREEN
