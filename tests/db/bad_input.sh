# Bad input gets one clear sentence and an exit code, never a crash.
. tests/lib.sh
fresh_db
export LANG=C.UTF-8   # the tools' messages in English for the checks below

rc=0; "$BIN" -d "host=127.0.0.1 port=1 connect_timeout=3" > "$T/out" 2>&1 || rc=$?
check "unreachable database: exit code 1" test "$rc" = 1
check "unreachable database: libpq's reason" grep -q "cannot connect to the database: .*refused" "$T/out"

sql "CREATE ROLE sd_pw LOGIN PASSWORD 'right'; GRANT pg_read_all_data TO sd_pw"
rc=0; PGUSER=sd_pw PGPASSWORD=wrong "$BIN" < /dev/null > "$T/out" 2>&1 || rc=$?
check "wrong password: exit code 1" test "$rc" = 1
check "wrong password: says so" grep -q "password authentication failed" "$T/out"

createdb -T template0 --locale=C.UTF-8 t_empty
rc=0; PGDATABASE=t_empty "$BIN" > "$T/out" 2>&1 || rc=$?
check "no schema yet: exit code 1" test "$rc" = 1
check "no schema yet: says to run db init" grep -q "signaldesk db init" "$T/out"

createdb -T template0 --locale=C t_bad_locale
rc=0; PGDATABASE=t_bad_locale "$BIN" db init > "$T/out" 2>&1 || rc=$?
check "C locale database: db init refused" test "$rc" = 1
check "C locale database: names LC_CTYPE" grep -q "LC_CTYPE" "$T/out"

rc=0; "$BIN" db demo --signals 10 > "$T/out" 2>&1 || rc=$?
check "demo into a full database: refused" test "$rc" = 1
check "demo into a full database: says why" grep -q "already holds 60 signals" "$T/out"

printf '[ui]\ncolors = on\nlanguage = klingon\n' > "$T/bad.ini"
rc=0; "$BIN" -c "$T/bad.ini" > "$T/out" 2>&1 || rc=$?
check "bad config value: exit code 2" test "$rc" = 2
check "bad config value: file and line" grep -q "bad.ini:3: language must be one of" "$T/out"
printf '[database]\nconninfo = x\n[nonsense]\n' > "$T/bad.ini"
rc=0; "$BIN" -c "$T/bad.ini" > "$T/out" 2>&1 || rc=$?
check "unknown section: file and line" grep -q "bad.ini:3: unknown section \[nonsense\]" "$T/out"
rc=0; "$BIN" -c "$T/missing.ini" > "$T/out" 2>&1 || rc=$?
check "missing config file: exit code 2" test "$rc" = 2

rc=0; "$BIN" db frobnicate > "$T/out" 2>&1 || rc=$?
check "unknown db command: exit code 2" test "$rc" = 2

# A locale that is not UTF-8 (made here with localedef, no root needed).
mkdir -p "$T/loc"
if command -v localedef >/dev/null && localedef -i bg_BG -f CP1251 "$T/loc/bg_BG.CP1251" 2>/dev/null; then
    rc=0; LOCPATH="$T/loc" LANG=bg_BG.CP1251 "$BIN" > "$T/out" 2>&1 || rc=$?
    check "non-UTF-8 locale: exit code 2" test "$rc" = 2
    check "non-UTF-8 locale: says UTF-8 is needed" grep -q "UTF-8 locale is needed" "$T/out"
else
    fail "non-UTF-8 locale: localedef could not make bg_BG.CP1251 (apt-get install locales)"
fi

rc=0; SIGNALDESK_SCRIPT=/nonexistent "$BIN" > "$T/out" 2>&1 || rc=$?
check "missing script file: exit code 2" test "$rc" = 2
