# signaldesk export: RFC 4180 CSV with the FixMyStreet columns and ours,
# filters, spreadsheet options, and export -> import -> export round trips
# exactly.
. tests/lib.sh
fresh_db
export LANG=C.UTF-8
exp() { rc=0; "$BIN" -c /dev/null export "$@" > "$T/out" 2> "$T/err" || rc=$?; }

exp --csv "$T/all.csv"
check "export: exit 0" test "$rc" = 0
check "export: says how many" grep -q "60 signals exported to $T/all.csv" "$T/err"
check "export: FixMyStreet columns first, then ours" test "$(head -1 "$T/all.csv")" = "$(printf 'id,title,detail,reporter,category,created,confirmed,acknowledged,fixed,closed,status,lat,lon,district,channel,reg_no,kind,address,unit,assignee,priority,due,duplicate_of,reporter_phone,reporter_email,reporter_updates\r')"
check "export: CRLF after every record" test "$(grep -c "$(printf '\r$')" "$T/all.csv")" = 61
check "export: oldest first" test "$(sed -n 3p "$T/all.csv" | cut -d, -f14)" = "СО26-КЦ-000159"
# the fixture has descriptions with a line break and with a comma
check "export: a field with a line break is quoted (RFC 4180)" grep -q '^[0-9]*,Изоставен автомобил без номера от месеци.,"Изоставен автомобил без номера от месеци.$' "$T/all.csv"
check "export: a field with a comma is quoted" grep -q ',"Дупка на платното, колите я заобикалят в насрещното.",' "$T/all.csv"
check "export: category with its parent" grep -q ',Улично осветление › Не свети лампа,' "$T/all.csv"

exp --query "status:new created:2026-11-01..2026-11-19"
check "query: exit 0" test "$rc" = 0
check "query: only the new ones of those days" test "$(($(grep -c "$(printf '\r$')" "$T/out") - 1))" = "$(sql "SELECT count(*) FROM signals
    WHERE status = 'new' AND created_at >= '2026-11-01 00:00 Europe/Sofia'
      AND created_at < '2026-11-20 00:00 Europe/Sofia'")"
check "query: to standard output, nothing said" test ! -s "$T/err"
exp --query "status:open" --csv -
check "status:open" test "$(($(grep -c "$(printf '\r$')" "$T/out") - 1))" = "$(sql "SELECT count(*) FROM signals
    WHERE status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting')")"
exp --query "colour:red"
check "bad query: exit 2" test "$rc" = 2
check "bad query: says where and why" grep -q "query, at character 1: .colour. is not a field" "$T/err"

exp --bom --semicolon --csv "$T/excel.csv"
check "--bom: starts with the UTF-8 byte order mark" test "$(head -c 3 "$T/excel.csv" | od -An -tx1 | tr -d ' ')" = efbbbf
check "--semicolon: separated by ;" grep -q '^[0-9]*;Изоставен автомобил без номера от месеци.;"Изоставен' "$T/excel.csv"
check "--semicolon: a comma needs no quotes then" grep -q ';Дупка на платното, колите я заобикалят в насрещното.;' "$T/excel.csv"

# Round trip: export, import into a database without signals, export again:
# the same file but for our own ids (each database numbers its rows).
createdb -T sd_fixture t_export_copy
PGDATABASE=t_export_copy sql "SET session_replication_role = replica; DELETE FROM signal_events; DELETE FROM reporters; DELETE FROM signals; DELETE FROM reg_counters"
rc=0; PGDATABASE=t_export_copy "$BIN" -c /dev/null import "$T/all.csv" --profile signaldesk > "$T/imp" 2>&1 || rc=$?
check "round trip: our export imports with the built-in profile" test "$rc" = 0
check "round trip: all 60" grep -q "60 signals imported" "$T/imp"
rc=0; PGDATABASE=t_export_copy "$BIN" -c /dev/null export --csv "$T/again.csv" 2> "$T/err" || rc=$?
check "round trip: exported again" test "$rc" = 0
strip_id() { sed 's/^[0-9][0-9]*,//' "$1"; }
strip_id "$T/all.csv" > "$T/all.noid"
strip_id "$T/again.csv" > "$T/again.noid"
check "round trip: identical but for the ids" cmp "$T/all.noid" "$T/again.noid"
check "round trip: not an empty comparison" test "$(wc -l < "$T/all.noid")" -gt 60
check "round trip: registration numbers kept, none taken" test "$(PGDATABASE=t_export_copy sql "SELECT count(*) FROM reg_counters")" = 0

# Names the other database does not know are problems of their rows.
createdb -T sd_fixture t_export_other
PGDATABASE=t_export_other sql "SET session_replication_role = replica; DELETE FROM signal_events; DELETE FROM reporters; DELETE FROM signals"
sed 's/,ivanova,/,nobody,/; s/,Район „Лозенец“,/,Район „Никъде“,/' "$T/all.csv" > "$T/other.csv"
rc=0; PGDATABASE=t_export_other "$BIN" -c /dev/null import "$T/other.csv" --profile signaldesk > "$T/imp" 2>&1 || rc=$?
check "unknown operator and unit: exit 4" test "$rc" = 4
check "unknown operator: said" grep -q 'column "assignee": no operator has this login: "nobody"' "$T/imp"
check "unknown unit: said" grep -q 'column "unit": unknown unit: "Район „Никъде“"' "$T/imp"
check "unknown operator and unit: nothing imported" test "$(PGDATABASE=t_export_other sql "SELECT count(*) FROM signals")" = 0

# The same file into the database it came from adds nothing.
rc=0; "$BIN" -c /dev/null import "$T/all.csv" --profile signaldesk > "$T/imp" 2>&1 || rc=$?
check "own export into its own database: exit 0" test "$rc" = 0
check "own export into its own database: no duplicates" grep -q "60 rows were imported before; skipped" "$T/imp"
check "own export into its own database: still 60" test "$(sql "SELECT count(*) FROM signals")" = 60

rc=0; "$BIN" -c /dev/null export --csv /nonexistent/dir/x.csv > "$T/out" 2>&1 || rc=$?
check "unwritable file: exit 1 and the reason" grep -q "cannot write the file" "$T/out"

# An operator exports too, but only the contacts the database lets them
# read: phones and e-mails of their own unit's signals, none of the others'.
person t7_op operator
rc=0; as t7_op "$BIN" export --csv "$T/op.csv" > "$T/op.out" 2>&1 || rc=$?
check "an operator may export" test "$rc" = 0
check "an operator's export has the phones of their unit only" \
    test "$(grep -c '0888 ' "$T/op.csv")" = "$(sql "SELECT count(*) FROM signals s JOIN units u ON u.id = s.unit_id
        WHERE u.name = 'Район „Лозенец“' AND EXISTS (SELECT 1 FROM reporters r WHERE r.signal_id = s.id AND r.phone <> '')")"
check "an operator's export still has every signal" test "$(grep -c '^[0-9]*,' "$T/op.csv")" -ge 60
