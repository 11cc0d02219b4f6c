# The tree builds without a warning under clang as well as gcc (-Werror).
set -u
T=tests/out/clang
rm -rf "$T"; mkdir -p "$T/tree"
if ! command -v clang > /dev/null; then echo "FAIL clang: clang is not installed"; exit 0; fi
git ls-files -z | xargs -0 cp --parents -t "$T/tree" 2>/dev/null || tar cf - $(git ls-files) | tar xf - -C "$T/tree"
if make -s -C "$T/tree" CC=clang -j2 src/signaldesk tests/bin/test_domain > "$T/log" 2>&1 && "$T/tree/tests/bin/test_domain" > /dev/null; then
    echo "ok clang: builds and passes the unit tests"
else
    echo "FAIL clang: build"; sed 's/^/    /' "$T/log" | head -30
fi
