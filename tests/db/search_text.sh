#!/bin/sh
# The search text (signals.search_latin) is made by the database from the
# registration number, description, address and reporters' names: again
# when one of them changes, and only then (010).  Whatever a change does,
# every signal's search text equals the fold of its text, and nobody can
# write one of their own.
. "$(dirname "$0")/../lib.sh"
fresh_db

names_differ() {
    sql "SELECT count(*) FROM signals s LEFT JOIN (SELECT signal_id, string_agg(name, ' ' ORDER BY id) AS t
                                                     FROM reporters GROUP BY signal_id) r ON r.signal_id = s.id
          WHERE s.reporters_text IS DISTINCT FROM coalesce(r.t, '')"
}
# New signals (those named by the condition) whose row was written after
# their reporter.  A new signal is inserted before its reporter, in one
# transaction, so a row written once is the older (a smaller command number,
# cmin); one the reporters' trigger wrote again is the newer.  "<" instead
# of ">" counts those written once.
rewritten() {
    sql "SELECT count(*) FROM signals s JOIN reporters r ON r.signal_id = s.id
          WHERE $1 AND s.xmin = r.xmin AND s.cmin::text::int ${2:->} r.cmin::text::int"
}
fold_differs() {
    sql "SELECT count(*) FROM signals WHERE search_latin IS DISTINCT FROM
             sd_latin(reg_no || ' ' || description || ' ' || address || ' ' || reporters_text)"
}
id=$(sql "SELECT min(id) FROM signals WHERE status = 'new'")
v() { sql "SELECT version FROM signals WHERE id = $id"; }
latin() { sql "SELECT search_latin FROM signals WHERE id = $id"; }

check "fixture: every search text is the fold of its text" test "$(fold_differs)" = 0

sql "SELECT set_signal_field($id, $(v), 'description', 'Счупена пейка в Южния парк')" > /dev/null
check "a new description is folded" test "$(sql "SELECT search_latin LIKE '%schupena peyka v yuzhnia park%' FROM signals WHERE id = $id")" = t
sql "SELECT set_signal_field($id, $(v), 'address', 'ул. „Щастие“ 5')" > /dev/null
check "a new address is folded" test "$(sql "SELECT search_latin LIKE '%ul. „shtastie“ 5%' FROM signals WHERE id = $id")" = t
sql "INSERT INTO reporters (signal_id, name) VALUES ($id, 'Живко Цанков')" > /dev/null
check "a new reporter's name is folded" test "$(sql "SELECT search_latin LIKE '%zhivko tsankov%' FROM signals WHERE id = $id")" = t

sql "SELECT reg_no FROM create_signal('search-text-1', 'СО%y-КЦ-%N', NULL, 'problem', 'phone', NULL, NULL,
     'ул. „Искър“ 12', NULL, NULL, 'Паднало дърво', 'Радка Пиронкова', '0888 000 111', NULL, true, NULL, NULL)" > /dev/null
called="s.id = (SELECT signal_id FROM intake_keys WHERE key = 'search-text-1')"
check "a call registered with its reporter: the signal written once" test "$(rewritten "$called")" = 0
check "(and it can tell)" test "$(rewritten "$called" "<")" = 1
check "the reporter's name is in its search text" test "$(sql "SELECT count(*) FROM signals s
    WHERE search_latin LIKE '%radka pironkova%' AND $called")" = 1

xmin() { sql "SELECT xmin FROM signals WHERE id = $id"; }
before=$(xmin)
sql "UPDATE reporters SET wants_updates = NOT wants_updates, phone = '0888 123 456' WHERE signal_id = $id" > /dev/null
check "a reporter's phone changed: the signal is not written again" test "$(xmin)" = "$before"
sql "UPDATE reporters SET name = 'Живко Цанков-Петров' WHERE signal_id = $id AND name = 'Живко Цанков'" > /dev/null
check "a reporter's name changed: the signal's search text follows" test "$(sql "SELECT search_latin LIKE '%zhivko tsankov-petrov%'
    FROM signals WHERE id = $id")" = t
sql "DELETE FROM reporters WHERE signal_id = $id AND name = 'Живко Цанков-Петров'" > /dev/null
check "a reporter removed: the name leaves the search text" test "$(sql "SELECT search_latin LIKE '%zhivko%'
    FROM signals WHERE id = $id")" = f
check "every signal's reporters_text holds its reporters' names" test "$(names_differ)" = 0

before=$(latin)
sql "SELECT change_status($id, $(v), 'registered', NULL, false)" > /dev/null
sql "UPDATE signals SET assignee = (SELECT min(login) FROM operators), version = version + 1 WHERE id = $id" > /dev/null
check "a status change and a take leave the search text as it is" test "$(latin)" = "$before"

sql "UPDATE signals SET search_latin = 'anything at all' WHERE id = $id" > /dev/null
check "a search text of one's own is not kept" test "$(latin)" = "$before"
sql "UPDATE signals SET description = description || ' ЯЖ' WHERE id = $id" > /dev/null
check "a plain UPDATE of the text folds it too" test "$(sql "SELECT search_latin LIKE '%yazh%' FROM signals WHERE id = $id")" = t

rc=0
"$BIN" -c "$TOP/tests/data/profiles.ini" import "$TOP/tests/data/mladost-2019.csv" --profile mladost \
    > "$T/import.log" 2>&1 || rc=$?
check "an import" test "$rc" = 0
check "after all that and an import: every search text is the fold of its text" test "$(fold_differs)" = 0
check "and every reporters_text holds its reporters' names" test "$(names_differ)" = 0
imported="s.id IN (SELECT signal_id FROM signal_sources WHERE source = 'mladost-registry')"
check "the import wrote each signal once (inserted, never updated)" test "$(rewritten "$imported")" = 0
check "(and it can tell)" test "$(rewritten "$imported" "<")" -gt 0
check "an imported reporter is found by name" test "$(sql "SELECT count(*) FROM signals
    WHERE search_latin LIKE '%' || sd_latin('Петя Георгиева') || '%'")" = 1
check "and the words are found the console's way" test "$(sql "SELECT count(*) FROM signals
    WHERE search_latin LIKE '%' || sd_latin('Южния парк') || '%'")" = 1
