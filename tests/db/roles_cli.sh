# Roles from the command line: db init makes the group roles once per
# cluster and applies the privileges in every database; [access] of the
# INI is an admin's tool (db init writes it into the database, where it
# holds for every console); a login that is nobody in signaldesk is told so.
. tests/lib.sh
fresh_db
export LANG=C.UTF-8

# a second database of the same cluster: the roles are there already
createdb -T template0 --locale=C.UTF-8 t_roles_second
rc=0; PGDATABASE=t_roles_second "$BIN" db init > "$T/out" 2>&1 || rc=$?
check "db init in a second database: exit code 0" test "$rc" = 0
check "db init in a second database: schema up to date" grep -q "schema at version" "$T/out"
check "the group roles exist once, NOLOGIN" test "$(sql "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'signaldesk\_%'
    AND NOT rolcanlogin")" = 3
check "the second database has the privileges too" test "$(PGDATABASE=t_roles_second sql "
    SELECT has_table_privilege('signaldesk_operator', 'signaldesk.categories', 'UPDATE')::text
           || has_table_privilege('signaldesk_admin', 'signaldesk.categories', 'UPDATE')::text")" = falsetrue
rc=0; PGDATABASE=t_roles_second "$BIN" db init > "$T/out" 2>&1 || rc=$?
check "db init again: exit code 0" test "$rc" = 0

# [access] in the admin's INI
printf '[access]\ncontacts_outside_unit = yes\n' > "$T/admin.ini"
rc=0; "$BIN" -c "$T/admin.ini" db init > "$T/out" 2>&1 || rc=$?
check "db init with [access]: exit code 0" test "$rc" = 0
check "db init with [access]: says it holds for every console" grep -q "contacts_outside_unit = yes" "$T/out"
check "the setting is in the database" test "$(sql "SELECT value FROM settings WHERE key = 'contacts_outside_unit'")" = yes
check "and in the audit" test "$(sql "SELECT count(*) FROM admin_events WHERE object = 'settings' AND new_value = 'yes'")" = 1
printf '[access]\ncontacts_outside_unit = maybe\n' > "$T/bad.ini"
rc=0; "$BIN" -c "$T/bad.ini" db init > "$T/out" 2>&1 || rc=$?
check "a bad [access] value: file and line" grep -q "bad.ini:2: contacts_outside_unit must be one of: no yes" "$T/out"

# an operator's own INI cannot set it
person t8c_op operator
printf '[access]\ncontacts_outside_unit = no\n' > "$T/op.ini"
rc=0; as t8c_op "$BIN" -c "$T/op.ini" db init > "$T/out" 2>&1 || rc=$?
check "db init as an operator: refused" test "$rc" = 1
check "the setting stayed" test "$(sql "SELECT value FROM settings WHERE key = 'contacts_outside_unit'")" = yes

# somebody the database knows, but not signaldesk
sql "SET client_min_messages = warning; DROP ROLE IF EXISTS t8c_nobody; CREATE ROLE t8c_nobody LOGIN PASSWORD 'pw-t8c_nobody'"
rc=0; as t8c_nobody "$BIN" < /dev/null > "$T/out" 2>&1 || rc=$?
check "a login outside signaldesk: exit code 1" test "$rc" = 1
check "a login outside signaldesk: told who adds people" grep -q "not one of signaldesk's people" "$T/out"
