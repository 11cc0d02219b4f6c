# Messages to citizens, end to end with a real MTA: a status change puts a
# message in the outbox, `signaldesk notify` pipes it to Debian's exim4
# (sendmail -t -i), exim4 delivers it to a local mailbox, and a second run
# sends nothing.  exim4 is set up for local delivery only (Debian's
# "local" configuration) and a mailbox user is made: this needs root, as CI
# runs; elsewhere the test says it was skipped.
. tests/lib.sh
MAILUSER=sdmailtest
MBOX=/var/mail/$MAILUSER

if [ "$(id -u)" != 0 ] || [ ! -x /usr/sbin/exim4 ]; then
    echo "skip $TEST: needs root and exim4 (apt-get install exim4-daemon-light)"
    exit 0
fi
# local delivery only; nothing leaves the machine
conf=/etc/exim4/update-exim4.conf.conf
if ! grep -q "^dc_eximconfig_configtype='local'" "$conf" 2>/dev/null; then
    sed -i "s/^dc_eximconfig_configtype=.*/dc_eximconfig_configtype='local'/" "$conf" 2>/dev/null ||
        echo "dc_eximconfig_configtype='local'" > "$conf"
    grep -q "^dc_eximconfig_configtype=" "$conf" || echo "dc_eximconfig_configtype='local'" >> "$conf"
    update-exim4.conf
fi
id "$MAILUSER" >/dev/null 2>&1 ||
    useradd --system --create-home --home-dir "/var/lib/$MAILUSER" --shell /usr/sbin/nologin "$MAILUSER"
# exim delivers from the user's home directory
home=$(getent passwd "$MAILUSER" | cut -d: -f6)
[ -d "$home" ] || { mkdir -p "$home" && chown "$MAILUSER" "$home"; }

fresh_db
# a token of this run, so other mail in the box does not count
TOKEN="sd-$(date +%s)-$$"
ID=$(sql "SELECT id FROM signals WHERE reg_no = 'СО26-КЦ-000100'")
sql "INSERT INTO reporters (signal_id, name, email, wants_updates)
     VALUES ($ID, 'Мария Петрова', '$MAILUSER@localhost', true)"
sql "SELECT change_status($ID, 1, 'rejected', 'Не е в правомощията на общината ($TOKEN).', true)" >/dev/null
check "the status change put one message in the outbox" \
    test "$(sql "SELECT count(*) FROM notifications WHERE signal_id = $ID AND status = 'pending'")" = 1

cat > "$T/config/notify.ini" <<'INI'
[notify]
sendmail = /usr/sbin/sendmail -t -i
from = Столична община <signali@localhost>
INI
in_box() { [ -f "$MBOX" ] && grep -c "$TOKEN" "$MBOX" || echo 0; }
# delivered: the message is in the box (exim delivers right after accepting)
wait_delivered() {
    i=0
    while [ $i -lt 200 ]; do
        [ "$(in_box)" -ge 1 ] && return 0
        i=$((i + 1))
        sleep 0.1
    done
    return 1
}

rc=0
LANG=C "$BIN" -c "$T/config/notify.ini" notify > "$T/run1" 2>&1 || rc=$?
check "notify exits 0" test "$rc" = 0
check "notify says it sent one" grep -q "1 message sent, 0 failed" "$T/run1"
check "exim4 delivered it to the local mailbox" wait_delivered
check "the outbox says sent, with the time" \
    test "$(sql "SELECT count(*) FROM notifications WHERE signal_id = $ID AND status = 'sent' AND sent_at IS NOT NULL")" = 1
NID=$(sql "SELECT id FROM notifications WHERE signal_id = $ID")
check "the message is whole: headers, Cyrillic body, the public comment" sh -c "
    grep -q '^X-Signaldesk-Notification: $NID\$' $MBOX &&
    grep -q '^Content-Type: text/plain; charset=UTF-8\$' $MBOX &&
    grep -q '^Subject: =?UTF-8?B?' $MBOX &&
    grep -q '^From: =?UTF-8?B?.*?= <signali@localhost>\$' $MBOX &&
    grep -q 'Статусът на Вашия сигнал № СО26-КЦ-000100 от 20.11.2026 вече е „отхвърлен“' $MBOX &&
    grep -q 'Не е в правомощията на общината ($TOKEN).' $MBOX"

rc=0
LANG=C "$BIN" -c "$T/config/notify.ini" notify > "$T/run2" 2>&1 || rc=$?
check "a second run exits 0 and sends nothing" sh -c "test $rc = 0 && grep -q '0 messages sent, 0 failed' $T/run2"
check "still exactly one copy in the mailbox" test "$(in_box)" = 1

# an address exim4 cannot deliver locally is not the outbox's failure: exim
# takes it and bounces; a message the mailer refuses is marked failed
sql "SELECT change_status($ID, 2, 'registered', 'Отново ($TOKEN).', true)" >/dev/null
cat > "$T/config/refuse.ini" <<'INI'
[notify]
sendmail = /usr/sbin/sendmail -t -i -f 'not an address'
INI
rc=0
LANG=C "$BIN" -c "$T/config/refuse.ini" notify > "$T/run3" 2>&1 || rc=$?
check "a refused message: exit 1 and the reason on stderr" sh -c "test $rc = 1 && grep -q 'not sent' $T/run3"
check "it is marked failed with exim's words, never pending again" \
    test "$(sql "SELECT count(*) FROM notifications WHERE signal_id = $ID AND status = 'failed' AND error LIKE '%status%'")" = 1
rm -f "$T"/*.eml
