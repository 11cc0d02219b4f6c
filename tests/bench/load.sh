#!/bin/sh
# The load tool at size, for make bench: a database of its own with
# BENCH_LOAD_SIGNALS demo signals (10,000) in the running server (PG*
# variables), BENCH_LOAD_OPERATORS operators (50) for BENCH_LOAD_SECONDS (60)
# with their usual thinking, then the invariants; the database is dropped
# afterwards.  Prints the tool's report and its "bench: load_..." lines.
set -eu
cd "$(dirname "$0")/../.."
SIGNALS=${BENCH_LOAD_SIGNALS:-10000}
OPERATORS=${BENCH_LOAD_OPERATORS:-50}
SECONDS_=${BENCH_LOAD_SECONDS:-60}
DB=sd_bench_load
dropdb --if-exists "$DB"
createdb -T template0 --locale=C.UTF-8 -E UTF8 "$DB"
PGDATABASE=$DB ./src/signaldesk db init > /dev/null
PGDATABASE=$DB LANG=C ./src/signaldesk db demo --signals "$SIGNALS" > /dev/null
PGDATABASE=$DB psql -X -q -c "VACUUM ANALYZE"
rc=0
PGDATABASE=$DB ./tests/bin/load --operators "$OPERATORS" --seconds "$SECONDS_" --bench "$@" || rc=$?
echo "bench: load_signals=$SIGNALS load_invariants=$([ $rc = 0 ] && echo hold || echo FAILED)"
dropdb "$DB"
exit $rc
