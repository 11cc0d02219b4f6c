#!/bin/sh
# db demo into an empty database loads in bulk: the triggers that keep
# derived data (reporters' names beside the signal, who and when of an
# event, the report summary) are off for the load and what they keep is
# made set-based at the end.  The result must be exactly what the triggers
# make row by row (signaldesk.demo_bulk = off), run by the database's owner
# (not a superuser), and an error half-way must leave the triggers, indexes
# and keys as they were.
. "$(dirname "$0")/../lib.sh"

ROLE=sd_demo_owner
NOW="2026-11-20T12:00+02"
N=2000
sql "DO \$\$BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE') THEN
           CREATE ROLE $ROLE LOGIN PASSWORD 'pw-$ROLE';
       END IF;
     END\$\$" > /dev/null
base=t_demo_bulk_base
for d in $base t_demo_bulk_fast t_demo_bulk_slow t_demo_bulk_fail; do dropdb --if-exists "$d"; done
createdb -O $ROLE -T template0 --locale=C.UTF-8 -E UTF8 $base
as $ROLE env PGDATABASE=$base "$BIN" db init > "$T/init.log" 2>&1 || { fail "db init as the owner"; cat "$T/init.log"; }
for d in t_demo_bulk_fast t_demo_bulk_slow t_demo_bulk_fail; do createdb -O $ROLE -T $base "$d"; done

# what the triggers are set to, the indexes and the keys: the same after a load
shape() {
    PGDATABASE=$1 sql "SELECT string_agg(x, E'\n' ORDER BY x) FROM (
        SELECT 'trigger ' || tgrelid::regclass || ' ' || tgname || ' ' || tgenabled::text AS x
          FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text ~ '^(signals|reporters|signal_events|report_facts|report_spans)\$'
        UNION ALL SELECT pg_get_indexdef(indexrelid) FROM pg_index
         WHERE indrelid::regclass::text ~ '^(signals|reporters|signal_events|report_facts|report_spans)\$'
        UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
          FROM pg_constraint WHERE conrelid::regclass::text ~ '^(signals|reporters|signal_events|report_facts|report_spans)\$') s"
}
shape $base > "$T/shape.before"
check "the shape is read" grep -q "trigger signal_events signal_events_report O" "$T/shape.before"

# Logged in as someone else acting as the owner (SET ROLE), so that the
# login the events are stamped with differs from the owner's name.
rc=0
PGDATABASE=t_demo_bulk_fast PGOPTIONS="-c role=$ROLE -c signaldesk.demo_now=$NOW" \
    "$BIN" db demo --signals $N > "$T/fast.log" 2>&1 || rc=$?
check "bulk load as the owner" test "$rc" = 0
rc=0
PGDATABASE=t_demo_bulk_slow PGOPTIONS="-c role=$ROLE -c signaldesk.demo_now=$NOW -c signaldesk.demo_bulk=off" \
    "$BIN" db demo --signals $N > "$T/slow.log" 2>&1 || rc=$?
check "row-by-row load as the owner" test "$rc" = 0
check "events stamped with the login" test "$(PGDATABASE=t_demo_bulk_fast sql "
    SELECT count(*) FILTER (WHERE actor = session_user) > 0 AND count(*) FILTER (WHERE actor = '$ROLE') = 0
      FROM signal_events")" = t

shape t_demo_bulk_fast > "$T/shape.fast"
check "bulk load: triggers on again, every index and key back" diff "$T/shape.before" "$T/shape.fast"

# every row of every table the load writes, the derived columns included
same() { # same NAME QUERY
    for d in fast slow; do
        PGDATABASE=t_demo_bulk_$d psql -X -q -c "COPY ($2) TO STDOUT" > "$T/$1.$d"
    done
    check "bulk = row by row: $1 ($(wc -l < "$T/$1.fast") rows)" \
        sh -c "test -s '$T/$1.fast' && diff '$T/$1.fast' '$T/$1.slow'"
}
same signals "SELECT * FROM signaldesk.signals ORDER BY id"
same reporters "SELECT * FROM signaldesk.reporters ORDER BY id"
same signal_events "SELECT * FROM signaldesk.signal_events ORDER BY id"
same report_facts "SELECT * FROM signaldesk.report_facts ORDER BY signal_id"
same report_spans "SELECT * FROM signaldesk.report_spans ORDER BY signal_id, start_at"
same reg_counters "SELECT * FROM signaldesk.reg_counters ORDER BY year"
same planted "SELECT * FROM signaldesk.demo_planted_duplicates ORDER BY signal_id"

# and against a recomputation of each derived column from its sources
PGDATABASE=t_demo_bulk_fast
check "reporters' names on the signals (some with several)" test "$(sql "
    SELECT count(*) FILTER (WHERE s.reporters_text IS DISTINCT FROM coalesce(r.t, ''))
           || ' ' || (count(*) FILTER (WHERE r.n > 1) > 0)
      FROM signals s
      LEFT JOIN (SELECT signal_id, string_agg(name, ' ' ORDER BY id) AS t, count(*) AS n
                   FROM reporters GROUP BY signal_id) r ON r.signal_id = s.id")" = "0 true"
check "search text of every signal" test "$(sql "
    SELECT count(*) FROM signals
     WHERE search_latin IS DISTINCT FROM sd_latin(reg_no || ' ' || description || ' ' || address || ' ' || reporters_text)")" = 0
summary=$(PGOPTIONS="-c search_path=signaldesk,public" psql -X -q -At -F ' ' -v ON_ERROR_STOP=1 <<'SQL'
BEGIN;
CREATE TEMP TABLE f0 AS SELECT * FROM report_facts;
CREATE TEMP TABLE s0 AS SELECT * FROM report_spans;
SELECT report_rebuild(NULL) \g /dev/null
SELECT (SELECT count(*) FROM f0) = (SELECT count(*) FROM signals) AND (SELECT count(*) FROM s0) > 0,
       (SELECT count(*) FROM ((TABLE f0 EXCEPT ALL TABLE report_facts) UNION ALL (TABLE report_facts EXCEPT ALL TABLE f0)) x),
       (SELECT count(*) FROM ((TABLE s0 EXCEPT ALL TABLE report_spans) UNION ALL (TABLE report_spans EXCEPT ALL TABLE s0)) x);
ROLLBACK;
SQL
)
check "report summary: every signal, equal to a rebuild from scratch" test "$summary" = "t 0 0"

# an error half-way (here: writing the registration counters) undoes all
PGDATABASE=t_demo_bulk_fail
as $ROLE sql "CREATE FUNCTION signaldesk.demo_test_stop() RETURNS trigger LANGUAGE plpgsql
                  AS 'BEGIN RAISE EXCEPTION ''stopped for the test''; END';
              CREATE TRIGGER demo_test_stop BEFORE INSERT ON signaldesk.reg_counters
                  FOR EACH ROW EXECUTE FUNCTION signaldesk.demo_test_stop()" > /dev/null
rc=0
as $ROLE "$BIN" db demo --signals 200 > "$T/fail.log" 2>&1 || rc=$?
check "a failing load says so" sh -c "test $rc != 0 && grep -q 'stopped for the test' '$T/fail.log'"
shape t_demo_bulk_fail > "$T/shape.fail"
check "a failing load leaves triggers, indexes and keys as they were" diff "$T/shape.before" "$T/shape.fail"
check "a failing load leaves no rows" test "$(sql "SELECT (SELECT count(*) FROM signals) + (SELECT count(*) FROM reporters)
    + (SELECT count(*) FROM signal_events) + (SELECT count(*) FROM report_facts)")" = 0

for d in $base t_demo_bulk_fast t_demo_bulk_slow t_demo_bulk_fail; do dropdb --if-exists "$d"; done
