# People: an admin adds a person (login checked, the password typed twice
# and shown as stars), changes the level and deactivates them; the person's
# database role follows.  An admin demoted while their console is open
# still sees the admin keys, but the database refuses and the console says
# so in a sentence.
. tests/lib.sh
fresh_db
person t8p_adm admin "Столичен инспекторат"
steps <<KEYS
<F9>
4
:dump people
<F2>
Ivan Petrov
<Enter>
:dump login_bad
<C-u>t8p_new
<Enter>
Нова Служителка
<Enter>
<Enter>
1
kratka
<Enter>
dobra-parola-1
:dump masked
<Enter>
dobra-parola-2
<Enter>
:dump differ
dobra-parola-1
<Enter>
dobra-parola-1
<Enter>
:dump added
<Enter>
:dump person_menu
3
2
:dump level
x
y
:dump deactivated
:run $OWNER psql -X -q -c "SELECT signaldesk.set_operator_level('t8p_adm', 'operator')"
<Home>
<Enter>
1
<C-u>Ново Име
<Enter>
:dump refused
KEYS
as t8p_adm run_console
check "exit code 0" test "$rc" = 0
check "the new person's role: a supervisor who cannot log in now" test "$(sql "
    SELECT r.rolcanlogin || ' ' || pg_has_role('t8p_new', 'signaldesk_supervisor', 'MEMBER')
           || ' ' || pg_has_role('t8p_new', 'signaldesk_admin', 'MEMBER') || ' ' || o.level || ' ' || o.active
      FROM pg_roles r JOIN operators o ON o.login = r.rolname WHERE r.rolname = 't8p_new'")" = "false true false supervisor false"
check "the password was stored hashed" test "$(sql "SELECT rolpassword LIKE 'SCRAM-SHA-256\$%' FROM pg_authid
    WHERE rolname = 't8p_new'")" = t
check "the refused change left the name" test "$(sql "SELECT name FROM operators WHERE login = 't8p_adm'")" = "Тест t8p_adm"

expect people <<'SCREEN'
 Администрация › Служители                                              t8p_adm
  Потребител   Име                  Отдел                Ниво          Активен
▶ ivanova      Мария Иванова        Район „Лозенец“      оператор      да
  petrov       Петър Петров         Столичен инспекторат оператор      да
  postgres     Тестов Оператор      Район „Лозенец“      ръководител   да
  t8p_adm      Тест t8p_adm         Столичен инспекторат администратор да
















 няма роля с това име в базата данни                             1/4   ● връзка
1Помощ  2Добави 3       4Промени5       6       7       8Вкл/изк9Админ  10Изход
SCREEN

expect login_bad <<'SCREEN'
 Администрация › Служители                                              t8p_adm
  Потребител   Име                  Отдел                Ниво          Активен
▶ ivanova      Мария Иванова        Район „Лозенец“      оператор      да
  petrov       Петър Петров         Столичен инспекторат оператор      да
  postgres     Тестов Оператор      Район „Лозенец“      ръководител   да
  t8p_adm      Тест t8p_adm         Столичен инспекторат администратор да















Потребителското име: малки латински букви, цифри, _ . - и започва с буква.
Потребител: Ivan Petrov
1Помощ  2Добави 3       4Промени5       6       7       8Вкл/изк9Админ  10Изход
SCREEN

expect masked <<'SCREEN'
 Администрация › Служители                                              t8p_adm
  Потребител   Име                  Отдел                Ниво          Активен
▶ ivanova      Мария Иванова        Район „Лозенец“      оператор      да
  petrov       Петър Петров         Столичен инспекторат оператор      да
  postgres     Тестов Оператор      Район „Лозенец“      ръководител   да
  t8p_adm      Тест t8p_adm         Столичен инспекторат администратор да















Паролата трябва да е поне 8 знака.
Парола (празно: вход само през SSH): **************
1Помощ  2Добави 3       4Промени5       6       7       8Вкл/изк9Админ  10Изход
SCREEN

expect differ <<'SCREEN'
 Администрация › Служители                                              t8p_adm
  Потребител   Име                  Отдел                Ниво          Активен
▶ ivanova      Мария Иванова        Район „Лозенец“      оператор      да
  petrov       Петър Петров         Столичен инспекторат оператор      да
  postgres     Тестов Оператор      Район „Лозенец“      ръководител   да
  t8p_adm      Тест t8p_adm         Столичен инспекторат администратор да















Двете пароли се различават; още веднъж.
Парола (празно: вход само през SSH):
1Помощ  2Добави 3       4Промени5       6       7       8Вкл/изк9Админ  10Изход
SCREEN

expect added <<'SCREEN'
 Администрация › Служители                                              t8p_adm
  Потребител   Име                  Отдел                Ниво          Активен
  ivanova      Мария Иванова        Район „Лозенец“      оператор      да
  petrov       Петър Петров         Столичен инспекторат оператор      да
  postgres     Тестов Оператор      Район „Лозенец“      ръководител   да
  t8p_adm      Тест t8p_adm         Столичен инспекторат администратор да
▶ t8p_new      Нова Служителка      —                    оператор      да















t8p_new вече може да влиза.                                      5/5   ● връзка
1Помощ  2Добави 3       4Промени5       6       7       8Вкл/изк9Админ  10Изход
SCREEN

expect person_menu <<'SCREEN'
 Администрация › Служители                                              t8p_adm
  Потребител   Име                  Отдел                Ниво          Активен
  ivanova      Мария Иванова        Район „Лозенец“      оператор      да
  petrov       Петър Петров         Столичен инспекторат оператор      да
  postgres     Тестов Оператор      Район „Лозенец“      ръководител   да
  t8p_adm      Тест t8p_adm         Столичен инспекторат администратор да
▶ t8p_new      Нова Служителка      —                    оператор      да

                          ┌ t8p_new──────────────────┐
                          │ 1 Име: Нова Служителка   │
                          │ 2 Отдел: —               │
                          │ 3 Ниво: оператор         │
                          │ 4 Нова парола            │
                          │ 5 Активен: да            │
                          └──────────────────────────┘







 Служители                                                       5/5   ● връзка
1Помощ  2Добави 3       4Промени5       6       7       8Вкл/изк9Админ  10Изход
SCREEN

expect level <<'SCREEN'
 Администрация › Служители                                              t8p_adm
  Потребител   Име                  Отдел                Ниво          Активен
  ivanova      Мария Иванова        Район „Лозенец“      оператор      да
  petrov       Петър Петров         Столичен инспекторат оператор      да
  postgres     Тестов Оператор      Район „Лозенец“      ръководител   да
  t8p_adm      Тест t8p_adm         Столичен инспекторат администратор да
▶ t8p_new      Нова Служителка      —                    ръководител   да















t8p_new: записано.                                               5/5   ● връзка
1Помощ  2Добави 3       4Промени5       6       7       8Вкл/изк9Админ  10Изход
SCREEN

expect deactivated <<'SCREEN'
 Администрация › Служители                                              t8p_adm
  Потребител   Име                  Отдел                Ниво          Активен
  ivanova      Мария Иванова        Район „Лозенец“      оператор      да
  petrov       Петър Петров         Столичен инспекторат оператор      да
  postgres     Тестов Оператор      Район „Лозенец“      ръководител   да
  t8p_adm      Тест t8p_adm         Столичен инспекторат администратор да
▶ t8p_new      Нова Служителка      —                    ръководител   не















Деактивиран: t8p_new. Името остава в историята.                  5/5   ● връзка
1Помощ  2Добави 3       4Промени5       6       7       8Вкл/изк9Админ  10Изход
SCREEN

expect refused <<'SCREEN'
 Администрация › Служители                                              t8p_adm
  Потребител   Име                  Отдел                Ниво          Активен
▶ ivanova      Мария Иванова        Район „Лозенец“      оператор      да
  petrov       Петър Петров         Столичен инспекторат оператор      да
  postgres     Тестов Оператор      Район „Лозенец“      ръководител   да
  t8p_adm      Тест t8p_adm         Столичен инспекторат администратор да
  t8p_new      Нова Служителка      —                    ръководител   не















Нямате права за това действие.                                   1/5   ● връзка
1Помощ  2Добави 3       4Промени5       6       7       8Вкл/изк9Админ  10Изход
SCREEN
