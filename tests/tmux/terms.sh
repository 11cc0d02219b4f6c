# The console under the terminal types operators log in with: vt100, screen,
# screen-256color, tmux-256color.  Each starts, draws the same screen, takes
# the navigation and function keys (a vt100 description has no PgDn, Home,
# End or F5-F10, yet the terminal sends them), resizes and comes back to the
# same screen; vt100 gets no colours, the others do.
. tests/lib.sh
fresh_db
command -v tmux >/dev/null || { fail "tmux is not installed"; exit 0; }
SOCK="sd_terms_$$"
tm() { tmux -L "$SOCK" "$@"; }
poll() {
    i=0
    while [ $i -lt 300 ]; do "$@" && return 0; i=$((i + 1)); sleep 0.1; done
    return 1
}
shows() { tm capture-pane -p -t "$S" > "$T/pane" 2>/dev/null && grep -qF -- "$1" "$T/pane"; }
on_row() { tm capture-pane -p -t "$S" > "$T/pane" 2>/dev/null && sed -n "$1p" "$T/pane" | grep -qF -- "$2"; }
# the screen as expected (the capture, trailing blanks dropped)
same() { tm capture-pane -p -t "$S" | sed 's/ *$//' > "$T/$S.got" && cmp -s "$T/queue.expected" "$T/$S.got"; }
# SGR colour codes in the capture with attributes (39/49, "default", are not colours)
colours() { tm capture-pane -e -p -t "$S" | grep -Eq '\[([0-9]+;)*(3[0-7]|4[0-7]|38|48|9[0-7]|10[0-7])(;[0-9]+)*m'; }
no_colours() { ! colours; }
# the cursor's row (the third) in reverse video
cursor_reverse() { tm capture-pane -e -p -t "$S" | sed -n 3p | grep -Eq '\[([0-9]+;)*7(;[0-9]+)*m'; }

cat > "$T/queue.expected" <<'SCREEN'
│Нови 18│Мои 6│Моят отдел 14│Просрочени 9│Чакат 6│Промени 3│Всички 60│ postgres
  Рег. №         ▲Възраст Статус       Категория    Район        Описание
▶!СО26-КЦ-000100  3 ч     нов          Замърсена у… Средец       Не свети лампа…
  СО26-КЦ-000101  10 ч    нов          Повредена н… Подуяне      Дупка на платн…
  СО26-КЦ-000109  2 д     нов          Мъртво живо… Кремиковци   Дупка на платн…
 !СО26-КЦ-000110  3 д     нов          Нерегламент… Възраждане   Контейнерите н…
 !СО26-КЦ-000111  3 д     нов          Липсващ или… Изгрев       Изоставен авто…
  СО26-КЦ-000119  5 д     нов          Плъхове и х… Банкя        Изоставен авто…
 !СО26-КЦ-000120  6 д     нов          Строителни … Сердика      Строителен шум…
  СО26-КЦ-000121  6 д     нов          Необходим р… Триадица     Паднал клон пр…
  СО26-КЦ-000129  8 д     нов          Въпрос за с… Красно село  Паднал клон пр…
 !СО26-КЦ-000130  9 д     нов          Неизметени … Слатина      Спукана водопр…
  СО26-КЦ-000131  9 д     нов          Повреден бо… Илинден      Счупена пейка …
  СО26-КЦ-000139  11 д    нов          Въпрос за м… Оборище      Счупена пейка …
 !СО26-КЦ-000140  12 д    нов          Графити и н… Лозенец      Не свети лампа…
  СО26-КЦ-000141  12 д    нов          Снегопочист… Искър        Дупка на платн…
  СО26-КЦ-000149  14 д    нов          Въпрос за р… Подуяне      Дупка на платн…
 !СО26-КЦ-000150  15 д    нов          Замърсяване… Красна поля… Контейнерите н…
  СО26-КЦ-000151  15 д    нов          Изоставен а… Студентски   Изоставен авто…
  СО26-КЦ-000159  17 д    нов          Предложение… Изгрев       Изоставен авто…


 status:new                                                     1/18   ● връзка
1Помощ  2Нов    3Търси  4Поеми  5Статус 6Насочи 7Дубли  8Слей   9       10Изход
SCREEN

tm -f /dev/null start-server \; set -g exit-empty off
for term in vt100 screen screen-256color tmux-256color; do
    infocmp "$term" > /dev/null 2>&1 || continue
    S=$(echo "$term" | tr -c 'a-z0-9\n' '_')
    rm -f "$T/$S.exit"
    tm new-session -d -s "$S" -x 80 -y 24 \
        "env TERM=$term LANG=$CONSOLE_LANG $BIN; echo \"exit=\$?\" > '$T/$S.exit'; sleep 30"
    check "$term: draws the queue as expected" poll same
    tm send-keys -t "$S" NPage
    check "$term: PgDn goes a page down" poll shows "18/18"
    tm send-keys -t "$S" Home
    check "$term: Home goes to the first row" poll shows " 1/18 "
    tm send-keys -t "$S" End
    check "$term: End goes to the last row" poll on_row 20 "▶ СО26-КЦ-000159"
    tm send-keys -t "$S" Up
    check "$term: Up" poll shows "17/18"
    tm send-keys -t "$S" F5
    check "$term: F5 opens the status menu" poll shows "Статус нов →"
    tm send-keys -t "$S" Escape
    check "$term: Esc closes it" poll sh -c "! tmux -L '$SOCK' capture-pane -p -t '$S' | grep -q 'Статус нов →'"
    tm send-keys -t "$S" BTab
    check "$term: Shift-Tab goes to the previous queue (all 60)" poll on_row 23 "/60 "
    tm send-keys -t "$S" Tab
    check "$term: Tab comes back" poll shows " status:new "
    tm send-keys -t "$S" F1
    check "$term: F1 opens the help, its lines drawn" poll shows "── Навсякъде ──"
    tm send-keys -t "$S" q
    tm resize-window -t "$S" -x 120 -y 40
    check "$term: redraws at 120x40" poll on_row 40 "10Изход"
    tm resize-window -t "$S" -x 60 -y 20
    check "$term: says when the terminal is too small" poll shows "60x20"
    tm resize-window -t "$S" -x 80 -y 24
    tm send-keys -t "$S" Home
    check "$term: back at 80x24, the same screen again" poll same
    if [ "$term" = vt100 ]; then
        check "$term: no colours, only attributes" no_colours
        check "$term: the cursor's row in reverse video" cursor_reverse
    else
        check "$term: in colour" colours
    fi
    tm send-keys -t "$S" Q
    check "$term: quits, exit code 0" poll grep -qx "exit=0" "$T/$S.exit"
done
tm kill-server 2>/dev/null || true
