# make install puts every file where PREFIX and DESTDIR say; make uninstall
# takes all of them away again.
set -u
T=tests/out/install
rm -rf "$T"; mkdir -p "$T"
D="$(pwd)/$T/root"
ok() { echo "ok install: $1"; }
fail() { echo "FAIL install: $1"; }
if make -s install DESTDIR="$D" PREFIX=/usr > "$T/log" 2>&1; then ok "make install"; else fail "make install"; sed 's/^/    /' "$T/log"; fi
for f in usr/bin/signaldesk usr/share/man/man1/signaldesk.1 usr/share/man/man5/signaldesk.ini.5 \
         usr/share/signaldesk/sofia/districts.csv usr/share/locale/bg/LC_MESSAGES/signaldesk.mo; do
    if [ -f "$D/$f" ]; then ok "installs $f"; else fail "installs $f"; fi
done
# the installed binary finds the installed reference data and catalogue
if grep -q "/usr/share/signaldesk" "$D/usr/bin/signaldesk"; then ok "binary knows DATADIR"; else fail "binary knows DATADIR"; fi
make -s uninstall DESTDIR="$D" PREFIX=/usr > "$T/log" 2>&1
left=$(find "$D" -type f | wc -l)
if [ "$left" -eq 0 ]; then ok "make uninstall leaves no file"; else fail "make uninstall leaves $left files"; find "$D" -type f | sed 's/^/    /'; fi
# rebuild with the default prefix for the rest of the tests
make -s > /dev/null 2>&1
