# signaldesk: a terminal console for municipal citizen-signal operators.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/signaldesk
LOCALEDIR  ?= $(PREFIX)/share/locale
MANDIR     ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
DESTDIR    ?=

CC       ?= cc
PKGS      = ncursesw readline libpq
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
CPPFLAGS += -D_DEFAULT_SOURCE -Iinclude -I/usr/include/iniparser $(PKG_CFLAGS) \
            -DLOCALEDIR='"$(LOCALEDIR)"' -DDATADIR='"$(DATADIR)"' -DSYSCONFDIR='"$(SYSCONFDIR)"'
LDLIBS   += $(PKG_LIBS) -lcsv -liniparser -lm -pthread

# make check SAN=1: everything built with AddressSanitizer (with its leak
# checker) and UndefinedBehaviorSanitizer; the first finding ends the program.
# Objects remember how they were built (src/.build-paths): switching SAN on or
# off rebuilds them.
SAN_FLAGS = -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all
ifeq ($(SAN),1)
CFLAGS   += $(SAN_FLAGS)
LDFLAGS  += $(SAN_FLAGS)
endif

# The Debian packages needed to build, test and run the demo.
DEB_PACKAGES = build-essential pkg-config libncurses-dev libreadline-dev libpq-dev \
               libcsv-dev libiniparser-dev gettext postgresql postgresql-contrib \
               postgresql-common tmux locales tzdata clang pgbouncer git exim4-daemon-light valgrind

CORE_SRC  = $(filter-out src/main.c, $(wildcard src/*.c)) src/sql_blob.c
CORE_SRC := $(sort $(CORE_SRC))
SCREEN_SRC = $(wildcard screens/*.c)
CORE_OBJ  = $(CORE_SRC:.c=.o)
SCREEN_OBJ = $(SCREEN_SRC:.c=.o)
BIN       = src/signaldesk

# Domain objects that need neither curses nor the database: unit-tested alone.
PURE_OBJ  = src/query.o src/translit.o src/workflow.o src/timefmt.o src/regno.o src/util.o src/sqlbuild.o src/dupefmt.o \
            src/config.o src/csvread.o src/importcsv.o \
            src/intake.o src/textmatch.o src/tags.o src/bigtext.o src/mailmsg.o \
            src/csvwrite.o src/chart.o src/period.o src/adminval.o

UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(patsubst tests/unit/%.c,tests/bin/%,$(UNIT_SRC))
# Database tests: the real domain code against a real (throwaway) server.
DBT_SRC   = $(wildcard tests/db/db_*.c)
DBT_BIN   = $(patsubst tests/db/%.c,tests/bin/%,$(DBT_SRC))

PO_LANGS  = bg
MO_FILES  = $(foreach l,$(PO_LANGS),po/locale/$(l)/LC_MESSAGES/signaldesk.mo)


.PHONY: FORCE all check valgrind demo bench install uninstall clean deps print-deps unit fuzz pot

# libFuzzer targets (clang), each with its seeds in tests/fuzz/seeds/NAME:
# a few seconds each in `make check`, FUZZ_SECONDS each in `make fuzz`.
FUZZ_BIN  = tests/bin/fuzz_query tests/bin/fuzz_import tests/bin/fuzz_config
FUZZ_SECONDS ?= 300

all: $(BIN) $(MO_FILES) man/signaldesk.1

# The key table of the man page comes from the action list in the binary.
man/signaldesk.1: man/signaldesk.1.in $(BIN)
	LANG=C LANGUAGE= ./$(BIN) --list-keys=man -c /dev/null > $@.keys
	sed -e '/@KEYS@/{r $@.keys' -e 'd}' -e 's/@VERSION@/$(shell ./$(BIN) --version 2>/dev/null | cut -d" " -f2)/' $< > $@
	rm -f $@.keys

$(BIN): src/main.o $(CORE_OBJ) $(SCREEN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The schema migrations and the demo generator are compiled into the binary.
src/sql_blob.c: $(sort $(wildcard src/sql/*.sql)) src/sql/embed.awk src/sql
	awk -f src/sql/embed.awk $(sort $(wildcard src/sql/*.sql)) > $@.tmp && mv $@.tmp $@

# Objects are rebuilt when the install paths change (make PREFIX=/usr install).
BUILD_PATHS = $(PREFIX):$(DATADIR):$(LOCALEDIR):$(SYSCONFDIR):$(SAN)
src/.build-paths: FORCE
	@echo '$(BUILD_PATHS)' | cmp -s - $@ || echo '$(BUILD_PATHS)' > $@
FORCE:

%.o: %.c src/.build-paths
	@echo "  CC $@"; $(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(wildcard src/*.d screens/*.d)

po/locale/%/LC_MESSAGES/signaldesk.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

pot:
	xgettext --from-code=UTF-8 -k_ -kN_ -o po/signaldesk.pot src/*.c screens/*.c include/*.h

tests/bin/test_%: tests/unit/test_%.c $(PURE_OBJ)
	@mkdir -p tests/bin
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(LDFLAGS) -o $@ $< $(PURE_OBJ) -lcsv -liniparser -lm

tests/bin/db_%: tests/db/db_%.c $(CORE_OBJ) $(SCREEN_OBJ)
	@mkdir -p tests/bin
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(LDFLAGS) -o $@ $< $(CORE_OBJ) $(SCREEN_OBJ) $(LDLIBS)

unit: $(UNIT_BIN)

FUZZ_CC     = clang
FUZZ_CFLAGS = -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_QUERY_SRC = src/query.c src/translit.c src/workflow.c src/util.c src/sqlbuild.c
# the import path: profile mapping and CSV reading
FUZZ_IMPORT_SRC = src/importcsv.c src/csvread.c src/config.c src/query.c src/sqlbuild.c src/regno.c src/period.c \
                  src/translit.c src/workflow.c src/util.c
# the configuration file, with the key bindings it may set
FUZZ_CONFIG_SRC = $(FUZZ_IMPORT_SRC) src/keys.c

tests/bin/fuzz_query: tests/fuzz/fuzz_query.c $(FUZZ_QUERY_SRC) $(wildcard include/*.h)
	@mkdir -p tests/bin
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_QUERY_SRC) -lm

tests/bin/fuzz_import: tests/fuzz/fuzz_import.c $(FUZZ_IMPORT_SRC) $(wildcard include/*.h)
	@mkdir -p tests/bin
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_IMPORT_SRC) -lcsv -liniparser -lm

tests/bin/fuzz_config: tests/fuzz/fuzz_config.c $(FUZZ_CONFIG_SRC) $(wildcard include/*.h)
	@mkdir -p tests/bin
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_CONFIG_SRC) -lcsv -liniparser -lm \
	  $(shell pkg-config --libs ncursesw 2>/dev/null)

# Every fuzz target for FUZZ_SECONDS; ends "N passed, N failed".
fuzz: $(FUZZ_BIN)
	@sh tests/fuzz/run $(FUZZ_SECONDS)

# The load tool: simulated operators through the domain code alone (no curses).
LOAD_OBJ  = src/db.o src/signals.o src/triage.o src/intake.o src/intake_store.o src/query.o src/translit.o \
            src/workflow.o src/sqlbuild.o src/util.o src/timefmt.o src/regno.o src/admin.o src/tags.o src/dupes.o

tests/bin/load: tests/load/load.c $(LOAD_OBJ)
	@mkdir -p tests/bin
	$(CC) $(CPPFLAGS) $(CFLAGS) -pthread $(LDFLAGS) -o $@ $< $(LOAD_OBJ) $(shell pkg-config --libs libpq) -lm -pthread

check: all $(UNIT_BIN) $(DBT_BIN) $(FUZZ_BIN) tests/bin/load
	@SD_SAN=$(SAN) sh tests/run

# The screen tests with each console under valgrind (memcheck): any invalid
# read or write, use of an uninitialised value or definite or indirect leak
# fails.  A build without the sanitizers (they and valgrind exclude each other).
valgrind: all
ifeq ($(SAN),1)
	@echo "make valgrind: not with SAN=1 (valgrind checks the plain build)"; exit 2
endif
	@SD_VALGRIND=1 sh tests/run

demo: deps all
	@sh tests/demo

tests/bin/bench: tests/bench/bench.c $(CORE_OBJ) $(SCREEN_OBJ)
	@mkdir -p tests/bin
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CORE_OBJ) $(SCREEN_OBJ) $(LDLIBS)

bench: all tests/bin/bench tests/bin/load
	@sh tests/bench/run

print-deps:
	@echo $(DEB_PACKAGES)

# Install what is missing (as root), or say the one line to run.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y $$missing; \
	  else echo "signaldesk needs these packages; run as root:"; echo "  apt-get install -y" $$missing; exit 1; fi; \
	fi

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/sofia $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/signaldesk
	install -m 644 conf/sofia/*.csv $(DESTDIR)$(DATADIR)/sofia/
	install -m 644 conf/signaldesk.ini $(DESTDIR)$(DATADIR)/signaldesk.ini.sample
	install -m 644 man/signaldesk.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/signaldesk.ini.5 $(DESTDIR)$(MANDIR)/man5/
	for l in $(PO_LANGS); do install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; \
	  install -m 644 po/locale/$$l/LC_MESSAGES/signaldesk.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/signaldesk
	rm -f $(DESTDIR)$(MANDIR)/man1/signaldesk.1 $(DESTDIR)$(MANDIR)/man5/signaldesk.ini.5
	rm -rf $(DESTDIR)$(DATADIR)
	for l in $(PO_LANGS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/signaldesk.mo; done

clean:
	rm -f src/*.o src/*.d src/.build-paths screens/*.o screens/*.d tests/unit/*.d src/sql_blob.c $(BIN)
	rm -rf tests/bin tests/out po/locale man/signaldesk.1 tests/ci-logs
