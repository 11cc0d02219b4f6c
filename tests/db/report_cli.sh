# signaldesk report NAME --from DATE --to DATE [--csv FILE|-]: the batch
# command for cron.  Exit 0 only on success; a file is whole or not there;
# the numbers agree with a plain count over the events; report_conninfo
# sends it to another database (a read replica).
. tests/lib.sh
fresh_db
MAIN=$PGDATABASE

report() { # report ARGS...: runs it in $T; output in $T/out, $T/err, exit code in $rc
    rc=0
    (cd "$T" && LANG=C.UTF-8 TZ=Europe/Sofia "$BIN" "$@") > "$T/out" 2> "$T/err" || rc=$?
}

report report flow --from 2026-11-02 --to 2026-11-20 --csv -
check "flow as CSV on stdout: exit 0" test "$rc" = 0
check "a header and one record per day" test "$(wc -l < "$T/out")" = 20
check "the header" test "$(head -1 "$T/out" | tr -d '\r')" = "period,received,closed,reopened"
received=$(tail -n +2 "$T/out" | awk -F, '{ s += $2 } END { print s }')
closed=$(tail -n +2 "$T/out" | awk -F, '{ s += $3 } END { print s }')
check "received agrees with a count of the events" test "$received" = "$(sql "SELECT count(*) FROM signal_events
    WHERE kind = 'created' AND at >= '2026-11-02 00:00+02' AND at < '2026-11-21 00:00+02'")"
check "closed agrees with a count of the events" test "$closed" = "$(sql "SELECT count(*) FROM signal_events e
    JOIN statuses o ON o.code = e.old_value JOIN statuses n ON n.code = e.new_value
    WHERE e.kind = 'status' AND o.is_open AND NOT n.is_open
      AND e.at >= '2026-11-02 00:00+02' AND e.at < '2026-11-21 00:00+02'")"

report report stalled --from 2026-10-22 --to 2026-11-20 --csv stalled.csv --delimiter semicolon --bom --days 7
check "stalled into a file: exit 0, nothing on stdout" test "$rc" = 0 -a ! -s "$T/out"
# old enough to tell by the pinned clock (SIGNALDESK_NOW): received by 13.11 12:00
check "the file has a BOM, semicolons and decimal commas" grep -q "^.*unit;Столичен инспекторат;25;9;36,0" "$T/stalled.csv"
check "the BOM opens the file" sh -c "head -c 3 '$T/stalled.csv' | od -An -tx1 | grep -q 'ef bb bf'"
check "no part file is left" test ! -e "$T/stalled.csv.part"

report report workload --from 2026-10-22 --to 2026-11-20
check "without --csv: text for people" sh -c "test $rc = 0 && grep -q 'Workload' '$T/out' && grep -q 'Столичен инспекторат  *0  *40  *12  *12  *28' '$T/out'"

report report nonsense --from 2026-11-01 --to 2026-11-20
check "an unknown report: exit 2, and the names are listed" sh -c "test $rc = 2 && grep -q 'workload, flow, age' '$T/err'"
report report flow --from 2026-11-01
check "no --to: exit 2" test "$rc" = 2
report report flow --from 2026-11-31 --to 2026-12-01
check "not a date: exit 2" sh -c "test $rc = 2 && grep -q '2026-11-31' '$T/err'"
report report flow --from 2026-11-20 --to 2026-11-01
check "from after to: exit 2" test "$rc" = 2
report report flow --from 2026-11-01 --to 2026-11-20 --by fortnight
check "a bad grouping: exit 2" test "$rc" = 2
report report flow --from 2026-11-01 --to 2026-11-20 --csv /nonexistent/dir/flow.csv
check "a file that cannot be written: exit 1, nothing left" sh -c "test $rc = 1 && grep -q '/nonexistent/dir/flow.csv' '$T/err' && test ! -e /nonexistent/dir/flow.csv.part"
report -d "host=/nonexistent dbname=x" report flow --from 2026-11-01 --to 2026-11-20 --csv -
check "no database: exit 1" sh -c "test $rc = 1 && test ! -s '$T/out'"

# a "replica" with three more signals received on 19.11
REPLICA=t_report_cli_replica
dropdb --if-exists "$REPLICA"
createdb -T sd_fixture "$REPLICA"
(export PGDATABASE=$REPLICA; sql "
    INSERT INTO signals (reg_no, created_at, description, unit_id)
    SELECT 'РЕП-' || i, '2026-11-19 10:00+02', 'реплика', (SELECT id FROM units WHERE name = 'Район „Лозенец“')
      FROM generate_series(1, 3) i;
    INSERT INTO signal_events (signal_id, at, actor, kind, new_value)
    SELECT id, created_at, 'ivanova', 'created', 'phone' FROM signals WHERE reg_no LIKE 'РЕП-%';")
cat > "$T/config/replica.ini" <<INI
[database]
report_conninfo = dbname=$REPLICA
INI
report -c "$T/config/replica.ini" -d "dbname=$MAIN" report flow --from 2026-11-19 --to 2026-11-19 --csv -
check "report_conninfo: read from the replica" test "$(tail -1 "$T/out" | tr -d '\r')" = "2026-11-19,6,0,0"
report report flow --from 2026-11-19 --to 2026-11-19 --csv -
check "without it: the main database" test "$(tail -1 "$T/out" | tr -d '\r')" = "2026-11-19,3,0,0"
dropdb --if-exists "$REPLICA"
