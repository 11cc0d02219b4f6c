# Queues from the settings: their own query, order and columns replace the
# shipped ones; a query that does not parse stops the console with the file,
# the line and where in the query.
. tests/lib.sh
fresh_db
cat > "$T/config/queues.ini" <<'INI'
[queue Спешни]
query = priority:high,urgent status:open
sort = due asc
columns = reg, due, priority, assignee, district, description

[queue Лозенец]
query = district:Лозенец -status:closed,rejected
sort = priority desc
columns = reg, priority, status, unit, address

[search]
timeout = 2000
INI
steps <<'KEYS'
:dump first
2
:dump second
q
KEYS
run_console -c "$T/config/queues.ini"
check "exit code 0" test "$rc" = 0

expect first <<'SCREEN'
 signaldesk │Спешни 16│Лозенец 2│                                      postgres
  Рег. №         ▲Срок       Приоритет Поет от    Район        Описание
▶!СО26-КЦ-000140  10.01.2025 висок     —          Лозенец      Не свети лампата…
 !СО26-КЦ-000100  10.01.2025 спешен    —          Средец       Не свети лампата…
 !СО26-КЦ-000144  10.01.2025 спешен    petrov     Сердика      Строителен шум с…
 !СО26-КЦ-000120  10.01.2025 висок     —          Сердика      Строителен шум с…
 !СО26-КЦ-000133  01.01.2031 спешен    postgres   Кремиковци   Дупка на платнот…
 !СО26-КЦ-000125  01.01.2031 висок     ivanova    Подуяне      Дупка на платнот…
 !СО26-КЦ-000150  01.01.2031 висок     —          Красна поля… Контейнерите не …
 !СО26-КЦ-000110  01.01.2031 висок     —          Възраждане   Контейнерите не …
 !СО26-КЦ-000135  01.01.2031 висок     petrov     Изгрев       Изоставен автомо…
 !СО26-КЦ-000111  01.01.2031 спешен    —          Изгрев       Изоставен автомо…
 !СО26-КЦ-000145  01.01.2031 висок     postgres   Триадица     Паднал клон преп…
 !СО26-КЦ-000105  01.01.2031 висок     petrov     Красно село  Паднал клон преп…
 !СО26-КЦ-000130  01.01.2031 висок     —          Слатина      Спукана водопров…
 !СО26-КЦ-000122  01.01.2031 спешен    —          Младост      Спукана водопров…
 !СО26-КЦ-000155  01.01.2031 спешен    ivanova    Илинден      Счупена пейка в …
 !СО26-КЦ-000115  01.01.2031 висок     postgres   Оборище      Счупена пейка в …




 priority:high,urgent status:open                               1/16   ● връзка
1Помощ  2Нов    3Търси  4Поеми  5Статус 6Насочи 7Дубли  8Слей   9       10Изход
SCREEN
expect second <<'SCREEN'
 signaldesk │Спешни 16│Лозенец 2│                                      postgres
  Рег. №         ▼Приоритет Статус       Отговаря            Адрес
▶!СО26-КЦ-000140  висок     нов          Столичен инспектор… ул. „Черни връх“ 45
  СО26-КЦ-000116  нормален  решен        Столичен инспектор… ул. „Черни връх“ 45


















 district:Лозенец -status:closed,rejected                        1/2   ● връзка
1Помощ  2Нов    3Търси  4Поеми  5Статус 6Насочи 7Дубли  8Слей   9       10Изход
SCREEN

cat > "$T/config/bad.ini" <<'INI'
[ui]
language = bg

[queue Моята]
query = district:Лозенец stauts:new
INI
run_console -c "$T/config/bad.ini"
check "bad query: exit code 2" test "$rc" = 2
check "bad query: file, line and character" grep -q "bad.ini:5: query, на знак 18: „stauts“ не е поле" "$T/stderr"
cat > "$T/config/bad2.ini" <<'INI'
[queue Моята]
sort = colour
INI
run_console -c "$T/config/bad2.ini"
check "bad sort: exit code 2" test "$rc" = 2
check "bad sort: file and line" grep -q "bad2.ini:2: „colour“ не е колона" "$T/stderr"
