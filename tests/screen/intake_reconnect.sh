# The connection drops while a call is being typed in: saving fails, nothing
# typed is lost, typing goes on, and the signal is saved by itself as soon as
# the connection is back (once: the form's key makes a second save find it).
. tests/lib.sh
fresh_db
DB=$PGDATABASE
steps <<KEYS
<F2>
paten znak
<Enter>
ж.к. Младост 1, бл. 23
<Tab>
Паднал знак на кръстовището.
:run psql -X -q -d postgres -c "ALTER DATABASE $DB ALLOW_CONNECTIONS false" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()" >/dev/null
<F2>
:dump lost
 Стои на тротоара.
:dump typing
:run psql -X -q -d postgres -c "ALTER DATABASE $DB ALLOW_CONNECTIONS true" >/dev/null
<End>
:dump saved
<Esc>
q
KEYS
run_console
check "exit code 0" test "$rc" = 0
check "saved once, with what was typed after the drop too" test "$(sql "
    SELECT count(*) FROM signals s JOIN categories c ON c.id = s.category_id
     WHERE c.name = 'Повреден или липсващ пътен знак' AND s.reg_no = 'СО26-КЦ-000160'
       AND s.description = 'Паднал знак на кръстовището. Стои на тротоара.'")" = 1
check "nothing else was saved" test "$(sql "SELECT count(*) FROM signals")" = 61

mask_now saved

expect lost <<'SCREEN'
 Нов сигнал                                                            postgres

  Категория*   Пътна сигнализация › Повреден или липсващ пътен знак
  Адрес*       ж.к. Младост 1, бл. 23
▶ Описание*    Паднал знак на кръстовището.



  Подател                                     Телефон
  Имейл                                       Известия    не
  Район        Младост  (по адреса)           Координати  ширина, дължина
  Прикачени    връзки или пътища до файлове, по един на ред

  Канал        телефон                        Вид         сигнал

 ──────────────────────────────────────────────────────────────────────────────
  Tab/Shift-Tab: поле · Enter: напред · F2: запис · F5: справка · Esc: отказ
  Enter започва нов ред; Tab продължава.




Няма връзка: нищо не се губи; записва се, щом тя се върне.        ○ няма връзка
1Помощ  2Запиши 3       4       5Справка6       7Дубли  8       9       10Изход
SCREEN

expect typing <<'SCREEN'
 Нов сигнал                                                            postgres

  Категория*   Пътна сигнализация › Повреден или липсващ пътен знак
  Адрес*       ж.к. Младост 1, бл. 23
▶ Описание*    Паднал знак на кръстовището. Стои на тротоара.



  Подател                                     Телефон
  Имейл                                       Известия    не
  Район        Младост  (по адреса)           Координати  ширина, дължина
  Прикачени    връзки или пътища до файлове, по един на ред

  Канал        телефон                        Вид         сигнал

 ──────────────────────────────────────────────────────────────────────────────
  Tab/Shift-Tab: поле · Enter: напред · F2: запис · F5: справка · Esc: отказ
  Enter започва нов ред; Tab продължава.




Няма връзка: нищо не се губи; записва се, щом тя се върне.        ○ няма връзка
1Помощ  2Запиши 3       4       5Справка6       7Дубли  8       9       10Изход
SCREEN

expect saved <<'SCREEN'
 Нов сигнал — записан                                                  postgres

  Регистрационен номер — прочетете го на подателя:

            ███ ███ ███ ███     █ █ █ █      ███ ███ ███  █  ███ ███
            █   █ █   █ █       █ █ █ █      █ █ █ █ █ █ ██  █   █ █
            █   █ █ ███ ███ ███ ██  █ █  ███ █ █ █ █ █ █  █  ███ █ █
            █   █ █ █   █ █     █ █ ████     █ █ █ █ █ █  █  █ █ █ █
            ███ ███ ███ ███     █ █    █     ███ ███ ███ ███ ███ ███

                                 СО26-КЦ-000160

  Статус: нов
  Отговаря: Център за градска мобилност
  Срок: dd.mm.yyyy

  Enter: отваря сигнала · F2: следващо обаждане · Esc: назад





Записан като СО26-КЦ-000160.                                           ● връзка
1Помощ  2Запиши 3       4       5Справка6       7Дубли  8       9       10Изход
SCREEN
