# signaldesk import: the real Boston 311 export through its profile, a
# Bulgarian registry's Windows-1251 file through another, re-imports, dry
# runs and every kind of bad file: all or nothing, with a clear report.
. tests/lib.sh
fresh_db
export LANG=C.UTF-8   # the messages in English for the checks below
CONF="$TOP/conf/signaldesk.ini"
DATA="$TOP/tests/data"
count() { sql "SELECT count(*) FROM signals"; }
imp() { rc=0; "$BIN" -c "$CONF" import "$@" > "$T/out" 2> "$T/err" || rc=$?; }

# --- Boston: dry run, import, import again --------------------------------
before=$(count)
imp "$DATA/boston311-100.csv" --profile boston311 --dry-run
check "boston dry run: exit 0" test "$rc" = 0
check "boston dry run: says 100 would be imported" grep -q "100 signals would be imported (СО22-КЦ-000001 … СО22-КЦ-000100)" "$T/out"
check "boston dry run: nothing changed" test "$(count)" = "$before"
check "boston dry run: no numbers used up" test "$(sql "SELECT count(*) FROM reg_counters WHERE year = 2022")" = 0

imp "$DATA/boston311-100.csv" --profile boston311
check "boston: exit 0" test "$rc" = 0
check "boston: 100 read, UTF-8, comma" grep -q "100 rows read (UTF-8, separated by ',')" "$T/out"
check "boston: 100 signals" test "$(count)" = "$((before + 100))"
check "boston: numbered in one block of 2022, by time" test "$(sql "SELECT s.reg_no FROM signals s
    JOIN signal_sources o ON o.signal_id = s.id WHERE o.source = 'boston311' ORDER BY s.created_at, o.source_id LIMIT 1")" = "СО22-КЦ-000001"
check "boston: the year's counter moved by 100" test "$(sql "SELECT last FROM reg_counters WHERE year = 2022")" = 100
check "boston: their case id remembered" test "$(sql "SELECT count(*) FROM signal_sources WHERE source = 'boston311'
    AND source_id = '101004143000'")" = 1
check "boston: Boston local time (EST) kept as the instant" test "$(sql "SELECT s.created_at AT TIME ZONE 'UTC'
    FROM signals s JOIN signal_sources o ON o.signal_id = s.id WHERE o.source_id = '101004143000'")" = "2022-01-21 18:47:00"
check "boston: statuses mapped (85 closed, 15 registered)" test "$(sql "SELECT string_agg(status || '=' || n, ' ' ORDER BY status)
    FROM (SELECT s.status, count(*) n FROM signals s JOIN signal_sources o ON o.signal_id = s.id GROUP BY 1) x")" = "closed=85 registered=15"
check "boston: closed time from closed_dt" test "$(sql "SELECT count(*) FROM signals s JOIN signal_sources o ON o.signal_id = s.id
    WHERE s.status = 'closed' AND s.closed_at IS NOT NULL")" = 85
check "boston: channels mapped" test "$(sql "SELECT string_agg(channel || '=' || n, ' ' ORDER BY channel)
    FROM (SELECT s.channel, count(*) n FROM signals s JOIN signal_sources o ON o.signal_id = s.id GROUP BY 1) x")" = "app=67 phone=30 web=3"
check "boston: every case type mapped to a category of ours" test "$(sql "SELECT count(*) FROM signals s
    JOIN signal_sources o ON o.signal_id = s.id WHERE s.category_id IS NULL")" = 0
check "boston: parking enforcement is parking" test "$(sql "SELECT count(*) FROM signals s JOIN signal_sources o ON o.signal_id = s.id
    JOIN categories c ON c.id = s.category_id WHERE c.name = 'Неправилно паркиран автомобил'")" = 20
check "boston: routed to a unit (route_unit)" test "$(sql "SELECT count(*) FROM signals s JOIN signal_sources o ON o.signal_id = s.id
    WHERE s.unit_id IS DISTINCT FROM route_unit(s.category_id, s.district_id)")" = 0
check "boston: due from target_dt" test "$(sql "SELECT s.due_at AT TIME ZONE 'UTC' FROM signals s
    JOIN signal_sources o ON o.signal_id = s.id WHERE o.source_id = '101004143000'")" = "2022-02-04 18:47:30"
check "boston: no target_dt: due by the category's SLA (due_at)" test "$(sql "SELECT count(*) FROM signals s
    JOIN signal_sources o ON o.signal_id = s.id WHERE o.source_id = '101004130437'
     AND s.due_at = due_at(s.category_id, s.created_at)")" = 1
check "boston: lat/lon as location" test "$(sql "SELECT s.location[1] || ' ' || s.location[0] FROM signals s
    JOIN signal_sources o ON o.signal_id = s.id WHERE o.source_id = '101004130437'")" = "42.3634 -71.0566"
check "boston: one 'created' event each, saying where from" test "$(sql "SELECT count(*) FROM signal_events e
    JOIN signal_sources o ON o.signal_id = e.signal_id WHERE e.kind = 'created' AND e.comment = 'Imported from boston311, id ' || o.source_id")" = 100

imp "$DATA/boston311-100.csv" --profile boston311
check "boston again: exit 0" test "$rc" = 0
check "boston again: says all were there" grep -q "100 rows were imported before; skipped" "$T/out"
check "boston again: no duplicates" test "$(count)" = "$((before + 100))"

# --- another city: only a profile ------------------------------------------
imp "$DATA/mladost-2019.csv" --profile mladost
check "profile from another file: unknown here" test "$rc" = 2
rc=0; "$BIN" -c "$DATA/profiles.ini" import "$DATA/mladost-2019.csv" --profile Mladost > "$T/out" 2> "$T/err" || rc=$?
check "windows-1251 with ';': exit 0" test "$rc" = 0
check "windows-1251 with ';': detected" grep -q "5 rows read (Windows-1251, separated by ';')" "$T/out"
check "windows-1251: Cyrillic text intact" test "$(sql "SELECT description FROM signals WHERE reg_no = 'СО19-КЦ-000002'")" = "Не свети лампата пред входа; от три дни"
check "windows-1251: a cell over two lines" test "$(sql "SELECT description FROM signals WHERE reg_no = 'СО19-КЦ-000003'")" = "Дупка на платното.
Опасна е за колоездачи."
check "fixed district, routed by it" test "$(sql "SELECT string_agg(DISTINCT d.name || '/' || u.name, ',') FROM signals s
    JOIN districts d ON d.id = s.district_id JOIN units u ON u.id = s.unit_id
    JOIN categories c ON c.id = s.category_id WHERE s.reg_no LIKE 'СО19%' AND c.name = 'Неизвозени контейнери за смет'")" = "Младост/Район „Младост“"
check "their statuses mapped" test "$(sql "SELECT string_agg(status, ',' ORDER BY reg_no) FROM signals WHERE reg_no LIKE 'СО19%'")" = "closed,in_progress,new,new,rejected"
check "reporters with phone and e-mail" test "$(sql "SELECT r.name || '|' || r.phone || '|' || r.email FROM reporters r
    JOIN signals s ON s.id = r.signal_id WHERE s.reg_no = 'СО19-КЦ-000002'")" = "Петя Георгиева||petya@example.bg"
check "no reporter where the file names none" test "$(sql "SELECT count(*) FROM reporters r JOIN signals s ON s.id = r.signal_id
    WHERE s.reg_no = 'СО19-КЦ-000003'")" = 0

sed 's/^default.district = Младост/default.district = Атлантида/; s/^source = .*/source = atlantis/' "$DATA/profiles.ini" > "$T/atlantis.ini"
before=$(count)
rc=0; "$BIN" -c "$T/atlantis.ini" import "$DATA/mladost-2019.csv" --profile mladost > "$T/out" 2> "$T/err" || rc=$?
check "unknown district: exit 4" test "$rc" = 4
check "unknown district: every row, by line" test "$(grep -c 'column "district": unknown district: "Атлантида"' "$T/err")" = 5
check "unknown district: lines 2 3 4 6 7 (a cell over two lines)" test "$(grep -o '^signaldesk: line [0-9]*' "$T/err" | tr -dc '0-9\n' | tr '\n' ' ')" = "2 3 4 6 7 "
check "unknown district: nothing imported" test "$(count)" = "$before"

# --- bad files: a clear report, the exit code, nothing imported ------------
H=$(head -1 "$DATA/boston311-100.csv")
R2=$(sed -n 2p "$DATA/boston311-100.csv" | sed 's/^101004143000/201/')
R3=$(sed -n 3p "$DATA/boston311-100.csv" | sed 's/^101004130437/202/')
before=$(count)
bad() { # bad NAME FILE PATTERN
    imp "$2" --profile boston311
    check "$1: exit 4" test "$rc" = 4
    check "$1: $3" grep -q "$3" "$T/err"
    check "$1: nothing imported" test "$(count)" = "$before"
}
printf '%s\n%s\n"%s\n' "$H" "$R2" "$R3" > "$T/quote-open.csv"
bad "unbalanced quote" "$T/quote-open.csv" "line 3: a quoted field is not closed by the end of the file"
printf '%s\n%s\n%s\n' "$H" "$R2" "$(echo "$R3" | sed 's/,Needle Pickup,/,Needle "Pickup",/')" > "$T/quote-mid.csv"
bad "quote inside a field" "$T/quote-mid.csv" "line 3: a quote in the middle of a field"
printf '%s\n%s,extra\n%s\n' "$H" "$R2" "$R3" > "$T/many.csv"
bad "too many fields" "$T/many.csv" "line 2: 30 fields where the column names have 29"
printf '%s\n%s\n%s\n' "$H" "$R2" "$(echo "$R3" | cut -d, -f1-10)" > "$T/few.csv"
bad "too few fields" "$T/few.csv" "line 3: 10 fields where the column names have 29"
: > "$T/empty.csv"
bad "empty file" "$T/empty.csv" "the file is empty"
printf '%s\n' "$H" > "$T/header.csv"
imp "$T/header.csv" --profile boston311
check "only a header: exit 0" test "$rc" = 0
check "only a header: nothing to import" grep -q "0 rows read.*" "$T/out"
check "only a header: says so" grep -q "nothing to import" "$T/out"
{ echo "$H"; echo "$R2"; printf '%s,"' "$(echo "$R3" | cut -d, -f1-7)"; head -c 10485760 /dev/zero | tr '\0' x; echo "\",$(echo "$R3" | cut -d, -f9-)"; } > "$T/big.csv"
bad "a 10 MB field" "$T/big.csv" "line 3: a field longer than 1048576 bytes"
printf '%s\n%s\n' "$H" "$R2" > "$T/nul.csv"
echo "$R3" | sed 's/,Needle Pickup,/,Needle\x00Pickup,/' >> "$T/nul.csv"
bad "NUL byte" "$T/nul.csv" 'line 3, column "case_title": the value holds a NUL byte'
printf '%s\n%s\n%s\n' "$H" "$R2" "$(echo "$R3" | sed 's/,Needle Pickup,/,Needle\xffPickup,/')" > "$T/utf8.csv"
bad "invalid UTF-8" "$T/utf8.csv" 'line 3, column "case_title": the value is not valid text in the file.s encoding (UTF-8)'
printf '%s\n%s\n%s\n' "$H" "$R2" "$(echo "$R3" | sed 's/2022-01-19 11:18:00/19.01.2022/')" > "$T/date.csv"
bad "a date that does not parse" "$T/date.csv" 'line 3, column "open_dt": not a date like "2026-01-31 14:30:00": "19.01.2022"'
printf '%s\n%s\n%s\n' "$H" "$R2" "$(echo "$R3" | sed 's/,Needle Pickup,GEN/,Alien Landing,GEN/')" > "$T/category.csv"
bad "unknown category" "$T/category.csv" 'line 3, column "type": unknown category: "Alien Landing"'
printf '%s\n%s\n%s\n' "$H" "$R2" "$(echo "$R3" | sed 's/^202,/201,/')" > "$T/same-id.csv"
bad "the same id twice" "$T/same-id.csv" 'line 3, column "case_enquiry_id": the same as on line 2'
printf 'a,b\n1,2\n' > "$T/other.csv"
bad "another file's columns" "$T/other.csv" "the file has no column 'case_enquiry_id'"

# many bad rows: the first 100, then how many more; problems of the file and
# of the database merged in line order
{ echo "$H"; i=0; while [ $i -lt 150 ]; do echo "$R3" | sed "s/^202,/3$i,/; s/,Needle Pickup,GEN/,Alien $i,GEN/"; i=$((i+1)); done
  echo "$R3" | sed 's/^202,/999,/; s/2022-01-19 11:18:00/never/'; } > "$T/many-bad.csv"
imp "$T/many-bad.csv" --profile boston311
check "151 bad rows: exit 4" test "$rc" = 4
check "151 bad rows: 100 shown" test "$(grep -c '^signaldesk: line ' "$T/err")" = 100
check "151 bad rows: then a count" grep -q "… and 51 more problems" "$T/err"
check "151 bad rows: the total" grep -q "151 problems found; nothing was imported" "$T/err"
check "151 bad rows: nothing imported" test "$(count)" = "$before"

# --- usage -------------------------------------------------------------------
imp "$DATA/boston311-100.csv"
check "no profile: exit 2" test "$rc" = 2
imp "$DATA/boston311-100.csv" --profile nosuch
check "unknown profile: exit 2" test "$rc" = 2
check "unknown profile: says where profiles live" grep -q "no import profile 'nosuch'" "$T/err"
imp "$T/missing.csv" --profile boston311
check "missing file: exit 4 and the reason" grep -q "cannot read the file: No such file" "$T/err"
